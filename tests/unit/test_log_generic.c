/*
 * test_log_generic.c -- the fallback text parser (log_generic.c): the
 * timestamp forms it recognises, zones, continuation lines, text before
 * the first timestamp, bracketed times of day, the severity words; then
 * some real files when KBGEN_SHARED is set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "util.h"
#include "logs.h"
#include "encoding.h"
#include "logtest.h"
#include "ckrun.h"

extern const struct log_parser log_generic_parser;

#define L1	"2024-05-01T10:00:00.000"

static const struct lt_case cases[] = {
	{ "iso-space", "2024-05-01 10:00:00 Sync failed: x\r\n", NULL, 1, 0,
	    "none", {
		{ 1, 0, SEV_ERROR, NULL, NULL, "Sync failed: x", L1, "", 0,
		    "" } } },
	{ "iso-t-z", "2024-05-01T10:00:00Z started", NULL, 1, 0, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "started",
		    "2024-05-01T10:00:00.000Z", "2024-05-01T10:00:00.000Z", 1,
		    NULL } } },
	{ "iso-offsets", "2024-05-01T10:00:00.123+02:00 a\n2024-05-01 "
	    "10:00:00 -0430 b\n2024-05-01 10:00:00.5 UTC c\n2024-05-01 "
	    "10:00:00 GMT d", NULL, 4, 0, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "a",
		    "2024-05-01T10:00:00.123+02:00",
		    "2024-05-01T08:00:00.123Z", 0, NULL },
		{ 2, 0, SEV_NONE, NULL, NULL, "b", L1 "-04:30",
		    "2024-05-01T14:30:00.000Z", 0, NULL },
		{ 3, 0, SEV_NONE, NULL, NULL, "c", "2024-05-01T10:00:00.500Z",
		    "2024-05-01T10:00:00.500Z", 1, NULL },
		{ 4, 0, SEV_NONE, NULL, NULL, "d", L1 "Z", L1 "Z", 1,
		    NULL } } },
	{ "us-ampm", "5/22/2020 10:44:06 AM Process started\n5/22/2020 "
	    "1:44:06 PM b\n1/2/2015 12:05:00 AM c\n1/2/2015 12:05:00 pm d\n"
	    "12/31/2020 23:59 e", NULL, 5, 0, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "Process started",
		    "2020-05-22T10:44:06.000", "", 0, NULL },
		{ 2, 0, SEV_NONE, NULL, NULL, "b", "2020-05-22T13:44:06.000",
		    "", 0, NULL },
		{ 3, 0, SEV_NONE, NULL, NULL, "c", "2015-01-02T00:05:00.000",
		    "", 0, NULL },
		{ 4, 0, SEV_NONE, NULL, NULL, "d", "2015-01-02T12:05:00.000",
		    "", 0, NULL },
		{ 5, 0, SEV_NONE, NULL, NULL, "e", "2020-12-31T23:59:00.000",
		    "", 0, NULL } } },
	{ "day-first", "22/5/2020 10:44:06 a\n14.7.2021 08:52:46 b", NULL, 2,
	    0, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "a", "2020-05-22T10:44:06.000",
		    "", 0, NULL },
		{ 2, 0, SEV_NONE, NULL, NULL, "b", "2021-07-14T08:52:46.000",
		    "", 0, NULL } } },
	{ "separators", "[2024-05-01 10:00:00] [INFO] hello\n2024-05-01 "
	    "10:00:00 - dash\n2024-05-01 10:00:00,123 | pipe\n# 2024-05-01 "
	    "10:00:00: colon", NULL, 4, 0, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "[INFO] hello", L1, "", 0,
		    NULL },
		{ 2, 0, SEV_NONE, NULL, NULL, "dash", L1, "", 0, NULL },
		{ 3, 0, SEV_NONE, NULL, NULL, "pipe",
		    "2024-05-01T10:00:00.123", "", 0, NULL },
		{ 4, 0, SEV_NONE, NULL, NULL, "colon", L1, "", 0, NULL } } },
	{ "wu-legacy", "2013-01-27\t10:55:33:204\t1160\t3ca0\tDnldMgr\t  * "
	    "BITS job", NULL, 1, 0, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "1160\t3ca0\tDnldMgr\t  * BITS "
		    "job", "2013-01-27T10:55:33.204", "", 0, NULL } } },
	{ "wu-etw", "2021/07/14 08:53:25.1234567 1234  5678  Agent           "
	    "*FAILED* [8024000C] x", NULL, 1, 0, NULL, {
		{ 1, 0, SEV_ERROR, NULL, NULL, "1234  5678  Agent           "
		    "*FAILED* [8024000C] x", "2021-07-14T08:53:25.123", "", 0,
		    NULL } } },
	{ "ctime", "Wed May 21 17:09:02 1997 something\nThu Jan 16 "
	    "18:53:52.608 2014 other", NULL, 2, 0, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "something",
		    "1997-05-21T17:09:02.000", "", 0, NULL },
		{ 2, 0, SEV_NONE, NULL, NULL, "other",
		    "2014-01-16T18:53:52.608", "", 0, NULL } } },
	{ "continuation", "2024-05-01 10:00:00 Exception: boom\n   at A.B()\n"
	    "\n   at C.D()\n\n2024-05-01 10:00:01 next\nProcess Start Time = "
	    "5/22/2020 10:44:06 AM\n", NULL, 2, 0, NULL, {
		{ 1, 4, SEV_ERROR, NULL, NULL, "Exception: boom\n   at A.B()"
		    "\n\n   at C.D()", L1, "", 0, NULL },
		{ 6, 7, SEV_NONE, NULL, NULL, "next\nProcess Start Time = "
		    "5/22/2020 10:44:06 AM", "2024-05-01T10:00:01.000", "", 0,
		    NULL } } },
	{ "before-first-stamp", "header line\n\nsecond warning\n2024-05-01 "
	    "10:00:00 x\ncont", NULL, 3, 0, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "header line", "", "", 0, NULL },
		{ 3, 0, SEV_WARNING, NULL, NULL, "second warning", "", "", 0,
		    NULL },
		{ 4, 5, SEV_NONE, NULL, NULL, "x\ncont", L1, "", 0, NULL } } },
	{ "no-stamps", "a\nb fatal\n\n", NULL, 2, 0, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "a", "", "", 0, NULL },
		{ 2, 0, SEV_ERROR, NULL, NULL, "b fatal", "", "", 0,
		    NULL } } },
	{ "msi", "=== Verbose logging started: 3/2/2015 23:59:59 ===\n"
	    "MSI (s) (84:58) [23:59:59:498]: a\n******* cont\n"
	    "MSI (s) (84:58) [00:00:01:002]: after midnight\n"
	    "Action ended 0:00:02: X. Return value 3.", NULL, 3, 0, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "=== Verbose logging started: "
		    "3/2/2015 23:59:59 ===", "", "", 0, NULL },
		{ 2, 3, SEV_NONE, NULL, NULL, "MSI (s) (84:58) "
		    "[23:59:59:498]: a\n******* cont",
		    "2015-03-02T23:59:59.498", "", 0, NULL },
		{ 4, 5, SEV_NONE, NULL, NULL, "MSI (s) (84:58) "
		    "[00:00:01:002]: after midnight\nAction ended 0:00:02: X. "
		    "Return value 3.", "2015-03-03T00:00:01.002", "", 0,
		    NULL } } },
	{ "bracket-without-date", "MSI (s) (84:58) [16:04:27:498]: x\n"
	    "MSI (s) (84:58) [16:04:28]: y", NULL, 2, 0, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "MSI (s) (84:58) [16:04:27:498]:"
		    " x", "", "", 0, NULL },
		{ 2, 0, SEV_NONE, NULL, NULL, "MSI (s) (84:58) [16:04:28]: y",
		    "", "", 0, NULL } } },
	{ "hint", "2024-05-01 10:00:00 x\n2024-05-01 10:00:00Z y", "-300", 2,
	    0, "none", {
		{ 1, 0, SEV_NONE, NULL, NULL, "x", L1 "-05:00",
		    "2024-05-01T15:00:00.000Z", 0, NULL },
		{ 2, 0, SEV_NONE, NULL, NULL, "y", L1 "Z", L1 "Z", 1,
		    NULL } } },
	{ "severity", "2024-05-01 10:00:00 Warning: low disk\n2024-05-01 "
	    "10:00:00 FATAL\n2024-05-01 10:00:00 all good\n2024-05-01 "
	    "10:00:00 System.Net.WebException\n2024-05-01 10:00:00 "
	    "0x80072EE2 failure", NULL, 5, 0, NULL, {
		{ 1, 0, SEV_WARNING, NULL, NULL, "Warning: low disk", L1, "",
		    0, NULL },
		{ 2, 0, SEV_ERROR, NULL, NULL, "FATAL", L1, "", 0, NULL },
		{ 3, 0, SEV_NONE, NULL, NULL, "all good", L1, "", 0, NULL },
		{ 4, 0, SEV_ERROR, NULL, NULL, "System.Net.WebException", L1,
		    "", 0, NULL },
		{ 5, 0, SEV_ERROR, NULL, NULL, "0x80072EE2 failure", L1, "",
		    0, NULL } } },
	{ "not-stamps", "10.0.14393.2969 version\n2024-05-01 only a date\n"
	    "12345-01-01 10:00:00 x\n2024-13-01 10:00:00 bad month\n"
	    "2024-05-01 25:00:00 bad hour\n   at 12:00 noon\nvalue 2024-05-01 "
	    "10:00:00 late", NULL, 7, 0, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "10.0.14393.2969 version", "",
		    "", 0, NULL },
		{ 2, 0, SEV_NONE, NULL, NULL, "2024-05-01 only a date", "",
		    "", 0, NULL } } },
	{ "bom-artefact", "?2024-05-01 10:00:00 x", NULL, 1, 0, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "x", L1, "", 0, NULL } } },
	{ "empty", "", NULL, 0, 0, "none", { { 0 } } },
};

START_TEST(test_case)
{
	lt_case_run(&log_generic_parser, &cases[_i]);
}
END_TEST

/* Real files that other formats own but that must read as text too. */
static const struct lt_sample samples[] = {
	{ "wsus_setup/pastebin_tKFFw8fK_wsusutil_postinstall_excerpt.log", 26,
	    0, "none", { 0, 25 }, {
		{ 1, 0, SEV_NONE, NULL, NULL, "Postinstall started",
		    "2014-04-21T10:21:58.000", "", 0, "" },
		{ 26, 0, SEV_NONE, NULL, NULL, "Value is C:\\WSUS",
		    "2014-04-21T10:21:58.000", "", 0, "" } } },
	{ "wsus_setup/pastebin_knc24KxT_msi_verbose_head.log", 15, 0, "none",
	    { 0, 1, 14 }, {
		{ 1, 0, SEV_NONE, NULL, NULL, "=== Verbose logging started: "
		    "3/2/2015 16:04:27 Build type: ...", "", "", 0, NULL },
		{ 2, 0, SEV_NONE, NULL, NULL, "MSI (c) (7C:7C) "
		    "[16:04:27:486]: Resetting cached policy values",
		    "2015-03-02T16:04:27.486", "", 0, NULL },
		{ 21, 0, SEV_NONE, NULL, NULL, "MSI (s) (84:58) "
		    "[16:04:27:498]: Machine policy value "
		    "'DisableUserInstalls' is 0", "2015-03-02T16:04:27.498",
		    "", 0, NULL } } },
};

