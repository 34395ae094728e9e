#!/usr/bin/env bash
# make host-in-a-box: nestbench on an arm64 NV "host" that is itself an
# emulated arm64 Debian machine (QEMU TCG, virtualization=on, booted with
# kvm-arm.mode=nested), run as a user on arm64 hardware would run it:
#   boot 1 (host kernel = base Image):    install-deps, make, doctor,
#                                         ./run.sh tests/box/box.ini --arm base
#   boot 2 (host kernel = patched Image): ./run.sh --resume DIR --arm patched
# The kernels are the Images this machine built (KERNEL_BASE/KERNEL_PATCHED
# inside the box), the guests' root filesystem extract is seeded into the
# box's cache (the box has no network). What comes back, in
# results/host-in-a-box/TIMESTAMP/: the box's logs, doctor's output and the
# experiment's results directory, whose report must say platform host and
# must not call its clock hardware time.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOP=$PWD
LOG_TAG=box
. images/lib.sh

BOX_MEM=${BOX_MEM:-6144}
BOX_TIMEOUT=${BOX_TIMEOUT:-7200}	# seconds per box boot: a hung box is reported, not waited on
t0=$(date +%s)

manifest_get() { sed -n "s/^$1=//p" build/images.manifest | head -n 1; }

# The box's disk: Debian + this checkout + the seeded cache + the two Images.
stage_disk() {
	local deb=$1 st=$2 ex
	cp -al "$deb" "$st/root-fs"
	rm -f "$st/root-fs/.ok"
	git clone -q --no-hardlinks "$TOP" "$st/root-fs/root/nestbench"
	git -C "$TOP" diff HEAD --binary | (cd "$st/root-fs/root/nestbench" && git apply --allow-empty)	# uncommitted work too
	mkdir -p "$st/root-fs/root/.cache/nestbench/rootfs" "$st/root-fs/root/images/base" \
		"$st/root-fs/root/images/patched" "$st/root-fs/root/box"
	for ex in "$NESTBENCH_CACHE"/rootfs/extract-*/; do
		[ -f "$ex/.ok" ] && cp -al "${ex%/}" "$st/root-fs/root/.cache/nestbench/rootfs/"
	done
	cp "$(manifest_get kernel.base)" "$st/root-fs/root/images/base/Image"
	cp "$(manifest_get kernel.patched)" "$st/root-fs/root/images/patched/Image"
	printf 'export KERNEL_BASE=/root/images/base/Image KERNEL_PATCHED=/root/images/patched/Image\n' \
		> "$st/root-fs/root/box/env"
	mkfs.ext4 -q -F -L box -d "$st/root-fs" -E root_owner=0:0 "$st/box.img" 24G > "$st/mkfs.log" 2>&1 ||
		die "mkfs.ext4 -d (the box's disk)" "$st/mkfs.log" "check free space in $st"
	rm -rf "$st/root-fs"
}

# One boot of the box into KERNEL with nbbox_step=STEP; its console goes to OUT/console-STEP.log.
box_boot() {
	local step=$1 kernel=$2 st=$3 out=$4 rc=0 t
	t=$(date +%s)
	log "box boot '$step' (host kernel $(basename "$(dirname "$kernel")")/Image; console: $out/console-$step.log)"
	timeout --kill-after=30 "$BOX_TIMEOUT" qemu-system-aarch64 \
		-M virt,virtualization=on,gic-version=3 -cpu max -accel tcg,thread=multi \
		-smp 2 -m "$BOX_MEM" -display none -monitor none -nic none -no-reboot \
		-serial "file:$out/console-$step.log" -kernel "$kernel" \
		-append "console=ttyAMA0 root=/dev/vda rw rootfstype=ext4 panic=-1 loglevel=4 kvm-arm.mode=nested init=/root/nestbench/tests/box/init.sh nbbox_step=$step nbbox_epoch=$(date +%s)" \
		-drive "file=$st/box.img,if=virtio,format=raw,cache=unsafe" || rc=$?
	echo "$step $(( $(date +%s) - t ))" >> "$out/boot-seconds"
	[ "$rc" = 124 ] && die "box boot '$step'" "$out/console-$step.log" \
		"the box hung past BOX_TIMEOUT=${BOX_TIMEOUT}s; its console tail is above"
	[ "$rc" = 0 ] || die "box boot '$step' (qemu exit $rc)" "$out/console-$step.log" "see the console log"
}

# What the box left on its disk: its step logs and the experiment's results.
fetch_results() {
	local st=$1 out=$2
	mkdir -p "$out/results"
	debugfs -R "rdump /root/box $out" "$st/box.img" > "$out/debugfs.log" 2>&1
	debugfs -R "rdump /root/nestbench/results/box $out/results" "$st/box.img" >> "$out/debugfs.log" 2>&1
	local s
	for s in base patched; do
		[ "$(cat "$out/box/$s.rc" 2>/dev/null)" = rc=0 ] ||
			die "the box's '$s' step" "$out/box/$s.log" "see $out/console-$s.log"
	done
}

st=	# the staging directory, removed on exit
main() {
	local deb out
	make -s all images
	deb=$(tests/box/build-disk.sh)
	out=results/host-in-a-box/$(date -u +%Y%m%dT%H%M%SZ)
	mkdir -p "$out"
	st=$(mktemp -d "${TMPDIR:-/var/tmp}/nb-box.XXXXXX")
	trap 'rm -rf "$st"' EXIT
	log "staging the box's disk in $st"
	stage_disk "$deb" "$st"
	box_boot base "$(manifest_get kernel.base)" "$st" "$out"
	box_boot patched "$(manifest_get kernel.patched)" "$st" "$out"
	fetch_results "$st" "$out"
	log "done in $(( $(date +%s) - t0 )) s; results: $out"
	echo "total_seconds=$(( $(date +%s) - t0 ))" >> "$out/boot-seconds"
	tests/box/check.sh "$out"
}

main "$@"
