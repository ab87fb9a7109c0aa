/*
 * test_log_wu.c -- log_wu.c: the legacy WindowsUpdate.log (tz: banner
 * per PID, tabs or collapsed white space, WARNING:/FATAL:, hr=) and the
 * Get-WindowsUpdateLog text (*FAILED* [hr]).  Table-driven inline
 * cases, sniffing, then the shared samples when KBGEN_SHARED is set.
 */
#include <check.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "logs.h"
#include "encoding.h"
#include "logtest2.h"
#include "ckrun.h"

extern const struct log_parser log_wu_legacy_parser, log_wu_etw_parser;

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define LEG		(&log_wu_legacy_parser)
#define ETW		(&log_wu_etw_parser)
#define UNK		TZ_UNKNOWN

struct wcase {
	const char	*name;
	const struct log_parser *p;
	int32_t		 tz_hint;
	const char	*in;
	size_t		 nrec;
	int32_t		 tz_found;
	struct lt_want	 want[6];
};

static const struct wcase cases[] = {
	{ "legacy tabs, banner per PID", LEG, UNK,
	    "2017-03-18\t19:07:31:100\t 952\t1a2c\tMisc\t===========  Logging "
	    "initialized (build: 7.6.7600.320, tz: +0200)  ===========\n"
	    "2017-03-18\t19:07:31:101\t 952\t1a2c\tMisc\t  = Process: "
	    "C:\\Windows\\system32\\svchost.exe\n"
	    "2017-03-18\t19:07:32:000\t1160\t3ca0\tAgent\tno banner for me\n"
	    "2017-03-18\t19:07:33:250\t 952\t1a2c\tAgent\tWARNING: Exit code "
	    "= 0x8024A000\n", 4, 120, {
		{ 1, 0, SEV_INFO, "2017-03-18T19:07:31.100",
		    "2017-03-18T17:07:31.100Z", "Misc", "1a2c",
		    "~Logging initialized", { "pid=952", "tid=1a2c", "!hr" } },
		{ 2, 0, SEV_INFO, "2017-03-18T19:07:31.101",
		    "2017-03-18T17:07:31.101Z", "Misc", NULL,
		    "  = Process: C:\\Windows\\system32\\svchost.exe", { NULL } },
		{ 3, 0, SEV_INFO, "2017-03-18T19:07:32.000", "", "Agent",
		    "3ca0", "no banner for me", { "pid=1160" } },
		{ 4, 0, SEV_WARNING, "2017-03-18T19:07:33.250",
		    "2017-03-18T17:07:33.250Z", "Agent", NULL, NULL,
		    { "hr=0x8024A000" } } } },
	{ "legacy, host zone for a PID without banner", LEG, -300,
	    "2017-03-18\t19:07:32:000\t1160\t3ca0\tAgent\tbefore the banner\n"
	    "2017-03-18\t19:07:33:000\t1160\t3ca0\tMisc\t=== Logging "
	    "initialized (build: 7.6.7600.320, tz: +0100) ===\n"
	    "2017-03-18\t19:07:34:000\t1160\t3ca0\tAgent\tafter\n", 3, 60, {
		{ 1, 0, SEV_INFO, "2017-03-18T19:07:32.000",
		    "2017-03-19T00:07:32.000Z", NULL, NULL, NULL, { NULL } },
		{ 2, 0, SEV_INFO, "2017-03-18T19:07:33.000",
		    "2017-03-18T18:07:33.000Z", NULL, NULL, NULL, { NULL } },
		{ 3, 0, SEV_INFO, "2017-03-18T19:07:34.000",
		    "2017-03-18T18:07:34.000Z", NULL, NULL, NULL, { NULL } } } },
	{ "legacy collapsed paste, negative zone", LEG, UNK,
	    "2012-10-23 14:31:26:398 848 724 Misc =========== Logging "
	    "initialized (build: 7.3.7600.16385, tz: -0700) ===========\n"
	    "2012-10-23 14:31:39:112 848 724 Agent WARNING: Failed to read "
	    "the service id for re-registration 0x80070002\n"
	    "2012-10-23 14:31:39:112 848 724 Agent WARNING: Missing service "
	    "entry in the backup data store; cleaning up\n", 3, -420, {
		{ 1, 0, SEV_INFO, "2012-10-23T14:31:26.398",
		    "2012-10-23T21:31:26.398Z", "Misc", "724", NULL,
		    { "pid=848", "tid=724" } },
		{ 2, 0, SEV_ERROR, "2012-10-23T14:31:39.112",
		    "2012-10-23T21:31:39.112Z", "Agent", NULL,
		    "WARNING: Failed to read the service id for re-registration "
		    "0x80070002", { "hr=0x80070002" } },
		{ 3, 0, SEV_WARNING, "2012-10-23T14:31:39.112",
		    "2012-10-23T21:31:39.112Z", NULL, NULL, NULL, { "!hr" } } } },
	{ "legacy zones per process across a DST change", LEG, UNK,
	    "2013-03-31 01:59:00:000 100 a Misc Logging initialized (build: 1,"
	    " tz: +0100)\n"
	    "2013-03-31 03:01:00:000 200 b Misc Logging initialized (build: 1,"
	    " tz: +0200)\n"
	    "2013-03-31 03:02:00:000 100 a AU still the old zone\n"
	    "2013-03-31 03:03:00:000 200 b AU new zone\n"
	    "2013-03-31 03:04:00:000 100 a Misc Logging initialized (build: 1,"
	    " tz: +0200)\n"
	    "2013-03-31 03:05:00:000 100 a AU restarted\n", 6, 60, {
		{ 1, 0, SEV_INFO, "2013-03-31T01:59:00.000",
		    "2013-03-31T00:59:00.000Z", NULL, NULL, NULL, { NULL } },
		{ 2, 0, SEV_INFO, "2013-03-31T03:01:00.000",
		    "2013-03-31T01:01:00.000Z", NULL, NULL, NULL, { NULL } },
		{ 3, 0, SEV_INFO, "2013-03-31T03:02:00.000",
		    "2013-03-31T02:02:00.000Z", NULL, NULL, NULL, { NULL } },
		{ 4, 0, SEV_INFO, "2013-03-31T03:03:00.000",
		    "2013-03-31T01:03:00.000Z", NULL, NULL, NULL, { NULL } },
		{ 5, 0, SEV_INFO, "2013-03-31T03:04:00.000",
		    "2013-03-31T01:04:00.000Z", NULL, NULL, NULL, { NULL } },
		{ 6, 0, SEV_INFO, "2013-03-31T03:05:00.000",
		    "2013-03-31T01:05:00.000Z", NULL, NULL, NULL, { NULL } } } },
	{ "legacy severities and HRESULT forms", LEG, 0,
	    "2013-01-27\t10:55:33:204\t1160\t3ca0\tPT\tWARNING: PTError: "
	    "hr=8024A000\n"
	    "2013-01-27\t10:55:33:205\t1160\t3ca0\tAgent\tFATAL: Search "
	    "failed, error 0x8024402C\n"
	    "2013-01-27\t10:55:33:206\t1160\t3ca0\tDnldMgr\tBITS job "
	    "{855E8A7C-ECB4-4CA3-B045-1DFA50104289} completed (00000000)\n"
	    "2013-01-27\t10:55:33:207\t1160\t3ca0\tAU\tWARNING: Cached cookie "
	    "has expired\n"
	    "2013-01-27\t10:55:33:208\t1160\t3ca0\tPT\tSync returned "
	    "0x00000000 and 0x80070005xx\n", 5, UNK, {
		{ 1, 0, SEV_WARNING, "2013-01-27T10:55:33.204",
		    "2013-01-27T10:55:33.204Z", "PT", NULL, NULL,
		    { "hr=8024A000" } },
		{ 2, 0, SEV_ERROR, NULL, NULL, NULL, NULL, NULL,
		    { "hr=0x8024402C" } },
		{ 3, 0, SEV_INFO, NULL, NULL, NULL, NULL, NULL, { "!hr" } },
		{ 4, 0, SEV_WARNING, NULL, NULL, NULL, NULL, NULL, { "!hr" } },
		{ 5, 0, SEV_INFO, NULL, NULL, NULL, NULL, NULL, { "!hr" } } } },
	{ "legacy REPORT EVENT keeps its tabs", LEG, UNK,
	    "2013-01-27\t10:55:38:171\t1160\t3ca0\tReport\tREPORT EVENT: "
	    "{023764A7-9115-43D9-966E-18496EE41A09}\t2013-01-27 "
	    "10:55:33:171+0100\t1\t147\t101\tAutomaticUpdates\tSuccess\n", 1,
	    UNK, {
		{ 1, 0, SEV_INFO, "2013-01-27T10:55:38.171", "", "Report",
		    "3ca0", "REPORT EVENT: {023764A7-9115-43D9-966E-18496EE41A09}"
		    "\t2013-01-27 10:55:33:171+0100\t1\t147\t101\t"
		    "AutomaticUpdates\tSuccess", { "!hr" } } } },
	{ "legacy wrapped line continues, junk before first kept", LEG, UNK,
	    "pasted from a forum:\n"
	    "\n"
	    "2013-01-27\t10:55:33:204\t1160\t3ca0\tAgent\tWARNING: Download "
	    "of the\n"
	    "   update failed with error 0x80244019\n"
	    "2013-01-27\t10:55:34:000\t1160\t3ca0\tAgent\tnext\n", 3, UNK, {
		{ 1, 0, SEV_INFO, "", "", NULL, NULL, "pasted from a forum:",
		    { "!hr" } },
		{ 3, 4, SEV_ERROR, "2013-01-27T10:55:33.204", "", NULL, NULL,
		    "WARNING: Download of the\n   update failed with error "
		    "0x80244019", { "hr=0x80244019" } },
		{ 5, 0, SEV_INFO, "2013-01-27T10:55:34.000", "", NULL, NULL,
		    "next", { NULL } } } },
	{ "legacy impossible date keeps the record untimed", LEG, UNK,
	    "2013-02-30\t10:55:33:204\t1160\t3ca0\tAgent\tthirtieth\n", 1, UNK,
	    {
		{ 1, 0, SEV_INFO, "", "", "Agent", NULL, "thirtieth",
		    { NULL } } } },
	/* Other formats' lines are no WU records: kept untimed, as text. */
	{ "legacy rejects SoftwareDistribution and postinstall lines", LEG, UNK,
	    "2020-05-22 14:44:07.030 UTC\tInfo\tw3wp.6\tClass.Method\tx\n"
	    "2014-04-21 10:21:58 Postinstall started\n", 2, UNK, {
		{ 1, 0, SEV_INFO, "", "", NULL, NULL, NULL, { "!hr" } },
		{ 2, 0, SEV_INFO, "", "", NULL, NULL,
		    "2014-04-21 10:21:58 Postinstall started", { "!hr" } } } },
	{ "etw failure with hr, host zone", ETW, -240,
	    "2021/07/13 10:23:06.3460256 3696  8172  Misc            *FAILED* "
	    "[8024000C] LoadHistoryEventFromRegistry completed\r\n"
	    "2021/07/13 10:23:06.3933681 3696  8172  Agent           WSUS "
	    "server: https://SCCM01D.firm.example:8531\r\n", 2, UNK, {
		{ 1, 0, SEV_ERROR, "2021-07-13T10:23:06.346",
		    "2021-07-13T14:23:06.346Z", "Misc", "8172",
		    "*FAILED* [8024000C] LoadHistoryEventFromRegistry completed",
		    { "hr=8024000C", "pid=3696", "tid=8172" } },
		{ 2, 0, SEV_INFO, "2021-07-13T10:23:06.393",
		    "2021-07-13T14:23:06.393Z", "Agent", NULL,
		    "WSUS server: https://SCCM01D.firm.example:8531",
		    { "!hr" } } } },
	{ "etw unknown zone, odd components, exit codes", ETW, UNK,
	    "2021/07/13 10:23:06.4186097 3696  4248  Agent               "
	    "Timer: 29A863E7-8609-4D1E-B7CD-5668F857F1DB, Expires\n"
	    "2021/07/13 10:23:07.1 3696  4248  Unknown( 10): GUID=abc\n"
	    "2021/07/13 10:32:03.0163822 3696  8172  Shared          * END * "
	    "Service exit Exit code = 0x8024402C\n"
	    "2021/07/13 10:32:04.0163822 3696  8172  Agent           returned "
	    "hr = 0x00000000\n", 4, UNK, {
		{ 1, 0, SEV_INFO, "2021-07-13T10:23:06.418", "", "Agent",
		    NULL, "Timer: 29A863E7-8609-4D1E-B7CD-5668F857F1DB, Expires",
		    { "!hr" } },
		{ 2, 0, SEV_INFO, "2021-07-13T10:23:07.100", "",
		    "Unknown( 10):", NULL, "GUID=abc", { NULL } },
		{ 3, 0, SEV_WARNING, "2021-07-13T10:32:03.016", "", "Shared",
		    NULL, NULL, { "hr=0x8024402C" } },
		{ 4, 0, SEV_INFO, NULL, NULL, NULL, NULL, NULL, { "!hr" } } } },
	{ "etw rejects legacy lines", ETW, UNK,
	    "2013-01-27\t10:55:33:204\t1160\t3ca0\tAgent\tx\n", 1, UNK,
	    { { 1, 0, SEV_INFO, "", "", NULL, NULL, NULL, { "!hr" } } } },
};

