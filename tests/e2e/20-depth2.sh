#!/usr/bin/env bash
# Depth 2 (L0 emulates L1 <-> L2 transitions) with both kernels: fio JSON and
# timings for every repetition, perf's counts in the timing ones, the
# counters that explain the patch, and a report from the real results.
. "$(dirname "$0")/lib.sh"
plan 21
out=$WORK/d2

for k in base patched; do
	nbrun "$out" --depth 2 --kernel "$k" --variant "$k" --boot $([ $k = base ] && echo 1 || echo 2) \
		--reps 1 --bare 1 --counting 1 --exits 1 --timeout 1800
	rc=$?
	check "depth 2 with $k kernels completes (exit $rc)" test $rc -eq 0 || diag "$out.log"
done

rows=$(csv_rows "$out/reps.csv")
check "reps.csv has 8 rows (2 variants x (1 timing + 1 bare + 1 counting + 1 exits)), got $rows" test "$rows" -eq 8
# one fio process per boot: one JSON per boot, one job per repetition, then the tail job (stack/job.c)
jobs=$(cat "$out"/raw/boot-*/fio-rep*.json | grep -c '"jobname"')
tails=$(cat "$out"/raw/boot-*/fio-rep*.json | grep -c '"jobname" : "nb-tail"')
check "one fio process per boot, one fio job per repetition and a tail: 2 JSON files, 8 + 2 jobs (got $(ls "$out"/raw/boot-*/fio-rep*.json | wc -l), $jobs, $tails tails)" \
	test "$(ls "$out"/raw/boot-*/fio-reps*.json | wc -l)" -eq 2 -a "$jobs" -eq 10 -a "$tails" -eq 2

good=1
for r in 1 2 3 4 5 6 7 8; do
	for c in io_ns host_ns iops ios; do
		v=$(csv_col "$out/reps.csv" $c $r)
		[ -n "$v" ] && awk -v v="$v" 'BEGIN { exit !(v > 0) }' || { good=0; echo "# row $r: $c='$v'"; }
	done
done
check "every row has L0-clock and host-clock I/O times, IOPS and I/O count" test $good = 1
check "boots.csv: L0, L1, L2 booted and tore down in both boots" \
	test "$(grep -c '"ok"' "$out/boots.csv")" -eq 6
# docs/time.md: no host I/O and no scheduler's whim inside an I/O window
check "L0 read its whole root image into its page cache and pinned L1's QEMU, in both boots" \
	test "$(cat "$out"/raw/boot-*/frames.log | grep -c -e "L0 status root image /dev/vda held in L0's page cache: [1-9][0-9]* MiB" \
		-e "L0 status L1's QEMU pinned to CPU 1 of L0")" -eq 4
# io_sched = normal by default (stack/level.c, docs/time.md): no QEMU thread is made SCHED_BATCH or SCHED_FIFO
check "io_sched normal by default: no level's QEMU threads are SCHED_BATCH or SCHED_FIFO, in both boots" \
	test "$(cat "$out"/raw/boot-*/frames.log | grep -c -E "QEMU threads SCHED_BATCH|SCHED_FIFO")" -eq 0
# stack/census.h: every level's counters around every window, the hypervisors' with their KVM's
census=$(cat "$out"/raw/boot-*/frames.log | grep -c -E "L[01] status L[01]: census of repetition [0-9]+ \([a-z]+\): ctxt \+[0-9]+ .* vm: exits \+[1-9][0-9]* wfx \+[0-9]+ mmio \+[0-9]+ halt_poll_tried \+[0-9]+ halt_poll_ok \+[0-9]+ halt_wakeup \+[0-9]+ vcpu_thread_us \+[1-9][0-9]* vcpu_switches \+[0-9]+ qemu_ms \+[0-9]+$")
check "a census of L0 and L1 with their VM's exits after every repetition of both boots (8 x 2, got $census)" test "$census" -eq 16
check "a census of L2 after every repetition (got $(cat "$out"/raw/boot-*/frames.log | grep -c "L2 status L2: census of repetition"))" \
	test "$(cat "$out"/raw/boot-*/frames.log | grep -c -E "L2 status L2: census of repetition [0-9]+ \([a-z]+\): ctxt \+[1-9]")" -eq 8

