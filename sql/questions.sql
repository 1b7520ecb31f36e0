-- The question catalogue and the question views (1.4): the catalogue's
-- defaults and checks, answers checked against their question's scale
-- (INSERT and ingest()), and every number of question_scores,
-- question_scores_by_team, devex_index, survey_drivers and time_cost against
-- an independent computation in plain SQL over the raw answers (counts,
-- avg, stddev_samp, corr, Wilson's and Fisher's formulas written out), read
-- as the reader role.
SET search_path = public, platform_metrics;
SET extra_float_digits = 0;
SET TimeZone = 'UTC';
CREATE ROLE regress_pm_qr IN ROLE platform_metrics_reader;
CREATE ROLE regress_pm_qw IN ROLE platform_metrics_writer;
CREATE ROLE regress_pm_qa IN ROLE platform_metrics_admin;

-- 1. The catalogue -------------------------------------------------------------
SET SESSION AUTHORIZATION regress_pm_qa;
-- defaults: likert 1..5 favourable from 4; reverse-coded: favourable up to 2;
-- nps 0..10 from 9; hours low 1, high from the buckets, reverse-coded
INSERT INTO survey_questions (question, wording, dimension, in_index) VALUES
    ('ease', 'How easy is it to deploy a new service?', 'feedback loops', true);
INSERT INTO survey_questions (question, reverse_coded, dimension, in_index) VALUES ('load', true, 'cognitive load', true);
INSERT INTO survey_questions (question, scale) VALUES ('nps-docs', 'nps');
INSERT INTO survey_questions (question, scale, bucket_hours, reverse_coded, dimension) VALUES
    ('lost', 'hours', '{0.5,1.5,3,6,10}', true, 'flow state');
INSERT INTO survey_questions (question, low, high, favorable_from) VALUES ('seven', 1, 7, 6);
SELECT question, scale, low, high, bucket_hours, favorable_from, reverse_coded, dimension, in_index
  FROM survey_questions ORDER BY question;
SELECT pm_test.error_of(q) AS bad_question FROM unnest(ARRAY[
  $$INSERT INTO platform_metrics.survey_questions (question, scale) VALUES ('x', 'stars')$$,
  $$INSERT INTO platform_metrics.survey_questions (question, low, high) VALUES ('x', 3, 2)$$,
  $$INSERT INTO platform_metrics.survey_questions (question, low, high) VALUES ('x', 1, 11)$$,
  $$INSERT INTO platform_metrics.survey_questions (question, scale, low, high) VALUES ('x', 'nps', 1, 5)$$,
  $$INSERT INTO platform_metrics.survey_questions (question, favorable_from) VALUES ('x', 1)$$,
  $$INSERT INTO platform_metrics.survey_questions (question, reverse_coded, favorable_from) VALUES ('x', true, 5)$$,
  $$INSERT INTO platform_metrics.survey_questions (question, scale) VALUES ('x', 'hours')$$,
  $$INSERT INTO platform_metrics.survey_questions (question, scale, bucket_hours) VALUES ('x', 'hours', '{1,3,2}')$$,
  $$INSERT INTO platform_metrics.survey_questions (question, scale, bucket_hours, high) VALUES ('x', 'hours', '{1,2,3}', 4)$$,
  $$INSERT INTO platform_metrics.survey_questions (question, scale, bucket_hours) VALUES ('x', 'hours', '{1,NaN}')$$,
  $$INSERT INTO platform_metrics.survey_questions (question, bucket_hours) VALUES ('x', '{1,2,3,4,5}')$$,
  $$INSERT INTO platform_metrics.survey_questions (question) VALUES ('')$$,
  $$UPDATE platform_metrics.survey_questions SET wording = 'Would you recommend it?' WHERE question = 'nps'$$,
  $$DELETE FROM platform_metrics.survey_questions WHERE question = 'nps'$$
]) q;
RESET SESSION AUTHORIZATION;
SELECT pm_test.error_of($$DELETE FROM platform_metrics.survey_questions WHERE question = 'nps'$$) AS not_even_a_superuser;
-- the reader reads the catalogue, the writer does not
SET SESSION AUTHORIZATION regress_pm_qr;
SELECT count(*) AS questions_the_reader_sees FROM survey_questions;
SELECT pm_test.error_of('INSERT INTO platform_metrics.survey_questions (question) VALUES (''y'')') AS reader_may_not;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION regress_pm_qw;
SELECT pm_test.error_of('SELECT count(*) FROM platform_metrics.survey_questions') AS writer_may_not;
RESET SESSION AUTHORIZATION;

