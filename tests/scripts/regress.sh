#!/bin/sh
# Golden files: every tests/regress/NAME.md or NAME.txt and every seed in
# kb/articles is compiled alone into a fresh KB; `kbgen dump article` must
# equal NAME.out_dump and the diagnostics must equal NAME.out_lint.
# KBGEN_REGEN=1 rewrites the expected files and names the ones that changed.
set -u
: "${KBGEN:?path to the kbgen binary}" "${KBGEN_SRC:?source root}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0

check() { # input-dir file expected-dir
	dir=$1 f=$2 expdir=$3
	name=${f%.*}
	db="$tmp/$name.sqlite"
	(cd "$dir" && "$KBGEN" --db "$db" compile "$f" 2>"$tmp/lint" >/dev/null)
	(cd "$dir" && "$KBGEN" --db "$db" dump article "$f" >"$tmp/dump" 2>>"$tmp/lint")
	grep -v '^kbgen: compiled ' "$tmp/lint" >"$tmp/lint2"
	for kind in dump lint; do
		exp="$expdir/$name.out_$kind"
		[ "$kind" = lint ] && got="$tmp/lint2" || got="$tmp/dump"
		if [ "${KBGEN_REGEN:-0}" = 1 ]; then
			if [ "$kind" = lint ] && [ ! -s "$got" ]; then
				[ -f "$exp" ] && { rm -f "$exp"; echo "regenerated: $exp (removed)"; }
				continue
			fi
			cmp -s "$got" "$exp" 2>/dev/null || { cp "$got" "$exp"; echo "regenerated: $exp"; }
			continue
		fi
		[ -f "$exp" ] || { [ "$kind" = lint ] && [ ! -s "$got" ] && continue; }
		if diff -u "$exp" "$got" >"$tmp/diff" 2>&1; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL: $dir/$f ($kind)"
			head -40 "$tmp/diff"
		fi
	done
}

for f in "$KBGEN_SRC"/tests/regress/*.md "$KBGEN_SRC"/tests/regress/*.txt; do
	[ -f "$f" ] && check "$KBGEN_SRC/tests/regress" "$(basename "$f")" \
	    "$KBGEN_SRC/tests/regress"
done
# The seeds: inputs stay in kb/articles, expected files in tests/regress/seeds.
for f in "$KBGEN_SRC"/kb/articles/*.txt; do
	[ -f "$f" ] && check "$KBGEN_SRC/kb/articles" "$(basename "$f")" \
	    "$KBGEN_SRC/tests/regress/seeds"
done
echo "regress: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