fp() {	# fp_per_transition of the counting row of variant $1
	awk -F, -v want="\"$1\"" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "\"L0.fp_per_transition\"") c = i; next }
		$2 == want && $8 == "\"counting\"" { gsub(/"/, "", $c); print $c }' "$out/reps.csv"
}
b=$(fp base) p=$(fp patched)

col() {	# column $2 of the row of variant $1 and mode $3
	awk -F, -v want="\"$1\"" -v mode="\"$3\"" -v name="\"$2\"" \
		'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
		 $2 == want && $8 == mode { gsub(/"/, "", $c); print $c }' "$out/reps.csv"
}
good=1
for k in base patched; do
	e=$(col $k L0.nested_eret timing) t=$(col $k L0.nested_eret counting) d=$(col $k L0.damaged timing)
	echo "# $k: perf's nested ERETs $e (timing), the trace's $t (counting), damaged '$d'"
	awk -v e="$e" -v t="$t" -v d="$d" 'BEGIN { exit !(e > 0 && t > 0 && d == 0 && e / t > 0.9 && e / t < 1.1) }' || good=0
done
check "perf counts every timing repetition at L0: nested ERETs within 10% of the counting repetition's trace" test $good = 1
check "FP saves are the tracer's, not perf's: none in the timing rows, some in base's counting row ('$(col base L0.fp_save timing)', '$(col base L0.fp_save counting)')" \
	bash -c "[ -z '$(col base L0.fp_save timing)' ] && [ -z '$(col patched L0.fp_save timing)' ] && [ '$(col base L0.fp_save counting)' -gt 0 ]"
check "a bare repetition carries no counts ('$(col base L0.nested_eret bare)')" test -z "$(col base L0.nested_eret bare)"
check "base: >= 1 FP save per nested transition at L0 (got '$b')" awk -v v="$b" 'BEGIN { exit !(v != "" && v >= 1) }'
check "patched: <= 0.1 FP saves per nested transition at L0 (got '$p')" awk -v v="$p" 'BEGIN { exit !(v != "" && v <= 0.1) }'

# perf kvm stat at L0, in the exit repetition: its ERET exits (perf calls EC
# 0x1a UNKNOWN) are the nested ERETs the tracer counts in the counting one, up
# to the windows' edges and one repetition's difference from the next
kx() {	# exits of reason $2 in variant $1's exit repetition
	awk -F, -v v="\"$1\"" -v r="\"$2\"" '$2 == v && $6 == r { gsub(/"/, "", $7); print $7 }' "$out/kvmexits.csv"
}
good=1
for k in base patched; do
	a=$(kx $k ALL) u=$(kx $k UNKNOWN) t=$(col $k L0.nested_eret counting)
	echo "# $k: perf kvm stat: $a exits, $u UNKNOWN (ERET); the tracer's nested ERETs $t"
	awk -v a="$a" -v u="$u" -v t="$t" 'BEGIN { exit !(a > u && u > 0 && t > 0 && u / t > 0.85 && u / t < 1.15) }' || good=0
done
check "perf kvm stat counts L0's exits by reason: its ERET exits within 15% of the tracer's nested ERETs" test $good = 1
check "an exit repetition carries no perf stat or tracer counts ('$(col base L0.nested_eret exits)')" test -z "$(col base L0.nested_eret exits)"
grep -q 'no name for ESR_EL2.EC 0x1a (ERET)' "$out/kvmexits.csv"
check "kvmexits.csv says which EC perf could not name (0x1a, ERET)" test $? = 0

"$NB" report "$out" > "$WORK/report.log" 2>&1
check "nestbench report writes CSV, JSON, PNG+SVG plots and report.txt" \
	bash -c "ls '$out'/summary.csv '$out'/summary.json '$out'/report.txt '$out'/*.png '$out'/*.svg > /dev/null"
check "report.txt names the clock and says emulated numbers are not hardware" \
	bash -c "grep -qi icount '$out/report.txt' && grep -qi 'not hardware\|not a hardware' '$out/report.txt'"
grep '^counting overhead' "$out/report.txt" | sed 's/^/# /'
check "report.txt prices the counters against the bare repetitions, tabulates perf's counts and L0's exits per I/O" \
	bash -c "grep -q 'with perf counters (timing repetitions).*with perf kvm stat record (exit repetitions), against bare' '$out/report.txt' && grep -q '^counts per I/O at the emulating levels' '$out/report.txt' && grep -A1 \"^exits to L0's KVM by reason\" '$out/report.txt' | grep -q 'not of hardware'"
