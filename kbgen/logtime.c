/*
 * logtime.c -- what the log stages share: calendar arithmetic, and the
 * lookup of a record's named values (log_kv).  Times are
 * kept as milliseconds since 1970 "as written" plus a zone, never through
 * the C library's time zone machinery (the host running kbgen is not the
 * host that wrote the log).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "logs.h"

/*
 * Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil algorithm, written from its
 * description: shift the year to start in March so the leap day is last).
 */
int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Days in month m of year y. */
static int
month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int64_t
make_ms(int y, int mo, int d, int h, int mi, int s, int ms)
{
	if (y < 1601 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > month_days(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    s < 0 || s > 60 || ms < 0 || ms > 999)
		return TIME_NONE;
	return ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 +
	    (int64_t)s * 1000 + ms;
}

/* Inverse of days_from_civil (civil_from_days, same source). */
static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void
format_iso(int64_t ms, int32_t tz_min, char out[40])
{
	int64_t days, rem;
	int y, mo, d;

	if (ms == TIME_NONE) {
		out[0] = '\0';
		return;
	}
	days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
	rem = ms - days * 86400000;
	civil_from_days(days, &y, &mo, &d);
	snprintf(out, 40, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", y, mo, d,
	    (int)(rem / 3600000), (int)(rem / 60000 % 60),
	    (int)(rem / 1000 % 60), (int)(rem % 1000));
	if (tz_min == 0)
		snprintf(out + 23, 17, "Z");
	else if (tz_min != TZ_UNKNOWN)
		snprintf(out + 23, 17, "%c%02d:%02d", tz_min < 0 ? '-' : '+',
		    abs(tz_min) / 60, abs(tz_min) % 60);
}

const char *
log_kv(const struct record *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nkv; i++)
		if (strcmp(r->kv[i].key, key) == 0)
			return r->kv[i].value;
	return NULL;
}
