/*
 * render_diff.c -- the three forms of a diff result: a text report
 * (coloured on a terminal), JSON for automation (DESIGN.md "Diff JSON")
 * and self-contained HTML with inline <ins>/<del> and a side-by-side
 * view.  The engine is diff.c; the command line is cmd_diff.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "article.h"
#include "html.h"
#include "diff.h"

/* ---- Small helpers ------------------------------------------------- */

static const struct section *
section_of(const struct diff_doc *d, int k)
{
	return k >= 0 && d->a && (size_t)k < d->a->sections.n ?
	    d->a->sections.v[k] : NULL;
}

/* "## Title" (or "(top)" for text before any heading). */
static void
heading(struct buf *b, const struct section *s)
{
	int i;

	if (s == NULL)
		return;
	if (s->level == 0) {
		buf_puts(b, "(top)");
		return;
	}
	for (i = 0; i < s->level; i++)
		buf_putc(b, '#');
	buf_putc(b, ' ');
	buf_puts(b, s->title ? s->title : "");
}

static const char *
dash(const char *s)
{
	return s && *s ? s : "-";
}

/* The flags of a pair in words, comma-separated, into b. */
static void
flag_words(struct buf *b, const struct diff_result *r,
    const struct diff_pair *p)
{
	const struct section *so = section_of(r->old, p->old);
	const struct section *sn = section_of(r->new, p->new);
	size_t start = b->len;

#define SEP() do { if (b->len > start) buf_puts(b, ", "); } while (0)
	if ((p->flags & DF_MOVED) && p->status != DS_MOVED) {
		SEP();
		buf_puts(b, "moved");
	}
	if ((p->flags & DF_RENAMED) && p->status != DS_RENAMED) {
		SEP();
		buf_puts(b, "renamed");
	}
	if ((p->flags & DF_RELEVEL) && so && sn) {
		SEP();
		buf_printf(b, "level %d -> %d", so->level, sn->level);
	}
	if (p->flags & DF_EDITED) {
		SEP();
		buf_puts(b, "edited");
	}
	if (p->flags & DF_FORMAT) {
		SEP();
		buf_puts(b, "formatting");
	}
	if (p->flags & DF_NEWER) {
		SEP();
		buf_puts(b, "added to the English after the translated version");
	}
	if (p->flags & DF_GONE) {
		SEP();
		buf_puts(b, "removed from the English since");
	}
	if (r->translation && p->status == DS_SAME && p->stale < 0) {
		SEP();
		buf_puts(b, "staleness unknown");
	}
#undef SEP
}

/* The status as people read it: a translated section that is there and
 * not known to be stale is "present". */
static const char *
status_word(const struct diff_result *r, const struct diff_pair *p)
{
	if (r->translation && p->status == DS_SAME)
		return "present";
	return diff_status_name(p->status);
}

/* The section a merged / split pair points at (on the other side). */
static const struct section *
pair_other(const struct diff_result *r, const struct diff_pair *p)
{
	if (p->flags & DF_MERGED)
		return section_of(r->new, p->other);
	if (p->flags & DF_SPLIT)
		return section_of(r->old, p->other);
	return NULL;
}

/* One fragment of an op, within one line. */
struct frag {
	const struct diff_op *op;
	const char	*s;
	size_t		 n;
};

/* A line: the fragments between two line breaks. */
struct line {
	struct frag	*f;
	size_t		 n, cap;
	int		 changed;
};

static void
line_add(struct line *l, const struct diff_op *o, const char *s, size_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->f = xrealloc(l->f, l->cap * sizeof(*l->f));
	}
	l->f[l->n].op = o;
	l->f[l->n].s = s;
	l->f[l->n++].n = n;
	if (o->op != DOP_EQ && n)
		l->changed = 1;
}

/* Splits ops into lines; a deleted or inserted line break marks both
 * lines it joins as changed.  Returns the count; free with lines_free. */
