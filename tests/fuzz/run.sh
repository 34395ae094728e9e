#!/usr/bin/env bash
# tests/fuzz/run.sh: runs every libFuzzer target of `make fuzz` for a fixed
# number of inputs (seeded, so a run repeats), its corpus copied from the
# fixtures into build/fuzz/corpus/ (new inputs never land in the tree).
# Prints per target the inputs run, the time and the verdict; exits 1 on
# any crash, hang (-timeout) or sanitizer report.
# FUZZ_SCALE=N multiplies every count (default 1).
set -u
cd "$(dirname "$0")/../.."
FO=${FO:-build/fuzz}
scale=${FUZZ_SCALE:-1}
# allocator_may_return_null: libtracecmd asks malloc for sizes read from a
# damaged file; in production malloc says NULL, which it handles
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=86:detect_leaks=1:abort_on_error=0:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-exitcode=86:print_stacktrace=1:halt_on_error=1}

seed() {	# KIND FILE...: the corpus of KIND
	local dir=$FO/corpus/$1 f; shift
	rm -rf "$dir" && mkdir -p "$dir"
	for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/$(echo "$f" | tr / _)"; done
}

resultsdirs() {	# fuzz_resultsdir's inputs: a directory's files, each after "#@@# NAME"
	local d f dir=$FO/corpus/resultsdir
	rm -rf "$dir" && mkdir -p "$dir"
	for d in tests/fixtures/results-* tests/fixtures/hostile/results-* reference/*/; do
		[ -f "$d/reps.csv" ] || continue
		for f in reps.csv boots.csv manifest.json kvmexits.csv phases.csv; do
			[ -f "$d/$f" ] && { printf '#@@# %s\n' "$f"; cat "$d/$f"; }
		done > "$dir/$(basename "$d")"
	done
}

damaged_traces() {	# the mutations of tests/fixtures/trace/damaged.txt, as files
	local name src off xor dir=$FO/corpus/trace
	while read -r name src off xor; do
		case $name in ''|'#'*) continue ;; esac
		cp "tests/fixtures/trace/$src" "$dir/damaged-$name.dat"
		python3 - "$dir/damaged-$name.dat" "$off" "$xor" <<'PY'
import sys
p, off, xor = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 16)
b = bytearray(open(p, 'rb').read()); b[off] ^= xor; open(p, 'wb').write(b)
PY
	done < tests/fixtures/trace/damaged.txt
}

seed experiment experiments/*.ini tests/experiments/*.ini tests/fixtures/hostile/exp/*.ini
seed results tests/fixtures/results-*/reps.csv tests/fixtures/hostile/results-*/reps.csv
seed numbers tests/fixtures/hostile/numbers-*.txt
seed cost cpus/*.ini tests/fixtures/hostile/cpu-*.ini
seed cpulog tests/fixtures/cpu-int/*.log tests/fixtures/hostile/cpulog-*.log
seed micro tests/fixtures/hostile/micro-clock/*/reps.csv
resultsdirs	# every results fixture, all its files in one input
seed trace tests/fixtures/trace/*.dat
damaged_traces
seed fio tests/fixtures/fio-randread.json tests/fixtures/hostile/fio-*.json tests/fixtures/workloads/* tests/fixtures/perf/*
seed frames tests/fixtures/frames/*.bin
seed armour tests/fixtures/armour/*.txt
seed lava tests/fixtures/lava/*
# a numbers seed from real data: a results column, one value a line
cut -d, -f10 tests/fixtures/results-shift/reps.csv | tail -n +2 > "$FO/corpus/numbers/io_ns.txt"

# kind runs max_len: the trace files are large, the rest small
# The trace target forks the reader as nestbench does, so libFuzzer sees no
# coverage from it: it is a seeded mutation loop over the fixtures.
targets=(
	"experiment 200000 4096"
	"results 6000 16384"
	"resultsdir 5000 65536"
	"cost 10000 8192"
	"cpulog 200000 8192"
	"micro 5000 4096"
	"numbers 6000 4096"
	"fio 200000 8192"
	"frames 200000 4096"
	"armour 100000 8192"
	"lava 200000 4096"
	"trace 1000 600000"
)
fail=0 total=0 t_all=$(date +%s.%N)
for t in "${targets[@]}"; do
	set -- $t
	kind=$1 runs=$(($2 * scale)) maxlen=$3
	log=$FO/fuzz_$kind.log
	t0=$(date +%s.%N)
	opts=$ASAN_OPTIONS
	# libtraceevent/libtracecmd overrun their own buffers on damaged files
	# (a heap overflow in tep_register_print_string): contained by the child
	# process, as in production; only their reports are suppressed.
	[ "$kind" = trace ] && opts=$opts:suppressions=$PWD/tests/fuzz/trace.supp
	ASAN_OPTIONS=$opts "$FO/fuzz_$kind" -runs="$runs" -seed=1 -max_len="$maxlen" -timeout=60 \
		-rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$FO/crash-$kind-" \
		"$FO/corpus/$kind" > "$log" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then verdict=ok; else verdict="FAILED (exit $rc, see $log)"; fail=1; fi
	printf 'fuzz %-10s %7s inputs in %6.1f s, %s, %s\n' "$kind" "${done_runs:-?}" \
		"$(echo "$t1 - $t0" | bc)" "${cov:-cov: ?}" "$verdict"
	total=$((total + ${done_runs:-0}))
done
printf 'fuzz: %d inputs in %.1f s, %s\n' "$total" "$(echo "$(date +%s.%N) - $t_all" | bc)" \
	"$([ $fail -eq 0 ] && echo 'no crash, hang or sanitizer report' || echo 'FAILURES above')"
exit $fail
