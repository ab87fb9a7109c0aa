/*
 * test_diff.c -- the diff engine (diff.c): the tokenizer (Latin, Cyrillic,
 * CJK, Markdown and HTML markup), the Myers edit script (against a
 * dynamic-programming LCS, and on large inputs in near-linear time), word
 * diffs with formatting-only changes, and section alignment (renames,
 * level changes, moves, merges, additions, removals, translations).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <sqlite3.h>

#include "util.h"
#include "article.h"
#include "db.h"
#include "compile.h"
#include "diff.h"
#include "ckrun.h"

#define NCASES(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- Tokenizer ------------------------------------------------------ */

/*
 * One tokenizer case: the tokens written as kind letter + form, '|'
 * between them: s space, w word, c CJK, p punctuation (normalized form),
 * u link target, b block markup, m hidden markup (raw form).
 */
struct tcase {
	const char	*name;
	enum dtok_mode	 mode;
	const char	*in;
	const char	*want;
};

static const struct tcase tcases[] = {
	{ "latin", DM_PLAIN, "Hello, world!", "wHello|p,|s|wworld|p!" },
	{ "contraction", DM_PLAIN, "hasn't it's", "whasn't|s|wit's" },
	{ "curly-apostrophe", DM_PLAIN, "hasn\xe2\x80\x99t",
	    "whasn\xe2\x80\x99t" },
	{ "digits-dots", DM_PLAIN, "3.2.7600", "w3|p.|w2|p.|w7600" },
	{ "underscore", DM_PLAIN, "SMS_WSUS_SYNC", "wSMS_WSUS_SYNC" },
	{ "hex", DM_PLAIN, "0x80070643", "w0x80070643" },
	{ "cyrillic", DM_PLAIN, "\xd0\xa1\xd0\xb1\xd0\xbe\xd0\xb9 WSUS",
	    "w\xd0\xa1\xd0\xb1\xd0\xbe\xd0\xb9|s|wWSUS" },
	{ "accents", DM_PLAIN, "Probl\xc3\xa8me r\xc3\xa9seau",
	    "wProbl\xc3\xa8me|s|wr\xc3\xa9seau" },
	{ "chinese", DM_PLAIN, "\xe5\x90\x8c\xe6\xad\xa5\xe5\xa4\xb1\xe8\xb4\xa5",
	    "c\xe5\x90\x8c|c\xe6\xad\xa5|c\xe5\xa4\xb1|c\xe8\xb4\xa5" },
	{ "chinese-mixed", DM_PLAIN, "WSUS \xe5\x90\x8c\xe6\xad\xa5\xe3\x80\x82",
	    "wWSUS|s|c\xe5\x90\x8c|c\xe6\xad\xa5|p\xe3\x80\x82" },
	{ "japanese", DM_PLAIN, "\xe3\x82\xb5\xe3\x83\xbc\xe3\x83\x90\xe3\x83\xbc"
	    "\xe3\x81\xae", "c\xe3\x82\xb5|c\xe3\x83\xbc|c\xe3\x83\x90|"
	    "c\xe3\x83\xbc|c\xe3\x81\xae" },
	{ "korean", DM_PLAIN, "\xeb\x8f\x99\xea\xb8\xb0 \xec\x8b\xa4\xed\x8c\xa8",
	    "c\xeb\x8f\x99|c\xea\xb8\xb0|s|c\xec\x8b\xa4|c\xed\x8c\xa8" },
	{ "fullwidth-punct", DM_PLAIN, "\xe9\x94\x99\xef\xbc\x9a\x30x1",
	    "c\xe9\x94\x99|p\xef\xbc\x9a|w0x1" },
	{ "space-kinds", DM_PLAIN, "a \n\n b\xc2\xa0" "c", "wa|s|wb|s|wc" },
	{ "plain-keeps-stars", DM_PLAIN, "**x**", "p*|p*|wx|p*|p*" },
	{ "md-escape", DM_MARKDOWN, "a \\- b", "wa|s|p-|s|wb" },
	{ "md-escaped-underscore", DM_MARKDOWN, "SMS\\_WSUS", "wSMS_WSUS" },
	{ "md-emphasis", DM_MARKDOWN, "**bold** _it_ x", "m**|wbold|m**|s|m_|"
	    "wit|m_|s|wx" },
	{ "md-literal-star", DM_MARKDOWN, "a * b", "wa|s|p*|s|wb" },
	{ "md-heading", DM_MARKDOWN, "## Title", "b##|s|wTitle" },
	{ "md-list", DM_MARKDOWN, "1. Open\n- Close", "b1.|s|wOpen|s|b-|s|"
	    "wClose" },
	{ "md-quote-alert", DM_MARKDOWN, "> [!NOTE]\n> Text", "b>|s|m[!NOTE]|"
	    "s|b>|s|wText" },
	{ "md-code-span", DM_MARKDOWN, "`a*b`", "m`|wa|p*|wb|m`" },
	{ "md-link", DM_MARKDOWN, "[x](http://e.com/a(b)) y",
	    "m[|wx|m]|u(http://e.com/a(b))|s|wy" },
	{ "md-brackets-not-link", DM_MARKDOWN, "[...]", "p[|p.|p.|p.|p]" },
	{ "md-fence", DM_MARKDOWN, "```xml\n<a>**\n```\nx",
	    "m```xml|s|p<|wa|p>|p*|p*|s|m```|s|wx" },
	{ "md-comment", DM_MARKDOWN, "<!--x y-->z", "m<!--x y-->|wz" },
	{ "md-tag", DM_MARKDOWN, "<a name=\"x\"></a>T", "m<a name=\"x\">|"
	    "m</a>|wT" },
	{ "md-autolink", DM_MARKDOWN, "<https://e.com>", "m<|u"
	    "https://e.com|m>" },
	{ "md-entity", DM_MARKDOWN, "&amp; &#233;", "p&|s|w\xc3\xa9" },
	{ "md-table", DM_MARKDOWN, "| a |\n|---|", "m||s|wa|s|m||s|m|---|" },
	{ "md-rule", DM_MARKDOWN, "a\n\n---\n", "wa|s|m---|s" },
	{ "html", DM_HTML, "<p>a &lt; b</p>", "m<p>|wa|s|p<|s|wb|m</p>" },
	{ "empty", DM_MARKDOWN, "", "" },
};

