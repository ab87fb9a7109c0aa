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

	/* Keys are mostly the same literals: the pointer or the first
	 * byte settles most comparisons without a call. */
	for (i = 0; i < r->nkv; i++) {
		const char *k = r->kv[i].key;
		if (k == key || (k[0] == key[0] && strcmp(k, key) == 0))
			return r->kv[i].value;
	}
	return NULL;
}

/* ---- Windows time zones -------------------------------------------- */

/*
 * When a Windows zone switches: the week-th (5: last) weekday dow (0:
 * Sunday) of month mon, at hour o'clock of the local time then in force,
 * as in TIME_ZONE_INFORMATION's SYSTEMTIME rules.  mon 0: never.
 */
struct zrule {
	unsigned char	 mon, week, dow, hour;
};

/*
 * A Windows zone by its registry name (what `tzutil /g` and the
 * manifest's "timezone:" say), with its current rules: bias as in
 * TIME_ZONE_INFORMATION (UTC = local + bias, minutes), daylight time one
 * hour ahead between dst and std.  Current rules only, as Windows without
 * dynamic DST: zones whose rules Windows cannot express in this form
 * (Israel, Morocco, Egypt, Greenland ...) are left out, so their hosts
 * keep the offsets their logs reveal rather than a wrong rule.
 */
struct log_zone {
	const char	*name;
	short		 bias;
	struct zrule	 dst, std;
};

/* The rule sets many zones share (local hours of each zone differ). */
#define NONE	{ 0, 0, 0, 0 }, { 0, 0, 0, 0 }
#define US	{ 3, 2, 0, 2 }, { 11, 1, 0, 2 }	/* since 2007 */
#define EU(h)	{ 3, 5, 0, h }, { 10, 5, 0, (h) + 1 }	/* 01:00 UTC */
#define AU	{ 10, 1, 0, 2 }, { 4, 1, 0, 3 }	/* since 2008 */

static const struct log_zone zones[] = {	/* sorted by name */
	{ "AUS Central Standard Time", -570, NONE },
	{ "AUS Eastern Standard Time", -600, AU },
	{ "Alaskan Standard Time", 540, US },
	{ "Arab Standard Time", -180, NONE },
	{ "Arabian Standard Time", -240, NONE },
	{ "Arabic Standard Time", -180, NONE },
	{ "Argentina Standard Time", 180, NONE },
	{ "Atlantic Standard Time", 240, US },
	{ "Azores Standard Time", 60, EU(0) },
	{ "Bangladesh Standard Time", -360, NONE },
	{ "Canada Central Standard Time", 360, NONE },
	{ "Cape Verde Standard Time", 60, NONE },
	{ "Cen. Australia Standard Time", -570, AU },
	{ "Central America Standard Time", 360, NONE },
	{ "Central Europe Standard Time", -60, EU(2) },
	{ "Central European Standard Time", -60, EU(2) },
	{ "Central Standard Time", 360, US },
	{ "Central Standard Time (Mexico)", 360, NONE },	/* since 2022 */
	{ "China Standard Time", -480, NONE },
	{ "Dateline Standard Time", 720, NONE },
	{ "E. Africa Standard Time", -180, NONE },
	{ "E. Australia Standard Time", -600, NONE },
	{ "E. Europe Standard Time", -120, EU(2) },
	{ "E. South America Standard Time", 180, NONE },	/* since 2019 */
	{ "Eastern Standard Time", 300, US },
	{ "Eastern Standard Time (Mexico)", 300, NONE },
	{ "FLE Standard Time", -120, EU(3) },
	{ "GMT Standard Time", 0, EU(1) },
	{ "GTB Standard Time", -120, EU(3) },
	{ "Greenwich Standard Time", 0, NONE },
	{ "Hawaiian Standard Time", 600, NONE },
	{ "India Standard Time", -330, NONE },
	{ "Iran Standard Time", -210, NONE },			/* since 2022 */
	{ "Korea Standard Time", -540, NONE },
	{ "Mountain Standard Time", 420, US },
	{ "Mountain Standard Time (Mexico)", 420, NONE },	/* since 2022 */
	{ "Nepal Standard Time", -345, NONE },
	{ "New Zealand Standard Time", -720, { 9, 5, 0, 2 }, { 4, 1, 0, 3 } },
	{ "Newfoundland Standard Time", 210, US },
	{ "Pacific Standard Time", 480, US },
	{ "Pacific Standard Time (Mexico)", 480, US },
	{ "Pakistan Standard Time", -300, NONE },
	{ "Romance Standard Time", -60, EU(2) },
	{ "Russian Standard Time", -180, NONE },
	{ "SA Eastern Standard Time", 180, NONE },
	{ "SA Pacific Standard Time", 300, NONE },
	{ "SA Western Standard Time", 240, NONE },
	{ "SE Asia Standard Time", -420, NONE },
	{ "Samoa Standard Time", -780, NONE },
	{ "Singapore Standard Time", -480, NONE },
	{ "South Africa Standard Time", -120, NONE },
	{ "Sri Lanka Standard Time", -330, NONE },
	{ "Taipei Standard Time", -480, NONE },
	{ "Tasmania Standard Time", -600, AU },
	{ "Tokyo Standard Time", -540, NONE },
	{ "Tonga Standard Time", -780, NONE },
	{ "Turkey Standard Time", -180, NONE },
	{ "US Eastern Standard Time", 300, US },
	{ "US Mountain Standard Time", 420, NONE },
	{ "UTC", 0, NONE },
	{ "UTC+12", -720, NONE },
	{ "UTC-02", 120, NONE },
	{ "UTC-11", 660, NONE },
	{ "Venezuela Standard Time", 240, NONE },
	{ "W. Australia Standard Time", -480, NONE },
	{ "W. Central Africa Standard Time", -60, NONE },
	{ "W. Europe Standard Time", -60, EU(2) },
	{ "West Asia Standard Time", -300, NONE },
	{ "West Pacific Standard Time", -600, NONE },
};

