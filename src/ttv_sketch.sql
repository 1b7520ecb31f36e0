-- ttv_sketch.sql: the mergeable ttv_sketch (ttv_sketch.c)

-- ttv_sketch: mergeable, relative-error sketch (DDSketch)
CREATE TYPE @extschema@.ttv_sketch;
CREATE FUNCTION @extschema@.ttv_sketch_in(cstring) RETURNS @extschema@.ttv_sketch
    AS 'MODULE_PATHNAME', 'ttv_sketch_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttv_sketch_out(@extschema@.ttv_sketch) RETURNS cstring
    AS 'MODULE_PATHNAME', 'ttv_sketch_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttv_sketch_recv(internal) RETURNS @extschema@.ttv_sketch
    AS 'MODULE_PATHNAME', 'ttv_sketch_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttv_sketch_send(@extschema@.ttv_sketch) RETURNS bytea
    AS 'MODULE_PATHNAME', 'ttv_sketch_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.ttv_sketch (
    INPUT = @extschema@.ttv_sketch_in, OUTPUT = @extschema@.ttv_sketch_out,
    RECEIVE = @extschema@.ttv_sketch_recv, SEND = @extschema@.ttv_sketch_send,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE @extschema@.ttv_sketch IS
    'Mergeable time-to-value sketch (DDSketch): percentiles within a guaranteed relative error, exact count, min, max and mean';
COMMENT ON FUNCTION @extschema@.ttv_sketch_in(cstring) IS 'Text input of ttv_sketch (validated)';
COMMENT ON FUNCTION @extschema@.ttv_sketch_out(@extschema@.ttv_sketch) IS 'Text output of ttv_sketch (lossless)';
COMMENT ON FUNCTION @extschema@.ttv_sketch_recv(internal) IS 'Binary input of ttv_sketch (validated)';
COMMENT ON FUNCTION @extschema@.ttv_sketch_send(@extschema@.ttv_sketch) IS 'Binary output of ttv_sketch';

CREATE FUNCTION @extschema@.ttv_sketch_eq(@extschema@.ttv_sketch, @extschema@.ttv_sketch) RETURNS boolean
    AS 'MODULE_PATHNAME', 'ttv_sketch_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.ttv_sketch_eq(@extschema@.ttv_sketch, @extschema@.ttv_sketch) IS 'Equality of ttv_sketch';
CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.ttv_sketch, RIGHTARG = @extschema@.ttv_sketch,
    FUNCTION = @extschema@.ttv_sketch_eq, COMMUTATOR = OPERATOR(@extschema@.=),
    RESTRICT = eqsel, JOIN = eqjoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.ttv_sketch, @extschema@.ttv_sketch) IS 'same accuracy, statistics and buckets';

CREATE FUNCTION @extschema@.ttv_sketch_sfunc(@extschema@.ttv_sketch, interval) RETURNS @extschema@.ttv_sketch
    AS 'MODULE_PATHNAME', 'ttv_sketch_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_sketch_sfunc(@extschema@.ttv_sketch, interval) IS
    'Transition function of ttv_sketch(interval)';
CREATE FUNCTION @extschema@.ttv_sketch_sfunc(@extschema@.ttv_sketch, interval, double precision) RETURNS @extschema@.ttv_sketch
    AS 'MODULE_PATHNAME', 'ttv_sketch_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_sketch_sfunc(@extschema@.ttv_sketch, interval, double precision) IS
    'Transition function of ttv_sketch(interval, relative_accuracy)';
CREATE FUNCTION @extschema@.ttv_sketch_combine(@extschema@.ttv_sketch, @extschema@.ttv_sketch) RETURNS @extschema@.ttv_sketch
    AS 'MODULE_PATHNAME', 'ttv_sketch_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_sketch_combine(@extschema@.ttv_sketch, @extschema@.ttv_sketch) IS
    'Merges two sketches of the same accuracy (combine function, and transition of rollup(ttv_sketch))';
CREATE FUNCTION @extschema@.ttv_sketch_ffunc(@extschema@.ttv_sketch) RETURNS @extschema@.ttv_sketch
    AS 'MODULE_PATHNAME', 'ttv_sketch_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_sketch_ffunc(@extschema@.ttv_sketch) IS
    'Final function of ttv_sketch() and rollup(ttv_sketch): a compact copy';

