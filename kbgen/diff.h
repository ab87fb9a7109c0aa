/*
 * diff.h -- structure-aware diffs between article versions and between a
 * translation and its English source: tokens (diff_token.c), word diffs
 * (diff_words.c), the article diff (diff.c), inputs from files and the KB
 * (diff_input.c), writers (render_diff.c); `kbgen diff` is cmd_diff.c.
 * Included by those files, by render_site.c (diff pages, stale-translation
 * banners) and by the tests.  Include util.h and article.h first.
 *
 * Ownership: a struct diff_doc owns its article and source text; a
 * struct diff_result points at the docs it compared (they must outlive
 * it) and owns its pairs, operations and strings.
 */
#ifndef KBGEN_DIFF_H
#define KBGEN_DIFF_H

#include <stdint.h>

struct db;

/* ---- Tokens: the word-level units the diff compares. ---- */

/*
 * Interned strings: one id per distinct byte string, so that token
 * comparison is an integer comparison.  Id 0 is always " ", the one id
 * every run of white space gets.
 */
struct diff_intern;
struct diff_intern *diff_intern_new(void);
void		 diff_intern_free(struct diff_intern *);
uint32_t	 diff_intern_id(struct diff_intern *, const char *, size_t);
/* The string of an id (NUL-terminated); its length in *len if not NULL. */
const char	*diff_intern_str(const struct diff_intern *, uint32_t,
		    size_t *len);

/*
 * Token kinds.  The first five are "hard": the diff aligns them.  Block
 * and inline markup are "soft": compared only between aligned hard
 * tokens, where a difference is a formatting-only change.
 */
enum dtok_kind {
	DT_SPACE,	/* a run of white space (all runs compare equal) */
	DT_WORD,	/* letters and digits of any non-CJK script */
	DT_CJK,		/* one Han, kana or Hangul character */
	DT_PUNCT,	/* one punctuation character (an escape "\-" is "-") */
	DT_URL,		/* a link target "(url)", compared as written */
	DT_BLOCK,	/* line-start markup shown in the text: "-", "1.", "##", ">" */
	DT_MARK		/* hidden markup: "**", "`", "[", fences, tags, comments */
};

struct dtok {
	uint32_t off;	/* raw bytes at src + off */
	uint32_t len;
	uint32_t id;	/* interned normalized form (0 for white space) */
	uint8_t	 kind;	/* enum dtok_kind */
};

struct dtoks {
	struct dtok	*v;
	size_t		 n, cap;
	const char	*src;	/* the text the offsets point into (not owned) */
};

/*
 * How to read the text: plain (words, CJK characters, punctuation),
 * Markdown source (plus block and inline markup, escapes, entities, code
 * spans and fences, link targets) or HTML (tags are markup, entities are
 * decoded).
 */
enum dtok_mode { DM_PLAIN, DM_MARKDOWN, DM_HTML };

/* Shared by the diff files: what a code point makes (white space, a
 * letter or digit of a word, a CJK character, punctuation), the code
 * point at s[p] with its length (invalid bytes: U+FFFD, length 1), and
 * the 32-bit FNV-1a hash of a byte string. */
enum diff_cclass { DC_SPACE, DC_WORD, DC_CJK, DC_PUNCT };
enum diff_cclass diff_cp_class(uint32_t);
uint32_t diff_cp_at(const char *s, size_t n, size_t p, size_t *len);
uint32_t diff_hash(const char *, size_t);
/* diff_hash() of bytes that follow those already hashed into h. */
uint32_t diff_hash_more(uint32_t h, const char *, size_t);

/* Appends the tokens of s[0..n) to t (t->src is set to s). */
void	 diff_tokenize(struct dtoks *t, const char *s, size_t n,
	    enum dtok_mode, struct diff_intern *);
void	 dtoks_free(struct dtoks *);

/* ---- Sequence alignment. ---- */

/*
 * A shortest edit script between a[0..n) and b[0..m) (Myers' O(ND)
 * algorithm in linear space, with a cost cut-off on very different
 * inputs that keeps it near-linear at the price of minimality).  On
 * return ca[i] is 1 when a[i] is deleted and cb[j] is 1 when b[j] is
 * inserted; the other elements form a common subsequence, in order.
 */
