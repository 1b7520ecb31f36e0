-- platform_metrics 1.0: developer NPS and the Mandate-Choice matrix.
-- Every object lives in @extschema@ (platform_metrics) and every reference is
-- schema-qualified, so nothing here depends on the caller's search_path.

\echo Use "CREATE EXTENSION platform_metrics" to load this file. \quit

-- The functions and types are for everyone who analyses the platform; data
-- added by later versions carries its own, narrower grants.
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

------------------------------------------------------------------------------
-- nps_summary: the promoter / passive / detractor counts of a set of scores
------------------------------------------------------------------------------

CREATE TYPE @extschema@.nps_summary;

CREATE FUNCTION @extschema@.nps_summary_in(cstring) RETURNS @extschema@.nps_summary
    AS 'MODULE_PATHNAME', 'nps_summary_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_summary_out(@extschema@.nps_summary) RETURNS cstring
    AS 'MODULE_PATHNAME', 'nps_summary_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_summary_recv(internal) RETURNS @extschema@.nps_summary
    AS 'MODULE_PATHNAME', 'nps_summary_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.nps_summary_send(@extschema@.nps_summary) RETURNS bytea
    AS 'MODULE_PATHNAME', 'nps_summary_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.nps_summary (
    INPUT = @extschema@.nps_summary_in,
    OUTPUT = @extschema@.nps_summary_out,
    RECEIVE = @extschema@.nps_summary_recv,
    SEND = @extschema@.nps_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.nps_summary IS
    'Counts of promoters (9-10), passives (7-8) and detractors (0-6) of NPS survey answers; mergeable with rollup()';

COMMENT ON FUNCTION @extschema@.nps_summary_in(cstring) IS 'Text input of nps_summary: promoters=N passives=N detractors=N';
COMMENT ON FUNCTION @extschema@.nps_summary_out(@extschema@.nps_summary) IS 'Text output of nps_summary';
COMMENT ON FUNCTION @extschema@.nps_summary_recv(internal) IS 'Binary input of nps_summary (validated)';
COMMENT ON FUNCTION @extschema@.nps_summary_send(@extschema@.nps_summary) IS 'Binary output of nps_summary';

-- Aggregate support.  The transition functions update the state in place
-- when called by an aggregate and copy it otherwise.
CREATE FUNCTION @extschema@.nps_summary_sfunc(@extschema@.nps_summary, integer) RETURNS @extschema@.nps_summary
    AS 'MODULE_PATHNAME', 'nps_summary_sfunc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_summary_sfunc(@extschema@.nps_summary, integer) IS
    'Transition function of nps() and nps_summary(): counts one score';

CREATE FUNCTION @extschema@.nps_summary_inv(@extschema@.nps_summary, integer) RETURNS @extschema@.nps_summary
    AS 'MODULE_PATHNAME', 'nps_summary_inv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_summary_inv(@extschema@.nps_summary, integer) IS
    'Inverse transition of nps() and nps_summary() in moving windows: removes one score';

CREATE FUNCTION @extschema@.nps_summary_combine(@extschema@.nps_summary, @extschema@.nps_summary) RETURNS @extschema@.nps_summary
    AS 'MODULE_PATHNAME', 'nps_summary_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_summary_combine(@extschema@.nps_summary, @extschema@.nps_summary) IS
    'Combine function of the NPS aggregates and transition of rollup(): adds the counts';

CREATE FUNCTION @extschema@.nps_summary_inv(@extschema@.nps_summary, @extschema@.nps_summary) RETURNS @extschema@.nps_summary
    AS 'MODULE_PATHNAME', 'nps_summary_combine_inv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_summary_inv(@extschema@.nps_summary, @extschema@.nps_summary) IS
    'Inverse transition of rollup(nps_summary) in moving windows: subtracts the counts';

CREATE FUNCTION @extschema@.nps_summary_ffunc(@extschema@.nps_summary) RETURNS @extschema@.nps_summary
    AS 'MODULE_PATHNAME', 'nps_summary_ffunc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_summary_ffunc(@extschema@.nps_summary) IS
    'Final function of nps_summary() and rollup(): NULL when nothing was counted';

