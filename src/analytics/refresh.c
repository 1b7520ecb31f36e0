/*
 * refresh.c
 *		What refresh() needs from C: the lock that writers of a raw table hold
 *		until they commit, the wait for the writers of the moment, and the
 *		background worker that calls refresh() every refresh_interval.
 *
 * Exactly once.  Raw rows get a sequence number (an identity column with
 * CACHE 1) when they are inserted.  A refresh reads the sequence's last
 * value hi, then waits until every transaction that was writing the table
 * at that moment has ended: after that no row numbered hi or lower can still
 * commit, so folding the rows numbered (watermark, hi] and moving the
 * watermark to hi counts each committed row once.  A writer takes the lock
 * (a statement trigger, pm_raw_writer) before its statement draws any
 * number, so a writer the wait does not see draws numbers above hi.
 *
 * The lock is an advisory-style lock of its own (field4 PM_LOCK_SPACE, so it
 * never meets a user's pg_advisory_lock), taken in share mode: writers never
 * wait for each other, and the refresh only waits for the holders of the
 * moment (WaitForLockers takes no lock), so a writer never waits for a
 * refresh.  Waiting on the table's own lock would also wait for a VACUUM of
 * it.
 */
#include "postgres.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"

#include "refresh.h"

#define PM_LOCK_SPACE 0x504d		/* field4 of the tag: 'PM' */
#define PM_LOCK_KEY 0x726566		/* field1: 'ref' */

static int	refresh_interval_setting = 60;
static char *refresh_database_setting = NULL;

static volatile sig_atomic_t got_sighup = false;

PG_FUNCTION_INFO_V1(pm_raw_writer);
PG_FUNCTION_INFO_V1(pm_wait_for_raw_writers);

PGDLLEXPORT void pm_refresh_worker_main(Datum arg);

static void
set_writer_tag(LOCKTAG *tag, Oid relid)
{
	SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId, PM_LOCK_KEY, (uint32) relid, PM_LOCK_SPACE);
}

/*
 * pm_raw_writer: BEFORE INSERT OR UPDATE OR DELETE ... FOR EACH STATEMENT.
 * Holds the table's writer lock in share mode until the transaction ends.
 */
Datum
pm_raw_writer(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	LOCKTAG		tag;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event)
		|| !TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("pm_raw_writer() must be called as a BEFORE ... FOR EACH STATEMENT trigger")));

	set_writer_tag(&tag, RelationGetRelid(trigdata->tg_relation));
	(void) LockAcquire(&tag, ShareLock, false, false);
	return PointerGetDatum(NULL);
}

/*
 * pm_wait_for_raw_writers(regclass): waits until every transaction holding
 * the table's writer lock now has ended (committed or aborted).  Takes no
 * lock itself.  The caller's own transaction is not waited for.
 */
Datum
pm_wait_for_raw_writers(PG_FUNCTION_ARGS)
{
	Oid			relid = PG_GETARG_OID(0);
	LOCKTAG		tag;

	set_writer_tag(&tag, relid);
	WaitForLockers(tag, ExclusiveLock, false);
	PG_RETURN_VOID();
}

/*
 * Settings.  refresh_interval is read by the worker at every reload (SIGHUP);
 * refresh_database when the server starts (so it exists only when the module
 * is preloaded).
 */
void
pm_refresh_define_settings(void)
{
	DefineCustomIntVariable("platform_metrics.refresh_interval",
							"Time between two automatic refreshes of the summaries (0 turns them off).",
							"Used by the refresh worker, which runs when platform_metrics_analytics is in shared_preload_libraries.",
							&refresh_interval_setting,
							60, 0, 86400,
							PGC_SIGHUP, GUC_UNIT_S,
							NULL, NULL, NULL);
	/* a server-start setting can only be defined while preloading */
	if (!process_shared_preload_libraries_in_progress)
		return;
	DefineCustomStringVariable("platform_metrics.refresh_database",
							   "Database whose summaries the refresh worker keeps up to date.",
							   NULL,
							   &refresh_database_setting,
							   "postgres",
							   PGC_POSTMASTER, 0,
							   NULL, NULL, NULL);
}

