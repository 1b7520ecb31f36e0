-- cohort_matrix.sql: churn_cohort and the stored cohort_matrix (cohort_matrix.c)

------------------------------------------------------------------------------
-- Usage analytics: cohort_matrix and churn_cohort
------------------------------------------------------------------------------

CREATE TYPE @extschema@.cohort_matrix;
CREATE FUNCTION @extschema@.cohort_matrix_in(cstring) RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_matrix_out(@extschema@.cohort_matrix) RETURNS cstring
    AS 'MODULE_PATHNAME', 'cohort_matrix_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_matrix_recv(internal) RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_matrix_send(@extschema@.cohort_matrix) RETURNS bytea
    AS 'MODULE_PATHNAME', 'cohort_matrix_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.cohort_matrix (
    INPUT = @extschema@.cohort_matrix_in, OUTPUT = @extschema@.cohort_matrix_out,
    RECEIVE = @extschema@.cohort_matrix_recv, SEND = @extschema@.cohort_matrix_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE @extschema@.cohort_matrix IS
    'Activity of every member per period (usage cohorts), mergeable with rollup(); read with cohort_rows() and cohort_churned()';
COMMENT ON FUNCTION @extschema@.cohort_matrix_in(cstring) IS 'Text input of cohort_matrix (validated)';
COMMENT ON FUNCTION @extschema@.cohort_matrix_out(@extschema@.cohort_matrix) IS 'Text output of cohort_matrix (lossless)';
COMMENT ON FUNCTION @extschema@.cohort_matrix_recv(internal) IS 'Binary input of cohort_matrix (validated)';
COMMENT ON FUNCTION @extschema@.cohort_matrix_send(@extschema@.cohort_matrix) IS 'Binary output of cohort_matrix';

CREATE FUNCTION @extschema@.cohort_matrix_eq(@extschema@.cohort_matrix, @extschema@.cohort_matrix) RETURNS boolean
    AS 'MODULE_PATHNAME', 'cohort_matrix_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.cohort_matrix_eq(@extschema@.cohort_matrix, @extschema@.cohort_matrix) IS 'Equality of cohort_matrix';
CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.cohort_matrix, RIGHTARG = @extschema@.cohort_matrix,
    FUNCTION = @extschema@.cohort_matrix_eq, COMMUTATOR = OPERATOR(@extschema@.=),
    RESTRICT = eqsel, JOIN = eqjoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.cohort_matrix, @extschema@.cohort_matrix) IS
    'same period, time zone and members with the same activity';

-- Transitions, one C function per member type (a caller need not pass the
-- call's expression: Citus's worker_partial_agg() does not).  The form
-- without time_zone reads the session's zone (calendar periods), so it is
-- STABLE; with time_zone the periods depend on the arguments only.
CREATE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, text, timestamptz, interval)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc_text' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, text, timestamptz, interval, text)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, bigint, timestamptz, interval)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc_int8' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, bigint, timestamptz, interval, text)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, uuid, timestamptz, interval)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc_uuid' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, uuid, timestamptz, interval, text)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc_uuid' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, text, timestamptz, interval) IS
    'Transition function of churn_cohort(text, timestamptz, interval)';
COMMENT ON FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, text, timestamptz, interval, text) IS
    'Transition function of churn_cohort(text, timestamptz, interval, text)';
COMMENT ON FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, bigint, timestamptz, interval) IS
    'Transition function of churn_cohort(bigint, timestamptz, interval)';
COMMENT ON FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, bigint, timestamptz, interval, text) IS
    'Transition function of churn_cohort(bigint, timestamptz, interval, text)';
COMMENT ON FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, uuid, timestamptz, interval) IS
    'Transition function of churn_cohort(uuid, timestamptz, interval)';
COMMENT ON FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, uuid, timestamptz, interval, text) IS
    'Transition function of churn_cohort(uuid, timestamptz, interval, text)';
CREATE FUNCTION @extschema@.cohort_matrix_combine(@extschema@.cohort_matrix, @extschema@.cohort_matrix)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cohort_matrix_combine(@extschema@.cohort_matrix, @extschema@.cohort_matrix) IS
    'Unions two matrices'' activity (combine function, and transition of rollup(cohort_matrix))';
CREATE FUNCTION @extschema@.cohort_matrix_ffunc(@extschema@.cohort_matrix) RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cohort_matrix_ffunc(@extschema@.cohort_matrix) IS
    'Final function of churn_cohort() and rollup(cohort_matrix): a compact copy';

