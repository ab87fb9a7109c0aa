/*
 * db.c -- the knowledge base: opening, schema and migrations, and the one
 * table of SQL statements (kcaldav style).  See db.h for the contract.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "fts.h"

/* The schema text, embedded from schema.sql at build time. */
extern const char kb_schema_sql[];

/* The schema version this kbgen writes; PRAGMA user_version. */
#define SCHEMA_VERSION 7

/* Migration 1 -> 2 (incidents), embedded from schema2.sql. */
extern const char kb_schema2_sql[];
/* Migration 2 -> 3 (rules), embedded from schema3.sql. */
extern const char kb_schema3_sql[];
/* Migration 3 -> 4 (client addresses of IIS logs), from schema4.sql. */
extern const char kb_schema4_sql[];
/* Migration 4 -> 5 (the folder cache of compile), from schema5.sql. */
extern const char kb_schema5_sql[];
/* Migration 5 -> 6 (IIS counts an hour to a row), from schema6.sql. */
extern const char kb_schema6_sql[];
/* Migration 6 -> 7 (covering indexes and front-matter columns for site
 * and incremental compile), from schema7.sql. */
extern const char kb_schema7_sql[];

/*
 * Every statement kbgen runs.  Parameters are numbered (?1 ...) so each
 * caller can bind by position; the comment on each row says what it is for.
 */
