/*
 * fts.c -- the "kbgen" FTS5 tokenizer: unicode61 for alphabetic text,
 * character bigrams for Chinese, Japanese and Korean.
 *
 * unicode61 splits on spaces and punctuation only, so a CJK sentence,
 * which has neither between words, becomes one huge token that no word
 * query matches.  The text is therefore cut into runs: runs without CJK
 * letters (cp_is_cjk) go to a wrapped unicode61 tokenizer, whose tokens
 * pass through with offsets moved into the whole text; CJK runs are
 * tokenized here.
 *
 * Why bigrams, and a unigram at the same position: most Chinese and
 * Japanese kanji words are two characters, so with overlapping bigrams
 * a query for 同步 or 同期 is one indexed term with its own document
 * frequency, which keeps bm25() meaningful and needs no position lists
 * (it works even with detail=column).  Longer words become phrases of
 * bigrams, 同步失败 -> "同步 步失 失败", which FTS5 matches at
 * consecutive positions wherever the word sits in a longer run.  Single
 * characters would not be found by bigrams alone, so every character
 * also yields itself as a colocated unigram, which makes a one-character
 * query (and a prefix query) work and gives each character exactly one
 * position, so phrases that mix scripts line up.  Unigrams alone would
 * also work but turn every word into a phrase over the huge posting
 * lists of common characters such as の and 的.  The cost is about two
 * index entries per CJK character.
 *
 * Document (and aux) side, for the run ABCD:
 *	position  0: AB  + A (colocated)
 *	position  1: BC  + B
 *	position  2: CD  + C
 *	position  3: D
 * Query side: ABCD gives AB BC CD (a phrase), a lone A gives A.  When
 * more text follows the run in the same query string, the last
 * character is added as a unigram so the next token's position matches
 * the document (ABCD x -> AB BC CD D x).
 *
 * The bigram is the first token at each position because highlight()
 * and snippet() use only first tokens: a matched phrase AB BC CD then
 * spans ABCD.  A one-character match is shown with its right neighbour.
 */
#include <string.h>

#include <sqlite3.h>

#include "util.h"
#include "encoding.h"
#include "fts.h"

/* Arguments that every kbgen tokenizer passes to unicode61 first. */
static const char *const inner_args[] = { "remove_diacritics", "2" };

/* One tokenizer instance: the wrapped unicode61 and its methods. */
struct kbtok {
	fts5_tokenizer	 mod;
	Fts5Tokenizer	*inner;
	int		 fast;	/* ASCII words tokenized here (no extra args) */
	char		*low;	/* an ASCII word lower-cased */
	int		 lowcap;
};

typedef int (*token_fn)(void *, int, const char *, int, int, int);

/* Passes unicode61 tokens on, moved by off bytes. */
struct shift {
	void		*ctx;
	token_fn	 xToken;
	int		 off;
};

/*
 * Decodes the character at text[i] (n bytes in all).  Returns its
 * length; an invalid byte counts as a one-byte non-CJK character.
 */
static int
S_char(const char *text, int n, int i, uint32_t *cp)
{
	int len;

	len = utf8_decode((const unsigned char *)text + i, (size_t)(n - i), cp);
	if (len <= 0) {
		*cp = 0xfffd;
		return 1;
	}
	return len;
}

/* Returns the end of the run starting at i whose cp_is_cjk() is cjk. */
static int
S_run_end(const char *text, int n, int i, int cjk)
{
	uint32_t cp;
	int len;

	while (i < n) {
		if ((unsigned char)text[i] < 0x80) {
			if (cjk)
				break;
			i++;
			continue;
		}
		/*
		 * Nothing below U+0800 is CJK (cp_is_cjk() starts at
		 * U+1100): in a run without CJK, the bytes up to 0xdf (the
		 * leads of such characters and every continuation byte)
		 * pass undecoded, which is most of Cyrillic, Greek and the
		 * accented Latin letters.
		 */
		if (!cjk && (unsigned char)text[i] < 0xe0) {
			i++;
			continue;
		}
		len = S_char(text, n, i, &cp);
		if (cp_is_cjk(cp) != cjk)
			break;
		i += len;
	}
	return i;
}

/* The unicode61 callback: shifts offsets, forwards everything else. */
static int
S_shift_cb(void *p, int tflags, const char *tok, int ntok, int s, int e)
{
	struct shift *sh = p;

	return sh->xToken(sh->ctx, tflags, tok, ntok, s + sh->off,
	    e + sh->off);
}

