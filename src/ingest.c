/*
 * ingest.c
 *		Validation of an ingest() batch in one walk over the jsonb: the first
 *		bad element (by index) with what is wrong, the event types present, and
 *		the distinct team and capability names to look up.  ingest() itself (in
 *		SQL) then stores the batch with one INSERT per event type present.
 *
 * Doing this in SQL costs a dozen field lookups and expression steps per
 * event; here it is a few microseconds, which is what lets ingest() keep up
 * with plain multi-row INSERTs.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(pm_ingest_validate);
PG_FUNCTION_INFO_V1(pm_parse_timestamptz);

/*
 * A finite timestamptz from text, or false.  PostgreSQL 15's input functions
 * can only report a bad value by throwing, which would cost a subtransaction
 * per event; the datetime parser's own error codes do not.
 */
static bool
ParseTimestamptz(const char *str, TimestampTz *result)
{
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf,
				dtype,
				tz;
	struct pg_tm tt,
			   *tm = &tt;
	fsec_t		fsec;

	if (strlen(str) >= MAXDATELEN)
		return false;
	return ParseDateTime(str, workbuf, sizeof(workbuf), field, ftype, MAXDATEFIELDS, &nf) == 0 &&
		DecodeDateTime(field, ftype, nf, &dtype, tm, &fsec, &tz) == 0 &&
		dtype == DTK_DATE &&
		tm2timestamp(tm, fsec, &tz, result) == 0 &&
		IS_VALID_TIMESTAMP(*result);
}

/* pm_parse_timestamptz(text): the text as a finite timestamptz, or NULL. */
Datum
pm_parse_timestamptz(PG_FUNCTION_ARGS)
{
	TimestampTz result;

	if (!ParseTimestamptz(text_to_cstring(PG_GETARG_TEXT_PP(0)), &result))
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
	F_HOURS,					/* number in (0, 1000000) */
	F_COMMENT					/* string or null */
} FieldKind;

typedef struct FieldSpec
{
	const char *name;
	FieldKind	kind;
	bool		required;
} FieldSpec;

typedef struct EventSpec
{
	const char *type;
	FieldSpec	fields[10];
} EventSpec;

static const EventSpec event_specs[] = {
	{"usage", {{"event_id", F_TEXT, true}, {"team", F_TEXT, true}, {"capability", F_TEXT, true},
	{"occurred_at", F_TIMESTAMP, true}, {"kind", F_KIND, false}}},
	{"survey", {{"response_id", F_TEXT, true}, {"wave", F_TEXT, true}, {"team", F_TEXT, true},
			{"capability", F_TEXT, false}, {"question", F_TEXT, false}, {"score", F_SCORE, true},
	{"comment", F_COMMENT, false}, {"submitted_at", F_TIMESTAMP, false}}},
	{"onboarding", {{"subject", F_TEXT, true}, {"team", F_TEXT, true}, {"milestone", F_TEXT, false},
	{"started_at", F_TIMESTAMP, true}, {"reached_at", F_TIMESTAMP, false}}},
	{"feedback", {{"feedback_id", F_TEXT, true}, {"team", F_TEXT, false}, {"capability", F_TEXT, false},
			{"channel", F_TEXT, false}, {"theme", F_TEXT, false}, {"received_at", F_TIMESTAMP, true},
			{"synthesized_at", F_TIMESTAMP, false}, {"acted_at", F_TIMESTAMP, false},
	{"communicated_at", F_TIMESTAMP, false}}},
	{"unplanned", {{"event_id", F_TEXT, true}, {"team", F_TEXT, true}, {"capability", F_TEXT, false},
	{"cause", F_TEXT, false}, {"occurred_at", F_TIMESTAMP, true}, {"hours", F_HOURS, true}}},
};

