-- platform_metrics 1.5 -> 1.6: no change to the library (1.6 is the analytics
-- layer's dashboard readiness); the two extensions share their version number.

\echo Use "ALTER EXTENSION platform_metrics UPDATE TO '1.6'" to load this file. \quit
