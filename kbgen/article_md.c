/*
 * article_md.c -- the DocFX Markdown reader: front matter, cmark-gfm parse,
 * DocFX extensions, and the split into sections.
 *
 * The tree is sanitized before it is rendered, and then rendered with
 * CMARK_OPT_UNSAFE: every raw HTML node from the source is either an
 * allow-listed bare tag, an anchor we rewrite, or turned into escaped text
 * (so "<ConfigMgrInstallationPath>" in prose stays visible instead of being
 * dropped), link and image URLs with a scheme other than http, https and
 * mailto are emptied, and the only raw HTML left is what this file writes
 * (the callout wrappers).  The tagfilter extension stays on as a second net.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "util.h"
#include "article.h"
#include "frontmatter.h"
#include "html.h"

/*
 * cmark allocates through us, so out of memory is fatal there too.
 *
 * While a document is read (article_md_read), its thread's allocations
 * come from an arena freed as a whole at the end: cmark makes and grows
 * many small buffers (one per block and line, and one per rendering),
 * and malloc, realloc's copies and free cost the reader more than the
 * parse itself.  A buffer grown last is grown in place; freeing is a
 * no-op.  Pointers from elsewhere (none is expected) go to malloc's
 * functions.  Under AddressSanitizer the arena is off, so that it sees
 * every buffer.
 */
#define CM_ARENA (!KB_ASAN)

/* A block of the arena: its size, then the bytes cmark sees. */
struct cm_block {
	size_t		 size;
	size_t		 pad;		/* keeps the bytes 16-aligned */
};

struct cm_chunk {
	struct cm_chunk	*next;
	size_t		 size, used;	/* bytes of data, bytes given out */
	size_t		 pad;
	unsigned char	 data[];
};

struct cm_arena {
	struct cm_chunk	*head;		/* newest first */
	struct cm_block	*last;		/* the block given out last */
};

/* The arena of the document this thread reads, or NULL. */
static _Thread_local struct cm_arena *cm_cur;

#define CM_ALIGN(n)	(((n) + 15) & ~(size_t)15)
#define CM_CHUNK	((size_t)64 * 1024)

/* Is p a block of arena a? */
static struct cm_block *
cm_owned(struct cm_arena *a, void *p)
{
	struct cm_chunk *c;
	unsigned char *u = p;

	for (c = a->head; c != NULL; c = c->next)
		if (u > c->data && u <= c->data + c->used)
			return (struct cm_block *)(void *)u - 1;
	return NULL;
}

