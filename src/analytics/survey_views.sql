-- survey_views.sql: what readers see of the survey, above the anonymity thresholds

-- One suppression mechanism for every survey view (since 1.3).  pm_survey_cells
-- holds each publishable group of a closed wave's catalogued answers (until
-- the question catalogue: the nps question), with its summary and whether it
-- is hidden:
--   the wave (capability NULL, team NULL): the platform question's total;
--   each team in the wave (capability NULL): the platform question by team;
--   each capability in the wave (team NULL): that capability's answers.
-- A group with fewer than min_group_size() answers is hidden.  The teams of a
-- wave partition its total, so the hidden teams' answers are known per
-- category as "total minus shown teams": when a wave has a small team, the
-- next-smallest teams are hidden too, until the hidden answers are safe to
-- leave as a remainder (pm_hidden_answers_safe): at least min_group_size() of
-- them, at least two in every category, and enough teams that one answer taken
-- away still leaves two.  Then no hidden team's category count is pinned to
-- one value, even for someone who knows how many of each hidden team answered
-- and is one of the hidden respondents (README, Anonymity).  If hiding every
-- team is not enough, the wave's total is hidden as well.
-- Capabilities have no published total, so nothing can be subtracted there.
CREATE OR REPLACE FUNCTION @extschema@.pm_hidden_answers_safe(hidden @extschema@.nps_summary, k integer,
        groups bigint, single_answer_groups bigint)
    RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN hidden IS NOT NULL AND @extschema@.responses(hidden) >= k
           AND @extschema@.promoters(hidden) >= 2 AND @extschema@.passives(hidden) >= 2
           AND @extschema@.detractors(hidden) >= 2
           AND (groups >= 3 OR (groups = 2 AND single_answer_groups = 0));
COMMENT ON FUNCTION @extschema@.pm_hidden_answers_safe(@extschema@.nps_summary, integer, bigint, bigint) IS
    'Whether the hidden answers of a wave (in groups, of which single_answer_groups have one answer) may be left as a remainder: at least k, two of every category, two groups left without any one answer';

CREATE OR REPLACE VIEW @extschema@.pm_survey_cells WITH (security_barrier) AS
WITH threshold AS (
    SELECT @extschema@.min_group_size() AS k),
answers AS (
    SELECT r.wave, r.team, r.capability, r.score
      FROM @extschema@.survey_responses r
      JOIN @extschema@.survey_waves w ON w.wave = r.wave
     WHERE w.closed_at IS NOT NULL AND r.question = 'nps'),
totals AS (
    SELECT a.wave, a.capability, @extschema@.nps_summary(a.score::integer) AS s, count(*) AS n
      FROM answers a
     GROUP BY a.wave, a.capability),
by_team AS (
    SELECT a.wave, a.team, @extschema@.nps_summary(a.score::integer) AS s, count(*) AS n
      FROM answers a
     WHERE a.capability IS NULL
     GROUP BY a.wave, a.team),
ordered AS (
    -- small teams first, then the others from the smallest: hidden_before is
    -- what hiding every team before this one would hide
    SELECT b.wave, b.team, b.s, b.n, b.n < t.k AS small,
           bool_or(b.n < t.k) OVER w AS wave_has_small,
           @extschema@.rollup(b.s) OVER before AS hidden_before,
           count(*) OVER before AS teams_before,
           count(*) FILTER (WHERE b.n = 1) OVER before AS singles_before,
           count(*) OVER w AS teams,
           count(*) FILTER (WHERE b.n = 1) OVER w AS singles
      FROM by_team b CROSS JOIN threshold t
    WINDOW w AS (PARTITION BY b.wave),
           before AS (w ORDER BY b.n < t.k DESC, b.n, b.team ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)),
wave_flags AS (
    SELECT DISTINCT o.wave, o.wave_has_small, o.teams, o.singles FROM ordered o)
SELECT o.wave, NULL::text AS capability, o.team, o.s, o.n,
       o.small OR (o.wave_has_small
                   AND NOT @extschema@.pm_hidden_answers_safe(o.hidden_before, t.k, o.teams_before, o.singles_before))
           AS hidden
  FROM ordered o CROSS JOIN threshold t