/* Tokenizes text[start..end) with unicode61. */
static int
S_u61(struct kbtok *t, void *ctx, int flags, const char *text,
    int start, int end, token_fn xToken)
{
	struct shift sh;

	sh.ctx = ctx;
	sh.xToken = xToken;
	sh.off = start;
	return t->mod.xTokenize(t->inner, &sh, flags, text + start,
	    end - start, S_shift_cb);
}

/* Emits the ASCII word text[s..e) lower-cased, as unicode61 would. */
static int
S_ascii_word(struct kbtok *t, void *ctx, token_fn xToken, const char *text,
    int s, int e)
{
	int i, n = e - s;
	char *nlow;

	for (i = s; i < e; i++)
		if (text[i] >= 'A' && text[i] <= 'Z')
			break;
	if (i == e)
		return xToken(ctx, 0, text + s, n, s, e);
	if (n > t->lowcap) {
		if ((nlow = sqlite3_realloc(t->low, n)) == NULL)
			return SQLITE_NOMEM;
		t->low = nlow;
		t->lowcap = n;
	}
	for (i = 0; i < n; i++)
		t->low[i] = (char)kb_tolower((unsigned char)text[s + i]);
	return xToken(ctx, 0, t->low, n, s, e);
}

/*
 * Tokenizes the run text[start..end), which has no CJK letter, as
 * unicode61 does.  Most of it is ASCII, whose words unicode61 would only
 * lower-case (its token characters there are the letters and digits, and
 * every other ASCII byte separates), so they are emitted here, which
 * halves the cost of indexing; words with other bytes, in spans between
 * ASCII separators, still go to unicode61.  Token texts, offsets and
 * positions are the same either way.
 */
static int
S_inner(struct kbtok *t, void *ctx, int flags, const char *text,
    int start, int end, token_fn xToken)
{
	int i = start, ws, ascii, span = -1, span_end = 0, rc = SQLITE_OK;
	unsigned char c;

	if (!t->fast)
		return S_u61(t, ctx, flags, text, start, end, xToken);
	while (i < end && rc == SQLITE_OK) {
		c = (unsigned char)text[i];
		if (c < 0x80 && !kb_isalnum(c)) {
			i++;
			continue;
		}
		/* A word: up to the next ASCII separator. */
		for (ws = i, ascii = 1; i < end; i++) {
			c = (unsigned char)text[i];
			if (c >= 0x80)
				ascii = 0;
			else if (!kb_isalnum(c))
				break;
		}
		if (!ascii) {
			if (span < 0)
				span = ws;
			span_end = i;
			continue;
		}
		if (span >= 0) {
			rc = S_u61(t, ctx, flags, text, span, span_end, xToken);
			span = -1;
			if (rc != SQLITE_OK)
				break;
		}
		rc = S_ascii_word(t, ctx, xToken, text, ws, i);
	}
	if (rc == SQLITE_OK && span >= 0)
		rc = S_u61(t, ctx, flags, text, span, span_end, xToken);
	return rc;
}

/* Emits text[s..e) as a token at position tflags says. */
static int
S_emit(void *ctx, token_fn xToken, int tflags, const char *text, int s, int e)
{
	return xToken(ctx, tflags, text + s, e - s, s, e);
}

/*
 * Tokenizes the CJK run text[start..end) of a document (or for an aux
 * function): at each character its bigram, then its unigram colocated;
 * the last character has only its unigram.
 */
static int
S_cjk_doc(void *ctx, const char *text, int start, int end, token_fn xToken)
{
	uint32_t cp;
	int a = start, b, c, rc = SQLITE_OK;

	while (a < end && rc == SQLITE_OK) {
		b = a + S_char(text, end, a, &cp);
		if (b < end) {
			c = b + S_char(text, end, b, &cp);
			rc = S_emit(ctx, xToken, 0, text, a, c);
			if (rc == SQLITE_OK)
				rc = S_emit(ctx, xToken, FTS5_TOKEN_COLOCATED,
				    text, a, b);
		} else
			rc = S_emit(ctx, xToken, 0, text, a, b);
		a = b;
	}
	return rc;
}

/*
 * Tokenizes the CJK run text[start..end) of a query: its bigrams, or the
 * one character of a one-character run.  more says whether text follows
 * the run, which then needs the last character's own position.
 */
