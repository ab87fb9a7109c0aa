/*
 * incident.c -- `kbgen incident add|list|show|rm` and `kbgen dump
 * records|signals`: bundles merged into incidents on one UTC timeline.
 *
 * One transaction per `add`: a kill midway leaves the KB as it was.  A
 * savepoint per file: a file whose bytes are already in the incident at
 * the same path is rolled back, so adding a bundle again is a no-op.
 * A bundle's host is only known at its end (a manifest, STATMSG SYS=,
 * event Computer fields may come after the logs), so its files first
 * hang off a provisional host row that is then named, or merged into the
 * host of the same name.
 */
#define _GNU_SOURCE	/* strcasestr */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>
#include <nettle/sha2.h>

#include "util.h"
#include "db.h"
#include "html.h"
#include "logs.h"
#include "ingest.h"
#include "bundle.h"
#include "signals.h"
#include "cmd.h"
#include "incident.h"

const char usage_incident[] =
"usage: kbgen incident add NAME BUNDLE... [--host H] [--role R]\n"
"       kbgen incident list\n"
"       kbgen incident show NAME\n"
"       kbgen incident rm NAME\n"
"\n"
"Merges diagnostics bundles into incident NAME on one UTC timeline.  A\n"
"BUNDLE is a folder, an archive (.zip, .tar, .tar.gz/.tgz, .tar.xz, .cab,\n"
"one level of archives inside) or a single file; it is streamed, never\n"
"extracted to disk.  Each file's format and encoding are sniffed from its\n"
"content.  The bundle's host and role come from --host/--role, else a\n"
"manifest file (manifest.txt: 'host: NAME', 'role: site-server|wsus-server|\n"
"client'), else the content.  Adding the same files again is a no-op.\n"
"ROLE is site-server, wsus-server or client (joined with + for several).\n";

/* Host roles as bits; names in role_names. */
enum { ROLE_SITE = 1, ROLE_WSUS = 2, ROLE_CLIENT = 4 };

/* Names voted for by the content (STATMSG SYS=, event Computer). */
struct vote {
	char	*name;
	long	 count;
};

/* One `incident add` of one bundle. */
struct addctx {
	struct db	*db;
	int64_t		 incident;
	int64_t		 bundle;
	int64_t		 host;		/* provisional host of this bundle */
	const char	*src;
	const char	*opt_host;
	const char	*opt_role;
	char		*man_host;	/* from a manifest */
	char		*man_role;
	struct vec	 votes;		/* struct vote * */
	unsigned	 roles;		/* ROLE_* clues from the content */
	int32_t		 tz;		/* the host's zone, once a file told */
	struct vec	 hashes;	/* "path\tsha256" of every file */
	long		 files, dups, records, stored;
};

/* IIS requests of the current minute, counted per endpoint and status. */
struct hit {
	char	*endpoint;
	int	 status;
	long	 count;
	long	 first_line;
};

/* One file being read. */
struct filectx {
	struct addctx	*ac;
	struct ingest	*in;
	int64_t		 id;
	char		*path;
	int		 manifest;
	struct buf	 text;		/* the manifest's bytes */
	long		 stored, errors, warnings;
	int64_t		 first, last;	/* UTC ms, TIME_NONE when none */
	int64_t		 minute;	/* IIS: the minute being counted */
	struct vec	 hits;		/* struct hit * of that minute */
};

/* Runs fixed SQL (savepoints); fatal on error. */
static void
run(struct db *db, const char *sql)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		die("%s: %s", db->path, sqlite3_errmsg(db->h));
}

