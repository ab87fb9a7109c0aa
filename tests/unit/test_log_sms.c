/*
 * test_log_sms.c -- the legacy SMS trace parser (log_sms.c): suffixes,
 * "~" line breaks, STATMSG values, SMS 1.x/2.0 variants, the docs
 * rendering; then the real samples when KBGEN_SHARED is set.
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

extern const struct log_parser log_sms_parser;

/* A suffix at 02-16-2020 01:02:09.094 +480 (UTC-8), thread 6080. */
#define SFX(comp)	"  $$<" comp "><02-16-2020 01:02:09.094+480>"	\
			"<thread=6080 (0x17C0)>"
#define L1	"2020-02-16T01:02:09.094-08:00"
#define U1	"2020-02-16T09:02:09.094Z"
#define WCM	"SMS_WSUS_CONFIGURATION_MANAGER"
#define SYNC	"SMS_WSUS_SYNC_MANAGER"

/* The ten empty ISTRs of most status messages. */
#define ISTR_EMPTY	"ISTR1=\"\" ISTR2=\"\" ISTR3=\"\" ISTR4=\"\" "	\
			"ISTR5=\"\" ISTR6=\"\" ISTR7=\"\" ISTR8=\"\" ISTR9=\"\""

static const struct lt_case cases[] = {
	{ "basic", "Timed Out...~" SFX(WCM) "\r\n", NULL, 1, 0, "-480", {
		{ 1, 0, SEV_INFO, WCM, "6080", "Timed Out...", L1, U1, 0,
		    "" } } },
	{ "one-space-and-bom-artefact", "?Starting Sync $$<" SYNC
	    "><02-16-2020 01:02:09.094+480><thread=6080 (0x17C0)>\n"
	    "?not the first line" SFX(SYNC), NULL, 2, 0, NULL, {
		{ 1, 0, SEV_INFO, SYNC, "6080", "Starting Sync", L1, U1, 0,
		    NULL },
		{ 2, 0, SEV_INFO, SYNC, "6080", "?not the first line", L1, U1,
		    0, NULL } } },
	{ "tilde", "~Waiting for changes for 57 minutes" SFX(WCM) "\n"
	    "a~b~~c~" SFX(WCM) "\nC:\\PROGRA~1\\SMS~2\\x.log~" SFX(WCM),
	    NULL, 3, 0, NULL, {
		{ 1, 0, SEV_INFO, WCM, "6080",
		    "Waiting for changes for 57 minutes", L1, U1, 0, NULL },
		{ 2, 0, SEV_INFO, WCM, "6080", "a\nb\nc", L1, U1, 0, NULL },
		{ 3, 0, SEV_INFO, WCM, "6080", "C:\\PROGRA~1\\SMS~2\\x.log",
		    L1, U1, 0, NULL } } },
	{ "component-with-space", "Results returned : 0 of 1~  $$<SMS "
	    "Provider><07-04-2013 09:38:06.615-120><thread=1212 (0x4BC)>",
	    NULL, 1, 0, "120", {
		{ 1, 0, SEV_INFO, "SMS Provider", "1212",
		    "Results returned : 0 of 1",
		    "2013-07-04T09:38:06.615+02:00",
		    "2013-07-04T07:38:06.615Z", 0, NULL } } },
	{ "severity-words", "Sync failed: WSUS server not configured. Please "
	    "refer to WCM.log for configuration error details.. Source: "
	    "CWSyncMgr::DoSync" SFX(SYNC) "\nSystem.Net.WebException: The "
	    "request failed with HTTP status 503: Service Unavailable"
	    SFX(WCM) "\nWarning: proxy not set" SFX(WCM) "\nsync: WSUS "
	    "synchronizing updates, processed 122 out of 130 items (93%), ETA "
	    "in 00:00:03" SFX(SYNC) "\nFATAL thing" SFX(SYNC), NULL, 5, 0,
	    NULL, {
		{ 1, 0, SEV_ERROR, SYNC, "6080", "Sync failed: WSUS server "
		    "not configured...", L1, U1, 0, NULL },
		{ 2, 0, SEV_ERROR, WCM, "6080", "System.Net.WebException: "
		    "...", L1, U1, 0, NULL },
		{ 3, 0, SEV_WARNING, WCM, "6080", "Warning: proxy not set",
		    L1, U1, 0, NULL },
		{ 4, 0, SEV_INFO, SYNC, "6080", "sync: WSUS synchronizing "
		    "updates, processed 122 out of 130 items (93%), ETA in "
		    "00:00:03", L1, U1, 0, NULL },
		{ 5, 0, SEV_ERROR, SYNC, "6080", "FATAL thing", L1, U1, 0,
		    NULL } } },
	{ "statmsg-with-suffix", "STATMSG: ID=6703 SEV=E LEV=M SOURCE=\"SMS "
	    "Server\" COMP=\"SMS_WSUS_SYNC_MANAGER\" SYS=CM01.contoso.com "
	    "SITE=CS1 PID=432 TID=3404 GMTDATE=Thu Jan 16 18:53:52.608 2014 "
	    "ISTR0=\"The request failed with HTTP status 503: Service "
	    "Unavailable. Source: Microsoft.UpdateServices.Administration."
	    "AdminProxy.createUpdateServer\" " ISTR_EMPTY " NUMATTRS=0  $$<"
	    SYNC "><01-16-2014 10:53:52.608+480><thread=3404 (0xD4C)>", NULL,
	    1, 0, "-480", {
		{ 1, 0, SEV_ERROR, SYNC, "3404", "STATMSG: ID=6703 SEV=E ...",
		    "2014-01-16T10:53:52.608-08:00",
		    "2014-01-16T18:53:52.608Z", 0, "statmsg_id=6703;"
		    "statmsg_sev=E;comp=SMS_WSUS_SYNC_MANAGER;"
		    "sys=CM01.contoso.com;site=CS1;istr0=The request failed "
		    "with HTTP status 503: Service Unavailable. Source: "
		    "Microsoft.UpdateServices.Administration.AdminProxy."
		    "createUpdateServer" } } },
	{ "statmsg-bare-gmtdate", "STATMSG: ID=6707 SEV=W LEV=M SOURCE=\"SMS "
	    "Server\" COMP=\"SMS_WSUS_SYNC_MANAGER\" SYS=PS1 SITE=PS1 PID=1 "
	    "TID=2 GMTDATE=Thu Jan 16 18:53:52.608 2014 ISTR0=\"\" "
	    ISTR_EMPTY " NUMATTRS=0", NULL, 1, 0, "none", {
		{ 1, 0, SEV_WARNING, SYNC, NULL, "STATMSG: ID=6707 ...",
		    "2014-01-16T18:53:52.608Z", "2014-01-16T18:53:52.608Z",
		    1, "statmsg_id=6707;statmsg_sev=W;comp="
		    "SMS_WSUS_SYNC_MANAGER;sys=PS1;site=PS1" } } },
	{ "statmsg-quotes-inside", "STATMSG: ID=1 SEV=I COMP=\"X Y\" "
	    "ISTR0=\"He said \"hi\" there\" ISTR1=\"last\"", NULL, 1, 0, NULL, {
		{ 1, 0, SEV_INFO, "X Y", NULL, NULL, "", "", 0,
		    "statmsg_id=1;istr0=He said \"hi\" there;istr1=last" } } },
	{ "statmsg-unterminated", "STATMSG: ID=2 SEV=E ISTR0=\"cut", NULL, 1,
	    0, NULL, {
		{ 1, 0, SEV_ERROR, NULL, NULL, NULL, "", "", 0,
		    "statmsg_id=2;istr0=cut" } } },
	{ "docs-rendering", "Sync failed: WSUS server not configured.   "
	    SYNC "\nSTATMSG: ID=6702 SEV=I GMTDATE=Thu Jan 16 18:57:46.304 "
	    "2014 NUMATTRS=0        " SYNC, NULL, 2, 0, NULL, {
		{ 1, 0, SEV_ERROR, SYNC, NULL,
		    "Sync failed: WSUS server not configured.", "", "", 0,
		    "" },
		{ 2, 0, SEV_INFO, SYNC, NULL, "STATMSG: ID=6702 SEV=I GMTDATE="
		    "Thu Jan 16 18:57:46.304 2014 NUMATTRS=0",
		    "2014-01-16T18:57:46.304Z", "2014-01-16T18:57:46.304Z", 1,
		    "statmsg_id=6702;statmsg_sev=I" } } },
	{ "orphan-then-record", "a line without suffix\nnext" SFX(SYNC), NULL,
	    2, 0, NULL, {
		{ 1, 0, SEV_INFO, NULL, NULL, "a line without suffix", "", "",
		    0, "" },
		{ 2, 0, SEV_INFO, SYNC, "6080", "next", L1, U1, 0, NULL } } },
	{ "sms1x", "\t  ~Waiting for ready instruction file....\n"
	    "\t  $$<SMS_DESPOOLER><Wed May 21 17:09:02 1997~><thread=DB>\n",
	    NULL, 1, 0, "none", {
		{ 1, 2, SEV_INFO, "SMS_DESPOOLER", "DB",
		    "Waiting for ready instruction file....",
		    "1997-05-21T17:09:02.000", "", 0, NULL } } },
	{ "sms1x-hint", "x~\n$$<SMS_DESPOOLER><Wed May 21 17:09:02 1997~>"
	    "<thread=DB>", "-300", 1, 0, "none", {
		{ 1, 2, SEV_INFO, "SMS_DESPOOLER", "DB", "x",
		    "1997-05-21T17:09:02.000-05:00",
		    "1997-05-21T22:09:02.000Z", 0, NULL } } },
	{ "sms20-wrapped", "Starting bootstrap operations...  \n"
	    "  $$<SMS_SITE_COMPONENT_MANAGER>\n  <Fri Mar 26 10:43:41.547 1999 "
	    "Eastern Standard Time><thread=281 (0x119)>\nWARNING - Delete "
	    "zero length file x.sid, Win32 = 2\n$$<SMS_SOFTWARE_INVENTORY_"
	    "PROCESSOR>\n<Fri Sep 03 12:23:46.229 1999 Central Daylight Time>"
	    "\n<thread=250 (0xFA)>\n", NULL, 2, 0, NULL, {
		{ 1, 3, SEV_INFO, "SMS_SITE_COMPONENT_MANAGER", "281",
		    "Starting bootstrap operations...",
		    "1999-03-26T10:43:41.547", "", 0, NULL },
		{ 4, 7, SEV_WARNING, "SMS_SOFTWARE_INVENTORY_PROCESSOR",
		    "250", "WARNING - Delete zero length file x.sid, Win32 = "
		    "2", "1999-09-03T12:23:46.229", "", 0, NULL } } },
	{ "suffix-never-completed", "msg $$<COMP>\nnext line\n", NULL, 2, 0,
	    NULL, {
		{ 1, 0, SEV_INFO, "COMP", NULL, "msg", "", "", 0, NULL },
		{ 2, 0, SEV_INFO, NULL, NULL, "next line", "", "", 0,
		    NULL } } },
	{ "no-bias", "x $$<C><02-16-2020 01:02:09.094><thread=1 (0x1)>", NULL,
	    1, 0, "none", {
		{ 1, 0, SEV_INFO, "C", "1", "x", "2020-02-16T01:02:09.094",
		    "", 0, NULL } } },
	{ "empty-suffix", "x $$<", NULL, 1, 0, NULL, {
		{ 1, 0, SEV_INFO, NULL, NULL, "x", "", "", 0, NULL } } },
	{ "last-suffix-wins", "a $$<b> c" SFX("COMP"), NULL, 1, 0, NULL, {
		{ 1, 0, SEV_INFO, "COMP", "6080", "a $$<b> c", L1, U1, 0,
		    NULL } } },
	{ "bad-date", "x $$<C><02-30-2020 01:02:09.094+480><thread=1 (0x1)>",
	    NULL, 1, 0, "none", {
		{ 1, 0, SEV_INFO, "C", "1", "x", "", "", 0, NULL } } },
	{ "date-changes", "a" SFX("C") "\nb $$<C><02-17-2020 23:59:59.999+480>"
	    "<thread=1 (0x1)>\nc" SFX("C") "\nd $$<C><2-17-2020 1:02:03.4-60>"
	    "<thread=1 (0x1)>", NULL, 4, 0, "-480", {
		{ 1, 0, SEV_INFO, "C", "6080", "a", L1, U1, 0, NULL },
		{ 2, 0, SEV_INFO, "C", "1", "b",
		    "2020-02-17T23:59:59.999-08:00",
		    "2020-02-18T07:59:59.999Z", 0, NULL },
		{ 3, 0, SEV_INFO, "C", "6080", "c", L1, U1, 0, NULL },
		{ 4, 0, SEV_INFO, "C", "1", "d",
		    "2020-02-17T01:02:03.400+01:00",
		    "2020-02-17T00:02:03.400Z", 0, NULL } } },
	{ "blank-lines", "\n\n  \n", NULL, 0, 0, NULL, { { 0 } } },
	{ "empty", "", NULL, 0, 0, "none", { { 0 } } },
};

