/*
 * dump.c -- `kbgen dump`: every intermediate form as text (or JSON lines),
 * which is also what the golden tests compare (mandoc -Ttree style).
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "html.h"
#include "cmd.h"
#include "dump.h"
#include "incident.h"

const char usage_dump[] =
"usage: kbgen dump article REF [--lang LOCALE] [--version V] [--format text|json]\n"
"       kbgen dump records|signals INCIDENT [--format text|json]\n"
"\n"
"Prints one normalized article version: metadata, then every section with\n"
"its level, anchor, parent, plain text, mentions (codes, files, services,\n"
"messages), fix steps, callouts, links and HTML.  REF is an article key\n"
"(ms.assetid or derived; a unique prefix will do), a source path or a\n"
"SHA-1 prefix; --lang and --version (label, date or commit) pick one of\n"
"its versions, else the newest English one.  This is the form the golden\n"
"tests compare.\n"
"\n"
"records: every record kept for an incident, on the UTC timeline (host,\n"
"file, line, UTC and local time, severity, component, message); signals:\n"
"what the matcher sees (kind, normalized value, evidence file:line).\n"
"JSON prints one object per line.\n";

/* Writes text with every line prefixed, for multi-line fields. */
static void
put_lines(FILE *f, const char *prefix, const char *text)
{
	const char *p = text, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		fprintf(f, "%s%.*s\n", prefix, (int)n, p);
		p += n + (nl != NULL);
	}
}

/* "-" for empty values so every field line has a value. */
static const char *
dash(const char *s)
{
	return s && *s ? s : "-";
}

/* The parts under one section, in text form. */
static void
dump_section_parts(FILE *f, struct db *db, int64_t sid)
{
	sqlite3_stmt *st;

	st = db_stmt(db, ST_MENTIONS_OF);
	db_bind_int(st, 1, sid);
	while (db_step(db, st) == SQLITE_ROW)
		fprintf(f, "  mention %s %s raw=\"%s\"\n", db_col_text(st, 0),
		    db_col_text(st, 1), db_col_text(st, 2));
	st = db_stmt(db, ST_STEPS_OF);
	db_bind_int(st, 1, sid);
	while (db_step(db, st) == SQLITE_ROW)
		fprintf(f, "  step %d.%d %s\n", sqlite3_column_int(st, 0),
		    sqlite3_column_int(st, 1), db_col_text(st, 2));
	st = db_stmt(db, ST_CALLOUTS_OF);
	db_bind_int(st, 1, sid);
	while (db_step(db, st) == SQLITE_ROW) {
		fprintf(f, "  callout %s\n", db_col_text(st, 1));
		put_lines(f, "    | ", db_col_text(st, 2));
	}
	st = db_stmt(db, ST_LINKS_OF);
	db_bind_int(st, 1, sid);
	while (db_step(db, st) == SQLITE_ROW) {
		const char *res = db_col_text(st, 3), *slash = strrchr(res, '/');
		fprintf(f, "  link %s %s -> %s#%s \"%s\"\n", db_col_text(st, 2),
		    db_col_text(st, 1), dash(slash ? slash + 1 : res),
		    dash(db_col_text(st, 4)), db_col_text(st, 5));
	}
}

/* Text form of one version. */
static void
dump_text(FILE *f, struct db *db, int64_t vid)
{
	sqlite3_stmt *st = db_stmt(db, ST_VERSION_GET);

	db_bind_int(st, 1, vid);
	if (db_step(db, st) != SQLITE_ROW)
		return;
	fprintf(f, "article %s%s\n", db_col_text(st, 0),
	    sqlite3_column_int(st, 1) ? " (derived)" : "");
	fprintf(f, "title %s\n", db_col_text(st, 6));
	fprintf(f, "locale %s\n", db_col_text(st, 2));
	fprintf(f, "version %s\n", db_col_text(st, 3));
	fprintf(f, "date %s\n", dash(db_col_text(st, 4)));
	fprintf(f, "commit %s\n", dash(db_col_text(st, 5)));
	fprintf(f, "format %s\n", db_col_text(st, 8));
	fprintf(f, "encoding %s\n", db_col_text(st, 9));
	fprintf(f, "sha1 %s\n", db_col_text(st, 10));
	fprintf(f, "bytes %lld\n", (long long)sqlite3_column_int64(st, 16));
	fprintf(f, "machine-translated %s\n",
	    sqlite3_column_int(st, 11) ? "yes" : "no");
	fprintf(f, "source-hash %s\n", dash(db_col_text(st, 13)));
	fprintf(f, "source-commit %s\n", dash(db_col_text(st, 14)));
	fprintf(f, "source %s\n", sqlite3_column_type(st, 15) == SQLITE_NULL ?
	    (sqlite3_column_type(st, 13) == SQLITE_NULL ? "-" : "unknown") :
	    db_col_text(st, 15));
	fprintf(f, "frontmatter %s\n", db_col_text(st, 12));
	st = db_stmt(db, ST_SECTIONS_OF);
	db_bind_int(st, 1, vid);
	while (db_step(db, st) == SQLITE_ROW) {
		int64_t sid = sqlite3_column_int64(st, 0);
		fprintf(f, "\nsection %d level=%d line=%d anchor=%s parent=%s\n",
		    sqlite3_column_int(st, 1), sqlite3_column_int(st, 2),
		    sqlite3_column_int(st, 5), db_col_text(st, 3),
		    dash(db_col_text(st, 8)));
		fprintf(f, "  title %s\n", db_col_text(st, 4));
		put_lines(f, "  text | ", db_col_text(st, 7));
		/* The parts use other statements; this one stays positioned. */
		dump_section_parts(f, db, sid);
		put_lines(f, "  html | ", db_col_text(st, 6));
	}
}