-- 2. Answers within their question's scale --------------------------------------
INSERT INTO teams (team, headcount) VALUES ('qa', 12), ('qb', 10), ('qc', 8), ('qd', 3);
INSERT INTO survey_waves (wave, opened_at) VALUES ('Q-1', '2026-01-01'), ('Q-2', '2026-04-01'), ('Q-open', '2026-07-01');
SET SESSION AUTHORIZATION regress_pm_qw;
SELECT pm_test.error_of(q) AS bad_answer FROM unnest(ARRAY[
  $$INSERT INTO platform_metrics.survey_responses (response_id, wave, team, question, score) VALUES ('x1', 'Q-open', 'qa', 'nope', 3)$$,
  $$INSERT INTO platform_metrics.survey_responses (response_id, wave, team, question, score) VALUES ('x2', 'Q-open', 'qa', 'ease', 7)$$,
  $$INSERT INTO platform_metrics.survey_responses (response_id, wave, team, question, score) VALUES ('x3', 'Q-open', 'qa', 'ease', 0)$$,
  $$INSERT INTO platform_metrics.survey_responses (response_id, wave, team, question, score) VALUES ('x4', 'Q-open', 'qa', 'seven', 11)$$,
  $$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "x5", "wave": "Q-open", "team": "qa", "question": "ease", "score": 4},
                                            {"type": "survey", "response_id": "x6", "wave": "Q-open", "team": "qa", "question": "ease", "score": 6}]')$$,
  $$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "x7", "wave": "Q-open", "team": "qa", "question": "lost", "score": 0}]')$$,
  $$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "x8", "wave": "Q-open", "team": "qa", "question": "nope", "score": 1}]')$$,
  $$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "x9", "wave": "Q-open", "team": "qa", "score": 1, "submission_id": "not-a-uuid"}]')$$,
  $$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "x9", "wave": "Q-open", "team": "qa", "score": 1, "submission_id": "0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3"}]')$$,
  $$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "x9", "wave": "Q-open", "team": "qa", "score": 1, "submission_id": 7}]')$$,
  $$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "x10", "wave": "Q-open", "team": "qa", "score": 1, "submission_id": "0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b"},
                                            {"type": "survey", "response_id": "x11", "wave": "Q-open", "team": "qa", "score": 2, "submission_id": "0B6F4E1C3D2A4F8E9C1B7A5D2E8F0C3B"}]')$$
]) q;
-- accepted: the UUID forms uuid_in reads; a re-sent answer is a duplicate,
-- another answer of the same submission to the same question is refused
SELECT * FROM ingest('[{"type": "survey", "response_id": "x12", "wave": "Q-open", "team": "qa", "question": "ease", "score": 5, "submission_id": "{0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b}"},
                       {"type": "survey", "response_id": "x13", "wave": "Q-open", "team": "qa", "question": "lost", "score": 5, "submission_id": "0b6f4e1c3d2a4f8e9c1b7a5d2e8f0c3b"},
                       {"type": "survey", "response_id": "x14", "wave": "Q-open", "team": "qa", "score": 8, "submission_id": "0b6f-4e1c-3d2a-4f8e-9c1b-7a5d-2e8f-0c3b"}]');
SELECT * FROM ingest('[{"type": "survey", "response_id": "x12", "wave": "Q-open", "team": "qa", "question": "ease", "score": 5, "submission_id": "0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b"}]');
-- an explicit null is no submission id (two such answers are no duplicate)
SELECT * FROM ingest('[{"type": "survey", "response_id": "x16", "wave": "Q-open", "team": "qa", "score": 7, "submission_id": null},
                       {"type": "survey", "response_id": "x17", "wave": "Q-open", "team": "qa", "score": 8, "submission_id": null}]');
