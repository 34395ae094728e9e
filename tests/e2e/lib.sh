# Sourced by the end-to-end tests: TAP output, and nestbench on the real
# emulated stack (QEMU TCG L0, real kernels, real fio).
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NB=${NB:-$TOP/build/nestbench}
IMAGES=$TOP/build/images.manifest
JOB=$TOP/tests/jobs/small.fio
WORK=$(mktemp -d "${TMPDIR:-/tmp}/nestbench-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
n=0

plan() { echo "1..$1"; }
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
check() {	# check DESCRIPTION CMD...
	local d=$1; shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
diag() { sed 's/^/# /' "$@"; }

# csv_col FILE COLUMN [ROW]: a cell of a CSV written by nestbench (quoted fields, no commas inside)
csv_col() {
	awk -F, -v col="$2" -v row="${3:-1}" 'NR == 1 { for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); if ($i == col) c = i } next }
		NR == row + 1 { v = $c; gsub(/"/, "", v); print v }' "$1"
}
csv_rows() { echo $(( $(wc -l < "$1") - 1 )); }

# nbrun OUTDIR ARGS...: one boot of the stack with the small job
nbrun() {
	local out=$1; shift
	"$NB" run --images "$IMAGES" --job "$JOB" --out "$out" "$@" > "$out.log" 2>&1
}