/* Registered by _PG_init when the module is preloaded. */
void
pm_refresh_register_worker(void)
{
	BackgroundWorker worker;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 60;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "platform_metrics_analytics");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "pm_refresh_worker_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "platform_metrics refresh worker");
	snprintf(worker.bgw_type, BGW_MAXLEN, "platform_metrics refresh worker");
	worker.bgw_main_arg = (Datum) 0;
	worker.bgw_notify_pid = 0;
	RegisterBackgroundWorker(&worker);
}

static void
worker_sighup(SIGNAL_ARGS)
{
	int			save_errno = errno;

	got_sighup = true;
	SetLatch(MyLatch);
	errno = save_errno;
}

/*
 * One refresh, in its own transaction: CALL <schema>.refresh() when the
 * extension is installed in the database at 1.5 or later (it may be created,
 * updated or dropped while the worker runs).  An error ends the worker; the
 * postmaster starts it again after bgw_restart_time.
 */
static void
worker_refresh_once(void)
{
	int			ret;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "platform_metrics refresh worker: SPI_connect failed");
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "CALL platform_metrics.refresh()");

	/* every operator qualified: search_path is pinned too, but be explicit */
	ret = SPI_execute("SELECT pg_catalog.quote_ident(n.nspname) FROM pg_catalog.pg_extension e"
					  " JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) e.extnamespace"
					  " WHERE e.extname OPERATOR(pg_catalog.=) 'platform_metrics_analytics'"
					  " AND pg_catalog.string_to_array(e.extversion, '.')::pg_catalog.int4[]"
					  " OPERATOR(pg_catalog.>=) '{1,5}'::pg_catalog.int4[]", true, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "platform_metrics refresh worker: reading pg_extension failed: %d", ret);
	if (SPI_processed == 1)
	{
		char	   *schema = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		char	   *call = psprintf("CALL %s.refresh()", schema);

		/* (each statement of refresh() takes a fresh snapshot: READ COMMITTED) */
		ret = SPI_execute(call, false, 0);
		if (ret != SPI_OK_UTILITY)
			elog(ERROR, "platform_metrics refresh worker: %s failed: %d", call, ret);
	}
	PopActiveSnapshot();

	SPI_finish();
	CommitTransactionCommand();
	pgstat_report_stat(true);
	pgstat_report_activity(STATE_IDLE, NULL);
}

/*
 * The worker runs as the bootstrap superuser in a database whose owner may
 * not be one: nothing the database or its owner set may steer what it runs.
 * search_path is pinned (an operator or function a database owner put
 * first would run as superuser), and so are the transaction settings
 * refresh() needs.  SIGTERM (shutdown, pg_terminate_backend) ends a refresh
 * at once, like any backend's query (die).
 */
void
pm_refresh_worker_main(Datum arg)
{
	pqsignal(SIGHUP, worker_sighup);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	BackgroundWorkerInitializeConnection(refresh_database_setting, NULL, 0);
	SetConfigOption("search_path", "pg_catalog, pg_temp", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("default_transaction_isolation", "read committed", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("default_transaction_read_only", "off", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("statement_timeout", "0", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("lock_timeout", "0", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("idle_in_transaction_session_timeout", "0", PGC_SUSET, PGC_S_OVERRIDE);
	pgstat_report_appname("platform_metrics refresh worker");
	ereport(LOG,
			(errmsg("platform_metrics refresh worker started for database \"%s\"",
					refresh_database_setting)));

	for (;;)
	{
		long		wait_ms;

		CHECK_FOR_INTERRUPTS();
		if (got_sighup)
		{
			got_sighup = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		if (refresh_interval_setting > 0 && !RecoveryInProgress())
			worker_refresh_once();

		/* 0: off; look again at the next reload, or after an hour */
		wait_ms = refresh_interval_setting > 0 ? refresh_interval_setting * 1000L : 3600 * 1000L;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 wait_ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}
