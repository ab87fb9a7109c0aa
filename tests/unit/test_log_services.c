/*
 * test_log_services.c -- the service and app pool parsers of
 * log_services.c: sc blocks, Get-Service table / CSV / JSON / list,
 * appcmd and Get-IISAppPool, on inline fixtures and the real samples.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "util.h"
#include "logs.h"
#include "encoding.h"
#include "logtest3.h"
#include "ckrun.h"

extern const struct log_parser log_services_parser;
extern const struct log_parser log_appcmd_parser;

/* A NULL-terminated list of expectations (see logtest3.h). */
#define X(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* One parser run over an inline fixture. */
struct pcase {
	const char			*name;
	const struct log_parser		*p;
	const char			*in;
	const char *const		*expect;
};

/* sc queryex type= service state= all, three services of a WSUS box. */
static const char sc_queryex[] =
    "\r\n"
    "SERVICE_NAME: WsusService\r\n"
    "DISPLAY_NAME: WSUS Service\r\n"
    "        TYPE               : 10  WIN32_OWN_PROCESS\r\n"
    "        STATE              : 1  STOPPED\r\n"
    "        WIN32_EXIT_CODE    : 1067  (0x42b)\r\n"
    "        SERVICE_EXIT_CODE  : 0  (0x0)\r\n"
    "        CHECKPOINT         : 0x0\r\n"
    "        WAIT_HINT          : 0x0\r\n"
    "        PID                : 0\r\n"
    "        FLAGS              :\r\n"
    "\r\n"
    "SERVICE_NAME: MSSQL$MICROSOFT##WID\r\n"
    "DISPLAY_NAME: Windows Internal Database\r\n"
    "        TYPE               : 10  WIN32_OWN_PROCESS\r\n"
    "        STATE              : 4  RUNNING\r\n"
    "                                (STOPPABLE, PAUSABLE, ACCEPTS_SHUTDOWN)\r\n"
    "        PID                : 2216\r\n"
    "\r\n"
    "SERVICE_NAME: W3SVC\r\n"
    "DISPLAY_NAME: World Wide Web Publishing Service\r\n"
    "        TYPE               : 20  WIN32_SHARE_PROCESS\r\n"
    "        STATE              : 2  START_PENDING\r\n"
    "        PID                : 1620\r\n"
    "SERVICE_NAME: Spooler\r\n"
    "        STATE              : 1  STOPPED\r\n";

/* sc qc of two services, one disabled. */
static const char sc_qc[] =
    "[SC] QueryServiceConfig SUCCESS\n"
    "\n"
    "SERVICE_NAME: bits\n"
    "        TYPE               : 20  WIN32_SHARE_PROCESS\n"
    "        START_TYPE         : 2   AUTO_START  (DELAYED)\n"
    "        DEPENDENCIES       : RpcSs\n"
    "                           : EventSystem\n"
    "        DISPLAY_NAME       : Background Intelligent Transfer Service\n"
    "C:\\>sc qc wuauserv\n"
    "SERVICE_NAME: wuauserv\n"
    "        START_TYPE         : 4   DISABLED\n";

/* Get-Service on PowerShell 5.1: names cut at 18 characters. */
static const char ps_table[] =
    "PS C:\\> Get-Service W3SVC,WAS,WsusService,MSSQL*\n"
    "\n"
    "Status   Name               DisplayName\n"
    "------   ----               -----------\n"
    "Stopped  MSSQL$MICROSOFT... Windows Internal Database\n"
    "Running  W3SVC              World Wide Web Publishing Service\n"
    "Running  WAS                Windows Process Activation Service\n"
    "Stopped  WsusService        WSUS Service\n"
    "Stopped  Fax                Fax\n"
    "\n"
    "PS C:\\>\n";

/* The same, pasted with the spacing collapsed. */
static const char ps_table_collapsed[] =
    "Status Name DisplayName\n"
    "------ ---- -----------\n"
    "Running W3SVC World Wide Web Publishing Service\n"
    "StopPending WsusService WSUS Service\n";