CREATE AGGREGATE @extschema@.churn_cohort(member text, active_at timestamptz, period interval) (
    SFUNC = @extschema@.cohort_matrix_sfunc, STYPE = @extschema@.cohort_matrix, SSPACE = 1048576,
    FINALFUNC = @extschema@.cohort_matrix_ffunc, COMBINEFUNC = @extschema@.cohort_matrix_combine,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.churn_cohort(member bigint, active_at timestamptz, period interval) (
    SFUNC = @extschema@.cohort_matrix_sfunc, STYPE = @extschema@.cohort_matrix, SSPACE = 1048576,
    FINALFUNC = @extschema@.cohort_matrix_ffunc, COMBINEFUNC = @extschema@.cohort_matrix_combine,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.churn_cohort(member uuid, active_at timestamptz, period interval) (
    SFUNC = @extschema@.cohort_matrix_sfunc, STYPE = @extschema@.cohort_matrix, SSPACE = 1048576,
    FINALFUNC = @extschema@.cohort_matrix_ffunc, COMBINEFUNC = @extschema@.cohort_matrix_combine,
    PARALLEL = SAFE
);
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
COMMENT ON AGGREGATE @extschema@.churn_cohort(text, timestamptz, interval) IS
    'Usage cohorts: each member''s activity per period, its cohort the period of its first activity';
COMMENT ON AGGREGATE @extschema@.churn_cohort(bigint, timestamptz, interval) IS
    'Usage cohorts of bigint members';
COMMENT ON AGGREGATE @extschema@.churn_cohort(uuid, timestamptz, interval) IS
    'Usage cohorts of uuid members';
CREATE AGGREGATE @extschema@.rollup(@extschema@.cohort_matrix) (
    SFUNC = @extschema@.cohort_matrix_combine, STYPE = @extschema@.cohort_matrix, SSPACE = 1048576,
    FINALFUNC = @extschema@.cohort_matrix_ffunc, COMBINEFUNC = @extschema@.cohort_matrix_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.cohort_matrix) IS
    'Merges cohort matrices built on different partitions, days or shards; a member in several has its activity unioned';

CREATE FUNCTION @extschema@.cohort_rows(m @extschema@.cohort_matrix, as_of timestamptz DEFAULT now(),
        OUT cohort_start timestamptz, OUT period_offset integer, OUT period_start timestamptz,
        OUT cohort_size bigint, OUT active bigint, OUT retention double precision,
        OUT active_or_after bigint, OUT continuing bigint, OUT resurrecting bigint,
        OUT dormant bigint, OUT churned bigint)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'cohort_matrix_rows' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION @extschema@.cohort_rows(@extschema@.cohort_matrix, timestamptz) IS
    'Retention triangle, lifecycle and churn per cohort and period offset, observed up to as_of (later cells NULL)';

CREATE FUNCTION @extschema@.cohort_churned(m @extschema@.cohort_matrix, idle_periods integer DEFAULT 2,
        as_of timestamptz DEFAULT now(),
        OUT member text, OUT cohort_start timestamptz, OUT last_active timestamptz)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'cohort_matrix_churned' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.cohort_churned(@extschema@.cohort_matrix, integer, timestamptz) IS
    'Members idle for at least idle_periods whole periods before as_of, with their cohort and last active period';

CREATE FUNCTION @extschema@.cohort_matrix_jsonb(@extschema@.cohort_matrix) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'cohort_matrix_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cohort_matrix_jsonb(@extschema@.cohort_matrix) IS
    'The retention triangle of a cohort matrix as jsonb (cohorts, sizes, active counts per offset)';
CREATE CAST (@extschema@.cohort_matrix AS jsonb) WITH FUNCTION @extschema@.cohort_matrix_jsonb(@extschema@.cohort_matrix);
COMMENT ON CAST (@extschema@.cohort_matrix AS jsonb) IS 'Retention triangle of a cohort matrix, for BI tools';

-- The + operator: merges two stored values, as rollup() of the two does.
CREATE FUNCTION @extschema@.cohort_matrix_add(a @extschema@.cohort_matrix, b @extschema@.cohort_matrix)
    RETURNS @extschema@.cohort_matrix
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.cohort_matrix_ffunc(@extschema@.cohort_matrix_combine(a, b));
COMMENT ON FUNCTION @extschema@.cohort_matrix_add(@extschema@.cohort_matrix, @extschema@.cohort_matrix) IS
    'Merges two matrices of the same period (the + operator)';

CREATE OPERATOR @extschema@.+ (
    LEFTARG = @extschema@.cohort_matrix, RIGHTARG = @extschema@.cohort_matrix,
    FUNCTION = @extschema@.cohort_matrix_add, COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.cohort_matrix, @extschema@.cohort_matrix) IS
    'merged matrix, as rollup() of the two';