static int
S_cjk_query(void *ctx, const char *text, int start, int end, int more,
    token_fn xToken)
{
	uint32_t cp;
	int a = start, b, c, rc = SQLITE_OK;

	b = a + S_char(text, end, a, &cp);
	if (b >= end)
		return S_emit(ctx, xToken, 0, text, a, b);
	while (b < end && rc == SQLITE_OK) {
		c = b + S_char(text, end, b, &cp);
		rc = S_emit(ctx, xToken, 0, text, a, c);
		a = b;
		b = c;
	}
	if (rc == SQLITE_OK && more)
		rc = S_emit(ctx, xToken, 0, text, a, b);
	return rc;
}

/*
 * The xTokenize method: alternates unicode61 runs and CJK runs.  Stops
 * at the first callback result other than SQLITE_OK and returns it.
 */
static int
S_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text,
    int n, token_fn xToken)
{
	struct kbtok *t = (struct kbtok *)p;
	int start = 0, end, rc = SQLITE_OK;
	int query = (flags & FTS5_TOKENIZE_QUERY) != 0;

	if (text == NULL)
		return SQLITE_OK;
	while (start < n && rc == SQLITE_OK) {
		end = S_run_end(text, n, start, 0);
		if (end > start)
			rc = S_inner(t, ctx, flags, text, start, end, xToken);
		start = end;
		if (start >= n || rc != SQLITE_OK)
			break;
		end = S_run_end(text, n, start, 1);
		if (query)
			rc = S_cjk_query(ctx, text, start, end, end < n, xToken);
		else
			rc = S_cjk_doc(ctx, text, start, end, xToken);
		start = end;
	}
	return rc;
}

/*
 * The xCreate method.  pUserData is the fts5_api, which finds unicode61;
 * that is created with inner_args followed by the table's own arguments
 * (later ones win, so a table may override remove_diacritics).
 */
static int
S_create(void *pUserData, const char **argv, int argc, Fts5Tokenizer **out)
{
	fts5_api *api = pUserData;
	struct kbtok *t;
	const char **args;
	void *u61;
	int rc, nargs = (int)(sizeof(inner_args) / sizeof(inner_args[0]));

	*out = NULL;
	if ((t = sqlite3_malloc(sizeof(*t))) == NULL)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof(*t));
	if ((args = sqlite3_malloc64(sizeof(*args) *
	    (size_t)(nargs + argc))) == NULL) {
		sqlite3_free(t);
		return SQLITE_NOMEM;
	}
	memcpy(args, inner_args, sizeof(inner_args));
	if (argc > 0)
		memcpy(args + nargs, argv, sizeof(*args) * (size_t)argc);
	rc = api->xFindTokenizer(api, "unicode61", &u61, &t->mod);
	if (rc == SQLITE_OK)
		rc = t->mod.xCreate(u61, args, nargs + argc, &t->inner);
	sqlite3_free(args);
	if (rc != SQLITE_OK) {
		sqlite3_free(t);
		return rc;
	}
	/* Extra arguments (tokenchars, separators ...) change what a token
	 * is: then unicode61 decides everything. */
	t->fast = argc == 0;
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

/* The xDelete method. */
static void
S_delete(Fts5Tokenizer *p)
{
	struct kbtok *t = (struct kbtok *)p;

	if (t == NULL)
		return;
	if (t->inner != NULL)
		t->mod.xDelete(t->inner);
	sqlite3_free(t->low);
	sqlite3_free(t);
}

/* Returns db's fts5_api (NULL when FTS5 is missing or too old). */
static fts5_api *
S_fts5_api(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	fts5_api *api = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	(void)sqlite3_step(st);
	sqlite3_finalize(st);
	if (api != NULL && api->iVersion < 2)
		return NULL;
	return api;
}

/*
 * Registers the tokenizer with the fts5_api as its user data, which
 * S_create() needs to find unicode61.  See fts.h.
 */
int
fts_register(sqlite3 *db)
{
	static fts5_tokenizer methods = { S_create, S_delete, S_tokenize };
	fts5_api *api;

	if ((api = S_fts5_api(db)) == NULL)
		return SQLITE_ERROR;
	return api->xCreateTokenizer(api, "kbgen", api, &methods, NULL);
}

/*
 * Whether cp is white space between query terms: ASCII, no-break space
 * and the ideographic space an IME types in CJK text.
 */
static int
S_is_qspace(uint32_t cp)
{
	return (cp < 0x80 && kb_isspace((int)cp)) || cp == 0xa0 ||
	    cp == 0x3000;
}

/*
 * Whether cp is surely not part of any unicode61 or CJK token, so a
 * term made only of such characters tokenizes to nothing.  An empty
 * phrase makes the whole AND match nothing, so when unsure this says
 * yes: dropping a term only widens the search.
 */
