#!/usr/bin/env bash
# Install what nestbench needs on a Debian 12 (bookworm) or 13 (trixie)
# x86_64 or arm64 host. Idempotent: prints what it installs, does nothing
# when all is present. Foreign suites are never added to the host's apt:
# images/ fetches from trixie(-backports) through a private apt state or
# mmdebstrap. Only the host's own release's backports are added, for QEMU:
#   x86_64: >= 9 (FEAT_NV2 under TCG; bookworm-backports has 10.0)
#   arm64:  >= 10.1 (a nested guest under KVM; trixie-backports, as the
#           guests' own QEMU; bookworm-backports' 10.0 is too old)
set -euo pipefail

HOST_PKGS=(
	build-essential pkg-config git ca-certificates
	libcmocka-dev libgsl-dev libcsv-dev libjson-c-dev libinih-dev libcurl4-openssl-dev
	libtracefs-dev libtraceevent-dev libtracecmd-dev trace-cmd gnuplot-nox zlib1g-dev
	flex bison bc libssl-dev libelf-dev cpio xz-utils kmod
	mmdebstrap e2fsprogs debian-archive-keyring fio
)
BPO_PKGS=(qemu-system-arm)
# x86_64 only: the arm64 cross toolchain (an arm64 host builds natively)
CROSS_PKGS=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu)
# arm64 static libraries for the in-guest agent (same release, multiarch)
ARM64_PKGS=(libtracefs-dev:arm64 libtraceevent-dev:arm64 libc6-dev:arm64 zlib1g-dev:arm64)
# `make fuzz` only (--fuzz): libFuzzer, ASan and UBSan runtimes
FUZZ_PKGS=(clang-14 libclang-rt-14-dev)

log() { printf 'install-deps: %s\n' "$*" >&2; }

need_root() {
	if [ "$(id -u)" != 0 ]; then
		log "must run as root to install: $*"
		log "fix: run 'sudo $0' once, then retry"
		exit 1
	fi
}

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed' || printf '%s\n' "$p"
	done
}

# The QEMU the platform needs: MAJOR*100+MINOR
qemu_needed() { [ "$(dpkg --print-architecture)" = arm64 ] && echo 1001 || echo 900; }

qemu_new_enough() {
	command -v qemu-system-aarch64 >/dev/null || return 1
	local v
	v=$(qemu-system-aarch64 --version | sed -n 's/.*version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p;q')
	set -- $v
	[ $(( ${1:-0} * 100 + ${2:-0} )) -ge "$(qemu_needed)" ]
}

codename() { . /etc/os-release && echo "${VERSION_CODENAME:-bookworm}"; }

add_backports() {
	local c f
	c=$(codename)
	f=/etc/apt/sources.list.d/nestbench-$c-backports.list
	[ -f "$f" ] && return 0
	log "adding $c-backports (same release; pinned low by default) in $f"
	echo "deb http://deb.debian.org/debian $c-backports main" > "$f"
	APT_UPDATED=
}

apt_update_once() {
	[ -n "${APT_UPDATED:-}" ] && return 0
	apt-get update -qq
	APT_UPDATED=1
}

fuzz_deps() {
	local miss
	miss=$(echo $(missing "${FUZZ_PKGS[@]}"))
	[ -z "$miss" ] && return 0
	need_root $miss
	apt_update_once
	log "installing: $miss"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $miss >&2
}

main() {
	local arch miss
	if [ "${1:-}" = --fuzz ]; then
		fuzz_deps
		return
	fi
	if [ "${1:-}" = --check ]; then
		arch=$(dpkg --print-architecture)
		miss=$(missing "${HOST_PKGS[@]}")
		[ "$arch" = arm64 ] || miss="$miss $(missing "${CROSS_PKGS[@]}")"
		[ -z "$(echo $miss)" ] && qemu_new_enough
		return
	fi
	arch=$(dpkg --print-architecture)
	miss=$(missing "${HOST_PKGS[@]}")
	[ "$arch" = arm64 ] || miss="$miss $(missing "${CROSS_PKGS[@]}" "${ARM64_PKGS[@]}")"
	miss=$(echo $miss)
	if [ -z "$miss" ] && qemu_new_enough; then
		return 0
	fi
	need_root $miss qemu-system-arm
	APT_UPDATED=
	if [ "$arch" != arm64 ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
		log "enabling the arm64 architecture for the agent's static libraries"
		dpkg --add-architecture arm64
	fi
	if ! qemu_new_enough; then
		add_backports
	fi
	apt_update_once
	if [ -n "$miss" ]; then
		log "installing: $(echo $miss)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $miss >&2
	fi
	if ! qemu_new_enough; then
		log "installing: ${BPO_PKGS[*]} from $(codename)-backports"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			-t "$(codename)-backports" "${BPO_PKGS[@]}" >&2
	fi
	if ! qemu_new_enough; then
		log "qemu-system-aarch64 is still older than this platform needs (x86_64: 9.0, arm64: 10.1)"
		log "fix: on arm64 use Debian 13 (trixie): trixie-backports has QEMU >= 10.1"
		exit 1
	fi
}

main "$@"
