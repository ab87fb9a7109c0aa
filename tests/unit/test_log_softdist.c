/*
 * test_log_softdist.c -- the SoftwareDistribution.log parser
 * (log_softdist.c): tab and pasted fields, levels, stack traces, text
 * before the first timestamp; then the real samples when KBGEN_SHARED is
 * set.  Every time is UTC.
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

extern const struct log_parser log_softdist_parser;

#define TS	"2020-05-22 14:44:14.282 UTC"
#define T1	"2020-05-22T14:44:14.282Z"

static const struct lt_case cases[] = {
	{ "tabs", TS "\tError\tWsusService.9\tHmtWebServices.CheckReporting"
	    "WebService\tReporting WebService SoapException: x\r\n", NULL, 1,
	    0, "none", {
		{ 1, 0, SEV_ERROR, "HmtWebServices.CheckReportingWebService",
		    "WsusService.9", "Reporting WebService SoapException: x",
		    T1, T1, 1, "" } } },
	{ "tab-in-message", TS "\tInfo\tw3wp.13\tA.B\tone\ttwo", NULL, 1, 0,
	    NULL, {
		{ 1, 0, SEV_INFO, "A.B", "w3wp.13", "one\ttwo", T1, T1, 1,
		    NULL } } },
	{ "missing-fields", TS "\tInfo\tw3wp.1", NULL, 1, 0, NULL, {
		{ 1, 0, SEV_INFO, NULL, "w3wp.1", "", T1, T1, 1, NULL } } },
	{ "pasted-spaces", "2014-01-16 18:53:56.168 UTC  Info         "
	    "WsusService.15 EventLogEventReporter.ReportEvent  EventId=382,"
	    "Type=Information,Category=Synchronization,Message=A manual "
	    "synchronization was started.", NULL, 1, 0, NULL, {
		{ 1, 0, SEV_INFO, "EventLogEventReporter.ReportEvent",
		    "WsusService.15", "EventId=382,Type=Information,Category="
		    "Synchronization,Message=A manual synchronization was "
		    "started.", "2014-01-16T18:53:56.168Z",
		    "2014-01-16T18:53:56.168Z", 1, NULL } } },
	{ "glued-level", "2014-01-16 18:53:54.231 UTC Changew3wp.6AdminData"
	    "Access.StartSubscriptionManually Synchronization manually "
	    "started", NULL, 1, 0, NULL, {
		{ 1, 0, SEV_INFO, "AdminDataAccess.StartSubscriptionManually",
		    "w3wp.6", "Synchronization manually started",
		    "2014-01-16T18:53:54.231Z", "2014-01-16T18:53:54.231Z", 1,
		    NULL } } },
	{ "levels", TS " Warning w3wp.1 A.B careful\n" TS " Change w3wp.1 "
	    "A.B changed\n" TS " Verbose w3wp.1 A.B what\n" TS " error "
	    "w3wp.1 A.B lower-case level", NULL, 4, 0, NULL, {
		{ 1, 0, SEV_WARNING, "A.B", "w3wp.1", "careful", T1, T1, 1,
		    NULL },
		{ 2, 0, SEV_INFO, "A.B", "w3wp.1", "changed", T1, T1, 1,
		    NULL },
		{ 3, 0, SEV_NONE, NULL, NULL, "Verbose w3wp.1 A.B what", T1,
		    T1, 1, NULL },
		{ 4, 0, SEV_ERROR, "A.B", "w3wp.1", "lower-case level", T1,
		    T1, 1, NULL } } },
	{ "stack-trace", TS "\tError\tWsusService.25\tSoapUtilities.Log"
	    "Exception\tUSS ThrowException: ErrorCode=InternalServerError\n"
	    "   at A.B(SoapException e)\n\n   at C.D()\n\n\n" TS "\tInfo\t"
	    "w3wp.1\tX.Y\tnext\n", NULL, 2, 0, NULL, {
		{ 1, 4, SEV_ERROR, "SoapUtilities.LogException",
		    "WsusService.25", "USS ThrowException: ErrorCode="
		    "InternalServerError\n   at A.B(SoapException e)\n\n"
		    "   at C.D()", T1, T1, 1, NULL },
		{ 7, 0, SEV_INFO, "X.Y", "w3wp.1", "next", T1, T1, 1,
		    NULL } } },
	{ "trailing-blank-lines", TS "\tInfo\tw3wp.1\tX.Y\tlast\n\n  \n",
	    NULL, 1, 0, NULL, {
		{ 1, 0, SEV_INFO, "X.Y", "w3wp.1", "last", T1, T1, 1,
		    NULL } } },
	{ "text-before-first", "\n<Date> <Time> Error WsusService.25 X.Y "
	    "oops\n   at A.B()\n" TS "\tInfo\tw3wp.1\tX.Y\tok", NULL, 2, 1,
	    NULL, {
		{ 2, 3, SEV_NONE, NULL, NULL, "<Date> <Time> Error "
		    "WsusService.25 X.Y oops\n   at A.B()", "", "", 0, NULL },
		{ 4, 0, SEV_INFO, "X.Y", "w3wp.1", "ok", T1, T1, 1,
		    NULL } } },
	{ "seven-digits", "2020-05-22 14:44:14.2829999 UTC\tInfo\tw3wp.1\t"
	    "X.Y\tm", NULL, 1, 0, NULL, {
		{ 1, 0, SEV_INFO, "X.Y", "w3wp.1", "m", T1, T1, 1, NULL } } },
	{ "not-stamps", TS "\tInfo\tw3wp.1\tX.Y\tm\n" "2020-05-22 14:44:14.282"
	    " UTCX\n2020-05-22 14:44:14 UTC x\n2020-02-30 14:44:14.282 UTC "
	    "Info w3wp.1 X.Y bad date\n2020-05-22 14:44:14.282 PST x", NULL,
	    1, 0, NULL, {
		{ 1, 5, SEV_INFO, "X.Y", "w3wp.1", "m\n2020-05-22 "
		    "14:44:14.282 UTCX\n2020-05-22 14:44:14 UTC x\n"
		    "2020-02-30 14:44:14.282 UTC Info w3wp.1 X.Y bad date\n"
		    "2020-05-22 14:44:14.282 PST x", T1, T1, 1, NULL } } },
	{ "date-changes", TS "\tInfo\tw3wp.1\tX.Y\ta\n2020-05-23 00:00:00.001 "
	    "UTC\tInfo\tw3wp.1\tX.Y\tb\n" TS "\tInfo\tw3wp.1\tX.Y\tc", NULL, 3,
	    0, NULL, {
		{ 1, 0, SEV_INFO, "X.Y", "w3wp.1", "a", T1, T1, 1, NULL },
		{ 2, 0, SEV_INFO, "X.Y", "w3wp.1", "b",
		    "2020-05-23T00:00:00.001Z", "2020-05-23T00:00:00.001Z", 1,
		    NULL },
		{ 3, 0, SEV_INFO, "X.Y", "w3wp.1", "c", T1, T1, 1, NULL } } },
	{ "bom-artefact", "?" TS "\tInfo\tw3wp.1\tX.Y\tm", NULL, 1, 0, NULL, {
		{ 1, 0, SEV_INFO, "X.Y", "w3wp.1", "m", T1, T1, 1, NULL } } },
	{ "stamp-only", TS, NULL, 1, 0, NULL, {
		{ 1, 0, SEV_NONE, NULL, NULL, "", T1, T1, 1, NULL } } },
	{ "empty", "", NULL, 0, 0, "none", { { 0 } } },
	{ "blank", "\n \n\t\n", NULL, 0, 0, NULL, { { 0 } } },
};

START_TEST(test_case)
{
	lt_case_run(&log_softdist_parser, &cases[_i]);
}
END_TEST

/* Real files, pinned after reading them. */
static const struct lt_sample samples[] = {
	{ "softwaredistribution/msdocs_soapexception_excerpt.log", 1, 1,
	    "none", { 0 }, {
		{ 1, 8, SEV_NONE, NULL, NULL, "<Date> <Time> Error "
		    "WsusService.25 SoapUtilities.LogException USS "
		    "ThrowException: Actor = https://fe2.update.microsoft.com"
		    "/v6/ServerSyncWebService/ServerSyncWebService.asmx...",
		    "", "", 0, NULL } } },
	{ "softwaredistribution/msdocs_track_sync_excerpt.log", 4, 0, "none",
	    { 0, 1, 3 }, {
		{ 1, 0, SEV_INFO, "AdminDataAccess.StartSubscriptionManually",
		    "w3wp.58", "Synchronization manually started",
		    "2014-01-16T18:53:54.231Z", "2014-01-16T18:53:54.231Z", 1,
		    "" },
		{ 2, 0, SEV_INFO, "EventLogEventReporter.ReportEvent",
		    "WsusService.15", "EventId=382,Type=Information,Category="
		    "Synchronization,Message=A manual synchronization was "
		    "started.", "2014-01-16T18:53:56.168Z",
		    "2014-01-16T18:53:56.168Z", 1, "" },
		{ 4, 0, SEV_INFO, "CatalogSyncAgent.SetSubscriptionState"
		    "WithRetry", "WsusService.31", "Firing event SyncFinish...",
		    "2014-01-16T18:55:06.307Z", "2014-01-16T18:55:06.307Z", 1,
		    "" } } },
	{ "softwaredistribution/pastebin_WhEg77PQ_SoftwareDistribution_"
	    "excerpt.log", 8, 0, "none", { 1, 7 }, {
		{ 2, 0, SEV_INFO, "ClientImplementation..ctor", "w3wp.13",
		    "Initializing ClientWebService ProcessID = 380, Process "
		    "Start Time = 5/22/2020 10:44:06 AM, Product Version = "
		    "10.0.14393.2969", "2020-05-22T14:44:07.030Z",
		    "2020-05-22T14:44:07.030Z", 1, NULL },
		{ 8, 10, SEV_ERROR, "HmtWebServices.CheckReportingWebService",
		    "WsusService.9", "Reporting WebService SoapException:"
		    "System.Web.Services.Protocols.SoapException: Server was "
		    "unable to process request. ---> Ping method is only "
		    "available from local machine.\nat System.Web.Services."
		    "Protocols.SoapHttpClientProtocol.ReadResponse(...",
		    T1, T1, 1, NULL } } },
};

