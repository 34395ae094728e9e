#!/bin/bash
# tests/lab/inside.sh STEP: one step of the lab, run inside its namespaces
# and its root by run.sh (nsenter into ns.sh's PID 1). Every service listens
# on 127.0.0.1 only: the namespace has no other interface. State (the admin
# token, daemons' pids) lives in /lab/state, logs in /lab/log: both are in
# run.sh's temporary directory, removed at the end.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root
URL=http://127.0.0.1:8000
WORKER=lab-worker DEVICE=qemu-01 DEVICE2=qemu-02
S=/lab/state L=/lab/log J=/lab/job
cd /

say() { printf 'lab: %s\n' "$*" >&2; }

# wait_for SECONDS WHAT CMD...: poll CMD once a second until it succeeds.
wait_for() {
	local n=$1 what=$2 i; shift 2
	for ((i = 0; i < n; i++)); do
		"$@" > /dev/null 2>&1 && return 0
		sleep 1
	done
	say "timed out after ${n}s waiting for $what"
	return 1
}

# A new session is a new autogroup, at nice 0: PostgreSQL, the daemons and
# every job's QEMU (pexpect gives it a session of its own) would escape the
# priority make lab was started with (echo 19 > /proc/$$/autogroup beside
# other work). Each gets the autogroup nice of the step that started it.
lab_nice() { sed -n 's/.* nice \(-\{0,1\}[0-9]*\)$/\1/p' /proc/self/autogroup 2> /dev/null; }

renice_all() {	# every session of the lab's PID namespace
	local n p
	n=$(lab_nice)
	[ "${n:-0}" != 0 ] || return 0
	for p in /proc/[0-9]*; do echo "$n" > "$p/autogroup" 2> /dev/null || :; done
}

qemu_nice() {	# the worker's QEMU, found first in PATH, sets its own session's nice
	local n
	n=$(lab_nice)
	[ "${n:-0}" != 0 ] || return 0
	printf '#!/bin/sh\necho %s > /proc/self/autogroup 2> /dev/null\nexec /usr/bin/qemu-system-aarch64 "$@"\n' "$n" \
		> /usr/local/bin/qemu-system-aarch64
	chmod 755 /usr/local/bin/qemu-system-aarch64
}

# daemon NAME CMD...: CMD in the background, its own session, pid in $S/NAME.pid.
daemon() {
	local name=$1; shift
	setsid bash -c 'echo "$1" > /proc/$$/autogroup 2> /dev/null; shift; exec "$@"' - "$(lab_nice)" "$@" \
		>> "$L/$name.out" 2>&1 < /dev/null &
	echo $! > "$S/$name.pid"
	say "started $name (pid $!, log $L/$name.out)"
}

api() {	# PATH: GET the REST API with the admin's token
	curl -fsS --max-time 30 -H "Authorization: Token $(cat $S/token)" "$URL/api/v0.2/$1"
}

json() {	# EXPR: a Python expression over j, the JSON document on stdin
	python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"
}

# --- install: the database, LAVA's schema, the admin and the qemu device ---
start_postgres() {
	install -d -o postgres -g postgres -m 2775 /run/postgresql
	pg_ctlcluster 15 main start
	renice_all
	wait_for 60 "PostgreSQL on 127.0.0.1:5432" pg_isready -q -h 127.0.0.1
}

admin() {
	local tok
	tok=$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')
	lava-server manage users add --superuser --staff --email admin@localhost admin > /dev/null
	lava-server manage tokens add --user admin --description nestbench-lab --secret "$tok" > /dev/null
	(umask 077; printf '%s\n' "$tok" > "$S/token")
}

