/*
 * compile.c -- `kbgen compile`: article files into the knowledge base.
 *
 * One write transaction for the whole command and a savepoint per file:
 * a file that fails leaves what the KB had for it, and a kill midway
 * leaves the KB exactly as before the command (SQLite rolls back).
 * Unchanged files are skipped on size + mtime, then on SHA-1, so a
 * recompile costs a stat() per file.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "util.h"
#include "article.h"
#include "db.h"
#include "encoding.h"
#include "compile.h"

/* Largest article file we read; anything bigger is not an article. */
#define MAX_ARTICLE_BYTES (64u * 1024 * 1024)

/* One input file found on the command line or under a folder. */
struct input {
	char	*path;		/* canonical (realpath) */
	char	*display;	/* as the user would write it */
};

/* Does the file name end in an extension we compile from folders? */
static int
article_ext(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && (kb_strcasecmp(dot, ".md") == 0 ||
	    kb_strcasecmp(dot, ".markdown") == 0 ||
	    kb_strcasecmp(dot, ".txt") == 0);
}

/* Adds a file, canonicalized; unreadable paths are reported. */
static void
add_input(struct vec *in, const char *display)
{
	char real[PATH_MAX];
	struct input *i;

	if (realpath(display, real) == NULL) {
		diag(DIAG_ERROR, display, 0, 0, "cannot open: %s", strerror(errno));
		return;
	}
	i = xcalloc(1, sizeof(*i));
	i->path = xstrdup(real);
	i->display = xstrdup(display);
	vec_push(in, i);
}

/*
 * Walks dir recursively (hidden entries and symbolic links to folders
 * skipped, so a link loop cannot trap us) adding article files.
 */
