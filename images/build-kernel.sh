#!/usr/bin/env bash
# build-kernel.sh NAME [PATCH]
# Builds an arm64 Image from KSRC (default: Debian's linux-source-7.2) with
# PATCH applied (none = the tree as shipped), configured as allnoconfig +
# images/kernel.fragment. Prints the artifact directory on stdout.
#
# Cache: one build tree per (source, fragment, compiler), shared by every
# variant so that a second variant only rebuilds what its patch touches;
# one artifact directory per (tree, patch, extra patches).
set -euo pipefail
LOG_TAG=kernel
. "$(dirname "$0")/lib.sh"

name=$1 patch=${2:-}
frag=$IMAGES_DIR/kernel.fragment
# KCONFIG=file: the user's own fragment, merged after the harness's (which
# holds what every level needs: KVM, NV, virtio, tracing); part of the key
user_frag=(${KCONFIG:+"$KCONFIG"})
common=("$IMAGES_DIR"/patches/common/*.patch)
# NB_NO_COMMON=1: without the patches every variant carries (to reproduce
# what they fix, e.g. the depth-3 VNCR loop of docs/depth3.md)
[ -e "${common[0]}" ] && [ -z "${NB_NO_COMMON:-}" ] || common=()

fetch_source() {
	local dst=$NESTBENCH_CACHE/src/linux-source-7.2 tmp
	[ -f "$dst/.ok" ] && { echo "$dst"; return; }
	tmp=$(mktemp -d "$NESTBENCH_CACHE/src/.tmp.XXXXXX")
	log "fetching linux-source-7.2 (trixie-backports, private apt state)"
	"$IMAGES_DIR/fetch-deb.sh" trixie-backports amd64 "$tmp/deb" linux-source-7.2 ||
		die "fetching linux-source-7.2" "" "check network access to deb.debian.org, or pass KSRC=/path/to/linux"
	dpkg-deb --fsys-tarfile "$tmp"/deb/linux-source-7.2_*.deb | tar -x -C "$tmp" ./usr/src/linux-source-7.2.tar.xz
	tar -xJf "$tmp/usr/src/linux-source-7.2.tar.xz" -C "$tmp"
	basename "$tmp"/deb/*.deb > "$tmp/linux-source-7.2/.debversion"
	touch "$tmp/linux-source-7.2/.ok"
	publish "$tmp/linux-source-7.2" "$dst"
	rm -rf "$tmp"
	echo "$dst"
}

# A git tree with the very bytes of Debian's source: HEAD's tree is the one
# images/src-git.sh recorded for that source (.gittree) and nothing differs
# from HEAD, not even an untracked or ignored file. Then it is that source,
# and shares its build tree.
is_debian_source() {
	local deb=$NESTBENCH_CACHE/src/linux-source-7.2
	[ -f "$deb/.gittree" ] && [ -f "$deb/.debversion" ] &&
		[ "$(git -C "$1" rev-parse 'HEAD^{tree}')" = "$(cat "$deb/.gittree")" ] &&
		[ -z "$(git -C "$1" status --porcelain --ignored --untracked-files=all)" ]
}

src_identity() {
	if [ -f "$1/.debversion" ]; then cat "$1/.debversion"
	elif git -C "$1" rev-parse HEAD >/dev/null 2>&1 && is_debian_source "$1"; then
		cat "$NESTBENCH_CACHE/src/linux-source-7.2/.debversion"
	elif git -C "$1" rev-parse HEAD >/dev/null 2>&1; then
		# the tree, not the commit: two commits of one tree share a build
		echo "git tree $(git -C "$1" rev-parse 'HEAD^{tree}')"; git -C "$1" diff HEAD | sha256sum
	else make -s -C "$1" kernelversion; fi
}

# Make the work copy equal to pristine source + PATCH + common patches.
# Files a previous variant patched are copied back first; cp gives them a
# new mtime, so make rebuilds exactly what changed.
prepare_tree() {
	local work=$1 f p
	if [ ! -f "$work/.ok" ]; then
		rm -rf "$work"; mkdir -p "$work"
		# content only: a git tree's .git link would let the kernel's
		# setlocalversion read that repository's state into the release
		cp -al "$src/." "$work/" && rm -rf "$work/.git" && touch "$work/.ok"
	fi
	if [ -f "$work/.patched-files" ]; then
		while read -r f; do rm -f "$work/$f"; [ ! -f "$src/$f" ] || cp "$src/$f" "$work/$f"; done < "$work/.patched-files"	# not for a file a patch created
	fi
	: > "$work/.patched-files"
	for p in "${common[@]}" $patch; do
		grep '^+++ ' "$p" | sed 's|^+++ [^/]*/||; s|\t.*||' >> "$work/.patched-files"
		# break hard links to pristine before patch writes
		while read -r f; do [ -f "$work/$f" ] && { cp "$work/$f" "$work/$f.nb"; mv "$work/$f.nb" "$work/$f"; }; done < "$work/.patched-files"
		# dry run first: a patch that does not apply leaves the shared tree untouched
		patch -p1 -s -N --dry-run -d "$work" < "$p" > "$logf" 2>&1 ||
			die "applying $(basename "$p")" "$logf" "the patch does not apply to $(src_identity "$src" | head -1); rebase it onto that tree"
		patch -p1 -s -N -d "$work" < "$p" >> "$logf" 2>&1 ||
			die "applying $(basename "$p")" "$logf" "the patch does not apply to $(src_identity "$src" | head -1); rebase it onto that tree"
	done
}

