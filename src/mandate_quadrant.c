/*
 * mandate_quadrant.c
 *		The Mandate-Choice matrix: the mandate_quadrant type, its operators,
 *		the classification functions and the accessors.
 *
 * A capability is mandatory or optional, and its developers' experience is
 * good or poor.  The four cells call for four different actions, which is
 * why platform teams sort their capabilities into them.  The type is one
 * byte, passed by value; its order is the order of the enum below.
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "compat.h"
#include "platform_metrics.h"
#include "nps.h"
#include "stats.h"
#include "mandate_quadrant.h"

static const char *const quadrant_names[MQ_COUNT] = {
	"mandatory_good", "mandatory_poor", "optional_good", "optional_poor"
};

static const char *const quadrant_actions[MQ_COUNT] = {
	"invest", "fix ASAP", "product-market fit", "kill"
};

PG_FUNCTION_INFO_V1(mandate_quadrant_in);
PG_FUNCTION_INFO_V1(mandate_quadrant_out);
PG_FUNCTION_INFO_V1(mandate_quadrant_recv);
PG_FUNCTION_INFO_V1(mandate_quadrant_send);
PG_FUNCTION_INFO_V1(mandate_quadrant_eq);
PG_FUNCTION_INFO_V1(mandate_quadrant_ne);
PG_FUNCTION_INFO_V1(mandate_quadrant_lt);
PG_FUNCTION_INFO_V1(mandate_quadrant_le);
PG_FUNCTION_INFO_V1(mandate_quadrant_gt);
PG_FUNCTION_INFO_V1(mandate_quadrant_ge);
PG_FUNCTION_INFO_V1(mandate_quadrant_cmp);
PG_FUNCTION_INFO_V1(mandate_quadrant_hash);
PG_FUNCTION_INFO_V1(mandate_quadrant_hash_extended);
PG_FUNCTION_INFO_V1(mandate_quadrant_classify);
PG_FUNCTION_INFO_V1(mandate_quadrant_classify_default);
PG_FUNCTION_INFO_V1(mandate_quadrant_classify_nps);
PG_FUNCTION_INFO_V1(mandate_quadrant_classify_nps_default);
PG_FUNCTION_INFO_V1(mandate_quadrant_is_mandatory);
PG_FUNCTION_INFO_V1(mandate_quadrant_has_good_experience);
PG_FUNCTION_INFO_V1(mandate_quadrant_recommended_action);

/*
 * Text input: one of the four names, case-insensitive (ASCII folding, so the
 * locale cannot change what matches) with '-' accepted for '_'.
 */
static Datum
MandateQuadrantParse(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	const char *start = str;
	size_t		len = strlen(str);

	for (int q = 0; q < MQ_COUNT; q++)
	{
		const char *name = quadrant_names[q];
		size_t		i;

		if (strlen(name) != len)
			continue;
		for (i = 0; i < len; i++)
		{
			char		c = pg_ascii_tolower((unsigned char) start[i]);

			if (c == '-')
				c = '_';
			if (c != name[i])
				break;
		}
		if (i == len)
			PG_RETURN_QUADRANT(q);
	}

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", "mandate_quadrant", str),
			 errhint("Valid values are mandatory_good, mandatory_poor, optional_good and optional_poor.")));
	PG_RETURN_VOID();			/* keep compiler quiet */
}

Datum
mandate_quadrant_in(PG_FUNCTION_ARGS)
{
	return pm_soft_input(fcinfo, MandateQuadrantParse);
}

Datum
mandate_quadrant_out(PG_FUNCTION_ARGS)
{
	MandateQuadrant q = PG_GETARG_QUADRANT(0);

	if ((int) q < 0 || q >= MQ_COUNT)
		elog(ERROR, "invalid mandate_quadrant value %d", (int) q);
	PG_RETURN_CSTRING(pstrdup(quadrant_names[q]));
}

/* Binary form: one byte, 0..3 in the type's order; anything else is refused. */
Datum
mandate_quadrant_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			q;

	if (buf->len - buf->cursor != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type mandate_quadrant"),
				 errdetail("A mandate_quadrant is 1 byte, not %d.", buf->len - buf->cursor)));
	q = pq_getmsgbyte(buf);
	if (q >= MQ_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value %d for type mandate_quadrant", q),
				 errdetail("Valid values are 0 to %d.", MQ_COUNT - 1)));
	PG_RETURN_QUADRANT(q);
}