/* Get-Service | Select Name,Status,StartType | ConvertTo-Json (5.1). */
static const char ps_json[] =
    "[\r\n"
    "    {\r\n"
    "        \"Name\":  \"WsusService\",\r\n"
    "        \"DisplayName\":  \"WSUS Service\",\r\n"
    "        \"Status\":  1,\r\n"
    "        \"StartType\":  2,\r\n"
    "        \"ServicesDependedOn\":  [\r\n"
    "                                   {\r\n"
    "                                       \"Name\":  \"W3SVC\",\r\n"
    "                                       \"Status\":  4\r\n"
    "                                   }\r\n"
    "                               ],\r\n"
    "        \"CanStop\":  false,\r\n"
    "        \"Site\":  null\r\n"
    "    },\r\n"
    "    {\r\n"
    "        \"Name\":  \"wuauserv\",\r\n"
    "        \"DisplayName\":  \"Windows Update \\u2013 \\\"WU\\\"\",\r\n"
    "        \"Status\":  4,\r\n"
    "        \"StartType\":  3\r\n"
    "    }\r\n"
    "]\r\n";

/* Get-CimInstance Win32_Service | ConvertTo-Json: Status is "OK". */
static const char cim_json[] =
    "{\n"
    "    \"Name\":  \"bits\",\n"
    "    \"Status\":  \"OK\",\n"
    "    \"ExitCode\":  0,\n"
    "    \"State\":  \"Stopped\",\n"
    "    \"StartMode\":  \"Manual\",\n"
    "    \"ProcessId\":  0\n"
    "}\n";

static const char json_broken[] =
    "[\n"
    " {\"Name\": \"WAS\", \"Status\": 4},\n"
    " {\"Name\": \"W3SVC\", \"Status\": \n";

/* Get-Service | Export-Csv (PowerShell 5.1). */
/* Get-Service | Select Name,DisplayName,Status,StartType |
 * Export-Csv -NoTypeInformation: no type line, "Name" for the service. */
static const char ps_csv_select[] =
    "\"Name\",\"DisplayName\",\"Status\",\"StartType\",\"MachineName\"\n"
    "\"WsusService\",\"WSUS Service\",\"Stopped\",\"Automatic\",\".\"\n"
    "\"W3SVC\",\"World Wide Web Publishing Service\",\"Running\",\"Automatic\",\".\"\n";

/* The same through ConvertTo-Json (PowerShell 5.1: numbers for enums). */
static const char ps_json_select[] =
    "[\n    {\n        \"Name\":  \"WsusService\",\n"
    "        \"DisplayName\":  \"WSUS Service\",\n"
    "        \"Status\":  1,\n        \"StartType\":  2\n    }\n]\n";

static const char ps_csv[] =
    "#TYPE System.ServiceProcess.ServiceController\n"
    "\"Name\",\"RequiredServices\",\"CanPauseAndContinue\",\"CanShutdown\","
    "\"CanStop\",\"DisplayName\",\"DependentServices\",\"MachineName\","
    "\"ServiceName\",\"ServicesDependedOn\",\"ServiceHandle\",\"Status\","
    "\"ServiceType\",\"StartType\",\"Site\",\"Container\"\n"
    "\"CcmExec\",\"System.ServiceProcess.ServiceController[]\",\"False\","
    "\"True\",\"True\",\"SMS Agent Host\","
    "\"System.ServiceProcess.ServiceController[]\",\".\",\"CcmExec\","
    "\"System.ServiceProcess.ServiceController[]\",,\"Running\","
    "\"Win32OwnProcess\",\"Automatic\",,\n"
    "\"SMS_EXECUTIVE\",,,,,\"SMS Agent, \"\"Executive\"\"\",,,"
    "\"SMS_EXECUTIVE\",,,\"StartPending\",,\"Manual\",,\n";

/* Get-Service bits | Format-List */
static const char ps_list[] =
    "\n"
    "Name                : BITS\n"
    "DisplayName         : Background Intelligent Transfer Service\n"
    "Status              : Stopped\n"
    "DependentServices   : {}\n"
    "ServicesDependedOn  : {RpcSs, EventSystem}\n"
    "CanPauseAndContinue : False\n"
    "ServiceType         : Win32ShareProcess\n"
    "\n";