static void *
cm_alloc(struct cm_arena *a, size_t n)
{
	struct cm_chunk *c = a->head;
	struct cm_block *b;
	size_t need = sizeof(*b) + CM_ALIGN(n), size;

	if (n > SIZE_MAX / 2)
		die("out of memory");
	if (c == NULL || c->size - c->used < need) {
		size = c != NULL && c->size < 16 * CM_CHUNK ? 2 * c->size :
		    c != NULL ? c->size : CM_CHUNK;
		if (size < need)
			size = need;
		c = xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	b = (struct cm_block *)(void *)(c->data + c->used);
	b->size = CM_ALIGN(n);
	c->used += need;
	a->last = b;
	return b + 1;
}

static void *
cm_calloc(size_t n, size_t sz)
{
	void *p;

	if (cm_cur == NULL)
		return xcalloc(n, sz);
	if (sz != 0 && n > SIZE_MAX / sz)
		die("out of memory");
	p = cm_alloc(cm_cur, n * sz);
	memset(p, 0, n * sz);
	return p;
}

static void *
cm_realloc(void *p, size_t n)
{
	struct cm_arena *a = cm_cur;
	struct cm_block *b = NULL;
	struct cm_chunk *c;
	void *q;

	if (a == NULL || (p != NULL && (b = cm_owned(a, p)) == NULL))
		return xrealloc(p, n);
	if (p == NULL)
		return cm_alloc(a, n);
	if (CM_ALIGN(n) <= b->size)
		return p;
	c = a->head;
	/* The newest block grows where it is when its chunk has room. */
	if (b == a->last && (unsigned char *)(b + 1) + CM_ALIGN(n) <=
	    c->data + c->size) {
		c->used += CM_ALIGN(n) - b->size;
		b->size = CM_ALIGN(n);
		return p;
	}
	q = cm_alloc(a, n);
	memcpy(q, p, b->size);
	return q;
}

static void
cm_free(void *p)
{
	if (p != NULL && (cm_cur == NULL || cm_owned(cm_cur, p) == NULL))
		free(p);
}

/* Starts (a non-NULL a) or ends the arena of this thread's document. */
static void
cm_arena_use(struct cm_arena *a)
{
	struct cm_chunk *c, *next;

	if (!CM_ARENA)
		return;
	if (a != NULL) {
		memset(a, 0, sizeof(*a));
		cm_cur = a;
		return;
	}
	for (c = cm_cur->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	cm_cur = NULL;
}

static cmark_mem kb_cmark_mem = { cm_calloc, cm_realloc, cm_free };

/* Parser state while walking one document. */
struct mdstate {
	struct article	*a;
	int		 line0;		/* source line of the body's first line - 1 */
	cmark_llist	*exts;		/* extensions, for the HTML renderer */
	struct section	*cur;		/* section receiving blocks */
	int		 lists;		/* ordered lists seen in cur */
	char		*next_anchor;	/* from an <a name> block before a heading */
	struct vec	 callouts;	/* struct pending_callout *, from md_alerts */
};

/* A callout found by md_alerts(), waiting for the section that holds it. */
struct pending_callout {
	cmark_node	*open;		/* the opening raw HTML block */
	enum callout	 type;
	char		*text;		/* plain text of the alert body */
};

static const char *const ext_names[] = {
	"table", "autolink", "strikethrough", "tagfilter"
};

/* Serializes cmark-gfm parsing (see article_md_read). */
static pthread_mutex_t cmark_mu = PTHREAD_MUTEX_INITIALIZER;

void
article_readers_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* The parser with the GFM extensions DocFX articles need. */
static cmark_parser *
md_parser(cmark_llist **exts)
{
	cmark_parser *p;
	size_t i;

	cmark_gfm_core_extensions_ensure_registered();
	p = cmark_parser_new_with_mem(CMARK_OPT_UNSAFE | CMARK_OPT_SOURCEPOS |
	    CMARK_OPT_VALIDATE_UTF8, &kb_cmark_mem);
	*exts = NULL;
	for (i = 0; i < sizeof(ext_names) / sizeof(ext_names[0]); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(ext_names[i]);
		if (e == NULL)
			die("cmark-gfm extension '%s' is missing", ext_names[i]);
		cmark_parser_attach_syntax_extension(p, e);
	}
	*exts = cmark_parser_get_syntax_extensions(p);
	return p;
}

/* Is the node a GFM table node of the named kind ("table", "table_row"...)? */
static int
is_type(cmark_node *n, const char *type)
{
	const char *t = cmark_node_get_type_string(n);

	return t != NULL && strcmp(t, type) == 0;
}

/*
 * Appends the plain text of node n to out: text as read, soft breaks as
 * spaces, blocks separated by blank lines, list items and table rows one
 * per line with cells joined by " | ".  Raw HTML is included as text
 * (it is shown as text, see md_sanitize) except tags we turned into markup.
 */
static void
plain_text(cmark_node *n, struct buf *out, int depth)
{
	cmark_node *c;
	const char *lit;

	if (depth > 200)
		return;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		buf_puts(out, cmark_node_get_literal(n));
		return;
	case CMARK_NODE_HTML_INLINE:
		lit = cmark_node_get_literal(n);
		if (lit && (strncmp(lit, "&lt;", 4) == 0))
			html_unescape_into(out, lit, strlen(lit));
		return;
	case CMARK_NODE_SOFTBREAK:
		buf_putc(out, ' ');
		return;
	case CMARK_NODE_LINEBREAK:
		buf_putc(out, '\n');
		return;
	case CMARK_NODE_CODE_BLOCK:
		buf_puts(out, cmark_node_get_literal(n));
		if (out->len && out->data[out->len - 1] != '\n')
			buf_putc(out, '\n');
		buf_putc(out, '\n');
		return;
	case CMARK_NODE_HTML_BLOCK:
		lit = cmark_node_get_literal(n);
		if (lit && strncmp(lit, "<p class=\"kb-raw\">", 18) == 0) {
			size_t len = strlen(lit + 18);
			if (len >= 5 && strcmp(lit + 18 + len - 5, "</p>\n") == 0)
				len -= 5;
			html_unescape_into(out, lit + 18, len);
			buf_puts(out, "\n\n");
		}
		return;
	case CMARK_NODE_THEMATIC_BREAK:
		return;
	default:
		break;
	}
	if (is_type(n, "table_row") || is_type(n, "table_header")) {
		for (c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
			if (c != cmark_node_first_child(n))
				buf_puts(out, " | ");
			plain_text(c, out, depth + 1);
		}
		buf_putc(out, '\n');
		return;
	}
	for (c = cmark_node_first_child(n); c; c = cmark_node_next(c))
		plain_text(c, out, depth + 1);
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		/* Tight list items put their paragraphs on one line each. */
		buf_puts(out, cmark_node_parent(n) &&
		    cmark_node_get_type(cmark_node_parent(n)) == CMARK_NODE_ITEM ?
		    "\n" : "\n\n");
		break;
	case CMARK_NODE_HEADING:
		buf_puts(out, "\n\n");
		break;
	case CMARK_NODE_LIST:
		buf_putc(out, '\n');
		break;
	default:
		if (is_type(n, "table"))
			buf_putc(out, '\n');
		break;
	}
}