START_TEST(test_sample)
{
	lt_sample_run(&log_softdist_parser, &samples[_i]);
}
END_TEST

/* Every file of the sample folder parses. */
START_TEST(test_dir)
{
	lt_dir_run(&log_softdist_parser, "softwaredistribution");
}
END_TEST

/* A record is cut after 1000 lines; the rest keeps its time. */
START_TEST(test_cap)
{
	struct lt_run run;
	struct buf b = {0};
	int i;

	buf_puts(&b, TS "\tError\tw3wp.1\tX.Y\thead\n");
	for (i = 0; i < 1500; i++)
		buf_puts(&b, "   at Some.Frame()\n");
	lt_init(&run, TZ_UNKNOWN);
	lt_feed(&log_softdist_parser, &run, b.data, b.len);
	ck_assert_uint_eq(run.n, 2);
	ck_assert_int_eq(run.r[0].line, 1);
	ck_assert_int_eq(run.r[0].end_line, 1000);
	ck_assert_int_eq(run.r[1].line, 1001);
	ck_assert_int_eq(run.r[1].end_line, 1501);
	ck_assert_int_eq(run.r[1].sev, SEV_ERROR);
	ck_assert_int_eq(run.r[1].local_ms, run.r[0].local_ms);
	ck_assert_str_eq(run.r[1].comp, "X.Y");
	ck_assert_uint_eq(run.r[0].msg_len + run.r[1].msg_len,
	    4 + 1500 * 18 + 1499);
	lt_free(&run);
	buf_free(&b);
}
END_TEST

