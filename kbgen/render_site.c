/*
 * render_site.c -- `kbgen site`: the static site from the knowledge base.
 *
 * Pages: index.html (every article and its versions) and one page per
 * article version and language, a/KEY/LOCALE/LABEL.html, with a language
 * and version switcher.  Every link is relative, so the site works from
 * file:// and under any sub-path.  A page is rewritten only when its bytes
 * change, so a rebuild touches what changed and the same KB always gives
 * the same bytes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "html.h"
#include "cmd.h"

const char usage_site[] =
"usage: kbgen site [--db FILE] [--out DIR] [--templates DIR]\n"
"\n"
"Writes the static site for the knowledge base into DIR (default site/):\n"
"an index of every article and one page per article version and\n"
"language.  Pages are written only when they change.  --templates DIR\n"
"overrides the built-in templates (for now: DIR/style.css).\n";

/* templates/style.css, embedded at build time (cmake/embed.cmake). */
extern const char kb_style_css[];

/* Writes data to path unless the file already holds exactly that. */
static int
write_if_changed(const char *path, const char *data, size_t len)
{
	struct buf old = {0};
	char *tmp;
	FILE *f;

	if (file_read(path, &old) == 0 && old.len == len &&
	    memcmp(old.data, data, len) == 0) {
		buf_free(&old);
		return 0;
	}
	buf_free(&old);
	tmp = xasprintf("%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL || fwrite(data, 1, len, f) != len ||
	    fclose(f) != 0 || rename(tmp, path) != 0) {
		diag(DIAG_ERROR, path, 0, 0, "cannot write: %s", strerror(errno));
		free(tmp);
		return -1;
	}
	free(tmp);
	return 1;
}

/* mkdir -p. */
static int
mkdirs(const char *dir)
{
	char *p = xstrdup(dir), *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST)
			goto fail;
		*s = '/';
	}
	if (mkdir(p, 0755) == -1 && errno != EEXIST)
		goto fail;
	free(p);
	return 0;
fail:
	diag(DIAG_ERROR, p, 0, 0, "cannot create folder: %s", strerror(errno));
	free(p);
	return -1;
}

/* A file-name-safe form of a key or label. */
static char *
fname(const char *s)
{
	struct buf b = {0};

	for (; *s; s++)
		buf_putc(&b, kb_isalnum((unsigned char)*s) || *s == '-' ||
		    *s == '_' || *s == '.' || *s == '@' ? *s : '_');
	if (b.len == 0 || b.data[0] == '.')
		buf_putc(&b, '_');
	return buf_detach(&b);
}

/* The relative URL of a version page, from the site root. */
static char *
page_url(const char *key, const char *locale, const char *label)
{
	char *k = fname(key), *l = fname(locale), *v = fname(label), *u;

	u = xasprintf("a/%s/%s/%s.html", k, l, v);
	free(k);
	free(l);
	free(v);
	return u;
}

