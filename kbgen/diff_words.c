/*
 * diff_words.c -- Myers' edit script in linear space, and word diffs on
 * top of it: formatting-only changes told apart, runs slid to line
 * boundaries and tidied for reading.  See diff.h.
 *
 * What counts as formatting only: two texts whose words, punctuation and
 * link targets are the same once Markdown markup is set aside -- escapes
 * ("\-" is "-"), entities, emphasis and code marks, list markers and
 * their numbers, heading and quote marks, fences, table pipes, HTML tags
 * and comments.  White space (amount, line wrapping) is never a change.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "article.h"
#include "diff.h"

/* ---- Myers' edit script in linear space ---------------------------- */

struct myers {
	const uint32_t	*a, *b;
	long		*fd, *bd;	/* furthest x per diagonal x - y */
	long		 mxcost;	/* rounds before settling for a good split */
};

/*
 * The best split found when the search gives up: the furthest-reaching
 * forward or backward path, whichever got further from its corner.
 */
static void
myers_giveup(const struct myers *m, long xoff, long xlim, long yoff,
    long ylim, long fmin, long fmax, long bmin, long bmax, long *mx, long *my)
{
	long d, x, y, fbest = -1, fx = xoff, bbest = LONG_MAX, bx = xlim;

	for (d = fmax; d >= fmin; d -= 2) {
		x = m->fd[d] < xlim ? m->fd[d] : xlim;
		y = x - d;
		if (y > ylim) {
			x = ylim + d;
			y = ylim;
		}
		if (x + y > fbest) {
			fbest = x + y;
			fx = x;
		}
	}
	for (d = bmax; d >= bmin; d -= 2) {
		x = m->bd[d] > xoff ? m->bd[d] : xoff;
		y = x - d;
		if (y < yoff) {
			x = yoff + d;
			y = yoff;
		}
		if (x + y < bbest) {
			bbest = x + y;
			bx = x;
		}
	}
	if ((xlim + ylim) - bbest < fbest - (xoff + yoff)) {
		*mx = fx;
		*my = fbest - fx;
	} else {
		*mx = bx;
		*my = bbest - bx;
	}
}

/*
 * The middle of a shortest edit script for a[xoff..xlim) and
 * b[yoff..ylim) (both non-empty): forward and backward searches from the
 * two corners until their paths overlap (Myers 1986, section 4b).
 */
static void
myers_split(const struct myers *m, long xoff, long xlim, long yoff,
    long ylim, long *mx, long *my)
{
	long dmin = xoff - ylim, dmax = xlim - yoff;
	long fmid = xoff - yoff, bmid = xlim - ylim;
	long fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	long c, d, x, y, lo, hi;
	int odd = (fmid - bmid) & 1;

	m->fd[fmid] = xoff;
	m->bd[bmid] = xlim;
	for (c = 1;; c++) {
		if (fmin > dmin)
			m->fd[--fmin - 1] = -1;
		else
			++fmin;
		if (fmax < dmax)
			m->fd[++fmax + 1] = -1;
		else
			--fmax;
		for (d = fmax; d >= fmin; d -= 2) {
			lo = m->fd[d - 1];
			hi = m->fd[d + 1];
			x = lo >= hi ? lo + 1 : hi;
			for (y = x - d; x < xlim && y < ylim &&
			    m->a[x] == m->b[y]; x++, y++)
				;
			m->fd[d] = x;
			if (odd && bmin <= d && d <= bmax && m->bd[d] <= x) {
				*mx = x;
				*my = y;
				return;
			}
		}
		if (bmin > dmin)
			m->bd[--bmin - 1] = LONG_MAX;
		else
			++bmin;
		if (bmax < dmax)
			m->bd[++bmax + 1] = LONG_MAX;
		else
			--bmax;
		for (d = bmax; d >= bmin; d -= 2) {
			lo = m->bd[d - 1];
			hi = m->bd[d + 1];
			x = lo < hi ? lo : hi - 1;
			for (y = x - d; x > xoff && y > yoff &&
			    m->a[x - 1] == m->b[y - 1]; x--, y--)
				;
			m->bd[d] = x;
			if (!odd && fmin <= d && d <= fmax && x <= m->fd[d]) {
				*mx = x;
				*my = y;
				return;
			}
		}
		if (c >= m->mxcost) {
			myers_giveup(m, xoff, xlim, yoff, ylim, fmin, fmax,
			    bmin, bmax, mx, my);
			return;
		}
	}
}