static const char *const sql[ST__MAX] = {
	/* ST_BEGIN: one write transaction per command (IMMEDIATE: take the
	 * write lock now so a concurrent writer fails early, not midway). */
	"BEGIN IMMEDIATE",
	/* ST_COMMIT */
	"COMMIT",
	/* ST_ROLLBACK */
	"ROLLBACK",
	/* ST_VERSION_TOUCH: unchanged content, newer mtime. */
	"UPDATE version SET bytes = ?2, mtime_ns = ?3, display_path = ?4 "
	"WHERE id = ?1",
	/* ST_VERSION_DELETE: cascades to sections, mentions, steps, links. */
	"DELETE FROM version WHERE id = ?1",
	/* ST_VERSION_PATHS: every compiled file, for pruning deleted ones
	 * and for the incremental check of those still there (from the
	 * index version_check alone: no row is read). */
	"SELECT id, path, bytes, mtime_ns, sha1 FROM version "
	"INDEXED BY version_check ORDER BY path",
	/* ST_VERSION_DISPLAY: a pruned file as the user named it. */
	"SELECT display_path FROM version WHERE id = ?1",
	/* ST_ARTICLE_INSERT */
	"INSERT INTO article (key, derived) VALUES (?1, ?2) "
	"ON CONFLICT (key) DO NOTHING",
	/* ST_ARTICLE_ID */
	"SELECT id FROM article WHERE key = ?1",
	/* ST_VERSION_CLAIM: who already holds article+locale+label. */
	"SELECT id, display_path, sha1 FROM version "
	"WHERE article_id = ?1 AND locale = ?2 AND label = ?3",
	/* ST_VERSION_INSERT */
	"INSERT INTO version (article_id, locale, label, date, git_commit, "
	"title, path, display_path, format, encoding, sha1, sha1_lf, "
	"sha1_crlf, bytes, mtime_ns, mt, frontmatter, source_hash, "
	"source_commit, technology, prod, lasthandoff) VALUES (?1, ?2, ?3, "
	"?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
	"?19, json_extract(?17, '$.\"ms.technology\"'), "
	"json_extract(?17, '$.\"ms.prod\"'), "
	"json_extract(?17, '$.\"ms.lasthandoff\"'))",
	/* ST_SECTION_INSERT */
	"INSERT INTO section (version_id, ordinal, parent_id, level, anchor, "
	"title, line, html, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	/* ST_MENTION_INSERT */
	"INSERT OR IGNORE INTO mention (section_id, kind, value, raw) "
	"VALUES (?1, ?2, ?3, ?4)",
	/* ST_STEP_INSERT */
	"INSERT INTO step (section_id, list, ordinal, text) "
	"VALUES (?1, ?2, ?3, ?4)",
	/* ST_CALLOUT_INSERT */
	"INSERT INTO callout (section_id, ordinal, type, text) "
	"VALUES (?1, ?2, ?3, ?4)",
	/* ST_LINK_INSERT */
	"INSERT INTO link (section_id, ordinal, target, text, line, kind, "
	"resolved_path, resolved_anchor) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	/* ST_SOURCE_RELINK: link each translation to the English version
	 * whose raw bytes (as stored, LF or CRLF) hash to its
	 * ms.openlocfilehash; run after every compile, since the source may
	 * arrive after its translation (and a deleted source leaves NULL
	 * behind).  Only rows that can change are written: translations
	 * stored now, and unlinked ones whose source was stored now.  The
	 * same article is preferred.  The ORs use the three sha1 indexes;
	 * the hashes of the English versions stored now are collected
	 * once, not looked up again for every unlinked translation. */
	"UPDATE version SET source_version_id = coalesce("
	" (SELECT min(e.id) FROM version e WHERE e.locale = 'en-us'"
	"  AND e.article_id = version.article_id AND e.id <> version.id"
	"  AND (e.sha1 = version.source_hash OR e.sha1_lf = version.source_hash"
	"   OR e.sha1_crlf = version.source_hash)),"
	" (SELECT min(e.id) FROM version e WHERE e.locale = 'en-us'"
	"  AND e.id <> version.id"
	"  AND (e.sha1 = version.source_hash OR e.sha1_lf = version.source_hash"
	"   OR e.sha1_crlf = version.source_hash))) "
	"WHERE source_hash IS NOT NULL AND (id IN (SELECT id FROM temp.new_version)"
	" OR (source_version_id IS NULL AND source_hash IN ("
	"  SELECT e.sha1 FROM temp.new_version n JOIN version e ON e.id = n.id"
	"   WHERE e.locale = 'en-us' UNION ALL"
	"  SELECT e.sha1_lf FROM temp.new_version n JOIN version e ON e.id = n.id"
	"   WHERE e.locale = 'en-us' UNION ALL"
	"  SELECT e.sha1_crlf FROM temp.new_version n JOIN version e"
	"   ON e.id = n.id WHERE e.locale = 'en-us')))",
	/* ST_ARTICLE_PRUNE: articles left without any version. */
	"DELETE FROM article WHERE NOT EXISTS "
	"(SELECT 1 FROM version v WHERE v.article_id = article.id)",
	/* ST_SEARCH: full-text search, best first (bm25 weighs titles up);
	 * ?3 narrows to a locale ("zh-cn") or a language ("zh"), or is NULL. */
	"SELECT a.key, v.locale, v.label, s.anchor, s.title, v.title, "
	" snippet(section_fts, 1, char(2), char(3), ' ... ', 16), "
	" bm25(section_fts, 4.0, 1.0), v.display_path, s.line "
	"FROM section_fts JOIN section s ON s.id = section_fts.rowid "
	"JOIN version v ON v.id = s.version_id "
	"JOIN article a ON a.id = v.article_id "
	"WHERE section_fts MATCH ?1 AND (?3 IS NULL OR v.locale = ?3 "
	" OR v.locale LIKE ?3 || '-%') "
	"ORDER BY bm25(section_fts, 4.0, 1.0), v.locale, v.label DESC LIMIT ?2",
	/* ST_LOOKUP: every section mentioning one normalized code. */
	"SELECT a.key, v.locale, v.label, s.anchor, s.title, v.title, m.raw, "
	" v.display_path, s.line "
	"FROM mention m JOIN section s ON s.id = m.section_id "
	"JOIN version v ON v.id = s.version_id "
	"JOIN article a ON a.id = v.article_id "
	"WHERE m.kind = ?1 AND m.value = ?2 "
	"ORDER BY a.key, v.locale, v.date DESC, v.label DESC, s.ordinal",
	/* ST_LOOKUP_PATTERNS: HRESULT patterns ("xxxx2ee2", "0x8024xxxx"),
	 * filtered by code_hresult_match() in C. */
	"SELECT a.key, v.locale, v.label, s.anchor, s.title, v.title, m.raw, "
	" v.display_path, s.line, m.value "
	"FROM mention m JOIN section s ON s.id = m.section_id "
	"JOIN version v ON v.id = s.version_id "
	"JOIN article a ON a.id = v.article_id "
	"WHERE m.kind = 'hresult' AND m.value LIKE '%xxxx%' "
	"ORDER BY a.key, v.locale, v.date DESC, v.label DESC, s.ordinal",
	/* ST_VERSION_FIND: resolve a user's reference: an article key (or
	 * a unique prefix), a path, or a version label; newest first. */
	"SELECT v.id FROM version v JOIN article a ON a.id = v.article_id "
	"WHERE (a.key = ?1 OR a.key LIKE ?1 || '%' OR v.display_path = ?1 "
	"  OR v.path = ?1 OR v.sha1 LIKE ?1 || '%') "
	"AND (?2 IS NULL OR v.locale = ?2) AND (?3 IS NULL OR v.label = ?3 "
	"  OR v.date = ?3 OR v.git_commit LIKE ?3 || '%') "
	"ORDER BY a.key = ?1 DESC, v.locale = 'en-us' DESC, v.locale, "
	"  v.date DESC, v.label DESC",
	/* ST_VERSION_GET: one version with its article. */
	"SELECT a.key, a.derived, v.locale, v.label, v.date, v.git_commit, "
	" v.title, v.display_path, v.format, v.encoding, v.sha1, v.mt, "
	" v.frontmatter, v.source_hash, v.source_commit, "
	" (SELECT s.label || ' ' || s.locale || ' ' || s.display_path "
	"  FROM version s WHERE s.id = v.source_version_id), v.bytes "
	"FROM version v JOIN article a ON a.id = v.article_id WHERE v.id = ?1",
	/* ST_SECTIONS_OF */
	"SELECT s.id, s.ordinal, s.level, s.anchor, s.title, s.line, s.html, "
	" s.text, p.anchor FROM section s LEFT JOIN section p ON p.id = s.parent_id "
	"WHERE s.version_id = ?1 ORDER BY s.ordinal",
	/* ST_MENTIONS_OF */
	"SELECT kind, value, raw FROM mention WHERE section_id = ?1 "
	"ORDER BY kind, value",
	/* ST_STEPS_OF */
	"SELECT list, ordinal, text FROM step WHERE section_id = ?1 "
	"ORDER BY list, ordinal",
	/* ST_CALLOUTS_OF */
	"SELECT ordinal, type, text FROM callout WHERE section_id = ?1 "
	"ORDER BY ordinal",
	/* ST_LINKS_OF */
	"SELECT ordinal, target, kind, resolved_path, resolved_anchor, text "
	"FROM link WHERE section_id = ?1 ORDER BY ordinal",
	/* ST_VERSIONS_ALL: every version for the site, grouped by article. */
	"SELECT v.id, a.key, v.locale, v.label, v.date, v.title, v.mt, "
	" v.display_path FROM version v JOIN article a ON a.id = v.article_id "
	"ORDER BY a.key, v.locale = 'en-us' DESC, v.locale, v.date DESC, v.label DESC",
	/* ST_VERSIONS_OF_ARTICLE */
	"SELECT v.id, v.locale, v.label, v.date, v.title FROM version v "
	"WHERE v.article_id = (SELECT article_id FROM version WHERE id = ?1) "
	"ORDER BY v.locale = 'en-us' DESC, v.locale, v.date DESC, v.label DESC",
	/* ST_COUNTS: a summary line after compile. */
	"SELECT (SELECT count(*) FROM article), (SELECT count(*) FROM version), "
	" (SELECT count(*) FROM section), (SELECT count(*) FROM mention)",
	/* ST_GONE_SAVE: the sections of a version about to be deleted, kept
	 * for the full-text index (see schema.sql on why it is deferred). */
	"INSERT OR REPLACE INTO temp.gone_section (id, title, text) "
	"SELECT id, title, text FROM section WHERE version_id = ?1",
	/* ST_ALIAS_PUT */
	"INSERT OR REPLACE INTO alias (path, display_path, bytes, mtime_ns, "
	"version_id) VALUES (?1, ?2, ?3, ?4, ?5)",
	/* ST_ALIAS_DELETE */
	"DELETE FROM alias WHERE path = ?1",
	/* ST_ALIAS_PATHS: for pruning copies that are gone, and for the
	 * incremental check of those still there. */
	"SELECT path, bytes, mtime_ns FROM alias ORDER BY path",
	/* ST_FOLDER_RANGE: the folder cache under one root (?1 is the root
	 * with "/" appended, ?2 the same with "0", the next byte): a range
	 * of the primary key, read in its order (no sort). */
	"SELECT path, dev, ino, mtime_ns, ctime_ns, read_ns, entries "
	"FROM folder WHERE path >= ?1 AND path < ?2 ORDER BY path",
	/* ST_FOLDER_PUT: a folder read by this compile. */
	"INSERT OR REPLACE INTO folder (path, dev, ino, mtime_ns, ctime_ns, "
	"read_ns, entries) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/* ST_FOLDER_DELETE: a folder that is gone (or unreadable now). */
	"DELETE FROM folder WHERE path = ?1",
	/* ST_NEW_VERSION: a version stored by this command. */
	"INSERT OR IGNORE INTO temp.new_version (id) VALUES (?1)",
	/* ST_FTS_DELETE_GONE: removed sections leave the index (first, as
	 * their row ids may be reused by new sections). */
	"INSERT INTO section_fts (section_fts, rowid, title, text) "
	"SELECT 'delete', id, title, text FROM temp.gone_section",
	/* ST_FTS_INSERT_NEW: the sections of the new versions enter it.
	 * CROSS JOIN keeps the small table outside: a scan of section
	 * would read every page of the KB. */
	"INSERT INTO section_fts (rowid, title, text) "
	"SELECT s.id, s.title, s.text FROM temp.new_version n "
	"CROSS JOIN section s ON s.version_id = n.id",
	/* ST_GONE_CLEAR */
	"DELETE FROM temp.gone_section",
	/* ST_FTS_OPTIMIZE: one segment after a bulk load, so that later
	 * small compiles do not pay for merging the bulk load's segments. */
	"INSERT INTO section_fts (section_fts) VALUES ('optimize')",
	/* ST_NEW_CLEAR */
	"DELETE FROM temp.new_version",
	/* ST_FTS_HASHSIZE: how many bytes of pending terms the index keeps
	 * in memory before it writes a segment (FTS5's default is 1 MB). */
	"INSERT INTO section_fts (section_fts, rank) VALUES ('hashsize', ?1)",
	/* ST_FTS_ROW_PUT: one section into an index of db_open_index(). */
	"INSERT INTO section_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
	/* ST_FTS_DATA_ALL: the index's shadow tables, which hold all of
	 * it (FTS5's file format), to copy them into a new KB ... */
	"SELECT id, block FROM section_fts_data",
	/* ST_FTS_IDX_ALL */
	"SELECT segid, term, pgno FROM section_fts_idx",
	/* ST_FTS_DOCSIZE_ALL */
	"SELECT id, sz FROM section_fts_docsize",
	/* ST_FTS_DATA_CLEAR: ... which first drops its empty index. */
	"DELETE FROM section_fts_data",
	/* ST_FTS_IDX_CLEAR */
	"DELETE FROM section_fts_idx",
	/* ST_FTS_DOCSIZE_CLEAR */
	"DELETE FROM section_fts_docsize",
	/* ST_FTS_DATA_PUT */
	"INSERT INTO section_fts_data (id, block) VALUES (?1, ?2)",
	/* ST_FTS_IDX_PUT */
	"INSERT INTO section_fts_idx (segid, term, pgno) VALUES (?1, ?2, ?3)",
	/* ST_FTS_DOCSIZE_PUT */
	"INSERT INTO section_fts_docsize (id, sz) VALUES (?1, ?2)",
	/* ST_DIFF_VERSION: one version as `kbgen diff` loads it. */
	"SELECT a.key, v.locale, v.label, v.date, v.git_commit, v.title, "
	" v.path, v.display_path, v.format, v.sha1, v.sha1_lf, v.sha1_crlf, "
	" v.mt, v.frontmatter, v.source_hash, v.source_commit, v.bytes "
	"FROM version v JOIN article a ON a.id = v.article_id WHERE v.id = ?1",
	/* ST_DIFF_VERSIONS: the versions of article ?1 in locale ?2, for
	 * --history and for the translated-from version by date (ordered
	 * in C: ms.lasthandoff is not an ISO date). */
	"SELECT v.id, v.label, v.date, v.lasthandoff "
	"FROM version v JOIN article a ON a.id = v.article_id "
	"WHERE a.key = ?1 AND v.locale = ?2",
	/* ST_DIFF_SOURCE: the English version a translation was made from:
	 * raw SHA-1 (LF or CRLF) = ms.openlocfilehash ?1, else its commit a
	 * prefix of ms.sourcegitcommit ?2 in the same article ?3; column 1
	 * says whether the hash matched. */
	"SELECT v.id, (?1 IS NOT NULL AND (v.sha1 = ?1 OR v.sha1_lf = ?1 "
	"  OR v.sha1_crlf = ?1)) AS by_hash "
	"FROM version v JOIN article a ON a.id = v.article_id "
	"WHERE v.locale = 'en-us' AND ((?1 IS NOT NULL AND (v.sha1 = ?1 "
	"  OR v.sha1_lf = ?1 OR v.sha1_crlf = ?1)) OR (?2 IS NOT NULL "
	"  AND a.key = ?3 AND length(v.git_commit) >= 7 "
	"  AND ?2 LIKE v.git_commit || '%')) "
	"ORDER BY by_hash DESC, a.key = ?3 DESC, v.id LIMIT 1",
	/* ST_INCIDENT_ID */
	"SELECT id FROM incident WHERE name = ?1",
	/* ST_INCIDENT_INSERT */
	"INSERT INTO incident (name, created_utc, sample) VALUES (?1, ?2, ?3)",
	/* ST_INCIDENT_LIST: name, hosts, files, stored records, errors. */
	"SELECT i.name, i.created_utc, i.sample, "
	" (SELECT count(*) FROM host h WHERE h.incident_id = i.id), "
	" (SELECT count(*) FROM file f JOIN host h ON h.id = f.host_id "
	"  WHERE h.incident_id = i.id), "
	" (SELECT coalesce(sum(f.errors), 0) FROM file f JOIN host h "
	"  ON h.id = f.host_id WHERE h.incident_id = i.id), "
	" (SELECT coalesce(sum(f.warnings), 0) FROM file f JOIN host h "
	"  ON h.id = f.host_id WHERE h.incident_id = i.id) "
	"FROM incident i ORDER BY i.name",
	/* ST_INCIDENT_DELETE: cascades to everything under it. */
	"DELETE FROM incident WHERE name = ?1",
	/* ST_BUNDLE_FIND: the same bundle added before (content hash). */
	"SELECT id, source FROM bundle WHERE incident_id = ?1 AND sha256 = ?2",
	/* ST_BUNDLE_INSERT: the hash is set when the bundle is read. */
	"INSERT INTO bundle (incident_id, source, sha256, added_utc) "
	"VALUES (?1, ?2, 'pending:' || ?2 || ':' || random(), ?3)",
	/* ST_BUNDLE_SET_SHA */
	"UPDATE bundle SET sha256 = ?2 WHERE id = ?1",
	/* ST_BUNDLE_DELETE */
	"DELETE FROM bundle WHERE id = ?1",
	/* ST_HOST_FIND */
	"SELECT id, role, tz_min FROM host WHERE incident_id = ?1 AND name = ?2",
	/* ST_HOST_INSERT */
	"INSERT INTO host (incident_id, name, role, role_source, tz_min) "
	"VALUES (?1, ?2, ?3, ?4, ?5)",
	/* ST_HOST_UPDATE */
	"UPDATE host SET name = ?2, role = ?3, role_source = ?4, "
	"tz_min = coalesce(?5, tz_min) WHERE id = ?1",
	/* ST_HOST_MOVE_FILES: a bundle's files join a host already known. */
	"UPDATE file SET host_id = ?2 WHERE host_id = ?1",
	/* ST_HOST_DELETE */
	"DELETE FROM host WHERE id = ?1",
	/* ST_HOST_TZ_FIX: local times of a host whose zone became known. */
	"UPDATE record SET tz_min = ?2, utc_ms = local_ms - ?2 * 60000 "
	"WHERE utc_ms IS NULL AND local_ms IS NOT NULL AND file_id IN "
	"(SELECT id FROM file WHERE host_id = ?1)",
	/* ST_HOSTS_OF */
	"SELECT id, name, role, role_source, tz_min, "
	" (SELECT count(*) FROM file f WHERE f.host_id = host.id) "
	"FROM host WHERE incident_id = ?1 ORDER BY name",
	/* ST_FILE_DUP: the same bytes at the same path already in the incident. */
	"SELECT f.id FROM file f JOIN host h ON h.id = f.host_id "
	"WHERE h.incident_id = ?1 AND f.path = ?2 AND f.sha256 = ?3 AND f.id <> ?4",
	/* ST_FILE_INSERT: counts are filled in by ST_FILE_FINISH. */
	"INSERT INTO file (host_id, bundle_id, path, sha256, format, encoding, "
	"bytes, lines, records, stored, errors, warnings, problems) "
	"VALUES (?1, ?2, ?3, 'pending', '', '', 0, 0, 0, 0, 0, 0, 0)",
	/* ST_FILE_FINISH */
	"UPDATE file SET sha256 = ?2, format = ?3, encoding = ?4, bytes = ?5, "
	"lines = ?6, records = ?7, stored = ?8, errors = ?9, warnings = ?10, "
	"problems = ?11, first_utc = ?12, last_utc = ?13 WHERE id = ?1",
	/* ST_FILES_OF_HOST */
	"SELECT path, format, encoding, bytes, lines, records, stored, errors, "
	" warnings, problems, first_utc, last_utc, sha256 "
	"FROM file WHERE host_id = ?1 ORDER BY path",
	/* ST_RECORD_INSERT */
	"INSERT INTO record (file_id, line, end_line, offset, local_ms, tz_min, "
	"utc_ms, severity, component, thread, message) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	/* ST_SIGNAL_INSERT */
	"INSERT INTO signal (record_id, kind, value, raw) VALUES (?1, ?2, ?3, ?4)",
	/* ST_CLIENT_SEEN_ADD: a client address and its first request (the
	 * first file of a rotated series that names it keeps it). */
	"INSERT OR IGNORE INTO client_seen (file_id, ip, first_line, first_utc) "
	"VALUES (?1, ?2, ?3, ?4)",
	/* ST_INGEST_BEGIN: an ingest inserts records and signals right
	 * after their parents, so checking each reference is a B-tree
	 * lookup per row for nothing; and it keeps a smaller page cache
	 * than a compile, so that memory stays bounded next to the queues
	 * of the parsing threads.  (Before BEGIN: SQLite ignores the
	 * foreign_keys pragma inside a transaction.) */
	"PRAGMA foreign_keys = OFF",
	/* ST_INGEST_CACHE */
	"PRAGMA cache_size = -16384",
	/* ST_INGEST_END: foreign keys checked again. */
	"PRAGMA foreign_keys = ON",
	/* ST_HTTP_HOUR_ADD: an hour of requests; the same hour and key
	 * again (a log that went back in time) merge minute by minute. */
	"INSERT INTO http_hour (file_id, hour_utc, endpoint, status, requests, "
	"first_line, minutes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
	"ON CONFLICT (file_id, hour_utc, endpoint, status) DO UPDATE SET "
	"requests = requests + excluded.requests, "
	"first_line = min(first_line, excluded.first_line), "
	"minutes = (SELECT json_group_array(json_array(m, c, l)) FROM ("
	" SELECT value ->> 0 AS m, sum(value ->> 1) AS c, min(value ->> 2) AS l"
	" FROM (SELECT value FROM json_each(http_hour.minutes) UNION ALL"
	" SELECT value FROM json_each(excluded.minutes)) GROUP BY m ORDER BY m))",
	/* ST_COVERAGE_CLEAR */
	"DELETE FROM coverage WHERE host_id = ?1",
	/* ST_COVERAGE_PUT */
	"INSERT OR REPLACE INTO coverage (host_id, source, status, files) "
	"VALUES (?1, ?2, ?3, ?4)",
	/* ST_HTTP_OF_HOST: a host's IIS requests per endpoint (content
	 * downloads as one) and status, with the busiest minute. */
	"SELECT CASE WHEN m.endpoint LIKE '/content/%' THEN '/content/*' "
	" ELSE m.endpoint END AS ep, m.status, sum(m.count), max(m.count), "
	" m.minute_utc, count(DISTINCT m.endpoint) "
	"FROM http_minute m JOIN file f ON f.id = m.file_id "
	"WHERE f.host_id = ?1 GROUP BY ep, m.status ORDER BY ep, m.status",
	/* ST_COVERAGE_OF */
	"SELECT source, status, files FROM coverage WHERE host_id = ?1 "
	"ORDER BY source",
	/* ST_RECORDS_OF_INCIDENT: the timeline (unknown times last). */
	"SELECT h.name, f.path, r.line, r.utc_ms, r.local_ms, r.tz_min, "
	" r.severity, r.component, r.message, r.id, r.thread, f.format "
	"FROM record r JOIN file f ON f.id = r.file_id "
	"JOIN host h ON h.id = f.host_id JOIN incident i ON i.id = h.incident_id "
	"WHERE i.name = ?1 "
	"ORDER BY r.utc_ms IS NULL, r.utc_ms, h.name, f.path, r.line",
	/* ST_SIGNALS_OF_INCIDENT: the client addresses of IIS logs are
	 * listed as signals too (kind client_ip, raw empty). */
	"SELECT * FROM ("
	"SELECT h.name AS host, f.path AS path, r.line AS line, s.kind AS kind, "
	" s.value AS value, s.raw AS raw, r.utc_ms AS utc "
	"FROM signal s JOIN record r ON r.id = s.record_id "
	"JOIN file f ON f.id = r.file_id JOIN host h ON h.id = f.host_id "
	"JOIN incident i ON i.id = h.incident_id WHERE i.name = ?1 "
	"UNION ALL "
	"SELECT h.name, f.path, c.first_line, 'client_ip', c.ip, '', c.first_utc "
	"FROM client_seen c JOIN file f ON f.id = c.file_id "
	"JOIN host h ON h.id = f.host_id "
	"JOIN incident i ON i.id = h.incident_id WHERE i.name = ?1) "
	"ORDER BY kind, value, utc IS NULL, utc, host, path, line",
	/* ST_HOST_UNZONED: local times of a host still without a zone. */
	"SELECT r.id, r.local_ms FROM record r JOIN file f ON f.id = r.file_id "
	"WHERE f.host_id = ?1 AND r.utc_ms IS NULL AND r.local_ms IS NOT NULL "
	"ORDER BY r.id",
	/* ST_RECORD_SET_ZONE: one record's zone (the host's, DST included). */
	"UPDATE record SET tz_min = ?2, utc_ms = local_ms - ?2 * 60000 "
	"WHERE id = ?1",
	/* ST_SERIES_FILES: a host's files, to find the pieces of rotated logs. */
	"SELECT id, path, first_utc FROM file WHERE host_id = ?1 ORDER BY path",
	/* ST_SERIES_DEDUP: records of an older piece (?1) that the next piece
	 * (?2, starting at ?3) repeats: same instant, same message. */
	"DELETE FROM record WHERE file_id = ?1 AND utc_ms >= ?3 AND EXISTS "
	"(SELECT 1 FROM record n WHERE n.utc_ms = record.utc_ms AND "
	" n.file_id = ?2 AND n.message = record.message)",
	/* ST_FILE_UNSTORE: records of a file dropped after it was stored. */
	"UPDATE file SET stored = stored - ?2 WHERE id = ?1",
	/* ST_INCIDENT_COUNTS */
	"SELECT (SELECT count(*) FROM host WHERE incident_id = ?1), "
	" (SELECT count(*) FROM file f JOIN host h ON h.id = f.host_id "
	"  WHERE h.incident_id = ?1), "
	" (SELECT count(*) FROM record r JOIN file f ON f.id = r.file_id "
	"  JOIN host h ON h.id = f.host_id WHERE h.incident_id = ?1)",
	/* ST_SITE_VERSIONS: every version for the site, in page order. */
	"SELECT v.id, a.key, v.locale, v.label, v.date, v.title, v.mt, v.path, "
	" v.display_path, v.sha1, v.source_version_id, v.source_hash, "
	" v.source_commit, v.technology, v.prod, v.git_commit, v.lasthandoff "
	"FROM version v JOIN article a ON a.id = v.article_id "
	"ORDER BY a.key, v.locale = 'en-us' DESC, v.locale, v.date DESC, v.label DESC",
	/* ST_SITE_ALIASES: copies of compiled files, for link targets. */
	"SELECT path, version_id FROM alias ORDER BY path",
	/* ST_SITE_SECTIONS: every section without its HTML and text, from
	 * the index that covers them (not the table: that is all HTML). */
	"SELECT id, version_id, ordinal, level, anchor, title, line "
	"FROM section INDEXED BY section_outline",
	/* ST_SITE_LINKS: the links the site rewrites or checks, in table
	 * order (site_model.c puts them in page order). */
	"SELECT section_id, ordinal, line, kind, target, resolved_path, "
	" resolved_anchor FROM link WHERE kind <> 'external'",
	/* ST_SITE_MENTIONS: the codes and log files with pages of their own. */
	"SELECT section_id, kind, value FROM mention WHERE kind IN ('hresult', "
	" 'win32', 'statmsg', 'http', 'event', 'logfile')",
	/* ST_SITE_SEEN: in which incidents each code was seen, how often. */
	"SELECT s.kind, s.value, i.name, count(*) FROM signal s "
	"JOIN record r ON r.id = s.record_id JOIN file f ON f.id = r.file_id "
	"JOIN host h ON h.id = f.host_id JOIN incident i ON i.id = h.incident_id "
	"WHERE s.kind IN ('hresult', 'win32', 'statmsg', 'http', 'event') "
	"GROUP BY s.kind, s.value, i.name ORDER BY s.kind, s.value, i.name",
	/* ST_SITE_FILES: every collected file, for the log-file pages. */
	"SELECT i.name, h.name, f.path FROM file f JOIN host h ON h.id = f.host_id "
	"JOIN incident i ON i.id = h.incident_id ORDER BY i.name, h.name, f.path",
	/* ST_SITE_SIGNALS: an incident's signals with their evidence line. */
	"SELECT s.kind, s.value, s.raw, h.name, f.path, r.line, r.utc_ms, "
	" substr(r.message, 1, 500) FROM signal s "
	"JOIN record r ON r.id = s.record_id JOIN file f ON f.id = r.file_id "
	"JOIN host h ON h.id = f.host_id JOIN incident i ON i.id = h.incident_id "
	"WHERE i.name = ?1 ORDER BY s.kind, s.value, r.utc_ms IS NULL, r.utc_ms, "
	" h.name, f.path, r.line",
	/* ST_SITE_FTS5: the FTS5 API pointer, to tokenize as the KB does. */
	"SELECT fts5(?1)",
	/* ST_RULE_CLEAR: rules are replaced as a whole. */
	"DELETE FROM rule_file",
	/* ST_RULE_FILE_PUT */
	"INSERT INTO rule_file (path, text) VALUES (?1, ?2)",
	/* ST_RULE_PUT */
	"INSERT INTO rule (file, line, name, title, article_key, anchor, "
	" severity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/* ST_RULE_FILES */
	"SELECT path, text FROM rule_file ORDER BY path",
	/* ST_RULE_SECTION_EXISTS: a section any version of the article has. */
	"SELECT 1 FROM section s JOIN version v ON v.id = s.version_id "
	"JOIN article a ON a.id = v.article_id "
	"WHERE a.key = ?1 AND s.anchor = ?2 LIMIT 1",
	/* ST_MATCH_SECTIONS: the sections of the newest version of every
	 * article, English first (what findings name). */
	"WITH best AS (SELECT (SELECT v.id FROM version v "
	"  WHERE v.article_id = a.id ORDER BY v.locale = 'en-us' DESC, "
	"  v.date IS NULL, v.date DESC, v.label DESC LIMIT 1) AS vid "
	"  FROM article a) "
	"SELECT s.id, a.key, v.title, v.locale, v.label, s.title, s.anchor, "
	" s.level, v.id, s.parent_id "
	"FROM best JOIN version v ON v.id = best.vid "
	"JOIN article a ON a.id = v.article_id "
	"JOIN section s ON s.version_id = v.id ORDER BY a.key, s.ordinal",
	/* ST_MATCH_MENTIONS: what those sections mention. */
	"WITH best AS (SELECT (SELECT v.id FROM version v "
	"  WHERE v.article_id = a.id ORDER BY v.locale = 'en-us' DESC, "
	"  v.date IS NULL, v.date DESC, v.label DESC LIMIT 1) AS vid "
	"  FROM article a) "
	"SELECT m.section_id, m.kind, m.value FROM best "
	"JOIN section s ON s.version_id = best.vid "
	"JOIN mention m ON m.section_id = s.id ORDER BY m.id",
	/* ST_MATCH_FILES: an incident's files, in the order they came. */
	"SELECT f.id, h.id, f.path FROM file f JOIN host h ON h.id = f.host_id "
	"WHERE h.incident_id = ?1 ORDER BY f.id",
	/* ST_MATCH_RANGE: the ids of a file's records (an ingest stores a
	 * file's records one after the other, so they are a range). */
	"SELECT min(id), max(id) FROM record WHERE file_id = ?1",
	/* ST_MATCH_RECS: a file's records in stored (parse) order, read
	 * along the table itself: no index lookup per record.  (+file_id:
	 * not through record_file, which would need a sort.) */
	"SELECT id, line, end_line, utc_ms, local_ms, tz_min, severity, message "
	"FROM record WHERE id BETWEEN ?1 AND ?2 AND +file_id = ?3 ORDER BY id",
	/* ST_MATCH_SIGS: the signals of those records, in the same order,
	 * to be merged with them.  The writer stores a record's signals
	 * right after it (incident.c, nothing else adds signals), so their
	 * ids rise with their records': they are read along the table
	 * between the first and the last one's ids (found through
	 * signal_record), not through the index a row at a time. */
	"SELECT record_id, kind, value, raw FROM signal "
	"WHERE id BETWEEN (SELECT id FROM signal WHERE record_id BETWEEN ?1 "
	"  AND ?2 ORDER BY record_id, id LIMIT 1) "
	" AND (SELECT id FROM signal WHERE record_id BETWEEN ?1 AND ?2 "
	"  ORDER BY record_id DESC, id DESC LIMIT 1) "
	" AND +record_id BETWEEN ?1 AND ?2 ORDER BY id",
	/* ST_MATCH_RECORDS: a file's stored records with their signals (a
	 * row per signal, NULLs for none) in line order: the record_file
	 * and signal_record indexes give that order without a sort. */
	"SELECT r.id, r.line, r.end_line, r.utc_ms, r.local_ms, r.tz_min, "
	" r.severity, r.message, s.kind, s.value, s.raw "
	"FROM record r LEFT JOIN signal s ON s.record_id = r.id "
	"WHERE r.file_id = ?1 ORDER BY r.line, r.id, s.id",
	/* ST_REPORT_VERSION: the newest version of an article in a locale. */
	"SELECT v.id, v.label, v.locale FROM version v "
	"JOIN article a ON a.id = v.article_id WHERE a.key = ?1 AND v.locale = ?2 "
	"ORDER BY v.date IS NULL, v.date DESC, v.label DESC LIMIT 1",
	/* ST_REPORT_SECTIONS: a version's sections with their HTML. */
	"SELECT ordinal, level, title, anchor, html FROM section "
	"WHERE version_id = ?1 ORDER BY ordinal",
};

