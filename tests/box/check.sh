#!/usr/bin/env bash
# tests/box/check.sh OUT: what the host-in-a-box brought back must hold.
# Prints the doctor's output and the report, then `N passed, N failed`.
set -uo pipefail
out=$1
pass=0 fail=0
check() {
	local what=$1; shift
	if "$@" > /dev/null 2>&1; then pass=$((pass + 1)); echo "ok - $what"
	else fail=$((fail + 1)); echo "not ok - $what"; fi
}

res=$(ls -d "$out"/results/box/*/ 2>/dev/null | tail -n 1)
res=${res%/}
echo "# results: ${res:-none}"
echo "# nestbench doctor, inside the box:"
sed -n '/^== nestbench doctor/,/^== /p' "$out/box/base.log" | sed '1d;$d;s/^/#   /'
check "the box found KVM_CAP_ARM_EL2 and ran the experiment (results directory)" test -n "$res"
check "the README's set-up ran in the box (install-deps, make)" grep -q '^== make' "$out/box/base.log"
check "doctor ran inside the box" grep -q '^== nestbench doctor' "$out/box/base.log"
check "the manifest says platform host" grep -Eq '"platform": *"host"' "$res/manifest.json"
check "the manifest names the machine virtual" grep -Eq '"virtual": *"QEMU virt board' "$res/manifest.json"
check "the report exists" test -s "$res/report.txt"
check "the report says platform host" grep -q '^  platform    host' "$res/report.txt"
check "the report says its host clock is not hardware time" grep -q '^VIRTUAL HOST:.*' "$res/report.txt"
check "the report says the arms ran on host boots of their own kernels" grep -q 'each arm ran on a host booted into its L0 kernel' "$res/report.txt"
check "both arms have repetitions in reps.csv" \
	bash -c "grep -q '^\"box\",\"base\",' '$res/reps.csv' && grep -q '^\"box\",\"patched\",' '$res/reps.csv'"
check "perf kvm stat counted the host's own KVM exits in both arms' exit repetitions (kvmexits.csv)" \
	bash -c "grep -Eq '^\"box\",\"base\",\"[0-9]+\",\"[0-9]+\",\"0\",\"ALL\",\"[1-9]' '$res/kvmexits.csv' &&
		 grep -Eq '^\"box\",\"patched\",\"[0-9]+\",\"[0-9]+\",\"0\",\"ALL\",\"[1-9]' '$res/kvmexits.csv'"
check "the report's exits table says they are a virtual machine's, not hardware" \
	bash -c "grep -A1 \"^exits to L0's KVM by reason\" '$res/report.txt' | grep -q 'L0 is a virtual machine'"
check "PMU counts, where there are any, are called a virtual machine's" \
	bash -c "! grep -q 'CPU cycles (PMU)' '$res/report.txt' || grep -q '(PMU: a virtual machine' '$res/report.txt'"
echo "# report ($res/report.txt):"
sed 's/^/#   /' "$res/report.txt" 2>/dev/null
echo "# box boots, seconds: $(tr '\n' ' ' < "$out/boot-seconds")"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
