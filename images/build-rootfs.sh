#!/usr/bin/env bash
# build-rootfs.sh AGENT OUT.img NAME=KERNELDIR...
# The one read-only ext4 root filesystem every level boots: arm64 Debian
# userland (QEMU >= 10.1 from trixie-backports, fio, hackbench from
# rt-tests, trace-cmd, perf from linux-perf, busybox),
# pruned to the ELF closure of what runs, plus the agent as /sbin/nbagent and
# each variant's kernel as /kernels/NAME/Image. No loop mounts, no emulation:
# mmdebstrap only extracts, mkfs.ext4 -d fills the image.
set -euo pipefail
LOG_TAG=rootfs
. "$(dirname "$0")/lib.sh"

agent=$1 out=$2; shift 2
PKGS=qemu-system-arm,fio,busybox-static,trace-cmd,rt-tests,linux-perf
BINS=(usr/bin/qemu-system-aarch64 usr/bin/fio usr/bin/trace-cmd usr/bin/hackbench usr/bin/perf)
READELF=${CROSS_COMPILE}readelf

# Cached by package list: the extract is the slow, network-bound step.
extract() {
	local key dir tmp
	key=$(hash_str "$PKGS" "$(cat "$0")")
	dir=$NESTBENCH_CACHE/rootfs/extract-$key
	[ -f "$dir/.ok" ] && { echo "$dir"; return; }
	mkdir -p "$NESTBENCH_CACHE/rootfs"
	tmp=$(mktemp -d "$NESTBENCH_CACHE/rootfs/.tmp.XXXXXX")
	logf=$NESTBENCH_CACHE/logs/rootfs-extract-$key.log
	log "extracting arm64 $PKGS from trixie-backports (log: $logf)"
	mmdebstrap --variant=extract --arch=arm64 --include="$PKGS" --format=directory \
		--aptopt='APT::Default-Release "trixie-backports"' --skip=cleanup/apt/cache \
		trixie "$tmp/x" "deb http://deb.debian.org/debian trixie main" \
		"deb http://deb.debian.org/debian trixie-backports main" > "$logf" 2>&1 ||
		die "mmdebstrap (arm64 userland)" "$logf" "check network access to deb.debian.org; run scripts/install-deps.sh"
	ls "$tmp/x/var/cache/apt/archives" | grep '\.deb$' > "$tmp/x/.nb-debs"
	rm -rf "$tmp/x/var/cache/apt/archives"
	touch "$tmp/x/.ok"
	publish "$tmp/x" "$dir"; rmdir "$tmp"
	echo "$dir"
}

# Where the dynamic linker would find SONAME inside the extract.
find_lib() {
	local d
	for d in usr/lib/aarch64-linux-gnu lib/aarch64-linux-gnu usr/lib; do
		[ -e "$ex/$d/$1" ] && { echo "$d/$1"; return; }
	done
	# libraries found through a RUNPATH (e.g. .../ceph/libceph-common.so.2)
	d=$(cd "$ex" && find usr/lib -name "$1" | head -n 1)
	[ -n "$d" ] && echo "$d"
}

needed() { "$READELF" -d "$ex/$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

# Copy FILE and, recursively, the libraries it needs.
copy_closure() {
	local f=$1 lib p
	[ -e "$stage/$f" ] && return
	mkdir -p "$stage/$(dirname "$f")"
	cp -L "$ex/$f" "$stage/$f"
	for lib in $(needed "$f"); do
		p=$(find_lib "$lib") || die "pruning the rootfs" "" "$f needs $lib, not found in the extract"
		copy_closure "$p"
	done
}

assemble() {
	local b spec name kdir
	mkdir -p "$stage"/{proc,sys,dev,run,tmp,mnt,sbin,bin,kernels,usr/lib/aarch64-linux-gnu}
	copy_closure usr/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1
	ln -s usr/lib "$stage/lib"
	ln -s aarch64-linux-gnu/ld-linux-aarch64.so.1 "$stage/usr/lib/ld-linux-aarch64.so.1"
	for b in "${BINS[@]}"; do copy_closure "$b"; done
	cp "$ex/usr/bin/busybox" "$stage/bin/busybox"
	ln -s busybox "$stage/bin/sh"
	install -m 0755 "$agent" "$stage/sbin/nbagent"
	for spec in "${kernels[@]}"; do
		name=${spec%%=*} kdir=${spec#*=}
		mkdir -p "$stage/kernels/$name"
		cp "$kdir/Image" "$stage/kernels/$name/Image"
	done
	cp "$ex/.nb-debs" "$stage/debs.txt"
}

deb_version() { sed -n "s/^$1_\([^_]*\)_.*/\1/p" "$ex/.nb-debs" | sed 's/%3a/:/'; }

main() {
	local tmpimg mb
	kernels=("$@")
	[ -x "$agent" ] || die "finding the agent" "" "build it first: make"
	ex=$(extract)
	stage=$(mktemp -d "$NESTBENCH_CACHE/rootfs/.stage.XXXXXX")
	trap 'rm -rf "$stage"' EXIT
	assemble
	mb=$(( $(du -sm "$stage" | cut -f1) * 110 / 100 + 32 ))
	tmpimg=$out.tmp.$$
	logf=$NESTBENCH_CACHE/logs/rootfs-mkfs.log
	mkfs.ext4 -q -F -L nestbench -d "$stage" -E root_owner=0:0 "$tmpimg" "${mb}M" > "$logf" 2>&1 ||
		{ rm -f "$tmpimg"; die "mkfs.ext4 -d" "$logf" "check free space in $(dirname "$out")"; }
	mv "$tmpimg" "$out"
	{ echo "rootfs_mb=$mb"
	  echo "qemu_guest=$(deb_version qemu-system-arm)"
	  echo "fio=$(deb_version fio)"
	  echo "trace_cmd=$(deb_version trace-cmd)"
	  echo "perf=$(deb_version linux-perf)"
	  echo "busybox=$(deb_version busybox-static)"
	  # the workloads this root filesystem can run (workloads/table.c: rootfs_key)
	  echo "hackbench=rt-tests $(deb_version rt-tests)"
	  echo "micro=nbagent micro"; } > "$out.versions"
	log "rootfs $out: ${mb} MB"
}

main "$@"