START_TEST(test_case)
{
	lt_case_run(&log_sms_parser, &cases[_i]);
}
END_TEST

/* Real files, pinned after reading them (bias +480 is UTC-8). */
static const struct lt_sample samples[] = {
	{ "sms_legacy/kb_sms1x_sms20_variants.txt", 10, 0, "none",
	    { 0, 1, 6, 9 }, {
		{ 1, 0, SEV_INFO, NULL, NULL, "# SMS 1.x (KB text...", "",
		    "", 0, NULL },
		{ 2, 3, SEV_INFO, "SMS_DESPOOLER", "DB",
		    "Waiting for ready instruction file....",
		    "1997-05-21T17:09:02.000", "", 0, NULL },
		{ 10, 12, SEV_INFO, "SMS_SITE_COMPONENT_MANAGER", "281",
		    "Starting bootstrap operations...",
		    "1999-03-26T10:43:41.547", "", 0, NULL },
		{ 16, 19, SEV_ERROR, "SMS_SOFTWARE_INVENTORY_PROCESSOR",
		    "250", "WARNING - Delete zero length file V4TY4GF3.sid "
		    "failed, Win32 = 2", "1999-09-03T12:23:46.229", "", 0,
		    NULL } } },
	{ "sms_legacy/pastebin_DvDMYrYq_WSUSCtrl_excerpt.log", 9, 0, "-480",
	    { 0, 5 }, {
		{ 1, 0, SEV_INFO, "SMS_WSUS_CONTROL_MANAGER", "6104",
		    "Attempting connection to local WSUS server",
		    "2020-02-15T14:26:10.062-08:00",
		    "2020-02-15T22:26:10.062Z", 0, "" },
		{ 6, 0, SEV_INFO, "SMS_WSUS_CONTROL_MANAGER", "6104",
		    "Timed Out...", "2020-02-15T15:23:10.092-08:00",
		    "2020-02-15T23:23:10.092Z", 0, "" } } },
	{ "sms_legacy/pastebin_iQRZ3Dtw_wsyncmgr_excerpt.log", 7, 0, "-480",
	    { 0, 1, 5 }, {
		{ 1, 0, SEV_ERROR, SYNC, "5976", "Failed to delete orphaned "
		    "content folder \\\\ussjcfp02\\software\\Utilities\\test\\"
		    "SCCMProject\\WindowsUpdates\\KB4103718\\ee739d60-0693-"
		    "40d3-ac6d-51302d870985, error 0x5",
		    "2020-02-08T01:13:12.634-08:00",
		    "2020-02-08T09:13:12.634Z", 0, NULL },
		{ 2, 0, SEV_ERROR, SYNC, "5976", "Deleting file \\\\?\\UNC\\"
		    "...", "2020-02-08T01:13:12.648-08:00",
		    "2020-02-08T09:13:12.648Z", 0, NULL },
		{ 6, 0, SEV_INFO, SYNC, "5976", "Starting Sync",
		    "2020-02-08T02:13:11.659-08:00",
		    "2020-02-08T10:13:11.659Z", 0, NULL } } },
	{ "sms_legacy/pastebin_we6ycgMC_WSUSCtrl_excerpt.log", 9, 0, "-480",
	    { 0, 8 }, {
		{ 1, 0, SEV_INFO, "SMS_WSUS_CONTROL_MANAGER", "4896",
		    "Checking runtime v4.0.30319...",
		    "2019-12-30T03:05:12.726-08:00",
		    "2019-12-30T11:05:12.726Z", 0, NULL },
		{ 9, 0, SEV_INFO, "SMS_WSUS_CONTROL_MANAGER", "4896",
		    "Successfully connected to local WSUS server",
		    "2019-12-30T03:05:12.851-08:00",
		    "2019-12-30T11:05:12.851Z", 0, NULL } } },
	{ "sms_legacy/vbscript_comment_statussummarizer_line.log", 1, 0,
	    "-300", { 0 }, {
		{ 1, 0, SEV_INFO, "SMS_SITE_SYSTEM_STATUS_SUMMARIZER", "4840",
		    "---->: An event has occurred, the event code is: 0x1",
		    "2016-12-06T03:11:46.039-05:00",
		    "2016-12-06T08:11:46.039Z", 0, NULL } } },
	{ "sms_legacy/verboon_blog_smsprov_2013_unescaped.log", 3, 0, "120",
	    { 0, 2 }, {
		{ 1, 0, SEV_INFO, "SMS Provider", "1212", "Execute WQL "
		    "=select CI_ID from SMS_SoftwareUpdate where CI_UniqueID="
		    "'011f4bc8-e312-48df-8656-073be2ab9ee0'",
		    "2013-07-04T09:38:06.559+02:00",
		    "2013-07-04T07:38:06.559Z", 0, NULL },
		{ 3, 0, SEV_INFO, "SMS Provider", "1212",
		    "Results returned : 0 of 1",
		    "2013-07-04T09:38:06.615+02:00",
		    "2013-07-04T07:38:06.615Z", 0, NULL } } },
	{ "statmsg/msdocs_track_sync_statmsg_lines.txt", 7, 0, "none",
	    { 0, 4, 5, 6 }, {
		{ 1, 0, SEV_INFO, SYNC, NULL, "STATMSG: ID=6701 SEV=I LEV=M "
		    "SOURCE=\"SMS Server\" COMP=\"SMS_WSUS_SYNC_MANAGER\" "
		    "SYS=<SERVERFQDN> SITE=CS1 PID=432 TID=3404 GMTDATE=Thu "
		    "Jan 16 18:53:52.608 2014 ISTR0=\"\" " ISTR_EMPTY
		    " NUMATTRS=0", "2014-01-16T18:53:52.608Z",
		    "2014-01-16T18:53:52.608Z", 1, "statmsg_id=6701;"
		    "statmsg_sev=I;comp=SMS_WSUS_SYNC_MANAGER;"
		    "sys=<SERVERFQDN>;site=CS1" },
		{ 5, 0, SEV_INFO, SYNC, NULL, "STATMSG: ID=6706 ...",
		    "2014-01-16T19:17:13.575Z", "2014-01-16T19:17:13.575Z", 1,
		    "statmsg_id=6706;sys=PS1SITE.CONTOSO.COM;site=PS1" },
		{ 6, 0, SEV_ERROR, NULL, NULL, "Sync failed: WSUS server not "
		    "configured. Please refer to WCM.log for configuration "
		    "error details. Source: CWSyncMgr::DoSync", "", "", 0,
		    "" },
		{ 7, 0, SEV_ERROR, NULL, NULL,
		    "Sync failed. Will retry in 60 minutes", "", "", 0,
		    "" } } },
};