/* JSON form of one version: one object, sections as an array. */
static void
dump_json(FILE *f, struct db *db, int64_t vid)
{
	sqlite3_stmt *st = db_stmt(db, ST_VERSION_GET);
	struct buf b = {0};
	int first = 1;

	db_bind_int(st, 1, vid);
	if (db_step(db, st) != SQLITE_ROW)
		return;
	buf_puts(&b, "{\"article\":");
	json_string(&b, db_col_text(st, 0));
	buf_puts(&b, ",\"title\":");
	json_string(&b, db_col_text(st, 6));
	buf_puts(&b, ",\"locale\":");
	json_string(&b, db_col_text(st, 2));
	buf_puts(&b, ",\"version\":");
	json_string(&b, db_col_text(st, 3));
	buf_puts(&b, ",\"date\":");
	json_string(&b, db_col_text(st, 4));
	buf_puts(&b, ",\"sha1\":");
	json_string(&b, db_col_text(st, 10));
	buf_printf(&b, ",\"mt\":%s", sqlite3_column_int(st, 11) ? "true" : "false");
	buf_puts(&b, ",\"frontmatter\":");
	buf_puts(&b, db_col_text(st, 12));
	buf_puts(&b, ",\"sections\":[");
	st = db_stmt(db, ST_SECTIONS_OF);
	db_bind_int(st, 1, vid);
	while (db_step(db, st) == SQLITE_ROW) {
		int64_t sid = sqlite3_column_int64(st, 0);
		sqlite3_stmt *m;
		int mfirst = 1;

		buf_puts(&b, first ? "{" : ",{");
		first = 0;
		buf_printf(&b, "\"ordinal\":%d,\"level\":%d,\"line\":%d,\"anchor\":",
		    sqlite3_column_int(st, 1), sqlite3_column_int(st, 2),
		    sqlite3_column_int(st, 5));
		json_string(&b, db_col_text(st, 3));
		buf_puts(&b, ",\"parent\":");
		json_string(&b, db_col_text(st, 8));
		buf_puts(&b, ",\"title\":");
		json_string(&b, db_col_text(st, 4));
		buf_puts(&b, ",\"text\":");
		json_string(&b, db_col_text(st, 7));
		buf_puts(&b, ",\"mentions\":[");
		m = db_stmt(db, ST_MENTIONS_OF);
		db_bind_int(m, 1, sid);
		while (db_step(db, m) == SQLITE_ROW) {
			buf_puts(&b, mfirst ? "{\"kind\":" : ",{\"kind\":");
			mfirst = 0;
			json_string(&b, db_col_text(m, 0));
			buf_puts(&b, ",\"value\":");
			json_string(&b, db_col_text(m, 1));
			buf_puts(&b, "}");
		}
		buf_puts(&b, "],\"html\":");
		json_string(&b, db_col_text(st, 6));
		buf_puts(&b, "}");
	}
	buf_puts(&b, "]}\n");
	fputs(b.data, f);
	buf_free(&b);
}

int64_t
version_resolve(struct db *db, const char *ref, const char *lang,
    const char *version)
{
	sqlite3_stmt *st = db_stmt(db, ST_VERSION_FIND);
	char real[PATH_MAX];

	/* A file that exists is named by its canonical path. */
	if (realpath(ref, real) != NULL)
		ref = real;
	db_bind_text(st, 1, ref);
	db_bind_text(st, 2, lang);
	db_bind_text(st, 3, version);
	if (db_step(db, st) != SQLITE_ROW)
		return 0;
	return sqlite3_column_int64(st, 0);
}

int
cmd_dump(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "version", required_argument, NULL, 'v' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const char *lang = NULL, *version = NULL, *format = "text";
	struct db *db;
	int64_t vid;
	int ch;

	while ((ch = getopt_long(argc, argv, "l:v:f:", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			lang = optarg;
			break;
		case 'v':
			version = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		default:
			return usage_error(c->usage, "%s", "bad option");
		}
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
		return usage_error(c->usage, "unknown format '%s'", format);
	if (argc - optind == 2 && (strcmp(argv[optind], "records") == 0 ||
	    strcmp(argv[optind], "signals") == 0)) {
		db = ctx_db(c, 1);
		return strcmp(argv[optind], "records") == 0 ?
		    dump_records(db, argv[optind + 1], strcmp(format, "json") == 0) :
		    dump_signals(db, argv[optind + 1], strcmp(format, "json") == 0);
	}
	if (argc - optind != 2 || strcmp(argv[optind], "article") != 0)
		return usage_error(c->usage, "%s", "expected: article REF, "
		    "records NAME or signals NAME");
	db = ctx_db(c, 1);
	vid = version_resolve(db, argv[optind + 1], lang, version);
	if (vid == 0) {
		diag(DIAG_ERROR, NULL, 0, 0, "no article version matches '%s'%s%s",
		    argv[optind + 1], lang ? " in " : "", lang ? lang : "");
		return EXIT_INPUT;
	}
	if (strcmp(format, "json") == 0)
		dump_json(stdout, db, vid);
	else
		dump_text(stdout, db, vid);
	return EXIT_OK;
}