void	 diff_lcs(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
	    unsigned char *ca, unsigned char *cb);

/* ---- Word diffs. ---- */

enum diff_opcode { DOP_EQ, DOP_DEL, DOP_INS };

/* One run of text: kept, deleted or inserted; format runs are markup. */
struct diff_op {
	enum diff_opcode op;
	int	 format;	/* 1: a formatting-only change (raw markup) */
	char	*text;
	char	*old;		/* while diff_words() runs: an equal run as
				   on the old side (white space may differ);
				   NULL afterwards */
};

/*
 * The word diff of a and b into ops (struct diff_op *, owned by the
 * caller; free with diff_ops_free).  Hard tokens are aligned by
 * diff_lcs(), and runs of changes slid to line boundaries; where aligned
 * tokens or the markup between them differ only in their raw form, a
 * format del/ins pair is written (or nothing, with ignore_format).  For
 * reading, each stretch of changes is one deletion then one insertion,
 * small equal runs between larger changes fold into them, and white
 * space alone is never a change.  Ops show text, not Markdown: inline
 * markup is left out, block markers ("-", "1.", "##", ">") and link
 * targets stay.  Returns a mask of DF_EDITED and DF_FORMAT.
 */
unsigned diff_words(struct vec *ops, const struct dtoks *a,
	    const struct dtoks *b, const struct diff_intern *,
	    int ignore_format);
void	 diff_ops_free(struct vec *);

/* ---- Section alignment and article diffs. ---- */

enum diff_status {
	DS_SAME,	/* aligned, nothing changed */
	DS_CHANGED,	/* aligned, text, formatting or level changed */
	DS_RENAMED,	/* aligned, the heading text changed */
	DS_MOVED,	/* aligned out of order, or content merged elsewhere */
	DS_ADDED,	/* only in the new version */
	DS_REMOVED,	/* only in the old version */
	DS_MISSING,	/* translation: English section not translated */
	DS_EXTRA,	/* translation: translated section without source */
	DS_STALE,	/* translation: English changed since it was translated */
	DS__MAX
};
const char *diff_status_name(enum diff_status);

/* Everything true of a pair; the status is the most telling of these. */
enum {
	DF_RENAMED = 1 << 0,	/* heading text changed */
	DF_RELEVEL = 1 << 1,	/* heading level changed */
	DF_MOVED = 1 << 2,	/* order changed against the other aligned pairs */
	DF_EDITED = 1 << 3,	/* body text changed */
	DF_FORMAT = 1 << 4,	/* markup changed (formatting only) */
	DF_MERGED = 1 << 5,	/* removed, its content is now in pair.other */
	DF_SPLIT = 1 << 6,	/* added, its content was in pair.other */
	DF_NEWER = 1 << 7,	/* missing: added to the English after the
				   translated version */
	DF_GONE = 1 << 8	/* extra: removed from the English since */
};

/* Why two sections were aligned. */
enum diff_how {
	DH_NONE, DH_ANCHOR, DH_TITLE, DH_SIMILAR, DH_POSITION, DH__MAX
};
const char *diff_how_name(enum diff_how);

struct diff_pair {
	enum diff_status status;
	unsigned	 flags;		/* DF_* */
	enum diff_how	 how;
	int		 old, new;	/* section indexes, -1 when absent */
	int		 other;		/* DF_MERGED/DF_SPLIT: the section on
					   the other side, else -1 */
	double		 score;		/* similarity of the two sections, 0-1 */
	int		 stale;		/* translation: 1, 0, or -1 unknown */
	struct vec	 title_ops;	/* struct diff_op *: heading line */
	struct vec	 ops;		/* struct diff_op *: body */
};

