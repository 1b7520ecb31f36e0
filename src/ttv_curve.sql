-- ttv_curve.sql: Kaplan-Meier percentiles and the stored ttv_curve (ttv_curve.c)

-- Censoring-aware (Kaplan-Meier) percentiles and curves.  STABLE: without
-- as_of, observation ends at the transaction's start.
CREATE FUNCTION @extschema@.ttv_km_sfunc(internal, timestamptz, timestamptz, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'ttv_km_sfunc' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttv_km_sfunc(internal, timestamptz, timestamptz, double precision[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'ttv_km_sfunc' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttv_km_sfunc(internal, timestamptz, timestamptz, double precision, timestamptz) RETURNS internal
    AS 'MODULE_PATHNAME', 'ttv_km_sfunc' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttv_km_sfunc(internal, timestamptz, timestamptz, double precision[], timestamptz) RETURNS internal
    AS 'MODULE_PATHNAME', 'ttv_km_sfunc' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_km_sfunc(internal, timestamptz, timestamptz, double precision) IS
    'Transition function of ttv_percentile(started_at, reached_at, p)';
COMMENT ON FUNCTION @extschema@.ttv_km_sfunc(internal, timestamptz, timestamptz, double precision[]) IS
    'Transition function of ttv_percentile(started_at, reached_at, p[])';
COMMENT ON FUNCTION @extschema@.ttv_km_sfunc(internal, timestamptz, timestamptz, double precision, timestamptz) IS
    'Transition function of ttv_percentile(started_at, reached_at, p, as_of)';
COMMENT ON FUNCTION @extschema@.ttv_km_sfunc(internal, timestamptz, timestamptz, double precision[], timestamptz) IS
    'Transition function of ttv_percentile(started_at, reached_at, p[], as_of)';
CREATE FUNCTION @extschema@.ttv_km_ffunc(internal) RETURNS interval
    AS 'MODULE_PATHNAME', 'ttv_km_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_km_ffunc(internal) IS
    'Final function of the Kaplan-Meier ttv_percentile with one p';
CREATE FUNCTION @extschema@.ttv_km_array_ffunc(internal) RETURNS interval[]
    AS 'MODULE_PATHNAME', 'ttv_km_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_km_array_ffunc(internal) IS
    'Final function of the Kaplan-Meier ttv_percentile with an array of p';

CREATE AGGREGATE @extschema@.ttv_percentile(started_at timestamptz, reached_at timestamptz, p double precision) (
    SFUNC = @extschema@.ttv_km_sfunc, STYPE = internal, SSPACE = 1048576,
    FINALFUNC = @extschema@.ttv_km_ffunc, COMBINEFUNC = @extschema@.ttv_values_combine,
    SERIALFUNC = @extschema@.ttv_values_serialize, DESERIALFUNC = @extschema@.ttv_values_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.ttv_percentile(started_at timestamptz, reached_at timestamptz, p double precision[]) (
    SFUNC = @extschema@.ttv_km_sfunc, STYPE = internal, SSPACE = 1048576,
    FINALFUNC = @extschema@.ttv_km_array_ffunc, COMBINEFUNC = @extschema@.ttv_values_combine,
    SERIALFUNC = @extschema@.ttv_values_serialize, DESERIALFUNC = @extschema@.ttv_values_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.ttv_percentile(started_at timestamptz, reached_at timestamptz, p double precision, as_of timestamptz) (
    SFUNC = @extschema@.ttv_km_sfunc, STYPE = internal, SSPACE = 1048576,
    FINALFUNC = @extschema@.ttv_km_ffunc, COMBINEFUNC = @extschema@.ttv_values_combine,
    SERIALFUNC = @extschema@.ttv_values_serialize, DESERIALFUNC = @extschema@.ttv_values_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.ttv_percentile(started_at timestamptz, reached_at timestamptz, p double precision[], as_of timestamptz) (
    SFUNC = @extschema@.ttv_km_sfunc, STYPE = internal, SSPACE = 1048576,
    FINALFUNC = @extschema@.ttv_km_array_ffunc, COMBINEFUNC = @extschema@.ttv_values_combine,
    SERIALFUNC = @extschema@.ttv_values_serialize, DESERIALFUNC = @extschema@.ttv_values_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.ttv_percentile(timestamptz, timestamptz, double precision) IS
    'Kaplan-Meier percentile of time to milestone; rows not there yet are censored at the transaction start; NULL when not known yet';
COMMENT ON AGGREGATE @extschema@.ttv_percentile(timestamptz, timestamptz, double precision[]) IS
    'Kaplan-Meier percentiles of time to milestone; rows not there yet are censored at the transaction start';
COMMENT ON AGGREGATE @extschema@.ttv_percentile(timestamptz, timestamptz, double precision, timestamptz) IS
    'Kaplan-Meier percentile of time to milestone as observed at as_of; NULL when not known yet';
COMMENT ON AGGREGATE @extschema@.ttv_percentile(timestamptz, timestamptz, double precision[], timestamptz) IS
    'Kaplan-Meier percentiles of time to milestone as observed at as_of';

-- ttv_curve: the stored Kaplan-Meier curve
CREATE TYPE @extschema@.ttv_curve;
CREATE FUNCTION @extschema@.ttv_curve_in(cstring) RETURNS @extschema@.ttv_curve
    AS 'MODULE_PATHNAME', 'ttv_curve_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttv_curve_out(@extschema@.ttv_curve) RETURNS cstring
    AS 'MODULE_PATHNAME', 'ttv_curve_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttv_curve_recv(internal) RETURNS @extschema@.ttv_curve
    AS 'MODULE_PATHNAME', 'ttv_curve_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttv_curve_send(@extschema@.ttv_curve) RETURNS bytea
    AS 'MODULE_PATHNAME', 'ttv_curve_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.ttv_curve (
    INPUT = @extschema@.ttv_curve_in, OUTPUT = @extschema@.ttv_curve_out,
    RECEIVE = @extschema@.ttv_curve_recv, SEND = @extschema@.ttv_curve_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE @extschema@.ttv_curve IS
    'Kaplan-Meier time-to-milestone curve: per distinct duration, how many reached the milestone and how many were still on their way';
COMMENT ON FUNCTION @extschema@.ttv_curve_in(cstring) IS 'Text input of ttv_curve: seconds:reached:censored ...';
COMMENT ON FUNCTION @extschema@.ttv_curve_out(@extschema@.ttv_curve) IS 'Text output of ttv_curve';
COMMENT ON FUNCTION @extschema@.ttv_curve_recv(internal) IS 'Binary input of ttv_curve (validated)';
COMMENT ON FUNCTION @extschema@.ttv_curve_send(@extschema@.ttv_curve) IS 'Binary output of ttv_curve';

CREATE FUNCTION @extschema@.ttv_curve_eq(@extschema@.ttv_curve, @extschema@.ttv_curve) RETURNS boolean
    AS 'MODULE_PATHNAME', 'ttv_curve_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.ttv_curve_eq(@extschema@.ttv_curve, @extschema@.ttv_curve) IS 'Equality of ttv_curve';
CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.ttv_curve, RIGHTARG = @extschema@.ttv_curve,
    FUNCTION = @extschema@.ttv_curve_eq, COMMUTATOR = OPERATOR(@extschema@.=),
    RESTRICT = eqsel, JOIN = eqjoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.ttv_curve, @extschema@.ttv_curve) IS 'same points and counts';

-- The state is the stored type (an expanded object while it is built), so
-- partial aggregates (parallel workers, Citus workers) hand on curves.
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
-- The internal-state transition and final functions of ttv_curve() up to
-- 1.7, kept (and working) for user aggregates built on them.
CREATE FUNCTION @extschema@.ttv_curve_sfunc(internal, timestamptz, timestamptz) RETURNS internal
    AS 'MODULE_PATHNAME', 'ttv_curve_sfunc' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttv_curve_sfunc(internal, timestamptz, timestamptz, timestamptz) RETURNS internal
    AS 'MODULE_PATHNAME', 'ttv_curve_sfunc' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttv_curve_ffunc(internal) RETURNS @extschema@.ttv_curve
    AS 'MODULE_PATHNAME', 'ttv_curve_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_curve_sfunc(internal, timestamptz, timestamptz) IS
    'Transition function of ttv_curve(started_at, reached_at) up to 1.7 (an internal state), kept for aggregates built on it';
COMMENT ON FUNCTION @extschema@.ttv_curve_sfunc(internal, timestamptz, timestamptz, timestamptz) IS
    'Transition function of ttv_curve(started_at, reached_at, as_of) up to 1.7 (an internal state), kept for aggregates built on it';
COMMENT ON FUNCTION @extschema@.ttv_curve_ffunc(internal) IS
    'Final function of ttv_curve() up to 1.7 (an internal state), kept for aggregates built on it';
CREATE FUNCTION @extschema@.ttv_curve_combine(@extschema@.ttv_curve, @extschema@.ttv_curve) RETURNS @extschema@.ttv_curve
    AS 'MODULE_PATHNAME', 'ttv_curve_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_curve_combine(@extschema@.ttv_curve, @extschema@.ttv_curve) IS
    'Merges two curves (transition and combine function of rollup(ttv_curve))';

CREATE AGGREGATE @extschema@.ttv_curve(started_at timestamptz, reached_at timestamptz) (
    SFUNC = @extschema@.ttv_curve_sfunc, STYPE = @extschema@.ttv_curve, SSPACE = 1048576,
    FINALFUNC = @extschema@.ttv_curve_ffunc, COMBINEFUNC = @extschema@.ttv_curve_combine,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.ttv_curve(started_at timestamptz, reached_at timestamptz, as_of timestamptz) (
    SFUNC = @extschema@.ttv_curve_sfunc, STYPE = @extschema@.ttv_curve, SSPACE = 1048576,
    FINALFUNC = @extschema@.ttv_curve_ffunc, COMBINEFUNC = @extschema@.ttv_curve_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.ttv_curve(timestamptz, timestamptz) IS
    'Kaplan-Meier curve of time to milestone, rows not there yet censored at the transaction start';
COMMENT ON AGGREGATE @extschema@.ttv_curve(timestamptz, timestamptz, timestamptz) IS
    'Kaplan-Meier curve of time to milestone as observed at as_of';

CREATE AGGREGATE @extschema@.rollup(@extschema@.ttv_curve) (
    SFUNC = @extschema@.ttv_curve_combine, STYPE = @extschema@.ttv_curve,
    COMBINEFUNC = @extschema@.ttv_curve_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.ttv_curve) IS
    'Merges stored time-to-value curves of disjoint sets of subjects';

CREATE FUNCTION @extschema@.ttv_percentile(curve @extschema@.ttv_curve, p double precision) RETURNS interval
    AS 'MODULE_PATHNAME', 'ttv_curve_percentile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_percentile(@extschema@.ttv_curve, double precision) IS
    'Kaplan-Meier percentile of a stored curve; NULL when not known yet';
CREATE FUNCTION @extschema@.ttv_percentile(curve @extschema@.ttv_curve, p double precision[]) RETURNS interval[]
    AS 'MODULE_PATHNAME', 'ttv_curve_percentile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_percentile(@extschema@.ttv_curve, double precision[]) IS
    'Kaplan-Meier percentiles of a stored curve; NULL elements where not known yet';
CREATE FUNCTION @extschema@.ttv_count(@extschema@.ttv_curve) RETURNS bigint
    AS 'MODULE_PATHNAME', 'ttv_curve_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_count(@extschema@.ttv_curve) IS 'Subjects in the curve (started)';
CREATE FUNCTION @extschema@.ttv_reached(@extschema@.ttv_curve) RETURNS bigint
    AS 'MODULE_PATHNAME', 'ttv_curve_reached' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_reached(@extschema@.ttv_curve) IS 'Subjects who reached the milestone';
CREATE FUNCTION @extschema@.ttv_censored(@extschema@.ttv_curve) RETURNS bigint
    AS 'MODULE_PATHNAME', 'ttv_curve_censored' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_censored(@extschema@.ttv_curve) IS 'Subjects still on their way when observed';

CREATE FUNCTION @extschema@.ttv_points(curve @extschema@.ttv_curve, confidence double precision DEFAULT 0.95,
        OUT time_to_value interval, OUT at_risk bigint, OUT reached bigint, OUT censored bigint,
        OUT survival double precision, OUT reached_share double precision,
        OUT survival_low double precision, OUT survival_high double precision)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'ttv_curve_points' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.ttv_points(@extschema@.ttv_curve, double precision) IS
    'Points of a Kaplan-Meier curve: at risk, reached, censored, S(t) and its Greenwood log(-log) confidence interval';

-- The + operator: merges two stored values, as rollup() of the two does.
CREATE OPERATOR @extschema@.+ (
    LEFTARG = @extschema@.ttv_curve, RIGHTARG = @extschema@.ttv_curve,
    FUNCTION = @extschema@.ttv_curve_combine, COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.ttv_curve, @extschema@.ttv_curve) IS
    'merged curve, as rollup() of the two';
