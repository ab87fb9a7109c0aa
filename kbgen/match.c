/*
 * match.c -- findings for an incident (match.h).
 *
 * Signatures come from the KB, not from code: every code, message ID,
 * HTTP status, event ID, service and quoted error message that a section
 * of an article's newest version mentions is something to look for, and
 * a new article adds matches by being compiled.  A signature found in
 * the incident counts for each section mentioning it, weighted by how
 * telling its kind is and by how specific it is (a STATMSG 6703 that
 * half the sections mention says little about which one holds the fix;
 * "WSUS server not configured" names one).  Quoted messages are compared
 * as templates (mask.c), so host names, URLs, numbers and GUIDs may
 * differ from the article's example.  The rules of kb/rules add what
 * needs logic: combinations, thresholds, configuration values, absence.
 *
 * One pass over the incident's stored records and their signals feeds
 * both, keeping only counts and a few evidence records per signature and
 * condition, so memory does not grow with the bundle.  The error and
 * warning records are clustered into templates on the way; the clusters
 * no finding explains are reported as such.
 */
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sqlite3.h>

#include "util.h"
#include "db.h"
#include "article.h"
#include "codes.h"
#include "mask.h"
#include "rules.h"
#include "match.h"

#define EV_FIRST	3	/* evidence kept: the first ones ... */
#define EV_FILES	4	/* ... the first in each of a few files ... */
#define MAX_WORDS	256	/* words of a message compared */
#define CLUSTER_CAP	20000	/* templates tracked; the rest counted */
#define CLUSTER_KEYS	8	/* signatures/conditions remembered per cluster */

/* ---- small helpers ---- */

/* FNV-1a over 8 bytes at a time (then the tail): messages are hashed
 * once per record, so the byte loop showed in profiles. */
static uint64_t
hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 1099511628211ULL;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static uint64_t
hash_lower(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)kb_tolower((unsigned char)s[i])) *
		    1099511628211ULL;
	return h;
}

/* ---- the model ---- */

struct host {
	int64_t		 id;
	char		*name;
	char		*short_name;	/* lower case, up to the first dot */
	char		*role;
};

/* The current record, while the pass is on it. */
struct rec {
	int64_t		 id;
	int		 host;
	const char	*file;
	long		 line, end_line;
	int		 has_utc, has_local, has_tz;
	int64_t		 utc_ms, local_ms;
	int		 tz_min;
	int		 severity;
	const char	*msg;
};

/* A record kept as evidence: the record with its strings copied out of
 * the statement (r.file and r.msg are owned), and what matched in it. */
struct ev {
	struct rec	 r;
	char		*hl;
	size_t		 msg_cap, hl_cap;	/* room in r.msg and hl */
};

/* Up to EV_FIRST first occurrences and the last one. */
struct evset {
	struct ev	*first[EV_FIRST];
	int		 nfirst;
	struct ev	*files[EV_FILES];	/* first of other files */
	int		 nfiles;
	struct ev	*last;
	char		*value;		/* the first signal value that met a
					   condition (a glob shows what it
					   matched) */
	long		 count;
	long		 bad;		/* occurrences at warning or worse */
	int64_t		 t_first, t_last;	/* UTC ms, -1 unknown */
};

struct msection {
	int64_t		 id;
	char		*key, *art_title, *locale, *label, *title, *anchor;
	int		 level;
	int		 eligible;	/* may be named by a finding */
	struct vec	 sigs;		/* struct sig * */
	struct vec	 logfiles;	/* char *: log files it names */
	double		 score;
	int		 finding;	/* index + 1 into findings, or 0 */
};

enum sigkind { SK_CODE, SK_PATTERN, SK_SERVICE, SK_MESSAGE };

struct sig {
	enum sigkind	 sk;
	int		 kind;		/* enum mention_kind */
	char		*value;		/* normalized (messages: the template) */
	int		*words;		/* messages: word ids, -1 a variable */
	int		 nwords, content;	/* content: telling words */
	struct vec	 sections;	/* struct msection * */
	struct evset	 hits;		/* per host would be finer; one set
					   is what evidence needs */
	struct vec	 hosts;		/* int-in-pointer: hosts it was seen on */
	size_t		 idx;
};

/* A rule condition's state: per host. */
struct cstate {
	struct rule_cond *c;
	struct evset	*per_host;	/* [nhosts] */
	int		 bit;		/* its bit in struct memo's msgconds,
					   -1 when it has no message glob */
	/* Asked once, not per record: whether the role fits host h (bit h
	 * of role_ok, known when set in role_known; hosts past 63 ask
	 * every time), and whether the value is a glob (-1: not asked). */
	uint64_t	 role_ok, role_known;
	int		 value_glob;
};


struct rstate {
	struct rule	*r;
	struct cstate	*cs;		/* [r->conds.n] */
};

struct cluster {
	char		*tmpl;
	long		 count;
	int		 severity;
	int64_t		 first, last;
	struct vec	 hosts;		/* int-in-pointer */
	struct ev	*sample;
	size_t		 keys[CLUSTER_KEYS];	/* sig idx + 1, or
						   ~(rule << 16 | cond) */
	int		 nkeys;
	int		 unmatched;	/* some record matched nothing */
};

struct m {
	struct db	*db;
	struct vec	 hosts;		/* struct host * */
	const char	**host_names;	/* NULL-terminated, for masking */
	struct vec	 sections;	/* struct msection * */
	struct msection	**by_id;	/* the same, sorted by id */
	size_t		 nby_id;
	struct vec	 sigs;		/* struct sig * */
	struct hmap	 sigmap;	/* (kind, value) -> sig */
	struct vec	 patterns;	/* struct sig *: HRESULT patterns */
	struct vec	 words;		/* char *: interned words */
	struct hmap	 wordmap;
	struct vec	*by_first;	/* [words.n]: message sigs by first word */
	struct vec	 rules;		/* struct rstate * */
	struct vec	 clusters;	/* struct cluster * */
	struct hmap	 clustermap;
	long		 clusters_dropped;
	long		 records;
	/* the key being looked up, for the eq() callbacks */
	int		 q_kind;
	const char	*q_s;
	size_t		 q_n;
	/* signatures met by the current record, for its cluster */
	size_t		 cur_keys[CLUSTER_KEYS];
	int		 ncur;
	/* successful syncs: host index -> last UTC ms of a 6702, -1 none */
	int64_t		*sync_ok;
	struct vec	 mime;		/* struct mimeent *: mimeMap entries */
	struct vec	 fsrc;		/* struct fsrcs *, one per finding */
	struct vec	 kinds;		/* struct kindconds *: conditions by
					   the signal kind they test */
	struct buf	 lmsg;		/* the current message in lower case */
	int		 lmsg_ok;	/* lmsg is the current message's */
	struct vec	 memo;		/* struct memo *: per distinct message */
	struct vec	 tl;		/* struct match_tl *: the timeline */
	struct hmap	 tlmap;		/* (host, minute) -> index in tl */
	int		 q_host;
	int64_t		 q_minute;
	struct match_tl	*tl_last;	/* tl_count()'s last entry */
	struct vec	 msgconds;	/* (rule << 16 | cond) + 1: conditions
					   with a message glob, at most 64 */
	struct memo	*cur;		/* the current record's message */
	int		 cur_kept;	/* cur is in the memo (else freed at
					   the record's end) */
	int		 cur_miss;	/* cur was made for this record: the
					   template buffer holds it */
	size_t		 cur_first;	/* its first line's template length */
	struct hmap	 memomap;
};

/*
 * What one distinct message gives, whatever record it is in: its
 * signature matches and its cluster.  Logs repeat messages (an IIS
 * status line, a retry every hour), so each is masked and matched once.
 */
#define MEMO_CAP	65536	/* distinct messages remembered */
struct memo {
	char		*msg;
	struct vec	 sigs;		/* struct sig * that matched */
	struct vec	 hls;		/* char *: the matched words of each */
	struct cluster	*cluster;	/* its cluster, once seen as an error
					   or warning; NULL before */
	int		 no_cluster;	/* the cluster list was full */
	uint64_t	 msgconds;	/* conditions on the message that match
					   (bits of m->msgconds) */
	uint64_t	 msgdone;	/* the bits of msgconds decided: those
					   of conditions with a signal kind
					   only once a signal of that kind
					   comes (most messages have none) */
};

struct kindconds {
	char		*kind;
	struct vec	 items;		/* (rule << 16 | cond) + 1, as pointers */
};

/* Where a finding's evidence comes from: sets in the order of its why
 * lines (rule conditions first, then signatures by strength). */
struct fsrcs {
	struct vec	 sets;		/* struct evset * */
	struct vec	 whys;		/* const char *: owned by the finding */
	double		 rule_conf;	/* of the strongest rule that fired */
};

/* A mimeMap entry of a configuration file (log_config.c). */
struct mimeent {
	int		 host;
	int		 server;	/* in applicationHost.config */
	int		 removed;	/* <remove> first: a replacement */
	char		*file;
	char		*ext;
	struct ev	*ev;
};

static void
ev_free(struct ev *e)
{
	if (e == NULL)
		return;
	free((char *)e->r.file);
	free((char *)e->r.msg);
	free(e->hl);
	free(e);
}

static void
evset_free(struct evset *s)
{
	int i;

	for (i = 0; i < s->nfirst; i++)
		ev_free(s->first[i]);
	for (i = 0; i < s->nfiles; i++)
		ev_free(s->files[i]);
	ev_free(s->last);
	free(s->value);
}

/* A file of the incident, for the record pass. */
struct mfile {
	int64_t		 id;
	int		 host;
	char		*path;
};


static struct ev *
ev_make(const struct rec *r, const char *hl)
{
	struct ev *e = xcalloc(1, sizeof(*e));

	e->r = *r;
	e->r.file = xstrdup(r->file);
	e->r.msg = xstrdup(r->msg);
	e->msg_cap = strlen(r->msg) + 1;
	e->hl = hl && *hl ? xstrdup(hl) : NULL;
	e->hl_cap = e->hl ? strlen(hl) + 1 : 0;
	return e;
}

