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

------------------------------------------------------------------------------
-- Time to value
------------------------------------------------------------------------------

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

CREATE FUNCTION @extschema@.ttv_curve_sfunc(internal, timestamptz, timestamptz) RETURNS internal
    AS 'MODULE_PATHNAME', 'ttv_curve_sfunc' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.ttv_curve_sfunc(internal, timestamptz, timestamptz, timestamptz) RETURNS internal
    AS 'MODULE_PATHNAME', 'ttv_curve_sfunc' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_curve_sfunc(internal, timestamptz, timestamptz) IS
    'Transition function of ttv_curve(started_at, reached_at)';
COMMENT ON FUNCTION @extschema@.ttv_curve_sfunc(internal, timestamptz, timestamptz, timestamptz) IS
    'Transition function of ttv_curve(started_at, reached_at, as_of)';
CREATE FUNCTION @extschema@.ttv_curve_ffunc(internal) RETURNS @extschema@.ttv_curve
    AS 'MODULE_PATHNAME', 'ttv_curve_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_curve_ffunc(internal) IS 'Final function of ttv_curve()';
CREATE FUNCTION @extschema@.ttv_curve_combine(@extschema@.ttv_curve, @extschema@.ttv_curve) RETURNS @extschema@.ttv_curve
    AS 'MODULE_PATHNAME', 'ttv_curve_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ttv_curve_combine(@extschema@.ttv_curve, @extschema@.ttv_curve) IS
    'Merges two curves (transition and combine function of rollup(ttv_curve))';

CREATE AGGREGATE @extschema@.ttv_curve(started_at timestamptz, reached_at timestamptz) (
    SFUNC = @extschema@.ttv_curve_sfunc, STYPE = internal, SSPACE = 1048576,
    FINALFUNC = @extschema@.ttv_curve_ffunc, COMBINEFUNC = @extschema@.ttv_values_combine,
    SERIALFUNC = @extschema@.ttv_values_serialize, DESERIALFUNC = @extschema@.ttv_values_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.ttv_curve(started_at timestamptz, reached_at timestamptz, as_of timestamptz) (
    SFUNC = @extschema@.ttv_curve_sfunc, STYPE = internal, SSPACE = 1048576,
    FINALFUNC = @extschema@.ttv_curve_ffunc, COMBINEFUNC = @extschema@.ttv_values_combine,
    SERIALFUNC = @extschema@.ttv_values_serialize, DESERIALFUNC = @extschema@.ttv_values_deserialize,
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

-- The transition reads the session's time zone (calendar periods), so it is STABLE.
CREATE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, text, timestamptz, interval)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, bigint, timestamptz, interval)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, uuid, timestamptz, interval)
    RETURNS @extschema@.cohort_matrix
    AS 'MODULE_PATHNAME', 'cohort_matrix_sfunc' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, text, timestamptz, interval) IS
    'Transition function of churn_cohort(text, timestamptz, interval)';
COMMENT ON FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, bigint, timestamptz, interval) IS
    'Transition function of churn_cohort(bigint, timestamptz, interval)';
COMMENT ON FUNCTION @extschema@.cohort_matrix_sfunc(@extschema@.cohort_matrix, uuid, timestamptz, interval) IS
    'Transition function of churn_cohort(uuid, timestamptz, interval)';
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

------------------------------------------------------------------------------
-- The analytics layer: raw tables
------------------------------------------------------------------------------
-- Platform services write raw events here (INSERT, COPY or ingest()); analysts
-- and BI tools read the views below.  Every table is registered with
-- pg_extension_config_dump so pg_dump keeps its rows.  No table has a column
-- that identifies a survey respondent.

CREATE TABLE @extschema@.capabilities (
    capability  text PRIMARY KEY
                CONSTRAINT capabilities_capability_not_empty CHECK (capability <> ''),
    mandatory   boolean NOT NULL DEFAULT false,
    launched_at timestamptz NOT NULL DEFAULT now(),
    description text NOT NULL DEFAULT ''
);
COMMENT ON TABLE @extschema@.capabilities IS 'Capabilities the platform offers (one row each)';
COMMENT ON COLUMN @extschema@.capabilities.capability IS 'Name of the capability (key)';
COMMENT ON COLUMN @extschema@.capabilities.mandatory IS 'Whether teams must use it (true) or choose it (false)';
COMMENT ON COLUMN @extschema@.capabilities.launched_at IS 'When it became available to teams';
COMMENT ON COLUMN @extschema@.capabilities.description IS 'What it is, in a sentence';

