/*
 * query.c -- the `search` and `lookup` modes: full-text search over every
 * section, and error-code decoding with every section that mentions it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "util.h"
#include "article.h"
#include "db.h"
#include "fts.h"
#include "html.h"
#include "codes.h"
#include "cmd.h"

const char usage_search[] =
"usage: kbgen search [--lang LOCALE] [--limit N] [--format text|json] QUERY...\n"
"\n"
"Full-text search over every section of every article version and\n"
"language, best first (BM25, titles weigh more).  Words are ANDed; a\n"
"trailing * matches a prefix; \"quoted words\" match as a phrase.  Chinese,\n"
"Japanese and Korean text is found inside sentences.  Codes such as\n"
"0x80070643 or 6703 are words.  --lang takes a locale (zh-cn) or a\n"
"language (zh).  JSON output is one object per line.\n";

const char usage_lookup[] =
"usage: kbgen lookup [--format text|json] CODE\n"
"\n"
"Decodes an error code and lists every section, in every version and\n"
"language, that mentions it.  CODE may be an HRESULT in any written form\n"
"(0x80070643, 80070643, 2147944003, -2147023293), a Win32 error (1603),\n"
"a Configuration Manager status message ID (6703), an HTTP status (503)\n"
"or an event ID; an ambiguous number is looked up as each kind it can be.\n";

/* Colour only on a terminal, and never when NO_COLOR is set. */
static int
use_color(void)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
}

/* Replaces the snippet markers (\2 ... \3) by on/off strings. */
static void
put_snippet(struct buf *b, const char *s, const char *on, const char *off)
{
	for (; *s; s++) {
		if (*s == '\2')
			buf_puts(b, on);
		else if (*s == '\3')
			buf_puts(b, off);
		else if (*s == '\n')
			buf_putc(b, ' ');
		else
			buf_putc(b, *s);
	}
}

/* One search hit as a JSON line. */
static void
hit_json(struct buf *b, sqlite3_stmt *st, int rank)
{
	struct buf plain = {0}, mark = {0};
	const char *s = db_col_text(st, 6);

	buf_printf(b, "{\"rank\":%d,\"article\":", rank);
	json_string(b, db_col_text(st, 0));
	buf_puts(b, ",\"locale\":");
	json_string(b, db_col_text(st, 1));
	buf_puts(b, ",\"version\":");
	json_string(b, db_col_text(st, 2));
	buf_puts(b, ",\"anchor\":");
	json_string(b, db_col_text(st, 3));
	buf_puts(b, ",\"section\":");
	json_string(b, db_col_text(st, 4));
	buf_puts(b, ",\"title\":");
	json_string(b, db_col_text(st, 5));
	put_snippet(&plain, s, "", "");
	buf_puts(b, ",\"snippet\":");
	json_string(b, buf_str(&plain));
	/* The HTML form escapes the text first, then marks the matches. */
	for (; *s; s++) {
		if (*s == '\2')
			buf_puts(&mark, "<mark>");
		else if (*s == '\3')
			buf_puts(&mark, "</mark>");
		else
			html_escape(&mark, s, 1);
	}
	buf_puts(b, ",\"snippet_html\":");
	json_string(b, buf_str(&mark));
	buf_printf(b, ",\"score\":%.4f,\"path\":", -sqlite3_column_double(st, 7));
	json_string(b, db_col_text(st, 8));
	buf_printf(b, ",\"line\":%d}\n", sqlite3_column_int(st, 9));
	buf_free(&plain);
	buf_free(&mark);
}

/* One search hit for the terminal. */
static void
hit_text(struct buf *b, sqlite3_stmt *st, int rank, int color)
{
	buf_printf(b, "%d. %s%s%s", rank, color ? "\033[1m" : "",
	    db_col_text(st, 4), color ? "\033[0m" : "");
	buf_printf(b, " -- %s [%s %s]\n", db_col_text(st, 5),
	    db_col_text(st, 1), db_col_text(st, 2));
	buf_printf(b, "   %s:%d #%s\n   ", db_col_text(st, 8),
	    sqlite3_column_int(st, 9), db_col_text(st, 3));
	put_snippet(b, db_col_text(st, 6), color ? "\033[1;33m" : "",
	    color ? "\033[0m" : "");
	buf_puts(b, "\n");
}

