# platform_metrics: PGXS build plus the project's own test, demo and bench harness.
#
#   make && make install      build and install into the PostgreSQL given by PG_CONFIG
#   make installcheck         pg_regress against a running server (PGHOST, PGPORT, PGUSER)
#   make test                 everything, self-contained: packages, build, throwaway cluster
#   make demo / demo-stop     a throwaway cluster with sample data and the dashboard queries
#   make bench [ROWS=N]       benchmarks, ratios measured side by side in one run

EXTENSION  = platform_metrics
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big = $(EXTENSION)
OBJS = src/platform_metrics.o src/stats.o src/nps.o src/quadrant.o src/ttv.o src/survival.o src/sketch.o src/cohort.o src/ingest.o

# Install and upgrade scripts are kept frozen per version: sql/platform_metrics--X.sql
# and sql/platform_metrics--X--Y.sql. Every other file in sql/ is a regression test.
DATA = $(wildcard sql/$(EXTENSION)--*.sql)
# setup (test helpers and catalog checks) runs first, the rest in name order.
REGRESS = setup $(sort $(filter-out setup $(EXTENSION)--%,$(patsubst sql/%.sql,%,$(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=. --load-extension=$(EXTENSION)
# Concurrency: isolation specs in test/specs, their expected output in test/expected.
ISOLATION = $(sort $(patsubst test/specs/%.spec,%,$(wildcard test/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test --load-extension=$(EXTENSION)

PG_CFLAGS += -Wall -Wextra -Wno-unused-parameter
ifdef WERROR
PG_CFLAGS += -Werror
endif

# Debian's versioned pg_config first (the target is PostgreSQL 15), then whatever is on PATH.
PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all install installcheck:
	@echo "PostgreSQL server development files not found (PG_CONFIG=$(PG_CONFIG))."
	@echo "Run 'make test' or 'make demo' as root to install them, or: apt-get install postgresql-server-dev-15"
	@exit 1
endif

.PHONY: test test-long demo demo-stop bench unit

test:
	@bash test/harness.sh test

# The long suites: fuzzing, sqlsmith, bounded memory at size, valgrind.
test-long:
	@bash test/harness.sh test-long

demo:
	@bash test/harness.sh demo

demo-stop:
	@bash test/harness.sh demo-stop

bench:
	@bash test/harness.sh bench $(ROWS)

# Pure-C unit tests of the statistics kept apart from the fmgr glue.
unit: test/unit/stats_test
	@test/unit/stats_test

test/unit/stats_test: test/unit/stats_test.c src/stats.c src/stats.h
	$(CC) -O2 -Wall -Wextra -Werror -Isrc -o $@ test/unit/stats_test.c src/stats.c -lm