/* The tokens of t as the case strings write them. */
static char *
toks_str(const struct dtoks *t, const struct diff_intern *in)
{
	static const char letters[] = "swcpubm";
	struct buf b = {0};
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct dtok *k = &t->v[i];
		if (i)
			buf_putc(&b, '|');
		buf_putc(&b, letters[k->kind]);
		if (k->kind == DT_SPACE)
			continue;
		if (k->kind >= DT_URL)
			buf_put(&b, t->src + k->off, k->len);
		else
			buf_puts(&b, diff_intern_str(in, k->id, NULL));
	}
	return b.data ? buf_detach(&b) : xstrdup("");
}

START_TEST(test_tokenize)
{
	const struct tcase *c = &tcases[_i];
	struct diff_intern *in = diff_intern_new();
	struct dtoks t = {0};
	char *got;

	diff_tokenize(&t, c->in, strlen(c->in), c->mode, in);
	got = toks_str(&t, in);
	ck_assert_msg(strcmp(got, c->want) == 0, "%s: got '%s', want '%s'",
	    c->name, got, c->want);
	free(got);
	dtoks_free(&t);
	diff_intern_free(in);
}
END_TEST

START_TEST(test_intern)
{
	struct diff_intern *in = diff_intern_new();
	char word[32];
	uint32_t ids[5000];
	size_t len;
	int i;

	ck_assert_uint_eq(diff_intern_id(in, " ", 1), 0);
	for (i = 0; i < 5000; i++) {
		snprintf(word, sizeof(word), "w%d", i);
		ids[i] = diff_intern_id(in, word, strlen(word));
	}
	for (i = 0; i < 5000; i++) {
		snprintf(word, sizeof(word), "w%d", i);
		ck_assert_uint_eq(diff_intern_id(in, word, strlen(word)), ids[i]);
		ck_assert_str_eq(diff_intern_str(in, ids[i], &len), word);
		ck_assert_uint_eq(len, strlen(word));
	}
	ck_assert_uint_ne(diff_intern_id(in, "", 0), 0);
	diff_intern_free(in);
}
END_TEST

/* ---- The edit script ------------------------------------------------ */

/* The LCS length by dynamic programming, for checking. */
static size_t
lcs_dp(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	size_t *prev = xcalloc(m + 1, sizeof(size_t));
	size_t *cur = xcalloc(m + 1, sizeof(size_t)), *t, i, j, r;

	for (i = 1; i <= n; i++) {
		for (j = 1; j <= m; j++)
			cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 :
			    prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
		t = prev;
		prev = cur;
		cur = t;
	}
	r = prev[m];
	free(prev);
	free(cur);
	return r;
}

