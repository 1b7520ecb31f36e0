-- question_views.sql: every survey question scored, compared, prioritised and
-- weighted (since 1.4), from the same suppressed cells as the NPS views
-- (pm_survey_cells): a hidden group shows no number in any view.

-- The platform answers' cells (capability NULL) with the question's scoring.
CREATE OR REPLACE VIEW @extschema@.pm_question_cells WITH (security_barrier) AS
SELECT c.wave, w.opened_at, c.question, q.dimension, q.scale, q.low, q.high, q.favorable_from, q.reverse_coded,
       q.in_index, q.bucket_hours, c.team, c.ls, c.n, c.hidden,
       @extschema@.pm_favorable_count(c.ls, q.favorable_from, q.reverse_coded) AS favorable
  FROM @extschema@.pm_survey_cells c
  JOIN @extschema@.survey_questions q ON q.question = c.question
  JOIN @extschema@.survey_waves w ON w.wave = c.wave
 WHERE c.capability IS NULL;
COMMENT ON VIEW @extschema@.pm_question_cells IS
    'Internal: pm_survey_cells of the platform answers (capability NULL) with their question''s scoring and favourable count';

-- Every question of every closed wave.
CREATE OR REPLACE VIEW @extschema@.question_scores WITH (security_barrier) AS
WITH cells AS MATERIALIZED (
    SELECT c.wave, c.opened_at, c.question, c.dimension, c.team, c.ls, c.n, c.favorable, c.hidden, t.headcount
      FROM @extschema@.pm_question_cells c LEFT JOIN @extschema@.teams t ON t.team = c.team),
asked AS MATERIALIZED (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t),
strata AS (
    -- post-stratification by team: each shown team is a stratum of its own
    -- (weight headcount / answers), the hidden teams together one more, so
    -- the weighted share tells nothing the shown cells and the total do not
    SELECT c.wave, c.question,
           sum(greatest(c.headcount, c.n))::double precision AS headcount,
           sum(c.n)::double precision AS n, sum(c.favorable)::double precision AS favorable
      FROM cells c
     WHERE c.team IS NOT NULL
     GROUP BY c.wave, c.question, CASE WHEN c.hidden THEN NULL ELSE c.team END),
weighted AS (
    SELECT s.wave, s.question,
           sum(s.headcount * s.favorable / s.n) / sum(s.headcount) AS share,
           sum(s.headcount) ^ 2 / sum(s.headcount ^ 2 / s.n) AS n_eff
      FROM strata s
     GROUP BY s.wave, s.question),
scored AS (
    SELECT c.wave, c.question, c.dimension, c.hidden,
           CASE WHEN NOT c.hidden THEN c.ls END AS ls,
           CASE WHEN NOT c.hidden THEN c.n END AS n,
           CASE WHEN NOT c.hidden THEN c.favorable END AS favorable,
           lag(CASE WHEN NOT c.hidden THEN c.n END) OVER prev AS prev_n,
           lag(CASE WHEN NOT c.hidden THEN c.favorable END) OVER prev AS prev_favorable
      FROM cells c
     WHERE c.team IS NULL
    WINDOW prev AS (PARTITION BY c.question ORDER BY c.opened_at, c.wave)),
tested AS (
    SELECT s.*, @extschema@.share_test(s.prev_favorable, s.prev_n, s.favorable, s.n) AS p_value
      FROM scored s)
SELECT x.wave, x.question, x.dimension, x.n AS responses,
       x.favorable::double precision / x.n AS favorable_share,
       fci.low AS favorable_low, fci.high AS favorable_high,
       @extschema@.mean_score(x.ls) AS mean_score, mci.low AS mean_low, mci.high AS mean_high,
       CASE WHEN NOT x.hidden THEN wt.share END AS weighted_share,
       wci.low AS weighted_low, wci.high AS weighted_high,
       CASE WHEN NOT x.hidden THEN wt.n_eff END AS effective_n,
       x.prev_favorable::double precision / x.prev_n AS previous_share,
       x.favorable::double precision / x.n - x.prev_favorable::double precision / x.prev_n AS change,
       x.p_value,
       @extschema@.bh_adjust(x.p_value) OVER (PARTITION BY x.wave) AS q_value,
       @extschema@.bh_adjust(x.p_value) OVER (PARTITION BY x.wave) < 0.05 AS significant,
       x.hidden AS suppressed
  FROM tested x CROSS JOIN asked a
       LEFT JOIN weighted wt ON wt.wave = x.wave AND wt.question = x.question
       LEFT JOIN LATERAL @extschema@.share_ci(x.favorable, x.n, 0.95, greatest(a.population, x.n)) fci ON true
       LEFT JOIN LATERAL @extschema@.mean_ci(x.ls, 0.95, greatest(a.population, x.n)) mci ON true
       LEFT JOIN LATERAL @extschema@.share_ci(wt.share * wt.n_eff, wt.n_eff) wci ON NOT x.hidden;
