/*
 * test_log_msi.c -- log_msi.c: MSI verbose logs (the banner's date,
 * midnight roll-over, custom-action threads, continuation lines, the
 * forms of "Return value 3") and the wsusutil postinstall log (Fatal
 * Error, stack traces).  Table-driven inline cases, sniffing, then the
 * shared samples when KBGEN_SHARED is set.
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

extern const struct log_parser log_msi_parser, log_postinstall_parser;

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define MSI		(&log_msi_parser)
#define POST		(&log_postinstall_parser)
#define UNK		TZ_UNKNOWN

struct mcase {
	const char	*name;
	const struct log_parser *p;
	int32_t		 tz_hint;
	const char	*in;
	size_t		 nrec;
	int		 ndiag;
	struct lt_want	 want[8];
};

static const struct mcase cases[] = {
	{ "msi banner, threads, continuation", MSI, -300,
	    "=== Verbose logging started: 3/2/2015  16:04:27  Build type: SHIP "
	    "UNICODE 5.00.7601.00  Calling process: D:\\Setup.exe ===\r\n"
	    "MSI (c) (7C:7C) [16:04:27:486]: ******* RunEngine:\r\n"
	    "******* Product: {6FF4C560-A95B-42DE-83AD-62C8737115E9}\r\n"
	    "******* Action: \r\n"
	    "MSI (s) (70!8C) [16:04:28:001]: Note: 1: 2715 2: SystemTrayApp.exe"
	    "\r\n", 3, 0, {
		{ 1, 0, SEV_INFO, "2015-03-02T16:04:27.000",
		    "2015-03-02T21:04:27.000Z", "MSI", NULL,
		    "~Verbose logging started", { "!return_value" } },
		{ 2, 4, SEV_INFO, "2015-03-02T16:04:27.486",
		    "2015-03-02T21:04:27.486Z", "MSI (c)", "7C:7C",
		    "MSI (c) (7C:7C) [16:04:27:486]: ******* RunEngine:\n"
		    "******* Product: {6FF4C560-A95B-42DE-83AD-62C8737115E9}\n"
		    "******* Action:", { NULL } },
		{ 5, 0, SEV_INFO, "2015-03-02T16:04:28.001", NULL, "MSI (s)",
		    "70!8C", NULL, { NULL } } } },
	{ "msi midnight roll-over", MSI, UNK,
	    "=== Verbose logging started: 12/31/2015 23:59:58 ===\n"
	    "MSI (s) (84:58) [23:59:59:900]: a\n"
	    "MSI (s) (84:58) [23:59:59:850]: slightly back, same day\n"
	    "MSI (s) (84:58) [00:00:00:100]: b\n"
	    "Action ended 0:00:01: InstallFinalize. Return value 3.\n"
	    "MSI (s) (84:58) [00:10:00:000]: c\n"
	    "=== Logging stopped: 1/1/2016  0:10:01 ===\n", 7, 0, {
		{ 1, 0, SEV_INFO, "2015-12-31T23:59:58.000", "", NULL, NULL,
		    NULL, { NULL } },
		{ 2, 0, SEV_INFO, "2015-12-31T23:59:59.900", "", NULL, NULL,
		    "MSI (s) (84:58) [23:59:59:900]: a", { NULL } },
		{ 3, 0, SEV_INFO, "2015-12-31T23:59:59.850", NULL, NULL, NULL,
		    NULL, { NULL } },
		{ 4, 0, SEV_INFO, "2016-01-01T00:00:00.100", NULL, NULL, NULL,
		    NULL, { NULL } },
		{ 5, 0, SEV_ERROR, "2016-01-01T00:00:01.000", NULL, "", NULL,
		    "Action ended 0:00:01: InstallFinalize. Return value 3.",
		    { "return_value=3", "action=InstallFinalize" } },
		{ 6, 0, SEV_INFO, "2016-01-01T00:10:00.000", NULL, NULL, NULL,
		    NULL, { NULL } },
		{ 7, 0, SEV_INFO, "2016-01-01T00:10:01.000", NULL, "MSI", NULL,
		    NULL, { NULL } } } },
	{ "msi failure forms and severities", MSI, UNK,
	    "=== Verbose logging started: 02.03.2015  10:00:00 ===\n"
	    "MSI (s) (84:58) [10:00:01:000]: Note: 1: 2205 2:  3: Error\n"
	    "MSI (s) (84:58) [10:00:02:000]: Product: Windows Server Update "
	    "Services 3.0 SP2 -- Installation operation failed.\n"
	    "CustomAction InstallWsusCA returned actual error code 1603 (note "
	    "this may not be 100% accurate)\n"
	    "MSI (s) (84:58) [10:00:03:000]: Windows Installer installed the "
	    "product. Installation success or error status: 1603.\n"
	    "MSI (s) (84:58) [10:00:04:000]: Windows Installer installed the "
	    "product. Installation success or error status: 0.\n"
	    "Action ended 10:00:05: Cancelled. Return value 2.\n"
	    "MSI (s) (84:58) [10:00:06:000]: Product: X -- Error 1722. There "
	    "is a problem with this Windows Installer package.\n"
	    "Action ended 10:00:07: INSTALL. Return value 1.\n", 8, 0, {
		{ 1, 0, SEV_INFO, "2015-03-02T10:00:00.000", NULL, NULL, NULL,
		    NULL, { NULL } },
		{ 2, 0, SEV_INFO, NULL, NULL, NULL, NULL, NULL, { NULL } },
		{ 3, 4, SEV_ERROR, "2015-03-02T10:00:02.000", NULL, NULL, NULL,
		    NULL, { "action=InstallWsusCA", "!return_value" } },
		{ 5, 0, SEV_ERROR, NULL, NULL, NULL, NULL, NULL, { NULL } },
		{ 6, 0, SEV_INFO, NULL, NULL, NULL, NULL, NULL, { NULL } },
		{ 7, 0, SEV_WARNING, NULL, NULL, NULL, NULL, NULL,
		    { "return_value=2", "action=Cancelled" } },
		{ 8, 0, SEV_ERROR, NULL, NULL, NULL, NULL, NULL, { NULL } },
		{ 9, 0, SEV_INFO, "2015-03-02T10:00:07.000", NULL, NULL, NULL,
		    NULL, { "return_value=1", "action=INSTALL" } } } },
	{ "msi continuation raises severity, no banner means no date", MSI,
	    UNK,
	    "MSI (c) (70:2C) [14:46:39:159]: Note: 1: 2228 2:  3: Error 4: "
	    "SELECT `Message` FROM `Error` WHERE `Error` = 2896\n"
	    "DEBUG: Error 2896:  Executing action LaunchApplication failed.\n"
	    "Action 14:46:40: LaunchApplication. Launching the app\n", 2, 0, {
		{ 1, 2, SEV_ERROR, "", "", "MSI (c)", "70:2C", NULL, { NULL } },
		{ 3, 0, SEV_INFO, "", "", NULL, NULL, NULL,
		    { "action=LaunchApplication" } } } },
	{ "msi property dump inherits the last time", MSI, 60,
	    "=== Logging started: 5/6/2020  8:00:00 ===\n"
	    "MSI (s) (84:58) [08:00:05:123]: Product: X -- Installation "
	    "completed successfully.\n"
	    "Property(S): UpgradeCode = {ABC}\n"
	    "Property(C): WSUS_DB = SUSDB\n", 4, 0, {
		{ 1, 0, SEV_INFO, "2020-05-06T08:00:00.000",
		    "2020-05-06T07:00:00.000Z", NULL, NULL, NULL, { NULL } },
		{ 2, 0, SEV_INFO, "2020-05-06T08:00:05.123", NULL, NULL, NULL,
		    NULL, { NULL } },
		{ 3, 0, SEV_INFO, "2020-05-06T08:00:05.123",
		    "2020-05-06T07:00:05.123Z", "Property(S)", NULL,
		    "Property(S): UpgradeCode = {ABC}", { NULL } },
		{ 4, 0, SEV_INFO, "2020-05-06T08:00:05.123", NULL,
		    "Property(C)", NULL, NULL, { NULL } } } },
	{ "msi day-first date, lines before the first record", MSI, UNK,
	    "some text pasted before the log\n"
	    "=== Verbose logging started: 13/2/2015 9:05:00 ===\n", 2, 1, {
		/* Kept, without a time: nothing a user pasted is lost. */
		{ 1, 0, SEV_INFO, "", NULL, NULL, NULL, NULL, { NULL } },
		{ 2, 0, SEV_INFO, "2015-02-13T09:05:00.000", NULL, NULL, NULL,
		    NULL, { NULL } } } },
	{ "msi malformed prefixes continue the record", MSI, UNK,
	    "=== Verbose logging started: 1/1/2020 1:00:00 ===\n"
	    "MSI (s) (84:58) [1x:00:00:000]: bad time\n"
	    "MSI (s) (84:58\n"
	    "MSI (s\n"
	    "Action ended: no time\n"
	    "Property(S) no colon\n", 1, 0, {
		{ 1, 6, SEV_INFO, "2020-01-01T01:00:00.000", NULL, NULL, NULL,
		    NULL, { NULL } } } },
	{ "postinstall fatal error with a stack trace", POST, 120,
	    "2014-04-21 10:21:58 Postinstall started\r\n"
	    "2014-04-21 10:22:12 Fatal Error: Failed to start and configure "
	    "the WSUS service\r\n"
	    "System.InvalidOperationException: Cannot start service "
	    "WsusService on computer '.'.\r\n"
	    "   at System.ServiceProcess.ServiceController.Start(String[] "
	    "args)\r\n"
	    "\r\n"
	    "2014-04-21 10:22:13 Postinstall failed\r\n"
	    "2014-04-21 10:22:14 \r\n"
	    "2013-01-27 10:55:33:204 not a postinstall stamp\r\n", 4, 0, {
		{ 1, 0, SEV_INFO, "2014-04-21T10:21:58.000",
		    "2014-04-21T08:21:58.000Z", "", NULL, "Postinstall started",
		    { NULL } },
		{ 2, 4, SEV_ERROR, "2014-04-21T10:22:12.000",
		    "2014-04-21T08:22:12.000Z", NULL, NULL,
		    "Fatal Error: Failed to start and configure the WSUS service"
		    "\nSystem.InvalidOperationException: Cannot start service "
		    "WsusService on computer '.'.\n   at System.ServiceProcess."
		    "ServiceController.Start(String[] args)", { NULL } },
		{ 6, 0, SEV_WARNING, NULL, NULL, NULL, NULL,
		    "Postinstall failed", { NULL } },
		{ 7, 8, SEV_INFO, "2014-04-21T10:22:14.000", NULL, NULL, NULL,
		    "\n2013-01-27 10:55:33:204 not a postinstall stamp",
		    { NULL } } } },
};

