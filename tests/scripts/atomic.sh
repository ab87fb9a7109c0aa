#!/bin/sh
# Kill kbgen midway through a compile: the knowledge base must still hold
# exactly what it held before (one transaction per command), pass SQLite's
# integrity check, and a rerun must finish the job.
set -u
: "${KBGEN:?}" "${KBGEN_SRC:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

mkdir -p "$tmp/in"
# 600 distinct articles made from the seeds (distinct keys and dates).
i=0
while [ $i -lt 120 ]; do
	for s in "$KBGEN_SRC"/kb/articles/*.txt; do
		n=$(basename "$s" .txt)
		{ printf -- '---\ntitle: Copy %s of %s\nms.assetid: copy-%s-%s\nms.date: 01/02/2024\n---\n' "$i" "$n" "$i" "$n"
		  awk 'NR == 1 && /^---$/ { fm = 1; next } fm && /^---$/ { fm = 0; next } !fm' "$s"; } >"$tmp/in/$n-$i.md"
	done
	i=$((i + 1))
done
db="$tmp/kb.sqlite"
"$KBGEN" -q --db "$db" compile "$tmp/in" || bad "first compile failed"
count() { sqlite3 "$db" "SELECT count(*) FROM version; SELECT count(*) FROM section;" | tr '\n' ' '; }
before=$(count)
# Change every file, then kill the recompile at several points.
for f in "$tmp"/in/*.md; do printf '\nAppended paragraph with error 0x80072EE2.\n' >>"$f"; done
for delay in 0.05 0.2 0.5; do
	"$KBGEN" -q --db "$db" compile "$tmp/in" 2>/dev/null &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	now=$(count)
	if [ "$now" = "$before" ]; then ok; else
		# The compile may have finished before the kill: then all is new.
		"$KBGEN" -q --db "$db" search 0x80072EE2 --limit 1000 | grep -c '^[0-9]*\.' >"$tmp/n"
		[ "$(cat "$tmp/n")" -ge 600 ] && ok || bad "after kill at ${delay}s: '$now' vs '$before'"
	fi
	[ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity check failed after kill at ${delay}s"
done
"$KBGEN" -q --db "$db" compile "$tmp/in" || bad "rerun failed"
hits=$("$KBGEN" -q --db "$db" search --limit 2000 0x80072EE2 | grep -c '^[0-9]*\.')
[ "$hits" -ge 600 ] && ok || bad "rerun did not finish the job ($hits hits)"
# Unchanged input is a no-op: nothing is written.
sum1=$(sha1sum "$db" | cut -c1-40)
"$KBGEN" --db "$db" compile "$tmp/in" 2>"$tmp/log" || bad "no-op compile failed"
grep -q 'compiled 0 of 600 files (600 unchanged' "$tmp/log" && ok || { bad "no-op compile did work:"; cat "$tmp/log"; }
echo "atomic: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
