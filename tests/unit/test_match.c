/*
 * test_match.c -- the matcher's parts that stand alone: message
 * templates (mask.c), rule files (rules.c: parsing, validation errors,
 * globs, version comparison) and redaction (redact.c).  The matcher as a
 * whole is tested on incidents by tests/scripts/accuracy.sh.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "mask.h"
#include "redact.h"
#include "rules.h"
#include "ckrun.h"

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* An article's quoted error and the log's wording give one template. */
static const struct {
	const char	*a, *b;
} same[] = {
	{ "The remote name could not be resolved: 'www.update.microsoft.com'",
	  "The remote name could not be resolved: 'sws.update.microsoft.com'" },
	{ "Sync failed. Will retry in 60 minutes",
	  "Sync failed. Will retry in 15 minutes" },
	{ "Failed to connect to http://SUP01:8530/ApiRemoting30",
	  "Failed to connect to https://wsus.corp.example.com:8531/ApiRemoting30" },
	{ "error 0x80070643 at 8/29/2024 3:47:01 PM",
	  "error 0x80244022 at 2024-08-29 15:47:01 PM" },
	{ "hr=80072EE2 on {6E5B5B6A-1C2F-4B87-9E1E-0D2C31A4D9B7}",
	  "hr=8024402C on {00000000-0000-0000-0000-000000000000}" },
	{ "Cannot add duplicate collection entry of type 'mimeMap' with unique "
	  "key attribute 'fileExtension' set to '.wim'",
	  "Cannot add duplicate collection entry of type 'mimeMap' with unique "
	  "key attribute 'fileExtension' set to '.msu'" },
};

START_TEST(templates_equal)
{
	struct buf a = {0}, b = {0};

	mask_template(&a, same[_i].a, NULL);
	mask_template(&b, same[_i].b, NULL);
	ck_assert_str_eq(buf_str(&a), buf_str(&b));
	buf_free(&a);
	buf_free(&b);
}
END_TEST

START_TEST(templates_hosts)
{
	struct buf t = {0};
	const char *hosts[] = { "WSUSPRIME", NULL };

	mask_template(&t, "Connecting to WSUSPRIME failed", hosts);
	ck_assert_str_eq(buf_str(&t), "Connecting to <*> failed");
	buf_reset(&t);
	/* a content word is kept, a key's value masked */
	mask_template(&t, "SqlServerName=WSUS01\\SQLEXPRESS Mode=1", NULL);
	ck_assert_str_eq(buf_str(&t), "SqlServerName=<*> Mode=<*>");
	buf_free(&t);
	/* nothing but white space: an empty template, terminated (the
	 * buffer is fresh, then one that held a longer template) */
	mask_template(&t, " \t\n ", NULL);
	ck_assert_str_eq(buf_str(&t), "");
	buf_puts(&t, "Sync failed: <*>");
	buf_reset(&t);
	ck_assert_uint_eq(mask_template_line(&t, "\n\n", NULL), 0);
	ck_assert_str_eq(buf_str(&t), "");
	/* appended after what the buffer holds, spaced on its own */
	buf_puts(&t, "x");
	mask_template(&t, "a 42 b", NULL);
	ck_assert_str_eq(buf_str(&t), "xa <*> b");
	buf_free(&t);
}
END_TEST

START_TEST(words)
{
	struct mask_word w[16];
	size_t n = mask_words("Sync failed: <*> '<*>' done", w, 16);

	ck_assert_int_eq((int)n, 4);	/* sync failed <*> done */
	ck_assert_int_eq(w[2].var, 1);
	ck_assert_int_eq(w[3].var, 0);
	ck_assert_int_eq(mask_is_stopword("the", 3), 1);
	ck_assert_int_eq(mask_is_stopword("wsus", 4), 0);
}
END_TEST

START_TEST(globs)
{
	ck_assert(rule_glob("WsusPool=Stop*", "wsuspool=STOPPED"));
	ck_assert(rule_glob("MSSQL$*=Stop*", "MSSQL$MICROSOFT##WID=Stopped"));
	ck_assert(rule_glob("0x8024401?", "0x8024401f"));
	ck_assert(!rule_glob("0x8024401?", "0x80244022"));
	ck_assert(!rule_glob("W3SVC=Stop*", "W3SVC=RUNNING"));
	ck_assert(rule_glob("*", ""));
	ck_assert(rule_glob("70[02][034]", "7023"));
	ck_assert(rule_glob("70[02][034]", "7000"));
	ck_assert(!rule_glob("70[02][034]", "7036"));
	ck_assert(rule_glob("0x8024401[7-9f]", "0x8024401F"));
	ck_assert(!rule_glob("0x8024401[7-9f]", "0x8024401a"));
	ck_assert(rule_glob("a[b", "a[b"));	/* unclosed: literal */
	ck_assert(rule_value_cmp("3.2.7600.251", "3.2.7600.283") < 0);
	ck_assert(rule_value_cmp("3.2.7600.283", "3.2.7600.283") == 0);
	ck_assert(rule_value_cmp("10.0.14393.0", "3.2.7600.283") > 0);
	ck_assert(rule_value_cmp("1843200", "999") > 0);
}
END_TEST

static const char good[] =
"- id: a-rule\n"
"  title: A title\n"
"  fix: key#anchor\n"
"  severity: warning\n"
"  confidence: 0.5\n"
"  same-host: true\n"
"  all:\n"
"    - {kind: http, value: \"503\", min: 3, span: 2h}\n"
"  any:\n"
"    - {kind: registry, value: \"Version=*\", compare: \"< 3.2\"}\n"
"    - {message: \"*failed*\", role: client}\n"
"  none:\n"
"    - {kind: wsus_url, foreign: true}\n";