-- an id sent twice in one batch: its first event is the one stored
SELECT * FROM ingest('[{"type": "survey", "response_id": "x18", "wave": "Q-open", "team": "qa", "question": "ease", "score": 1},
                       {"type": "survey", "response_id": "x19", "wave": "Q-open", "team": "qa", "score": 2},
                       {"type": "survey", "response_id": "x20", "wave": "Q-open", "team": "qa", "score": 3},
                       {"type": "survey", "response_id": "x21", "wave": "Q-open", "team": "qa", "score": 4},
                       {"type": "survey", "response_id": "x22", "wave": "Q-open", "team": "qa", "score": 5},
                       {"type": "survey", "response_id": "x23", "wave": "Q-open", "team": "qa", "score": 6},
                       {"type": "survey", "response_id": "x18", "wave": "Q-open", "team": "qa", "question": "ease", "score": 3}]');
SELECT pm_test.error_of($$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "x15", "wave": "Q-open", "team": "qa", "question": "ease", "score": 4, "submission_id": "0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b"}]')$$) AS second_answer;
RESET SESSION AUTHORIZATION;
SELECT response_id, question, score, submission_id FROM survey_responses WHERE wave = 'Q-open' ORDER BY response_id;
-- a superuser's UPDATE is checked too; the scoring of an answered question is fixed
SELECT pm_test.error_of($$UPDATE platform_metrics.survey_responses SET score = 6 WHERE response_id = 'x12'$$) AS bad_update;
SET SESSION AUTHORIZATION regress_pm_qa;
SELECT pm_test.error_of(q) AS answered_question FROM unnest(ARRAY[
  $$UPDATE platform_metrics.survey_questions SET high = 7 WHERE question = 'ease'$$,
  $$UPDATE platform_metrics.survey_questions SET favorable_from = 5 WHERE question = 'ease'$$,
  $$UPDATE platform_metrics.survey_questions SET bucket_hours = '{0.5,1.5,3,6,12}' WHERE question = 'lost'$$,
  $$UPDATE platform_metrics.survey_questions SET in_index = false WHERE question = 'ease'$$,
  $$UPDATE platform_metrics.survey_questions SET wording = 'How easy is deploying?', dimension = 'flow' WHERE question = 'ease'$$,
  $$UPDATE platform_metrics.survey_questions SET favorable_from = 7 WHERE question = 'seven'$$
]) q;
RESET SESSION AUTHORIZATION;
SELECT pm_test.error_of($$DELETE FROM platform_metrics.survey_questions WHERE question = 'ease'$$) AS answered_question_stays;
DELETE FROM survey_responses WHERE wave = 'Q-open';

-- 3. The views ----------------------------------------------------------------------
-- Two closed waves, four teams, every respondent answering nps, ease (1..5,
-- favourable 4-5), load (reverse-coded 1..5, favourable 1-2) and lost (hours:
-- 1..5 = 0.5, 1.5, 3, 6, 10 hours, reverse-coded, favourable 1-2).
-- Q-1: qc (4 answers) and qd (3) are small; together they have no favourable
--   ease, load or lost answer and no promoter, so qb is hidden too:
--   qb + qc + qd is the remainder (3 favourable of 15 for ease).
-- Q-2: qd (2) is small and alone would be one hidden team: qc is hidden too
--   (qc + qd: 6 favourable, 2 not, for ease).
CREATE TEMP TABLE answers (wave text, team text, i integer, nps integer, ease integer, load integer, lost integer);
INSERT INTO answers
SELECT w, t, u.i, n[u.i], e[u.i], l[u.i], h[u.i]
  FROM (VALUES
    ('Q-1', 'qa', ARRAY[10, 9, 9, 8, 7, 6, 10, 3, 9, 8], ARRAY[5, 4, 4, 3, 4, 2, 5, 1, 4, 3], ARRAY[1, 3, 2, 3, 2, 4, 2, 5, 1, 3], ARRAY[2, 2, 1, 3, 3, 4, 1, 4, 2, 3]),
    ('Q-1', 'qb', ARRAY[9, 7, 6, 10, 5, 8, 9, 4], ARRAY[4, 3, 2, 5, 2, 3, 4, 1], ARRAY[2, 3, 3, 1, 4, 4, 2, 5], ARRAY[2, 3, 4, 1, 4, 2, 2, 5]),
    ('Q-1', 'qc', ARRAY[6, 5, 7, 4], ARRAY[2, 1, 3, 2], ARRAY[4, 5, 3, 4], ARRAY[4, 5, 3, 4]),
    ('Q-1', 'qd', ARRAY[3, 6, 2], ARRAY[1, 2, 1], ARRAY[5, 4, 5], ARRAY[5, 4, 5]),
    ('Q-2', 'qa', ARRAY[10, 10, 9, 9, 8, 7, 10, 9, 9, 10], ARRAY[5, 5, 4, 4, 4, 3, 5, 4, 4, 5], ARRAY[1, 2, 2, 3, 1, 3, 1, 2, 2, 2], ARRAY[1, 1, 2, 1, 2, 3, 1, 2, 1, 1]),
    ('Q-2', 'qb', ARRAY[10, 9, 8, 10, 9, 7, 9, 6], ARRAY[5, 4, 3, 5, 4, 4, 4, 2], ARRAY[2, 2, 3, 1, 1, 2, 3, 4], ARRAY[1, 2, 3, 1, 2, 2, 1, 4]),
    ('Q-2', 'qc', ARRAY[9, 8, 7, 10, 6, 9], ARRAY[4, 4, 3, 5, 2, 4], ARRAY[2, 2, 3, 1, 4, 2], ARRAY[2, 2, 3, 1, 4, 2]),
    ('Q-2', 'qd', ARRAY[9, 10], ARRAY[4, 5], ARRAY[2, 1], ARRAY[1, 2])) v(w, t, n, e, l, h),
       LATERAL generate_series(1, cardinality(n)) u(i);