/* Migrations: migrations[n] takes a KB from user_version n to n+1.  The
 * first one is the whole schema. */
static const char *migrations[SCHEMA_VERSION];

/* Fatal SQLite error, naming the KB. */
static void
db_die(struct db *db, const char *what)
{
	die("%s: %s: %s", db->path, what, sqlite3_errmsg(db->h));
}

/* Runs a multi-statement SQL text; fatal on error. */
static void
db_script(struct db *db, const char *text)
{
	char *err = NULL;

	if (sqlite3_exec(db->h, text, NULL, NULL, &err) != SQLITE_OK) {
		char *msg = xstrdup(err ? err : "unknown error");
		sqlite3_free(err);
		die("%s: %s", db->path, msg);
	}
}

static int
db_user_version(struct db *db)
{
	sqlite3_stmt *st;
	int v = 0;

	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL))
		db_die(db, "cannot read the schema version");
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * Brings the schema to SCHEMA_VERSION, one migration per transaction so an
 * interrupted migration leaves the previous version intact.
 */
static void
db_migrate(struct db *db)
{
	int v = db_user_version(db);
	char pragma[64];

	migrations[0] = kb_schema_sql;
	migrations[1] = kb_schema2_sql;
	migrations[2] = kb_schema3_sql;
	migrations[3] = kb_schema4_sql;
	migrations[4] = kb_schema5_sql;
	migrations[5] = kb_schema6_sql;
	migrations[6] = kb_schema7_sql;
	if (v > SCHEMA_VERSION)
		die("%s: knowledge base schema %d is newer than this kbgen "
		    "understands (%d)", db->path, v, SCHEMA_VERSION);
	for (; v < SCHEMA_VERSION; v++) {
		db_script(db, "BEGIN IMMEDIATE");
		db_script(db, migrations[v]);
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		db_script(db, pragma);
		db_script(db, "COMMIT");
	}
}