/*
 * Checks that the marks describe a common subsequence (kept elements of
 * a and b equal in order) and returns its length.
 */
static size_t
check_marks(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
    const unsigned char *ca, const unsigned char *cb)
{
	size_t i = 0, j = 0, k = 0;

	for (;;) {
		while (i < n && ca[i])
			i++;
		while (j < m && cb[j])
			j++;
		if (i == n || j == m)
			break;
		ck_assert_msg(a[i] == b[j], "kept a[%zu] != kept b[%zu]", i, j);
		i++;
		j++;
		k++;
	}
	while (i < n)
		ck_assert_msg(ca[i++], "a has more kept elements than b");
	while (j < m)
		ck_assert_msg(cb[j++], "b has more kept elements than a");
	return k;
}

/* Ids from a string, one per character. */
static size_t
ids_of(const char *s, uint32_t *out)
{
	size_t n = 0;

	for (; *s; s++)
		out[n++] = (unsigned char)*s;
	return n;
}

struct lcase {
	const char	*a, *b;
	size_t		 lcs;
};

static const struct lcase lcases[] = {
	{ "", "", 0 }, { "abc", "", 0 }, { "", "abc", 0 }, { "abc", "abc", 3 },
	{ "abcabba", "cbabac", 4 }, { "xaxbxc", "abc", 3 }, { "abc", "def", 0 },
	{ "aaaa", "aa", 2 }, { "ab", "ba", 1 }, { "kitten", "sitting", 4 },
	{ "the quick brown fox", "the slow brown dog", 12 },
};

START_TEST(test_lcs_table)
{
	const struct lcase *c = &lcases[_i];
	uint32_t a[64], b[64];
	unsigned char ca[64], cb[64];
	size_t n = ids_of(c->a, a), m = ids_of(c->b, b);

	diff_lcs(a, n, b, m, ca, cb);
	ck_assert_uint_eq(check_marks(a, n, b, m, ca, cb), c->lcs);
}
END_TEST

/* A small deterministic generator, so failures reproduce. */
static uint32_t
rnd(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7fff;
}

/* Random pairs against the DP: the script is a shortest one while the
 * cost cut-off is not reached (it is not at these sizes). */
START_TEST(test_lcs_random)
{
	uint32_t a[300] = {0}, b[300] = {0}, st = 7u + (uint32_t)_i;
	unsigned char ca[300], cb[300];
	size_t n = rnd(&st) % 300, m = rnd(&st) % 300, i;
	uint32_t alpha = 2 + rnd(&st) % 12;

	for (i = 0; i < n; i++)
		a[i] = rnd(&st) % alpha;
	/* b: a copy of a with some edits, or unrelated. */
	if (_i % 3) {
		m = 0;
		for (i = 0; i < n && m < 300; i++) {
			uint32_t r = rnd(&st) % 10;
			if (r == 0)
				continue;
			if (r == 1 && m < 299)
				b[m++] = rnd(&st) % alpha;
			b[m++] = a[i];
		}
	} else
		for (i = 0; i < m; i++)
			b[i] = rnd(&st) % alpha;
	diff_lcs(a, n, b, m, ca, cb);
	ck_assert_uint_eq(check_marks(a, n, b, m, ca, cb), lcs_dp(a, n, b, m));
}
END_TEST

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Large inputs stay near-linear: 400k tokens with 1% edits, and two
 * unrelated 100k sequences (where the cost cut-off must kick in). */
START_TEST(test_lcs_large)
{
	size_t n = 400000, m = 0, i, edits = 0;
	uint32_t *a = xmalloc(n * sizeof(*a)), *b = xmalloc((n + n / 50) *
	    sizeof(*b)), st = 42;
	unsigned char *ca = xmalloc(n), *cb = xmalloc(n + n / 50);
	double t0, t1;
	size_t k;

	for (i = 0; i < n; i++)
		a[i] = rnd(&st) % 5000;
	for (i = 0; i < n; i++) {
		uint32_t r = rnd(&st) % 200;
		if (r == 0) {
			edits++;
			continue;
		}
		if (r == 1) {
			b[m++] = 6000 + rnd(&st) % 100;
			edits++;
		}
		b[m++] = a[i];
	}
	t0 = seconds();
	diff_lcs(a, n, b, m, ca, cb);
	t1 = seconds();
	k = check_marks(a, n, b, m, ca, cb);
	ck_assert_msg(k + edits >= n, "kept %zu of %zu with %zu edits", k, n,
	    edits);
	ck_assert_msg(t1 - t0 < 5.0, "400k tokens took %.2f s", t1 - t0);

	for (i = 0; i < 100000; i++) {
		a[i] = rnd(&st) % 1000;
		b[i] = 1000 + rnd(&st) % 1000;
	}
	t0 = seconds();
	diff_lcs(a, 100000, b, 100000, ca, cb);
	t1 = seconds();
	ck_assert_uint_eq(check_marks(a, 100000, b, 100000, ca, cb), 0);
	ck_assert_msg(t1 - t0 < 5.0, "unrelated 100k took %.2f s", t1 - t0);
	/* Similar but shuffled in blocks: many equal elements, long D. */
	for (i = 0; i < 100000; i++) {
		a[i] = rnd(&st) % 50;
		b[i] = rnd(&st) % 50;
	}
	t0 = seconds();
	diff_lcs(a, 100000, b, 100000, ca, cb);
	t1 = seconds();
	check_marks(a, 100000, b, 100000, ca, cb);
	ck_assert_msg(t1 - t0 < 10.0, "random 100k took %.2f s", t1 - t0);
	free(a);
	free(b);
	free(ca);
	free(cb);
}
END_TEST

