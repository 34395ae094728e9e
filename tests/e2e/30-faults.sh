#!/usr/bin/env bash
# A level that fails is reported with its level and reason, and nobody waits
# forever: a kernel that cannot boot, a panic, a hang past its timeout.
. "$(dirname "$0")/lib.sh"
plan 8

expect_fail() {	# NAME FAULT LEVEL REASON_REGEX ARGS...
	local name=$1 fault=$2 level=$3 re=$4 out=$WORK/$1 t0 rc; shift 4
	t0=$(date +%s)
	nbrun "$out" --depth 2 --reps 1 --counting 0 --fault "$fault" "$@"
	rc=$?
	check "$name: run fails (exit $rc) in $(( $(date +%s) - t0 )) s" test $rc -ne 0
	if grep -q "^level=$level\$" "$out"/raw/boot-1/failure.txt 2>/dev/null &&
	   grep -Eq "^reason=.*($re)" "$out"/raw/boot-1/failure.txt &&
	   grep -q "L$level failed" "$out.log"; then
		ok "$name: report names L$level and the reason"
	else
		not_ok "$name: report names L$level and the reason"; diag "$out.log"
	fi
}

expect_fail noboot-L1 L1:noboot 1 "kernel panic|Unable to mount root" --timeout 900
expect_fail panic-L2 L2:panic 2 "kernel panic" --timeout 900
expect_fail hang-L1 L1:hang 1 "hung: nothing heard" --idle-timeout 40 --timeout 900
expect_fail boot-timeout-L0 L0:hang 0 "hung|did not boot" --idle-timeout 20 --timeout 300