UNION ALL
SELECT g.wave, g.capability, NULL::text, g.s, g.n,
       g.n < t.k OR (g.capability IS NULL AND coalesce(f.wave_has_small, false)
                     AND NOT @extschema@.pm_hidden_answers_safe(g.s, t.k, f.teams, f.singles))
  FROM totals g CROSS JOIN threshold t
       LEFT JOIN wave_flags f ON f.wave = g.wave AND g.capability IS NULL;
COMMENT ON VIEW @extschema@.pm_survey_cells IS
    'Internal: every publishable survey group of the closed waves, and whether it is hidden (the one suppression mechanism of the survey views)';

-- Platform NPS per survey wave (the question about the platform as a whole).
CREATE OR REPLACE VIEW @extschema@.nps_by_survey WITH (security_barrier) AS
WITH asked AS (
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
 WHERE c.capability IS NULL AND c.team IS NULL;
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
 WHERE c.capability IS NULL AND c.team IS NOT NULL;
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
     WHERE c.capability IS NULL AND c.team IS NULL),
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
WITH asked AS (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t),
counted AS (
    SELECT r.wave, count(*) AS n
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NULL AND r.question = 'nps'
     GROUP BY r.wave),
totals AS (
    SELECT x.wave, x.hidden FROM @extschema@.pm_survey_cells x WHERE x.capability IS NULL AND x.team IS NULL),
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
CREATE OR REPLACE FUNCTION @extschema@.pm_survey_comments(OUT wave text, OUT team text, OUT capability text, OUT comment text)
    RETURNS SETOF record
    LANGUAGE sql STABLE SECURITY DEFINER PARALLEL SAFE ROWS 1000
    SET search_path = pg_catalog, pg_temp
AS $fn$
    -- A comment is shown with its wave, team and capability, so its own group
    -- (wave, team, capability, question) must be large enough; answers to
    -- questions not in the catalogue (until it arrives: all but nps) count
    -- for nothing, and open waves show nothing.  A team that nps_by_team hides
    -- shows no platform comments (their number would tell its size).  Rows
    -- come sorted, never in the order the answers arrived.
    SELECT g.wave, g.team, g.capability, g.comment
      FROM (SELECT r.wave, r.team, r.capability, r.comment,
                   count(*) OVER (PARTITION BY r.wave, r.team, r.capability, r.question) AS n
              FROM @extschema@.survey_responses r
              JOIN @extschema@.survey_waves w ON w.wave = r.wave
             WHERE w.closed_at IS NOT NULL AND r.question = 'nps') g
     WHERE g.n >= @extschema@.min_comment_group_size() AND g.comment IS NOT NULL AND g.comment <> ''
       AND (g.capability IS NOT NULL
            OR (g.wave, g.team) IN (SELECT c.wave, c.team FROM @extschema@.pm_survey_cells c
                                     WHERE c.capability IS NULL AND c.team IS NOT NULL AND NOT c.hidden))
     ORDER BY g.wave, g.team, g.capability NULLS FIRST, g.comment
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_comments() IS
    'survey_comments: the comments of closed waves whose own group (wave, team, capability, question) has at least platform_metrics.min_comment_group_size answers';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_comments() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.pm_survey_comments() TO platform_metrics_reader;

CREATE OR REPLACE VIEW @extschema@.survey_comments WITH (security_barrier) AS
SELECT c.wave, c.team, c.capability, c.comment FROM @extschema@.pm_survey_comments() c;
COMMENT ON VIEW @extschema@.survey_comments IS
    'Free-text comments of closed waves, for groups (wave, team, capability, question) with at least platform_metrics.min_comment_group_size answers';

COMMENT ON COLUMN @extschema@.survey_comments.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.survey_comments.team IS 'Team of the respondent';
COMMENT ON COLUMN @extschema@.survey_comments.capability IS 'Capability the answer was about (NULL: the platform)';
COMMENT ON COLUMN @extschema@.survey_comments.comment IS 'The comment';

-- The Mandate-Choice matrix, from each capability's answers in the latest
-- closed wave (the one opened last) where they are shown: a wave where too
-- few rated it is passed over, not named.
CREATE OR REPLACE VIEW @extschema@.capability_quadrants WITH (security_barrier) AS
WITH latest AS (
    SELECT DISTINCT ON (c.capability) c.capability, c.wave, c.s, c.n, c.hidden
      FROM @extschema@.pm_survey_cells c JOIN @extschema@.survey_waves w ON w.wave = c.wave
     WHERE c.capability IS NOT NULL AND c.team IS NULL AND NOT c.hidden
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
