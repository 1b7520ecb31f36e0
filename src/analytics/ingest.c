/*
 * ingest.c
 *		Validation of an ingest() batch in one walk over the jsonb: the first
 *		bad element (by index) with what is wrong, the event types present, and
 *		the distinct team and capability names to look up.  ingest()'s body,
 *		pm_ingest() (in SQL), then stores the batch with one INSERT per event
 *		type present; ingest() itself, here, calls it and reports its errors
 *		as its own.
 *
 * Doing this in SQL costs a dozen field lookups and expression steps per
 * event; here it is a few microseconds, which is what lets ingest() keep up
 * with plain multi-row INSERTs.
 *
 * Whatever the store step would reject for a single event is rejected here
 * first, naming the event and the field: every CHECK constraint of the target
 * tables (score range, kind, non-empty keys, the order of the onboarding and
 * feedback timestamps, positive hours) and every conversion (timestamps,
 * score to smallint, hours to numeric(8,2)).  Unknown teams and capabilities
 * are looked up by ingest()'s body.
 */
#include "postgres.h"

#include <ctype.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "pgtime.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "../compat.h"

PG_FUNCTION_INFO_V1(ingest_validate);
PG_FUNCTION_INFO_V1(ingest_parse_timestamptz);
PG_FUNCTION_INFO_V1(ingest_call);

/* What a timestamp string turned out to be. */
typedef enum TsStatus
{
	TS_OK,						/* a finite timestamptz */
	TS_INVALID,					/* not a timestamp (or an unknown time zone) */
	TS_RELATIVE,				/* now, today, tomorrow, yesterday */
	TS_INFINITE,				/* infinity, -infinity */
	TS_OUT_OF_RANGE				/* a date timestamptz cannot hold */
} TsStatus;

/*
 * Would DecodeDateTime() throw "time zone ... not recognized" for field i?
 *
 * It takes a field that ParseDateTime() typed DTK_DATE and that does not
 * start with a digit ("america/new_york", "foo/bar") as a time zone name once
 * the month and day are known or after a prefix such as "t", and when
 * pg_tzset() does not know the name it ereports: PostgreSQL 15's datetime
 * code has no error code for that.  Otherwise (the first field, or after
 * fields that set neither the month and day nor a prefix: "on", "at", a day
 * of the week, a month name, a time, a zone) it is decoded as a date, which
 * fails with an error code when it is not one ("on feb-07-2026" is a date).
 */
static bool
UnknownZoneName(char **field, int *ftype, int i)
{
	bool		maybe_zone = false;

	if (ftype[i] != DTK_DATE || isdigit((unsigned char) field[i][0]))
		return false;
	for (int j = 0; j < i && !maybe_zone; j++)
	{
		int			val;
		int			type;

		switch (ftype[j])
		{
			case DTK_TIME:
			case DTK_TZ:
				break;
			case DTK_STRING:
			case DTK_SPECIAL:
				type = DecodeSpecial(j, field[j], &val);
				maybe_zone = (type == RESERV || type == UNITS || type == ISOTIME);
				break;
			default:			/* DTK_DATE, DTK_NUMBER: may set the month and day */
				maybe_zone = true;
				break;
		}
	}
	return maybe_zone && pg_tzset(field[i]) == NULL;
}

/*
 * A timestamptz from text.  PostgreSQL 15's input functions can only report a
 * bad value by throwing, which would cost a subtransaction per event; the
 * datetime parser's own error codes do not, and the one input it still
 * throws for (an unknown time zone name) is recognised before it is called.
 *
 * Relative words (now, today, tomorrow, yesterday) are refused: the stored
 * value would depend on when the batch arrives, and a re-sent batch would
 * not be the same events.  So are the special values: infinity and -infinity
 * are not points in time, and 'epoch' is a placeholder rather than an event
 * time (1970-01-01T00:00:00Z written out is accepted).
 */