static void
walk(struct vec *in, const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;
	struct stat st;

	if (depth > 64) {
		diag(DIAG_WARNING, dir, 0, 0, "folder nesting too deep; skipped");
		return;
	}
	if ((d = opendir(dir)) == NULL) {
		diag(DIAG_ERROR, dir, 0, 0, "cannot open folder: %s",
		    strerror(errno));
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char *p;
		if (e->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			walk(in, p, depth + 1);
		else if (stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		    article_ext(e->d_name))
			add_input(in, p);
		free(p);
	}
	closedir(d);
}

static int
input_cmp(const void *a, const void *b)
{
	const struct input *x = *(struct input *const *)a;
	const struct input *y = *(struct input *const *)b;

	return strcmp(x->path, y->path);
}

/* Is [p, p+8) a plausible YYYYMMDD date rather than a commit? */
static int
looks_like_date(const char *p, size_t n)
{
	int y, m, d;

	if (n != 8 || sscanf(p, "%4d%2d%2d", &y, &m, &d) != 3)
		return 0;
	return y >= 1990 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/*
 * A path component that looks like an abbreviated or full git commit:
 * 7 to 40 lower-case hex digits (all digits only when it is not a date).
 * Returns the nearest one to the file, malloc'd, or NULL.
 */
static char *
path_commit(const char *path)
{
	const char *end = strrchr(path, '/'), *p, *start;

	while (end && end > path) {
		for (start = end; start > path && start[-1] != '/'; start--)
			;
		size_t n = (size_t)(end - start);
		int letters = 0, digits = 0, ok = n >= 7 && n <= 40;
		for (p = start; ok && p < end; p++) {
			if (kb_isdigit((unsigned char)*p))
				digits++;
			else if (*p >= 'a' && *p <= 'f')
				letters++;
			else
				ok = 0;
		}
		if (ok && (letters ? digits > 0 : !looks_like_date(start, n)))
			return xstrndup(start, n);
		end = start > path ? start - 1 : NULL;
	}
	return NULL;
}

/* Is [p, p+n) a locale tag like "ru-ru", "zh-cn", "pt-br", "sr-latn-rs"? */
static int
is_locale(const char *p, size_t n)
{
	size_t i;

	if (n < 5 || n > 10 || !kb_isalpha((unsigned char)p[0]) ||
	    !kb_isalpha((unsigned char)p[1]) || p[2] != '-')
		return 0;
	for (i = 3; i < n; i++)
		if (!kb_isalpha((unsigned char)p[i]) && p[i] != '-')
			return 0;
	return 1;
}

/*
 * A locale named by the path: a component such as "ja-jp" or a
 * repository folder such as "windowsserverdocs.ru-ru".  Nearest wins.
 */
static char *
path_locale(const char *path)
{
	const char *end = path + strlen(path), *start, *dot;
	char *l, *q;

	while (end > path) {
		for (start = end; start > path && start[-1] != '/'; start--)
			;
		size_t n = (size_t)(end - start);
		dot = NULL;
		for (q = (char *)start; q < end; q++)
			if (*q == '.' || *q == '_')
				dot = q;
		if (is_locale(start, n))
			l = xstrndup(start, n);
		else if (dot && is_locale(dot + 1, (size_t)(end - dot - 1)))
			l = xstrndup(dot + 1, (size_t)(end - dot - 1));
		else
			l = NULL;
		if (l) {
			for (q = l; *q; q++)
				*q = (char)kb_tolower((unsigned char)*q);
			return l;
		}
		end = start > path ? start - 1 : path;
	}
	return NULL;
}

/* File names that say nothing about the article. */
static int
generic_stem(const char *s, size_t n)
{
	static const char *const names[] = { "index", "readme", "toc",
	    "overview", "article", "default", NULL };
	size_t i, digits = 0;

	for (i = 0; names[i]; i++)
		if (strlen(names[i]) == n && kb_strncasecmp(s, names[i], n) == 0)
			return 1;
	/* "000_9085ede7a7177e3e": a sequence number and a hash. */
	for (i = 0; i < n; i++)
		if (kb_isdigit((unsigned char)s[i]))
			digits++;
	return digits * 3 >= n;
}

/*
 * An article key when there is no ms.assetid: the file name (stable
 * across versions and shared by translations in mirrored folders), or the
 * title's slug when the name says nothing.
 */
static char *
derive_key(const struct article *a)
{
	const char *base = strrchr(a->path, '/');
	const char *dot;
	size_t n;

	base = base ? base + 1 : a->path;
	dot = strrchr(base, '.');
	n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
	if (!generic_stem(base, n) || a->title == NULL || *a->title == '\0') {
		char *stem = xstrndup(base, n), *k = anchor_slug(stem);
		free(stem);
		return k;
	}
	return anchor_slug(a->title);
}

/*
 * Completes what the reader could not know: locale (front matter, path,
 * script, then en-us), key, commit and the version label.
 */
static void
identity(struct article *a, const char *display, const char *text,
    size_t len)
{
	const char *l;

	if (a->locale == NULL)
		a->locale = path_locale(display);
	if (a->locale == NULL && (l = detect_script_locale(text, len)) != NULL)
		a->locale = xstrdup(l);
	if (a->locale == NULL)
		a->locale = xstrdup("en-us");
	if (a->commit == NULL)
		a->commit = path_commit(display);
	if (a->title == NULL || *a->title == '\0') {
		const char *b = strrchr(display, '/');
		free(a->title);
		a->title = xstrdup(b ? b + 1 : display);
	}
	if (a->key == NULL)
		a->key = derive_key(a);
	if (a->date && a->commit)
		a->version = xasprintf("%s@%.8s", a->date, a->commit);
	else if (a->date)
		a->version = xstrdup(a->date);
	else if (a->commit)
		a->version = xasprintf("%.8s", a->commit);
	else
		a->version = xasprintf("%.12s", a->sha1);
}

/* SHA-1 of raw with every CRLF as LF (crlf == 0) or every LF as CRLF. */
static void
eol_sha1(const char *raw, size_t len, int crlf, char out[41])
{
	struct buf b = {0};
	size_t i;

	buf_grow(&b, len + len / 16);
	for (i = 0; i < len; i++) {
		if (raw[i] == '\r' && i + 1 < len && raw[i + 1] == '\n')
			continue;
		if (raw[i] == '\n' && crlf)
			buf_putc(&b, '\r');
		buf_putc(&b, raw[i]);
	}
	sha1_hex(b.data ? b.data : "", b.len, out);
	buf_free(&b);
}

/*
 * Markdown or TechNet text?  .md files are Markdown; otherwise front
 * matter, ATX headings or Markdown links say Markdown.
 */
static enum article_format
sniff_format(const char *path, const char *text)
{
	const char *dot = strrchr(path, '.'), *p;

	if (dot && (kb_strcasecmp(dot, ".md") == 0 ||
	    kb_strcasecmp(dot, ".markdown") == 0))
		return FORMAT_MARKDOWN;
	if (strncmp(text, "---\n", 4) == 0)
		return FORMAT_MARKDOWN;
	for (p = text; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (p[0] == '#' && (p[1] == ' ' || (p[1] == '#' && p[2] == ' ')))
			return FORMAT_MARKDOWN;
	}
	return FORMAT_TEXT;
}

/* The link's kind and, for internal links, the file it names. */
static const char *
link_kind(const char *base_dir, const char *target, char **resolved,
    char **anchor)
{
	const char *hash = strchr(target, '#'), *p;
	char *rel, real[PATH_MAX];

	*resolved = *anchor = NULL;
	if (hash && hash[1])
		*anchor = xstrdup(hash + 1);
	if (target[0] == '#')
		return "anchor";
	for (p = target; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == ':')
			return "external";
	if (target[0] == '/' || strncmp(target, "//", 2) == 0)
		return "site";
	rel = hash ? xstrndup(target, (size_t)(hash - target)) : xstrdup(target);
	if ((p = strchr(rel, '?')) != NULL)
		rel[p - rel] = '\0';
	char *full = xasprintf("%s/%s", base_dir, rel);
	*resolved = xstrdup(realpath(full, real) ? real : full);
	free(full);
	free(rel);
	return "internal";
}

/* Inserts one section's children rows. */
static void
store_section_parts(struct db *db, const struct section *s, int64_t sid,
    const char *dir)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < s->mentions.n; i++) {
		const struct mention *m = s->mentions.v[i];
		st = db_stmt(db, ST_MENTION_INSERT);
		db_bind_int(st, 1, sid);
		db_bind_text(st, 2, mention_kind_name(m->kind));
		db_bind_text(st, 3, m->value);
		db_bind_text(st, 4, m->raw);
		db_step(db, st);
	}
	for (i = 0; i < s->steps.n; i++) {
		const struct step *p = s->steps.v[i];
		st = db_stmt(db, ST_STEP_INSERT);
		db_bind_int(st, 1, sid);
		db_bind_int(st, 2, p->list);
		db_bind_int(st, 3, p->ordinal);
		db_bind_text(st, 4, p->text);
		db_step(db, st);
	}
	for (i = 0; i < s->callouts.n; i++) {
		const struct callout_item *c = s->callouts.v[i];
		st = db_stmt(db, ST_CALLOUT_INSERT);
		db_bind_int(st, 1, sid);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_text(st, 3, callout_name(c->type));
		db_bind_text(st, 4, c->text);
		db_step(db, st);
	}
	for (i = 0; i < s->links.n; i++) {
		const struct link *l = s->links.v[i];
		char *res, *anc;
		const char *kind = link_kind(dir, l->target, &res, &anc);
		st = db_stmt(db, ST_LINK_INSERT);
		db_bind_int(st, 1, sid);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_text(st, 3, l->target);
		db_bind_text(st, 4, l->text);
		db_bind_int(st, 5, l->line);
		db_bind_text(st, 6, kind);
		db_bind_text(st, 7, res);
		db_bind_text(st, 8, anc);
		db_step(db, st);
		free(res);
		free(anc);
	}
}