/* A field's value as JSON text, for messages. */
static char *
JsonText(JsonbValue *v)
{
	return JsonbToCString(NULL, &JsonbValueToJsonb(v)->root, 0);
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

/* What is wrong with field f of object obj, or NULL. */
static char *
CheckField(JsonbContainer *obj, const FieldSpec *f)
{
	JsonbValue	v;

	if (!GetField(obj, f->name, &v))
		return f->required ? psprintf("field \"%s\" is missing", f->name) : NULL;
	switch (f->kind)
	{
		case F_TEXT:
			if (v.type != jbvString || v.val.string.len == 0)
				return psprintf("field \"%s\" must be a non-empty string", f->name);
			break;
		case F_TIMESTAMP:
			{
				TimestampTz ts;

				if (v.type != jbvString || !ParseTimestamptz(StringOf(&v), &ts))
					return psprintf("field \"%s\" must be a timestamp, not %s", f->name, JsonText(&v));
				break;
			}
		case F_KIND:
			if (v.type != jbvString ||
				(strcmp(StringOf(&v), "use") != 0 && strcmp(StringOf(&v), "adopt") != 0 &&
				 strcmp(StringOf(&v), "abandon") != 0))
				return pstrdup("field \"kind\" must be use, adopt or abandon");
			break;
		case F_SCORE:
			{
				char	   *s = v.type == jbvNumeric ?
				DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v.val.numeric))) : NULL;

				if (s == NULL || !(strlen(s) == 1 ? (s[0] >= '0' && s[0] <= '9') : strcmp(s, "10") == 0))
					return psprintf("field \"score\" must be a whole number from 0 to 10, not %s", JsonText(&v));
				break;
			}
		case F_HOURS:
			{
				double		h = v.type == jbvNumeric ?
				DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v.val.numeric))) : -1;

				if (!(h > 0 && h < 1000000))
					return psprintf("field \"hours\" must be a positive number below 1000000, not %s", JsonText(&v));
				break;
			}
		case F_COMMENT:
			if (v.type != jbvString)
				return pstrdup("field \"comment\" must be a string");
			break;
	}
	return NULL;
}

static bool
IsField(const EventSpec *spec, const char *name, int len)
{
	if (len == 4 && strncmp(name, "type", 4) == 0)
		return true;
	for (int i = 0; i < (int) lengthof(spec->fields) && spec->fields[i].name; i++)
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
	char	   *type;
	const EventSpec *spec = NULL;
	JsonbIterator *it;
	JsonbValue	k;
	JsonbIteratorToken tok;
	char	   *unknown = NULL;

	if (elem->type != jbvBinary || !JsonContainerIsObject(elem->val.binary.data))
		return pstrdup("is not a JSON object");
	obj = elem->val.binary.data;
	if (!GetField(obj, "type", &t) || t.type != jbvString)
		return pstrdup("field \"type\" is missing or not a string");
	type = StringOf(&t);
	for (int i = 0; i < (int) lengthof(event_specs); i++)
		if (strcmp(event_specs[i].type, type) == 0)
			spec = &event_specs[i];
	if (spec == NULL)
		return psprintf("field \"type\" must be usage, survey, onboarding, feedback or unplanned, not \"%s\"", type);
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
		return psprintf("unknown field \"%s\" for an event of type %s", unknown, type);

	for (int i = 0; i < (int) lengthof(spec->fields) && spec->fields[i].name; i++)
	{
		char	   *problem = CheckField(obj, &spec->fields[i]);

		if (problem)
			return problem;
	}
	if (strcmp(type, "onboarding") == 0)
	{
		JsonbValue	s,
					r;
		TimestampTz started,
					reached;

		if (GetField(obj, "started_at", &s) && GetField(obj, "reached_at", &r) &&
			ParseTimestamptz(StringOf(&s), &started) && ParseTimestamptz(StringOf(&r), &reached) &&
			reached < started)
			return pstrdup("field \"reached_at\" is before \"started_at\"");
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
pm_ingest_validate(PG_FUNCTION_ARGS)
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
		elog(ERROR, "pm_ingest_validate expects a JSON array");
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