Datum
mandate_quadrant_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, (uint8) PG_GETARG_QUADRANT(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

#define QUADRANT_COMPARE(fname, op) \
Datum \
fname(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(PG_GETARG_QUADRANT(0) op PG_GETARG_QUADRANT(1)); \
}

QUADRANT_COMPARE(mandate_quadrant_eq, ==)
QUADRANT_COMPARE(mandate_quadrant_ne, !=)
QUADRANT_COMPARE(mandate_quadrant_lt, <)
QUADRANT_COMPARE(mandate_quadrant_le, <=)
QUADRANT_COMPARE(mandate_quadrant_gt, >)
QUADRANT_COMPARE(mandate_quadrant_ge, >=)

Datum
mandate_quadrant_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) PG_GETARG_QUADRANT(0) - (int32) PG_GETARG_QUADRANT(1));
}

Datum
mandate_quadrant_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_QUADRANT(0));
}

Datum
mandate_quadrant_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_QUADRANT(0), PG_GETARG_INT64(1));
}

/* NaN cannot be compared with a threshold, so it is refused, not classified. */
static void
CheckNotNaN(double value, const char *what)
{
	if (isnan(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be NaN", what)));
}

/* Good means experience >= threshold. */
static MandateQuadrant
ClassifyPoint(bool mandatory, double experience, double threshold)
{
	CheckNotNaN(experience, "experience");
	CheckNotNaN(threshold, "threshold");
	return MQ_MAKE(mandatory, experience >= threshold);
}

/* mandate_quadrant(mandatory, experience, threshold) */
Datum
mandate_quadrant_classify(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUADRANT(ClassifyPoint(PG_GETARG_BOOL(0), PG_GETARG_FLOAT8(1),
									 PG_GETARG_FLOAT8(2)));
}

/* mandate_quadrant(mandatory, experience): threshold from the setting */
Datum
mandate_quadrant_classify_default(PG_FUNCTION_ARGS)
{
	PG_RETURN_QUADRANT(ClassifyPoint(PG_GETARG_BOOL(0), PG_GETARG_FLOAT8(1),
									 pm_good_experience_nps));
}

/*
 * Classify by the NPS confidence interval: good when the whole interval lies
 * above the threshold, poor when it lies below, and NULL ("insufficient
 * evidence") when the closed interval contains the threshold or there are no
 * responses.
 */
static Datum
ClassifyInterval(FunctionCallInfo fcinfo, bool mandatory, NpsSummary *s,
				 double threshold, double confidence)
{
	double		center,
				margin,
				low,
				high;

	CheckNotNaN(threshold, "threshold");
	pm_check_confidence(confidence);
	if (NpsSummaryResponses(s) == 0)
		PG_RETURN_NULL();
	pm_nps_interval(s->promoters, s->passives, s->detractors, confidence, 0,
					&center, &margin, &low, &high);
	if (low > threshold)
		PG_RETURN_QUADRANT(MQ_MAKE(mandatory, true));
	if (high < threshold)
		PG_RETURN_QUADRANT(MQ_MAKE(mandatory, false));
	PG_RETURN_NULL();
}

/* mandate_quadrant(mandatory, experience nps_summary, threshold, confidence) */
Datum
mandate_quadrant_classify_nps(PG_FUNCTION_ARGS)
{
	return ClassifyInterval(fcinfo, PG_GETARG_BOOL(0), PG_GETARG_NPS_SUMMARY_P(1),
							PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3));
}

/* mandate_quadrant(mandatory, experience nps_summary): setting's threshold, 95% */
Datum
mandate_quadrant_classify_nps_default(PG_FUNCTION_ARGS)
{
	return ClassifyInterval(fcinfo, PG_GETARG_BOOL(0), PG_GETARG_NPS_SUMMARY_P(1),
							pm_good_experience_nps, 0.95);
}

Datum
mandate_quadrant_is_mandatory(PG_FUNCTION_ARGS)
{
	MandateQuadrant q = PG_GETARG_QUADRANT(0);

	PG_RETURN_BOOL(q == MQ_MANDATORY_GOOD || q == MQ_MANDATORY_POOR);
}

Datum
mandate_quadrant_has_good_experience(PG_FUNCTION_ARGS)
{
	MandateQuadrant q = PG_GETARG_QUADRANT(0);

	PG_RETURN_BOOL(q == MQ_MANDATORY_GOOD || q == MQ_OPTIONAL_GOOD);
}

Datum
mandate_quadrant_recommended_action(PG_FUNCTION_ARGS)
{
	MandateQuadrant q = PG_GETARG_QUADRANT(0);

	if ((int) q < 0 || q >= MQ_COUNT)
		elog(ERROR, "invalid mandate_quadrant value %d", (int) q);
	PG_RETURN_TEXT_P(cstring_to_text(quadrant_actions[q]));
}
