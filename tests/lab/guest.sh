#!/usr/bin/env bash
# tests/lab/guest.sh OUT: the lab job's guest, in OUT: Image (the project's
# arm64 kernel, build/images.manifest's kernel.patched), rootfs.ext4 (a
# static arm64 busybox from the project's rootfs image, and guest-init as
# /init, guest-window as /bin/nb-window) and overlay.tar (the disk LAVA appends its test shell to).
set -euo pipefail
cd "$(dirname "$0")/../.."
LOG_TAG=lab
. images/lib.sh
out=$1
MANIFEST=build/images.manifest

manifest_get() { sed -n "s/^$1=//p" "$MANIFEST" | head -n 1; }

st=	# staging directory, removed on exit
main() {
	local kernel rootfs
	[ -f "$MANIFEST" ] || die "reading $MANIFEST" "" "run make images (it builds the kernels and the rootfs, or finds them in the cache)"
	kernel=$(manifest_get kernel.patched) rootfs=$(manifest_get rootfs)
	[ -f "$kernel" ] || die "finding kernel.patched ($kernel)" "" "run make images"
	[ -f "$rootfs" ] || die "finding the rootfs image ($rootfs)" "" "run make images"
	mkdir -p "$out"
	cp "$kernel" "$out/Image"
	st=$(mktemp -d "${TMPDIR:-/var/tmp}/nb-lab-guest.XXXXXX")
	trap '[ -z "$st" ] || rm -rf "$st"' EXIT
	mkdir -p "$st"/root/{bin,dev,proc,sys,tmp,root,lava} "$st/overlay/nestbench"
	debugfs -R "dump /bin/busybox $st/root/bin/busybox" "$rootfs" > "$st/debugfs.log" 2>&1
	[ -s "$st/root/bin/busybox" ] || die "taking busybox out of $rootfs" "$st/debugfs.log" "run make images (the rootfs has /bin/busybox)"
	chmod 755 "$st/root/bin/busybox"
	ln -s busybox "$st/root/bin/sh"
	install -m 755 tests/lab/guest-init "$st/root/init"
	install -m 755 tests/lab/guest-window "$st/root/bin/nb-window"
	mkfs.ext4 -q -F -L lab-guest -d "$st/root" -E root_owner=0:0 "$out/rootfs.ext4" 32M > "$st/mkfs.log" 2>&1 ||
		die "mkfs.ext4 -d (the guest's disk)" "$st/mkfs.log" "check free space in $out"
	echo "the lab's overlay disk: LAVA appends its test shell here" > "$st/overlay/nestbench/README"
	tar -C "$st/overlay" -cf "$out/overlay.tar" .
	cp tests/lab/job.yaml "$out/job.yaml"
	log "guest: $kernel, busybox from $rootfs"
}

main "$@"