int
cmd_search(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "limit", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const char *lang = NULL, *format = "text";
	struct buf q = {0}, out = {0};
	sqlite3_stmt *st;
	char *match, *end;
	long limit = 20;
	int ch, rank = 0, i, json, color;

	while ((ch = getopt_long(argc, argv, "l:n:f:", opts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			lang = optarg;
			break;
		case 'n':
			limit = strtol(optarg, &end, 10);
			if (*end || limit < 1)
				return usage_error(c->usage, "bad --limit '%s'",
				    optarg);
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
	if (optind >= argc)
		return usage_error(c->usage, "%s", "no QUERY given");
	for (i = optind; i < argc; i++) {
		if (i > optind)
			buf_putc(&q, ' ');
		buf_puts(&q, argv[i]);
	}
	json = strcmp(format, "json") == 0;
	color = !json && use_color();
	match = fts_query_from_user(buf_str(&q));
	st = db_stmt(ctx_db(c, 1), ST_SEARCH);
	db_bind_text(st, 1, match);
	db_bind_int(st, 2, limit);
	if (lang) {
		char *l = xstrdup(lang), *p;
		for (p = l; *p; p++)
			*p = (char)kb_tolower((unsigned char)*p);
		db_bind_text(st, 3, l);
		free(l);
	}
	while (db_step(c->db, st) == SQLITE_ROW) {
		if (json)
			hit_json(&out, st, ++rank);
		else
			hit_text(&out, st, ++rank, color);
	}
	if (rank == 0 && !json)
		buf_printf(&out, "no section matches '%s'\n", buf_str(&q));
	fputs(buf_str(&out), stdout);
	free(match);
	buf_free(&q);
	buf_free(&out);
	return EXIT_OK;
}

/* One section that mentions the code, for the terminal or JSON. */
static void
lookup_row(struct buf *b, sqlite3_stmt *st, int json, int *first)
{
	if (json) {
		buf_puts(b, *first ? "{\"article\":" : ",{\"article\":");
		json_string(b, db_col_text(st, 0));
		buf_puts(b, ",\"title\":");
		json_string(b, db_col_text(st, 5));
		buf_puts(b, ",\"locale\":");
		json_string(b, db_col_text(st, 1));
		buf_puts(b, ",\"version\":");
		json_string(b, db_col_text(st, 2));
		buf_puts(b, ",\"section\":");
		json_string(b, db_col_text(st, 4));
		buf_puts(b, ",\"anchor\":");
		json_string(b, db_col_text(st, 3));
		buf_puts(b, ",\"raw\":");
		json_string(b, db_col_text(st, 6));
		buf_puts(b, ",\"path\":");
		json_string(b, db_col_text(st, 7));
		buf_printf(b, ",\"line\":%d}", sqlite3_column_int(st, 8));
	} else {
		buf_printf(b, "    %s [%s %s]\n      %s #%s  (%s:%d, as \"%s\")\n",
		    db_col_text(st, 5), db_col_text(st, 1), db_col_text(st, 2),
		    db_col_text(st, 4), db_col_text(st, 3), db_col_text(st, 7),
		    sqlite3_column_int(st, 8), db_col_text(st, 6));
	}
	*first = 0;
}

/* Every section mentioning one reading of the code; returns the count. */
static int
lookup_sections(struct db *db, const struct code_cand *cc, struct buf *b,
    int json)
{
	sqlite3_stmt *st = db_stmt(db, ST_LOOKUP);
	int n = 0, first = 1;

	db_bind_text(st, 1, mention_kind_name(cc->kind));
	db_bind_text(st, 2, cc->value);
	while (db_step(db, st) == SQLITE_ROW) {
		lookup_row(b, st, json, &first);
		n++;
	}
	if (cc->kind != MENTION_HRESULT || code_is_pattern(cc->value))
		return n;
	/* Articles also name HRESULT families by pattern ("xxxx2ee2"). */
	st = db_stmt(db, ST_LOOKUP_PATTERNS);
	while (db_step(db, st) == SQLITE_ROW)
		if (code_hresult_match(db_col_text(st, 9), cc->value)) {
			lookup_row(b, st, json, &first);
			n++;
		}
	return n;
}

/* The other written forms of an HRESULT, for the header. */
static void
lookup_forms(struct buf *b, const char *value, int json)
{
	struct code_forms f;

	if (code_hresult_forms(value, &f) == -1)
		return;
	if (json) {
		buf_puts(b, ",\"forms\":[");
		json_string(b, f.bare);
		buf_putc(b, ',');
		json_string(b, f.udec);
		buf_putc(b, ',');
		json_string(b, f.sdec);
		buf_putc(b, ',');
		json_string(b, f.suffix);
		buf_putc(b, ']');
	} else
		buf_printf(b, "  also written %s, %s, %s, %s\n", f.bare, f.udec,
		    f.sdec, f.suffix);
}

int
cmd_lookup(struct ctx *c, int argc, char **argv)
{
	const char *format = "text", *arg = NULL;
	struct code code;
	struct buf out = {0}, desc = {0};
	struct db *db;
	size_t i;
	int k, json;

	/*
	 * Parsed by hand: "-2147023293" is a code, not a cluster of options,
	 * so getopt cannot be used.
	 */
	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--format") == 0 || strcmp(argv[k], "-f") == 0) {
			if (++k == argc)
				return usage_error(c->usage, "%s", "--format needs a value");
			format = argv[k];
		} else if (strncmp(argv[k], "--format=", 9) == 0)
			format = argv[k] + 9;
		else if (strcmp(argv[k], "--") == 0 && k + 1 < argc && arg == NULL)
			arg = argv[++k];
		else if (argv[k][0] == '-' && !kb_isdigit((unsigned char)argv[k][1]))
			return usage_error(c->usage, "unknown option '%s'", argv[k]);
		else if (arg == NULL)
			arg = argv[k];
		else
			return usage_error(c->usage, "%s", "expected one CODE");
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
		return usage_error(c->usage, "unknown format '%s'", format);
	if (arg == NULL)
		return usage_error(c->usage, "%s", "expected one CODE");
	if (code_parse(arg, &code) == -1) {
		diag(DIAG_ERROR, NULL, 0, 0, "'%s' is not an error code, status "
		    "message ID, HTTP status or event ID", arg);
		return EXIT_USAGE;
	}
	json = strcmp(format, "json") == 0;
	db = ctx_db(c, 1);
	for (i = 0; i < code.n; i++) {
		const struct code_cand *cc = &code.cand[i];
		struct buf rows = {0};
		int n;

		buf_reset(&desc);
		code_describe(cc->kind, cc->value, &desc);
		n = lookup_sections(db, cc, &rows, json);
		if (json) {
			buf_puts(&out, "{\"kind\":");
			json_string(&out, mention_kind_name(cc->kind));
			buf_puts(&out, ",\"value\":");
			json_string(&out, cc->value);
			buf_puts(&out, ",\"description\":");
			json_string(&out, buf_str(&desc));
			if (cc->kind == MENTION_HRESULT)
				lookup_forms(&out, cc->value, 1);
			buf_puts(&out, ",\"sections\":[");
			buf_puts(&out, buf_str(&rows));
			buf_puts(&out, "]}\n");
		} else {
			buf_printf(&out, "%s%s %s\n  %s\n", i ? "\n" : "",
			    mention_kind_name(cc->kind), cc->value,
			    buf_str(&desc));
			if (cc->kind == MENTION_HRESULT)
				lookup_forms(&out, cc->value, 0);
			if (n)
				buf_printf(&out, "  mentioned in %d section%s:\n%s",
				    n, n == 1 ? "" : "s", buf_str(&rows));
			else
				buf_puts(&out, "  no section mentions it\n");
		}
		buf_free(&rows);
	}
	fputs(buf_str(&out), stdout);
	buf_free(&out);
	buf_free(&desc);
	return EXIT_OK;
}