START_TEST(test_sample)
{
	lt_sample_run(&log_sms_parser, &samples[_i]);
}
END_TEST

/* Every file of the sample folders parses. */
START_TEST(test_dir)
{
	lt_dir_run(&log_sms_parser, "sms_legacy");
	lt_dir_run(&log_sms_parser, "statmsg");
}
END_TEST

/* The severity words at every position of messages up to 40 bytes. */
START_TEST(test_sev_positions)
{
	static const struct {
		const char	*word;
		int		 sev;
	} words[] = { { "Failed", SEV_ERROR }, { "error", SEV_ERROR },
	    { "WebException", SEV_ERROR }, { "Warning", SEV_WARNING },
	    { "fax", SEV_INFO } };
	struct lt_run run;
	struct buf b = {0};
	size_t w, len, pos, i = 0;
	char msg[64];

	for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
		for (len = strlen(words[w].word); len <= 40; len++)
			for (pos = 0; pos + strlen(words[w].word) <= len;
			    pos++) {
				memset(msg, 'q', len);
				memcpy(msg + pos, words[w].word,
				    strlen(words[w].word));
				buf_printf(&b, "%.*s" SFX("C") "\n", (int)len,
				    msg);
			}
	lt_init(&run, TZ_UNKNOWN);
	lt_feed(&log_sms_parser, &run, b.data, b.len);
	for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
		for (len = strlen(words[w].word); len <= 40; len++)
			for (pos = 0; pos + strlen(words[w].word) <= len;
			    pos++, i++) {
				ck_assert_uint_lt(i, run.n);
				ck_assert_msg(run.r[i].sev == words[w].sev,
				    "'%s' len %zu pos %zu: sev %d",
				    words[w].word, len, pos, run.r[i].sev);
			}
	ck_assert_uint_eq(i, run.n);
	lt_free(&run);
	buf_free(&b);
}
END_TEST