/* appcmd list apppool, then with /config /xml. */
static const char appcmd_mixed[] =
    "C:\\Windows\\System32\\inetsrv>appcmd list apppool\n"
    "APPPOOL \"DefaultAppPool\" (MgdVersion:v4.0,MgdMode:Integrated,state:Started)\n"
    "APPPOOL \"WsusPool\" (MgdVersion:v4.0,MgdMode:Integrated,state:Stopped)\n"
    "\n"
    "C:\\Windows\\System32\\inetsrv>appcmd list apppool WsusPool /config /xml\n"
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<appcmd>\n"
    "    <APPPOOL APPPOOL.NAME=\"WsusPool\" PipelineMode=\"Integrated\" RuntimeVersion=\"v4.0\" state=\"Stopping\">\n"
    "        <add name=\"WsusPool\" queueLength=\"2000\">\n"
    "        </add>\n"
    "    </APPPOOL>\n"
    "    <APPPOOL APPPOOL.NAME='A &amp; B' state='Started' />\n"
    "</appcmd>\n";

static const char iis_collapsed[] =
    "Name Status CLR Ver Pipeline Mode Start Mode\n"
    "---- ------ ------- ------------- ----------\n"
    ".NET v4.5 Classic Started v4.0 Classic OnDemand\n"
    "WsusPool Stopped v4.0 Integrated AlwaysRunning\n";

