#!/usr/bin/env bash
# tests/box/build-disk.sh: the arm64 Debian userland of the host-in-a-box,
# as a directory in the cache (printed on stdout), keyed by its package list.
# What a user of an arm64 NV machine has after installing nestbench's
# dependencies: Debian trixie with QEMU >= 10.1 from trixie-backports (a
# nested guest under KVM needs it). Installed with mmdebstrap on this host,
# the maintainer scripts run through qemu-user (binfmt_misc): the box has no
# network (its kernel is the Image under test, built without IP).
set -euo pipefail
LOG_TAG=box
. "$(dirname "$0")/../../images/lib.sh"

# scripts/install-deps.sh's arm64 list, plus what an init needs to be a machine.
PKGS=build-essential,pkg-config,git,ca-certificates,libcmocka-dev,libgsl-dev,libcsv-dev
PKGS+=,libjson-c-dev,libinih-dev,libtracefs-dev,libtraceevent-dev,libtracecmd-dev,trace-cmd
PKGS+=,gnuplot-nox,zlib1g-dev,flex,bison,bc,libssl-dev,libelf-dev,cpio,xz-utils,kmod
PKGS+=,mmdebstrap,e2fsprogs,debian-archive-keyring,fio,qemu-system-arm,linux-perf,procps

binfmt_ready() {
	[ "$(cat /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null | head -n 1)" = enabled ]
}

# mmdebstrap runs arm64 maintainer scripts on this x86 host through qemu-user.
need_foreign() {
	local n
	n=$(dpkg-query -W -f='${Status}\n' qemu-user-static binfmt-support arch-test 2>/dev/null | grep -c 'ok installed' || true)
	if [ "$n" != 3 ]; then
		[ "$(id -u)" = 0 ] || die "arm64 maintainer scripts through qemu-user" "" \
			"as root: apt-get install qemu-user-static binfmt-support arch-test"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			qemu-user-static binfmt-support arch-test >&2
	fi
	binfmt_ready && return 0
	[ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc ||
		die "mounting binfmt_misc" "" "run on a machine (or a privileged container) that may mount binfmt_misc"
	update-binfmts --enable qemu-aarch64 >&2 || true
	binfmt_ready || die "registering qemu-aarch64 with binfmt_misc" "" \
		"apt-get install qemu-user-static binfmt-support; update-binfmts --enable qemu-aarch64"
}

main() {
	local key dir tmp logf
	key=$(hash_str "$PKGS" "$(cat "$0")")
	dir=$NESTBENCH_CACHE/box/debian-$key
	[ -f "$dir/.ok" ] && { echo "$dir"; return; }
	need_foreign
	mkdir -p "$NESTBENCH_CACHE/box" "$NESTBENCH_CACHE/logs"
	tmp=$(mktemp -d "$NESTBENCH_CACHE/box/.tmp.XXXXXX")
	logf=$NESTBENCH_CACHE/logs/box-debian-$key.log
	log "installing arm64 Debian trixie with $PKGS (log: $logf)"
	mmdebstrap --mode=root --variant=apt --arch=arm64 --include="$PKGS" --format=directory \
		--aptopt='APT::Install-Recommends "false"' \
		--aptopt='APT::Default-Release "trixie-backports"' \
		trixie "$tmp/x" "deb http://deb.debian.org/debian trixie main" \
		"deb http://deb.debian.org/debian trixie-backports main" > "$logf" 2>&1 ||
		die "mmdebstrap (the box's arm64 Debian)" "$logf" "check network access to deb.debian.org"
	touch "$tmp/x/.ok"
	publish "$tmp/x" "$dir"; rmdir "$tmp"
	echo "$dir"
}

main "$@"
