-- platform_metrics 1.4 -> 1.5: no change to the library (1.5 is the analytics
-- layer's summaries); the two extensions share their version number.

\echo Use "ALTER EXTENSION platform_metrics UPDATE TO '1.5'" to load this file. \quit