CREATE TABLE @extschema@.teams (
    team        text PRIMARY KEY
                CONSTRAINT teams_team_not_empty CHECK (team <> ''),
    headcount   integer NOT NULL
                CONSTRAINT teams_headcount_positive CHECK (headcount > 0),
    created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE @extschema@.teams IS 'Product teams, the platform''s internal customers';
COMMENT ON COLUMN @extschema@.teams.team IS 'Name of the team (key)';
COMMENT ON COLUMN @extschema@.teams.headcount IS 'Developers in the team, i.e. asked in a survey (response rate, finite-population correction)';
COMMENT ON COLUMN @extschema@.teams.created_at IS 'When the team was registered';

CREATE TABLE @extschema@.survey_responses (
    response_id  text PRIMARY KEY,
    wave         text NOT NULL
                 CONSTRAINT survey_responses_wave_not_empty CHECK (wave <> ''),
    team         text NOT NULL
                 CONSTRAINT survey_responses_unknown_team REFERENCES @extschema@.teams,
    capability   text
                 CONSTRAINT survey_responses_unknown_capability REFERENCES @extschema@.capabilities,
    question     text NOT NULL DEFAULT 'nps',
    score        smallint NOT NULL
                 CONSTRAINT survey_responses_score_range CHECK (score BETWEEN 0 AND 10),
    comment      text,
    submitted_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE @extschema@.survey_responses IS 'Anonymous survey answers: no column identifies the respondent; readable only through the views';
COMMENT ON COLUMN @extschema@.survey_responses.response_id IS 'Identifier sent by the survey tool (idempotency key), not linked to a person';
COMMENT ON COLUMN @extschema@.survey_responses.wave IS 'Survey wave, e.g. 2026-Q3 (sorts in time order)';
COMMENT ON COLUMN @extschema@.survey_responses.team IS 'Team of the respondent';
COMMENT ON COLUMN @extschema@.survey_responses.capability IS 'Capability asked about; NULL for the platform as a whole';
COMMENT ON COLUMN @extschema@.survey_responses.question IS 'Question asked; nps for "how likely are you to recommend ..."';
COMMENT ON COLUMN @extschema@.survey_responses.score IS 'Answer from 0 to 10';
COMMENT ON COLUMN @extschema@.survey_responses.comment IS 'Free-text comment, shown only for groups large enough to stay anonymous';
COMMENT ON COLUMN @extschema@.survey_responses.submitted_at IS 'When the answer was submitted';
CREATE INDEX survey_responses_wave_team ON @extschema@.survey_responses (wave, team);
CREATE INDEX survey_responses_submitted_brin ON @extschema@.survey_responses USING brin (submitted_at);

CREATE TABLE @extschema@.usage_events (
    event_id    text PRIMARY KEY,
    team        text NOT NULL
                CONSTRAINT usage_events_unknown_team REFERENCES @extschema@.teams,
    capability  text NOT NULL
                CONSTRAINT usage_events_unknown_capability REFERENCES @extschema@.capabilities,
    occurred_at timestamptz NOT NULL,
    kind        text NOT NULL DEFAULT 'use'
                CONSTRAINT usage_events_kind CHECK (kind IN ('use', 'adopt', 'abandon'))
);
COMMENT ON TABLE @extschema@.usage_events IS 'Uses of a capability by a team, as platform services report them';
COMMENT ON COLUMN @extschema@.usage_events.event_id IS 'Identifier sent by the service (idempotency key: a re-sent event is a duplicate)';
COMMENT ON COLUMN @extschema@.usage_events.team IS 'Team using the capability';
COMMENT ON COLUMN @extschema@.usage_events.capability IS 'Capability used';
COMMENT ON COLUMN @extschema@.usage_events.occurred_at IS 'When it happened';
COMMENT ON COLUMN @extschema@.usage_events.kind IS 'use; adopt (the team chose it); abandon (the team moved back to its own way)';
CREATE INDEX usage_events_capability_team ON @extschema@.usage_events (capability, team, occurred_at);
CREATE INDEX usage_events_occurred_brin ON @extschema@.usage_events USING brin (occurred_at);

CREATE TABLE @extschema@.onboarding (
    subject     text NOT NULL,
    team        text NOT NULL
                CONSTRAINT onboarding_unknown_team REFERENCES @extschema@.teams,
    milestone   text NOT NULL DEFAULT 'first_deploy',
    started_at  timestamptz NOT NULL,
    reached_at  timestamptz,
    PRIMARY KEY (subject, milestone),
    CONSTRAINT onboarding_reached_after_start CHECK (reached_at >= started_at)
);
COMMENT ON TABLE @extschema@.onboarding IS 'Onboarding of an engineer or team to a milestone (time to value)';
COMMENT ON COLUMN @extschema@.onboarding.subject IS 'Engineer or team being onboarded';
COMMENT ON COLUMN @extschema@.onboarding.team IS 'Team of the subject';
COMMENT ON COLUMN @extschema@.onboarding.milestone IS 'Milestone, e.g. first_deploy';
COMMENT ON COLUMN @extschema@.onboarding.started_at IS 'When onboarding started';
COMMENT ON COLUMN @extschema@.onboarding.reached_at IS 'When the milestone was reached; NULL while still on the way';
CREATE INDEX onboarding_started_brin ON @extschema@.onboarding USING brin (started_at);

CREATE TABLE @extschema@.feedback (
    feedback_id     text PRIMARY KEY,
    team            text CONSTRAINT feedback_unknown_team REFERENCES @extschema@.teams,
    capability      text CONSTRAINT feedback_unknown_capability REFERENCES @extschema@.capabilities,
    channel         text NOT NULL DEFAULT 'other',
    received_at     timestamptz NOT NULL,
    synthesized_at  timestamptz,
    theme           text,
    acted_at        timestamptz,
    communicated_at timestamptz,
    CONSTRAINT feedback_synthesized_after_received CHECK (synthesized_at >= received_at),
    CONSTRAINT feedback_acted_after_synthesized CHECK (acted_at >= coalesce(synthesized_at, received_at)),
    CONSTRAINT feedback_communicated_after_received CHECK (communicated_at >= received_at)
);
COMMENT ON TABLE @extschema@.feedback IS 'Developer feedback and its loop: listen, synthesise, act, communicate';
COMMENT ON COLUMN @extschema@.feedback.feedback_id IS 'Identifier sent by the source (idempotency key)';
COMMENT ON COLUMN @extschema@.feedback.team IS 'Team it came from, if known';
COMMENT ON COLUMN @extschema@.feedback.capability IS 'Capability it is about, if any';
COMMENT ON COLUMN @extschema@.feedback.channel IS 'Where it came in (survey, chat, ticket, interview, ...)';
COMMENT ON COLUMN @extschema@.feedback.received_at IS 'Listen: when it was received';
COMMENT ON COLUMN @extschema@.feedback.synthesized_at IS 'Synthesise: when it was grouped into a theme';
COMMENT ON COLUMN @extschema@.feedback.theme IS 'Theme it was synthesised into';
COMMENT ON COLUMN @extschema@.feedback.acted_at IS 'Act: when something was done about it';
COMMENT ON COLUMN @extschema@.feedback.communicated_at IS 'Communicate: when the developers were told (the loop is closed)';
CREATE INDEX feedback_received_brin ON @extschema@.feedback USING brin (received_at);

CREATE TABLE @extschema@.unplanned_work (
    event_id    text PRIMARY KEY,
    team        text NOT NULL
                CONSTRAINT unplanned_work_unknown_team REFERENCES @extschema@.teams,
    capability  text CONSTRAINT unplanned_work_unknown_capability REFERENCES @extschema@.capabilities,
    occurred_at timestamptz NOT NULL,
    hours       numeric(8, 2) NOT NULL
                CONSTRAINT unplanned_work_hours_positive CHECK (hours > 0),
    cause       text NOT NULL DEFAULT 'unknown'
);
COMMENT ON TABLE @extschema@.unplanned_work IS 'Surprise work the platform caused a team (breaking changes, incidents, migrations)';
COMMENT ON COLUMN @extschema@.unplanned_work.event_id IS 'Identifier sent by the source (idempotency key)';
COMMENT ON COLUMN @extschema@.unplanned_work.team IS 'Team that had to do the work';
COMMENT ON COLUMN @extschema@.unplanned_work.capability IS 'Capability that caused it, if known';
COMMENT ON COLUMN @extschema@.unplanned_work.occurred_at IS 'When it happened';
COMMENT ON COLUMN @extschema@.unplanned_work.hours IS 'Hours it cost';
COMMENT ON COLUMN @extschema@.unplanned_work.cause IS 'Why (breaking change, incident, migration, ...)';
CREATE INDEX unplanned_work_occurred_brin ON @extschema@.unplanned_work USING brin (occurred_at);

SELECT pg_catalog.pg_extension_config_dump('@extschema@.capabilities', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.teams', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.survey_responses', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.usage_events', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.onboarding', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.feedback', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.unplanned_work', '');

-- Anonymity thresholds, settable only by superusers (a reader must not lower them).
CREATE FUNCTION @extschema@.min_group_size() RETURNS integer
    AS 'MODULE_PATHNAME', 'pm_min_group_size_fn' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.min_group_size() IS
    'Smallest number of respondents a survey figure is shown for (setting platform_metrics.min_group_size)';
CREATE FUNCTION @extschema@.min_comment_group_size() RETURNS integer
    AS 'MODULE_PATHNAME', 'pm_min_comment_group_size_fn' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.min_comment_group_size() IS
    'Smallest number of respondents comments are shown for (setting platform_metrics.min_comment_group_size)';

-- Roles: created when absent, NOLOGIN, to be granted to login roles.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'platform_metrics_writer') THEN
        CREATE ROLE platform_metrics_writer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'platform_metrics_reader') THEN
        CREATE ROLE platform_metrics_reader NOLOGIN;
    END IF;
