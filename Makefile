# platform_metrics: two extensions from one repository, built with PGXS.
#
#   platform_metrics            the statistics library (src/*.c, src/*.sql)
#   platform_metrics_analytics  the analytics layer on it (src/analytics/)
#
#   make && make install      build and install into the PostgreSQL of PG_CONFIG (default: pg_config on PATH)
#   make installcheck         every pg_regress, isolation and TAP suite against a running server
#                             (PGHOST, PGPORT, PGUSER); leaves nothing behind in it
#   make test                 everything, self-contained: packages, build, throwaway cluster
#   make test-long            the long suites (fuzzing, sqlsmith, memory at size, valgrind)
#   make demo / demo-stop     a throwaway cluster with sample data, the dashboard queries and the dashboard (dashboard/)
#   make test-dashboard       the dashboard over demo data, checked in headless Chromium
#   make bench [ROWS=N]       benchmarks, ratios measured side by side in one run
#   make test-matrix          make test on PostgreSQL 17 and 18 (Debian root file systems), cross-version checks
#   make test-citus           the aggregates on a coordinator and two workers of Citus (built if missing)
#   make deb / make dist      Debian packages / the source tarball, into dist/

EXTENSION  = platform_metrics platform_metrics_analytics
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" platform_metrics.control)

# The library's shared module.
MODULE_big = platform_metrics
OBJS = src/platform_metrics.o src/stats.o src/nps.o src/mandate_quadrant.o \
	src/percentile.o src/ttv_percentile.o src/ttv_curve.o src/ttv_sketch.o \
	src/cohort_matrix.o src/likert.o src/bh_adjust.o src/cronbach.o src/intervals.o src/compat_1_1.o

# The analytics layer's module.  PGXS builds one MODULE_big; this one is
# compiled with the same flags, linked as Makefile.shlib links a module, and
# installed beside it, with its LLVM bitcode when the server has JIT.
ANALYTICS_OBJS = src/analytics/platform_metrics_analytics.o src/analytics/ingest.o src/analytics/refresh.o
ANALYTICS_SO = src/analytics/platform_metrics_analytics$(DLSUFFIX)

# Install scripts of the current version, built from one live SQL source per
# concept, in dependency order.  Upgrade scripts (and the frozen 1.0 install
# script the upgrade chain starts from) are hand-written, in src/upgrade.
LIBRARY_SQL = src/platform_metrics.sql src/nps.sql src/mandate_quadrant.sql \
	src/percentile.sql src/ttv_percentile.sql src/ttv_curve.sql src/ttv_sketch.sql \
	src/cohort_matrix.sql src/likert.sql src/intervals.sql
ANALYTICS_SQL = src/analytics/platform_metrics_analytics.sql src/analytics/tables.sql src/analytics/waves.sql src/analytics/questions.sql \
	src/analytics/settings.sql src/analytics/roles.sql src/analytics/ingest.sql src/analytics/summaries.sql \
	src/analytics/survey_views.sql src/analytics/question_views.sql src/analytics/usage_views.sql src/analytics/adopted_privileges.sql
