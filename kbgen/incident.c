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
#include "signals.h"
#include "ingest.h"
#include "bundle.h"
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
	const struct log_zone *zone;	/* its named zone (manifest), or NULL */
	struct vec	 hashes;	/* "path\tsha256" of every file */
	long		 files, dups, records, stored, overlap;
	struct buf	 scratch;	/* the JSON of an hour of IIS counts */
};

/* One file being read. */
struct filectx {
	struct addctx	*ac;
	int64_t		 id;
	char		*path;
	int32_t		 hint;		/* the host's zone when the file began */
	long		 stored, errors, warnings;
	int64_t		 first, last;	/* UTC ms, TIME_NONE when none */
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

/*
 * "host: X" / "host = X" lines of a manifest; "timezone: W. Europe
 * Standard Time" (the Windows zone name) gives the rules, DST included,
 * for local times written without a zone.
 */
static void
read_manifest(struct addctx *ac, const char *path, const char *text)
{
	const char *p = text;
	long lineno = 0;

	while (*p) {
		const char *nl = strchr(p, '\n'), *sep;
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, n), *k, *v;
		p += n + (nl != NULL);
		lineno++;
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
		} else if (vb.len && (kb_strcasecmp(kb.data, "timezone") == 0 ||
		    kb_strcasecmp(kb.data, "time zone") == 0 ||
		    kb_strcasecmp(kb.data, "tz") == 0)) {
			/* Files of an archive read before the manifest
			 * keep the offsets their host's logs revealed. */
			if ((ac->zone = log_zone_find(vb.data)) == NULL)
				diag(DIAG_WARNING, path, lineno, 0, "unknown "
				    "Windows time zone '%s': local times without "
				    "a zone use the offsets the logs reveal",
				    vb.data);
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
	/* The strings outlive the step (the writer's batch, the signals):
	 * bound without a copy, as most of an ingest is these inserts. */
	db_bind_int(st, 8, r->sev);
	db_bind_static(st, 9, r->component, r->component ?
	    strlen(r->component) : 0);
	db_bind_static(st, 10, r->thread, r->thread ? strlen(r->thread) : 0);
	db_bind_static(st, 11, r->msg ? r->msg : "", r->msg ? r->msg_len : 0);
	db_step(db, st);
	rid = sqlite3_last_insert_rowid(db->h);
	for (i = 0; i < sg->n; i++) {
		st = db_stmt(db, ST_SIGNAL_INSERT);
		db_bind_int(st, 1, rid);
		db_bind_static(st, 2, sg->v[i].kind, strlen(sg->v[i].kind));
		db_bind_static(st, 3, sg->v[i].value, strlen(sg->v[i].value));
		db_bind_static(st, 4, sg->v[i].raw, strlen(sg->v[i].raw));
		db_step(db, st);
	}
	fc->stored++;
	fc->ac->stored++;
}

/* Appends v in decimal (a row of http_hour has a few hundred). */
static void
put_uint(struct buf *b, uint64_t v)
{
	char d[20];

	buf_put(b, d, kb_utoa(v, d));
}

/* Stores the minutes m[0..n) of one UTC hour as a row of http_hour. */
static void
store_hour(struct filectx *fc, int64_t hour, const char *endpoint,
    int status, const struct hit_minute *m, size_t n)
{
	sqlite3_stmt *st = db_stmt(fc->ac->db, ST_HTTP_HOUR_ADD);
	struct buf *js = &fc->ac->scratch;
	int64_t requests = 0, first = m[0].first_line;
	size_t i;

	buf_reset(js);
	buf_putc(js, '[');
	for (i = 0; i < n; i++) {
		requests += m[i].count;
		if (m[i].first_line < first)
			first = m[i].first_line;
		if (i)
			buf_putc(js, ',');
		buf_putc(js, '[');
		put_uint(js, (uint64_t)m[i].minute);
		buf_putc(js, ',');
		put_uint(js, m[i].count);
		buf_putc(js, ',');
		put_uint(js, (uint64_t)m[i].first_line);
		buf_putc(js, ']');
	}
	buf_putc(js, ']');
	db_bind_int(st, 1, fc->id);
	db_bind_int(st, 2, hour);
	db_bind_static(st, 3, endpoint, strlen(endpoint));
	db_bind_int(st, 4, status);
	db_bind_int(st, 5, requests);
	db_bind_int(st, 6, first);
	db_bind_static(st, 7, js->data, js->len);
	db_step(fc->ac->db, st);
}

/*
 * An hour of IIS requests to one endpoint with one status (the pipeline
 * counts them).  Counted in local time before the zone was known, they
 * move by the zone the host's other files revealed (an hour can become
 * two: zones of half and quarter hours), or without one all fall in
 * minute 0 of 1970, as times unknown do.
 */
static void
on_hit(void *arg, int64_t hour, int local, const char *endpoint, int status,
    const struct hit_minute *m, size_t n)
{
	struct filectx *fc = arg;
	struct hit_minute v[60], one;
	int64_t shift, h0, t, h;
	size_t i, k;

	if (n == 0)
		return;
	if (local && fc->hint == TZ_UNKNOWN) {
		one = m[0];
		one.minute = 0;
		for (i = 1; i < n; i++) {
			one.count += m[i].count;
			if (m[i].first_line < one.first_line)
				one.first_line = m[i].first_line;
		}
		store_hour(fc, 0, endpoint, status, &one, 1);
		return;
	}
	shift = local ? -(int64_t)fc->hint * 60000 : 0;
	if (shift % 3600000 == 0) {
		store_hour(fc, hour + shift, endpoint, status, m, n);
		return;
	}
	for (i = 0, k = 0, h0 = 0; i < n && n <= 60; i++) {
		t = hour + shift + (int64_t)m[i].minute * 60000;
		h = t - (t % 3600000 + 3600000) % 3600000;
		if (k && h != h0) {
			store_hour(fc, h0, endpoint, status, v, k);
			k = 0;
		}
		h0 = h;
		v[k] = m[i];
		v[k++].minute = (int32_t)((t - h) / 60000);
	}
	if (k)
		store_hour(fc, h0, endpoint, status, v, k);
}

/* A client address of an IIS or HTTPERR log (the pipeline finds them). */
static void
on_client(void *arg, const char *ip, long line, int64_t utc)
{
	struct filectx *fc = arg;
	sqlite3_stmt *st = db_stmt(fc->ac->db, ST_CLIENT_SEEN_ADD);

	db_bind_int(st, 1, fc->id);
	db_bind_static(st, 2, ip, strlen(ip));
	db_bind_int(st, 3, line);
	if (utc != TIME_NONE)
		db_bind_int(st, 4, utc);
	db_step(fc->ac->db, st);
}

/*
 * Every record of a file worth a look comes here, scanned (the pipeline
 * counts the others).  A local time without a zone takes the zone the
 * host's other files revealed before this one began, as a parser would
 * have been told.
 */
static void
on_record(void *arg, const struct record *rec, const struct signals *scanned)
{
	struct filectx *fc = arg;
	struct addctx *ac = fc->ac;
	struct record zr;
	const struct record *r = rec;
	int64_t utc = TIME_NONE;
	const char *v;

	ac->records++;
	if (r->local_ms != TIME_NONE && !r->utc && r->tz_min == TZ_UNKNOWN &&
	    fc->hint != TZ_UNKNOWN) {
		zr = *rec;
		zr.tz_min = fc->hint;
		r = &zr;
	}
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
	store_record(fc, r, utc, scanned);
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

/* The pipeline's questions (reader thread): manifests are read whole. */
static int
sink_is_text(void *arg, const char *name)
{
	(void)arg;
	return bundle_is_manifest(name);
}

static void
sink_text(void *arg, const char *label, const char *text)
{
	read_manifest(arg, label, text);
}

static const struct log_zone *
sink_zone(void *arg)
{
	return ((struct addctx *)arg)->zone;
}

/* A file begins (writer, in bundle order): its row, in a savepoint. */
static void *
sink_begin(void *arg, const char *path, const char *name)
{
	struct addctx *ac = arg;
	struct filectx *fc = xcalloc(1, sizeof(*fc));
	sqlite3_stmt *st;

	(void)name;
	fc->ac = ac;
	fc->path = xstrdup(path);
	run(ac->db, "SAVEPOINT file");
	st = db_stmt(ac->db, ST_FILE_INSERT);
	db_bind_int(st, 1, ac->host);
	db_bind_int(st, 2, ac->bundle);
	db_bind_text(st, 3, path);
	db_step(ac->db, st);
	fc->id = sqlite3_last_insert_rowid(ac->db->h);
	fc->first = fc->last = TIME_NONE;
	fc->hint = ac->tz;
	return fc;
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

/* Merges the times of records the pipeline only counted. */
static void
quiet_times(struct filectx *fc, const struct ingest_quiet *q)
{
	int64_t a = q->first, b = q->last;
	int i;

	for (i = 0; i < 2; i++) {
		if (a != TIME_NONE) {
			if (fc->first == TIME_NONE || a < fc->first)
				fc->first = a;
			if (fc->last == TIME_NONE || b > fc->last)
				fc->last = b;
		}
		/* Then those without a zone, in the host's. */
		if (q->lfirst == TIME_NONE || fc->hint == TZ_UNKNOWN)
			break;
		a = q->lfirst - (int64_t)fc->hint * 60000;
		b = q->llast - (int64_t)fc->hint * 60000;
	}
}

/* A file ends (writer): counts, or a rollback when already there. */
static void
sink_end(void *file, const struct ingest_stats *isp,
    const struct ingest_quiet *quiet)
{
	struct filectx *fc = file;
	struct addctx *ac = fc->ac;
	struct ingest_stats is = *isp;
	sqlite3_stmt *st;
	const char *base;

	ac->records += quiet->records;
	fc->errors += quiet->errors;
	fc->warnings += quiet->warnings;
	quiet_times(fc, quiet);
	if (is.ips_full) {
		char *label = xasprintf("%s/%s", ac->src, fc->path);
		diag(DIAG_WARNING, label, 0, 0, "more than %d client addresses: "
		    "only the first %d are told", INGEST_IPS_MAX, INGEST_IPS_MAX);
		free(label);
	}
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

static int	series_key(const char *, struct buf *);

/*
 * Recomputes what a host has of what its roles need.  The pieces of a
 * rotated log count once ("wsyncmgr.lo_" and "wsyncmgr.log": one file).
 */
static void
coverage(struct db *db, int64_t host, unsigned roles)
{
	struct vec files = {0}, seen = {0};
	struct buf key = {0};
	sqlite3_stmt *st;
	size_t i, k, m;

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
		long n = 0, nfiles = 0, parsed = 0, nonempty = 0;
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
				nfiles++;
				parsed += strcmp(f[1], "unparsed") != 0;
				nonempty += atoll(f[2]) > 0 && atoll(f[3]) > 0;
				if (series_key(f[0], &key) < 0)
					buf_reset(&key), buf_puts(&key, f[0]);
				for (m = 0; m < seen.n; m++)
					if (strcmp(seen.v[m], buf_str(&key)) == 0)
						break;
				if (m == seen.n) {
					vec_push(&seen, xstrdup(buf_str(&key)));
					n++;
				}
			}
			free(row);
		}
		for (m = 0; m < seen.n; m++)
			free(seen.v[m]);
		seen.n = 0;
		status = n == 0 ? "missing" : nonempty > 0 ? "present" :
		    parsed < nfiles ? "unparsed" : "empty";
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
	vec_free(&seen);
	buf_free(&key);
}

/* ---- rotated logs ---------------------------------------------------- */

/*
 * The series a file is a piece of, as a lower-case key in out (folder
 * kept): "Logs/wsyncmgr.lo_" and "Logs/wsyncmgr.log" -> "logs/wsyncmgr.log";
 * ConfigMgr's "X-20240612-084400.log" -> "x.log"; "WindowsUpdate.old",
 * "X.log.bak", "X.bak", "X.log.old", "X.log.1" -> "….log".  Returns 1 for
 * a rotated piece, 0 for the live file; -1 when the name is no log.
 */
static int
series_key(const char *path, struct buf *out)
{
	const char *base = path_base(path), *dot;
	size_t n = strlen(path), b = (size_t)(base - path), stem;
	int rotated = 0;

	buf_reset(out);
	if ((dot = strrchr(base, '.')) == NULL || dot == base)
		return -1;
	stem = (size_t)(dot - path);
	if (kb_strcasecmp(dot, ".log") == 0)
		;
	else if (kb_strcasecmp(dot, ".lo_") == 0 ||
	    kb_strcasecmp(dot, ".old") == 0 || kb_strcasecmp(dot, ".bak") == 0 ||
	    (dot[1] >= '0' && dot[1] <= '9' && dot[2] == '\0'))
		rotated = 1;
	else
		return -1;
	/* "X.log.bak", "X.log.1": the stem is "X". */
	if (rotated && stem - b > 4 && kb_strncasecmp(path + stem - 4, ".log",
	    4) == 0)
		stem -= 4;
	else if (rotated && kb_strcasecmp(dot, ".lo_") != 0 &&
	    kb_strcasecmp(dot, ".old") != 0 && kb_strcasecmp(dot, ".bak") != 0)
		return -1;	/* "X.1" alone is no log */
	/* ConfigMgr's history: "-YYYYMMDD-HHMMSS" before ".log". */
	if (stem - b > 16 && path[stem - 16] == '-' && path[stem - 7] == '-') {
		size_t i, digits = 0;
		for (i = stem - 15; i < stem; i++)
			digits += i != stem - 7 && kb_isdigit((unsigned char)path[i]);
		if (digits == 14) {
			stem -= 16;
			rotated = 1;
		}
	}
	(void)n;
	buf_put(out, path, stem);
	buf_puts(out, ".log");
	for (n = 0; n < out->len; n++)
		out->data[n] = (char)kb_tolower((unsigned char)out->data[n]);
	return rotated;
}

/* A piece of a series. */
struct piece {
	int64_t		 id;
	char		*path;
	char		*key;
	int		 rotated;
	int64_t		 first;		/* UTC ms, TIME_NONE when unknown */
};

/* Pieces of a series: by key, then oldest first (by the time of their
 * records; rotated copies before the live file; then by name). */
static int
piece_cmp(const void *a, const void *b)
{
	const struct piece *x = *(struct piece *const *)a,
	    *y = *(struct piece *const *)b;
	int c;

	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	if (x->first != TIME_NONE && y->first != TIME_NONE &&
	    x->first != y->first)
		return x->first < y->first ? -1 : 1;
	if (x->rotated != y->rotated)
		return y->rotated - x->rotated;
	return strcmp(x->path, y->path);
}

/*
 * Joins the rotated logs of a host: within a series, records of an older
 * piece that the next piece repeats (a collector's copies overlap: same
 * instant, same message) are dropped from the older piece, so each is
 * stored once and still points at a real file:line.  Says how many.
 */
static void
join_series(struct addctx *ac, int64_t host)
{
	struct vec v = {0};
	struct buf key = {0};
	sqlite3_stmt *st = db_stmt(ac->db, ST_SERIES_FILES);
	size_t i;
	int r;

	db_bind_int(st, 1, host);
	while (db_step(ac->db, st) == SQLITE_ROW) {
		struct piece *p;
		if ((r = series_key(db_col_text(st, 1), &key)) < 0)
			continue;
		p = xcalloc(1, sizeof(*p));
		p->id = sqlite3_column_int64(st, 0);
		p->path = xstrdup(db_col_text(st, 1));
		p->key = buf_detach(&key);
		p->rotated = r;
		p->first = sqlite3_column_type(st, 2) == SQLITE_NULL ? TIME_NONE :
		    sqlite3_column_int64(st, 2);
		vec_push(&v, p);
	}
	if (v.n > 1)
		kb_qsort(v.v, v.n, sizeof(*v.v), piece_cmp);
	for (i = 0; i + 1 < v.n; i++) {
		struct piece *a = v.v[i], *b = v.v[i + 1];
		int dropped;
		if (strcmp(a->key, b->key) != 0 || b->first == TIME_NONE)
			continue;
		st = db_stmt(ac->db, ST_SERIES_DEDUP);
		db_bind_int(st, 1, a->id);
		db_bind_int(st, 2, b->id);
		db_bind_int(st, 3, b->first);
		db_step(ac->db, st);
		if ((dropped = sqlite3_changes(ac->db->h)) == 0)
			continue;
		st = db_stmt(ac->db, ST_FILE_UNSTORE);
		db_bind_int(st, 1, a->id);
		db_bind_int(st, 2, dropped);
		db_step(ac->db, st);
		ac->stored -= dropped;
		ac->overlap += dropped;
		{
			char *label = xasprintf("%s/%s", ac->src, a->path);
			diag(DIAG_NOTE, label, 0, 0, "%d record%s repeated at "
			    "the start of the next piece '%s'; stored once, "
			    "there", dropped, dropped == 1 ? "" : "s", b->path);
			free(label);
		}
	}
	for (i = 0; i < v.n; i++) {
		struct piece *p = v.v[i];
		free(p->path);
		free(p->key);
		free(p);
	}
	vec_free(&v);
	buf_free(&key);
}

/*
 * Local times still without a zone once the bundle is read: the host's
 * named zone decides each one (DST included), else the one offset its
 * logs revealed.
 */
static void
zone_host(struct addctx *ac, int64_t host)
{
	struct vec ids = {0};
	sqlite3_stmt *st;
	size_t i;

	if (ac->zone == NULL) {
		if (ac->tz == TZ_UNKNOWN)
			return;
		st = db_stmt(ac->db, ST_HOST_TZ_FIX);
		db_bind_int(st, 1, host);
		db_bind_int(st, 2, ac->tz);
		db_step(ac->db, st);
		return;
	}
	/* Collected first: the update changes what the query walks. */
	st = db_stmt(ac->db, ST_HOST_UNZONED);
	db_bind_int(st, 1, host);
	while (db_step(ac->db, st) == SQLITE_ROW) {
		int64_t *pair = xcalloc(2, sizeof(*pair));
		pair[0] = sqlite3_column_int64(st, 0);
		pair[1] = sqlite3_column_int64(st, 1);
		vec_push(&ids, pair);
	}
	for (i = 0; i < ids.n; i++) {
		int64_t *pair = ids.v[i];
		st = db_stmt(ac->db, ST_RECORD_SET_ZONE);
		db_bind_int(st, 1, pair[0]);
		db_bind_int(st, 2, log_zone_offset(ac->zone, pair[1]));
		db_step(ac->db, st);
		free(pair);
	}
	vec_free(&ids);
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
	zone_host(ac, host);
	join_series(ac, host);
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
	struct ingest_sink sink = { sink_is_text, sink_text, sink_zone,
	    sink_begin, on_record, on_hit, on_client, sink_end, NULL };
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
	rc = ingest_bundle(src, &lim, &sink);
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
	buf_free(&ac.scratch);
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

	db_exec(db, ST_INGEST_BEGIN);
	db_exec(db, ST_INGEST_CACHE);
	if (db_exec(db, ST_BEGIN) != SQLITE_DONE)
		die("%s: cannot start a transaction", db->path);
	id = incident_id(db, name, 1, sample);
	for (i = 0; i < n; i++)
		if (add_bundle(db, id, bundles[i], host, role) != 0)
			rc = -1;
	if (db_exec(db, ST_COMMIT) != SQLITE_DONE)
		die("%s: cannot commit", db->path);
	db_exec(db, ST_INGEST_END);
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

/* `incident show NAME`: hosts, files, IIS requests, coverage. */
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
		cs = db_stmt(db, ST_HTTP_OF_HOST);
		db_bind_int(cs, 1, hid);
		while (db_step(db, cs) == SQLITE_ROW) {
			char t[40];
			int uris = sqlite3_column_int(cs, 5);
			format_iso(sqlite3_column_int64(cs, 4), 0, t);
			printf("  http %-44s %3d %8lld requests, busiest minute "
			    "%lld (%.16sZ)", db_col_text(cs, 0),
			    sqlite3_column_int(cs, 1),
			    (long long)sqlite3_column_int64(cs, 2),
			    (long long)sqlite3_column_int64(cs, 3), t);
			if (uris > 1)
				printf(", %d URIs", uris);
			printf("\n");
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
	if (strcmp(verb, "add") == 0 && argc - optind >= 2) {
		int rc;
		/* A KB that does not exist yet is built aside and renamed
		 * into place (db_create()): no journal to write twice. */
		if (c->db == NULL)
			c->db = db_create(c->db_path);
		db = ctx_db(c, 0);
		rc = incident_add(db, argv[optind], argv + optind + 1,
		    argc - optind - 1, host, role, 0);
		db_publish(db);
		return rc == 0 ? EXIT_OK : EXIT_INPUT;
	}
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