/* Inserts the article's version and everything under it. */
static int
store(struct db *db, const struct article *a, int64_t article_id,
    const struct input *in, const struct stat *sb, const char *encoding)
{
	sqlite3_stmt *st = db_stmt(db, ST_VERSION_INSERT);
	int64_t vid, *ids;
	char *dir = xstrdup(in->path), *slash = strrchr(dir, '/');
	size_t i;

	if (slash)
		*slash = '\0';
	db_bind_int(st, 1, article_id);
	db_bind_text(st, 2, a->locale);
	db_bind_text(st, 3, a->version);
	db_bind_text(st, 4, a->date);
	db_bind_text(st, 5, a->commit);
	db_bind_text(st, 6, a->title);
	db_bind_text(st, 7, in->path);
	db_bind_text(st, 8, in->display);
	db_bind_text(st, 9, a->format == FORMAT_MARKDOWN ? "markdown" : "text");
	db_bind_text(st, 10, encoding);
	db_bind_text(st, 11, a->sha1);
	db_bind_text(st, 12, a->sha1_lf);
	db_bind_text(st, 13, a->sha1_crlf);
	db_bind_int(st, 14, (int64_t)sb->st_size);
	db_bind_int(st, 15, (int64_t)sb->st_mtim.tv_sec * 1000000000 +
	    sb->st_mtim.tv_nsec);
	db_bind_int(st, 16, a->mt);
	db_bind_text(st, 17, a->frontmatter);
	db_bind_text(st, 18, a->source_hash);
	db_bind_text(st, 19, a->source_commit);
	if (db_step(db, st) != SQLITE_DONE) {
		diag(DIAG_ERROR, in->display, 0, 0, "cannot store version: %s",
		    sqlite3_errmsg(db->h));
		free(dir);
		return -1;
	}
	vid = sqlite3_last_insert_rowid(db->h);
	ids = xcalloc(a->sections.n + 1, sizeof(*ids));
	for (i = 0; i < a->sections.n; i++) {
		const struct section *s = a->sections.v[i];
		st = db_stmt(db, ST_SECTION_INSERT);
		db_bind_int(st, 1, vid);
		db_bind_int(st, 2, (int64_t)i);
		if (s->parent >= 0)
			db_bind_int(st, 3, ids[s->parent]);
		db_bind_int(st, 4, s->level);
		db_bind_text(st, 5, s->anchor);
		db_bind_text(st, 6, s->title);
		db_bind_int(st, 7, s->line);
		db_bind_text(st, 8, buf_str(&s->html));
		db_bind_text(st, 9, buf_str(&s->text));
		if (db_step(db, st) != SQLITE_DONE) {
			diag(DIAG_ERROR, in->display, s->line, 0,
			    "cannot store section '%s': %s", s->title,
			    sqlite3_errmsg(db->h));
			free(ids);
			free(dir);
			return -1;
		}
		ids[i] = sqlite3_last_insert_rowid(db->h);
		store_section_parts(db, s, ids[i], dir);
	}
	free(ids);
	free(dir);
	return 0;
}