START_TEST(test_cases)
{
	const struct wcase *c = &cases[_i];
	struct lt_run run;
	size_t i;

	lt_run_str(c->p, c->in, c->tz_hint, &run);
	ck_assert_msg(run.n == c->nrec, "%s: %zu records, want %zu", c->name,
	    run.n, c->nrec);
	for (i = 0; i < run.n; i++)
		lt_check(c->name, &run.r[i], &c->want[i]);
	ck_assert_msg(run.tz_found == c->tz_found, "%s: tz_found %d",
	    c->name, (int)run.tz_found);
	lt_free(&run);
}
END_TEST

/*
 * A record followed by 3 MB of lines that start no record: the text
 * stops at 1 MiB with one warning, the record still ends at the last
 * line, a "failed" past the cut does not count, and the work stays
 * linear.
 */
START_TEST(test_runaway_continuation)
{
	struct buf in = { 0 };
	struct lt_run run;
	int i;

	buf_puts(&in, "2013-01-27\t10:55:33:204\t1160\t3ca0\tAgent\t"
	    "WARNING: start\n");
	for (i = 0; i < 30000; i++)
		buf_printf(&in, "%099d\n", i);
	buf_puts(&in, "failed at the end\n");
	lt_run(LEG, in.data, in.len, TZ_UNKNOWN, &run);
	/* Records stay under 1 MiB and nothing is lost: the text goes on
	 * in records of the same time at their exact lines. */
	ck_assert_uint_ge(run.n, 3);
	ck_assert_int_eq(run.r[0].sev, SEV_WARNING);
	ck_assert_int_eq(run.r[run.n - 1].end_line, 30002);
	ck_assert(strstr(run.r[run.n - 1].msg, "failed at the end") != NULL);
	{
		size_t k;
		for (k = 0; k < run.n; k++) {
			ck_assert_uint_lt(strlen(run.r[k].msg), 1024 * 1024);
			if (k > 0)
				ck_assert_int_eq(run.r[k].line,
				    run.r[k - 1].end_line + 1);
		}
	}
	ck_assert_int_eq(run.ndiag, 1);
	lt_free(&run);
	buf_free(&in);
}
END_TEST