END
$$;
-- The writer inserts raw rows (INSERT, COPY) and may complete onboarding rows;
-- it reads no survey rows and no views.
GRANT INSERT ON @extschema@.capabilities, @extschema@.teams, @extschema@.survey_responses,
    @extschema@.usage_events, @extschema@.onboarding, @extschema@.feedback, @extschema@.unplanned_work
    TO platform_metrics_writer;
GRANT SELECT, UPDATE ON @extschema@.onboarding, @extschema@.feedback TO platform_metrics_writer;

------------------------------------------------------------------------------
-- Ingestion
------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.pm_parse_timestamptz(text) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'pm_parse_timestamptz' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pm_parse_timestamptz(text) IS
    'The text as a finite timestamptz, or NULL when it is not one (validation without exceptions)';

CREATE FUNCTION @extschema@.pm_ingest_validate(events jsonb,
        OUT problem text, OUT kinds text[], OUT teams text[], OUT capabilities text[])
    AS 'MODULE_PATHNAME', 'pm_ingest_validate' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pm_ingest_validate(jsonb) IS
    'ingest(): checks a batch in one walk; the first bad element as "index: problem", the event types, teams and capabilities used';

CREATE FUNCTION @extschema@.ingest(events jsonb, OUT accepted bigint, OUT duplicates bigint)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    bad record;
    n bigint;
    kinds text[];
    first_problem text;
    team_names text[];
    capability_names text[];
