#!/bin/sh
# IIS requests are counted per minute, endpoint and status and stored an
# hour to a row (schema6.sql): the view http_minute must give, for real
# and generated W3C logs, exactly the counts and first lines that an
# independent count of the same files gives (httpcounts.py), also for a
# log that goes back in time and an hour with more distinct URIs than
# kbgen keeps at once; a schema-5 KB must migrate without losing a row.
set -eu
: "${KBGEN:?}"
top=$(cd "$(dirname "$0")/../.." && pwd)
command -v python3 >/dev/null || { echo "httpcounts: no python3: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py="python3 $top/tests/scripts/httpcounts.py"

mkdir -p "$tmp/gen/IIS"
$py make "$tmp/gen/IIS/u_ex240612.log"
set -- "$tmp/gen/IIS/u_ex240612.log" \
    "$top/kb/samples/K02-sync-503-wsuspool/HLSUP01/IIS/W3SVC1722407045/u_ex240612.log" \
    "$top/kb/samples/K05-duplicate-mimemap/SRU-SUP02/IIS/W3SVC1915524802/u_ex241007.log"
shared=${KBGEN_SHARED:-}
if [ -n "$shared" ] && [ -d "$shared/logs/samples/iis_w3c" ]; then
	for f in plaso_iis10.log plaso_iis6.log plaso_iis7_owa.log \
	    logjoint_iis75_webdav.log; do
		set -- "$@" "$shared/logs/samples/iis_w3c/$f"
	done
else
	echo "httpcounts: ../shared absent: real IIS samples skipped"
fi
i=0
for f in "$@"; do
	i=$((i + 1))
	"$KBGEN" -q --db "$tmp/kb.sqlite" incident add "H$i" "$f" --host "WS$i" \
	    --role wsus-server
done
$py expect "$tmp/kb.sqlite" "$@"
# incident show sums them per endpoint, content downloads as one: of the
# 5000 distinct content URIs of the generated log, every ninth is a 404.
"$KBGEN" --db "$tmp/kb.sqlite" incident show H1 >"$tmp/show"
grep -Eq '^  http /content/\* +404 +556 requests, busiest minute [0-9]+ .*, 556 URIs$' "$tmp/show" ||
    { echo "FAIL: incident show: no content 404 total"; cat "$tmp/show"; exit 1; }

cp "$tmp/kb.sqlite" "$tmp/old.sqlite"
$py downgrade "$tmp/old.sqlite"
mkdir "$tmp/art"
printf -- '---\ntitle: T\nms.date: 01/02/2024\n---\n\n# T\n\nText.\n' >"$tmp/art/t.md"
"$KBGEN" -q --db "$tmp/old.sqlite" compile "$tmp/art"
$py same "$tmp/kb.sqlite" "$tmp/old.sqlite"
$py expect "$tmp/old.sqlite" "$@" >/dev/null
echo "httpcounts: ok"