SELECT jsonb_agg(jsonb_build_object('type', 'survey', 'response_id', a.wave || a.team || a.i || q.question,
                                    'wave', a.wave, 'team', a.team, 'question', q.question, 'score', q.score,
                                    'submission_id', md5(a.wave || a.team || a.i)::uuid)) AS batch
  FROM answers a, LATERAL (VALUES ('nps', a.nps), ('ease', a.ease), ('load', a.load), ('lost', a.lost)) q(question, score) \gset
SET SESSION AUTHORIZATION regress_pm_qw;
SELECT * FROM ingest(:'batch');
RESET SESSION AUTHORIZATION;
UPDATE survey_waves SET closed_at = '2026-06-01' WHERE wave IN ('Q-1', 'Q-2');

-- The independent figures, from the raw answers as a superuser.
CREATE TEMP TABLE raw AS
SELECT r.wave, r.team, r.question, r.score, r.submission_id, q.reverse_coded, q.favorable_from,
       CASE WHEN q.reverse_coded THEN r.score <= q.favorable_from ELSE r.score >= q.favorable_from END AS fav,
       CASE WHEN q.reverse_coded THEN q.low + q.high - r.score ELSE r.score END AS oriented,
       (q.bucket_hours)[r.score - q.low + 1] AS hours, t.headcount
  FROM survey_responses r JOIN survey_questions q USING (question) JOIN teams t USING (team)
 WHERE r.wave IN ('Q-1', 'Q-2');
-- Wilson's interval, written out: (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n),
-- z = 1.959963984540054 times the finite-population factor sqrt((N - n)/(N - 1))
CREATE FUNCTION pg_temp.wilson(k float8, n float8, pop float8, hi boolean) RETURNS float8 LANGUAGE sql AS $$
    SELECT (p + z * z / (2 * n) + CASE WHEN hi THEN 1 ELSE -1 END * z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)
      FROM (SELECT k / n AS p, 1.959963984540054 * CASE WHEN pop IS NULL THEN 1 ELSE sqrt((pop - n) / (pop - 1)) END AS z) x
$$;
CREATE FUNCTION pg_temp.near(a float8, b float8) RETURNS boolean LANGUAGE sql
    RETURN (a IS NULL AND b IS NULL) OR abs(a - b) < 1e-9;
-- t(0.975) for the degrees of freedom the tests meet (R: qt(0.975, df))
SELECT round(t_quantile(0.975, 9)::numeric, 10) AS t9, round(t_quantile(0.975, 7)::numeric, 10) AS t7,
       round(t_quantile(0.975, 24)::numeric, 10) AS t24, round(normal_quantile(0.975)::numeric, 12) AS z;

SET SESSION AUTHORIZATION regress_pm_qr;
CREATE TEMP TABLE seen_scores AS SELECT * FROM question_scores WHERE wave LIKE 'Q-%';
CREATE TEMP TABLE seen_teams AS SELECT * FROM question_scores_by_team WHERE wave LIKE 'Q-%';
CREATE TEMP TABLE seen_index AS SELECT * FROM devex_index WHERE wave LIKE 'Q-%';
CREATE TEMP TABLE seen_drivers AS SELECT * FROM survey_drivers WHERE wave LIKE 'Q-%';
CREATE TEMP TABLE seen_cost AS SELECT * FROM time_cost WHERE wave LIKE 'Q-%';
RESET SESSION AUTHORIZATION;

