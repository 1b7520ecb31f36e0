-- mandate_quadrant.sql: the Mandate-Choice matrix (mandate_quadrant.c)

------------------------------------------------------------------------------
-- mandate_quadrant: the Mandate-Choice matrix
------------------------------------------------------------------------------

CREATE TYPE @extschema@.mandate_quadrant;

CREATE FUNCTION @extschema@.mandate_quadrant_in(cstring) RETURNS @extschema@.mandate_quadrant
    AS 'MODULE_PATHNAME', 'mandate_quadrant_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.mandate_quadrant_out(@extschema@.mandate_quadrant) RETURNS cstring
    AS 'MODULE_PATHNAME', 'mandate_quadrant_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.mandate_quadrant_recv(internal) RETURNS @extschema@.mandate_quadrant
    AS 'MODULE_PATHNAME', 'mandate_quadrant_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.mandate_quadrant_send(@extschema@.mandate_quadrant) RETURNS bytea
    AS 'MODULE_PATHNAME', 'mandate_quadrant_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.mandate_quadrant (
    INPUT = @extschema@.mandate_quadrant_in,
    OUTPUT = @extschema@.mandate_quadrant_out,
    RECEIVE = @extschema@.mandate_quadrant_recv,
    SEND = @extschema@.mandate_quadrant_send,
    INTERNALLENGTH = 1,
    PASSEDBYVALUE,
    ALIGNMENT = char,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.mandate_quadrant IS
    'Mandate-Choice matrix cell: mandatory_good (invest), mandatory_poor (fix ASAP), optional_good (product-market fit), optional_poor (kill)';

COMMENT ON FUNCTION @extschema@.mandate_quadrant_in(cstring) IS 'Text input of mandate_quadrant (case-insensitive, - accepted for _)';
COMMENT ON FUNCTION @extschema@.mandate_quadrant_out(@extschema@.mandate_quadrant) IS 'Text output of mandate_quadrant';
COMMENT ON FUNCTION @extschema@.mandate_quadrant_recv(internal) IS 'Binary input of mandate_quadrant (one byte, 0-3)';
COMMENT ON FUNCTION @extschema@.mandate_quadrant_send(@extschema@.mandate_quadrant) IS 'Binary output of mandate_quadrant';

CREATE FUNCTION @extschema@.mandate_quadrant_eq(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) RETURNS boolean
    AS 'MODULE_PATHNAME', 'mandate_quadrant_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.mandate_quadrant_ne(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) RETURNS boolean
    AS 'MODULE_PATHNAME', 'mandate_quadrant_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.mandate_quadrant_lt(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) RETURNS boolean
    AS 'MODULE_PATHNAME', 'mandate_quadrant_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.mandate_quadrant_le(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) RETURNS boolean
    AS 'MODULE_PATHNAME', 'mandate_quadrant_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.mandate_quadrant_gt(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) RETURNS boolean
    AS 'MODULE_PATHNAME', 'mandate_quadrant_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.mandate_quadrant_ge(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) RETURNS boolean
    AS 'MODULE_PATHNAME', 'mandate_quadrant_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.mandate_quadrant_cmp(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) RETURNS integer
    AS 'MODULE_PATHNAME', 'mandate_quadrant_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.mandate_quadrant_hash(@extschema@.mandate_quadrant) RETURNS integer
    AS 'MODULE_PATHNAME', 'mandate_quadrant_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION @extschema@.mandate_quadrant_hash_extended(@extschema@.mandate_quadrant, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'mandate_quadrant_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.mandate_quadrant_eq(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) IS 'implementation of = for mandate_quadrant';
COMMENT ON FUNCTION @extschema@.mandate_quadrant_ne(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) IS 'implementation of <> for mandate_quadrant';
COMMENT ON FUNCTION @extschema@.mandate_quadrant_lt(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) IS 'implementation of < for mandate_quadrant';
COMMENT ON FUNCTION @extschema@.mandate_quadrant_le(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) IS 'implementation of <= for mandate_quadrant';
COMMENT ON FUNCTION @extschema@.mandate_quadrant_gt(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) IS 'implementation of > for mandate_quadrant';
COMMENT ON FUNCTION @extschema@.mandate_quadrant_ge(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) IS 'implementation of >= for mandate_quadrant';
COMMENT ON FUNCTION @extschema@.mandate_quadrant_cmp(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) IS 'btree comparison of mandate_quadrant';
COMMENT ON FUNCTION @extschema@.mandate_quadrant_hash(@extschema@.mandate_quadrant) IS 'hash of mandate_quadrant';
COMMENT ON FUNCTION @extschema@.mandate_quadrant_hash_extended(@extschema@.mandate_quadrant, bigint) IS 'seeded 64-bit hash of mandate_quadrant';

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.mandate_quadrant, RIGHTARG = @extschema@.mandate_quadrant,
    FUNCTION = @extschema@.mandate_quadrant_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.mandate_quadrant, RIGHTARG = @extschema@.mandate_quadrant,
    FUNCTION = @extschema@.mandate_quadrant_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.mandate_quadrant, RIGHTARG = @extschema@.mandate_quadrant,
    FUNCTION = @extschema@.mandate_quadrant_lt,
    COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.mandate_quadrant, RIGHTARG = @extschema@.mandate_quadrant,
    FUNCTION = @extschema@.mandate_quadrant_le,
    COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.mandate_quadrant, RIGHTARG = @extschema@.mandate_quadrant,
    FUNCTION = @extschema@.mandate_quadrant_gt,
    COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.mandate_quadrant, RIGHTARG = @extschema@.mandate_quadrant,
    FUNCTION = @extschema@.mandate_quadrant_ge,
    COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) IS 'equal';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) IS 'not equal';