static const struct pcase cases[] = {
	{ "sc-queryex", &log_services_parser, sc_queryex, X("n=4",
	    "ndiag=0", "0:line=2", "0:end_line=11", "0:off=2",
	    "0:kv.service=WsusService", "0:kv.display_name=WSUS Service",
	    "0:kv.state=STOPPED", "0:kv.pid=0", "0:sev=warning",
	    "0:time=none", "0:msg=service WsusService (WSUS Service): "
	    "STOPPED, pid 0",
	    "1:kv.service=MSSQL$MICROSOFT##WID", "1:kv.state=RUNNING",
	    "1:kv.pid=2216", "1:sev=info", "1:line=13", "1:end_line=18",
	    "2:kv.service=W3SVC", "2:kv.state=START_PENDING",
	    "2:sev=warning", "2:end_line=24",
	    "3:kv.service=Spooler", "3:sev=info", "3:kv.state=STOPPED") },
	{ "sc-qc", &log_services_parser, sc_qc, X("n=2", "ndiag=0",
	    "0:kv.service=bits", "0:kv.start_type=AUTO_START",
	    "0:kv.state=(null)", "0:sev=info",
	    "0:kv.display_name=Background Intelligent Transfer Service",
	    "0:msg=service bits (Background Intelligent Transfer Service): "
	    "state unknown, start AUTO_START", "0:line=3", "0:end_line=8",
	    "1:kv.service=wuauserv", "1:kv.start_type=DISABLED",
	    "1:sev=warning", "1:line=10") },
	{ "ps-table", &log_services_parser, ps_table, X("n=5", "ndiag=0",
	    "0:line=5", "0:kv.service=MSSQL$MICROSOFT...",
	    "0:kv.display_name=Windows Internal Database",
	    "0:kv.state=STOPPED", "0:sev=warning",
	    "1:kv.service=W3SVC", "1:kv.state=RUNNING", "1:sev=info",
	    "1:kv.display_name=World Wide Web Publishing Service",
	    "3:kv.service=WsusService", "3:sev=warning",
	    "4:kv.service=Fax", "4:kv.state=STOPPED", "4:sev=info") },
	{ "ps-table-collapsed", &log_services_parser, ps_table_collapsed,
	    X("n=2", "0:kv.service=W3SVC",
	    "0:kv.display_name=World Wide Web Publishing Service",
	    "1:kv.service=WsusService", "1:kv.state=STOP_PENDING",
	    "1:sev=warning") },
	{ "ps-json", &log_services_parser, ps_json, X("n=2", "ndiag=0",
	    "0:kv.service=WsusService", "0:kv.state=STOPPED",
	    "0:kv.start_type=AUTO_START", "0:sev=warning", "0:line=2",
	    "0:end_line=15", "0:off=7", "1:kv.service=wuauserv",
	    "1:kv.state=RUNNING", "1:kv.start_type=DEMAND_START",
	    "1:kv.display_name=Windows Update \xe2\x80\x93 \"WU\"",
	    "1:sev=info", "1:line=16", "1:off=452") },
	{ "cim-json", &log_services_parser, cim_json, X("n=1",
	    "0:kv.service=bits", "0:kv.state=STOPPED",
	    "0:kv.start_type=DEMAND_START", "0:kv.pid=0", "0:sev=warning") },
	{ "json-broken", &log_services_parser, json_broken, X("n=1",
	    "ndiag=1", "diag~malformed JSON", "0:kv.service=WAS",
	    "0:kv.state=RUNNING", "0:line=2") },
	{ "json-deep", &log_services_parser,
	    "[{\"Name\":\"x\",\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
	    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
	    "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}]",
	    X("n=0", "diag~malformed JSON") },
	{ "ps-csv", &log_services_parser, ps_csv, X("n=2", "ndiag=0",
	    "0:kv.service=CcmExec", "0:kv.state=RUNNING",
	    "0:kv.start_type=AUTO_START", "0:sev=info", "0:line=3",
	    "0:kv.display_name=SMS Agent Host",
	    "1:kv.service=SMS_EXECUTIVE", "1:kv.state=START_PENDING",
	    "1:kv.display_name=SMS Agent, \"Executive\"",
	    "1:kv.start_type=DEMAND_START", "1:sev=warning") },
	{ "ps-csv-select", &log_services_parser, ps_csv_select, X("n=2",
	    "ndiag=0", "0:kv.service=WsusService", "0:kv.state=STOPPED",
	    "0:line=2", "1:kv.service=W3SVC", "1:kv.state=RUNNING") },
	{ "ps-json-select", &log_services_parser, ps_json_select, X("n=1",
	    "ndiag=0", "0:kv.service=WsusService", "0:kv.state=STOPPED") },
	{ "ps-list", &log_services_parser, ps_list, X("n=1",
	    "0:kv.service=BITS", "0:kv.state=STOPPED", "0:sev=warning",
	    "0:line=2", "0:end_line=8") },
	{ "empty", &log_services_parser, "", X("n=0", "ndiag=0") },
	{ "appcmd-mixed", &log_appcmd_parser, appcmd_mixed, X("n=4",
	    "ndiag=0", "0:line=2", "0:kv.apppool=DefaultAppPool",
	    "0:kv.state=Started", "0:kv.runtime=v4.0",
	    "0:kv.pipeline=Integrated", "0:sev=info", "0:time=none",
	    "1:kv.apppool=WsusPool", "1:kv.state=Stopped", "1:sev=warning",
	    "1:msg=APPPOOL \"WsusPool\" (MgdVersion:v4.0,MgdMode:Integrated,"
	    "state:Stopped)", "2:line=8", "2:off=317",
	    "2:kv.apppool=WsusPool", "2:kv.state=Stopping", "2:sev=warning",
	    "2:kv.runtime=v4.0", "3:kv.apppool=A & B",
	    "3:kv.state=Started") },
	{ "iis-collapsed", &log_appcmd_parser, iis_collapsed, X("n=2",
	    "0:kv.apppool=.NET v4.5 Classic", "0:kv.state=Started",
	    "1:kv.apppool=WsusPool", "1:kv.state=Stopped", "1:sev=warning")
	    },
	{ "appcmd-junk", &log_appcmd_parser,
	    "APPPOOL \"unterminated\nAPPPOOL \"x\" (state\n-----\n", X("n=1",
	    "0:kv.apppool=x", "0:kv.state=(null)") },
};

START_TEST(test_case)
{
	const struct pcase *c = &cases[_i];
	struct lt_run run;

	lt_init(&run, TZ_UNKNOWN);
	lt_parse(&run, c->p, c->in);
	if (getenv("LT_DUMP"))
		printf("== %s\n", c->name), lt_dump(&run);
	lt_check_all(&run, c->expect);
	lt_free(&run);
}
END_TEST

/* A real sample and what reading it by hand found in it. */
struct scase {
	const char			*path;	/* under logs/samples */
	const struct log_parser		*p;
	const char *const		*expect;
};

