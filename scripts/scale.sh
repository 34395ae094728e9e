#!/usr/bin/env bash
# scripts/scale.sh (make scale): how report and compare grow with hostile
# sizes. Each shape is generated at 1x and 8x its rows (or columns) and run
# through `nestbench report` (and `compare`), gnuplot replaced by a no-op so
# the CPU time is nestbench's own; prints both times and their ratio. An
# O(n log n) pass shows a ratio near 8-10; a quadratic one near 64.
# SCALE_N=N sets the 1x size (default 10000; ~15 s in all).
set -u
cd "$(dirname "$0")/.."
nb=${NB:-build/nestbench}
n=${SCALE_N:-10000}
tmp=$(mktemp -d /tmp/nb-scale-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" && printf '#!/bin/sh\nexit 0\n' > "$tmp/bin/gnuplot" && chmod +x "$tmp/bin/gnuplot"

gen() {	# SHAPE N DIR: a results directory of that shape and size
	mkdir -p "$3"
	python3 - "$1" "$2" "$3" <<'PY'
import random, sys
shape, n, d = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(1)
hdr = "experiment,variant,kernels,platform,clock,boot,rep,mode,warmup,io_ns,host_ns"
rows = []
def row(var, boot, rep, v, extra="", mode="timing"):
    rows.append(f"s,{var},L0={var},emulated,icount,{boot},{rep},{mode},0,{v:.0f},{v*20:.0f}{extra}")
if shape == "boots":		# every pair of rows its own boot
    for i in range(n):
        row("base" if i % 2 == 0 else "patched", i // 2 + 1, 1, 1e9 + random.gauss(0, 1e7))
elif shape == "reps":		# 6 boots, n/6 repetitions each (reps are numbered freely in reps.csv)
    for i in range(n):
        b = i % 6 + 1
        row("base" if b % 2 else "patched", b, i // 6 + 1, 1e9 + random.gauss(0, 1e7))
elif shape == "columns":	# 8 counting rows, n columns naming no counter
    hdr += "".join(f",L0.x{c}" for c in range(n))
    for i in range(8):
        row("base" if i % 2 == 0 else "patched", i + 1, 1, 1e9 + i, ",1" * n, "counting")
elif shape == "advice":		# SD far above the mean in 80 counters: the boots-needed search's worst case
    cols = [f"L{l}.{c}" for l in range(10) for c in ("nested_eret", "nested_exc", "fp_save", "put_fp",
                                                     "load_fp", "exits", "eret_ns", "exc_ns")]
    hdr += "".join("," + c for c in cols)
    for i in range(n // 50):	# (few rows: the search's cost is per metric, not per row)
        x = "".join(f",{abs(random.gauss(1e3, 3e5)):.0f}" for c in cols)
        row("base" if i % 2 == 0 else "patched", i // 2 + 1, 1, 1e9, x, "counting")
open(f"{d}/reps.csv", "w").write(hdr + "\n" + "\n".join(rows) + "\n")
open(f"{d}/manifest.json", "w").write('{ "experiment": "s", "platform": "emulated", "clock": "icount" }\n')
PY
}

cpu() {	# CMD...: its user+sys CPU seconds (children included)
	python3 - "$@" <<'PY'
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.3f}")
PY
}

printf '%-26s %8s %9s %8s %9s %7s\n' shape "1x size" "1x cpu s" "8x size" "8x cpu s" ratio
size() { [ "$1" = advice ] && echo $(($2 / 50)) || echo "$2"; }
for shape in boots reps columns advice; do
	for k in 1 8; do gen "$shape" $((n * k)) "$tmp/$shape-$k"; done
	for what in report compare; do
		[ "$what" = compare ] && [ "$shape" != boots ] && continue
		for k in 1 8; do
			d=$tmp/$shape-$k
			if [ "$what" = report ]; then
				t[$k]=$(PATH=$tmp/bin:$PATH cpu "$nb" report -q -o "$tmp/out-$shape-$k" "$d")
			else
				t[$k]=$(PATH=$tmp/bin:$PATH cpu "$nb" compare "$d" "$d")
			fi
		done
		printf '%-26s %8d %9.2f %8d %9.2f %7.1f\n' "$what $shape" "$(size "$shape" "$n")" "${t[1]}" \
			"$(size "$shape" $((n * 8)))" "${t[8]}" \
			"$(echo "${t[8]} / (${t[1]} + 0.001)" | bc -l)"
	done
done
