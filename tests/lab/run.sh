#!/usr/bin/env bash
# make lab: a LAVA lab on this machine, for issue 26's executor. It builds
# (or finds in the cache) a Debian 12 root with lava-server, lava-dispatcher,
# lava-coordinator, lavacli and PostgreSQL, enters it through private mount,
# PID and network namespaces (loopback only; nothing is installed on the
# host), starts PostgreSQL, lava-server (gunicorn), lava-scheduler and
# lava-worker, makes an admin and a token, a qemu device type and device,
# submits one job booting the project's arm64 Image with a busybox disk, and
# checks that its lava-test-case measurement (ns) comes back through
# /api/v0.2/jobs/ID/tests/. Then it tears everything down: no process, mount
# or file is left (a trap does it when a step fails). docs/lab.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
LOG_TAG=lab
. images/lib.sh

LAB_ROOT_TIMEOUT=${LAB_ROOT_TIMEOUT:-2700}
LAB_INSTALL_TIMEOUT=${LAB_INSTALL_TIMEOUT:-900}
LAB_START_TIMEOUT=${LAB_START_TIMEOUT:-300}
LAB_JOB_TIMEOUT=${LAB_JOB_TIMEOUT:-900}
export LAB_JOB_TIMEOUT

work=	# temporary: the overlay's upper layer, /lab (job files, state, token)
logs=	# kept: every step's log and the daemons' logs, in the cache
ns_pid='' ns_ino='' unshare_pid='' root='' summarized=''
. tests/lab/steps.sh	# record, step, step_stop, step_interrupt

