#!/usr/bin/env bash
# nestbench doctor on this machine: one line per check, each missing thing
# with its fix, exit 1 exactly when something is missing; --platform host on
# a machine that is not an arm64 NV host says so line by line, no crash.
# Boots nothing.
. "$(dirname "$0")/lib.sh"
plan 12

doctor() {	# OUT ARGS...: run doctor, status in OUT.rc
	local out=$1; shift
	"$NB" doctor "$@" > "$out" 2> "$out.err"
	echo $? > "$out.rc"
}
rc() { cat "$1.rc"; }
line() { grep -E "^  \[(.{4})\] $2: " "$1"; }	# OUT NAME: the check's line
status_of() { line "$1" "$2" | sed -E 's/^  \[ ?([A-Z]+) ?\].*/\1/'; }

# Every line after the first is a check in the promised form, the last the summary.
well_formed() {
	local out=$1 checks summary
	checks=$(sed '1d;$d' "$out")
	summary=$(tail -n 1 "$out")
	head -n 1 "$out" | grep -Eq '^nestbench doctor: platform (emulated|host) \(' &&
	[ -n "$checks" ] &&
	! grep -Evq '^  \[( OK |WARN|MISS)\] [^:]+: .+' <<< "$checks" &&
	! grep -E '^  \[(WARN|MISS)\]' <<< "$checks" | grep -vq ' -- fix: .' &&
	grep -Eq '^[0-9]+ ok, [0-9]+ warnings?, [0-9]+ missing: (ready|NOT ready) for --platform (emulated|host)$' <<< "$summary"
}
# Exit 1 exactly when a line says MISS, else 0.
status_matches() {
	local out=$1
	if grep -q '^  \[MISS\]' "$out"; then [ "$(rc "$out")" = 1 ]; else [ "$(rc "$out")" = 0 ]; fi
}

doctor "$WORK/auto"
if [ "$(uname -m)" = aarch64 ]; then
	skip "auto picks emulated on a machine that is not arm64" "this is aarch64"
else
	check "auto picks emulated on $(uname -m)" grep -q '^nestbench doctor: platform emulated (auto' "$WORK/auto"
fi
check "auto: every line well formed" well_formed "$WORK/auto"
check "auto: exit $(rc "$WORK/auto") matches its MISS lines" status_matches "$WORK/auto"
diag "$WORK/auto"

doctor "$WORK/host" --platform host
arm64_rows=("/dev/kvm" "KVM_CAP_ARM_EL2" "kvm-arm.mode=nested" "VHE")
host_rows_reported() {
	local r
	for r in "${arm64_rows[@]}" tracefs perf perf_event_paranoid "qemu-system-aarch64" memory; do
		line "$WORK/host" "$r" > /dev/null || { echo "# no line for $r"; return 1; }
	done
}
check "--platform host: exit $(rc "$WORK/host") (0 or 1, no crash), every line well formed" \
	eval '[ "$(rc "$WORK/host")" -le 1 ] && well_formed "$WORK/host"'
check "--platform host: the host checks are all reported" host_rows_reported
check "--platform host: exit matches its MISS lines" status_matches "$WORK/host"
not_applicable() {
	local r
	for r in "${arm64_rows[@]}"; do
		line "$WORK/host" "$r" | grep -q '^  \[MISS\] .*: not applicable on ' || { echo "# $r"; return 1; }
	done
	[ "$(status_of "$WORK/host" "arm64 machine")" = MISS ] && [ "$(rc "$WORK/host")" = 1 ]
}
if [ "$(uname -m)" = aarch64 ]; then
	skip "--platform host elsewhere: MISS, not applicable" "this is aarch64"
else
	check "--platform host on $(uname -m): arm64 checks MISS as not applicable, exit 1" not_applicable
fi
diag "$WORK/host"

usage_errors() {
	local a
	for a in "--platform bogus" "--jobs 0" "--jobs 65" "--jobs 2x" "stray" "--nosuch"; do
		# shellcheck disable=SC2086
		"$NB" doctor $a > /dev/null 2>&1
		[ $? = 2 ] || { echo "# doctor $a: not exit 2"; return 1; }
	done
}
check "usage errors exit 2" usage_errors

# The images check reads the manifest's kernels and rootfs.
doctor "$WORK/noimg" --platform emulated --images "$WORK/none.manifest"
check "a missing manifest is MISS, exit 1" \
	eval '[ "$(status_of "$WORK/noimg" images)" = MISS ] && [ "$(rc "$WORK/noimg")" = 1 ]'
touch "$WORK/Image.base" "$WORK/Image.patched" "$WORK/rootfs.img"
printf 'kernel.base=%s\nkernel.patched=%s\nrootfs=%s\n' "$WORK/Image.base" "$WORK/Image.patched" "$WORK/rootfs.img" > "$WORK/ok.manifest"
doctor "$WORK/img" --platform emulated --images "$WORK/ok.manifest"
check "a manifest whose files exist is OK" eval '[ "$(status_of "$WORK/img" images)" = OK ]'
rm "$WORK/rootfs.img"
doctor "$WORK/img2" --platform emulated --images "$WORK/ok.manifest"
check "a manifest naming a missing rootfs is MISS, naming it" \
	eval 'line "$WORK/img2" images | grep -q "^  \[MISS\] .*rootfs=$WORK/rootfs.img does not exist"'

# Memory: 64 boots side by side of a 3 GiB L0 (plus QEMU's own) fit on few machines.
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
doctor "$WORK/mem" --platform emulated --jobs 64
if [ "$avail" -ge $((64 * 3072)) ]; then
	skip "--jobs 64: memory not OK" "this machine has $avail MiB available"
else
	check "--jobs 64 with $avail MiB available: memory WARN or MISS" \
		eval '[ "$(status_of "$WORK/mem" memory)" != OK ]'
fi