BEGIN
    accepted := 0;
    duplicates := 0;
    IF events IS NULL THEN
        RETURN;
    END IF;
    IF jsonb_typeof(events) <> 'array' THEN
        RAISE EXCEPTION 'events must be a JSON array of event objects'
            USING ERRCODE = '22023', HINT = 'Send [{"type": "usage", "event_id": ..., ...}, ...].';
    END IF;

    -- One walk over the batch (in C): the first bad element (by index), the event
    -- types present, and the distinct team and capability names to look up.
    SELECT v.problem, v.kinds, v.teams, v.capabilities
      INTO first_problem, kinds, team_names, capability_names
      FROM @extschema@.pm_ingest_validate(events) v;
    IF first_problem IS NOT NULL THEN
        RAISE EXCEPTION 'invalid event at index %', first_problem
            USING ERRCODE = '22023', HINT = 'Nothing of this batch was stored; correct the event and send the batch again.';
    END IF;
    -- Unknown teams and capabilities: the distinct names are checked, and only
    -- when one is missing is the first index that uses it looked up.
    SELECT v.field, v.name INTO bad
      FROM (SELECT 'team' AS field, t AS name FROM unnest(team_names) AS t
             WHERE NOT EXISTS (SELECT FROM @extschema@.teams x WHERE x.team = t)
            UNION ALL
            SELECT 'capability', c FROM unnest(capability_names) AS c
             WHERE NOT EXISTS (SELECT FROM @extschema@.capabilities x WHERE x.capability = c)) v
     LIMIT 1;
    IF FOUND THEN
        SELECT a.idx - 1 AS idx, format('unknown %s "%s"', bad.field, bad.name) AS problem INTO bad
          FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx)
         WHERE a.doc ->> bad.field = bad.name
         ORDER BY a.idx LIMIT 1;
        RAISE EXCEPTION 'invalid event at index %: %', bad.idx, bad.problem
            USING ERRCODE = '23503', HINT = 'Register teams and capabilities first; nothing of this batch was stored.';
    END IF;
    -- Store, one INSERT per event type present: a re-sent id changes nothing and
    -- counts as a duplicate.
    IF 'usage' = ANY (kinds) THEN
        WITH ins AS (
            INSERT INTO @extschema@.usage_events (event_id, team, capability, occurred_at, kind)
            SELECT doc ->> 'event_id', doc ->> 'team', doc ->> 'capability',
                   @extschema@.pm_parse_timestamptz(doc ->> 'occurred_at'), coalesce(doc ->> 'kind', 'use')
              FROM jsonb_array_elements(events) AS a(doc) WHERE doc ->> 'type' = 'usage'
            ON CONFLICT (event_id) DO NOTHING RETURNING 1)
        SELECT count(*) INTO n FROM ins;
        accepted := accepted + n;
    END IF;

    IF 'survey' = ANY (kinds) THEN
        WITH ins AS (
            INSERT INTO @extschema@.survey_responses (response_id, wave, team, capability, question, score, comment, submitted_at)
            SELECT doc ->> 'response_id', doc ->> 'wave', doc ->> 'team', doc ->> 'capability',
                   coalesce(doc ->> 'question', 'nps'), (doc ->> 'score')::smallint, doc ->> 'comment',
                   coalesce(@extschema@.pm_parse_timestamptz(doc ->> 'submitted_at'), now())
              FROM jsonb_array_elements(events) AS a(doc) WHERE doc ->> 'type' = 'survey'
            ON CONFLICT (response_id) DO NOTHING RETURNING 1)
        SELECT count(*) INTO n FROM ins;
        accepted := accepted + n;
    END IF;

    -- Onboarding rows are upserted: the same subject and milestone sent again with
    -- reached_at filled in completes the row (the last one in a batch wins).
    IF 'onboarding' = ANY (kinds) THEN
        WITH ins AS (
            INSERT INTO @extschema@.onboarding AS o (subject, team, milestone, started_at, reached_at)
            SELECT DISTINCT ON (doc ->> 'subject', coalesce(doc ->> 'milestone', 'first_deploy'))
                   doc ->> 'subject', doc ->> 'team', coalesce(doc ->> 'milestone', 'first_deploy'),
                   @extschema@.pm_parse_timestamptz(doc ->> 'started_at'),
                   @extschema@.pm_parse_timestamptz(doc ->> 'reached_at')
              FROM jsonb_array_elements(events) WITH ORDINALITY AS a(doc, idx) WHERE doc ->> 'type' = 'onboarding'
             ORDER BY doc ->> 'subject', coalesce(doc ->> 'milestone', 'first_deploy'), idx DESC
            ON CONFLICT (subject, milestone) DO UPDATE SET reached_at = excluded.reached_at
             WHERE o.reached_at IS NULL AND excluded.reached_at IS NOT NULL
            RETURNING 1)
        SELECT count(*) INTO n FROM ins;
        accepted := accepted + n;
    END IF;

    IF 'feedback' = ANY (kinds) THEN
        WITH ins AS (
            INSERT INTO @extschema@.feedback (feedback_id, team, capability, channel, received_at, synthesized_at,
                                              theme, acted_at, communicated_at)
            SELECT doc ->> 'feedback_id', doc ->> 'team', doc ->> 'capability', coalesce(doc ->> 'channel', 'other'),
                   @extschema@.pm_parse_timestamptz(doc ->> 'received_at'),
                   @extschema@.pm_parse_timestamptz(doc ->> 'synthesized_at'), doc ->> 'theme',
                   @extschema@.pm_parse_timestamptz(doc ->> 'acted_at'),
                   @extschema@.pm_parse_timestamptz(doc ->> 'communicated_at')
              FROM jsonb_array_elements(events) AS a(doc) WHERE doc ->> 'type' = 'feedback'
            ON CONFLICT (feedback_id) DO NOTHING RETURNING 1)
        SELECT count(*) INTO n FROM ins;
        accepted := accepted + n;
    END IF;

    IF 'unplanned' = ANY (kinds) THEN
        WITH ins AS (
            INSERT INTO @extschema@.unplanned_work (event_id, team, capability, occurred_at, hours, cause)
            SELECT doc ->> 'event_id', doc ->> 'team', doc ->> 'capability',
                   @extschema@.pm_parse_timestamptz(doc ->> 'occurred_at'), (doc ->> 'hours')::numeric,
                   coalesce(doc ->> 'cause', 'unknown')
              FROM jsonb_array_elements(events) AS a(doc) WHERE doc ->> 'type' = 'unplanned'
            ON CONFLICT (event_id) DO NOTHING RETURNING 1)
        SELECT count(*) INTO n FROM ins;
        accepted := accepted + n;
    END IF;

    duplicates := jsonb_array_length(events) - accepted;
END
$fn$;
COMMENT ON FUNCTION @extschema@.ingest(jsonb) IS
    'Stores a JSON array of events (usage, survey, onboarding, feedback, unplanned) all or nothing; re-sent ids are duplicates';
