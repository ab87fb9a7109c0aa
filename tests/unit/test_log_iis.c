/*
 * test_log_iis.c -- log_iis.c: IIS W3C logs (directives in any order,
 * #Fields re-mapping mid-file, '+' and '-', doubled spaces, IPv6 zones,
 * dateless files, headerless pastes, severities) and HTTPERR (restarts
 * that change the field set, s-reason severities).  Table-driven inline
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

extern const struct log_parser log_iis_parser, log_httperr_parser;

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define IIS		(&log_iis_parser)
#define ERR		(&log_httperr_parser)

#define HDR10 "#Software: Microsoft Internet Information Services 10.0\n" \
	"#Version: 1.0\n#Date: 2024-05-01 00:00:00\n" \
	"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port " \
	"cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus " \
	"sc-win32-status time-taken\n"

struct icase {
	const char	*name;
	const struct log_parser *p;
	const char	*in;
	size_t		 nrec;
	int		 ndiag;
	struct lt_want	 want[5];
};

static const struct icase cases[] = {
	{ "iis WSUS 503 with every kv", IIS, HDR10
	    "2024-05-01 10:00:00 10.0.0.5 POST /ClientWebService/client.asmx - "
	    "8530 - 10.0.0.77 Windows-Update-Agent/10.0.10011.16384+Client-"
	    "Protocol/2.50 - 503 0 0 15\n", 1, 0, {
		{ 5, 0, SEV_ERROR, "2024-05-01T10:00:00.000",
		    "2024-05-01T10:00:00.000Z", "", NULL,
		    "POST /ClientWebService/client.asmx 503 0 0",
		    { "method=POST", "uri=/ClientWebService/client.asmx",
		    "!query", "status=503", "substatus=0", "win32_status=0",
		    "client_ip=10.0.0.77", "server_port=8530",
		    "user_agent=Windows-Update-Agent/10.0.10011.16384 Client-"
		    "Protocol/2.50", "time_taken=15" } } } },
	{ "iis status classes; 401 is the handshake", IIS, HDR10
	    "2024-05-01 10:00:01 ::1 GET /a q=1+2 80 - ::1 - - 401 2 5 0\n"
	    "2024-05-01 10:00:02 ::1 GET /a q=1+2 80 - ::1 - - 200 0 0 3\n"
	    "2024-05-01 10:00:03 ::1 GET /b - 80 - ::1 - - 404 0 2 1\n"
	    "2024-05-01 10:00:04 ::1 GET /c - 80 - ::1 - - 302 0 0 1\n"
	    "2024-05-01 10:00:05 ::1 GET /selfupdate/iuident.cab - 8530 - ::1 "
	    "- - 500 24 50 3715\n", 5, 0, {
		{ 5, 0, SEV_INFO, NULL, NULL, NULL, NULL, "GET /a 401 2 5",
		    { "query=q=1+2", "substatus=2" } },
		{ 6, 0, SEV_INFO, NULL, NULL, NULL, NULL, NULL, { NULL } },
		{ 7, 0, SEV_WARNING, NULL, NULL, NULL, NULL, NULL, { NULL } },
		{ 8, 0, SEV_INFO, NULL, NULL, NULL, NULL, NULL, { NULL } },
		{ 9, 0, SEV_ERROR, "2024-05-01T10:00:05.000", NULL, NULL, NULL,
		    "GET /selfupdate/iuident.cab 500 24 50",
		    { "win32_status=50", "time_taken=3715" } } } },
	{ "iis directives in any order, no date field, midnight", IIS,
	    "#Fields: time s-sitename cs-method cs-uri-stem sc-status\n"
	    "#Version: 1.0\n"
	    "#Date: 2013-07-30 23:59:00\n"
	    "#Software: Microsoft Internet Information Services 6.0\n"
	    "23:59:58 W3SVC1 GET /a 200\n"
	    "23:59:57 W3SVC1 GET /b 200\n"
	    "00:00:01 W3SVC1 GET /c 200\n"
	    "#Date: 2013-08-02 00:00:00\n"
	    "00:00:02 W3SVC1 GET /d 200\n", 4, 0, {
		{ 5, 0, SEV_INFO, "2013-07-30T23:59:58.000",
		    "2013-07-30T23:59:58.000Z", "W3SVC1", NULL, "GET /a 200",
		    { "!substatus" } },
		{ 6, 0, SEV_INFO, "2013-07-30T23:59:57.000", NULL, NULL, NULL,
		    NULL, { NULL } },
		{ 7, 0, SEV_INFO, "2013-07-31T00:00:01.000",
		    "2013-07-31T00:00:01.000Z", NULL, NULL, NULL, { NULL } },
		{ 9, 0, SEV_INFO, "2013-08-02T00:00:02.000", NULL, NULL, NULL,
		    NULL, { NULL } } } },
	{ "iis new header block re-maps columns", IIS,
	    "#Fields: date time cs-method cs-uri-stem sc-status\n"
	    "2024-05-01 09:00:00 GET /old 200\n"
	    "#Software: Microsoft Internet Information Services 10.0\n"
	    "#Fields: date time c-ip cs-method cs-uri-stem s-port sc-status "
	    "sc-substatus\n"
	    "2024-05-01 09:00:01 10.1.1.1 POST /new 8531 503 2\n", 2, 0, {
		{ 2, 0, SEV_INFO, NULL, NULL, NULL, NULL, "GET /old 200",
		    { "!client_ip" } },
		{ 5, 0, SEV_ERROR, "2024-05-01T09:00:01.000", NULL, NULL, NULL,
		    "POST /new 503 2", { "client_ip=10.1.1.1",
		    "server_port=8531", "substatus=2" } } } },
	{ "iis doubled spaces, IPv6 zone, fractional time, CRLF", IIS,
	    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port "
	    "cs-username c-ip cs(User-Agent) sc-status sc-substatus "
	    "sc-win32-status time-taken\r\n"
	    "2022-01-01 00:01:24.5 ::1 POST /powershell a=b 444  random\\user1 "
	    "fe80::1ff:fe23:4567:890a%3 Microsoft+WinRM+Client 200 0 0 15\r\n",
	    1, 0, {
		{ 2, 0, SEV_INFO, "2022-01-01T00:01:24.500", NULL, NULL, NULL,
		    "POST /powershell 200 0 0", {
		    "client_ip=fe80::1ff:fe23:4567:890a%3",
		    "user_agent=Microsoft WinRM Client", "query=a=b",
		    "server_port=444", "time_taken=15" } } } },
	{ "iis stray spaces in the user agent", IIS,
	    "#Fields: date time c-ip cs-method cs-uri-stem cs(User-Agent) "
	    "sc-status sc-substatus sc-win32-status\n"
	    "2024-05-01 09:00:00 1.2.3.4 GET /x Bad Agent 1.0 403 4 5\n", 1, 1, {
		{ 2, 0, SEV_WARNING, NULL, NULL, NULL, NULL, "GET /x 403 4 5",
		    { "user_agent=Bad Agent 1.0", "status=403",
		    "win32_status=5" } } } },
	{ "iis truncated line keeps what it has", IIS,
	    "#Fields: date time c-ip cs-method cs-uri-stem sc-status\n"
	    "2024-05-01 09:00:00 1.2.3.4 GET\n", 1, 1, {
		{ 2, 0, SEV_INFO, "2024-05-01T09:00:00.000", NULL, NULL, NULL,
		    "GET", { "method=GET", "!uri", "!status" } } } },
	/* Not W3C data: kept as text without a time, one diagnostic. */
	{ "iis garbage lines are kept as text with one diagnostic", IIS,
	    "#Fields: date time cs-method cs-uri-stem sc-status\n"
	    "\n"
	    "this is not a log line\n"
	    "2024-05-01 xx:00:00 GET /a 200\n"
	    "2024-05-01 09:00:00 GET /a 200\n", 3, 1, {
		{ 3, 0, SEV_INFO, "", "", NULL, NULL,
		    "this is not a log line", { NULL } },
		{ 4, 0, SEV_INFO, "", "", NULL, NULL,
		    "2024-05-01 xx:00:00 GET /a 200", { NULL } },
		{ 5, 0, SEV_INFO, NULL, NULL, NULL, NULL, NULL, { NULL } } } },
	{ "iis headerless paste (date redacted)", IIS,
	    "<DateTime> fe80::e3a4:2b81:92b4:c6e7%11 GET /selfupdate/"
	    "iuident.cab - 8530 - fe80::e3a4:2b81:92b4:c6e7%11 - 500 24 50 "
	    "3715\n"
	    "2024-05-01 10:00:00 10.0.0.5 POST /ApiRemoting30/WebService.asmx "
	    "- 8530 - 10.0.0.9 Mozilla/4.0+(compatible) 401 1 2148074254\n",
	    2, 0, {
		{ 1, 0, SEV_ERROR, "", "", NULL, NULL,
		    "GET /selfupdate/iuident.cab 500 24 50", {
		    "client_ip=fe80::e3a4:2b81:92b4:c6e7%11",
		    "server_port=8530", "substatus=24", "time_taken=3715",
		    "!user_agent", "!query" } },
		{ 2, 0, SEV_INFO, "2024-05-01T10:00:00.000",
		    "2024-05-01T10:00:00.000Z", NULL, NULL, NULL, {
		    "user_agent=Mozilla/4.0 (compatible)", "status=401",
		    "win32_status=2148074254", "!time_taken" } } } },
	{ "iis line without request fields is its own message", IIS,
	    "#Fields: date time s-ip\n"
	    "2024-05-01 10:00:00 1.2.3.4\n", 1, 0, {
		{ 2, 0, SEV_INFO, "2024-05-01T10:00:00.000", NULL, "", NULL,
		    "2024-05-01 10:00:00 1.2.3.4", { NULL } } } },
	{ "iis local-time fields of Advanced Logging", IIS,
	    "#Fields: date-local time-local cs-method cs-uri-stem sc-status\n"
	    "2024-05-01 09:00:00 GET /a 200\n", 1, 0, {
		{ 2, 0, SEV_INFO, "2024-05-01T09:00:00.000", "", NULL, NULL,
		    NULL, { NULL } } } },
	{ "httperr classic and idle", ERR,
	    "#Software: Microsoft HTTP API 2.0\n#Version: 1.0\n"
	    "#Date: 2025-03-14 08:00:01\n"
	    "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method "
	    "cs-uri sc-status s-siteid s-reason s-queuename\n"
	    "2025-03-14 08:00:01 192.0.2.10 50123 192.0.2.1 8530 HTTP/1.1 POST "
	    "/ClientWebService/client.asmx 503 1 AppOffline WsusPool\n"
	    "2025-03-14 08:02:15 192.0.2.11 50124 192.0.2.1 80 - - - - - "
	    "Timer_ConnectionIdle -\n", 2, 0, {
		{ 5, 0, SEV_ERROR, "2025-03-14T08:00:01.000",
		    "2025-03-14T08:00:01.000Z", "", NULL,
		    "AppOffline 503 POST /ClientWebService/client.asmx WsusPool",
		    { "reason=AppOffline", "queue=WsusPool", "status=503",
		    "uri=/ClientWebService/client.asmx",
		    "client_ip=192.0.2.10", "method=POST",
		    "server_port=8530" } },
		{ 6, 0, SEV_INFO, NULL, NULL, NULL, NULL,
		    "Timer_ConnectionIdle", { "reason=Timer_ConnectionIdle",
		    "!queue", "!status", "!uri", "!method" } } } },
	{ "httperr restart changes the fields", ERR,
	    "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method "
	    "cs-uri sc-status s-siteid s-reason s-queuename\n"
	    "2025-03-14 08:03:40 192.0.2.12 50125 192.0.2.1 443 HTTP/1.1 GET "
	    "/x 400 1 BadRequest -\n"
	    "#Software: Microsoft HTTP API 2.0\n"
	    "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method "
	    "cs-uri streamid streamid_ex sc-status s-siteid s-reason "
	    "s-queuename transport fault-code extended-fault-code\n"
	    "2025-03-14 09:15:07 2001:db8::5%12 50201 192.0.2.1 443 HTTP/3 GET "
	    "/status 5 - 503 2 QueueFull WsusPool QUIC 0x80070008 0x1\n"
	    "2025-03-14 09:15:08 192.0.2.13 50202 192.0.2.1 443 HTTP/1.1 GET "
	    "/y - - - 2 Connection_Abandoned_By_AppPool WsusPool TCP - -\n",
	    3, 0, {
		{ 2, 0, SEV_WARNING, NULL, NULL, NULL, NULL, NULL,
		    { "reason=BadRequest", "status=400", "!queue" } },
		{ 5, 0, SEV_ERROR, "2025-03-14T09:15:07.000", NULL, NULL, NULL,
		    "QueueFull 503 GET /status WsusPool",
		    { "client_ip=2001:db8::5%12", "queue=WsusPool" } },
		{ 6, 0, SEV_ERROR, NULL, NULL, NULL, NULL, NULL,
		    { "reason=Connection_Abandoned_By_AppPool", "!status" } } } },
	{ "httperr headerless by value count", ERR,
	    "2011-02-25 11:18:33 119.188.13.68 4010 61.172.251.22 4387 "
	    "HTTP/1.1 GET /a?b=1 503 447434323 AppOffline DefaultAppPool\n"
	    "2011-02-25 11:18:34 1.1.1.1 1 2.2.2.2 80 HTTP/2.0 GET /s 7 400 1 "
	    "Hostname -\n"
	    "oops\n", 3, 1, {
		{ 1, 0, SEV_ERROR, "2011-02-25T11:18:33.000",
		    "2011-02-25T11:18:33.000Z", NULL, NULL, NULL, {
		    "uri=/a?b=1", "queue=DefaultAppPool", "status=503" } },
		{ 2, 0, SEV_WARNING, NULL, NULL, NULL, NULL, NULL,
		    { "reason=Hostname", "status=400", "uri=/s" } },
		{ 3, 0, SEV_INFO, "", "", NULL, NULL, "oops", { NULL } } } },
};