/* One input: an article and, when known, its source text. */
struct diff_doc {
	struct article	*a;		/* owned */
	char		*text;		/* decoded source (UTF-8, LF) or NULL */
	size_t		 len;
	int64_t		 vid;		/* KB version id, 0 for a file */
	char		*name;		/* file path or KB reference as shown */
	char		*handoff;	/* ms.lasthandoff as ISO date, or NULL */
	struct diff_shc	*shc;		/* section bigrams, shared by the diffs
					   the document takes part in, or NULL */
};
void	 diff_doc_free(struct diff_doc *);
/* Gives a loaded document its bigram cache (diff_doc_kb() does). */
void	 diff_doc_shc(struct diff_doc *);

/* One front-matter key that differs; values are JSON text, NULL if absent. */
struct diff_fm {
	char	*key;
	char	*old;
	char	*new;
};

struct diff_memo;

struct diff_opts {
	int	 ignore_format;	/* drop formatting-only changes */
	int	 translation;	/* -1 decide from the locales, 0 no, 1 yes */
	struct diff_memo *memo;	/* results by content (diff_memo.c), or NULL */
};

struct diff_result {
	const struct diff_doc *old, *new;
	const struct diff_doc *base;	/* translation: the English version
					   it was made from, or NULL */
	int		 translation;	/* compared as translation and source */
	int		 english;	/* translation: 0 old is the English side,
					   1 new is */
	const char	*basis;		/* how base was found: "hash",
					   "commit", "date", or NULL */
	char		*note;		/* one line for the reader, or NULL */
	struct vec	 pairs;		/* struct diff_pair *, in report order */
	struct vec	 fm;		/* struct diff_fm * */
	size_t		 count[DS__MAX];
	int		 identical;	/* same raw bytes */
};

/*
 * Compares two articles.  Version mode aligns the sections (anchors,
 * normalized titles, codes and text similarity, then position), marks
 * renames, level changes and moves, and diffs every aligned pair word by
 * word (per character for CJK).  Translation mode (opts->translation, or
 * -1 with exactly one English side) reports every English section as
 * present (same or stale), missing or extra; base, when not NULL, is the
 * English version the translation was made from and basis says how it
 * was found: staleness is then the change from base to the English side.
 * Returns 0; the result is freed with diff_result_free().
 */
int	 diff_run(struct diff_result *, const struct diff_doc *old,
	    const struct diff_doc *new, const struct diff_doc *base,
	    const char *basis, const struct diff_opts *);
void	 diff_result_free(struct diff_result *);

/* The top-level keys of a JSON object text, with their raw JSON values
 * (keys decoded); both vectors hold malloc'd strings.  Returns 0, or -1
 * when the text is not an object (the vectors keep what was read). */
int	 diff_json_members(const char *, struct vec *keys, struct vec *vals);
/* A JSON value for people: a string decoded, anything else as written.
 * NULL for NULL; the caller frees. */
char	*diff_json_text(const char *);

/* ---- Results remembered by content (diff_memo.c). ---- */

/*
 * A memo of section pairs and counts, keyed by what diff_run() reads of
 * its documents (not their names, keys, labels or dates), for callers
 * that diff many copies of the same articles (the site).  Thread-safe;
 * bounded in memory.  diff_run() consults it through diff_opts.memo.
 */
struct diff_memo *diff_memo_new(void);
void	 diff_memo_free(struct diff_memo *);
/* The key of one run: mode holds the options that change the result. */
void	 diff_memo_key(const struct diff_doc *old, const struct diff_doc *new,
	    const struct diff_doc *base, const char *mode, char out[41]);
/* Copies a remembered result into pairs (empty) and count; 1 if found. */
int	 diff_memo_get(struct diff_memo *, const char *key, struct vec *pairs,
	    size_t count[DS__MAX]);
/* Remembers a copy of pairs and count under key. */
void	 diff_memo_put(struct diff_memo *, const char *key,
	    const struct vec *pairs, const size_t count[DS__MAX]);
/*
 * The word diff of one section of a KB version against one section of
 * another, by version ids, section positions and mode (the caller's
 * key): every translation made from one English version asks for the
 * same base-to-English diffs.  get copies flags and, when it holds them,
 * the ops (empty vectors in); 1 if found.  put keeps copies; ops may be
 * NULL when only the flags matter.
 */
int	 diff_memo_pair_get(struct diff_memo *, const char *key,
	    unsigned *flags, struct vec *ops, struct vec *title_ops);