COMMENT ON VIEW @extschema@.question_scores IS
    'Every question of every closed wave: favourable share and mean with 95% intervals, the share weighted by team headcount, and the change from the previous wave with its p- and q-value';
COMMENT ON COLUMN @extschema@.question_scores.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.question_scores.question IS 'Question (survey_questions)';
COMMENT ON COLUMN @extschema@.question_scores.dimension IS 'What it measures (survey_questions.dimension)';
COMMENT ON COLUMN @extschema@.question_scores.responses IS 'Answers about the platform (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.question_scores.favorable_share IS 'Share of favourable answers (at or above favorable_from; at or below it for reverse-coded questions)';
COMMENT ON COLUMN @extschema@.question_scores.favorable_low IS 'Lower end of its 95% Wilson interval (finite-population corrected with the teams'' headcounts)';
COMMENT ON COLUMN @extschema@.question_scores.favorable_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.question_scores.mean_score IS 'Mean answer, on the question''s own scale';
COMMENT ON COLUMN @extschema@.question_scores.mean_low IS 'Lower end of the 95% t-interval of the mean (finite-population corrected)';
COMMENT ON COLUMN @extschema@.question_scores.mean_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.question_scores.weighted_share IS 'Favourable share post-stratified by team: each team weighted by headcount / answers (the hidden teams as one stratum)';
COMMENT ON COLUMN @extschema@.question_scores.weighted_low IS 'Lower end of the 95% Wilson interval of the weighted share on Kish''s effective sample size';
COMMENT ON COLUMN @extschema@.question_scores.weighted_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.question_scores.effective_n IS 'Kish''s effective sample size of the weighted share, (sum of weights)^2 / sum of squared weights';
COMMENT ON COLUMN @extschema@.question_scores.previous_share IS 'Favourable share in the previously opened wave that asked it (NULL when that was suppressed)';
COMMENT ON COLUMN @extschema@.question_scores.change IS 'favorable_share - previous_share';
COMMENT ON COLUMN @extschema@.question_scores.p_value IS 'Two-sided p-value that the two shares are equal (favorable_test)';
COMMENT ON COLUMN @extschema@.question_scores.q_value IS 'Benjamini-Hochberg q-value over the wave''s questions (bh_adjust)';
COMMENT ON COLUMN @extschema@.question_scores.significant IS 'True when the change survives a 5% false-discovery rate (q_value < 0.05)';
COMMENT ON COLUMN @extschema@.question_scores.suppressed IS 'True when the numbers are hidden to keep answers anonymous';

-- Team by question, heatmap-ready: each team against the rest of the organisation.
CREATE OR REPLACE VIEW @extschema@.question_scores_by_team WITH (security_barrier) AS
WITH paired AS (
    -- each team's cell beside its wave's total (the rest of the organisation
    -- is the total minus the team, for shown teams of shown totals)
    SELECT c.wave, c.team, c.question, c.dimension, c.hidden, c.n, c.ls, c.favorable, t.headcount,
           bool_or(c.hidden) FILTER (WHERE c.team IS NULL) OVER w AS total_hidden,
           sum(c.n) FILTER (WHERE c.team IS NULL) OVER w AS total_n,
           sum(c.favorable) FILTER (WHERE c.team IS NULL) OVER w AS total_favorable
      FROM @extschema@.pm_question_cells c LEFT JOIN @extschema@.teams t ON t.team = c.team
    WINDOW w AS (PARTITION BY c.wave, c.question)),
