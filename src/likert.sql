-- likert.sql: likert_summary and its statistics, bh_adjust(), Cronbach's alpha
-- (likert.c, bh_adjust.c, cronbach.c, stats.c)

------------------------------------------------------------------------------
-- likert_summary: the number of answers at each point of a 2- to 11-point scale
------------------------------------------------------------------------------

CREATE TYPE @extschema@.likert_summary;

CREATE FUNCTION @extschema@.likert_summary_in(cstring) RETURNS @extschema@.likert_summary
    AS 'MODULE_PATHNAME', 'likert_summary_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.likert_summary_out(@extschema@.likert_summary) RETURNS cstring
    AS 'MODULE_PATHNAME', 'likert_summary_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.likert_summary_recv(internal) RETURNS @extschema@.likert_summary
    AS 'MODULE_PATHNAME', 'likert_summary_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.likert_summary_send(@extschema@.likert_summary) RETURNS bytea
    AS 'MODULE_PATHNAME', 'likert_summary_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.likert_summary (
    INPUT = @extschema@.likert_summary_in,
    OUTPUT = @extschema@.likert_summary_out,
    RECEIVE = @extschema@.likert_summary_recv,
    SEND = @extschema@.likert_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.likert_summary IS
    'Counts of survey answers at each point of a scale low..high (2 to 11 points); mergeable with rollup()';

COMMENT ON FUNCTION @extschema@.likert_summary_in(cstring) IS 'Text input of likert_summary: low=L high=H counts={N,...}';
COMMENT ON FUNCTION @extschema@.likert_summary_out(@extschema@.likert_summary) IS 'Text output of likert_summary';
COMMENT ON FUNCTION @extschema@.likert_summary_recv(internal) IS 'Binary input of likert_summary (validated)';
COMMENT ON FUNCTION @extschema@.likert_summary_send(@extschema@.likert_summary) IS 'Binary output of likert_summary';

-- Aggregate support.  The transition function is not strict: its state
-- starts NULL and takes the scale from the first row with a score.
CREATE FUNCTION @extschema@.likert_summary_sfunc(@extschema@.likert_summary, integer, integer, integer)
    RETURNS @extschema@.likert_summary
    AS 'MODULE_PATHNAME', 'likert_summary_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.likert_summary_sfunc(@extschema@.likert_summary, integer, integer, integer) IS
    'Transition function of likert_summary(score, low, high): counts one score';

CREATE FUNCTION @extschema@.likert_summary_combine(@extschema@.likert_summary, @extschema@.likert_summary)
    RETURNS @extschema@.likert_summary
    AS 'MODULE_PATHNAME', 'likert_summary_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.likert_summary_combine(@extschema@.likert_summary, @extschema@.likert_summary) IS
    'Combine function of likert_summary() and transition of rollup(likert_summary): adds the counts of one scale';

CREATE FUNCTION @extschema@.likert_summary_ffunc(@extschema@.likert_summary) RETURNS @extschema@.likert_summary
    AS 'MODULE_PATHNAME', 'likert_summary_ffunc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.likert_summary_ffunc(@extschema@.likert_summary) IS
    'Final function of likert_summary() and rollup(likert_summary): NULL when nothing was counted';

-- Accessors
CREATE FUNCTION @extschema@.responses(@extschema@.likert_summary) RETURNS bigint
    AS 'MODULE_PATHNAME', 'likert_summary_responses' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.responses(@extschema@.likert_summary) IS 'Number of responses of a likert_summary';

CREATE FUNCTION @extschema@.mean_score(@extschema@.likert_summary) RETURNS double precision
    AS 'MODULE_PATHNAME', 'likert_summary_mean_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mean_score(@extschema@.likert_summary) IS
    'Mean score of a likert_summary, NULL without responses';

CREATE FUNCTION @extschema@.distribution(@extschema@.likert_summary) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'likert_summary_distribution' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.distribution(@extschema@.likert_summary) IS
    'Counts of the points low..high of a likert_summary, in order';

CREATE FUNCTION @extschema@.favorable_share(s @extschema@.likert_summary, favorable_from integer)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'likert_summary_favorable_share' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.favorable_share(@extschema@.likert_summary, integer) IS
    'Share of the answers at or above favorable_from, NULL without responses';

-- Equality, and a hash opclass so DISTINCT, GROUP BY and hash joins work
CREATE FUNCTION @extschema@.likert_summary_eq(@extschema@.likert_summary, @extschema@.likert_summary) RETURNS boolean
    AS 'MODULE_PATHNAME', 'likert_summary_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.likert_summary_eq(@extschema@.likert_summary, @extschema@.likert_summary) IS
    'Equality of likert_summary: same scale and counts';