-- Accessors
CREATE FUNCTION @extschema@.nps(@extschema@.nps_summary) RETURNS double precision
    AS 'MODULE_PATHNAME', 'nps_summary_nps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps(@extschema@.nps_summary) IS
    'Net Promoter Score of a summary: 100 * (promoters - detractors) / responses, NULL without responses';

CREATE FUNCTION @extschema@.promoters(@extschema@.nps_summary) RETURNS bigint
    AS 'MODULE_PATHNAME', 'nps_summary_promoters' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.promoters(@extschema@.nps_summary) IS 'Number of promoters (scores 9-10)';

CREATE FUNCTION @extschema@.passives(@extschema@.nps_summary) RETURNS bigint
    AS 'MODULE_PATHNAME', 'nps_summary_passives' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.passives(@extschema@.nps_summary) IS 'Number of passives (scores 7-8)';

CREATE FUNCTION @extschema@.detractors(@extschema@.nps_summary) RETURNS bigint
    AS 'MODULE_PATHNAME', 'nps_summary_detractors' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.detractors(@extschema@.nps_summary) IS 'Number of detractors (scores 0-6)';

CREATE FUNCTION @extschema@.responses(@extschema@.nps_summary) RETURNS bigint
    AS 'MODULE_PATHNAME', 'nps_summary_responses' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.responses(@extschema@.nps_summary) IS 'Number of responses (promoters + passives + detractors)';

-- Equality, and a hash opclass so DISTINCT, GROUP BY and hash joins work
CREATE FUNCTION @extschema@.nps_summary_eq(@extschema@.nps_summary, @extschema@.nps_summary) RETURNS boolean
    AS 'MODULE_PATHNAME', 'nps_summary_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.nps_summary_eq(@extschema@.nps_summary, @extschema@.nps_summary) IS 'Equality of nps_summary: same three counts';
CREATE FUNCTION @extschema@.nps_summary_ne(@extschema@.nps_summary, @extschema@.nps_summary) RETURNS boolean
    AS 'MODULE_PATHNAME', 'nps_summary_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.nps_summary_ne(@extschema@.nps_summary, @extschema@.nps_summary) IS 'Inequality of nps_summary';
CREATE FUNCTION @extschema@.nps_summary_hash(@extschema@.nps_summary) RETURNS integer
    AS 'MODULE_PATHNAME', 'nps_summary_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_summary_hash(@extschema@.nps_summary) IS 'Hash of nps_summary for hash joins and hash aggregation';
CREATE FUNCTION @extschema@.nps_summary_hash_extended(@extschema@.nps_summary, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'nps_summary_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_summary_hash_extended(@extschema@.nps_summary, bigint) IS 'Seeded 64-bit hash of nps_summary (hash partitioning)';

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.nps_summary, RIGHTARG = @extschema@.nps_summary,
    FUNCTION = @extschema@.nps_summary_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.nps_summary, @extschema@.nps_summary) IS 'equal counts';
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.nps_summary, RIGHTARG = @extschema@.nps_summary,
    FUNCTION = @extschema@.nps_summary_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR @extschema@.<> (@extschema@.nps_summary, @extschema@.nps_summary) IS 'different counts';

CREATE OPERATOR CLASS @extschema@.nps_summary_hash_ops
    DEFAULT FOR TYPE @extschema@.nps_summary USING hash AS
        OPERATOR 1 @extschema@.= (@extschema@.nps_summary, @extschema@.nps_summary),
        FUNCTION 1 @extschema@.nps_summary_hash(@extschema@.nps_summary),
        FUNCTION 2 @extschema@.nps_summary_hash_extended(@extschema@.nps_summary, bigint);
COMMENT ON OPERATOR CLASS @extschema@.nps_summary_hash_ops USING hash IS 'hash operator class of nps_summary';
COMMENT ON OPERATOR FAMILY @extschema@.nps_summary_hash_ops USING hash IS 'hash operator family of nps_summary';

