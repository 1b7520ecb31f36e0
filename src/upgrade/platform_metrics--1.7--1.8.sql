-- platform_metrics 1.7 -> 1.8: aggregates that run where Citus puts them.
--
-- churn_cohort: one C transition function per member type (the 1.7 one read
-- the member type from the call's expression, which Citus's
-- worker_partial_agg() does not pass), and a form with an explicit time
-- zone, whose periods do not depend on the session's TimeZone.
-- ttv_curve: the state is the stored type ttv_curve instead of internal, so
-- partial aggregates hand on curves (Citus pushes them to the workers).
-- Nothing is dropped: the aggregates are replaced in place, and the old
-- internal-state support functions of ttv_curve stay for user aggregates
-- built on them.

\echo Use "ALTER EXTENSION platform_metrics UPDATE TO '1.8'" to load this file. \quit

CREATE OR REPLACE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, text, timestamptz, interval)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc_text' LANGUAGE C STABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, bigint, timestamptz, interval)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc_int8' LANGUAGE C STABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, uuid, timestamptz, interval)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc_uuid' LANGUAGE C STABLE PARALLEL SAFE;

-- churn_cohort(member, active_at, period, time_zone)
CREATE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, text, timestamptz, interval, text)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, bigint, timestamptz, interval, text)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, uuid, timestamptz, interval, text)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc_uuid' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, text, timestamptz, interval, text) IS
    'Transition function of churn_cohort(text, timestamptz, interval, text)';
COMMENT ON FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, bigint, timestamptz, interval, text) IS
    'Transition function of churn_cohort(bigint, timestamptz, interval, text)';
COMMENT ON FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, uuid, timestamptz, interval, text) IS
    'Transition function of churn_cohort(uuid, timestamptz, interval, text)';
CREATE AGGREGATE @extschema@.churn_cohort(member text, active_at timestamptz, period interval, time_zone text) (
    SFUNC = @extschema@.cohort_matrix_sfunc, STYPE = @extschema@.cohort_matrix, SSPACE = 1048576,
    FINALFUNC = @extschema@.cohort_matrix_ffunc, COMBINEFUNC = @extschema@.cohort_matrix_combine,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.churn_cohort(member bigint, active_at timestamptz, period interval, time_zone text) (
    SFUNC = @extschema@.cohort_matrix_sfunc, STYPE = @extschema@.cohort_matrix, SSPACE = 1048576,
    FINALFUNC = @extschema@.cohort_matrix_ffunc, COMBINEFUNC = @extschema@.cohort_matrix_combine,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.churn_cohort(member uuid, active_at timestamptz, period interval, time_zone text) (
    SFUNC = @extschema@.cohort_matrix_sfunc, STYPE = @extschema@.cohort_matrix, SSPACE = 1048576,
    FINALFUNC = @extschema@.cohort_matrix_ffunc, COMBINEFUNC = @extschema@.cohort_matrix_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.churn_cohort(text, timestamptz, interval, text) IS
    'Usage cohorts with periods in the given time zone, whatever the session''s TimeZone';
COMMENT ON AGGREGATE @extschema@.churn_cohort(bigint, timestamptz, interval, text) IS
    'Usage cohorts of bigint members, periods in the given time zone';
COMMENT ON AGGREGATE @extschema@.churn_cohort(uuid, timestamptz, interval, text) IS
    'Usage cohorts of uuid members, periods in the given time zone';

-- ttv_curve with a ttv_curve state
CREATE FUNCTION @extschema@.ttv_curve_sfunc(@extschema@.ttv_curve, timestamptz, timestamptz)
    RETURNS @extschema@.ttv_curve
    AS 'MODULE_PATHNAME', 'ttv_curve_state_sfunc' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttv_curve_sfunc(@extschema@.ttv_curve, timestamptz, timestamptz, timestamptz)
    RETURNS @extschema@.ttv_curve
    AS 'MODULE_PATHNAME', 'ttv_curve_state_sfunc' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_curve_sfunc(@extschema@.ttv_curve, timestamptz, timestamptz) IS
    'Transition function of ttv_curve(started_at, reached_at)';
COMMENT ON FUNCTION @extschema@.ttv_curve_sfunc(@extschema@.ttv_curve, timestamptz, timestamptz, timestamptz) IS
    'Transition function of ttv_curve(started_at, reached_at, as_of)';
CREATE FUNCTION @extschema@.ttv_curve_ffunc(@extschema@.ttv_curve) RETURNS @extschema@.ttv_curve
    AS 'MODULE_PATHNAME', 'ttv_curve_state_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_curve_ffunc(@extschema@.ttv_curve) IS 'Final function of ttv_curve(): the flat curve';
CREATE OR REPLACE AGGREGATE @extschema@.ttv_curve(started_at timestamptz, reached_at timestamptz) (
    SFUNC = @extschema@.ttv_curve_sfunc, STYPE = @extschema@.ttv_curve, SSPACE = 1048576,
    FINALFUNC = @extschema@.ttv_curve_ffunc, COMBINEFUNC = @extschema@.ttv_curve_combine,
    PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE @extschema@.ttv_curve(started_at timestamptz, reached_at timestamptz, as_of timestamptz) (
    SFUNC = @extschema@.ttv_curve_sfunc, STYPE = @extschema@.ttv_curve, SSPACE = 1048576,
    FINALFUNC = @extschema@.ttv_curve_ffunc, COMBINEFUNC = @extschema@.ttv_curve_combine,
    PARALLEL = SAFE
);
-- the internal-state functions stay, for user aggregates built on them
COMMENT ON FUNCTION @extschema@.ttv_curve_sfunc(internal, timestamptz, timestamptz) IS
    'Transition function of ttv_curve(started_at, reached_at) up to 1.7 (an internal state), kept for aggregates built on it';
COMMENT ON FUNCTION @extschema@.ttv_curve_sfunc(internal, timestamptz, timestamptz, timestamptz) IS
    'Transition function of ttv_curve(started_at, reached_at, as_of) up to 1.7 (an internal state), kept for aggregates built on it';
COMMENT ON FUNCTION @extschema@.ttv_curve_ffunc(internal) IS
    'Final function of ttv_curve() up to 1.7 (an internal state), kept for aggregates built on it';
