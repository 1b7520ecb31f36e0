-- percentile.sql: aggregate support shared by the exact and Kaplan-Meier aggregates (percentile.c)

-- Shared aggregate support of the exact and Kaplan-Meier aggregates, whose
-- state (every value) is internal: it only travels between the processes of
-- one server.  ttv_sketch is the mergeable, distributable summary.
CREATE FUNCTION @extschema@.ttv_values_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'ttv_values_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_values_combine(internal, internal) IS
    'Combine function of the exact and Kaplan-Meier time-to-value aggregates';
CREATE FUNCTION @extschema@.ttv_values_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'ttv_values_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_values_serialize(internal) IS
    'Serialize function of the exact and Kaplan-Meier time-to-value aggregates (parallel query)';
CREATE FUNCTION @extschema@.ttv_values_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'ttv_values_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_values_deserialize(bytea, internal) IS
    'Deserialize function of the exact and Kaplan-Meier time-to-value aggregates (parallel query)';