/* Now, as ISO 8601 UTC (for created/added columns). */
static void
now_iso(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* File names that carry the bundle's host and role. */
static int
is_manifest(const char *name)
{
	static const char *const names[] = { "manifest.txt", "manifest.ini",
	    "bundle.ini", "kbgen-manifest.txt", "kbgen.manifest", NULL };
	size_t i;

	for (i = 0; names[i]; i++)
		if (kb_strcasecmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* "host: X" / "host = X" lines of a manifest. */
static void
read_manifest(struct addctx *ac, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n'), *sep;
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, n), *k, *v;
		p += n + (nl != NULL);
		sep = strpbrk(line, ":=");
		if (sep == NULL || line[0] == '#' || line[0] == ';') {
			free(line);
			continue;
		}
		k = line;
		line[sep - line] = '\0';
		v = line + (sep - line) + 1;
		struct buf kb = {0}, vb = {0};
		buf_puts(&kb, k);
		buf_trim(&kb);
		buf_puts(&vb, v);
		buf_trim(&vb);
		if (vb.len && (kb_strcasecmp(kb.data, "host") == 0 ||
		    kb_strcasecmp(kb.data, "hostname") == 0 ||
		    kb_strcasecmp(kb.data, "computer") == 0)) {
			free(ac->man_host);
			ac->man_host = buf_detach(&vb);
		} else if (vb.len && kb_strcasecmp(kb.data, "role") == 0) {
			free(ac->man_role);
			ac->man_role = buf_detach(&vb);
		}
		buf_free(&kb);
		buf_free(&vb);
		free(line);
	}
}

/* A host name the content suggests (FQDNs count as their first label). */
static void
vote(struct addctx *ac, const char *name)
{
	char host[128];
	size_t i, n = strcspn(name, ". \t\"");
	struct vote *v;

	if (n == 0 || n >= sizeof(host) || name[0] == '<')
		return;
	for (i = 0; i < n; i++)
		host[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ?
		    name[i] - 32 : name[i]);
	host[n] = '\0';
	for (i = 0; i < ac->votes.n; i++) {
		v = ac->votes.v[i];
		if (strcmp(v->name, host) == 0) {
			v->count++;
			return;
		}
	}
	v = xcalloc(1, sizeof(*v));
	v->name = xstrdup(host);
	v->count = 1;
	vec_push(&ac->votes, v);
}

/* Stores one record and its signals. */
static void
store_record(struct filectx *fc, const struct record *r, int64_t utc,
    const struct signals *sg)
{
	struct db *db = fc->ac->db;
	sqlite3_stmt *st = db_stmt(db, ST_RECORD_INSERT);
	int64_t rid;
	size_t i;

	db_bind_int(st, 1, fc->id);
	db_bind_int(st, 2, r->line);
	db_bind_int(st, 3, r->end_line > r->line ? r->end_line : r->line);
	db_bind_int(st, 4, (int64_t)r->offset);
	if (r->local_ms != TIME_NONE)
		db_bind_int(st, 5, r->local_ms);
	if (r->utc)
		db_bind_int(st, 6, 0);
	else if (r->tz_min != TZ_UNKNOWN)
		db_bind_int(st, 6, r->tz_min);
	if (utc != TIME_NONE)
		db_bind_int(st, 7, utc);
	db_bind_int(st, 8, r->sev);
	db_bind_text(st, 9, r->component);
	db_bind_text(st, 10, r->thread);
	sqlite3_bind_text(st, 11, r->msg ? r->msg : "", r->msg ? (int)r->msg_len :
	    0, SQLITE_TRANSIENT);
	db_step(db, st);
	rid = sqlite3_last_insert_rowid(db->h);
	for (i = 0; i < sg->n; i++) {
		st = db_stmt(db, ST_SIGNAL_INSERT);
		db_bind_int(st, 1, rid);
		db_bind_text(st, 2, sg->v[i].kind);
		db_bind_text(st, 3, sg->v[i].value);
		db_bind_text(st, 4, sg->v[i].raw);
		db_step(db, st);
	}
	fc->stored++;
	fc->ac->stored++;
}

/* Writes the counted minute of IIS requests and starts a new one. */
static void
flush_hits(struct filectx *fc)
{
	size_t i;

	for (i = 0; i < fc->hits.n; i++) {
		struct hit *h = fc->hits.v[i];
		sqlite3_stmt *st = db_stmt(fc->ac->db, ST_HTTP_MINUTE_ADD);
		db_bind_int(st, 1, fc->id);
		db_bind_int(st, 2, fc->minute);
		db_bind_text(st, 3, h->endpoint);
		db_bind_int(st, 4, h->status);
		db_bind_int(st, 5, h->count);
		db_bind_int(st, 6, h->first_line);
		db_step(fc->ac->db, st);
		free(h->endpoint);
		free(h);
	}
	fc->hits.n = 0;
}

/*
 * An IIS request: counted per minute, endpoint and status; the first
 * failing request of each such key is kept as evidence.  Returns 1 when
 * the record should be stored.
 */
static int
count_hit(struct filectx *fc, const struct record *r, int64_t utc)
{
	const char *uri = log_kv(r, "uri"), *status = log_kv(r, "status");
	int64_t minute = utc == TIME_NONE ? 0 : utc - utc % 60000;
	int code = status ? atoi(status) : 0;
	struct hit *h;
	size_t i;

	if (minute != fc->minute) {
		flush_hits(fc);
		fc->minute = minute;
	}
	if (uri == NULL)
		uri = "-";
	for (i = 0; i < fc->hits.n; i++) {
		h = fc->hits.v[i];
		if (h->status == code && kb_strcasecmp(h->endpoint, uri) == 0) {
			h->count++;
			return 0;
		}
	}
	h = xcalloc(1, sizeof(*h));
	h->endpoint = xstrdup(uri);
	for (i = 0; h->endpoint[i]; i++)
		h->endpoint[i] = (char)kb_tolower((unsigned char)h->endpoint[i]);
	h->status = code;
	h->count = 1;
	h->first_line = r->line;
	vec_push(&fc->hits, h);
	return code >= 400;
}

/* Every record of a file comes here. */
static void
on_record(void *arg, const struct record *r)
{
	struct filectx *fc = arg;
	struct addctx *ac = fc->ac;
	struct signals sg;
	int64_t utc = TIME_NONE;
	const char *v;

	ac->records++;
	if (r->local_ms != TIME_NONE) {
		if (r->utc)
			utc = r->local_ms;
		else if (r->tz_min != TZ_UNKNOWN)
			utc = r->local_ms - (int64_t)r->tz_min * 60000;
	}
	if (utc != TIME_NONE) {
		if (fc->first == TIME_NONE || utc < fc->first)
			fc->first = utc;
		if (fc->last == TIME_NONE || utc > fc->last)
			fc->last = utc;
	}
	if (r->sev == SEV_ERROR)
		fc->errors++;
	else if (r->sev == SEV_WARNING)
		fc->warnings++;
	if ((v = log_kv(r, "sys")) != NULL)
		vote(ac, v);
	if ((v = log_kv(r, "computer")) != NULL)
		vote(ac, v);
	if (log_kv(r, "uri") != NULL && log_kv(r, "reason") == NULL) {
		/* An IIS request (HTTPERR lines have a reason: kept whole). */
		if (!count_hit(fc, r, utc))
			return;
		signal_scan(r, &sg);
		store_record(fc, r, utc, &sg);
		return;
	}
	signal_scan(r, &sg);
	if (r->sev >= SEV_WARNING || sg.n > 0 || r->nkv > 0)
		store_record(fc, r, utc, &sg);
}

/* Role clues from a file's name and format. */
static unsigned
role_of_file(const char *name, enum log_format f)
{
	static const struct {
		const char	*prefix;
		unsigned	 role;
	} names[] = {
		{ "wsyncmgr", ROLE_SITE }, { "wcm", ROLE_SITE },
		{ "smsprov", ROLE_SITE }, { "sitecomp", ROLE_SITE },
		{ "wsusctrl", ROLE_WSUS }, { "softwaredistribution", ROLE_WSUS },
		{ "applicationhost", ROLE_WSUS }, { "wsussetup", ROLE_WSUS },
		{ "windowsupdate", ROLE_CLIENT }, { "wuahandler", ROLE_CLIENT },
		{ "locationservices", ROLE_CLIENT }, { "updatesdeployment", ROLE_CLIENT },
		{ "updateshandler", ROLE_CLIENT }, { "scanagent", ROLE_CLIENT },
	};
	size_t i;

	/* Anywhere in the name: collectors prefix host or date. */
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasestr(name, names[i].prefix) != NULL)
			return names[i].role;
	switch (f) {
	case LOG_IIS:
	case LOG_HTTPERR:
	case LOG_SOFTDIST:
	case LOG_IIS_CONFIG:
	case LOG_POSTINSTALL:
		return ROLE_WSUS;
	case LOG_WU_LEGACY:
	case LOG_WU_ETW:
		return ROLE_CLIENT;
	default:
		return 0;
	}
}