tested AS (
    SELECT p.*,
           CASE WHEN NOT p.hidden AND NOT p.total_hidden THEN p.total_favorable - p.favorable END AS rest_favorable,
           CASE WHEN NOT p.hidden AND NOT p.total_hidden THEN p.total_n - p.n END AS rest_n,
           CASE WHEN NOT p.hidden AND NOT p.total_hidden
                THEN @extschema@.share_test(p.total_favorable - p.favorable, p.total_n - p.n, p.favorable, p.n) END AS p_value
      FROM paired p
     WHERE p.team IS NOT NULL)
SELECT x.wave, x.team, x.question, x.dimension,
       CASE WHEN NOT x.hidden THEN x.n END AS responses,
       CASE WHEN NOT x.hidden THEN x.favorable::double precision / x.n END AS favorable_share,
       fci.low AS favorable_low, fci.high AS favorable_high,
       CASE WHEN NOT x.hidden THEN @extschema@.mean_score(x.ls) END AS mean_score,
       mci.low AS mean_low, mci.high AS mean_high,
       x.rest_favorable::double precision / nullif(x.rest_n, 0) AS rest_share,
       CASE WHEN NOT x.hidden THEN x.favorable::double precision / x.n END
           - x.rest_favorable::double precision / nullif(x.rest_n, 0) AS difference,
       x.p_value,
       @extschema@.bh_adjust(x.p_value) OVER (PARTITION BY x.wave) AS q_value,
       @extschema@.bh_adjust(x.p_value) OVER (PARTITION BY x.wave) < 0.05 AS significant,
       x.hidden AS suppressed
  FROM tested x
       LEFT JOIN LATERAL @extschema@.share_ci(x.favorable, x.n, 0.95, greatest(x.headcount, x.n)) fci ON NOT x.hidden
       LEFT JOIN LATERAL @extschema@.mean_ci(x.ls, 0.95, greatest(x.headcount, x.n)) mci ON NOT x.hidden;
COMMENT ON VIEW @extschema@.question_scores_by_team IS
    'Every question by team and closed wave, against the rest of the organisation, with q-values over the wave''s team-question cells (a heatmap)';
COMMENT ON COLUMN @extschema@.question_scores_by_team.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.question_scores_by_team.team IS 'Team';
COMMENT ON COLUMN @extschema@.question_scores_by_team.question IS 'Question (survey_questions)';
COMMENT ON COLUMN @extschema@.question_scores_by_team.dimension IS 'What it measures';
COMMENT ON COLUMN @extschema@.question_scores_by_team.responses IS 'Answers from the team (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.question_scores_by_team.favorable_share IS 'Share of favourable answers';
COMMENT ON COLUMN @extschema@.question_scores_by_team.favorable_low IS 'Lower end of its 95% Wilson interval (finite-population corrected with the headcount)';
COMMENT ON COLUMN @extschema@.question_scores_by_team.favorable_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.question_scores_by_team.mean_score IS 'Mean answer';
COMMENT ON COLUMN @extschema@.question_scores_by_team.mean_low IS 'Lower end of the 95% t-interval of the mean';
COMMENT ON COLUMN @extschema@.question_scores_by_team.mean_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.question_scores_by_team.rest_share IS 'Favourable share of everyone else in the wave (the wave''s total minus the team)';
COMMENT ON COLUMN @extschema@.question_scores_by_team.difference IS 'favorable_share - rest_share';
COMMENT ON COLUMN @extschema@.question_scores_by_team.p_value IS 'Two-sided p-value that the team and the rest have equal shares (favorable_test)';
COMMENT ON COLUMN @extschema@.question_scores_by_team.q_value IS 'Benjamini-Hochberg q-value over every team and question of the wave';
COMMENT ON COLUMN @extschema@.question_scores_by_team.significant IS 'True when the difference survives a 5% false-discovery rate';
COMMENT ON COLUMN @extschema@.question_scores_by_team.suppressed IS 'True when the numbers are hidden to keep answers anonymous';