/* Page size of a new KB: section rows (a few KB of HTML and text each)
 * fit in a page instead of spilling into overflow chains. */
#define NEW_PAGE_SIZE 16384

/*
 * Opens file as the connection of db (db->path names it in messages),
 * sets it up and brings its schema up to date.  fresh: a new file that
 * db_publish() renames into place, so it needs no journal on disk and no
 * syncs.
 */
static void
db_connect(struct db *db, const char *file, int readonly, int fresh)
{
	int flags = readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	char pragma[64];

	/*
	 * One thread uses a connection at a time (worker threads of the
	 * compiler, the ingest and the site never touch the KB), so
	 * SQLite's per-call mutexes are pure cost: NOMUTEX.
	 */
	if (sqlite3_open_v2(file, &db->h, flags | SQLITE_OPEN_NOFOLLOW |
	    SQLITE_OPEN_NOMUTEX, NULL)
	    != SQLITE_OK)
		db_die(db, "cannot open knowledge base");
	sqlite3_extended_result_codes(db->h, 0);
	sqlite3_busy_timeout(db->h, 5000);
	if (sqlite3_exec(db->h, "PRAGMA schema_version", NULL, NULL, NULL)
	    != SQLITE_OK)
		db_die(db, "not a knowledge base");
	db_script(db, "PRAGMA foreign_keys = ON");
	if (fts_register(db->h) != SQLITE_OK)
		db_die(db, "cannot register the full-text tokenizer");
	if (readonly) {
		/* Reading commands (site, report, search) read the whole KB
		 * or most of it: through the page cache, not a copy of each
		 * page. */
		db_script(db, "PRAGMA mmap_size = 4294967296");
		if (db_user_version(db) != SCHEMA_VERSION)
			die("%s: knowledge base schema %d, expected %d (run "
			    "'kbgen compile' to migrate)", db->path,
			    db_user_version(db), SCHEMA_VERSION);
		return;
	}
	/* The page size can only be chosen before the first table. */
	if (db_user_version(db) == 0) {
		snprintf(pragma, sizeof(pragma), "PRAGMA page_size = %d",
		    NEW_PAGE_SIZE);
		db_script(db, pragma);
	}
	if (fresh) {
		/*
		 * Nobody else may see the file before it is renamed, and a
		 * crash leaves no KB at all: the journal only serves ROLLBACK
		 * TO (in memory), and no write needs to wait for the disk.
		 */
		db_script(db, "PRAGMA locking_mode = EXCLUSIVE");
		db_script(db, "PRAGMA journal_mode = MEMORY");
		db_script(db, "PRAGMA synchronous = OFF");
	} else {
		db_script(db, "PRAGMA journal_mode = WAL");
		db_script(db, "PRAGMA synchronous = NORMAL");
		/* A recompile reads the folder cache and every version's
		 * path: from the page cache, not a copy of each page (writes
		 * still go through the WAL). */
		db_script(db, "PRAGMA mmap_size = 4294967296");
	}
	/* A compile rewrites many pages: keep them in memory rather
	 * than spill and re-read them (64 MB at most). */
	db_script(db, "PRAGMA cache_size = -65536");
	/* Statement journals and the scratch tables stay in memory. */
	db_script(db, "PRAGMA temp_store = MEMORY");
	db_migrate(db);
	/* Per-connection scratch for the deferred full-text updates. */
	db_script(db, "CREATE TEMP TABLE IF NOT EXISTS gone_section "
	    "(id INTEGER PRIMARY KEY, title TEXT, text TEXT);"
	    "CREATE TEMP TABLE IF NOT EXISTS new_version "
	    "(id INTEGER PRIMARY KEY)");
}

