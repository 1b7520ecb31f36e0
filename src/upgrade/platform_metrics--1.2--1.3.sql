-- platform_metrics 1.2 -> 1.3: nothing changes in the library's SQL objects
-- (1.3 is a release of the analytics layer: survey waves, suppression that
-- defeats homogeneity, least-privilege roles).  The two extensions share
-- their version numbers.
\echo Use "ALTER EXTENSION platform_metrics UPDATE TO '1.3'" to load this file. \quit