-- The answers of respondents who gave a submission id, oriented so that
-- higher is better (a reverse-coded answer s becomes low + high - s).
CREATE OR REPLACE VIEW @extschema@.pm_submission_answers WITH (security_barrier) AS
SELECT r.wave, r.team, r.submission_id, r.question, q.in_index, q.scale,
       CASE WHEN q.reverse_coded THEN q.low + q.high - r.score ELSE r.score END AS oriented,
       CASE WHEN q.reverse_coded THEN r.score <= q.favorable_from ELSE r.score >= q.favorable_from END AS favorable
  FROM @extschema@.survey_responses r
  JOIN @extschema@.survey_waves w ON w.wave = r.wave
  JOIN @extschema@.survey_questions q ON q.question = r.question
 WHERE w.closed_at IS NOT NULL AND r.capability IS NULL AND r.submission_id IS NOT NULL;
COMMENT ON VIEW @extschema@.pm_submission_answers IS
    'Internal: the platform answers of closed waves that carry a submission id, oriented (higher is better) and marked favourable';

-- The DevEx index: per wave (team NULL) and per team and wave.
CREATE OR REPLACE FUNCTION @extschema@.pm_devex_index(OUT wave text, OUT team text, OUT questions bigint, OUT index double precision, OUT index_low double precision, OUT index_high double precision, OUT alpha double precision, OUT alpha_low double precision, OUT alpha_high double precision, OUT complete_respondents bigint, OUT suppressed boolean)
    RETURNS SETOF record
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE ROWS 1000
    SET search_path = pg_catalog, pg_temp
AS $fn$
WITH asked AS MATERIALIZED (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t),
items AS (
    -- the index questions each wave asked, and the groups shown for all of them
    SELECT c.wave, c.team, coalesce(c.team, '') AS team_key, count(*) AS questions, bool_and(NOT c.hidden) AS shown,
           max(c.n) AS max_n,
           avg(c.favorable::double precision / c.n) AS index,
           sum((c.favorable::double precision / c.n) * (1 - c.favorable::double precision / c.n) / c.n) AS var_sum
      FROM @extschema@.pm_question_cells c
     WHERE c.in_index
     GROUP BY c.wave, c.team),
asked_items AS (
    SELECT i.wave, i.questions FROM items i WHERE i.team IS NULL),
index_answers AS MATERIALIZED (
    -- the index questions' answers that carry a submission id, read once
    SELECT a.wave, a.team, a.submission_id, a.question, a.oriented, a.favorable
      FROM @extschema@.pm_submission_answers a WHERE a.in_index),
respondents AS (
    -- respondents who answered every index question of the wave: their own
    -- index (share of favourable answers) for the interval
    SELECT a.wave, a.team, a.submission_id, avg(a.favorable::integer::double precision) AS y
      FROM index_answers a JOIN asked_items q ON q.wave = a.wave
     GROUP BY a.wave, a.team, a.submission_id, q.questions
    HAVING count(*) = q.questions),
spread AS (
    -- (team_key '' is the organisation: the joins below are on plain columns)
    SELECT r.wave, '' AS team_key, count(*) AS n, var_samp(r.y) AS var FROM respondents r GROUP BY r.wave
    UNION ALL
    SELECT r.wave, r.team, count(*), var_samp(r.y) FROM respondents r GROUP BY r.wave, r.team),
alphas AS (
    SELECT g.wave, g.team_key, (g.a).*
      FROM (SELECT a.wave, '' AS team_key,
                   @extschema@.cronbach_alpha_ci(a.submission_id::text, a.question, a.oriented, 0.95) AS a
              FROM index_answers a GROUP BY a.wave
            UNION ALL
            SELECT a.wave, a.team, @extschema@.cronbach_alpha_ci(a.submission_id::text, a.question, a.oriented, 0.95)
              FROM index_answers a GROUP BY a.wave, a.team) g),
joined AS (
    SELECT i.wave, i.team, i.questions, i.index, i.var_sum, i.shown AND i.questions = q.questions AS shown,
           -- the respondents who answered every index question are all the
           -- group's answers to each: else their figures would tell those of
           -- the others (the answers without a submission id) by difference
           coalesce(s.n = i.max_n, false) AS complete_all,
           CASE WHEN i.team IS NULL THEN a.population ELSE t.headcount END AS population,
           s.n AS complete, s.var AS complete_var, al.alpha, al.low AS alpha_low, al.high AS alpha_high,
           al.respondents AS alpha_respondents
      FROM items i JOIN asked_items q ON q.wave = i.wave CROSS JOIN asked a
           LEFT JOIN @extschema@.teams t ON t.team = i.team
           LEFT JOIN spread s ON s.wave = i.wave AND s.team_key = i.team_key
           LEFT JOIN alphas al ON al.wave = i.wave AND al.team_key = i.team_key),
