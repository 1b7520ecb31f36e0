-- The attack suite: survey anonymity against insiders, each attack run as the
-- roles themselves (SET SESSION AUTHORIZATION, so no superuser exemption
-- applies), and the suppression rule checked by solving, for 300 random small
-- waves, the bounds that the published numbers leave on each hidden team.
SET search_path = public, platform_metrics;
SET TimeZone = 'UTC';
SET extra_float_digits = 0;
CREATE ROLE regress_pm_w IN ROLE platform_metrics_writer;
CREATE ROLE regress_pm_adm IN ROLE platform_metrics_admin;
CREATE ROLE regress_pm_r IN ROLE platform_metrics_reader;

-- survey_text(): everything a reader can read of the survey views, as one text
CREATE FUNCTION pm_test.survey_text() RETURNS text LANGUAGE sql AS $$
    SELECT concat_ws(E'\n',
        (SELECT string_agg(x::text, E'\n' ORDER BY x::text) FROM platform_metrics.nps_by_survey x),
        (SELECT string_agg(x::text, E'\n' ORDER BY x::text) FROM platform_metrics.nps_by_team x),
        (SELECT string_agg(x::text, E'\n' ORDER BY x::text) FROM platform_metrics.nps_trend x),
        (SELECT string_agg(x::text, E'\n' ORDER BY x::text) FROM platform_metrics.survey_comments x),
        (SELECT string_agg(x::text, E'\n' ORDER BY x::text) FROM platform_metrics.capability_quadrants x),
        (SELECT string_agg(x::text, E'\n' ORDER BY x::text) FROM platform_metrics.question_scores x),
        (SELECT string_agg(x::text, E'\n' ORDER BY x::text) FROM platform_metrics.question_scores_by_team x),
        (SELECT string_agg(x::text, E'\n' ORDER BY x::text) FROM platform_metrics.devex_index x),
        (SELECT string_agg(x::text, E'\n' ORDER BY x::text) FROM platform_metrics.survey_drivers x),
        (SELECT string_agg(x::text, E'\n' ORDER BY x::text) FROM platform_metrics.time_cost x))
$$;

-- The admin registers teams, capabilities and waves ------------------------
SET SESSION AUTHORIZATION regress_pm_adm;
INSERT INTO teams (team, headcount) VALUES
    ('big1', 20), ('big2', 20), ('mid', 12), ('small1', 12), ('small2', 4), ('d', 6);
INSERT INTO capabilities (capability, mandatory, launched_at) VALUES
    ('vault', false, '2025-01-01'), ('ci', true, '2025-01-01'), ('docs', false, '2025-01-01');
INSERT INTO survey_waves (wave, opened_at) VALUES
    ('ZZ-old', '2025-01-01'), ('A-0', '2025-10-01'), ('A-1', '2026-01-01'), ('A-2', '2026-04-01');
INSERT INTO survey_questions (question, scale) VALUES ('zz-pad', 'likert');
-- but reads no answers and no view, and writes no answer
SELECT pm_test.error_of(q) AS admin_may_not FROM unnest(ARRAY[
  'SELECT count(*) FROM platform_metrics.survey_responses',
  'SELECT count(*) FROM platform_metrics.nps_by_team',
  $$INSERT INTO platform_metrics.survey_responses (response_id, wave, team, score) VALUES ('x', 'A-1', 'd', 1)$$,
  $$SELECT * FROM platform_metrics.ingest('[]')$$
]) q;
RESET SESSION AUTHORIZATION;

-- The writer ingests the answers while the waves are open ------------------
SET SESSION AUTHORIZATION regress_pm_w;
-- ZZ-old: an old wave (opened first) whose name sorts last, with vault answers
SELECT * FROM ingest((SELECT jsonb_agg(jsonb_build_object('type', 'survey', 'response_id', 'old-' || i, 'wave', 'ZZ-old',
                                                          'team', 'big1', 'capability', 'vault', 'score', 10))
                        FROM generate_series(1, 8) i));
-- A-0: no passive in the whole wave, and a small team
SELECT * FROM ingest((SELECT jsonb_agg(jsonb_build_object('type', 'survey', 'response_id', 'a0-' || t || '-' || i,
                                                          'wave', 'A-0', 'team', t, 'score', s))
                        FROM (VALUES ('big1', ARRAY[10, 10, 9, 9, 9, 0, 1, 2, 3, 10]), ('big2', ARRAY[9, 9, 9, 10, 0, 0, 5, 6]),
                                     ('small2', ARRAY[10, 0])) v(t, scores),
                             unnest(scores) WITH ORDINALITY u(s, i)));