/* ---- Word diffs ----------------------------------------------------- */

/* Ops as "=kept|-deleted|+inserted", formatting runs as "~-" / "~+". */
static char *
ops_str(const struct vec *ops)
{
	struct buf b = {0};
	size_t i;

	for (i = 0; i < ops->n; i++) {
		const struct diff_op *o = ops->v[i];
		if (i)
			buf_putc(&b, '|');
		if (o->format)
			buf_putc(&b, '~');
		buf_putc(&b, o->op == DOP_EQ ? '=' : o->op == DOP_DEL ? '-' :
		    '+');
		buf_puts(&b, o->text);
	}
	return b.data ? buf_detach(&b) : xstrdup("");
}

struct wcase {
	const char	*name;
	enum dtok_mode	 mode;
	int		 ignore_format;
	const char	*a, *b;
	const char	*want;
	unsigned	 mask;
};

static const struct wcase wcases[] = {
	{ "word", DM_PLAIN, 0, "the quick fox", "the slow fox",
	    "=the |-quick|+slow|= fox", DF_EDITED },
	{ "same", DM_PLAIN, 0, "a b c", "a b c", "=a b c", 0 },
	{ "insert", DM_PLAIN, 0, "a c", "a b c", "=a |+b |=c", DF_EDITED },
	{ "delete-end", DM_PLAIN, 0, "a b c", "a b", "=a b|- c", DF_EDITED },
	{ "contraction", DM_PLAIN, 0, "it does not work", "it doesn't work",
	    "=it |-does not|+doesn't|= work", DF_EDITED },
	{ "rewrap", DM_MARKDOWN, 0, "one two\nthree", "one two three",
	    "=one two three", 0 },
	{ "cjk", DM_PLAIN, 0, "\xe5\x90\x8c\xe6\xad\xa5\xe5\xa4\xb1\xe8\xb4\xa5",
	    "\xe5\x90\x8c\xe6\xad\xa5\xe6\x88\x90\xe5\x8a\x9f",
	    "=\xe5\x90\x8c\xe6\xad\xa5|-\xe5\xa4\xb1\xe8\xb4\xa5|"
	    "+\xe6\x88\x90\xe5\x8a\x9f", DF_EDITED },
	{ "escape", DM_MARKDOWN, 0, "a \\- b", "a - b", "=a |~-\\-|~+-|= b",
	    DF_FORMAT },
	{ "escape-ignored", DM_MARKDOWN, 1, "a \\- b", "a - b", "=a - b", 0 },
	{ "emphasis", DM_MARKDOWN, 0, "x **bold** y", "x bold y",
	    "=x |~-**|=bold|~-**|= y", DF_FORMAT },
	{ "renumber", DM_MARKDOWN, 0, "1. a\n1. b", "1. a\n2. b",
	    "=1. a\n|~-1.|~+2.|= b", DF_FORMAT },
	{ "code-mark", DM_MARKDOWN, 0, "set *4000000*", "set `4000000`",
	    "=set |~-*|~+`|=4000000|~-*|~+`", DF_FORMAT },
	{ "link-target", DM_MARKDOWN, 0, "[doc](a.md)", "[doc](b.md)",
	    "=doc|-(a.md)|+(b.md)", DF_EDITED },
	{ "format-and-text", DM_MARKDOWN, 0, "**Note:** old", "Note: new",
	    "~-**|=Note:|~-**|= |-old|+new", DF_EDITED | DF_FORMAT },
	{ "list-item-removed", DM_MARKDOWN, 0, "- a\n- b\n- c", "- a\n- c",
	    "=- a|-\n- b|=\n- c", DF_EDITED },
	{ "empty-old", DM_MARKDOWN, 0, "", "new text", "+new text", DF_EDITED },
	{ "empty-both", DM_MARKDOWN, 0, "", "", "", 0 },
	{ "rewrite-folds", DM_PLAIN, 0, "To increase the limit select the pool",
	    "To increase the memory perform the steps",
	    "=To increase the |-limit select the pool|+memory perform the steps",
	    DF_EDITED },
};