configure() {
	local obj=$1 work=$2 want
	[ -f "$obj/.config.ok" ] && return
	mkdir -p "$obj"
	{ make -C "$work" O="$obj" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" allnoconfig &&
	  "$work/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$frag" "${user_frag[@]}" &&
	  make -C "$work" O="$obj" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" olddefconfig; } > "$logf" 2>&1 ||
		die "configuring the kernel" "$logf" "check images/kernel.fragment"
	grep -H -E '^CONFIG_[A-Z0-9_]+=' "$frag" "${user_frag[@]}" | while IFS=: read -r from want; do
		grep -qx "$want" "$obj/.config" || die "configuring the kernel" "" "$want from $(basename "$from") did not stick (a dependency is missing); fix the fragment"
	done
	touch "$obj/.config.ok"
}

main() {
	local cc tree_key key out tmp t0
	mkdir -p "$NESTBENCH_CACHE"/{src,kbuild,kernels,logs}
	src=${KSRC:-$(fetch_source)}
	[ -f "$src/Makefile" ] || die "finding the kernel source" "" "KSRC=$src is not a kernel tree"
	[ -z "$patch" ] || [ -f "$patch" ] || die "reading the patch" "" "$patch does not exist"
	if [ -n "${KCONFIG:-}" ]; then
		[ -f "$KCONFIG" ] || die "reading KCONFIG" "" "KCONFIG=$KCONFIG does not exist: give a config fragment (CONFIG_X=y lines)"
		user_frag=("$(realpath "$KCONFIG")")
	fi
	cc=$("${CROSS_COMPILE}gcc" --version | head -1) ||
		die "finding the cross compiler" "" "install gcc-aarch64-linux-gnu or set CROSS_COMPILE"
	tree_key=$(hash_str "$(src_identity "$src")" "$(cat "$frag" "${user_frag[@]}")" "$cc")
	key=$(hash_str "$tree_key" "$(cat ${patch:-/dev/null} "${common[@]}" /dev/null)")
	out=$NESTBENCH_CACHE/kernels/$name-$key
	[ -f "$out/Image" ] && { echo "$out"; return; }
	logf=$NESTBENCH_CACHE/logs/kernel-$name-$key.log
	log "building $name ($key); log: $logf"
	t0=$(date +%s)
	local kb=$NESTBENCH_CACHE/kbuild/$tree_key
	mkdir -p "$kb"
	exec 9> "$kb/.lock"	# variants share this tree: one build at a time
	flock 9
	[ -f "$out/Image" ] && { echo "$out"; return; }	# built while we waited
	prepare_tree "$kb/src"
	configure "$kb/obj" "$kb/src"
	make -C "$kb/src" O="$kb/obj" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" -j"$JOBS" Image >> "$logf" 2>&1 ||
		die "building the kernel ($name)" "$logf" "read the compiler error above; a failed build leaves nothing in the cache"
	tmp=$(mktemp -d "$NESTBENCH_CACHE/kernels/.tmp.XXXXXX")
	cp "$kb/obj/arch/arm64/boot/Image" "$kb/obj/.config" "$tmp/"
	cp "$kb/obj/include/config/kernel.release" "$tmp/release"
	cp "$kb/src/arch/arm64/kvm/fpsimd.c" "$tmp/fpsimd.c"
	{ echo "name=$name"; echo "key=$key"; echo "tree_key=$tree_key"
	  echo "source=$(src_identity "$src" | head -1)"
	  echo "release=$(cat "$tmp/release")"
	  echo "config_sha256=$(sha256sum < "$tmp/.config" | cut -d' ' -f1)"
	  echo "patch=${patch:+$(basename "$patch")}"
	  echo "patch_sha256=$(cat ${patch:-/dev/null} | sha256sum | cut -d' ' -f1)"
	  echo "common_patches=$(for c in "${common[@]}"; do printf '%s@%s ' "$(basename "$c")" "$(sha256sum < "$c" | cut -c1-16)"; done)"
	  echo "image_sha256=$(sha256sum < "$tmp/Image" | cut -d' ' -f1)"
	  echo "compiler=$cc"; echo "build_seconds=$(( $(date +%s) - t0 ))"; } > "$tmp/manifest"
	publish "$tmp" "$out"
	log "built $name in $(( $(date +%s) - t0 )) s"
	echo "$out"
}

main