static TsStatus
ParseTimestamptz(const char *str, int len, TimestampTz *result)
{
	char		buf[MAXDATELEN];
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf,
				dtype,
				tz;
	struct pg_tm tt,
			   *tm = &tt;
	fsec_t		fsec;

	if (len >= MAXDATELEN)
		return TS_INVALID;
	memcpy(buf, str, len);
	buf[len] = '\0';
	if (ParseDateTime(buf, workbuf, sizeof(workbuf), field, ftype, MAXDATEFIELDS, &nf) != 0)
		return TS_INVALID;
	for (int i = 0; i < nf; i++)
	{
		if (ftype[i] == DTK_STRING || ftype[i] == DTK_SPECIAL)
		{
			int			val;

			if (DecodeSpecial(i, field[i], &val) == RESERV &&
				(val == DTK_NOW || val == DTK_TODAY || val == DTK_TOMORROW || val == DTK_YESTERDAY))
				return TS_RELATIVE;
		}
		else if (UnknownZoneName(field, ftype, i))
			return TS_INVALID;
	}
	if (pm_decode_datetime(field, ftype, nf, &dtype, tm, &fsec, &tz) != 0)
		return TS_INVALID;
	if (dtype == DTK_LATE || dtype == DTK_EARLY)
		return TS_INFINITE;
	if (dtype != DTK_DATE)
		return TS_INVALID;		/* epoch */
	if (tm2timestamp(tm, fsec, &tz, result) != 0 || !IS_VALID_TIMESTAMP(*result))
		return TS_OUT_OF_RANGE;
	return TS_OK;
}

/* pm_parse_timestamptz(text): the text as a finite timestamptz, or NULL. */
Datum
ingest_parse_timestamptz(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	TimestampTz result;

	if (ParseTimestamptz(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &result) != TS_OK)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(result);
}

/* What a field of an event must be. */
typedef enum FieldKind
{
	F_TEXT,						/* non-empty string */
	F_TIMESTAMP,				/* string holding a timestamp */
	F_KIND,						/* use, adopt or abandon */
	F_SCORE,					/* whole number 0..10 */
	F_HOURS,					/* number, 0.01..999999.99 once rounded */
	F_COMMENT,					/* string or null */
	F_UUID						/* string holding a UUID */
} FieldKind;

typedef struct FieldSpec
{
	const char *name;
	FieldKind	kind;
	bool		required;
} FieldSpec;

/*
 * A CHECK constraint on the order of two timestamps: "later" (when present)
 * must not be before "earlier", or before "otherwise" when "earlier" is
 * absent.
 */
typedef struct OrderSpec
{
	const char *later;
	const char *earlier;
	const char *otherwise;
} OrderSpec;

#define MAX_FIELDS 10

/*
 * Longest id or name (the text fields but comment).  They are keys of btree
 * indexes, some of two columns, whose entries must fit a third of a page.
 */
#define INGEST_MAX_NAME_BYTES 1000

typedef struct EventSpec
{
	const char *type;
	FieldSpec	fields[MAX_FIELDS];
	OrderSpec	order[3];
} EventSpec;

static const EventSpec event_specs[] = {
	{"usage", {{"event_id", F_TEXT, true}, {"team", F_TEXT, true}, {"capability", F_TEXT, true},
	{"occurred_at", F_TIMESTAMP, true}, {"kind", F_KIND, false}},
	{{NULL, NULL, NULL}}},
	{"survey", {{"response_id", F_TEXT, true}, {"wave", F_TEXT, true}, {"team", F_TEXT, true},
			{"capability", F_TEXT, false}, {"question", F_TEXT, false}, {"score", F_SCORE, true},
	{"comment", F_COMMENT, false}, {"submitted_at", F_TIMESTAMP, false}, {"submission_id", F_UUID, false}},
	{{NULL, NULL, NULL}}},
	{"onboarding", {{"subject", F_TEXT, true}, {"team", F_TEXT, true}, {"milestone", F_TEXT, false},
	{"started_at", F_TIMESTAMP, true}, {"reached_at", F_TIMESTAMP, false}},
	/* onboarding_reached_after_start */
	{{"reached_at", "started_at", NULL}}},
	{"feedback", {{"feedback_id", F_TEXT, true}, {"team", F_TEXT, false}, {"capability", F_TEXT, false},
			{"channel", F_TEXT, false}, {"theme", F_TEXT, false}, {"received_at", F_TIMESTAMP, true},
			{"synthesized_at", F_TIMESTAMP, false}, {"acted_at", F_TIMESTAMP, false},
	{"communicated_at", F_TIMESTAMP, false}},
	/* feedback_synthesized_after_received, feedback_acted_after_synthesized
	 * (acted_at >= coalesce(synthesized_at, received_at)),
	 * feedback_communicated_after_received */
	{{"synthesized_at", "received_at", NULL}, {"acted_at", "synthesized_at", "received_at"},
	{"communicated_at", "received_at", NULL}}},
	{"unplanned", {{"event_id", F_TEXT, true}, {"team", F_TEXT, true}, {"capability", F_TEXT, false},
	{"cause", F_TEXT, false}, {"occurred_at", F_TIMESTAMP, true}, {"hours", F_HOURS, true}},
	{{NULL, NULL, NULL}}},
};