/* An integer square root, for the cost cut-off. */
static long
isqrt(long v)
{
	long r = 1;

	while (r * r < v)
		r++;
	return r;
}

void
diff_lcs(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
    unsigned char *ca, unsigned char *cb)
{
	struct myers my;
	long *stack, *base, sp = 0, cap = 64;
	long xoff, xlim, yoff, ylim, mx, my_;

	memset(ca, 0, n);
	memset(cb, 0, m);
	my.a = a;
	my.b = b;
	base = xmalloc((n + m + 3) * 2 * sizeof(long));
	my.fd = base + m + 1;
	my.bd = base + (n + m + 3) + m + 1;
	my.mxcost = isqrt((long)(n + m));
	if (my.mxcost < 256)
		my.mxcost = 256;
	stack = xmalloc((size_t)cap * 4 * sizeof(long));
	stack[sp++] = 0;
	stack[sp++] = (long)n;
	stack[sp++] = 0;
	stack[sp++] = (long)m;
	while (sp > 0) {
		ylim = stack[--sp];
		yoff = stack[--sp];
		xlim = stack[--sp];
		xoff = stack[--sp];
		while (xoff < xlim && yoff < ylim && a[xoff] == b[yoff]) {
			xoff++;
			yoff++;
		}
		while (xlim > xoff && ylim > yoff && a[xlim - 1] == b[ylim - 1]) {
			xlim--;
			ylim--;
		}
		if (xoff == xlim || yoff == ylim) {
			memset(cb + yoff, 1, (size_t)(ylim - yoff));
			memset(ca + xoff, 1, (size_t)(xlim - xoff));
			continue;
		}
		myers_split(&my, xoff, xlim, yoff, ylim, &mx, &my_);
		if ((mx == xoff && my_ == yoff) || (mx == xlim && my_ == ylim) ||
		    mx < xoff || mx > xlim || my_ < yoff || my_ > ylim) {
			/* No progress possible: call the rest a change. */
			memset(ca + xoff, 1, (size_t)(xlim - xoff));
			memset(cb + yoff, 1, (size_t)(ylim - yoff));
			continue;
		}
		if (sp + 8 > cap * 4) {
			cap *= 2;
			stack = xrealloc(stack, (size_t)cap * 4 * sizeof(long));
		}
		stack[sp++] = mx;
		stack[sp++] = xlim;
		stack[sp++] = my_;
		stack[sp++] = ylim;
		stack[sp++] = xoff;
		stack[sp++] = mx;
		stack[sp++] = yoff;
		stack[sp++] = my_;
	}
	free(stack);
	free(base);
}

/* ---- Word diffs ---------------------------------------------------- */

static int	all_blank(const char *);

/*
 * Builds an op list, merging a run with the one before when alike: the
 * last run stays pending in text/old until op_flush() writes it out.
 */
struct opb {
	struct vec	*ops;
	unsigned	 mask;		/* DF_EDITED | DF_FORMAT seen */
	int		 have;		/* a run is pending */
	enum diff_opcode op;
	int		 format;
	struct buf	 text, old;	/* the pending run (old: for equal runs) */
};

static void
op_flush(struct opb *ob)
{
	struct diff_op *o;

	if (!ob->have)
		return;
	o = xcalloc(1, sizeof(*o));
	o->op = ob->op;
	o->format = ob->format;
	o->text = ob->text.len ? buf_detach(&ob->text) : xstrdup("");
	if (ob->op == DOP_EQ)
		o->old = ob->old.len ? buf_detach(&ob->old) : xstrdup("");
	buf_reset(&ob->old);
	vec_push(ob->ops, o);
	ob->have = 0;
}