START_TEST(test_words)
{
	const struct wcase *c = &wcases[_i];
	struct diff_intern *in = diff_intern_new();
	struct dtoks a = {0}, b = {0};
	struct vec ops = {0};
	unsigned mask;
	char *got;

	diff_tokenize(&a, c->a, strlen(c->a), c->mode, in);
	diff_tokenize(&b, c->b, strlen(c->b), c->mode, in);
	mask = diff_words(&ops, &a, &b, in, c->ignore_format);
	got = ops_str(&ops);
	ck_assert_msg(strcmp(got, c->want) == 0, "%s: got '%s', want '%s'",
	    c->name, got, c->want);
	ck_assert_msg(mask == c->mask, "%s: mask %u, want %u", c->name, mask,
	    c->mask);
	free(got);
	diff_ops_free(&ops);
	dtoks_free(&a);
	dtoks_free(&b);
	diff_intern_free(in);
}
END_TEST

/* ---- Article diffs -------------------------------------------------- */

/* A doc from Markdown text, as diff_doc_file would make it. */
static struct diff_doc *
doc_md(const char *md, const char *locale, const char *sha1)
{
	struct diff_doc *d = xcalloc(1, sizeof(*d));

	d->a = article_new("test.md", FORMAT_MARKDOWN);
	ck_assert_int_eq(article_md_read(d->a, md, strlen(md)), 0);
	mention_collect(d->a);
	d->a->locale = xstrdup(locale);
	snprintf(d->a->sha1, sizeof(d->a->sha1), "%s", sha1);
	d->text = xstrdup(md);
	d->len = strlen(md);
	d->name = xstrdup("test.md");
	return d;
}

static void
doc_free(struct diff_doc *d)
{
	diff_doc_free(d);
	free(d);
}

/*
 * Pairs as "status:old>new" with section titles (or '-'), ' ' between,
 * in report order; flags after '/' (r renamed, l relevelled, m moved,
 * e edited, f format, M merged, S split, N newer, G gone).
 */
static char *
pairs_str(const struct diff_result *r)
{
	static const char fl[] = "rlmefMSNG";
	struct buf b = {0};
	size_t i, k;

	for (i = 0; i < r->pairs.n; i++) {
		const struct diff_pair *p = r->pairs.v[i];
		const struct section *so = p->old >= 0 ?
		    r->old->a->sections.v[p->old] : NULL;
		const struct section *sn = p->new >= 0 ?
		    r->new->a->sections.v[p->new] : NULL;
		if (i)
			buf_putc(&b, ' ');
		buf_printf(&b, "%s:%s>%s", diff_status_name(p->status),
		    so ? (*so->title ? so->title : "top") : "-",
		    sn ? (*sn->title ? sn->title : "top") : "-");
		if (p->flags) {
			buf_putc(&b, '/');
			for (k = 0; k < sizeof(fl) - 1; k++)
				if (p->flags & (1u << k))
					buf_putc(&b, fl[k]);
		}
	}
	return b.data ? buf_detach(&b) : xstrdup("");
}

struct acase {
	const char	*name;
	const char	*a, *la;	/* old text and locale */
	const char	*b, *lb;
	const char	*base;		/* translated-from English, or NULL */
	const char	*want;
};

