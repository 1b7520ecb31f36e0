-- survey_views.sql: what readers see of the survey, above the anonymity thresholds

-- Platform NPS per survey wave (the question about the platform as a whole).
CREATE OR REPLACE VIEW @extschema@.nps_by_survey WITH (security_barrier) AS
WITH waves AS (
    SELECT r.wave, @extschema@.nps_summary(r.score::integer) AS s, count(*) AS n
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NULL AND r.question = 'nps'
     GROUP BY r.wave),
asked AS (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t)
SELECT w.wave,
       w.n AS responses,
       CASE WHEN NOT x.suppressed THEN w.n::double precision / nullif(a.population, 0) END AS response_rate,
       CASE WHEN NOT x.suppressed THEN @extschema@.promoters(w.s) END AS promoters,
       CASE WHEN NOT x.suppressed THEN @extschema@.passives(w.s) END AS passives,
       CASE WHEN NOT x.suppressed THEN @extschema@.detractors(w.s) END AS detractors,
       CASE WHEN NOT x.suppressed THEN @extschema@.nps(w.s) END AS nps,
       CASE WHEN NOT x.suppressed THEN ci.low END AS ci_low,
       CASE WHEN NOT x.suppressed THEN ci.high END AS ci_high,
       x.suppressed
  FROM waves w CROSS JOIN asked a
       CROSS JOIN LATERAL (SELECT w.n < @extschema@.min_group_size() AS suppressed) x
       CROSS JOIN LATERAL @extschema@.nps_ci(w.s, 0.95, greatest(a.population, w.n)) ci;
COMMENT ON VIEW @extschema@.nps_by_survey IS 'Platform NPS per survey wave with its 95% interval; small waves suppressed';
COMMENT ON COLUMN @extschema@.nps_by_survey.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.nps_by_survey.responses IS 'Number of answers to the platform NPS question';
COMMENT ON COLUMN @extschema@.nps_by_survey.response_rate IS 'Answers divided by the developers asked (sum of team headcounts)';
COMMENT ON COLUMN @extschema@.nps_by_survey.promoters IS 'Answers 9-10';
COMMENT ON COLUMN @extschema@.nps_by_survey.passives IS 'Answers 7-8';
COMMENT ON COLUMN @extschema@.nps_by_survey.detractors IS 'Answers 0-6';
COMMENT ON COLUMN @extschema@.nps_by_survey.nps IS 'Net Promoter Score, -100 to 100';
COMMENT ON COLUMN @extschema@.nps_by_survey.ci_low IS 'Lower end of the 95% adjusted-Wald interval (finite-population corrected)';
COMMENT ON COLUMN @extschema@.nps_by_survey.ci_high IS 'Upper end of the 95% interval';
COMMENT ON COLUMN @extschema@.nps_by_survey.suppressed IS 'True when fewer than platform_metrics.min_group_size answered: the numbers are hidden';

-- Platform NPS per team and wave, with complementary suppression.
CREATE OR REPLACE VIEW @extschema@.nps_by_team WITH (security_barrier) AS
WITH groups AS (
    SELECT r.wave, r.team, @extschema@.nps_summary(r.score::integer) AS s, count(*) AS n
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NULL AND r.question = 'nps'
     GROUP BY r.wave, r.team),
marked AS (
    SELECT g.*, g.n < @extschema@.min_group_size() AS small FROM groups g),