static void
evset_add(struct evset *s, const struct rec *r, const char *hl)
{
	if (s->count == 0)
		s->t_first = s->t_last = -1;
	s->count++;
	if (r->severity >= 2)
		s->bad++;
	if (r->has_utc) {
		if (s->t_first == -1 || r->utc_ms < s->t_first)
			s->t_first = r->utc_ms;
		if (s->t_last == -1 || r->utc_ms > s->t_last)
			s->t_last = r->utc_ms;
	}
	if (s->nfirst < EV_FIRST) {
		int i;
		for (i = 0; i < s->nfirst; i++)
			if (s->first[i]->r.id == r->id)
				return;
		s->first[s->nfirst++] = ev_make(r, hl);
		return;
	}
	/* The first line of each file: the same failure seen by another
	 * log is often the line an engineer looks for. */
	if (s->nfiles < EV_FILES) {
		int i;
		for (i = 0; i < s->nfirst; i++)
			if (strcmp(s->first[i]->r.file, r->file) == 0 &&
			    s->first[i]->r.host == r->host)
				break;
		if (i == s->nfirst) {
			for (i = 0; i < s->nfiles; i++)
				if (strcmp(s->files[i]->r.file, r->file) == 0 &&
				    s->files[i]->r.host == r->host)
					break;
			if (i == s->nfiles) {
				s->files[s->nfiles++] = ev_make(r, hl);
				return;
			}
		}
	}
	if (s->last && s->last->r.id == r->id)
		return;
	if (s->last == NULL) {
		s->last = ev_make(r, hl);
		return;
	}
	/* The last one changes with nearly every record: its strings are
	 * rewritten in place rather than freed and made again. */
	{
		struct ev *e = s->last;
		char *file = (char *)e->r.file, *msg = (char *)e->r.msg;
		size_t n;
		if (strcmp(file, r->file) != 0) {
			free(file);
			file = xstrdup(r->file);
		}
		n = strlen(r->msg) + 1;
		if (n > e->msg_cap)
			msg = xrealloc(msg, e->msg_cap = n * 2);
		memcpy(msg, r->msg, n);
		e->r = *r;
		e->r.file = file;
		e->r.msg = msg;
		if (hl && *hl) {
			n = strlen(hl) + 1;
			if (n > e->hl_cap)
				e->hl = xrealloc(e->hl, e->hl_cap = n * 2);
			memcpy(e->hl, hl, n);
		} else if (e->hl)
			e->hl[0] = '\0';
	}
}

/* ---- words ---- */

static int
word_eq(void *arg, size_t i)
{
	struct m *m = arg;
	const char *w = m->words.v[i];

	return strlen(w) == m->q_n && strncasecmp(w, m->q_s, m->q_n) == 0;
}

static int
word_id(struct m *m, const char *s, size_t n, int add)
{
	uint64_t h = hash_lower(s, n);
	size_t i;
	char *w;

	m->q_s = s;
	m->q_n = n;
	if ((i = hmap_find(&m->wordmap, h, word_eq, m)) != (size_t)-1)
		return (int)i;
	if (!add)
		return -2;
	w = xstrndup(s, n);
	for (i = 0; i < n; i++)
		w[i] = (char)kb_tolower((unsigned char)w[i]);
	vec_push(&m->words, w);
	hmap_put(&m->wordmap, h, m->words.n - 1);
	return (int)(m->words.n - 1);
}

/* ---- signatures ---- */

static int
sig_eq(void *arg, size_t i)
{
	struct m *m = arg;
	struct sig *g = m->sigs.v[i];

	return g->kind == m->q_kind && strlen(g->value) == m->q_n &&
	    strncasecmp(g->value, m->q_s, m->q_n) == 0;
}

static struct sig *
sig_find(struct m *m, int kind, const char *v, size_t n)
{
	size_t i;

	m->q_kind = kind;
	m->q_s = v;
	m->q_n = n;
	i = hmap_find(&m->sigmap, hash_lower(v, n) ^ (uint64_t)kind, sig_eq, m);
	return i == (size_t)-1 ? NULL : m->sigs.v[i];
}

static struct sig *
sig_get(struct m *m, enum sigkind sk, int kind, const char *value)
{
	struct sig *g = sig_find(m, kind, value, strlen(value));

	if (g != NULL)
		return g;
	g = xcalloc(1, sizeof(*g));
	g->sk = sk;
	g->kind = kind;
	g->value = xstrdup(value);
	g->idx = m->sigs.n;
	vec_push(&m->sigs, g);
	hmap_put(&m->sigmap, hash_lower(value, strlen(value)) ^ (uint64_t)kind,
	    g->idx);
	return g;
}

/* A quoted message becomes a word sequence; too little content to tell
 * sections apart ("Connection Error" alone) and it is not kept. */
static struct sig *
sig_message(struct m *m, const char *text)
{
	struct buf t = {0};
	struct mask_word w[MAX_WORDS];
	size_t n, a, b, i;
	int content = 0;
	struct sig *g;

	mask_template(&t, text, NULL);
	n = mask_words(buf_str(&t), w, MAX_WORDS);
	a = 0;
	b = n;
	while (a < b && w[a].var)
		a++;
	while (b > a && w[b - 1].var)
		b--;
	for (i = a; i < b; i++)
		if (!w[i].var && w[i].len > 1 &&
		    !mask_is_stopword(t.data + w[i].off, w[i].len))
			content++;
	if (content < 2) {
		buf_free(&t);
		return NULL;
	}
	g = sig_get(m, SK_MESSAGE, MENTION_MESSAGE, buf_str(&t));
	if (g->words == NULL) {
		g->words = xcalloc(b - a, sizeof(int));
		for (i = a; i < b; i++)
			g->words[i - a] = w[i].var ? -1 :
			    word_id(m, t.data + w[i].off, w[i].len, 1);
		g->nwords = (int)(b - a);
		g->content = content;
	}
	buf_free(&t);
	return g;
}

static void
section_add_sig(struct msection *s, struct sig *g)
{
	size_t i;

	for (i = 0; i < s->sigs.n; i++)
		if (s->sigs.v[i] == g)
			return;
	vec_push(&s->sigs, g);
	vec_push(&g->sections, s);
}