START_TEST(test_sample)
{
	lt_sample_run(&log_generic_parser, &samples[_i]);
}
END_TEST

/* Every text sample of every format reads as generic text. */
START_TEST(test_dir)
{
	static const char *dirs[] = { "cmtrace", "sms_legacy", "statmsg",
	    "softwaredistribution", "windowsupdate", "iis_w3c", "httperr",
	    "iis_config", "registry", "service_state", "wsus_setup" };
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		lt_dir_run(&log_generic_parser, dirs[i]);
}
END_TEST

/* A record is cut after 1000 lines; the rest keeps its time. */
START_TEST(test_cap)
{
	struct lt_run run;
	struct buf b = {0};
	int i;

	buf_puts(&b, "2024-05-01 10:00:00 head\n");
	for (i = 0; i < 1500; i++)
		buf_puts(&b, "   at Some.Frame()\n");
	lt_init(&run, TZ_UNKNOWN);
	lt_feed(&log_generic_parser, &run, b.data, b.len);
	ck_assert_uint_eq(run.n, 2);
	ck_assert_int_eq(run.r[0].end_line, 1000);
	ck_assert_int_eq(run.r[1].line, 1001);
	ck_assert_int_eq(run.r[1].end_line, 1501);
	ck_assert_int_eq(run.r[1].local_ms, run.r[0].local_ms);
	ck_assert_uint_eq(run.r[0].msg_len + run.r[1].msg_len,
	    4 + 1500 * 18 + 1499);
	lt_free(&run);
	buf_free(&b);
}
END_TEST