static size_t
ops_lines(const struct vec *ops, struct line **out)
{
	struct line *v = xcalloc(1, sizeof(*v));
	size_t n = 1, i;
	const char *s, *nl;

	for (i = 0; i < ops->n; i++) {
		const struct diff_op *o = ops->v[i];
		for (s = o->text; *s; s = nl + 1) {
			if ((nl = strchr(s, '\n')) == NULL) {
				line_add(&v[n - 1], o, s, strlen(s));
				break;
			}
			line_add(&v[n - 1], o, s, (size_t)(nl - s));
			if (o->op != DOP_EQ)
				v[n - 1].changed = 1;
			v = xrealloc(v, (n + 1) * sizeof(*v));
			memset(&v[n], 0, sizeof(*v));
			if (o->op != DOP_EQ)
				v[n].changed = 1;
			n++;
		}
	}
	*out = v;
	return n;
}

static void
lines_free(struct line *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].f);
	free(v);
}

/* ---- Text ---------------------------------------------------------- */

/* One fragment: brackets without colour, ANSI colour with it. */
static void
text_frag(struct buf *b, const struct frag *f, int color)
{
	static const char *const plain[2][3][2] = {
		{ { "", "" }, { "[-", "-]" }, { "{+", "+}" } },
		{ { "", "" }, { "[~", "~]" }, { "{~", "~}" } },
	};
	static const char *const ansi[2][3] = {
		{ "", "\033[31;9m", "\033[32m" },
		{ "", "\033[2;33;9m", "\033[2;33m" },
	};
	int fmt = f->op->format != 0, op = (int)f->op->op;

	if (f->n == 0)
		return;
	if (color && op != DOP_EQ) {
		buf_puts(b, ansi[fmt][op]);
		buf_put(b, f->s, f->n);
		buf_puts(b, "\033[0m");
		return;
	}
	buf_puts(b, plain[fmt][op][0]);
	buf_put(b, f->s, f->n);
	buf_puts(b, plain[fmt][op][1]);
}

static void
text_line(struct buf *b, const struct line *l, const char *prefix, int color)
{
	size_t i;

	buf_puts(b, prefix);
	for (i = 0; i < l->n; i++)
		text_frag(b, &l->f[i], color);
	buf_putc(b, '\n');
}

/* The changed lines of ops with ctx lines of context, "..." between. */
static void
text_ops(struct buf *b, const struct vec *ops, const char *prefix, int ctx,
    int color)
{
	struct line *v;
	size_t n = ops_lines(ops, &v), i, j;
	unsigned char *show = xcalloc(n + 1, 1);
	int gap = 0, any = 0;

	for (i = 0; i < n; i++)
		if (v[i].changed)
			for (j = i >= (size_t)ctx ? i - (size_t)ctx : 0;
			    j < n && j <= i + (size_t)ctx; j++)
				show[j] = any = 1;
	/* Nothing changed in the body: say nothing about it. */
	for (i = 0; any && i < n; i++) {
		if (!show[i]) {
			gap = 1;
			continue;
		}
		if (gap)
			buf_printf(b, "%s...\n", prefix);
		gap = 0;
		text_line(b, &v[i], prefix, color);
	}
	if (any && gap)
		buf_printf(b, "%s...\n", prefix);
	free(show);
	lines_free(v, n);
}

/* Every line of a one-sided section, prefixed. */
static void
text_whole(struct buf *b, const struct vec *ops, const char *prefix)
{
	const char *s, *nl;
	size_t i;

	for (i = 0; i < ops->n; i++) {
		const struct diff_op *o = ops->v[i];
		for (s = o->text; *s; s = nl + 1) {
			nl = strchr(s, '\n');
			buf_puts(b, prefix);
			buf_put(b, s, nl ? (size_t)(nl - s) : strlen(s));
			buf_putc(b, '\n');
			if (nl == NULL)
				break;
		}
	}
}

/* Does a run of ops change anything? */
static int
ops_change(const struct vec *ops)
{
	size_t i;

	for (i = 0; i < ops->n; i++)
		if (((const struct diff_op *)ops->v[i])->op != DOP_EQ)
			return 1;
	return 0;
}