-- What is shown: the suppression pattern above, the same for every question of a wave here
SELECT wave, question, string_agg(team || CASE WHEN suppressed THEN ' hidden' ELSE ' ' || responses END, ', ' ORDER BY team) AS teams
  FROM seen_teams GROUP BY wave, question ORDER BY wave, question;
SELECT wave, question, responses, round(favorable_share::numeric, 4) AS share, round(favorable_low::numeric, 4) AS low,
       round(favorable_high::numeric, 4) AS high, round(mean_score::numeric, 3) AS mean,
       round(weighted_share::numeric, 4) AS weighted, round(effective_n::numeric, 2) AS n_eff,
       round(change::numeric, 4) AS change, round(p_value::numeric, 4) AS p, round(q_value::numeric, 4) AS q, significant, suppressed
  FROM seen_scores ORDER BY wave, question;

-- question_scores against the raw answers: counts, share, Wilson with the
-- population of every team (33), mean and its t-interval
WITH truth AS (
    SELECT wave, question, count(*) AS n, avg(fav::int) AS share, avg(score) AS mean, stddev_samp(score) AS sd,
           count(*) FILTER (WHERE fav) AS k
      FROM raw GROUP BY wave, question)
SELECT s.wave, s.question,
       s.responses = t.n AS responses_ok,
       pg_temp.near(s.favorable_share, t.share) AS share_ok,
       pg_temp.near(s.favorable_low, pg_temp.wilson(t.k, t.n, 33, false)) AND pg_temp.near(s.favorable_high, pg_temp.wilson(t.k, t.n, 33, true)) AS wilson_ok,
       pg_temp.near(s.mean_score, t.mean::float8) AS mean_ok,
       pg_temp.near(s.mean_high - s.mean_score, t_quantile(0.975, t.n - 1) * t.sd::float8 / sqrt(t.n) * sqrt((33 - t.n) / 32.0))
           AND pg_temp.near(s.mean_score - s.mean_low, s.mean_high - s.mean_score) AS mean_ci_ok
  FROM seen_scores s JOIN truth t USING (wave, question) ORDER BY 1, 2;

-- the weighted share: strata = the shown teams, and the hidden teams as one;
-- weight headcount / answers; Kish's n_eff = (sum w)^2 / sum w^2 over answers
WITH cells AS (
    SELECT r.wave, r.question, CASE WHEN st.suppressed THEN 'hidden' ELSE r.team END AS stratum,
           count(*) AS n, count(*) FILTER (WHERE r.fav) AS k, max(r.headcount) AS headcount, r.team
      FROM raw r JOIN seen_teams st ON st.wave = r.wave AND st.team = r.team AND st.question = r.question
     GROUP BY r.wave, r.question, r.team, st.suppressed),
strata AS (
    SELECT wave, question, stratum, sum(n) AS n, sum(k) AS k, sum(headcount) AS headcount FROM cells GROUP BY 1, 2, 3),
w AS (
    SELECT wave, question, sum(headcount * k::float8 / n) / sum(headcount) AS share,
           sum(headcount)::float8 ^ 2 / sum(n * (headcount::float8 / n) ^ 2) AS n_eff
      FROM strata GROUP BY 1, 2)
SELECT s.wave, s.question, pg_temp.near(s.weighted_share, w.share) AS weighted_ok, pg_temp.near(s.effective_n, w.n_eff) AS n_eff_ok,
       pg_temp.near(s.weighted_low, pg_temp.wilson(w.share * w.n_eff, w.n_eff, NULL, false))
           AND pg_temp.near(s.weighted_high, pg_temp.wilson(w.share * w.n_eff, w.n_eff, NULL, true)) AS interval_ok
  FROM seen_scores s JOIN w USING (wave, question) ORDER BY 1, 2;

-- change and p-value: the pooled two-proportion z statistic from the counts
-- is the normal quantile of 1 - p/2; the q-values are Benjamini-Hochberg's
-- over the wave's questions, written out (m p(i) / i, then the running minimum
-- from the largest)
WITH c AS (
    SELECT question, count(*) FILTER (WHERE wave = 'Q-1') AS n1, count(*) FILTER (WHERE wave = 'Q-1' AND fav) AS k1,
           count(*) FILTER (WHERE wave = 'Q-2') AS n2, count(*) FILTER (WHERE wave = 'Q-2' AND fav) AS k2
      FROM raw GROUP BY question),
