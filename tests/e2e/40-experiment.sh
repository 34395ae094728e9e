#!/usr/bin/env bash
# Experiments: an experiment killed with -9 while two boots run side by side
# resumes and ends with every planned repetition present exactly once, and
# leaves no QEMU behind; A/A ends with "no significant difference", with
# boots side by side (jobs = 2) and against one at a time (jobs = 1), and
# its boots agree closely (pinned QEMUs).
. "$(dirname "$0")/lib.sh"
plan 14

"$NB" experiment --images "$IMAGES" --results "$WORK/res" "$TOP/tests/experiments/resume.ini" \
	> "$WORK/first.log" 2>&1 &
pid=$!
dir=
# One fio process runs a boot's repetitions and its JSON comes at the end, so
# rows land a boot at a time: kill once the first repetition's I/O has ended.
for i in $(seq 600); do
	dir=$(ls -d "$WORK"/res/resume-test/* 2>/dev/null | head -1)
	[ -n "$dir" ] && grep -qs ' mark end 1 ' "$dir"/raw/boot-*/frames.log && break
	sleep 0.2
done
kill -9 $pid; wait $pid 2>/dev/null
before=$( [ -f "$dir/reps.csv" ] && csv_rows "$dir/reps.csv" || echo 0)
check "killed with -9 mid-boot, after the first repetition's I/O, with $before of 6 rows on disk" test "$before" -lt 6
check "both boots were in flight side by side" grep -q "boots 1-2 of 2 side by side" "$dir/run.log"
sleep 2
# [q]: the pattern must not match this test's own command line
check "no QEMU left behind by the killed harness" bash -c "! pgrep -f '[q]emu-system-aarch64.*nestbench-$pid-b' > /dev/null"
check "no boot process left behind" bash -c "! pgrep -f '[n]estbench experiment.*resume.ini' > /dev/null"

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
# One arm per session, as on an arm64 host where arms differ in L0 (one host boot each): --arm, then --resume --arm.
"$NB" experiment --images "$IMAGES" --results "$WORK/arms" --arm b "$TOP/tests/experiments/resume.ini" > "$WORK/arm-b.log" 2>&1
adir=$(ls -d "$WORK"/arms/resume-test/* 2>/dev/null | head -1)
arms=$(awk -F, 'NR > 1 { print $2 }' "$adir/reps.csv" 2>/dev/null | sort -u | tr -d '"' | tr '\n' ' ')
if [ "$arms" = "b " ] && grep -q "next: arm 'a' still owes boots: nestbench experiment --resume $adir --arm a" "$WORK/arm-b.log"; then
	ok "--arm b runs only b's boot and says how to run the other arm"
else
	not_ok "--arm b runs only b's boot and says how to run the other arm (arms: '$arms')"; diag "$WORK/arm-b.log"
fi
"$NB" experiment --images "$IMAGES" --resume "$adir" --arm a > "$WORK/arm-a.log" 2>&1
arms=$(awk -F, 'NR > 1 { print $2 }' "$adir/reps.csv" | sort | uniq -c | awk '{ printf "%s%s ", $2, $1 }' | tr -d '"')
check "--resume --arm a completes the experiment: one results directory, 3 rows per arm (got: $arms)" \
	test "$arms" = "a3 b3 "

aa_p() {	# LOG LINE_PATTERN: every such verdict line says no difference, or p >= 0.01
	local line p found=0
	while IFS= read -r line; do
		found=1
		p=$(echo "$line" | sed -n 's/.*p[=<]\([0-9.e+-]*\).*/\1/p')
		echo "$line"
		echo "$line" | grep -q "no significant difference" ||
			awk -v p="$p" 'BEGIN { exit !(p != "" && p + 0 >= 0.01) }' || return 1
	done < <(grep "$2" "$1")
	[ $found = 1 ]
}
"$NB" experiment --images "$IMAGES" --results "$WORK/res2" --jobs 2 "$TOP/tests/experiments/aa.ini" > "$WORK/aa.log" 2>&1
if line=$(aa_p "$WORK/aa.log" 'io time (icount clock), means of boots'); then
	ok "A/A experiment, 2 boots side by side: no difference between identical arms ($(echo "$line" | tr -s ' \n' ' '))"
else
	not_ok "A/A experiment, 2 boots side by side: no difference between identical arms"; diag "$WORK/aa.log"
fi
check "the report keeps the host wall clock out of the verdict when boots ran side by side" \
	grep -q "host wall clock: not used" "$WORK"/res2/aa-test/*/report.txt
# Pinned QEMUs (stack/level.c): boots of one kernel agree in the icount
# clock. Unpinned, depth-1 boots settled at 42 to 52 ms and this interval
# spanned +-16 %; pinned it spans about +-0.5 %.
ci=$(grep -m1 'io time (icount clock), means of boots' "$WORK/aa.log" |
	sed -n 's/.*95% CI \([-+0-9.]*\)% \.\. \([-+0-9.]*\)%.*/\1 \2/p')
check "boots of one kernel agree: the A/A 95 % interval lies within +-3 % (got: ${ci:-none})" \
	awk -v ci="$ci" 'BEGIN { n = split(ci, v, " "); exit !(n == 2 && v[1] + 0 > -3 && v[2] + 0 < 3) }'
check "the report says the QEMUs were pinned, and L0 said where" \
	bash -c "grep -q '^  pinning     each child' $WORK/res2/aa-test/*/report.txt &&
		grep -q \"L0 status L1's QEMU pinned to CPU 1 of L0; L0's own processes on CPU 0\" $WORK/res2/aa-test/*/raw/boot-1/frames.log"

# Concurrency must not move the icount numbers: the same A/A one boot at a
# time, held against it. Every arm runs the same kernel, so each run's boots
# are one sample: the boot means of the jobs = 2 run against those of the
# jobs = 1 run, one Welch interval. Proving "no dependence" is an equivalence
# question, not a failure to find a difference: the 95 % interval must lie
# within +-1 % (boots agree to ~0.2 %, so a p-value test would flag a shift
# far too small to matter, and three correlated p-tests of compare's lines
# once failed CI by chance).
boot_means() {	# RESULTS_DIR -> the icount boot means of its timing repetitions, one per line
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); c[$i] = i } next }
		{ for (k in c) { v = $c[k]; gsub(/"/, "", v); f[k] = v } }
		f["clock"] == "icount" && f["mode"] == "timing" && f["warmup"] == "0" && f["io_ns"] != "" {
			s[f["boot"]] += f["io_ns"]; n[f["boot"]]++ }
		END { for (b in s) print s[b] / n[b] }' "$1"/reps.csv
}
"$NB" experiment --images "$IMAGES" --results "$WORK/res1" --jobs 1 "$TOP/tests/experiments/aa.ini" > "$WORK/aa1.log" 2>&1
boot_means "$WORK"/res1/aa-test/*/ > "$WORK/jobs1.txt"
boot_means "$WORK"/res2/aa-test/*/ > "$WORK/jobs2.txt"
"$NB" stats "$WORK/jobs1.txt" "$WORK/jobs2.txt" > "$WORK/eq.log" 2>&1
line=$(grep -m1 '^verdict:' "$WORK/eq.log")
ci=$(echo "$line" | sed -n 's/.*95% CI \([-+0-9.]*\)% \.\. \([-+0-9.]*\)%.*/\1 \2/p')
if [ "$(wc -l < "$WORK/jobs1.txt")" = 6 ] && [ "$(wc -l < "$WORK/jobs2.txt")" = 6 ] &&
   awk -v ci="$ci" 'BEGIN { n = split(ci, v, " "); exit !(n == 2 && v[1] + 0 > -1 && v[2] + 0 < 1) }'; then
	ok "jobs = 2 vs jobs = 1, same kernel: the icount clock moves less than 1 % (6 + 6 boot means: ${line#verdict: })"
else
	not_ok "jobs = 2 vs jobs = 1, same kernel: the icount clock moves less than 1 %"; diag "$WORK/eq.log" "$WORK/jobs1.txt" "$WORK/jobs2.txt"
fi
"$NB" compare "$WORK"/res2/aa-test/* "$WORK"/res1/aa-test/* > "$WORK/cmp.log" 2>&1
check "compare of the two A/A runs pairs the arms by name and checks drift per arm" \
	bash -c "grep -q '^runs paired by variant name' '$WORK/cmp.log' && grep -q '^drift check: ' '$WORK/cmp.log' && grep -q 'a (B)' '$WORK/cmp.log'"