START_TEST(test_cases)
{
	const struct icase *c = &cases[_i];
	struct lt_run run;
	size_t i;

	lt_run_str(c->p, c->in, TZ_UNKNOWN, &run);
	ck_assert_msg(run.n == c->nrec, "%s: %zu records, want %zu", c->name,
	    run.n, c->nrec);
	for (i = 0; i < run.n; i++)
		lt_check(c->name, &run.r[i], &c->want[i]);
	ck_assert_msg(run.ndiag == c->ndiag, "%s: %d diagnostics (%s)",
	    c->name, run.ndiag, run.diag_msg);
	lt_free(&run);
}
END_TEST

/* A long file: the buffers grow once and stay; times keep rolling. */
START_TEST(test_many_lines)
{
	struct buf in = { 0 };
	struct lt_run run;
	int i;

	buf_puts(&in, HDR10);
	for (i = 0; i < 5000; i++)
		buf_printf(&in, "2024-05-%02d %02d:%02d:%02d 10.0.0.5 GET "
		    "/Content/%d.cab - 8530 - 10.0.0.%d WU+Agent - %d 0 0 %d\n",
		    1 + i / 1000, i / 60 % 24, i % 60, i % 60, i, i % 250,
		    i % 7 ? 200 : 503, i);
	lt_run(IIS, in.data, in.len, TZ_UNKNOWN, &run);
	ck_assert_uint_eq(run.n, 5000);
	ck_assert_str_eq(run.r[4999].msg, "GET /Content/4999.cab 200 0 0");
	ck_assert_int_eq(run.r[4999].local_ms, make_ms(2024, 5, 5, 11, 19, 19,
	    0));
	ck_assert_int_eq(run.r[4998].sev, SEV_ERROR);
	lt_free(&run);
	buf_free(&in);
}
END_TEST

