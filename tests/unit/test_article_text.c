/*
 * test_article_text.c -- unit tests of the plain-text export reader
 * (kbgen/article_text.c): one small document per construct, the edge
 * cases it must survive, and the real seed 004 when KBGEN_SHARED is set.
 */
/* memmem(3) is in glibc's <string.h> only with _GNU_SOURCE. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "article.h"

#define SEED004 "seeds/004_cd08a90f35f1c74f.txt"

/* Reads a NUL-terminated document; the caller frees the article. */
static struct article *
read_doc(const char *in, int *rc)
{
	struct article *a = article_new("test.txt", FORMAT_TEXT);

	*rc = article_text_read(a, in, strlen(in));
	return a;
}

static struct section *
sec(const struct article *a, size_t i)
{
	ck_assert_uint_lt(i, a->sections.n);
	return a->sections.v[i];
}

/* "LEVEL:title" of every section, one per line. */
static char *
outline(const struct article *a)
{
	struct buf b = {0};
	size_t i;

	for (i = 0; i < a->sections.n; i++) {
		const struct section *s = a->sections.v[i];
		buf_printf(&b, "%s%d:%s", i ? "\n" : "", s->level, s->title);
	}
	return buf_detach(&b);
}

/* Occurrences of needle; memmem, as strstr is quadratic under Asan. */
static int
count(const char *hay, const char *needle)
{
	const char *end = hay + strlen(hay);
	size_t k = strlen(needle);
	int n = 0;

	while ((hay = memmem(hay, (size_t)(end - hay), needle, k)) != NULL) {
		n++;
		hay += k;
	}
	return n;
}

/*
 * Fails unless every '<' in html starts a tag this reader writes, every
 * open tag is closed, and every href has a safe scheme: the output must be
 * safe whatever the input.
 */
static void
assert_safe_html(const char *html)
{
	static const char *const tags[] = {
		"<p>", "</p>", "<ul>", "</ul>", "<ol>", "<ol start=\"", "</ol>",
		"<li>", "</li>", "<pre>", "</pre>", "<code>", "</code>", "<table>",
		"</table>", "<thead>", "</thead>", "<tbody>", "</tbody>",
		"<tr>", "</tr>", "<th>", "</th>", "<td>", "</td>", "<strong>",
		"</strong>", "<a href=\"", "</a>", NULL
	};
	static const char *const pairs[][2] = {
		{ "<p>", "</p>" }, { "<ul>", "</ul>" }, { "<li>", "</li>" },
		{ "<pre>", "</pre>" }, { "<table>", "</table>" },
		{ "<tr>", "</tr>" }, { "<a ", "</a>" },
		{ "<strong>", "</strong>" }
	};
	const char *p;
	size_t i;
	int ok;

	for (p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		for (ok = 0, i = 0; tags[i] && !ok; i++)
			ok = strncmp(p, tags[i], strlen(tags[i])) == 0;
		ck_assert_msg(ok, "unexpected markup at: %.40s", p);
		if (strncmp(p, "<a href=\"", 9) == 0)
			ck_assert_msg(strncmp(p + 9, "http://", 7) == 0 ||
			    strncmp(p + 9, "https://", 8) == 0 ||
			    strncmp(p + 9, "mailto:", 7) == 0,
			    "unsafe href: %.40s", p);
	}
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		ck_assert_int_eq(count(html, pairs[i][0]),
		    count(html, pairs[i][1]));
	ck_assert_int_eq(count(html, "<ol"), count(html, "</ol>"));
}

static void
assert_all_safe(const struct article *a)
{
	size_t i;

	for (i = 0; i < a->sections.n; i++)
		assert_safe_html(buf_str(&sec(a, i)->html));
}

/* ------------------------------------------------------------------ */
/* One document per construct */

struct doc_case {
	const char *name;
	const char *in;
	const char *outline;	/* expected "LEVEL:title" lines */
	size_t	 sec;		/* the section the checks below look at */
	const char *html;	/* a substring of its HTML, or NULL */
	const char *nohtml;	/* not in its HTML, or NULL */
	const char *text;	/* its exact plain text, or NULL */
};