static char
status_mark(enum diff_status s)
{
	switch (s) {
	case DS_SAME:
		return '=';
	case DS_ADDED:
	case DS_EXTRA:
		return '+';
	case DS_REMOVED:
	case DS_MISSING:
		return '-';
	case DS_MOVED:
		return '>';
	default:
		return '~';
	}
}

/* One pair: a header line, the heading diff, the body diff. */
static void
text_pair(struct buf *b, const struct diff_result *r,
    const struct diff_pair *p, const struct diff_render *ro)
{
	const struct section *so = section_of(r->old, p->old);
	const struct section *sn = section_of(r->new, p->new);
	const struct section *other = pair_other(r, p);
	struct buf f = {0};

	flag_words(&f, r, p);
	buf_printf(b, "%c %s", status_mark(p->status), status_word(r, p));
	if (f.len)
		buf_printf(b, " (%s)", f.data);
	buf_puts(b, ": ");
	heading(b, so);
	if (so && sn && (p->flags & (DF_RENAMED | DF_RELEVEL) || r->translation))
		buf_puts(b, r->translation ? " <-> " : " -> ");
	if (sn && (!so || p->flags & (DF_RENAMED | DF_RELEVEL) ||
	    r->translation))
		heading(b, sn);
	if (other) {
		buf_puts(b, p->flags & DF_MERGED ? " => into " : " <= from ");
		heading(b, other);
	}
	buf_putc(b, '\n');
	buf_free(&f);
	if (p->status == DS_SAME || p->status == DS_MISSING ||
	    p->status == DS_EXTRA)
		return;
	if (p->old < 0 || p->new < 0) {
		text_whole(b, &p->ops, p->new < 0 ? "    - " : "    + ");
		return;
	}
	if (ops_change(&p->title_ops)) {
		struct line *v;
		size_t n = ops_lines(&p->title_ops, &v), i;
		for (i = 0; i < n; i++)
			text_line(b, &v[i], "    heading: ", ro->color);
		lines_free(v, n);
	}
	text_ops(b, &p->ops, "    ", ro->context, ro->color);
}

static void
text_doc(struct buf *b, const char *mark, const struct diff_doc *d)
{
	buf_printf(b, "%s %s  (%s, %s, %s)\n", mark, d->name, dash(d->a->key),
	    dash(d->a->locale), dash(d->a->version));
}

/* A front-matter value for people, shortened to one line. */
static void
fm_value(struct buf *b, const char *json)
{
	char *t = diff_json_text(json), *p;

	for (p = t; *p; p++)
		if (*p == '\n')
			*p = ' ';
	buf_puts(b, t);
	free(t);
}

static void
text_fm(struct buf *b, const struct diff_result *r)
{
	size_t i;

	if (r->fm.n == 0)
		return;
	buf_puts(b, "front matter:\n");
	for (i = 0; i < r->fm.n; i++) {
		const struct diff_fm *f = r->fm.v[i];
		buf_printf(b, "  %c %s: ", f->old && f->new ? '~' :
		    f->old ? '-' : '+', f->key);
		fm_value(b, f->old ? f->old : f->new);
		if (f->old && f->new) {
			buf_puts(b, " -> ");
			fm_value(b, f->new);
		}
		buf_putc(b, '\n');
	}
}

static void
summary(struct buf *b, const struct diff_result *r)
{
	int s, first = 1;

	buf_printf(b, "sections: %zu old, %zu new:", r->old->a->sections.n,
	    r->new->a->sections.n);
	for (s = 0; s < DS__MAX; s++) {
		if (r->count[s] == 0)
			continue;
		buf_printf(b, "%s %zu %s", first ? "" : ",", r->count[s],
		    r->translation && s == DS_SAME ? "present" :
		    diff_status_name((enum diff_status)s));
		first = 0;
	}
	if (first)
		buf_puts(b, " none");
	buf_putc(b, '\n');
}