static void *
sink_begin(void *arg, const char *path, const char *name, uint64_t size)
{
	struct addctx *ac = arg;
	struct filectx *fc = xcalloc(1, sizeof(*fc));
	sqlite3_stmt *st;
	char *label;

	(void)size;
	fc->ac = ac;
	fc->path = xstrdup(path);
	if (is_manifest(name)) {
		fc->manifest = 1;
		return fc;
	}
	run(ac->db, "SAVEPOINT file");
	st = db_stmt(ac->db, ST_FILE_INSERT);
	db_bind_int(st, 1, ac->host);
	db_bind_int(st, 2, ac->bundle);
	db_bind_text(st, 3, path);
	db_step(ac->db, st);
	fc->id = sqlite3_last_insert_rowid(ac->db->h);
	fc->first = fc->last = TIME_NONE;
	fc->minute = -1;
	label = xasprintf("%s/%s", ac->src, path);
	fc->in = ingest_begin(label, name, ac->tz, on_record, fc);
	free(label);
	return fc;
}

static void
sink_feed(void *file, const void *data, size_t n)
{
	struct filectx *fc = file;

	if (fc->manifest) {
		if (fc->text.len < 65536)
			buf_put(&fc->text, data, n);
		return;
	}
	ingest_feed(fc->in, data, n);
}

/* Is this file's content already in the incident at the same path? */
static int
duplicate(struct filectx *fc, const char *sha)
{
	sqlite3_stmt *st = db_stmt(fc->ac->db, ST_FILE_DUP);

	db_bind_int(st, 1, fc->ac->incident);
	db_bind_text(st, 2, fc->path);
	db_bind_text(st, 3, sha);
	db_bind_int(st, 4, fc->id);
	return db_step(fc->ac->db, st) == SQLITE_ROW;
}

