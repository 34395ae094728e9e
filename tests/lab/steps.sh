# tests/lab/steps.sh: make lab's steps, sourced by tests/lab/run.sh (and by
# tests/lab/interrupt.sh, which proves the interrupt path). A step runs
# under timeout(1), which leads a process group of its own (so a terminal's
# ^C never reaches it) with a private TMPDIR; an interrupt ends that whole
# group (TERM, so that the step's own EXIT traps clean up, then KILL) and
# removes its TMPDIR. Needs log (images/lib.sh), $logs and daemon_tails.

names=() secs=() verdicts=()
step_pid=''	# the running step's timeout(1): its process group
step_tmp=''	# the running step's TMPDIR

# record NAME SECONDS ok|FAILED
record() { names+=("$1"); secs+=("$2"); verdicts+=("$3"); }

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# step NAME TIMEOUT FIX CMD...: CMD under a timeout, its output in $logs/NAME.log;
# on failure: which step, how, its log's tail and the fix.
step() {
	local name=$1 limit=$2 fix=$3 t0 rc=0; shift 3
	t0=$(date +%s.%N)
	log "step $name (timeout ${limit}s, log $logs/$name.log)"
	step_tmp=$(mktemp -d "${TMPDIR:-/var/tmp}/nb-lab-step.XXXXXX")
	# in the background: a signal's trap runs at once, not when CMD ends
	TMPDIR=$step_tmp timeout --kill-after=15 "$limit" "$@" > "$logs/$name.log" 2>&1 &
	step_pid=$!
	wait "$step_pid" || rc=$?
	step_pid=''
	rm -rf "$step_tmp"
	step_tmp=''
	record "$name" "$(elapsed "$t0")" "$([ "$rc" = 0 ] && echo ok || echo FAILED)"
	[ "$rc" = 0 ] && return 0
	log "error: step '$name' failed ($([ "$rc" = 124 ] && echo "timed out after ${limit}s" || echo "exit $rc"))"
	log "last lines of $logs/$name.log:"; tail -n 20 "$logs/$name.log" >&2
	daemon_tails
	log "fix: $fix"
	return 1
}

# step_stop: the running step's whole process group ended, its TMPDIR removed.
# TERM first: timeout passes it on to the group, and the step's scripts run
# their EXIT traps (build-root.sh stops mmdebstrap, which unmounts what it
# mounted in the new root, then removes it); KILL what is left after 60 s.
step_stop() {
	local i
	if [ -n "$step_pid" ]; then
		kill -TERM -- "-$step_pid" "$step_pid" 2> /dev/null || :
		for ((i = 0; i < 600; i++)); do
			kill -0 -- "-$step_pid" 2> /dev/null || break
			sleep 0.1
		done
		kill -KILL -- "-$step_pid" 2> /dev/null || :
		wait "$step_pid" 2> /dev/null || :
		log "interrupted: stopped the running step (process group $step_pid)"
		step_pid=''
	fi
	[ -z "$step_tmp" ] || rm -rf "$step_tmp"
	step_tmp=''
}

# The trap of SIGINT and SIGTERM: the step ended at once, then the EXIT trap.
step_interrupt() {
	step_stop
	exit 130
}
