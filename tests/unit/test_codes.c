/*
 * test_codes.c -- codes.c: parsing what users type, decoding, the
 * alternative written forms of an HRESULT and pattern matching.
 * Table-driven: one Check loop test per table.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "article.h"
#include "codes.h"
#include "ckrun.h"

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define NONE		MENTION__MAX

/* ------------------------------------------------------------------ */
/* code_parse(): the first reading, and one more that must be present */

static const struct {
	const char	*in;
	enum mention_kind kind;		/* first candidate */
	const char	*value;
	enum mention_kind also;		/* another candidate, or NONE */
	const char	*also_value;
} parse_ok[] = {
	{ "0x80070643", MENTION_HRESULT, "0x80070643", MENTION_WIN32, "1603" },
	{ "0X80070643", MENTION_HRESULT, "0x80070643", NONE, NULL },
	{ "80070643", MENTION_HRESULT, "0x80070643", MENTION_WIN32, "1603" },
	{ "hr=80070643", MENTION_HRESULT, "0x80070643", NONE, NULL },
	{ "HR:0x80070643", MENTION_HRESULT, "0x80070643", NONE, NULL },
	{ "2147944003", MENTION_HRESULT, "0x80070643", MENTION_WIN32, "1603" },
	{ "-2147023293", MENTION_HRESULT, "0x80070643", NONE, NULL },
	{ "2147500037", MENTION_HRESULT, "0x80004005", NONE, NULL },
	{ "-2147467259", MENTION_HRESULT, "0x80004005", NONE, NULL },
	{ "  0x80072EE2\n", MENTION_HRESULT, "0x80072ee2", MENTION_WIN32,
	    "12002" },
	{ "0x643", MENTION_WIN32, "1603", MENTION_HRESULT, "0x80070643" },
	{ "0x2EE2", MENTION_WIN32, "12002", MENTION_HRESULT, "0x80072ee2" },
	{ "6703", MENTION_STATMSG, "6703", MENTION_WIN32, "6703" },
	{ "6701", MENTION_STATMSG, "6701", MENTION_EVENT, "6701" },
	{ "503", MENTION_HTTP, "503", MENTION_WIN32, "503" },
	{ "401", MENTION_HTTP, "401", MENTION_EVENT, "401" },
	{ "1603", MENTION_WIN32, "1603", MENTION_HRESULT, "0x80070643" },
	{ "53", MENTION_WIN32, "53", MENTION_HRESULT, "0x80070035" },
	{ "364", MENTION_EVENT, "364", MENTION_WIN32, "364" },
	{ "12002", MENTION_WIN32, "12002", MENTION_EVENT, "12002" },
	{ "7031", MENTION_EVENT, "7031", MENTION_STATMSG, "7031" },
	{ "KB4039929", MENTION_KB, "4039929", NONE, NULL },
	{ "kb890830", MENTION_KB, "890830", NONE, NULL },
	{ "4039929", MENTION_KB, "4039929", NONE, NULL },
	{ "xxxx2ee2", MENTION_HRESULT, "xxxx2ee2", NONE, NULL },
	{ "XXXX2EE2", MENTION_HRESULT, "xxxx2ee2", NONE, NULL },
	{ "0x8024XXXX", MENTION_HRESULT, "0x8024xxxx", NONE, NULL },
	{ "8024xxxx", MENTION_HRESULT, "0x8024xxxx", NONE, NULL },
	{ "E_FAIL", MENTION_HRESULT, "0x80004005", NONE, NULL },
	{ "e_accessdenied", MENTION_HRESULT, "0x80070005", MENTION_WIN32, "5" },
	{ "ERROR_INSTALL_FAILURE", MENTION_WIN32, "1603", MENTION_HRESULT,
	    "0x80070643" },
	{ "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL", MENTION_HRESULT, "0x80244022",
	    NONE, NULL },
	{ "CERT_E_UNTRUSTEDROOT", MENTION_HRESULT, "0x800b0109", NONE, NULL },
	{ "C0000005", MENTION_HRESULT, "0xc0000005", NONE, NULL },
	{ "0x87D00607", MENTION_HRESULT, "0x87d00607", NONE, NULL },
	{ "0x00240001", MENTION_HRESULT, "0x00240001", NONE, NULL },
	{ "0x8004005", MENTION_HRESULT, "0x80004005", NONE, NULL },
};

