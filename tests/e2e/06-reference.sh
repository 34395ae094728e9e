#!/usr/bin/env bash
# The committed reference results (reference/nv-fp-eret/): their report
# regenerates byte for byte from their CSV and manifest, and a run can be
# held against them with `compare`. Boots nothing.
. "$(dirname "$0")/lib.sh"
plan 9
ref=reference/nv-fp-eret
cd "$TOP" || exit 1

"$NB" report -q -o "$WORK/regen" "$ref" > "$WORK/report.log" 2>&1
rc=$?
check "nestbench report regenerates the reference from its CSV (exit $rc)" test $rc -eq 0 || diag "$WORK/report.log"
same=1
for f in report.txt summary.csv summary.json; do
	cmp -s "$ref/$f" "$WORK/regen/$f" || { same=0; diff "$ref/$f" "$WORK/regen/$f" | head -20 | sed 's/^/# /'; }
done
check "report.txt, summary.csv and summary.json regenerate identically" test $same = 1

"$NB" compare -o "$WORK/cmp" "$ref" "$ref" > "$WORK/cmp.log" 2>&1
check "compare holds a run against the reference (drift warning, both sets of variants)" \
	bash -c "grep -q 'drift' '$WORK/cmp.log' && grep -q 'patched (B)' '$WORK/cmp.log'"

# every committed reference, not only the flagship
same=1
for d in reference/*/; do
	d=${d%/}
	"$NB" report -q -o "$WORK/all/${d#reference/}" "$d" > "$WORK/all.log" 2>&1 || { same=0; diag "$WORK/all.log"; }
	for f in report.txt summary.csv summary.json; do
		cmp -s "$d/$f" "$WORK/all/${d#reference/}/$f" || { same=0; echo "# $d/$f differs"; }
	done
done
check "every reference/*/ regenerates identically" test $same = 1

# compare: the perf, exit and exception tables hold both runs (they held only A's)
"$NB" compare reference/exceptions-d2 reference/exceptions-d2 > "$WORK/cmp2.log" 2>&1
check "compare's perf, exit and exception tables show run B's arms" bash -c "
	grep -A1 '^counts per I/O' '$WORK/cmp2.log' | grep -q 'patched (B)' &&
	grep -A2 '^exits to L0' '$WORK/cmp2.log' | grep -q 'patched (B)' &&
	grep -A1 '^exceptions per I/O' '$WORK/cmp2.log' | grep -q 'patched (B)'"

# compare refuses runs that differ in what the timing depends on (depth 2 against 3) ...
"$NB" compare reference/exceptions-d2 reference/exceptions-d3 > "$WORK/cmp23.log" 2>&1
rc=$?
check "compare refuses exceptions-d2 against exceptions-d3 (exit $rc, names the depth)" \
	bash -c "test $rc -eq 1 && grep -q '^  depth  *2 | 3' '$WORK/cmp23.log' && grep -q 'refused' '$WORK/cmp23.log'"
# ... and with --force says so in the report and pairs the variants by name
"$NB" compare --force reference/exceptions-d2 reference/exceptions-d3 > "$WORK/cmp23f.log" 2>/dev/null
rc=$?
check "compare --force warns in the report and pairs the variants (exit $rc)" bash -c "
	test $rc -eq 0 && grep -q '^WARNING: reference/exceptions-d3 differs' '$WORK/cmp23f.log' &&
	grep -q '^runs paired by variant name' '$WORK/cmp23f.log' &&
	grep -q '^  patched  *-0.86% (-3.52% .. +1.88%)  *- (< 2 boots in an arm)' '$WORK/cmp23f.log'"

# the CI gate: a decided change beyond --fail-if exits 3 (the outputs written), else 0; a bad one is usage
"$NB" report -q -o "$WORK/gate" --fail-if 'io_ns<-2%' "$ref" > /dev/null 2> "$WORK/gate.log"; rc1=$?
"$NB" report -q -o "$WORK/gate" --fail-if 'io_ns>+2%' "$ref" > /dev/null 2>&1; rc2=$?
"$NB" report -q -o "$WORK/gate" --fail-if 'io_ns>2' "$ref" > /dev/null 2>&1; rc3=$?
check "report --fail-if: exit 3 past it, 0 within, 2 malformed ($rc1 $rc2 $rc3)" bash -c "
	test $rc1 -eq 3 && test $rc2 -eq 0 && test $rc3 -eq 2 && grep -q 'exit 3' '$WORK/gate.log' &&
	test -s '$WORK/gate/report.txt'"
# ... and the experiment file's fail_if = (recorded in manifest.json) does the same
mkdir -p "$WORK/failif"
cp "$ref/reps.csv" "$ref/boots.csv" "$WORK/failif/"
sed 's/^  "depth":3,/  "depth":3,\n  "fail_if":"io_ns<-2%",/' "$ref/manifest.json" > "$WORK/failif/manifest.json"
"$NB" report -q "$WORK/failif" > /dev/null 2>&1; rc=$?
check "report: the manifest's fail_if exits 3 (exit $rc); --mail is <= 15 lines of <= 72 columns" bash -c "
	test $rc -eq 3 && grep -q fail_if '$WORK/failif/manifest.json' &&
	test \$('$NB' report --mail '$ref' | wc -l) -le 15 &&
	test \$('$NB' report --mail '$ref' | awk '{ if (length > m) m = length } END { print m }') -le 72"
