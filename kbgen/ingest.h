/*
 * ingest.h -- one file of a bundle, from raw bytes to records
 * (ingest.c): encoding, format sniffing, the parser, hashing and counts.
 * Used by bundle.c / incident.c.  Include util.h and logs.h first.
 */
#ifndef KBGEN_INGEST_H
#define KBGEN_INGEST_H

/* What reading one file found. */
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
};

struct ingest;

/*
 * Starts reading a file.  path names it in diagnostics ("bundle/inner");
 * name is its base name for the sniffer; record() receives each record
 * with the caller's arg.  tz_hint: the host's zone if known.
 */
struct ingest	*ingest_begin(const char *path, const char *name,
		    int32_t tz_hint,
		    void (*record)(void *, const struct record *), void *arg);
/* Feeds the next chunk of raw bytes. */
void		 ingest_feed(struct ingest *, const void *, size_t);
/* Finishes, fills stats and frees the reader. */
void		 ingest_end(struct ingest *, struct ingest_stats *);

#endif
