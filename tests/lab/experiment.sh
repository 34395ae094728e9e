#!/usr/bin/env bash
# tests/lab/experiment.sh NS_PID WORK OUT: make lab's executor test, run on the
# host by tests/lab/run.sh once the lab is up. nestbench runs here (the
# host's files, build/nestbench) inside the lab's network namespace only
# (nsenter --net), so http://127.0.0.1:8000/ is the lab's server; it
# publishes the boots' images in WORK/lab/art, which the worker sees as
# file:///lab/art. A depth-1 A/A experiment (tests/lab/aa.ini) runs as LAVA
# jobs, two at a time on the lab's two qemu devices, and the same file with
# executor = local runs beside it as the reference: the lab's results
# directory must report, compare and resume like the local one, with the
# same verdict and the same report sections. Both results directories and
# the logs stay in OUT (the lab's log directory). Ends with N passed, N failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
ns_pid=$1 work=$2 out=$3
NB=$PWD/build/nestbench
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok - $*"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $*"; }
check() { local what=$1; shift; if "$@" > /dev/null 2>&1; then ok "$what"; else not_ok "$what"; fi; }

# The A/A verdict line of a report: no difference, or p >= 0.01.
aa() {
	local line p
	line=$(grep -m1 'io time (icount clock), means of boots' "$1") || return 1
	echo "$line"
	echo "$line" | grep -q "no significant difference" && return 0
	p=$(echo "$line" | sed -n 's/.*p[=<]\([0-9.e+-]*\).*/\1/p')
	awk -v p="$p" 'BEGIN { exit !(p != "" && p + 0 >= 0.01) }'
}

# A report's shape: its headings and labels, numbers and names stripped.
# Which arm comes first follows the boot that finished first, in both executors.
shape() {
	grep -v '^ ' "$1" | sed 's/[0-9][0-9.,:%-]*//g; s/lab-aa[^ ]*//g; s/^setup (.*/setup/; s/\b[ab]\b/ARM/g' |
		grep -v 'executor\|LAVA' | tr -s ' ' | tr -d '+-'	# a delta's sign too: A/A deltas go either way
}

mkdir -p "$out" "$work/lab/art"
{ cat tests/lab/aa.ini
  printf '\n[experiment]\nexecutor = lava\nlava = http://127.0.0.1:8000/\n'
  printf 'lava_artifacts = %s\nlava_artifacts_url = file:///lab/art\n' "$work/lab/art"; } > "$out/lab.ini"
sed -i "s|^job = ../jobs/small.fio|job = $PWD/tests/jobs/small.fio|" "$out/lab.ini"
sed 's/^jobs = 4/jobs = 2/' tests/lab/aa.ini | sed "s|^job = ../jobs/small.fio|job = $PWD/tests/jobs/small.fio|" > "$out/local.ini"

export NESTBENCH_LAVA_TOKEN
NESTBENCH_LAVA_TOKEN=$(cat "$work/lab/state/token")

# The lab as doctor sees it, before any boot: the server, the admin's token, both devices Good.
nsenter --target "$ns_pid" --net -- "$NB" doctor --executor lava --lava http://127.0.0.1:8000/ > "$out/doctor.log" 2>&1
check "doctor --executor lava: the server, the token accepted (user admin), 2 Good qemu devices ($out/doctor.log)" \
	bash -c "grep -q '\[ OK \] lava server' '$out/doctor.log' && grep -q \"\[ OK \] lava token: accepted: user 'admin'\" '$out/doctor.log' &&
		grep -q \"lava devices: device type 'qemu': 2 Good\" '$out/doctor.log'"
# The workers' QEMU as LAVA recorded it: only the smoke job (job 1) has booted QEMU, on one device.
check "doctor: the worker QEMU of the smoke job's device (10.0, job 1), the other device's unknown: MISS" \
	bash -c "grep -q '\[MISS\] lava worker QEMU: .*: 10\.0\.[0-9]* (job 1).*' '$out/doctor.log' &&
		grep -q 'lava worker QEMU: .*unknown (no finished job booted QEMU there)' '$out/doctor.log'"