-- A-1: the homogeneous remainder.  small1 and small2 answered 3 times each,
-- all detractors; hiding just them (3 + 3 >= 5, the 1.2 rule) left "wave
-- minus shown teams" = 6 detractors: both teams disclosed.
--   big1:   10 10 9 9 8 7 6 5 3 1   (P4 Pa2 D4)
--   big2:   10 9 9 8 7 7 4 2 0      (P3 Pa3 D3)
--   mid:    10 9 8 6 5 4 2          (P2 Pa1 D4)  -- 7 answers
--   d:      9 8 7 6 5 3             (P1 Pa2 D3)  -- 6 answers
--   small1: 0 3 6; small2: 1 2 4    (D3 each)
SELECT * FROM ingest((SELECT jsonb_agg(jsonb_build_object('type', 'survey', 'response_id', 'a1-' || t || '-' || i,
                                                          'wave', 'A-1', 'team', t, 'score', s,
                                                          'comment', CASE WHEN i = 1 THEN 'platform comment from ' || t
                                                                          WHEN t = 'big1' THEN 'big1 says ' || (i * 7) % 10 END))
                        FROM (VALUES ('big1', ARRAY[10, 10, 9, 9, 8, 7, 6, 5, 3, 1]), ('big2', ARRAY[10, 9, 9, 8, 7, 7, 4, 2, 0]),
                                     ('mid', ARRAY[10, 9, 8, 6, 5, 4, 2]), ('d', ARRAY[9, 8, 7, 6, 5, 3]),
                                     ('small1', ARRAY[0, 3, 6]), ('small2', ARRAY[1, 2, 4])) v(t, scores),
                             unnest(scores) WITH ORDINALITY u(s, i)));
-- comment attacks: the one person of d who rates vault; 10 people of small1
-- rating ci (its 3 platform answers must still not show their comments); 10
-- answers to another question padding small2 (an unregistered one is refused)
SELECT * FROM ingest(jsonb_build_array(jsonb_build_object('type', 'survey', 'response_id', 'a1-d-vault', 'wave', 'A-1',
    'team', 'd', 'capability', 'vault', 'score', 2, 'comment', 'only I use vault in team d')));
-- (and, for the matrix: vault rated 5 more times in A-1, docs only twice)
SELECT * FROM ingest((SELECT jsonb_agg(jsonb_build_object('type', 'survey', 'response_id', 'a1-' || c || '-' || i, 'wave', 'A-1',
                                                          'team', 'big2', 'capability', c, 'score', 9))
                        FROM (VALUES ('vault', 5), ('docs', 2)) v(c, k), generate_series(1, k) i));
SELECT * FROM ingest((SELECT jsonb_agg(jsonb_build_object('type', 'survey', 'response_id', 'a1-small1-ci-' || i, 'wave', 'A-1',
                                                          'team', 'small1', 'capability', 'ci', 'score', 4 + i % 7))
                        FROM generate_series(1, 10) i));
SELECT pm_test.error_of($$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "a1-pad-0", "wave": "A-1",
    "team": "small2", "question": "invented", "score": 5, "comment": "pad"}]')$$) AS unregistered_question;
SELECT * FROM ingest((SELECT jsonb_agg(jsonb_build_object('type', 'survey', 'response_id', 'a1-pad-' || i, 'wave', 'A-1',
                                                          'team', 'small2', 'question', 'zz-pad', 'score', 5, 'comment', 'pad ' || i))
                        FROM generate_series(1, 10) i));
-- A-2 is still collecting
SELECT * FROM ingest((SELECT jsonb_agg(jsonb_build_object('type', 'survey', 'response_id', 'a2-' || t || '-' || i,
                                                          'wave', 'A-2', 'team', t, 'score', 5 + i, 'comment', 'live ' || t))
                        FROM unnest(ARRAY['big1', 'big2', 'small2']) t, generate_series(1, 3) i));
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION regress_pm_adm;
UPDATE survey_waves SET closed_at = '2026-03-01' WHERE wave IN ('ZZ-old', 'A-0', 'A-1');
RESET SESSION AUTHORIZATION;