/* Plain text of n, trimmed, white space runs folded to one space. */
static char *
plain_inline(cmark_node *n)
{
	struct buf b = {0}, o = {0};
	size_t i;
	int sp = 0;

	plain_text(n, &b, 0);
	for (i = 0; i < b.len; i++) {
		if (kb_isspace((unsigned char)b.data[i])) {
			sp = 1;
			continue;
		}
		if (sp && o.len)
			buf_putc(&o, ' ');
		sp = 0;
		buf_putc(&o, b.data[i]);
	}
	buf_free(&b);
	return buf_detach(&o);
}

/* Source line of n in the file (not the body). */
static int
node_line(struct mdstate *st, cmark_node *n)
{
	int l = cmark_node_get_start_line(n);

	while (l == 0 && (n = cmark_node_parent(n)) != NULL)
		l = cmark_node_get_start_line(n);
	return l > 0 ? l + st->line0 : 0;
}

/*
 * Reads the id from an anchor tag "<a name="x"></a>" / "<a id='x'>".
 * Returns a malloc'd id of safe characters, or NULL when s is not one.
 */
static char *
anchor_tag_id(const char *s)
{
	const char *p = s, *q;
	char quote;
	struct buf b = {0};

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (kb_strncasecmp(p, "<a ", 3) != 0)
		return NULL;
	for (p += 3; *p && *p != '>'; p++) {
		if ((kb_strncasecmp(p, "name=", 5) == 0 ||
		    kb_strncasecmp(p, "id=", 3) == 0) &&
		    (p == s || p[-1] == ' ')) {
			p = strchr(p, '=') + 1;
			quote = (*p == '"' || *p == '\'') ? *p++ : ' ';
			for (q = p; *q && *q != quote && *q != '>'; q++)
				if (kb_isalnum((unsigned char)*q) || *q == '-' ||
				    *q == '_' || *q == '.' ||
				    (unsigned char)*q >= 0x80)
					buf_putc(&b, *q);
			if (b.len == 0) {
				buf_free(&b);
				return NULL;
			}
			return buf_detach(&b);
		}
	}
	return NULL;
}

/* Bare tags kept as markup: harmless, no attributes, common in articles. */
static const char *const allowed_tags[] = {
	"br", "br/", "br /", "b", "/b", "i", "/i", "em", "/em", "strong",
	"/strong", "sup", "/sup", "sub", "/sub", "kbd", "/kbd", "code",
	"/code", "u", "/u", "p", "/p", "ul", "/ul", "ol", "/ol", "li", "/li",
	NULL
};

/* Is lit exactly one allowed bare tag, e.g. "<br/>"? */
static int
allowed_tag(const char *lit)
{
	size_t n = strlen(lit), i;

	while (n && (lit[n - 1] == '\n' || lit[n - 1] == ' '))
		n--;
	if (n < 3 || lit[0] != '<' || lit[n - 1] != '>')
		return 0;
	for (i = 0; allowed_tags[i]; i++)
		if (strlen(allowed_tags[i]) == n - 2 &&
		    kb_strncasecmp(lit + 1, allowed_tags[i], n - 2) == 0)
			return 1;
	return 0;
}

