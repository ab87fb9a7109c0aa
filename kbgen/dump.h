/*
 * dump.h -- resolving a user's article reference (dump.c); used by dump,
 * diff and site.  Include util.h, <sqlite3.h> and db.h first.
 */
#ifndef KBGEN_DUMP_H
#define KBGEN_DUMP_H

/*
 * The version id named by ref (article key or unique key prefix, source
 * path, or SHA-1 prefix), optionally narrowed by locale and version
 * (label, ISO date or commit prefix); the newest English one first.
 * Returns 0 when nothing matches.
 */
int64_t	 version_resolve(struct db *, const char *ref, const char *lang,
	    const char *version);

#endif