START_TEST(test_cases)
{
	const struct mcase *c = &cases[_i];
	struct lt_run run;
	size_t i;

	lt_run_str(c->p, c->in, c->tz_hint, &run);
	ck_assert_msg(run.n == c->nrec, "%s: %zu records, want %zu", c->name,
	    run.n, c->nrec);
	for (i = 0; i < run.n; i++)
		lt_check(c->name, &run.r[i], &c->want[i]);
	ck_assert_msg(run.ndiag == c->ndiag, "%s: %d diagnostics", c->name,
	    run.ndiag);
	lt_free(&run);
}
END_TEST

/*
 * A postinstall record followed by 3 MB of continuation lines: records
 * stay under 1 MiB, none of the text is lost (it continues in new
 * records at their exact lines), and one note says so.
 */
START_TEST(test_runaway_continuation)
{
	struct buf in = { 0 };
	struct lt_run run;
	int i;

	buf_puts(&in, "2014-04-21 10:21:58 Fatal Error: start\n");
	for (i = 0; i < 30000; i++)
		buf_printf(&in, "   at frame %088d\n", i);
	lt_run(POST, in.data, in.len, TZ_UNKNOWN, &run);
	ck_assert_uint_ge(run.n, 3);
	ck_assert_int_eq(run.r[0].line, 1);
	ck_assert_int_eq(run.r[0].sev, SEV_ERROR);
	ck_assert_int_eq(run.r[run.n - 1].end_line, 30001);
	{
		size_t k, total = 0;
		for (k = 0; k < run.n; k++) {
			ck_assert_uint_lt(strlen(run.r[k].msg), 1024 * 1024);
			if (k > 0)
				ck_assert_int_eq(run.r[k].line,
				    run.r[k - 1].end_line + 1);
			total += strlen(run.r[k].msg);
		}
		ck_assert_uint_ge(total, in.len - 40 - run.n);
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
	int		 msi_min, msi_max;
	int		 post_min, post_max;
} sniffs[] = {
	{ "WSUSSetup.log", "=== Verbose logging started: 3/2/2015 16:04:27 "
	    "===\nMSI (c) (7C:7C) [16:04:27:486]: x\n", 98, 98, 0, 0 },
	{ "x.txt", "Action start 14:46:39: LaunchApplication.\n"
	    "MSI (c) (70:54) [14:46:39:097]: x\n", 85, 85, 0, 0 },
	{ "x.txt", "Action start 14:46:39: A.\nAction ended 14:46:40: A. "
	    "Return value 1.\n", 60, 60, 0, 0 },
	{ "tmpA1B2.tmp", "2014-04-21 10:21:58 Postinstall started\n"
	    "2014-04-21 10:21:58 Detected role services: Api\n", 0, 0, 98,
	    98 },
	{ "notes.log", "2014-04-21 10:21:58 something\n"
	    "2014-04-21 10:21:59 else\n", 0, 0, 45, 45 },
	{ "WindowsUpdate.log", "2013-01-27\t10:55:33:204\t1160\t3ca0\tAU\tx\n"
	    "2013-01-27 10:55:33:204 1160 3ca0 AU y\n", 0, 0, 0, 0 },
	{ "SoftwareDistribution.log", "2020-05-22 14:44:07.030 UTC\tInfo\tx\n",
	    0, 0, 0, 0 },
	{ "empty", "", 0, 0, 0, 0 },
};

START_TEST(test_sniff)
{
	int m, p;

	m = MSI->sniff(sniffs[_i].name, sniffs[_i].head,
	    strlen(sniffs[_i].head));
	p = POST->sniff(sniffs[_i].name, sniffs[_i].head,
	    strlen(sniffs[_i].head));
	ck_assert_msg(m >= sniffs[_i].msi_min && m <= sniffs[_i].msi_max,
	    "%d: msi %d", _i, m);
	ck_assert_msg(p >= sniffs[_i].post_min && p <= sniffs[_i].post_max,
	    "%d: postinstall %d", _i, p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* shared samples (values read off the files by hand) */

static const struct {
	const char	*file;
	const struct log_parser *p;
	size_t		 nrec, nerr, nwarn;
	struct lt_want	 want[3];
} samples[] = {
	{ "github_md_msi_verbose_return_value_3_excerpt.log", MSI, 15, 3, 0, {
		{ 9, 0, SEV_ERROR, "", "", "", NULL,
		    "Action ended 14:46:39: LaunchApplication. Return value 3.",
		    { "return_value=3", "action=LaunchApplication" } },
		{ 11, 13, SEV_ERROR, "", "", "MSI (c)", "70:2C",
		    "~\nDEBUG: Error 2896:  Executing action LaunchApplication "
		    "failed.\n", { NULL } },
		{ 15, 0, SEV_INFO, "", "", NULL, NULL, NULL,
		    { "return_value=1", "action=INSTALL" } } } },
	{ "pastebin_knc24KxT_msi_verbose_head.log", MSI, 15, 0, 0, {
		{ 1, 0, SEV_INFO, "2015-03-02T16:04:27.000", "", "MSI", NULL,
		    NULL, { NULL } },
		{ 4, 7, SEV_INFO, "2015-03-02T16:04:27.486", "", "MSI (c)",
		    "7C:7C", "~\n******* Product: {6FF4C560-A95B-42DE-83AD-"
		    "62C8737115E9}\n", { NULL } },
		{ 21, 0, SEV_INFO, "2015-03-02T16:04:27.498", "", "MSI (s)",
		    "84:58", "~'DisableUserInstalls' is 0", { NULL } } } },
	{ "pastebin_tKFFw8fK_wsusutil_postinstall_excerpt.log", POST, 26, 0,
	    0, {
		{ 1, 0, SEV_INFO, "2014-04-21T10:21:58.000", "", NULL, NULL,
		    "Postinstall started", { NULL } },
		{ 2, 0, SEV_INFO, NULL, NULL, NULL, NULL,
		    "Detected role services: Api, UI, WidDatabase, Services",
		    { NULL } },
		{ 26, 0, SEV_INFO, "2014-04-21T10:21:58.000", NULL, NULL, NULL,
		    "Value is C:\\WSUS", { NULL } } } },
};

/* Parses a sample file and checks its pins (k < 0: none known). */
static void
check_sample(const char *dir, const char *file, int k)
{
	struct buf text = { 0 };
	struct lt_run run;
	const struct log_parser *p;
	size_t n;
	int sm, sp;

	ck_assert_msg(lt_load(dir, file, &text) == 0, "cannot read %s", file);
	n = text.len < LOG_SNIFF_BYTES ? text.len : LOG_SNIFF_BYTES;
	sm = MSI->sniff(file, buf_str(&text), n);
	sp = POST->sniff(file, buf_str(&text), n);
	ck_assert_msg(sm >= 20 || sp >= 20, "%s: not claimed", file);
	p = sm > sp ? MSI : POST;
	lt_run(p, buf_str(&text), text.len, TZ_UNKNOWN, &run);
	ck_assert_msg(run.n > 0, "%s: no records", file);
	if (k >= 0) {
		ck_assert_msg(p == samples[k].p, "%s: sniffed as %s", file,
		    p->name);
		lt_check_pins(file, &run, samples[k].nrec, samples[k].nerr,
		    samples[k].nwarn, samples[k].want);
	}
	lt_free(&run);
	buf_free(&text);
}

START_TEST(test_samples)
{
	lt_each_sample("wsus_setup", samples, sizeof(samples[0]), NCASES(samples),
	    (size_t)((const char *)&samples[0].file - (const char *)&samples[0]),
	    -1, check_sample);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("log_msi");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_cases, 0, NCASES(cases));
	tcase_add_test(tc, test_runaway_continuation);
	tcase_add_loop_test(tc, test_sniff, 0, NCASES(sniffs));
	if (lt_have_samples("wsus_setup"))
		tcase_add_test(tc, test_samples);
	else
		fprintf(stderr, "KBGEN_SHARED unset or without samples: "
		    "sample checks skipped\n");
	suite_add_tcase(s, tc);
	return ck_run(s);
}
