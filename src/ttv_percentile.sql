-- ttv_percentile.sql: exact time-to-value percentiles (ttv_percentile.c)

-- Exact percentiles: percentile_cont semantics as plain aggregates
CREATE FUNCTION @extschema@.ttv_exact_sfunc(internal, interval, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'ttv_exact_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_exact_sfunc(internal, interval, double precision) IS
    'Transition function of ttv_percentile(interval, double precision)';
CREATE FUNCTION @extschema@.ttv_exact_sfunc(internal, interval, double precision[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'ttv_exact_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_exact_sfunc(internal, interval, double precision[]) IS
    'Transition function of ttv_percentile(interval, double precision[])';
CREATE FUNCTION @extschema@.ttv_exact_ffunc(internal) RETURNS interval
    AS 'MODULE_PATHNAME', 'ttv_exact_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_exact_ffunc(internal) IS
    'Final function of ttv_percentile(interval, double precision)';
CREATE FUNCTION @extschema@.ttv_exact_array_ffunc(internal) RETURNS interval[]
    AS 'MODULE_PATHNAME', 'ttv_exact_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_exact_array_ffunc(internal) IS
    'Final function of ttv_percentile(interval, double precision[])';

CREATE AGGREGATE @extschema@.ttv_percentile(ttv interval, p double precision) (
    SFUNC = @extschema@.ttv_exact_sfunc,
    STYPE = internal,
    SSPACE = 1048576,
    FINALFUNC = @extschema@.ttv_exact_ffunc,
    COMBINEFUNC = @extschema@.ttv_values_combine,
    SERIALFUNC = @extschema@.ttv_values_serialize,
    DESERIALFUNC = @extschema@.ttv_values_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.ttv_percentile(interval, double precision) IS
    'Exact percentile of time to value, equal to percentile_cont(p) WITHIN GROUP (ORDER BY ttv), parallel';

CREATE AGGREGATE @extschema@.ttv_percentile(ttv interval, p double precision[]) (
    SFUNC = @extschema@.ttv_exact_sfunc,
    STYPE = internal,
    SSPACE = 1048576,
    FINALFUNC = @extschema@.ttv_exact_array_ffunc,
    COMBINEFUNC = @extschema@.ttv_values_combine,
    SERIALFUNC = @extschema@.ttv_values_serialize,
    DESERIALFUNC = @extschema@.ttv_values_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.ttv_percentile(interval, double precision[]) IS
    'Exact percentiles of time to value, equal to percentile_cont(p[]) WITHIN GROUP (ORDER BY ttv), parallel';