START_TEST(rules_good)
{
	struct vec out = {0};
	struct rule *r;
	struct rule_cond *c;

	ck_assert_int_eq(rules_parse("t.yaml", good, sizeof(good) - 1, &out,
	    0), 0);
	ck_assert_int_eq((int)out.n, 1);
	r = out.v[0];
	ck_assert_str_eq(r->id, "a-rule");
	ck_assert_str_eq(r->fix_key, "key");
	ck_assert_str_eq(r->fix_anchor, "anchor");
	ck_assert_int_eq(r->severity, 2);
	ck_assert_int_eq(r->same_host, 1);
	ck_assert_int_eq((int)r->conds.n, 4);
	c = r->conds.v[0];
	ck_assert_int_eq(c->min, 3);
	ck_assert_int_eq((int)c->span_ms, 2 * 3600 * 1000);
	c = r->conds.v[1];
	ck_assert_str_eq(c->cmp, "<");
	ck_assert_str_eq(c->cmp_value, "3.2");
	c = r->conds.v[3];
	ck_assert_int_eq(c->group, RG_NONE);
	ck_assert_int_eq(c->foreign, 1);
	rule_free(r);
	vec_free(&out);
}
END_TEST

/* Each bad file: the error count and the line of the first error. */
static const struct {
	const char	*text;
	int		 errors;
	long		 line;
} bad[] = {
	{ "- id: x\n  title: t\n  fix: k#a\n  all:\n    - {kind: http, valeu: 503}\n", 1, 5 },
	{ "- id: x\n  title: t\n  fix: nohash\n  all: [{kind: http}]\n", 1, 3 },
	{ "- id: x\n  title: t\n  fix: k#a\n", 1, 1 },
	{ "- id: x\n  title: t\n  fix: k#a\n  severity: fatal\n  all: [{kind: http}]\n", 1, 4 },
	{ "- id: x\n  title: t\n  fix: k#a\n  confidence: 2\n  all: [{kind: http}]\n", 1, 4 },
	{ "- id: x\n  title: t\n  fix: k#a\n  all: [{kind: http, min: 0}]\n", 1, 4 },
	{ "- id: x\n  title: t\n  fix: k#a\n  all: [{kind: http, span: 5y}]\n", 1, 4 },
	{ "- id: x\n  title: t\n  fix: k#a\n  all: [{kind: http, foreign: true}]\n", 1, 4 },
	{ "- id: x\n  title: t\n  fix: k#a\n  all: [{role: client}]\n", 1, 4 },
	{ "- id: x\n  title: t\n  fix: k#a\n  all: [{kind: a}]\n"
	  "- id: x\n  title: t\n  fix: k#a\n  all: [{kind: a}]\n", 1, 5 },
	{ "key: value\n", 1, 1 },
	{ "- id: [unclosed\n", 1, 2 },
};

START_TEST(rules_bad)
{
	struct vec out = {0};
	struct buf err = {0};
	size_t i;
	char want[64];

	diag_capture(&err);
	ck_assert_int_eq(rules_parse("bad.yaml", bad[_i].text,
	    strlen(bad[_i].text), &out, 1), bad[_i].errors);
	diag_capture(NULL);
	snprintf(want, sizeof(want), "bad.yaml:%ld", bad[_i].line);
	ck_assert_msg(strstr(buf_str(&err), want) != NULL,
	    "case %d: want %s in: %s", _i, want, buf_str(&err));
	ck_assert_msg(strstr(buf_str(&err), "error:") != NULL, "%s",
	    buf_str(&err));
	for (i = 0; i < out.n; i++)
		rule_free(out.v[i]);
	vec_free(&out);
	buf_free(&err);
}
END_TEST

START_TEST(redaction)
{
	const char *hosts[] = { "SUP01", "CM01", NULL };
	struct redact *r = redact_new(hosts);
	char *a = redact_str(r, "SUP01 at 10.20.1.10 asked cm01.corp.example.com "
	    "as CORP\\jdoe (S-1-5-21-1004336348-1177238915-682003330-512) "
	    "for http://sws.update.microsoft.com and fe80::1c2b:3ff:fe4a:1");
	char *b = redact_str(r, "again: SUP01, 10.20.1.10, jdoe@corp.example.com");

	ck_assert_msg(strstr(a, "SUP01") == NULL, "%s", a);
	ck_assert_msg(strstr(a, "10.20.1.10") == NULL, "%s", a);
	ck_assert_msg(strstr(a, "jdoe") == NULL, "%s", a);
	ck_assert_msg(strstr(a, "S-1-5-21") == NULL, "%s", a);
	ck_assert_msg(strstr(a, "fe80") == NULL, "%s", a);
	ck_assert_msg(strstr(a, "corp.example.com") == NULL, "%s", a);
	ck_assert_msg(strstr(a, "sws.update.microsoft.com") != NULL, "%s", a);
	ck_assert_msg(strstr(a, "HOST-1 at IP-1") != NULL, "%s", a);
	/* the same value gets the same replacement everywhere */
	ck_assert_msg(strstr(b, "HOST-1, IP-1") != NULL, "%s", b);
	ck_assert_msg(strstr(b, "jdoe") == NULL, "%s", b);
	free(a);
	free(b);
	redact_free(r);
}
END_TEST

static Suite *
match_suite(void)
{
	Suite *s = suite_create("match");
	TCase *t = tcase_create("match");

	tcase_add_loop_test(t, templates_equal, 0, NCASES(same));
	tcase_add_test(t, templates_hosts);
	tcase_add_test(t, words);
	tcase_add_test(t, globs);
	tcase_add_test(t, rules_good);
	tcase_add_loop_test(t, rules_bad, 0, NCASES(bad));
	tcase_add_test(t, redaction);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	return ck_run(match_suite());
}
