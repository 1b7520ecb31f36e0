-- platform_metrics_analytics 1.7 -> 1.8: no change to the analytics layer's
-- SQL objects (1.8 is the library's aggregates for Citus); the two
-- extensions share their version number.

\echo Use "ALTER EXTENSION platform_metrics_analytics UPDATE TO '1.8'" to load this file. \quit