static void	db_clean_stale(const char *);

struct db *
db_open(const char *path, int readonly)
{
	struct db *db = xcalloc(1, sizeof(*db));

	db->path = xstrdup(path);
	if (readonly && access(path, R_OK) == -1)
		die("%s: cannot open knowledge base: %s (run 'kbgen compile' "
		    "or 'kbgen build' first)", path, strerror(errno));
	if (!readonly)
		db_clean_stale(path);
	db_connect(db, path, readonly, 0);
	return db;
}

/* The temporary file of a fresh KB is ".NAME.new-PID" beside NAME. */
#define TMP_INFIX ".new-"

/* Removes the temporary files that killed compiles left beside path. */
static void
db_clean_stale(const char *path)
{
	char *dir, *base, *prefix, *p;
	const char *slash = strrchr(path, '/');
	DIR *d;
	struct dirent *e;
	size_t n;
	long pid;

	dir = slash ? xstrndup(path, (size_t)(slash - path + 1)) :
	    xstrdup("./");
	base = xstrdup(slash ? slash + 1 : path);
	prefix = xasprintf(".%s" TMP_INFIX, base);
	n = strlen(prefix);
	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strncmp(e->d_name, prefix, n) != 0)
				continue;
			pid = strtol(e->d_name + n, &p, 10);
			if (*p != '\0' || pid <= 0 || pid == (long)getpid() ||
			    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
				continue;
			p = xasprintf("%s%s", dir, e->d_name);
			(void)unlink(p);
			free(p);
		}
		closedir(d);
	}
	free(prefix);
	free(base);
	free(dir);
}