-- 1. Live differencing --------------------------------------------------------
-- A reader polls every survey view while one more answer lands in the open
-- wave (small2's fourth, a promoter): nothing of the views changes; only the
-- wave-level count in survey_progress moves.  (survey_progress shows no count
-- under 5, nor that of A-0, whose total is suppressed.)
SET SESSION AUTHORIZATION regress_pm_r;
CREATE TEMP TABLE before_answer AS SELECT pm_test.survey_text() AS t;
SELECT wave, responses, closed_at IS NULL AS open FROM survey_progress ORDER BY wave;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION regress_pm_w;
SELECT * FROM ingest('[{"type": "survey", "response_id": "a2-small2-4", "wave": "A-2", "team": "small2", "score": 10, "comment": "new"}]');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION regress_pm_r;
SELECT (SELECT t FROM before_answer) = pm_test.survey_text() AS views_unchanged,
       pm_test.survey_text() NOT LIKE '%A-2%' AS open_wave_not_shown;
SELECT wave, responses FROM survey_progress WHERE wave = 'A-2';
RESET SESSION AUTHORIZATION;

-- 2. Homogeneous remainders -----------------------------------------------------
-- A-1: small1 and small2 hide (D6), then the next-smallest until the hidden
-- answers have two of every category: d (6: P1 Pa2 D3) gives P1 Pa2 D9, one
-- promoter short; mid (7: P2 Pa1 D4) gives P3 Pa3 D13, 19 answers in four
-- teams.  The big teams show.
SET SESSION AUTHORIZATION regress_pm_r;
SELECT wave, team, responses, promoters, passives, detractors, suppressed FROM nps_by_team
 WHERE wave IN ('A-0', 'A-1') ORDER BY wave, team;
-- the attacker's subtraction: wave total minus the shown teams
SELECT s.wave, s.promoters - sum(t.promoters) AS hidden_promoters, s.passives - sum(t.passives) AS hidden_passives,
       s.detractors - sum(t.detractors) AS hidden_detractors, s.responses - sum(t.responses) AS hidden_answers
  FROM nps_by_survey s JOIN nps_by_team t ON t.wave = s.wave AND NOT t.suppressed
 WHERE s.wave = 'A-1' GROUP BY s.wave, s.promoters, s.passives, s.detractors, s.responses;
-- A-0 has no passive at all and a small team: no set of hidden teams has every
-- category, so every team and the wave's total are hidden (the total alone
-- would say that none of small2's answers is a passive)
SELECT wave, responses, nps, suppressed FROM nps_by_survey ORDER BY wave;
SELECT wave, nps, previous_nps, p_value FROM nps_trend ORDER BY wave;

-- 3. Comments by their own group ------------------------------------------------
-- At the default threshold (10) only big1's platform comments show (10
-- answers): not d's vault comment (1), not small1's (3 platform answers,
-- whatever its 10 ci answers), nothing of the open wave; small2's padding
-- shows as its own group (10 answers to zz-pad: a forging writer's, README)
-- but makes no platform comment of small2 show.  They come sorted, not in the
-- order they arrived (which would tell whose is whose to someone who saw
-- them answer).
SELECT wave, team, capability, question, comment FROM survey_comments;
RESET SESSION AUTHORIZATION;
-- At a threshold of 6, the platform answers of d (6) and mid (7) would
-- qualify, but both are hidden in nps_by_team (complementary suppression):
-- their comments stay hidden, or their number would tell their size.
SET platform_metrics.min_comment_group_size = 6;
SET SESSION AUTHORIZATION regress_pm_r;
SELECT team, count(*) AS comments FROM survey_comments GROUP BY team ORDER BY team;
RESET SESSION AUTHORIZATION;
RESET platform_metrics.min_comment_group_size;
SET SESSION AUTHORIZATION regress_pm_r;

-- 4. The Mandate-Choice matrix reads the latest wave by opening, not by name:
-- ZZ-old's vault answers (8, opened first) are not the latest, A-1's (6) are.
-- docs, rated twice, names no wave.
SELECT capability, wave, responses, nps, suppressed FROM capability_quadrants ORDER BY capability;

-- 5. What the reader can see of the catalog: counts, never scores ---------------
SELECT count(*) AS pg_stats_rows FROM pg_stats WHERE schemaname = 'platform_metrics' AND tablename = 'survey_responses';
-- a search_path of the reader's choosing, with its own functions first,
-- changes nothing the views compute (every name in them is qualified)
CREATE TEMP TABLE with_own_path AS SELECT pm_test.survey_text() AS t;
CREATE FUNCTION pg_temp.min_group_size() RETURNS integer LANGUAGE sql RETURN 1;
CREATE FUNCTION pg_temp.responses(platform_metrics.nps_summary) RETURNS bigint LANGUAGE sql RETURN 0;
SET search_path = pg_temp, public, platform_metrics;
SELECT (SELECT t FROM with_own_path) = pm_test.survey_text() AS same_views;
RESET search_path;
SET search_path = public, platform_metrics;
DROP TABLE with_own_path;
DROP FUNCTION pg_temp.min_group_size(), pg_temp.responses(platform_metrics.nps_summary);
SELECT pm_test.error_of(q) AS reader_may_not FROM unnest(ARRAY[
  'SELECT count(*) FROM platform_metrics.survey_responses',
  'SELECT count(*) FROM platform_metrics.survey_waves',
  'SELECT count(*) FROM platform_metrics.pm_survey_cells',
  $$SELECT set_config('platform_metrics.min_group_size', '1', false)$$,
  'ALTER ROLE regress_pm_r SET platform_metrics.min_group_size = 1',
  $$UPDATE platform_metrics.survey_waves SET closed_at = NULL WHERE wave = 'A-1'$$
]) q;
RESET SESSION AUTHORIZATION;

-- 6. The writer writes and completes, and rewrites nothing -----------------------
INSERT INTO onboarding (subject, team, started_at) VALUES ('eng-1', 'd', '2026-02-01');
INSERT INTO feedback (feedback_id, team, received_at) VALUES ('fb-1', 'd', '2026-02-01');
SET SESSION AUTHORIZATION regress_pm_w;
UPDATE onboarding SET reached_at = '2026-02-05' WHERE subject = 'eng-1' AND milestone = 'first_deploy';
UPDATE feedback SET synthesized_at = '2026-02-02', theme = 'docs', acted_at = '2026-02-03', communicated_at = '2026-02-04'
 WHERE feedback_id = 'fb-1';
INSERT INTO usage_events VALUES ('u1', 'd', 'ci', '2026-02-01');
COPY unplanned_work (event_id, team, occurred_at, hours) FROM stdin;
w1	d	2026-02-01 00:00:00+00	1.5
\.
SELECT * FROM ingest('[{"type": "usage", "event_id": "u2", "team": "d", "capability": "ci", "occurred_at": "2026-02-02"}]');
-- A writer that knows a response_id (a1-d-vault: the one person of d who
-- rates vault, score 2) sends it again with every score, another team,
-- another comment, another capability: ingest() answers the same for each
-- guess (a duplicate, no warning), so it tells nothing of the stored answer.
SELECT count(DISTINCT (r.accepted, r.duplicates, r.conflicts)) AS distinct_outcomes,
       min(r.accepted) AS accepted, min(r.duplicates) AS duplicates, max(r.conflicts) AS conflicts, count(*) AS guesses
  FROM generate_series(0, 10) s, (VALUES ('d', 'vault', 'only I use vault in team d'), ('big1', 'ci', NULL)) g(team, capability, comment),
       LATERAL ingest(jsonb_build_array(jsonb_build_object('type', 'survey', 'response_id', 'a1-d-vault', 'wave', 'A-1',
           'team', g.team, 'capability', g.capability, 'score', s, 'comment', g.comment))) r;
SELECT pm_test.error_of(q) AS writer_may_not FROM unnest(ARRAY[
  $$UPDATE platform_metrics.onboarding SET team = 'big1' WHERE subject = 'eng-1'$$,
  $$UPDATE platform_metrics.onboarding SET started_at = '2026-01-01' WHERE subject = 'eng-1'$$,
  $$UPDATE platform_metrics.feedback SET team = 'big1' WHERE feedback_id = 'fb-1'$$,
  $$UPDATE platform_metrics.feedback SET received_at = '2026-01-01' WHERE feedback_id = 'fb-1'$$,
  'DELETE FROM platform_metrics.onboarding',
  'DELETE FROM platform_metrics.feedback',
  'DELETE FROM platform_metrics.usage_events',
  'TRUNCATE platform_metrics.survey_responses',
  $$INSERT INTO platform_metrics.teams (team, headcount) VALUES ('fake', 5)$$,
  $$INSERT INTO platform_metrics.capabilities (capability) VALUES ('fake')$$,
  $$INSERT INTO platform_metrics.survey_waves (wave) VALUES ('ZZZZ')$$,
  $$UPDATE platform_metrics.survey_waves SET opened_at = now()$$,
  $$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "z1", "wave": "ZZZZ", "team": "d", "score": 9}]')$$,
  $$INSERT INTO platform_metrics.survey_responses (response_id, wave, team, score) VALUES ('z1', 'ZZZZ', 'd', 9)$$,
  $$SELECT * FROM platform_metrics.ingest('[{"type": "survey", "response_id": "z1", "wave": "A-1", "team": "d", "score": 9}]')$$,
  $$INSERT INTO platform_metrics.survey_responses (response_id, wave, team, score) VALUES ('z1', 'A-1', 'd', 9)$$,
  'SELECT count(*) FROM platform_metrics.nps_by_team',
  'SELECT team FROM platform_metrics.feedback',
  'SELECT started_at FROM platform_metrics.onboarding'
]) q;
-- what a completion may read back: its keys and the completion columns
SELECT subject, reached_at FROM onboarding;
RESET SESSION AUTHORIZATION;
SELECT subject, team, started_at, reached_at FROM onboarding;
SELECT feedback_id, team, received_at, synthesized_at, theme, acted_at, communicated_at FROM feedback;