static int
S_is_punct(uint32_t cp)
{
	if (cp < 0x80)
		return !kb_isalnum((int)cp);
	if (cp <= 0xbf)
		return cp != 0xaa && cp != 0xb5 && cp != 0xba;
	if (cp == 0xd7 || cp == 0xf7)
		return 1;
	if (cp >= 0x2000 && cp <= 0x2bff)	/* punctuation, symbols */
		return 1;
	if (cp >= 0x3000 && cp <= 0x303f)	/* CJK punctuation */
		return !cp_is_cjk(cp);
	if ((cp >= 0xfe10 && cp <= 0xfe1f) || (cp >= 0xfe30 && cp <= 0xfe6f))
		return 1;			/* vertical and small forms */
	if (cp >= 0xff00 && cp <= 0xff65)	/* fullwidth ASCII punct. */
		return !(cp >= 0xff10 && cp <= 0xff19) &&
		    !(cp >= 0xff21 && cp <= 0xff3a) &&
		    !(cp >= 0xff41 && cp <= 0xff5a);
	return cp >= 0x1f000 && cp <= 0x1faff;	/* emoji and the like */
}

/* Decodes the character at s (NUL-terminated); invalid bytes are 1. */
static int
S_qchar(const char *s, uint32_t *cp)
{
	int len = utf8_decode((const unsigned char *)s, strnlen(s, 4), cp);

	if (len <= 0) {
		*cp = 0xfffd;
		return 1;
	}
	return len;
}

/* Whether s[0..n) holds anything a tokenizer would keep. */
static int
S_searchable(const char *s, size_t n)
{
	const char *end = s + n;
	uint32_t cp;

	while (s < end) {
		s += S_qchar(s, &cp);
		if (!S_is_punct(cp) && cp != 0xfffd)
			return 1;
	}
	return 0;
}

/* Returns the first character of s that is not query white space. */
static const char *
S_skip_qspace(const char *s)
{
	uint32_t cp;
	int len;

	while (*s != '\0') {
		len = S_qchar(s, &cp);
		if (!S_is_qspace(cp))
			break;
		s += len;
	}
	return s;
}

/* Returns the end of the bare word at s (white space or NUL). */
static const char *
S_word_end(const char *s)
{
	uint32_t cp;
	int len;

	while (*s != '\0') {
		len = S_qchar(s, &cp);
		if (S_is_qspace(cp))
			break;
		s += len;
	}
	return s;
}

/* Appends s[0..n) as an FTS5 string: in quotes, quotes doubled. */
static void
S_put_quoted(struct buf *b, const char *s, size_t n)
{
	const char *q, *end = s + n;

	buf_putc(b, '"');
	while ((q = memchr(s, '"', (size_t)(end - s))) != NULL) {
		buf_put(b, s, (size_t)(q - s + 1));
		buf_putc(b, '"');
		s = q + 1;
	}
	buf_put(b, s, (size_t)(end - s));
	buf_putc(b, '"');
}

/*
 * Reads one term at s (not white space): a "phrase" up to its closing
 * quote (or the end) or a bare word, and a trailing run of *.  Sets
 * *start and *len to the text to search and *prefix; returns where the
 * next term may begin.
 */
static const char *
S_term(const char *s, const char **start, size_t *len, int *prefix)
{
	const char *end;

	*prefix = 0;
	if (*s == '"') {
		*start = ++s;
		if ((end = strchr(s, '"')) == NULL)
			end = s + strlen(s);
		*len = (size_t)(end - s);
		s = *end == '"' ? end + 1 : end;
		for (; *s == '*'; s++)
			*prefix = 1;
		return s;
	}
	*start = s;
	end = S_word_end(s);
	s = end;
	while (end > *start && end[-1] == '*') {
		end--;
		*prefix = 1;
	}
	*len = (size_t)(end - *start);
	return s;
}

/*
 * Quotes each term of q and joins them with AND; see fts.h.  Returns a
 * malloc'd string.
 */
char *
fts_query_from_user(const char *q)
{
	struct buf b = {0};
	const char *start;
	size_t len;
	int prefix;

	if (q == NULL)
		q = "";
	for (q = S_skip_qspace(q); *q != '\0'; q = S_skip_qspace(q)) {
		q = S_term(q, &start, &len, &prefix);
		if (!S_searchable(start, len))
			continue;
		if (b.len > 0)
			buf_puts(&b, " AND ");
		S_put_quoted(&b, start, len);
		if (prefix)
			buf_putc(&b, '*');
	}
	if (b.len == 0)
		buf_puts(&b, "\"\"");
	return buf_detach(&b);
}