CREATE FUNCTION @extschema@.likert_summary_ne(@extschema@.likert_summary, @extschema@.likert_summary) RETURNS boolean
    AS 'MODULE_PATHNAME', 'likert_summary_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION @extschema@.likert_summary_ne(@extschema@.likert_summary, @extschema@.likert_summary) IS
    'Inequality of likert_summary';
CREATE FUNCTION @extschema@.likert_summary_hash(@extschema@.likert_summary) RETURNS integer
    AS 'MODULE_PATHNAME', 'likert_summary_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.likert_summary_hash(@extschema@.likert_summary) IS
    'Hash of likert_summary for hash joins and hash aggregation';
CREATE FUNCTION @extschema@.likert_summary_hash_extended(@extschema@.likert_summary, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'likert_summary_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.likert_summary_hash_extended(@extschema@.likert_summary, bigint) IS
    'Seeded 64-bit hash of likert_summary (hash partitioning)';

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.likert_summary, RIGHTARG = @extschema@.likert_summary,
    FUNCTION = @extschema@.likert_summary_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.likert_summary, @extschema@.likert_summary) IS 'same scale and counts';
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.likert_summary, RIGHTARG = @extschema@.likert_summary,
    FUNCTION = @extschema@.likert_summary_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR @extschema@.<> (@extschema@.likert_summary, @extschema@.likert_summary) IS 'different scale or counts';

CREATE OPERATOR CLASS @extschema@.likert_summary_hash_ops
    DEFAULT FOR TYPE @extschema@.likert_summary USING hash AS
        OPERATOR 1 @extschema@.= (@extschema@.likert_summary, @extschema@.likert_summary),
        FUNCTION 1 @extschema@.likert_summary_hash(@extschema@.likert_summary),
        FUNCTION 2 @extschema@.likert_summary_hash_extended(@extschema@.likert_summary, bigint);
COMMENT ON OPERATOR CLASS @extschema@.likert_summary_hash_ops USING hash IS 'hash operator class of likert_summary';
COMMENT ON OPERATOR FAMILY @extschema@.likert_summary_hash_ops USING hash IS 'hash operator family of likert_summary';

