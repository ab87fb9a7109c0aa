/*
 * db.h -- the knowledge base connection and every SQL statement kbgen runs.
 * Included by the stages that read or write the KB (compile.c, query.c,
 * dump.c, render_*.c).  Include util.h and <sqlite3.h> first.
 *
 * All SQL lives in db.c's statement table, indexed by enum stmt; values are
 * always bound, never formatted into SQL.  Errors from SQLite other than
 * constraint violations are fatal (exit 3): the KB is then unusable and the
 * open transaction is rolled back by SQLite itself.
 */
#ifndef KBGEN_DB_H
#define KBGEN_DB_H

enum stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_VERSION_TOUCH,
	ST_VERSION_DELETE,
	ST_VERSION_PATHS,
	ST_VERSION_DISPLAY,
	ST_ARTICLE_INSERT,
	ST_ARTICLE_ID,
	ST_VERSION_CLAIM,
	ST_VERSION_INSERT,
	ST_SECTION_INSERT,
	ST_MENTION_INSERT,
	ST_STEP_INSERT,
	ST_CALLOUT_INSERT,
	ST_LINK_INSERT,
	ST_SOURCE_RELINK,
	ST_ARTICLE_PRUNE,
	ST_SEARCH,
	ST_LOOKUP,
	ST_LOOKUP_PATTERNS,
	ST_VERSION_FIND,
	ST_VERSION_GET,
	ST_SECTIONS_OF,
	ST_MENTIONS_OF,
	ST_STEPS_OF,
	ST_CALLOUTS_OF,
	ST_LINKS_OF,
	ST_VERSIONS_ALL,
	ST_VERSIONS_OF_ARTICLE,
	ST_COUNTS,
	ST_GONE_SAVE,
	ST_ALIAS_PUT,
	ST_ALIAS_DELETE,
	ST_ALIAS_PATHS,
	ST_FOLDER_RANGE,
	ST_FOLDER_PUT,
	ST_FOLDER_DELETE,
	ST_NEW_VERSION,
	ST_FTS_DELETE_GONE,
	ST_FTS_INSERT_NEW,
	ST_GONE_CLEAR,
	ST_FTS_OPTIMIZE,
	ST_NEW_CLEAR,
	ST_FTS_HASHSIZE,
	ST_FTS_ROW_PUT,
	ST_FTS_DATA_ALL,
	ST_FTS_IDX_ALL,
	ST_FTS_DOCSIZE_ALL,
	ST_FTS_DATA_CLEAR,
	ST_FTS_IDX_CLEAR,
	ST_FTS_DOCSIZE_CLEAR,
	ST_FTS_DATA_PUT,
	ST_FTS_IDX_PUT,
	ST_FTS_DOCSIZE_PUT,
	ST_DIFF_VERSION,
	ST_DIFF_VERSIONS,
	ST_DIFF_SOURCE,
	ST_INCIDENT_ID,
	ST_INCIDENT_INSERT,
	ST_INCIDENT_LIST,
	ST_INCIDENT_DELETE,
	ST_BUNDLE_FIND,
	ST_BUNDLE_INSERT,
	ST_BUNDLE_SET_SHA,
	ST_BUNDLE_DELETE,
	ST_HOST_FIND,
	ST_HOST_INSERT,
	ST_HOST_UPDATE,
	ST_HOST_MOVE_FILES,
	ST_HOST_DELETE,
	ST_HOST_TZ_FIX,
	ST_HOSTS_OF,
	ST_FILE_DUP,
	ST_FILE_INSERT,
	ST_FILE_FINISH,
	ST_FILES_OF_HOST,
	ST_RECORD_INSERT,
	ST_SIGNAL_INSERT,
	ST_CLIENT_SEEN_ADD,
	ST_INGEST_BEGIN,
	ST_INGEST_CACHE,
	ST_INGEST_END,
	ST_HTTP_HOUR_ADD,
	ST_COVERAGE_CLEAR,
	ST_COVERAGE_PUT,
	ST_HTTP_OF_HOST,
	ST_COVERAGE_OF,
	ST_RECORDS_OF_INCIDENT,
	ST_SIGNALS_OF_INCIDENT,
	ST_HOST_UNZONED,
	ST_RECORD_SET_ZONE,
	ST_SERIES_FILES,
	ST_SERIES_DEDUP,
	ST_FILE_UNSTORE,
	ST_INCIDENT_COUNTS,
	ST_SITE_VERSIONS,
	ST_SITE_ALIASES,
	ST_SITE_SECTIONS,
	ST_SITE_LINKS,
	ST_SITE_MENTIONS,
	ST_SITE_SEEN,
	ST_SITE_FILES,
	ST_SITE_SIGNALS,
	ST_SITE_FTS5,
	ST_RULE_CLEAR,
	ST_RULE_FILE_PUT,
	ST_RULE_PUT,
	ST_RULE_FILES,
	ST_RULE_SECTION_EXISTS,
	ST_MATCH_SECTIONS,
	ST_MATCH_MENTIONS,
	ST_MATCH_FILES,
	ST_MATCH_RANGE,
	ST_MATCH_RECS,
	ST_MATCH_SIGS,
	ST_MATCH_RECORDS,
	ST_REPORT_VERSION,
	ST_REPORT_SECTIONS,
	ST__MAX
};

