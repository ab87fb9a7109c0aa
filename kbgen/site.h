/*
 * site.h -- the static site's internals: the model loaded from the KB,
 * templates, output, links, search and the page writers.  Included only
 * by render_site.c and site_*.c; include util.h, <sqlite3.h>, db.h and
 * mustache.h first.
 *
 * Ownership: struct site owns everything in its model (articles,
 * versions, sections, links, codes) and frees it in site_free(); pages
 * borrow from it.  Every URL in the model is relative to the site root
 * ("a/KEY/en-us/2023-03-07.html"); a page adds its own root prefix
 * ("../../../") so the site works from file:// and under any sub-path.
 */
#ifndef KBGEN_SITE_H
#define KBGEN_SITE_H

#include <stdint.h>

struct site_article;
struct site_version;
struct site_tmpl;
struct site_manifest;
struct site_path;

/* A section as the site needs it without its HTML (anchors, titles). */
struct site_section {
	int64_t			 id;
	struct site_version	*v;
	int			 ordinal;
	int			 level;
	int			 line;
	char			*anchor;
	char			*title;
	struct vec		 codes;		/* struct site_code *, mentioned here */
	struct vec		 seen;		/* struct site_seen *: incidents whose
						   report names this section as a
						   fix (detail: the confidence) */
};

/* Kinds of link, as link.kind says. */
enum site_link_kind { SL_INTERNAL, SL_ANCHOR, SL_SITE, SL_EXTERNAL };

/* A link of a section, resolved for the site. */
struct site_link {
	struct site_section	*sec;
	int64_t			 section_id;
	int			 ordinal;	/* 1-based within the section */
	int			 line;
	enum site_link_kind	 kind;
	char			*target;	/* as written */
	char			*path;		/* internal: the file it names */
	char			*anchor;	/* fragment or NULL */
	/* Filled in by site_links_resolve(): */
	char			*href;		/* from the site root; NULL: broken
						   (internal) or kept as written */
	int			 broken;	/* 1: no page, 2: page but no anchor */
};

/* Translation status of a version against its article's English text. */
struct site_tstat {
	int	 known;		/* a diff was run (else only the source is known) */
	int	 total;		/* English sections */
	int	 stale;		/* changed in English since the translation */
	int	 missing;	/* English sections not translated */
	int	 extra;		/* translated sections without an English one */
	char	 basis[8];	/* "hash", "commit", "date" or "" */
	char	*base;		/* label of the English version translated */
	char	*note;		/* the diff's remark for readers, or NULL */
};

/* One article version: one page per version and language. */
struct site_version {
	int64_t			 id;
	struct site_article	*art;
	char			*locale, *label, *date, *title;
	char			*path;		/* canonical source path */
	char			*display;	/* the path as given */
	char			*sha1;
	char			*source_hash;	/* ms.openlocfilehash */
	char			*source_commit;
	char			*commit;	/* git commit of the source, or NULL */
	char			*handoff;	/* ms.lasthandoff as ISO, or NULL */
	int			 mt;		/* machine translation */
	int64_t			 source_id;	/* source_version_id, 0 unknown */
	struct site_version	*source;
	struct site_version	*en;		/* translation: the English version
						   it is checked against */
	char			*url;		/* a/KEY/LOCALE/LABEL.html */
	char			 refsig[41];	/* what a code page shows of it
						   (site_codes.c), once, or "" */
	char			*diff_url;	/* d/...: translation vs en */
	struct site_version	*prev;		/* the next older version in
						   this locale, or NULL */
	char			*changes_url;	/* v/...: prev against this
						   version, when prev */
	struct site_section	**secs;		/* by ordinal */
	size_t			 nsecs;
	struct site_section	**by_anchor;	/* sorted by anchor */
	struct site_link	*links;		/* in document order */
	size_t			 nlinks;
	struct vec		 inline_ids;	/* char *: <a id> in the bodies,
						   read when a link needs them */
	int			 inline_read;
	struct site_tstat	 ts;
	size_t			 order;		/* index in site.versions */
	int			 bucket;	/* search index bucket */
	char			 sig[41];	/* page signature */
};

/* An article: its versions in every language. */
struct site_article {
	char			*key;
	char			*topic;
	struct vec		 versions;	/* struct site_version *: en-us
						   first, then by locale; newest
						   first within a locale */
	struct site_version	*main;		/* newest English, else first */
};

/* A code (or log file) page: what mentions it and where it was seen. */
struct site_code {
	int			 kind;		/* enum mention_kind */
	char			*value;
	char			*url;		/* c/KIND/VALUE.html, l/NAME.html */
	struct vec		 refs;		/* struct site_section * */
	struct vec		 seen;		/* struct site_seen * */
};

/* Incidents in which a code was seen. */
struct site_seen {
	char	*incident;
	char	*url;
	long	 count;		/* signals; 0 for a collected file */
	char	*detail;	/* collected file: "HOST: path", else NULL */
};