static void
opb_free(struct opb *ob)
{
	op_flush(ob);
	buf_free(&ob->text);
	buf_free(&ob->old);
}

/*
 * Appends a run; old (on bytes) is what an equal run was on the old
 * side, which differs from s only in white space (NULL: the same).
 */
static void
op_add2(struct opb *ob, enum diff_opcode op, int format, const char *s,
    size_t n, const char *old, size_t on)
{
	size_t i;

	if (old == NULL) {
		old = s;
		on = n;
	}
	if (n == 0 && (op != DOP_EQ || on == 0))
		return;
	if (format)
		ob->mask |= DF_FORMAT;
	else if (op != DOP_EQ && !(ob->mask & DF_EDITED))
		for (i = 0; i < n; i++)
			if (!kb_isspace((unsigned char)s[i])) {
				ob->mask |= DF_EDITED;
				break;
			}
	if (!ob->have || ob->op != op || ob->format != format) {
		op_flush(ob);
		ob->have = 1;
		ob->op = op;
		ob->format = format;
	}
	buf_put(&ob->text, s, n);
	if (op == DOP_EQ)
		buf_put(&ob->old, old, on);
}

static void
op_add(struct opb *ob, enum diff_opcode op, int format, const char *s,
    size_t n)
{
	op_add2(ob, op, format, s, n, NULL, 0);
}

/* Makes the malloc'd string s (n bytes) the content of b, not a copy. */
static void
buf_adopt(struct buf *b, char *s, size_t n)
{
	buf_free(b);
	b->data = s;
	b->len = n;
	b->cap = n + 1;
}

/*
 * op_add2() for an op the caller gives up, freed here: when it starts a
 * run of its own, its strings become the pending run instead of copies.
 * The tidying passes hand every op over several times, and the equal
 * runs hold most of a section's text.
 */
static void
op_take(struct opb *ob, struct diff_op *o)
{
	size_t n = strlen(o->text);

	if (n == 0 || (ob->have && ob->op == o->op &&
	    ob->format == o->format)) {
		op_add2(ob, o->op, o->format, o->text, n, o->old,
		    o->old ? strlen(o->old) : 0);
		free(o->text);
		free(o->old);
		free(o);
		return;
	}
	op_flush(ob);
	/* The flags op_add2() would set. */
	if (o->format)
		ob->mask |= DF_FORMAT;
	else if (o->op != DOP_EQ && !(ob->mask & DF_EDITED) &&
	    !all_blank(o->text))
		ob->mask |= DF_EDITED;
	ob->have = 1;
	ob->op = o->op;
	ob->format = o->format;
	buf_adopt(&ob->text, o->text, n);
	if (o->op == DOP_EQ && o->old != NULL)
		buf_adopt(&ob->old, o->old, strlen(o->old));
	else {
		if (o->op == DOP_EQ)
			buf_put(&ob->old, ob->text.data, n);
		free(o->old);
	}
	free(o);
}

/* What a token shows in the text of an op. */
static void
tok_show(struct buf *b, const struct dtoks *t, const struct dtok *k,
    const struct diff_intern *in)
{
	size_t i, nl = 0, len;
	const char *s;

	switch (k->kind) {
	case DT_SPACE:
		for (i = 0; i < k->len; i++)
			nl += t->src[k->off + i] == '\n';
		/* A line start already separates: no space after it. */
		if (nl == 0 && b->len && b->data[b->len - 1] == '\n')
			return;
		/* No more than one blank line in a row. */
		if (nl >= 2 && b->len && b->data[b->len - 1] == '\n')
			nl = b->len > 1 && b->data[b->len - 2] == '\n' ? 0 : 1;
		buf_puts(b, nl >= 2 ? "\n\n" : nl ? "\n" : " ");
		return;
	case DT_WORD:
	case DT_CJK:
	case DT_PUNCT:
		s = diff_intern_str(in, k->id, &len);
		buf_put(b, s, len);
		return;
	case DT_URL:
	case DT_BLOCK:
		buf_put(b, t->src + k->off, k->len);
		return;
	default:
		return;
	}
}

