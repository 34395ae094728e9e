#!/usr/bin/env bash
# build-all.sh AGENT [MANIFEST]
# Builds (or finds in the cache) every variant's kernel and the root
# filesystem, and writes MANIFEST (default build/images.manifest): the paths
# and versions `nestbench run` boots.
#
# Variants, by what the user gives:
#   nothing             patched = linux-source-7.2 as shipped (the seed patch
#                       is merged there), base = that + patches/revert-nv-fp-eret.patch
#   KSRC=dir PATCH=f    base = the tree, patched = the tree + PATCH
#   KSRC=git BASE=rev PATCHED=rev
#                       two commits of one git tree: base = BASE (checked out
#                       in a worktree in the cache, keyed by its tree hash),
#                       patched = BASE + `git diff BASE PATCHED`; the images
#                       manifest names both revisions
#   KERNEL_BASE=Image KERNEL_PATCHED=Image   prebuilt, used as they are
# and, with Debian's source, slow-eret = patched + patches/control/slow-nested-eret.patch:
# the positive control, a known cost per nested ERET (experiments/control.ini).
set -euo pipefail
LOG_TAG=images
. "$(dirname "$0")/lib.sh"

agent=$1
manifest=${2:-build/images.manifest}
variants=(base patched)
revs=()

prebuilt() {	# NAME IMAGE -> an artifact dir for a user's Image
	local name=$1 img=$2 key out
	[ -f "$img" ] || die "reading $name's prebuilt kernel" "" "KERNEL_${name^^}=$img does not exist"
	key=$(sha256sum < "$img" | cut -c1-16)
	out=$NESTBENCH_CACHE/kernels/$name-prebuilt-$key
	if [ ! -f "$out/Image" ]; then
		mkdir -p "$out.tmp" && cp "$img" "$out.tmp/Image"
		printf 'name=%s\nkey=%s\nsource=prebuilt %s\nrelease=unknown\nconfig_sha256=unknown\npatch=\npatch_sha256=\ncommon_patches=\nimage_sha256=%s\n' \
			"$name" "$key" "$img" "$(sha256sum < "$img" | cut -d' ' -f1)" > "$out.tmp/manifest"
		publish "$out.tmp" "$out"
	fi
	echo "$out"
}

kernels() {
	if [ -n "${KERNEL_BASE:-}${KERNEL_PATCHED:-}" ]; then
		[ -n "${KERNEL_BASE:-}" ] && [ -n "${KERNEL_PATCHED:-}" ] ||
			die "choosing kernels" "" "give both KERNEL_BASE=Image and KERNEL_PATCHED=Image"
		kbase=$(prebuilt base "$KERNEL_BASE"); kpatched=$(prebuilt patched "$KERNEL_PATCHED")
	elif [ -n "${KSRC:-}" ] && [ -n "${BASE:-}${PATCHED:-}" ]; then
		revisions
	elif [ -n "${KSRC:-}" ]; then
		[ -n "${PATCH:-}" ] || die "choosing kernels" "" "with KSRC=, give PATCH=file (patched = tree + PATCH), or BASE=rev PATCHED=rev"
		kbase=$("$IMAGES_DIR/build-kernel.sh" base)
		kpatched=$("$IMAGES_DIR/build-kernel.sh" patched "$(realpath "$PATCH")")
	else
		# patched first: base then only rebuilds fpsimd.o and relinks
		kpatched=$("$IMAGES_DIR/build-kernel.sh" patched)
		kbase=$("$IMAGES_DIR/build-kernel.sh" base "$IMAGES_DIR/patches/revert-nv-fp-eret.patch")
		kslow_eret=$("$IMAGES_DIR/build-kernel.sh" slow-eret "$IMAGES_DIR/patches/control/slow-nested-eret.patch")
		variants+=(slow-eret)
	fi
}

rev_of() {	# NAME REV -> the commit's full hash, or die naming the fix
	git -C "$KSRC" rev-parse --verify --quiet "$2^{commit}" ||
		die "finding $1=$2" "" "KSRC=$KSRC must be a git tree holding $2 (a commit, branch or tag)"
}

# Two commits of one git tree: BASE in a worktree of its own (the user's
# checkout is never touched), PATCHED as the diff on top of it.
revisions() {
	local b p wt diff
	[ -n "${BASE:-}" ] && [ -n "${PATCHED:-}" ] || die "choosing kernels" "" "give both BASE=rev and PATCHED=rev"
	b=$(rev_of BASE "$BASE"); p=$(rev_of PATCHED "$PATCHED")
	wt=$NESTBENCH_CACHE/worktrees/$b
	mkdir -p "$NESTBENCH_CACHE/worktrees"
	[ -f "$wt/Makefile" ] || git -C "$KSRC" worktree add --detach "$wt" "$b" > "$NESTBENCH_CACHE/logs/worktree-$b.log" 2>&1 ||
		die "checking out BASE=$BASE" "$NESTBENCH_CACHE/logs/worktree-$b.log" "git -C $KSRC worktree prune, then try again"
	diff=$NESTBENCH_CACHE/worktrees/$b..$p.patch
	git -C "$KSRC" diff --no-renames "$b" "$p" > "$diff.tmp" && mv "$diff.tmp" "$diff"
	[ -s "$diff" ] || die "diffing BASE..PATCHED" "" "$BASE and $PATCHED have the same tree: nothing to compare"
	kbase=$(KSRC=$wt "$IMAGES_DIR/build-kernel.sh" base)
	kpatched=$(KSRC=$wt "$IMAGES_DIR/build-kernel.sh" patched "$diff")
	revs=("base=$b" "patched=$p")
}

kdir() {	# VARIANT -> its artifact dir
	local k=k${1//-/_}
	echo "${!k}"
}

rootfs() {
	local key
	local v images=() specs=()
	for v in "${variants[@]}"; do images+=("$(kdir "$v")/Image"); specs+=("$v=$(kdir "$v")"); done
	key=$(hash_str "$(sha256sum "$agent" "${images[@]}" "$IMAGES_DIR/build-rootfs.sh" | cut -d' ' -f1)")
	rootfs_img=$NESTBENCH_CACHE/rootfs/rootfs-$key.img
	[ -f "$rootfs_img" ] && [ -f "$rootfs_img.versions" ] && return
	"$IMAGES_DIR/build-rootfs.sh" "$agent" "$rootfs_img" "${specs[@]}"
}

write_manifest() {
	local tmp=$manifest.tmp k v
	mkdir -p "$(dirname "$manifest")"
	{ echo "cache=$NESTBENCH_CACHE"
	  for v in "${variants[@]}"; do
		k=$(kdir "$v")
		echo "kernel.$v=$k/Image"
		sed "s/^/kernel.$v./" "$k/manifest"
	  done
	  for v in "${revs[@]}"; do echo "kernel.${v%%=*}.revision=${v#*=}"; done
	  echo "rootfs=$rootfs_img"
	  echo "rootfs.sha256=$(sha256sum < "$rootfs_img" | cut -d' ' -f1)"
	  sed 's/^/rootfs./' "$rootfs_img.versions"
	  echo "host.qemu=$(qemu-system-aarch64 --version | head -1)"; } > "$tmp"
	mv "$tmp" "$manifest"
}

main() {
	local t0=$(date +%s)
	[ -x "$agent" ] || die "finding the agent" "" "run make first"
	kernels
	rootfs
	write_manifest
	log "ready in $(( $(date +%s) - t0 )) s: $manifest"
}

main
