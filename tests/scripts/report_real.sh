#!/bin/sh
# Reports on the real log samples (../shared/logs/samples, one incident
# per folder): every one is matched and reported without an error, as
# valid JSON and HTML, and the folders whose logs show a catalogued fault
# get its section first.  Skipped where ../shared is absent.
set -u
: "${KBGEN:?}" "${KBGEN_SRC:?}"
samples="${KBGEN_SHARED:-$KBGEN_SRC/../shared}/logs/samples"
[ -d "$samples" ] || { echo "report_real: $samples absent: skipped"; exit 77; }
command -v python3 >/dev/null || { echo "report_real: no python3: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
db="$tmp/kb.sqlite"
"$KBGEN" -q --db "$db" compile "$KBGEN_SRC/kb/articles" "$KBGEN_SRC/kb/rules" && ok || bad "compile"

for d in "$samples"/*/; do
	n=$(basename "$d")
	"$KBGEN" -q --db "$db" incident add "$n" "$d" 2>"$tmp/err" && ok || bad "incident add $n"
	grep -q 'error:' "$tmp/err" && { bad "$n: ingest errors"; cat "$tmp/err"; } || ok
	"$KBGEN" --db "$db" report "$n" --format json >"$tmp/$n.json" 2>"$tmp/err" && ok || { bad "report $n"; cat "$tmp/err"; }
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/$n.json" && ok || bad "$n: not JSON"
	"$KBGEN" --db "$db" report "$n" -o "$tmp/$n.html" 2>/dev/null && ok || bad "report $n html"
done

# folder -> the section its samples are about (first finding, >= 0.5)
top() { # folder key#anchor
	python3 - "$tmp/$1.json" "$2" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
want = sys.argv[2]
got = "%s#%s" % (f[0]["article"]["key"], f[0]["section"]["anchor"]) if f else "none"
assert got == want and float(f[0]["confidence"]) >= 0.5, (got, f[0]["confidence"] if f else 0)
PY
}
top statmsg configuration-manager-2007-software-updates-synchronization#wsus-server-not-configured-error && ok || bad "statmsg samples"
top wsus_setup 9f6317f7-bfe0-42d9-87ce-d8f038c728ca#error-0x80070643-fatal-error-during-installation && ok || bad "wsus_setup samples"
top httperr 9f6317f7-bfe0-42d9-87ce-d8f038c728ca#message-id-6703---wsus-synchronization-failed && ok || bad "httperr samples"
top iis_w3c troubleshoot-wsus-connection-failures#code-definitions && ok || bad "iis_w3c samples"

echo "report_real: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
