-- platform_metrics: the statistics library.  Types, aggregates, operators and
-- scalar functions that work on anyone's tables; no tables, roles or views
-- (those are the analytics layer's, extension platform_metrics_analytics).
--
-- The Makefile builds the current install script, platform_metrics--VERSION.sql,
-- by concatenating this file and src/*.sql, one file per concept beside its C.
-- Upgrade scripts (src/upgrade) are written by hand and frozen.  Every object
-- lives in @extschema@ (platform_metrics) and every reference is
-- schema-qualified, so nothing here depends on the caller's search_path.

\echo Use "CREATE EXTENSION platform_metrics" to load this file. \quit

-- The functions and types are for everyone who analyses the platform.
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