#undef NONE
#undef US
#undef EU
#undef AU

const struct log_zone *
log_zone_find(const char *name)
{
	size_t i, n;

	while (*name == ' ' || *name == '\t')
		name++;
	n = strlen(name);
	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t' ||
	    name[n - 1] == '\r'))
		n--;
	/* Some collectors write the zone's "Coordinated Universal Time". */
	if (n == 26 && kb_strncasecmp(name, "Coordinated Universal Time", n) == 0)
		return log_zone_find("UTC");
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strlen(zones[i].name) == n &&
		    kb_strncasecmp(zones[i].name, name, n) == 0)
			return &zones[i];
	return NULL;
}

const char *
log_zone_name(const struct log_zone *z)
{
	return z->name;
}

/* Local ms (as if UTC) of a rule's moment in year y. */
static int64_t
rule_ms(const struct zrule *r, int y)
{
	int64_t day = days_from_civil(y, r->mon, 1);
	/* 1970-01-01 was a Thursday (4). */
	int wd = (int)(((day % 7) + 11) % 7), d;

	d = 1 + (r->dow - wd + 7) % 7 + (r->week - 1) * 7;
	while (d > month_days(y, r->mon))
		d -= 7;
	return (days_from_civil(y, r->mon, d) * 24 + r->hour) * 3600000;
}

int32_t
log_zone_offset(const struct log_zone *z, int64_t local_ms)
{
	int64_t days, start, end;
	int y, m, d, in;

	if (z->dst.mon == 0 || local_ms == TIME_NONE)
		return -z->bias;
	days = local_ms >= 0 ? local_ms / 86400000 :
	    -((-local_ms + 86399999) / 86400000);
	civil_from_days(days, &y, &m, &d);
	/*
	 * start is in standard time, end in daylight time: the hour that
	 * repeats in autumn counts as daylight (its first pass), the hour
	 * skipped in spring as daylight too (what the clock would say).
	 */
	start = rule_ms(&z->dst, y);
	end = rule_ms(&z->std, y);
	if (start < end)		/* northern hemisphere */
		in = local_ms >= start && local_ms < end;
	else
		in = local_ms >= start || local_ms < end;
	return -z->bias + (in ? 60 : 0);
}