static void
sink_end(void *file, int error)
{
	struct filectx *fc = file;
	struct addctx *ac = fc->ac;
	struct ingest_stats is;
	sqlite3_stmt *st;
	const char *base;

	(void)error;
	if (fc->manifest) {
		read_manifest(ac, buf_str(&fc->text));
		buf_free(&fc->text);
		free(fc->path);
		free(fc);
		return;
	}
	ingest_end(fc->in, &is);
	flush_hits(fc);
	vec_free(&fc->hits);
	ac->files++;
	vec_push(&ac->hashes, xasprintf("%s\t%s", fc->path, is.sha256));
	if (duplicate(fc, is.sha256)) {
		run(ac->db, "ROLLBACK TO file");
		run(ac->db, "RELEASE file");
		ac->dups++;
		ac->stored -= fc->stored;
		free(fc->path);
		free(fc);
		return;
	}
	st = db_stmt(ac->db, ST_FILE_FINISH);
	db_bind_int(st, 1, fc->id);
	db_bind_text(st, 2, is.sha256);
	db_bind_text(st, 3, is.unparsed ? "unparsed" : log_format_name(is.format));
	db_bind_text(st, 4, is.encoding);
	db_bind_int(st, 5, (int64_t)is.bytes);
	db_bind_int(st, 6, is.lines);
	db_bind_int(st, 7, is.records);
	db_bind_int(st, 8, fc->stored);
	db_bind_int(st, 9, fc->errors);
	db_bind_int(st, 10, fc->warnings);
	db_bind_int(st, 11, is.problems);
	if (fc->first != TIME_NONE) {
		db_bind_int(st, 12, fc->first);
		db_bind_int(st, 13, fc->last);
	}
	db_step(ac->db, st);
	run(ac->db, "RELEASE file");
	base = strrchr(fc->path, '/');
	ac->roles |= role_of_file(base ? base + 1 : fc->path, is.format);
	if (is.tz_found != TZ_UNKNOWN && ac->tz == TZ_UNKNOWN)
		ac->tz = is.tz_found;
	free(fc->path);
	free(fc);
}

/* "site-server+client" from role bits; "unknown" for none. */
static void
role_string(unsigned roles, struct buf *b)
{
	static const char *const names[] = { "site-server", "wsus-server",
	    "client" };
	int i;

	buf_reset(b);
	for (i = 0; i < 3; i++)
		if (roles & (1u << i)) {
			if (b->len)
				buf_putc(b, '+');
			buf_puts(b, names[i]);
		}
	if (b->len == 0)
		buf_puts(b, "unknown");
}

/* Role bits from a user's or manifest's text; 0 when invalid. */
static unsigned
parse_roles(const char *s)
{
	unsigned r = 0;

	while (*s) {
		size_t n = strcspn(s, "+,");
		if (n == 11 && kb_strncasecmp(s, "site-server", n) == 0)
			r |= ROLE_SITE;
		else if (n == 11 && kb_strncasecmp(s, "wsus-server", n) == 0)
			r |= ROLE_WSUS;
		else if (n == 6 && kb_strncasecmp(s, "client", n) == 0)
			r |= ROLE_CLIENT;
		else
			return 0;
		s += n + (s[n] != '\0');
	}
	return r;
}

/* The sources a host of the given roles is expected to have. */
static const struct expect {
	unsigned	 role;
	const char	*source;
	const char	*name;		/* file name prefix, or NULL */
	enum log_format	 format;	/* or LOG_UNKNOWN */
} expected[] = {
	{ ROLE_SITE, "wsyncmgr.log", "wsyncmgr", LOG_UNKNOWN },
	{ ROLE_SITE, "WCM.log", "wcm", LOG_UNKNOWN },
	{ ROLE_WSUS, "SoftwareDistribution.log", "softwaredistribution",
	    LOG_SOFTDIST },
	{ ROLE_WSUS, "IIS logs", NULL, LOG_IIS },
	{ ROLE_WSUS, "HTTPERR logs", NULL, LOG_HTTPERR },
	{ ROLE_WSUS, "applicationHost.config", "applicationhost", LOG_IIS_CONFIG },
	{ ROLE_WSUS, "service states", NULL, LOG_SERVICES },
	{ ROLE_WSUS, "event logs", NULL, LOG_EVT_XML },
	{ ROLE_CLIENT, "WindowsUpdate.log", "windowsupdate", LOG_WU_LEGACY },
	{ ROLE_CLIENT, "Windows Update policy (registry)", NULL, LOG_REGISTRY },
};

/* Does a stored file count for an expected source? */
static int
file_matches(const struct expect *e, const char *path, const char *format)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (e->name && kb_strncasecmp(base, e->name, strlen(e->name)) == 0)
		return 1;
	if (e->format == LOG_UNKNOWN)
		return 0;
	if (strcmp(format, log_format_name(e->format)) == 0)
		return 1;
	/* Related formats fill the same need. */
	if (e->format == LOG_EVT_XML)
		return strncmp(format, "event-", 6) == 0 ||
		    strcmp(format, "evtx") == 0;
	if (e->format == LOG_WU_LEGACY)
		return strcmp(format, "wu-etw") == 0;
	if (e->format == LOG_SERVICES)
		return strcmp(format, "appcmd") == 0;
	return 0;
}

