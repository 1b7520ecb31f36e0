-- survey_views.sql: what readers see of the survey, above the anonymity thresholds

-- One suppression mechanism for every survey view (since 1.3; every question
-- since 1.4).  pm_survey_cells holds each publishable group of a closed
-- wave's answers to each question, with its summary and whether it is hidden:
--   the wave (capability NULL, team NULL): the question's total;
--   each team in the wave (capability NULL): the question by team;
--   each capability in the wave (team NULL): that capability's answers.
-- A group with fewer than min_group_size() answers is hidden.  The teams of a
-- wave partition its total, so the hidden teams' answers are known per
-- category as "total minus shown teams": when a question has a small team in
-- a wave, the next-smallest teams are hidden too, until the hidden answers
-- are safe to leave as a remainder (pm_hidden_answers_safe): at least
-- min_group_size() of them, at least two in every category the views publish
-- (promoters, passives and detractors for the nps question; favourable
-- and not for every other question, whatever its scale), and enough teams that one answer taken away still
-- leaves two.  Then no hidden team's category count is pinned to one value,
-- even for someone who knows how many of each hidden team answered and is
-- one of the hidden respondents (README, Anonymity).  If hiding every team
-- is not enough, the question's total is hidden as well.  Capabilities have
-- no published total, so nothing can be subtracted there.
CREATE OR REPLACE FUNCTION @extschema@.pm_hidden_answers_safe(categories bigint[], k integer,
        groups bigint, single_answer_groups bigint)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN categories IS NOT NULL
           AND categories[1] + categories[2] + coalesce(categories[3], 0) >= k
           AND 2 <= ALL (categories)
           AND (groups >= 3 OR (groups = 2 AND single_answer_groups = 0));
COMMENT ON FUNCTION @extschema@.pm_hidden_answers_safe(bigint[], integer, bigint, bigint) IS
    'Whether the hidden answers of a question in a wave (counted per published category, two or three of them, in groups of which single_answer_groups have one answer) may be left as a remainder: at least k, two of every category, two groups left without any one answer';
CREATE OR REPLACE FUNCTION @extschema@.pm_hidden_answers_safe(hidden @extschema@.nps_summary, k integer,
        groups bigint, single_answer_groups bigint)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN @extschema@.pm_hidden_answers_safe(
               ARRAY[@extschema@.promoters(hidden), @extschema@.passives(hidden), @extschema@.detractors(hidden)],
               k, groups, single_answer_groups);
COMMENT ON FUNCTION @extschema@.pm_hidden_answers_safe(@extschema@.nps_summary, integer, bigint, bigint) IS
    'pm_hidden_answers_safe of an NPS summary''s promoters, passives and detractors (the 1.3 form)';

-- The summaries of the views: every answer is kept in a likert_summary of
-- 0..10, the widest scale, whatever its question's (counts outside the
-- question's scale are zero); these read them as the question scores them.
-- (Plain expressions, so that the planner inlines them: the share times the
-- responses is the count exactly, rounded.)
CREATE OR REPLACE FUNCTION @extschema@.pm_at_least(s @extschema@.likert_summary, score integer)
    RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.round(@extschema@.responses(s) * @extschema@.favorable_share(s, score))::bigint;
COMMENT ON FUNCTION @extschema@.pm_at_least(@extschema@.likert_summary, integer) IS
    'Internal: the answers of a summary at or above a score';

CREATE OR REPLACE FUNCTION @extschema@.pm_favorable_count(s @extschema@.likert_summary, favorable_from integer,
        reverse_coded boolean)
    RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN reverse_coded THEN @extschema@.responses(s) - @extschema@.pm_at_least(s, favorable_from + 1)
                ELSE @extschema@.pm_at_least(s, favorable_from) END;
COMMENT ON FUNCTION @extschema@.pm_favorable_count(@extschema@.likert_summary, integer, boolean) IS
    'Internal: the favourable answers of a 0..10 summary (at or above favorable_from; at or below it when reverse_coded)';