/* The sniffer: content decides, the name only breaks ties. */
START_TEST(test_sniff)
{
	const struct log_parser *p = &log_sms_parser;
	static const char raw[] = "Timed Out...~" SFX(WCM) "\n";
	static const char old[] = "x\n$$<SMS_DESPOOLER><Wed May 21 17:09:02 "
	    "1997~><thread=DB>\n";
	static const char wrapped[] = "x\n  $$<SMS_SITE_COMPONENT_MANAGER>\n";
	static const char stat[] = "STATMSG: ID=6701 SEV=I\n";

	ck_assert_int_eq(p->sniff("a.txt", raw, strlen(raw)), 90);
	ck_assert_int_eq(p->sniff("wsyncmgr.log", raw, strlen(raw)), 93);
	ck_assert_int_eq(p->sniff("WCM.log", raw, strlen(raw)), 93);
	ck_assert_int_eq(p->sniff("a.txt", old, strlen(old)), 75);
	ck_assert_int_eq(p->sniff("a.txt", wrapped, strlen(wrapped)), 60);
	ck_assert_int_eq(p->sniff("a.txt", stat, strlen(stat)), 85);
	ck_assert_int_eq(p->sniff("wsyncmgr.log", "hello\n", 6), 0);
	ck_assert_int_eq(p->sniff("x", "", 0), 0);
	ck_assert_int_eq(p->format, LOG_SMS);
	ck_assert_str_eq(p->name, "sms");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("log_sms");
	TCase *tc = tcase_create("cases");

	tcase_add_loop_test(tc, test_case, 0, sizeof(cases) /
	    sizeof(cases[0]));
	tcase_add_loop_test(tc, test_sample, 0, sizeof(samples) /
	    sizeof(samples[0]));
	tcase_add_test(tc, test_dir);
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