/* ------------------------------------------------------------------ */
/* sniffing */

static const struct {
	const char	*name;
	const char	*head;
	int		 legacy_min, legacy_max;
	int		 etw_min, etw_max;
} sniffs[] = {
	{ "WindowsUpdate.log",
	    "2013-01-27\t10:55:33:204\t1160\t3ca0\tDnldMgr\tx\r\n"
	    "2013-01-27\t10:55:33:207\t1160\t3ca0\tDnldMgr\ty\r\n", 90, 100,
	    0, 0 },
	{ "paste.txt",
	    "2012-10-23 14:31:26:398 848 724 Misc === Logging initialized "
	    "(build: 7.3.7600.16385, tz: -0700) ===\n", 90, 100, 0, 0 },
	{ "WindowsUpdate.log",
	    "2021/07/13 10:22:58.9553434 3696  8172  Shared          "
	    "InitializeSus\r\n", 0, 0, 90, 100 },
	{ "SoftwareDistribution.log",
	    "2020-05-22 14:44:07.030 UTC\tInfo\tw3wp.6\tA.B\tmsg\n", 0, 0,
	    0, 0 },
	{ "tmp1.tmp", "2014-04-21 10:21:58 Postinstall started\n", 0, 0, 0,
	    0 },
	{ "x.log", "#Software: Microsoft Internet Information Services 10.0\n"
	    "2021-04-01 00:00:21 1.1.1.1 GET / - 80\n", 0, 0, 0, 0 },
	{ "empty", "", 0, 0, 0, 0 },
};