z AS (
    SELECT question, abs(k2::float8 / n2 - k1::float8 / n1)
               / sqrt(((k1 + k2)::float8 / (n1 + n2)) * (1 - (k1 + k2)::float8 / (n1 + n2)) * (1.0 / n1 + 1.0 / n2)) AS z,
           k2::float8 / n2 - k1::float8 / n1 AS change
      FROM c),
bh AS (
    SELECT question, p_value, min(m * p_value / i) OVER (ORDER BY i DESC) AS q
      FROM (SELECT question, p_value, row_number() OVER (ORDER BY p_value) AS i, count(*) OVER () AS m
              FROM seen_scores WHERE wave = 'Q-2') x)
SELECT s.question, pg_temp.near(s.change, z.change) AS change_ok,
       abs(normal_quantile(1 - s.p_value / 2) - z.z) < 1e-6 AS p_value_ok,
       pg_temp.near(s.q_value, least(bh.q, 1)) AS q_value_ok, s.significant = (bh.q < 0.05) AS significant_ok
  FROM seen_scores s JOIN z USING (question) JOIN bh USING (question) WHERE s.wave = 'Q-2' ORDER BY 1;
SELECT count(*) FILTER (WHERE p_value IS NOT NULL) AS first_wave_has_no_change FROM seen_scores WHERE wave = 'Q-1';

-- by team: the team against everyone else in the wave, for the shown teams;
-- Wilson with the team's headcount; the BH q-values over the wave's cells
WITH truth AS (
    SELECT a.wave, a.team, a.question, count(*) AS n, count(*) FILTER (WHERE a.fav) AS k, max(a.headcount) AS headcount,
           (SELECT avg(b.fav::int) FROM raw b WHERE b.wave = a.wave AND b.question = a.question AND b.team <> a.team) AS rest,
           avg(a.score) AS mean, stddev_samp(a.score) AS sd
      FROM raw a GROUP BY a.wave, a.team, a.question),
bh AS (
    SELECT wave, team, question, min(m * p_value / i) OVER (PARTITION BY wave ORDER BY i DESC) AS q
      FROM (SELECT wave, team, question, p_value, row_number() OVER (PARTITION BY wave ORDER BY p_value) AS i,
                   count(p_value) OVER (PARTITION BY wave) AS m
              FROM seen_teams WHERE p_value IS NOT NULL) x)
SELECT s.wave, s.team, s.question,
       pg_temp.near(s.favorable_share, t.k::float8 / t.n) AS share_ok,
       pg_temp.near(s.favorable_low, pg_temp.wilson(t.k, t.n, t.headcount, false)) AS wilson_ok,
       pg_temp.near(s.mean_high - s.mean_score, t_quantile(0.975, t.n - 1) * t.sd::float8 / sqrt(t.n) * sqrt((t.headcount - t.n)::float8 / (t.headcount - 1))) AS mean_ci_ok,
       pg_temp.near(s.rest_share, t.rest::float8) AS rest_ok,
       pg_temp.near(s.difference, t.k::float8 / t.n - t.rest::float8) AS difference_ok,
       pg_temp.near(s.q_value, least(bh.q, 1)) AS q_ok
  FROM seen_teams s JOIN truth t USING (wave, team, question) JOIN bh USING (wave, team, question)
 WHERE NOT s.suppressed ORDER BY 1, 2, 3;
-- a hidden cell shows no number at all
SELECT count(*) AS hidden_cells,
       count(*) FILTER (WHERE num_nulls(responses, favorable_share, favorable_low, favorable_high, mean_score, mean_low, mean_high,
                                        rest_share, difference, p_value, q_value) = 11) AS all_null
  FROM seen_teams WHERE suppressed;

-- devex_index: the mean of the index questions' favourable shares (ease and
-- load); its interval from the respondents' own index (share of their index
-- answers that are favourable), t with n - 1 df, finite-population corrected;
-- Cronbach's alpha of the oriented answers, written out:
-- k/(k-1) (1 - sum of item variances / variance of the totals)
WITH items AS (
    SELECT wave, question, avg(fav::int) AS share FROM raw WHERE question IN ('ease', 'load') GROUP BY 1, 2),
