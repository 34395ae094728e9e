#!/usr/bin/env bash
# tests/lab/nv.sh NS_PID WORK OUT: the NV-server route of the lava executor
# (docs/lab.md, "arm64 NV servers"), run by tests/lab/run.sh once the lab is
# up. There is no NV server here: the lab's nv-01 (device type nestbench-nv)
# is in maintenance, so the jobs are generated, submitted and accepted by
# the server, and never run. nestbench runs tests/lab/aa.ini (1 + 1 boots)
# with lava_device_type = nestbench-nv; once both boots' jobs are queued it
# is killed and they are canceled. Checked: one job per boot, each for its
# arm's L0 kernel, queued for nestbench-nv; the definition the executor
# wrote passes the server's schema and lava-run --validate (inside.sh
# nvjob). The NFS root is a stand-in tarball (a README): validation checks
# that its URL resolves, nothing extracts it. Ends with N passed, N failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
ns_pid=$1 work=$2 out=$3
NB=$PWD/build/nestbench
LAB=(nsenter --target "$ns_pid" --mount --pid --net --root --wd -- /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin)
NET=(nsenter --target "$ns_pid" --net --)
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $*"; }
check() { local what=$1; shift; if "$@" > /dev/null 2>&1; then ok "$what"; else not_ok "$what"; fi; }
wait_file() { local i; for ((i = 0; i < 600; i++)); do ls $1 > /dev/null 2>&1 && return 0; sleep 0.5; done; return 1; }

mkdir -p "$out/root" "$work/lab/art" "$work/lab/nv"
echo "nestbench make lab: stands in for an NV server's NFS root; its jobs are validated, never run" > "$out/root/README"
tar -C "$out/root" -cJf "$work/lab/art/nvhost-root.tar.xz" .
{ sed 's/^boots = 2/boots = 1/; s/^name = lab-aa/name = lab-nv/' tests/lab/aa.ini
  printf '\n[experiment]\nexecutor = lava\nlava = http://127.0.0.1:8000/\nlava_device_type = nestbench-nv\n'
  printf 'lava_nfsrootfs = file:///lab/art/nvhost-root.tar.xz\n'
  printf 'lava_artifacts = %s\nlava_artifacts_url = file:///lab/art\n' "$work/lab/art"; } > "$out/nv.ini"
sed -i "s|^job = ../jobs/small.fio|job = $PWD/tests/jobs/small.fio|" "$out/nv.ini"

export NESTBENCH_LAVA_TOKEN
NESTBENCH_LAVA_TOKEN=$(cat "$work/lab/state/token")
api() { "${NET[@]}" curl -fsS --max-time 30 -H "Authorization: Token $NESTBENCH_LAVA_TOKEN" "http://127.0.0.1:8000/api/v0.2/$1"; }
cancel() {	# ID: scheduler.jobs.cancel through LAVA's XML-RPC, as lavacli does
	"${NET[@]}" curl -fsS --max-time 30 "http://admin:$NESTBENCH_LAVA_TOKEN@127.0.0.1:8000/RPC2" -H 'Content-Type: text/xml' \
		--data-binary "<?xml version='1.0'?><methodCall><methodName>scheduler.jobs.cancel</methodName><params><param><value><string>$1</string></value></param></params></methodCall>"
}

"${NET[@]}" "$NB" doctor --executor lava --lava http://127.0.0.1:8000/ --lava-device-type nestbench-nv > "$out/doctor.log" 2>&1
check "doctor: no worker QEMU to check for an NV server's device type ($out/doctor.log)" \
	grep -q "lava worker QEMU: device type 'nestbench-nv' boots no QEMU" "$out/doctor.log"

"${NET[@]}" "$NB" experiment --results "$out" "$out/nv.ini" > "$out/nv.log" 2>&1 &
npid=$!
wait_file "$out/lab-nv/*/raw/boot-2/lava-job" && wait_file "$out/lab-nv/*/raw/boot-1/lava-job"
dir=$(ls -d "$out"/lab-nv/* 2> /dev/null | head -n 1)
ids=()
for b in 1 2; do ids+=("$(sed -n 's/^id=//p' "$dir/raw/boot-$b/lava-job" 2> /dev/null)"); done
states=$(for id in "${ids[@]}"; do api "jobs/$id/" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["state"], j["requested_device_type"])'; done)
kill -TERM $npid; wait $npid 2> /dev/null
for id in "${ids[@]}"; do cancel "$id" >> "$out/cancel.log" 2>&1; done
echo "jobs ${ids[*]}: $(echo $states)"
check "one job per boot, both queued for device type nestbench-nv (jobs ${ids[*]}: $(echo $states))" \
	test "$(echo $states)" = "Submitted nestbench-nv Submitted nestbench-nv"
job=$dir/raw/boot-1/lava-job.yaml
key=$(sed -n 's/^kernel.patched.key=//p' build/images.manifest)
check "boot 1's job deploys its arm's L0 kernel by tftp (kernels/$key/Image) and the NFS root" \
	bash -c "grep -q \"url: 'file:///lab/art/kernels/$key/Image'\" '$job' && grep -q 'to: tftp' '$job' &&
		grep -q \"url: 'file:///lab/art/nvhost-root.tar.xz'\" '$job'"
check "the test shell prints /proc/version, then runs nbagent --l0 with the plan; NV is the device type's" \
	bash -c "grep -q 'nbkernel: \$(cat /proc/version)' '$job' && grep -q \"'/nb/nbagent --l0 --plan /nb/plan.frame'\" '$job' &&
		! grep -q 'kvm-arm.mode' '$job'"
check "the plan names the server's paths (/nb/kernels, /nb/rootfs.img)" \
	bash -c "strings '$dir/raw/boot-1/plan.frame' | grep -q 'l0_kernels=/nb/kernels' && strings '$dir/raw/boot-1/plan.frame' | grep -q 'l0_rootfs=/nb/rootfs.img'"
check "no token in the results directory" bash -c "! grep -rqF '$NESTBENCH_LAVA_TOKEN' '$dir'"
cp "$job" "$work/lab/nv/lava-job.yaml"
"${LAB[@]}" bash /lab/bin/inside.sh nvjob /lab/nv/lava-job.yaml > "$out/validate.log" 2>&1
rc=$?
cat "$out/validate.log"
check "the generated job passes the server's schema and lava-run --validate; a broken copy does not ($out/validate.log)" \
	test "$rc" = 0
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