/* Shows tokens [from, to) into b. */
static void
toks_show(struct buf *b, const struct dtoks *t, size_t from, size_t to,
    const struct diff_intern *in)
{
	for (; from < to; from++)
		tok_show(b, t, &t->v[from], in);
}

/* The raw markup of tokens [from, to) (white space left out). */
static void
toks_raw_marks(struct buf *b, const struct dtoks *t, size_t from, size_t to)
{
	for (; from < to; from++)
		if (t->v[from].kind >= DT_BLOCK)
			buf_put(b, t->src + t->v[from].off, t->v[from].len);
}

/* The raw block markup of tokens [from, to). */
static void
toks_raw_blocks(struct buf *b, const struct dtoks *t, size_t from, size_t to)
{
	for (; from < to; from++)
		if (t->v[from].kind == DT_BLOCK)
			buf_put(b, t->src + t->v[from].off, t->v[from].len);
}

/* Do the soft tokens [af, at) of a and [bf, bt) of b agree? */
static int
marks_equal(const struct dtoks *a, size_t af, size_t at, const struct dtoks *b,
    size_t bf, size_t bt)
{
	for (;;) {
		while (af < at && a->v[af].kind < DT_BLOCK)
			af++;
		while (bf < bt && b->v[bf].kind < DT_BLOCK)
			bf++;
		if (af == at || bf == bt)
			return af == at && bf == bt;
		if (a->v[af].id != b->v[bf].id)
			return 0;
		af++;
		bf++;
	}
}

/* The indexes of the hard tokens of t. */
static size_t
hard_index(const struct dtoks *t, size_t **idx, uint32_t **ids)
{
	size_t i, n = 0;

	*idx = xmalloc((t->n + 1) * sizeof(**idx));
	*ids = xmalloc((t->n + 1) * sizeof(**ids));
	for (i = 0; i < t->n; i++)
		if (t->v[i].kind < DT_BLOCK) {
			(*idx)[n] = i;
			(*ids)[n++] = t->v[i].id;
		}
	(*idx)[n] = t->n;	/* a virtual end token */
	return n;
}

/* State of one word-diff walk. */
struct walk {
	const struct dtoks *a, *b;
	const struct diff_intern *in;
	size_t		*ia, *ib;	/* hard token indexes (+ end) */
	const unsigned char *ca, *cb;	/* changed hard tokens */
	struct opb	 ob;
	struct buf	 s1, s2;
	int		 ignore_format;
};

/* Is hard token k (of n) a line or paragraph break? */
static int
is_break(const struct dtoks *t, const size_t *idx, size_t k, size_t n)
{
	const struct dtok *tk;

	if (k >= n)
		return 1;
	tk = &t->v[idx[k]];
	return tk->kind == DT_SPACE &&
	    memchr(t->src + tk->off, '\n', tk->len) != NULL;
}

/* How well a change [s, e) of n hard tokens sits: whole lines best. */
static int
slide_score(const struct dtoks *t, const size_t *idx, size_t s, size_t e,
    size_t n)
{
	int sc = 0, lead = t->v[idx[s]].kind == DT_SPACE;

	/* Starting a line with a word; ending at a line end; not starting
	 * with a plain space (which then stays outside, before the word). */
	if (!lead && (s == 0 || is_break(t, idx, s - 1, n)))
		sc += 4;
	if (is_break(t, idx, e - 1, n))
		sc += 3;
	else if (e == n || is_break(t, idx, e, n))
		sc += 2;
	if (lead && !is_break(t, idx, s, n))
		sc -= 2;
	else if (!lead)
		sc += 1;
	return sc;
}

/*
 * Myers picks one of several equally short scripts; a run of changes
 * whose first token equals the token after it (or whose last equals the
 * one before) can slide without changing what is kept.  Each run slides
 * up, joining the runs it meets (white space matched between two runs
 * of deleted words), then down to where it covers whole lines (xdiff's
 * compaction, with a simpler score).
 */
