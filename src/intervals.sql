-- intervals.sql: the distributions and the share interval behind the survey views (since 1.4)

CREATE FUNCTION @extschema@.normal_quantile(p double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'pm_normal_quantile_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normal_quantile(double precision) IS
    'The p-quantile of the standard normal distribution (normal_quantile(0.975) = 1.96)';

CREATE FUNCTION @extschema@.t_quantile(p double precision, df double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'pm_t_quantile_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.t_quantile(double precision, double precision) IS
    'The p-quantile of Student''s t distribution with df degrees of freedom';

CREATE FUNCTION @extschema@.share_ci(favorable double precision, n double precision,
        confidence double precision DEFAULT 0.95, population double precision DEFAULT NULL,
        OUT low double precision, OUT high double precision)
    AS 'MODULE_PATHNAME', 'share_ci' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.share_ci(double precision, double precision, double precision, double precision) IS
    'Wilson score interval of the share favorable / n (n may be an effective sample size), finite-population corrected with population';

CREATE FUNCTION @extschema@.share_test(favorable_a double precision, n_a double precision,
        favorable_b double precision, n_b double precision) RETURNS double precision
    AS 'MODULE_PATHNAME', 'share_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.share_test(double precision, double precision, double precision, double precision) IS
    'Two-sided p-value of the pooled two-proportion z-test that favorable_a / n_a = favorable_b / n_b';