/*
 * Bounds compared as numeric, never as float8 (1e400 or 1e-400 would not
 * convert).  hours is stored as numeric(8,2), which rounds half away from
 * zero: 0.01 <= round(h, 2) <= 999999.99 is 0.005 <= h < 999999.995.
 */
static Numeric score_min,
			score_max,
			hours_min,
			hours_limit;

static void
InitBounds(void)
{
	MemoryContext old;
	Numeric		a,
				b,
				c,
				d;

	if (hours_limit != NULL)
		return;
	old = MemoryContextSwitchTo(TopMemoryContext);
	a = int64_to_numeric(0);
	b = int64_to_numeric(10);
	c = int64_div_fast_to_numeric(5, 3);	/* 0.005 */
	d = int64_div_fast_to_numeric(999999995, 3);	/* 999999.995 */
	MemoryContextSwitchTo(old);
	score_min = a;
	score_max = b;
	hours_min = c;
	hours_limit = d;
}

static int
NumericCmp(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a), NumericGetDatum(b)));
}

/* A field's value as JSON text, for messages. */
static char *
JsonText(JsonbValue *v)
{
	return JsonbToCString(NULL, &JsonbValueToJsonb(v)->root, 0);
}

/*
 * A long decimal number ("-100...0.5", "0.000...01") in scientific notation,
 * exact up to 15 significant digits and marked "..." when cut there: 1e+400
 * rather than 401 digits.
 */
static char *
ShortNumber(const char *s)
{
	StringInfoData out;
	const char *p = s;
	int			intlen;
	int			first = -1,
				last = -1,
				n = 0;
	char	   *digits = palloc(strlen(s) + 1);

	if (*p == '-')
		p++;
	intlen = strcspn(p, ".");
	for (; *p; p++)
	{
		if (*p == '.')
			continue;
		if (*p != '0')
		{
			if (first < 0)
				first = n;
			last = n;
		}
		digits[n++] = *p;
	}
	if (first < 0)
		return psprintf("%.20s...", s);	/* 0.000... */
	initStringInfo(&out);
	if (*s == '-')
		appendStringInfoChar(&out, '-');
	appendStringInfoChar(&out, digits[first]);
	if (last > first)
	{
		int			sig = Min(last - first, 14);

		appendStringInfo(&out, ".%.*s%s", sig, digits + first + 1, last - first > sig ? "..." : "");
	}
	appendStringInfo(&out, "e%+d", intlen - 1 - first);
	return out.data;
}

/*
 * A field's value for a message, kept short: long numbers in scientific
 * notation, long text cut.
 */
static char *
ValueText(JsonbValue *v)
{
	char	   *s = JsonText(v);
	int			len = strlen(s);

	if (v->type == jbvNumeric && len > 30)
		return ShortNumber(s);
	if (len > 100)
		return psprintf("%.*s...", pg_mbcliplen(s, len, 100), s);
	return s;
}

static bool
GetField(JsonbContainer *obj, const char *name, JsonbValue *out)
{
	return getKeyJsonValueFromContainer(obj, name, strlen(name), out) != NULL &&
		out->type != jbvNull;
}

