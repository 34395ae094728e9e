#!/usr/bin/env bash
# tests/lab/build-root.sh: the LAVA lab's Debian 12 (bookworm) root, as a
# directory in the cache (printed on stdout), keyed by its package list and
# this script. Built with mmdebstrap into a temporary directory and renamed
# into place, so a failed build leaves nothing behind. Nothing is installed
# on the host and the host's apt sources are not touched: mmdebstrap keeps
# its own apt state inside the new root.
set -euo pipefail
LOG_TAG=lab
. "$(dirname "$0")/../../images/lib.sh"

# LAVA (server, dispatcher, coordinator, client) and its database; QEMU for
# the worker's qemu device; busybox-static and cpio for the job's ramdisk;
# procps for the teardown's checks. QEMU comes from bookworm-backports
# (10.0): Debian 12's 7.2 has no FEAT_NV2, and nestbench's per-boot jobs boot
# an L0 that runs KVM guests (docs/lab.md); the pin takes only QEMU, its
# firmware and the one library it needs from there, so LAVA stays 2023.01.
PKGS=lava-server,lava-dispatcher,lava-coordinator,lavacli,postgresql
PKGS+=,qemu-system-arm,busybox-static,cpio,procps,curl,ca-certificates
# what lava-run --validate asks of a worker driving an NV server (tftp for
# its kernel, ipmitool for its device's power commands: tests/lab/nv.sh)
PKGS+=,tftpd-hpa,ipmitool
export BPO_PIN='Package: qemu-* seabios ipxe-qemu libbrlapi0.8
Pin: release n=bookworm-backports
Pin-Priority: 990'
LAB_BUILD_TIMEOUT=${LAB_BUILD_TIMEOUT:-2400}	# seconds; loaded 2-core box: ~10 min

tmp=	# the build's temporary directory, removed on exit (a failed build leaves nothing)
mm=	# mmdebstrap's timeout(1) while it runs

# On exit, an interrupt included: mmdebstrap stopped and its mounts gone
# (/proc, /sys in the new root) before anything is removed, and rm never
# crosses into another file system. Seen: TERM to this script alone ran
# rm -rf while mmdebstrap still had the host's sysfs mounted there.
cleanup() {
	[ -z "$mm" ] || { kill -TERM "$mm" 2> /dev/null; wait "$mm" 2> /dev/null || :; }
	[ -n "$tmp" ] || return 0
	if grep -qF " $tmp/" /proc/self/mountinfo; then
		log "mounts are left under $tmp: not removing it (umount them, then rm -rf --one-file-system it)"
		return 0
	fi
	rm -rf --one-file-system "$tmp"
}

main() {
	local key dir logf
	key=$(hash_str "$PKGS" "$(cat "$0")")	# the pin is in the script
	dir=$NESTBENCH_CACHE/lab/debian-$key
	[ -f "$dir/.ok" ] && { echo "$dir"; return; }
	command -v mmdebstrap > /dev/null ||
		die "finding mmdebstrap" "" "as root: apt-get install mmdebstrap (scripts/install-deps.sh installs it)"
	[ "$(id -u)" = 0 ] || die "building the lab's root" "" "run as root (mmdebstrap --mode=root, unshare)"
	mkdir -p "$NESTBENCH_CACHE/lab" "$NESTBENCH_CACHE/logs"
	tmp=$(mktemp -d "$NESTBENCH_CACHE/lab/.tmp.XXXXXX")
	trap cleanup EXIT
	trap 'exit 143' TERM	# trapped, not fatal: the EXIT trap can wait for mmdebstrap
	trap 'exit 130' INT
	logf=$NESTBENCH_CACHE/logs/lab-debian-$key.log
	log "installing Debian 12 with $PKGS (log: $logf)"
	timeout --kill-after=30 "$LAB_BUILD_TIMEOUT" \
		mmdebstrap --mode=root --variant=apt --include="$PKGS" --format=directory \
		--aptopt='APT::Install-Recommends "false"' \
		--setup-hook='mkdir -p "$1"/etc/apt/preferences.d && printf "%s\n" "$BPO_PIN" > "$1"/etc/apt/preferences.d/nestbench-qemu' \
		--customize-hook='rm -f "$1"/etc/apt/apt.conf.d/99mmdebstrap' \
		bookworm "$tmp/x" "deb http://deb.debian.org/debian bookworm main" \
		"deb http://deb.debian.org/debian bookworm-backports main" > "$logf" 2>&1 &
	mm=$!	# in the background: a signal's trap runs at once, and stops it first
	wait "$mm" || die "mmdebstrap (the lab's Debian 12 root)" "$logf" \
		"check network access to deb.debian.org, free space in $NESTBENCH_CACHE; LAB_BUILD_TIMEOUT=${LAB_BUILD_TIMEOUT}s"
	mm=
	touch "$tmp/x/.ok"
	publish "$tmp/x" "$dir"
	rmdir "$tmp"; tmp=
	echo "$dir"
}

main "$@"