person AS (
    SELECT wave, submission_id, avg(fav::int)::float8 AS y, sum(oriented) AS total
      FROM raw WHERE question IN ('ease', 'load') GROUP BY 1, 2),
spread AS (
    SELECT wave, count(*) AS n, stddev_samp(y) AS sd, var_samp(total) AS total_var FROM person GROUP BY 1),
item_var AS (
    SELECT wave, sum(v) AS v FROM (SELECT wave, question, var_samp(oriented) AS v FROM raw
                                    WHERE question IN ('ease', 'load') GROUP BY 1, 2) x GROUP BY 1)
SELECT d.wave, round(d.index::numeric, 4) AS index, round(d.alpha::numeric, 4) AS alpha, d.complete_respondents,
       pg_temp.near(d.index, (SELECT avg(share)::float8 FROM items i WHERE i.wave = d.wave)) AS index_ok,
       pg_temp.near(d.index_high - d.index, t_quantile(0.975, s.n - 1) * s.sd / sqrt(s.n) * sqrt((33 - s.n)::float8 / 32)) AS interval_ok,
       pg_temp.near(d.alpha, 2.0 * (1 - iv.v / s.total_var)) AS alpha_ok,
       d.alpha_low < d.alpha AND d.alpha < d.alpha_high AS feldt_brackets
  FROM seen_index d JOIN spread s USING (wave) JOIN item_var iv USING (wave)
 WHERE d.team IS NULL ORDER BY 1;
-- per team: qa and qb in Q-2 (their cells are all shown); the others hidden
SELECT wave, team, questions, round(index::numeric, 4) AS index, suppressed,
       pg_temp.near(index, (SELECT avg(x.share) FROM (SELECT avg(fav::int)::float8 AS share FROM raw r
                                                       WHERE r.wave = d.wave AND r.team = d.team AND r.question IN ('ease', 'load')
                                                       GROUP BY r.question) x)) AS index_ok
  FROM seen_index d WHERE team IS NOT NULL ORDER BY 1, 2;

-- One answer without a submission id: the complete respondents are no longer
-- all of Q-2's answers, so their figures would tell the other's by
-- difference: no alpha, and the interval from the questions' variances as if
-- independent, z sqrt(sum p(1-p)/n) / questions
INSERT INTO survey_responses (response_id, wave, team, question, score) VALUES ('Q-2-unlinked', 'Q-2', 'qa', 'ease', 5);
SET SESSION AUTHORIZATION regress_pm_qr;
CREATE TEMP TABLE seen_index2 AS SELECT * FROM devex_index WHERE wave = 'Q-2' AND team IS NULL;
RESET SESSION AUTHORIZATION;
WITH items AS (
    SELECT r.question, avg(CASE WHEN q.reverse_coded THEN r.score <= q.favorable_from ELSE r.score >= q.favorable_from END::int)::float8 AS p,
           count(*) AS n
      FROM survey_responses r JOIN survey_questions q USING (question)
     WHERE r.wave = 'Q-2' AND r.question IN ('ease', 'load') GROUP BY r.question)
SELECT d.alpha IS NULL AND d.alpha_low IS NULL AND d.complete_respondents IS NULL AS no_alpha,
       pg_temp.near(d.index, (SELECT avg(p) FROM items)) AS index_ok,
       pg_temp.near(d.index_high - d.index, 1.959963984540054 * sqrt((SELECT sum(p * (1 - p) / n) FROM items)) / 2) AS interval_ok
  FROM seen_index2 d;
DELETE FROM survey_responses WHERE response_id = 'Q-2-unlinked';
DROP TABLE seen_index2;

-- survey_drivers: Spearman's rho as Pearson's correlation of mid-ranks,
-- the mid-ranks counted directly (values below, plus half the ties after
-- the first), and the Fisher-z interval with Bonett and Wright's variance
WITH pairs AS (
    SELECT a.wave, a.question, a.oriented::float8 AS x, n.score::float8 AS y
      FROM raw a JOIN raw n ON n.wave = a.wave AND n.submission_id = a.submission_id AND n.question = 'nps'
     WHERE a.question <> 'nps'),