static int
sec_id_cmp(const void *a, const void *b)
{
	const struct msection *x = *(struct msection *const *)a,
	    *y = *(struct msection *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The section with id, through m->by_id (sorted by id). */
static struct msection *
section_by_id(struct m *m, int64_t id)
{
	size_t lo = 0, hi = m->nby_id;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct msection *x = m->by_id[mid];
		if (x->id == id)
			return x;
		if (x->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void
load_signatures(struct m *m)
{
	sqlite3_stmt *st = db_stmt(m->db, ST_MATCH_SECTIONS);
	int64_t ver = -1;
	size_t first = 0, i;

	while (db_step(m->db, st) == SQLITE_ROW) {
		struct msection *s = xcalloc(1, sizeof(*s));
		s->id = sqlite3_column_int64(st, 0);
		s->key = xstrdup(db_col_text(st, 1));
		s->art_title = xstrdup(db_col_text(st, 2));
		s->locale = xstrdup(db_col_text(st, 3));
		s->label = xstrdup(db_col_text(st, 4));
		s->title = xstrdup(db_col_text(st, 5));
		s->anchor = xstrdup(db_col_text(st, 6));
		s->level = sqlite3_column_int(st, 7);
		if (sqlite3_column_int64(st, 8) != ver) {
			ver = sqlite3_column_int64(st, 8);
			first = m->sections.n;
		}
		/*
		 * The title heading of a document and "See also" lists name
		 * what the whole article covers: they hold no fix.  A
		 * document that is one section is its own fix.
		 */
		s->eligible = s->level >= 2 || s->level == 0 ||
		    m->sections.n == first;
		if (strcasecmp(s->title, "See also") == 0)
			s->eligible = 0;
		if (m->sections.n > first && s->level >= 2)
			((struct msection *)m->sections.v[first])->eligible = 0;
		vec_push(&m->sections, s);
	}
	m->nby_id = m->sections.n;
	m->by_id = xcalloc(m->nby_id + 1, sizeof(*m->by_id));
	for (i = 0; i < m->nby_id; i++)
		m->by_id[i] = m->sections.v[i];
	kb_qsort(m->by_id, m->nby_id, sizeof(*m->by_id), sec_id_cmp);
	st = db_stmt(m->db, ST_MATCH_MENTIONS);
	while (db_step(m->db, st) == SQLITE_ROW) {
		struct msection *s = section_by_id(m, sqlite3_column_int64(st, 0));
		int kind = mention_kind_parse(db_col_text(st, 1));
		const char *v = db_col_text(st, 2);
		struct sig *g = NULL;
		if (s == NULL || kind < 0)
			continue;
		switch (kind) {
		case MENTION_HRESULT:
			if (code_is_pattern(v)) {
				g = sig_get(m, SK_PATTERN, kind, v);
				for (i = 0; i < m->patterns.n; i++)
					if (m->patterns.v[i] == g)
						break;
				if (i == m->patterns.n)
					vec_push(&m->patterns, g);
			} else
				g = sig_get(m, SK_CODE, kind, v);
			break;
		case MENTION_WIN32:
		case MENTION_STATMSG:
		case MENTION_HTTP:
		case MENTION_EVENT:
			g = sig_get(m, SK_CODE, kind, v);
			break;
		case MENTION_SERVICE:
			g = sig_get(m, SK_SERVICE, kind, v);
			break;
		case MENTION_MESSAGE:
			g = sig_message(m, v);
			break;
		case MENTION_LOGFILE:
			vec_push(&s->logfiles, xstrdup(v));
			break;
		default:
			break;
		}
		if (g != NULL)
			section_add_sig(s, g);
	}
	/* Message signatures by their first word, for the record pass. */
	m->by_first = xcalloc(m->words.n + 1, sizeof(struct vec));
	for (i = 0; i < m->sigs.n; i++) {
		struct sig *g = m->sigs.v[i];
		if (g->sk == SK_MESSAGE && g->sections.n > 0)
			vec_push(&m->by_first[g->words[0]], g);
	}
}

/* ---- rules ---- */

static void
load_rules(struct m *m)
{
	struct vec rs = {0};
	size_t i, j;

	rules_load(m->db, &rs);
	for (i = 0; i < rs.n; i++) {
		struct rstate *r = xcalloc(1, sizeof(*r));
		r->r = rs.v[i];
		r->cs = xcalloc(r->r->conds.n ? r->r->conds.n : 1,
		    sizeof(*r->cs));
		for (j = 0; j < r->r->conds.n; j++) {
			struct rule_cond *c = r->r->conds.v[j];
			struct kindconds *kc = NULL;
			size_t k;
			r->cs[j].c = c;
			r->cs[j].per_host = xcalloc(m->hosts.n ? m->hosts.n : 1,
			    sizeof(struct evset));
			r->cs[j].bit = -1;
			r->cs[j].value_glob = -1;
			/* message globs are tested once per distinct message
			 * (struct memo); past 64 of them, once per record */
			if (c->message != NULL && j <= 0xffff &&
			    m->msgconds.n < 64) {
				r->cs[j].bit = (int)m->msgconds.n;
				vec_push(&m->msgconds, (void *)(uintptr_t)(
				    (m->rules.n << 16 | j) + 1));
			} else if (c->message != NULL && c->kind == NULL)
				diag(DIAG_WARNING, r->r->path, c->line, 0,
				    "more than 64 conditions on messages: "
				    "this one is not evaluated");
			if (c->kind == NULL || j > 0xffff)
				continue;
			for (k = 0; k < m->kinds.n; k++)
				if (strcasecmp(((struct kindconds *)
				    m->kinds.v[k])->kind, c->kind) == 0)
					kc = m->kinds.v[k];
			if (kc == NULL) {
				kc = xcalloc(1, sizeof(*kc));
				kc->kind = xstrdup(c->kind);
				vec_push(&m->kinds, kc);
			}
			vec_push(&kc->items, (void *)(uintptr_t)(
			    (m->rules.n << 16 | j) + 1));
		}
		vec_push(&m->rules, r);
	}
	vec_free(&rs);
}

static int
host_has_role(const struct host *h, const char *role)
{
	const char *p = h->role;
	size_t n = strlen(role);

	while ((p = strstr(p, role)) != NULL) {
		if ((p == h->role || p[-1] == '+') && (p[n] == '\0' ||
		    p[n] == '+'))
			return 1;
		p += n;
	}
	return 0;
}

/* Does a wsus_url value ("host[:port]") name no host of the incident? */
static int
url_foreign(struct m *m, const char *v)
{
	size_t n = strcspn(v, ".:,/"), i;
	int servers = 0;

	if (n == 0)
		return 0;
	/* with no server in the incident, there is nothing to compare */
	for (i = 0; i < m->hosts.n; i++)
		servers += !host_has_role(m->hosts.v[i], "client");
	if (servers == 0)
		return 0;
	for (i = 0; i < m->hosts.n; i++) {
		struct host *h = m->hosts.v[i];
		if (strlen(h->short_name) == n &&
		    strncasecmp(h->short_name, v, n) == 0 &&
		    !host_has_role(h, "client"))
			return 0;
	}
	/* localhost and the like: not a claim about another server */
	if (strncasecmp(v, "localhost", n) == 0)
		return 0;
	return 1;
}

/* The message condition, with its literal part tested first, on a
 * lower-case copy of the message made once per record (strcasestr is
 * far slower than strstr). */
static int
msg_glob(struct m *m, const struct rule_cond *c, const char *msg)
{
	if (c->message_lit && *c->message_lit) {
		if (!m->lmsg_ok) {
			size_t n = strlen(msg), i;
			buf_reset(&m->lmsg);
			buf_grow(&m->lmsg, n + 1);
			for (i = 0; i < n; i++)
				m->lmsg.data[i] = (char)kb_tolower(
				    (unsigned char)msg[i]);
			m->lmsg.data[n] = '\0';
			m->lmsg.len = n;
			m->lmsg_ok = 1;
		}
		if (strstr(buf_str(&m->lmsg), c->message_lit) == NULL)
			return 0;
		if (c->message_sub)	/* "*literal*": found, so it matches */
			return 1;
	}
	return rule_glob(c->message, msg);
}

/* Does condition c hold for a signal of value value (of c's kind) of
 * record r? */
static int
cond_signal(struct m *m, struct cstate *cs, const struct rec *r,
    const char *value)
{
	const struct rule_cond *c = cs->c;

	/* The caller, rules_signal(), found c among the conditions on this
	 * signal's kind. */
	if (c->kind == NULL)
		return 0;
	if (c->value && cs->value_glob < 0)
		cs->value_glob = strpbrk(c->value, "*?[") != NULL;
	if (c->value && !(cs->value_glob ?
	    rule_glob(c->value, value) : strcasecmp(c->value, value) == 0))
		return 0;
	if (c->message && cs->bit >= 0 && m->cur != NULL) {
		uint64_t b = (uint64_t)1 << cs->bit;
		if (!(m->cur->msgdone & b)) {
			m->cur->msgdone |= b;
			if (msg_glob(m, c, r->msg))
				m->cur->msgconds |= b;
		}
		if (!(m->cur->msgconds & b))
			return 0;
	} else if (c->message && !msg_glob(m, c, r->msg))
		return 0;
	if (c->cmp[0]) {
		const char *eq = strchr(value, '=');
		int d = rule_value_cmp(eq ? eq + 1 : value, c->cmp_value);
		if (!((strcmp(c->cmp, "<") == 0 && d < 0) ||
		    (strcmp(c->cmp, "<=") == 0 && d <= 0) ||
		    (strcmp(c->cmp, ">") == 0 && d > 0) ||
		    (strcmp(c->cmp, ">=") == 0 && d >= 0) ||
		    (strcmp(c->cmp, "=") == 0 && d == 0) ||
		    (strcmp(c->cmp, "!=") == 0 && d != 0)))
			return 0;
	}
	if (c->foreign && !url_foreign(m, value))
		return 0;
	return 1;
}

static void
cur_key(struct m *m, size_t key)
{
	int i;

	for (i = 0; i < m->ncur; i++)
		if (m->cur_keys[i] == key)
			return;
	if (m->ncur < CLUSTER_KEYS)
		m->cur_keys[m->ncur++] = key;
}

static size_t
rule_key(size_t rule, size_t cond)
{
	return ~(rule << 16 | cond);
}

/* Does cs's role (if any) fit the host of index h? */
static int
cs_role(const struct m *m, struct cstate *cs, int h)
{
	uint64_t bit;

	if (cs->c->role == NULL)
		return 1;
	if (h < 0 || h >= 64)
		return host_has_role(m->hosts.v[h], cs->c->role);
	bit = (uint64_t)1 << h;
	if (!(cs->role_known & bit)) {
		cs->role_known |= bit;
		if (host_has_role(m->hosts.v[h], cs->c->role))
			cs->role_ok |= bit;
	}
	return (cs->role_ok & bit) != 0;
}

static void
rules_signal(struct m *m, const struct rec *r, const char *kind,
    const char *value, const char *raw)
{
	struct kindconds *kc = NULL;
	size_t k;

	/* Every signal of every record looks here: the first letter
	 * settles most kinds without a call. */
	for (k = 0; k < m->kinds.n; k++) {
		const char *kk = ((struct kindconds *)m->kinds.v[k])->kind;
		if ((kk[0] | 0x20) == (kind[0] | 0x20) &&
		    strcasecmp(kk, kind) == 0) {
			kc = m->kinds.v[k];
			break;
		}
	}
	if (kc == NULL)
		return;
	for (k = 0; k < kc->items.n; k++) {
		size_t it = (size_t)(uintptr_t)kc->items.v[k] - 1;
		size_t i2 = it >> 16, j = it & 0xffff;
		struct rstate *rs = m->rules.v[i2];
		struct cstate *cs = &rs->cs[j];
		if (!cs_role(m, cs, r->host))
			continue;
		if (!cond_signal(m, cs, r, value))
			continue;
		evset_add(&cs->per_host[r->host], r, raw);
		if (cs->per_host[r->host].value == NULL)
			cs->per_host[r->host].value = xstrdup(value);
		cur_key(m, rule_key(i2, j));
	}
}

/*
 * Which conditions on the message alone (no kind) a message meets, a bit
 * per entry of m->msgconds, into e: the same for every record with that
 * message.  The conditions that also name a signal kind are decided in
 * cond_signal(), when such a signal comes.
 */
static void
message_conds(struct m *m, struct memo *e, const char *msg)
{
	size_t k;

	e->msgconds = e->msgdone = 0;
	for (k = 0; k < m->msgconds.n; k++) {
		size_t it = (size_t)(uintptr_t)m->msgconds.v[k] - 1;
		struct rstate *rs = m->rules.v[it >> 16];
		const struct rule_cond *c = rs->cs[it & 0xffff].c;
		if (c->kind != NULL)
			continue;
		e->msgdone |= (uint64_t)1 << k;
		if (msg_glob(m, c, msg))
			e->msgconds |= (uint64_t)1 << k;
	}
}

/* The record meets the conditions of bits, where its host's role fits. */
static void
rules_message(struct m *m, const struct rec *r, uint64_t bits)
{
	size_t k;

	for (k = 0; k < m->msgconds.n && bits; k++) {
		size_t it = (size_t)(uintptr_t)m->msgconds.v[k] - 1;
		size_t i = it >> 16, j = it & 0xffff;
		struct cstate *cs = &((struct rstate *)m->rules.v[i])->cs[j];
		if (!(bits & ((uint64_t)1 << k)) || cs->c->kind != NULL)
			continue;
		if (!cs_role(m, cs, r->host))
			continue;
		evset_add(&cs->per_host[r->host], r, NULL);
		cur_key(m, rule_key(i, j));
	}
}

/* ---- the record pass ---- */

static void
sig_hit(struct m *m, struct sig *g, const struct rec *r, const char *hl)
{
	size_t i;

	if (g->sections.n == 0)
		return;
	evset_add(&g->hits, r, hl);
	for (i = 0; i < g->hosts.n; i++)
		if ((intptr_t)g->hosts.v[i] == r->host)
			break;
	if (i == g->hosts.n)
		vec_push(&g->hosts, (void *)(intptr_t)r->host);
	cur_key(m, g->idx + 1);
}

static void
match_signal(struct m *m, const struct rec *r, const char *kind,
    const char *value, const char *raw)
{
	int k = mention_kind_parse(kind);
	struct sig *g;
	size_t i;

	if (strcmp(kind, "statmsg") == 0 && strcmp(value, "6702") == 0 &&
	    r->has_utc && r->utc_ms > m->sync_ok[r->host])
		m->sync_ok[r->host] = r->utc_ms;
	if (strcmp(kind, "service") == 0 || strcmp(kind, "apppool") == 0) {
		/* "WsusService=STOPPED": a section naming the service
		 * matters when the service is not running. */
		const char *eq = strchr(value, '=');
		if (eq && strcasecmp(eq + 1, "running") != 0 &&
		    strcasecmp(eq + 1, "started") != 0 &&
		    (g = sig_find(m, MENTION_SERVICE, value,
		    (size_t)(eq - value))) != NULL)
			sig_hit(m, g, r, raw);
		return;
	}
	if (k < 0 || k == MENTION_MESSAGE || k == MENTION_SERVICE ||
	    k == MENTION_LOGFILE)
		return;
	if ((g = sig_find(m, k, value, strlen(value))) != NULL)
		sig_hit(m, g, r, raw);
	if (k == MENTION_HRESULT)
		for (i = 0; i < m->patterns.n; i++) {
			g = m->patterns.v[i];
			if (code_hresult_match(g->value, value))
				sig_hit(m, g, r, raw);
		}
}

/* The words of the message between two word positions, as written:
 * what the report highlights. */
static char *
span_text(const char *tmpl, const struct mask_word *w, size_t a, size_t b)
{
	return xstrndup(tmpl + w[a].off, w[b].off + w[b].len - w[a].off);
}

/* The signatures a message's template holds, into the memo. */
static void
match_message(struct m *m, struct memo *e, const struct buf *t)
{
	struct mask_word w[MAX_WORDS];
	int ids[MAX_WORDS];
	size_t n, i, j, k;

	n = mask_words(buf_str(t), w, MAX_WORDS);
	for (i = 0; i < n; i++)
		ids[i] = w[i].var ? -1 : word_id(m, t->data + w[i].off, w[i].len, 0);
	for (i = 0; i < n; i++) {
		struct vec *c;
		if (ids[i] < 0)
			continue;
		c = &m->by_first[ids[i]];
		for (j = 0; j < c->n; j++) {
			struct sig *g = c->v[j];
			if (i + (size_t)g->nwords > n)
				continue;
			for (k = 1; k < (size_t)g->nwords; k++)
				if (g->words[k] != ids[i + k])
					break;
			if (k == (size_t)g->nwords) {
				vec_push(&e->sigs, g);
				vec_push(&e->hls, span_text(t->data, w, i,
				    i + (size_t)g->nwords - 1));
			}
		}
	}
}

static int
cluster_eq(void *arg, size_t i)
{
	struct m *m = arg;
	struct cluster *c = m->clusters.v[i];

	return strlen(c->tmpl) == m->q_n && memcmp(c->tmpl, m->q_s, m->q_n) == 0;
}

/* The cluster of a message (made on first sight), or NULL when the
 * cluster list is full. */
static struct cluster *
cluster_of(struct m *m, const struct rec *r, const struct buf *whole,
    size_t first)
{
	struct buf t = {0};
	struct cluster *c;
	size_t i;

	/* The first line says what it is; stack traces follow.  Its
	 * template is the first bytes of the whole message's. */
	buf_put(&t, buf_str(whole), first < whole->len ? first : whole->len);
	if (t.len > 300) {
		t.len = 300;
		while (t.len > 0 && (t.data[t.len] & 0xC0) == 0x80)
			t.len--;	/* not inside a UTF-8 sequence */
		t.data[t.len] = '\0';
		buf_puts(&t, " ...");
	}
	m->q_s = buf_str(&t);
	m->q_n = t.len;
	i = hmap_find(&m->clustermap, hash_str(buf_str(&t), t.len),
	    cluster_eq, m);
	if (i != (size_t)-1) {
		buf_free(&t);
		return m->clusters.v[i];
	}
	if (m->clusters.n >= CLUSTER_CAP) {
		buf_free(&t);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->tmpl = t.data ? buf_detach(&t) : xstrdup("");
	c->first = c->last = -1;
	c->sample = ev_make(r, NULL);
	vec_push(&m->clusters, c);
	hmap_put(&m->clustermap, hash_str(c->tmpl, strlen(c->tmpl)),
	    m->clusters.n - 1);
	return c;
}

/* Counts an error or warning record into its cluster. */
static void
cluster_count(struct m *m, struct cluster *c, const struct rec *r)
{
	size_t i;
	int j, k;

	if (c == NULL) {
		m->clusters_dropped++;
		return;
	}
	c->count++;
	if (r->severity > c->severity)
		c->severity = r->severity;
	if (r->has_utc) {
		if (c->first == -1 || r->utc_ms < c->first)
			c->first = r->utc_ms;
		if (c->last == -1 || r->utc_ms > c->last)
			c->last = r->utc_ms;
	}
	for (i = 0; i < c->hosts.n; i++)
		if ((intptr_t)c->hosts.v[i] == r->host)
			break;
	if (i == c->hosts.n)
		vec_push(&c->hosts, (void *)(intptr_t)r->host);
	if (m->ncur == 0)
		c->unmatched = 1;
	for (j = 0; j < m->ncur; j++) {
		for (k = 0; k < c->nkeys; k++)
			if (c->keys[k] == m->cur_keys[j])
				break;
		if (k == c->nkeys && c->nkeys < CLUSTER_KEYS)
			c->keys[c->nkeys++] = m->cur_keys[j];
	}
}

static int
memo_eq(void *arg, size_t i)
{
	struct m *m = arg;
	struct memo *e = m->memo.v[i];

	return strlen(e->msg) == m->q_n && memcmp(e->msg, m->q_s, m->q_n) == 0;
}

static void
memo_free(struct memo *e)
{
	size_t i;

	for (i = 0; i < e->hls.n; i++)
		free(e->hls.v[i]);
	vec_free(&e->hls);
	vec_free(&e->sigs);
	free(e->msg);
	free(e);
}

static int
tl_eq(void *arg, size_t i)
{
	struct m *m = arg;
	struct match_tl *t = m->tl.v[i];

	return (intptr_t)t->host == m->q_host && t->minute == m->q_minute;
}

/* Counts an error or warning into the timeline: per host and minute, so
 * that memory follows the incident's span, not its size. */
static void
tl_count(struct m *m, const struct rec *r)
{
	int64_t minute = r->utc_ms - ((r->utc_ms % 60000) + 60000) % 60000;
	uint64_t h = ((uint64_t)minute * 1099511628211ULL) ^ (uint64_t)r->host;
	struct match_tl *t;
	size_t i;

	/* A file's records come in time order, several a minute: the last
	 * entry is nearly always the one. */
	m->q_host = r->host;
	m->q_minute = minute;
	if (m->tl_last != NULL && m->tl_last->minute == minute &&
	    (intptr_t)m->tl_last->host == r->host)
		t = m->tl_last;
	else if ((i = hmap_find(&m->tlmap, h, tl_eq, m)) != (size_t)-1)
		t = m->tl.v[i];
	else {
		t = xcalloc(1, sizeof(*t));
		t->host = (char *)(intptr_t)r->host;	/* named later */
		t->minute = minute;
		vec_push(&m->tl, t);
		hmap_put(&m->tlmap, h, m->tl.n - 1);
	}
	m->tl_last = t;
	if (r->severity >= 3)
		t->errors++;
	else
		t->warnings++;
}

/* Everything a record gets once its signals are in. */
/*
 * IIS merges a site's web.config collections into the server level's:
 * an extension mapped in both, without a <remove> before the site's
 * entry, is the "duplicate collection entry" of fault K5.  The parser
 * sees one file at a time; the incident sees both.  The finding points
 * at the web.config entry, where the fix goes.
 */
static void
mime_record(struct m *m, const struct rec *r)
{
	const char *p = r->msg + 8, *b;
	size_t n, i;
	struct mimeent *e;
	int server, rm = 0;
	char *v;

	if (strncmp(p, "remove ", 7) == 0) {
		p += 7;
		rm = 1;
	}
	n = strcspn(p, " ");
	if (n == 0)
		return;
	b = strrchr(r->file, '/');
	b = b ? b + 1 : r->file;
	server = strcasecmp(b, "applicationHost.config") == 0;
	if (rm) {
		e = xcalloc(1, sizeof(*e));
		e->host = r->host;
		e->server = server;
		e->removed = 2;		/* a removal marker */
		e->file = xstrdup(r->file);
		e->ext = xstrndup(p, n);
		vec_push(&m->mime, e);
		return;
	}
	e = xcalloc(1, sizeof(*e));
	e->host = r->host;
	e->server = server;
	e->file = xstrdup(r->file);
	e->ext = xstrndup(p, n);
	for (i = 0; i < m->mime.n; i++) {
		struct mimeent *x = m->mime.v[i];
		if (x->removed == 2 && x->host == r->host &&
		    strcmp(x->file, r->file) == 0 && strcasecmp(x->ext, e->ext) == 0)
			e->removed = 1;
	}
	e->ev = ev_make(r, NULL);
	for (i = 0; i < m->mime.n; i++) {
		struct mimeent *x = m->mime.v[i], *site;
		struct rec sr;
		if (x->removed == 2 || x->host != r->host ||
		    x->server == server || strcasecmp(x->ext, e->ext) != 0)
			continue;
		site = server ? x : e;
		if (site->removed)
			continue;
		sr = site->ev->r;
		v = xasprintf("mimeMap.duplicate=%s", e->ext);
		{
			struct memo *cur = m->cur;
			m->cur = NULL;	/* not that record's message */
			rules_signal(m, &sr, "config", v, sr.msg);
			m->cur = cur;
		}
		free(v);
		break;
	}
	vec_push(&m->mime, e);
}

/* The memo of the record's message, made on first sight: before its
 * signals, whose conditions may test the message. */
static void
record_begin(struct m *m, const struct rec *r, struct buf *t)
{
	size_t n = strnlen(r->msg, MASK_MAX_IN), i;
	uint64_t h = hash_str(r->msg, n);
	struct memo *e;

	m->q_s = r->msg;
	m->q_n = n;
	i = n < MASK_MAX_IN ? hmap_find(&m->memomap, h, memo_eq, m) :
	    (size_t)-1;
	m->cur_kept = 1;
	m->cur_miss = 0;
	if (i != (size_t)-1) {
		m->cur = m->memo.v[i];
		return;
	}
	e = xcalloc(1, sizeof(*e));
	e->msg = xstrndup(r->msg, n);
	buf_reset(t);
	m->cur_first = mask_template_line(t, r->msg, m->host_names);
	match_message(m, e, t);
	message_conds(m, e, r->msg);
	if (n < MASK_MAX_IN && m->memo.n < MEMO_CAP) {
		vec_push(&m->memo, e);
		hmap_put(&m->memomap, h, m->memo.n - 1);
	} else
		m->cur_kept = 0;
	m->cur = e;
	m->cur_miss = 1;
}

static void
record_done(struct m *m, const struct rec *r, struct buf *t)
{
	struct memo *e = m->cur;
	size_t i;

	for (i = 0; i < e->sigs.n; i++)
		sig_hit(m, e->sigs.v[i], r, e->hls.v[i]);
	rules_message(m, r, e->msgconds);
	if (strncmp(r->msg, "mimeMap ", 8) == 0)
		mime_record(m, r);
	if (r->severity >= 2 && r->has_utc)
		tl_count(m, r);
	if (r->severity >= 2) {
		if (e->cluster == NULL && !e->no_cluster) {
			if (!m->cur_miss) {
				buf_reset(t);
				m->cur_first = mask_template_line(t, r->msg,
				    m->host_names);
			}	/* else t holds the template already */
			e->cluster = cluster_of(m, r, t, m->cur_first);
			e->no_cluster = e->cluster == NULL;
		}
		cluster_count(m, e->cluster, r);
	}
	if (!m->cur_kept)
		memo_free(e);
	m->cur = NULL;
}

/*
 * The record pass is two threads: one steps the record query and packs
 * each record with its signals into chunks; the calling thread matches
 * them.  Reading rows is a third of the pass, so the matching no longer
 * waits for it.  Only the reader touches the KB while the pass runs
 * (nothing the matcher calls uses the connection).
 */

/* A packed record: this header, then the message and per signal its
 * kind, value and raw text, each NUL-terminated; 8-byte aligned. */
struct prec {
	uint32_t	 size;		/* of the whole item */
	uint32_t	 nsig;
	uint32_t	 file;		/* index in the pass's files */
	int32_t		 tz_min;
	int64_t		 id, line, end_line, utc_ms, local_ms;
	int32_t		 has_utc, has_local, has_tz, severity;
};

/* Chunks of packed records between the threads. */
#define PASS_CHUNK	(128u << 10)
#define PASS_QUEUE	(8u << 20)

struct passq {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct chunkq	 q;		/* packed records */
	int		 done;
	struct m	*m;
	struct vec	*files;		/* struct mfile * */
	struct buf	 cur;		/* being packed (reader) */
};

static void
pass_push(struct passq *q)
{
	struct chunk *c;

	if (q->cur.len == 0)
		return;
	c = chunk_new(q->cur.data, q->cur.len);
	buf_reset(&q->cur);
	pthread_mutex_lock(&q->mu);
	while (q->q.bytes >= PASS_QUEUE)
		pthread_cond_wait(&q->cv, &q->mu);
	chunkq_push(&q->q, c);
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

static void
pass_str(struct buf *b, const unsigned char *s, size_t n)
{
	buf_put(b, s, n);
	buf_putc(b, '\0');
}

/* Ends the record being packed at offset start. */
static void
pass_close(struct passq *q, size_t start)
{
	uint32_t size;

	while (q->cur.len % 8)
		buf_putc(&q->cur, '\0');
	size = (uint32_t)(q->cur.len - start);
	memcpy(q->cur.data + start, &size, sizeof(size));
	if (q->cur.len >= PASS_CHUNK)
		pass_push(q);
}

/*
 * The reader: file by file, each stored record with its signals.  A
 * file's records are a range of ids stored in parse order, their
 * signals the same range of record_id: two scans merged, rather than an
 * index lookup per record.
 */
static void *
pass_reader(void *arg)
{
	struct passq *q = arg;
	struct m *m = q->m;
	size_t i, start;

	for (i = 0; i < q->files->n; i++) {
		struct mfile *f = q->files->v[i];
		sqlite3_stmt *rg = db_stmt(m->db, ST_MATCH_RANGE), *st, *sg;
		int64_t lo, hi, sid = 0;
		int srow;
		struct prec h;

		db_bind_int(rg, 1, f->id);
		if (db_step(m->db, rg) != SQLITE_ROW ||
		    sqlite3_column_type(rg, 0) == SQLITE_NULL)
			continue;
		lo = sqlite3_column_int64(rg, 0);
		hi = sqlite3_column_int64(rg, 1);
		st = db_stmt(m->db, ST_MATCH_RECS);
		sg = db_stmt(m->db, ST_MATCH_SIGS);
		db_bind_int(st, 1, lo);
		db_bind_int(st, 2, hi);
		db_bind_int(st, 3, f->id);
		db_bind_int(sg, 1, lo);
		db_bind_int(sg, 2, hi);
		if ((srow = db_step(m->db, sg) == SQLITE_ROW))
			sid = sqlite3_column_int64(sg, 0);
		while (db_step(m->db, st) == SQLITE_ROW) {
			memset(&h, 0, sizeof(h));
			h.id = sqlite3_column_int64(st, 0);
			h.file = (uint32_t)i;
			h.line = sqlite3_column_int64(st, 1);
			h.end_line = sqlite3_column_int64(st, 2);
			if ((h.has_utc = sqlite3_column_type(st, 3) != SQLITE_NULL))
				h.utc_ms = sqlite3_column_int64(st, 3);
			if ((h.has_local = sqlite3_column_type(st, 4) !=
			    SQLITE_NULL))
				h.local_ms = sqlite3_column_int64(st, 4);
			if ((h.has_tz = sqlite3_column_type(st, 5) != SQLITE_NULL))
				h.tz_min = sqlite3_column_int(st, 5);
			h.severity = sqlite3_column_int(st, 6);
			start = q->cur.len;
			buf_put(&q->cur, &h, sizeof(h));
			pass_str(&q->cur, sqlite3_column_text(st, 7),
			    (size_t)sqlite3_column_bytes(st, 7));
			/* Signals of records of other files in the range (none
			 * unless ids interleave) are passed over. */
			while (srow && sid < h.id)
				if ((srow = db_step(m->db, sg) == SQLITE_ROW))
					sid = sqlite3_column_int64(sg, 0);
			while (srow && sid == h.id) {
				int c;
				for (c = 1; c <= 3; c++) {
					const unsigned char *t =
					    sqlite3_column_text(sg, c);
					pass_str(&q->cur, t ? t : (const unsigned
					    char *)"", (size_t)
					    sqlite3_column_bytes(sg, c));
				}
				h.nsig++;
				if ((srow = db_step(m->db, sg) == SQLITE_ROW))
					sid = sqlite3_column_int64(sg, 0);
			}
			memcpy(q->cur.data + start + offsetof(struct prec, nsig),
			    &h.nsig, sizeof(h.nsig));
			pass_close(q, start);
		}
		sqlite3_reset(sg);
	}
	pass_push(q);
	pthread_mutex_lock(&q->mu);
	q->done = 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* The matcher's side: one record of a chunk. */
static void
pass_record(struct m *m, struct vec *files, const unsigned char *p,
    struct buf *t)
{
	struct prec h;
	struct rec r;
	const char *s = (const char *)p + sizeof(h);
	const struct mfile *f;
	uint32_t k;

	memcpy(&h, p, sizeof(h));
	f = files->v[h.file];
	memset(&r, 0, sizeof(r));
	r.id = h.id;
	r.host = f->host;
	r.file = f->path;
	r.line = (long)h.line;
	r.end_line = (long)h.end_line;
	r.has_utc = h.has_utc;
	r.utc_ms = h.utc_ms;
	r.has_local = h.has_local;
	r.local_ms = h.local_ms;
	r.has_tz = h.has_tz;
	r.tz_min = h.tz_min;
	r.severity = h.severity;
	r.msg = s;
	s += strlen(s) + 1;
	m->lmsg_ok = 0;
	m->records++;
	m->ncur = 0;
	record_begin(m, &r, t);
	for (k = 0; k < h.nsig; k++) {
		const char *kind = s, *value, *raw;
		value = kind + strlen(kind) + 1;
		raw = value + strlen(value) + 1;
		s = raw + strlen(raw) + 1;
		match_signal(m, &r, kind, value, raw);
		rules_signal(m, &r, kind, value, raw);
	}
	record_done(m, &r, t);
}

static void
record_pass(struct m *m, int64_t incident)
{
	sqlite3_stmt *fs = db_stmt(m->db, ST_MATCH_FILES);
	struct vec files = {0};
	struct buf t = {0};
	struct passq q;
	pthread_t th;
	struct chunk *c;
	size_t i;

	db_bind_int(fs, 1, incident);
	while (db_step(m->db, fs) == SQLITE_ROW) {
		int64_t hid = sqlite3_column_int64(fs, 1);
		size_t h;
		struct mfile *f = xcalloc(1, sizeof(*f));
		for (h = 0; h < m->hosts.n; h++)
			if (((struct host *)m->hosts.v[h])->id == hid)
				break;
		f->id = sqlite3_column_int64(fs, 0);
		f->host = (int)(h < m->hosts.n ? h : 0);
		f->path = xstrdup(db_col_text(fs, 2));
		vec_push(&files, f);
	}
	memset(&q, 0, sizeof(q));
	pthread_mutex_init(&q.mu, NULL);
	pthread_cond_init(&q.cv, NULL);
	q.m = m;
	q.files = &files;
	if (pthread_create(&th, NULL, pass_reader, &q) != 0)
		die("cannot start a thread");
	for (;;) {
		const unsigned char *p, *end;
		pthread_mutex_lock(&q.mu);
		while (q.q.head == NULL && !q.done)
			pthread_cond_wait(&q.cv, &q.mu);
		if ((c = chunkq_pop(&q.q)) != NULL)
			pthread_cond_broadcast(&q.cv);
		pthread_mutex_unlock(&q.mu);
		if (c == NULL)
			break;
		for (p = c->data, end = c->data + c->n; p < end; ) {
			uint32_t size;
			memcpy(&size, p, sizeof(size));
			pass_record(m, &files, p, &t);
			p += size;
		}
		free(c);
	}
	pthread_join(th, NULL);
	pthread_mutex_destroy(&q.mu);
	pthread_cond_destroy(&q.cv);
	buf_free(&q.cur);
	for (i = 0; i < files.n; i++) {
		struct mfile *f = files.v[i];
		free(f->path);
		free(f);
	}
	vec_free(&files);
	buf_free(&t);
}

/* ---- scoring ---- */

/* How telling one signature is, before specificity. */
static double
sig_weight(const struct sig *g)
{
	double w;

	switch (g->sk) {
	case SK_MESSAGE:
		w = 0.6 + 0.3 * g->content;
		return w > 2.4 ? 2.4 : w;
	case SK_SERVICE:
		return 1.2;
	case SK_PATTERN:
		return 1.0;
	default:
		break;
	}
	switch (g->kind) {
	case MENTION_HRESULT:
		return 1.1;
	case MENTION_WIN32:
		return 0.8;
	case MENTION_STATMSG:
		return 0.7;
	case MENTION_EVENT:
		return 0.6;
	case MENTION_HTTP:
		return 0.5;
	default:
		return 0.3;
	}
}

static const char *
kind_label(const struct sig *g)
{
	switch (g->sk) {
	case SK_MESSAGE:
		return "message";
	case SK_SERVICE:
		return "service not running";
	case SK_PATTERN:
		return "HRESULT pattern";
	default:
		break;
	}
	switch (g->kind) {
	case MENTION_HRESULT:
		return "HRESULT";
	case MENTION_WIN32:
		return "Win32 error";
	case MENTION_STATMSG:
		return "STATMSG";
	case MENTION_EVENT:
		return "event";
	case MENTION_HTTP:
		return "HTTP";
	default:
		return "code";
	}
}

/* One signature's contribution to each section naming it. */
static double
sig_score(const struct sig *g)
{
	double w = sig_weight(g), spec = 1.0 / (double)g->sections.n;

	/*
	 * A code in informational lines only is context, not a problem
	 * (STATMSG 6701 "sync started"); once is less than a pattern.
	 */
	if (g->hits.bad == 0 && g->sk != SK_SERVICE)
		w *= 0.25;
	if (g->sk != SK_MESSAGE && g->hits.count == 1)
		w *= 0.5;
	else if (g->sk != SK_MESSAGE && g->hits.count == 2)
		w *= 0.75;
	return w * spec;
}

/* ---- findings ---- */

struct fsrc {				/* where a finding's evidence comes from */
	struct evset	*set;
	const char	*why;
};

static struct match_evidence *
ev_out(struct m *m, const struct ev *e, const char *why)
{
	struct match_evidence *o = xcalloc(1, sizeof(*o));
	const struct rec *r = &e->r;

	o->record = r->id;
	o->host = xstrdup(((struct host *)m->hosts.v[r->host])->name);
	o->file = xstrdup(r->file);
	o->line = r->line;
	o->end_line = r->end_line;
	o->has_utc = r->has_utc;
	o->has_local = r->has_local;
	o->has_tz = r->has_tz;
	o->utc_ms = r->utc_ms;
	o->local_ms = r->local_ms;
	o->tz_min = r->tz_min;
	o->severity = r->severity;
	o->text = xstrdup(r->msg);
	o->hl = e->hl && *e->hl ? xstrdup(e->hl) : NULL;
	o->why = why;
	return o;
}

/* A set's evidence in the order it is shown: the first two, the first of
 * each other file, the rest of the first ones, the last.  Returns the
 * count (at most EV_FIRST + EV_FILES + 1). */
static int
evset_list(const struct evset *s, const struct ev **list)
{
	int n = 0, i;

	for (i = 0; i < s->nfirst && i < 2; i++)
		list[n++] = s->first[i];
	for (i = 0; i < s->nfiles; i++)
		list[n++] = s->files[i];
	for (i = 2; i < s->nfirst; i++)
		list[n++] = s->first[i];
	if (s->last)
		list[n++] = s->last;
	return n;
}

static void
push_evidence(struct m *m, struct match_finding *f, const struct ev *e,
    const char *why)
{
	size_t j;

	if (f->evidence.n >= MATCH_EVIDENCE_MAX)
		return;
	for (j = 0; j < f->evidence.n; j++)
		if (((struct match_evidence *)f->evidence.v[j])->record ==
		    e->r.id)
			return;
	vec_push(&f->evidence, ev_out(m, e, why));
	if (e->r.has_utc) {
		if (f->first_utc == -1 || e->r.utc_ms < f->first_utc)
			f->first_utc = e->r.utc_ms;
		if (f->last_utc == -1 || e->r.utc_ms > f->last_utc)
			f->last_utc = e->r.utc_ms;
	}
}

/* The evidence of several sets, one line of each in turn. */
static void
add_evidence_rr(struct m *m, struct match_finding *f, void **sets,
    void **whys, size_t n)
{
	const struct ev *list[EV_FIRST + EV_FILES + 1];
	size_t i;
	int round, more = 1;

	for (round = 0; more; round++) {
		more = 0;
		for (i = 0; i < n; i++) {
			int k = evset_list(sets[i], list);
			if (round < k) {
				push_evidence(m, f, list[round], whys[i]);
				more = 1;
			}
		}
	}
}

static struct match_finding *
finding_new(struct msection *s)
{
	struct match_finding *f = xcalloc(1, sizeof(*f));

	f->section_id = s->id;
	f->key = xstrdup(s->key);
	f->article_title = xstrdup(s->art_title);
	f->locale = xstrdup(s->locale);
	f->version = xstrdup(s->label);
	f->section_title = xstrdup(s->title);
	f->anchor = xstrdup(s->anchor);
	f->severity = 3;
	f->first_utc = f->last_utc = -1;
	return f;
}

static void
add_code(struct match_finding *f, int kind, const char *v)
{
	size_t i;

	if (kind < 0)
		return;
	for (i = 0; i < f->codes.n; i++)
		if (strcasecmp(f->codes.v[i], v) == 0)
			return;
	vec_push(&f->codes, xstrdup(v));
	vec_push(&f->code_kinds, (void *)(intptr_t)kind);
}

static char *
fmt_why_sig(struct m *m, const struct sig *g)
{
	struct buf b = {0};
	size_t i;

	if (g->sk == SK_MESSAGE)
		buf_printf(&b, "message \"%s\"", g->value);
	else if (g->sk == SK_SERVICE)
		buf_printf(&b, "service %s not running", g->value);
	else
		buf_printf(&b, "%s %s", kind_label(g), g->value);
	buf_printf(&b, " \xc3\x97%ld", g->hits.count);
	buf_puts(&b, " on ");
	for (i = 0; i < g->hosts.n && i < 3; i++)
		buf_printf(&b, "%s%s", i ? ", " : "",
		    ((struct host *)m->hosts.v[(intptr_t)g->hosts.v[i]])->name);
	if (g->hosts.n > 3)
		buf_printf(&b, " and %zu more", g->hosts.n - 3);
	if (g->sections.n > 1)
		buf_printf(&b, " (named by %zu sections)", g->sections.n);
	return buf_detach(&b);
}

static int
sig_cmp_strength(const void *a, const void *b)
{
	const struct sig *x = *(struct sig *const *)a,
	    *y = *(struct sig *const *)b;
	double sx = sig_score(x), sy = sig_score(y);

	if (sx != sy)
		return sx > sy ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static struct msection *
section_by_ref(struct m *m, const char *key, const char *anchor)
{
	size_t i;

	for (i = 0; i < m->sections.n; i++) {
		struct msection *s = m->sections.v[i];
		if (strcmp(s->key, key) == 0 && strcmp(s->anchor, anchor) == 0)
			return s;
	}
	return NULL;
}

static struct match_finding *
finding_for(struct m *m, struct vec *out, struct msection *s)
{
	if (s->finding)
		return out->v[s->finding - 1];
	vec_push(out, finding_new(s));
	vec_push(&m->fsrc, xcalloc(1, sizeof(struct fsrcs)));
	s->finding = (int)out->n;
	return out->v[out->n - 1];
}

/* The signatures of section s that were seen, strongest first. */
static void
section_hits(struct msection *s, struct vec *hit)
{
	size_t j;

	for (j = 0; j < s->sigs.n; j++) {
		struct sig *g = s->sigs.v[j];
		if (g->hits.count > 0)
			vec_push(hit, g);
	}
	kb_qsort(hit->v, hit->n, sizeof(void *), sig_cmp_strength);
}

/* A little more when the hits are in a log file the section names. */
static double
logfile_bonus(struct msection *s, struct vec *hit)
{
	size_t j, k;

	for (j = 0; j < s->logfiles.n; j++) {
		for (k = 0; k < hit->n; k++) {
			struct sig *g = hit->v[k];
			const struct ev *e = g->hits.first[0];
			const char *b = e ? strrchr(e->r.file, '/') : NULL;
			b = b ? b + 1 : e ? e->r.file : "";
			if (strcasecmp(b, s->logfiles.v[j]) == 0)
				return 0.2;
		}
	}
	return 0;
}

static double
section_raw_score(struct msection *s, struct vec *hit)
{
	double score = 0;
	size_t j;

	for (j = 0; j < hit->n; j++)
		score += sig_score(hit->v[j]);
	return score + logfile_bonus(s, hit);
}

static int
section_score_cmp(const void *a, const void *b)
{
	const struct msection *x = *(struct msection *const *)a,
	    *y = *(struct msection *const *)b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Signature findings: every eligible section with hits.  Signatures that
 * several sections share ("Sync failed. Will retry in 60 minutes", STATMSG
 * 6703) are explained away: once a better-scoring section has claimed
 * them, they count little for the others, so a section needs something
 * of its own to stand as a finding.
 */
static void
score_sections(struct m *m, struct vec *out)
{
	struct vec order = {0};
	size_t i, j;
	char *claimed = xcalloc(m->sigs.n + 1, 1);

	for (i = 0; i < m->sections.n; i++) {
		struct msection *s = m->sections.v[i];
		struct vec hit = {0};
		if (!s->eligible)
			continue;
		section_hits(s, &hit);
		if (hit.n > 0) {
			s->score = section_raw_score(s, &hit);
			vec_push(&order, s);
		}
		vec_free(&hit);
	}
	kb_qsort(order.v, order.n, sizeof(void *), section_score_cmp);
	for (i = 0; i < order.n; i++) {
		struct msection *s = order.v[i];
		struct vec hit = {0};
		struct match_finding *f;
		double score = 0;
		section_hits(s, &hit);
		for (j = 0; j < hit.n; j++) {
			struct sig *g = hit.v[j];
			score += sig_score(g) * (claimed[g->idx] ? 0.2 : 1.0);
		}
		score += logfile_bonus(s, &hit);
		for (j = 0; j < hit.n; j++)
			claimed[((struct sig *)hit.v[j])->idx] = 1;
		s->score = score;
		f = finding_for(m, out, s);
		f->confidence = 1.0 - exp(-0.6 * score);
		f->title = xstrdup(s->title);
		for (j = 0; j < hit.n; j++) {
			struct sig *g = hit.v[j];
			vec_push(&f->why, fmt_why_sig(m, g));
			if (g->sk == SK_CODE || g->sk == SK_PATTERN)
				add_code(f, g->kind, g->value);
		}
		{
			struct fsrcs *fs = m->fsrc.v[s->finding - 1];
			for (j = 0; j < hit.n; j++) {
				vec_push(&fs->sets, &((struct sig *)hit.v[j])->hits);
				vec_push(&fs->whys, f->why.v[j]);
			}
		}
		vec_free(&hit);
	}
	free(claimed);
	vec_free(&order);
}

/* Does condition cs hold on host h (or on any host when h < 0)?  The
 * evidence set it holds with goes to *set. */
static int
cond_holds(struct m *m, struct cstate *cs, long h, struct evset **set)
{
	size_t i;
	long total = 0;
	int64_t t0 = -1, t1 = -1;

	if (h >= 0) {
		struct evset *e = &cs->per_host[h];
		*set = e;
		return e->count >= cs->c->min && (cs->c->span_ms == 0 ||
		    (e->t_first >= 0 && e->t_last - e->t_first >=
		    cs->c->span_ms));
	}
	*set = NULL;
	for (i = 0; i < m->hosts.n; i++) {
		struct evset *e = &cs->per_host[i];
		total += e->count;
		if (*set == NULL && e->count > 0)
			*set = e;
		if (e->count > 0 && e->t_first >= 0) {
			if (t0 < 0 || e->t_first < t0)
				t0 = e->t_first;
			if (e->t_last > t1)
				t1 = e->t_last;
		}
	}
	return total >= cs->c->min && (cs->c->span_ms == 0 ||
	    (t0 >= 0 && t1 - t0 >= cs->c->span_ms));
}

static char *
fmt_why_cond(struct m *m, struct cstate *cs, long h)
{
	struct buf b = {0};
	long count = 0;
	size_t i;
	const struct rule_cond *c = cs->c;

	if (c->kind) {
		/* a glob says what it matched: the first value seen */
		const char *seen = NULL;
		for (i = 0; i < m->hosts.n && seen == NULL; i++)
			if (h < 0 || (long)i == h)
				seen = cs->per_host[i].value;
		if (c->value && strpbrk(c->value, "*?[") && seen)
			buf_printf(&b, "%s %s (matching %s)", c->kind, seen,
			    c->value);
		else
			buf_printf(&b, "%s %s", c->kind, c->value ? c->value :
			    "*");
	} else
		buf_printf(&b, "message \"%s\"", c->message);
	if (c->kind && c->message)
		buf_printf(&b, " in \"%s\"", c->message);
	if (c->cmp[0])
		buf_printf(&b, " %s %s", c->cmp, c->cmp_value);
	if (c->foreign)
		buf_puts(&b, " (no server of this incident)");
	for (i = 0; i < m->hosts.n; i++)
		if (h < 0 || (long)i == h)
			count += cs->per_host[i].count;
	buf_printf(&b, " \xc3\x97%ld", count);
	if (h >= 0)
		buf_printf(&b, " on %s", ((struct host *)m->hosts.v[h])->name);
	else {
		int first = 1;
		for (i = 0; i < m->hosts.n; i++)
			if (cs->per_host[i].count > 0) {
				buf_printf(&b, "%s%s", first ? " on " : ", ",
				    ((struct host *)m->hosts.v[i])->name);
				first = 0;
			}
	}
	return buf_detach(&b);
}

/* Does rule r hold on host h (h < 0: across the incident)? */
static int
rule_holds(struct m *m, struct rstate *rs, long h)
{
	size_t j;
	int any = 0, any_ok = 0;
	struct evset *set;

	for (j = 0; j < rs->r->conds.n; j++) {
		struct cstate *cs = &rs->cs[j];
		int ok = cond_holds(m, cs, h, &set);
		switch (cs->c->group) {
		case RG_ALL:
			if (!ok)
				return 0;
			break;
		case RG_ANY:
			any = 1;
			any_ok |= ok;
			break;
		case RG_NONE:
			if (ok)
				return 0;
			break;
		}
	}
	return !any || any_ok;
}

static void
apply_rules(struct m *m, struct vec *out)
{
	size_t i, j;

	for (i = 0; i < m->rules.n; i++) {
		struct rstate *rs = m->rules.v[i];
		struct msection *s;
		struct match_finding *f;
		long h = -1;
		double before;
		if (rs->r->same_host) {
			for (h = 0; h < (long)m->hosts.n; h++)
				if (rule_holds(m, rs, h))
					break;
			if (h == (long)m->hosts.n)
				continue;
		} else if (!rule_holds(m, rs, -1))
			continue;
		s = section_by_ref(m, rs->r->fix_key, rs->r->fix_anchor);
		if (s == NULL) {
			/* the rule names an older version's section */
			continue;
		}
		f = finding_for(m, out, s);
		before = f->confidence;
		f->confidence = 1.0 - (1.0 - before) * (1.0 - rs->r->confidence);
		/* The rule's title says more than a section title; of two
		 * rules, the surer one's. */
		{
			struct fsrcs *fs = m->fsrc.v[s->finding - 1];
			if (f->rule == NULL || rs->r->confidence > fs->rule_conf) {
				free(f->title);
				f->title = xstrdup(rs->r->title);
				free(f->rule);
				f->rule = xstrdup(rs->r->id);
				fs->rule_conf = rs->r->confidence;
			}
		}
		f->cause |= rs->r->cause;
		f->severity = rs->r->severity;
		{
			/* the rule's reasons go first: they are why it fired */
			struct vec why = {0};
			size_t base;
			for (j = 0; j < rs->r->conds.n; j++) {
				struct cstate *cs = &rs->cs[j];
				struct evset *set;
				if (cs->c->group == RG_NONE ||
				    !cond_holds(m, cs, h, &set))
					continue;
				vec_push(&why, fmt_why_cond(m, cs, h));
			}
			base = why.n;
			/* a reason two rules share is said once */
			for (j = 0; j < f->why.n; j++) {
				size_t k;
				for (k = 0; k < base; k++)
					if (strcmp(why.v[k], f->why.v[j]) == 0)
						break;
				if (k < base) {
					/* its evidence points at the old copy */
					free(why.v[k]);
					why.v[k] = f->why.v[j];
					continue;
				}
				vec_push(&why, f->why.v[j]);
			}
			vec_free(&f->why);
			f->why = why;
			/* the conditions' evidence goes before the
			 * signatures' (assembled by add_evidence_rr()) */
			{
				struct fsrcs *fs = m->fsrc.v[s->finding - 1];
				struct vec sets = {0}, whys = {0};
				size_t w = 0;	/* the condition's why line */
				for (j = 0; j < rs->r->conds.n; j++) {
					struct cstate *cs = &rs->cs[j];
					struct evset *set;
					size_t hh;
					if (cs->c->group == RG_NONE ||
					    !cond_holds(m, cs, h, &set))
						continue;
					for (hh = 0; hh < m->hosts.n; hh++)
						if ((h < 0 || (long)hh == h) &&
						    cs->per_host[hh].count > 0) {
							vec_push(&sets, &cs->per_host[hh]);
							vec_push(&whys, f->why.v[w]);
						}
					w++;
				}
				for (j = 0; j < fs->sets.n; j++) {
					vec_push(&sets, fs->sets.v[j]);
					vec_push(&whys, fs->whys.v[j]);
				}
				vec_free(&fs->sets);
				vec_free(&fs->whys);
				fs->sets = sets;
				fs->whys = whys;
			}
		}
		for (j = 0; j < rs->r->conds.n; j++) {
			struct rule_cond *c = rs->r->conds.v[j];
			if (c->group != RG_NONE && c->kind && c->value &&
			    !strpbrk(c->value, "*?[") &&
			    (strcmp(c->kind, "hresult") == 0 ||
			    strcmp(c->kind, "win32") == 0 ||
			    strcmp(c->kind, "statmsg") == 0 ||
			    strcmp(c->kind, "http") == 0 ||
			    strcmp(c->kind, "event") == 0))
				add_code(f, mention_kind_parse(c->kind), c->value);
		}
	}
}

/* A finding whose failures all precede a successful sync on the same
 * hosts was transient: it recovered. */
static void
recoveries(struct m *m, struct vec *out)
{
	size_t i, j, k;
	char b[64];

	int64_t last_ok = -1;

	for (k = 0; k < m->hosts.n; k++)
		if (m->sync_ok[k] > last_ok)
			last_ok = m->sync_ok[k];
	for (i = 0; i < out->n; i++) {
		struct match_finding *f = out->v[i];
		int64_t ok = -1;
		int all = 1, any = 0;
		for (j = 0; j < f->evidence.n; j++) {
			struct match_evidence *e = f->evidence.v[j];
			for (k = 0; k < m->hosts.n; k++)
				if (strcmp(((struct host *)m->hosts.v[k])->name,
				    e->host) == 0)
					break;
			if (k == m->hosts.n || e->severity < 2)
				continue;
			/* a sync says nothing about a client's own path */
			if (host_has_role(m->hosts.v[k], "client")) {
				all = 0;
				break;
			}
			any = 1;
			/* a sync that succeeds anywhere went through the
			 * whole chain: site server, WSUS, IIS, upstream */
			if (last_ok < 0 || !e->has_utc || e->utc_ms >= last_ok) {
				all = 0;
				break;
			}
			ok = last_ok;
		}
		if (!any || !all || ok < 0)
			continue;
		{
			time_t t = (time_t)(ok / 1000);
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm);
		}
		f->recovered = xasprintf("a later synchronization succeeded "
		    "(STATMSG 6702 at %s)", b);
		f->confidence *= 0.35;
	}
}

static int
finding_cmp(const void *a, const void *b)
{
	const struct match_finding *x = *(struct match_finding *const *)a,
	    *y = *(struct match_finding *const *)b;
	int c;

	if (x->confidence != y->confidence)
		return x->confidence > y->confidence ? -1 : 1;
	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	return strcmp(x->anchor, y->anchor);
}

static int
explains(const struct rstate *rs, const struct match_finding *f)
{
	size_t i;

	for (i = 0; i < rs->r->explains.n; i++) {
		const char *ref = rs->r->explains.v[i], *h = strchr(ref, '#');
		if (h && strlen(f->key) == (size_t)(h - ref) &&
		    strncmp(ref, f->key, (size_t)(h - ref)) == 0 &&
		    strcmp(h + 1, f->anchor) == 0)
			return 1;
	}
	return 0;
}

static struct rstate *
rule_of(struct m *m, const struct match_finding *f)
{
	size_t i;

	if (f->rule == NULL)
		return NULL;
	for (i = 0; i < m->rules.n; i++)
		if (strcmp(((struct rstate *)m->rules.v[i])->r->id, f->rule) == 0)
			return m->rules.v[i];
	return NULL;
}

/*
 * Ranks by confidence, then moves each cause right before the first of
 * the findings it explains, so that a stopped service comes before the
 * 6703 it causes whatever their confidences.
 */
static void
rank(struct m *m, struct vec *out)
{
	size_t i, j, k;

	kb_qsort(out->v, out->n, sizeof(void *), finding_cmp);
	for (i = 0; i < out->n; i++) {
		struct match_finding *f = out->v[i];
		struct rstate *rs = rule_of(m, f);
		if (rs == NULL || !f->cause)
			continue;
		for (j = 0; j < i; j++) {
			struct match_finding *g = out->v[j];
			/* a finding with a cause of its own (a rule that
			 * fired for it) is not this one's symptom */
			if (!explains(rs, g) || g->recovered || g->cause)
				continue;
			for (k = i; k > j; k--)
				out->v[k] = out->v[k - 1];
			out->v[j] = f;
			break;
		}
		for (j = 0; j < out->n; j++) {
			struct match_finding *g = out->v[j];
			if (g != f && explains(rs, g) && !g->cause &&
			    g->explained_by == NULL)
				g->explained_by = xstrdup(f->title);
		}
	}
	for (i = 0; i < out->n; i++)
		((struct match_finding *)out->v[i])->rank = (int)i + 1;
}

static void
finding_free(struct match_finding *f)
{
	size_t i;

	free(f->title);
	for (i = 0; i < f->why.n; i++)
		free(f->why.v[i]);
	vec_free(&f->why);
	free(f->key);
	free(f->article_title);
	free(f->locale);
	free(f->version);
	free(f->section_title);
	free(f->anchor);
	for (i = 0; i < f->codes.n; i++)
		free(f->codes.v[i]);
	vec_free(&f->codes);
	vec_free(&f->code_kinds);
	for (i = 0; i < f->evidence.n; i++) {
		struct match_evidence *e = f->evidence.v[i];
		free(e->host);
		free(e->file);
		free(e->text);
		free(e->hl);
		free(e);
	}
	vec_free(&f->evidence);
	free(f->rule);
	free(f->recovered);
	free(f->explained_by);
	free(f);
}

/* ---- unknown errors ---- */

static int
key_explained(struct m *m, size_t key, const struct vec *findings)
{
	size_t i, j;

	if (key >> (sizeof(size_t) * 8 - 1)) {	/* a rule condition */
		size_t rk = ~key, r = rk >> 16;
		struct rstate *rs = r < m->rules.n ? m->rules.v[r] : NULL;
		if (rs == NULL)
			return 0;
		for (i = 0; i < findings->n; i++) {
			struct match_finding *f = findings->v[i];
			if (f->rule && strcmp(f->rule, rs->r->id) == 0)
				return 1;
		}
		return 0;
	}
	{
		struct sig *g = m->sigs.v[key - 1];
		for (j = 0; j < g->sections.n; j++) {
			struct msection *s = g->sections.v[j];
			if (s->finding)
				return 1;
		}
	}
	return 0;
}

static int
cluster_cmp(const void *a, const void *b)
{
	const struct match_cluster *x = *(struct match_cluster *const *)a,
	    *y = *(struct match_cluster *const *)b;

	if (x->severity != y->severity)
		return y->severity - x->severity;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->template, y->template);
}

static void
unknown_errors(struct m *m, struct match_result *res)
{
	size_t i, j;
	int k;

	for (i = 0; i < m->clusters.n; i++) {
		struct cluster *c = m->clusters.v[i];
		struct match_cluster *o;
		int explained = 0;
		for (k = 0; k < c->nkeys && !explained; k++)
			explained = key_explained(m, c->keys[k], &res->findings);
		if (explained && !c->unmatched)
			continue;
		if (explained) {
			/* Partly explained: the records that matched nothing
			 * still need a look.  Keep it. */
		}
		o = xcalloc(1, sizeof(*o));
		o->template = xstrdup(c->tmpl);
		o->count = c->count;
		o->severity = c->severity;
		o->first_utc = c->first;
		o->last_utc = c->last;
		for (j = 0; j < c->hosts.n; j++)
			vec_push(&o->hosts, xstrdup(((struct host *)
			    m->hosts.v[(intptr_t)c->hosts.v[j]])->name));
		vec_sort_str(&o->hosts);
		o->host = xstrdup(((struct host *)
		    m->hosts.v[c->sample->r.host])->name);
		o->file = xstrdup(c->sample->r.file);
		o->line = c->sample->r.line;
		vec_push(&res->clusters, o);
	}
	kb_qsort(res->clusters.v, res->clusters.n, sizeof(void *),
	    cluster_cmp);
	res->clusters_total = (long)res->clusters.n + m->clusters_dropped;
	while (res->clusters.n > MATCH_CLUSTERS_MAX) {
		struct match_cluster *o = res->clusters.v[--res->clusters.n];
		for (j = 0; j < o->hosts.n; j++)
			free(o->hosts.v[j]);
		vec_free(&o->hosts);
		free(o->template);
		free(o->host);
		free(o->file);
		free(o);
	}
}

/* ---- entry ---- */

static void
load_hosts(struct m *m, int64_t incident)
{
	sqlite3_stmt *st = db_stmt(m->db, ST_HOSTS_OF);
	size_t i;

	db_bind_int(st, 1, incident);
	while (db_step(m->db, st) == SQLITE_ROW) {
		struct host *h = xcalloc(1, sizeof(*h));
		char *p;
		h->id = sqlite3_column_int64(st, 0);
		h->name = xstrdup(db_col_text(st, 1));
		h->role = xstrdup(db_col_text(st, 2));
		h->short_name = xstrdup(h->name);
		if ((p = strchr(h->short_name, '.')) != NULL)
			*p = '\0';
		for (p = h->short_name; *p; p++)
			*p = (char)kb_tolower((unsigned char)*p);
		vec_push(&m->hosts, h);
	}
	m->host_names = xcalloc(m->hosts.n + 1, sizeof(char *));
	for (i = 0; i < m->hosts.n; i++)
		m->host_names[i] = ((struct host *)m->hosts.v[i])->short_name;
	m->sync_ok = xcalloc(m->hosts.n + 1, sizeof(int64_t));
	for (i = 0; i <= m->hosts.n; i++)
		m->sync_ok[i] = -1;
}

static void
m_free(struct m *m)
{
	size_t i, j;

	for (i = 0; i < m->hosts.n; i++) {
		struct host *h = m->hosts.v[i];
		free(h->name);
		free(h->short_name);
		free(h->role);
		free(h);
	}
	for (i = 0; i < m->rules.n; i++) {
		struct rstate *rs = m->rules.v[i];
		for (j = 0; j < rs->r->conds.n; j++) {
			size_t h;
			for (h = 0; h < m->hosts.n; h++)
				evset_free(&rs->cs[j].per_host[h]);
			free(rs->cs[j].per_host);
		}
		free(rs->cs);
		rule_free(rs->r);
		free(rs);
	}
	vec_free(&m->rules);
	vec_free(&m->hosts);
	free(m->host_names);
	free(m->sync_ok);
	for (i = 0; i < m->sections.n; i++) {
		struct msection *s = m->sections.v[i];
		free(s->key);
		free(s->art_title);
		free(s->locale);
		free(s->label);
		free(s->title);
		free(s->anchor);
		vec_free(&s->sigs);
		for (j = 0; j < s->logfiles.n; j++)
			free(s->logfiles.v[j]);
		vec_free(&s->logfiles);
		free(s);
	}
	vec_free(&m->sections);
	free(m->by_id);
	for (i = 0; i < m->sigs.n; i++) {
		struct sig *g = m->sigs.v[i];
		free(g->value);
		free(g->words);
		vec_free(&g->sections);
		vec_free(&g->hosts);
		evset_free(&g->hits);
		free(g);
	}
	vec_free(&m->sigs);
	vec_free(&m->patterns);
	hmap_free(&m->sigmap);
	if (m->by_first)
		for (i = 0; i <= m->words.n; i++)
			vec_free(&m->by_first[i]);
	free(m->by_first);
	for (i = 0; i < m->words.n; i++)
		free(m->words.v[i]);
	vec_free(&m->words);
	hmap_free(&m->wordmap);
	for (i = 0; i < m->clusters.n; i++) {
		struct cluster *c = m->clusters.v[i];
		free(c->tmpl);
		vec_free(&c->hosts);
		ev_free(c->sample);
		free(c);
	}
	vec_free(&m->clusters);
	hmap_free(&m->clustermap);
	for (i = 0; i < m->mime.n; i++) {
		struct mimeent *e = m->mime.v[i];
		free(e->file);
		free(e->ext);
		ev_free(e->ev);
		free(e);
	}
	vec_free(&m->mime);
	buf_free(&m->lmsg);
	for (i = 0; i < m->memo.n; i++)
		memo_free(m->memo.v[i]);
	vec_free(&m->memo);
	vec_free(&m->msgconds);
	for (i = 0; i < m->tl.n; i++)
		free(m->tl.v[i]);
	vec_free(&m->tl);
	hmap_free(&m->tlmap);
	hmap_free(&m->memomap);
	for (i = 0; i < m->fsrc.n; i++) {
		struct fsrcs *fs = m->fsrc.v[i];
		vec_free(&fs->sets);
		vec_free(&fs->whys);
		free(fs);
	}
	vec_free(&m->fsrc);
	for (i = 0; i < m->kinds.n; i++) {
		struct kindconds *kc = m->kinds.v[i];
		free(kc->kind);
		vec_free(&kc->items);
		free(kc);
	}
	vec_free(&m->kinds);
}

static int
tl_cmp(const void *a, const void *b)
{
	const struct match_tl *x = *(struct match_tl *const *)a,
	    *y = *(struct match_tl *const *)b;
	int c = strcmp(x->host, y->host);

	if (c != 0)
		return c;
	return x->minute < y->minute ? -1 : x->minute > y->minute;
}

int
match_incident(struct db *db, const char *name, struct match_result *res)
{
	struct m m;
	sqlite3_stmt *st = db_stmt(db, ST_INCIDENT_ID);
	int64_t incident;
	size_t i;

	memset(res, 0, sizeof(*res));
	db_bind_text(st, 1, name);
	if (db_step(db, st) != SQLITE_ROW) {
		diag(DIAG_ERROR, NULL, 0, 0, "no incident '%s' in %s", name,
		    db->path);
		return -1;
	}
	incident = sqlite3_column_int64(st, 0);
	memset(&m, 0, sizeof(m));
	m.db = db;
	load_hosts(&m, incident);
	load_signatures(&m);
	load_rules(&m);
	record_pass(&m, incident);

	score_sections(&m, &res->findings);
	apply_rules(&m, &res->findings);
	/* Evidence: a line of each source in turn, so that every reason
	 * has its line before any has a second one. */
	for (i = 0; i < res->findings.n; i++) {
		struct fsrcs *fs = m.fsrc.v[i];
		add_evidence_rr(&m, res->findings.v[i], fs->sets.v, fs->whys.v,
		    fs->sets.n);
	}
	recoveries(&m, &res->findings);
	/* drop what is too weak to report */
	for (i = 0; i < res->findings.n;) {
		struct match_finding *f = res->findings.v[i];
		if (f->confidence < MATCH_MIN_CONFIDENCE) {
			size_t k;
			for (k = 0; k < m.sections.n; k++) {
				struct msection *s = m.sections.v[k];
				if (s->finding == (int)i + 1)
					s->finding = 0;
				else if (s->finding > (int)i + 1)
					s->finding--;
			}
			finding_free(f);
			memmove(res->findings.v + i, res->findings.v + i + 1,
			    (res->findings.n - i - 1) * sizeof(void *));
			res->findings.n--;
		} else
			i++;
	}
	rank(&m, &res->findings);
	unknown_errors(&m, res);
	for (i = 0; i < m.hosts.n; i++)
		vec_push(&res->hosts, xstrdup(((struct host *)m.hosts.v[i])->name));
	for (i = 0; i < m.tl.n; i++) {
		struct match_tl *t = m.tl.v[i];
		t->host = res->hosts.v[(intptr_t)t->host];
	}
	kb_qsort(m.tl.v, m.tl.n, sizeof(void *), tl_cmp);
	res->tl = m.tl;
	memset(&m.tl, 0, sizeof(m.tl));
	res->records = m.records;
	res->signatures = 0;
	for (i = 0; i < m.sigs.n; i++)
		if (((struct sig *)m.sigs.v[i])->sections.n > 0)
			res->signatures++;
	res->rules = (long)m.rules.n;
	m_free(&m);
	return 0;
}

void
match_result_free(struct match_result *res)
{
	size_t i, j;

	for (i = 0; i < res->findings.n; i++)
		finding_free(res->findings.v[i]);
	vec_free(&res->findings);
	for (i = 0; i < res->clusters.n; i++) {
		struct match_cluster *o = res->clusters.v[i];
		for (j = 0; j < o->hosts.n; j++)
			free(o->hosts.v[j]);
		vec_free(&o->hosts);
		free(o->template);
		free(o->host);
		free(o->file);
		free(o);
	}
	vec_free(&res->clusters);
	for (i = 0; i < res->tl.n; i++)
		free(res->tl.v[i]);
	vec_free(&res->tl);
	for (i = 0; i < res->hosts.n; i++)
		free(res->hosts.v[i]);
	vec_free(&res->hosts);
}