static void
slide_groups(const uint32_t *id, unsigned char *c, size_t n,
    const struct dtoks *t, const size_t *idx)
{
	size_t i = 0, s, e, lo, len, best, k;
	int sc, bsc;

	while (i < n) {
		if (!c[i]) {
			i++;
			continue;
		}
		for (s = i, e = i; e < n && c[e]; e++)
			;
		/* Up as far as it goes, joining the runs it meets. */
		while (s > 0 && !c[s - 1] && id[s - 1] == id[e - 1]) {
			c[--s] = 1;
			c[--e] = 0;
			while (s > 0 && c[s - 1])
				s--;
		}
		len = e - s;
		lo = s;
		best = s;
		bsc = slide_score(t, idx, s, e, n);
		/* Then down, remembering the best place. */
		while (e < n && !c[e] && id[e] == id[s] &&
		    (e + 1 >= n || !c[e + 1])) {
			c[s++] = 0;
			c[e++] = 1;
			if ((sc = slide_score(t, idx, s, e, n)) >= bsc) {
				bsc = sc;
				best = s;
			}
		}
		for (k = lo; k < e; k++)
			c[k] = k >= best && k < best + len;
		i = e;
	}
}

/* The soft tokens before hard token i of t: [from, to). */
static void
gap_of(const size_t *idx, size_t i, size_t *from, size_t *to)
{
	*from = i == 0 ? 0 : idx[i - 1] + 1;
	*to = idx[i];
}

/* The markup before the aligned hard tokens i (in a) and j (in b). */
static void
walk_gap(struct walk *w, size_t i, size_t j, int after_change)
{
	size_t af, at, bf, bt;

	gap_of(w->ia, i, &af, &at);
	gap_of(w->ib, j, &bf, &bt);
	buf_reset(&w->s1);
	buf_reset(&w->s2);
	if (marks_equal(w->a, af, at, w->b, bf, bt) || w->ignore_format) {
		toks_show(&w->s1, w->a, af, at, w->in);
		toks_show(&w->s2, w->b, bf, bt, w->in);
		op_add2(&w->ob, DOP_EQ, 0, w->s2.data, w->s2.len, w->s1.data,
		    w->s1.len);
	} else if (after_change) {
		/* Inline markup next to a change goes with the change; block
		 * markup that differs is still a formatting change. */
		toks_raw_blocks(&w->s1, w->a, af, at);
		toks_raw_blocks(&w->s2, w->b, bf, bt);
		if (w->s1.len != w->s2.len || memcmp(buf_str(&w->s1),
		    buf_str(&w->s2), w->s1.len) != 0) {
			op_add(&w->ob, DOP_DEL, 1, w->s1.data, w->s1.len);
			op_add(&w->ob, DOP_INS, 1, w->s2.data, w->s2.len);
		}
		buf_reset(&w->s2);
		toks_show(&w->s2, w->b, bf, bt, w->in);
		if (w->s1.len == 0 && all_blank(buf_str(&w->s2)))
			op_add(&w->ob, DOP_EQ, 0, w->s2.data, w->s2.len);
	} else {
		toks_raw_marks(&w->s1, w->a, af, at);
		toks_raw_marks(&w->s2, w->b, bf, bt);
		op_add(&w->ob, DOP_DEL, 1, w->s1.data, w->s1.len);
		op_add(&w->ob, DOP_INS, 1, w->s2.data, w->s2.len);
	}
}

/* An aligned pair of hard tokens: equal, or equal but for their raw form. */
static void
walk_same(struct walk *w, const struct dtok *ta, const struct dtok *tb)
{
	buf_reset(&w->s1);
	buf_reset(&w->s2);
	if (ta->kind != DT_SPACE && !w->ignore_format && (ta->len != tb->len ||
	    memcmp(w->a->src + ta->off, w->b->src + tb->off, ta->len) != 0)) {
		op_add(&w->ob, DOP_DEL, 1, w->a->src + ta->off, ta->len);
		op_add(&w->ob, DOP_INS, 1, w->b->src + tb->off, tb->len);
		return;
	}
	tok_show(&w->s1, w->a, ta, w->in);
	tok_show(&w->s2, w->b, tb, w->in);
	op_add2(&w->ob, DOP_EQ, 0, w->s2.data, w->s2.len, w->s1.data,
	    w->s1.len);
}