-- 7. The admin closes waves for good ------------------------------------------
SET SESSION AUTHORIZATION regress_pm_adm;
SELECT pm_test.error_of(q) AS admin_may_not FROM unnest(ARRAY[
  $$UPDATE platform_metrics.survey_waves SET closed_at = NULL WHERE wave = 'A-1'$$,
  $$UPDATE platform_metrics.survey_waves SET closed_at = '2026-03-02' WHERE wave = 'A-1'$$,
  $$UPDATE platform_metrics.survey_waves SET wave = 'A-1b' WHERE wave = 'A-1'$$,
  $$UPDATE platform_metrics.survey_waves SET closed_at = '2999-01-01' WHERE wave = 'A-2'$$,
  $$INSERT INTO platform_metrics.survey_waves (wave, closed_at) VALUES ('later', '2999-01-01')$$,
  $$UPDATE platform_metrics.survey_waves SET closed_at = '2026-03-01' WHERE wave = 'A-2'$$
]) q;
UPDATE survey_waves SET description = 'first quarter' WHERE wave = 'A-1';
SELECT wave, opened_at, closed_at, description FROM survey_waves ORDER BY opened_at;
RESET SESSION AUTHORIZATION;

-- 8. The rule, solved -------------------------------------------------------------
-- 300 random small waves of 2 to 6 teams with 1 to 14 answers each (skewed
-- small), a third of the teams answering all in one category.  The reader
-- keeps what the views publish; then, knowing the truth (and so granting the
-- attacker the number of answers of every hidden team), the bounds each
-- hidden team's category counts can take are solved from the published
-- numbers: with R the hidden remainder (wave total minus shown teams), the
-- count of category c in hidden team h lies in
--   [max(0, R_c - (R - n_h)), min(n_h, R_c)]
-- (exact bounds of a two-way table with known margins).  None may be a single
-- value, even for one of the hidden respondents, who can take their own
-- answer away first.  Weaker rules do pin some, so the test could fail: one
-- answer of every category in the remainder (safe from outsiders only), and
-- the 1.2 rule (hide the small teams and then the next-smallest until 5
-- answers are hidden).
SELECT setseed(0.11);
INSERT INTO teams (team, headcount) SELECT 'syn-' || i, 15 FROM generate_series(1, 6) i;
INSERT INTO survey_waves (wave, opened_at) SELECT 'syn-' || lpad(w::text, 3, '0'), '2025-06-01' FROM generate_series(1, 300) w;
CREATE TEMP TABLE syn_teams AS
SELECT w, t, 1 + floor(random() ^ 2 * 14)::int AS n, CASE WHEN random() < 1.0 / 3 THEN floor(random() * 3)::int END AS only
  FROM generate_series(1, 300) w, generate_series(1, 6) t
 WHERE t <= 2 + (w * 7919) % 5;