device() {
	# the notes' fix: with loopback only the dispatcher cannot find its IP
	mkdir -p "/etc/lava-server/dispatcher.d/$WORKER"
	printf 'dispatcher_ip: 127.0.0.1\n' > "/etc/lava-server/dispatcher.d/$WORKER/dispatcher.yaml"
	# memory: the job's context may ask more (nestbench's L0 hosts L1: 3072)
	cat > "/etc/lava-server/dispatcher-config/devices/$DEVICE.jinja2" <<-'EOT'
	{% extends 'qemu.jinja2' %}
	{% set mac_addr = '52:54:00:12:34:59' %}
	{% set memory = memory | default(512) %}
	EOT
	# a second device on the same worker: the executor's boots run two at a time
	sed 's/34:59/34:5a/' "/etc/lava-server/dispatcher-config/devices/$DEVICE.jinja2" \
		> "/etc/lava-server/dispatcher-config/devices/$DEVICE2.jinja2"
	chown -R lavaserver:lavaserver /etc/lava-server/dispatcher.d /etc/lava-server/dispatcher-config/devices
	# the worker's own token, as a worker on another machine would be given it
	lava-server manage workers add --description "nestbench lab worker" "$WORKER" > /dev/null	# prints the token
	lava-server manage shell -c "from lava_scheduler_app.models import Worker; print(Worker.objects.get(hostname='$WORKER').token)" \
		> "$S/worker-token"
	chmod 600 "$S/worker-token"
	[ -s "$S/worker-token" ] || { say "no token for worker $WORKER"; return 1; }
	lava-server manage device-types add qemu
	lava-server manage devices add --device-type qemu --worker "$WORKER" "$DEVICE"
	lava-server manage devices update --health GOOD "$DEVICE"
	lava-server manage devices add --device-type qemu --worker "$WORKER" "$DEVICE2"
	lava-server manage devices update --health GOOD "$DEVICE2"
}

# An NV server's device type and device (docs/lab.md), in maintenance: never
# scheduled here, only rendered by the designs step.
nv_device() {
	cp /lab/bin/nestbench-nv.jinja2 /etc/lava-server/dispatcher-config/device-types/
	cp /lab/bin/nv-01.jinja2 /etc/lava-server/dispatcher-config/devices/
	chown lavaserver:lavaserver /etc/lava-server/dispatcher-config/device-types/nestbench-nv.jinja2 \
		/etc/lava-server/dispatcher-config/devices/nv-01.jinja2
	lava-server manage device-types add nestbench-nv
	lava-server manage devices add --offline --device-type nestbench-nv --worker "$WORKER" nv-01
	lava-server manage devices update --health MAINTENANCE nv-01
}

# Event-driven scheduling: lava-publisher relays the server's events and the
# scheduler wakes on them instead of every 20 s; on loopback only.
events() {
	cat > /etc/lava-server/settings.d/10-nestbench-lab.yaml <<-'EOT'
	EVENT_NOTIFICATION: true
	EVENT_SOCKET: "tcp://127.0.0.1:5500"
	EOT
}

install_lab() {
	mkdir -p "$S" "$L"
	events
	start_postgres
	say "creating LAVA's database and schema (postinst.py --db)"
	python3 /usr/share/lava-server/postinst.py
	admin
	device
	nv_device
}

# --- start: gunicorn, the scheduler, the worker ---
start_lab() {
	pg_isready -q -h 127.0.0.1 || start_postgres
	daemon gunicorn gunicorn3 lava_server.wsgi --log-level DEBUG --log-file "$L/gunicorn.log" \
		-u lavaserver -g lavaserver --workers 2 --timeout 120 --bind 127.0.0.1:8000
	wait_for 120 "the REST API at $URL/api/v0.2/" api ""
	daemon publisher lava-server manage lava-publisher --host 127.0.0.1 --port 8001 \
		--level DEBUG --log-file "$L/lava-publisher.log"
	daemon scheduler lava-server manage lava-scheduler --level DEBUG --log-file "$L/lava-scheduler.log" \
		--event-url tcp://127.0.0.1:5500
	daemon worker lava-worker --level DEBUG --log-file "$L/lava-worker.log" --url "$URL/" --name "$WORKER" \
		--token-file "$S/worker-token" --ping-interval "${LAB_PING_INTERVAL:-2}"
	wait_for 120 "worker $WORKER online" worker_online
	qemu_nice
	renice_all
	say "lava-server, lava-scheduler and $WORKER are up ($URL)"
}

worker_online() {
	[ "$(api "workers/$WORKER/" | json 'j["state"]')" = Online ]
}

# --- job: submit, wait, read the measurement back ---
submit() {
	local id
	id=$(lavacli --uri "http://admin:$(cat $S/token)@127.0.0.1:8000/RPC2" jobs submit "$J/job.yaml")
	echo "$id" > "$S/job"
	say "submitted job $id"
}