-- Aggregates.  INITCOND makes the strict transition functions skip NULL
-- scores; the state is the nps_summary type itself, so partial aggregates can
-- travel as text or binary (parallel workers, Citus).
CREATE AGGREGATE @extschema@.nps(integer) (
    SFUNC = @extschema@.nps_summary_sfunc,
    STYPE = @extschema@.nps_summary,
    FINALFUNC = @extschema@.nps,
    COMBINEFUNC = @extschema@.nps_summary_combine,
    INITCOND = 'promoters=0 passives=0 detractors=0',
    MSFUNC = @extschema@.nps_summary_sfunc,
    MINVFUNC = @extschema@.nps_summary_inv,
    MSTYPE = @extschema@.nps_summary,
    MFINALFUNC = @extschema@.nps,
    MINITCOND = 'promoters=0 passives=0 detractors=0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.nps(integer) IS
    'Net Promoter Score of 0-10 survey scores, in [-100, 100]; NULL scores are skipped, no scores gives NULL';

CREATE AGGREGATE @extschema@.nps_summary(integer) (
    SFUNC = @extschema@.nps_summary_sfunc,
    STYPE = @extschema@.nps_summary,
    FINALFUNC = @extschema@.nps_summary_ffunc,
    COMBINEFUNC = @extschema@.nps_summary_combine,
    INITCOND = 'promoters=0 passives=0 detractors=0',
    MSFUNC = @extschema@.nps_summary_sfunc,
    MINVFUNC = @extschema@.nps_summary_inv,
    MSTYPE = @extschema@.nps_summary,
    MFINALFUNC = @extschema@.nps_summary_ffunc,
    MINITCOND = 'promoters=0 passives=0 detractors=0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.nps_summary(integer) IS
    'Storable, mergeable summary (promoter, passive, detractor counts) of 0-10 survey scores';

CREATE AGGREGATE @extschema@.rollup(@extschema@.nps_summary) (
    SFUNC = @extschema@.nps_summary_combine,
    STYPE = @extschema@.nps_summary,
    FINALFUNC = @extschema@.nps_summary_ffunc,
    COMBINEFUNC = @extschema@.nps_summary_combine,
    INITCOND = 'promoters=0 passives=0 detractors=0',
    MSFUNC = @extschema@.nps_summary_combine,
    MINVFUNC = @extschema@.nps_summary_inv,
    MSTYPE = @extschema@.nps_summary,
    MFINALFUNC = @extschema@.nps_summary_ffunc,
    MINITCOND = 'promoters=0 passives=0 detractors=0',
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.nps_summary) IS
    'Merges stored NPS summaries (e.g. per-day into per-quarter), exactly as if the raw scores were aggregated';

-- Uncertainty
CREATE FUNCTION @extschema@.nps_ci(
        s @extschema@.nps_summary,
        confidence double precision DEFAULT 0.95,
        population bigint DEFAULT NULL,
        OUT low double precision,
        OUT high double precision)
    AS 'MODULE_PATHNAME', 'nps_ci' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_ci(@extschema@.nps_summary, double precision, bigint) IS
    'Adjusted-Wald confidence interval of the NPS (Rocks 2016), clipped to [-100, 100]; population applies the finite-population correction';

CREATE FUNCTION @extschema@.nps_margin(
        s @extschema@.nps_summary,
        confidence double precision DEFAULT 0.95,
        population bigint DEFAULT NULL)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'nps_margin' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_margin(@extschema@.nps_summary, double precision, bigint) IS
    'Margin of error of the NPS in points: the half-width of the nps_ci interval';

CREATE FUNCTION @extschema@.nps_test(a @extschema@.nps_summary, b @extschema@.nps_summary)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'nps_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_test(@extschema@.nps_summary, @extschema@.nps_summary) IS
    'Two-sided p-value of the two-sample z-test that two independent NPS values are equal';

CREATE FUNCTION @extschema@.nps_required_n(margin double precision, confidence double precision DEFAULT 0.95)
    RETURNS integer
    AS 'MODULE_PATHNAME', 'nps_required_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nps_required_n(double precision, double precision) IS
    'Responses needed for an NPS margin of error of this many points at worst-case variance';

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