/* Empties URLs whose scheme could run script or reach the local disk. */
static void
sanitize_url(cmark_node *n)
{
	const char *u = cmark_node_get_url(n);

	if (u != NULL && !url_is_safe(u))
		cmark_node_set_url(n, "");
}

/* Replaces a raw HTML node's literal by an escaped, visible form. */
static void
html_to_text(cmark_node *n, int block)
{
	struct buf b = {0};
	const char *lit = cmark_node_get_literal(n);
	size_t len = lit ? strlen(lit) : 0;

	if (block) {
		while (len && (lit[len - 1] == '\n' || lit[len - 1] == ' '))
			len--;
		buf_puts(&b, "<p class=\"kb-raw\">");
	}
	html_escape(&b, lit ? lit : "", len);
	if (block)
		buf_puts(&b, "</p>\n");
	cmark_node_set_literal(n, b.data);
	buf_free(&b);
}

/*
 * Makes every raw HTML node and URL in the tree safe (see the top comment).
 * Anchor tags become <a id="x"></a> with a sanitized id.
 */
static void
md_sanitize(cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	char *id;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int t = cmark_node_get_type(n);

		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)
			sanitize_url(n);
		if (t != CMARK_NODE_HTML_INLINE && t != CMARK_NODE_HTML_BLOCK)
			continue;
		const char *lit = cmark_node_get_literal(n);
		if (lit == NULL)
			continue;
		if (strncmp(lit, "<!--", 4) == 0) {
			/* Comments are invisible in the source's rendering. */
			cmark_node_set_literal(n, "");
		} else if ((id = anchor_tag_id(lit)) != NULL) {
			char *safe = xasprintf("<a id=\"%s\"></a>%s", id,
			    t == CMARK_NODE_HTML_BLOCK ? "\n" : "");
			cmark_node *next = cmark_node_next(n);
			cmark_node_set_literal(n, safe);
			free(safe);
			free(id);
			/* We closed the anchor: the source's "</a>" goes. */
			if (next && cmark_node_get_type(next) == CMARK_NODE_HTML_INLINE &&
			    cmark_node_get_literal(next) &&
			    kb_strcasecmp(cmark_node_get_literal(next), "</a>") == 0)
				cmark_node_set_literal(next, "");
		} else if (t == CMARK_NODE_HTML_INLINE && allowed_tag(lit))
			continue;
		else
			html_to_text(n, t == CMARK_NODE_HTML_BLOCK);
	}
	cmark_iter_free(it);
}

/* The DocFX alert types, as written inside the brackets. */
static const struct {
	const char	*name;
	enum callout	 type;
	const char	*label;
} alerts[] = {
	{ "NOTE", CALLOUT_NOTE, "Note" },
	{ "TIP", CALLOUT_TIP, "Tip" },
	{ "IMPORTANT", CALLOUT_IMPORTANT, "Important" },
	{ "CAUTION", CALLOUT_CAUTION, "Caution" },
	{ "WARNING", CALLOUT_WARNING, "Warning" },
};

/*
 * If block quote q starts with "[!TYPE]", removes the marker from the tree
 * and returns the alert index; else -1.
 */