/* A deleted (side 0) or inserted (side 1) hard token with its markup. */
static void
walk_change(struct walk *w, int side, size_t i)
{
	const struct dtoks *t = side ? w->b : w->a;
	const size_t *idx = side ? w->ib : w->ia;
	size_t from, to;

	gap_of(idx, i, &from, &to);
	buf_reset(&w->s1);
	if (t->v[to].kind == DT_SPACE && !w->ignore_format &&
	    !(idx[i + 1] < t->n && (side ? w->cb : w->ca)[i + 1] &&
	    t->v[idx[i + 1]].kind != DT_SPACE)) {
		/* Only markup and a break: a formatting change (markup
		 * before deleted words goes with the words). */
		toks_raw_blocks(&w->s1, t, from, to);
		op_add(&w->ob, side ? DOP_INS : DOP_DEL, 1, w->s1.data,
		    w->s1.len);
		buf_reset(&w->s1);
		toks_show(&w->s1, t, to, to + 1, w->in);
	} else
		toks_show(&w->s1, t, from, to + 1, w->in);
	op_add(&w->ob, side ? DOP_INS : DOP_DEL, 0, w->s1.data, w->s1.len);
}

static int
op_is_change(const struct diff_op *o)
{
	return o->op != DOP_EQ && !o->format;
}

static int
all_blank(const char *s)
{
	for (; *s; s++)
		if (!kb_isspace((unsigned char)*s))
			return 0;
	return 1;
}

/* The larger of the deleted and inserted lengths in the run of changes
 * ending just before k (dir -1) or starting just after it (dir 1). */
static size_t
change_len(const struct vec *ops, size_t k, int dir)
{
	size_t del = 0, ins = 0, i = k;

	for (;;) {
		const struct diff_op *o;
		if (dir < 0 ? i == 0 : i + 1 >= ops->n)
			break;
		i = dir < 0 ? i - 1 : i + 1;
		o = ops->v[i];
		if (!op_is_change(o))
			break;
		*(o->op == DOP_DEL ? &del : &ins) += strlen(o->text);
	}
	return del > ins ? del : ins;
}

/*
 * Which equalities to fold into the changes around them: white space
 * between two changes, and any kept text no longer than the changes on
 * either side of it (diff-match-patch's semantic clean-up), so that a
 * rewritten sentence reads as one deletion and one insertion rather
 * than a scatter of common little words.  Returns how many it marked.
 */
static size_t
fold_marks(const struct vec *ops, unsigned char *fold)
{
	size_t k, n = 0, len, before, after;

	for (k = 0; k < ops->n; k++) {
		const struct diff_op *o = ops->v[k];
		fold[k] = 0;
		if (o->op != DOP_EQ || o->format || k == 0 || k + 1 >= ops->n)
			continue;
		before = change_len(ops, k, -1);
		after = change_len(ops, k, 1);
		if (before == 0 || after == 0)
			continue;
		len = strlen(o->text);
		if (all_blank(o->text) || (len <= before && len <= after)) {
			fold[k] = 1;
			n++;
		}
	}
	return n;
}

/* One tidy pass: folds the marked equalities, then writes each stretch
 * of changes as all its deleted text followed by all its inserted text. */
static void
ops_regroup(struct vec *ops, const unsigned char *fold)
{
	struct vec out = {0};
	struct buf del = {0}, ins = {0};
	struct opb ob;
	size_t i;

	memset(&ob, 0, sizeof(ob));
	ob.ops = &out;
	for (i = 0; i < ops->n; i++) {
		struct diff_op *o = ops->v[i];
		if (op_is_change(o)) {
			buf_puts(o->op == DOP_DEL ? &del : &ins, o->text);
		} else if (fold && fold[i]) {
			buf_puts(&del, o->old ? o->old : o->text);
			buf_puts(&ins, o->text);
		} else {
			op_add(&ob, DOP_DEL, 0, del.data, del.len);
			op_add(&ob, DOP_INS, 0, ins.data, ins.len);
			buf_reset(&del);
			buf_reset(&ins);
			op_take(&ob, o);
			continue;
		}
		free(o->text);
		free(o->old);
		free(o);
	}
	op_add(&ob, DOP_DEL, 0, del.data, del.len);
	op_add(&ob, DOP_INS, 0, ins.data, ins.len);
	opb_free(&ob);
	buf_free(&del);
	buf_free(&ins);
	vec_free(ops);
	*ops = out;
}