/* ------------------------------------------------------------------ */
/* sniffing */

static const struct {
	const char	*name;
	const char	*head;
	int		 iis_min, iis_max;
	int		 err_min, err_max;
} sniffs[] = {
	{ "u_ex240501.log", HDR10, 95, 100, 0, 0 },
	{ "x.log", "#Software: Microsoft Internet Information Services 7.5\n"
	    "#Version: 1.0\n", 90, 95, 0, 0 },
	{ "paste.txt", "<DateTime> ::1 GET /a - 8530 - ::1 - 500 24 50 3715\n"
	    "<DateTime> ::1 POST /b - 8530 - ::1 - 503 0 0 1\n", 70, 75, 0, 0 },
	{ "httperr1.log", "#Software: Microsoft HTTP API 2.0\n#Version: 1.0\n"
	    "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method "
	    "cs-uri sc-status s-siteid s-reason s-queuename\n", 0, 10, 98, 100 },
	{ "x.log", "#Fields: date time c-ip c-port s-ip s-port cs-version "
	    "cs-method cs-uri sc-status s-siteid s-reason s-queuename\n", 0, 10,
	    95, 97 },
	{ "x.log", "2011-02-25 11:18:33 1.1.1.1 4010 2.2.2.2 4387 HTTP/1.1 GET "
	    "/a 503 1 AppOffline DefaultAppPool\n", 0, 0, 75, 77 },
	{ "pfirewall.log", "#Version: 1.5\n#Software: Microsoft Windows "
	    "Firewall\n#Fields: date time action protocol src-ip dst-ip\n"
	    "2024-05-01 10:00:00 DROP TCP 1.1.1.1 2.2.2.2\n", 0, 0, 0, 0 },
	{ "WindowsUpdate.log", "2013-01-27\t10:55:33:204\t1160\t3ca0\tAU\tx\n",
	    0, 0, 0, 0 },
	{ "empty", "", 0, 0, 0, 0 },
};

