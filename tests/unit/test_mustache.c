/*
 * test_mustache.c -- mustache.c: built-in cases (escaping, sections over
 * lists, inverted sections, partials, blocks and parents, limits, missing
 * partials, compile errors, the value API, loaders), then the official
 * Mustache spec from $KBGEN_SHARED/spec/mustache, each case its own Check
 * loop test.  The built-in cases always run; without the spec the program
 * exits 77 (skipped) once they pass.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"
#include "mustache.h"

#define NCASES(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* ------------------------------------------------------------------ */
/* A small JSON reader into mu_value trees (spec files and test data). */

struct jr {
	const char	*p, *end;
	unsigned	 depth;
};

static struct mu_value *jr_value(struct jr *);

static void
jr_ws(struct jr *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
jr_lit(struct jr *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return 0;
	j->p += n;
	return 1;
}

/* Four hex digits after \u; -1 when malformed. */
static long
jr_hex4(struct jr *j)
{
	long u = 0;
	int i, c;

	if (j->end - j->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		c = (unsigned char)*j->p++;
		if (!kb_isxdigit(c))
			return -1;
		u = u * 16 + (kb_isdigit(c) ? c - '0' : (c | 32) - 'a' + 10);
	}
	return u;
}

static void
jr_utf8(struct buf *b, unsigned long c)
{
	if (c < 0x80)
		buf_putc(b, (int)c);
	else if (c < 0x800) {
		buf_putc(b, (int)(0xc0 | c >> 6));
		buf_putc(b, (int)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_putc(b, (int)(0xe0 | c >> 12));
		buf_putc(b, (int)(0x80 | ((c >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (c & 0x3f)));
	} else {
		buf_putc(b, (int)(0xf0 | c >> 18));
		buf_putc(b, (int)(0x80 | ((c >> 12) & 0x3f)));
		buf_putc(b, (int)(0x80 | ((c >> 6) & 0x3f)));
		buf_putc(b, (int)(0x80 | (c & 0x3f)));
	}
}

/* \uXXXX, joining surrogate pairs; a lone surrogate becomes U+FFFD. */
static int
jr_unicode(struct jr *j, struct buf *b)
{
	long hi = jr_hex4(j), lo;

	if (hi < 0)
		return -1;
	if (hi >= 0xd800 && hi < 0xdc00 && jr_lit(j, "\\u")) {
		if ((lo = jr_hex4(j)) < 0)
			return -1;
		if (lo >= 0xdc00 && lo < 0xe000) {
			jr_utf8(b, 0x10000 + ((unsigned long)(hi - 0xd800) << 10) +
			    (unsigned long)(lo - 0xdc00));
			return 0;
		}
		jr_utf8(b, 0xfffd);
		hi = lo;
	}
	jr_utf8(b, hi >= 0xd800 && hi < 0xe000 ? 0xfffd : (unsigned long)hi);
	return 0;
}

/* A string (at its opening quote) into b; 0 or -1. */
static int
jr_string(struct jr *j, struct buf *b)
{
	static const char esc[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	const char *e;
	int c;

	j->p++;
	while (j->p < j->end && *j->p != '"') {
		c = (unsigned char)*j->p++;
		if (c < 0x20)
			return -1;
		if (c != '\\') {
			buf_putc(b, c);
			continue;
		}
		if (j->p == j->end)
			return -1;
		c = (unsigned char)*j->p++;
		if (c == 'u') {
			if (jr_unicode(j, b) == -1)
				return -1;
			continue;
		}
		for (e = esc; *e && *e != c; e += 2)
			continue;
		if (*e == '\0')
			return -1;
		buf_putc(b, e[1]);
	}
	if (j->p == j->end)
		return -1;
	j->p++;
	return 0;
}

/* A number, kept as its text. */
static struct mu_value *
jr_number(struct jr *j)
{
	const char *s = j->p;
	int digits = 0;

	while (j->p < j->end && (kb_isdigit((unsigned char)*j->p) ||
	    strchr("+-.eE", *j->p) != NULL))
		digits += kb_isdigit((unsigned char)*j->p++);
	if (digits == 0)
		return NULL;
	{
		struct buf b = {0};
		struct mu_value *v;

		buf_put(&b, s, (size_t)(j->p - s));
		v = mu_num(b.data);
		buf_free(&b);
		return v;
	}
}

static struct mu_value *
jr_array(struct jr *j)
{
	struct mu_value *a = mu_list(), *v;

	j->p++;
	jr_ws(j);
	if (jr_lit(j, "]"))
		return a;
	for (;;) {
		if ((v = jr_value(j)) == NULL)
			break;
		mu_push(a, v);
		jr_ws(j);
		if (jr_lit(j, "]"))
			return a;
		if (!jr_lit(j, ","))
			break;
	}
	mu_free(a);
	return NULL;
}

static struct mu_value *
jr_object(struct jr *j)
{
	struct mu_value *o = mu_map(), *v;
	struct buf key = {0};

	j->p++;
	jr_ws(j);
	if (jr_lit(j, "}"))
		return o;
	for (;;) {
		buf_reset(&key);
		jr_ws(j);
		if (j->p == j->end || *j->p != '"' || jr_string(j, &key) == -1)
			break;
		jr_ws(j);
		if (!jr_lit(j, ":") || (v = jr_value(j)) == NULL)
			break;
		mu_setn(o, buf_str(&key), key.len, v);
		jr_ws(j);
		if (jr_lit(j, "}")) {
			buf_free(&key);
			return o;
		}
		if (!jr_lit(j, ","))
			break;
	}
	buf_free(&key);
	mu_free(o);
	return NULL;
}

/* Any value; NULL when malformed or nested deeper than 64. */
static struct mu_value *
jr_value(struct jr *j)
{
	struct mu_value *v = NULL;
	struct buf s = {0};

	jr_ws(j);
	if (j->p == j->end || j->depth >= 64)
		return NULL;
	j->depth++;
	if (*j->p == '{')
		v = jr_object(j);
	else if (*j->p == '[')
		v = jr_array(j);
	else if (*j->p == '"') {
		if (jr_string(j, &s) == 0)
			v = mu_strn(buf_str(&s), s.len);
		buf_free(&s);
	} else if (jr_lit(j, "true"))
		v = mu_bool(1);
	else if (jr_lit(j, "false"))
		v = mu_bool(0);
	else if (jr_lit(j, "null"))
		v = mu_null();
	else
		v = jr_number(j);
	j->depth--;
	return v;
}

/* A whole document; NULL when malformed or followed by anything. */
static struct mu_value *
json_parse(const char *s, size_t len)
{
	struct jr j = { s, s + len, 0 };
	struct mu_value *v = jr_value(&j);

	jr_ws(&j);
	if (v && j.p != j.end) {
		mu_free(v);
		v = NULL;
	}
	return v;
}

static struct mu_value *
json_str(const char *s)
{
	struct mu_value *v = json_parse(s, strlen(s));

	ck_assert_msg(v != NULL, "bad test JSON: %s", s);
	return v;
}

/* A string for a failure message: C escapes for control bytes. */
static const char *
show(struct buf *b, const char *s)
{
	buf_reset(b);
	buf_putc(b, '"');
	for (; s && *s; s++) {
		if (*s == '\n')
			buf_puts(b, "\\n");
		else if (*s == '\r')
			buf_puts(b, "\\r");
		else if (*s == '\t')
			buf_puts(b, "\\t");
		else if (*s == '"' || *s == '\\')
			buf_printf(b, "\\%c", *s);
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '"');
	return buf_str(b);
}

/* A partials table from a JSON object of name: source (NULL: none). */
static struct mu_partials *
partials_from(const struct mu_value *obj)
{
	struct mu_partials *p = mu_partials_new(NULL);
	const struct mu_value *v;
	const char *name, *text;
	struct buf err = {0};
	size_t i, len;

	for (i = 0; (name = mu_key(obj, i, &v)) != NULL; i++) {
		text = mu_text(v, &len);
		ck_assert_ptr_nonnull(text);
		ck_assert_msg(mu_partials_add(p, name, text, len, &err) == 0,
		    "partial %s: %s", name, buf_str(&err));
	}
	buf_free(&err);
	return p;
}

/* ------------------------------------------------------------------ */
/* Built-in cases: template, data, partials -> output, status, message */

static const struct {
	const char	*name;
	const char	*tmpl;
	const char	*data;		/* JSON */
	const char	*partials;	/* JSON object, or NULL */
	const char	*want;		/* output (not checked when rc is -1) */
	int		 rc;		/* what mu_render returns */
	const char	*err;		/* substring of its messages, or NULL */
} render_case[] = {
	{ "escaping", "{{x}}|{{{x}}}|{{&x}}|{{ x }}",
	    "{\"x\":\"<a href=\\\"u\\\">'&'</a>\"}", NULL,
	    "&lt;a href=&quot;u&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;|"
	    "<a href=\"u\">'&'</a>|<a href=\"u\">'&'</a>|"
	    "&lt;a href=&quot;u&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;", 0, NULL },
	{ "escaping, dotted", "{{#a}}{{b.c}}{{/a}}",
	    "{\"a\":{\"b\":{\"c\":\"<script>\"}}}", NULL,
	    "&lt;script&gt;", 0, NULL },
	{ "escaping, implicit iterator", "{{#l}}{{.}},{{/l}}",
	    "{\"l\":[\"<\",\">\",\"&\",\"\\\"\",\"'\"]}", NULL,
	    "&lt;,&gt;,&amp;,&quot;,&#39;,", 0, NULL },
	{ "escaping, partial", "{{>p}}", "{\"x\":\"<b>\"}",
	    "{\"p\":\"{{x}}{{{x}}}\"}", "&lt;b&gt;<b>", 0, NULL },
	{ "escaped data is not a template", "{{x}}", "{\"x\":\"{{y}}\",\"y\":1}",
	    NULL, "{{y}}", 0, NULL },
	{ "list of maps, standalone lines",
	    "<ul>\n{{#items}}\n  <li>{{name}}</li>\n{{/items}}\n</ul>\n",
	    "{\"items\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", NULL,
	    "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n", 0, NULL },
	{ "list of lists", "{{#m}}[{{#.}}{{.}}{{/.}}]{{/m}}",
	    "{\"m\":[[1,2],[3],[]]}", NULL, "[12][3][]", 0, NULL },
	{ "context stack", "{{#items}}{{name}}@{{site}} {{/items}}",
	    "{\"site\":\"kb\",\"items\":[{\"name\":\"a\"},"
	    "{\"name\":\"b\",\"site\":\"x\"}]}", NULL, "a@kb b@x ", 0, NULL },
	{ "map section pushes context", "{{#a}}{{b}}{{/a}}{{b}}",
	    "{\"a\":{\"b\":1},\"b\":2}", NULL, "12", 0, NULL },
	{ "inverted", "{{^l}}none{{/l}}|{{^s}}empty{{/s}}|{{^z}}zero{{/z}}|"
	    "{{^m}}missing{{/m}}|{{^f}}false{{/f}}|{{^n}}null{{/n}}|"
	    "{{^t}}T{{/t}}|{{^o}}O{{/o}}",
	    "{\"l\":[],\"s\":\"\",\"z\":-0.0,\"f\":false,\"n\":null,"
	    "\"t\":\"x\",\"o\":{}}", NULL,
	    "none|empty|zero|missing|false|null||", 0, NULL },
	{ "truthy numbers and strings", "{{#a}}a{{/a}}{{#b}}b{{/b}}{{#c}}c{{/c}}",
	    "{\"a\":0.5,\"b\":\"0\",\"c\":1e0}", NULL, "abc", 0, NULL },
	{ "values as text", "{{t}} {{f}} {{n}} {{l}}|{{m}}|{{x}}",
	    "{\"t\":true,\"f\":false,\"n\":null,\"l\":[1],\"m\":{\"a\":1},"
	    "\"x\":1.50}", NULL, "true false  ||1.50", 0, NULL },
	{ "many keys (hashed map)", "{{k1}}{{k19}}{{k7}}{{k20}}{{dup}}",
	    "{\"k0\":0,\"k1\":1,\"k2\":2,\"k3\":3,\"k4\":4,\"k5\":5,\"k6\":6,"
	    "\"k7\":7,\"k8\":8,\"k9\":9,\"k10\":10,\"k11\":11,\"k12\":12,"
	    "\"k13\":13,\"k14\":14,\"k15\":15,\"k16\":16,\"k17\":17,"
	    "\"k18\":18,\"k19\":19,\"dup\":1,\"dup\":2}", NULL,
	    "11972", 0, NULL },
	{ "CRLF standalone", "a\r\n{{#x}}\r\nb\r\n{{/x}}\r\n",
	    "{\"x\":true}", NULL, "a\r\nb\r\n", 0, NULL },
	{ "partial indentation", "<div>\n  {{>item}}\n</div>\n",
	    "{\"text\":\"a\\nb\"}", "{\"item\":\"<p>\\n{{text}}\\n\\n</p>\\n\"}",
	    "<div>\n  <p>\n  a\nb\n\n  </p>\n</div>\n", 0, NULL },
	{ "nested partial indentation", "x\n  {{>a}}\n",
	    "{}", "{\"a\":\"a\\n  {{>b}}\\n\",\"b\":\"b1\\nb2\\n\"}",
	    "x\n  a\n    b1\n    b2\n", 0, NULL },
	{ "recursive partial over data", "{{>node}}",
	    "{\"n\":\"r\",\"kids\":[{\"n\":\"a\",\"kids\":[{\"n\":\"b\","
	    "\"kids\":[]}]}]}",
	    "{\"node\":\"{{n}}({{#kids}}{{>node}}{{/kids}})\"}",
	    "r(a(b()))", 0, NULL },
	{ "layout with blocks",
	    "{{<layout}}\n{{$title}}{{name}}{{/title}}\n{{$body}}\n"
	    "<h1>{{name}}</h1>\n<p>x</p>\n{{/body}}\n{{/layout}}\n",
	    "{\"name\":\"0x80070643 & <b>\"}",
	    "{\"layout\":\"<html>\\n<title>{{$title}}KB{{/title}}</title>\\n"
	    "<body>\\n  {{$body}}\\n  default\\n  {{/body}}\\n</body>\\n"
	    "</html>\\n\"}",
	    "<html>\n<title>0x80070643 &amp; &lt;b&gt;</title>\n<body>\n"
	    "  <h1>0x80070643 &amp; &lt;b&gt;</h1>\n  <p>x</p>\n</body>\n"
	    "</html>\n", 0, NULL },
	{ "layout defaults", "{{<layout}}{{/layout}}", "{}",
	    "{\"layout\":\"<title>{{$title}}KB{{/title}}</title>\\n"
	    "<body>\\n  {{$body}}\\n  default\\n  {{/body}}\\n</body>\\n\"}",
	    "<title>KB</title>\n<body>\n  default\n</body>\n", 0, NULL },
	{ "two levels of layout", "{{<page}}{{$main}}M{{/main}}{{/page}}", "{}",
	    "{\"page\":\"{{<base}}{{$body}}[{{$main}}m{{/main}}]{{/body}}"
	    "{{/base}}\",\"base\":\"<{{$body}}b{{/body}}>\"}",
	    "<[M]>", 0, NULL },
	{ "block scope is the site's", "{{<p}}{{$b}}{{x}}{{/b}}{{/p}}",
	    "{\"x\":1,\"in\":{\"x\":2}}", "{\"p\":\"{{#in}}{{$b}}{{/b}}{{/in}}\"}",
	    "2", 0, NULL },
	{ "partial recursion limit", "{{>r}}", "{}", "{\"r\":\"x{{>r}}\"}",
	    NULL, -1, "r:1:2: partials nested too deeply" },
	{ "parent recursion limit", "{{<r}}{{/r}}", "{}",
	    "{\"r\":\"{{<r}}{{/r}}\"}", NULL, -1, "partials nested too deeply" },
	{ "block recursion limit", "{{<p}}{{$a}}{{$a}}{{/a}}{{/a}}{{/p}}", "{}",
	    "{\"p\":\"{{$a}}{{/a}}\"}", NULL, -1, "nested too deeply" },
	{ "exponential partials", "{{>a}}", "{}",
	    "{\"a\":\"{{>a}}{{>a}}\"}", NULL, -1, "nested too deeply" },
	{ "missing partial", "[{{>nope}}]\n{{<gone}}{{/gone}}", "{}", NULL,
	    "[]\n", 1, "t:1:2: partial 'nope' not found\n"
	    "t:2:1: parent 'gone' not found" },
	{ "missing dynamic name is quiet", "[{{>*who}}]", "{}", "{}",
	    "[]", 0, NULL },
	{ "dynamic partial", "{{#l}}{{>*kind}}{{/l}}",
	    "{\"l\":[{\"kind\":\"a\"},{\"kind\":\"b\"},{\"kind\":\"c\"}]}",
	    "{\"a\":\"A\",\"b\":\"B\"}", "AB", 1, "t:1:7: partial 'c' not found" },
	{ "dynamic name from data is quoted safely", "{{>*k}}",
	    "{\"k\":\"\\u001b[31m\"}", "{}", "", 1, "partial '?[31m' not found" },
	{ "missing partial, inline", "a{{>bad}}b", "{}",
	    "{\"good\":\"x\"}", "ab", 1, "t:1:2: partial 'bad' not found" },
	{ "delimiters do not leak into partials", "{{=<% %>=}}<%>p%><%x%>",
	    "{\"x\":1}", "{\"p\":\"{{x}}\"}", "11", 0, NULL },
};

START_TEST(test_render)
{
	struct mu_value *data = json_str(render_case[_i].data);
	struct mu_value *parts = render_case[_i].partials ?
	    json_str(render_case[_i].partials) : mu_map();
	struct mu_partials *p = partials_from(parts);
	struct buf out = {0}, err = {0}, s1 = {0}, s2 = {0};
	struct mu_template *t;
	int rc;

	t = mu_compile("t", render_case[_i].tmpl, strlen(render_case[_i].tmpl),
	    &err);
	ck_assert_msg(t != NULL, "%s: %s", render_case[_i].name, buf_str(&err));
	rc = mu_render(t, data, p, &out, &err);
	ck_assert_msg(rc == render_case[_i].rc, "%s: rc %d, err %s",
	    render_case[_i].name, rc, buf_str(&err));
	if (render_case[_i].rc != -1)
		ck_assert_msg(strcmp(buf_str(&out), render_case[_i].want) == 0,
		    "%s:\n want %s\n got  %s", render_case[_i].name,
		    show(&s1, render_case[_i].want), show(&s2, buf_str(&out)));
	if (render_case[_i].err)
		ck_assert_msg(strstr(buf_str(&err), render_case[_i].err) != NULL,
		    "%s: err %s", render_case[_i].name, buf_str(&err));
	else if (render_case[_i].rc == 0)
		ck_assert_msg(err.len == 0, "%s: err %s", render_case[_i].name,
		    buf_str(&err));
	mu_template_free(t);
	mu_partials_free(p);
	mu_free(data);
	mu_free(parts);
	buf_free(&out);
	buf_free(&err);
	buf_free(&s1);
	buf_free(&s2);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Compile errors: exact messages with positions */

static const struct {
	const char	*tmpl;
	const char	*err;
} compile_bad[] = {
	{ "{{#a}}x", "t:1:1: unclosed section 'a'" },
	{ "{{#a}}x{{/b}}",
	    "t:1:8: closing tag 'b' does not match 'a' opened at line 1" },
	{ "a\n\n  {{#x}}\n{{/y}}",
	    "t:4:1: closing tag 'y' does not match 'x' opened at line 3" },
	{ "x\n {{/a}}", "t:2:2: closing tag 'a' without an opening tag" },
	{ "{{<p}}{{$b}}{{/p}}",
	    "t:1:13: closing tag 'p' does not match 'b' opened at line 1" },
	{ "ok\n{{x", "t:2:1: unclosed tag" },
	{ "{{{x}}", "t:1:1: unclosed tag" },
	{ "{{! never closed", "t:1:1: unclosed tag" },
	{ "{{}}", "t:1:1: empty tag" },
	{ "{{#  }}{{/}}", "t:1:1: empty tag" },
	{ "{{>*}}", "t:1:1: empty tag" },
	{ "{{a b}}", "t:1:1: bad tag name 'a b'" },
	{ "{{= <% =}}", "t:1:1: bad delimiters '<%'" },
	{ "{{=a= b=}}", "t:1:1: bad delimiters 'a= b'" },
	{ "{{=a b c=}}", "t:1:1: bad delimiters 'a b c'" },
	{ "{{=<<<<<<<<<<<<<<<<< >=}}",
	    "t:1:1: bad delimiters '<<<<<<<<<<<<<<<<< >'" },
	{ "{{=[ ]=}}\n [#a]", "t:2:2: unclosed section 'a'" },
	{ "{{!\n\n}}  {{/x}}", "t:3:5: closing tag 'x' without an opening tag" },
};

START_TEST(test_compile_bad)
{
	struct buf err = {0};
	struct mu_template *t;

	t = mu_compile("t", compile_bad[_i].tmpl, strlen(compile_bad[_i].tmpl),
	    &err);
	ck_assert_msg(t == NULL, "'%s' compiled", compile_bad[_i].tmpl);
	ck_assert_str_eq(buf_str(&err), compile_bad[_i].err);
	ck_assert_ptr_null(mu_compile("t", compile_bad[_i].tmpl,
	    strlen(compile_bad[_i].tmpl), NULL));
	buf_free(&err);
}
END_TEST

START_TEST(test_nesting_limit)
{
	struct buf src = {0}, err = {0}, out = {0};
	struct mu_template *t;
	int i;

	for (i = 0; i < 256; i++)
		buf_puts(&src, "{{#a}}");
	for (i = 0; i < 256; i++)
		buf_puts(&src, "{{/a}}");
	t = mu_compile("deep", src.data, src.len, &err);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(mu_render(t, NULL, NULL, &out, &err), 0);
	mu_template_free(t);
	buf_reset(&src);
	for (i = 0; i < 257; i++)
		buf_puts(&src, "{{#a}}");
	ck_assert_ptr_null(mu_compile("deep", src.data, src.len, &err));
	ck_assert_str_eq(buf_str(&err),
	    "deep:1:1537: sections nested too deeply (limit 256)");
	buf_free(&src);
	buf_free(&err);
	buf_free(&out);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Limits, loaders, the value API */

START_TEST(test_limits)
{
	struct mu_value *data = json_str("{\"l\":[1,2,3,4,5,6,7,8,9,10]}");
	struct mu_limits lim = { 0, 0, 0, 10000 };
	struct buf out = {0}, err = {0};
	const char *src = "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}x{{/l}}{{/l}}{{/l}}"
	    "{{/l}}{{/l}}";
	struct mu_template *t = mu_compile("t", src, strlen(src), &err);

	ck_assert_int_eq(mu_render_limits(t, data, NULL, &lim, &out, &err), -1);
	ck_assert_ptr_nonnull(strstr(buf_str(&err), "too many steps"));
	buf_reset(&out);
	buf_reset(&err);
	lim.steps = 0;
	lim.output = 5000;
	ck_assert_int_eq(mu_render_limits(t, data, NULL, &lim, &out, &err), -1);
	ck_assert_ptr_nonnull(strstr(buf_str(&err), "output too large"));
	ck_assert_uint_le(out.len, 5001);
	buf_reset(&out);
	buf_reset(&err);
	lim.output = 0;
	lim.nest = 3;
	ck_assert_int_eq(mu_render_limits(t, data, NULL, &lim, &out, &err), -1);
	ck_assert_str_eq(buf_str(&err),
	    "t:1:19: templates nested too deeply");
	buf_reset(&out);
	ck_assert_int_eq(mu_render(t, data, NULL, &out, NULL), 0);
	ck_assert_uint_eq(out.len, 100000);
	mu_template_free(t);
	mu_free(data);
	buf_free(&out);
	buf_free(&err);
}
END_TEST

struct fake_loader {
	struct buf	names;		/* every name asked for, ';' after each */
};

static int
fake_load(void *arg, const char *name, struct buf *text, struct buf *err)
{
	struct fake_loader *f = arg;

	buf_printf(&f->names, "%s;", name);
	if (strcmp(name, "io") == 0) {
		buf_puts(err, "io: disk on fire");
		return -1;
	}
	if (strcmp(name, "silent") == 0)
		return -1;
	if (strcmp(name, "broken") == 0) {
		buf_puts(text, "{{#x}}");
		return 0;
	}
	if (strncmp(name, "p", 1) != 0)
		return 1;
	buf_printf(text, "<%s:{{v}}>", name);
	return 0;
}

START_TEST(test_loader)
{
	struct fake_loader f = { {0} };
	struct mu_loader l = { fake_load, &f };
	struct mu_partials *p = mu_partials_new(&l);
	struct mu_value *data = json_str("{\"v\":1,\"bad\":[\"../p\",\"/p\","
	    "\"p/../../x\",\"p q\",\"p\\u0000\",\"pok\",\"pok\",\"dir/p2\"]}");
	struct buf out = {0}, err = {0};
	const char *src = "{{#bad}}{{>*.}}{{/bad}}{{>p1}}{{>p1}}{{>x}}";
	struct mu_template *t = mu_compile("t", src, strlen(src), &err);

	ck_assert_int_eq(mu_partials_add(p, "p1", "added", 5, &err), 0);
	ck_assert_int_eq(mu_render(t, data, p, &out, &err), 1);
	ck_assert_str_eq(buf_str(&out), "<pok:1><pok:1>addedadded");
	/* Unsafe names never reach the loader; each name loads once. */
	ck_assert_str_eq(buf_str(&f.names), "pok;dir/p2;x;");
	ck_assert_ptr_nonnull(strstr(buf_str(&err), "partial '../p' not found"));
	ck_assert_ptr_nonnull(strstr(buf_str(&err), "partial 'p?' not found"));
	ck_assert_ptr_nonnull(mu_partials_get(p, "pok", NULL));
	ck_assert_ptr_null(mu_partials_get(p, "nothing", &err));
	mu_template_free(t);

	buf_reset(&out);
	buf_reset(&err);
	t = mu_compile("t", "a{{>io}}", 8, &err);
	ck_assert_int_eq(mu_render(t, data, p, &out, &err), -1);
	ck_assert_str_eq(buf_str(&err), "t:1:2: io: disk on fire");
	mu_template_free(t);

	buf_reset(&err);
	t = mu_compile("t", "{{>silent}}", 11, &err);
	ck_assert_int_eq(mu_render(t, data, p, &out, &err), -1);
	ck_assert_str_eq(buf_str(&err), "t:1:1: cannot load 'silent'");
	mu_template_free(t);

	buf_reset(&err);
	t = mu_compile("t", "a\n {{>broken}}", 14, &err);
	ck_assert_int_eq(mu_render(t, data, p, &out, &err), -1);
	ck_assert_str_eq(buf_str(&err),
	    "t:2:2: broken:1:1: unclosed section 'x'");
	mu_template_free(t);

	mu_partials_free(p);
	mu_free(data);
	buf_free(&f.names);
	buf_free(&out);
	buf_free(&err);
}
END_TEST

START_TEST(test_partials_table)
{
	struct mu_partials *p = mu_partials_new(NULL);
	struct mu_value *data = json_str("{\"t\":true}");
	struct mu_limits lim = { 0, 1, 0, 0 };
	struct buf out = {0}, err = {0};
	struct mu_template *t = mu_compile("page", "[{{>a}}]", 8, NULL);

	ck_assert_str_eq(mu_template_name(t), "page");
	ck_assert_int_eq(mu_partials_add(p, "a", "one", 3, &err), 0);
	ck_assert_int_eq(mu_partials_add(p, "a", "two", 3, &err), 0);
	ck_assert_int_eq(mu_partials_add(p, "b", "{{/x}}", 6, &err), -1);
	ck_assert_str_eq(buf_str(&err),
	    "b:1:1: closing tag 'x' without an opening tag");
	ck_assert_ptr_null(mu_partials_get(p, "b", NULL));
	ck_assert_int_eq(mu_render(t, NULL, p, &out, NULL), 0);
	ck_assert_str_eq(buf_str(&out), "[two]");
	mu_template_free(t);

	/* No err buffer: a miss is still reported by the status. */
	buf_reset(&out);
	t = mu_compile(NULL, "{{>zz}}", 7, NULL);
	ck_assert_str_eq(mu_template_name(t), "template");
	ck_assert_int_eq(mu_render(t, NULL, p, &out, NULL), 1);
	mu_template_free(t);

	/* The nest limit counts a partial as one level. */
	buf_reset(&err);
	t = mu_compile("page", "{{#t}}{{>a}}{{/t}}", 18, NULL);
	ck_assert_int_eq(mu_render_limits(t, data, p, &lim, &out, &err), -1);
	ck_assert_str_eq(buf_str(&err), "page:1:7: templates nested too deeply");
	mu_template_free(t);

	t = mu_compile("empty", NULL, 0, NULL);
	buf_reset(&out);
	ck_assert_int_eq(mu_render(t, data, p, &out, NULL), 0);
	ck_assert_str_eq(buf_str(&out), "");
	mu_template_free(t);
	mu_partials_free(p);
	mu_free(data);
	buf_free(&out);
	buf_free(&err);
}
END_TEST

START_TEST(test_values)
{
	struct mu_value *m = mu_map(), *l, *v;
	const struct mu_value *c;
	char key[16];
	size_t len;
	int i;

	l = mu_set(m, "items", mu_list());
	ck_assert_ptr_nonnull(mu_push(l, mu_str("a")));
	ck_assert_ptr_nonnull(mu_push(l, mu_strn("b\0c", 3)));
	ck_assert_ptr_null(mu_push(m, mu_str("not a list")));
	ck_assert_ptr_null(mu_set(l, "k", mu_str("not a map")));
	mu_set(m, "n", mu_int(-42));
	mu_set(m, "n", mu_num("1.5"));	/* replaces */
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		mu_set(m, key, mu_int(i));
	}
	ck_assert_uint_eq(mu_len(m), 102);
	ck_assert_str_eq(mu_key(m, 0, NULL), "items");
	ck_assert_str_eq(mu_key(m, 1, &c), "n");
	ck_assert_str_eq(mu_text(c, &len), "1.5");
	ck_assert_str_eq(mu_text(mu_get(m, "k77"), NULL), "77");
	ck_assert_ptr_null(mu_get(m, "k100"));
	ck_assert_ptr_null(mu_key(m, 102, NULL));
	ck_assert_int_eq(mu_type(mu_get(m, "items")), MU_LIST);
	ck_assert_uint_eq(mu_len(mu_at(mu_get(m, "items"), 1)), 3);
	ck_assert_ptr_null(mu_at(mu_get(m, "items"), 2));
	ck_assert_int_eq(mu_type(NULL), MU_NULL);
	ck_assert_int_eq(mu_truthy(NULL), 0);
	v = mu_str(NULL);
	ck_assert_uint_eq(mu_len(v), 0);
	mu_free(v);
	mu_free(m);
	mu_free(NULL);
}
END_TEST

START_TEST(test_json_reader)
{
	static const char *bad[] = { "", "{", "[1,]", "{\"a\" 1}", "\"\\x\"",
	    "tru", "[1] x", "\"\x01\"", "-", "{\"a\":1,}" };
	struct mu_value *v;
	const char *s;
	size_t i, len;

	v = json_str("{\"s\":\"\\u00e9\\ud83d\\ude00\\n\\\"\",\"a\":[1,-2.5e3,"
	    "true,null]}");
	s = mu_text(mu_get(v, "s"), &len);
	ck_assert_uint_eq(len, 8);
	ck_assert_mem_eq(s, "\xc3\xa9\xf0\x9f\x98\x80\n\"", 8);
	ck_assert_str_eq(mu_text(mu_at(mu_get(v, "a"), 1), NULL), "-2.5e3");
	ck_assert_int_eq(mu_type(mu_at(mu_get(v, "a"), 3)), MU_NULL);
	mu_free(v);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = json_parse(bad[i], strlen(bad[i]));
		ck_assert_msg(v == NULL, "'%s' accepted", bad[i]);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* The official spec */

static const char *const spec_files[] = {
	"comments", "delimiters", "interpolation", "inverted", "partials",
	"sections", "~inheritance", "~dynamic-names",
};
#define NSPEC	NCASES(spec_files)

static struct mu_value *spec_doc[NSPEC];

/* Case i of spec file f. */
static const struct mu_value *
spec_case(int f, int i)
{
	return mu_at(mu_get(spec_doc[f], "tests"), (size_t)i);
}

static const char *
spec_field(const struct mu_value *c, const char *key)
{
	const char *s = mu_text(mu_get(c, key), NULL);

	ck_assert_msg(s != NULL, "spec case without %s", key);
	return s;
}

static void
spec_run(int f, int i)
{
	const struct mu_value *c = spec_case(f, i);
	const char *tmpl = spec_field(c, "template");
	struct mu_partials *p = partials_from(mu_get(c, "partials"));
	struct buf out = {0}, err = {0}, s1 = {0}, s2 = {0}, s3 = {0};
	struct mu_template *t;
	size_t len;

	mu_text(mu_get(c, "template"), &len);
	t = mu_compile("spec", tmpl, len, &err);
	ck_assert_msg(t != NULL, "%s / %s: %s", spec_files[f],
	    spec_field(c, "name"), buf_str(&err));
	ck_assert_int_ge(mu_render(t, mu_get(c, "data"), p, &out, &err), 0);
	ck_assert_msg(strcmp(buf_str(&out), spec_field(c, "expected")) == 0,
	    "%s / %s (%s)\n template %s\n want     %s\n got      %s",
	    spec_files[f], spec_field(c, "name"), spec_field(c, "desc"),
	    show(&s1, tmpl), show(&s2, spec_field(c, "expected")),
	    show(&s3, buf_str(&out)));
	mu_template_free(t);
	mu_partials_free(p);
	buf_free(&out);
	buf_free(&err);
	buf_free(&s1);
	buf_free(&s2);
	buf_free(&s3);
}

/* One test function per file: Check passes only the loop index. */
#define SPEC_TEST(fn, f) START_TEST(fn) { spec_run(f, _i); } END_TEST
SPEC_TEST(spec_comments, 0)
SPEC_TEST(spec_delimiters, 1)
SPEC_TEST(spec_interpolation, 2)
SPEC_TEST(spec_inverted, 3)
SPEC_TEST(spec_partials, 4)
SPEC_TEST(spec_sections, 5)
SPEC_TEST(spec_inheritance, 6)
SPEC_TEST(spec_dynamic_names, 7)

/* Reads the spec files; 0, or -1 when the folder is absent. */
static int
spec_load(void)
{
	const char *shared = getenv("KBGEN_SHARED");
	struct buf b = {0};
	char *path;
	int f;

	if (shared == NULL)
		return -1;
	for (f = 0; f < NSPEC; f++) {
		path = xasprintf("%s/spec/mustache/%s.json", shared,
		    spec_files[f]);
		if (file_read(path, &b) == -1) {
			fprintf(stderr, "%s: absent\n", path);
			free(path);
			buf_free(&b);
			return -1;
		}
		if ((spec_doc[f] = json_parse(b.data, b.len)) == NULL)
			die("%s: bad JSON", path);
		free(path);
		buf_reset(&b);
	}
	buf_free(&b);
	return 0;
}

static Suite *
mustache_suite(int with_spec)
{
	const TTest *const spec_tests[NSPEC] = {
		spec_comments, spec_delimiters, spec_interpolation,
		spec_inverted, spec_partials, spec_sections, spec_inheritance,
		spec_dynamic_names,
	};
	Suite *s = suite_create("mustache");
	TCase *tc = tcase_create("builtin");
	int f;

	tcase_add_loop_test(tc, test_render, 0, NCASES(render_case));
	tcase_add_loop_test(tc, test_compile_bad, 0, NCASES(compile_bad));
	tcase_add_test(tc, test_nesting_limit);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_loader);
	tcase_add_test(tc, test_partials_table);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_json_reader);
	suite_add_tcase(s, tc);
	for (f = 0; with_spec && f < NSPEC; f++) {
		tc = tcase_create(spec_files[f]);
		tcase_add_loop_test(tc, spec_tests[f], 0,
		    (int)mu_len(mu_get(spec_doc[f], "tests")));
		suite_add_tcase(s, tc);
	}
	return s;
}

/* Prints passes per spec file, from the runner's results. */
static void
spec_summary(SRunner *sr)
{
	TestResult **tr = srunner_results(sr);
	int n = srunner_ntests_run(sr), f, k, pass, total;

	for (f = 0; f < NSPEC; f++) {
		for (k = pass = total = 0; k < n; k++) {
			if (strcmp(tr_tcname(tr[k]), spec_files[f]) != 0)
				continue;
			total++;
			pass += tr_rtype(tr[k]) == CK_PASS;
		}
		printf("spec %-16s %d/%d passed\n", spec_files[f], pass, total);
	}
	free(tr);
}

int
main(void)
{
	int with_spec = spec_load() == 0, failed, f;
	SRunner *sr = srunner_create(mustache_suite(with_spec));

	srunner_run_all(sr, CK_NORMAL);
	if (with_spec)
		spec_summary(sr);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	for (f = 0; f < NSPEC; f++)
		mu_free(spec_doc[f]);
	if (failed)
		return 1;
	if (!with_spec) {
		printf("spec/mustache absent: built-in cases passed, "
		    "spec skipped\n");
		return 77;
	}
	return 0;
}
