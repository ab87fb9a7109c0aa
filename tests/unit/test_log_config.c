/*
 * test_log_config.c -- the IIS configuration parser of log_config.c:
 * application pool settings and their defaults, mimeMap duplicates
 * (K5), broken and hostile XML.
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

extern const struct log_parser log_iis_config_parser;

/* A NULL-terminated list of expectations (see logtest3.h). */
#define X(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* One parser run over an inline fixture. */
struct pcase {
	const char		*name;
	const char		*in;
	const char *const	*expect;
};

/* applicationHost.config of a WSUS server installed by an old build:
 * WsusPool with the 1843200 KB private memory limit, no queueLength. */
static const char apphost[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
    "<configuration>\r\n"
    "    <configSections>\r\n"
    "        <sectionGroup name=\"system.applicationHost\">\r\n"
    "            <section name=\"applicationPools\" allowDefinition=\"AppHostOnly\" overrideModeDefault=\"Deny\" />\r\n"
    "        </sectionGroup>\r\n"
    "    </configSections>\r\n"
    "    <system.applicationHost>\r\n"
    "        <applicationPools>\r\n"
    "            <add name=\"DefaultAppPool\" />\r\n"
    "            <add name=\"WsusPool\" autoStart=\"true\" managedRuntimeVersion=\"v4.0\" managedPipelineMode=\"Integrated\" startMode=\"AlwaysRunning\">\r\n"
    "                <processModel identityType=\"NetworkService\" idleTimeout=\"00:00:00\" />\r\n"
    "                <recycling logEventOnRecycle=\"Time, Memory, PrivateMemory\">\r\n"
    "                    <periodicRestart privateMemory=\"1843200\" time=\"00:00:00\">\r\n"
    "                        <schedule><add value=\"03:00:00\" /></schedule>\r\n"
    "                    </periodicRestart>\r\n"
    "                </recycling>\r\n"
    "                <failure rapidFailProtection=\"false\" />\r\n"
    "            </add>\r\n"
    "            <applicationPoolDefaults managedRuntimeVersion=\"v4.0\" queueLength=\"4000\">\r\n"
    "                <processModel identityType=\"ApplicationPoolIdentity\" />\r\n"
    "                <failure rapidFailProtectionMaxCrashes=\"10\" />\r\n"
    "            </applicationPoolDefaults>\r\n"
    "        </applicationPools>\r\n"
    "    </system.applicationHost>\r\n"
    "    <system.webServer>\r\n"
    "        <staticContent lenientMimeMap=\"true\">\r\n"
    "            <mimeMap fileExtension=\".323\" mimeType=\"text/h323\" />\r\n"
    "            <mimeMap fileExtension=\".WIM\" mimeType=\"application/x-ms-wim\" />\r\n"
    "        </staticContent>\r\n"
    "    </system.webServer>\r\n"
    "    <location path=\"WSUS Administration/Content\">\r\n"
    "        <system.webServer>\r\n"
    "            <staticContent>\r\n"
    "                <mimeMap fileExtension=\".wim\" mimeType=\"application/x-ms-wim\" />\r\n"
    "                <mimeMap fileExtension=\".msu\" mimeType=\"application/octet-stream\" />\r\n"
    "            </staticContent>\r\n"
    "        </system.webServer>\r\n"
    "    </location>\r\n"
    "    <location path=\"Default Web Site\">\r\n"
    "        <system.webServer>\r\n"
    "            <staticContent>\r\n"
    "                <remove fileExtension=\".wim\" />\r\n"
    "                <mimeMap fileExtension=\".wim\" mimeType=\"application/octet-stream\" />\r\n"
    "            </staticContent>\r\n"
    "        </system.webServer>\r\n"
    "    </location>\r\n"
    "</configuration>\r\n";

/* The WSUS Content folder's web.config with .wim twice (K5). */
static const char webconfig_dup[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<configuration>\n"
    "  <system.webServer>\n"
    "    <staticContent>\n"
    "      <mimeMap fileExtension=\".msu\" mimeType=\"application/octet-stream\" />\n"
    "      <mimeMap fileExtension=\".wim\" mimeType=\"application/x-ms-wim\" />\n"
    "      <mimeMap fileExtension=\".esd\" mimeType=\"application/octet-stream\" />\n"
    "      <mimeMap fileExtension=\".wim\" mimeType=\"application/octet-stream\" />\n"
    "    </staticContent>\n"
    "  </system.webServer>\n"
    "</configuration>\n";

static const char webconfig_clear[] =
    "<configuration><system.webServer><staticContent>\n"
    "<mimeMap fileExtension=\".wim\" mimeType=\"a/b\" />\n"
    "<clear />\n"
    "<mimeMap fileExtension=\".wim\" mimeType=\"a/c\" />\n"
    "<remove fileExtension=\".wim\" />\n"
    "<mimeMap fileExtension=\".wim\" mimeType=\"a/d\" />\n"
    "</staticContent></system.webServer></configuration>\n";

/* Cut off in the middle: what came before stays. */
static const char broken[] =
    "<configuration>\n"
    " <system.applicationHost>\n"
    "  <applicationPools>\n"
    "   <add name=\"WsusPool\" queueLength=\"2000\">\n"
    "    <recycling><periodicRestart privateMemory=\"0\" /></recycling>\n"
    "   </add>\n"
    "   <add name=\"Other\" queueLength=\"5\n";

static const char mismatched[] =
    "<configuration><system.webServer>\n"
    "<staticContent><mimeMap fileExtension=\".a\" mimeType=\"x/y\" /></static>\n"
    "</system.webServer></configuration>\n";

static const char laughs[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE configuration [\n <!ENTITY a \"aaaaaaaaaa\">\n"
    " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
    " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
    " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n]>\n"
    "<configuration><system.applicationHost><applicationPools>"
    "<add name=\"&d;\" /></applicationPools></system.applicationHost>"
    "</configuration>\n";

static const char xxe[] =
    "<!DOCTYPE configuration SYSTEM \"http://203.0.113.9/evil.dtd\">\n"
    "<configuration/>\n";

static const char undeclared[] =
    "<configuration><system.applicationHost><applicationPools>\n"
    "<add name=\"A&x;B\" queueLength=\"&y;\" />\n"
    "</applicationPools></system.applicationHost></configuration>\n";

static const struct pcase cases[] = {
	{ "apphost", apphost, X("n=29", "ndiag=0",
	    /* DefaultAppPool: nothing written, defaults and inherited */
	    "0:line=10", "0:kv.apppool=DefaultAppPool",
	    "0:kv.setting=queueLength", "0:kv.value=4000", "0:kv.default=1",
	    "0:msg=apppool DefaultAppPool: queueLength=4000 (from "
	    "applicationPoolDefaults)", "0:sev=info", "0:time=none",
	    "0:off=345",
	    "3:kv.setting=privateMemory", "3:kv.value=0",
	    "3:kv.element=recycling/periodicRestart",
	    "3:msg=apppool DefaultAppPool: recycling/periodicRestart "
	    "privateMemory=0 (default)",
	    "7:kv.setting=rapidFailProtectionMaxCrashes", "7:kv.value=10",
	    /* WsusPool: written first, in document order */
	    "9:line=11", "9:kv.apppool=WsusPool", "9:kv.setting=autoStart",
	    "9:kv.value=true", "9:kv.default=(null)", "9:kv.element=add",
	    "12:kv.setting=startMode", "12:kv.value=AlwaysRunning",
	    "13:line=12", "13:kv.setting=identityType",
	    "13:kv.value=NetworkService", "13:kv.element=processModel",
	    "15:kv.setting=logEventOnRecycle", "15:line=13",
	    "16:line=14", "16:kv.setting=privateMemory",
	    "16:kv.value=1843200",
	    "16:msg=apppool WsusPool: recycling/periodicRestart "
	    "privateMemory=1843200", "17:kv.setting=time",
	    "18:line=18", "18:kv.setting=rapidFailProtection",
	    "18:kv.value=false",
	    "19:line=11", "19:kv.setting=queueLength", "19:kv.value=4000",
	    "20:kv.setting=memory", "20:kv.default=1",
	    "21:kv.setting=rapidFailProtectionMaxCrashes",
	    "22:kv.setting=rapidFailProtectionInterval",
	    "22:kv.value=00:05:00",
	    /* mimeMaps: server level, then the locations on top of it */
	    "23:line=28", "23:kv.extension=.323", "23:kv.mime_type=text/h323",
	    "24:kv.extension=.WIM", "24:sev=info",
	    "25:line=35", "25:sev=error", "25:kv.extension=.wim",
	    "25:kv.duplicate=1", "25:msg=duplicate mimeMap entry for '.wim'",
	    "26:kv.extension=.msu", "26:kv.duplicate=(null)",
	    /* a <remove> is kept: a later entry is then no duplicate of
	     * the server level's (match.c) */
	    "27:msg=mimeMap remove .wim", "27:kv.extension=.wim",
	    "27:sev=info",
	    "28:line=44", "28:sev=info", "28:kv.extension=.wim",
	    "28:kv.mime_type=application/octet-stream") },
	{ "webconfig-dup", webconfig_dup, X("n=4", "ndiag=0",
	    "0:kv.extension=.msu", "1:kv.extension=.wim", "1:sev=info",
	    "3:line=8", "3:sev=error", "3:kv.extension=.wim",
	    "3:kv.mime_type=application/octet-stream", "3:kv.duplicate=1",
	    "3:msg=duplicate mimeMap entry for '.wim'", "3:off=317") },
	{ "webconfig-clear-remove", webconfig_clear, X("n=4", "ndiag=0",
	    "0:sev=info", "1:sev=info", "1:kv.mime_type=a/c",
	    "2:msg=mimeMap remove .wim", "2:line=5", "3:sev=info",
	    "3:kv.mime_type=a/d") },
	{ "broken", broken, X("n=2", "ndiag=1",
	    "diag~2:8: malformed XML: AttValue: ' expected",
	    "0:kv.apppool=WsusPool", "0:kv.setting=queueLength",
	    "0:kv.value=2000", "0:line=4", "1:kv.setting=privateMemory",
	    "1:kv.value=0", "1:kv.default=(null)") },
	{ "mismatched", mismatched, X("n=0", "ndiag=1",
	    "diag~2:2: malformed XML: Opening and ending tag mismatch") },
	{ "billion-laughs", laughs, X("n=0", "ndiag=1",
	    "diag~2:2: document type declaration refused") },
	{ "xxe", xxe, X("n=0", "ndiag=1",
	    "diag~2:1: document type declaration refused") },
	{ "undeclared-entity", undeclared, X("n=0", "ndiag=1",
	    "diag~2:2: malformed XML: Entity 'x' not defined") },
	{ "empty", "", X("n=0", "ndiag=1", "diag~empty configuration file") },
	{ "not-xml", "queueLength=1000\n", X("n=0", "ndiag=1") },
};

START_TEST(test_case)
{
	const struct pcase *c = &cases[_i];
	struct lt_run run;

	lt_init(&run, TZ_UNKNOWN);
	lt_parse(&run, &log_iis_config_parser, c->in);
	if (getenv("LT_DUMP"))
		printf("== %s\n", c->name), lt_dump(&run);
	lt_check_all(&run, c->expect);
	lt_free(&run);
}
END_TEST

/*
 * The shared samples hold no configuration file (only appcmd and
 * Get-IISAppPool transcripts, which are LOG_APPCMD's): every file of
 * iis_config must be refused by this sniffer and yield nothing here.
 */
START_TEST(test_samples)
{
	static const char *const files[] = {
		"iis_config/msdocs_appcmd_list_apppools.txt",
		"iis_config/msdocs_get_iisapppool.txt",
	};
	struct buf text = {0};
	struct lt_run run;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (lt_sample(files[i], 0, &text) == -1)
			return;
		ck_assert_int_eq(log_iis_config_parser.sniff(files[i],
		    text.data, text.len), 0);
		lt_init(&run, TZ_UNKNOWN);
		lt_whole(&run, &log_iis_config_parser, text.data, text.len);
		lt_check(&run, "n=0");
		lt_check(&run, "diag~malformed XML");
		lt_free(&run);
	}
	buf_free(&text);
}
END_TEST

START_TEST(test_sniff)
{
	ck_assert_int_eq(log_iis_config_parser.sniff("applicationHost.config",
	    apphost, strlen(apphost)), 95);
	ck_assert_int_eq(log_iis_config_parser.sniff("x.txt", webconfig_dup,
	    strlen(webconfig_dup)), 90);
	ck_assert_int_eq(log_iis_config_parser.sniff("app.config",
	    "<configuration><appSettings/></configuration>", 45), 50);
	ck_assert_int_eq(log_iis_config_parser.sniff("a.xml", "<Event/>", 8),
	    0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("log_config");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_case, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_samples);
	tcase_add_test(tc, test_sniff);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_run(suite());
}