INSERT INTO survey_responses (response_id, wave, team, score)
SELECT format('syn-%s-%s-%s', s.w, s.t, i), 'syn-' || lpad(s.w::text, 3, '0'), 'syn-' || s.t,
       CASE coalesce(s.only, floor(random() * 3)::int) WHEN 0 THEN 9 + floor(random() * 2)::int
                                                       WHEN 1 THEN 7 + floor(random() * 2)::int
                                                       ELSE floor(random() * 7)::int END
  FROM syn_teams s, generate_series(1, s.n) i;
UPDATE survey_waves SET closed_at = '2025-07-01' WHERE wave LIKE 'syn-%';
SET SESSION AUTHORIZATION regress_pm_r;
CREATE TEMP TABLE seen_total AS SELECT * FROM nps_by_survey WHERE wave LIKE 'syn-%';
CREATE TEMP TABLE seen_team AS SELECT * FROM nps_by_team WHERE wave LIKE 'syn-%';
RESET SESSION AUTHORIZATION;
CREATE TEMP TABLE truth AS
SELECT wave, team, count(*) AS n, count(*) FILTER (WHERE score >= 9) AS p,
       count(*) FILTER (WHERE score BETWEEN 7 AND 8) AS pa, count(*) FILTER (WHERE score <= 6) AS d
  FROM survey_responses WHERE wave LIKE 'syn-%' AND capability IS NULL GROUP BY wave, team;
-- pinned(shown): per hidden team and category, the bounds left by the
-- published numbers when the teams in "shown" are visible; how many are a
-- single value
-- and, in the last column, the same when the attacker is one of the hidden
-- respondents (team h0, category c0) and takes their own answer away first
CREATE FUNCTION pg_temp.pinned(shown text)
    RETURNS TABLE (waves bigint, hidden_teams bigint, pinned bigint, pinned_for_a_respondent bigint) LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format($q$
    WITH vis AS (%s),
    tot AS (SELECT wave, sum(n) n, sum(p) p, sum(pa) pa, sum(d) d FROM truth GROUP BY wave),
    rem AS (SELECT t.wave, t.n - coalesce(sum(v.n), 0) AS n, t.p - coalesce(sum(v.p), 0) AS p,
                   t.pa - coalesce(sum(v.pa), 0) AS pa, t.d - coalesce(sum(v.d), 0) AS d
              FROM tot t LEFT JOIN vis v ON v.wave = t.wave GROUP BY t.wave, t.n, t.p, t.pa, t.d),
    hid AS (SELECT h.* FROM truth h WHERE NOT EXISTS (SELECT FROM vis v WHERE v.wave = h.wave AND v.team = h.team)),
    bounds AS (
        SELECT h.wave, h.team, c.cat, greatest(0, c.r - (r.n - h.n)) AS lo, least(h.n, c.r) AS hi
          FROM hid h JOIN rem r ON r.wave = h.wave
               CROSS JOIN LATERAL (VALUES ('p', r.p), ('pa', r.pa), ('d', r.d)) c(cat, r)),
    insider AS (
        SELECT h0.wave, h0.team AS h0, c0.cat AS c0
          FROM hid h0 CROSS JOIN LATERAL (VALUES ('p', h0.p), ('pa', h0.pa), ('d', h0.d)) c0(cat, x) WHERE c0.x > 0),
    ibounds AS (
        SELECT i.wave, greatest(0, (c.r - (c.cat = i.c0)::int) - ((r.n - 1) - (h.n - (h.team = i.h0)::int))) AS lo,
               least(h.n - (h.team = i.h0)::int, c.r - (c.cat = i.c0)::int) AS hi
          FROM insider i JOIN rem r ON r.wave = i.wave JOIN hid h ON h.wave = i.wave
               CROSS JOIN LATERAL (VALUES ('p', r.p), ('pa', r.pa), ('d', r.d)) c(cat, r)
         WHERE h.n - (h.team = i.h0)::int >= 1)
    SELECT (SELECT count(DISTINCT wave) FROM bounds), (SELECT count(DISTINCT (wave, team)) FROM bounds),
           (SELECT count(*) FILTER (WHERE lo = hi) FROM bounds), (SELECT count(*) FILTER (WHERE lo = hi) FROM ibounds)$q$, shown);