static const struct acase acases[] = {
	{ "identical", "# T\n\n## A\n\ntext a\n\n## B\n\ntext b\n", "en-us",
	    "# T\n\n## A\n\ntext a\n\n## B\n\ntext b\n", "en-us", NULL,
	    "same:T>T same:A>A same:B>B" },
	{ "rename-relevel", "# T\n\n## WSUS Messages\n\n### computer has not "
	    "reported status:\n\nThe computer does not report.\n", "en-us",
	    "# T\n\n## Computer hasn't reported status\n\nThe computer doesn't "
	    "report.\n", "en-us", NULL,
	    "same:T>T removed:WSUS Messages>- renamed:computer has not "
	    "reported status:>Computer hasn't reported status/rlef" },
	{ "added-removed", "# T\n\n## Old\n\nGone for good.\n", "en-us",
	    "# T\n\n## New\n\nSomething else entirely here.\n", "en-us", NULL,
	    "same:T>T removed:Old>- added:->New" },
	{ "everything-moved", "# T\n\n## A\n\nalpha text\n\n## B\n\nbeta text\n"
	    "\n## C\n\ngamma text\n", "en-us",
	    "# T\n\n## C\n\ngamma text\n\n## B\n\nbeta text\n\n## A\n\nalpha "
	    "text\n", "en-us", NULL,
	    "same:T>T same:C>C moved:B>B/m moved:A>A/m" },
	{ "similar-by-code", "# T\n\n## Setup fails\n\nWSUS setup fails with "
	    "error 0x80070643 when the account lacks SQL Server rights.\n",
	    "en-us", "# T\n\n## Fatal error during installation\n\nWSUS setup "
	    "fails with error 0x80070643 when the account lacks SQL Server "
	    "permissions.\n", "en-us", NULL,
	    "same:T>T renamed:Setup fails>Fatal error during installation/re" },
	{ "merged", "# T\n\nIntro.\n\n## Messages\n\nThis section lists the "
	    "following WSUS messages: computer has not reported status, sync "
	    "failed.\n", "en-us", "# T\n\nIntro. This section lists the "
	    "following WSUS messages: computer has not reported status, sync "
	    "failed.\n", "en-us", NULL,
	    "changed:T>T/e moved:Messages>-/M" },
	{ "empty-old", "", "en-us", "# T\n\n## A\n\ntext\n", "en-us", NULL,
	    "added:->T added:->A" },
	{ "empty-both", "", "en-us", "", "en-us", NULL, "" },
	{ "translation-missing", "# Tips\n\n## Computer hasn't reported status"
	    "\n\nText.\n\n## Cannot add duplicate collection entry of type "
	    "mimeMap\n\nMore.\n", "en-us",
	    "# <a name=\"tips\"></a>\xe6\x8f\x90\xe7\xa4\xba\n\n## <a name=\""
	    "computer-has-not-reported-status\"></a>\xe8\xae\xa1\xe7\xae\x97"
	    "\n\n\xe6\x96\x87\xe3\x80\x82\n", "zh-cn", NULL,
	    "same:Tips>\xe6\x8f\x90\xe7\xa4\xba same:Computer hasn't reported "
	    "status>\xe8\xae\xa1\xe7\xae\x97 missing:Cannot add duplicate "
	    "collection entry of type mimeMap>-" },
	{ "translation-extra", "# Tips\n\n## Codes\n\nError 503.\n", "en-us",
	    "# <a name=\"tips\"></a>\xe6\x8f\x90\xe7\xa4\xba\n\n## <a name=\""
	    "codes\"></a>\xe4\xbb\xa3\xe7\xa0\x81\n\n503\n\n## <a name=\"local"
	    "\"></a>\xe6\x9c\xac\xe5\x9c\xb0\n\n\xe6\x96\x87\n", "zh-cn", NULL,
	    "same:Tips>\xe6\x8f\x90\xe7\xa4\xba same:Codes>\xe4\xbb\xa3\xe7\xa0"
	    "\x81 extra:->\xe6\x9c\xac\xe5\x9c\xb0" },
	{ "translation-stale", "# Tips\n\n## Status\n\nThe computer is off "
	    "now.\n\n## Sync\n\nSync fails.\n\n## New\n\nAdded later.\n",
	    "en-us", "# <a name=\"tips\"></a>\xe6\x8f\x90\xe7\xa4\xba\n\n## <a "
	    "name=\"status\"></a>\xe7\x8a\xb6\xe6\x80\x81\n\n\xe5\x85\xb3\n\n## "
	    "<a name=\"sync\"></a>\xe5\x90\x8c\xe6\xad\xa5\n\n\xe5\xa4\xb1\n",
	    "zh-cn", "# Tips\n\n## Status\n\nThe computer is off.\n\n## Sync\n\n"
	    "Sync fails.\n",
	    "same:Tips>\xe6\x8f\x90\xe7\xa4\xba stale:Status>\xe7\x8a\xb6\xe6"
	    "\x80\x81/e same:Sync>\xe5\x90\x8c\xe6\xad\xa5 missing:New>-/N" },
	{ "translation-old-side", "# <a name=\"tips\"></a>\xe6\x8f\x90\xe7\xa4"
	    "\xba\n", "zh-cn", "# Tips\n\n## More\n\nx\n", "en-us", NULL,
	    "same:\xe6\x8f\x90\xe7\xa4\xba>Tips missing:->More" },
};

