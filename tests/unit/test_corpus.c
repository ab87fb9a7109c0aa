/*
 * test_corpus.c -- the whole of ../shared/corpus (~190 real articles, 11
 * languages, many versions) compiles with zero errors, and what the KB
 * says about each file agrees with what this test works out on its own
 * from the file and MANIFEST.tsv: headings and anchors, locale, version
 * label, translation links.  Skipped (exit 77) when ../shared is absent.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "compile.h"

static char *corpus;		/* $KBGEN_SHARED/corpus */
static char dbpath[] = "/tmp/kbgen-corpus-XXXXXX";
static struct db *db;
static struct compile_stats stats;

/* One row of MANIFEST.tsv. */
struct row {
	char	*repo, *commit, *path, *lang, *assetid, *date;
	char	*file;		/* corpus/<repo with __>/<commit8>/<path> */
};
static struct row rows[400];
static size_t nrows;

static char *
field(char **p)
{
	char *s = *p, *t = strchr(s, '\t');

	if (t) {
		*t = '\0';
		*p = t + 1;
	} else {
		s[strcspn(s, "\n")] = '\0';
		*p = s + strlen(s);
	}
	return xstrdup(s);
}

static void
load_manifest(void)
{
	char *m = xasprintf("%s/MANIFEST.tsv", corpus), line[4096];
	FILE *f = fopen(m, "r");

	ck_assert_ptr_nonnull(f);
	(void)fgets(line, sizeof(line), f);	/* header */
	while (fgets(line, sizeof(line), f) && nrows < 400) {
		struct row *r = &rows[nrows++];
		char *p = line, *q;
		r->repo = field(&p);
		r->commit = field(&p);
		r->path = field(&p);
		r->lang = field(&p);
		r->assetid = field(&p);
		r->date = field(&p);
		/* "owner/name" is the folder "owner__name": one byte longer. */
		char *dir = xmalloc(strlen(r->repo) + 2);
		strcpy(dir, r->repo);
		if ((q = strchr(dir, '/')) != NULL) {
			memmove(q + 2, q + 1, strlen(q + 1) + 1);
			q[0] = q[1] = '_';
		}
		/* "unknown(index-id:N)" commits live in "unknown-idN" folders. */
		if (strncmp(r->commit, "unknown(index-id:", 17) == 0)
			r->file = xasprintf("%s/%s/unknown-id%.*s/%s", corpus, dir,
			    (int)strcspn(r->commit + 17, ")"), r->commit + 17,
			    r->path);
		else
			r->file = xasprintf("%s/%s/%.8s/%s", corpus, dir,
			    r->commit, r->path);
		free(dir);
	}
	fclose(f);
	free(m);
}

static void
setup(void)
{
	const char *shared = getenv("KBGEN_SHARED");
	char *path;
	int fd;

	corpus = xasprintf("%s/corpus", shared);
	fd = mkstemp(dbpath);
	ck_assert_int_ge(fd, 0);
	close(fd);
	unlink(dbpath);
	db = db_open(dbpath, 0);
	path = corpus;
	diag_quiet = 1;
	compile_paths(db, &path, 1, &stats);
	load_manifest();
}

static void
teardown(void)
{
	char *p;

	db_close(db);
	unlink(dbpath);
	p = xasprintf("%s-wal", dbpath);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", dbpath);
	unlink(p);
	free(p);
}

/* Runs a one-value query with up to two text parameters. */
static char *
q1(const char *sql, const char *a, const char *b)
{
	sqlite3_stmt *st;
	char *r = NULL;

	ck_assert_int_eq(sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), SQLITE_OK);
	if (a)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		r = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return r;
}

/* SHA-1 of a file's bytes. */
static void
file_sha1(const char *path, char out[41])
{
	struct buf b = {0};

	ck_assert_msg(file_read(path, &b) == 0, "cannot read %s", path);
	sha1_hex(buf_str(&b), b.len, out);
	buf_free(&b);
}

START_TEST(no_errors)
{
	ck_assert_uint_eq(stats.errors, 0);
	ck_assert_uint_eq(stats.files, nrows);
	ck_assert_uint_ge(nrows, 180);
	/* Every file is stored, or is byte-identical to one that is. */
	for (size_t i = 0; i < nrows; i++) {
		char sha[41], *n;
		file_sha1(rows[i].file, sha);
		n = q1("SELECT count(*) FROM version WHERE sha1 = ?1", sha, NULL);
		ck_assert_msg(n && atoi(n) == 1, "%s: not stored", rows[i].file);
		free(n);
	}
}
END_TEST

