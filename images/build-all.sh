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
#   SERIES=DIR          a patch series, DIR/*.patch in name order, on Debian's
#                       source or KSRC=dir: one kernel per prefix, s0 = the
#                       source, sK = the source + the first K patches
#   KSRC=git SERIES=A..B
#                       the commits of A..B, oldest first: s0 = A (in a
#                       worktree, as BASE=), sK = A + `git diff A` its K-th
#                       commit; the manifest names each commit
# and, with Debian's source and no SERIES, slow-eret = patched + patches/control/slow-nested-eret.patch:
# the positive control, a known cost per nested ERET (experiments/control.ini).
# A series' kernels are built in the one cached tree, each rebuilding only
# what its prefix changes, and the manifest names each patch's subject
# (kernel.sK.subject), for an experiment's `series = s0..sN`.
set -euo pipefail
LOG_TAG=images
. "$(dirname "$0")/lib.sh"

agent=$1
manifest=${2:-build/images.manifest}
variants=(base patched)
revs=()
extra=()	# "NAME.KEY=VALUE": more kernel.NAME.KEY lines (a series' subjects)
SERIES_MAX=7	# 8 kernels: an experiment's variants at most (bench/experiment.h)

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
	if [ -n "${SERIES:-}" ]; then
		series
	elif [ -n "${KERNEL_BASE:-}${KERNEL_PATCHED:-}" ]; then
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

# COMMIT WHAT -> the commit checked out in a worktree of the cache (the
# user's checkout is never touched), keyed by the commit.
worktree() {
	local wt=$NESTBENCH_CACHE/worktrees/$1
	mkdir -p "$NESTBENCH_CACHE/worktrees"
	[ -f "$wt/Makefile" ] || git -C "$KSRC" worktree add --detach "$wt" "$1" > "$NESTBENCH_CACHE/logs/worktree-$1.log" 2>&1 ||
		die "checking out $2" "$NESTBENCH_CACHE/logs/worktree-$1.log" "git -C $KSRC worktree prune, then try again"
	echo "$wt"
}

# Two commits of one git tree: BASE in a worktree of its own, PATCHED as the
# diff on top of it.
revisions() {
	local b p wt diff
	[ -n "${BASE:-}" ] && [ -n "${PATCHED:-}" ] || die "choosing kernels" "" "give both BASE=rev and PATCHED=rev"
	b=$(rev_of BASE "$BASE"); p=$(rev_of PATCHED "$PATCHED")
	wt=$(worktree "$b" "BASE=$BASE")
	diff=$NESTBENCH_CACHE/worktrees/$b..$p.patch
	git -C "$KSRC" diff --no-renames "$b" "$p" > "$diff.tmp" && mv "$diff.tmp" "$diff"
	[ -s "$diff" ] || die "diffing BASE..PATCHED" "" "$BASE and $PATCHED have the same tree: nothing to compare"
	kbase=$(KSRC=$wt "$IMAGES_DIR/build-kernel.sh" base)
	kpatched=$(KSRC=$wt "$IMAGES_DIR/build-kernel.sh" patched "$diff")
	revs=("base=$b" "patched=$p")
}

# A patch's subject for the report: its mail Subject: without "[PATCH n/m]",
# else its file name; printable, one line, 200 bytes at most.
subject_of() {
	local s
	s=$(sed -n '/^Subject: /{s/^Subject: *//; s/^\[[^]]*\] *//; p; q}' "$1")
	[ -n "$s" ] || s=$(basename "$1")
	printf '%s' "$s" | printable
}

printable() { head -n 1 | tr -d '\n' | tr -c '[:print:]' '?' | cut -c1-200; }

# The files PATCH... touch, relative to the tree (-p1), each once.
touched() {
	sed -n 's|^+++ [^/]*/||p; s|^--- [^/]*/||p' "$@" | sed 's|\t.*||' | grep -vx 'dev/null' | LC_ALL=C sort -u
}

# prefix_diffs SRC OUT PATCH...: OUT/sK.patch = the first K patches as one
# diff against SRC, each file once (GNU patch cannot dry-run a file that
# two concatenated patches change, and build-kernel.sh dry-runs first).
# Applied one by one on a copy of the files they touch, so the patch that
# does not apply is named with its place in the series.
prefix_diffs() {
	local src=$1 out=$2 k=0 p f rc logf=$NESTBENCH_CACHE/logs/series-apply.log
	shift 2
	mkdir -p "$out/a" "$out/b"
	while read -r f; do
		[ -f "$src/$f" ] || continue	# created by the series
		mkdir -p "$out/a/$(dirname "$f")" "$out/b/$(dirname "$f")"
		cp "$src/$f" "$out/a/$f"; cp "$src/$f" "$out/b/$f"
	done < <(touched "$@")
	for p in "$@"; do
		k=$((k + 1))
		patch -p1 -s -N --no-backup-if-mismatch -d "$out/b" < "$p" > "$logf" 2>&1 ||
			die "applying patch $k of the series ($(basename "$p"))" "$logf" \
				"it does not apply to $src with the $((k - 1)) patch(es) before it; rebase the series onto that tree"
		rc=0
		while read -r f; do
			diff -uN --label "a/$f" --label "b/$f" "$out/a/$f" "$out/b/$f" || rc=$?
			[ $rc -le 1 ] || break
		done < <(touched "${@:1:k}") > "$out/s$k.patch"
		[ $rc -le 1 ] || die "diffing patch $k of the series" "" "check free space in $NESTBENCH_CACHE"
		[ $k = 1 ] || ! cmp -s "$out/s$k.patch" "$out/s$((k - 1)).patch" && [ -s "$out/s$k.patch" ] ||
			die "reading patch $k of the series ($(basename "$p"))" "" "it changes nothing on top of the patches before it: drop it from the series"
	done
}

