/*
 * test_log_cmtrace.c -- the CMTrace/CCM parser (log_cmtrace.c): inline
 * cases for every edge case, then the real samples when KBGEN_SHARED is
 * set.  Expected times were worked out by hand from the bias rule UTC =
 * local + bias.
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

extern const struct log_parser log_cmtrace_parser;

/* The attribute header that ends a record, ConfigMgr's order. */
#define HDR(t, d, c, ty, th)						\
	"]LOG]!><time=\"" t "\" date=\"" d "\" component=\"" c "\" "	\
	"context=\"\" type=\"" ty "\" thread=\"" th "\" "		\
	"file=\"x.cpp:1\">"
/* A plain header: 07-14-2021 08:00:00.000 +240, component C, thread 1. */
#define H1	HDR("08:00:00.000+240", "07-14-2021", "C", "1", "1")
#define L1	"2021-07-14T08:00:00.000-04:00"
#define U1	"2021-07-14T12:00:00.000Z"

static const struct lt_case cases[] = {
	{ "basic", "<![LOG[Its a WSUS Update Source type ({A70B}), adding "
	    "it." HDR("08:53:25.263+240", "07-14-2021", "WUAHandler", "1",
	    "10444") "\n", NULL, 1, 0, "-240", {
		{ 1, 0, SEV_INFO, "WUAHandler", "10444", "Its a WSUS Update "
		    "Source type ({A70B}), adding it.",
		    "2021-07-14T08:53:25.263-04:00",
		    "2021-07-14T12:53:25.263Z", 0, "" } } },
	{ "crlf", "<![LOG[a" H1 "\r\n<![LOG[b\r\nc" H1 "\r\n", NULL, 2, 0,
	    "-240", {
		{ 1, 0, SEV_INFO, "C", "1", "a", L1, U1, 0, "" },
		{ 2, 3, SEV_INFO, "C", "1", "b\nc", L1, U1, 0, "" } } },
	{ "multi-line", "<![LOG[line1\nline2\n  line3" H1 "\n", NULL, 1, 0,
	    NULL, {
		{ 1, 3, SEV_INFO, "C", "1", "line1\nline2\n  line3", L1, U1,
		    0, NULL } } },
	{ "blank-lines-inside", "<![LOG[a\n\n\nb" H1, NULL, 1, 0, NULL, {
		{ 1, 4, SEV_INFO, "C", "1", "a\n\n\nb", L1, U1, 0, NULL } } },
	{ "opener-alone", "<![LOG[\ninstance of X\n{\n};" H1, NULL, 1, 0,
	    NULL, {
		{ 1, 4, SEV_INFO, "C", "1", "\ninstance of X\n{\n};", L1, U1,
		    0, NULL } } },
	{ "types", "<![LOG[t0" HDR("08:00:00.000+240", "07-14-2021", "C",
	    "0", "1") "\n<![LOG[t1" H1 "\n<![LOG[t2" HDR("08:00:00.000+240",
	    "07-14-2021", "C", "2", "1") "\n<![LOG[t3" HDR("08:00:00.000+240",
	    "07-14-2021", "C", "3", "1") "\n<![LOG[t9" HDR("08:00:00.000+240",
	    "07-14-2021", "C", "9", "1") "\n<![LOG[none]LOG]!><time=\"08:00:"
	    "00.000+240\" date=\"07-14-2021\">", NULL, 6, 0, NULL, {
		{ 1, 0, SEV_INFO, "C", "1", "t0", L1, U1, 0, NULL },
		{ 2, 0, SEV_INFO, "C", "1", "t1", L1, U1, 0, NULL },
		{ 3, 0, SEV_WARNING, "C", "1", "t2", L1, U1, 0, NULL },
		{ 4, 0, SEV_ERROR, "C", "1", "t3", L1, U1, 0, NULL },
		{ 5, 0, SEV_NONE, "C", "1", "t9", L1, U1, 0, NULL },
		{ 6, 0, SEV_NONE, NULL, NULL, "none", L1, U1, 0, NULL } } },
	{ "seven-digits-no-bias", "<![LOG[x" HDR("10:22:50.8422964",
	    "1-2-2015", "SCClient", "0", "16") "\n", NULL, 1, 0, "none", {
		{ 1, 0, SEV_INFO, "SCClient", "16", "x",
		    "2015-01-02T10:22:50.842", "", 0, NULL } } },
	{ "no-bias-uses-hint", "<![LOG[x" HDR("10:22:50.8422964", "1-2-2015",
	    "SCClient", "0", "16") "\n", "-300", 1, 0, "none", {
		{ 1, 0, SEV_INFO, "SCClient", "16", "x",
		    "2015-01-02T10:22:50.842-05:00",
		    "2015-01-02T15:22:50.842Z", 0, NULL } } },
	{ "bias-signs", "<![LOG[a" HDR("09:38:06.559-120", "07-04-2013", "C",
	    "1", "1") "\n<![LOG[b" HDR("19:33:19.766-330", "11-28-2014", "C",
	    "1", "1") "\n<![LOG[c" HDR("12:00:00.000+000", "01-01-2020", "C",
	    "1", "1") "\n<![LOG[d" HDR("04:20:47.594-60", "11-26-2014", "C",
	    "1", "1") "\n<![LOG[e" HDR("01:52:13.827+480", "11-24-2014", "C",
	    "1", "1") "\n", NULL, 5, 0, "120", {
		{ 1, 0, SEV_INFO, "C", "1", "a",
		    "2013-07-04T09:38:06.559+02:00",
		    "2013-07-04T07:38:06.559Z", 0, NULL },
		{ 2, 0, SEV_INFO, "C", "1", "b",
		    "2014-11-28T19:33:19.766+05:30",
		    "2014-11-28T14:03:19.766Z", 0, NULL },
		{ 3, 0, SEV_INFO, "C", "1", "c", "2020-01-01T12:00:00.000Z",
		    "2020-01-01T12:00:00.000Z", 0, NULL },
		{ 4, 0, SEV_INFO, "C", "1", "d",
		    "2014-11-26T04:20:47.594+01:00",
		    "2014-11-26T03:20:47.594Z", 0, NULL },
		{ 5, 0, SEV_INFO, "C", "1", "e",
		    "2014-11-24T01:52:13.827-08:00",
		    "2014-11-24T09:52:13.827Z", 0, NULL } } },
	{ "reordered-attrs", "<![LOG[x]LOG]!><date=\"7-14-2021\" thread=\"7\" "
	    "type=\"3\" component=\"Comp\" time=\"23:59:59.999+240\">", NULL,
	    1, 0, "-240", {
		{ 1, 0, SEV_ERROR, "Comp", "7", "x",
		    "2021-07-14T23:59:59.999-04:00",
		    "2021-07-15T03:59:59.999Z", 0, NULL } } },
	{ "one-digit-hour", "<![LOG[x" HDR("8:53:25.263+240", "07-14-2021",
	    "C", "1", "1"), NULL, 1, 0, NULL, {
		{ 1, 0, SEV_INFO, "C", "1", "x",
		    "2021-07-14T08:53:25.263-04:00",
		    "2021-07-14T12:53:25.263Z", 0, NULL } } },
	{ "rotated-head", "tail of a\nlong message" H1 "\n<![LOG[next" H1,
	    NULL, 2, 1, NULL, {
		{ 1, 2, SEV_INFO, "C", "1", "tail of a\nlong message", L1, U1,
		    0, NULL },
		{ 3, 0, SEV_INFO, "C", "1", "next", L1, U1, 0, NULL } } },
	{ "rotated-head-header-only", H1 "\n<![LOG[next" H1, NULL, 2, 1,
	    NULL, {
		{ 1, 0, SEV_INFO, "C", "1", "", L1, U1, 0, NULL },
		{ 2, 0, SEV_INFO, "C", "1", "next", L1, U1, 0, NULL } } },
	{ "rotated-head-attrs-cut", "type=\"1\" thread=\"5\">\n<![LOG[next"
	    H1, NULL, 2, 1, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "type=\"1\" thread=\"5\">", "",
		    "", 0, NULL },
		{ 2, 0, SEV_INFO, "C", "1", "next", L1, U1, 0, NULL } } },
	{ "truncated-last", "<![LOG[a" H1 "\n<![LOG[partial\nmore", NULL, 2,
	    1, NULL, {
		{ 1, 0, SEV_INFO, "C", "1", "a", L1, U1, 0, NULL },
		{ 2, 3, SEV_NONE, NULL, NULL, "partial\nmore", "", "", 0,
		    NULL } } },
	{ "truncated-mid", "<![LOG[cut\n<![LOG[ok" H1, NULL, 2, 1, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "cut", "", "", 0, NULL },
		{ 2, 0, SEV_INFO, "C", "1", "ok", L1, U1, 0, NULL } } },
	{ "truncated-header", "<![LOG[a]LOG]!><time=\"08:00:00.000+240\" "
	    "date=\"07-14", NULL, 1, 0, "-240", {
		{ 1, 0, SEV_NONE, NULL, NULL, "a", "", "", 0, NULL } } },
	{ "junk-before", "garbage line\n<![LOG[ok" H1, NULL, 2, 1, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "garbage line", "", "", 0,
		    NULL },
		{ 2, 0, SEV_INFO, "C", "1", "ok", L1, U1, 0, NULL } } },
	{ "two-on-one-line", "<![LOG[a" H1 "<![LOG[b" H1 "\n", NULL, 2, 0,
	    NULL, {
		{ 1, 0, SEV_INFO, "C", "1", "a", L1, U1, 0, NULL },
		{ 1, 0, SEV_INFO, "C", "1", "b", L1, U1, 0, NULL } } },
	{ "markers-inside", "<![LOG[x ]LOG] y <![LOG z]] <a>" H1, NULL, 1, 0,
	    NULL, {
		{ 1, 0, SEV_INFO, "C", "1", "x ]LOG] y <![LOG z]] <a>", L1,
		    U1, 0, NULL } } },
	{ "opener-indented-inside", "<![LOG[a\n  <![LOG[b\nc" H1, NULL, 1, 0,
	    NULL, {
		{ 1, 3, SEV_INFO, "C", "1", "a\n  <![LOG[b\nc", L1, U1, 0,
		    NULL } } },
	{ "quoted-gt", "<![LOG[q]LOG]!><time=\"08:00:00.000+240\" "
	    "date=\"07-14-2021\" component=\"a>b\" type=\"2\" thread=\"1\">",
	    NULL, 1, 0, NULL, {
		{ 1, 0, SEV_WARNING, "a>b", "1", "q", L1, U1, 0, NULL } } },
	{ "bad-date", "<![LOG[x" HDR("08:00:00.000+240", "02-30-2021", "C",
	    "1", "1"), NULL, 1, 0, NULL, {
		{ 1, 0, SEV_INFO, "C", "1", "x", "", "", 0, NULL } } },
	{ "bad-time", "<![LOG[x" HDR("25:00:00.000+240", "02-03-2021", "C",
	    "1", "1"), NULL, 1, 0, NULL, {
		{ 1, 0, SEV_INFO, "C", "1", "x", "", "", 0, NULL } } },
	{ "blank-around", "\n  \n<![LOG[a" H1 "\n\n", NULL, 1, 0, NULL, {
		{ 3, 0, SEV_INFO, "C", "1", "a", L1, U1, 0, NULL } } },
	{ "empty", "", NULL, 0, 0, "none", { { 0 } } },
	{ "first-bias-wins", "<![LOG[a" H1 "\n<![LOG[b" HDR("08:00:00.000-120",
	    "07-14-2021", "C", "1", "1"), NULL, 2, 0, "-240", {
		{ 1, 0, SEV_INFO, "C", "1", "a", L1, U1, 0, NULL },
		{ 2, 0, SEV_INFO, "C", "1", "b",
		    "2021-07-14T08:00:00.000+02:00",
		    "2021-07-14T06:00:00.000Z", 0, NULL } } },
	{ "repeated-time-attr", "<![LOG[a]LOG]!><time=\"08:00:00.000+240\" "
	    "time=\"09:00:00.000+2021\" date=\"07-14-2021\" type=\"1\">",
	    NULL, 1, 0, "none", {
		{ 1, 0, SEV_INFO, NULL, NULL, "a", "2021-07-14T09:00:00.000",
		    "", 0, NULL } } },
	{ "huge-bias-ignored", "<![LOG[a" HDR("08:00:00.000+99999",
	    "07-14-2021", "C", "1", "1"), NULL, 1, 0, "none", {
		{ 1, 0, SEV_INFO, "C", "1", "a", "2021-07-14T08:00:00.000", "",
		    0, NULL } } },
};