static int
alert_type(cmark_node *q)
{
	cmark_node *p = cmark_node_first_child(q), *t;
	const char *lit, *end;
	size_t i, n;

	if (p == NULL || cmark_node_get_type(p) != CMARK_NODE_PARAGRAPH)
		return -1;
	t = cmark_node_first_child(p);
	if (t == NULL || cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return -1;
	lit = cmark_node_get_literal(t);
	if (lit == NULL || lit[0] != '[' || lit[1] != '!')
		return -1;
	if ((end = strchr(lit, ']')) == NULL)
		return -1;
	n = (size_t)(end - lit - 2);
	for (i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++) {
		if (strlen(alerts[i].name) != n ||
		    kb_strncasecmp(lit + 2, alerts[i].name, n) != 0)
			continue;
		if (end[1] == '\0') {
			cmark_node *next = cmark_node_next(t);
			cmark_node_free(t);
			/* The marker's line break goes with it. */
			if (next && (cmark_node_get_type(next) ==
			    CMARK_NODE_SOFTBREAK || cmark_node_get_type(next) ==
			    CMARK_NODE_LINEBREAK))
				cmark_node_free(next);
			if (cmark_node_first_child(p) == NULL)
				cmark_node_free(p);
		} else {
			char *rest = xstrdup(end + 1 + (end[1] == ' '));
			cmark_node_set_literal(t, rest);
			free(rest);
		}
		return (int)i;
	}
	return -1;
}

/* Makes a raw HTML block node with the given literal. */
static cmark_node *
html_block(const char *lit)
{
	cmark_node *n = cmark_node_new_with_mem(CMARK_NODE_HTML_BLOCK,
	    &kb_cmark_mem);

	cmark_node_set_literal(n, lit);
	return n;
}

/*
 * Turns every alert block quote into a callout: the quote's children move
 * between two raw HTML blocks that open and close a typed <div>, and the
 * callout waits in st->callouts for collect() to give it to its section.
 */
static void
md_alerts(struct mdstate *st, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	struct vec quotes = {0};
	cmark_event_type ev;
	size_t i;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(
		    cmark_iter_get_node(it)) == CMARK_NODE_BLOCK_QUOTE)
			vec_push(&quotes, cmark_iter_get_node(it));
	cmark_iter_free(it);
	/* Innermost first, so nested alerts are handled before their parent. */
	for (i = quotes.n; i-- > 0;) {
		cmark_node *q = quotes.v[i], *c, *open, *close;
		int k = alert_type(q);
		char *lit;

		if (k < 0)
			continue;
		lit = xasprintf("<div class=\"alert alert-%s\" data-callout=\"%s\">"
		    "<p class=\"alert-title\">%s</p>\n",
		    callout_name(alerts[k].type), callout_name(alerts[k].type),
		    alerts[k].label);
		open = html_block(lit);
		free(lit);
		cmark_node_insert_before(q, open);
		{
			struct pending_callout *pc = xcalloc(1, sizeof(*pc));
			struct buf b = {0};
			for (c = cmark_node_first_child(q); c; c = cmark_node_next(c))
				plain_text(c, &b, 0);
			buf_trim(&b);
			pc->open = open;
			pc->type = alerts[k].type;
			pc->text = buf_detach(&b);
			vec_push(&st->callouts, pc);
		}
		while ((c = cmark_node_first_child(q)) != NULL)
			cmark_node_insert_before(q, c);
		close = html_block("</div>\n");
		cmark_node_insert_before(q, close);
		cmark_node_free(q);
	}
	vec_free(&quotes);
}

/* Renders one block node to HTML and appends it to out. */
static void
render_block(struct mdstate *st, cmark_node *n, struct buf *out)
{
	char *html = cmark_render_html_with_mem(n, CMARK_OPT_UNSAFE, st->exts,
	    &kb_cmark_mem);

	buf_puts(out, html);
	kb_cmark_mem.free(html);
}

/* Is the paragraph p made of one strong (bold) span only? */
static int
bold_only(cmark_node *p)
{
	cmark_node *c = cmark_node_first_child(p);

	return c != NULL && cmark_node_next(c) == NULL &&
	    cmark_node_get_type(c) == CMARK_NODE_STRONG;
}

/*
 * Each item of ordered list l becomes a fix step: the item's own text,
 * without its nested lists (those are steps or bullets of their own).
 */
static void
collect_steps(struct mdstate *st, cmark_node *l)
{
	cmark_node *item, *c;
	int ord = cmark_node_get_list_start(l);

	st->lists++;
	for (item = cmark_node_first_child(l); item;
	    item = cmark_node_next(item), ord++) {
		struct buf b = {0};
		for (c = cmark_node_first_child(item); c; c = cmark_node_next(c))
			if (cmark_node_get_type(c) != CMARK_NODE_LIST)
				plain_text(c, &b, 0);
		buf_trim(&b);
		section_add_step(st->cur, st->lists, ord, buf_str(&b));
		buf_free(&b);
	}
}

/* Adds each non-empty line of s as a message candidate. */
static void
add_lines(struct section *s, const char *text)
{
	const char *p = text, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		section_add_message(s, p, n);
		p += n + (nl != NULL);
	}
}

