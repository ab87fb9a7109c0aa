#!/bin/sh
# Kill kbgen midway through a compile: the knowledge base must still hold
# exactly what it held before (one transaction per command, the folder
# cache included), pass SQLite's integrity check, and a rerun must finish
# the job.  Killed midway through a compile into a new KB, no KB may be
# left, and the next compile must build it and remove the temporary file.
set -u
: "${KBGEN:?}" "${KBGEN_SRC:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# 600 distinct articles made from the seeds (distinct keys and dates), in
# four subfolders (the folder cache holds subfolders).
i=0
while [ $i -lt 120 ]; do
	g="$tmp/in/g$((i % 4))"
	mkdir -p "$g"
	for s in "$KBGEN_SRC"/kb/articles/*.txt; do
		n=$(basename "$s" .txt)
		{ printf -- '---\ntitle: Copy %s of %s\nms.assetid: copy-%s-%s\nms.date: 01/02/2024\n---\n' "$i" "$n" "$i" "$n"
		  awk 'NR == 1 && /^---$/ { fm = 1; next } fm && /^---$/ { fm = 0; next } !fm' "$s"; } >"$g/$n-$i.md"
	done
	i=$((i + 1))
done

# A compile into a new KB, killed: no KB (a compile that finished before
# the kill left a whole one); perhaps the killed process's temporary file.
fresh="$tmp/fresh.sqlite"
for delay in 0.02 0.1 0.3; do
	rm -f "$fresh"
	"$KBGEN" -q --db "$fresh" compile "$tmp/in" 2>/dev/null &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ -e "$fresh" ]; then
		[ "$(sqlite3 "$fresh" 'SELECT count(*) FROM version')" = 600 ] && ok ||
		    bad "a killed fresh compile (at ${delay}s) left a partial KB"
	else
		ok
	fi
done
rm -f "$fresh"
left=$(ls -a "$tmp" | grep -c '^\.fresh\.sqlite\.new-')
"$KBGEN" -q --db "$fresh" compile "$tmp/in" || bad "compile after a killed fresh one failed"
[ "$(sqlite3 "$fresh" 'SELECT count(*) FROM version')" = 600 ] && ok ||
    bad "compile after a killed fresh one is incomplete"
[ "$(sqlite3 "$fresh" 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity check failed after a fresh compile"
[ "$(sqlite3 "$fresh" 'SELECT count(*) FROM folder')" = 4 ] && ok || bad "a fresh compile did not fill the folder cache"
[ "$(ls -a "$tmp" | grep -c '^\.fresh\.sqlite\.new-')" = 0 ] && ok ||
    bad "temporary files left beside the KB ($left before the compile): $(ls -a "$tmp")"

db="$tmp/kb.sqlite"
"$KBGEN" -q --db "$db" compile "$tmp/in" || bad "first compile failed"
count() { sqlite3 "$db" "SELECT count(*) FROM version; SELECT count(*) FROM section;
    SELECT count(*), total(length(entries)) FROM folder;" | tr '\n' ' '; }
before=$(count)
# Change every file and add a folder, then kill the recompile at several
# points.
for f in "$tmp"/in/*/*.md; do printf '\nAppended paragraph with error 0x80072EE2.\n' >>"$f"; done
mkdir "$tmp/in/new"
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