/*
 * The severity words at every position of messages of every length up
 * to 40 (the scan tests eight positions at a time, with a last window
 * that overlaps): each keyword is found wherever it starts.
 */
START_TEST(test_sev_positions)
{
	static const struct {
		const char	*word;
		int		 sev;
	} words[] = { { "ERROR", SEV_ERROR }, { "exCeption", SEV_ERROR },
	    { "Fail", SEV_ERROR }, { "fatal", SEV_ERROR },
	    { "WARN", SEV_WARNING }, { "erx", SEV_NONE } };
	struct lt_run run;
	struct buf b = {0};
	size_t w, len, pos, k, i = 0;
	char msg[64];

	for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
		for (len = strlen(words[w].word); len <= 40; len++)
			for (pos = 0; pos + strlen(words[w].word) <= len;
			    pos++) {
				memset(msg, 'q', len);
				memcpy(msg + pos, words[w].word,
				    strlen(words[w].word));
				buf_printf(&b, "2024-05-01 10:00:00 %.*s\n",
				    (int)len, msg);
			}
	lt_init(&run, TZ_UNKNOWN);
	lt_feed(&log_generic_parser, &run, b.data, b.len);
	for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
		for (len = strlen(words[w].word); len <= 40; len++)
			for (pos = 0; pos + strlen(words[w].word) <= len;
			    pos++, i++) {
				ck_assert_uint_lt(i, run.n);
				k = run.r[i].sev;
				ck_assert_msg((int)k == words[w].sev,
				    "'%s' len %zu pos %zu: sev %zu",
				    words[w].word, len, pos, k);
			}
	ck_assert_uint_eq(i, run.n);
	lt_free(&run);
	buf_free(&b);
}
END_TEST

START_TEST(test_sniff)
{
	const struct log_parser *p = &log_generic_parser;

	ck_assert_int_eq(p->sniff("a.txt", "anything\n", 9), 5);
	ck_assert_int_eq(p->sniff("a.txt", "", 0), 5);
	ck_assert_int_eq(p->format, LOG_GENERIC);
	ck_assert_str_eq(p->name, "generic");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("log_generic");
	TCase *tc = tcase_create("cases");

	tcase_add_loop_test(tc, test_case, 0, sizeof(cases) /
	    sizeof(cases[0]));
	tcase_add_loop_test(tc, test_sample, 0, sizeof(samples) /
	    sizeof(samples[0]));
	tcase_add_test(tc, test_dir);
	tcase_add_test(tc, test_cap);
	tcase_add_test(tc, test_sev_positions);
	tcase_add_test(tc, test_sniff);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	if (getenv("KBGEN_SHARED") == NULL)
		fprintf(stderr, "KBGEN_SHARED unset: sample files skipped\n");
	return ck_run(suite());
}