CREATE OR REPLACE FUNCTION @extschema@.pm_answer_categories(s @extschema@.likert_summary, nps_question boolean,
        favorable_from integer, reverse_coded boolean)
    RETURNS bigint[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN nps_question
                THEN ARRAY[@extschema@.responses(s) - @extschema@.pm_at_least(s, 7),
                           @extschema@.pm_at_least(s, 7) - @extschema@.pm_at_least(s, 9), @extschema@.pm_at_least(s, 9)]
                ELSE ARRAY[@extschema@.responses(s) - @extschema@.pm_favorable_count(s, favorable_from, reverse_coded),
                           @extschema@.pm_favorable_count(s, favorable_from, reverse_coded)] END;
COMMENT ON FUNCTION @extschema@.pm_answer_categories(@extschema@.likert_summary, boolean, integer, boolean) IS
    'Internal: the counts of the categories the views publish of a question: detractors, passives and promoters of the nps question (whose favourable answers are its promoters); not favourable and favourable for every other question';

CREATE OR REPLACE FUNCTION @extschema@.pm_nps_summary(s @extschema@.likert_summary)
    RETURNS @extschema@.nps_summary LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_catalog.format('promoters=%s passives=%s detractors=%s', @extschema@.pm_at_least(s, 9),
                             @extschema@.pm_at_least(s, 7) - @extschema@.pm_at_least(s, 9),
                             @extschema@.responses(s) - @extschema@.pm_at_least(s, 7))::@extschema@.nps_summary;
COMMENT ON FUNCTION @extschema@.pm_nps_summary(@extschema@.likert_summary) IS
    'Internal: the nps_summary of a 0..10 likert_summary';

CREATE OR REPLACE VIEW @extschema@.pm_survey_cells_live WITH (security_barrier) AS
WITH threshold AS (
    SELECT @extschema@.min_group_size() AS k),
answers AS (
    -- one aggregate, read once, so that a view's condition on the wave or
    -- question reaches the scan: the platform answers (capability NULL) per
    -- team, the capability answers per capability; closed waves only
    -- (open waves are left out before counting: not even a plan's row
    -- counts tell how an open wave is going, team by team)
    SELECT r.wave, r.question, CASE WHEN r.capability IS NULL THEN r.team END AS team, r.capability,
           @extschema@.likert_summary(r.score::integer, 0, 10) AS ls, count(*) AS n
      FROM @extschema@.survey_responses r
      JOIN @extschema@.survey_waves w ON w.wave = r.wave
     WHERE w.closed_at IS NOT NULL
       -- (since 1.5: not the waves pm_survey_cells reads from the summary)
       AND w.wave NOT IN (SELECT x.wave FROM @extschema@.pm_survey_summarised_waves x)
     GROUP BY r.wave, r.question, CASE WHEN r.capability IS NULL THEN r.team END, r.capability),
keyed AS (
    -- the order the teams are hidden in, per question and wave: small teams
    -- first, then the others from the smallest, teams of one size by name
    -- (as in 1.3: an update must not change which teams a closed wave hides,
    -- two patterns of one wave would tell more than either); the
    -- capabilities after them.  As integers: the names' order comes from one
    -- sort of the teams, not from comparing names in the big sort.
    SELECT a.*, t.k,
           ((a.capability IS NOT NULL)::integer::bigint << 40)
           | ((NOT (a.capability IS NULL AND a.n < t.k))::integer::bigint << 39) | a.n AS size_key,
           r.team_rank
      FROM answers a CROSS JOIN threshold t
           LEFT JOIN (SELECT x.team, rank() OVER (ORDER BY x.team) AS team_rank FROM @extschema@.teams x) r
             ON r.team = a.team),
ordered AS (
    -- hidden_before is what hiding every team before this one would hide;
    -- the total is the rollup of the teams
    SELECT a.wave, a.question, a.team, a.capability, a.ls, a.n,
           a.capability IS NULL AND a.n < a.k AS small,
           coalesce(bool_or(a.n < a.k) FILTER (WHERE a.capability IS NULL) OVER w, false) AS wave_has_small,
           @extschema@.rollup(a.ls) FILTER (WHERE a.capability IS NULL) OVER before AS hidden_before,
           count(*) FILTER (WHERE a.capability IS NULL) OVER before AS teams_before,
           count(*) FILTER (WHERE a.capability IS NULL AND a.n = 1) OVER before AS singles_before,
           count(*) FILTER (WHERE a.capability IS NULL) OVER w AS teams,
           count(*) FILTER (WHERE a.capability IS NULL AND a.n = 1) OVER w AS singles,
           @extschema@.rollup(a.ls) FILTER (WHERE a.capability IS NULL) OVER w AS total_ls,
           sum(a.n) FILTER (WHERE a.capability IS NULL) OVER w AS total_n,
           row_number() OVER ord = 1 AND a.capability IS NULL AS first_team, a.k
      FROM keyed a
    WINDOW w AS (PARTITION BY a.wave, a.question),
           ord AS (w ORDER BY a.size_key, a.team_rank, a.capability),
           before AS (ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
cells AS (
    SELECT o.wave, o.question, g.kind,
           CASE WHEN g.kind = 'capability' THEN o.capability END AS capability,
           CASE WHEN g.kind = 'team' THEN o.team END AS team,
           CASE WHEN g.kind = 'total' THEN o.total_ls ELSE o.ls END AS ls,
           CASE WHEN g.kind = 'total' THEN o.total_n ELSE o.n END::bigint AS n,
           o.small, o.wave_has_small, o.hidden_before, o.teams_before, o.singles_before, o.teams, o.singles, o.k
      FROM ordered o
           CROSS JOIN LATERAL (VALUES ('team'), ('total'), ('capability')) AS g(kind)
     WHERE CASE g.kind WHEN 'team' THEN o.capability IS NULL
                       WHEN 'total' THEN o.first_team
                       ELSE o.capability IS NOT NULL END)
SELECT x.wave, x.capability, x.team,
       CASE WHEN x.question = 'nps' THEN @extschema@.pm_nps_summary(x.ls) END AS s,
       x.n,
       CASE x.kind
            WHEN 'team'
            THEN x.small OR (x.wave_has_small
                             AND NOT @extschema@.pm_hidden_answers_safe(
                                 @extschema@.pm_answer_categories(x.hidden_before, x.question = 'nps', q.favorable_from, q.reverse_coded),
                                 x.k, x.teams_before, x.singles_before))
            WHEN 'total'
            THEN x.n < x.k OR (x.wave_has_small
                               AND NOT @extschema@.pm_hidden_answers_safe(
                                   @extschema@.pm_answer_categories(x.ls, x.question = 'nps', q.favorable_from, q.reverse_coded),
                                   x.k, x.teams, x.singles))
            ELSE x.n < x.k END AS hidden,
       x.question, x.ls
  FROM cells x JOIN @extschema@.survey_questions q ON q.question = x.question;
COMMENT ON VIEW @extschema@.pm_survey_cells_live IS
    'Internal: pm_survey_cells computed from the answers, for the closed waves the summary does not hold (for the session''s threshold)';

-- Since 1.5 the closed waves' cells come from survey_cell_summary (computed
-- by refresh() with this same view, pm_survey_cells_live, for the threshold
-- recorded with the wave) while the session's threshold is that one and the
-- wave is not marked changed; the others are computed as before.
CREATE OR REPLACE VIEW @extschema@.pm_survey_cells WITH (security_barrier) AS
SELECT c.wave, c.capability, c.team, c.s, c.n, c.hidden, c.question, c.ls
  FROM @extschema@.survey_cell_summary c
  JOIN @extschema@.pm_survey_summarised_waves x ON x.wave = c.wave
UNION ALL
SELECT l.wave, l.capability, l.team, l.s, l.n, l.hidden, l.question, l.ls
  FROM @extschema@.pm_survey_cells_live l;
COMMENT ON VIEW @extschema@.pm_survey_cells IS
    'Internal: every publishable survey group (wave, question; by team or capability) of the closed waves, and whether it is hidden (the one suppression mechanism of the survey views): summarised waves from survey_cell_summary, the others computed';

-- Platform NPS per survey wave (the question about the platform as a whole).
CREATE OR REPLACE VIEW @extschema@.nps_by_survey WITH (security_barrier) AS
WITH asked AS MATERIALIZED (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t)
SELECT c.wave,
       CASE WHEN NOT c.hidden THEN c.n END AS responses,
       CASE WHEN NOT c.hidden THEN c.n::double precision / nullif(a.population, 0) END AS response_rate,
       CASE WHEN NOT c.hidden THEN @extschema@.promoters(c.s) END AS promoters,
       CASE WHEN NOT c.hidden THEN @extschema@.passives(c.s) END AS passives,
       CASE WHEN NOT c.hidden THEN @extschema@.detractors(c.s) END AS detractors,
       CASE WHEN NOT c.hidden THEN @extschema@.nps(c.s) END AS nps,
       CASE WHEN NOT c.hidden THEN ci.low END AS ci_low,
       CASE WHEN NOT c.hidden THEN ci.high END AS ci_high,
       c.hidden AS suppressed
  FROM @extschema@.pm_survey_cells c CROSS JOIN asked a
       CROSS JOIN LATERAL @extschema@.nps_ci(c.s, 0.95, greatest(a.population, c.n)) ci
 WHERE c.question = 'nps' AND c.capability IS NULL AND c.team IS NULL;
COMMENT ON VIEW @extschema@.nps_by_survey IS 'Platform NPS per closed survey wave with its 95% interval; suppressed waves show no numbers';
COMMENT ON COLUMN @extschema@.nps_by_survey.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.nps_by_survey.responses IS 'Number of answers to the platform NPS question (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.nps_by_survey.response_rate IS 'Answers divided by the developers asked (sum of team headcounts)';
COMMENT ON COLUMN @extschema@.nps_by_survey.promoters IS 'Answers 9-10';
COMMENT ON COLUMN @extschema@.nps_by_survey.passives IS 'Answers 7-8';
COMMENT ON COLUMN @extschema@.nps_by_survey.detractors IS 'Answers 0-6';
COMMENT ON COLUMN @extschema@.nps_by_survey.nps IS 'Net Promoter Score, -100 to 100';
COMMENT ON COLUMN @extschema@.nps_by_survey.ci_low IS 'Lower end of the 95% adjusted-Wald interval (finite-population corrected)';
COMMENT ON COLUMN @extschema@.nps_by_survey.ci_high IS 'Upper end of the 95% interval';
COMMENT ON COLUMN @extschema@.nps_by_survey.suppressed IS 'True when the numbers are hidden: fewer than platform_metrics.min_group_size answered, or the hidden teams could be recovered from the total';

-- Platform NPS per team and wave, with complementary suppression (pm_survey_cells).
CREATE OR REPLACE VIEW @extschema@.nps_by_team WITH (security_barrier) AS
SELECT c.wave, c.team,
       CASE WHEN NOT c.hidden THEN c.n END AS responses,
       CASE WHEN NOT c.hidden THEN c.n::double precision / t.headcount END AS response_rate,
       CASE WHEN NOT c.hidden THEN @extschema@.promoters(c.s) END AS promoters,
       CASE WHEN NOT c.hidden THEN @extschema@.passives(c.s) END AS passives,
       CASE WHEN NOT c.hidden THEN @extschema@.detractors(c.s) END AS detractors,
       CASE WHEN NOT c.hidden THEN @extschema@.nps(c.s) END AS nps,
       CASE WHEN NOT c.hidden THEN ci.low END AS ci_low,
       CASE WHEN NOT c.hidden THEN ci.high END AS ci_high,
       c.hidden AS suppressed
  FROM @extschema@.pm_survey_cells c JOIN @extschema@.teams t ON t.team = c.team
       CROSS JOIN LATERAL @extschema@.nps_ci(c.s, 0.95, greatest(t.headcount, c.n)::bigint) ci
 WHERE c.question = 'nps' AND c.capability IS NULL AND c.team IS NOT NULL;
COMMENT ON VIEW @extschema@.nps_by_team IS 'Platform NPS per team and closed wave; small teams suppressed, and the next-smallest too, so that the hidden answers can be recovered neither by subtraction nor by being all alike';
COMMENT ON COLUMN @extschema@.nps_by_team.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.nps_by_team.team IS 'Team';
COMMENT ON COLUMN @extschema@.nps_by_team.responses IS 'Number of answers from the team (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.nps_by_team.response_rate IS 'Answers divided by the team''s headcount';
COMMENT ON COLUMN @extschema@.nps_by_team.promoters IS 'Answers 9-10';
COMMENT ON COLUMN @extschema@.nps_by_team.passives IS 'Answers 7-8';
COMMENT ON COLUMN @extschema@.nps_by_team.detractors IS 'Answers 0-6';
COMMENT ON COLUMN @extschema@.nps_by_team.nps IS 'Net Promoter Score, -100 to 100';
COMMENT ON COLUMN @extschema@.nps_by_team.ci_low IS 'Lower end of the 95% interval (finite-population corrected with the headcount)';
COMMENT ON COLUMN @extschema@.nps_by_team.ci_high IS 'Upper end of the 95% interval';
COMMENT ON COLUMN @extschema@.nps_by_team.suppressed IS 'True when the numbers are hidden to keep answers anonymous';

-- Wave over wave: is the change real?
CREATE OR REPLACE VIEW @extschema@.nps_trend WITH (security_barrier) AS
WITH shown AS (
    SELECT c.wave, w.opened_at, CASE WHEN NOT c.hidden THEN c.s END AS s
      FROM @extschema@.pm_survey_cells c JOIN @extschema@.survey_waves w ON w.wave = c.wave
     WHERE c.question = 'nps' AND c.capability IS NULL AND c.team IS NULL),
paired AS (
    SELECT sh.wave, sh.s, lag(sh.s) OVER (ORDER BY sh.opened_at, sh.wave) AS prev FROM shown sh)
SELECT p.wave,
       @extschema@.nps(p.s) AS nps,
       @extschema@.nps(p.prev) AS previous_nps,
       @extschema@.nps(p.s) - @extschema@.nps(p.prev) AS change,
       @extschema@.nps_test(p.prev, p.s) AS p_value,
       @extschema@.nps_test(p.prev, p.s) < 0.05 AS significant
  FROM paired p;
COMMENT ON VIEW @extschema@.nps_trend IS 'Platform NPS of each closed wave against the previously opened one, with the p-value of the change';
COMMENT ON COLUMN @extschema@.nps_trend.wave IS 'Survey wave (closed)';
COMMENT ON COLUMN @extschema@.nps_trend.nps IS 'NPS of the wave (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.nps_trend.previous_nps IS 'NPS of the previous wave';
COMMENT ON COLUMN @extschema@.nps_trend.change IS 'Change in NPS points from the previous wave';
COMMENT ON COLUMN @extschema@.nps_trend.p_value IS 'Two-sided p-value that the two waves'' NPS are equal (nps_test)';
COMMENT ON COLUMN @extschema@.nps_trend.significant IS 'True when the change is significant at 5%';

-- How the waves are going, live: wave-level counts only, no team, no score,
-- and no count under min_group_size() (nor of a closed wave whose total the
-- other views hide).
CREATE OR REPLACE VIEW @extschema@.survey_progress WITH (security_barrier) AS
WITH asked AS MATERIALIZED (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t),
counted AS (
    SELECT r.wave, count(*) AS n
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NULL AND r.question = 'nps'
     GROUP BY r.wave),
totals AS (
    SELECT x.wave, x.hidden FROM @extschema@.pm_survey_cells x
     WHERE x.question = 'nps' AND x.capability IS NULL AND x.team IS NULL),
shown AS (
    SELECT w.wave, w.opened_at, w.closed_at,
           CASE WHEN coalesce(c.n, 0) >= @extschema@.min_group_size() AND NOT coalesce(t.hidden, false)
                THEN c.n END AS n
      FROM @extschema@.survey_waves w LEFT JOIN counted c ON c.wave = w.wave
           LEFT JOIN totals t ON t.wave = w.wave)
SELECT s.wave, s.opened_at, s.closed_at, s.n AS responses,
       s.n::double precision / nullif(a.population, 0) AS response_rate
  FROM shown s CROSS JOIN asked a;
COMMENT ON VIEW @extschema@.survey_progress IS 'Every survey wave, open or closed, with its number of answers so far (wave level only)';
COMMENT ON COLUMN @extschema@.survey_progress.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.survey_progress.opened_at IS 'When it opened';
COMMENT ON COLUMN @extschema@.survey_progress.closed_at IS 'When it closed (NULL: still taking answers; the other survey views show it once closed)';
COMMENT ON COLUMN @extschema@.survey_progress.responses IS 'Answers to the platform NPS question so far (NULL while under platform_metrics.min_group_size, or when the closed wave''s total is suppressed)';
COMMENT ON COLUMN @extschema@.survey_progress.response_rate IS 'Answers divided by the developers asked (sum of team headcounts)';

-- survey_comments in 1.0 let a reader's leakproof conditions (comment >= 'x')
-- run on the raw rows before the group-size check, so EXPLAIN ANALYZE (or the
-- query's timing) told whether a hidden comment matched a guess.  The comments
-- now come from a function the planner cannot look into: it decides which
-- groups are large enough and returns only their comments, whatever the
-- reader's query filters on.
CREATE OR REPLACE FUNCTION @extschema@.pm_question_comments(OUT wave text, OUT team text, OUT capability text,
        OUT question text, OUT comment text)
    RETURNS SETOF record
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE ROWS 1000
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    q text;
BEGIN
    -- A comment is shown with its wave, team, capability and question, so its
    -- own group (wave, team, capability, question) must be large enough, and
    -- open waves show nothing.  A team that the views hide for a question
    -- shows no platform comments to it (their number would tell its size).
    -- One question at a time (its cells are a fraction of all); rows come
    -- sorted by question, wave, team, capability and text, never in the order
    -- the answers arrived.
    FOR q IN SELECT DISTINCT r.question FROM @extschema@.survey_responses r
              WHERE r.comment IS NOT NULL AND r.comment <> '' ORDER BY r.question
    LOOP
        RETURN QUERY
        WITH groups AS (
            SELECT r.wave, r.team, coalesce(r.capability, '') AS capability
              FROM @extschema@.survey_responses r
             WHERE r.question = q
             GROUP BY r.wave, r.team, coalesce(r.capability, '')
            HAVING count(*) >= @extschema@.min_comment_group_size())
        SELECT g.wave, g.team, g.capability, q, g.comment
          FROM (SELECT r.wave, r.team, r.capability, r.comment
                  FROM @extschema@.survey_responses r
                  JOIN @extschema@.survey_waves w ON w.wave = r.wave
                  JOIN groups n ON n.wave = r.wave AND n.team = r.team AND n.capability = coalesce(r.capability, '')
                 WHERE r.question = q AND w.closed_at IS NOT NULL AND r.comment IS NOT NULL AND r.comment <> '') g
         WHERE (g.capability IS NOT NULL
                OR (g.wave, g.team) IN (SELECT c.wave, c.team FROM @extschema@.pm_survey_cells c
                                         WHERE c.question = q AND c.capability IS NULL AND c.team IS NOT NULL
                                           AND NOT c.hidden))
         ORDER BY g.wave, g.team, g.capability NULLS FIRST, g.comment;
    END LOOP;
END
$fn$;
COMMENT ON FUNCTION @extschema@.pm_question_comments() IS
    'survey_comments: the comments of closed waves whose own group (wave, team, capability, question) has at least platform_metrics.min_comment_group_size answers';
REVOKE ALL ON FUNCTION @extschema@.pm_question_comments() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.pm_question_comments() TO platform_metrics_reader;

-- The 1.3 form, without the question (kept for roles granted it directly).
CREATE OR REPLACE FUNCTION @extschema@.pm_survey_comments(OUT wave text, OUT team text, OUT capability text, OUT comment text)
    RETURNS SETOF record
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE ROWS 1000
    SET search_path = pg_catalog, pg_temp
AS $fn$
    SELECT c.wave, c.team, c.capability, c.comment FROM @extschema@.pm_question_comments() c WHERE c.question = 'nps'
     ORDER BY c.wave, c.team, c.capability NULLS FIRST, c.comment
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_comments() IS
    'The comments of pm_question_comments() to the nps question, as 1.3 returned them';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_comments() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.pm_survey_comments() TO platform_metrics_reader;

CREATE OR REPLACE VIEW @extschema@.survey_comments WITH (security_barrier) AS
SELECT c.wave, c.team, c.capability, c.comment, c.question FROM @extschema@.pm_question_comments() c
 ORDER BY c.wave, c.team, c.capability NULLS FIRST, c.question, c.comment;
COMMENT ON VIEW @extschema@.survey_comments IS
    'Free-text comments of closed waves, for groups (wave, team, capability, question) with at least platform_metrics.min_comment_group_size answers';

COMMENT ON COLUMN @extschema@.survey_comments.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.survey_comments.team IS 'Team of the respondent';
COMMENT ON COLUMN @extschema@.survey_comments.capability IS 'Capability the answer was about (NULL: the platform)';
COMMENT ON COLUMN @extschema@.survey_comments.question IS 'Question the comment came with (survey_questions)';
COMMENT ON COLUMN @extschema@.survey_comments.comment IS 'The comment';

-- The Mandate-Choice matrix, from each capability's answers in the latest
-- closed wave (the one opened last) where they are shown: a wave where too
-- few rated it is passed over, not named.
CREATE OR REPLACE VIEW @extschema@.capability_quadrants WITH (security_barrier) AS
WITH latest AS (
    SELECT DISTINCT ON (c.capability) c.capability, c.wave, c.s, c.n, c.hidden
      FROM @extschema@.pm_survey_cells c JOIN @extschema@.survey_waves w ON w.wave = c.wave
     WHERE c.question = 'nps' AND c.capability IS NOT NULL AND c.team IS NULL AND NOT c.hidden
     ORDER BY c.capability, w.opened_at DESC, c.wave DESC)
SELECT c.capability, c.mandatory, l.wave,
       CASE WHEN NOT x.suppressed THEN l.n END AS responses,
       CASE WHEN NOT x.suppressed THEN @extschema@.nps(l.s) END AS nps,
       CASE WHEN NOT x.suppressed THEN ci.low END AS ci_low,
       CASE WHEN NOT x.suppressed THEN ci.high END AS ci_high,
       CASE WHEN NOT x.suppressed THEN @extschema@.mandate_quadrant(c.mandatory, l.s) END AS quadrant,
       CASE WHEN NOT x.suppressed
            THEN coalesce(@extschema@.recommended_action(@extschema@.mandate_quadrant(c.mandatory, l.s)),
                          'insufficient evidence') END AS action,
       x.suppressed
  FROM @extschema@.capabilities c
       LEFT JOIN latest l ON l.capability = c.capability
       CROSS JOIN LATERAL (SELECT coalesce(l.hidden, true) AS suppressed) x
       LEFT JOIN LATERAL @extschema@.nps_ci(l.s) ci ON true;
COMMENT ON VIEW @extschema@.capability_quadrants IS 'Mandate-Choice quadrant of each capability from its latest survey wave, judged by the 95% NPS interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.capability_quadrants.mandatory IS 'Whether teams must use it';
COMMENT ON COLUMN @extschema@.capability_quadrants.wave IS 'Latest closed wave with enough answers about it to show (NULL: none)';
COMMENT ON COLUMN @extschema@.capability_quadrants.responses IS 'Answers about it in that wave (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.capability_quadrants.nps IS 'Its NPS in that wave';
COMMENT ON COLUMN @extschema@.capability_quadrants.ci_low IS 'Lower end of the 95% interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.ci_high IS 'Upper end of the 95% interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.quadrant IS 'mandate_quadrant; NULL when the interval contains the threshold (insufficient evidence)';
COMMENT ON COLUMN @extschema@.capability_quadrants.action IS 'invest, fix ASAP, product-market fit, kill, or insufficient evidence';
COMMENT ON COLUMN @extschema@.capability_quadrants.suppressed IS 'True when too few answered: the numbers are hidden';

-- The reader reads the views, nothing else.
GRANT SELECT ON @extschema@.nps_by_survey, @extschema@.nps_by_team, @extschema@.nps_trend,
    @extschema@.survey_progress, @extschema@.survey_comments, @extschema@.capability_quadrants
    TO platform_metrics_reader;