struct site {
	struct db		*db;
	const char		*out;
	struct vec		 articles;	/* struct site_article *, by key */
	struct vec		 versions;	/* struct site_version *, page order */
	struct site_section	*secs;		/* every section, by id */
	size_t			 nsecs;
	struct site_link	*links;		/* every link */
	size_t			 nlinks;
	struct site_path	*paths;		/* source paths, sorted */
	size_t			 npaths;
	struct site_path	*snaps;		/* the same, by the part after
						   the commit folder, sorted;
						   made on first use */
	size_t			 nsnaps;
	struct vec		 codes;		/* struct site_code *, sorted */
	struct vec		 incidents;	/* char *: names, sorted */
	struct vec		 reports;	/* struct mu_value *: the report of
						   each incident (report.h), until
						   its page takes it */
	char			 gsig[41];	/* global signature */
	struct site_tmpl	*tmpl;
	struct site_manifest	*man;
	long			 written, kept, rendered;	/* statistics */
	int			 rc;		/* -1 after a write error */
};

/* ---- render_site.c ---- */

/* A file-name-safe, collision-free form of a key, label or value. */
char	*site_fname(const char *);
/* The same for a part of a flat page name: no '.' either. */
char	*site_fname_part(const char *);
/*
 * How deep version pages (a/, d/, v/) lie below the root: one folder a
 * kind, "KEY.LOCALE.LABEL.html" in it.  Flat on purpose: a folder per
 * article and language cost the file system more than the pages' bytes.
 */
#define SITE_VDEPTH	1
/* "../" repeated for a page at the given depth below the root. */
const char *site_root(int depth);
/* "HRESULT", "Log file" ... for an enum mention_kind. */
const char *site_kind_label(int kind);
/* A {label, url} map for templates, url prefixed with root. */
struct mu_value *site_link_item(const char *root, const char *label,
	    const char *url);
/* The newest English version of an article, else NULL. */
struct site_version *site_english(const struct site_article *);

/* ---- site_model.c ---- */

/* Loads the model (everything but section HTML and text).  Returns 0. */
int	 site_load(struct site *, struct db *);
void	 site_free(struct site *);
/* The version compiled from path (or a copy of it), or NULL. */
/*
 * The version compiled from the same file in another snapshot of its
 * repository: a path ".../REPO/COMMIT/rest" whose file was not
 * compiled matches compiled paths ".../COMMIT2/rest" (the corpus keeps
 * repositories at several commits, and a link names a file of its own
 * commit).  Among several, one in from's repository folder wins, else
 * any when they all are one article; NULL when none or ambiguous.
 */
struct site_version *site_version_by_snapshot(struct site *,
	    const char *path, const char *from);
struct site_version *site_version_by_path(const struct site *, const char *);
/* A section of v by anchor, or NULL. */
struct site_section *site_anchor(const struct site_version *, const char *);
/* The section with that id, or NULL. */
struct site_section *site_section_by_id(const struct site *, int64_t);
/* The code page of a kind and value, or NULL. */
struct site_code *site_code_find(const struct site *, int kind,
	    const char *value);
/* Sorts site.codes again after codes were added. */
void	 site_codes_sort(struct site *);
/* The URL of the page of a code or log file (malloc'd). */
char	*site_code_url(int kind, const char *value);

/* ---- site_links.c ---- */

/*
 * Resolves every link to a page of the site and warns ("FILE:LINE:
 * warning: ...") about internal links to files that are not in the KB
 * and about anchors that do not exist.  Returns the number of warnings.
 */
size_t	 site_links_resolve(struct site *);
/*
 * Appends the section HTML html of section s, rewritten for a page at
 * root: internal links point at pages, images are shown as their text
 * (no request leaves the page), alerts get role="note".
 */
void	 site_rewrite_html(struct buf *, const struct site *,
	    const struct site_section *, const char *html, const char *root);

/* ---- site_tmpl.c ---- */

/*
 * Templates: the built-in ones (templates/, embedded) with the files of
 * dir (may be NULL) replacing those of the same name.  Returns NULL
 * after a diagnostic when dir cannot be read.
 */
struct site_tmpl *site_tmpl_open(const char *dir);
void	 site_tmpl_free(struct site_tmpl *);
/* SHA-1 over every template and asset in effect, for page signatures. */
const char *site_tmpl_sig(const struct site_tmpl *);
/*
 * Renders template name (NAME.mustache) against data into out.  Returns
 * 0, or -1 after a diagnostic (a template that does not compile).
 */
int	 site_tmpl_render(struct site_tmpl *, const char *name,
	    const struct mu_value *data, struct buf *out);
/* Writes every asset (files not ending in .mustache) into the site,
 * but for a name the site already has a page of (a warning). */
void	 site_tmpl_assets(struct site_tmpl *, struct site *);

/* ---- site_out.c ---- */

/*
 * The manifest (OUT/.kbgen-site) remembers each page's signature (a
 * SHA-1 over what the page is made of) and a short note, so that a
 * rebuild skips pages whose inputs did not change and removes pages
 * that are no longer produced.
 */
