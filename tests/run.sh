#!/usr/bin/env bash
# tests/run.sh UNIT_TEST_BINARY...
# Runs the cmocka unit tests (TAP output) and then the end-to-end tests in
# tests/e2e/ (each a script that prints TAP), and closes with one line
# "N passed, N failed, N skipped". A skipped test is counted as skipped,
# never as passed. NB_UNIT_ONLY=1 runs the unit tests alone.
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0 skip=0
failed=()

tally() {	# reads TAP on stdin, echoes it, counts; a short plan is a failure
	local name=$1 line planned=-1 seen=0
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in
		1..*)             planned=${line#1..} ;;
		"not ok"*|ok*)    seen=$((seen + 1)) ;;
		esac
		case $line in
		"not ok"*)        fail=$((fail + 1)); failed+=("$name: ${line#not ok }") ;;
		ok*"# SKIP"*|ok*"# skip"*) skip=$((skip + 1)) ;;
		ok*)              pass=$((pass + 1)) ;;
		esac
	done
	if [ "$planned" -ge 0 ] && [ "$seen" -ne "$planned" ]; then
		fail=$((fail + 1)); failed+=("$name: planned $planned results, reported $seen")
		echo "not ok - $name: planned $planned results, reported $seen"
	fi
}

run_one() {	# NAME CMD...: a test program that crashes counts as a failure
	local name=$1 out rc; shift
	out=$(mktemp)
	"$@" > "$out" 2>&1; rc=$?
	tally "$name" < "$out"
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$out"; then
		fail=$((fail + 1)); failed+=("$name: exited with status $rc")
		echo "not ok - $name exited with status $rc"
	fi
	rm -f "$out"
}

for t in "$@"; do
	echo "# unit: $(basename "$t")"
	CMOCKA_MESSAGE_OUTPUT=TAP run_one "$(basename "$t")" "$t"
done

if [ -z "${NB_UNIT_ONLY:-}" ]; then
	for t in tests/e2e/[0-9]*.sh; do
		[ -x "$t" ] || continue
		echo "# e2e: $(basename "$t")"
		run_one "$(basename "$t")" "$t"
	done
fi

echo
for f in "${failed[@]}"; do echo "FAILED: $f"; done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