job_done() {
	local st
	st=$(api "jobs/$(cat $S/job)/" | json 'j["state"] + " " + j["health"]')
	echo "$st" > "$S/job-state"
	case $st in Finished*) return 0 ;; *) return 1 ;; esac
}

job_wait() {
	local id n=${LAB_JOB_TIMEOUT:-600}
	id=$(cat $S/job)
	if ! wait_for "$n" "job $id to finish" job_done; then
		say "job $id's last state: $(cat $S/job-state 2> /dev/null) (LAB_JOB_TIMEOUT=${n}s)"
		api "jobs/$id/logs/" > "$L/job-$id.log" 2>&1 || :
		return 1
	fi
	api "jobs/$id/logs/" > "$L/job-$id.log" 2>&1 || :
	say "job $id: $(cat $S/job-state)"
	[ "$(cat $S/job-state)" = "Finished Complete" ] ||
		{ say "job $id did not complete: its log is $L/job-$id.log"; return 1; }
}

# The test case the guest reported, through /api/v0.2/jobs/ID/tests/ and lavacli.
results() {
	local id
	id=$(cat $S/job)
	api "jobs/$id/tests/" > "$S/tests.json"
	lavacli --uri "http://admin:$(cat $S/token)@127.0.0.1:8000/RPC2" results "$id" > "$S/lavacli-results.txt"
	python3 - "$S/tests.json" <<-'EOT'
	import json, sys
	j = json.load(open(sys.argv[1]))
	rows = j["results"] if isinstance(j, dict) else j
	hit = [r for r in rows if r["name"] == "window-ns"]
	if not hit:
	    sys.exit("lab: no test case window-ns in the job's results: %s" % [r["name"] for r in rows])
	r = hit[0]
	ok = r["result"] == "pass" and r["unit"] == "ns" and float(r["measurement"]) > 0
	print("%s %s %.0f %s" % (r["name"], r["result"], float(r["measurement"] or 0), r["unit"]))
	sys.exit(0 if ok else "lab: window-ns is not a passing measurement in ns")
	EOT
}

# The server's own times of the job: queued (submit to start) and ran (start to end).
job_times() {
	api "jobs/$(cat $S/job)/" | python3 -c '
import json, sys
from datetime import datetime as d
j = json.load(sys.stdin)
t = {k: d.fromisoformat(j[k].replace("Z", "+00:00")) for k in ("submit_time", "start_time", "end_time")}
print("job %s: queued %.1f s, ran %.1f s (device %s)" % (j["id"], (t["start_time"] - t["submit_time"]).total_seconds(),
      (t["end_time"] - t["start_time"]).total_seconds(), j.get("actual_device")))'
}

run_job() {
	submit
	job_wait
	job_times
	results
}

# --- teardown: stop what start started, then postgres ---
stop_one() {	# NAME
	local pid
	[ -f "$S/$1.pid" ] || return 0
	pid=$(cat "$S/$1.pid")
	kill -TERM -- "-$pid" 2> /dev/null || return 0
	wait_for 30 "$1 (pid $pid) to stop" bash -c "! kill -0 $pid" || kill -KILL -- "-$pid" 2> /dev/null || :
}

stop_lab() {
	stop_one worker; stop_one scheduler; stop_one publisher; stop_one gunicorn
	pg_ctlcluster 15 main stop -m fast 2> /dev/null || :
	# what is left (a job's QEMU cut short...) dies with PID 1: run.sh checks
	say "still running: $(ps -eo pid=,comm= | awk -v me=$$ '$1 != 1 && $1 != me && $2 != "ps" && $2 != "awk"' | tr -s ' \n' ' ')"
}

# The NV server's dictionary as the dispatcher would get it: NV on the
# kernel's command line, the IPMI power and console commands.
nvtype() {
	api "devices/nv-01/dictionary/?render=true" > "$S/nv-01.yaml"
	python3 - "$S/nv-01.yaml" <<-'EOT'
	import sys, yaml
	d = yaml.safe_load(open(sys.argv[1]))
	cmds = d["actions"]["boot"]["methods"]["grub"]["nfs"]["commands"]
	linux = [c for c in cmds if c.startswith("linux ")][0]
	print(linux)
	assert "kvm-arm.mode=nested" in linux, "no kvm-arm.mode=nested on the kernel's command line"
	assert "console=ttyAMA0,115200" in linux, "no console on the kernel's command line"
	assert "chassis power on" in d["commands"]["power_on"], "no IPMI power-on command"
	assert "sol activate" in d["commands"]["connect"], "no serial-over-LAN connection command"
	print("power_on:", d["commands"]["power_on"])
	print("connect:", d["commands"]["connect"])
	EOT
}