START_TEST(test_parse_ok)
{
	struct code c;
	size_t k;
	int found = 0;

	ck_assert_msg(code_parse(parse_ok[_i].in, &c) == 0, "%s rejected",
	    parse_ok[_i].in);
	ck_assert_uint_ge(c.n, 1);
	ck_assert_uint_le(c.n, CODE_MAXCAND);
	ck_assert_msg(c.cand[0].kind == parse_ok[_i].kind,
	    "%s: first kind %s", parse_ok[_i].in,
	    mention_kind_name(c.cand[0].kind));
	ck_assert_str_eq(c.cand[0].value, parse_ok[_i].value);
	ck_assert_int_eq(c.cand[0].derived, 0);
	if (parse_ok[_i].also == NONE)
		return;
	for (k = 1; k < c.n; k++)
		if (c.cand[k].kind == parse_ok[_i].also &&
		    strcmp(c.cand[k].value, parse_ok[_i].also_value) == 0)
			found = 1;
	ck_assert_msg(found, "%s: no %s %s", parse_ok[_i].in,
	    mention_kind_name(parse_ok[_i].also), parse_ok[_i].also_value);
}
END_TEST

static const char *const parse_bad[] = {
	"", "   ", "hello", "0x", "0xZZ", "0x123456789", "99999999999",
	"-0", "-2147483649", "12345678", "1.2", "3.2.7600.283", "hr=",
	"KB12", "0x80070643zz", "xxxxxxxx", "x2e2xxxx", "--5", "-",
	"4294967296", "E_NOSUCHTHING", "1843200000",
};