/*
 * Collects from the subtree of root what the section keeps besides HTML
 * and text: fix steps (ordered list items), links, callouts and message
 * candidates (code blocks, inline code with several words, bold-only
 * paragraphs, block quote text).
 */
static void
collect(struct mdstate *st, cmark_node *root)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	struct section *s = st->cur;
	int quote = 0;
	size_t i;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		int t = cmark_node_get_type(n);
		char *txt;

		if (t == CMARK_NODE_BLOCK_QUOTE)
			quote += ev == CMARK_EVENT_ENTER ? 1 : -1;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (t) {
		case CMARK_NODE_HTML_BLOCK:
			for (i = 0; i < st->callouts.n; i++) {
				struct pending_callout *pc = st->callouts.v[i];
				if (pc->open == n)
					section_add_callout(s, pc->type, pc->text);
			}
			break;
		case CMARK_NODE_LIST:
			if (cmark_node_get_list_type(n) == CMARK_ORDERED_LIST)
				collect_steps(st, n);
			break;
		case CMARK_NODE_LINK:
			/* Unsafe URLs were emptied: nothing to resolve. */
			if (cmark_node_get_url(n) == NULL ||
			    *cmark_node_get_url(n) == '\0')
				break;
			txt = plain_inline(n);
			section_add_link(s, cmark_node_get_url(n), txt,
			    node_line(st, n));
			free(txt);
			break;
		case CMARK_NODE_CODE_BLOCK:
			add_lines(s, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_CODE:
			if (strchr(cmark_node_get_literal(n), ' '))
				add_lines(s, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_PARAGRAPH:
			if (bold_only(n) || quote) {
				txt = plain_inline(n);
				section_add_message(s, txt, strlen(txt));
				free(txt);
			}
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

/*
 * Takes the ids of the anchor tags among the heading's inlines, removing
 * them: returns the first (the section's anchor) and pushes the others
 * onto extra (char *, the caller frees), which links also target
 * (DocFX headings often carry a slug and an old bookmark:
 * "## <a name="x"></a><a name="BKMK_X"></a>Title").
 */
static char *
heading_anchor(cmark_node *h, struct vec *extra)
{
	cmark_node *c, *next;
	char *id = NULL, *x;

	for (c = cmark_node_first_child(h); c; c = next) {
		next = cmark_node_next(c);
		if (cmark_node_get_type(c) != CMARK_NODE_HTML_INLINE)
			continue;
		if ((x = anchor_tag_id(cmark_node_get_literal(c))) == NULL)
			continue;
		if (id == NULL)
			id = x;
		else
			vec_push(extra, x);
		cmark_node_free(c);
	}
	return id;
}

/*
 * The heading's other anchors, as empty <a id> elements opening its new
 * section's body, where the page and the link check find them (one
 * equal to the section's own anchor would be a duplicate id).
 */
static void
extra_anchors(struct section *sec, struct vec *extra)
{
	size_t i;

	for (i = 0; i < extra->n; i++) {
		if (strcmp(extra->v[i], sec->anchor) != 0)
			buf_printf(&sec->html, "<a id=\"%s\"></a>\n",
			    (char *)extra->v[i]);
		free(extra->v[i]);
	}
	extra->n = 0;
}

/*
 * Is n a raw HTML block, or a paragraph, holding only an anchor (after
 * md_sanitize)?  Returns its id.
 */
static char *
anchor_block(cmark_node *n)
{
	const char *lit;
	char *id = NULL;
	cmark_node *c;

	if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH) {
		for (c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
			lit = cmark_node_get_literal(c);
			if (cmark_node_get_type(c) == CMARK_NODE_HTML_INLINE &&
			    lit && strncmp(lit, "<a id=\"", 7) == 0 && id == NULL)
				id = anchor_tag_id(lit);
			else if (!(lit && strspn(lit, " \t\n") == strlen(lit)) ||
			    (cmark_node_get_type(c) != CMARK_NODE_HTML_INLINE &&
			    cmark_node_get_type(c) != CMARK_NODE_TEXT &&
			    cmark_node_get_type(c) != CMARK_NODE_SOFTBREAK)) {
				free(id);
				return NULL;
			}
		}
		return id;
	}
	if (cmark_node_get_type(n) != CMARK_NODE_HTML_BLOCK)
		return NULL;
	lit = cmark_node_get_literal(n);
	if (lit == NULL || strncmp(lit, "<a id=\"", 7) != 0)
		return NULL;
	if (strstr(lit, "</a>") == NULL || strchr(strstr(lit, "</a>") + 4, '<'))
		return NULL;
	id = anchor_tag_id(lit);
	return id;
}

/* Ensures there is a section to receive blocks before the first heading. */
static struct section *
current(struct mdstate *st, cmark_node *n)
{
	if (st->cur == NULL) {
		st->cur = article_add_section(st->a, 0, node_line(st, n), "",
		    "top");
		st->lists = 0;
	}
	return st->cur;
}

/* Splits the document's top-level blocks into sections. */
static void
md_sections(struct mdstate *st, cmark_node *doc)
{
	cmark_node *n, *next;
	struct vec extra = {0};
	char *id, *title;

	for (n = cmark_node_first_child(doc); n; n = next) {
		next = cmark_node_next(n);
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
			id = heading_anchor(n, &extra);
			/* An anchor just before the heading is its anchor,
			 * or one more when the heading has its own. */
			if (id == NULL)
				id = st->next_anchor;
			else if (st->next_anchor != NULL)
				vec_push(&extra, st->next_anchor);
			st->next_anchor = NULL;
			title = plain_inline(n);
			st->cur = article_add_section(st->a,
			    cmark_node_get_heading_level(n), node_line(st, n),
			    title, id);
			extra_anchors(st->cur, &extra);
			st->lists = 0;
			if (st->a->title == NULL && *title &&
			    cmark_node_get_heading_level(n) == 1)
				st->a->title = xstrdup(title);
			free(title);
			free(id);
			continue;
		}
		if (next && cmark_node_get_type(next) == CMARK_NODE_HEADING &&
		    (id = anchor_block(n)) != NULL) {
			free(st->next_anchor);
			st->next_anchor = id;
			continue;
		}
		current(st, n);
		render_block(st, n, &st->cur->html);
		plain_text(n, &st->cur->text, 0);
		collect(st, n);
	}
	free(st->next_anchor);
	st->next_anchor = NULL;
	vec_free(&extra);
}

/*
 * DocFX block extensions cmark does not know, rewritten line by line so
 * line numbers stay true: ":::image ... alt-text="x" ...:::" becomes an
 * emphasized "[Image: x]" placeholder (the site ships no images), the
 * other ":::" fences (zone, moniker, row, column) are dropped.
 */
static void
md_docfx_lines(const char *body, size_t len, struct buf *out)
{
	const char *p = body, *end = body + len;

	buf_grow(out, len);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		const char *q = p;

		while (q < p + n && (*q == ' ' || *q == '\t' || *q == '>'))
			q++;
		if ((size_t)(p + n - q) >= 3 && memcmp(q, ":::", 3) == 0) {
			buf_put(out, p, (size_t)(q - p));
			if (kb_strncasecmp(q, ":::image ", 9) == 0) {
				const char *alt = NULL, *ae = NULL, *s;
				for (s = q; s + 10 < p + n; s++)
					if (kb_strncasecmp(s, "alt-text=\"", 10) == 0) {
						alt = s + 10;
						ae = memchr(alt, '"',
						    (size_t)(p + n - alt));
						break;
					}
				if (alt && ae && ae > alt) {
					buf_puts(out, "*[Image: ");
					buf_put(out, alt, (size_t)(ae - alt));
					buf_puts(out, "]*");
				}
			}
			buf_putc(out, '\n');
		} else
			buf_put(out, p, n);
		p += n;
	}
}