START_TEST(test_sniff)
{
	int i, e;

	i = IIS->sniff(sniffs[_i].name, sniffs[_i].head,
	    strlen(sniffs[_i].head));
	e = ERR->sniff(sniffs[_i].name, sniffs[_i].head,
	    strlen(sniffs[_i].head));
	ck_assert_msg(i >= sniffs[_i].iis_min && i <= sniffs[_i].iis_max,
	    "%d: iis %d", _i, i);
	ck_assert_msg(e >= sniffs[_i].err_min && e <= sniffs[_i].err_max,
	    "%d: httperr %d", _i, e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* shared samples (values read off the files by hand) */

static const struct {
	const char	*dir, *file;
	const struct log_parser *p;
	size_t		 nrec, nerr, nwarn;
	struct lt_want	 want[3];
} samples[] = {
	{ "iis_w3c", "logjoint_iis75_webdav.log", IIS, 3, 0, 2, {
		{ 5, 0, SEV_INFO, "2013-02-07T08:35:37.000",
		    "2013-02-07T08:35:37.000Z", NULL, NULL,
		    "OPTIONS /System32/TPHDEXLG64.exe 200 0 0", {
		    "client_ip=fe80::5d3d:c591:3026:46ee%14", "server_port=80",
		    "user_agent=Microsoft-WebDAV-MiniRedir/6.1.7601",
		    "time_taken=340" } },
		{ 7, 0, SEV_WARNING, NULL, NULL, NULL, NULL,
		    "PROPFIND /System32 404 0 2", { "time_taken=1" } } } },
	{ "iis_w3c", "msdocs_wsus_500_24_excerpt.log", IIS, 9, 9, 0, {
		{ 1, 0, SEV_ERROR, "", "", NULL, NULL,
		    "GET /selfupdate/iuident.cab 500 24 50",
		    { "server_port=8530", "substatus=24", "time_taken=3715" } },
		{ 2, 0, SEV_ERROR, "", "", NULL, NULL, NULL, {
		    "user_agent=Mozilla/4.0 (compatible; MSIE 6.0; MS Web "
		    "Services Client Protocol 2.0.50727.4927)",
		    "uri=/reportingwebservice/reportingwebservice.asmx" } },
		{ 6, 0, SEV_ERROR, NULL, NULL, NULL, NULL, NULL,
		    { "user_agent=Windows-Update-Agent", "time_taken=12078",
		    "method=POST" } } } },
	{ "iis_w3c", "plaso_iis10.log", IIS, 1, 0, 0, {
		{ 5, 0, SEV_INFO, "2021-04-01T00:00:21.000",
		    "2021-04-01T00:00:21.000Z", NULL, NULL,
		    "GET /foo/bar/baz.asp 200 0 0", { "time_taken=65",
		    "client_ip=222.222.222.222", "!query" } } } },
	{ "iis_w3c", "plaso_iis6.log", IIS, 12, 1, 3, {
		{ 5, 0, SEV_INFO, "2013-07-30T00:00:00.000",
		    "2013-07-30T00:00:00.000Z", "SOME1234NAME", NULL,
		    "GET /some/image/path/something.jpg 200 0 0",
		    { "!time_taken" } },
		{ 9, 0, SEV_INFO, NULL, NULL, NULL, NULL, NULL,
		    { "query=whichServer=WEBSOS2", "user_agent=CFSCHEDULE" } },
		{ 16, 0, SEV_ERROR, "2015-10-16T13:01:02.000", NULL, NULL,
		    NULL, NULL, { "query=ID=ERROR[`cat%20passwd|echo`]",
		    "server_port=443" } } } },
	{ "iis_w3c", "plaso_iis7_owa.log", IIS, 3, 0, 0, {
		{ 3, 0, SEV_INFO, "2015-12-31T00:19:48.000",
		    "2015-12-31T00:19:48.000Z", NULL, NULL, "GET /owa/ 200 0 0",
		    { "client_ip=77.123.22.98", "time_taken=31" } },
		{ 5, 0, SEV_INFO, "2015-01-01T22:16:03.000", NULL, NULL, NULL,
		    NULL, { "user_agent=Apple-iPhone5C2/1104.257" } } } },
	{ "iis_w3c", "plaso_iis_without_date.log", IIS, 11, 0, 3, {
		{ 5, 0, SEV_INFO, "2013-07-30T00:00:00.000",
		    "2013-07-30T00:00:00.000Z", "SOME1234NAME", NULL, NULL,
		    { NULL } },
		{ 14, 0, SEV_INFO, "2013-07-30T00:00:12.000", NULL, NULL, NULL,
		    "GET / 302 0 0", { "!query" } },
		{ 15, 0, SEV_INFO, "2013-07-30T00:00:13.000",
		    "2013-07-30T00:00:13.000Z", NULL, NULL,
		    "POST /some/image/path/something.jpg 302 0 0",
		    { "query=requesttimeout=500" } } } },
	{ "httperr", "ocollector_perl_comment_appoffline_lines.log", ERR, 4,
	    3, 0, {
		{ 1, 0, SEV_ERROR, "2011-02-25T11:18:33.000",
		    "2011-02-25T11:18:33.000Z", NULL, NULL, NULL, {
		    "uri=/Protect/SessionSvrDispatch.asp?type=89&area=9&"
		    "server=4", "queue=DefaultAppPool", "status=503",
		    "client_ip=119.188.13.68", "reason=AppOffline" } },
		{ 4, 0, SEV_INFO, "2011-02-25T12:46:36.000", NULL, NULL, NULL,
		    "Timer_ConnectionIdle", { "!queue" } } } },
	{ "httperr", "plaso_httperr.log", ERR, 5, 0, 5, {
		{ 5, 0, SEV_WARNING, "2026-10-07T12:24:54.000",
		    "2026-10-07T12:24:54.000Z", NULL, NULL, NULL, {
		    "reason=Hostname", "uri=/test'XOR(1)*!", "status=400" } },
		{ 6, 0, SEV_WARNING, NULL, NULL, NULL, NULL, NULL,
		    { "reason=Version_N/S", "status=505" } },
		{ 9, 0, SEV_WARNING, "2026-10-07T12:24:56.000", NULL, NULL,
		    NULL, NULL, { "reason=Header", "uri=/c" } } } },
	{ "httperr", "plaso_httperr_restart.log", ERR, 6, 2, 3, {
		{ 5, 0, SEV_ERROR, "2025-03-14T08:00:01.000",
		    "2025-03-14T08:00:01.000Z", NULL, NULL,
		    "AppOffline 503 GET /default.aspx DefaultAppPool",
		    { "queue=DefaultAppPool" } },
		{ 13, 0, SEV_WARNING, "2025-03-14T09:15:02.000", NULL, NULL,
		    NULL, NULL, { "reason=Request_Too_Large", "status=413",
		    "client_ip=2001:db8::5%12", "queue=MyAppPool" } },
		{ 14, 0, SEV_ERROR, NULL, NULL, NULL, NULL, NULL,
		    { "reason=QueueFull", "status=503", "uri=/status" } } } },
};

/* Parses a sample file and checks its pins (k < 0: none known). */
static void
check_sample(const char *dir, const char *file, int k)
{
	struct buf text = { 0 };
	struct lt_run run;
	const struct log_parser *p;
	size_t n;
	int si, se;

	ck_assert_msg(lt_load(dir, file, &text) == 0, "cannot read %s", file);
	n = text.len < LOG_SNIFF_BYTES ? text.len : LOG_SNIFF_BYTES;
	si = IIS->sniff(file, buf_str(&text), n);
	se = ERR->sniff(file, buf_str(&text), n);
	ck_assert_msg(si >= 20 || se >= 20, "%s: not claimed", file);
	p = si > se ? IIS : ERR;
	lt_run(p, buf_str(&text), text.len, TZ_UNKNOWN, &run);
	ck_assert_msg(run.n > 0, "%s: no records", file);
	if (k >= 0) {
		ck_assert_msg(p == samples[k].p, "%s: sniffed as %s (%d/%d)",
		    file, p->name, si, se);
		lt_check_pins(file, &run, samples[k].nrec, samples[k].nerr,
		    samples[k].nwarn, samples[k].want);
		ck_assert_msg(run.ndiag == 0, "%s: %s", file, run.diag_msg);
	}
	lt_free(&run);
	buf_free(&text);
}

/* Every file of one samples folder; pinned ones must all be there. */
static void
check_dir(const char *sub)
{
	lt_each_sample(sub, samples, sizeof(samples[0]), NCASES(samples),
	    (size_t)((const char *)&samples[0].file - (const char *)&samples[0]),
	    (long)((const char *)&samples[0].dir - (const char *)&samples[0]),
	    check_sample);
}

START_TEST(test_samples)
{
	check_dir("iis_w3c");
	check_dir("httperr");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("log_iis");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_cases, 0, NCASES(cases));
	tcase_add_test(tc, test_many_lines);
	tcase_add_loop_test(tc, test_sniff, 0, NCASES(sniffs));
	if (lt_have_samples("iis_w3c"))
		tcase_add_test(tc, test_samples);
	else
		fprintf(stderr, "KBGEN_SHARED unset or without samples: "
		    "sample checks skipped\n");
	suite_add_tcase(s, tc);
	return ck_run(s);
}
