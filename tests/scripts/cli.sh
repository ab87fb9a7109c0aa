#!/bin/sh
# The command-line contract: --help everywhere, exit statuses, --db and
# $KBGEN_DB, lookup of every written form of a code, search, dump formats.
set -u
: "${KBGEN:?}" "${KBGEN_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
status() { # expected-status command...
	exp=$1; shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq "$exp" ] && ok || { bad "'$*' exited $rc, expected $exp"; cat "$tmp/err"; }
}

status 0 "$KBGEN" --help
grep -q '^usage: kbgen' "$tmp/out" && ok || bad "--help prints no usage"
status 0 "$KBGEN" --version
for c in build compile site search lookup dump; do
	status 0 "$KBGEN" "$c" --help
	grep -q "^usage: kbgen $c" "$tmp/out" && ok || bad "$c --help"
	status 0 "$KBGEN" help "$c"
done
status 2 "$KBGEN"
status 2 "$KBGEN" frobnicate
grep -q "^kbgen: error: unknown command 'frobnicate'" "$tmp/err" && ok || bad "unknown command message"
status 2 "$KBGEN" compile
status 2 "$KBGEN" search --format xml wsus
status 3 "$KBGEN" --db "$tmp/none.sqlite" search wsus
grep -q "none.sqlite: cannot open knowledge base" "$tmp/err" && ok || bad "missing KB message"

db="$tmp/kb.sqlite"
status 0 "$KBGEN" --db "$db" compile "$KBGEN_SRC/kb/articles"
# --db after the command, and $KBGEN_DB.
status 0 "$KBGEN" search --db "$db" wsus
KBGEN_DB="$db" "$KBGEN" search wsus >/dev/null 2>&1 && ok || bad "KBGEN_DB ignored"

# Every written form of 0x80070643 finds the same sections.
for form in 0x80070643 80070643 2147944003 -2147023293 0X80070643; do
	status 0 "$KBGEN" --db "$db" lookup "$form"
	grep -q 'hresult 0x80070643' "$tmp/out" && ok || bad "lookup $form: not read as 0x80070643"
	grep -q '1603' "$tmp/out" && ok || bad "lookup $form: no Win32 1603"
	grep -qi 'FACILITY_WIN32' "$tmp/out" && ok || bad "lookup $form: no facility"
	grep -q 'Error 0x80070643: Fatal error during installation' "$tmp/out" && ok || bad "lookup $form: section missing"
done
status 0 "$KBGEN" --db "$db" lookup 6703
grep -q 'statmsg 6703' "$tmp/out" && ok || bad "lookup 6703 not a status message"
grep -q 'Message ID 6703 - WSUS Synchronization Failed' "$tmp/out" && ok || bad "lookup 6703: en section"
grep -q 'zh-cn' "$tmp/out" && ok || bad "lookup 6703: zh-cn section"
status 0 "$KBGEN" --db "$db" lookup 503
grep -q 'http 503' "$tmp/out" && ok || bad "lookup 503 not HTTP"
grep -q 'Code definitions' "$tmp/out" && ok || bad "lookup 503: code table section"
status 0 "$KBGEN" --db "$db" lookup 2147500037
grep -q '0x80004005' "$tmp/out" && ok || bad "2147500037 is not 0x80004005"
grep -q 'Unspecified error' "$tmp/out" && ok || bad "2147500037 not E_FAIL"
grep -q 'WSUS Server Not Configured Error' "$tmp/out" && ok || bad "2147500037: TechNet section"
status 0 "$KBGEN" --db "$db" lookup --format json 0x80070643
head -1 "$tmp/out" | grep -q '^{"kind":"hresult","value":"0x80070643"' && ok || bad "lookup json"
status 2 "$KBGEN" --db "$db" lookup not-a-code

# Search: English, a code, Chinese inside a sentence, language filter.
status 0 "$KBGEN" --db "$db" search private memory limit
grep -q 'Message ID 6703' "$tmp/out" && ok || bad "search English"
status 0 "$KBGEN" --db "$db" search 0x80070643
grep -q 'Fatal error during installation' "$tmp/out" && ok || bad "search code"
status 0 "$KBGEN" --db "$db" search --lang zh 同步失败
grep -q 'zh-cn' "$tmp/out" && ok || bad "search CJK"
status 0 "$KBGEN" --db "$db" search --format json --lang zh-cn 同步
grep -q '"locale":"zh-cn"' "$tmp/out" && ok || bad "search json"
grep -q '"locale":"en-us"' "$tmp/out" && bad "--lang zh-cn returned en-us" || ok
status 0 "$KBGEN" --db "$db" search '"unbalanced (quote AND NEAR'

# Dump: text and JSON, by key prefix and language.
status 0 "$KBGEN" --db "$db" dump article 9f6317f7 --lang zh-cn
grep -q '^locale zh-cn' "$tmp/out" && ok || bad "dump --lang"
grep -q '^machine-translated yes' "$tmp/out" && ok || bad "zh-cn MT flag"
status 0 "$KBGEN" --db "$db" dump article 9f6317f7 --format json
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" 2>/dev/null && ok || bad "dump json is not JSON"
status 1 "$KBGEN" --db "$db" dump article no-such-article
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