void
diff_write_text(struct buf *b, const struct diff_result *r,
    const struct diff_render *ro)
{
	size_t i;

	text_doc(b, "---", r->old);
	text_doc(b, "+++", r->new);
	if (r->translation)
		buf_printf(b, "translation: %s is the English source\n",
		    r->english ? "new" : "old");
	if (r->note)
		buf_printf(b, "note: %s\n", r->note);
	if (r->identical)
		buf_puts(b, "identical: same bytes\n");
	text_fm(b, r);
	summary(b, r);
	for (i = 0; i < r->pairs.n; i++)
		text_pair(b, r, r->pairs.v[i], ro);
}

/* ---- JSON ---------------------------------------------------------- */

static void
json_doc(struct buf *b, const struct diff_doc *d)
{
	buf_puts(b, "{\"article\":");
	json_string(b, d->a->key ? d->a->key : "");
	buf_puts(b, ",\"locale\":");
	json_string(b, d->a->locale ? d->a->locale : "");
	buf_puts(b, ",\"version\":");
	json_string(b, d->a->version ? d->a->version : "");
	buf_puts(b, ",\"title\":");
	json_string(b, d->a->title ? d->a->title : "");
	buf_puts(b, ",\"date\":");
	if (d->a->date)
		json_string(b, d->a->date);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"source\":");
	json_string(b, d->name ? d->name : "");
	buf_puts(b, "}");
}

static void
json_section(struct buf *b, const struct diff_doc *d, int k)
{
	const struct section *s = section_of(d, k);

	if (s == NULL) {
		buf_puts(b, "null");
		return;
	}
	buf_puts(b, "{\"title\":");
	json_string(b, s->title ? s->title : "");
	buf_puts(b, ",\"anchor\":");
	json_string(b, s->anchor ? s->anchor : "");
	buf_printf(b, ",\"level\":%d,\"index\":%d}", s->level, k);
}