static char *
StringOf(JsonbValue *v)
{
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/* Is v the string s? */
static bool
StringIs(JsonbValue *v, const char *s)
{
	return v->type == jbvString && (int) strlen(s) == v->val.string.len &&
		memcmp(v->val.string.val, s, v->val.string.len) == 0;
}

/*
 * Whether s is a UUID in the form uuid_in reads: 32 hex digits, optionally
 * in braces, with a hyphen allowed after any group of four digits.
 */
static bool
IsUuid(const char *s, int len)
{
	int			i = 0,
				digits = 0;
	bool		braces = len > 0 && s[0] == '{';

	if (braces)
	{
		if (len < 2 || s[len - 1] != '}')
			return false;
		i = 1;
		len--;
	}
	for (; i < len; i++)
	{
		if (isxdigit((unsigned char) s[i]))
			digits++;
		else if (s[i] == '-' && digits > 0 && digits < 32 && digits % 4 == 0 && s[i - 1] != '-')
			continue;
		else
			return false;
	}
	return digits == 32 && s[len - 1] != '-';
}

/*
 * What is wrong with field f of object obj, or NULL.  A timestamp field that
 * is present and valid is returned in *ts, with *has_ts set.
 */
static char *
CheckField(JsonbContainer *obj, const FieldSpec *f, TimestampTz *ts, bool *has_ts)
{
	JsonbValue	v;

	if (!GetField(obj, f->name, &v))
		return f->required ? psprintf("field \"%s\" is missing", f->name) : NULL;
	switch (f->kind)
	{
		case F_TEXT:
			if (v.type != jbvString || v.val.string.len == 0)
				return psprintf("field \"%s\" must be a non-empty string", f->name);
			/* ids and names are indexed: a btree entry must fit in a page */
			if (v.val.string.len > INGEST_MAX_NAME_BYTES)
				return psprintf("field \"%s\" must be at most %d bytes long, not %d",
								f->name, INGEST_MAX_NAME_BYTES, v.val.string.len);
			break;
		case F_TIMESTAMP:
			switch (v.type == jbvString ? ParseTimestamptz(v.val.string.val, v.val.string.len, ts) : TS_INVALID)
			{
				case TS_OK:
					*has_ts = true;
					break;
				case TS_INVALID:
					return psprintf("field \"%s\" must be a timestamp, not %s", f->name, ValueText(&v));
				case TS_RELATIVE:
					return psprintf("field \"%s\" must be an absolute timestamp, not %s", f->name, ValueText(&v));
				case TS_INFINITE:
					return psprintf("field \"%s\" must be a finite timestamp, not %s", f->name, ValueText(&v));
				case TS_OUT_OF_RANGE:
					return psprintf("field \"%s\" must be a timestamp between 4713 BC and 294276 AD, not %s",
									f->name, ValueText(&v));
			}
			break;
		case F_KIND:
			if (!StringIs(&v, "use") && !StringIs(&v, "adopt") && !StringIs(&v, "abandon"))
				return pstrdup("field \"kind\" must be use, adopt or abandon");
			break;
		case F_SCORE:

			/*
			 * ingest() stores (doc ->> 'score')::smallint, so the number must
			 * print as 0..10: a whole number without decimals (7.0 would not
			 * cast).
			 */
			if (v.type != jbvNumeric || numeric_is_nan(v.val.numeric) || numeric_is_inf(v.val.numeric) ||
				DatumGetInt32(DirectFunctionCall1(numeric_scale, NumericGetDatum(v.val.numeric))) != 0 ||
				NumericCmp(v.val.numeric, score_min) < 0 || NumericCmp(v.val.numeric, score_max) > 0)
				return psprintf("field \"score\" must be a whole number from 0 to 10, not %s", ValueText(&v));
			break;
		case F_HOURS:
			if (v.type != jbvNumeric || numeric_is_nan(v.val.numeric) ||
				NumericCmp(v.val.numeric, hours_min) < 0 || NumericCmp(v.val.numeric, hours_limit) >= 0)
				return psprintf("field \"hours\" must be a number from 0.01 to 999999.99 (2 decimals), not %s",
								ValueText(&v));
			break;
		case F_COMMENT:
			if (v.type != jbvString)
				return pstrdup("field \"comment\" must be a string");
			break;
		case F_UUID:
			if (v.type != jbvString || !IsUuid(v.val.string.val, v.val.string.len))
				return psprintf("field \"%s\" must be a UUID such as \"0b6f4e1c-3d2a-4f8e-9c1b-7a5d2e8f0c3b\", not %s",
								f->name, ValueText(&v));
			break;
	}
	return NULL;
}

static int
FieldIndex(const EventSpec *spec, const char *name)
{
	for (int i = 0; i < MAX_FIELDS && spec->fields[i].name; i++)
		if (strcmp(spec->fields[i].name, name) == 0)
			return i;
	elog(ERROR, "no field \"%s\" in event type %s", name, spec->type);
	return -1;					/* keep compiler quiet */
}

static bool
IsField(const EventSpec *spec, const char *name, int len)
{
	if (len == 4 && strncmp(name, "type", 4) == 0)
		return true;
	for (int i = 0; i < MAX_FIELDS && spec->fields[i].name; i++)
		if ((int) strlen(spec->fields[i].name) == len && strncmp(spec->fields[i].name, name, len) == 0)
			return true;
	return false;
}

/* What is wrong with one element of the batch, or NULL. */
static char *
CheckEvent(JsonbValue *elem, const char **type_out)
{
	JsonbContainer *obj;
	JsonbValue	t;
	const EventSpec *spec = NULL;
	JsonbIterator *it;
	JsonbValue	k;
	JsonbIteratorToken tok;
	char	   *unknown = NULL;
	TimestampTz ts[MAX_FIELDS];
	bool		has_ts[MAX_FIELDS] = {false};

	if (elem->type != jbvBinary || !JsonContainerIsObject(elem->val.binary.data))
		return pstrdup("is not a JSON object");
	obj = elem->val.binary.data;
	if (!GetField(obj, "type", &t) || t.type != jbvString)
		return pstrdup("field \"type\" is missing or not a string");
	for (int i = 0; i < (int) lengthof(event_specs); i++)
		if (StringIs(&t, event_specs[i].type))
			spec = &event_specs[i];
	if (spec == NULL)
		return psprintf("field \"type\" must be usage, survey, onboarding, feedback or unplanned, not \"%s\"",
						StringOf(&t));
	*type_out = spec->type;

	/* unknown fields: a typo would lose data; name the first in text order */
	it = JsonbIteratorInit(obj);
	while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY && !IsField(spec, k.val.string.val, k.val.string.len))
		{
			char	   *name = StringOf(&k);

			if (unknown == NULL || strcmp(name, unknown) < 0)
				unknown = name;
		}
	}
	if (unknown != NULL)
		return psprintf("unknown field \"%s\" for an event of type %s", unknown, spec->type);

	for (int i = 0; i < MAX_FIELDS && spec->fields[i].name; i++)
	{
		char	   *problem = CheckField(obj, &spec->fields[i], &ts[i], &has_ts[i]);

		if (problem)
			return problem;
	}

	/* the order of the timestamps, as the table's CHECK constraints want it */
	for (int i = 0; i < (int) lengthof(spec->order) && spec->order[i].later; i++)
	{
		const OrderSpec *o = &spec->order[i];
		int			later = FieldIndex(spec, o->later);
		int			earlier = FieldIndex(spec, o->earlier);
		const char *earlier_name = o->earlier;

		if (!has_ts[earlier] && o->otherwise)
		{
			earlier = FieldIndex(spec, o->otherwise);
			earlier_name = o->otherwise;
		}
		if (has_ts[later] && has_ts[earlier] && ts[later] < ts[earlier])
			return psprintf("field \"%s\" is before \"%s\"", o->later, earlier_name);
	}
	return NULL;
}