ordered AS (
    SELECT m.*,
           coalesce(sum(m.n) FILTER (WHERE m.small) OVER (PARTITION BY m.wave), 0) AS small_total,
           coalesce(sum(m.n) FILTER (WHERE NOT m.small)
                    OVER (PARTITION BY m.wave ORDER BY m.small, m.n, m.team
                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS larger_before
      FROM marked m)
SELECT o.wave, o.team,
       o.n AS responses,
       CASE WHEN NOT x.suppressed THEN o.n::double precision / t.headcount END AS response_rate,
       CASE WHEN NOT x.suppressed THEN @extschema@.promoters(o.s) END AS promoters,
       CASE WHEN NOT x.suppressed THEN @extschema@.passives(o.s) END AS passives,
       CASE WHEN NOT x.suppressed THEN @extschema@.detractors(o.s) END AS detractors,
       CASE WHEN NOT x.suppressed THEN @extschema@.nps(o.s) END AS nps,
       CASE WHEN NOT x.suppressed THEN ci.low END AS ci_low,
       CASE WHEN NOT x.suppressed THEN ci.high END AS ci_high,
       x.suppressed
  FROM ordered o JOIN @extschema@.teams t ON t.team = o.team
       CROSS JOIN LATERAL (
           -- small groups, and then the next-smallest ones until the hidden
           -- answers of the wave reach the threshold (so nobody can subtract
           -- the shown teams from the wave's total)
           SELECT o.small
                  OR (o.small_total > 0 AND o.small_total + o.larger_before < @extschema@.min_group_size())
                  AS suppressed) x
       CROSS JOIN LATERAL @extschema@.nps_ci(o.s, 0.95, greatest(t.headcount, o.n)::bigint) ci;
COMMENT ON VIEW @extschema@.nps_by_team IS 'Platform NPS per team and wave; small teams suppressed, and the next-smallest too so that no group can be recovered by subtraction';
COMMENT ON COLUMN @extschema@.nps_by_team.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.nps_by_team.team IS 'Team';
COMMENT ON COLUMN @extschema@.nps_by_team.responses IS 'Number of answers from the team';
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
WITH waves AS (
    SELECT r.wave, @extschema@.nps_summary(r.score::integer) AS s, count(*) AS n
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NULL AND r.question = 'nps'
     GROUP BY r.wave),
shown AS (
    SELECT w.wave, CASE WHEN w.n >= @extschema@.min_group_size() THEN w.s END AS s FROM waves w),
paired AS (
    SELECT sh.wave, sh.s, lag(sh.s) OVER (ORDER BY sh.wave) AS prev FROM shown sh)
SELECT p.wave,
       @extschema@.nps(p.s) AS nps,
       @extschema@.nps(p.prev) AS previous_nps,
       @extschema@.nps(p.s) - @extschema@.nps(p.prev) AS change,
       @extschema@.nps_test(p.prev, p.s) AS p_value,
       @extschema@.nps_test(p.prev, p.s) < 0.05 AS significant
  FROM paired p;
COMMENT ON VIEW @extschema@.nps_trend IS 'Platform NPS wave over wave, with the p-value of the change';
COMMENT ON COLUMN @extschema@.nps_trend.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.nps_trend.nps IS 'NPS of the wave (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.nps_trend.previous_nps IS 'NPS of the previous wave';
COMMENT ON COLUMN @extschema@.nps_trend.change IS 'Change in NPS points from the previous wave';
COMMENT ON COLUMN @extschema@.nps_trend.p_value IS 'Two-sided p-value that the two waves'' NPS are equal (nps_test)';
COMMENT ON COLUMN @extschema@.nps_trend.significant IS 'True when the change is significant at 5%';

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
    WITH large_enough AS MATERIALIZED (
        -- A group's size is its number of respondents; answers carry no
        -- respondent, but everyone answers a question at most once, so the most
        -- answers any one question got is a lower bound of it.
        SELECT q.wave, q.team
          FROM (SELECT g.wave, g.team, count(*) AS n
                  FROM @extschema@.survey_responses g
                 GROUP BY g.wave, g.team, g.capability, g.question) q
         GROUP BY q.wave, q.team
        HAVING max(q.n) >= @extschema@.min_comment_group_size())
    SELECT r.wave, r.team, r.capability, r.comment
      FROM @extschema@.survey_responses r
      JOIN large_enough l ON l.wave = r.wave AND l.team = r.team
     WHERE r.comment IS NOT NULL AND r.comment <> ''
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_comments() IS
    'survey_comments: the comments of groups with at least platform_metrics.min_comment_group_size respondents';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_comments() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.pm_survey_comments() TO platform_metrics_reader;

CREATE OR REPLACE VIEW @extschema@.survey_comments WITH (security_barrier) AS
SELECT c.wave, c.team, c.capability, c.comment FROM @extschema@.pm_survey_comments() c;
COMMENT ON VIEW @extschema@.survey_comments IS
    'Free-text comments of teams with at least platform_metrics.min_comment_group_size respondents in the wave';

COMMENT ON COLUMN @extschema@.survey_comments.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.survey_comments.team IS 'Team of the respondent';
COMMENT ON COLUMN @extschema@.survey_comments.capability IS 'Capability the answer was about (NULL: the platform)';
COMMENT ON COLUMN @extschema@.survey_comments.comment IS 'The comment';

-- The Mandate-Choice matrix, from each capability's answers in its latest wave.
CREATE OR REPLACE VIEW @extschema@.capability_quadrants WITH (security_barrier) AS
WITH latest AS (
    SELECT r.capability, max(r.wave) AS wave
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NOT NULL AND r.question = 'nps'
     GROUP BY r.capability),
summaries AS (
    SELECT r.capability, l.wave, @extschema@.nps_summary(r.score::integer) AS s, count(*) AS n
      FROM @extschema@.survey_responses r JOIN latest l ON l.capability = r.capability AND l.wave = r.wave
     WHERE r.question = 'nps'
     GROUP BY r.capability, l.wave)
SELECT c.capability, c.mandatory, s.wave,
       coalesce(s.n, 0) AS responses,
       CASE WHEN NOT x.suppressed THEN @extschema@.nps(s.s) END AS nps,
       CASE WHEN NOT x.suppressed THEN ci.low END AS ci_low,
       CASE WHEN NOT x.suppressed THEN ci.high END AS ci_high,
       CASE WHEN NOT x.suppressed THEN @extschema@.mandate_quadrant(c.mandatory, s.s) END AS quadrant,
       CASE WHEN NOT x.suppressed
            THEN coalesce(@extschema@.recommended_action(@extschema@.mandate_quadrant(c.mandatory, s.s)),
                          'insufficient evidence') END AS action,
       x.suppressed
  FROM @extschema@.capabilities c
       LEFT JOIN summaries s ON s.capability = c.capability
       CROSS JOIN LATERAL (SELECT coalesce(s.n, 0) < @extschema@.min_group_size() AS suppressed) x
       LEFT JOIN LATERAL @extschema@.nps_ci(s.s) ci ON true;
COMMENT ON VIEW @extschema@.capability_quadrants IS 'Mandate-Choice quadrant of each capability from its latest survey wave, judged by the 95% NPS interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.capability_quadrants.mandatory IS 'Whether teams must use it';
COMMENT ON COLUMN @extschema@.capability_quadrants.wave IS 'Latest wave with answers about it';
COMMENT ON COLUMN @extschema@.capability_quadrants.responses IS 'Answers about it in that wave';
COMMENT ON COLUMN @extschema@.capability_quadrants.nps IS 'Its NPS in that wave';
COMMENT ON COLUMN @extschema@.capability_quadrants.ci_low IS 'Lower end of the 95% interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.ci_high IS 'Upper end of the 95% interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.quadrant IS 'mandate_quadrant; NULL when the interval contains the threshold (insufficient evidence)';
COMMENT ON COLUMN @extschema@.capability_quadrants.action IS 'invest, fix ASAP, product-market fit, kill, or insufficient evidence';
COMMENT ON COLUMN @extschema@.capability_quadrants.suppressed IS 'True when too few answered: the numbers are hidden';

-- The reader reads the views, nothing else.
GRANT SELECT ON @extschema@.nps_by_survey, @extschema@.nps_by_team, @extschema@.nps_trend,
    @extschema@.survey_comments, @extschema@.capability_quadrants
    TO platform_metrics_reader;