/* The sniffer: the "... UTC" timestamp decides, the name breaks ties. */
START_TEST(test_sniff)
{
	const struct log_parser *p = &log_softdist_parser;
	static const char head[] = "garbage\n" TS "\tInfo\tw3wp.1\tX.Y\tm\n";

	ck_assert_int_eq(p->sniff("a.txt", head, strlen(head)), 90);
	ck_assert_int_eq(p->sniff("SoftwareDistribution.log", head,
	    strlen(head)), 93);
	ck_assert_int_eq(p->sniff("SoftwareDistribution.log", "x\n", 2), 0);
	ck_assert_int_eq(p->sniff("a", "2020-05-22 14:44:14 UTC x\n", 26), 0);
	ck_assert_int_eq(p->sniff("a", "", 0), 0);
	/* Microsoft's excerpts: "<Date> <Time>" instead of the stamp. */
	ck_assert_int_eq(p->sniff("a", "x\n<Date> <Time> Error WsusService.25 "
	    "A.B m\n", 40), 60);
	ck_assert_int_eq(p->sniff("a", "Change  w3wp.58\tA.B m\n", 22), 60);
	ck_assert_int_eq(p->sniff("a", "pid w3wp.58 started\n", 20), 0);
	ck_assert_int_eq(p->sniff("a", "Error w3wp.x\n", 13), 0);
	ck_assert_int_eq(p->format, LOG_SOFTDIST);
	ck_assert_str_eq(p->name, "softdist");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("log_softdist");
	TCase *tc = tcase_create("cases");

	tcase_add_loop_test(tc, test_case, 0, sizeof(cases) /
	    sizeof(cases[0]));
	tcase_add_loop_test(tc, test_sample, 0, sizeof(samples) /
	    sizeof(samples[0]));
	tcase_add_test(tc, test_dir);
	tcase_add_test(tc, test_cap);
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