t0=$(date +%s)
"$NB" experiment --results "$out/local" "$out/local.ini" > "$out/local.log" 2>&1 &
local_pid=$!
nsenter --target "$ns_pid" --net -- "$NB" experiment --results "$out/lab" "$out/lab.ini" > "$out/lab.log" 2>&1
lab_rc=$?
echo "lab experiment: exit $lab_rc after $(($(date +%s) - t0)) s"
wait $local_pid
local_rc=$?
echo "local experiment: exit $local_rc after $(($(date +%s) - t0)) s"
lab=$(ls -d "$out"/lab/lab-aa/* 2> /dev/null | head -n 1)
loc=$(ls -d "$out"/local/lab-aa/* 2> /dev/null | head -n 1)
echo "lab results: ${lab:-none}; local results: ${loc:-none}"

check "the experiment through executor = lava exits 0 (log: $out/lab.log)" test "$lab_rc" = 0
check "the same experiment through the local executor exits 0 (log: $out/local.log)" test "$local_rc" = 0
jobs=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); j=m.get("lava_jobs",[])
ok=set(x["boot"] for x in j if x["health"]=="Complete" and x["device"].startswith("qemu-0") and x["url"].endswith("/job/"+x["id"]))
print(m.get("executor"), m.get("lava",{}).get("device_type"), len(ok), "token" in open(sys.argv[1]).read().lower())' "$lab/manifest.json" 2> /dev/null)
check "manifest.json: executor lava, each of the 4 boots a Complete LAVA job on a qemu device, no token (got: $jobs)" \
	test "$jobs" = "lava qemu 4 False"
check "no token anywhere in the results directory" bash -c "! grep -rqF '$NESTBENCH_LAVA_TOKEN' '$lab'"
rows=$(awk -F, 'NR > 1' "$lab/reps.csv" 2> /dev/null | wc -l)
lrows=$(awk -F, 'NR > 1' "$loc/reps.csv" 2> /dev/null | wc -l)
check "reps.csv: as many rows as the local run's (lab $rows, local $lrows), 4 per boot" \
	bash -c "[ $rows = $lrows ] && [ $rows = 16 ]"
check "boots.csv, phases.csv and every boot's frames.log are there" \
	bash -c "[ -s '$lab/boots.csv' ] && [ -s '$lab/phases.csv' ] && ls $lab/raw/boot-{1,2,3,4}/frames.log"
if line=$(aa "$lab/report.txt"); then ok "lab A/A: no difference between identical arms ($line)"
else not_ok "lab A/A: no difference between identical arms (${line:-no verdict line})"; fi
if line=$(aa "$loc/report.txt"); then ok "local A/A: the same verdict ($line)"
else not_ok "local A/A: the same verdict (${line:-no verdict line})"; fi
shape "$lab/report.txt" > "$out/lab.shape" 2> /dev/null
shape "$loc/report.txt" > "$out/local.shape" 2> /dev/null
check "the lab's report has the local report's sections and labels (diff $out/lab.shape $out/local.shape)" \
	diff "$out/lab.shape" "$out/local.shape"
nsenter --target "$ns_pid" --net -- "$NB" doctor --executor lava --lava http://127.0.0.1:8000/ > "$out/doctor2.log" 2>&1
check "doctor after the A/A: both devices' workers run QEMU 10.0 (>= 9): OK ($out/doctor2.log)" \
	bash -c "grep -q '\[ OK \] lava worker QEMU: .*qemu-01: 10\.0\.' '$out/doctor2.log' &&
		grep -q '\[ OK \] lava worker QEMU: .*qemu-02: 10\.0\.' '$out/doctor2.log'"
"$NB" report -q -o "$out/regen" "$lab" > "$out/report.log" 2>&1
check "nestbench report regenerates the lab's report from its CSV, byte for byte" \
	cmp "$out/regen/report.txt" "$lab/report.txt"
"$NB" compare "$loc" "$lab" > "$out/compare.log" 2>&1
check "nestbench compare holds the lab run against the local one, naming the executor among the setup differences (exit $?, $out/compare.log)" \
	bash -c "grep -q 'io time (icount clock)' '$out/compare.log' && grep -q 'executor  *local | lava' '$out/compare.log' &&
		grep -q 'LAVA server  *(absent) | http://127.0.0.1:8000/' '$out/compare.log'"
nsenter --target "$ns_pid" --net -- "$NB" experiment --resume "$lab" > "$out/resume.log" 2>&1
rc=$?
check "--resume of the finished lab run boots nothing and reports again (exit $rc)" \
	bash -c "[ $rc = 0 ] && ! grep -q 'submitted LAVA job' '$out/resume.log' && grep -q 'io time (icount clock)' '$out/resume.log'"

# A job canceled under a running experiment, and the experiment killed
# while its jobs are queued or running: --resume attaches to them instead
# of submitting again; the canceled one is a failed boot with LAVA's
# reason (lava_retries = 0), which the next --resume runs again.
{ sed 's/^boots = 2/boots = 1/; s/^name = lab-aa/name = lab-resume/' "$out/lab.ini"
  printf 'lava_retries = 0\n'; } > "$out/resume.ini"
wait_file() { local i; for ((i = 0; i < 600; i++)); do ls $1 > /dev/null 2>&1 && return 0; sleep 0.5; done; return 1; }
cancel() {	# ID: scheduler.jobs.cancel through LAVA's XML-RPC, as lavacli does
	nsenter --target "$ns_pid" --net -- curl -fsS --max-time 30 \
		"http://admin:$NESTBENCH_LAVA_TOKEN@127.0.0.1:8000/RPC2" -H 'Content-Type: text/xml' --data-binary \
		"<?xml version='1.0'?><methodCall><methodName>scheduler.jobs.cancel</methodName><params><param><value><string>$1</string></value></param></params></methodCall>"
}
nsenter --target "$ns_pid" --net -- "$NB" experiment --results "$out/lab" "$out/resume.ini" > "$out/kill.log" 2>&1 &
kpid=$!
wait_file "$out/lab/lab-resume/*/raw/boot-2/lava-job" && wait_file "$out/lab/lab-resume/*/raw/boot-1/lava-job"
rdir=$(ls -d "$out"/lab/lab-resume/* 2> /dev/null | head -n 1)
id1=$(sed -n 's/^id=//p' "$rdir/raw/boot-1/lava-job" 2> /dev/null)
cancel "$id1" > "$out/cancel.log" 2>&1
kill -KILL $kpid; wait $kpid 2> /dev/null
check "two jobs submitted, job $id1 (boot 1) canceled, nestbench killed while they were queued or running" \
	bash -c "[ -n '$id1' ] && [ -f '$rdir/raw/boot-2/lava-job' ] && grep -q methodResponse '$out/cancel.log' && ! grep -q fault '$out/cancel.log'"
nsenter --target "$ns_pid" --net -- "$NB" experiment --resume "$rdir" > "$out/resume1.log" 2>&1
rc=$?
check "--resume attaches to both jobs and submits none (exit $rc: boot 1 failed)" \
	bash -c "[ $rc = 1 ] && [ \$(grep -c 'attaching to LAVA job' '$out/resume1.log') = 2 ] && ! grep -q 'submitted LAVA job' '$out/resume1.log'"
check "the canceled job is a failed boot with LAVA's reason and its URL" \
	grep -q "LAVA job $id1 ended Finished/Canceled.*scheduler/job/$id1" "$rdir/raw/boot-1/failure.txt"
nsenter --target "$ns_pid" --net -- "$NB" experiment --resume "$rdir" > "$out/resume2.log" 2>&1
rc=$?
check "the next --resume runs boot 1 again as a new job and completes (exit $rc)" \
	bash -c "[ $rc = 0 ] && grep -q 'boot 1: submitted LAVA job' '$out/resume2.log' && [ \$(awk -F, 'NR > 1 && \$9 ~ /ok/' '$rdir/boots.csv' | wc -l) -ge 4 ]"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
