#!/bin/sh
# The static site (kbgen site / build): the pages of every kind exist,
# switchers and internal links point at pages that exist (anchors too),
# nothing is fetched from elsewhere, the link check warns with file:line,
# two builds are byte-identical, a rebuild rewrites only what changed and
# removes what is gone, --templates overrides one block, and hostile
# article and log text never becomes markup.
set -u
: "${KBGEN:?}" "${KBGEN_SRC:?}"
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # description command...
	d=$1; shift
	if "$@" >/dev/null 2>&1; then ok; else bad "$d"; fi
}
db="$tmp/kb.sqlite"
k() { "$KBGEN" --db "$db" "$@"; }

# ---- Fixtures: two articles, their German translations, hostile text.
fx="$tmp/fx"
mkdir -p "$fx/en" "$fx/de"
cat >"$fx/en/beta.md" <<'EOF'
---
title: Beta article
ms.assetid: fx-beta
ms.date: 01/02/2024
ms.technology: manage-wsus
---
# Beta article

## Check the pool

Restart WsusPool when wsyncmgr.log shows 6703.
EOF
cat >"$fx/en/alpha.md" <<'EOF'
---
title: Alpha article
ms.assetid: fx-alpha
ms.date: 01/03/2024
---
# Alpha article

> [!NOTE]
> Read the beta article first.

## Sync fails

