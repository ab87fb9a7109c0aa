/*
 * site_links.c -- links between pages: internal article links resolved
 * to the generated pages (the version compiled from the file a link
 * names, in the reader's language when the target has it), the link
 * check that warns about broken links and missing anchors, and the
 * rewriting of section HTML for a page (hrefs, images, alerts).
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "html.h"
#include "mustache.h"
#include "site.h"

/* Where docs-site paths ("/windows/...") of the articles live. */
#define DOCS_SITE "https://learn.microsoft.com/"

/*
 * Collapses "//", "/./" and "dir/../" in an absolute or relative path
 * (a link names a file through "../", which realpath() keeps when the
 * file does not exist).  Returns a new string.
 */
static char *
path_normalize(const char *p)
{
	struct buf b = {0};
	const char *seg = p, *end;
	size_t *marks = xcalloc(strlen(p) + 1, sizeof(*marks)), nm = 0;

	if (*p == '/')
		buf_putc(&b, '/');
	while (*seg) {
		size_t n;
		end = strchr(seg, '/');
		n = end ? (size_t)(end - seg) : strlen(seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			;
		else if (n == 2 && seg[0] == '.' && seg[1] == '.' && nm > 0)
			b.len = marks[--nm], b.data[b.len] = '\0';
		else {
			marks[nm++] = b.len;
			if (b.len && b.data[b.len - 1] != '/')
				buf_putc(&b, '/');
			buf_put(&b, seg, n);
		}
		seg += n + (end != NULL);
	}
	free(marks);
	return buf_detach(&b);
}

/* Reads the anchors of v's bodies (<a id="x"></a>, which the reader
 * writes for DocFX <a name> anchors inside paragraphs). */
static void
inline_read(struct site *s, struct site_version *v)
{
	sqlite3_stmt *st = db_stmt(s->db, ST_SECTIONS_OF);
	const char *p, *q;

	v->inline_read = 1;
	db_bind_int(st, 1, v->id);
	while (db_step(s->db, st) == SQLITE_ROW)
		for (p = db_col_text(st, 6); (p = strstr(p, "<a id=\"")) != NULL;
		    p = q) {
			p += 7;
			if ((q = strchr(p, '"')) == NULL)
				break;
			vec_push(&v->inline_ids, xstrndup(p, (size_t)(q - p)));
		}
}

/* Does v have a section or a body anchor called anchor? */
static int
has_anchor(struct site *s, struct site_version *v, const char *anchor)
{
	size_t i;

	if (site_anchor(v, anchor) != NULL)
		return 1;
	if (!v->inline_read)
		inline_read(s, v);
	for (i = 0; i < v->inline_ids.n; i++)
		if (strcmp(v->inline_ids.v[i], anchor) == 0)
			return 1;
	return 0;
}

/* The newest version of a's in locale that has anchor (if any). */
static struct site_version *
in_locale(struct site *s, const struct site_article *a, const char *locale,
    const char *anchor)
{
	size_t i;

	for (i = 0; i < a->versions.n; i++) {
		struct site_version *v = a->versions.v[i];
		if (strcmp(v->locale, locale) == 0 &&
		    (anchor == NULL || has_anchor(s, v, anchor)))
			return v;
	}
	return NULL;
}

static char *
with_anchor(const char *url, const char *anchor)
{
	return anchor ? xasprintf("%s#%s", url, anchor) : xstrdup(url);
}

/* Resolves one internal link of v; returns 1 when it warned. */
static int
resolve_internal(struct site *s, struct site_version *v, struct site_link *l)
{
	char *path = path_normalize(l->path ? l->path : "");
	struct site_version *t = site_version_by_path(s, path), *c;

	/* A file of the link's own commit, compiled from another one. */
	if (t == NULL)
		t = site_version_by_snapshot(s, path, v->path);
	free(path);
	if (t == NULL) {
		l->broken = 1;
		diag(DIAG_WARNING, v->display, l->line, 0, "broken link '%s': "
		    "no article in the knowledge base was compiled from it",
		    l->target);
		return 1;
	}
	if (strcmp(t->locale, v->locale) != 0 &&
	    (c = in_locale(s, t->art, v->locale, l->anchor)) != NULL)
		t = c;
	if (l->anchor && !has_anchor(s, t, l->anchor)) {
		/* The page, then: a dead fragment would only scroll nowhere. */
		l->href = xstrdup(t->url);
		l->broken = 2;
		diag(DIAG_WARNING, v->display, l->line, 0, "link '%s': no "
		    "section '%s' in '%s' (%s %s)", l->target, l->anchor,
		    t->title, t->locale, t->label);
		return 1;
	}
	l->href = with_anchor(t->url, l->anchor);
	return 0;
}

size_t
site_links_resolve(struct site *s)
{
	size_t i, k, warned = 0;

	for (i = 0; i < s->versions.n; i++) {
		struct site_version *v = s->versions.v[i];
		for (k = 0; k < v->nlinks; k++) {
			struct site_link *l = &v->links[k];
			switch (l->kind) {
			case SL_INTERNAL:
				warned += resolve_internal(s, v, l);
				break;
			case SL_ANCHOR:
				if (l->anchor && !has_anchor(s, v,
				    l->anchor)) {
					l->broken = 2;
					diag(DIAG_WARNING, v->display, l->line,
					    0, "link '%s': no such section in "
					    "this article", l->target);
					warned++;
				}
				break;
			case SL_SITE:
				l->href = strncmp(l->target, "//", 2) == 0 ?
				    xasprintf("https:%s", l->target) :
				    xasprintf(DOCS_SITE "%s%s", v->locale,
				    l->target);
				break;
			case SL_EXTERNAL:
				break;
			}
		}
	}
	return warned;
}

/* ---- Rewriting section HTML ---- */

static int
hexval(int c)
{
	return kb_isdigit(c) ? c - '0' : (c | 32) - 'a' + 10;
}

/* s[0..n) with entities and %XX decoded, for comparing URLs. */
static char *
url_plain(const char *s, size_t n)
{
	struct buf e = {0}, b = {0};
	size_t i;

	html_unescape_into(&e, s, n);
	for (i = 0; i < e.len; i++) {
		if (e.data[i] == '%' && i + 2 < e.len &&
		    kb_isxdigit((unsigned char)e.data[i + 1]) &&
		    kb_isxdigit((unsigned char)e.data[i + 2])) {
			buf_putc(&b, hexval((unsigned char)e.data[i + 1]) * 16 +
			    hexval((unsigned char)e.data[i + 2]));
			i += 2;
		} else
			buf_putc(&b, e.data[i]);
	}
	buf_free(&e);
	return buf_detach(&b);
}

/*
 * The link record of the ordinal-th link of sec whose href is h[0..n):
 * links are numbered in document order, so the ordinal finds it; the
 * target is compared to be safe, else any link of sec with that target.
 */
static const struct site_link *
link_for(const struct site_section *sec, int ordinal, const char *h,
    size_t n)
{
	const struct site_version *v = sec->v;
	const struct site_link *hit = NULL;
	char *want = url_plain(h, n), *got;
	size_t i;

	for (i = 0; i < v->nlinks && hit == NULL; i++) {
		const struct site_link *l = &v->links[i];
		if (l->sec != sec || l->ordinal != ordinal)
			continue;
		got = url_plain(l->target, strlen(l->target));
		if (strcmp(got, want) == 0)
			hit = l;
		free(got);
	}
	for (i = 0; i < v->nlinks && hit == NULL; i++) {
		const struct site_link *l = &v->links[i];
		if (l->sec != sec)
			continue;
		got = url_plain(l->target, strlen(l->target));
		if (strcmp(got, want) == 0)
			hit = l;
		free(got);
	}
	free(want);
	return hit;
}

/* The value of attribute name in tag[0..n) (quoted with "), or NULL. */
static const char *
attr(const char *tag, size_t n, const char *name, size_t *len)
{
	size_t k = strlen(name), i;
	const char *q;

	for (i = 0; i + k + 2 < n; i++) {
		if (tag[i] != ' ' || strncmp(tag + i + 1, name, k) != 0 ||
		    tag[i + 1 + k] != '=' || tag[i + 2 + k] != '"')
			continue;
		q = memchr(tag + i + k + 3, '"', n - (i + k + 3));
		if (q == NULL)
			return NULL;
		*len = (size_t)(q - (tag + i + k + 3));
		return tag + i + k + 3;
	}
	return NULL;
}

/*
 * An image as text: images are not part of the KB, and a remote one
 * would be a request leaving the page.  The alt text is written as it
 * is (the reader escaped it).
 */
static void
image(struct buf *b, const char *tag, size_t n)
{
	size_t sl = 0, al = 0;
	const char *src = attr(tag, n, "src", &sl);
	const char *alt = attr(tag, n, "alt", &al);
	char *u = src ? url_plain(src, sl) : NULL;

	if (u && (strncmp(u, "https://", 8) == 0 ||
	    strncmp(u, "http://", 7) == 0)) {
		buf_puts(b, "<a class=\"img\" href=\"");
		buf_put(b, src, sl);
		buf_puts(b, "\">");
	} else
		buf_puts(b, "<span class=\"img\">");
	buf_puts(b, "Image");
	if (alt && al) {
		buf_puts(b, ": ");
		buf_put(b, alt, al);
	}
	buf_puts(b, u && (strncmp(u, "https://", 8) == 0 ||
	    strncmp(u, "http://", 7) == 0) ? "</a>" : "</span>");
	free(u);
}

/* An <a href="..."> opening: the href rewritten; returns bytes used. */
static size_t
anchor_tag(struct buf *b, const struct site_section *sec, const char *p,
    int *ordinal, const char *root)
{
	const char *h = p + 9, *q = strchr(h, '"');
	const struct site_link *l;

	if (q == NULL) {
		buf_puts(b, p);
		return strlen(p);
	}
	if (q == h) {
		buf_put(b, p, (size_t)(q + 1 - p));
		return (size_t)(q + 1 - p);
	}
	l = link_for(sec, ++*ordinal, h, (size_t)(q - h));
	if (l && ((l->kind == SL_INTERNAL && l->broken == 1) ||
	    (l->kind == SL_ANCHOR && l->broken)))
		buf_puts(b, "<a class=\"broken\"");
	else if (l && l->href) {
		buf_puts(b, "<a href=\"");
		if (l->kind == SL_INTERNAL)
			html_attr(b, root);
		html_attr(b, l->href);
		buf_putc(b, '"');
	} else
		buf_put(b, p, (size_t)(q + 1 - p));
	return (size_t)(q + 1 - p);
}

void
site_rewrite_html(struct buf *b, const struct site *s,
    const struct site_section *sec, const char *html, const char *root)
{
	const char *p = html, *lt;
	int ordinal = 0;

	(void)s;
	while ((lt = strchr(p, '<')) != NULL) {
		buf_put(b, p, (size_t)(lt - p));
		p = lt;
		if (strncmp(p, "<a href=\"", 9) == 0)
			p += anchor_tag(b, sec, p, &ordinal, root);
		else if (strncmp(p, "<img ", 5) == 0 && strchr(p, '>')) {
			const char *gt = strchr(p, '>');
			image(b, p, (size_t)(gt - p));
			p = gt + 1;
		} else if (strncmp(p, "<div class=\"alert ", 18) == 0) {
			buf_puts(b, "<div role=\"note\" class=\"alert ");
			p += 18;
		} else {
			buf_putc(b, '<');
			p++;
		}
	}
	buf_puts(b, p);
}
