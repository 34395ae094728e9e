#!/usr/bin/env bash
# Depth 2 (L0 emulates L1 <-> L2 transitions) with both kernels: fio JSON and
# timings for every repetition, the counters that explain the patch, and a
# report from the real results.
. "$(dirname "$0")/lib.sh"
plan 10
out=$WORK/d2

for k in base patched; do
	nbrun "$out" --depth 2 --kernel "$k" --variant "$k" --boot $([ $k = base ] && echo 1 || echo 2) \
		--reps 1 --counting 1 --timeout 1800
	rc=$?
	check "depth 2 with $k kernels completes (exit $rc)" test $rc -eq 0 || diag "$out.log"
done

rows=$(csv_rows "$out/reps.csv")
check "reps.csv has 4 rows (2 variants x (1 timing + 1 counting)), got $rows" test "$rows" -eq 4
# one fio process per boot: one JSON per boot, one job per repetition
jobs=$(cat "$out"/raw/boot-*/fio-rep*.json | grep -c '"jobname"')
check "one fio process per boot, one fio job per repetition: 2 JSON files, 4 jobs (got $(ls "$out"/raw/boot-*/fio-rep*.json | wc -l), $jobs)" \
	test "$(ls "$out"/raw/boot-*/fio-reps*.json | wc -l)" -eq 2 -a "$jobs" -eq 4

good=1
for r in 1 2 3 4; do
	for c in io_ns host_ns iops ios; do
		v=$(csv_col "$out/reps.csv" $c $r)
		[ -n "$v" ] && awk -v v="$v" 'BEGIN { exit !(v > 0) }' || { good=0; echo "# row $r: $c='$v'"; }
	done
done
check "every row has L0-clock and host-clock I/O times, IOPS and I/O count" test $good = 1
check "boots.csv: L0, L1, L2 booted and tore down in both boots" \
	test "$(grep -c '"ok"' "$out/boots.csv")" -eq 6

fp() {	# fp_per_transition of the counting row of variant $1
	awk -F, -v want="\"$1\"" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "\"L0.fp_per_transition\"") c = i; next }
		$2 == want && $8 == "\"counting\"" { gsub(/"/, "", $c); print $c }' "$out/reps.csv"
}
b=$(fp base) p=$(fp patched)
check "base: >= 1 FP save per nested transition at L0 (got '$b')" awk -v v="$b" 'BEGIN { exit !(v != "" && v >= 1) }'
check "patched: <= 0.1 FP saves per nested transition at L0 (got '$p')" awk -v v="$p" 'BEGIN { exit !(v != "" && v <= 0.1) }'

"$NB" report "$out" > "$WORK/report.log" 2>&1
check "nestbench report writes CSV, JSON, PNG+SVG plots and report.txt" \
	bash -c "ls '$out'/summary.csv '$out'/summary.json '$out'/report.txt '$out'/*.png '$out'/*.svg > /dev/null"
check "report.txt names the clock and says emulated numbers are not hardware" \
	bash -c "grep -qi icount '$out/report.txt' && grep -qi 'not hardware\|not a hardware' '$out/report.txt'"