/* Recomputes what a host has of what its roles need. */
static void
coverage(struct db *db, int64_t host, unsigned roles)
{
	struct vec files = {0};
	sqlite3_stmt *st;
	size_t i, k;

	st = db_stmt(db, ST_COVERAGE_CLEAR);
	db_bind_int(st, 1, host);
	db_step(db, st);
	st = db_stmt(db, ST_FILES_OF_HOST);
	db_bind_int(st, 1, host);
	while (db_step(db, st) == SQLITE_ROW)
		vec_push(&files, xasprintf("%s\t%s\t%lld\t%lld",
		    db_col_text(st, 0), db_col_text(st, 1),
		    (long long)sqlite3_column_int64(st, 3),
		    (long long)sqlite3_column_int64(st, 5)));
	for (k = 0; k < sizeof(expected) / sizeof(expected[0]); k++) {
		const struct expect *e = &expected[k];
		long n = 0, parsed = 0, nonempty = 0;
		const char *status;
		if (!(roles & e->role))
			continue;
		for (i = 0; i < files.n; i++) {
			char *row = xstrdup(files.v[i]), *f[4], *p = row;
			int j;
			for (j = 0; j < 4; j++) {
				f[j] = p;
				p = strchr(p, '\t');
				if (p)
					*p++ = '\0';
				else
					p = "";
			}
			if (file_matches(e, f[0], f[1])) {
				n++;
				parsed += strcmp(f[1], "unparsed") != 0;
				nonempty += atoll(f[2]) > 0 && atoll(f[3]) > 0;
			}
			free(row);
		}
		status = n == 0 ? "missing" : nonempty > 0 ? "present" :
		    parsed < n ? "unparsed" : "empty";
		st = db_stmt(db, ST_COVERAGE_PUT);
		db_bind_int(st, 1, host);
		db_bind_text(st, 2, e->source);
		db_bind_text(st, 3, status);
		db_bind_int(st, 4, n);
		db_step(db, st);
	}
	for (i = 0; i < files.n; i++)
		free(files.v[i]);
	vec_free(&files);
}

/* The content's favourite host name, or NULL. */
static const char *
voted_name(const struct addctx *ac)
{
	const struct vote *best = NULL;
	size_t i;

	for (i = 0; i < ac->votes.n; i++) {
		const struct vote *v = ac->votes.v[i];
		if (best == NULL || v->count > best->count)
			best = v;
	}
	return best ? best->name : NULL;
}

/* A host name from the bundle's own name: "SUP01.zip" -> "SUP01". */
static char *
name_from_source(const char *src)
{
	const char *b = strrchr(src, '/');
	char *n, *dot;
	size_t len;

	b = b ? b + 1 : src;
	if (*b == '\0') {	/* "folder/" */
		len = strlen(src);
		while (len > 1 && src[len - 1] == '/')
			len--;
		n = xstrndup(src, len);
		b = strrchr(n, '/');
		char *r = xstrdup(b ? b + 1 : n);
		free(n);
		n = r;
	} else
		n = xstrdup(b);
	if ((dot = strchr(n, '.')) != NULL && dot != n)
		*dot = '\0';
	return n;
}

/*
 * Names the bundle's provisional host (option, manifest, content, file
 * name), merging it into an existing host of that name, then fixes the
 * host's local times and coverage.
 */
static void
settle_host(struct addctx *ac, struct buf *summary)
{
	struct buf role = {0};
	sqlite3_stmt *st;
	const char *how = "content";
	char *name;
	unsigned roles = ac->roles;
	int64_t host = ac->host;

	if (ac->opt_host)
		name = xstrdup(ac->opt_host);
	else if (ac->man_host)
		name = xstrdup(ac->man_host);
	else if (voted_name(ac))
		name = xstrdup(voted_name(ac));
	else
		name = name_from_source(ac->src);
	if (ac->opt_role && parse_roles(ac->opt_role)) {
		roles = parse_roles(ac->opt_role);
		how = "option";
	} else if (ac->man_role && parse_roles(ac->man_role)) {
		roles = parse_roles(ac->man_role);
		how = "manifest";
	}
	st = db_stmt(ac->db, ST_HOST_FIND);
	db_bind_int(st, 1, ac->incident);
	db_bind_text(st, 2, name);
	if (db_step(ac->db, st) == SQLITE_ROW) {
		int64_t other = sqlite3_column_int64(st, 0);
		/* Same host, another bundle: join it; roles add up. */
		roles |= parse_roles(db_col_text(st, 1));
		st = db_stmt(ac->db, ST_HOST_MOVE_FILES);
		db_bind_int(st, 1, host);
		db_bind_int(st, 2, other);
		db_step(ac->db, st);
		st = db_stmt(ac->db, ST_HOST_DELETE);
		db_bind_int(st, 1, host);
		db_step(ac->db, st);
		host = other;
	}
	role_string(roles, &role);
	st = db_stmt(ac->db, ST_HOST_UPDATE);
	db_bind_int(st, 1, host);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, role.data);
	db_bind_text(st, 4, how);
	if (ac->tz != TZ_UNKNOWN)
		db_bind_int(st, 5, ac->tz);
	db_step(ac->db, st);
	if (ac->tz != TZ_UNKNOWN) {
		st = db_stmt(ac->db, ST_HOST_TZ_FIX);
		db_bind_int(st, 1, host);
		db_bind_int(st, 2, ac->tz);
		db_step(ac->db, st);
	}
	coverage(ac->db, host, roles);
	buf_printf(summary, "host %s (%s)", name, role.data);
	buf_free(&role);
	free(name);
}

