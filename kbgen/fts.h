/*
 * fts.h -- the "kbgen" FTS5 tokenizer and safe MATCH expressions.
 * Included by the database layer and the search front ends, after
 * util.h; it includes <sqlite3.h> and nothing of ours.
 *
 * Tables use it as: CREATE VIRTUAL TABLE x USING fts5(..., tokenize='kbgen')
 * Extra tokenize arguments go to the wrapped unicode61 tokenizer, e.g.
 * tokenize='kbgen tokenchars _'.
 */
#ifndef KBGEN_FTS_H
#define KBGEN_FTS_H

#include <sqlite3.h>

/*
 * Registers the "kbgen" tokenizer on db.  Must be called on every
 * connection that reads or writes a table using it, before the first
 * statement that touches the table.  Returns SQLITE_OK or an SQLite
 * error code (SQLITE_ERROR when the library lacks FTS5).
 */
int	 fts_register(sqlite3 *db);

/*
 * Turns what a user typed into an FTS5 MATCH expression that cannot be
 * a syntax error: every word (or "quoted phrase") becomes a quoted
 * string, joined with AND; a trailing * asks for a prefix match; words
 * with nothing searchable (lone punctuation) are dropped.  When nothing
 * is left the result is "" (an empty phrase, which matches no row).
 * Returns a string the caller frees.
 */
char	*fts_query_from_user(const char *q);

#endif
