/*
 * diff.c -- the article diff: section features, alignment (anchors,
 * normalized titles, codes and text similarity, position), moves and
 * merges, word diffs per aligned pair, translations against their
 * English source, front-matter changes.  See diff.h; the tokens are
 * diff_token.c's, the word diffs diff_words.c's, the inputs
 * diff_input.c's and the writers render_diff.c's.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "article.h"
#include "encoding.h"
#include "diff.h"

/* ---- Section features for alignment -------------------------------- */

const char *
diff_status_name(enum diff_status s)
{
	static const char *const names[DS__MAX] = { "same", "changed",
	    "renamed", "moved", "added", "removed", "missing", "extra",
	    "stale" };

	return (unsigned)s < DS__MAX ? names[s] : "unknown";
}

const char *
diff_how_name(enum diff_how h)
{
	static const char *const names[DH__MAX] = { "none", "anchor",
	    "title", "similar", "position" };

	return (unsigned)h < DH__MAX ? names[h] : "none";
}

/* What alignment knows of one section. */
struct feat {
	int		 level;
	const char	*anchor;
	char		*tkey;		/* folded title words, ' '-separated */
	char		*akey;		/* folded anchor words */
	uint32_t	*tw, *aw;	/* hashed title / anchor words, sorted */
	size_t		 ntw, naw;
	uint32_t	*codes;		/* hashed error codes it mentions */
	size_t		 ncodes;
	uint32_t	*sh;		/* hashed word (CJK: character) bigrams,
					   made on first use (feat_sh) */
	size_t		 nsh;
	const struct section *sec;
	int		 sh_done;
	int		 sh_shared;	/* sh belongs to shc */
	struct diff_shc	*shc;		/* the document's, or NULL */
	size_t		 k;		/* the section's index there */
};

/*
 * The text bigrams of a document's sections, made once for all the
 * diffs it takes part in: the site diffs every translation of an
 * article against the same English version (and its base), whose
 * bigrams each of those diffs made again.  Workers share documents.
 */
struct diff_shc {
	pthread_mutex_t	 mu;
	size_t		 n;
	uint32_t	**sh;		/* NULL: not made yet */
	size_t		*nsh;
};

/* Contractions a slug or a rewrite may spell either way: "hasn't",
 * "hasnt", "has not" are the same words. */
static const char *
not_base(const char *w, size_t n)
{
	static const char *const bases[] = { "has", "have", "had", "is", "are",
	    "was", "were", "does", "do", "did", "could", "should", "would",
	    "must", "need", "ca", "wo", "sha" };
	size_t i;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		if (strlen(bases[i]) == n && memcmp(bases[i], w, n) == 0) {
			if (strcmp(bases[i], "ca") == 0)
				return "can";
			if (strcmp(bases[i], "wo") == 0)
				return "will";
			if (strcmp(bases[i], "sha") == 0)
				return "shall";
			return bases[i];
		}
	return NULL;
}

static void
key_put(struct buf *out, const char *s, size_t n)
{
	if (out->len)
		buf_putc(out, ' ');
	buf_put(out, s, n);
}

/* Ends one folded word: contractions become "X not", apostrophes go.
 * Runs once per word of every compared section, so it works in w. */
static void
fold_flush(struct buf *out, struct buf *w)
{
	const char *base;
	size_t i, k;

	if (w->len == 0)
		return;
	if (w->len > 3 && memcmp(w->data + w->len - 3, "n't", 3) == 0 &&
	    (base = not_base(w->data, w->len - 3)) != NULL) {
		key_put(out, base, strlen(base));
		key_put(out, "not", 3);
		buf_reset(w);
		return;
	}
	for (i = k = 0; i < w->len; i++)
		if (w->data[i] != '\'')
			w->data[k++] = w->data[i];
	w->len = k;
	if (k == 6 && memcmp(w->data, "cannot", 6) == 0) {
		key_put(out, "can not", 7);
	} else if (k > 2 && memcmp(w->data + k - 2, "nt", 2) == 0 &&
	    (base = not_base(w->data, k - 2)) != NULL) {
		key_put(out, base, strlen(base));
		key_put(out, "not", 3);
	} else
		key_put(out, w->data, k);
	buf_reset(w);
}

/*
 * The folded words of s into out, ' '-separated: ASCII lower-cased,
 * punctuation and markup dropped, CJK characters one word each,
 * contractions spelled out.
 */
static void
fold_words(struct buf *out, const char *s, size_t n)
{
	struct buf w = {0};
	size_t p = 0, l, l2;
	uint32_t cp;
	unsigned char c;

	while (p < n) {
		c = (unsigned char)s[p];
		if (c < 0x80 && c != '\'') {
			/* ASCII, most of the text: no decoding. */
			if (kb_isalnum(c))
				buf_putc(&w, kb_tolower(c));
			else
				fold_flush(out, &w);
			p++;
			continue;
		}
		cp = diff_cp_at(s, n, p, &l);
		if (diff_cp_class(cp) == DC_WORD) {
			if (cp < 0x80)
				buf_putc(&w, kb_tolower((int)cp));
			else
				buf_put(&w, s + p, l);
		} else if ((cp == '\'' || cp == 0x2019) && w.len && p + l < n &&
		    diff_cp_class(diff_cp_at(s, n, p + l, &l2)) == DC_WORD) {
			buf_putc(&w, '\'');
		} else {
			fold_flush(out, &w);
			if (diff_cp_class(cp) == DC_CJK)
				key_put(out, s + p, l);
		}
		p += l;
	}
	fold_flush(out, &w);
	buf_free(&w);
}

/*
 * Sorts and de-duplicates a hash set in place; returns its size.  A
 * radix sort: every compared section's words and bigrams pass here, and
 * qsort()'s comparator calls were a tenth of the diff time.
 */