START_TEST(test_sniff)
{
	int l, e;

	l = log_wu_legacy_parser.sniff(sniffs[_i].name, sniffs[_i].head,
	    strlen(sniffs[_i].head));
	e = log_wu_etw_parser.sniff(sniffs[_i].name, sniffs[_i].head,
	    strlen(sniffs[_i].head));
	ck_assert_msg(l >= sniffs[_i].legacy_min && l <= sniffs[_i].legacy_max,
	    "%d: legacy %d", _i, l);
	ck_assert_msg(e >= sniffs[_i].etw_min && e <= sniffs[_i].etw_max,
	    "%d: etw %d", _i, e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* shared samples (values read off the files by hand) */

static const struct {
	const char	*file;
	const struct log_parser *p;
	size_t		 nrec, nerr, nwarn;
	int32_t		 tz_found;
	struct lt_want	 want[3];
} samples[] = {
	{ "findingsanity_WindowsUpdate_win10_getwindowsupdatelog_head400.log",
	    ETW, 400, 7, 0, UNK, {
		{ 1, 0, SEV_INFO, "2021-07-13T10:22:58.955", "", "Shared",
		    "8172", "InitializeSus", { "pid=3696" } },
		{ 12, 0, SEV_ERROR, "2021-07-13T10:23:06.346", "", "Misc",
		    NULL, NULL, { "hr=8024000C" } },
		{ 400, 0, SEV_INFO, "2021-07-13T10:52:38.111", "", "ComApi",
		    "9892", "~All federated searches have completed", { NULL } },
	    } },
	{ "logjoint_WindowsUpdate_legacy_2013.log", LEG, 10, 0, 0, UNK, {
		{ 1, 0, SEV_INFO, "2013-01-27T10:55:33.204", "", "DnldMgr",
		    "3ca0", "  * BITS job initialized, JobId = "
		    "{082DB2AF-902B-4457-810C-62B6E2D3A034}",
		    { "pid=1160", "!hr" } },
		{ 7, 0, SEV_INFO, "2013-01-27T10:55:38.171", "", "Report",
		    NULL, "~\t2013-01-27 10:55:33:171+0100\t", { NULL } },
		{ 10, 0, SEV_INFO, "2013-01-27T10:55:44.276", "", "DnldMgr",
		    "4348", NULL, { NULL } },
	    } },
	{ "pastebin_23bNW6NX_WindowsUpdate_legacy_tz-0700_wscollapsed.log",
	    LEG, 14, 1, 1, -420, {
		{ 1, 0, SEV_INFO, "2012-10-23T14:31:26.398",
		    "2012-10-23T21:31:26.398Z", "Misc", "724", NULL,
		    { "pid=848" } },
		{ 13, 0, SEV_ERROR, "2012-10-23T14:31:39.112",
		    "2012-10-23T21:31:39.112Z", "Agent", NULL,
		    "WARNING: Failed to read the service id for re-registration "
		    "0x80070002", { "hr=0x80070002" } },
		{ 14, 0, SEV_WARNING, "2012-10-23T14:31:39.112",
		    "2012-10-23T21:31:39.112Z", NULL, NULL, NULL, { NULL } },
	    } },
};

/* The parser of this program that rates the head highest, or NULL. */
static const struct log_parser *
best(const char *name, const char *head, size_t n)
{
	int l = LEG->sniff(name, head, n), e = ETW->sniff(name, head, n);

	if (l < 20 && e < 20)
		return NULL;
	return l >= e ? LEG : ETW;
}

/* Parses one sample file and checks its pins (k < 0: no pins known). */
static void
check_sample(const char *dir, const char *file, int k)
{
	struct buf text = { 0 };
	struct lt_run run;
	const struct log_parser *p;
	size_t n;

	ck_assert_msg(lt_load(dir, file, &text) == 0, "cannot read %s/%s", dir,
	    file);
	n = text.len < LOG_SNIFF_BYTES ? text.len : LOG_SNIFF_BYTES;
	p = best(file, buf_str(&text), n);
	ck_assert_msg(p != NULL, "%s: not claimed", file);
	lt_run(p, buf_str(&text), text.len, TZ_UNKNOWN, &run);
	ck_assert_msg(run.n > 0, "%s: no records", file);
	if (k >= 0) {
		ck_assert_msg(p == samples[k].p, "%s: sniffed as %s", file,
		    p->name);
		lt_check_pins(file, &run, samples[k].nrec, samples[k].nerr,
		    samples[k].nwarn, samples[k].want);
		ck_assert_int_eq(run.tz_found, samples[k].tz_found);
	}
	lt_free(&run);
	buf_free(&text);
}

START_TEST(test_samples)
{
	lt_each_sample("windowsupdate", samples, sizeof(samples[0]),
	    NCASES(samples),
	    (size_t)((const char *)&samples[0].file - (const char *)&samples[0]),
	    -1, check_sample);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("log_wu");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_cases, 0, NCASES(cases));
	tcase_add_test(tc, test_runaway_continuation);
	tcase_add_loop_test(tc, test_sniff, 0, NCASES(sniffs));
	if (lt_have_samples("windowsupdate"))
		tcase_add_test(tc, test_samples);
	else
		fprintf(stderr, "KBGEN_SHARED unset or without samples: "
		    "sample checks skipped\n");
	suite_add_tcase(s, tc);
	return ck_run(s);
}
