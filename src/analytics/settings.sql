-- settings.sql: the anonymity thresholds (platform_metrics_analytics.c)

-- Anonymity thresholds, settable only by superusers (a reader must not lower them).
CREATE OR REPLACE FUNCTION @extschema@.min_group_size() RETURNS integer
    AS 'MODULE_PATHNAME', 'min_group_size' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.min_group_size() IS
    'Smallest number of respondents a survey figure is shown for (setting platform_metrics.min_group_size)';
CREATE OR REPLACE FUNCTION @extschema@.min_comment_group_size() RETURNS integer
    AS 'MODULE_PATHNAME', 'min_comment_group_size' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.min_comment_group_size() IS
    'Smallest number of respondents comments are shown for (setting platform_metrics.min_comment_group_size)';