COMMENT ON OPERATOR @extschema@.< (@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) IS 'less than';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) IS 'less than or equal';
COMMENT ON OPERATOR @extschema@.> (@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) IS 'greater than';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.mandate_quadrant, @extschema@.mandate_quadrant) IS 'greater than or equal';

CREATE OPERATOR CLASS @extschema@.mandate_quadrant_ops
    DEFAULT FOR TYPE @extschema@.mandate_quadrant USING btree AS
        OPERATOR 1 @extschema@.< ,
        OPERATOR 2 @extschema@.<= ,
        OPERATOR 3 @extschema@.= ,
        OPERATOR 4 @extschema@.>= ,
        OPERATOR 5 @extschema@.> ,
        FUNCTION 1 @extschema@.mandate_quadrant_cmp(@extschema@.mandate_quadrant, @extschema@.mandate_quadrant);
COMMENT ON OPERATOR CLASS @extschema@.mandate_quadrant_ops USING btree IS
    'btree order: mandatory_good < mandatory_poor < optional_good < optional_poor';
COMMENT ON OPERATOR FAMILY @extschema@.mandate_quadrant_ops USING btree IS 'btree operator family of mandate_quadrant';

CREATE OPERATOR CLASS @extschema@.mandate_quadrant_hash_ops
    DEFAULT FOR TYPE @extschema@.mandate_quadrant USING hash AS
        OPERATOR 1 @extschema@.= ,
        FUNCTION 1 @extschema@.mandate_quadrant_hash(@extschema@.mandate_quadrant),
        FUNCTION 2 @extschema@.mandate_quadrant_hash_extended(@extschema@.mandate_quadrant, bigint);
COMMENT ON OPERATOR CLASS @extschema@.mandate_quadrant_hash_ops USING hash IS 'hash operator class of mandate_quadrant';
COMMENT ON OPERATOR FAMILY @extschema@.mandate_quadrant_hash_ops USING hash IS 'hash operator family of mandate_quadrant';

-- Classification
CREATE FUNCTION @extschema@.mandate_quadrant(mandatory boolean, experience double precision, threshold double precision)
    RETURNS @extschema@.mandate_quadrant
    AS 'MODULE_PATHNAME', 'mandate_quadrant_classify' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mandate_quadrant(boolean, double precision, double precision) IS
    'Mandate-Choice quadrant of a capability; good experience means experience >= threshold';

CREATE FUNCTION @extschema@.mandate_quadrant(mandatory boolean, experience double precision)
    RETURNS @extschema@.mandate_quadrant
    AS 'MODULE_PATHNAME', 'mandate_quadrant_classify_default' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mandate_quadrant(boolean, double precision) IS
    'Mandate-Choice quadrant with the threshold from platform_metrics.good_experience_nps (default 30)';

CREATE FUNCTION @extschema@.mandate_quadrant(mandatory boolean, experience @extschema@.nps_summary,
        threshold double precision, confidence double precision DEFAULT 0.95)
    RETURNS @extschema@.mandate_quadrant
    AS 'MODULE_PATHNAME', 'mandate_quadrant_classify_nps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mandate_quadrant(boolean, @extschema@.nps_summary, double precision, double precision) IS
    'Mandate-Choice quadrant judged by the NPS confidence interval; NULL (insufficient evidence) when the interval contains the threshold';

CREATE FUNCTION @extschema@.mandate_quadrant(mandatory boolean, experience @extschema@.nps_summary)
    RETURNS @extschema@.mandate_quadrant
    AS 'MODULE_PATHNAME', 'mandate_quadrant_classify_nps_default' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mandate_quadrant(boolean, @extschema@.nps_summary) IS
    'Mandate-Choice quadrant judged by the 95% NPS interval against platform_metrics.good_experience_nps; NULL when it contains the threshold';

-- Accessors
CREATE FUNCTION @extschema@.is_mandatory(@extschema@.mandate_quadrant) RETURNS boolean
    AS 'MODULE_PATHNAME', 'mandate_quadrant_is_mandatory' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.is_mandatory(@extschema@.mandate_quadrant) IS 'Whether the quadrant is a mandatory one';

CREATE FUNCTION @extschema@.has_good_experience(@extschema@.mandate_quadrant) RETURNS boolean
    AS 'MODULE_PATHNAME', 'mandate_quadrant_has_good_experience' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.has_good_experience(@extschema@.mandate_quadrant) IS 'Whether the quadrant is a good-experience one';

CREATE FUNCTION @extschema@.recommended_action(@extschema@.mandate_quadrant) RETURNS text
    AS 'MODULE_PATHNAME', 'mandate_quadrant_recommended_action' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.recommended_action(@extschema@.mandate_quadrant) IS
    'What to do about a capability in this quadrant: invest, fix ASAP, product-market fit, kill';