static const struct scase samples[] = {
	{ "service_state/sc_qc_wuauserv_notes.txt", &log_services_parser,
	    X("n=1", "ndiag=0", "0:line=4", "0:end_line=13",
	    "0:kv.service=wuauserv", "0:kv.start_type=DEMAND_START",
	    "0:kv.display_name=Windows Update", "0:kv.state=(null)",
	    "0:sev=info") },
	{ "service_state/sc_query_wuauserv_bits_writeup.txt",
	    &log_services_parser, X("n=2", "ndiag=0", "0:line=3",
	    "0:end_line=9", "0:kv.service=wuauserv", "0:kv.state=STOPPED",
	    "0:sev=warning", "1:line=14", "1:end_line=21",
	    "1:kv.service=bits", "1:kv.state=RUNNING", "1:sev=info") },
	{ "service_state/sc_query_wuauserv_msscmr_doc.txt",
	    &log_services_parser, X("n=1", "ndiag=0", "0:line=1",
	    "0:end_line=7", "0:kv.service=wuauserv", "0:kv.state=STOPPED",
	    "0:sev=warning") },
	{ "iis_config/msdocs_appcmd_list_apppools.txt", &log_appcmd_parser,
	    X("n=1", "ndiag=0", "0:line=5", "0:kv.apppool=DefaultAppPool",
	    "0:kv.state=Started", "0:kv.runtime=v4.0",
	    "0:kv.pipeline=Integrated", "0:sev=info") },
	{ "iis_config/msdocs_get_iisapppool.txt", &log_appcmd_parser,
	    X("n=4", "ndiag=0", "0:line=4", "0:kv.apppool=DefaultAppPool",
	    "0:kv.state=Started", "0:kv.runtime=v4.0",
	    "0:kv.pipeline=Integrated", "0:kv.start_mode=OnDemand",
	    "1:kv.apppool=.NET v4.5 Classic", "1:kv.pipeline=Classic",
	    "2:kv.apppool=.NET v4.5", "3:line=7", "3:kv.apppool=PattiFul",
	    "3:kv.state=Stopped", "3:sev=warning") },
};

START_TEST(test_sample)
{
	const struct scase *c = &samples[_i];
	struct buf text = {0};
	struct lt_run run;

	if (lt_sample(c->path, 0, &text) == -1)
		return;
	lt_init(&run, TZ_UNKNOWN);
	lt_lines(&run, c->p, text.data, text.len);
	if (getenv("LT_DUMP"))
		printf("== %s\n", c->path), lt_dump(&run);
	lt_check_all(&run, c->expect);
	ck_assert_int_ge(c->p->sniff(c->path, text.data, text.len), 80);
	lt_free(&run);
	buf_free(&text);
}
END_TEST

START_TEST(test_sniff)
{
	ck_assert_int_ge(log_services_parser.sniff("s.txt", sc_queryex,
	    strlen(sc_queryex)), 90);
	ck_assert_int_ge(log_services_parser.sniff("s.txt", ps_table,
	    strlen(ps_table)), 80);
	ck_assert_int_eq(log_services_parser.sniff("s.csv", ps_csv,
	    strlen(ps_csv)), 100);
	ck_assert_int_ge(log_services_parser.sniff("s.json", cim_json,
	    strlen(cim_json)), 85);
	ck_assert_int_ge(log_services_parser.sniff("s.csv", ps_csv_select,
	    strlen(ps_csv_select)), 80);
	ck_assert_int_ge(log_services_parser.sniff("s.json", ps_json_select,
	    strlen(ps_json_select)), 80);
	ck_assert_int_eq(log_services_parser.sniff("a.txt", appcmd_mixed,
	    strlen(appcmd_mixed)), 0);
	ck_assert_int_ge(log_appcmd_parser.sniff("a.txt", appcmd_mixed,
	    strlen(appcmd_mixed)), 90);
	ck_assert_int_ge(log_appcmd_parser.sniff("a.txt", iis_collapsed,
	    strlen(iis_collapsed)), 90);
	ck_assert_int_eq(log_appcmd_parser.sniff("a.txt", ps_table,
	    strlen(ps_table)), 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("log_services");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_case, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_loop_test(tc, test_sample, 0,
	    sizeof(samples) / sizeof(samples[0]));
	tcase_add_test(tc, test_sniff);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_run(suite());
}