/* Returns the article's row id, creating the row. */
static int64_t
article_id(struct db *db, const struct article *a, int derived)
{
	sqlite3_stmt *st = db_stmt(db, ST_ARTICLE_INSERT);

	db_bind_text(st, 1, a->key);
	db_bind_int(st, 2, derived);
	db_step(db, st);
	st = db_stmt(db, ST_ARTICLE_ID);
	db_bind_text(st, 1, a->key);
	if (db_step(db, st) != SQLITE_ROW)
		die("%s: article '%s' vanished", db->path, a->key);
	return sqlite3_column_int64(st, 0);
}

/*
 * Is article+locale+label already held by another file?  Returns 0 when
 * free, 1 when held by identical content (skip quietly with a warning),
 * -1 when held by different content (an error).
 */
static int
claim(struct db *db, const struct article *a, int64_t aid,
    const struct input *in)
{
	sqlite3_stmt *st = db_stmt(db, ST_VERSION_CLAIM);

	db_bind_int(st, 1, aid);
	db_bind_text(st, 2, a->locale);
	db_bind_text(st, 3, a->version);
	if (db_step(db, st) != SQLITE_ROW)
		return 0;
	/* Forks of one repository at one commit hold the same file. */
	if (strcmp(db_col_text(st, 2), a->sha1) == 0) {
		diag(DIAG_NOTE, in->display, 1, 0, "same content as '%s' "
		    "(article %s, %s, version %s); skipped", db_col_text(st, 1),
		    a->key, a->locale, a->version);
		return 1;
	}
	diag(DIAG_ERROR, in->display, 1, 0, "article %s, %s, version %s is "
	    "already compiled from '%s' with different content; skipped "
	    "(give the versions different ms.date or folders)", a->key,
	    a->locale, a->version, db_col_text(st, 1));
	return -1;
}

/* The "Topic last updated—November 2007" line of TechNet exports. */
static char *
text_date(const char *text)
{
	static const char *const months[] = { "january", "february", "march",
	    "april", "may", "june", "july", "august", "september", "october",
	    "november", "december" };
	const char *p = text;
	int i, y;

	for (i = 0; i < 5 && *p; i++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n > 12 && kb_strncasecmp(p, "topic last updated", 18) == 0) {
			const char *q;
			for (q = p + 18; q < p + n; q++) {
				int m;
				for (m = 0; m < 12; m++) {
					size_t ml = strlen(months[m]);
					if ((size_t)(p + n - q) > ml &&
					    kb_strncasecmp(q, months[m], ml) == 0 &&
					    sscanf(q + ml, " %4d", &y) == 1 &&
					    y > 1990 && y < 2100)
						return xasprintf("%04d-%02d", y,
						    m + 1);
				}
			}
		}
		p += n + (nl != NULL);
	}
	return NULL;
}