/* The fresh KB not yet published, removed when the command dies. */
static char *unpublished;

static void
db_unlink_unpublished(void)
{
	if (unpublished != NULL)
		(void)unlink(unpublished);
}

struct db *
db_create(const char *path)
{
	static int registered;
	struct db *db;
	struct stat sb;
	const char *slash = strrchr(path, '/');
	char *tmp;
	int fd;

	/* lstat: a link, even a dangling one, is db_open()'s to refuse. */
	if (lstat(path, &sb) == 0 || errno != ENOENT)
		return NULL;
	db_clean_stale(path);
	tmp = xasprintf("%.*s.%s" TMP_INFIX "%ld",
	    slash ? (int)(slash - path + 1) : 0, path, slash ? slash + 1 : path,
	    (long)getpid());
	/* An empty file is an empty database; O_EXCL: it is ours alone. */
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644))
	    == -1) {
		free(tmp);
		return NULL;	/* say why through db_open() */
	}
	close(fd);
	if (!registered) {
		atexit(db_unlink_unpublished);
		registered = 1;
	}
	unpublished = tmp;
	db = xcalloc(1, sizeof(*db));
	db->path = xstrdup(path);
	db->tmp = tmp;
	db_connect(db, tmp, 0, 1);
	return db;
}

/*
 * The index of db_open_index(): section_fts exactly as schema.sql
 * declares it (so that its shadow tables are the KB's), over an empty
 * stand-in for section that FTS5 only reads for queries and deletes.
 */