/* The locale of every file is the manifest's language. */
START_TEST(locales)
{
	for (size_t i = 0; i < nrows; i++) {
		char sha[41], *l;
		file_sha1(rows[i].file, sha);
		l = q1("SELECT locale FROM version WHERE sha1 = ?1", sha, NULL);
		ck_assert_msg(l && strcmp(l, rows[i].lang) == 0,
		    "%s: locale %s, manifest %s", rows[i].file, l ? l : "-",
		    rows[i].lang);
		free(l);
	}
}
END_TEST

/*
 * The version label is the ISO form of the manifest's ms.date and the
 * commit folder; the key is the manifest's assetid when it has one.
 */
START_TEST(versions)
{
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		char sha[41], want[64], *label, *key;
		int mo, d, y;

		file_sha1(r->file, sha);
		label = q1("SELECT label FROM version WHERE sha1 = ?1", sha, NULL);
		int known = strncmp(r->commit, "unknown", 7) != 0;
		if (sscanf(r->date, "%d/%d/%d", &mo, &d, &y) == 3 && !known)
			snprintf(want, sizeof(want), "%04d-%02d-%02d", y, mo, d);
		else if (sscanf(r->date, "%d/%d/%d", &mo, &d, &y) == 3)
			snprintf(want, sizeof(want), "%04d-%02d-%02d@%.8s", y, mo,
			    d, r->commit);
		else
			snprintf(want, sizeof(want), "%.8s", r->commit);
		ck_assert_msg(label && strcmp(label, want) == 0,
		    "%s: version %s, want %s", r->file, label ? label : "-", want);
		free(label);
		if (*r->assetid) {
			key = q1("SELECT a.key FROM version v JOIN article a ON "
			    "a.id = v.article_id WHERE v.sha1 = ?1", sha, NULL);
			ck_assert_msg(key && kb_strcasecmp(key, r->assetid) == 0,
			    "%s: key %s, assetid %s", r->file, key ? key : "-",
			    r->assetid);
			free(key);
		}
	}
}
END_TEST

/*
 * Headings counted here from the raw file (ATX headings at column 0 and
 * setext underlines below a paragraph line, outside front matter and
 * fenced code) equal the sections the KB holds,
 * and every <a name="x"> in a heading is that section's anchor.
 */
START_TEST(sections_and_anchors)
{
	size_t checked_anchors = 0;

	for (size_t i = 0; i < nrows; i++) {
		struct buf b = {0};
		char sha[41], *n, *p, *line, *save = NULL;
		int heads = 0, fence = 0, fm = 0, lineno = 0, para = 0;

		ck_assert(file_read(rows[i].file, &b) == 0);
		sha1_hex(buf_str(&b), b.len, sha);
		/* Not strtok: blank lines matter for setext headings. */
		for (line = b.data; line && *line; line = save) {
			save = strchr(line, '\n');
			if (save)
				*save++ = '\0';
			lineno++;
			line[strcspn(line, "\r")] = '\0';
			if (lineno == 1 && strcmp(line, "---") == 0) {
				fm = 1;
				continue;
			}
			if (fm) {
				fm = strcmp(line, "---") != 0;
				continue;
			}
			p = line;
			while (*p == ' ')
				p++;
			if (p - line < 4 && (strncmp(p, "```", 3) == 0 ||
			    strncmp(p, "~~~", 3) == 0)) {
				fence = !fence;
				continue;
			}
			if (fence)
				continue;
			p = line + strspn(line, " ");
			if (p - line > 3 || *p == '\0') {
				para = para && *p != '\0';
				continue;
			}
			if (para && (*p == '=' || *p == '-') &&
			    strspn(p, *p == '=' ? "=" : "-") ==
			    strlen(p) - strspn(p + strspn(p, "=-"), " ")) {
				heads++;
				para = 0;
				continue;
			}
			if (*p != '#') {
				/* Paragraph text, or a continuation of one. */
				para = para || (strchr(">|<", *p) == NULL &&
				    !((*p == '-' || *p == '*' || *p == '+') &&
				    p[1] == ' ') && !(*p >= '0' && *p <= '9'));
				continue;
			}
			para = 0;
			size_t h = strspn(p, "#");
			if (h > 6 || (p[h] != ' ' && p[h] != '\0'))
				continue;
			heads++;
			if ((p = strstr(line, "<a name=\"")) != NULL) {
				char anchor[256];
				size_t k = strcspn(p + 9, "\"");
				snprintf(anchor, sizeof(anchor), "%.*s", (int)k, p + 9);
				n = q1("SELECT count(*) FROM section s JOIN version v "
				    "ON v.id = s.version_id WHERE v.sha1 = ?1 AND "
				    "s.anchor = ?2", sha, anchor);
				ck_assert_msg(n && atoi(n) == 1, "%s:%d: anchor %s "
				    "missing", rows[i].file, lineno, anchor);
				free(n);
				checked_anchors++;
			}
		}
		n = q1("SELECT count(*) FROM section s JOIN version v ON "
		    "v.id = s.version_id WHERE v.sha1 = ?1 AND s.level > 0",
		    sha, NULL);
		ck_assert_msg(n && atoi(n) == heads, "%s: %s sections, %d headings",
		    rows[i].file, n ? n : "-", heads);
		free(n);
		buf_free(&b);
	}
	ck_assert_uint_ge(checked_anchors, 1000);
}
END_TEST