static int
CStringCmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Sorted distinct strings as a text[] (NULL when there are none). */
static Datum
DistinctTextArray(char **items, int n, bool *isnull)
{
	Datum	   *d;
	int			m = 0;

	*isnull = (n == 0);
	if (n == 0)
		return (Datum) 0;
	qsort(items, n, sizeof(char *), CStringCmp);
	d = palloc(sizeof(Datum) * n);
	for (int i = 0; i < n; i++)
		if (i == 0 || strcmp(items[i], items[i - 1]) != 0)
			d[m++] = PointerGetDatum(cstring_to_text(items[i]));
	return PointerGetDatum(construct_array(d, m, TEXTOID, -1, false, TYPALIGN_INT));
}

/*
 * pm_ingest_validate(events jsonb) -> (problem text, kinds text[], teams text[],
 * capabilities text[]): problem is "index: what is wrong" for the first bad
 * element, NULL when all are fine.
 */
Datum
ingest_validate(PG_FUNCTION_ARGS)
{
	Jsonb	   *events = PG_GETARG_JSONB_P(0);
	TupleDesc	tupdesc;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	int			n;
	char	  **kinds,
			  **teams,
			  **caps;
	int			nkinds = 0,
				nteams = 0,
				ncaps = 0;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (!JB_ROOT_IS_ARRAY(events) || JB_ROOT_IS_SCALAR(events))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("events must be a JSON array of event objects")));
	InitBounds();
	n = JB_ROOT_COUNT(events);
	kinds = palloc(sizeof(char *) * Max(n, 1));
	teams = palloc(sizeof(char *) * Max(n, 1));
	caps = palloc(sizeof(char *) * Max(n, 1));
	nulls[0] = true;
	for (int i = 0; i < n; i++)
	{
		JsonbValue *elem = getIthJsonbValueFromContainer(&events->root, i);
		const char *type = NULL;
		char	   *problem = CheckEvent(elem, &type);
		JsonbValue	v;

		if (problem)
		{
			values[0] = PointerGetDatum(cstring_to_text(psprintf("%d: %s", i, problem)));
			nulls[0] = false;
			break;
		}
		kinds[nkinds++] = (char *) type;
		if (GetField(elem->val.binary.data, "team", &v))
			teams[nteams++] = StringOf(&v);
		if (GetField(elem->val.binary.data, "capability", &v))
			caps[ncaps++] = StringOf(&v);
		CHECK_FOR_INTERRUPTS();
	}
	values[1] = DistinctTextArray(kinds, nkinds, &nulls[1]);
	values[2] = DistinctTextArray(teams, nteams, &nulls[2]);
	values[3] = DistinctTextArray(caps, ncaps, &nulls[3]);
	tupdesc = BlessTupleDesc(tupdesc);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * ingest(events jsonb) -> (accepted, duplicates, conflicts): calls pm_ingest(),
 * its body in PL/pgSQL, in the same schema.
 *
 * An error raised anywhere in the body (a RAISE, a constraint of a table, a
 * trigger, a cast) would carry the CONTEXT lines of PL/pgSQL and SPI, which
 * psql shows under every error ("PL/pgSQL function ... line 61 at RAISE"):
 * they point into the body, not at anything the sender can change.  The
 * error is raised again without them, with everything else it said (the
 * SQLSTATE, message, detail, hint, table, column and constraint names); the
 * context of the caller's own functions, if any, is added again as it would
 * be for any error.  Nothing is caught for good: no subtransaction is
 * needed, so a call costs no more than the body.
 */