Setup fails with 0x80070643. See [the pool](beta.md#check-the-pool),
[a lost section](beta.md#no-such-section) and [a lost file](missing.md).
Also [below](#more).

![diagram](https://example.com/diagram.png)

## More

Nothing else.
EOF
src_sha=$(sha1sum "$fx/en/beta.md" | cut -d' ' -f1)
cat >"$fx/de/beta.md" <<EOF
---
title: Beta-Artikel
ms.assetid: fx-beta
ms.date: 01/02/2024
ms.contentlocale: de-DE
ms.translationtype: MT
ms.openlocfilehash: $src_sha
---
# Beta-Artikel

## <a name="check-the-pool"></a>Den Pool prüfen

Starten Sie WsusPool neu.
EOF
cat >"$fx/de/alpha.md" <<'EOF'
---
title: Alpha-Artikel
ms.assetid: fx-alpha
ms.date: 01/03/2024
ms.contentlocale: de-DE
ms.translationtype: MT
ms.openlocfilehash: 0000000000000000000000000000000000000000
---
# Alpha-Artikel

## Synchronisierung schlägt fehl

Siehe [den Pool](../en/beta.md#check-the-pool).
EOF
cat >"$fx/en/xss.md" <<'EOF'
---
title: "<script>alert(1)</script> title"
ms.assetid: fx-xss
---
# <script>alert(1)</script> heading

<script>alert(2)</script>

<img src=x onerror=alert(3)>

[click](javascript:alert(4)) and <b onmouseover=alert(5)>bold</b>

## <i onclick="alert(6)">x</i> 0x80070643
EOF
# A bundle whose log text and host name are hostile.
mkdir -p "$tmp/bundle"
printf 'host: EVIL<script>alert(7)</script>\nrole: client\n' >"$tmp/bundle/manifest.txt"
printf '2024-05-01 10:00:00 ERROR <script>alert(8)</script> install failed 0x80070643 "><img src=x onerror=alert(9)>\n' >"$tmp/bundle/setup.log"

# ---- Build.
k compile "$KBGEN_SRC/kb/articles" "$fx" >"$tmp/out" 2>&1 && ok || { bad "compile"; cat "$tmp/out"; }
k incident add "INC-<script>alert(10)</script>" "$tmp/bundle" >"$tmp/out" 2>&1 && ok || { bad "incident add"; cat "$tmp/out"; }
site="$tmp/site"
k site --out "$site" >"$tmp/out" 2>&1
[ $? -le 1 ] && ok || { bad "site failed"; cat "$tmp/out"; }

# The link check: file:line warnings for the broken link and anchor.
grep -q "^kbgen: $fx/en/alpha.md:[0-9]*: warning: broken link 'missing.md'" "$tmp/out" && ok || { bad "no broken-link warning"; cat "$tmp/out"; }
grep -q "^kbgen: $fx/en/alpha.md:[0-9]*: warning: link 'beta.md#no-such-section': no section 'no-such-section'" "$tmp/out" && ok || bad "no missing-anchor warning"
grep -q "beta.md#check-the-pool" "$tmp/out" && bad "a good link was reported" || ok

# ---- Pages of every kind.
for p in index.html search.html style.css search.js search/index.js search/b0.js \
    c/index.html l/index.html i/index.html \
    c/hresult/0x80070643.html c/win32/1603.html c/statmsg/6703.html c/http/503.html \
    l/wsyncmgr.log.html \
    a/fx-alpha.en-us.2024-01-03.html a/fx-alpha.de-de.2024-01-03.html \
    a/fx-beta.en-us.2024-01-02.html a/fx-beta.de-de.2024-01-02.html \
    d/fx-beta.de-de.2024-01-02.html \
    a/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.en-us.2023-03-07.html \
    a/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.zh-cn.2017-10-16.html \
    d/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.zh-cn.2017-10-16.html; do
	[ -s "$site/$p" ] && ok || bad "missing page $p"
done
ls "$site"/i/INC-*.html >/dev/null 2>&1 && ok || bad "no incident page"

a_en="$site/a/fx-alpha.en-us.2024-01-03.html"
a_de="$site/a/fx-alpha.de-de.2024-01-03.html"
zh="$site/a/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.zh-cn.2017-10-16.html"
en="$site/a/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.en-us.2023-03-07.html"
# Internal links: to the page and anchor, the reader's language first.
grep -q 'href="../a/fx-beta.en-us.2024-01-02.html#check-the-pool"' "$a_en" && ok || bad "internal link not resolved"
grep -q 'href="../a/fx-beta.de-de.2024-01-02.html#check-the-pool"' "$a_de" && ok || bad "link does not prefer the reader's language"
grep -q '<a class="broken"' "$a_en" && ok || bad "broken link not marked"
grep -q 'href="#more"' "$a_en" && ok || bad "same-page anchor"
grep -q 'role="note" class="alert alert-note"' "$a_en" && ok || bad "alert not a callout"
grep -q 'href="../c/hresult/0x80070643.html"' "$a_en" && ok || bad "code chip"
# Switchers.
grep -q 'href="../a/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.en-us.2023-03-07.html" hreflang="en-us"' "$zh" && ok || bad "language switcher on zh-cn"
grep -q 'href="../a/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.en-us.a0fd49441c92.html"' "$en" && ok || bad "version switcher on en-us"
grep -q 'aria-current="page">2023-03-07<' "$en" && ok || bad "current version not marked"
# Version diffs: each version against the next older one, from the switcher.
vd="$site/v/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.en-us.2023-03-07.html"
[ -s "$vd" ] && ok || bad "no version diff page"
grep -q 'href="../v/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.en-us.2023-03-07.html"' "$en" && ok || bad "version diff not linked from the switcher"
grep -q 'what changed from <a href="../a/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.en-us.a0fd49441c92.html">' "$vd" && ok || bad "version diff page: older version"
[ -e "$site/v/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.en-us.a0fd49441c92.html" ] && bad "the oldest version has a diff page" || ok
# Banners: machine translation, out of date, up to date.
grep -q 'banner-mt' "$zh" && ok || bad "no MT banner"
grep -q 'banner-stale' "$zh" && ok || bad "zh-cn not out of date"
grep -q 'href="../d/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.zh-cn.2017-10-16.html"' "$zh" && ok || bad "no diff link"
grep -q 'banner-ok' "$site/a/fx-beta.de-de.2024-01-02.html" && ok || bad "de-de beta not current"
grep -q 'banner-stale' "$a_de" && ok || bad "de-de alpha not out of date"
# Code pages: meaning, every language, incidents.
c="$site/c/hresult/0x80070643.html"
grep -q 'ERROR_INSTALL_FAILURE' "$c" && ok || bad "code meaning"
grep -q 'zh-cn 2017-10-16' "$c" && ok || bad "code page lacks zh-cn"
grep -q 'fx-alpha.en-us.2024-01-03.html#sync-fails' "$c" && ok || bad "code page lacks a section"
grep -q 'href="../../i/INC-' "$c" && ok || bad "code page lacks the incident"
grep -q 'fx-beta.en-us.2024-01-02.html#check-the-pool' "$site/l/wsyncmgr.log.html" && ok || bad "log-file page"
# Home: topics, incidents, codes.
grep -q 'id="topic-wsus"' "$site/index.html" && ok || bad "no WSUS topic"
grep -q 'href="i/INC-' "$site/index.html" && ok || bad "home lacks incidents"
grep -q 'href="c/statmsg/6703.html"' "$site/index.html" && ok || bad "home lacks codes"
# Search index: codes by any written form, CJK bigrams.
grep -q '"2147944003"' "$site/search/index.js" && ok || bad "code forms not in the index"
cat "$site"/search/b*.js | grep -q '^"同步":' && ok || bad "no CJK bigram in the index"

# ---- Links resolve, anchors exist, nothing is fetched, no markup from data.
python3 - "$site" >"$tmp/links" 2>&1 <<'PY'
import os, sys, re
from html.parser import HTMLParser
from urllib.parse import unquote
root = sys.argv[1]
ids, refs, problems = {}, [], []
class P(HTMLParser):
    def __init__(self, path):
        super().__init__(convert_charrefs=True); self.path = path; self.ids = set()
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a: self.ids.add(a["id"])
        for k, v in attrs:
            if k.startswith("on"): problems.append("%s: <%s %s=>" % (self.path, tag, k))
        if tag in ("iframe", "object", "embed", "img", "video", "audio"):
            problems.append("%s: <%s>" % (self.path, tag))
        if tag == "script" and "src" not in a:
            problems.append("%s: inline script" % self.path)
        for k in ("href", "src", "action"):
            if k in a and a[k] is not None:
                v = a[k]
                if v.lower().startswith("javascript:"): problems.append("%s: %s" % (self.path, v))
                if re.match(r"^[a-z][a-z0-9+.-]*:", v, re.I) or v.startswith("//"):
                    if tag in ("script", "link", "img", "iframe", "form"):
                        problems.append("%s: external %s %s" % (self.path, tag, v))
                    continue
                if v.startswith("/"): problems.append("%s: absolute %s" % (self.path, v))
                refs.append((self.path, v))
for d, _, fs in os.walk(root):
    for f in fs:
        if f.endswith(".html"):
            p = os.path.join(d, f)
            x = P(p); x.feed(open(p, encoding="utf-8").read()); ids[os.path.normpath(p)] = x.ids
n = 0
for src, v in refs:
    url, _, frag = v.partition("#")
    url = url.split("?")[0]
    target = os.path.normpath(os.path.join(os.path.dirname(src), unquote(url))) if url else os.path.normpath(src)
    n += 1
    if not os.path.exists(target): problems.append("%s: dead link %s" % (src, v)); continue
    if frag and target.endswith(".html") and unquote(frag) not in ids.get(target, set()):
        problems.append("%s: no anchor %s" % (src, v))
print("links checked:", n)
for p in problems: print(p)
sys.exit(1 if problems else 0)
PY
[ $? -eq 0 ] && ok || { bad "links, anchors or markup"; head -20 "$tmp/links"; }

# XSS: the payloads appear as text only.
grep -rl --include='*.html' '<script>alert' "$site" >/dev/null && bad "unescaped script payload" || ok
grep -rl --include='*.js' '</script' "$site/search" >/dev/null && bad "</script in the search index" || ok
grep -q '&lt;script&gt;alert(8)&lt;/script&gt;' "$site"/i/INC-*.html && ok || bad "log text not shown escaped"
grep -q 'EVIL&lt;script&gt;' "$site"/i/INC-*.html && ok || bad "host name not shown escaped"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt; title' "$site/a/fx-xss.en-us."*.html && ok || bad "title not escaped"
cat "$site/a/fx-xss."* | grep -q 'javascript:' && bad "javascript: URL kept" || ok

# ---- Determinism: a fresh build gives the same bytes.
k site --out "$tmp/site2" >/dev/null 2>&1
diff -r "$site" "$tmp/site2" >"$tmp/diff" && ok || { bad "two builds differ"; head "$tmp/diff"; }

# ---- Incremental: nothing changed writes nothing.
sleep 1
touch "$tmp/stamp"
k site --out "$site" >/dev/null 2>&1
[ -z "$(find "$site" -newer "$tmp/stamp" -type f)" ] && ok || bad "an unchanged rebuild wrote $(find "$site" -newer "$tmp/stamp" -type f | head -3)"
# One article changes: its page changes, other articles' pages do not.
sleep 1
touch "$tmp/stamp"
printf '\nOne more line about 0x80070643.\n' >>"$fx/en/beta.md"
k compile "$fx" >/dev/null 2>&1
k site --out "$site" >"$tmp/out" 2>&1
newer=$(find "$site" -newer "$tmp/stamp" -type f | sed "s|$site/||" | sort)
echo "$newer" | grep -q '^a/fx-beta.en-us.2024-01-02.html$' && ok || bad "changed article not rewritten"
echo "$newer" | grep -q '^a/9f6317f7' && bad "unrelated article rewritten" || ok
echo "$newer" | grep -q '^a/fx-alpha\.en-us' && bad "linking article rewritten though its links did not change" || ok
echo "$newer" | grep -q '^d/fx-beta.de-de.2024-01-02.html$' && ok || bad "translation diff not rewritten"
grep -q 'banner-stale' "$site/a/fx-beta.de-de.2024-01-02.html" && ok || bad "translation not out of date after its source changed"
# Pages deleted from the site by hand come back, alone.
rm "$site/a/fx-beta.en-us.2024-01-02.html" "$site/c/hresult/0x80070643.html"
sleep 1
touch "$tmp/stamp"
k site --out "$site" >/dev/null 2>&1
newer=$(find "$site" -newer "$tmp/stamp" -type f | sed "s|$site/||" | sort | tr '\n' ' ')
[ "$newer" = "a/fx-beta.en-us.2024-01-02.html c/hresult/0x80070643.html " ] && ok || bad "deleted pages: rewrote '$newer'"
# A removed article loses its pages.
rm "$fx/en/xss.md"
k compile "$fx" >/dev/null 2>&1
k site --out "$site" >/dev/null 2>&1
! ls "$site/a/fx-xss."* >/dev/null 2>&1 && ok || bad "pages of a removed article remain"

# An edited manifest cannot make a rebuild remove files outside the site.
echo keep >"$tmp/outside.txt"
printf '../outside.txt\tx\t\n' >>"$site/.kbgen-site"
k site --out "$site" >/dev/null 2>&1
[ -f "$tmp/outside.txt" ] && ok || bad "a manifest entry removed a file outside the site"

# ---- --templates: one block of the layout overridden, one asset replaced.
mkdir -p "$tmp/tpl"
printf '{{<base}}{{$footer}}<p class="custom">Team footer</p>{{/footer}}{{/base}}\n' >"$tmp/tpl/layout.mustache"
printf 'body{color:red}\n' >"$tmp/tpl/style.css"
printf 'extra asset\n' >"$tmp/tpl/extra.txt"
k site --out "$tmp/site3" --templates "$tmp/tpl" >"$tmp/out" 2>&1
grep -q '<p class="custom">Team footer</p>' "$tmp/site3/index.html" && ok || bad "footer block not overridden"
grep -q '<p class="custom">Team footer</p>' "$tmp/site3/a/fx-alpha.en-us.2024-01-03.html" && ok || bad "footer block not overridden on articles"
grep -q 'Generated by kbgen' "$tmp/site3/index.html" && bad "default footer kept" || ok
grep -q 'form class="search"' "$tmp/site3/index.html" && ok || bad "header lost with the override"
[ "$(cat "$tmp/site3/style.css")" = 'body{color:red}' ] && ok || bad "style.css not replaced"
[ -f "$tmp/site3/extra.txt" ] && ok || bad "extra asset not copied"
# A broken template is a diagnostic, not a crash.
printf '{{#unclosed}}\n' >"$tmp/tpl/home.mustache"
k site --out "$tmp/site4" --templates "$tmp/tpl" >"$tmp/out" 2>&1
[ $? -eq 1 ] && ok || bad "broken template: exit status"
grep -q 'home' "$tmp/out" && ok || bad "broken template not named"

# ---- A heading with several anchors keeps them all.
mkdir -p "$tmp/ma"
cat >"$tmp/ma/multi.md" <<'EOF'
---
title: Multi
ms.assetid: fx-multi
ms.date: 01/02/2024
---
# Multi

- [old bookmark](#BKMK_Old)
- [before](#before)

<a name="before"></a>
## <a name="new-slug"></a><a name=BKMK_Old></a>Old and new
Text.
EOF
"$KBGEN" -q --db "$tmp/ma.sqlite" compile "$tmp/ma" >/dev/null 2>&1
"$KBGEN" --db "$tmp/ma.sqlite" site --out "$tmp/site6" >"$tmp/out" 2>&1
m="$tmp/site6/a/fx-multi.en-us.2024-01-02.html"
grep -q 'id="new-slug"' "$m" && ok || bad "multi-anchor heading: first anchor"
grep -q 'id="BKMK_Old"' "$m" && ok || bad "multi-anchor heading: second anchor lost"
grep -q 'id="before"' "$m" && ok || bad "anchor before a heading with its own lost"
grep -q 'warning:' "$tmp/out" && { bad "multi-anchor heading: link warnings"; cat "$tmp/out"; } || ok

# ---- kbgen build writes the site too.
mkdir -p "$tmp/kb"
cp -r "$KBGEN_SRC/kb/articles" "$tmp/kb/"
"$KBGEN" --db "$tmp/b.sqlite" build --kb "$tmp/kb" --out "$tmp/site5" >"$tmp/out" 2>&1
[ -s "$tmp/site5/index.html" ] && [ -s "$tmp/site5/search.html" ] && ok || { bad "build wrote no site"; cat "$tmp/out"; }

echo "site: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