static const struct doc_case docs[] = {
	{ "title only", "Only a Title\n", "1:Only a Title", 0, NULL, NULL,
	  "" },
	{ "title without newline, leading blanks", "\n\n   \nTitle Here",
	  "1:Title Here", 0, NULL, NULL, "" },
	{ "no headings: all in the title section",
	  "Title\n\nThis is a paragraph.\n\nAnother one, here.\n",
	  "1:Title", 0, "<p>This is a paragraph.</p>\n<p>Another one, here.</p>\n",
	  NULL, "This is a paragraph.\n\nAnother one, here." },
	{ "a heading", "Title\n\nIntro text.\n\nFirst Heading\n\nBody text.\n",
	  "1:Title\n2:First Heading", 1, "<p>Body text.</p>", NULL,
	  "Body text." },
	{ "text before the first heading goes to the title section",
	  "Title\n\nIntro text.\n\nFirst Heading\n\nBody text.\n",
	  "1:Title\n2:First Heading", 0, NULL, NULL, "Intro text." },
	{ "a wrapped paragraph is not a heading",
	  "Title\n\nThis line has no final punctuation\nbut goes on here.\n",
	  "1:Title", 0, NULL, NULL,
	  "This line has no final punctuation but goes on here." },
	{ "final punctuation: no heading",
	  "Title\n\nNot a heading:\n\nAlso not one.\n\nNor this,\n\n"
	  "Nor this?\n\nNor this!\n\nNor this;\n\nWaiting for requests…\n",
	  "1:Title", 0, NULL, NULL, NULL },
	{ "CJK final punctuation: no heading",
	  "标题\n\n概述\n\n这是正文。\n\n不是标题：\n\n也不是，\n",
	  "1:标题\n2:概述", 1, NULL, NULL,
	  "这是正文。\n\n不是标题：\n\n也不是，" },
	{ "long line: no heading",
	  "Title\n\nThis line is far too long to be a heading because "
	  "headings are short and this one runs on and on past the limit\n",
	  "1:Title", 0, NULL, NULL, NULL },
	{ "lower-case start, second sentence: no heading",
	  "Title\n\nsp_Setup returns an error\n\nSync failed. Will retry\n",
	  "1:Title", 0, NULL, NULL, NULL },
	{ "no-break spaces become spaces",
	  "Title\n\nStatus Message ID\xc2\xa0" "6703\n\nBody\xc2\xa0text.\n",
	  "1:Title\n2:Status Message ID 6703", 1, NULL, NULL, "Body text." },
	{ "bullets",
	  "Title\n\nSome points:\n\n  \xe2\x80\xa2 One\n\n  \xe2\x80\xa2 Two items"
	  "\n\nAfter.\n", "1:Title", 0,
	  "<p>Some points:</p>\n<ul>\n<li>One</li>\n<li>Two items</li>\n</ul>\n"
	  "<p>After.</p>\n", NULL, "Some points:\n\nOne\nTwo items\n\nAfter." },
	{ "numbered steps",
	  "Title\n\n  1. First step.\n\n  2) Second step.\n", "1:Title", 0,
	  "<ol>\n<li>First step.</li>\n<li>Second step.</li>\n</ol>\n", NULL,
	  "First step.\nSecond step." },
	{ "numbered list starting at 3",
	  "Title\n\n3. Third.\n\n4. Fourth.\n", "1:Title", 0,
	  "<ol start=\"3\">\n<li>Third.</li>", NULL, NULL },
	{ "steps nested in a bullet, procedure title in bold",
	  "Title\n\n  \xe2\x80\xa2 Check it.\n\n    To check it in WSUS\n\n"
	  "    1. Open it.\n\n    2. Look.\n\n  \xe2\x80\xa2 Last.\n", "1:Title", 0,
	  "<ul>\n<li>Check it.<p><strong>To check it in WSUS</strong></p>\n"
	  "<ol>\n<li>Open it.</li>\n<li>Look.</li>\n</ol>\n</li>\n"
	  "<li>Last.</li>\n</ul>\n", NULL,
	  "Check it.\nTo check it in WSUS\nOpen it.\nLook.\nLast." },
	{ "procedure title above steps is not a heading",
	  "Title\n\nTo check the permissions on the directory\n\n  1. Open.\n",
	  "1:Title", 0,
	  "<p><strong>To check the permissions on the directory</strong></p>",
	  NULL, NULL },
	{ "message table",
	  "Title\n\nSome Error\n\nIntro.\n\nMessage ID Description"
	  "\xc2\xa0 \xc2\xa0 \xc2\xa0 \n\n6703\n\nSMS WSUS Synchronization "
	  "failed. Message: X.\n\n6704\n\nSecond row.\n\nAfter.\n",
	  "1:Title\n2:Some Error", 1,
	  "<table>\n<thead>\n<tr><th>Message ID</th><th>Description</th></tr>\n"
	  "</thead>\n<tbody>\n<tr><td>6703</td><td>SMS WSUS Synchronization "
	  "failed. Message: X.</td></tr>\n<tr><td>6704</td><td>Second row."
	  "</td></tr>\n</tbody>\n</table>\n<p>After.</p>\n", NULL,
	  "Intro.\n\nMessage ID | Description\n6703 | SMS WSUS Synchronization "
	  "failed. Message: X.\n6704 | Second row.\n\nAfter." },
	{ "one-line table rows",
	  "Title\n\nError Code Description\n\n0x80070643    Fatal error during "
	  "installation.\n", "1:Title", 0,
	  "<tr><td>0x80070643</td><td>Fatal error during installation.</td>",
	  NULL, "Error Code | Description\n0x80070643 | Fatal error during "
	  "installation." },
	{ "header without rows is no table",
	  "Title\n\nMessage ID Description\n\nJust text.\n",
	  "1:Title\n2:Message ID Description", 1, NULL, "<table>",
	  "Just text." },
	{ "sample log lines after an introduction",
	  "Title\n\nWSUS writes entries to wsyncmgr.log similar to the "
	  "following:\n\nPerforming sync on regular schedule\n\nSTATMSG: "
	  "ID=6703 SEV=E LEV=M\n\nSync failed. Will retry in 60 minutes\n\n"
	  "Sync time: 0d00h05m01s\n\nThat was the log.\n", "1:Title", 0,
	  "<pre><code>Performing sync on regular schedule\nSTATMSG: ID=6703 "
	  "SEV=E LEV=M\nSync failed. Will retry in 60 minutes\nSync time: "
	  "0d00h05m01s</code></pre>\n<p>That was the log.</p>\n", NULL,
	  NULL },
	{ "samples end at a heading",
	  "Title\n\nIf you see the following entries in the log, restart:\n\n"
	  "sp_Setup returns an error\n\nDCM digest has invalid schema\n\n"
	  "Possible Solution\n\nRestart the service.\n",
	  "1:Title\n2:Possible Solution", 0,
	  "<pre><code>sp_Setup returns an error\nDCM digest has invalid "
	  "schema</code></pre>", NULL, NULL },
	{ "a colon without a cue introduces no samples",
	  "Title\n\nFollowing are possible solutions:\n\nSee Also\n",
	  "1:Title\n2:See Also", 0, NULL, "<pre>", NULL },
	{ "log lines without an introduction",
	  "Title\n\nSTATMSG: ID=6701 SEV=I\n\n2024-05-01 10:00:00 sync "
	  "started\n\nProse after it.\n", "1:Title", 0,
	  "<pre><code>STATMSG: ID=6701 SEV=I\n2024-05-01 10:00:00 sync "
	  "started</code></pre>\n<p>Prose after it.</p>", NULL, NULL },
	{ "a short line above a log line is a log line",
	  "Title\n\nPerforming sync on local request\n\nSync failed: X. "
	  "Source: CWSyncMgr::DoSync\n", "1:Title", 0,
	  "<pre><code>Performing sync on local request\nSync failed", NULL,
	  NULL },
	{ "escaping",
	  "Title <x>\n\nPath <ConfigMgrInstallationPath>\\Logs & \"q\".\n",
	  "1:Title <x>", 0,
	  "<p>Path &lt;ConfigMgrInstallationPath&gt;\\Logs &amp; &quot;q&quot;."
	  "</p>", "<x>", "Path <ConfigMgrInstallationPath>\\Logs & \"q\"." },
	{ "links",
	  "Title\n\nSee https://example.com/a?b=1&c=2, or mailto:x@y.z.\n",
	  "1:Title", 0,
	  "See <a href=\"https://example.com/a?b=1&amp;c=2\">"
	  "https://example.com/a?b=1&amp;c=2</a>, or <a href=\"mailto:x@y.z\">"
	  "mailto:x@y.z</a>.", NULL,
	  "See https://example.com/a?b=1&c=2, or mailto:x@y.z." },
	{ "no links for other schemes",
	  "Title\n\nClick javascript:alert(1) or ftp://x.y/z now.\n",
	  "1:Title", 0, NULL, "<a", NULL },
	{ "a quote in a URL cannot leave the attribute",
	  "Title\n\nGo to http://x.y/\"onmouseover=\"alert(1) now.\n",
	  "1:Title", 0, "<a href=\"http://x.y/\">http://x.y/</a>&quot;", NULL,
	  NULL },
	{ "CR before LF is white space",
	  "Title\r\n\r\nA Heading\r\n\r\nBody.\r\n", "1:Title\n2:A Heading", 1,
	  "<p>Body.</p>", NULL, "Body." },
	{ "generic sub-headings and back matter",
	  "Title\n\nSomething Failed Error\n\nText.\n\nPossible Solution\n\n"
	  "Fix it.\n\nOther Trouble\n\nText.\n\nCause\n\nWhy.\n\nSee Also\n",
	  "1:Title\n2:Something Failed Error\n3:Possible Solution\n"
	  "2:Other Trouble\n3:Cause\n2:See Also", 2, NULL, NULL, "Fix it." },
	{ "repeated titles are sub-headings",
	  "Title\n\nFirst Thing\n\nText.\n\nDetails\n\nMore.\n\nSecond Thing\n\n"
	  "Text.\n\nDetails\n\nMore.\n",
	  "1:Title\n2:First Thing\n3:Details\n2:Second Thing\n3:Details", 0,
	  NULL, NULL, NULL },
	{ "an overview that names the next heading is its parent",
	  "Title\n\nCheck Things\n\nLook at the Alpha Status first.\n\n"
	  "Alpha Status\n\nText.\n\nBeta Log\n\nText.\n\nBroken Thing Error\n\n"
	  "Text.\n\nPlain Topic\n\nText.\n",
	  "1:Title\n2:Check Things\n3:Alpha Status\n3:Beta Log\n"
	  "2:Broken Thing Error\n2:Plain Topic", 0, NULL, NULL, NULL },
	{ "a table makes a heading a topic",
	  "Title\n\nIntro Part\n\nSee the Group Member below.\n\nGroup Member\n\n"
	  "Text.\n\nTable Topic\n\nMessage ID Description\n\n1\n\nOne.\n",
	  "1:Title\n2:Intro Part\n3:Group Member\n2:Table Topic", 0, NULL, NULL,
	  NULL },
};