bounded_index AS (
    SELECT j.*,
           CASE WHEN j.complete_all AND j.complete >= greatest(@extschema@.min_group_size(), 2)
                THEN @extschema@.t_quantile(0.975, j.complete - 1) * sqrt(j.complete_var / j.complete)
                     * sqrt(greatest(j.population - j.complete, 0)::double precision / greatest(j.population - 1, 1))
                ELSE @extschema@.normal_quantile(0.975) * sqrt(j.var_sum) / j.questions END AS half
      FROM joined j)
SELECT x.wave, x.team,
       CASE WHEN x.shown THEN x.questions END AS questions,
       CASE WHEN x.shown THEN x.index END AS index,
       CASE WHEN x.shown AND x.half IS NOT NULL THEN greatest(x.index - x.half, 0) END AS index_low,
       CASE WHEN x.shown THEN least(x.index + x.half, 1) END AS index_high,
       CASE WHEN x.shown AND x.complete_all AND x.alpha_respondents >= @extschema@.min_group_size() THEN x.alpha END AS alpha,
       CASE WHEN x.shown AND x.complete_all AND x.alpha_respondents >= @extschema@.min_group_size() THEN x.alpha_low END AS alpha_low,
       CASE WHEN x.shown AND x.complete_all AND x.alpha_respondents >= @extschema@.min_group_size() THEN x.alpha_high END AS alpha_high,
       CASE WHEN x.shown AND x.complete_all AND x.alpha_respondents >= @extschema@.min_group_size() THEN x.alpha_respondents END
           AS complete_respondents,
       NOT x.shown AS suppressed
  FROM bounded_index x
$fn$;
COMMENT ON FUNCTION @extschema@.pm_devex_index() IS
    'devex_index: computed where the planner cannot look in (a plan''s row counts of the respondents'' answers tell nothing)';
REVOKE ALL ON FUNCTION @extschema@.pm_devex_index() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.pm_devex_index() TO platform_metrics_reader;

CREATE OR REPLACE VIEW @extschema@.devex_index WITH (security_barrier) AS
SELECT x.wave, x.team, x.questions, x.index, x.index_low, x.index_high, x.alpha, x.alpha_low, x.alpha_high, x.complete_respondents, x.suppressed FROM @extschema@.pm_devex_index() x;
COMMENT ON VIEW @extschema@.devex_index IS
    'DevEx index per closed wave (team NULL) and per team and wave: the mean favourable share of the in_index questions, its 95% interval and Cronbach''s alpha';
COMMENT ON COLUMN @extschema@.devex_index.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.devex_index.team IS 'Team; NULL for the whole organisation';
COMMENT ON COLUMN @extschema@.devex_index.questions IS 'Index questions the wave asked';
COMMENT ON COLUMN @extschema@.devex_index.index IS 'Mean of their favourable shares (reverse-coded questions count low answers as favourable), 0 to 1';
COMMENT ON COLUMN @extschema@.devex_index.index_low IS 'Lower end of its 95% interval: from the respondents who answered every index question when at least min_group_size did (t-interval of their own index), else from the questions'' variances as if independent';
COMMENT ON COLUMN @extschema@.devex_index.index_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.devex_index.alpha IS 'Cronbach''s alpha of the index questions (reverse-coded ones flipped), over the respondents who answered them all';
COMMENT ON COLUMN @extschema@.devex_index.alpha_low IS 'Lower end of Feldt''s 95% interval of alpha';
COMMENT ON COLUMN @extschema@.devex_index.alpha_high IS 'Upper end of Feldt''s interval';
COMMENT ON COLUMN @extschema@.devex_index.complete_respondents IS 'Respondents alpha was computed over (NULL below min_group_size: alpha is then not shown)';
COMMENT ON COLUMN @extschema@.devex_index.suppressed IS 'True when some index question of the group is suppressed: the index is then not shown';

-- Where to focus next: which questions go with the NPS answer of the same respondent.
CREATE OR REPLACE FUNCTION @extschema@.pm_survey_drivers(OUT wave text, OUT question text, OUT dimension text, OUT pairs bigint, OUT spearman double precision, OUT spearman_low double precision, OUT spearman_high double precision, OUT favorable_share double precision, OUT priority bigint, OUT suppressed boolean)
    RETURNS SETOF record
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE ROWS 1000
    SET search_path = pg_catalog, pg_temp