/* SHA-256 over the sorted "path\tsha" lines: the bundle's identity. */
static void
bundle_hash(struct addctx *ac, char out[65])
{
	struct sha256_ctx c;
	unsigned char d[SHA256_DIGEST_SIZE];
	size_t i;

	vec_sort_str(&ac->hashes);
	sha256_init(&c);
	for (i = 0; i < ac->hashes.n; i++) {
		sha256_update(&c, strlen(ac->hashes.v[i]), ac->hashes.v[i]);
		sha256_update(&c, 1, (const uint8_t *)"\n");
	}
	sha256_digest(&c, sizeof(d), d);
	hex_encode(d, sizeof(d), out);
}

/* Adds one bundle inside the command's transaction; 0, 1 or -1. */
static int
add_bundle(struct db *db, int64_t incident, const char *src,
    const char *opt_host, const char *opt_role)
{
	struct addctx ac;
	struct bundle_sink sink = { sink_begin, sink_feed, sink_end, NULL };
	struct bundle_limits lim;
	struct buf summary = {0};
	sqlite3_stmt *st;
	char now[32], sha[65], tmpname[64];
	size_t i;
	int rc;

	memset(&ac, 0, sizeof(ac));
	ac.db = db;
	ac.incident = incident;
	ac.src = src;
	ac.opt_host = opt_host;
	ac.opt_role = opt_role;
	ac.tz = TZ_UNKNOWN;
	sink.arg = &ac;
	now_iso(now);
	run(db, "SAVEPOINT bundle");
	st = db_stmt(db, ST_BUNDLE_INSERT);
	db_bind_int(st, 1, incident);
	db_bind_text(st, 2, src);
	db_bind_text(st, 3, now);
	db_step(db, st);
	ac.bundle = sqlite3_last_insert_rowid(db->h);
	snprintf(tmpname, sizeof(tmpname), "\001bundle-%lld", (long long)ac.bundle);
	st = db_stmt(db, ST_HOST_INSERT);
	db_bind_int(st, 1, incident);
	db_bind_text(st, 2, tmpname);
	db_bind_text(st, 3, "unknown");
	db_bind_text(st, 4, "content");
	db_step(db, st);
	ac.host = sqlite3_last_insert_rowid(db->h);

	bundle_limits_default(&lim);
	rc = bundle_read(src, &lim, &sink);
	bundle_hash(&ac, sha);
	st = db_stmt(db, ST_BUNDLE_FIND);
	db_bind_int(st, 1, incident);
	db_bind_text(st, 2, sha);
	if (rc >= 0 && ac.files > 0 && ac.dups == ac.files &&
	    db_step(db, st) == SQLITE_ROW) {
		diag(DIAG_NOTE, src, 0, 0, "already in the incident (same "
		    "content as '%s'); nothing to do", db_col_text(st, 1));
		run(db, "ROLLBACK TO bundle");
	} else if (rc < 0 && ac.files == 0) {
		run(db, "ROLLBACK TO bundle");
	} else {
		st = db_stmt(db, ST_BUNDLE_SET_SHA);
		db_bind_int(st, 1, ac.bundle);
		db_bind_text(st, 2, sha);
		if (db_step(db, st) == SQLITE_CONSTRAINT) {
			/* Same content as an earlier bundle under another
			 * name, partly new files: keep, with a suffix. */
			char *alt = xasprintf("%s+%lld", sha, (long long)ac.bundle);
			st = db_stmt(db, ST_BUNDLE_SET_SHA);
			db_bind_int(st, 1, ac.bundle);
			db_bind_text(st, 2, alt);
			db_step(db, st);
			free(alt);
		}
		settle_host(&ac, &summary);
		if (!diag_quiet)
			fprintf(stderr, "kbgen: %s: %s, %ld files (%ld already "
			    "in the incident), %ld records, %ld kept\n", src,
			    buf_str(&summary), ac.files, ac.dups, ac.records,
			    ac.stored);
	}
	run(db, "RELEASE bundle");
	for (i = 0; i < ac.votes.n; i++) {
		struct vote *v = ac.votes.v[i];
		free(v->name);
		free(v);
	}
	vec_free(&ac.votes);
	for (i = 0; i < ac.hashes.n; i++)
		free(ac.hashes.v[i]);
	vec_free(&ac.hashes);
	free(ac.man_host);
	free(ac.man_role);
	buf_free(&summary);
	return rc;
}

/* The incident's id, creating it when asked; 0 when absent. */
static int64_t
incident_id(struct db *db, const char *name, int create, int sample)
{
	sqlite3_stmt *st = db_stmt(db, ST_INCIDENT_ID);
	char now[32];

	db_bind_text(st, 1, name);
	if (db_step(db, st) == SQLITE_ROW)
		return sqlite3_column_int64(st, 0);
	if (!create)
		return 0;
	now_iso(now);
	st = db_stmt(db, ST_INCIDENT_INSERT);
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, now);
	db_bind_int(st, 3, sample);
	db_step(db, st);
	return sqlite3_last_insert_rowid(db->h);
}

int
incident_add(struct db *db, const char *name, char *const *bundles, int n,
    const char *host, const char *role, int sample)
{
	int64_t id;
	int i, rc = 0;

	if (db_exec(db, ST_BEGIN) != SQLITE_DONE)
		die("%s: cannot start a transaction", db->path);
	id = incident_id(db, name, 1, sample);
	for (i = 0; i < n; i++)
		if (add_bundle(db, id, bundles[i], host, role) != 0)
			rc = -1;
	if (db_exec(db, ST_COMMIT) != SQLITE_DONE)
		die("%s: cannot commit", db->path);
	return rc;
}

