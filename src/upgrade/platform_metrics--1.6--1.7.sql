-- platform_metrics 1.6 -> 1.7: no change to the library's SQL objects (1.7
-- is the analytics layer's ingest() reporting); the two extensions share
-- their version number.

\echo Use "ALTER EXTENSION platform_metrics UPDATE TO '1.7'" to load this file. \quit