ranked AS (
    SELECT p.wave, p.question,
           (SELECT count(*) FROM pairs o WHERE o.wave = p.wave AND o.question = p.question AND o.x < p.x)
             + ((SELECT count(*) FROM pairs o WHERE o.wave = p.wave AND o.question = p.question AND o.x = p.x) + 1) / 2.0 AS rx,
           (SELECT count(*) FROM pairs o WHERE o.wave = p.wave AND o.question = p.question AND o.y < p.y)
             + ((SELECT count(*) FROM pairs o WHERE o.wave = p.wave AND o.question = p.question AND o.y = p.y) + 1) / 2.0 AS ry
      FROM pairs p),
rho AS (
    SELECT wave, question, count(*) AS n, corr(rx, ry) AS r FROM ranked GROUP BY 1, 2)
SELECT d.wave, d.question, d.pairs, round(d.spearman::numeric, 4) AS spearman, round(d.favorable_share::numeric, 4) AS share,
       d.priority, pg_temp.near(d.spearman, r.r) AS rho_ok,
       pg_temp.near(d.spearman_low, tanh(atanh(r.r) - 1.959963984540054 * sqrt((1 + r.r ^ 2 / 2) / (r.n - 3)))) AS low_ok,
       pg_temp.near(d.spearman_high, tanh(atanh(r.r) + 1.959963984540054 * sqrt((1 + r.r ^ 2 / 2) / (r.n - 3)))) AS high_ok
  FROM seen_drivers d JOIN rho r USING (wave, question) ORDER BY 1, d.priority;

-- time_cost: each answer as its hours, mean and t-interval (finite-population
-- corrected with the headcount), times the headcount
WITH truth AS (
    SELECT wave, team, count(*) AS n, avg(hours) AS mean, stddev_samp(hours) AS sd, max(headcount) AS headcount
      FROM raw WHERE question = 'lost' GROUP BY GROUPING SETS ((wave), (wave, team)))
SELECT c.wave, c.team, c.responses, round(c.mean_hours::numeric, 3) AS mean_hours, round(c.mean_low::numeric, 3) AS low,
       round(c.mean_high::numeric, 3) AS high, c.headcount,
       round(c.hours_per_week::numeric, 2) AS hours_per_week, c.is_cost, c.suppressed,
       pg_temp.near(c.mean_hours, t.mean) AS mean_ok,
       pg_temp.near(c.mean_high - c.mean_hours,
                    t_quantile(0.975, t.n - 1) * t.sd / sqrt(t.n)
                    * sqrt((CASE WHEN t.team IS NULL THEN 33 ELSE t.headcount END - t.n)::float8
                         / (CASE WHEN t.team IS NULL THEN 33 ELSE t.headcount END - 1))) AS interval_ok,
       pg_temp.near(c.hours_per_week, c.mean_hours * c.headcount) AS total_ok
  FROM seen_cost c JOIN truth t ON t.wave = c.wave AND t.team IS NOT DISTINCT FROM c.team
 ORDER BY 1, 2 NULLS FIRST;

-- Comments come with their question; a team hidden for a question shows no
-- comment to it
SET platform_metrics.min_comment_group_size = 5;
UPDATE survey_responses SET comment = 'comment ' || response_id WHERE wave = 'Q-2' AND question IN ('ease', 'nps') AND team IN ('qa', 'qc');
SET SESSION AUTHORIZATION regress_pm_qr;
SELECT wave, team, question, count(*) AS comments FROM survey_comments WHERE wave LIKE 'Q-%' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
RESET SESSION AUTHORIZATION;
RESET platform_metrics.min_comment_group_size;

-- The NPS views read question nps only: the other questions change nothing
SET SESSION AUTHORIZATION regress_pm_qr;
SELECT wave, responses, promoters, passives, detractors, suppressed FROM nps_by_survey WHERE wave LIKE 'Q-%' ORDER BY 1;
RESET SESSION AUTHORIZATION;
SELECT wave, count(*) AS nps_answers, count(*) FILTER (WHERE score >= 9) AS promoters
  FROM survey_responses WHERE question = 'nps' AND wave LIKE 'Q-%' GROUP BY 1 ORDER BY 1;

DROP TABLE seen_scores, seen_teams, seen_index, seen_drivers, seen_cost;
DROP ROLE regress_pm_qr, regress_pm_qw, regress_pm_qa;
TRUNCATE survey_responses, survey_waves, teams CASCADE;
DELETE FROM survey_questions WHERE question <> 'nps';