-- Aggregates.  The state is the likert_summary type itself, so partial
-- aggregates can travel as text or binary (parallel workers, Citus); the
-- scale comes from every row's arguments.
CREATE AGGREGATE @extschema@.likert_summary(score integer, low integer, high integer) (
    SFUNC = @extschema@.likert_summary_sfunc,
    STYPE = @extschema@.likert_summary,
    FINALFUNC = @extschema@.likert_summary_ffunc,
    COMBINEFUNC = @extschema@.likert_summary_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.likert_summary(integer, integer, integer) IS
    'Storable, mergeable summary (counts per point) of survey scores on the scale low..high; NULL scores are skipped';

CREATE AGGREGATE @extschema@.rollup(@extschema@.likert_summary) (
    SFUNC = @extschema@.likert_summary_combine,
    STYPE = @extschema@.likert_summary,
    FINALFUNC = @extschema@.likert_summary_ffunc,
    COMBINEFUNC = @extschema@.likert_summary_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.likert_summary) IS
    'Merges stored likert summaries of one scale, exactly as if the raw scores were aggregated';

-- The + operator: merges two stored values, as rollup() of the two does.
CREATE OPERATOR @extschema@.+ (
    LEFTARG = @extschema@.likert_summary, RIGHTARG = @extschema@.likert_summary,
    FUNCTION = @extschema@.likert_summary_combine, COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.likert_summary, @extschema@.likert_summary) IS
    'sum of the counts of one scale, as rollup() of the two';

-- Uncertainty and tests
CREATE FUNCTION @extschema@.favorable_ci(
        s @extschema@.likert_summary,
        favorable_from integer,
        confidence double precision DEFAULT 0.95,
        population bigint DEFAULT NULL,
        OUT low double precision,
        OUT high double precision)
    AS 'MODULE_PATHNAME', 'favorable_ci' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.favorable_ci(@extschema@.likert_summary, integer, double precision, bigint) IS
    'Wilson score interval of the favourable share; population applies the finite-population correction';

CREATE FUNCTION @extschema@.mean_ci(
        s @extschema@.likert_summary,
        confidence double precision DEFAULT 0.95,
        population bigint DEFAULT NULL,
        OUT low double precision,
        OUT high double precision)
    AS 'MODULE_PATHNAME', 'mean_ci' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mean_ci(@extschema@.likert_summary, double precision, bigint) IS
    'Student t interval of the mean score; population applies the finite-population correction';

CREATE FUNCTION @extschema@.favorable_test(a @extschema@.likert_summary, b @extschema@.likert_summary, favorable_from integer)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'favorable_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.favorable_test(@extschema@.likert_summary, @extschema@.likert_summary, integer) IS
    'Two-sided p-value of the pooled two-proportion z-test that two favourable shares are equal';

CREATE FUNCTION @extschema@.favorable_diff_ci(
        a @extschema@.likert_summary,
        b @extschema@.likert_summary,
        favorable_from integer,
        confidence double precision DEFAULT 0.95,
        OUT low double precision,
        OUT high double precision)
    AS 'MODULE_PATHNAME', 'favorable_diff_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.favorable_diff_ci(@extschema@.likert_summary, @extschema@.likert_summary, integer, double precision) IS
    'Newcombe hybrid-score interval of favourable share(b) - share(a)';

CREATE FUNCTION @extschema@.rank_test(a @extschema@.likert_summary, b @extschema@.likert_summary)
    RETURNS double precision
    AS 'MODULE_PATHNAME', 'rank_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rank_test(@extschema@.likert_summary, @extschema@.likert_summary) IS
    'Two-sided p-value of the Mann-Whitney U test (normal approximation, tie-corrected) of two summaries of one scale';

------------------------------------------------------------------------------
-- bh_adjust: Benjamini-Hochberg q-values over a window partition
------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.bh_adjust(p double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'bh_adjust' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bh_adjust(double precision) IS
    'Window function: Benjamini-Hochberg adjusted p-values (q-values) of the p-values of the partition; NULLs stay NULL';

------------------------------------------------------------------------------
-- Cronbach's alpha of items answered by the same respondents
------------------------------------------------------------------------------

CREATE TYPE @extschema@.cronbach_alpha_interval AS (
    alpha double precision,
    low double precision,
    high double precision,
    respondents bigint,
    items integer
);
COMMENT ON TYPE @extschema@.cronbach_alpha_interval IS
    'Cronbach''s alpha with Feldt''s interval, the complete respondents it counts and the items';

CREATE FUNCTION @extschema@.cronbach_sfunc(internal, text, text, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'cronbach_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cronbach_sfunc(internal, text, text, double precision) IS
    'Transition function of cronbach_alpha(): keeps one answer';
CREATE FUNCTION @extschema@.cronbach_sfunc(internal, text, text, double precision, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'cronbach_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cronbach_sfunc(internal, text, text, double precision, double precision) IS
    'Transition function of cronbach_alpha_ci(): keeps one answer and the confidence level';
CREATE FUNCTION @extschema@.cronbach_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'cronbach_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cronbach_combine(internal, internal) IS
    'Combine function of the Cronbach''s alpha aggregates';
CREATE FUNCTION @extschema@.cronbach_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'cronbach_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cronbach_serialize(internal) IS
    'Serialize function of the Cronbach''s alpha aggregates (parallel query)';
CREATE FUNCTION @extschema@.cronbach_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'cronbach_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cronbach_deserialize(bytea, internal) IS
    'Deserialize function of the Cronbach''s alpha aggregates (parallel query)';
CREATE FUNCTION @extschema@.cronbach_alpha_ffunc(internal) RETURNS double precision
    AS 'MODULE_PATHNAME', 'cronbach_alpha_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cronbach_alpha_ffunc(internal) IS
    'Final function of cronbach_alpha(): alpha over the complete respondents';
CREATE FUNCTION @extschema@.cronbach_alpha_ci_ffunc(internal) RETURNS @extschema@.cronbach_alpha_interval
    AS 'MODULE_PATHNAME', 'cronbach_alpha_ci_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cronbach_alpha_ci_ffunc(internal) IS
    'Final function of cronbach_alpha_ci(): alpha with Feldt''s interval';

CREATE AGGREGATE @extschema@.cronbach_alpha(submission text, item text, score double precision) (
    SFUNC = @extschema@.cronbach_sfunc,
    STYPE = internal,
    SSPACE = 1048576,
    FINALFUNC = @extschema@.cronbach_alpha_ffunc,
    COMBINEFUNC = @extschema@.cronbach_combine,
    SERIALFUNC = @extschema@.cronbach_serialize,
    DESERIALFUNC = @extschema@.cronbach_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cronbach_alpha(text, text, double precision) IS
    'Cronbach''s alpha of the items, over the submissions that answered every item (listwise)';

CREATE AGGREGATE @extschema@.cronbach_alpha_ci(submission text, item text, score double precision,
                                               confidence double precision) (
    SFUNC = @extschema@.cronbach_sfunc,
    STYPE = internal,
    SSPACE = 1048576,
    FINALFUNC = @extschema@.cronbach_alpha_ci_ffunc,
    COMBINEFUNC = @extschema@.cronbach_combine,
    SERIALFUNC = @extschema@.cronbach_serialize,
    DESERIALFUNC = @extschema@.cronbach_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cronbach_alpha_ci(text, text, double precision, double precision) IS
    'Cronbach''s alpha with Feldt''s confidence interval at the given level, the complete respondents and the items';