/* `incident list`. */
static int
inc_list(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, ST_INCIDENT_LIST);
	int n = 0;

	while (db_step(db, st) == SQLITE_ROW) {
		if (n++ == 0)
			printf("%-24s %5s %5s %7s %8s  %s\n", "NAME", "HOSTS",
			    "FILES", "ERRORS", "WARNINGS", "CREATED");
		printf("%-24s %5d %5d %7d %8d  %s%s\n", db_col_text(st, 0),
		    sqlite3_column_int(st, 3), sqlite3_column_int(st, 4),
		    sqlite3_column_int(st, 5), sqlite3_column_int(st, 6),
		    db_col_text(st, 1), sqlite3_column_int(st, 2) ?
		    "  (sample)" : "");
	}
	if (n == 0)
		printf("no incidents\n");
	return EXIT_OK;
}

/* ms -> "2024-05-01T10:00:00.000Z", or "-". */
static void
utc_text(sqlite3_stmt *st, int col, char out[40])
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		snprintf(out, 40, "-");
	else
		format_iso(sqlite3_column_int64(st, col), 0, out);
}

/* `incident show NAME`: hosts, files, coverage. */
static int
inc_show(struct db *db, const char *name)
{
	sqlite3_stmt *st, *fs, *cs;
	int64_t id = incident_id(db, name, 0, 0);
	struct vec hosts = {0};
	size_t i;

	if (id == 0) {
		diag(DIAG_ERROR, NULL, 0, 0, "no incident '%s'", name);
		return EXIT_INPUT;
	}
	printf("incident %s\n", name);
	st = db_stmt(db, ST_HOSTS_OF);
	db_bind_int(st, 1, id);
	while (db_step(db, st) == SQLITE_ROW) {
		char tz[32];
		if (sqlite3_column_type(st, 4) == SQLITE_NULL)
			snprintf(tz, sizeof(tz), "unknown");
		else {
			int m = sqlite3_column_int(st, 4);
			snprintf(tz, sizeof(tz), "UTC%c%02d:%02d", m < 0 ? '-' : '+',
			    abs(m) / 60, abs(m) % 60);
		}
		vec_push(&hosts, xasprintf("%lld\thost %s  role %s (from %s)  "
		    "time zone %s  files %d", (long long)sqlite3_column_int64(st, 0),
		    db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3), tz,
		    sqlite3_column_int(st, 5)));
	}
	for (i = 0; i < hosts.n; i++) {
		char *row = hosts.v[i], *tab = strchr(row, '\t');
		int64_t hid = strtoll(row, NULL, 10);
		printf("\n%s\n", tab + 1);
		fs = db_stmt(db, ST_FILES_OF_HOST);
		db_bind_int(fs, 1, hid);
		while (db_step(db, fs) == SQLITE_ROW) {
			char a[40], b[40];
			utc_text(fs, 10, a);
			utc_text(fs, 11, b);
			printf("  %-44s %-11s %-12s %7d lines %6d records %5d kept "
			    "%4d err %4d warn  %s .. %s\n", db_col_text(fs, 0),
			    db_col_text(fs, 1), db_col_text(fs, 2),
			    sqlite3_column_int(fs, 4), sqlite3_column_int(fs, 5),
			    sqlite3_column_int(fs, 6), sqlite3_column_int(fs, 7),
			    sqlite3_column_int(fs, 8), a, b);
		}
		cs = db_stmt(db, ST_COVERAGE_OF);
		db_bind_int(cs, 1, hid);
		printf("  coverage:");
		while (db_step(db, cs) == SQLITE_ROW)
			printf(" %s=%s", db_col_text(cs, 0), db_col_text(cs, 1));
		printf("\n");
		free(row);
	}
	vec_free(&hosts);
	return EXIT_OK;
}

int
cmd_incident(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "role", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const char *host = NULL, *role = NULL, *verb;
	struct db *db;
	int ch;

	while ((ch = getopt_long(argc, argv, "H:r:", opts, NULL)) != -1) {
		if (ch == 'H')
			host = optarg;
		else if (ch == 'r')
			role = optarg;
		else
			return usage_error(c->usage, "%s", "bad option");
	}
	if (optind >= argc)
		return usage_error(c->usage, "%s", "expected add, list, show or rm");
	verb = argv[optind++];
	if (role && parse_roles(role) == 0)
		return usage_error(c->usage, "unknown role '%s'", role);
	if (strcmp(verb, "list") == 0 && optind == argc)
		return inc_list(ctx_db(c, 1));
	if (strcmp(verb, "show") == 0 && optind + 1 == argc)
		return inc_show(ctx_db(c, 1), argv[optind]);
	if (strcmp(verb, "rm") == 0 && optind + 1 == argc) {
		db = ctx_db(c, 0);
		if (incident_id(db, argv[optind], 0, 0) == 0) {
			diag(DIAG_ERROR, NULL, 0, 0, "no incident '%s'",
			    argv[optind]);
			return EXIT_INPUT;
		}
		sqlite3_stmt *st = db_stmt(db, ST_INCIDENT_DELETE);
		db_bind_text(st, 1, argv[optind]);
		db_step(db, st);
		return EXIT_OK;
	}
	if (strcmp(verb, "add") == 0 && argc - optind >= 2)
		return incident_add(ctx_db(c, 0), argv[optind], argv + optind + 1,
		    argc - optind - 1, host, role, 0) == 0 ? EXIT_OK : EXIT_INPUT;
	return usage_error(c->usage, "bad arguments for '%s'", verb);
}