/* "03/07/2023", "3/7/2023", "2023-03-07" (and with time) to "2023-03-07". */
char *
date_iso(const char *s)
{
	int a, b, c;
	char tail;

	if (s == NULL)
		return NULL;
	while (*s == ' ')
		s++;
	if (sscanf(s, "%4d-%2d-%2d", &a, &b, &c) == 3 && a > 1900 &&
	    b >= 1 && b <= 12 && c >= 1 && c <= 31)
		return xasprintf("%04d-%02d-%02d", a, b, c);
	if (sscanf(s, "%2d/%2d/%4d%c", &a, &b, &c, &tail) >= 3 && c > 1900 &&
	    a >= 1 && a <= 12 && b >= 1 && b <= 31)
		return xasprintf("%04d-%02d-%02d", c, a, b);
	return NULL;
}

/*
 * A DocFX "ms.X" key; the TechNet-era exports write "ms:X" (ms:assetid).
 */
static const char *
fm_ms(const struct fm *fm, const char *x)
{
	char key[64];
	const char *v;

	snprintf(key, sizeof(key), "ms.%s", x);
	if ((v = fm_get(fm, key)) != NULL)
		return v;
	key[2] = ':';
	return fm_get(fm, key);
}

/* Copies the identity the front matter gives into the article. */
static void
md_identity(struct article *a, const struct fm *fm)
{
	const char *v;

	if ((v = fm_get(fm, "title")) != NULL && *v)
		a->title = xstrdup(v);
	if ((v = fm_ms(fm, "assetid")) != NULL && *v) {
		char *k = xstrdup(v), *p;
		for (p = k; *p; p++)
			*p = (char)kb_tolower((unsigned char)*p);
		a->key = k;
	}
	a->date = date_iso(fm_ms(fm, "date"));
	if ((v = fm_ms(fm, "contentlocale")) != NULL && *v) {
		char *l = xstrdup(v), *p;
		for (p = l; *p; p++)
			*p = (char)kb_tolower((unsigned char)*p);
		a->locale = l;
	}
	if (((v = fm_ms(fm, "translationtype")) != NULL ||
	    (v = fm_get(fm, "translationtype")) != NULL) &&
	    kb_strcasecmp(v, "MT") == 0)
		a->mt = 1;
	if ((v = fm_ms(fm, "openlocfilehash")) != NULL && *v)
		a->source_hash = xstrdup(v);
	if ((v = fm_ms(fm, "sourcegitcommit")) != NULL && *v)
		a->source_commit = xstrdup(v);
	if (((v = fm_get(fm, "git_commit")) != NULL ||
	    (v = fm_get(fm, "gitcommit")) != NULL ||
	    (v = fm_ms(fm, "gitcommit")) != NULL) && *v)
		a->commit = xstrdup(v);
}

