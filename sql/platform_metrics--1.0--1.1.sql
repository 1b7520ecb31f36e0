-- platform_metrics 1.0 -> 1.1: the + operator merges two stored values.
-- Upgrade scripts only add or replace: never DROP and re-create a type or an
-- aggregate, which user views, columns and indexes depend on.
-- Every reference is schema-qualified (@extschema@ is platform_metrics).

\echo Use "ALTER EXTENSION platform_metrics UPDATE TO '1.1'" to load this file. \quit

-- ttv_sketch and cohort_matrix: combine, then the final function's compact
-- copy (the combine function leaves spare room for the next row).  The bodies
-- are parsed here, so they do not depend on the caller's search_path.
CREATE FUNCTION @extschema@.ttv_sketch_add(a @extschema@.ttv_sketch, b @extschema@.ttv_sketch)
    RETURNS @extschema@.ttv_sketch
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.ttv_sketch_ffunc(@extschema@.ttv_sketch_combine(a, b));
COMMENT ON FUNCTION @extschema@.ttv_sketch_add(@extschema@.ttv_sketch, @extschema@.ttv_sketch) IS
    'Merges two sketches of the same accuracy (the + operator)';

CREATE FUNCTION @extschema@.cohort_matrix_add(a @extschema@.cohort_matrix, b @extschema@.cohort_matrix)
    RETURNS @extschema@.cohort_matrix
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN @extschema@.cohort_matrix_ffunc(@extschema@.cohort_matrix_combine(a, b));
COMMENT ON FUNCTION @extschema@.cohort_matrix_add(@extschema@.cohort_matrix, @extschema@.cohort_matrix) IS
    'Merges two matrices of the same period (the + operator)';

CREATE OPERATOR @extschema@.+ (
    LEFTARG = @extschema@.nps_summary, RIGHTARG = @extschema@.nps_summary,
    FUNCTION = @extschema@.nps_summary_combine, COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.nps_summary, @extschema@.nps_summary) IS
    'sum of the counts, as rollup() of the two';

CREATE OPERATOR @extschema@.+ (
    LEFTARG = @extschema@.ttv_sketch, RIGHTARG = @extschema@.ttv_sketch,
    FUNCTION = @extschema@.ttv_sketch_add, COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.ttv_sketch, @extschema@.ttv_sketch) IS
    'merged sketch, as rollup() of the two';

CREATE OPERATOR @extschema@.+ (
    LEFTARG = @extschema@.ttv_curve, RIGHTARG = @extschema@.ttv_curve,
    FUNCTION = @extschema@.ttv_curve_combine, COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.ttv_curve, @extschema@.ttv_curve) IS
    'merged curve, as rollup() of the two';

CREATE OPERATOR @extschema@.+ (
    LEFTARG = @extschema@.cohort_matrix, RIGHTARG = @extschema@.cohort_matrix,
    FUNCTION = @extschema@.cohort_matrix_add, COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.cohort_matrix, @extschema@.cohort_matrix) IS
    'merged matrix, as rollup() of the two';