END $$;
-- the published numbers are the truth where shown
SELECT count(*) FILTER (WHERE s.suppressed) AS teams_hidden, count(*) FILTER (WHERE NOT s.suppressed) AS teams_shown,
       count(*) FILTER (WHERE NOT s.suppressed AND (s.responses, s.promoters, s.passives, s.detractors) IS DISTINCT FROM (t.n, t.p, t.pa, t.d)) AS shown_wrong,
       count(*) FILTER (WHERE t.n < 5 AND NOT s.suppressed) AS small_shown,
       count(*) FILTER (WHERE s.suppressed AND s.responses IS NOT NULL) AS hidden_with_counts
  FROM seen_team s JOIN truth t USING (wave, team);
SELECT count(*) FILTER (WHERE suppressed) AS totals_hidden, count(*) FILTER (WHERE NOT suppressed) AS totals_shown,
       count(*) FILTER (WHERE suppressed AND EXISTS (SELECT FROM seen_team t WHERE t.wave = s.wave AND NOT t.suppressed))
           AS hidden_totals_with_shown_teams
  FROM seen_total s;
-- with the totals shown, no hidden team's count of any category is pinned
-- (where a wave's total is hidden there is no remainder to subtract from: its
-- teams are passed as shown, so that they count for nothing here)
SELECT * FROM pg_temp.pinned($$SELECT t.* FROM truth t JOIN seen_team s USING (wave, team)
                               WHERE NOT s.suppressed AND t.wave IN (SELECT wave FROM seen_total WHERE NOT suppressed)
                              UNION ALL
                              SELECT t.* FROM truth t WHERE t.wave IN (SELECT wave FROM seen_total WHERE suppressed)$$);