/*
 * Translation links: a translation whose ms.openlocfilehash is the SHA-1
 * of an English file here (as it is, or with LF or CRLF line ends) links
 * to that version; every other translation with a hash has no source.
 */
START_TEST(translation_links)
{
	sqlite3_stmt *st;
	int linked = 0, unknown = 0;

	ck_assert_int_eq(sqlite3_prepare_v2(db->h, "SELECT v.source_hash, "
	    "s.sha1, v.display_path FROM version v LEFT JOIN version s ON "
	    "s.id = v.source_version_id WHERE v.source_hash IS NOT NULL", -1,
	    &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *want = (const char *)sqlite3_column_text(st, 0);
		const char *src = (const char *)sqlite3_column_text(st, 1);
		int match = 0;
		for (size_t i = 0; i < nrows && !match; i++) {
			struct buf b = {0}, lf = {0};
			char h1[41], h2[41];
			if (strcmp(rows[i].lang, "en-us") != 0)
				continue;
			ck_assert(file_read(rows[i].file, &b) == 0);
			sha1_hex(buf_str(&b), b.len, h1);
			for (size_t k = 0; k < b.len; k++)
				if (b.data[k] != '\r')
					buf_putc(&lf, b.data[k]);
			sha1_hex(buf_str(&lf), lf.len, h2);
			match = strcmp(h1, want) == 0 || strcmp(h2, want) == 0;
			if (match) {
				ck_assert_msg(src != NULL, "%s: source not linked",
				    sqlite3_column_text(st, 2));
				ck_assert_str_eq(src, h1);
			}
			buf_free(&b);
			buf_free(&lf);
		}
		if (match)
			linked++;
		else {
			ck_assert_msg(src == NULL, "%s: linked to a wrong source",
			    sqlite3_column_text(st, 2));
			unknown++;
		}
	}
	sqlite3_finalize(st);
	ck_assert_int_ge(linked, 7);
	ck_assert_int_gt(unknown, 0);
}
END_TEST

/* Recompiling the unchanged corpus is a no-op. */
START_TEST(incremental)
{
	struct compile_stats again;
	char *path = corpus;

	compile_paths(db, &path, 1, &again);
	ck_assert_uint_eq(again.errors, 0);
	ck_assert_uint_eq(again.compiled, 0);
	ck_assert_uint_eq(again.removed, 0);
}
END_TEST

int
main(void)
{
	const char *shared = getenv("KBGEN_SHARED");
	char *probe;
	Suite *s;
	TCase *tc;
	SRunner *sr;
	int failed;

	if (shared == NULL)
		return 77;
	probe = xasprintf("%s/corpus/MANIFEST.tsv", shared);
	if (access(probe, R_OK) != 0) {
		printf("../shared/corpus is absent: skipped\n");
		free(probe);
		return 77;
	}
	free(probe);
	s = suite_create("corpus");
	tc = tcase_create("corpus");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, no_errors);
	tcase_add_test(tc, locales);
	tcase_add_test(tc, versions);
	tcase_add_test(tc, sections_and_anchors);
	tcase_add_test(tc, translation_links);
	tcase_add_test(tc, incremental);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