START_TEST(test_parse_bad)
{
	struct code c;

	ck_assert_msg(code_parse(parse_bad[_i], &c) == -1, "'%s' accepted",
	    parse_bad[_i]);
	ck_assert_uint_eq(c.n, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* code_describe(): substrings the description must contain */

static const struct {
	enum mention_kind kind;
	const char	*value;
	const char	*want[4];
} describe[] = {
	{ MENTION_HRESULT, "0x80070643", { "FACILITY_WIN32 1603 "
	    "ERROR_INSTALL_FAILURE: Fatal error during installation",
	    "severity: failure", "facility: 7 FACILITY_WIN32",
	    "2147944003 / -2147023293" } },
	{ MENTION_HRESULT, "0x80004005", { "E_FAIL: Unspecified error",
	    "facility: 0 FACILITY_NULL", "code: 0x4005 = 16389", "2147500037" } },
	{ MENTION_HRESULT, "0x80072ee2", { "WinHTTP 12002",
	    "ERROR_WINHTTP_TIMEOUT", "timed out", "FACILITY_WIN32" } },
	{ MENTION_HRESULT, "0x8024402c", { "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED",
	    "facility: 36 FACILITY_WINDOWSUPDATE", "WU_E_*", NULL } },
	{ MENTION_HRESULT, "0x80244010", { "WU_E_PT_EXCEEDED_MAX_SERVER_TRIPS",
	    NULL } },
	{ MENTION_HRESULT, "0x80244017", { "WU_E_PT_HTTP_STATUS_DENIED", "401",
	    NULL } },
	{ MENTION_HRESULT, "0x80244018", { "WU_E_PT_HTTP_STATUS_FORBIDDEN",
	    "403", NULL } },
	{ MENTION_HRESULT, "0x80244019", { "WU_E_PT_HTTP_STATUS_NOT_FOUND",
	    "404", NULL } },
	{ MENTION_HRESULT, "0x8024401a", { "WU_E_PT_HTTP_STATUS_BAD_METHOD",
	    NULL } },
	{ MENTION_HRESULT, "0x8024401b", { "WU_E_PT_HTTP_STATUS_PROXY_AUTH_REQ",
	    NULL } },
	{ MENTION_HRESULT, "0x8024401f", { "WU_E_PT_HTTP_STATUS_SERVER_ERROR",
	    "500", NULL } },
	{ MENTION_HRESULT, "0x80244020", { "WU_E_PT_HTTP_STATUS_NOT_SUPPORTED",
	    NULL } },
	{ MENTION_HRESULT, "0x80244021", { "WU_E_PT_HTTP_STATUS_BAD_GATEWAY",
	    NULL } },
	{ MENTION_HRESULT, "0x80244022", { "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL",
	    "503", NULL } },
	{ MENTION_HRESULT, "0x80244023", { "WU_E_PT_HTTP_STATUS_GATEWAY_TIMEOUT",
	    NULL } },
	{ MENTION_HRESULT, "0x8024401c", { "WU_E_PT_HTTP_STATUS_REQUEST_TIMEOUT",
	    NULL } },
	{ MENTION_HRESULT, "0x80244007", { "WU_E_PT_SOAPCLIENT_SOAPFAULT",
	    NULL } },
	{ MENTION_HRESULT, "0x80240438", { "WU_E_PT_ENDPOINT_UNREACHABLE",
	    NULL } },
	{ MENTION_HRESULT, "0x8024002e", { "WU_E_WU_DISABLED", NULL } },
	{ MENTION_HRESULT, "0x80240022", { "WU_E_ALL_UPDATES_FAILED", NULL } },
	{ MENTION_HRESULT, "0x800b0109", { "CERT_E_UNTRUSTEDROOT",
	    "facility: 11 FACILITY_CERT", NULL } },
	{ MENTION_HRESULT, "0x80131500", { "COR_E_EXCEPTION",
	    "facility: 19 FACILITY_URT", NULL } },
	{ MENTION_HRESULT, "0x80070005", { "E_ACCESSDENIED",
	    "ERROR_ACCESS_DENIED", NULL } },
	{ MENTION_HRESULT, "0x8007000e", { "E_OUTOFMEMORY", NULL } },
	{ MENTION_HRESULT, "0x80072ee6", { "12006", NULL } },
	{ MENTION_HRESULT, "0x80072efd", { "12029",
	    "ERROR_WINHTTP_CANNOT_CONNECT", NULL } },
	{ MENTION_HRESULT, "0x80072efe", { "12030",
	    "ERROR_WINHTTP_CONNECTION_ERROR", NULL } },
	{ MENTION_HRESULT, "0x80072f8f", { "12175",
	    "ERROR_WINHTTP_SECURE_FAILURE", NULL } },
	{ MENTION_HRESULT, "0x80190193", { "facility: 25 FACILITY_HTTP",
	    "code: 0x0193 = 403", "no description known", NULL } },
	{ MENTION_HRESULT, "0x80040154", { "facility: 4 FACILITY_ITF", NULL } },
	{ MENTION_HRESULT, "0x800f0922", { "facility: 15 FACILITY_SETUPAPI",
	    NULL } },
	{ MENTION_HRESULT, "0x80338012", { "facility: 51 FACILITY_WINRM",
	    NULL } },
	{ MENTION_HRESULT, "0x80020009", { "facility: 2 FACILITY_DISPATCH",
	    NULL } },
	{ MENTION_HRESULT, "0x80090322", { "facility: 9 FACILITY_SECURITY",
	    NULL } },
	{ MENTION_HRESULT, "0x8024ffff", { "no description known",
	    "FACILITY_WINDOWSUPDATE", "code: 0xffff = 65535", NULL } },
	{ MENTION_HRESULT, "0x00000001", { "severity: success", NULL } },
	{ MENTION_HRESULT, "0xc0000005", { "NTSTATUS", NULL } },
	{ MENTION_HRESULT, "xxxx2ee2", { "pattern", "ending in 2ee2",
	    "ERROR_WINHTTP_TIMEOUT", NULL } },
	{ MENTION_HRESULT, "0x8024xxxx", { "starting with 0x8024", NULL } },
	{ MENTION_HRESULT, "zzz", { "not an HRESULT", NULL } },
	{ MENTION_WIN32, "53", { "ERROR_BAD_NETPATH", "network path", NULL } },
	{ MENTION_WIN32, "1603", { "ERROR_INSTALL_FAILURE",
	    "HRESULT 0x80070643", NULL } },
	{ MENTION_WIN32, "1618", { "ERROR_INSTALL_ALREADY_RUNNING", NULL } },
	{ MENTION_WIN32, "12152", { "ERROR_WINHTTP_INVALID_SERVER_RESPONSE",
	    NULL } },
	{ MENTION_WIN32, "9999", { "no description known", NULL } },
	{ MENTION_HTTP, "503", { "Service Unavailable", "WsusPool", NULL } },
	{ MENTION_HTTP, "401", { "Unauthorized", NULL } },
	{ MENTION_HTTP, "403", { "Forbidden", NULL } },
	{ MENTION_STATMSG, "6703", { "SMS_WSUS_SYNC_MANAGER",
	    "synchronization failed", NULL } },
	{ MENTION_STATMSG, "6701", { "started", NULL } },
	{ MENTION_STATMSG, "6702", { "done", NULL } },
	{ MENTION_STATMSG, "6612", { "SMS_WSUS_CONFIGURATION_MANAGER", NULL } },
	{ MENTION_EVENT, "364", { "Content file download failed", NULL } },
	{ MENTION_KB, "4039929", { "support.microsoft.com/help/4039929",
	    NULL } },
	{ MENTION_LOGFILE, "wsyncmgr.log", { "Synchronization Manager",
	    NULL } },
	{ MENTION_SERVICE, "MSSQL$WSUS", { "named instance WSUS", NULL } },
	{ MENTION_SERVICE, "WsusPool", { "application pool", NULL } },
	{ MENTION_WIN32, "junk", { "not a win32 value", NULL } },
};

START_TEST(test_describe)
{
	struct buf b = {0};
	size_t k;

	code_describe(describe[_i].kind, describe[_i].value, &b);
	for (k = 0; k < 4 && describe[_i].want[k] != NULL; k++)
		ck_assert_msg(strstr(buf_str(&b), describe[_i].want[k]) != NULL,
		    "%s: '%s' lacks '%s'", describe[_i].value, buf_str(&b),
		    describe[_i].want[k]);
	ck_assert_ptr_null(strchr(buf_str(&b), '\n'));
	buf_free(&b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* code_hresult_forms() and the round trip through code_parse() */

static const struct {
	const char	*value;
	const char	*bare_upper, *udec, *sdec, *suffix, *win32;
} forms[] = {
	{ "0x80070643", "80070643", "2147944003", "-2147023293", "xxxx0643",
	    "1603" },
	{ "0x80072EE2", "80072EE2", "2147954402", "-2147012894", "xxxx2ee2",
	    "12002" },
	{ "0x80004005", "80004005", "2147500037", "-2147467259", "xxxx4005",
	    "" },
	{ "8024402c", "8024402C", "2149859372", "-2145107924", "xxxx402c", "" },
	{ "0x00000005", "00000005", "5", "5", "xxxx0005", "" },
};

START_TEST(test_forms)
{
	struct code_forms f;
	const char *w[4];
	struct code c;
	size_t k;

	ck_assert_int_eq(code_hresult_forms(forms[_i].value, &f), 0);
	ck_assert_str_eq(f.bare_upper, forms[_i].bare_upper);
	ck_assert_str_eq(f.udec, forms[_i].udec);
	ck_assert_str_eq(f.sdec, forms[_i].sdec);
	ck_assert_str_eq(f.suffix, forms[_i].suffix);
	ck_assert_str_eq(f.win32, forms[_i].win32);
	ck_assert_int_eq(strlen(f.hex), 10);
	/* Every written form of a failure HRESULT parses back to it. */
	if (f.sdec[0] != '-')
		return;
	w[0] = f.hex, w[1] = f.bare, w[2] = f.udec, w[3] = f.sdec;
	for (k = 0; k < 4; k++) {
		ck_assert_int_eq(code_parse(w[k], &c), 0);
		ck_assert_int_eq(c.cand[0].kind, MENTION_HRESULT);
		ck_assert_str_eq(c.cand[0].value, f.hex);
		ck_assert_int_eq(code_hresult_match(f.suffix, f.hex), 1);
	}
}
END_TEST

START_TEST(test_forms_bad)
{
	static const char *const bad[] = {
		"xxxx2ee2", "0x8024xxxx", "", "0x1234", "0x123456789", "zz",
		"0xgggggggg",
	};
	struct code_forms f;
	size_t k;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		ck_assert_int_eq(code_hresult_forms(bad[k], &f), -1);
		ck_assert_str_eq(f.hex, "");
		ck_assert_str_eq(f.win32, "");
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* code_hresult_match() */

static const struct {
	const char	*pattern, *value;
	int		 match;
} matches[] = {
	{ "xxxx2ee2", "0x80072ee2", 1 },
	{ "XXXX2EE2", "0x80072EE2", 1 },
	{ "xxxx2ee2", "0x80072ee3", 0 },
	{ "0x8024xxxx", "0x8024402c", 1 },
	{ "0x8024xxxx", "0x80072ee2", 0 },
	{ "0x80070643", "0x80070643", 1 },
	{ "0x80070643", "0x80070644", 0 },
	{ "xxxxxxxx", "0x80070643", 0 },
	{ "junk", "0x80070643", 0 },
	{ "xxxx2ee2", "junk", 0 },
	{ "x2eexxxx", "0x2ee00000", 0 },
};

START_TEST(test_match)
{
	ck_assert_int_eq(code_hresult_match(matches[_i].pattern,
	    matches[_i].value), matches[_i].match);
}
END_TEST

START_TEST(test_names)
{
	enum mention_kind k;
	char val[CODE_VALUE_MAX];

	ck_assert_str_eq(code_name(MENTION_HRESULT, "0x80004005"), "E_FAIL");
	ck_assert_str_eq(code_name(MENTION_WIN32, "1603"),
	    "ERROR_INSTALL_FAILURE");
	ck_assert_ptr_null(code_name(MENTION_HRESULT, "0x8024ffff"));
	ck_assert_ptr_null(code_name(MENTION_WIN32, "junk"));
	ck_assert_str_eq(code_http_reason(503), "Service Unavailable");
	ck_assert_str_eq(code_http_reason(401), "Unauthorized");
	ck_assert_ptr_null(code_http_reason(999));
	ck_assert_int_eq(code_symbol("ERROR_BAD_NETPATH", 17, &k, val), 0);
	ck_assert_int_eq(k, MENTION_WIN32);
	ck_assert_str_eq(val, "53");
	ck_assert_int_eq(code_symbol("ERROR_BAD_NETPATHX", 18, &k, val), -1);
	ck_assert_int_eq(code_symbol("Unauthorized", 12, &k, val), -1);
	ck_assert_int_eq(code_known(MENTION_HRESULT, "0x80070643"), 1);
	ck_assert_int_eq(code_known(MENTION_HRESULT, "0x80079999"), 0);
	ck_assert_int_eq(code_known(MENTION_STATMSG, "6703"), 1);
	ck_assert_int_eq(code_is_pattern("xxxx2ee2"), 1);
	ck_assert_int_eq(code_is_pattern("0x80072ee2"), 0);
}
END_TEST

/* Every candidate of every input is well formed (a light fuzz). */
START_TEST(test_parse_shapes)
{
	static const char alpha[] = "0123456789abcdefxX-=:hrKB_E ";
	unsigned long seed = 12345;
	char in[16];
	struct code c;
	int i, k;
	size_t j;

	for (i = 0; i < 20000; i++) {
		int len;

		seed = seed * 1103515245 + 12345;
		len = (int)((seed >> 16) % 14);

		for (k = 0; k < len; k++) {
			seed = seed * 1103515245 + 12345;
			in[k] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		in[len] = '\0';
		if (code_parse(in, &c) == -1) {
			ck_assert_uint_eq(c.n, 0);
			continue;
		}
		for (j = 0; j < c.n; j++) {
			struct buf b = {0};

			ck_assert_uint_lt(strlen(c.cand[j].value),
			    CODE_VALUE_MAX);
			ck_assert_int_lt(c.cand[j].kind, MENTION__MAX);
			code_describe(c.cand[j].kind, c.cand[j].value, &b);
			ck_assert_uint_gt(b.len, 0);
			buf_free(&b);
		}
	}
}
END_TEST

static Suite *
codes_suite(void)
{
	Suite *s = suite_create("codes");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_parse_ok, 0, NCASES(parse_ok));
	tcase_add_loop_test(tc, test_parse_bad, 0, NCASES(parse_bad));
	tcase_add_loop_test(tc, test_describe, 0, NCASES(describe));
	tcase_add_loop_test(tc, test_forms, 0, NCASES(forms));
	tcase_add_test(tc, test_forms_bad);
	tcase_add_loop_test(tc, test_match, 0, NCASES(matches));
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_parse_shapes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ck_run(codes_suite());
}
