#!/bin/sh
# accuracy.sh KBGEN -- the matcher's accuracy suite (tests/accuracy):
# compiles kb/articles and kb/rules, adds every incident of the accuracy
# corpus and of kb/samples, and checks the reports (accuracy.py).
set -eu
KBGEN=${1:-${KBGEN:?usage: accuracy.sh KBGEN}}
top=$(cd "$(dirname "$0")/../.." && pwd)
command -v python3 >/dev/null || { echo "accuracy: no python3: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/kb.sqlite"
"$KBGEN" -q --db "$db" compile "$top/kb/articles" "$top/kb/rules"
add() {	# add NAME DIR
	set -- "$1" "$2"/*
	name=$1
	shift
	"$KBGEN" -q --db "$db" incident add "$name" "$@" || {
		echo "accuracy: adding $name failed" >&2
		exit 1
	}
}
for d in "$top"/tests/accuracy/incidents/*/; do
	add "$(basename "$d")" "${d%/}"
done
for d in "$top"/kb/samples/*/; do
	add "$(basename "$d")" "${d%/}"
done
python3 "$top/tests/accuracy/accuracy.py" \
    --known "$top/tests/accuracy/known_misses.tsv" "$KBGEN" "$db" \
    "$top/tests/accuracy/cases.tsv" "$top/tests/accuracy/samples.tsv"
