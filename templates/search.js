/* search.js -- the offline search of the kbgen site (search.html).
 *
 * The index (site_search.c) is a set of scripts: search/index.js sets
 * KB_SEARCH = {n: buckets, codes: [[url, label, meaning, [forms]]...]},
 * and each search/bN.js calls KB_SEARCH_ADD(N, {v, d, t}) with
 *   v: versions [url, article title, locale, label, mt],
 *   d: sections [version, anchor, title, excerpt],
 *   t: {term: [section * 4 + weight, ...]} (weight 2: in the title,
 *      1: repeated).
 * Script tags work from file://, where fetch() does not.  Queries are cut
 * into terms as the knowledge base's tokenizer does: words case-folded
 * without Latin diacritics, and Chinese, Japanese and Korean text as
 * character bigrams.  Results are written with textContent only. */
(function () {
	'use strict';

	var S = window.KB_SEARCH || { n: 0, codes: [] };
	var buckets = [];
	var CJK = /[\u1100-\u11ff\u3005-\u3007\u303b\u303c\u3041-\u3096\u3099-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3131-\u318e\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff\uf900-\ufaff\uff66-\uff9f\uffa0-\uffdc\u{1aff0}-\u{1b16f}\u{20000}-\u{2fa1f}\u{30000}-\u{323af}]/u;
	var WORD = /[\p{L}\p{N}\p{Co}]+/gu;
	var MAX = 50;
	var has = Object.prototype.hasOwnProperty;

	window.KB_SEARCH_ADD = function (k, b) { buckets[k] = b; };

	function $(id) { return document.getElementById(id); }

	/* q and lang from ?q=...&lang=... or #q=... */
	function params() {
		var r = { q: '', lang: '' };
		[location.search.slice(1), location.hash.slice(1)].forEach(function (s) {
			s.split('&').forEach(function (kv) {
				var i = kv.indexOf('='), v;
				if (i < 0)
					return;
				try {
					v = decodeURIComponent(kv.slice(i + 1).replace(/\+/g, ' '));
				} catch (e) {
					return;
				}
				if (kv.slice(0, i) === 'q')
					r.q = v;
				else if (kv.slice(0, i) === 'lang')
					r.lang = v;
			});
		});
		return r;
	}

	function fold(w) {
		return w.toLowerCase().replace(/[\u00c0-\u024f\u1e00-\u1eff]/g,
		    function (c) { return c.normalize('NFD').charAt(0); });
	}

	/* Terms of a string: [{t: term, one: lone CJK character}]. */
	function terms(q) {
		var out = [], ch = Array.from(q), i = 0, j, k;

		while (i < ch.length) {
			j = i;
			if (CJK.test(ch[i])) {
				while (j < ch.length && CJK.test(ch[j]))
					j++;
				if (j - i === 1)
					out.push({ t: ch[i], one: true });
				for (k = i; k + 1 < j; k++)
					out.push({ t: ch[k] + ch[k + 1] });
			} else {
				while (j < ch.length && !CJK.test(ch[j]))
					j++;
				(fold(ch.slice(i, j).join('')).match(WORD) || [])
				    .forEach(function (w) { out.push({ t: w }); });
			}
			i = j;
		}
		return out;
	}

	/* The codes a query names, by any written form. */
	function codes(q) {
		var words = q.toLowerCase().split(/\s+/), hits = [];

		S.codes.forEach(function (c) {
			var forms = c[3].map(function (f) { return f.toLowerCase(); });
			words.forEach(function (w) {
				w = w.replace(/^(hr|hresult|error|code)[=:]/, '');
				if (w && forms.indexOf(w) >= 0 && hits.indexOf(c) < 0)
					hits.push(c);
			});
		});
		return hits;
	}

	/* Groups of alternative terms; a section must match every group. */
	function groups(q, hits) {
		var g = [], done = {};

		hits.forEach(function (c) {
			var alt = [];
			c[3].forEach(function (f) {
				terms(f).forEach(function (t) { alt.push(t); });
				terms(f).forEach(function (t) { done[t.t] = 1; });
			});
			if (alt.length)
				g.push(alt);
		});
		terms(q).forEach(function (t) {
			if (!has.call(done, t.t))
				g.push([t]);
		});
		return g;
	}

	/* Postings of one term in a bucket (a lone CJK character also
	 * matches every bigram starting with it). */
	function postings(b, t) {
		var out = has.call(b.t, t.t) ? b.t[t.t].slice() : [];

		if (t.one)
			Object.keys(b.t).forEach(function (k) {
				if (k.length > t.t.length && k.indexOf(t.t) === 0)
					out = out.concat(b.t[k]);
			});
		return out;
	}

	function search(q, lang) {
		var hits = codes(q), g = groups(q, hits), res = [], total = 0;
		var df = g.map(function () { return 0; });
		var per = [];

		buckets.forEach(function (b, k) {
			if (!b)
				return;
			total += b.d.length;
			per[k] = g.map(function (alt, gi) {
				var m = {};
				alt.forEach(function (t) {
					postings(b, t).forEach(function (p) {
						var d = p >> 2, w = p & 3;
						m[d] = Math.max(m[d] || 0, 1 + (w & 2 ? 3 : 0) + (w & 1));
					});
				});
				df[gi] += Object.keys(m).length;
				return m;
			});
		});
		if (!g.length)
			return { hits: hits, res: [] };
		buckets.forEach(function (b, k) {
			if (!b)
				return;
			Object.keys(per[k][0]).forEach(function (ds) {
				var d = +ds, score = 0, ok = true, v;
				g.forEach(function (alt, gi) {
					var w = per[k][gi][d];
					if (!w)
						ok = false;
					else
						score += w * Math.log(1 + total / df[gi]);
				});
				v = b.v[b.d[d][0]];
				if (ok && lang && v[2] !== lang &&
				    v[2].indexOf(lang + '-') !== 0)
					ok = false;
				if (ok)
					res.push({ s: score, k: k, d: d });
			});
		});
		res.sort(function (x, y) {
			return y.s - x.s || x.k - y.k || x.d - y.d;
		});
		return { hits: hits, res: res };
	}

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined)
			e.textContent = text;
		return e;
	}

	function show(q, lang) {
		var r = search(q, lang), ol = $('results'), box = $('codes');
		var st = $('status');

		r.hits.forEach(function (c) {
			var p = el('p', 'codehit'), a = el('a', null, c[1]);
			a.href = c[0];
			p.appendChild(a);
			if (c[2])
				p.appendChild(document.createTextNode(': ' + c[2]));
			box.appendChild(p);
		});
		r.res.slice(0, MAX).forEach(function (x) {
			var b = buckets[x.k], d = b.d[x.d], v = b.v[d[0]];
			var li = el('li'), a = el('a', null, d[2]);
			a.href = v[0] + (d[1] ? '#' + d[1] : '');
			li.appendChild(a);
			li.appendChild(el('div', 'meta', v[1] + ' \u00b7 ' + v[2] +
			    ' \u00b7 ' + v[3] + (v[4] ? ' \u00b7 machine translation' : '')));
			if (d[3])
				li.appendChild(el('p', 'excerpt', d[3]));
			ol.appendChild(li);
		});
		st.textContent = r.res.length + (r.res.length === 1 ? ' result' :
		    ' results') + ' for \u201c' + q + '\u201d' +
		    (r.res.length > MAX ? ' (the best ' + MAX + ' shown)' : '');
		st.setAttribute('data-count', String(r.res.length));
		document.documentElement.setAttribute('data-search', 'done');
	}

	function start() {
		var p = params(), left = S.n, k, s;

		$('q').value = p.q;
		$('lang').value = p.lang;
		if (!p.q.trim()) {
			$('status').textContent = 'Type words, an error code (0x80070643, 6703, 503) or a log file name.';
			document.documentElement.setAttribute('data-search', 'done');
			return;
		}
		$('status').textContent = 'Searching\u2026';
		if (left === 0)
			show(p.q, p.lang);
		for (k = 0; k < S.n; k++) {
			s = document.createElement('script');
			s.src = 'search/b' + k + '.js';
			s.onload = s.onerror = function () {
				if (--left === 0)
					show(p.q, p.lang);
			};
			document.body.appendChild(s);
		}
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', start);
	else
		start();
})();