/*
 * Reads, decodes and parses one file into a new article.  Returns NULL
 * after a diagnostic when the file cannot be compiled.
 */
static struct article *
read_article(const struct input *in, const struct buf *raw,
    const char *sha1, const char **encoding)
{
	struct buf text = {0};
	struct decode_info info;
	struct article *a;
	size_t i;
	int rc;

	memset(&info, 0, sizeof(info));
	if (text_decode(in->display, (const unsigned char *)buf_str(raw),
	    raw->len, &text, &info) == -1)
		return NULL;
	*encoding = info.encoding ? info.encoding : "utf-8";
	for (i = 0; i < text.len && kb_isspace((unsigned char)text.data[i]); i++)
		;
	if (i == text.len) {
		diag(DIAG_ERROR, in->display, 1, 0, "empty file: no article text");
		buf_free(&text);
		return NULL;
	}
	a = article_new(in->display, sniff_format(in->display, buf_str(&text)));
	memcpy(a->sha1, sha1, 41);
	eol_sha1(buf_str(raw), raw->len, 0, a->sha1_lf);
	eol_sha1(buf_str(raw), raw->len, 1, a->sha1_crlf);
	a->bytes = raw->len;
	rc = a->format == FORMAT_MARKDOWN ?
	    article_md_read(a, text.data, text.len) :
	    article_text_read(a, text.data, text.len);
	if (rc == 0 && a->format == FORMAT_TEXT && a->date == NULL)
		a->date = text_date(text.data);
	if (rc == 0 && a->frontmatter == NULL)
		a->frontmatter = xstrdup("{}");
	if (rc == 0)
		identity(a, in->display, text.data, text.len);
	buf_free(&text);
	if (rc != 0) {
		article_free(a);
		return NULL;
	}
	mention_collect(a);
	return a;
}

/* Runs a fixed SQL text (savepoints); fatal on error. */
static void
sp(struct db *db, const char *sql)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		die("%s: %s", db->path, sqlite3_errmsg(db->h));
}

/*
 * Compiles one input inside its own savepoint.  Returns 1 when the KB
 * changed, 0 when the file was unchanged or skipped, -1 on error.
 */
static int
compile_one(struct db *db, const struct input *in, struct compile_stats *cs)
{
	struct stat sb;
	struct buf raw = {0};
	struct article *a = NULL;
	sqlite3_stmt *st;
	int64_t old = 0, mtime;
	char sha1[41];
	const char *encoding = "utf-8";
	int rc = -1, c;

	if (stat(in->path, &sb) == -1) {
		diag(DIAG_ERROR, in->display, 0, 0, "cannot stat: %s",
		    strerror(errno));
		return -1;
	}
	mtime = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
	st = db_stmt(db, ST_VERSION_BY_PATH);
	db_bind_text(st, 1, in->path);
	if (db_step(db, st) == SQLITE_ROW) {
		old = sqlite3_column_int64(st, 0);
		if (sqlite3_column_int64(st, 2) == (int64_t)sb.st_size &&
		    sqlite3_column_int64(st, 3) == mtime)
			return 0;
		snprintf(sha1, sizeof(sha1), "%s", db_col_text(st, 1));
	} else
		sha1[0] = '\0';
	if ((size_t)sb.st_size > MAX_ARTICLE_BYTES) {
		diag(DIAG_ERROR, in->display, 0, 0, "file too large for an "
		    "article (%lld bytes); skipped", (long long)sb.st_size);
		return -1;
	}
	if (file_read(in->path, &raw) == -1) {
		diag(DIAG_ERROR, in->display, 0, 0, "cannot read: %s",
		    strerror(errno));
		return -1;
	}
	cs->bytes += raw.len;
	{
		char now[41];
		sha1_hex(buf_str(&raw), raw.len, now);
		if (old && strcmp(now, sha1) == 0) {
			st = db_stmt(db, ST_VERSION_TOUCH);
			db_bind_int(st, 1, old);
			db_bind_int(st, 2, (int64_t)sb.st_size);
			db_bind_int(st, 3, mtime);
			db_bind_text(st, 4, in->display);
			db_step(db, st);
			buf_free(&raw);
			return 0;
		}
		memcpy(sha1, now, sizeof(now));
	}
	if ((a = read_article(in, &raw, sha1, &encoding)) == NULL)
		goto out;
	sp(db, "SAVEPOINT one");
	if (old) {
		st = db_stmt(db, ST_VERSION_DELETE);
		db_bind_int(st, 1, old);
		db_step(db, st);
	}
	int64_t aid = article_id(db, a, 0);
	if ((c = claim(db, a, aid, in)) != 0) {
		sp(db, "ROLLBACK TO one");
		sp(db, "RELEASE one");
		rc = c > 0 ? 0 : -1;
		goto out;
	}
	if (store(db, a, aid, in, &sb, encoding) == -1) {
		sp(db, "ROLLBACK TO one");
		sp(db, "RELEASE one");
		goto out;
	}
	sp(db, "RELEASE one");
	cs->sections += a->sections.n;
	rc = 1;
out:
	article_free(a);
	buf_free(&raw);
	return rc;
}