# validate FILE: the server's verdict on a job definition (schema, strict).
validate() {
	python3 -c 'import json, sys; print(json.dumps({"definition": open(sys.argv[1]).read(), "strict": True}))' "$1" |
		curl -fsS --max-time 30 -H "Authorization: Token $(cat $S/token)" -H 'Content-Type: application/json' \
			--data-binary @- "$URL/api/v0.2/jobs/validate/" | json 'j["message"]'
}

# The executor's per-boot job definitions (docs/lab.md) against the server's
# schema, and a broken one, which must be refused (the check checks).
jobdefs() {
	local f msg
	for f in boot-job.yaml; do
		msg=$(validate "/lab/bin/$f")
		echo "$f: $msg"
		[ "$msg" = "Job valid." ] || return 1
	done
	sed 's/^    to: tmpfs$/    to: nowhere/' /lab/bin/boot-job.yaml > "$S/broken-job.yaml"
	msg=$(validate "$S/broken-job.yaml")
	echo "boot-job.yaml with 'to: nowhere': $msg"
	[ "$msg" != "Job valid." ] || { say "the server accepted a broken job: its validation proves nothing"; return 1; }
}

designs() {
	nvtype
	jobdefs
}

# nvjob FILE: the NV server's job the executor generated (tests/lab/nv.sh),
# validated twice: by the server's schema (strict), and by the dispatcher
# itself, lava-run --validate against nv-01's rendered dictionary (the
# deploy, boot and test actions' own checks: tftpd, ipmitool for the
# device's power commands, the URLs). A copy whose NFS root is missing
# must fail it.
nvjob() {
	# the worker's dispatcher.yaml: with loopback only, dispatcher_ip must be given (as for the qemu jobs)
	local f=$1 msg out=/tmp/nv-validate DISP=/etc/lava-server/dispatcher.d/$WORKER/dispatcher.yaml
	msg=$(validate "$f")
	echo "schema: $msg"
	[ "$msg" = "Job valid." ] || return 1
	api "devices/nv-01/dictionary/?render=true" > "$S/nv-01.yaml"
	rm -rf "$out"
	if ! lava-run --validate --job-id nv-validate --output-dir "$out" --device "$S/nv-01.yaml" --dispatcher "$DISP" "$f" > "$S/lava-run.log" 2>&1; then
		say "lava-run --validate refused $f:"; tail -n 20 "$S/lava-run.log" >&2
		return 1
	fi
	echo "lava-run --validate: exit 0, $(grep -c . "$out/description.yaml") lines of pipeline description"
	# an NFS root that is not there: the dispatcher's own check of the job's URLs must refuse it
	sed 's|nvhost-root\.tar\.xz|nvhost-missing.tar.xz|' "$f" > "$S/nv-broken.yaml"
	if lava-run --validate --job-id nv-broken --output-dir "$out-broken" --device "$S/nv-01.yaml" --dispatcher "$DISP" "$S/nv-broken.yaml" \
		> "$S/lava-run-broken.log" 2>&1; then
		say "lava-run --validate accepted an NFS root that does not exist: its validation proves nothing"
		return 1
	fi
	grep -q 'nvhost-missing.tar.xz. does not exist' "$S/lava-run-broken.log" ||
		{ say "lava-run --validate refused the broken copy for another reason:"; tail -n 5 "$S/lava-run-broken.log" >&2; return 1; }
	echo "lava-run --validate with a missing NFS root: refused (does not exist)"
}

case ${1:-} in
designs) designs ;;
nvjob) nvjob "$2" ;;
install) install_lab ;;
start) start_lab ;;
job) run_job ;;
stop) stop_lab ;;
*) say "usage: inside.sh install|start|job|designs|nvjob FILE|stop"; exit 2 ;;
esac