static void
json_ops(struct buf *b, const struct vec *ops)
{
	size_t i;

	buf_putc(b, '[');
	for (i = 0; i < ops->n; i++) {
		const struct diff_op *o = ops->v[i];
		buf_printf(b, "%s{\"op\":\"%s\",\"text\":", i ? "," : "",
		    o->op == DOP_EQ ? "eq" : o->op == DOP_DEL ? "del" : "ins");
		json_string(b, o->text);
		if (o->format)
			buf_puts(b, ",\"format\":true");
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

static void
json_flags(struct buf *b, unsigned flags)
{
	static const char *const names[] = { "renamed", "relevelled", "moved",
	    "edited", "format", "merged", "split", "newer", "gone" };
	size_t i;
	int first = 1;

	buf_putc(b, '[');
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & (1u << i)) {
			buf_printf(b, "%s\"%s\"", first ? "" : ",", names[i]);
			first = 0;
		}
	buf_putc(b, ']');
}

static void
json_pair(struct buf *b, const struct diff_result *r,
    const struct diff_pair *p)
{
	buf_printf(b, "{\"status\":\"%s\",\"flags\":",
	    diff_status_name(p->status));
	json_flags(b, p->flags);
	if (p->old >= 0 && p->new >= 0)
		buf_printf(b, ",\"match\":\"%s\",\"score\":%.2f",
		    diff_how_name(p->how), p->score);
	buf_puts(b, ",\"old\":");
	json_section(b, r->old, p->old);
	buf_puts(b, ",\"new\":");
	json_section(b, r->new, p->new);
	if (p->flags & (DF_MERGED | DF_SPLIT)) {
		buf_puts(b, p->flags & DF_MERGED ? ",\"into\":" : ",\"from\":");
		json_section(b, p->flags & DF_MERGED ? r->new : r->old, p->other);
	}
	if (r->translation) {
		buf_printf(b, ",\"presence\":\"%s\",\"stale\":%s",
		    p->status == DS_MISSING ? "missing" : p->status == DS_EXTRA ?
		    "extra" : "present", p->status == DS_MISSING ||
		    p->status == DS_EXTRA || p->stale < 0 ? "null" :
		    p->stale ? "true" : "false");
	}
	if (ops_change(&p->title_ops)) {
		buf_puts(b, ",\"title_changes\":");
		json_ops(b, &p->title_ops);
	}
	buf_puts(b, ",\"changes\":");
	if (p->status == DS_SAME) {
		struct vec none = {0};
		json_ops(b, &none);
	} else
		json_ops(b, &p->ops);
	buf_putc(b, '}');
}

void
diff_write_json(struct buf *b, const struct diff_result *r)
{
	size_t i;
	int s, first = 1;

	buf_puts(b, "{\"old\":");
	json_doc(b, r->old);
	buf_puts(b, ",\"new\":");
	json_doc(b, r->new);
	buf_printf(b, ",\"mode\":\"%s\",\"identical\":%s",
	    r->translation ? "translation" : "versions",
	    r->identical ? "true" : "false");
	if (r->translation) {
		buf_printf(b, ",\"translation\":{\"english\":\"%s\",\"source\":",
		    r->english ? "new" : "old");
		if (r->base) {
			buf_puts(b, "{\"version\":");
			json_string(b, r->base->a->version);
			buf_puts(b, ",\"basis\":");
			json_string(b, r->basis ? r->basis : "");
			buf_puts(b, "}");
		} else
			buf_puts(b, "null");
		buf_puts(b, ",\"stale_basis\":");
		if (r->basis)
			json_string(b, r->basis);
		else
			buf_puts(b, "null");
		buf_puts(b, "}");
	}
	if (r->note) {
		buf_puts(b, ",\"note\":");
		json_string(b, r->note);
	}
	buf_puts(b, ",\"frontmatter\":[");
	for (i = 0; i < r->fm.n; i++) {
		const struct diff_fm *f = r->fm.v[i];
		buf_puts(b, i ? ",{\"key\":" : "{\"key\":");
		json_string(b, f->key);
		buf_printf(b, ",\"old\":%s,\"new\":%s}", f->old ? f->old : "null",
		    f->new ? f->new : "null");
	}
	buf_puts(b, "],\"summary\":{");
	for (s = 0; s < DS__MAX; s++) {
		if (r->count[s] == 0)
			continue;
		buf_printf(b, "%s\"%s\":%zu", first ? "" : ",",
		    diff_status_name((enum diff_status)s), r->count[s]);
		first = 0;
	}
	buf_puts(b, "},\"sections\":[");
	for (i = 0; i < r->pairs.n; i++) {
		if (i)
			buf_putc(b, ',');
		json_pair(b, r, r->pairs.v[i]);
	}
	buf_puts(b, "]}");
}

/* ---- HTML ---------------------------------------------------------- */

static const char html_css[] =
"body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;"
"background:#fafafa}\n"
"main{max-width:72rem;margin:0 auto;padding:1rem}\n"
".opts{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;"
"padding:.4rem 1rem;z-index:1}\n"
"h1{font-size:1.4rem}h2{font-size:1.05rem;margin:.2rem 0}\n"
"table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;"
"vertical-align:top;text-align:left}\n"
".pair{background:#fff;border:1px solid #ddd;border-left:4px solid #999;"
"margin:.6rem 0;padding:.4rem .8rem}\n"
".s-same{border-left-color:#bbb}.s-changed,.s-renamed,.s-stale{border-left-color:#d29922}"
".s-added,.s-extra{border-left-color:#2da44e}.s-removed,.s-missing{border-left-color:#cf222e}"
".s-moved{border-left-color:#8250df}\n"
".st{font-weight:600;text-transform:uppercase;font-size:.75rem;"
"letter-spacing:.05em;padding:.05rem .35rem;border-radius:3px;background:#eee}\n"
".flags{color:#555;font-size:.85rem}\n"
".body{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:.85rem}\n"
"ins{background:#dafbe1;text-decoration:none}"
"del{background:#ffebe9;text-decoration:line-through}\n"
".body{overflow-wrap:anywhere}\n"
"ins.fmt,del.fmt{background:#fff8c5;color:#6e5b00}\n"
".sbs{width:100%;table-layout:fixed}.sbs td{width:50%;white-space:pre-wrap;"
"overflow-wrap:anywhere;font-family:ui-monospace,monospace;font-size:.85rem}\n"
".note{background:#fff8c5;padding:.3rem .6rem}\n"
"#hidefmt:checked~main .fmt{display:none}\n"
"#hidesame:checked~main .s-same{display:none}\n"
"#v-inline:checked~main .sbs{display:none}\n"
"#v-sbs:checked~main .inline{display:none}\n";

/* One fragment as HTML: text escaped, changes in <del>/<ins>. */
static void
html_frag(struct buf *b, const struct diff_op *o, const char *s, size_t n)
{
	const char *tag = o->op == DOP_DEL ? "del" : "ins";

	if (n == 0)
		return;
	if (o->op == DOP_EQ) {
		html_escape(b, s, n);
		return;
	}
	/* Plain puts: a diff page has thousands of fragments. */
	buf_putc(b, '<');
	buf_puts(b, tag);
	buf_puts(b, o->format ? " class=\"fmt\">" : ">");
	html_escape(b, s, n);
	buf_puts(b, "</");
	buf_puts(b, tag);
	buf_putc(b, '>');
}

/* Every op in one flow. */
static void
html_flow(struct buf *b, const struct vec *ops)
{
	size_t i;

	for (i = 0; i < ops->n; i++) {
		const struct diff_op *o = ops->v[i];
		html_frag(b, o, o->text, strlen(o->text));
	}
}

/* The inline view. */
static void
html_inline(struct buf *b, const struct vec *ops)
{
	buf_puts(b, "<div class=\"inline body\">");
	html_flow(b, ops);
	buf_puts(b, "</div>\n");
}

/* The side-by-side view: one row per line, old (kept and deleted text)
 * on the left, new (kept and inserted) on the right. */
static void
html_sbs(struct buf *b, const struct vec *ops)
{
	struct line *v;
	size_t n = ops_lines(ops, &v), i, j;
	int side;

	buf_puts(b, "<table class=\"sbs\">\n");
	for (i = 0; i < n; i++) {
		for (j = 0; j < v[i].n && v[i].f[j].n == 0; j++)
			;
		if (j == v[i].n)
			continue;	/* a blank line */
		buf_puts(b, v[i].changed ? "<tr class=\"ch\">" : "<tr>");
		for (side = 0; side < 2; side++) {
			buf_puts(b, "<td>");
			for (j = 0; j < v[i].n; j++) {
				const struct frag *f = &v[i].f[j];
				if (f->op->op == (side ? DOP_DEL : DOP_INS))
					continue;
				html_frag(b, f->op, f->s, f->n);
			}
			buf_puts(b, "</td>");
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</table>\n");
	lines_free(v, n);
}

static void
html_heading(struct buf *b, const struct section *s)
{
	struct buf h = {0};

	heading(&h, s);
	html_escape(b, h.data ? h.data : "", h.len);
	buf_free(&h);
}

static void
html_pair(struct buf *b, const struct diff_result *r,
    const struct diff_pair *p)
{
	const struct section *so = section_of(r->old, p->old);
	const struct section *sn = section_of(r->new, p->new);
	const struct section *other = pair_other(r, p);
	struct buf f = {0};

	buf_printf(b, "<section class=\"pair s-%s\">\n<h2>"
	    "<span class=\"st\">%s</span> ", diff_status_name(p->status),
	    status_word(r, p));
	html_heading(b, so);
	if (so && sn && (p->flags & (DF_RENAMED | DF_RELEVEL) ||
	    r->translation))
		buf_puts(b, r->translation ? " &harr; " : " &rarr; ");
	if (sn && (!so || p->flags & (DF_RENAMED | DF_RELEVEL) ||
	    r->translation))
		html_heading(b, sn);
	if (other) {
		buf_puts(b, p->flags & DF_MERGED ? " &rArr; into " :
		    " &lArr; from ");
		html_heading(b, other);
	}
	flag_words(&f, r, p);
	if (f.len) {
		buf_puts(b, " <span class=\"flags\">(");
		html_escape(b, f.data, f.len);
		buf_puts(b, ")</span>");
	}
	buf_puts(b, "</h2>\n");
	buf_free(&f);
	if (p->status != DS_SAME && p->status != DS_MISSING &&
	    p->status != DS_EXTRA) {
		if (ops_change(&p->title_ops)) {
			buf_puts(b, "<p class=\"heading\">Heading: <code>");
			html_flow(b, &p->title_ops);
			buf_puts(b, "</code></p>\n");
		}
		html_inline(b, &p->ops);
		html_sbs(b, &p->ops);
	}
	buf_puts(b, "</section>\n");
}

static void
html_meta_row(struct buf *b, const char *name, const char *o, const char *n)
{
	buf_printf(b, "<tr><th>%s</th><td>", name);
	html_escape_str(b, o ? o : "");
	buf_puts(b, "</td><td>");
	html_escape_str(b, n ? n : "");
	buf_puts(b, "</td></tr>\n");
}

void
diff_write_html(struct buf *b, const struct diff_result *r)
{
	const struct article *o = r->old->a, *n = r->new->a;
	struct buf t = {0};
	size_t i;

	buf_puts(b, "<article class=\"diff\">\n<h1>");
	html_escape_str(b, n->title ? n->title : "");
	buf_puts(b, "</h1>\n<table class=\"meta\">\n"
	    "<tr><th></th><th>old</th><th>new</th></tr>\n");
	html_meta_row(b, "source", r->old->name, r->new->name);
	html_meta_row(b, "article", o->key, n->key);
	html_meta_row(b, "locale", o->locale, n->locale);
	html_meta_row(b, "version", o->version, n->version);
	for (i = 0; i < r->fm.n; i++) {
		const struct diff_fm *f = r->fm.v[i];
		char *ov = diff_json_text(f->old), *nv = diff_json_text(f->new);
		buf_reset(&t);
		buf_printf(&t, "front matter: %s", f->key);
		buf_puts(b, "<tr><th>");
		html_escape(b, t.data, t.len);
		buf_puts(b, "</th><td>");
		html_escape_str(b, ov ? ov : "");
		buf_puts(b, "</td><td>");
		html_escape_str(b, nv ? nv : "");
		buf_puts(b, "</td></tr>\n");
		free(ov);
		free(nv);
	}
	buf_puts(b, "</table>\n");
	if (r->note) {
		buf_puts(b, "<p class=\"note\">");
		html_escape_str(b, r->note);
		buf_puts(b, "</p>\n");
	}
	buf_reset(&t);
	summary(&t, r);
	buf_puts(b, "<p class=\"summary\">");
	html_escape(b, t.data, t.len);
	buf_puts(b, "</p>\n");
	buf_free(&t);
	for (i = 0; i < r->pairs.n; i++)
		html_pair(b, r, r->pairs.v[i]);
	buf_puts(b, "</article>\n");
}

void
diff_write_html_page(struct buf *b, const struct diff_result *const *r,
    size_t n)
{
	size_t i;

	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>kbgen diff: ");
	if (n)
		html_escape_str(b, r[0]->new->a->title ? r[0]->new->a->title : "");
	buf_puts(b, "</title>\n<style>\n");
	buf_puts(b, html_css);
	buf_puts(b, "</style>\n</head>\n<body>\n"
	    "<input type=\"radio\" name=\"view\" id=\"v-inline\" checked>"
	    "<label for=\"v-inline\">inline</label>\n"
	    "<input type=\"radio\" name=\"view\" id=\"v-sbs\">"
	    "<label for=\"v-sbs\">side by side</label>\n"
	    "<input type=\"checkbox\" id=\"hidefmt\">"
	    "<label for=\"hidefmt\">hide formatting-only changes</label>\n"
	    "<input type=\"checkbox\" id=\"hidesame\">"
	    "<label for=\"hidesame\">hide unchanged sections</label>\n"
	    "<main>\n");
	for (i = 0; i < n; i++)
		diff_write_html(b, r[i]);
	buf_puts(b, "</main>\n</body>\n</html>\n");
}