CREATE AGGREGATE @extschema@.ttv_sketch(ttv interval) (
    SFUNC = @extschema@.ttv_sketch_sfunc, STYPE = @extschema@.ttv_sketch, SSPACE = 8192,
    FINALFUNC = @extschema@.ttv_sketch_ffunc, COMBINEFUNC = @extschema@.ttv_sketch_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.ttv_sketch(interval) IS
    'Mergeable sketch of time-to-value durations, 1% relative accuracy';
CREATE AGGREGATE @extschema@.ttv_sketch(ttv interval, relative_accuracy double precision) (
    SFUNC = @extschema@.ttv_sketch_sfunc, STYPE = @extschema@.ttv_sketch, SSPACE = 8192,
    FINALFUNC = @extschema@.ttv_sketch_ffunc, COMBINEFUNC = @extschema@.ttv_sketch_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.ttv_sketch(interval, double precision) IS
    'Mergeable sketch of time-to-value durations with the given relative accuracy (0.0001 to 0.1)';
CREATE AGGREGATE @extschema@.rollup(@extschema@.ttv_sketch) (
    SFUNC = @extschema@.ttv_sketch_combine, STYPE = @extschema@.ttv_sketch, SSPACE = 8192,
    FINALFUNC = @extschema@.ttv_sketch_ffunc, COMBINEFUNC = @extschema@.ttv_sketch_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.ttv_sketch) IS
    'Merges stored sketches (e.g. per-day into per-quarter), equal to the sketch of the raw values';

CREATE FUNCTION @extschema@.ttv_percentile(sketch @extschema@.ttv_sketch, p double precision) RETURNS interval
    AS 'MODULE_PATHNAME', 'ttv_sketch_percentile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_percentile(@extschema@.ttv_sketch, double precision) IS
    'Percentile estimate of a sketch (percentile_cont semantics) within its relative accuracy';
CREATE FUNCTION @extschema@.ttv_percentile(sketch @extschema@.ttv_sketch, p double precision[]) RETURNS interval[]
    AS 'MODULE_PATHNAME', 'ttv_sketch_percentile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_percentile(@extschema@.ttv_sketch, double precision[]) IS
    'Percentile estimates of a sketch within its relative accuracy';
CREATE FUNCTION @extschema@.ttv_count(@extschema@.ttv_sketch) RETURNS bigint
    AS 'MODULE_PATHNAME', 'ttv_sketch_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_count(@extschema@.ttv_sketch) IS 'Number of durations in the sketch (exact)';
CREATE FUNCTION @extschema@.ttv_min(@extschema@.ttv_sketch) RETURNS interval
    AS 'MODULE_PATHNAME', 'ttv_sketch_min' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_min(@extschema@.ttv_sketch) IS 'Shortest duration in the sketch (exact)';
CREATE FUNCTION @extschema@.ttv_max(@extschema@.ttv_sketch) RETURNS interval
    AS 'MODULE_PATHNAME', 'ttv_sketch_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_max(@extschema@.ttv_sketch) IS 'Longest duration in the sketch (exact)';
CREATE FUNCTION @extschema@.ttv_mean(@extschema@.ttv_sketch) RETURNS interval
    AS 'MODULE_PATHNAME', 'ttv_sketch_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_mean(@extschema@.ttv_sketch) IS 'Mean duration in the sketch (exact to the microsecond)';
CREATE FUNCTION @extschema@.ttv_accuracy(@extschema@.ttv_sketch) RETURNS double precision
    AS 'MODULE_PATHNAME', 'ttv_sketch_accuracy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_accuracy(@extschema@.ttv_sketch) IS 'Relative accuracy the sketch was built with';

-- The + operator: merges two stored values, as rollup() of the two does.
CREATE FUNCTION @extschema@.ttv_sketch_add(a @extschema@.ttv_sketch, b @extschema@.ttv_sketch)
    RETURNS @extschema@.ttv_sketch
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.ttv_sketch_ffunc(@extschema@.ttv_sketch_combine(a, b));
COMMENT ON FUNCTION @extschema@.ttv_sketch_add(@extschema@.ttv_sketch, @extschema@.ttv_sketch) IS
    'Merges two sketches of the same accuracy (the + operator)';

CREATE OPERATOR @extschema@.+ (
    LEFTARG = @extschema@.ttv_sketch, RIGHTARG = @extschema@.ttv_sketch,
    FUNCTION = @extschema@.ttv_sketch_add, COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.ttv_sketch, @extschema@.ttv_sketch) IS
    'merged sketch, as rollup() of the two';