START_TEST(test_articles)
{
	const struct acase *c = &acases[_i];
	struct diff_doc *a = doc_md(c->a, c->la, "a1");
	struct diff_doc *b = doc_md(c->b, c->lb, "b2");
	struct diff_doc *base = c->base ? doc_md(c->base, "en-us", "c3") : NULL;
	struct diff_opts o = { 0, -1, NULL };
	struct diff_result r;
	char *got;

	diff_run(&r, a, b, base, base ? "hash" : NULL, &o);
	got = pairs_str(&r);
	ck_assert_msg(strcmp(got, c->want) == 0, "%s:\n got  '%s'\n want '%s'",
	    c->name, got, c->want);
	free(got);
	diff_result_free(&r);
	doc_free(a);
	doc_free(b);
	if (base)
		doc_free(base);
}
END_TEST

/* The writers on a real-looking result: JSON parses as the contract
 * shape, HTML escapes what it shows, text marks changes. */
START_TEST(test_writers)
{
	struct diff_doc *a = doc_md("---\ntitle: x\nms.date: 01/02/2020\n---\n"
	    "# T\n\n## <script>\n\nold & text\n", "en-us", "a1");
	struct diff_doc *b = doc_md("---\ntitle: y\n---\n# T\n\n## <script>\n\n"
	    "new & text\n", "en-us", "b2");
	struct diff_opts o = { 0, -1, NULL };
	struct diff_render ro = { 0, 1 };
	struct diff_result r;
	const struct diff_result *rp = &r;
	struct buf j = {0}, h = {0}, t = {0};

	diff_run(&r, a, b, NULL, NULL, &o);
	diff_write_json(&j, &r);
	ck_assert_ptr_nonnull(strstr(j.data, "\"sections\":[{\"status\":\"same\""));
	ck_assert_ptr_nonnull(strstr(j.data, "{\"op\":\"del\",\"text\":\"old\"}"));
	ck_assert_ptr_nonnull(strstr(j.data, "{\"key\":\"title\",\"old\":\"x\","
	    "\"new\":\"y\"}"));
	ck_assert_ptr_nonnull(strstr(j.data, "{\"key\":\"ms.date\",\"old\":"
	    "\"01/02/2020\",\"new\":null}"));
	diff_write_html_page(&h, &rp, 1);
	ck_assert_ptr_null(strstr(h.data, "<script>"));
	ck_assert_ptr_nonnull(strstr(h.data, "&lt;script&gt;"));
	ck_assert_ptr_nonnull(strstr(h.data, "<del>old</del>"));
	ck_assert_ptr_nonnull(strstr(h.data, "&amp; text"));
	diff_write_text(&t, &r, &ro);
	ck_assert_ptr_nonnull(strstr(t.data, "[-old-]{+new+} & text"));
	ck_assert_ptr_nonnull(strstr(t.data, "  ~ title: x -> y\n"));
	buf_free(&j);
	buf_free(&h);
	buf_free(&t);
	diff_result_free(&r);
	doc_free(a);
	doc_free(b);
}
END_TEST

START_TEST(test_json_members)
{
	struct vec k = {0}, v = {0};
	size_t i;
	char *s;

	ck_assert_int_eq(diff_json_members("{\"a\":\"x\\\"y\",\"b\":[1,{\"c\":"
	    "\"]\"}],\"d\":null,\"e\\u00e9\":{}}", &k, &v), 0);
	ck_assert_uint_eq(k.n, 4);
	ck_assert_str_eq(k.v[0], "a");
	ck_assert_str_eq(v.v[0], "\"x\\\"y\"");
	ck_assert_str_eq(v.v[1], "[1,{\"c\":\"]\"}]");
	ck_assert_str_eq(v.v[2], "null");
	ck_assert_str_eq(k.v[3], "e\xc3\xa9");
	s = diff_json_text(v.v[0]);
	ck_assert_str_eq(s, "x\"y");
	free(s);
	for (i = 0; i < k.n; i++) {
		free(k.v[i]);
		free(v.v[i]);
	}
	vec_free(&k);
	vec_free(&v);
	ck_assert_int_eq(diff_json_members("[1]", &k, &v), -1);
	ck_assert_int_eq(diff_json_members("{\"a\":", &k, &v), -1);
	ck_assert_uint_eq(k.n, 0);
}
END_TEST

/* ---- The knowledge base --------------------------------------------- */

