#!/bin/sh
# The site in a real browser (headless Chromium, from file://): the
# offline search finds English words, codes in any written form and
# Chinese text; no page logs a script error; no page asks the network
# for anything; screenshots of the home, an article, a code page and an
# incident page go to $KBGEN_SHOTS (default: ./browser in the build
# folder).  Installs Debian's chromium when it is missing (apt-get, with
# sudo when not root); exits 77 (skipped) when it cannot.
set -u
: "${KBGEN:?}" "${KBGEN_SRC:?}"
shots=${KBGEN_SHOTS:-$PWD/browser}

browser() {
	for b in chromium chromium-browser; do
		command -v "$b" >/dev/null 2>&1 && { echo "$b"; return 0; }
	done
	return 1
}
if ! CH=$(browser); then
	if [ "$(id -u)" -eq 0 ]; then
		apt-get install -y chromium >/dev/null 2>&1 ||
		    { apt-get update >/dev/null 2>&1 && apt-get install -y chromium >/dev/null 2>&1; }
	elif command -v sudo >/dev/null 2>&1; then
		sudo -n apt-get install -y chromium >/dev/null 2>&1 ||
		    { sudo -n apt-get update >/dev/null 2>&1 && sudo -n apt-get install -y chromium >/dev/null 2>&1; }
	fi
	CH=$(browser) || { echo "chromium is not installed and cannot be: skipped"; exit 77; }
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# Every run gets a fresh profile; nothing may reach the network (the
# resolver maps every host to nowhere, so a request would fail loudly).
run() {
	"$CH" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	    --disable-background-networking --disable-component-update --disable-sync \
	    --user-data-dir="$(mktemp -d "$tmp/profile.XXXXXX")" \
	    --host-resolver-rules='MAP * ~NOTFOUND' \
	    --enable-logging=stderr --v=0 "$@"
}

site="$tmp/site"
"$KBGEN" --db "$tmp/kb.sqlite" build --kb "$KBGEN_SRC/kb" --out "$site" >"$tmp/build.log" 2>&1
[ -s "$site/index.html" ] && ok || { bad "kbgen build wrote no site"; cat "$tmp/build.log"; }
url() { echo "file://$site/$1"; }
article=a/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.en-us.2023-03-07.html
zh=a/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.zh-cn.2017-10-16.html
code=c/hresult/0x80070643.html
incident=$(cd "$site" && ls i/*.html | grep -v index.html | head -1)

# search QUERY EXPECT...: the results page must hold every EXPECT.
search() {
	q=$1; shift
	run --virtual-time-budget=10000 --run-all-compositor-stages-before-draw \
	    --dump-dom "$(url "search.html?q=$q")" >"$tmp/dom" 2>"$tmp/err"
	grep -q 'data-search="done"' "$tmp/dom" || { bad "search '$q' did not finish"; return; }
	grep -q 'data-count="[1-9]' "$tmp/dom" && ok || bad "search '$q' found nothing"
	for e; do
		grep -q "$e" "$tmp/dom" && ok || bad "search '$q': no '$e'"
	done
	grep -q 'Uncaught' "$tmp/err" && { bad "search '$q' logged a script error"; grep Uncaught "$tmp/err" | head -3; } || ok
}
search 0x80070643 'Error 0x80070643: Fatal error during installation' 'href="c/hresult/0x80070643.html"'
search 2147944003 'Error 0x80070643: Fatal error during installation'
search 6703 'Message ID 6703'
search 'private+memory+limit' 'Message ID 6703'
search '%E5%90%8C%E6%AD%A5%E5%A4%B1%E8%B4%A5' '.zh-cn.2017-10-16.html#'
search 'wsyncmgr.log' 'href="l/wsyncmgr.log.html"'

# No script error and no request leaving the page, on every kind of page.
for p in index.html "$article" "$zh" "$code" "$incident" i/index.html c/index.html \
    l/index.html search.html "search.html?q=sync" \
    d/9f6317f7-bfe0-42d9-87ce-d8f038c728ca.zh-cn.2017-10-16.html; do
	run --virtual-time-budget=5000 --log-net-log="$tmp/net.json" \
	    --dump-dom "$(url "$p")" >"$tmp/dom" 2>"$tmp/err"
	[ -s "$tmp/dom" ] && ok || bad "$p: nothing rendered"
	grep -q 'Uncaught' "$tmp/err" && { bad "$p: script error"; grep Uncaught "$tmp/err" | head -3; } || ok
	# The browser's own services (updates, clock, accounts) are not
	# the page's doing; anything else would be.
	grep -o '"url":"https\{0,1\}://[^"]*"' "$tmp/net.json" 2>/dev/null |
	    grep -Ev '://[^/"]*(google|googleapis|gstatic|gvt1|chromium)\.(com|org)[/:"]' |
	    sort -u >"$tmp/req"
	[ -s "$tmp/req" ] && { bad "$p: network requests"; head -3 "$tmp/req"; } || ok
done

# Screenshots, desktop and phone widths.
mkdir -p "$shots"
shot() { # name page width height
	rm -f "$shots/$1.png"
	run --window-size="$3,$4" --hide-scrollbars --screenshot="$shots/$1.png" "$(url "$2")" >/dev/null 2>&1
	[ -s "$shots/$1.png" ] && ok || bad "no screenshot $1"
}
shot home index.html 1280 1600
shot article "$article" 1280 1600
shot article-zh-cn "$zh" 1280 1200
shot code "$code" 1280 1000
shot incident "$incident" 1280 1600
shot search "search.html?q=0x80070643" 1280 1000
shot article-phone "$article" 390 1400
echo "browser: screenshots in $shots"

echo "browser: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