struct site_manifest *site_manifest_load(const char *out);
/* Returns 1 when path is recorded with sig and still exists (and marks
 * it kept); note, when not NULL, gets the recorded note. */
int	 site_manifest_fresh(struct site_manifest *, const char *out,
	    const char *path, const char *sig, const char **note);
/* Has this run produced path already? (A linear scan: for assets.) */
int	 site_manifest_has(const struct site_manifest *, const char *path);
/* Records path as produced by this run. */
void	 site_manifest_put(struct site_manifest *, const char *path,
	    const char *sig, const char *note);
/* Removes pages of the previous run not produced by this one, writes
 * the manifest and frees it. */
void	 site_manifest_finish(struct site_manifest *, struct site *);

/* mkdir -p; returns 0 or -1 after a diagnostic. */
int	 site_mkdirs(const char *dir);
/*
 * Writes data to OUT/path (creating folders) unless the file holds
 * exactly that already.  Returns 1 written, 0 unchanged, -1 error (after
 * a diagnostic; s->rc is set).  Safe on worker threads: pages are
 * written where they are rendered.
 */
int	 site_write(struct site *, const char *path, const char *data,
	    size_t len);
/* Incremental SHA-1 for signatures. */
struct site_hash;
struct site_hash *site_hash_new(void);
void	 site_hash_str(struct site_hash *, const char *);	/* NULL ok */
void	 site_hash_int(struct site_hash *, int64_t);
/* Finishes into out (41 bytes) and frees. */
void	 site_hash_end(struct site_hash *, char out[41]);

/* ---- site_pipe.c ---- */

/*
 * Work on other cores: load a job on the main thread (the KB has one
 * connection), push it; work runs on a worker thread and must not touch
 * the KB, the manifest or the site's counters (but for site_write(),
 * which writes the page there); emit runs on the main thread, in push
 * order, records the page in the manifest and frees the job.
 */
typedef void (*site_work_fn)(struct site *, void *job);
typedef void (*site_emit_fn)(struct site *, void *job);
struct site_pipe;
struct site_pipe *site_pipe_new(struct site *, site_work_fn, site_emit_fn);
void	 site_pipe_push(struct site_pipe *, void *job);
/* Emits every job left and frees the pipe. */
void	 site_pipe_finish(struct site_pipe *);

/* ---- site_search.c ---- */

/*
 * Writes the offline search index: search/index.js (the bucket count
 * and the code aliases) and search/bN.js for every bucket whose
 * versions changed.  Returns 0.
 */
int	 site_search(struct site *);

/* ---- site_codes.c ---- */

/* Code pages (c/), log-file pages (l/) and their indexes. */
void	 site_codes_pages(struct site *);

/* ---- site_incident.c ---- */

/* Loads the incident names and where each code was seen. */
void	 site_incidents_load(struct site *);
/* The incident index (i/index.html) and one page per incident; adds
 * one summary map per incident to list, for the home page. */
void	 site_incidents_pages(struct site *, struct mu_value *list);

/* ---- site_diff.c ---- */

/*
 * Checks every translation against the newest English version of its
 * article (kbgen diff): fills v->ts and writes the diff page d/... for
 * each translation whose inputs changed.  Also diffs every version
 * against the next older version in its locale (kbgen diff, version
 * mode) and writes the page v/KEY/LOCALE/LABEL.html that the version
 * switcher links, for each pair whose inputs changed.
 */
void	 site_diffs(struct site *);

/* ---- diff_memo.c: diff pages remembered with the diff results ---- */

/*
 * The site renders one page per diff, and copies of an article give the
 * same sections, hence the same pairs and the same pairs HTML.  On the
 * calling thread: diff_memo_html_want(1) before diff_run() lets a memo
 * hit hand out the remembered pairs HTML instead of the pairs (r.pairs
 * stays empty; the counts are filled); diff_memo_html_take() appends
 * that HTML to out and returns 1, or returns 0 (render the pairs, then
 * diff_memo_html_put() them for the next copy).  Call want(0) after.
 */
struct diff_memo;
void	 diff_memo_html_want(int on);
int	 diff_memo_html_take(struct buf *out);
void	 diff_memo_html_put(struct diff_memo *, const char *html, size_t len);

/* ---- shared page data ---- */

/* A deep copy of a template value (site_incident.c). */
struct mu_value *site_copy_list(const struct mu_value *);

/* A new page map with root, lang and title set. */
struct mu_value *site_page(const struct site *, int depth, const char *lang,
	    const char *title);
/* Renders template tmpl with data into out and frees data; safe on
 * worker threads.  Returns 0, or -1 after a diagnostic. */
int	 site_render_page(struct site *, const char *tmpl,
	    struct mu_value *data, struct buf *out);
/* Renders template name with data and writes it to path; frees data. */
void	 site_emit(struct site *, const char *tmpl, struct mu_value *data,
	    const char *path, const char *sig, const char *note);

#endif