static size_t
set_make(uint32_t *v, size_t n)
{
	uint32_t small[256], *tmp, *from, *to, *t;
	size_t cnt[256], i, k, sum, c;
	unsigned shift;

	if (n == 0)
		return 0;
	if (n < 32) {
		for (i = 1; i < n; i++) {
			uint32_t x = v[i];
			for (k = i; k > 0 && v[k - 1] > x; k--)
				v[k] = v[k - 1];
			v[k] = x;
		}
	} else {
		tmp = n <= 256 ? small : xmalloc(n * sizeof(*tmp));
		from = v;
		to = tmp;
		for (shift = 0; shift < 32; shift += 8) {
			memset(cnt, 0, sizeof(cnt));
			for (i = 0; i < n; i++)
				cnt[(from[i] >> shift) & 0xff]++;
			for (sum = 0, c = 0; c < 256; c++) {
				k = cnt[c];
				cnt[c] = sum;
				sum += k;
			}
			for (i = 0; i < n; i++)
				to[cnt[(from[i] >> shift) & 0xff]++] = from[i];
			t = from;
			from = to;
			to = t;
		}
		/* Four passes: the sorted keys are back in v. */
		if (tmp != small)
			free(tmp);
	}
	for (i = 1, k = 0; i < n; i++)
		if (v[i] != v[k])
			v[++k] = v[i];
	return k + 1;
}

/* The hashed words of a ' '-separated key (shingles: adjacent pairs,
 * hashed as the two words with their space between). */
