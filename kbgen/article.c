/*
 * article.c -- construction and destruction of the normalized article.
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "article.h"

static const char *const kind_names[MENTION__MAX] = {
	"hresult", "win32", "statmsg", "http", "event", "kb", "logfile",
	"service", "message"
};

const char *
mention_kind_name(enum mention_kind k)
{
	return (unsigned)k < MENTION__MAX ? kind_names[k] : "unknown";
}

int
mention_kind_parse(const char *s)
{
	int i;

	for (i = 0; i < MENTION__MAX; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

struct article *
article_new(const char *path, enum article_format fmt)
{
	struct article *a = xcalloc(1, sizeof(*a));

	a->path = xstrdup(path);
	a->format = fmt;
	return a;
}

static void
section_free(struct section *s)
{
	size_t i;

	free(s->anchor);
	free(s->title);
	buf_free(&s->html);
	buf_free(&s->text);
	for (i = 0; i < s->messages.n; i++) {
		buf_free(s->messages.v[i]);
		free(s->messages.v[i]);
	}
	vec_free(&s->messages);
	for (i = 0; i < s->mentions.n; i++) {
		struct mention *m = s->mentions.v[i];
		free(m->value);
		free(m->raw);
		free(m);
	}
	vec_free(&s->mentions);
	for (i = 0; i < s->steps.n; i++) {
		struct step *st = s->steps.v[i];
		free(st->text);
		free(st);
	}
	vec_free(&s->steps);
	for (i = 0; i < s->links.n; i++) {
		struct link *l = s->links.v[i];
		free(l->target);
		free(l->text);
		free(l->resolved);
		free(l->anchor);
		free(l);
	}
	vec_free(&s->links);
	for (i = 0; i < s->callouts.n; i++) {
		struct callout_item *c = s->callouts.v[i];
		free(c->text);
		free(c);
	}
	vec_free(&s->callouts);
	free(s);
}

void
article_free(struct article *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->sections.n; i++)
		section_free(a->sections.v[i]);
	vec_free(&a->sections);
	free(a->path);
	free(a->key);
	free(a->locale);
	free(a->title);
	free(a->date);
	free(a->commit);
	free(a->version);
	free(a->frontmatter);
	free(a->source_hash);
	free(a->source_commit);
	free(a);
}

/* Returns nonzero when anchor is already used by a section of a. */
static int
anchor_used(const struct article *a, const char *anchor)
{
	size_t i;

	for (i = 0; i < a->sections.n; i++) {
		const struct section *s = a->sections.v[i];
		if (s->anchor && strcmp(s->anchor, anchor) == 0)
			return 1;
	}
	return 0;
}

struct section *
article_add_section(struct article *a, int level, int line,
    const char *title, const char *anchor)
{
	struct section *s = xcalloc(1, sizeof(*s));
	char *base;
	int i, n;

	s->level = level;
	s->line = line;
	s->parent = -1;
	s->title = xstrdup(title ? title : "");
	/* The parent is the nearest earlier section with a smaller level. */
	for (i = (int)a->sections.n - 1; i >= 0 && level > 0; i--) {
		const struct section *p = a->sections.v[i];
		if (p->level > 0 && p->level < level) {
			s->parent = i;
			break;
		}
	}
	base = anchor && *anchor ? xstrdup(anchor) : anchor_slug(s->title);
	if (*base == '\0') {
		free(base);
		base = xstrdup(level == 0 ? "top" : "section");
	}
	s->anchor = xstrdup(base);
	for (n = 1; anchor_used(a, s->anchor); n++) {
		free(s->anchor);
		s->anchor = xasprintf("%s-%d", base, n);
	}
	free(base);
	vec_push(&a->sections, s);
	return s;
}

void
section_add_mention(struct section *s, enum mention_kind k,
    const char *value, const char *raw)
{
	struct mention *m;
	size_t i;

	for (i = 0; i < s->mentions.n; i++) {
		m = s->mentions.v[i];
		if (m->kind == k && strcmp(m->value, value) == 0)
			return;
	}
	m = xcalloc(1, sizeof(*m));
	m->kind = k;
	m->value = xstrdup(value);
	m->raw = xstrdup(raw ? raw : value);
	vec_push(&s->mentions, m);
}

void
section_add_step(struct section *s, int list, int ordinal, const char *text)
{
	struct step *st = xcalloc(1, sizeof(*st));

	st->list = list;
	st->ordinal = ordinal;
	st->text = xstrdup(text);
	vec_push(&s->steps, st);
}

void
section_add_link(struct section *s, const char *target, const char *text,
    int line)
{
	struct link *l = xcalloc(1, sizeof(*l));

	l->target = xstrdup(target);
	l->text = xstrdup(text ? text : "");
	l->line = line;
	vec_push(&s->links, l);
}

void
section_add_message(struct section *s, const char *p, size_t n)
{
	struct buf *b = xcalloc(1, sizeof(*b));

	buf_put(b, p, n);
	buf_trim(b);
	if (b->len == 0) {
		buf_free(b);
		free(b);
		return;
	}
	vec_push(&s->messages, b);
}

/*
 * GitHub/DocFX slug rules: lower-case ASCII, keep letters, digits, '-'
 * and '_' and every non-ASCII byte (so CJK titles keep their text), turn
 * spaces into '-', drop other punctuation.  "Message ID 6703 - WSUS ..."
 * thus becomes "message-id-6703---wsus-...", as DocFX does.
 */
char *
anchor_slug(const char *title)
{
	struct buf b = {0};
	const unsigned char *p;

	for (p = (const unsigned char *)title; *p; p++) {
		if (*p >= 0x80 || kb_isalnum(*p) || *p == '-' || *p == '_')
			buf_putc(&b, kb_tolower(*p));
		else if (*p == ' ')
			buf_putc(&b, '-');
	}
	return buf_detach(&b);
}

static const char *const callout_names[] = {
	"none", "note", "tip", "important", "caution", "warning"
};

const char *
callout_name(enum callout c)
{
	return (unsigned)c <= CALLOUT_WARNING ? callout_names[c] : "none";
}

void
section_add_callout(struct section *s, enum callout type, const char *text)
{
	struct callout_item *c = xcalloc(1, sizeof(*c));

	c->type = type;
	c->text = xstrdup(text);
	vec_push(&s->callouts, c);
}