/* The seeds in a fresh KB: versions loaded back, the history order, a
 * translation alone against the current English, references. */
START_TEST(test_kb)
{
	const char *src = getenv("KBGEN_SRC");
	char dbpath[] = "/tmp/test_diff_XXXXXX";
	char *seeds, *p001, *p, *sfx[] = { "-wal", "-shm" };
	struct diff_opts o = { 0, -1, NULL };
	struct diff_kb k;
	struct db *db;
	struct compile_stats st;
	int64_t zh, v001, v000, *ids;
	size_t n, i;
	int fd;

	fd = mkstemp(dbpath);
	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(dbpath);
	db = db_open(dbpath, 0);
	seeds = xasprintf("%s/kb/articles", src);
	p001 = xasprintf("%s/001_97e1c3f8af7f338d.txt", seeds);
	diag_quiet = 1;
	memset(&st, 0, sizeof(st));
	compile_paths(db, &seeds, 1, &st);

	zh = diff_ref_resolve(db, "9f6317f7:zh-cn", NULL, NULL);
	ck_assert_int_ne(zh, 0);
	ck_assert_int_eq(diff_kb(db, zh, 0, &o, &k), 0);
	ck_assert_int_eq(k.r.translation, 1);
	ck_assert_str_eq(k.old.a->locale, "en-us");
	ck_assert_str_eq(k.new.a->locale, "zh-cn");
	ck_assert_ptr_nonnull(k.old.text);	/* the file is still there */
	ck_assert_uint_eq(k.r.count[DS_MISSING], 1);
	ck_assert_uint_eq(k.r.count[DS_SAME], 5);
	ck_assert_ptr_nonnull(k.r.note);
	diff_kb_free(&k);

	v001 = diff_ref_resolve(db, p001, NULL, NULL);
	v000 = diff_ref_resolve(db, "9f6317f7@2023-03-07", NULL, NULL);
	ck_assert_int_ne(v001, 0);
	ck_assert_int_ne(v000, 0);
	ck_assert_int_eq(diff_kb(db, v001, v000, &o, &k), 0);
	ck_assert_int_eq(k.r.translation, 0);
	ck_assert_uint_eq(k.r.count[DS_MOVED], 1);
	ck_assert_uint_eq(k.r.count[DS_RENAMED], 2);
	ck_assert_uint_eq(k.r.count[DS_ADDED], 1);
	ck_assert_uint_eq(k.r.count[DS_REMOVED], 1);
	diff_kb_free(&k);

	/* Undated versions first: 001 has no ms.date. */
	n = diff_history(db, "9f6317f7-bfe0-42d9-87ce-d8f038c728ca", "en-us",
	    &ids);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(ids[0], v001);
	ck_assert_int_eq(ids[1], v000);
	free(ids);
	ck_assert_int_eq(diff_ref_resolve(db, "nosuch:xx-yy", NULL, NULL), 0);
	ck_assert_int_eq(diff_kb(db, 999999, 0, &o, &k), -1);

	db_close(db);
	unlink(dbpath);
	for (i = 0; i < 2; i++) {
		p = xasprintf("%s%s", dbpath, sfx[i]);
		unlink(p);
		free(p);
	}
	free(seeds);
	free(p001);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("diff");
	TCase *tc;

	tc = tcase_create("tokens");
	tcase_add_loop_test(tc, test_tokenize, 0, NCASES(tcases));
	tcase_add_test(tc, test_intern);
	suite_add_tcase(s, tc);

	tc = tcase_create("lcs");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_lcs_table, 0, NCASES(lcases));
	tcase_add_loop_test(tc, test_lcs_random, 0, 300);
	tcase_add_test(tc, test_lcs_large);
	suite_add_tcase(s, tc);

	tc = tcase_create("words");
	tcase_add_loop_test(tc, test_words, 0, NCASES(wcases));
	suite_add_tcase(s, tc);

	tc = tcase_create("articles");
	tcase_add_loop_test(tc, test_articles, 0, NCASES(acases));
	tcase_add_test(tc, test_writers);
	tcase_add_test(tc, test_json_members);
	suite_add_tcase(s, tc);

	if (getenv("KBGEN_SRC") != NULL) {
		tc = tcase_create("kb");
		tcase_set_timeout(tc, 60);
		tcase_add_test(tc, test_kb);
		suite_add_tcase(s, tc);
	} else
		fprintf(stderr, "skipping the KB tests: KBGEN_SRC not set\n");
	return s;
}

int
main(void)
{
	article_readers_init();
	return ck_run(suite());
}
