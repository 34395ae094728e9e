#!/usr/bin/env bash
# tests/lab/interrupt.sh: make lab's interrupt path (tests/lab/steps.sh),
# without a lab. A fake step makes a directory in its TMPDIR and one of its
# own that its EXIT trap removes, and leaves a child sleeping in its
# process group; the harness, running it as run.sh runs a step, gets SIGINT
# (then, in a second run, SIGTERM). Checked: the harness exits 130 at once,
# no process of the step's group is left, its TMPDIR is gone and its own
# EXIT trap ran. A control run with the old trap (exit 130 alone) must
# leave the group behind: the check can fail. Ends with N passed, N failed.
set -uo pipefail
set -m	# job control: a background harness does not ignore SIGINT, as a non-interactive shell's would
cd "$(dirname "$0")/../.."
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }

# The fake step: $1/own (removed by its EXIT trap), a directory in $TMPDIR,
# a sleeping child. Its TERM trap ignores TERM from then on: the group gets
# several (step_stop sends one, timeout passes each on to its child and to
# the group), and in make lab a later one cut the EXIT trap short.
fake_step='trap "trap \"\" TERM INT; rm -rf \"$1/own\"" EXIT; trap "trap \"\" TERM INT; exit 143" TERM
mkdir "$1/own"; mktemp -d "$TMPDIR/fake.XXXXXX" > "$1/tmpdir"
sleep 600 & echo $! > "$1/child"
echo $$ > "$1/pid"
wait'

# harness DIR TRAP: steps.sh's step() running the fake step, TRAP on SIGINT and SIGTERM.
harness() {
	bash -c 'LOG_TAG=lab-interrupt; . images/lib.sh; . tests/lab/steps.sh
		logs=$1; daemon_tails() { :; }
		trap "$2" INT TERM
		step fake 120 "none" bash -c "$3" - "$1"' - "$1" "$2" "$fake_step" > "$1/harness.log" 2>&1 &
	hpid=$!
}

wait_file() { local i; for ((i = 0; i < 300; i++)); do [ -s "$1" ] && return 0; sleep 0.1; done; return 1; }
group_left() { pgrep -g "$1" > /dev/null; }
gone() { local i; for ((i = 0; i < 50; i++)); do [ -e "$1" ] || return 0; sleep 0.1; done; return 1; }	# within 5 s

# run SIG TRAP: the step started, the harness signalled; sets d, pgid, rc, secs.
run() {
	d=$(mktemp -d "${TMPDIR:-/var/tmp}/nb-lab-interrupt.XXXXXX")
	harness "$d" "$2"
	wait_file "$d/pid" || { not_ok "the fake step did not start ($d/harness.log)"; return 1; }
	pgid=$(awk '{ print $5 }' "/proc/$(cat "$d/pid")/stat")
	sleep 0.3	# the fake step in its wait: its traps set, its child started
	local t0=$SECONDS
	kill -"$1" "$hpid"
	wait "$hpid"; rc=$?
	secs=$((SECONDS - t0))
}

for sig in INT TERM; do
	run "$sig" step_interrupt || continue
	check "SIG$sig: the harness exits 130 (got $rc) within 25 s (took ${secs}s)" test "$rc" = 130 -a "$secs" -le 25
	check "SIG$sig: no process of the step's group $pgid is left" bash -c "! pgrep -g $pgid > /dev/null"
	check "SIG$sig: the step's TMPDIR is removed ($(cat "$d/tmpdir"))" [ ! -e "$(dirname "$(cat "$d/tmpdir")")" ]
	check "SIG$sig: the step's own EXIT trap ran (it got TERM, not KILL)" gone "$d/own"
	check "SIG$sig: the harness said it stopped the step" grep -q "stopped the running step" "$d/harness.log"
	rm -rf "$d"
done

# The control: the trap run.sh had before (exit 130 alone) leaves the step running.
if run INT 'exit 130'; then
	check "control (old trap): the step's group $pgid is left behind" group_left "$pgid"
	kill -KILL -- "-$pgid" 2> /dev/null
	sleep 0.2
	rm -rf "$(dirname "$(cat "$d/tmpdir")")" "$d"
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