START_TEST(test_doc)
{
	const struct doc_case *t = &docs[_i];
	const struct section *s;
	struct article *a;
	char *o;
	int rc;

	a = read_doc(t->in, &rc);
	ck_assert_msg(rc == 0, "%s: rc %d", t->name, rc);
	o = outline(a);
	ck_assert_msg(strcmp(o, t->outline) == 0, "%s: outline\n%s\n---\n%s",
	    t->name, o, t->outline);
	s = sec(a, t->sec);
	if (t->html)
		ck_assert_msg(strstr(buf_str(&s->html), t->html) != NULL,
		    "%s: html\n%s", t->name, buf_str(&s->html));
	if (t->nohtml)
		ck_assert_msg(strstr(buf_str(&s->html), t->nohtml) == NULL,
		    "%s: html\n%s", t->name, buf_str(&s->html));
	if (t->text)
		ck_assert_msg(strcmp(buf_str(&s->text), t->text) == 0,
		    "%s: text\n[%s]", t->name, buf_str(&s->text));
	assert_all_safe(a);
	free(o);
	article_free(a);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Side products: title, lines, steps, links, messages */

START_TEST(test_title_and_lines)
{
	int rc;
	struct article *a = read_doc("\n\nMy  Title\n\nIntro.\n\nA Heading\n\n"
	    "Body.\n\nB Heading\n\nBody.\n", &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(a->title, "My Title");
	ck_assert_int_eq(sec(a, 0)->line, 3);
	ck_assert_int_eq(sec(a, 1)->line, 7);
	ck_assert_int_eq(sec(a, 2)->line, 11);
	ck_assert_int_eq(sec(a, 1)->parent, 0);
	ck_assert_str_eq(sec(a, 1)->anchor, "a-heading");
	article_free(a);
}
END_TEST

START_TEST(test_steps)
{
	int rc;
	struct article *a = read_doc("T\n\nTopic Name\n\n1. One.\n\n2. Two.\n\n"
	    "Between.\n\n1. Again.\n\nNext Topic\n\n5. Five.\n", &rc);
	const struct section *s;
	const struct step *st;

	ck_assert_int_eq(rc, 0);
	s = sec(a, 1);
	ck_assert_uint_eq(s->steps.n, 3);
	st = s->steps.v[0];
	ck_assert_int_eq(st->list, 1);
	ck_assert_int_eq(st->ordinal, 1);
	ck_assert_str_eq(st->text, "One.");
	st = s->steps.v[1];
	ck_assert_int_eq(st->list, 1);
	ck_assert_int_eq(st->ordinal, 2);
	st = s->steps.v[2];
	ck_assert_int_eq(st->list, 2);
	ck_assert_int_eq(st->ordinal, 1);
	ck_assert_str_eq(st->text, "Again.");
	s = sec(a, 2);
	ck_assert_uint_eq(s->steps.n, 1);
	st = s->steps.v[0];
	ck_assert_int_eq(st->list, 1);
	ck_assert_int_eq(st->ordinal, 5);
	ck_assert_uint_eq(sec(a, 0)->steps.n, 0);
	article_free(a);
}
END_TEST

START_TEST(test_links)
{
	int rc;
	struct article *a = read_doc("T\n\nFirst line\nsee http://a.example/x.\n\n"
	    "  \xe2\x80\xa2 Item https://b.example/(y) end\n", &rc);
	const struct section *s;
	const struct link *l;

	ck_assert_int_eq(rc, 0);
	s = sec(a, 0);
	ck_assert_uint_eq(s->links.n, 2);
	l = s->links.v[0];
	ck_assert_str_eq(l->target, "http://a.example/x");
	ck_assert_int_eq(l->line, 4);
	l = s->links.v[1];
	ck_assert_str_eq(l->target, "https://b.example/(y)");
	ck_assert_int_eq(l->line, 6);
	article_free(a);
}
END_TEST

START_TEST(test_messages)
{
	int rc;
	struct article *a = read_doc("T\n\nMessage ID Description\n\n6703\n\n"
	    "Sync failed: boom.\n\nThe log shows entries similar to the "
	    "following:\n\nSync failed:  two  spaces kept\n", &rc);
	const struct section *s;

	ck_assert_int_eq(rc, 0);
	s = sec(a, 0);
	ck_assert_uint_eq(s->messages.n, 2);
	ck_assert_str_eq(buf_str(s->messages.v[0]), "Sync failed: boom.");
	ck_assert_str_eq(buf_str(s->messages.v[1]),
	    "Sync failed:  two  spaces kept");
	ck_assert_ptr_nonnull(strstr(buf_str(&s->html),
	    "<pre><code>Sync failed:  two  spaces kept</code></pre>"));
	article_free(a);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Edge cases */

static const char *const empties[] = {
	"", "\n", "\n\n\n", "   \n\t\n", "\xc2\xa0\n\xe3\x80\x80\n",
	"\x01\x02\n\x7f\n", "\xef\xbb\xbf\n"
};

START_TEST(test_empty)
{
	int rc;
	struct article *a = read_doc(empties[_i], &rc);

	ck_assert_int_eq(rc, -1);
	ck_assert_uint_eq(a->sections.n, 0);
	article_free(a);
}
END_TEST

START_TEST(test_null_len0)
{
	struct article *a = article_new("x.txt", FORMAT_TEXT);

	ck_assert_int_eq(article_text_read(a, "Title", 0), -1);
	article_free(a);
}
END_TEST

/* The length given wins over the NUL: nothing past len is read. */
START_TEST(test_len_bounds)
{
	static const char in[] = "Title\n\nBody text.\n\nHidden Heading\n";
	struct article *a = article_new("x.txt", FORMAT_TEXT);

	ck_assert_int_eq(article_text_read(a, in, 18), 0);
	ck_assert_uint_eq(a->sections.n, 1);
	ck_assert_str_eq(buf_str(&sec(a, 0)->text), "Body text.");
	article_free(a);
}
END_TEST

START_TEST(test_huge_line)
{
	size_t n = 10 * 1024 * 1024, i;
	char *in = xmalloc(n + 16);
	struct article *a;
	int rc;

	/* A 10 MB body line after a title, then the same as the title. */
	memcpy(in, "T\n\n", 3);
	for (i = 3; i < n; i++)
		in[i] = "ab <&\">:/~=.x"[i % 13];
	in[n] = '\0';
	a = read_doc(in, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(a->sections.n, 1);
	ck_assert_uint_gt(sec(a, 0)->html.len, n);
	article_free(a);
	a = read_doc(in + 3, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(a->sections.n, 1);
	ck_assert_uint_eq(strlen(a->title), n - 3);
	article_free(a);
	free(in);
}
END_TEST

START_TEST(test_many_lines)
{
	struct buf b = {0};
	struct article *a;
	size_t i;
	int rc;

	/* Many headings are capped; the rest stay text. */
	buf_puts(&b, "Title\n");
	for (i = 0; i < 3000; i++)
		buf_printf(&b, "\nHeading Number %zu\n", i);
	a = read_doc(buf_str(&b), &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(a->sections.n, 501);
	article_free(a);
	/* Many identical generic headings stay fast. */
	buf_reset(&b);
	buf_puts(&b, "Title\n");
	for (i = 0; i < 3000; i++)
		buf_puts(&b, "\nPossible Solution\n\nText.\n");
	a = read_doc(buf_str(&b), &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(a->sections.n, 501);
	article_free(a);
	/* A million blank lines, then one line. */
	buf_reset(&b);
	for (i = 0; i < 1000000; i++)
		buf_putc(&b, '\n');
	buf_puts(&b, "Last Line");
	a = read_doc(buf_str(&b), &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(sec(a, 0)->line, 1000001);
	article_free(a);
	/* Sample output and intros, alternating, many times. */
	buf_reset(&b);
	buf_puts(&b, "Title\n");
	for (i = 0; i < 20000; i++)
		buf_puts(&b, "\nLog entries like these:\n\nfoo bar\n\nA sentence.\n");
	a = read_doc(buf_str(&b), &rc);
	ck_assert_int_eq(rc, 0);
	assert_all_safe(a);
	article_free(a);
	buf_free(&b);
}
END_TEST

START_TEST(test_deep_lists)
{
	struct buf b = {0};
	struct article *a;
	size_t i, j;
	int rc;

	buf_puts(&b, "Title\n\n");
	for (i = 0; i < 40; i++) {
		for (j = 0; j < i; j++)
			buf_putc(&b, ' ');
		buf_puts(&b, i % 2 ? "- item\n\n" : "1. step\n\n");
	}
	buf_puts(&b, "  \xe2\x80\xa2 back out\n");
	a = read_doc(buf_str(&b), &rc);
	ck_assert_int_eq(rc, 0);
	assert_all_safe(a);
	article_free(a);
	buf_free(&b);
}
END_TEST

/* Pseudo-random bytes biased toward what the reader looks at. */
START_TEST(test_garbage)
{
	static const char *const bits[] = {
		"\n", "\n\n", "  ", "\xe2\x80\xa2 ", "1. ", "6703", "STATMSG: ",
		"Message ID Description      ", "http://", "https://x", "<", "&",
		"\"", ".", ":", "To do", "Error", "similar to the following:",
		"\xc2\xa0", "\xe3\x80\x82", "\xff", "\xe2\x80", "\x00", "\t",
		"Possible Solution", "~~", "=", "a", "Z", "\r", "0x8007", "...",
		"\xe2\x80\xa6", "Source: A::B", "    "
	};
	const size_t nbits = sizeof(bits) / sizeof(bits[0]);
	unsigned long seed = 12345 + (unsigned long)_i * 7919;
	struct buf b = {0};
	struct article *a;
	size_t k, n;
	int round, rc;

	for (round = 0; round < 50; round++) {
		buf_reset(&b);
		n = 1 + (seed >> 8) % 300;
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245 + 12345;
			if ((seed >> 16) % 5 == 0)
				buf_putc(&b, (int)((seed >> 4) & 0xff));
			else
				buf_put(&b, bits[(seed >> 16) % nbits],
				    strlen(bits[(seed >> 16) % nbits]) +
				    ((seed >> 16) % nbits == 22));
		}
		a = article_new("g.txt", FORMAT_TEXT);
		rc = article_text_read(a, b.data ? b.data : "", b.len);
		ck_assert(rc == 0 || rc == -1);
		if (rc == 0)
			assert_all_safe(a);
		article_free(a);
	}
	buf_free(&b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The real seed 004 */

/*
 * The headings of seed 004 and their levels, from reading the document
 * (the title section is named from the first sentence, see text_title):
 * an overview, "Check for Errors" with the three places to look, then one
 * topic per issue, each with its "Possible Solution(s)".
 */
static const char *const seed_outline =
	"1:Configuration Manager 2007 software updates synchronization\n"
	"2:General Troubleshooting Tips\n"
	"2:Check for Errors\n"
	"3:Status Message ID 6703\n"
	"3:Wsyncmgr.log\n"
	"3:WCM.log\n"
	"2:WSUS Server Not Configured Error\n"
	"3:Possible Solutions\n"
	"2:The Remote Name Could Not Be Resolved Error\n"
	"3:Possible Solution\n"
	"2:The Request Failed with HTTP Status 401: Unauthorized Error\n"
	"3:Possible Solution\n"
	"2:Unable to Connect to Remote Server Error\n"
	"3:Possible Solutions\n"
	"2:The Request Failed with DssAuthenticationError: WebException Error\n"
	"3:Possible Solution\n"
	"2:Unexpected Software Updates Are Synchronized\n"
	"3:Possible Solution\n"
	"2:Run Synchronization Action Is Not Available in Console\n"
	"3:Possible Solution\n"
	"2:Software Updates Are Not Synchronized in Configured Languages\n"
	"3:Possible Solution\n"
	"2:Wsyncmgr.log Shows Error 12 and Invalid Schema\n"
	"3:Possible Solution\n"
	"2:Synchronization Times Out Because WSUS Synchronization Is in "
	"Progress\n"
	"3:Possible Solution\n"
	"2:Software Updates Metadata Not Displayed in Configuration Manager "
	"Console\n"
	"3:Possible Solution\n"
	"2:Synchronization Fails for an Unknown Reason\n"
	"3:Possible Solutions\n"
	"2:See Also";

static char *seed_path;

/* Returns the section titled title; fails when there is none. */
static const struct section *
find(const struct article *a, const char *title)
{
	size_t i;

	for (i = 0; i < a->sections.n; i++)
		if (strcmp(sec(a, i)->title, title) == 0)
			return sec(a, i);
	ck_abort_msg("no section '%s'", title);
	return NULL;
}

START_TEST(test_seed004)
{
	struct buf b = {0};
	struct article *a = article_new(seed_path, FORMAT_TEXT);
	const struct section *s;
	char *o;

	ck_assert_int_eq(file_read(seed_path, &b), 0);
	ck_assert_int_eq(article_text_read(a, buf_str(&b), b.len), 0);
	/* The first line is the export's date stamp; the title comes from
	 * the first sentence ("... information for X and ..."). */
	ck_assert_str_eq(a->title,
	    "Configuration Manager 2007 software updates synchronization");
	ck_assert_uint_eq(a->sections.n, 31);
	o = outline(a);
	ck_assert_str_eq(o, seed_outline);
	free(o);
	assert_all_safe(a);

	/* Parents follow the levels. */
	s = find(a, "WCM.log");
	ck_assert_str_eq(sec(a, (size_t)s->parent)->title, "Check for Errors");
	ck_assert_int_eq(s->line, 31);
	s = find(a, "See Also");
	ck_assert_int_eq(s->line, 329);

	s = find(a, "WSUS Server Not Configured Error");
	ck_assert_int_eq(s->line, 35);
	ck_assert_ptr_nonnull(strstr(buf_str(&s->text), "\n6703 | SMS WSUS "
	    "Synchronization failed. Message: WSUS server not configured. "
	    "Source: CWSyncMgr::DoSync. The operating system reported error "
	    "2147500037: Unspecified error\n"));
	ck_assert_ptr_nonnull(strstr(buf_str(&s->html),
	    "<tr><td>6703</td><td>SMS WSUS Synchronization failed."));
	ck_assert_ptr_nonnull(strstr(buf_str(&s->html),
	    "<pre><code>Performing sync on regular schedule\nSTATMSG: ID=6701 "
	    "SEV=I LEV=M SOURCE=&quot;SMS Server&quot;"));
	ck_assert_ptr_nonnull(strstr(buf_str(&s->html),
	    "\nSync time: 0d00h05m01s</code></pre>"));
	ck_assert_int_eq(count(buf_str(&s->html), "<pre>"), 1);
	ck_assert_uint_eq(s->messages.n, 7);
	ck_assert_str_eq(buf_str(s->messages.v[3]),
	    "Sync failed: WSUS server not configured. Source: "
	    "CWSyncMgr::DoSync");

	/* Every STATMSG line of the document is inside a code block. */
	{
		size_t i;
		int in_pre = 0, statmsg = 0;

		for (i = 0; i < a->sections.n; i++) {
			const char *h = buf_str(&sec(a, i)->html);
			const char *p;

			statmsg += count(h, "STATMSG:");
			for (p = strstr(h, "STATMSG:"); p;
			    p = strstr(p + 1, "STATMSG:")) {
				const char *open = NULL, *q;
				for (q = strstr(h, "<pre>"); q && q < p;
				    q = strstr(q + 1, "<pre>"))
					open = q;
				ck_assert_ptr_nonnull(open);
				ck_assert_ptr_null(memmem(open, (size_t)(p - open),
				    "</pre>", 6));
				in_pre++;
			}
		}
		ck_assert_int_eq(statmsg, 14);
		ck_assert_int_eq(in_pre, statmsg);
	}

	/* The placeholder path is escaped, not markup. */
	s = find(a, "Wsyncmgr.log");
	ck_assert_ptr_nonnull(strstr(buf_str(&s->html),
	    "&lt;ConfigMgrInstallationPath&gt;\\Logs"));
	ck_assert_ptr_nonnull(strstr(buf_str(&s->text),
	    "<ConfigMgrInstallationPath>\\Logs"));

	/* The nested procedure of the first "Possible Solutions". */
	s = find(a, "Possible Solutions");
	ck_assert_uint_eq(s->steps.n, 4);
	ck_assert_str_eq(((struct step *)s->steps.v[1])->text,
	    "Click Options in the console tree pane.");
	ck_assert_ptr_nonnull(strstr(buf_str(&s->html),
	    "<p><strong>To check the update source settings in WSUS</strong>"
	    "</p>\n<ol>\n<li>Open the WSUS console"));

	/* The SQL error lines are samples, the fix is prose. */
	s = find(a, "Wsyncmgr.log Shows Error 12 and Invalid Schema");
	ck_assert_ptr_nonnull(strstr(buf_str(&s->html), "<pre><code>"
	    "sp_SetupSDMPackage returns an error\nDCM digest has invalid schema"
	    "</code></pre>"));
	s = a->sections.v[a->sections.n - 8];
	ck_assert_str_eq(s->title, "Possible Solution");
	ck_assert_str_eq(buf_str(&s->text), "Restart the SQL Server service.");

	/* Commentary after samples is prose again. */
	s = find(a, "The Remote Name Could Not Be Resolved Error");
	ck_assert_ptr_nonnull(strstr(buf_str(&s->html), "</code></pre>\n<p>"
	    "Update Services writes similar log entries to "
	    "&lt;WSUSInstallationFolder&gt;\\LogFiles\\SoftwareDistribution.log."
	    "</p>"));

	article_free(a);
	buf_free(&b);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("article_text");
	TCase *tc;
	const char *shared = getenv("KBGEN_SHARED");
	FILE *f;

	tc = tcase_create("constructs");
	tcase_add_loop_test(tc, test_doc, 0, sizeof(docs) / sizeof(docs[0]));
	tcase_add_test(tc, test_title_and_lines);
	tcase_add_test(tc, test_steps);
	tcase_add_test(tc, test_links);
	tcase_add_test(tc, test_messages);
	suite_add_tcase(s, tc);

	tc = tcase_create("edges");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_empty, 0,
	    sizeof(empties) / sizeof(empties[0]));
	tcase_add_test(tc, test_null_len0);
	tcase_add_test(tc, test_len_bounds);
	tcase_add_test(tc, test_huge_line);
	tcase_add_test(tc, test_many_lines);
	tcase_add_test(tc, test_deep_lists);
	tcase_add_loop_test(tc, test_garbage, 0, 40);
	suite_add_tcase(s, tc);

	if (shared != NULL && *shared != '\0') {
		seed_path = xasprintf("%s/%s", shared, SEED004);
		if ((f = fopen(seed_path, "rb")) != NULL) {
			fclose(f);
			tc = tcase_create("seed004");
			tcase_add_test(tc, test_seed004);
			suite_add_tcase(s, tc);
		} else
			fprintf(stderr, "skipping seed 004: %s not readable\n",
			    seed_path);
	} else
		fprintf(stderr, "skipping seed 004: KBGEN_SHARED not set\n");
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	free(seed_path);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