Datum
ingest_call(PG_FUNCTION_ARGS)
{
	FmgrInfo   *body = (FmgrInfo *) fcinfo->flinfo->fn_extra;
	LOCAL_FCINFO(body_fcinfo, 1);
	MemoryContext oldcontext = CurrentMemoryContext;
	Datum		result;

	if (body == NULL)
	{
		Oid			argtypes[1] = {JSONBOID};
		char	   *schema = get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid));
		Oid			body_oid = LookupFuncName(list_make2(makeString(schema), makeString("pm_ingest")),
											  1, argtypes, false);

		body = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(FmgrInfo));
		fmgr_info_cxt(body_oid, body, fcinfo->flinfo->fn_mcxt);
		fcinfo->flinfo->fn_extra = body;
	}
	InitFunctionCallInfoData(*body_fcinfo, body, 1, PG_GET_COLLATION(), NULL, NULL);
	body_fcinfo->args[0] = fcinfo->args[0];

	PG_TRY();
	{
		result = FunctionCallInvoke(body_fcinfo);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(oldcontext);
		edata = CopyErrorData();
		FlushErrorState();
		/* what pointed into the body: its context, its internal query */
		edata->context = NULL;
		edata->internalquery = NULL;
		edata->internalpos = 0;
		edata->cursorpos = 0;
		ThrowErrorData(edata);
		pg_unreachable();		/* (an ERROR) */
	}
	PG_END_TRY();

	if (body_fcinfo->isnull)
		PG_RETURN_NULL();
	return result;
}
