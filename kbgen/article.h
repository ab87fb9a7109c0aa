/*
 * article.h -- the in-memory normalized article, shared by the readers
 * (article_md.c, article_text.c), the mention scanner (mention.c), the
 * compiler (compile.c) and the database layer (db.c).  Include util.h first.
 *
 * Ownership: an article owns its sections; a section owns its strings,
 * mentions, steps and links.  article_free() releases everything.
 */
#ifndef KBGEN_ARTICLE_H
#define KBGEN_ARTICLE_H

enum article_format {
	FORMAT_MARKDOWN,	/* DocFX Markdown, optional YAML front matter */
	FORMAT_TEXT		/* TechNet plain-text export */
};

/* Kinds of mention; the names are what the KB stores in mention.kind. */
enum mention_kind {
	MENTION_HRESULT,	/* value: "0x80070643" (8 lower-case hex digits) */
	MENTION_WIN32,		/* value: decimal Win32 error, "1603" */
	MENTION_STATMSG,	/* value: ConfigMgr status message ID, "6703" */
	MENTION_HTTP,		/* value: HTTP status, "503" */
	MENTION_EVENT,		/* value: Windows event ID, "364" */
	MENTION_KB,		/* value: KB article number, "4039929" */
	MENTION_LOGFILE,	/* value: lower-case file name, "wsyncmgr.log" */
	MENTION_SERVICE,	/* value: service or app-pool name as written */
	MENTION_MESSAGE,	/* value: normalized error message text */
	MENTION__MAX
};
const char *mention_kind_name(enum mention_kind);
int	 mention_kind_parse(const char *);	/* -1 when unknown */

struct mention {
	enum mention_kind kind;
	char	*value;		/* normalized key */
	char	*raw;		/* the text as written */
};

struct step {
	int	 ordinal;	/* 1-based within its list */
	int	 list;		/* 1-based ordered list number within the section */
	char	*text;		/* plain text of the list item */
};

struct link {
	char	*target;	/* href as written */
	char	*text;		/* link text (plain) */
	int	 line;		/* source line, 0 when unknown */
	/* Set by the compiler (on its worker threads) before storing: */
	const char *kind;	/* "internal", "external", "anchor", "site" */
	char	*resolved;	/* internal: the canonical path, else NULL */
	char	*anchor;	/* the fragment without '#', or NULL */
};

enum callout {
	CALLOUT_NONE, CALLOUT_NOTE, CALLOUT_TIP, CALLOUT_IMPORTANT,
	CALLOUT_CAUTION, CALLOUT_WARNING
};

struct callout_item {
	enum callout type;
	char	*text;		/* plain text of the alert body */
};
const char *callout_name(enum callout);	/* "note" ... */

struct section {
	int	 level;		/* heading level 1-6; 0 for text before any heading */
	int	 parent;	/* index of the parent section, -1 for none */
	int	 line;		/* 1-based source line of the heading */
	char	*anchor;	/* unique within the version */
	char	*title;		/* plain text */
	struct buf html;	/* safe HTML of the body (heading excluded) */
	struct buf text;	/* plain text of the body: blocks separated by
				   blank lines, list items and table rows one
				   per line ("cell | cell") */
	/*
	 * Candidate error messages the reader saw in code blocks, bold
	 * lines, block quotes and example log lines (struct buf *, owned).
	 * mention_collect() turns them into MENTION_MESSAGE mentions.
	 */
	struct vec messages;
	struct vec mentions;	/* struct mention * */
	struct vec steps;	/* struct step * */
	struct vec links;	/* struct link * */
	struct vec callouts;	/* struct callout_item * */
};

struct article {
	char	*path;		/* path as given on the command line */
	enum article_format format;
	char	*key;		/* ms.assetid or derived */
	char	*locale;	/* lower-case BCP 47, "zh-cn" */
	char	*title;
	char	*date;		/* ISO "2023-03-07" or NULL */
	char	*commit;	/* git commit (abbreviated ok) or NULL */
	char	*version;	/* label: date, date@commit, or sha1 prefix */
	char	 sha1[41];	/* raw bytes as read */
	char	 sha1_lf[41];	/* with CRLF turned into LF */
	char	 sha1_crlf[41];	/* with lone LF turned into CRLF */
	int	 mt;		/* machine translation */
	char	*frontmatter;	/* JSON object text, "{}" when none */
	char	*source_hash;	/* ms.openlocfilehash or NULL */
	char	*source_commit;	/* ms.sourcegitcommit or NULL */
	size_t	 bytes;		/* size of the raw file */
	struct vec sections;	/* struct section * in document order */
};

struct article	*article_new(const char *path, enum article_format);
void		 article_free(struct article *);
/* Appends a new empty section and returns it; parent is computed from level. */
struct section	*article_add_section(struct article *, int level, int line,
		    const char *title, const char *anchor);
void		 section_add_mention(struct section *, enum mention_kind,
		    const char *value, const char *raw);
void		 section_add_step(struct section *, int list, int ordinal,
		    const char *text);
void		 section_add_link(struct section *, const char *target,
		    const char *text, int line);
void		 section_add_message(struct section *, const char *, size_t);
void		 section_add_callout(struct section *, enum callout,
		    const char *text);
/*
 * Makes a GitHub/DocFX-style anchor slug from a heading: lower-case,
 * punctuation dropped, spaces to '-', non-ASCII letters kept.  The caller
 * frees the result.  article_add_section() de-duplicates with "-1", "-2".
 */
char		*anchor_slug(const char *title);

/*
 * Readers.  Each fills a (new) article from decoded UTF-8 text and returns
 * 0, or -1 after printing a diagnostic (the article is then freed by the
 * caller).  "text" is NUL-terminated, valid UTF-8, LF line ends.
 * Reader-specific warnings go through diag() with the article's path.
 */
int	 article_md_read(struct article *, const char *text, size_t len);
/* Once, before readers run on several threads (registers cmark-gfm's
 * extensions, which touches global state). */
void	 article_readers_init(void);
int	 article_text_read(struct article *, const char *text, size_t len);

/*
 * Mention extraction (mention.c): scans every section's title and text and
 * its message candidates, and adds de-duplicated mentions.
 */
void	 mention_collect(struct article *);

/* "03/07/2023" or "2023-03-07" (time ignored) to a malloc'd ISO date, or NULL. */
char	*date_iso(const char *);

#endif