# SERIES=DIR: s0 = the source (Debian's, fetched by building s0, or KSRC=dir).
series_dir() {
	local dir=$1 src out p k=0 n patches
	patches=()
	while IFS= read -r p; do patches+=("$p"); done < <(LC_ALL=C ls -d "$dir"/*.patch 2>/dev/null)
	n=${#patches[@]}
	[ "$n" -ge 1 ] || die "reading SERIES=$dir" "" "$dir holds no *.patch file: put the series there, one patch a file in order (git format-patch -o $dir A..B)"
	[ "$n" -le $SERIES_MAX ] || die "reading SERIES=$dir" "" "$n patches: at most $SERIES_MAX in one series ($((SERIES_MAX + 1)) kernels, an experiment's variants); split the series"
	ks0=$("$IMAGES_DIR/build-kernel.sh" s0)
	src=${KSRC:-$NESTBENCH_CACHE/src/linux-source-7.2}	# where build-kernel.sh put Debian's
	out=$NESTBENCH_CACHE/series/$(hash_str "$src" "$(cat "${patches[@]}")")
	rm -rf "$out.tmp"; mkdir -p "$out.tmp"
	prefix_diffs "$src" "$out.tmp" "${patches[@]}"
	rm -rf "$out.tmp/a" "$out.tmp/b"
	publish "$out.tmp" "$out"
	for p in "${patches[@]}"; do
		k=$((k + 1))
		series_kernel "$k" "$out/s$k.patch" "$(subject_of "$p")"
	done
}

# KSRC=git SERIES=A..B: s0 = A, sK = A + the diff to the K-th commit of A..B.
series_git() {
	local range=$1 a b wt c k=0 out commits
	case $range in *..*) ;; *) die "reading SERIES=$range" "" "give SERIES=DIR (a directory of patches) or, with KSRC=git tree, SERIES=A..B";; esac
	a=$(rev_of SERIES "${range%%..*}"); b=$(rev_of SERIES "${range#*..}")
	[ -z "$(git -C "$KSRC" rev-list --merges "$a..$b")" ] ||
		die "reading SERIES=$range" "" "the range holds merge commits: give a linear series (rebase it)"
	commits=($(git -C "$KSRC" rev-list --reverse "$a..$b"))
	[ ${#commits[@]} -ge 1 ] || die "reading SERIES=$range" "" "no commit in $range: A..B means the commits of B that A lacks"
	[ ${#commits[@]} -le $SERIES_MAX ] || die "reading SERIES=$range" "" "${#commits[@]} commits: at most $SERIES_MAX in one series; split the range"
	wt=$(worktree "$a" "SERIES=$range's base")
	out=$NESTBENCH_CACHE/series/$a..$b
	mkdir -p "$out"
	ks0=$(KSRC=$wt "$IMAGES_DIR/build-kernel.sh" s0)
	revs+=("s0=$a")
	for c in "${commits[@]}"; do
		k=$((k + 1))
		git -C "$KSRC" diff --no-renames "$a" "$c" > "$out/s$k.patch.tmp" && mv "$out/s$k.patch.tmp" "$out/s$k.patch"
		[ -s "$out/s$k.patch" ] || die "diffing commit $k of $range" "" "$c has the tree of $a: nothing to build"
		revs+=("s$k=$c")
		series_kernel "$k" "$out/s$k.patch" "$(git -C "$KSRC" log -1 --format=%s "$c" | printable)" "$wt"
	done
}

series_kernel() {	# K PREFIX_PATCH SUBJECT [TREE]: kernel sK, of TREE (default KSRC or Debian's)
	local d
	d=$(KSRC=${4:-${KSRC:-}} "$IMAGES_DIR/build-kernel.sh" "s$1" "$2")
	printf -v "ks$1" '%s' "$d"
	variants+=("s$1")
	extra+=("s$1.subject=$3")
}

series() {
	[ -z "${KERNEL_BASE:-}${KERNEL_PATCHED:-}${PATCH:-}${BASE:-}${PATCHED:-}" ] ||
		die "choosing kernels" "" "SERIES= builds one kernel per prefix of the series: drop KERNEL_*, PATCH=, BASE= and PATCHED="
	variants=(s0)
	if [ -d "$SERIES" ]; then
		series_dir "$(realpath "$SERIES")"
	elif [ -n "${KSRC:-}" ] && git -C "$KSRC" rev-parse --git-dir > /dev/null 2>&1; then
		series_git "$SERIES"
	else
		die "reading SERIES=$SERIES" "" "give SERIES=DIR (a directory of *.patch files) or KSRC=git-tree SERIES=A..B"
	fi
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
	  for v in "${extra[@]}"; do echo "kernel.$v"; done
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