/* Length of the white space at the start (end: at the end) of s. */
static size_t
ws_len(const char *s, int end)
{
	size_t n = strlen(s), k = 0;

	if (end)
		while (k < n && kb_isspace((unsigned char)s[n - 1 - k]))
			k++;
	else
		while (k < n && kb_isspace((unsigned char)s[k]))
			k++;
	return k;
}

/* Removes k bytes at the start (end) of o's text. */
static void
op_cut(struct diff_op *o, size_t k, int end)
{
	size_t n = strlen(o->text);

	if (end)
		o->text[n - k] = '\0';
	else
		memmove(o->text, o->text + k, n - k + 1);
}

/* Does the run of ops written so far end in white space (or is empty)? */
static int
ends_blank(const struct opb *ob)
{
	if (ob->have)
		return ob->text.len == 0 ||
		    kb_isspace((unsigned char)ob->text.data[ob->text.len - 1]);
	return ob->ops->n == 0 ||
	    ws_len(((const struct diff_op *)ob->ops->v[ob->ops->n - 1])->text,
	    1) > 0;
}

/*
 * White space at the edges of a stretch of changes belongs to the text
 * around it: common to both sides it moves out into an equal run, and a
 * one-sided change loses what the neighbouring text already shows.
 */
static void
ops_edges(struct vec *ops)
{
	struct vec out = {0};
	struct opb ob;
	struct diff_op *d, *in, *o, *x;
	size_t i, k, kd, ki;
	char *edge;
	int next_blank;

	memset(&ob, 0, sizeof(ob));
	ob.ops = &out;
	for (i = 0; i < ops->n; i++) {
		o = ops->v[i];
		if (!op_is_change(o)) {
			/* Taken whole: what it was on the old side is no
			 * longer needed (diff_words() drops it next). */
			free(o->old);
			o->old = NULL;
			op_take(&ob, o);
			ops->v[i] = NULL;
			continue;
		}
		d = o->op == DOP_DEL ? o : NULL;
		in = o->op == DOP_INS ? o : NULL;
		if (d && i + 1 < ops->n && op_is_change(ops->v[i + 1]))
			in = ops->v[++i];
		next_blank = i + 1 >= ops->n ||
		    ws_len(((struct diff_op *)ops->v[i + 1])->text, 0) > 0;
		edge = NULL;
		k = 0;
		if (d && in) {
			kd = ws_len(d->text, 0);
			ki = ws_len(in->text, 0);
			k = kd < ki ? kd : ki;
			op_add(&ob, DOP_EQ, 0, in->text, k);
			op_cut(d, k, 0);
			op_cut(in, k, 0);
			kd = ws_len(d->text, 1);
			ki = ws_len(in->text, 1);
			k = kd < ki ? kd : ki;
			edge = xstrdup(in->text + strlen(in->text) - k);
			op_cut(d, k, 1);
			op_cut(in, k, 1);
			next_blank |= k > 0;
			if (*d->text == '\0')
				d = NULL;
			if (*in->text == '\0')
				in = NULL;
		}
		/* White space alone is never a change. */
		if (d && all_blank(d->text) && (in == NULL ||
		    all_blank(in->text))) {
			if (in)
				op_add(&ob, DOP_EQ, 0, in->text, strlen(in->text));
			d = in = NULL;
		} else if (in && d == NULL && all_blank(in->text)) {
			op_add(&ob, DOP_EQ, 0, in->text, strlen(in->text));
			in = NULL;
		}
		if ((x = d ? d : in) != NULL && (d == NULL || in == NULL)) {
			if (ends_blank(&ob))
				op_cut(x, ws_len(x->text, 0), 0);
			if (next_blank)
				op_cut(x, ws_len(x->text, 1), 1);
		}
		if (d)
			op_add(&ob, DOP_DEL, 0, d->text, strlen(d->text));
		if (in)
			op_add(&ob, DOP_INS, 0, in->text, strlen(in->text));
		if (edge)
			op_add(&ob, DOP_EQ, 0, edge, k);
		free(edge);
	}
	opb_free(&ob);
	diff_ops_free(ops);
	*ops = out;
}