/*
 * Deletes versions compiled from files under one of the folder roots that
 * no longer exist (the inputs are sorted by path).
 */
static void
prune(struct db *db, struct vec *roots, struct vec *in,
    struct compile_stats *cs)
{
	sqlite3_stmt *st = db_stmt(db, ST_VERSION_PATHS);
	struct vec gone = {0};
	size_t i, j;

	while (db_step(db, st) == SQLITE_ROW) {
		const char *p = db_col_text(st, 1);
		int under = 0, found = 0;
		for (j = 0; j < roots->n && !under; j++) {
			size_t n = strlen(roots->v[j]);
			under = strncmp(p, roots->v[j], n) == 0 && p[n] == '/';
		}
		if (!under)
			continue;
		struct input key = { (char *)p, NULL }, *kp = &key;
		found = bsearch(&kp, in->v, in->n, sizeof(*in->v),
		    input_cmp) != NULL;
		if (!found) {
			diag(DIAG_NOTE, db_col_text(st, 2), 0, 0,
			    "file is gone; its version is removed");
			vec_push(&gone, (void *)(intptr_t)sqlite3_column_int64(st, 0));
		}
	}
	for (i = 0; i < gone.n; i++) {
		st = db_stmt(db, ST_VERSION_DELETE);
		db_bind_int(st, 1, (int64_t)(intptr_t)gone.v[i]);
		db_step(db, st);
		cs->removed++;
	}
	vec_free(&gone);
}

int
compile_paths(struct db *db, char *const *paths, int npaths,
    struct compile_stats *cs)
{
	struct vec in = {0}, roots = {0};
	struct stat sb;
	char real[PATH_MAX];
	size_t i, k;
	int errors = 0, r;

	memset(cs, 0, sizeof(*cs));
	for (i = 0; i < (size_t)npaths; i++) {
		if (stat(paths[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			size_t n = strlen(paths[i]);
			char *d = xstrdup(paths[i]);
			while (n > 1 && d[n - 1] == '/')
				d[--n] = '\0';
			walk(&in, d, 0);
			if (realpath(d, real))
				vec_push(&roots, xstrdup(real));
			free(d);
		} else
			add_input(&in, paths[i]);
	}
	qsort(in.v, in.n, sizeof(*in.v), input_cmp);
	/* The same file named twice is compiled once. */
	for (i = k = 0; i < in.n; i++) {
		struct input *x = in.v[i];
		if (k && strcmp(((struct input *)in.v[k - 1])->path, x->path) == 0) {
			free(x->path);
			free(x->display);
			free(x);
			continue;
		}
		in.v[k++] = x;
	}
	in.n = k;

	if (db_exec(db, ST_BEGIN) != SQLITE_DONE)
		die("%s: cannot start a transaction", db->path);
	prune(db, &roots, &in, cs);
	for (i = 0; i < in.n; i++) {
		r = compile_one(db, in.v[i], cs);
		cs->files++;
		if (r < 0)
			errors++;
		else if (r > 0)
			cs->compiled++;
		else
			cs->unchanged++;
	}
	if (cs->compiled || cs->removed) {
		db_exec(db, ST_SOURCE_RELINK);
		db_exec(db, ST_ARTICLE_PRUNE);
	}
	if (db_exec(db, ST_COMMIT) != SQLITE_DONE)
		die("%s: cannot commit", db->path);
	cs->errors = (size_t)errors;
	for (i = 0; i < in.n; i++) {
		struct input *x = in.v[i];
		free(x->path);
		free(x->display);
		free(x);
	}
	vec_free(&in);
	for (i = 0; i < roots.n; i++)
		free(roots.v[i]);
	vec_free(&roots);
	return errors ? -1 : 0;
}
