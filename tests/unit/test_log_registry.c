/*
 * test_log_registry.c -- the registry parser of log_registry.c: regedit
 * exports (5.00 and REGEDIT4, wrapped hex values, escapes, deletions,
 * hand-made files) and reg query transcripts, inline and the samples.
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

extern const struct log_parser log_registry_parser;

/* A NULL-terminated list of expectations (see logtest3.h). */
#define X(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* One parser run over an inline fixture. */
struct pcase {
	const char		*name;
	const char		*in;
	const char *const	*expect;
};

#define WU	"HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate"

/* Hand-made template: LF, trailing spaces, placeholders (after
 * jerrydman/windows wsus.reg). */
static const char handmade[] =
    "Windows Registry Editor Version 5.00\n"
    "\n"
    "[" WU "]   \n"
    "\"WUServer\"=\"http://$WSUSSERVER:8530\"   \n"
    "\"WUStatusServer\"=\"http://$WSUSSERVER:8530\"\n"
    "\"TargetGroupEnabled\"=dword:00000001\n"
    "\"TargetGroup\"=\"Servers\"\n"
    "\"ElevateNonAdmins\"=dword:$ELEVATE\n"
    "; the AU key\n"
    "[" WU "\\AU]\n"
    "\"UseWUServer\"=dword:00000001\n";

/* What regedit writes for the other value types, wrapped as it wraps. */
static const char types[] =
    "Windows Registry Editor Version 5.00\r\n"
    "\r\n"
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Update Services\\Server\\Setup]\r\n"
    "@=\"default \\\"quoted\\\" C:\\\\path\\\\\"\r\n"
    "\"ContentDir\"=hex(2):25,00,53,00,79,00,73,00,74,00,65,00,6d,00,52,00,6f,00,\\\r\n"
    "  6f,00,74,00,25,00,5c,00,77,00,73,00,75,00,73,00,00,00\r\n"
    "\"List\"=hex(7):61,00,00,00,62,00,00,00,00,00\r\n"
    "\"Blob\"=hex:DE,AD,be,ef\r\n"
    "\"Big\"=hex(b):00,00,00,00,01,00,00,00\r\n"
    "\"Dw\"=hex(4):10,27,00,00\r\n"
    "\"Empty\"=\"\"\r\n"
    "\"Gone\"=-\r\n"
    "\"Pair\"=hex(1):3d,d8,00,de,00,00\r\n"
    "\"Odd\"=hex(2):zz,00\r\n"
    "\r\n"
    "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Old]\r\n";

static const char regedit4[] =
    "REGEDIT4\n"
    "\n"
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n"
    "\"Path\"=hex(2):43,3a,5c,e9,00\n"
    "\"N\"=dword:ffffffff\n";

/* reg query transcript: several types, a failed query. */
static const char query[] =
    "C:\\>reg query HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU\n"
    "\n"
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU\n"
    "    UseWUServer    REG_DWORD    0x1\n"
    "    AUOptions    REG_DWORD    0x4\n"
    "    (Default)    REG_SZ    \n"
    "    Target Group    REG_SZ    Servers  and more\n"
    "    Multi    REG_MULTI_SZ    a\\0b\n"
    "    Bin    REG_BINARY    DEADBEEF\n"
    "\n"
    "C:\\>reg.exe query \"HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\" /v WUServer\n"
    "ERROR: The system was unable to find the specified registry key or value.\n";

static const char cut[] =
    "Windows Registry Editor Version 5.00\n"
    "[HKEY_CURRENT_USER\\X]\n"
    "\"V\"=hex(2):41,00,\\\n";

