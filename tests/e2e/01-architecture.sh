#!/usr/bin/env bash
# The architecture's rules on the code as built (docs/architecture.md), and
# the command-line conventions every subcommand shares. Boots nothing.
. "$(dirname "$0")/lib.sh"
CMDS="run experiment report compare stats trace excount doctor micro bisect"
plan 9

layers=$("$TOP/scripts/layers.sh" "$TOP/build/host")
printf '%s\n' "$layers" | grep '^#' || true
check "includes run from higher folders to lower ones only" eval 'printf "%s\n" "$layers" | grep -q "^ok 1 "'
check "no two files call each other" eval 'printf "%s\n" "$layers" | grep -q "^ok 2 "'

# CMD ARGS...: exit 2, nothing on stdout, "nestbench CMD: " on stderr, and a pointer to --help
usage_error() {
	local c=$1; shift
	"$NB" "$c" "$@" > "$WORK/out" 2> "$WORK/err"
	local rc=$?
	[ $rc = 2 ] && [ ! -s "$WORK/out" ] && grep -q "^nestbench $c: " "$WORK/err" &&
		grep -q "nestbench $c --help" "$WORK/err" ||
		{ echo "# $c $*: exit $rc, stdout $(wc -c < "$WORK/out") bytes, stderr: $(head -c 200 "$WORK/err")"; return 1; }
}
each() {	# each ARGS...: usage_error for every command
	local c
	for c in $CMDS; do usage_error "$c" "$@" || return 1; done
}
check "an unknown option is a usage error (exit 2, stderr) in every command" each --bogus
check "a missing value is a usage error in every command that takes one" \
	eval 'usage_error run --reps && usage_error experiment --jobs && usage_error doctor --jobs &&
	      usage_error stats --seed && usage_error trace --level && usage_error micro --reps'
check "extra operands are refused" \
	eval 'usage_error run stray && usage_error doctor stray && usage_error excount a b &&
	      usage_error stats a b c && usage_error trace a b && usage_error micro stray'
helps() {
	local c
	for c in $CMDS; do
		"$NB" "$c" --help > "$WORK/out" 2>&1 || { echo "# $c --help: exit $?"; return 1; }
		head -1 "$WORK/out" | grep -q "^usage: nestbench $c" || { echo "# $c --help: $(head -1 "$WORK/out")"; return 1; }
		grep -q "Exit status" "$WORK/out" || { echo "# $c --help says no exit status"; return 1; }
	done
}
check "every --help says what the command does and its exit codes (exit 0, stdout)" helps
check "nestbench --version names the build" eval '"$NB" --version | grep -Eq "^nestbench [0-9a-f]{7}"'
# The README's key reference is the option tables' own text (scripts/readme-keys.sh).
check "README's experiment-file key reference is what 'experiment --help' prints" \
	"$TOP/scripts/readme-keys.sh" --check "$NB" "$TOP/README.md"
# Images are checked once, before a results directory exists or anything boots.
missing_images() {
	local out=$WORK/noimg rc
	sed 's|^kernel\.base=.*|kernel.base=/nonexistent/Image|' "$TOP/build/images.manifest" > "$WORK/bad.manifest" 2>/dev/null ||
		echo 'rootfs=/nonexistent' > "$WORK/bad.manifest"
	for m in "$WORK/none.manifest" "$WORK/bad.manifest"; do
		"$NB" experiment --images "$m" --results "$out" "$TOP/experiments/nv-fp-eret-quick.ini" > "$WORK/ni.log" 2>&1; rc=$?
		[ $rc = 2 ] && [ ! -e "$out" ] && [ "$(grep -c '  fix: ' "$WORK/ni.log")" = 1 ] &&
			! grep -q 'resume' "$WORK/ni.log" || { echo "# experiment --images $m: exit $rc"; diag "$WORK/ni.log"; return 1; }
		"$NB" run --images "$m" --kernel base --out "$out/run" > "$WORK/ni.log" 2>&1; rc=$?
		[ $rc = 2 ] && [ ! -e "$out" ] && [ "$(grep -c '  fix: ' "$WORK/ni.log")" = 1 ] ||
			{ echo "# run --images $m: exit $rc"; diag "$WORK/ni.log"; return 1; }
	done
}
check "missing images or kernels: one error with its fix, exit 2, no results directory (run, experiment)" missing_images
