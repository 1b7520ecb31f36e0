-- nps.sql: nps_summary, nps() and their statistics (nps.c, stats.c)

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

-- The + operator: merges two stored values, as rollup() of the two does.
CREATE OPERATOR @extschema@.+ (
    LEFTARG = @extschema@.nps_summary, RIGHTARG = @extschema@.nps_summary,
    FUNCTION = @extschema@.nps_summary_combine, COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.nps_summary, @extschema@.nps_summary) IS
    'sum of the counts, as rollup() of the two';