static size_t
key_hashes(const char *key, int pairs, uint32_t **out)
{
	const char *p = key, *sp, *prev = NULL;
	size_t n = 0, cap = 16, plen = 0, len;

	*out = xmalloc(cap * sizeof(**out));
	while (*p) {
		sp = strchr(p, ' ');
		len = sp ? (size_t)(sp - p) : strlen(p);
		if (n + 2 > cap) {
			cap *= 2;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		if (!pairs)
			(*out)[n++] = diff_hash(p, len);
		else if (prev)
			(*out)[n++] = diff_hash_more(diff_hash_more(
			    diff_hash(prev, plen), " ", 1), p, len);
		prev = p;
		plen = len;
		p += len + (sp != NULL);
	}
	if (pairs && n == 0 && prev)
		(*out)[n++] = diff_hash(prev, plen);
	return set_make(*out, n);
}

/* Fills one section's features. */
static void
feat_make(struct feat *f, const struct section *s)
{
	struct buf b = {0};
	char *a, *p;
	size_t i;

	f->level = s->level;
	f->anchor = s->anchor ? s->anchor : "";
	fold_words(&b, s->title ? s->title : "", s->title ? strlen(s->title) : 0);
	f->tkey = xstrdup(buf_str(&b));
	buf_reset(&b);
	a = xstrdup(f->anchor);
	for (p = a; *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	fold_words(&b, a, strlen(a));
	free(a);
	f->akey = xstrdup(buf_str(&b));
	buf_reset(&b);
	f->ntw = key_hashes(f->tkey, 0, &f->tw);
	f->naw = key_hashes(f->akey, 0, &f->aw);
	f->sec = s;
	f->codes = xmalloc((s->mentions.n + 1) * sizeof(*f->codes));
	for (i = 0; i < s->mentions.n; i++) {
		const struct mention *m = s->mentions.v[i];
		if (m->kind > MENTION_KB)
			continue;
		buf_printf(&b, "%d:%s", (int)m->kind, m->value);
		f->codes[f->ncodes++] = diff_hash(b.data, b.len);
		buf_reset(&b);
	}
	f->ncodes = set_make(f->codes, f->ncodes);
	buf_free(&b);
}

/* The text bigrams, made when first needed: most sections align by
 * anchor and never need them. */
static void
feat_sh(struct feat *f)
{
	struct buf b = {0};
	struct diff_shc *c = f->shc;

	if (f->sh_done)
		return;
	f->sh_done = 1;
	if (c != NULL) {
		pthread_mutex_lock(&c->mu);
		if (c->sh[f->k] != NULL) {
			f->sh = c->sh[f->k];
			f->nsh = c->nsh[f->k];
			f->sh_shared = 1;
		}
		pthread_mutex_unlock(&c->mu);
		if (f->sh_shared)
			return;
	}
	fold_words(&b, f->sec->text.data ? f->sec->text.data : "",
	    f->sec->text.len);
	f->nsh = key_hashes(buf_str(&b), 1, &f->sh);
	buf_free(&b);
	if (c != NULL) {
		pthread_mutex_lock(&c->mu);
		if (c->sh[f->k] == NULL) {
			c->sh[f->k] = f->sh;
			c->nsh[f->k] = f->nsh;
			f->sh_shared = 1;
		}
		pthread_mutex_unlock(&c->mu);
	}
}

void
diff_doc_shc(struct diff_doc *d)
{
	struct diff_shc *c;

	if (d->shc != NULL || d->a == NULL)
		return;
	c = xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
	c->n = d->a->sections.n;
	c->sh = xcalloc(c->n + 1, sizeof(*c->sh));
	c->nsh = xcalloc(c->n + 1, sizeof(*c->nsh));
	d->shc = c;
}

static void
shc_free(struct diff_shc *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		free(c->sh[i]);
	free(c->sh);
	free(c->nsh);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

static void
feat_free(struct feat *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(f[i].tkey);
		free(f[i].akey);
		free(f[i].tw);
		free(f[i].aw);
		free(f[i].codes);
		if (!f[i].sh_shared)
			free(f[i].sh);
	}
	free(f);
}

/* |a ∩ b| of two sorted sets. */
static size_t
set_inter(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	size_t i = 0, j = 0, k = 0;

	while (i < n && j < m) {
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else {
			k++;
			i++;
			j++;
		}
	}
	return k;
}

/* Jaccard and Dice coefficients; -1 when both sets are empty. */
static double
jaccard(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	size_t k;

	if (n + m == 0)
		return -1;
	k = set_inter(a, n, b, m);
	return (double)k / (double)(n + m - k);
}

static double
dice(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	if (n == 0 || m == 0)
		return n + m ? 0 : -1;
	return 2.0 * (double)set_inter(a, n, b, m) / (double)(n + m);
}

/* Best heading agreement: title or anchor words against either. */
static double
title_sim(const struct feat *a, const struct feat *b)
{
	double best = -1, d;

	if ((d = dice(a->tw, a->ntw, b->tw, b->ntw)) > best)
		best = d;
	if ((d = dice(a->tw, a->ntw, b->aw, b->naw)) > best)
		best = d;
	if ((d = dice(a->aw, a->naw, b->tw, b->ntw)) > best)
		best = d;
	if ((d = dice(a->aw, a->naw, b->aw, b->naw)) > best)
		best = d;
	return best;
}

/*
 * How alike two sections are, 0-1: headings, codes and text bigrams,
 * weighted (a translation shares headings-by-anchor and codes with its
 * source, rarely text); in version mode the text alone may decide.
 */
static double
feat_score(struct feat *a, struct feat *b, int translation)
{
	double t = title_sim(a, b), x = -1, sum = 0, w = 0;
	double c = a->ncodes + b->ncodes ?
	    jaccard(a->codes, a->ncodes, b->codes, b->ncodes) : -1;
	const double wt = translation ? 0.5 : 0.35, wc = translation ? 0.35 :
	    0.15, wx = translation ? 0.15 : 0.5;

	feat_sh(a);
	feat_sh(b);
	if (a->nsh && b->nsh)
		x = jaccard(a->sh, a->nsh, b->sh, b->nsh);
	if (t >= 0) {
		sum += wt * t;
		w += wt;
	}
	if (c >= 0) {
		sum += wc * c;
		w += wc;
	}
	if (x >= 0) {
		sum += wx * x;
		w += wx;
	}
	sum = w > 0 ? sum / w : 0;
	return !translation && x > sum ? x : sum;
}

/* ---- Alignment ----------------------------------------------------- */

struct align {
	struct feat	*fa, *fb;
	size_t		 n, m;
	int		 translation;
	int		*ma, *mb;	/* the other side's index, or -1 */
	enum diff_how	*how;		/* per a */
};

static void
al_match(struct align *al, size_t i, size_t j, enum diff_how how)
{
	al->ma[i] = (int)j;
	al->mb[j] = (int)i;
	al->how[i] = how;
}

/* Distance of two positions relative to their documents' lengths. */
static double
pos_dist(const struct align *al, size_t i, size_t j)
{
	double d = (double)(i + 1) / (double)(al->n + 1) -
	    (double)(j + 1) / (double)(al->m + 1);

	return d < 0 ? -d : d;
}

/* Pass 1: equal anchors (translations keep the English ones). */
static void
al_anchors(struct align *al)
{
	size_t i, j;

	for (i = 0; i < al->n; i++) {
		if (*al->fa[i].anchor == '\0')
			continue;
		for (j = 0; j < al->m; j++)
			if (al->mb[j] < 0 &&
			    strcmp(al->fa[i].anchor, al->fb[j].anchor) == 0) {
				al_match(al, i, j, DH_ANCHOR);
				break;
			}
	}
}

static int
keys_match(const struct feat *a, const struct feat *b)
{
	if (*a->tkey && (strcmp(a->tkey, b->tkey) == 0 ||
	    strcmp(a->tkey, b->akey) == 0))
		return 1;
	return *a->akey && (strcmp(a->akey, b->tkey) == 0 ||
	    strcmp(a->akey, b->akey) == 0);
}

/* Pass 2: equal normalized titles (or a title and an anchor); of
 * several, the nearest in position. */
static void
al_titles(struct align *al)
{
	size_t i, j;
	int best;

	for (i = 0; i < al->n; i++) {
		if (al->ma[i] >= 0)
			continue;
		best = -1;
		for (j = 0; j < al->m; j++)
			if (al->mb[j] < 0 && keys_match(&al->fa[i], &al->fb[j]) &&
			    (best < 0 || pos_dist(al, i, j) <
			    pos_dist(al, i, (size_t)best)))
				best = (int)j;
		if (best >= 0)
			al_match(al, i, (size_t)best, DH_TITLE);
	}
}

struct cand {
	size_t	 i, j;
	double	 score, dist;
};

static int
cand_cmp(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->dist != b->dist)
		return a->dist < b->dist ? -1 : 1;
	if (a->i != b->i)
		return a->i < b->i ? -1 : 1;
	return a->j < b->j ? -1 : a->j > b->j;
}

/* Pass 3: the most similar remaining pairs above a threshold, best first. */
static void
al_similar(struct align *al)
{
	const double thr = al->translation ? 0.35 : 0.4;
	struct cand *c;
	size_t i, j, n = 0;

	if (al->n * al->m > 4000000)
		return;
	c = xmalloc((al->n * al->m + 1) * sizeof(*c));
	for (i = 0; i < al->n; i++) {
		if (al->ma[i] >= 0)
			continue;
		for (j = 0; j < al->m; j++) {
			double s;
			if (al->mb[j] >= 0)
				continue;
			s = feat_score(&al->fa[i], &al->fb[j], al->translation);
			if (s < thr)
				continue;
			c[n].i = i;
			c[n].j = j;
			c[n].score = s;
			c[n++].dist = pos_dist(al, i, j);
		}
	}
	kb_qsort(c, n, sizeof(*c), cand_cmp);
	for (i = 0; i < n; i++)
		if (al->ma[c[i].i] < 0 && al->mb[c[i].j] < 0)
			al_match(al, c[i].i, c[i].j, DH_SIMILAR);
	free(c);
}

/*
 * The longest increasing run of partners: in[i] is set for the aligned
 * a sections whose b partners are in order (the others moved).
 * O(k log k) patience method.
 */
static void
al_lis(const struct align *al, unsigned char *in)
{
	size_t *tail = xmalloc((al->n + 1) * sizeof(*tail));
	size_t *prev = xmalloc((al->n + 1) * sizeof(*prev));
	size_t i, len = 0, lo, hi, mid, k;

	memset(in, 0, al->n);
	for (i = 0; i < al->n; i++) {
		if (al->ma[i] < 0)
			continue;
		lo = 0;
		hi = len;
		while (lo < hi) {
			mid = (lo + hi) / 2;
			if (al->ma[tail[mid]] < al->ma[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		prev[i] = lo ? tail[lo - 1] : SIZE_MAX;
		tail[lo] = i;
		if (lo == len)
			len++;
	}
	for (k = len ? tail[len - 1] : SIZE_MAX; k != SIZE_MAX; k = prev[k])
		in[k] = 1;
	free(tail);
	free(prev);
}

/* Pairs the unaligned sections of one gap between ordered pairs when
 * both sides hold as many, level by level. */
static void
al_gap(struct align *al, size_t a0, size_t a1, size_t b0, size_t b1)
{
	size_t i, j, ka = 0, kb = 0;

	for (i = a0; i < a1; i++)
		ka += al->ma[i] < 0;
	for (j = b0; j < b1; j++)
		kb += al->mb[j] < 0;
	if (ka == 0 || ka != kb)
		return;
	for (i = a0, j = b0;; i++, j++) {
		while (i < a1 && al->ma[i] >= 0)
			i++;
		while (j < b1 && al->mb[j] >= 0)
			j++;
		if (i >= a1 || j >= b1)
			return;
		if (al->fa[i].level != al->fb[j].level)
			continue;
		if (al->translation || feat_score(&al->fa[i], &al->fb[j], 0) >=
		    0.15)
			al_match(al, i, j, DH_POSITION);
	}
}

/* Pass 4: what is left between two in-order pairs is paired by position. */
static void
al_positions(struct align *al)
{
	unsigned char *in = xmalloc(al->n + 1);
	size_t i, a0 = 0, b0 = 0;

	al_lis(al, in);
	for (i = 0; i <= al->n; i++) {
		if (i < al->n && !in[i])
			continue;
		al_gap(al, a0, i, b0, i < al->n ? (size_t)al->ma[i] : al->m);
		if (i < al->n) {
			a0 = i + 1;
			b0 = (size_t)al->ma[i] + 1;
		}
	}
	free(in);
}

/* Aligns two section lists; the caller frees with align_free(). */
static void
align_sections(struct align *al, struct feat *fa, size_t n,
    struct feat *fb, size_t m, int translation)
{
	size_t i;

	al->fa = fa;
	al->fb = fb;
	al->n = n;
	al->m = m;
	al->translation = translation;
	al->ma = xmalloc((n + 1) * sizeof(int));
	al->mb = xmalloc((m + 1) * sizeof(int));
	al->how = xcalloc(n + 1, sizeof(*al->how));
	for (i = 0; i < n; i++)
		al->ma[i] = -1;
	for (i = 0; i < m; i++)
		al->mb[i] = -1;
	al_anchors(al);
	al_titles(al);
	al_similar(al);
	al_positions(al);
}

static void
align_free(struct align *al)
{
	free(al->ma);
	free(al->mb);
	free(al->how);
}

/* ---- Sides: one document's sections, features and source spans ----- */

struct side {
	const struct diff_doc *d;
	size_t		 n;		/* sections */
	struct feat	*f;
	size_t		*head;		/* per section: heading line [head, body) */
	size_t		*body;		/* body [body, end) in d->text */
	size_t		*end;
	int		 raw;		/* spans usable */
};

static struct section *
sec_at(const struct side *sd, size_t k)
{
	return sd->d->a->sections.v[k];
}

/*
 * Cuts the source text at the section lines: a heading line, then the
 * body up to the next section's first line.  Sections without a usable
 * line (out of order, beyond the text) leave raw unset, and the caller
 * then compares the stored HTML instead.
 */
static void
side_spans(struct side *sd)
{
	const struct diff_doc *d = sd->d;
	size_t *line0, nl = 0, cap = 64, k, p;
	int prev = 0;

	if (d->text == NULL)
		return;
	line0 = xmalloc(cap * sizeof(*line0));
	line0[nl++] = 0;
	for (p = 0; p < d->len; p++)
		if (d->text[p] == '\n') {
			if (nl + 1 >= cap) {
				cap *= 2;
				line0 = xrealloc(line0, cap * sizeof(*line0));
			}
			line0[nl++] = p + 1;
		}
	sd->head = xmalloc((sd->n + 1) * sizeof(size_t));
	sd->body = xmalloc((sd->n + 1) * sizeof(size_t));
	sd->end = xmalloc((sd->n + 1) * sizeof(size_t));
	sd->raw = 1;
	for (k = 0; k < sd->n; k++) {
		const struct section *s = sec_at(sd, k);
		if (s->line < 1 || s->line <= prev || (size_t)s->line > nl) {
			sd->raw = 0;
			break;
		}
		prev = s->line;
		sd->head[k] = line0[s->line - 1];
		sd->body[k] = s->level == 0 ? sd->head[k] :
		    (size_t)s->line < nl ? line0[s->line] : d->len;
		if (k)
			sd->end[k - 1] = sd->head[k];
	}
	if (sd->n)
		sd->end[sd->n - 1] = d->len;
	free(line0);
}

static void
side_make(struct side *sd, const struct diff_doc *d)
{
	size_t k;

	memset(sd, 0, sizeof(*sd));
	sd->d = d;
	sd->n = d->a ? d->a->sections.n : 0;
	sd->f = xcalloc(sd->n + 1, sizeof(*sd->f));
	for (k = 0; k < sd->n; k++) {
		feat_make(&sd->f[k], sec_at(sd, k));
		if (d->shc != NULL && k < d->shc->n) {
			sd->f[k].shc = d->shc;
			sd->f[k].k = k;
		}
	}
	if (d->a)
		side_spans(sd);
}

static void
side_free(struct side *sd)
{
	feat_free(sd->f, sd->n);
	free(sd->head);
	free(sd->body);
	free(sd->end);
}

/* Does any section of the side have stored HTML? */
static int
side_has_html(const struct side *sd)
{
	size_t k;

	for (k = 0; k < sd->n; k++)
		if (sec_at(sd, k)->html.len)
			return 1;
	return sd->n == 0;
}

/* How two sides are read: 2 sources, 1 stored HTML, 0 plain text. */
static int
pair_mode(const struct side *x, const struct side *y)
{
	if ((x->raw || x->n == 0) && (y->raw || y->n == 0))
		return 2;
	return side_has_html(x) && side_has_html(y) ? 1 : 0;
}

/* The heading and body tokens of section k as read in mode. */
static void
sec_tokens(const struct side *sd, size_t k, int mode, struct dtoks *title,
    struct dtoks *body, struct diff_intern *in)
{
	const struct section *s = sec_at(sd, k);
	int md = sd->d->a->format == FORMAT_MARKDOWN;

	if (title == NULL)
		;
	else if (mode == 2 && md && s->level > 0)
		diff_tokenize(title, sd->d->text + sd->head[k],
		    sd->body[k] - sd->head[k], DM_MARKDOWN, in);
	else
		diff_tokenize(title, s->title, s->title ? strlen(s->title) : 0,
		    DM_PLAIN, in);
	if (body == NULL)
		return;
	if (mode == 2)
		diff_tokenize(body, sd->d->text + sd->body[k],
		    sd->end[k] - sd->body[k], md ? DM_MARKDOWN : DM_PLAIN, in);
	else if (mode == 1)
		diff_tokenize(body, s->html.data, s->html.len, DM_HTML, in);
	else
		diff_tokenize(body, s->text.data, s->text.len, DM_PLAIN, in);
}

/* ---- Pairs --------------------------------------------------------- */

struct run {
	struct diff_result *r;
	const struct diff_opts *o;
	struct diff_intern *in;
};

static struct diff_pair *
pair_new(struct diff_result *r, int old, int new)
{
	struct diff_pair *p = xcalloc(1, sizeof(*p));

	p->old = old;
	p->new = new;
	p->other = -1;
	p->stale = -1;
	vec_push(&r->pairs, p);
	return p;
}

static void
pair_free(struct diff_pair *p)
{
	diff_ops_free(&p->title_ops);
	diff_ops_free(&p->ops);
	free(p);
}

/* Are section i of x and section j of y byte for byte the same (heading
 * line and body, as read in mode)? */
static int
sec_same(const struct side *x, size_t i, const struct side *y, size_t j,
    int mode)
{
	const struct section *a = sec_at(x, i), *b = sec_at(y, j);

	if (a->level != b->level || strcmp(a->title ? a->title : "",
	    b->title ? b->title : "") != 0)
		return 0;
	if (mode == 2)
		return x->end[i] - x->head[i] == y->end[j] - y->head[j] &&
		    memcmp(x->d->text + x->head[i], y->d->text + y->head[j],
		    x->end[i] - x->head[i]) == 0;
	if (mode == 1)
		return a->html.len == b->html.len && (a->html.len == 0 ||
		    memcmp(a->html.data, b->html.data, a->html.len) == 0);
	return a->text.len == b->text.len && (a->text.len == 0 ||
	    memcmp(a->text.data, b->text.data, a->text.len) == 0);
}

/* How much of two texts their word diff kept: 2 * kept / (old + new),
 * white space aside. */
static double
ops_similarity(const struct vec *ops)
{
	size_t i, eq = 0, del = 0, ins = 0, n;
	const char *t;

	for (i = 0; i < ops->n; i++) {
		const struct diff_op *o = ops->v[i];
		for (t = o->text, n = 0; *t; t++)
			n += !kb_isspace((unsigned char)*t);
		if (o->format)
			continue;
		*(o->op == DOP_EQ ? &eq : o->op == DOP_DEL ? &del : &ins) += n;
	}
	return eq + del + ins ? 2.0 * (double)eq /
	    (double)(2 * eq + del + ins) : 1;
}

/* The word diff of section i of x against section j of y into p. */
static void
pair_diff(struct run *ru, struct diff_pair *p, const struct side *x, size_t i,
    const struct side *y, size_t j)
{
	struct dtoks ta = {0}, tb = {0}, ba = {0}, bb = {0};
	int mode = pair_mode(x, y);
	unsigned mask;

	if (sec_at(x, i)->level != sec_at(y, j)->level)
		p->flags |= DF_RELEVEL;
	p->score = 1;
	if (sec_same(x, i, y, j, mode))
		return;
	sec_tokens(x, i, mode, &ta, &ba, ru->in);
	sec_tokens(y, j, mode, &tb, &bb, ru->in);
	mask = diff_words(&p->title_ops, &ta, &tb, ru->in, ru->o->ignore_format);
	if (mask & DF_EDITED)
		p->flags |= DF_RENAMED;
	p->flags |= mask & DF_FORMAT;
	p->flags |= diff_words(&p->ops, &ba, &bb, ru->in, ru->o->ignore_format);
	p->score = ops_similarity(&p->ops);
	dtoks_free(&ta);
	dtoks_free(&tb);
	dtoks_free(&ba);
	dtoks_free(&bb);
}

/* A one-sided section: its whole body as one deleted or inserted run. */
static void
pair_whole(struct run *ru, struct diff_pair *p, const struct side *x,
    size_t i, enum diff_opcode op)
{
	struct dtoks none = {0}, t = {0};

	sec_tokens(x, i, pair_mode(x, x), NULL, &t, ru->in);
	if (op == DOP_DEL)
		diff_words(&p->ops, &t, &none, ru->in, 1);
	else
		diff_words(&p->ops, &none, &t, ru->in, 1);
	dtoks_free(&t);
}

/* The status a matched version pair earns from its flags. */
static enum diff_status
version_status(unsigned flags)
{
	if (flags & DF_MOVED)
		return DS_MOVED;
	if (flags & DF_RENAMED)
		return DS_RENAMED;
	if (flags & (DF_EDITED | DF_RELEVEL | DF_FORMAT))
		return DS_CHANGED;
	return DS_SAME;
}

/* Where a one-sided section's content went (or came from): the section
 * of the other side holding at least half of its text bigrams. */
static int
content_home(struct feat *f, const struct side *other)
{
	size_t k, best_k = 0, best = 0, c;

	feat_sh(f);
	if (f->nsh < 4)
		return -1;
	for (k = 0; k < other->n; k++) {
		feat_sh(&other->f[k]);
		c = set_inter(f->sh, f->nsh, other->f[k].sh, other->f[k].nsh);
		if (c > best) {
			best = c;
			best_k = k;
		}
	}
	return best * 2 >= f->nsh ? (int)best_k : -1;
}

/* ---- Report order -------------------------------------------------- */

/* Sort key: primary-side position, then one-sided sections after the
 * primary section they followed. */
struct okey {
	long	 pos;
	int	 tail;
	long	 sec;
	struct diff_pair *p;
};

static int
okey_cmp(const void *x, const void *y)
{
	const struct okey *a = x, *b = y;

	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	if (a->tail != b->tail)
		return a->tail - b->tail;
	return a->sec < b->sec ? -1 : a->sec > b->sec;
}

/*
 * Orders the pairs by the primary side (new for versions, English for
 * translations); a section only on the other side goes after the
 * primary section its predecessor was aligned with.
 */
static void
pairs_order(struct diff_result *r, int primary_is_new, const int *other2prim,
    size_t nother)
{
	struct okey *k = xmalloc((r->pairs.n + 1) * sizeof(*k));
	size_t i;
	long s, j;

	for (i = 0; i < r->pairs.n; i++) {
		struct diff_pair *p = r->pairs.v[i];
		int prim = primary_is_new ? p->new : p->old;
		int sec = primary_is_new ? p->old : p->new;
		k[i].p = p;
		k[i].tail = prim < 0;
		k[i].sec = sec;
		if (prim >= 0) {
			k[i].pos = prim;
			continue;
		}
		k[i].pos = -1;
		for (s = sec - 1; s >= 0; s--)
			if ((size_t)s < nother && (j = other2prim[s]) >= 0) {
				k[i].pos = j;
				break;
			}
	}
	kb_qsort(k, r->pairs.n, sizeof(*k), okey_cmp);
	for (i = 0; i < r->pairs.n; i++)
		r->pairs.v[i] = k[i].p;
	free(k);
}

/* ---- Versions ------------------------------------------------------ */

static void
run_versions(struct run *ru, const struct side *so, const struct side *sn)
{
	struct diff_result *r = ru->r;
	struct align al;
	unsigned char *in;
	struct diff_pair *p;
	size_t i, j;
	int home;

	align_sections(&al, so->f, so->n, sn->f, sn->n, 0);
	in = xmalloc(so->n + 1);
	al_lis(&al, in);
	for (i = 0; i < so->n; i++) {
		if (al.ma[i] < 0) {
			p = pair_new(r, (int)i, -1);
			if ((home = content_home(&so->f[i], sn)) >= 0) {
				p->flags |= DF_MERGED;
				p->other = home;
			}
			p->status = p->flags & DF_MERGED ? DS_MOVED : DS_REMOVED;
			pair_whole(ru, p, so, i, DOP_DEL);
			continue;
		}
		p = pair_new(r, (int)i, al.ma[i]);
		p->how = al.how[i];
		if (!in[i])
			p->flags |= DF_MOVED;
		pair_diff(ru, p, so, i, sn, (size_t)al.ma[i]);
		p->status = version_status(p->flags);
	}
	for (j = 0; j < sn->n; j++) {
		if (al.mb[j] >= 0)
			continue;
		p = pair_new(r, -1, (int)j);
		if ((home = content_home(&sn->f[j], so)) >= 0) {
			p->flags |= DF_SPLIT;
			p->other = home;
		}
		p->status = p->flags & DF_SPLIT ? DS_MOVED : DS_ADDED;
		pair_whole(ru, p, sn, j, DOP_INS);
	}
	pairs_order(r, 1, al.ma, so->n);
	free(in);
	align_free(&al);
}

/* ---- Translations -------------------------------------------------- */

static int
is_english(const struct diff_doc *d)
{
	const char *l = d->a && d->a->locale ? d->a->locale : "en-us";

	return strcmp(l, "en") == 0 || strncmp(l, "en-", 3) == 0;
}

/* The date a translation stands for: its hand-off, else its ms.date. */
static const char *
translation_date(const struct diff_doc *t)
{
	return t->handoff ? t->handoff : t->a ? t->a->date : NULL;
}

/*
 * A present pair of English section e and translated section t (the
 * indexes are on the English and translation sides); stale when the
 * English section changed since the translated version (bx, b), with
 * the English change as the pair's ops.
 */
static struct diff_pair *
tr_present(struct run *ru, const struct side *se, int e, int t,
    const struct side *sb, int b)
{
	struct diff_result *r = ru->r;
	struct diff_pair *p = pair_new(r, r->english ? t : e, r->english ? e : t);
	struct diff_pair tmp;
	char key[96];
	int stale;

	p->status = DS_SAME;
	if (sb == NULL)
		return p;
	memset(&tmp, 0, sizeof(tmp));
	/* Every translation made from sb asks for the same pair. */
	if (ru->o->memo != NULL && sb->d->vid > 0 && se->d->vid > 0)
		snprintf(key, sizeof(key), "%lld %lld %d %d %d %d",
		    (long long)sb->d->vid, (long long)se->d->vid, b, e,
		    pair_mode(sb, se), ru->o->ignore_format);
	else
		key[0] = '\0';
	if (key[0] == '\0' || !diff_memo_pair_get(ru->o->memo, key,
	    &tmp.flags, &tmp.ops, &tmp.title_ops)) {
		pair_diff(ru, &tmp, sb, (size_t)b, se, (size_t)e);
		if (key[0] != '\0') {
			stale = (tmp.flags & (DF_EDITED | DF_RENAMED)) != 0;
			diff_memo_pair_put(ru->o->memo, key, tmp.flags,
			    stale ? &tmp.ops : NULL, &tmp.title_ops);
		}
	}
	p->stale = (tmp.flags & (DF_EDITED | DF_RENAMED)) != 0;
	if (p->stale) {
		p->status = DS_STALE;
		p->flags = tmp.flags;
		p->ops = tmp.ops;
		p->title_ops = tmp.title_ops;
	} else {
		diff_ops_free(&tmp.ops);
		diff_ops_free(&tmp.title_ops);
	}
	return p;
}

static struct diff_pair *
tr_one(struct run *ru, int e, int t, enum diff_status st, unsigned flags)
{
	struct diff_result *r = ru->r;
	struct diff_pair *p;

	if (e >= 0)
		p = pair_new(r, r->english ? -1 : e, r->english ? e : -1);
	else
		p = pair_new(r, r->english ? t : -1, r->english ? -1 : t);
	p->status = st;
	p->flags = flags;
	return p;
}

/*
 * Translation against the English side, through the version it was made
 * from when there is one: translation <-> base by anchors and headings,
 * base <-> English as versions; present sections are stale when their
 * base section changed.  Without a base the translation is aligned with
 * the English side directly and staleness comes from the dates, if at
 * all.
 */
static void
run_translation(struct run *ru, const struct side *se, const struct side *st,
    const struct side *sb, int stale_default)
{
	struct diff_result *r = ru->r;
	struct align tb, be;
	int *t2e = xmalloc((st->n + 1) * sizeof(int));
	const struct side *mid = sb ? sb : se;
	size_t e, t;
	int b;

	align_sections(&tb, st->f, st->n, mid->f, mid->n, 1);
	if (sb)
		align_sections(&be, sb->f, sb->n, se->f, se->n, 0);
	for (t = 0; t < st->n; t++) {
		b = tb.ma[t];
		t2e[t] = b < 0 ? -1 : sb ? be.ma[b] : b;
	}
	for (e = 0; e < se->n; e++) {
		struct diff_pair *p;
		b = sb ? be.mb[e] : (int)e;
		if (b < 0) {
			tr_one(ru, (int)e, -1, DS_MISSING, DF_NEWER);
			continue;
		}
		if (tb.mb[b] < 0) {
			tr_one(ru, (int)e, -1, DS_MISSING, 0);
			continue;
		}
		p = tr_present(ru, se, (int)e, tb.mb[b], sb, b);
		p->how = tb.how[tb.mb[b]];
		p->score = feat_score(&st->f[tb.mb[b]], &mid->f[b], 1);
		if (sb == NULL)
			p->stale = stale_default;
	}
	for (t = 0; t < st->n; t++)
		if (t2e[t] < 0)
			tr_one(ru, -1, (int)t, DS_EXTRA,
			    tb.ma[t] >= 0 ? DF_GONE : 0);
	pairs_order(r, r->english, t2e, st->n);
	free(t2e);
	align_free(&tb);
	if (sb)
		align_free(&be);
}

/* The reader's note on where staleness comes from. */
static void
translation_note(struct diff_result *r, const struct diff_doc *en,
    const struct diff_doc *tr, int *stale_default)
{
	const char *td = translation_date(tr), *ed = en->a->date;
	const char *hash = tr->a->source_hash;

	*stale_default = -1;
	if (r->base) {
		if (r->base == en || (*en->a->sha1 &&
		    strcmp(r->base->a->sha1, en->a->sha1) == 0))
			r->note = xasprintf("translated from this English "
			    "version (%s)", r->basis ? r->basis : "?");
		else
			r->note = xasprintf("translated from English %s (found "
			    "by %s); stale sections changed since",
			    r->base->a->version ? r->base->a->version : "?",
			    r->basis ? r->basis : "?");
		return;
	}
	if (td && ed && strcmp(ed, td) <= 0) {
		*stale_default = 0;
		r->note = xasprintf("the translated-from version is unknown%s%s"
		    "%s; the English version (%s) is not newer than the "
		    "translation (%s)", hash ? " (ms.openlocfilehash " : "",
		    hash ? hash : "", hash ? ")" : "", ed, td);
		r->basis = "date";
	} else if (td && ed)
		r->note = xasprintf("the translated-from version is unknown%s%s"
		    "%s; the English version (%s) is newer than the "
		    "translation (%s): which sections changed is unknown",
		    hash ? " (ms.openlocfilehash " : "", hash ? hash : "",
		    hash ? ")" : "", ed, td);
	else
		r->note = xasprintf("the translated-from version is unknown%s%s"
		    "%s and dates are missing: staleness is unknown",
		    hash ? " (ms.openlocfilehash " : "", hash ? hash : "",
		    hash ? ")" : "");
}

/* ---- Front matter and the whole run -------------------------------- */

static void
json_ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

/* Skips one JSON value; returns its end, or NULL when malformed. */
static const char *
json_skip(const char *p)
{
	int depth = 0, str = 0;

	if (*p == '\0')
		return NULL;
	for (; *p; p++) {
		if (str) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"') {
				str = 0;
				if (depth == 0)
					return p + 1;
			}
			continue;
		}
		switch (*p) {
		case '"':
			str = 1;
			break;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (depth == 0)
				return p;
			if (--depth == 0)
				return p + 1;
			break;
		case ',':
		case ' ':
		case '\t':
		case '\n':
		case '\r':
			if (depth == 0)
				return p;
			break;
		}
	}
	return depth || str ? NULL : p;
}

/* Decodes the JSON string at p (at its quote) into out; returns the end. */
static const char *
json_str(const char *p, struct buf *out)
{
	char u[4];
	unsigned long cp, lo;

	if (*p++ != '"')
		return NULL;
	for (; *p && *p != '"'; p++) {
		if (*p != '\\') {
			buf_putc(out, *p);
			continue;
		}
		switch (*++p) {
		case 'n': buf_putc(out, '\n'); break;
		case 't': buf_putc(out, '\t'); break;
		case 'r': buf_putc(out, '\r'); break;
		case 'b': buf_putc(out, '\b'); break;
		case 'f': buf_putc(out, '\f'); break;
		case 'u':
			if (sscanf(p + 1, "%4lx", &cp) != 1)
				return NULL;
			p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && p[1] == '\\' &&
			    p[2] == 'u' && sscanf(p + 3, "%4lx", &lo) == 1 &&
			    lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			}
			buf_put(out, u, utf8_encode((uint32_t)cp, u));
			break;
		case '\0':
			return NULL;
		default:
			buf_putc(out, *p);
			break;
		}
	}
	return *p == '"' ? p + 1 : NULL;
}

int
diff_json_members(const char *s, struct vec *keys, struct vec *vals)
{
	const char *p = s, *e;
	struct buf k = {0};

	json_ws(&p);
	if (*p++ != '{')
		return -1;
	for (;;) {
		json_ws(&p);
		if (*p == '}') {
			buf_free(&k);
			return 0;
		}
		buf_reset(&k);
		if ((p = json_str(p, &k)) == NULL)
			break;
		json_ws(&p);
		if (*p++ != ':')
			break;
		json_ws(&p);
		if ((e = json_skip(p)) == NULL)
			break;
		vec_push(keys, xstrdup(buf_str(&k)));
		vec_push(vals, xstrndup(p, (size_t)(e - p)));
		p = e;
		json_ws(&p);
		if (*p == ',')
			p++;
		else if (*p != '}')
			break;
	}
	buf_free(&k);
	return -1;
}

char *
diff_json_text(const char *v)
{
	struct buf b = {0};

	if (v == NULL)
		return NULL;
	if (*v != '"' || json_str(v, &b) == NULL) {
		buf_free(&b);
		return xstrdup(v);
	}
	return buf_detach(&b);
}

static int
find_key(const struct vec *keys, const char *k)
{
	size_t i;

	for (i = 0; i < keys->n; i++)
		if (strcmp(keys->v[i], k) == 0)
			return (int)i;
	return -1;
}

static void
fm_add(struct diff_result *r, const char *k, const char *o, const char *n)
{
	struct diff_fm *f = xmalloc(sizeof(*f));

	f->key = xstrdup(k);
	f->old = o ? xstrdup(o) : NULL;
	f->new = n ? xstrdup(n) : NULL;
	vec_push(&r->fm, f);
}

/* Front-matter keys removed or changed (old order), then added. */
static void
fm_diff(struct diff_result *r)
{
	struct vec ko = {0}, vo = {0}, kn = {0}, vn = {0};
	size_t i;
	int j;

	diff_json_members(r->old->a->frontmatter ? r->old->a->frontmatter : "{}",
	    &ko, &vo);
	diff_json_members(r->new->a->frontmatter ? r->new->a->frontmatter : "{}",
	    &kn, &vn);
	for (i = 0; i < ko.n; i++) {
		j = find_key(&kn, ko.v[i]);
		if (j < 0)
			fm_add(r, ko.v[i], vo.v[i], NULL);
		else if (strcmp(vo.v[i], vn.v[j]) != 0)
			fm_add(r, ko.v[i], vo.v[i], vn.v[j]);
	}
	for (i = 0; i < kn.n; i++)
		if (find_key(&ko, kn.v[i]) < 0)
			fm_add(r, kn.v[i], NULL, vn.v[i]);
	for (i = 0; i < ko.n; i++) {
		free(ko.v[i]);
		free(vo.v[i]);
	}
	for (i = 0; i < kn.n; i++) {
		free(kn.v[i]);
		free(vn.v[i]);
	}
	vec_free(&ko);
	vec_free(&vo);
	vec_free(&kn);
	vec_free(&vn);
}

int
diff_run(struct diff_result *r, const struct diff_doc *old,
    const struct diff_doc *new, const struct diff_doc *base,
    const char *basis, const struct diff_opts *o)
{
	struct run ru;
	struct side so, sn, sb;
	size_t i;
	int stale_default = -1;
	char key[41];

	memset(r, 0, sizeof(*r));
	r->old = old;
	r->new = new;
	r->identical = strcmp(old->a->sha1, new->a->sha1) == 0 &&
	    old->a->sha1[0] != '\0';
	r->translation = o->translation >= 0 ? o->translation :
	    is_english(old) != is_english(new);
	ru.r = r;
	ru.o = o;
	fm_diff(r);
	if (r->translation) {
		r->english = !is_english(old) && is_english(new);
		r->base = base;
		r->basis = base ? basis : NULL;
		translation_note(r, r->english ? new : old,
		    r->english ? old : new, &stale_default);
	}
	/* The pairs depend on the content and these options only. */
	if (o->memo) {
		char mode[64];
		snprintf(mode, sizeof(mode), "%d %d %d %d", r->translation,
		    r->english, o->ignore_format, stale_default);
		diff_memo_key(old, new, r->translation ? base : NULL, mode, key);
		if (diff_memo_get(o->memo, key, &r->pairs, r->count))
			return 0;
	}
	ru.in = diff_intern_new();
	side_make(&so, old);
	side_make(&sn, new);
	if (!r->translation)
		run_versions(&ru, &so, &sn);
	else {
		if (base)
			side_make(&sb, base);
		run_translation(&ru, r->english ? &sn : &so,
		    r->english ? &so : &sn, base ? &sb : NULL, stale_default);
		if (base)
			side_free(&sb);
	}
	for (i = 0; i < r->pairs.n; i++)
		r->count[((struct diff_pair *)r->pairs.v[i])->status]++;
	side_free(&so);
	side_free(&sn);
	diff_intern_free(ru.in);
	if (o->memo)
		diff_memo_put(o->memo, key, &r->pairs, r->count);
	return 0;
}

void
diff_result_free(struct diff_result *r)
{
	size_t i;

	for (i = 0; i < r->pairs.n; i++)
		pair_free(r->pairs.v[i]);
	vec_free(&r->pairs);
	for (i = 0; i < r->fm.n; i++) {
		struct diff_fm *f = r->fm.v[i];
		free(f->key);
		free(f->old);
		free(f->new);
		free(f);
	}
	vec_free(&r->fm);
	free(r->note);
	memset(r, 0, sizeof(*r));
}

void
diff_doc_free(struct diff_doc *d)
{
	if (d->a)
		article_free(d->a);
	free(d->text);
	free(d->name);
	free(d->handoff);
	shc_free(d->shc);
	memset(d, 0, sizeof(*d));
}