START_TEST(test_case)
{
	lt_case_run(&log_cmtrace_parser, &cases[_i]);
}
END_TEST

/* Real files, pinned after reading them (bias +240 is UTC-4). */
static const struct lt_sample samples[] = {
	{ "cmtrace/findingsanity_WUAHandler.log", 26, 0, "-240",
	    { 0, 1, 25 }, {
		{ 1, 0, SEV_INFO, "WUAHandler", "10472",
		    "CWuaHandler::SetCategoriesForStateReportingExclusion "
		    "called with E0789628-...",
		    "2021-07-14T08:52:44.338-04:00",
		    "2021-07-14T12:52:44.338Z", 0, "" },
		{ 2, 0, SEV_INFO, "WUAHandler", "10444", "Its a WSUS Update "
		    "Source type ({A70BBF1F-4768-4A41-AB5B-9ADBBBE009D0}), "
		    "adding it.", "2021-07-14T08:53:25.263-04:00",
		    "2021-07-14T12:53:25.263Z", 0, "" },
		{ 26, 0, SEV_INFO, "WUAHandler", "3032",
		    "Successfully completed scan.",
		    "2021-07-14T08:58:01.399-04:00",
		    "2021-07-14T12:58:01.399Z", 0, "" } } },
	{ "cmtrace/findingsanity_UpdatesDeployment.log", 107, 0, "-240",
	    { 7, 21, 82, 106 }, {
		{ 8, 0, SEV_WARNING, "UpdatesDeploymentAgent", "10472",
		    "No CCM Identification blob",
		    "2021-07-14T08:52:46.778-04:00",
		    "2021-07-14T12:52:46.778Z", 0, NULL },
		{ 22, 0, SEV_ERROR, "UpdatesDeploymentAgent", "10928",
		    "GetUpdateInfo - failed to get targeted update, error = "
		    "0x87d00215.", "2021-07-14T08:53:19.672-04:00",
		    "2021-07-14T12:53:19.672Z", 0, NULL },
		{ 83, 86, SEV_INFO, "UpdatesDeploymentAgent", "7696",
		    "Message received: '<?xml version='1.0' ?>\n"
		    "\t<CIAssignmentMessage MessageType='Activation'>\n"
		    "\t    <AssignmentID>{258F70CB-61C9-477F-AF99-A7BB5D92AFD4}"
		    "</AssignmentID>\n\t</CIAssignmentMessage>'",
		    "2021-07-14T09:34:11.023-04:00",
		    "2021-07-14T13:34:11.023Z", 0, NULL },
		{ 110, 0, SEV_INFO, "UpdatesDeploymentAgent", "3940",
		    "Raised assignment (TopicID) ...",
		    "2021-07-14T09:34:11.289-04:00",
		    "2021-07-14T13:34:11.289Z", 0, NULL } } },
	{ "cmtrace/plaso_sccm_various.log", 10, 0, "330",
	    { 0, 2, 3, 8, 9 }, {
		{ 1, 0, SEV_INFO, "AppEnforce", "8744",
		    "+++ Starting Install enforcement for App DT ...",
		    "2014-11-28T19:33:19.766+05:30",
		    "2014-11-28T14:03:19.766Z", 0, NULL },
		{ 3, 16, SEV_INFO, "SCClient", "16",
		    "Event object details:\ninstance of CCM_InstanceEvent\n"
		    "{\n        ActionType = 23;...",
		    "2015-01-02T10:22:50.842", "", 0, NULL },
		{ 17, 80, SEV_INFO, "SCClient", "16",
		    "\ninstance of CCM_Application\n{...",
		    "2015-01-02T10:22:50.873", "", 0, NULL },
		{ 85, 0, SEV_INFO, "setuppolicyevaluator", "6228",
		    "Applying policy Windows/SomeDevices/VI/VS",
		    "2014-11-26T04:20:47.594+01:00",
		    "2014-11-26T03:20:47.594Z", 0, NULL },
		{ 86, 0, SEV_INFO, "PeerDPAgent", "2444",
		    "Some stuff happened.", "2014-11-24T01:52:13.827-08:00",
		    "2014-11-24T09:52:13.827Z", 0, NULL } } },
};