static void
page_head(struct buf *b, const char *title, const char *root,
    const char *lang)
{
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
	html_attr(b, lang);
	buf_puts(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	html_escape_str(b, title);
	buf_puts(b, "</title>\n<link rel=\"stylesheet\" href=\"");
	html_attr(b, root);
	buf_puts(b, "style.css\">\n</head>\n<body>\n<nav><a href=\"");
	html_attr(b, root);
	buf_puts(b, "index.html\">kbgen knowledge base</a></nav>\n");
}

/* The language and version switcher of one page. */
static void
switcher(struct buf *b, struct db *db, int64_t vid, const char *key)
{
	sqlite3_stmt *st = db_stmt(db, ST_VERSIONS_OF_ARTICLE);

	db_bind_int(st, 1, vid);
	buf_puts(b, "<details class=\"switch\"><summary>Other versions and "
	    "languages</summary>\n<ul>\n");
	while (db_step(db, st) == SQLITE_ROW) {
		char *u = page_url(key, db_col_text(st, 1), db_col_text(st, 2));
		int self = sqlite3_column_int64(st, 0) == vid;
		buf_puts(b, "<li>");
		if (!self) {
			buf_puts(b, "<a href=\"../../../");
			html_attr(b, u);
			buf_puts(b, "\">");
		}
		html_escape_str(b, db_col_text(st, 1));
		buf_puts(b, " ");
		html_escape_str(b, db_col_text(st, 2));
		buf_puts(b, " &mdash; ");
		html_escape_str(b, db_col_text(st, 4));
		buf_puts(b, self ? " (this page)</li>\n" : "</a></li>\n");
		free(u);
	}
	buf_puts(b, "</ul></details>\n");
}

/* Writes one version page; returns -1 on a write error. */
static int
version_page(struct db *db, const char *out, int64_t vid, const char *key,
    const char *locale, const char *label, const char *title, int mt,
    const char *path)
{
	struct buf b = {0};
	sqlite3_stmt *st;
	char *url = page_url(key, locale, label), *file, *dir, *slash;
	int rc;

	page_head(&b, title, "../../../", locale);
	buf_puts(&b, "<main>\n");
	if (mt)
		buf_puts(&b, "<p class=\"banner\">This page was machine "
		    "translated.</p>\n");
	buf_puts(&b, "<p class=\"meta\">");
	html_escape_str(&b, locale);
	buf_puts(&b, " &middot; version ");
	html_escape_str(&b, label);
	buf_puts(&b, " &middot; source <code>");
	html_escape_str(&b, path);
	buf_puts(&b, "</code></p>\n");
	switcher(&b, db, vid, key);
	st = db_stmt(db, ST_SECTIONS_OF);
	db_bind_int(st, 1, vid);
	while (db_step(db, st) == SQLITE_ROW) {
		int level = sqlite3_column_int(st, 2);
		buf_puts(&b, "<section>\n");
		if (level > 0) {
			buf_printf(&b, "<h%d id=\"", level);
			html_attr(&b, db_col_text(st, 3));
			buf_puts(&b, "\">");
			html_escape_str(&b, db_col_text(st, 4));
			buf_printf(&b, "</h%d>\n", level);
		}
		/* Section HTML was made safe by the reader (article_md.c). */
		buf_puts(&b, db_col_text(st, 6));
		buf_puts(&b, "</section>\n");
	}
	buf_puts(&b, "</main>\n</body>\n</html>\n");
	file = xasprintf("%s/%s", out, url);
	dir = xstrdup(file);
	slash = strrchr(dir, '/');
	*slash = '\0';
	rc = mkdirs(dir) == 0 ? write_if_changed(file, b.data, b.len) : -1;
	free(dir);
	free(file);
	free(url);
	buf_free(&b);
	return rc < 0 ? -1 : 0;
}

int
site_render(struct db *db, const char *out, const char *templates)
{
	struct buf idx = {0};
	sqlite3_stmt *st;
	char *prev = NULL, *file;
	int rc = 0;
	struct vec rows = {0};
	size_t i;

	if (mkdirs(out) == -1)
		return -1;
	file = xasprintf("%s/style.css", out);
	if (templates != NULL) {
		struct buf css = {0};
		char *src = xasprintf("%s/style.css", templates);
		if (file_read(src, &css) == 0) {
			if (write_if_changed(file, css.data, css.len) < 0)
				rc = -1;
		} else if (write_if_changed(file, kb_style_css,
		    strlen(kb_style_css)) < 0)
			rc = -1;
		buf_free(&css);
		free(src);
	} else if (write_if_changed(file, kb_style_css, strlen(kb_style_css)) < 0)
		rc = -1;
	free(file);
	page_head(&idx, "Knowledge base", "", "en");
	buf_puts(&idx, "<main>\n<h1>Troubleshooting articles</h1>\n");
	/* Collect first: version_page() runs other statements. */
	st = db_stmt(db, ST_VERSIONS_ALL);
	while (db_step(db, st) == SQLITE_ROW) {
		char **r = xcalloc(8, sizeof(*r));
		int k;
		for (k = 0; k < 8; k++)
			r[k] = xstrdup(db_col_text(st, k));
		vec_push(&rows, r);
	}
	for (i = 0; i < rows.n; i++) {
		char **r = rows.v[i];
		char *u = page_url(r[1], r[2], r[3]);
		if (prev == NULL || strcmp(prev, r[1]) != 0) {
			if (prev)
				buf_puts(&idx, "</ul></li>\n</ul>\n");
			buf_puts(&idx, "<ul>\n<li><strong>");
			html_escape_str(&idx, r[5]);
			buf_puts(&idx, "</strong><ul>\n");
			free(prev);
			prev = xstrdup(r[1]);
		}
		buf_puts(&idx, "<li><a href=\"");
		html_attr(&idx, u);
		buf_puts(&idx, "\">");
		html_escape_str(&idx, r[2]);
		buf_puts(&idx, " ");
		html_escape_str(&idx, r[3]);
		buf_puts(&idx, "</a>");
		if (strcmp(r[6], "1") == 0)
			buf_puts(&idx, " (machine translation)");
		buf_puts(&idx, "</li>\n");
		if (version_page(db, out, strtoll(r[0], NULL, 10), r[1], r[2],
		    r[3], r[5], strcmp(r[6], "1") == 0, r[7]) < 0)
			rc = -1;
		free(u);
	}
	if (prev)
		buf_puts(&idx, "</ul></li>\n</ul>\n");
	buf_puts(&idx, "</main>\n</body>\n</html>\n");
	file = xasprintf("%s/index.html", out);
	if (write_if_changed(file, idx.data, idx.len) < 0)
		rc = -1;
	free(file);
	free(prev);
	for (i = 0; i < rows.n; i++) {
		char **r = rows.v[i];
		int k;
		for (k = 0; k < 8; k++)
			free(r[k]);
		free(r);
	}
	vec_free(&rows);
	buf_free(&idx);
	return rc;
}

int
cmd_site(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "templates", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	const char *out = "site", *templates = NULL;
	int ch;

	while ((ch = getopt_long(argc, argv, "o:t:", opts, NULL)) != -1) {
		if (ch == 'o')
			out = optarg;
		else if (ch == 't')
			templates = optarg;
		else
			return usage_error(c->usage, "%s", "bad option");
	}
	if (optind < argc)
		return usage_error(c->usage, "unexpected argument '%s'",
		    argv[optind]);
	return site_render(ctx_db(c, 1), out, templates) == 0 ? EXIT_OK :
	    EXIT_INPUT;
}