/* ---- dump records / signals ---------------------------------------- */

static const char *const sev_names[] = { "-", "info", "warning", "error" };

/* Local time of a record row (cols: utc, local, tz) as ISO text. */
static void
local_text(sqlite3_stmt *st, int lcol, int tzcol, char out[40])
{
	if (sqlite3_column_type(st, lcol) == SQLITE_NULL) {
		snprintf(out, 40, "-");
		return;
	}
	format_iso(sqlite3_column_int64(st, lcol),
	    sqlite3_column_type(st, tzcol) == SQLITE_NULL ? TZ_UNKNOWN :
	    sqlite3_column_int(st, tzcol), out);
}

int
dump_records(struct db *db, const char *name, int json)
{
	sqlite3_stmt *st = db_stmt(db, ST_RECORDS_OF_INCIDENT);
	struct buf b = {0};
	char u[40], l[40];
	int sev;

	if (incident_id(db, name, 0, 0) == 0) {
		diag(DIAG_ERROR, NULL, 0, 0, "no incident '%s'", name);
		return EXIT_INPUT;
	}
	db_bind_text(st, 1, name);
	while (db_step(db, st) == SQLITE_ROW) {
		utc_text(st, 3, u);
		local_text(st, 4, 5, l);
		sev = sqlite3_column_int(st, 6);
		sev = sev < 0 || sev > 3 ? 0 : sev;
		buf_reset(&b);
		if (json) {
			buf_puts(&b, "{\"host\":");
			json_string(&b, db_col_text(st, 0));
			buf_puts(&b, ",\"file\":");
			json_string(&b, db_col_text(st, 1));
			buf_printf(&b, ",\"line\":%d,\"time_utc\":",
			    sqlite3_column_int(st, 2));
			json_string(&b, u);
			buf_puts(&b, ",\"time_local\":");
			json_string(&b, l);
			buf_puts(&b, ",\"severity\":");
			json_string(&b, sev_names[sev]);
			buf_puts(&b, ",\"component\":");
			json_string(&b, db_col_text(st, 7));
			buf_puts(&b, ",\"message\":");
			json_string(&b, db_col_text(st, 8));
			buf_puts(&b, "}\n");
		} else {
			const char *m = db_col_text(st, 8);
			buf_printf(&b, "%s %s:%d %s (%s) %s %s: ", db_col_text(st, 0),
			    db_col_text(st, 1), sqlite3_column_int(st, 2), u, l,
			    sev_names[sev], *db_col_text(st, 7) ?
			    db_col_text(st, 7) : "-");
			for (; *m; m++)
				if (*m == '\n')
					buf_puts(&b, "\\n");
				else if (*m != '\r')
					buf_putc(&b, *m);
			buf_putc(&b, '\n');
		}
		fputs(b.data, stdout);
	}
	buf_free(&b);
	return EXIT_OK;
}

int
dump_signals(struct db *db, const char *name, int json)
{
	sqlite3_stmt *st = db_stmt(db, ST_SIGNALS_OF_INCIDENT);
	struct buf b = {0};
	char u[40];

	if (incident_id(db, name, 0, 0) == 0) {
		diag(DIAG_ERROR, NULL, 0, 0, "no incident '%s'", name);
		return EXIT_INPUT;
	}
	db_bind_text(st, 1, name);
	while (db_step(db, st) == SQLITE_ROW) {
		utc_text(st, 6, u);
		buf_reset(&b);
		if (json) {
			buf_puts(&b, "{\"kind\":");
			json_string(&b, db_col_text(st, 3));
			buf_puts(&b, ",\"value\":");
			json_string(&b, db_col_text(st, 4));
			buf_puts(&b, ",\"raw\":");
			json_string(&b, db_col_text(st, 5));
			buf_puts(&b, ",\"host\":");
			json_string(&b, db_col_text(st, 0));
			buf_puts(&b, ",\"file\":");
			json_string(&b, db_col_text(st, 1));
			buf_printf(&b, ",\"line\":%d,\"time_utc\":",
			    sqlite3_column_int(st, 2));
			json_string(&b, u);
			buf_puts(&b, "}\n");
		} else
			buf_printf(&b, "%s %s  %s %s:%d %s\n", db_col_text(st, 3),
			    db_col_text(st, 4), db_col_text(st, 0),
			    db_col_text(st, 1), sqlite3_column_int(st, 2), u);
		fputs(b.data, stdout);
	}
	buf_free(&b);
	return EXIT_OK;
}
