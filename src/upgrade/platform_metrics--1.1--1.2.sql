-- platform_metrics 1.1 -> 1.2: the analytics layer becomes its own extension,
-- platform_metrics_analytics.  This update releases the layer's objects from
-- platform_metrics; they stay as they are, with their rows, grants and every
-- user object built on them, until CREATE EXTENSION platform_metrics_analytics
-- adopts them.  Until then they keep working: their C functions still name
-- '$libdir/platform_metrics', which forwards to the layer's module.
-- Nothing is dropped (ALTER EXTENSION ... DROP only ends the membership).

\echo Use "ALTER EXTENSION platform_metrics UPDATE TO '1.2'" to load this file. \quit

ALTER EXTENSION platform_metrics DROP TABLE @extschema@.capabilities;
ALTER EXTENSION platform_metrics DROP TABLE @extschema@.teams;
ALTER EXTENSION platform_metrics DROP TABLE @extschema@.survey_responses;
ALTER EXTENSION platform_metrics DROP TABLE @extschema@.usage_events;
ALTER EXTENSION platform_metrics DROP TABLE @extschema@.onboarding;
ALTER EXTENSION platform_metrics DROP TABLE @extschema@.feedback;
ALTER EXTENSION platform_metrics DROP TABLE @extschema@.unplanned_work;

ALTER EXTENSION platform_metrics DROP VIEW @extschema@.nps_by_survey;
ALTER EXTENSION platform_metrics DROP VIEW @extschema@.nps_by_team;
ALTER EXTENSION platform_metrics DROP VIEW @extschema@.nps_trend;
ALTER EXTENSION platform_metrics DROP VIEW @extschema@.survey_comments;
ALTER EXTENSION platform_metrics DROP VIEW @extschema@.time_to_value;
ALTER EXTENSION platform_metrics DROP VIEW @extschema@.capability_adoption;
ALTER EXTENSION platform_metrics DROP VIEW @extschema@.capability_retention;
ALTER EXTENSION platform_metrics DROP VIEW @extschema@.churned_teams;
ALTER EXTENSION platform_metrics DROP VIEW @extschema@.post_launch_adoption;
ALTER EXTENSION platform_metrics DROP VIEW @extschema@.capability_quadrants;
ALTER EXTENSION platform_metrics DROP VIEW @extschema@.feedback_loop;
ALTER EXTENSION platform_metrics DROP VIEW @extschema@.unplanned_work_by_month;

ALTER EXTENSION platform_metrics DROP FUNCTION @extschema@.min_group_size();
ALTER EXTENSION platform_metrics DROP FUNCTION @extschema@.min_comment_group_size();
ALTER EXTENSION platform_metrics DROP FUNCTION @extschema@.pm_parse_timestamptz(text);
ALTER EXTENSION platform_metrics DROP FUNCTION @extschema@.pm_ingest_validate(jsonb);
ALTER EXTENSION platform_metrics DROP FUNCTION @extschema@.ingest(jsonb);
ALTER EXTENSION platform_metrics DROP FUNCTION @extschema@.pm_survey_comments();