static const char index_schema[] =
	"PRAGMA journal_mode = OFF;"
	"PRAGMA cache_size = -65536;"
	"CREATE TABLE section (id INTEGER PRIMARY KEY, title TEXT, text TEXT);"
	"CREATE VIRTUAL TABLE section_fts USING fts5("
	" title, text, content='section', content_rowid='id', tokenize='kbgen'"
	");";

struct db *
db_open_index(void)
{
	struct db *db = xcalloc(1, sizeof(*db));

	/* "": a private database in memory that spills to a temporary file
	 * beyond its cache, so that a large corpus cannot exhaust memory. */
	db->path = xstrdup("(index under construction)");
	if (sqlite3_open_v2("", &db->h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		db_die(db, "cannot open the index under construction");
	if (fts_register(db->h) != SQLITE_OK)
		db_die(db, "cannot register the full-text tokenizer");
	db_script(db, index_schema);
	return db;
}

/* Finalizes the prepared statements and closes the connection. */
static void
db_disconnect(struct db *db)
{
	int i;

	for (i = 0; i < ST__MAX; i++) {
		sqlite3_finalize(db->st[i]);
		db->st[i] = NULL;
	}
	if (sqlite3_close(db->h) != SQLITE_OK)
		diag(DIAG_WARNING, db->path, 0, 0, "closing: %s",
		    sqlite3_errmsg(db->h));
	db->h = NULL;
}

void
db_publish(struct db *db)
{
	int fd;

	if (db->tmp == NULL)
		return;
	db_disconnect(db);
	/* The data must be on disk before the name is: a crash then
	 * leaves the whole KB or none, never a torn one. */
	if ((fd = open(db->tmp, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fsync(fd) == -1)
		die("%s: cannot sync: %s", db->tmp, strerror(errno));
	close(fd);
	if (rename(db->tmp, db->path) == -1)
		die("%s: cannot rename to %s: %s", db->tmp, db->path,
		    strerror(errno));
	unpublished = NULL;
	free(db->tmp);
	db->tmp = NULL;
	db_connect(db, db->path, 0, 0);
}

sqlite3 *
db_open_reader(struct db *db)
{
	const char *file = sqlite3_db_filename(db->h, "main");
	sqlite3 *h = NULL;

	/* No busy timeout: a locked file is at once a reason to read on
	 * db instead.  The probe takes the lock that would fail. */
	if (file == NULL || *file == '\0' || sqlite3_open_v2(file, &h,
	    SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(h, "PRAGMA mmap_size = 4294967296; "
	    "SELECT 1 FROM sqlite_schema LIMIT 1", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(h);
		return NULL;
	}
	return h;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	db_disconnect(db);
	free(db->path);
	free(db->tmp);
	free(db);
}

sqlite3_stmt *
db_stmt(struct db *db, enum stmt s)
{
	if (db->st[s] == NULL) {
		if (sqlite3_prepare_v3(db->h, sql[s], -1,
		    SQLITE_PREPARE_PERSISTENT, &db->st[s], NULL) != SQLITE_OK)
			db_die(db, "cannot prepare statement");
	} else {
		sqlite3_reset(db->st[s]);
		sqlite3_clear_bindings(db->st[s]);
	}
	return db->st[s];
}

int
db_step(struct db *db, sqlite3_stmt *st)
{
	int rc, tries;

	for (tries = 0; tries < 100; tries++) {
		rc = sqlite3_step(st);
		switch (rc) {
		case SQLITE_ROW:
		case SQLITE_DONE:
			return rc;
		case SQLITE_CONSTRAINT:
			sqlite3_reset(st);
			return rc;
		case SQLITE_BUSY:
			sqlite3_reset(st);
			{
				struct timespec ts = { 0, 50 * 1000 * 1000 };
				nanosleep(&ts, NULL);
			}
			continue;
		default:
			db_die(db, "database error");
		}
	}
	db_die(db, "database is locked by another process");
	return rc;
}

int
db_exec(struct db *db, enum stmt s)
{
	return db_step(db, db_stmt(db, s));
}

void
db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

void
db_bind_static(sqlite3_stmt *st, int i, const char *s, size_t n)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text64(st, i, s, n, SQLITE_STATIC, SQLITE_UTF8);
}

void
db_bind_blob(sqlite3_stmt *st, int i, const void *p, size_t n)
{
	if (n == 0)
		sqlite3_bind_zeroblob(st, i, 0);
	else
		sqlite3_bind_blob64(st, i, p, n, SQLITE_TRANSIENT);
}

void
db_bind_int(sqlite3_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st, i, v);
}

const char *
db_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *p = sqlite3_column_text(st, i);

	return p ? (const char *)p : "";
}
