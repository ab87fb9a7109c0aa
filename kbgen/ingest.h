/*
 * ingest.h -- one file of a bundle, from raw bytes to records
 * (ingest.c): encoding, format sniffing, the parser, hashing and counts.
 * Used by incident.c.  Include util.h, logs.h and signals.h first.
 */
#ifndef KBGEN_INGEST_H
#define KBGEN_INGEST_H

/* What reading one file found. */
/* At most this many client addresses are told per file. */
#define INGEST_IPS_MAX	65536

struct ingest_stats {
	enum log_format	 format;
	const char	*encoding;	/* static string */
	char		 sha256[65];
	uint64_t	 bytes;
	long		 lines;
	long		 records;
	long		 problems;	/* diagnostics while reading it */
	int		 unparsed;	/* binary or unreadable: nothing parsed */
	int32_t		 tz_found;	/* zone the file revealed, or TZ_UNKNOWN */
	int		 ips_full;	/* more than INGEST_IPS_MAX addresses */
};

struct ingest;

/*
 * Starts reading a file.  path names it in diagnostics ("bundle/inner");
 * name is its base name for the sniffer; record() receives each record
 * with the caller's arg.  tz_hint: the host's zone if known, as an
 * offset; zone: its named zone (rules with DST), which wins, or NULL.
 */
struct ingest	*ingest_begin(const char *path, const char *name,
		    int32_t tz_hint, const struct log_zone *zone,
		    void (*record)(void *, const struct record *), void *arg);
/* Feeds the next chunk of raw bytes. */
void		 ingest_feed(struct ingest *, const void *, size_t);
/* Finishes, fills stats and frees the reader. */
void		 ingest_end(struct ingest *, struct ingest_stats *);

/*
 * Only the caller's thread may call ingest_bundle()'s sink, except where
 * said.  A whole bundle is read with a reader thread (bundle.c, the
 * archive), parsed on worker threads, one file each (decoding, hashing,
 * the parser and signal_scan()), and handed back to the calling thread,
 * the only one that writes, file by file in bundle order: the result is
 * the same whatever the threads' timing.  A free worker takes the
 * largest file not yet taken (the oldest when all before it are
 * through), so that both end together; parsers run niced below the
 * writer, so that it keeps up instead of being left its backlog at the
 * end.  Memory stays bounded: the files
 * of a folder wait as open descriptors; a file in flight queues a few
 * MiB of bytes and records, all of them together a few tens of MiB.
 *
 * Records that carry nothing (no signal, no named values, severity below
 * warning) do not come back one by one: struct ingest_quiet counts them.
 * Nor do IIS requests: they are counted per minute, endpoint and status
 * and handed over an hour at a time (hit()); the first failing request
 * of each such key in a minute comes back, and
 * the first request of each client address as client().
 * Parsers get no tz_hint from other files (that would depend on timing):
 * a record whose zone is unknown arrives so, for the writer to decide.
 */
/* The records a file had that were not handed over. */
struct ingest_quiet {
	long		 records;
	long		 errors, warnings;
	int64_t		 first, last;	/* UTC ms of those with a zone */
	int64_t		 lfirst, llast;	/* local ms of those without one */
};

struct bundle_limits;

/* IIS requests with one endpoint and status in one minute of an hour. */
struct hit_minute {
	int32_t		 minute;	/* 0-59, of the hour */
	uint32_t	 count;
	int64_t		 first_line;	/* of the first of them */
};

struct ingest_sink {
	/* Reader thread: is this a file to be read as text, not parsed
	 * (a manifest)?  text() then gets its first 64 KiB at its end. */
	int			 (*is_text)(void *arg, const char *name);
	void			 (*text)(void *arg, const char *path,
				    const char *text);
	/* Reader thread: the host's named zone as known now, or NULL. */
	const struct log_zone	*(*zone)(void *arg);
	/* Writer: a file begins (returns its handle); its records; its end. */
	void			*(*begin)(void *arg, const char *path,
				    const char *name);
	void			 (*record)(void *file, const struct record *,
				    const struct signals *);
	/* the IIS requests to endpoint (lower-case) with status in the
	 * hour starting at hour (UTC ms; local ms when local, the zone
	 * being unknown), per minute: n minutes, ascending, each seen once
	 * in a call (a later call may bring the same hour and key again:
	 * a log that went back in time, or a very busy hour) */
	void			 (*hit)(void *file, int64_t hour, int local,
				    const char *endpoint, int status,
				    const struct hit_minute *, size_t n);
	/* an IIS client address first seen at line, at utc (UTC ms, or
	 * TIME_NONE when the zone is unknown) */
	void			 (*client)(void *file, const char *ip, long line,
				    int64_t utc);
	void			 (*end)(void *file, const struct ingest_stats *,
				    const struct ingest_quiet *);
	void			*arg;
};

/*
 * Reads the bundle at src (bundle_read()) through the sink; returns what
 * bundle_read() returns.  Diagnostics of each file are printed when the
 * writer reaches it, so their order is the bundle's.
 */
int	 ingest_bundle(const char *src, const struct bundle_limits *,
	    const struct ingest_sink *);

#endif
