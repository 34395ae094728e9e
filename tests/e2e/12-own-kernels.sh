#!/usr/bin/env bash
# The user's own kernels: `KSRC=dir PATCH=file` and two revisions of one git
# tree (`KSRC=git BASE=rev PATCHED=rev`, built in a worktree in the cache),
# with a small real patch to Debian's tree; the images manifest names the
# patch and the revisions, and the patched kernel boots.
. "$(dirname "$0")/lib.sh"
plan 7
cache=${NESTBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nestbench}
src=$cache/src/linux-source-7.2
agent=$TOP/build/arm64/nbagent

# A real, harmless patch: KVM's nested ERET says where it came from in a comment.
cat > "$WORK/note.patch" <<'PATCH'
--- a/arch/arm64/kvm/fpsimd.c
+++ b/arch/arm64/kvm/fpsimd.c
@@ -1,3 +1,4 @@
+/* nestbench e2e: a user's own patch */
 // SPDX-License-Identifier: GPL-2.0
 /*
  * arch/arm64/kvm/fpsimd.c: Guest/host FPSIMD context coordination helpers
PATCH

KSRC=$src PATCH=$WORK/note.patch "$TOP/images/build-all.sh" "$agent" "$WORK/own.manifest" > "$WORK/own.log" 2>&1
rc=$?
check "make images KSRC=tree PATCH=file builds base and patched (exit $rc)" test $rc -eq 0 || diag "$WORK/own.log"
pd=$(dirname "$(sed -n 's/^kernel\.patched=//p' "$WORK/own.manifest")")
check "patched = the tree + the user's patch (manifest names it; fpsimd.c carries it)" \
	bash -c "grep -qx 'kernel.patched.patch=note.patch' '$WORK/own.manifest' && head -1 '$pd/fpsimd.c' | grep -q 'a user.s own patch'"

# The same tree as two commits of a git repository (hard links: no copy of the source).
git_tree() {
	cp -al "$src" "$WORK/linux" && cd "$WORK/linux" &&
	git init -q && git config user.email e2e@nestbench && git config user.name e2e &&
	git config gc.auto 0 && git config maintenance.auto false &&	# nothing left running in .git
	git add -A -f && git commit -qm base &&	# -f: Debian's .gitignore ignores the top level
	cp arch/arm64/kvm/fpsimd.c f.tmp && mv f.tmp arch/arm64/kvm/fpsimd.c &&	# not through the hard link
	patch -s -p1 < "$WORK/note.patch" && git commit -qam "a user's patch"
}
(git_tree) > "$WORK/git.log" 2>&1 || diag "$WORK/git.log"
KSRC=$WORK/linux BASE=HEAD~1 PATCHED=HEAD "$TOP/images/build-all.sh" "$agent" "$WORK/revs.manifest" > "$WORK/revs.log" 2>&1
rc=$?
check "make images KSRC=git BASE=rev PATCHED=rev builds both (exit $rc)" test $rc -eq 0 || diag "$WORK/revs.log"
b=$(git -C "$WORK/linux" rev-parse HEAD~1) p=$(git -C "$WORK/linux" rev-parse HEAD)
check "the images manifest names both revisions" \
	bash -c "grep -qx 'kernel.base.revision=$b' '$WORK/revs.manifest' && grep -qx 'kernel.patched.revision=$p' '$WORK/revs.manifest'"
rd=$(dirname "$(sed -n 's/^kernel\.patched=//p' "$WORK/revs.manifest")")
check "BASE..PATCHED = KSRC+PATCH: the same source identity, the same patched fpsimd.c" \
	bash -c "cmp -s '$rd/fpsimd.c' '$pd/fpsimd.c' && [ \"\$(sed -n 's/^kernel.patched.source=//p' '$WORK/revs.manifest')\" = \"\$(sed -n 's/^kernel.patched.source=//p' '$WORK/own.manifest')\" ]"

nbrun "$WORK/boot" --images "$WORK/revs.manifest" --depth 1 --kernel patched --reps 1 --counting 0 --timeout 600
rc=$?
check "the kernel built from PATCHED boots and runs fio (exit $rc)" test $rc -eq 0 || diag "$WORK/boot.log"
# the worktree belongs to this test's throw-away repository: do not let the cache grow with each run
rm -rf "$cache/worktrees/$b" "$cache/worktrees/$b..$p.patch"
rm -rf "$WORK/linux" 2>/dev/null || true	# the trap removes whatever is left

# KCONFIG=file: the user's fragment after the harness's; a missing one is named before anything builds.
KCONFIG=$WORK/missing.config "$TOP/images/build-kernel.sh" kconfig-test > "$WORK/kconfig.log" 2>&1
rc=$?
check "KCONFIG= naming a missing file fails at once and says so (exit $rc)" \
	bash -c "[ $rc -ne 0 ] && grep -q 'KCONFIG=$WORK/missing.config does not exist' '$WORK/kconfig.log' && ! ls '$cache'/kernels/kconfig-test-* >/dev/null 2>&1"