struct db {
	sqlite3		*h;
	char		*path;		/* the KB as the user named it */
	char		*tmp;		/* a fresh KB's file until db_publish() */
	sqlite3_stmt	*st[ST__MAX];	/* prepared lazily */
};

/*
 * Opens (creating when absent) the KB at path, turns on foreign keys and
 * WAL, registers the FTS tokenizer and applies the schema or migrations.
 * readonly: fail instead of creating.  Dies (exit 3) when the file is not a
 * usable KB.  The caller frees with db_close().
 */
struct db	*db_open(const char *path, int readonly);
void		 db_close(struct db *);
/*
 * A second, read-only connection to db's file, for a thread that reads
 * beside this one (the caller prepares statements with the SQL of
 * db_stmt() and closes it with sqlite3_close()).  NULL when the file is
 * locked to db, as a fresh KB is until its command ends, or on error.
 */
sqlite3		*db_open_reader(struct db *);
/*
 * When no KB exists at path, creates one in a temporary file beside it
 * (no journal on disk, no syncs, larger pages: nothing there to protect)
 * and returns it; db->tmp is set.  Returns NULL when path exists: use
 * db_open().  Until db_publish(), a kill or a fatal error leaves no KB
 * (temporary files of dead processes are removed by the next call).
 */
struct db	*db_create(const char *path);
/*
 * A KB from db_create(): syncs it, renames it to its path and reopens it
 * as db_open() would, in the same struct.  Call outside a transaction.
 * A no-op for any other KB.
 */
void		 db_publish(struct db *);
/*
 * An index under construction for a KB being created, built on another
 * thread while the KB's own connection stores the sections: an in-memory
 * database holding only a section_fts declared as the KB's.  Fill it with
 * ST_FTS_ROW_PUT (rowid, title, text), then copy its shadow tables into
 * the KB with ST_FTS_*_ALL, _CLEAR and _PUT (see compile.c).
 */
struct db	*db_open_index(void);

/* Returns the statement reset with bindings cleared, preparing it once. */
sqlite3_stmt	*db_stmt(struct db *, enum stmt);
/*
 * Steps a statement: returns SQLITE_ROW, SQLITE_DONE or SQLITE_CONSTRAINT;
 * SQLITE_BUSY is retried; anything else is fatal.
 */
int		 db_step(struct db *, sqlite3_stmt *);
/* Runs a statement that returns no rows; returns db_step()'s result. */
int		 db_exec(struct db *, enum stmt);

void		 db_bind_text(sqlite3_stmt *, int, const char *);	/* NULL binds NULL */
/*
 * Binds n bytes of s without a copy: s must stay unchanged until the
 * statement is stepped and reset (the next db_stmt() of it).  NULL binds
 * NULL.
 */
void		 db_bind_static(sqlite3_stmt *, int, const char *s, size_t n);
/* Binds n bytes as a BLOB, copied (an empty one for n == 0, never NULL). */
void		 db_bind_blob(sqlite3_stmt *, int, const void *, size_t n);
void		 db_bind_int(sqlite3_stmt *, int, int64_t);
const char	*db_col_text(sqlite3_stmt *, int);	/* "" for NULL */

#endif