START_TEST(test_sample)
{
	lt_sample_run(&log_cmtrace_parser, &samples[_i]);
}
END_TEST

/* Every file of the sample folder parses. */
START_TEST(test_dir)
{
	lt_dir_run(&log_cmtrace_parser, "cmtrace");
}
END_TEST

/* The sniffer: content decides, the name only breaks ties. */
START_TEST(test_sniff)
{
	const struct log_parser *p = &log_cmtrace_parser;
	static const char full[] = "<![LOG[x" H1 "\n";
	static const char tail[] = "tail" H1 "\n";

	ck_assert_int_eq(p->sniff("a.txt", full, strlen(full)), 95);
	ck_assert_int_eq(p->sniff("WUAHandler.log", full, strlen(full)), 97);
	ck_assert_int_eq(p->sniff("x.lo_", "<![LOG[long", 11), 82);
	ck_assert_int_eq(p->sniff("x.log", tail, strlen(tail)), 62);
	ck_assert_int_eq(p->sniff("x.log", "plain text\n", 11), 0);
	ck_assert_int_eq(p->sniff("x.log", "", 0), 0);
	ck_assert_int_eq(p->format, LOG_CMTRACE);
	ck_assert_str_eq(p->name, "cmtrace");
}
END_TEST

/* A message that never closes is cut at 4 MiB, and nothing is lost. */
START_TEST(test_cap)
{
	struct lt_run run;
	struct buf b = {0};
	size_t i, total = 0;

	buf_puts(&b, "<![LOG[");
	for (i = 0; i < 30000; i++)
		buf_puts(&b, "0123456789012345678901234567890123456789"
		    "0123456789012345678901234567890123456789"
		    "0123456789012345678901234567890123456789"
		    "01234567890123456789\n");
	buf_puts(&b, "end" H1 "\n<![LOG[next" H1);
	lt_init(&run, TZ_UNKNOWN);
	lt_feed(&log_cmtrace_parser, &run, b.data, b.len);
	ck_assert_uint_ge(run.n, 3);
	for (i = 0; i + 1 < run.n; i++)
		total += run.r[i].msg_len;
	/* 30000 lines of 140 bytes and "end", the 30000 newlines between
	 * them, less the one at the cut. */
	ck_assert_uint_eq(run.n, 3);
	ck_assert_uint_eq(total, 30000 * 140 + 3 + 30000 - 1);
	ck_assert_int_eq(run.r[run.n - 1].line, 30002);
	ck_assert_str_eq(run.r[run.n - 1].msg, "next");
	ck_assert_int_eq(run.nwarn, 2);
	lt_free(&run);
	buf_free(&b);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("log_cmtrace");
	TCase *tc = tcase_create("cases");

	tcase_add_loop_test(tc, test_case, 0, sizeof(cases) /
	    sizeof(cases[0]));
	tcase_add_loop_test(tc, test_sample, 0, sizeof(samples) /
	    sizeof(samples[0]));
	tcase_add_test(tc, test_dir);
	tcase_add_test(tc, test_sniff);
	tcase_add_test(tc, test_cap);
	tcase_set_timeout(tc, 60);
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