daemon_tails() {
	local f
	for f in "$logs"/lab/*.log "$logs"/lab/*.out; do
		[ -s "$f" ] || continue
		log "last lines of $f:"; tail -n 8 "$f" >&2
	done
}

# "${LAB[@]}" CMD...: CMD inside the lab (its namespaces and its root), set by enter.
LAB=()

enter_failed() {
	log "error: step 'enter' failed: $1"
	log "last lines of $logs/ns.log:"; tail -n 20 "$logs/ns.log" >&2
	log "fix: unshare(1) needs root and a kernel with mount, PID and network namespaces and overlayfs"
}

# enter: PID 1 of the lab (tests/lab/ns.sh) in new namespaces, its pid known.
enter() {
	local i
	mkdir -p "$work"/{upper,ovl,merged,lab/state,lab/log,lab/bin} "$logs/lab"
	cp tests/lab/inside.sh tests/lab/nestbench-nv.jinja2 tests/lab/nv-01.jinja2 \
		tests/lab/boot-job.yaml "$work/lab/bin/"
	unshare --mount --pid --net --fork --propagation private \
		tests/lab/ns.sh "$root" "$work" "$logs/lab" > "$logs/ns.log" 2>&1 < /dev/null &
	unshare_pid=$!
	for ((i = 0; i < 300; i++)); do
		ns_pid=$(awk '{print $1}' "/proc/$unshare_pid/task/$unshare_pid/children" 2> /dev/null || :)
		[ -n "$ns_pid" ] && [ "$(readlink "/proc/$ns_pid/root" 2> /dev/null)" = "$work/merged" ] && break
		kill -0 "$unshare_pid" 2> /dev/null || { enter_failed "unshare exited"; return 1; }
		sleep 0.1
	done
	[ "$(readlink "/proc/$ns_pid/root" 2> /dev/null)" = "$work/merged" ] ||
		{ enter_failed "ns.sh did not reach its chroot in 30 s"; return 1; }
	ns_ino=$(readlink "/proc/$ns_pid/ns/pid")
	LAB=(nsenter --target "$ns_pid" --mount --pid --net --root --wd --
		/usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LAB_JOB_TIMEOUT="$LAB_JOB_TIMEOUT" LAB_PING_INTERVAL="${LAB_PING_INTERVAL:-2}")
	log "PID 1 is host pid $ns_pid ($ns_ino); its interfaces: $(nsenter --target "$ns_pid" --net ip -br addr | tr -s ' \n' ' ')"
}

# The processes of the lab's PID namespace still alive, by host pid.
lab_procs() {
	local p
	[ -n "$ns_ino" ] || return 0
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2> /dev/null)" = "$ns_ino" ] && echo "${p#/proc/} $(cat "$p/comm" 2> /dev/null)"
	done
	return 0
}

# teardown: stop the daemons, end PID 1 (the kernel kills what is left in its
# namespace, the mounts go with the mount namespace), check, remove $work.
teardown() {
	if [ -n "$ns_pid" ] && kill -0 "$ns_pid" 2> /dev/null; then
		timeout --kill-after=10 120 "${LAB[@]}" bash /lab/bin/inside.sh stop >> "$logs/teardown.log" 2>&1 || :
		kill -TERM "$ns_pid" 2> /dev/null || :
	fi
	[ -z "$unshare_pid" ] || timeout 30 tail --pid="$unshare_pid" -f /dev/null || kill -KILL "$ns_pid" "$unshare_pid" 2> /dev/null || :
	[ -z "$unshare_pid" ] || wait "$unshare_pid" 2> /dev/null || :
	local left
	left=$(lab_procs)
	[ -z "$left" ] || { log "still running in the lab's PID namespace: $left"; return 1; }
	[ -z "$work" ] || ! grep -q " $work/" /proc/self/mountinfo || { log "mounts left under $work"; return 1; }
	[ -z "$work" ] || rm -rf "$work"
	work=
}

# teardown_step: teardown, timed and counted like the other steps.
teardown_step() {
	local t
	t=$(date +%s.%N)
	if teardown >> "$logs/teardown.log" 2>&1; then
		record teardown "$(elapsed "$t")" ok
	else
		record teardown "$(elapsed "$t")" FAILED
		log "error: step 'teardown' failed; last lines of $logs/teardown.log:"; tail -n 20 "$logs/teardown.log" >&2
		log "fix: see which process or mount was left; the lab's PID 1 was host pid $ns_pid"
	fi
	ns_pid=
}

# After a failed step (or an interrupt): tear down all the same, then the summary.
on_exit() {
	local rc=$?
	[ -z "$summarized" ] || return 0
	step_stop	# an interrupted step: its process group and its TMPDIR
	log "tearing the lab down (exit $rc)"
	[[ " ${verdicts[*]} " == *" FAILED "* ]] || record interrupted - FAILED
	teardown_step
	summary || :
	exit 1
}

summary() {
	local i pass=0 fail=0
	echo
	echo "== make lab: steps (host seconds; logs in $logs)"
	for i in "${!names[@]}"; do
		printf '  %-10s %8s s  %s\n' "${names[$i]}" "${secs[$i]}" "${verdicts[$i]}"
		[ "${verdicts[$i]}" = ok ] && pass=$((pass + 1)) || fail=$((fail + 1))
	done
	[ ! -s "$logs/result" ] || echo "  result: $(cat "$logs/result")"
	echo "$pass passed, $fail failed"
	summarized=1
	[ "$fail" = 0 ]
}

main() {
	local t
	[ "$(id -u)" = 0 ] || die "starting the lab" "" "run as root: it uses unshare(1), mounts and chroot (make lab as root)"
	logs=$NESTBENCH_CACHE/logs/lab-$(date -u +%Y%m%dT%H%M%SZ)
	mkdir -p "$logs"
	work=$(mktemp -d "${TMPDIR:-/var/tmp}/nb-lab.XXXXXX")
	trap on_exit EXIT
	trap step_interrupt INT TERM
	step root "$LAB_ROOT_TIMEOUT" "check network access to deb.debian.org (see the mmdebstrap log named above)" \
		tests/lab/build-root.sh
	root=$(tail -n 1 "$logs/root.log")
	step guest 120 "run make images: the job boots kernel.patched and busybox from the rootfs it names" \
		tests/lab/guest.sh "$work/lab/job"
	t=$(date +%s.%N)
	enter > "$logs/enter.log" 2>&1 || { record enter "$(elapsed "$t")" FAILED; cat "$logs/enter.log" >&2; return 1; }
	record enter "$(elapsed "$t")" ok
	step install "$LAB_INSTALL_TIMEOUT" "see PostgreSQL's and postinst.py's messages above; LAB_INSTALL_TIMEOUT=s on a loaded machine" \
		"${LAB[@]}" bash /lab/bin/inside.sh install
	step start "$LAB_START_TIMEOUT" "see gunicorn.out, lava-scheduler.log and lava-worker.log in $logs/lab" \
		"${LAB[@]}" bash /lab/bin/inside.sh start
	step job "$((LAB_JOB_TIMEOUT + 60))" "the job's log is in $logs/lab/job-ID.log; LAB_JOB_TIMEOUT=s on a loaded machine" \
		"${LAB[@]}" bash /lab/bin/inside.sh job
	tail -n 1 "$logs/job.log" > "$logs/result"
	step experiment "${LAB_EXPERIMENT_TIMEOUT:-3600}" "see $logs/experiment.log and the results directories it names; LAB_EXPERIMENT_TIMEOUT=s on a loaded machine" \
		tests/lab/experiment.sh "$ns_pid" "$work" "$logs/experiment"
	grep -E '^(lab|local) experiment:|passed, .* failed' "$logs/experiment.log" >> "$logs/result" || :
	step nv 600 "see $logs/nv.log: the NV server's job the executor generates must be queued for nestbench-nv and pass lava-run --validate" \
		tests/lab/nv.sh "$ns_pid" "$work" "$logs/nv"
	grep -E 'passed, .* failed' "$logs/nv.log" | sed 's/^/nv: /' >> "$logs/result" || :
	step designs 60 "the NV device type (tests/lab/nestbench-nv.jinja2, nv-01.jinja2) must render NV and IPMI; the per-boot job (tests/lab/boot-job.yaml) must pass the schema" \
		"${LAB[@]}" bash /lab/bin/inside.sh designs
	# last: a failure here says nothing of the lab's own steps
	step interrupt 120 "tests/lab/steps.sh's step_stop must end an interrupted step's process group and remove its TMPDIR" \
		tests/lab/interrupt.sh
	teardown_step
	summary
}

main "$@"
