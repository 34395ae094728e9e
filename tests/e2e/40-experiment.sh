#!/usr/bin/env bash
# Experiments: an experiment killed with -9 in the middle of a boot resumes
# and ends with every planned repetition present exactly once; A/A ends with
# "no significant difference".
. "$(dirname "$0")/lib.sh"
plan 5

"$NB" experiment --images "$IMAGES" --results "$WORK/res" "$TOP/tests/experiments/resume.ini" \
	> "$WORK/first.log" 2>&1 &
pid=$!
dir=
for i in $(seq 600); do	# until the first repetition is on disk, then kill mid-boot
	dir=$(ls -d "$WORK"/res/resume-test/* 2>/dev/null | head -1)
	[ -n "$dir" ] && [ -f "$dir/reps.csv" ] && [ "$(csv_rows "$dir/reps.csv")" -ge 1 ] && break
	sleep 1
done
kill -9 $pid; wait $pid 2>/dev/null
before=$(csv_rows "$dir/reps.csv")
check "killed with -9 after $before repetition(s), mid-boot" test "$before" -ge 1 -a "$before" -lt 6
sleep 2
# [q]: the pattern must not match this test's own command line
check "no QEMU left behind by the killed harness" bash -c "! pgrep -f '[q]emu-system-aarch64.*nestbench-$pid-chan' > /dev/null"

"$NB" experiment --images "$IMAGES" --resume "$dir" > "$WORK/resume.log" 2>&1
rc=$?
dups=$(awk -F, 'NR > 1 { print $2, $6, $7 }' "$dir/reps.csv" | sort | uniq -d | wc -l)
per=$(awk -F, 'NR > 1 && $9 == "\"0\"" { n[$2]++ } END { for (v in n) print v, n[v] }' "$dir/reps.csv" | sort | tr '\n' ' ')
check "resume finishes (exit $rc)" test $rc -eq 0 || diag "$WORK/resume.log"
check "every planned repetition exactly once: 3 per variant, no duplicate (got: $per, $dups dup)" \
	test "$per" = '"a" 3 "b" 3 ' -a "$dups" -eq 0

# An A/A comparison is "significant" at alpha 5% one time in twenty by
# construction; a biased harness (or repetitions counted as samples) does it
# far more often. The test fails below p = 0.01, where chance is 1 in 100.
"$NB" experiment --images "$IMAGES" --results "$WORK/res" "$TOP/tests/experiments/aa.ini" > "$WORK/aa.log" 2>&1
line=$(grep -m1 'io time (icount clock), means of boots' "$WORK/aa.log")
p=$(echo "$line" | sed -n 's/.*p[=<]\([0-9.e+-]*\).*/\1/p')
if echo "$line" | grep -q "no significant difference" || awk -v p="$p" 'BEGIN { exit !(p != "" && p + 0 >= 0.01) }'; then
	ok "A/A experiment: no difference between identical arms (boot means: ${line#*boots})"
else
	not_ok "A/A experiment: no difference between identical arms"; diag "$WORK/aa.log"
fi