DATA_built = platform_metrics--$(EXTVERSION).sql platform_metrics_analytics--$(EXTVERSION).sql
DATA = $(wildcard src/upgrade/*.sql)

# Regression tests: sql/ and expected/ hold nothing else.  setup runs first
# (helpers, both extensions), teardown last (drops what the suite created).
REGRESS = setup $(sort $(filter-out setup teardown,$(patsubst sql/%.sql,%,$(wildcard sql/*.sql)))) teardown
REGRESS_OPTS = --inputdir=.
# Isolation specs (test/specs, test/expected) run first, in their own database,
# which is dropped afterwards (see installcheck-isolation).
ISOLATION_SPECS = $(sort $(patsubst test/specs/%.spec,%,$(wildcard test/specs/*.spec)))
REGRESS_PREP = installcheck-isolation
# Cluster-level suites: TAP tests with PostgreSQL::Test::Cluster, own clusters.
TAP_TESTS = 1
PROVE_TESTS = test/t/*.pl

# (set before PGXS is included: pgxs.mk reads it when it is parsed)
EXTRA_CLEAN = $(ANALYTICS_OBJS) $(ANALYTICS_SO) $(ANALYTICS_OBJS:.o=.bc) output_iso test/unit/stats_test

PG_CFLAGS += -Wall -Wextra -Wno-unused-parameter
ifdef WERROR
PG_CFLAGS += -Werror
endif

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all install installcheck:
	@echo "PostgreSQL server development files not found (PG_CONFIG=$(PG_CONFIG))."
	@echo "Install them (Debian: apt-get install postgresql-server-dev-NN), pass PG_CONFIG=/path/to/pg_config,"
	@echo "or run 'make test' or 'make demo' as root to have them installed."
	@exit 1
endif

# PGXS tracks no header dependencies (unless the server was configured with
# --enable-depend): every object is rebuilt when a shared header changes.
# (after the include: the first rule of the file is the default goal)
$(OBJS): $(wildcard src/*.h)
$(ANALYTICS_OBJS): $(wildcard src/*.h src/analytics/*.h)

platform_metrics--$(EXTVERSION).sql: $(LIBRARY_SQL)
	cat $^ > $@

platform_metrics_analytics--$(EXTVERSION).sql: $(ANALYTICS_SQL)
	cat $^ > $@

all: $(ANALYTICS_SO)

$(ANALYTICS_SO): $(ANALYTICS_OBJS)
	$(CC) $(CFLAGS) $(ANALYTICS_OBJS) $(LDFLAGS) $(LDFLAGS_SL) -shared -o $@

install: install-analytics-module
install-analytics-module: $(ANALYTICS_SO) installdirs
	$(INSTALL_SHLIB) $(ANALYTICS_SO) '$(DESTDIR)$(pkglibdir)/platform_metrics_analytics$(DLSUFFIX)'

uninstall: uninstall-analytics-module
uninstall-analytics-module:
	rm -f '$(DESTDIR)$(pkglibdir)/platform_metrics_analytics$(DLSUFFIX)'

ifeq ($(with_llvm), yes)
all: $(ANALYTICS_OBJS:.o=.bc)
install-analytics-module: install-analytics-bitcode
install-analytics-bitcode: $(ANALYTICS_OBJS:.o=.bc) installdirs
	$(call install_llvm_module,platform_metrics_analytics,$(ANALYTICS_OBJS))
uninstall-analytics-module: uninstall-analytics-bitcode
uninstall-analytics-bitcode:
	$(call uninstall_llvm_module,platform_metrics_analytics)
.PHONY: install-analytics-bitcode uninstall-analytics-bitcode
endif

# The isolation specs, before the regression suite: CREATE EXTENSION in their
# database creates the layer's roles when absent; the database is dropped
# afterwards, and so are the roles this run created (or an interrupted run
# left, marked by sql/setup.sql), so that the regression suite's teardown can
# tell them from roles that existed before.
PSQL_ADMIN = '$(bindir)/psql' -X -q -v ON_ERROR_STOP=1 -d postgres

installcheck-isolation: submake
	@absent=$$($(PSQL_ADMIN) -At -c "SELECT string_agg(r, ', ') FROM unnest(ARRAY['platform_metrics_reader', 'platform_metrics_writer']) r WHERE r NOT IN (SELECT rolname FROM pg_catalog.pg_roles WHERE pg_catalog.shobj_description(oid, 'pg_authid') IS DISTINCT FROM 'created by the platform_metrics regression suite')") || exit 1; \
	rc=0; \
	$(pg_isolation_regress_installcheck) --inputdir=test --load-extension=platform_metrics \
		--load-extension=platform_metrics_analytics $(ISOLATION_SPECS) || rc=$$?; \
	$(PSQL_ADMIN) -c 'DROP DATABASE IF EXISTS isolation_regression WITH (FORCE)' || rc=1; \
	if [ -n "$$absent" ]; then $(PSQL_ADMIN) -c "DROP ROLE IF EXISTS $$absent" || rc=1; fi; \
	exit $$rc

.PHONY: test test-long test-citus test-matrix test-dashboard demo demo-stop bench deb dist unit clang-check installcheck-isolation install-analytics-module uninstall-analytics-module

test:
	@bash test/harness.sh test

test-long:
	@bash test/harness.sh test-long

test-citus:
	@bash test/harness.sh test-citus

# make test on PostgreSQL 17 (Debian trixie) and 18 (forky), each in a root
# file system of its own (test/matrix.sh), with the cross-version checks.
test-matrix:
	@bash test/matrix.sh

demo:
	@bash test/harness.sh demo

demo-stop:
	@bash test/harness.sh demo-stop

# The dashboard (dashboard/) built over demo data and opened page by page in
# headless Chromium.
test-dashboard:
	@bash test/harness.sh test-dashboard

bench:
	@bash test/harness.sh bench $(ROWS)

# Debian packages postgresql-NN-platform-metrics into dist/ (pg_buildext).
deb:
	@bash test/harness.sh deb

# The source tarball of the current version, as git archive makes it.
dist:
	@mkdir -p dist
	git archive --format=tar.gz --prefix=platform_metrics-$(EXTVERSION)/ -o dist/platform_metrics-$(EXTVERSION).tar.gz HEAD
	@echo dist/platform_metrics-$(EXTVERSION).tar.gz

# Every C file through clang as well, warnings as errors: the clang PGXS
# compiles JIT bitcode with (or clang on PATH).  The -Wno flags silence what
# a gcc-built server's headers and flags say to clang, not our code.
CLANG_CHECK ?= $(or $(CLANG),clang)
clang-check:
	@for f in $(OBJS:.o=.c) $(ANALYTICS_OBJS:.o=.c); do \
		$(CLANG_CHECK) -fsyntax-only -Wall -Wextra -Werror -Wno-unused-parameter -Wno-ignored-attributes \
			-Wno-compound-token-split-by-macro -Wno-unknown-warning-option $(CPPFLAGS) $$f || exit 1; \
	done; echo "clang-check: $(words $(OBJS) $(ANALYTICS_OBJS)) files"

# Pure-C unit tests of the statistics kept apart from the fmgr glue.
unit: test/unit/stats_test
	@test/unit/stats_test

test/unit/stats_test: test/unit/stats_test.c src/stats.c src/stats.h
	$(CC) -O2 -Wall -Wextra -Werror -Isrc -o $@ test/unit/stats_test.c src/stats.c -lm