/* Readable runs of changes (see fold_marks), until nothing folds. */
static void
ops_tidy(struct vec *ops)
{
	unsigned char *fold;
	int round;

	ops_regroup(ops, NULL);
	for (round = 0; round < 16; round++) {
		fold = xmalloc(ops->n + 1);
		if (fold_marks(ops, fold) == 0) {
			free(fold);
			break;
		}
		ops_regroup(ops, fold);
		free(fold);
	}
	ops_edges(ops);
}

/* Drops white space at both ends of the whole run of ops. */
static void
ops_trim(struct vec *ops)
{
	struct diff_op *o;
	size_t k;

	while (ops->n) {
		o = ops->v[0];
		for (k = 0; o->text[k] && kb_isspace((unsigned char)o->text[k]); k++)
			;
		memmove(o->text, o->text + k, strlen(o->text + k) + 1);
		if (*o->text)
			break;
		free(o->text);
		free(o);
		memmove(ops->v, ops->v + 1, --ops->n * sizeof(*ops->v));
	}
	while (ops->n) {
		o = ops->v[ops->n - 1];
		k = strlen(o->text);
		while (k && kb_isspace((unsigned char)o->text[k - 1]))
			k--;
		o->text[k] = '\0';
		if (k)
			break;
		free(o->text);
		free(o);
		ops->n--;
	}
}

unsigned
diff_words(struct vec *ops, const struct dtoks *a, const struct dtoks *b,
    const struct diff_intern *in, int ignore_format)
{
	struct walk w;
	uint32_t *ida, *idb;
	unsigned char *ca, *cb;
	size_t na, nb, i = 0, j = 0;
	int after_change = 0;

	memset(&w, 0, sizeof(w));
	w.a = a;
	w.b = b;
	w.in = in;
	w.ignore_format = ignore_format;
	w.ob.ops = ops;
	na = hard_index(a, &w.ia, &ida);
	nb = hard_index(b, &w.ib, &idb);
	ca = xmalloc(na + 1);
	cb = xmalloc(nb + 1);
	diff_lcs(ida, na, idb, nb, ca, cb);
	slide_groups(ida, ca, na, a, w.ia);
	slide_groups(idb, cb, nb, b, w.ib);
	w.ca = ca;
	w.cb = cb;
	for (;;) {
		if (i < na && ca[i]) {
			walk_change(&w, 0, i++);
			after_change = 1;
		} else if (j < nb && cb[j]) {
			walk_change(&w, 1, j++);
			after_change = 1;
		} else {
			walk_gap(&w, i, j, after_change);
			if (i >= na || j >= nb)
				break;
			walk_same(&w, &a->v[w.ia[i++]], &b->v[w.ib[j++]]);
			after_change = 0;
		}
	}
	opb_free(&w.ob);
	ops_tidy(ops);
	for (i = 0; i < ops->n; i++) {
		struct diff_op *o = ops->v[i];
		free(o->old);
		o->old = NULL;
	}
	ops_trim(ops);
	i = 0;
	free(ida);
	free(idb);
	free(ca);
	free(cb);
	free(w.ia);
	free(w.ib);
	buf_free(&w.s1);
	buf_free(&w.s2);
	return w.ob.mask;
}

void
diff_ops_free(struct vec *ops)
{
	size_t i;

	for (i = 0; i < ops->n; i++) {
		struct diff_op *o = ops->v[i];
		if (o == NULL)
			continue;	/* taken by ops_edges() */
		free(o->text);
		free(o->old);
		free(o);
	}
	vec_free(ops);
}