static const struct pcase cases[] = {
	{ "handmade", handmade, X("n=6", "ndiag=0", "0:line=4", "0:off=112",
	    "0:kv.key=" WU, "0:kv.name=WUServer", "0:kv.type=REG_SZ",
	    "0:kv.value=http://$WSUSSERVER:8530", "0:sev=info", "0:time=none",
	    "0:msg=" WU "\\WUServer = http://$WSUSSERVER:8530",
	    "2:kv.name=TargetGroupEnabled", "2:kv.type=REG_DWORD",
	    "2:kv.value=1", "4:kv.name=ElevateNonAdmins",
	    "4:kv.value=$ELEVATE", "5:line=11", "5:kv.key=" WU "\\AU",
	    "5:kv.name=UseWUServer", "5:kv.value=1") },
	{ "types", types, X("n=11", "ndiag=0",
	    "0:kv.name=(Default)", "0:kv.value=default \"quoted\" C:\\path\\",
	    "1:line=5", "1:end_line=6", "1:kv.name=ContentDir",
	    "1:kv.type=REG_EXPAND_SZ", "1:kv.value=%SystemRoot%\\wsus",
	    "2:kv.type=REG_MULTI_SZ", "2:kv.value=a\\0b",
	    "3:kv.type=REG_BINARY", "3:kv.value=deadbeef",
	    "4:kv.type=REG_QWORD", "4:kv.value=4294967296",
	    "5:kv.type=REG_DWORD", "5:kv.value=10000",
	    "6:kv.name=Empty", "6:kv.type=REG_SZ", "6:kv.value=",
	    "7:kv.name=Gone", "7:kv.type=DELETE",
	    "7:msg=HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Update Services"
	    "\\Server\\Setup\\Gone deleted",
	    "8:kv.type=REG_SZ", "8:kv.value=\xf0\x9f\x98\x80",
	    "9:kv.type=REG_EXPAND_SZ", "9:kv.value=zz,00",
	    "10:line=16", "10:kv.key=HKEY_LOCAL_MACHINE\\SOFTWARE\\Old",
	    "10:kv.type=DELETE", "10:kv.name=(null)") },
	{ "regedit4-ansi", regedit4, X("n=2", "0:kv.value=C:\\\xc3\xa9",
	    "1:kv.value=4294967295") },
	{ "reg-query", query, X("n=7", "ndiag=0",
	    "0:line=4", "0:off=149", "0:kv.key=HKEY_LOCAL_MACHINE\\SOFTWARE"
	    "\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU",
	    "0:kv.name=UseWUServer", "0:kv.type=REG_DWORD", "0:kv.value=1",
	    "1:kv.value=4", "2:kv.name=(Default)", "2:kv.value=",
	    "3:kv.name=Target Group", "3:kv.value=Servers  and more",
	    "4:kv.value=a\\0b", "5:kv.value=deadbeef",
	    "6:line=12", "6:sev=warning",
	    "6:kv.key=" WU, "6:kv.name=WUServer", "6:kv.type=(null)",
	    "6:msg=ERROR: The system was unable to find the specified "
	    "registry key or value.") },
	{ "cut", cut, X("n=1", "ndiag=1", "diag~continued past the end",
	    "0:kv.value=A") },
	{ "junk", "\"\n\"=\n@\n[\n[-\n\"a\"=hex(\n\"b\"=hex(1)\n    REG_SZ\n"
	    "HKEY_\n", X("n=2", "ndiag=0", "0:kv.name=a", "0:kv.type=UNKNOWN",
	    "0:kv.value=hex(", "1:kv.value=hex(1)") },
	{ "empty", "", X("n=0", "ndiag=0") },
};

START_TEST(test_case)
{
	const struct pcase *c = &cases[_i];
	struct lt_run run;

	lt_init(&run, TZ_UNKNOWN);
	lt_parse(&run, &log_registry_parser, c->in);
	if (getenv("LT_DUMP"))
		printf("== %s\n", c->name), lt_dump(&run);
	lt_check_all(&run, c->expect);
	lt_free(&run);
}
END_TEST

/* A real sample and what reading it by hand found in it. */
struct scase {
	const char		*path;	/* under logs/samples */
	const char *const	*expect;
};

static const struct scase samples[] = {
	/* UTF-16LE with BOM and CRLF: decoded first, as the pipeline does */
	{ "registry/yassermorad_kernel-downgrade_WSUS.reg", X("n=8",
	    "ndiag=0", "0:line=4", "0:kv.key=" WU, "0:kv.name=WUServer",
	    "0:kv.type=REG_SZ", "0:kv.value=http://192.168.9.117:8530",
	    "1:line=5", "1:kv.name=WUStatusServer",
	    "1:kv.value=http://192.168.9.117:8530",
	    "2:line=8", "2:kv.key=" WU "\\AU", "2:kv.name=NoAutoUpdate",
	    "2:kv.type=REG_DWORD", "2:kv.value=0",
	    "3:kv.name=AUOptions", "3:kv.value=4",
	    "4:kv.name=ScheduledInstallDay", "4:kv.value=0",
	    "5:kv.name=ScheduledInstallTime", "5:kv.value=16",
	    "6:line=12", "6:kv.name=UseWUServer", "6:kv.value=1",
	    "7:line=13", "7:kv.name=DetectionFrequency", "7:kv.value=4") },
	{ "registry/htb_writeup_reg_query_WUServer.txt", X("n=1", "ndiag=0",
	    "0:line=4", "0:kv.key=HKEY_LOCAL_MACHINE\\Software\\Policies"
	    "\\Microsoft\\Windows\\WindowsUpdate", "0:kv.name=WUServer",
	    "0:kv.type=REG_SZ", "0:kv.value=https://wsus.logging.htb:8531",
	    "0:sev=info") },
};

START_TEST(test_sample)
{
	const struct scase *c = &samples[_i];
	struct buf text = {0};
	struct lt_run run;

	if (lt_sample(c->path, 0, &text) == -1)
		return;
	lt_init(&run, TZ_UNKNOWN);
	lt_lines(&run, &log_registry_parser, text.data, text.len);
	if (getenv("LT_DUMP"))
		printf("== %s\n", c->path), lt_dump(&run);
	lt_check_all(&run, c->expect);
	ck_assert_int_ge(log_registry_parser.sniff(c->path, text.data,
	    text.len), 85);
	lt_free(&run);
	buf_free(&text);
}
END_TEST

START_TEST(test_sniff)
{
	ck_assert_int_eq(log_registry_parser.sniff("a.reg", handmade,
	    strlen(handmade)), 100);
	ck_assert_int_eq(log_registry_parser.sniff("a.reg", regedit4,
	    strlen(regedit4)), 100);
	ck_assert_int_eq(log_registry_parser.sniff("q.txt", query,
	    strlen(query)), 85);
	ck_assert_int_eq(log_registry_parser.sniff("a.reg",
	    "[HKEY_X]\n\"a\"=\"b\"\n", 17), 80);
	ck_assert_int_eq(log_registry_parser.sniff("a.txt",
	    "SERVICE_NAME: x\n", 16), 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("log_registry");
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