void	 diff_memo_pair_put(struct diff_memo *, const char *key,
	    unsigned flags, const struct vec *ops, const struct vec *title_ops);

/* ---- Inputs (diff_input.c). ---- */

/*
 * Reads an article file as `kbgen compile` would, keeping its text for
 * the Markdown-aware diff.  An empty file is an article without
 * sections.  Returns 0, or -1 after a diagnostic.
 */
int	 diff_doc_file(struct diff_doc *, const char *path);

/*
 * Loads a KB version: metadata, sections, mentions, and its source text
 * when the compiled file is still there with the same SHA-1.  Returns 0,
 * or -1 when there is no such version.
 */
int	 diff_doc_kb(struct diff_doc *, struct db *, int64_t vid);

/*
 * A KB reference "KEY[:LOCALE][@VERSION]" (KEY as version_resolve()
 * takes it: an article key or unique prefix, a source path or a SHA-1
 * prefix; VERSION a label, date or commit prefix, which may itself hold
 * '@'); lang and version, when not NULL, fill in missing parts.  Returns
 * the version id or 0.
 */
int64_t	 diff_ref_resolve(struct db *, const char *ref, const char *lang,
	    const char *version);

/*
 * The English version a translation was made from: the one whose raw
 * SHA-1 is its ms.openlocfilehash ("hash"), else whose commit is its
 * ms.sourcegitcommit ("commit"), else the newest dated English version
 * not after its ms.lasthandoff (or ms.date) ("date"; ties go to the one
 * whose heading anchors agree best).  Sets *basis; returns 0 when none.
 */
int64_t	 diff_source_find(struct db *, const struct diff_doc *,
	    const char **basis);

/*
 * The version the translation tr was made from, with en its English
 * counterpart: en itself when its raw SHA-1 is tr's ms.openlocfilehash,
 * else (db not NULL) what diff_source_find() finds, loaded into own
 * (freed by the caller with diff_doc_free) unless it is en.  Sets
 * *basis; returns NULL when unknown.
 */
const struct diff_doc *diff_base_find(struct db *, const struct diff_doc *en,
	    const struct diff_doc *tr, struct diff_doc *own, const char **basis);

/* One diff between KB versions, owning what it loaded. */
struct diff_kb {
	struct diff_doc	 old, new, base;
	struct diff_result r;
};

/*
 * For the site's diff pages and stale-translation banners: diffs KB
 * versions old and new (a translation against its English source when
 * one side is English, through the version it was made from when the KB
 * has it).  new == 0 with a translation as old compares it with the
 * current English version (the English side then comes first).  Returns
 * 0, or -1 when a version is missing; free with diff_kb_free().  A banner
 * reads r.count[DS_STALE], r.count[DS_MISSING] and r.note.
 */
int	 diff_kb(struct db *, int64_t old, int64_t new,
	    const struct diff_opts *, struct diff_kb *);
void	 diff_kb_free(struct diff_kb *);

/*
 * The versions of key in locale, oldest first (undated ones first, then
 * by date, ms.lasthandoff and label).  Returns the count; *ids is
 * malloc'd.
 */
size_t	 diff_history(struct db *, const char *key, const char *locale,
	    int64_t **ids);

/* ---- Writers (render_diff.c). ---- */

struct diff_render {
	int	 color;		/* ANSI colour in the text form */
	int	 context;	/* text form: unchanged lines around a change */
};

/* The text report: a header, front matter, then one block per section. */
void	 diff_write_text(struct buf *, const struct diff_result *,
	    const struct diff_render *);
/* One JSON object (DESIGN.md "Diff JSON"), without a trailing newline. */
void	 diff_write_json(struct buf *, const struct diff_result *);
/* The HTML body of one diff: summary, inline and side-by-side views; every
 * text escaped.  For pages of the site and for diff_write_html_page. */
void	 diff_write_html(struct buf *, const struct diff_result *);
/* A whole self-contained page (inline CSS, no requests) for n diffs. */
void	 diff_write_html_page(struct buf *, const struct diff_result *const *,
	    size_t n);

#endif