-- a rule asking only one answer of every category in the remainder is safe
-- from outsiders but not from a hidden respondent
SELECT * FROM pg_temp.pinned($$
    SELECT t.wave, t.team, t.n, t.p, t.pa, t.d FROM (
        SELECT t.*, bool_or(t.n < 5) OVER w AS any_small,
               coalesce(sum(t.n) OVER b, 0) >= 5 AND coalesce(sum(t.p) OVER b, 0) > 0
               AND coalesce(sum(t.pa) OVER b, 0) > 0 AND coalesce(sum(t.d) OVER b, 0) > 0 AS safe_before,
               sum(t.n) OVER w >= 5 AND sum(t.p) OVER w > 0 AND sum(t.pa) OVER w > 0 AND sum(t.d) OVER w > 0 AS safe_all
          FROM truth t
        WINDOW w AS (PARTITION BY t.wave), b AS (w ORDER BY t.n < 5 DESC, t.n, t.team ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) t
     WHERE NOT (t.n < 5 OR (t.any_small AND NOT t.safe_before))
        OR (t.any_small AND NOT t.safe_all)     -- the total is hidden: nothing to subtract from
    $$);
-- the 1.2 rule on the same waves pins some
SELECT * FROM pg_temp.pinned($$
    SELECT t.wave, t.team, t.n, t.p, t.pa, t.d FROM (SELECT t.*, bool_or(t.n < 5) OVER w AS any_small,
                            coalesce(sum(t.n) OVER (w ORDER BY t.n < 5 DESC, t.n, t.team ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
                       FROM truth t WINDOW w AS (PARTITION BY t.wave)) t
     WHERE NOT (t.n < 5 OR (t.any_small AND t.before < 5))
    UNION ALL   -- (1.2 hid the totals under 5 too)
    SELECT t.* FROM truth t WHERE t.wave IN (SELECT wave FROM truth GROUP BY wave HAVING sum(n) < 5)$$);

-- 9. The rule for the other questions, solved ------------------------------------
-- The same 300 waves ask a 1..5 question (favourable: 4 and 5) of the same
-- respondents, a third of the teams answering all favourably or all not.
-- question_scores and question_scores_by_team publish each shown group's
-- answers, favourable share and mean: the categories are favourable and not,
-- and the bounds of each hidden team's favourable count are solved as above.
-- (The mean adds the remainder's sum, a statistic of its answers as a whole,
-- like its counts: any way of sharing the remainder's answers among the
-- hidden respondents agrees with everything published, so it pins nothing
-- the counts do not.)
INSERT INTO survey_questions (question, scale, dimension, in_index) VALUES ('syn-q', 'likert', 'syn', true);
INSERT INTO survey_responses (response_id, wave, team, question, score)
SELECT format('synq-%s-%s-%s', s.w, s.t, i), 'syn-' || lpad(s.w::text, 3, '0'), 'syn-' || s.t, 'syn-q',
       CASE coalesce(s.only % 2, floor(random() * 2)::int) WHEN 0 THEN 4 + floor(random() * 2)::int
                                                           ELSE 1 + floor(random() * 3)::int END
  FROM syn_teams s, generate_series(1, s.n) i;
SET SESSION AUTHORIZATION regress_pm_r;
CREATE TEMP TABLE seen_q_total AS SELECT * FROM question_scores WHERE wave LIKE 'syn-%' AND question = 'syn-q';
CREATE TEMP TABLE seen_q_team AS SELECT * FROM question_scores_by_team WHERE wave LIKE 'syn-%' AND question = 'syn-q';
CREATE TEMP TABLE seen_q_index AS SELECT * FROM devex_index WHERE wave LIKE 'syn-%' AND team IS NOT NULL;
RESET SESSION AUTHORIZATION;
CREATE TEMP TABLE qtruth AS
SELECT wave, team, count(*) AS n, count(*) FILTER (WHERE score >= 4) AS f, count(*) FILTER (WHERE score <= 3) AS u,
       avg(score) AS mean
  FROM survey_responses WHERE wave LIKE 'syn-%' AND question = 'syn-q' GROUP BY wave, team;
CREATE FUNCTION pg_temp.pinned_favorable(shown text)
    RETURNS TABLE (waves bigint, hidden_teams bigint, pinned bigint, pinned_for_a_respondent bigint) LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format($q$
    WITH vis AS (%s),
    tot AS (SELECT wave, sum(n) n, sum(f) f, sum(u) u FROM qtruth GROUP BY wave),
    rem AS (SELECT t.wave, t.n - coalesce(sum(v.n), 0) AS n, t.f - coalesce(sum(v.f), 0) AS f, t.u - coalesce(sum(v.u), 0) AS u
              FROM tot t LEFT JOIN vis v ON v.wave = t.wave GROUP BY t.wave, t.n, t.f, t.u),
    hid AS (SELECT h.* FROM qtruth h WHERE NOT EXISTS (SELECT FROM vis v WHERE v.wave = h.wave AND v.team = h.team)),
    bounds AS (
        SELECT h.wave, h.team, c.cat, greatest(0, c.r - (r.n - h.n)) AS lo, least(h.n, c.r) AS hi
          FROM hid h JOIN rem r ON r.wave = h.wave CROSS JOIN LATERAL (VALUES ('f', r.f), ('u', r.u)) c(cat, r)),
    insider AS (
        SELECT h0.wave, h0.team AS h0, c0.cat AS c0
          FROM hid h0 CROSS JOIN LATERAL (VALUES ('f', h0.f), ('u', h0.u)) c0(cat, x) WHERE c0.x > 0),
    ibounds AS (
        SELECT i.wave, greatest(0, (c.r - (c.cat = i.c0)::int) - ((r.n - 1) - (h.n - (h.team = i.h0)::int))) AS lo,
               least(h.n - (h.team = i.h0)::int, c.r - (c.cat = i.c0)::int) AS hi
          FROM insider i JOIN rem r ON r.wave = i.wave JOIN hid h ON h.wave = i.wave
               CROSS JOIN LATERAL (VALUES ('f', r.f), ('u', r.u)) c(cat, r)
         WHERE h.n - (h.team = i.h0)::int >= 1)
    SELECT (SELECT count(DISTINCT wave) FROM bounds), (SELECT count(DISTINCT (wave, team)) FROM bounds),
           (SELECT count(*) FILTER (WHERE lo = hi) FROM bounds), (SELECT count(*) FILTER (WHERE lo = hi) FROM ibounds)$q$, shown);
END $$;
-- the published numbers are the truth where shown, nothing where hidden
SELECT count(*) FILTER (WHERE s.suppressed) AS teams_hidden, count(*) FILTER (WHERE NOT s.suppressed) AS teams_shown,
       count(*) FILTER (WHERE NOT s.suppressed AND (s.responses, round(s.favorable_share * s.responses), round(s.mean_score::numeric, 9))
                        IS DISTINCT FROM (t.n, t.f, round(t.mean, 9))) AS shown_wrong,
       count(*) FILTER (WHERE t.n < 5 AND NOT s.suppressed) AS small_shown,
       count(*) FILTER (WHERE s.suppressed AND num_nonnulls(s.responses, s.favorable_share, s.mean_score, s.rest_share, s.p_value) > 0)
           AS hidden_with_numbers
  FROM seen_q_team s JOIN qtruth t USING (wave, team);
SELECT count(*) FILTER (WHERE suppressed) AS totals_hidden, count(*) FILTER (WHERE NOT suppressed) AS totals_shown,
       count(*) FILTER (WHERE suppressed AND EXISTS (SELECT FROM seen_q_team t WHERE t.wave = s.wave AND NOT t.suppressed))
           AS hidden_totals_with_shown_teams
  FROM seen_q_total s;
-- no hidden team's favourable count is pinned, for outsiders or hidden respondents
SELECT * FROM pg_temp.pinned_favorable($$SELECT t.* FROM qtruth t JOIN seen_q_team s USING (wave, team)
                                         WHERE NOT s.suppressed AND t.wave IN (SELECT wave FROM seen_q_total WHERE NOT suppressed)
                                        UNION ALL
                                        SELECT t.* FROM qtruth t WHERE t.wave IN (SELECT wave FROM seen_q_total WHERE suppressed)$$);
-- and the rule that hides the small teams only would pin some
SELECT * FROM pg_temp.pinned_favorable($$SELECT t.* FROM qtruth t WHERE t.n >= 5
                                        UNION ALL
                                        SELECT t.* FROM qtruth t WHERE t.wave IN (SELECT wave FROM qtruth GROUP BY wave HAVING sum(n) < 5)$$);
-- The weighted share tells nothing more: it is what the shown teams and the
-- remainder (total minus shown teams, weighted by the hidden teams'
-- headcount as one stratum) give
WITH shown AS (
    SELECT wave, sum(15 * favorable_share) AS wf, count(*) * 15 AS hc, sum(responses) AS n,
           sum(round(favorable_share * responses)) AS f
      FROM seen_q_team WHERE NOT suppressed GROUP BY wave),
hidden AS (
    SELECT wave, count(*) * 15 AS hc FROM seen_q_team WHERE suppressed GROUP BY wave)
SELECT count(*) AS waves,
       count(*) FILTER (WHERE abs(q.weighted_share
                                  - (coalesce(s.wf, 0) + coalesce(h.hc, 0) * coalesce((round(q.favorable_share * q.responses) - coalesce(s.f, 0))
                                                                                        / nullif(q.responses - coalesce(s.n, 0), 0), 0))
                                    / (coalesce(s.hc, 0) + coalesce(h.hc, 0))) < 1e-9) AS from_published
  FROM seen_q_total q LEFT JOIN shown s USING (wave) LEFT JOIN hidden h USING (wave)
 WHERE NOT q.suppressed;
-- The team index needs every index question of the team shown: where the
-- team is hidden for syn-q (the only index question of these waves), no index
SELECT count(*) AS team_index_rows,
       count(*) FILTER (WHERE i.index IS NOT NULL AND t.suppressed) AS index_of_hidden_team
  FROM seen_q_index i JOIN seen_q_team t USING (wave, team);

-- 10. A question of the nps scale other than nps is judged by what the
-- views publish of it: favourable or not (here reverse-coded, favourable 0
-- and 1), not promoters, passives and detractors.  small1 and small2 gave no
-- favourable answer, so the first team of ten by name (big1) is hidden too:
-- the hidden answers have 4 favourable of 16.
INSERT INTO survey_questions (question, scale, reverse_coded) VALUES ('incidents', 'nps', true);
INSERT INTO survey_waves (wave, opened_at) VALUES ('R-1', '2025-08-01');
INSERT INTO survey_responses (response_id, wave, team, question, score)
SELECT 'r1-' || t || '-' || i, 'R-1', t, 'incidents', s
  FROM (VALUES ('big1', ARRAY[0, 1, 2, 5, 7, 8, 9, 10, 0, 1]), ('big2', ARRAY[0, 1, 2, 5, 7, 8, 9, 10, 0, 1]),
               ('mid', ARRAY[0, 1, 2, 5, 7, 8, 9, 10, 0, 1]), ('small1', ARRAY[2, 7, 9]), ('small2', ARRAY[3, 8, 10])) v(t, scores),
       unnest(scores) WITH ORDINALITY u(s, i);
UPDATE survey_waves SET closed_at = '2025-09-01' WHERE wave = 'R-1';
SET SESSION AUTHORIZATION regress_pm_r;
SELECT team, responses, suppressed FROM question_scores_by_team WHERE wave = 'R-1' ORDER BY team;
SELECT q.responses - sum(t.responses) AS hidden_answers,
       round(q.favorable_share * q.responses) - sum(round(t.favorable_share * t.responses)) AS hidden_favourable
  FROM question_scores q JOIN question_scores_by_team t USING (wave, question)
 WHERE q.wave = 'R-1' AND NOT t.suppressed GROUP BY q.responses, q.favorable_share;
RESET SESSION AUTHORIZATION;

-- Leave nothing behind
DROP TABLE before_answer, seen_total, seen_team, truth, syn_teams, seen_q_total, seen_q_team, seen_q_index, qtruth;
DROP FUNCTION pg_temp.pinned(text), pg_temp.pinned_favorable(text);
DROP FUNCTION pm_test.survey_text();
TRUNCATE usage_events, survey_responses, survey_waves, onboarding, feedback, unplanned_work, capabilities, teams;
DELETE FROM survey_questions WHERE question <> 'nps';
DROP ROLE regress_pm_w, regress_pm_adm, regress_pm_r;