AS $fn$
WITH pairs AS (
    -- each respondent's answer to a question beside their NPS answer,
    -- counted per pair of values (at most 11 x 11 per wave and question)
    SELECT a.wave, a.question, a.oriented AS x, n.oriented AS y, count(*) AS c
      FROM @extschema@.pm_submission_answers a
      JOIN @extschema@.pm_submission_answers n
        ON n.wave = a.wave AND n.submission_id = a.submission_id AND n.question = 'nps'
     WHERE a.question <> 'nps'
     GROUP BY a.wave, a.question, a.oriented, n.oriented),
margins AS (
    -- the counts of each value of the question (axis x) and of the NPS
    -- answer (axis y)
    SELECT p.wave, p.question, 'x' AS axis, p.x AS v, sum(p.c) AS c FROM pairs p GROUP BY p.wave, p.question, p.x
    UNION ALL
    SELECT p.wave, p.question, 'y', p.y, sum(p.c) FROM pairs p GROUP BY p.wave, p.question, p.y),
ranks AS (
    -- mid-ranks: a value's rank is the number of smaller values plus half
    -- the ties after the first, (below + 1 + below + count) / 2
    SELECT m.wave, m.question, m.axis, m.v,
           coalesce(sum(m.c) OVER (PARTITION BY m.wave, m.question, m.axis ORDER BY m.v
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
               + (m.c + 1) / 2.0 AS r
      FROM margins m),
correlated AS (
    -- Spearman's rho: Pearson's correlation of the mid-ranks, each pair of
    -- values weighted by its count
    SELECT p.wave, p.question, sum(p.c)::bigint AS n,
           (sum(p.c) * sum(p.c * a.r * b.r) - sum(p.c * a.r) * sum(p.c * b.r))
           / nullif(sqrt((sum(p.c) * sum(p.c * a.r * a.r) - sum(p.c * a.r) ^ 2)
                         * (sum(p.c) * sum(p.c * b.r * b.r) - sum(p.c * b.r) ^ 2)), 0) AS rho
      FROM pairs p
      JOIN ranks a ON a.wave = p.wave AND a.question = p.question AND a.axis = 'x' AND a.v = p.x
      JOIN ranks b ON b.wave = p.wave AND b.question = p.question AND b.axis = 'y' AND b.v = p.y
     GROUP BY p.wave, p.question),
totals AS MATERIALIZED (
    SELECT t.wave, t.question, t.dimension, t.favorable, t.n, t.hidden
      FROM @extschema@.pm_question_cells t WHERE t.team IS NULL),
shown AS (
    SELECT c.wave, c.question, c.n, c.rho::double precision AS rho, s.dimension, s.favorable::double precision / s.n AS share,
           NOT s.hidden AND NOT nps.hidden AND c.n >= @extschema@.min_group_size() AS shown
      FROM correlated c
      JOIN totals s ON s.wave = c.wave AND s.question = c.question
      JOIN totals nps ON nps.wave = c.wave AND nps.question = 'nps'),
bounded AS (
    -- Fisher's z with Bonett and Wright's (2000) variance for Spearman's rho
    SELECT s.*,
           @extschema@.normal_quantile(0.975) * sqrt((1 + s.rho ^ 2 / 2) / (s.n - 3)) AS half
      FROM shown s WHERE s.shown AND s.n > 3)
SELECT s.wave, s.question, s.dimension,
       CASE WHEN s.shown THEN s.n END AS pairs,
       CASE WHEN s.shown THEN s.rho END AS spearman,
       tanh(atanh(least(greatest(b.rho, -0.999999999), 0.999999999)) - b.half) AS spearman_low,
       tanh(atanh(least(greatest(b.rho, -0.999999999), 0.999999999)) + b.half) AS spearman_high,
       CASE WHEN s.shown THEN s.share END AS favorable_share,
       CASE WHEN s.shown AND s.rho IS NOT NULL
            THEN rank() OVER (PARTITION BY s.wave, s.shown AND s.rho IS NOT NULL
                              ORDER BY s.rho * (1 - s.share) DESC, s.question) END AS priority,
       NOT s.shown AS suppressed
  FROM shown s LEFT JOIN bounded b ON b.wave = s.wave AND b.question = s.question
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_drivers() IS
    'survey_drivers: computed where the planner cannot look in (a plan''s row counts would tell how many distinct pairs of answers there are)';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_drivers() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.pm_survey_drivers() TO platform_metrics_reader;

CREATE OR REPLACE VIEW @extschema@.survey_drivers WITH (security_barrier) AS
SELECT x.wave, x.question, x.dimension, x.pairs, x.spearman, x.spearman_low, x.spearman_high, x.favorable_share, x.priority, x.suppressed FROM @extschema@.pm_survey_drivers() x;
COMMENT ON VIEW @extschema@.survey_drivers IS
    'Per closed wave and question: how strongly its answers go with the same respondent''s NPS answer (Spearman), and where to focus next (strong correlation, low score first)';
COMMENT ON COLUMN @extschema@.survey_drivers.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.survey_drivers.question IS 'Question (survey_questions)';
COMMENT ON COLUMN @extschema@.survey_drivers.dimension IS 'What it measures';
COMMENT ON COLUMN @extschema@.survey_drivers.pairs IS 'Respondents (submission ids) who answered both it and the NPS question';
COMMENT ON COLUMN @extschema@.survey_drivers.spearman IS 'Spearman''s rank correlation with the NPS answer (reverse-coded questions flipped: positive means favourable goes with recommending)';
COMMENT ON COLUMN @extschema@.survey_drivers.spearman_low IS 'Lower end of its 95% interval (Fisher z, Bonett-Wright variance)';
COMMENT ON COLUMN @extschema@.survey_drivers.spearman_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.survey_drivers.favorable_share IS 'The question''s favourable share in the wave';
COMMENT ON COLUMN @extschema@.survey_drivers.priority IS 'Rank in the wave by spearman * (1 - favorable_share): 1 is where to focus next';
COMMENT ON COLUMN @extschema@.survey_drivers.suppressed IS 'True when the question''s or the NPS total is suppressed, or fewer than min_group_size respondents answered both';

-- Hours per developer and week, from the hours questions: the sum of the
-- hours (or of any per-bucket values, such as their squares) that a 0..10
-- summary of an hours question stands for, point by point (score i - 1 is
-- bucket i - low; written out so that the planner inlines it).
CREATE OR REPLACE FUNCTION @extschema@.pm_hours_sum(d bigint[], low integer, hours double precision[])
    RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(d[1] * hours[1 - low], 0)
                + coalesce(d[2] * hours[2 - low], 0)
                + coalesce(d[3] * hours[3 - low], 0)
                + coalesce(d[4] * hours[4 - low], 0)
                + coalesce(d[5] * hours[5 - low], 0)
                + coalesce(d[6] * hours[6 - low], 0)
                + coalesce(d[7] * hours[7 - low], 0)
                + coalesce(d[8] * hours[8 - low], 0)
                + coalesce(d[9] * hours[9 - low], 0)
                + coalesce(d[10] * hours[10 - low], 0)
                + coalesce(d[11] * hours[11 - low], 0);
COMMENT ON FUNCTION @extschema@.pm_hours_sum(bigint[], integer, double precision[]) IS
    'Internal: the sum over the answers counted in a 0..10 distribution of an hours question of their bucket''s value (hours, or squared hours)';

CREATE OR REPLACE VIEW @extschema@.time_cost WITH (security_barrier) AS
WITH asked AS MATERIALIZED (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t),
squares AS MATERIALIZED (
    -- each hours question's squared bucket hours, once per question
    SELECT q.question, array_agg(h.v * h.v ORDER BY h.i) AS hours2
      FROM @extschema@.survey_questions q CROSS JOIN LATERAL unnest(q.bucket_hours) WITH ORDINALITY AS h(v, i)
     WHERE q.scale = 'hours'
     GROUP BY q.question),
sums AS (
    SELECT c.wave, c.team, c.question, c.dimension, c.reverse_coded, c.hidden,
           CASE WHEN c.team IS NULL THEN a.population ELSE t.headcount END AS headcount, c.n,
           @extschema@.pm_hours_sum(@extschema@.distribution(c.ls), c.low, c.bucket_hours) AS s1,
           @extschema@.pm_hours_sum(@extschema@.distribution(c.ls), c.low, sq.hours2) AS s2
      FROM @extschema@.pm_question_cells c CROSS JOIN asked a
           JOIN squares sq ON sq.question = c.question
           LEFT JOIN @extschema@.teams t ON t.team = c.team
     WHERE c.scale = 'hours'),
cells AS (
    SELECT s.wave, s.team, s.question, s.dimension, s.reverse_coded, s.hidden, s.headcount, s.n,
           s.s1 / s.n AS mean, (s.s2 - s.s1 ^ 2 / s.n) / nullif(s.n - 1, 0) AS variance
      FROM sums s),
bounded AS (
    SELECT c.*,
           CASE WHEN c.n IS NULL THEN NULL
                WHEN greatest(c.headcount, c.n) = c.n THEN 0
                WHEN c.n >= 2 THEN @extschema@.t_quantile(0.975, c.n - 1) * sqrt(c.variance / c.n)
                                   * sqrt((greatest(c.headcount, c.n) - c.n)::double precision / (greatest(c.headcount, c.n) - 1))
           END AS half
      FROM cells c)
SELECT b.wave, b.team, b.question, b.dimension,
       CASE WHEN NOT b.hidden THEN b.n END AS responses,
       CASE WHEN NOT b.hidden THEN b.mean END AS mean_hours,
       CASE WHEN NOT b.hidden AND b.half IS NOT NULL THEN greatest(b.mean - b.half, 0) END AS mean_low,
       CASE WHEN NOT b.hidden THEN b.mean + b.half END AS mean_high,
       CASE WHEN NOT b.hidden THEN greatest(b.headcount, b.n) ELSE b.headcount END AS headcount,
       CASE WHEN NOT b.hidden THEN b.mean * greatest(b.headcount, b.n) END AS hours_per_week,
       CASE WHEN NOT b.hidden AND b.half IS NOT NULL THEN greatest(b.mean - b.half, 0) * greatest(b.headcount, b.n) END AS hours_low,
       CASE WHEN NOT b.hidden THEN (b.mean + b.half) * greatest(b.headcount, b.n) END AS hours_high,
       b.reverse_coded AS is_cost,
       b.hidden AS suppressed
  FROM bounded b;
COMMENT ON VIEW @extschema@.time_cost IS
    'Hours per developer and week from the hours questions, per closed wave for the organisation (team NULL) and each team, and times headcount what they add up to';
COMMENT ON COLUMN @extschema@.time_cost.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.time_cost.team IS 'Team; NULL for the whole organisation';
COMMENT ON COLUMN @extschema@.time_cost.question IS 'hours question (survey_questions)';
COMMENT ON COLUMN @extschema@.time_cost.dimension IS 'What it measures';
COMMENT ON COLUMN @extschema@.time_cost.responses IS 'Answers (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.time_cost.mean_hours IS 'Mean hours per developer and week (each answer as its bucket_hours)';
COMMENT ON COLUMN @extschema@.time_cost.mean_low IS 'Lower end of the 95% t-interval of the mean (finite-population corrected with the headcount)';
COMMENT ON COLUMN @extschema@.time_cost.mean_high IS 'Upper end of that interval';
COMMENT ON COLUMN @extschema@.time_cost.headcount IS 'Developers (the team''s headcount, or its answers when more answered; for the organisation, every team''s)';
COMMENT ON COLUMN @extschema@.time_cost.hours_per_week IS 'mean_hours * headcount: the hours a week the platform costs (is_cost) or saves';
COMMENT ON COLUMN @extschema@.time_cost.hours_low IS 'mean_low * headcount';
COMMENT ON COLUMN @extschema@.time_cost.hours_high IS 'mean_high * headcount';
COMMENT ON COLUMN @extschema@.time_cost.is_cost IS 'True for a reverse-coded question (time lost): the hours are a cost; false: time saved';
COMMENT ON COLUMN @extschema@.time_cost.suppressed IS 'True when the numbers are hidden to keep answers anonymous';

GRANT SELECT ON @extschema@.question_scores, @extschema@.question_scores_by_team, @extschema@.devex_index,
    @extschema@.survey_drivers, @extschema@.time_cost
    TO platform_metrics_reader;