REVOKE ALL ON FUNCTION @extschema@.ingest(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION @extschema@.ingest(jsonb) TO platform_metrics_writer;

------------------------------------------------------------------------------
-- Views: what analysts and BI tools read
------------------------------------------------------------------------------

-- Platform NPS per survey wave (the question about the platform as a whole).
CREATE VIEW @extschema@.nps_by_survey WITH (security_barrier) AS
WITH waves AS (
    SELECT r.wave, @extschema@.nps_summary(r.score::integer) AS s, count(*) AS n
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NULL AND r.question = 'nps'
     GROUP BY r.wave),
asked AS (
    SELECT coalesce(sum(t.headcount), 0)::bigint AS population FROM @extschema@.teams t)
SELECT w.wave,
       w.n AS responses,
       CASE WHEN NOT x.suppressed THEN w.n::double precision / nullif(a.population, 0) END AS response_rate,
       CASE WHEN NOT x.suppressed THEN @extschema@.promoters(w.s) END AS promoters,
       CASE WHEN NOT x.suppressed THEN @extschema@.passives(w.s) END AS passives,
       CASE WHEN NOT x.suppressed THEN @extschema@.detractors(w.s) END AS detractors,
       CASE WHEN NOT x.suppressed THEN @extschema@.nps(w.s) END AS nps,
       CASE WHEN NOT x.suppressed THEN ci.low END AS ci_low,
       CASE WHEN NOT x.suppressed THEN ci.high END AS ci_high,
       x.suppressed
  FROM waves w CROSS JOIN asked a
       CROSS JOIN LATERAL (SELECT w.n < @extschema@.min_group_size() AS suppressed) x
       CROSS JOIN LATERAL @extschema@.nps_ci(w.s, 0.95, greatest(a.population, w.n)) ci;
COMMENT ON VIEW @extschema@.nps_by_survey IS 'Platform NPS per survey wave with its 95% interval; small waves suppressed';
COMMENT ON COLUMN @extschema@.nps_by_survey.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.nps_by_survey.responses IS 'Number of answers to the platform NPS question';
COMMENT ON COLUMN @extschema@.nps_by_survey.response_rate IS 'Answers divided by the developers asked (sum of team headcounts)';
COMMENT ON COLUMN @extschema@.nps_by_survey.promoters IS 'Answers 9-10';
COMMENT ON COLUMN @extschema@.nps_by_survey.passives IS 'Answers 7-8';
COMMENT ON COLUMN @extschema@.nps_by_survey.detractors IS 'Answers 0-6';
COMMENT ON COLUMN @extschema@.nps_by_survey.nps IS 'Net Promoter Score, -100 to 100';
COMMENT ON COLUMN @extschema@.nps_by_survey.ci_low IS 'Lower end of the 95% adjusted-Wald interval (finite-population corrected)';
COMMENT ON COLUMN @extschema@.nps_by_survey.ci_high IS 'Upper end of the 95% interval';
COMMENT ON COLUMN @extschema@.nps_by_survey.suppressed IS 'True when fewer than platform_metrics.min_group_size answered: the numbers are hidden';

-- Platform NPS per team and wave, with complementary suppression.
CREATE VIEW @extschema@.nps_by_team WITH (security_barrier) AS
WITH groups AS (
    SELECT r.wave, r.team, @extschema@.nps_summary(r.score::integer) AS s, count(*) AS n
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NULL AND r.question = 'nps'
     GROUP BY r.wave, r.team),
marked AS (
    SELECT g.*, g.n < @extschema@.min_group_size() AS small FROM groups g),
ordered AS (
    SELECT m.*,
           coalesce(sum(m.n) FILTER (WHERE m.small) OVER (PARTITION BY m.wave), 0) AS small_total,
           coalesce(sum(m.n) FILTER (WHERE NOT m.small)
                    OVER (PARTITION BY m.wave ORDER BY m.small, m.n, m.team
                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS larger_before
      FROM marked m)
SELECT o.wave, o.team,
       o.n AS responses,
       CASE WHEN NOT x.suppressed THEN o.n::double precision / t.headcount END AS response_rate,
       CASE WHEN NOT x.suppressed THEN @extschema@.promoters(o.s) END AS promoters,
       CASE WHEN NOT x.suppressed THEN @extschema@.passives(o.s) END AS passives,
       CASE WHEN NOT x.suppressed THEN @extschema@.detractors(o.s) END AS detractors,
       CASE WHEN NOT x.suppressed THEN @extschema@.nps(o.s) END AS nps,
       CASE WHEN NOT x.suppressed THEN ci.low END AS ci_low,
       CASE WHEN NOT x.suppressed THEN ci.high END AS ci_high,
       x.suppressed
  FROM ordered o JOIN @extschema@.teams t ON t.team = o.team
       CROSS JOIN LATERAL (
           -- small groups, and then the next-smallest ones until the hidden
           -- answers of the wave reach the threshold (so nobody can subtract
           -- the shown teams from the wave's total)
           SELECT o.small
                  OR (o.small_total > 0 AND o.small_total + o.larger_before < @extschema@.min_group_size())
                  AS suppressed) x
       CROSS JOIN LATERAL @extschema@.nps_ci(o.s, 0.95, greatest(t.headcount, o.n)::bigint) ci;
COMMENT ON VIEW @extschema@.nps_by_team IS 'Platform NPS per team and wave; small teams suppressed, and the next-smallest too so that no group can be recovered by subtraction';
COMMENT ON COLUMN @extschema@.nps_by_team.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.nps_by_team.team IS 'Team';
COMMENT ON COLUMN @extschema@.nps_by_team.responses IS 'Number of answers from the team';
COMMENT ON COLUMN @extschema@.nps_by_team.response_rate IS 'Answers divided by the team''s headcount';
COMMENT ON COLUMN @extschema@.nps_by_team.promoters IS 'Answers 9-10';
COMMENT ON COLUMN @extschema@.nps_by_team.passives IS 'Answers 7-8';
COMMENT ON COLUMN @extschema@.nps_by_team.detractors IS 'Answers 0-6';
COMMENT ON COLUMN @extschema@.nps_by_team.nps IS 'Net Promoter Score, -100 to 100';
COMMENT ON COLUMN @extschema@.nps_by_team.ci_low IS 'Lower end of the 95% interval (finite-population corrected with the headcount)';
COMMENT ON COLUMN @extschema@.nps_by_team.ci_high IS 'Upper end of the 95% interval';
COMMENT ON COLUMN @extschema@.nps_by_team.suppressed IS 'True when the numbers are hidden to keep answers anonymous';

-- Wave over wave: is the change real?
CREATE VIEW @extschema@.nps_trend WITH (security_barrier) AS
WITH waves AS (
    SELECT r.wave, @extschema@.nps_summary(r.score::integer) AS s, count(*) AS n
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NULL AND r.question = 'nps'
     GROUP BY r.wave),
shown AS (
    SELECT w.wave, CASE WHEN w.n >= @extschema@.min_group_size() THEN w.s END AS s FROM waves w),
paired AS (
    SELECT sh.wave, sh.s, lag(sh.s) OVER (ORDER BY sh.wave) AS prev FROM shown sh)
SELECT p.wave,
       @extschema@.nps(p.s) AS nps,
       @extschema@.nps(p.prev) AS previous_nps,
       @extschema@.nps(p.s) - @extschema@.nps(p.prev) AS change,
       @extschema@.nps_test(p.prev, p.s) AS p_value,
       @extschema@.nps_test(p.prev, p.s) < 0.05 AS significant
  FROM paired p;
COMMENT ON VIEW @extschema@.nps_trend IS 'Platform NPS wave over wave, with the p-value of the change';
COMMENT ON COLUMN @extschema@.nps_trend.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.nps_trend.nps IS 'NPS of the wave (NULL when suppressed)';
COMMENT ON COLUMN @extschema@.nps_trend.previous_nps IS 'NPS of the previous wave';
COMMENT ON COLUMN @extschema@.nps_trend.change IS 'Change in NPS points from the previous wave';
COMMENT ON COLUMN @extschema@.nps_trend.p_value IS 'Two-sided p-value that the two waves'' NPS are equal (nps_test)';
COMMENT ON COLUMN @extschema@.nps_trend.significant IS 'True when the change is significant at 5%';

-- Comments, only from groups large enough to stay anonymous.  A group's size
-- is its number of respondents; answers carry no respondent, but everyone
-- answers a question at most once, so the most answers any one question got
-- is a lower bound of it (counting all answers would count people twice).
CREATE VIEW @extschema@.survey_comments WITH (security_barrier) AS
SELECT r.wave, r.team, r.capability, r.comment
  FROM @extschema@.survey_responses r
 WHERE r.comment IS NOT NULL AND r.comment <> ''
   AND (SELECT max(q.n) FROM (SELECT count(*) AS n FROM @extschema@.survey_responses g
                               WHERE g.wave = r.wave AND g.team = r.team
                               GROUP BY g.capability, g.question) q) >= @extschema@.min_comment_group_size();
COMMENT ON VIEW @extschema@.survey_comments IS 'Free-text comments of teams with at least platform_metrics.min_comment_group_size answers in the wave';
COMMENT ON COLUMN @extschema@.survey_comments.wave IS 'Survey wave';
COMMENT ON COLUMN @extschema@.survey_comments.team IS 'Team of the respondent';
COMMENT ON COLUMN @extschema@.survey_comments.capability IS 'Capability the answer was about (NULL: the platform)';
COMMENT ON COLUMN @extschema@.survey_comments.comment IS 'The comment';

-- Time to value per milestone and start month, censoring-aware beside naive.
CREATE VIEW @extschema@.time_to_value AS
SELECT o.milestone,
       date_trunc('month', o.started_at) AS start_month,
       count(*) AS started,
       count(*) FILTER (WHERE o.reached_at <= now()) AS reached,
       count(*) FILTER (WHERE o.reached_at IS NULL OR o.reached_at > now()) AS on_the_way,
       (@extschema@.ttv_percentile(o.started_at, o.reached_at, ARRAY[0.5, 0.75, 0.9]))[1] AS p50,
       (@extschema@.ttv_percentile(o.started_at, o.reached_at, ARRAY[0.5, 0.75, 0.9]))[2] AS p75,
       (@extschema@.ttv_percentile(o.started_at, o.reached_at, ARRAY[0.5, 0.75, 0.9]))[3] AS p90,
       justify_hours(@extschema@.ttv_percentile(CASE WHEN o.reached_at <= now() THEN o.reached_at - o.started_at END, 0.5))
           AS naive_median
  FROM @extschema@.onboarding o
 WHERE o.started_at <= now()
 GROUP BY 1, 2;
COMMENT ON VIEW @extschema@.time_to_value IS 'Time to a milestone per start month: Kaplan-Meier percentiles that count those still on their way, beside the naive median';
COMMENT ON COLUMN @extschema@.time_to_value.milestone IS 'Milestone (e.g. first_deploy)';
COMMENT ON COLUMN @extschema@.time_to_value.start_month IS 'Month onboarding started';
COMMENT ON COLUMN @extschema@.time_to_value.started IS 'Subjects who started that month';
COMMENT ON COLUMN @extschema@.time_to_value.reached IS 'Of them, those who reached the milestone';
COMMENT ON COLUMN @extschema@.time_to_value.on_the_way IS 'Of them, those still on their way';
COMMENT ON COLUMN @extschema@.time_to_value.p50 IS 'Median time to the milestone (Kaplan-Meier; NULL: not known yet)';
COMMENT ON COLUMN @extschema@.time_to_value.p75 IS '75th percentile (Kaplan-Meier; NULL: not known yet)';
COMMENT ON COLUMN @extschema@.time_to_value.p90 IS '90th percentile (Kaplan-Meier; NULL: not known yet)';
COMMENT ON COLUMN @extschema@.time_to_value.naive_median IS 'Median over those who arrived only: biased low while many are on their way';

-- Adoption of each capability.  A team "tried" a capability when it used or
-- adopted it; it "moved back" when its latest event is an abandon; it "went
-- quiet" when it has not used the capability for 60 days.
CREATE VIEW @extschema@.capability_adoption AS
WITH per_team AS (
    SELECT u.capability, u.team,
           max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon') AS last_use,
           -- the latest event is an abandon (one at the same instant as a use wins)
           coalesce(max(u.occurred_at) FILTER (WHERE u.kind = 'abandon')
                    >= coalesce(max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'), '-infinity'), false)
               AS moved_back
      FROM @extschema@.usage_events u
     GROUP BY u.capability, u.team),
eligible AS (SELECT count(*) AS n FROM @extschema@.teams)
SELECT c.capability,
       c.mandatory,
       e.n AS eligible_teams,
       count(p.team) FILTER (WHERE p.last_use IS NOT NULL) AS adopting_teams,
       count(p.team) FILTER (WHERE p.last_use IS NOT NULL)::double precision / nullif(e.n, 0) AS adoption_rate,
       CASE WHEN NOT c.mandatory
            THEN count(p.team) FILTER (WHERE p.last_use IS NOT NULL)::double precision / nullif(e.n, 0) END AS opt_in_rate,
       count(p.team) FILTER (WHERE p.last_use >= now() - interval '30 days' AND NOT p.moved_back) AS active_last_30_days,
       count(p.team) FILTER (WHERE p.last_use < now() - interval '60 days' AND NOT p.moved_back) AS churned_teams,
       count(p.team) FILTER (WHERE p.moved_back) AS moved_back_teams,
       count(p.team) FILTER (WHERE p.last_use >= now() - interval '60 days' AND NOT p.moved_back)::double precision
           / nullif(count(p.team) FILTER (WHERE p.last_use IS NOT NULL), 0) AS stay_rate
  FROM @extschema@.capabilities c CROSS JOIN eligible e
       LEFT JOIN per_team p ON p.capability = c.capability
 GROUP BY c.capability, c.mandatory, e.n;
COMMENT ON VIEW @extschema@.capability_adoption IS 'Adoption, opt-in, activity, churn and stay rate per capability';
COMMENT ON COLUMN @extschema@.capability_adoption.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.capability_adoption.mandatory IS 'Whether teams must use it';
COMMENT ON COLUMN @extschema@.capability_adoption.eligible_teams IS 'Teams that could use it (all registered teams)';
COMMENT ON COLUMN @extschema@.capability_adoption.adopting_teams IS 'Teams that used or adopted it at least once';
COMMENT ON COLUMN @extschema@.capability_adoption.adoption_rate IS 'Adopting teams divided by eligible teams';
COMMENT ON COLUMN @extschema@.capability_adoption.opt_in_rate IS 'For optional capabilities, the share of eligible teams that chose it (NULL when mandatory)';
COMMENT ON COLUMN @extschema@.capability_adoption.active_last_30_days IS 'Teams that used it in the last 30 days';
COMMENT ON COLUMN @extschema@.capability_adoption.churned_teams IS 'Teams that tried it and have not used it for 60 days (went quiet)';
COMMENT ON COLUMN @extschema@.capability_adoption.moved_back_teams IS 'Teams whose latest event is abandon: they moved back to their own way';
COMMENT ON COLUMN @extschema@.capability_adoption.stay_rate IS 'Teams still using it (in the last 60 days) among the teams that tried it';

-- Monthly retention triangle per capability, from churn_cohort.
CREATE VIEW @extschema@.capability_retention AS
SELECT c.capability, r.*
  FROM @extschema@.capabilities c
       CROSS JOIN LATERAL @extschema@.cohort_rows(
           (SELECT @extschema@.churn_cohort(u.team, u.occurred_at, '1 month')
              FROM @extschema@.usage_events u
             WHERE u.capability = c.capability AND u.kind <> 'abandon')) r;
COMMENT ON VIEW @extschema@.capability_retention IS 'Monthly retention triangle, lifecycle and churn per capability and adoption cohort (cohort_rows of churn_cohort)';
COMMENT ON COLUMN @extschema@.capability_retention.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.capability_retention.cohort_start IS 'Month the teams of the cohort first used the capability';
COMMENT ON COLUMN @extschema@.capability_retention.period_offset IS 'Months since the cohort month';
COMMENT ON COLUMN @extschema@.capability_retention.period_start IS 'Start of that month';
COMMENT ON COLUMN @extschema@.capability_retention.cohort_size IS 'Teams in the cohort';
COMMENT ON COLUMN @extschema@.capability_retention.active IS 'Teams of the cohort that used it that month';
COMMENT ON COLUMN @extschema@.capability_retention.retention IS 'active / cohort_size';
COMMENT ON COLUMN @extschema@.capability_retention.active_or_after IS 'Teams of the cohort that used it that month or later';
COMMENT ON COLUMN @extschema@.capability_retention.continuing IS 'Used it that month and the month before';
COMMENT ON COLUMN @extschema@.capability_retention.resurrecting IS 'Used it that month, not the month before, but earlier';
COMMENT ON COLUMN @extschema@.capability_retention.dormant IS 'Used it the month before, not that month';
COMMENT ON COLUMN @extschema@.capability_retention.churned IS 'Last used it the month before and not since';

-- The teams that stopped, for the capability's owners.
CREATE VIEW @extschema@.churned_teams AS
SELECT u.capability, u.team,
       min(u.occurred_at) AS first_activity,
       max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon') AS last_activity,
       extract(day FROM now() - max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'))::integer AS idle_days,
       CASE WHEN coalesce(max(u.occurred_at) FILTER (WHERE u.kind = 'abandon')
                          >= coalesce(max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'), '-infinity'), false)
            THEN 'moved back' ELSE 'went quiet' END AS status
  FROM @extschema@.usage_events u
 GROUP BY u.capability, u.team
HAVING coalesce(max(u.occurred_at) FILTER (WHERE u.kind = 'abandon')
                >= coalesce(max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon'), '-infinity'), false)
    OR max(u.occurred_at) FILTER (WHERE u.kind <> 'abandon') < now() - interval '60 days';
COMMENT ON VIEW @extschema@.churned_teams IS 'Teams that moved back from a capability or have not used it for 60 days';
COMMENT ON COLUMN @extschema@.churned_teams.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.churned_teams.team IS 'Team';
COMMENT ON COLUMN @extschema@.churned_teams.first_activity IS 'First event of the team with the capability';
COMMENT ON COLUMN @extschema@.churned_teams.last_activity IS 'Last use';
COMMENT ON COLUMN @extschema@.churned_teams.idle_days IS 'Whole days since the last use';
COMMENT ON COLUMN @extschema@.churned_teams.status IS 'moved back (its latest event is abandon) or went quiet (60 days without use)';

-- Adoption after launch, week by week.
CREATE VIEW @extschema@.post_launch_adoption AS
WITH first_use AS (
    SELECT u.capability, u.team, min(u.occurred_at) AS first_at
      FROM @extschema@.usage_events u WHERE u.kind <> 'abandon'
     GROUP BY u.capability, u.team),
eligible AS (SELECT count(*) AS n FROM @extschema@.teams)
SELECT c.capability, w.week AS weeks_since_launch,
       count(f.team) AS adopting_teams,
       count(f.team)::double precision / nullif(e.n, 0) AS adoption_share
  FROM @extschema@.capabilities c CROSS JOIN eligible e
       CROSS JOIN LATERAL generate_series(0, greatest(0, floor(extract(epoch FROM now() - c.launched_at) / 604800)::integer)) AS w(week)
       LEFT JOIN first_use f ON f.capability = c.capability
                            AND f.first_at < c.launched_at + (w.week + 1) * interval '1 week'
 GROUP BY c.capability, w.week, e.n;
COMMENT ON VIEW @extschema@.post_launch_adoption IS 'Cumulative adoption of each capability by week since its launch';
COMMENT ON COLUMN @extschema@.post_launch_adoption.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.post_launch_adoption.weeks_since_launch IS 'Whole weeks since launch (0 = the launch week)';
COMMENT ON COLUMN @extschema@.post_launch_adoption.adopting_teams IS 'Teams that had used it by the end of that week';
COMMENT ON COLUMN @extschema@.post_launch_adoption.adoption_share IS 'Those teams divided by all registered teams';

-- The Mandate-Choice matrix, from each capability's answers in its latest wave.
CREATE VIEW @extschema@.capability_quadrants WITH (security_barrier) AS
WITH latest AS (
    SELECT r.capability, max(r.wave) AS wave
      FROM @extschema@.survey_responses r
     WHERE r.capability IS NOT NULL AND r.question = 'nps'
     GROUP BY r.capability),
summaries AS (
    SELECT r.capability, l.wave, @extschema@.nps_summary(r.score::integer) AS s, count(*) AS n
      FROM @extschema@.survey_responses r JOIN latest l ON l.capability = r.capability AND l.wave = r.wave
     WHERE r.question = 'nps'
     GROUP BY r.capability, l.wave)
SELECT c.capability, c.mandatory, s.wave,
       coalesce(s.n, 0) AS responses,
       CASE WHEN NOT x.suppressed THEN @extschema@.nps(s.s) END AS nps,
       CASE WHEN NOT x.suppressed THEN ci.low END AS ci_low,
       CASE WHEN NOT x.suppressed THEN ci.high END AS ci_high,
       CASE WHEN NOT x.suppressed THEN @extschema@.mandate_quadrant(c.mandatory, s.s) END AS quadrant,
       CASE WHEN NOT x.suppressed
            THEN coalesce(@extschema@.recommended_action(@extschema@.mandate_quadrant(c.mandatory, s.s)),
                          'insufficient evidence') END AS action,
       x.suppressed
  FROM @extschema@.capabilities c
       LEFT JOIN summaries s ON s.capability = c.capability
       CROSS JOIN LATERAL (SELECT coalesce(s.n, 0) < @extschema@.min_group_size() AS suppressed) x
       LEFT JOIN LATERAL @extschema@.nps_ci(s.s) ci ON true;
COMMENT ON VIEW @extschema@.capability_quadrants IS 'Mandate-Choice quadrant of each capability from its latest survey wave, judged by the 95% NPS interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.capability IS 'Capability';
COMMENT ON COLUMN @extschema@.capability_quadrants.mandatory IS 'Whether teams must use it';
COMMENT ON COLUMN @extschema@.capability_quadrants.wave IS 'Latest wave with answers about it';
COMMENT ON COLUMN @extschema@.capability_quadrants.responses IS 'Answers about it in that wave';
COMMENT ON COLUMN @extschema@.capability_quadrants.nps IS 'Its NPS in that wave';
COMMENT ON COLUMN @extschema@.capability_quadrants.ci_low IS 'Lower end of the 95% interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.ci_high IS 'Upper end of the 95% interval';
COMMENT ON COLUMN @extschema@.capability_quadrants.quadrant IS 'mandate_quadrant; NULL when the interval contains the threshold (insufficient evidence)';
COMMENT ON COLUMN @extschema@.capability_quadrants.action IS 'invest, fix ASAP, product-market fit, kill, or insufficient evidence';
COMMENT ON COLUMN @extschema@.capability_quadrants.suppressed IS 'True when too few answered: the numbers are hidden';

-- The feedback loop per quarter: listen, synthesise, act, communicate.
CREATE VIEW @extschema@.feedback_loop AS
SELECT date_trunc('quarter', f.received_at) AS quarter,
       count(*) AS received,
       count(f.synthesized_at) AS synthesized,
       count(f.acted_at) AS acted,
       count(f.communicated_at) AS communicated,
       count(f.communicated_at)::double precision / count(*) AS closed_loop_rate,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.communicated_at - f.received_at) / 86400)
           AS median_days_to_close
  FROM @extschema@.feedback f
 GROUP BY 1;
COMMENT ON VIEW @extschema@.feedback_loop IS 'Developer feedback per quarter received: how much went through each step of the loop';
COMMENT ON COLUMN @extschema@.feedback_loop.quarter IS 'Quarter the feedback was received';
COMMENT ON COLUMN @extschema@.feedback_loop.received IS 'Pieces of feedback received (listen)';
COMMENT ON COLUMN @extschema@.feedback_loop.synthesized IS 'Of them, grouped into a theme (synthesise)';
COMMENT ON COLUMN @extschema@.feedback_loop.acted IS 'Of them, acted on (act)';
COMMENT ON COLUMN @extschema@.feedback_loop.communicated IS 'Of them, with the outcome told to developers (communicate)';
COMMENT ON COLUMN @extschema@.feedback_loop.closed_loop_rate IS 'communicated / received';
COMMENT ON COLUMN @extschema@.feedback_loop.median_days_to_close IS 'Median days from receiving to communicating, over closed loops';

CREATE VIEW @extschema@.unplanned_work_by_month AS
SELECT date_trunc('month', w.occurred_at) AS month, w.team, w.capability,
       sum(w.hours) AS hours, count(*) AS events
  FROM @extschema@.unplanned_work w
 GROUP BY 1, 2, 3;
COMMENT ON VIEW @extschema@.unplanned_work_by_month IS 'Unplanned work the platform caused, per month, team and capability';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.month IS 'Month';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.team IS 'Team that did the work';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.capability IS 'Capability that caused it (NULL: unknown)';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.hours IS 'Hours spent';
COMMENT ON COLUMN @extschema@.unplanned_work_by_month.events IS 'Number of events';

-- The reader reads the views, nothing else.
GRANT SELECT ON @extschema@.nps_by_survey, @extschema@.nps_by_team, @extschema@.nps_trend,
    @extschema@.survey_comments, @extschema@.time_to_value, @extschema@.capability_adoption,
    @extschema@.capability_retention, @extschema@.churned_teams, @extschema@.post_launch_adoption,
    @extschema@.capability_quadrants, @extschema@.feedback_loop, @extschema@.unplanned_work_by_month
    TO platform_metrics_reader;