int
article_md_read(struct article *a, const char *text, size_t len)
{
	struct mdstate st;
	struct cm_arena arena;
	struct fm fm;
	struct buf body = {0};
	const char *yaml = NULL;
	size_t yaml_len = 0, off = 0;
	int body_line = 1, rc;
	cmark_parser *p;
	cmark_node *doc;
	size_t i;

	memset(&st, 0, sizeof(st));
	memset(&fm, 0, sizeof(fm));
	rc = fm_split(text, len, &yaml, &yaml_len, &off, &body_line);
	if (rc == -1) {
		diag(DIAG_ERROR, a->path, 1, 1, "unterminated front matter: "
		    "no closing '---' line");
		return -1;
	}
	if (rc == 1) {
		fm_parse(&fm, a->path, 2, yaml, yaml_len);
		md_identity(a, &fm);
		a->frontmatter = xstrdup(fm.json.len ? fm.json.data : "{}");
	} else
		a->frontmatter = xstrdup("{}");
	fm_free(&fm);

	md_docfx_lines(text + off, len - off, &body);
	cm_arena_use(&arena);
	st.a = a;
	st.line0 = body_line - 1;
	p = md_parser(&st.exts);
	/*
	 * cmark-gfm keeps the inline parser's special characters in one
	 * global table that every parse with extensions switches on and
	 * off (process_inlines, the table rows): two threads parsing at
	 * once lose each other's autolinks and strikethrough at random.
	 * Parsing is therefore one at a time; the rest of the reader is not.
	 */
	pthread_mutex_lock(&cmark_mu);
	cmark_parser_feed(p, body.data ? body.data : "", body.len);
	doc = cmark_parser_finish(p);
	pthread_mutex_unlock(&cmark_mu);
	buf_free(&body);

	md_sanitize(doc);
	md_alerts(&st, doc);
	md_sections(&st, doc);

	for (i = 0; i < st.callouts.n; i++) {
		struct pending_callout *pc = st.callouts.v[i];
		free(pc->text);
		free(pc);
	}
	vec_free(&st.callouts);
	cmark_node_free(doc);
	cmark_parser_free(p);
	cm_arena_use(NULL);
	return 0;
}
