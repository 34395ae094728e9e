#!/usr/bin/env bash
# Images: both kernels and the rootfs exist, differ exactly by the patch,
# a repeat build is a no-op, and each kernel comes up as an emulated L0 with
# KVM in nested (VHE+NV2) mode.
. "$(dirname "$0")/lib.sh"
plan 10

kdir() { dirname "$(sed -n "s/^kernel\.$1=//p" "$IMAGES")"; }
check "images manifest names both kernels and the rootfs" \
	test -f "$(kdir base)/Image" -a -f "$(kdir patched)/Image" -a -f "$(sed -n 's/^rootfs=//p' "$IMAGES")"

cp "$(kdir patched)/fpsimd.c" "$WORK/fpsimd.c"
patch -s "$WORK/fpsimd.c" < "$TOP/images/patches/revert-nv-fp-eret.patch"
check "base = patched minus exactly the nested early returns in fpsimd.c" \
	cmp -s "$WORK/fpsimd.c" "$(kdir base)/fpsimd.c"
check "the two kernels differ" bash -c "! cmp -s '$(kdir base)/Image' '$(kdir patched)/Image'"
# the positive control: patched + a known cost per nested ERET, nothing else
check "slow-eret (positive control) = patched + the control patch: same fpsimd.c, another Image" \
	bash -c "cmp -s '$(kdir patched)/fpsimd.c' '$(kdir slow-eret)/fpsimd.c' && ! cmp -s '$(kdir patched)/Image' '$(kdir slow-eret)/Image' &&
		 grep -qx 'patch=slow-nested-eret.patch' '$(kdir slow-eret)/manifest'"
check "the images manifest names the three variants: base, patched, slow-eret" \
	test "$(sed -n 's/^kernel\.\([a-z-]*\)=.*/\1/p' "$IMAGES" | sort | tr '\n' ' ')" = "base patched slow-eret "

# what every level reads from its parent's disk: 187 MB before perf, whose
# closure (perf, libpython3.13, libslang, libstdc++, libdw: ~20 MB) it now holds
mb=$(sed -n 's/^rootfs.rootfs_mb=//p' "$IMAGES")
check "rootfs is ${mb} MB (<= 230)" test "$mb" -le 230

before=$(stat -c %Y "$(kdir base)/Image" "$(kdir patched)/Image" "$(sed -n 's/^rootfs=//p' "$IMAGES")")
(cd "$TOP" && make -s images) > "$WORK/again.log" 2>&1
after=$(stat -c %Y "$(kdir base)/Image" "$(kdir patched)/Image" "$(sed -n 's/^rootfs=//p' "$IMAGES")")
if [ "$before" = "$after" ] && ! grep -q 'building\|extracting' "$WORK/again.log"; then
	ok "a repeat 'make images' rebuilds nothing"
else
	not_ok "a repeat 'make images' rebuilds nothing"; diag "$WORK/again.log"
fi

printf -- '--- a/Makefile\n+++ b/Makefile\n@@ -1,1 +1,1 @@\n-NOT IN THE TREE\n+x\n' > "$WORK/bogus.patch"
"$TOP/images/build-kernel.sh" bogus "$WORK/bogus.patch" > "$WORK/bogus.log" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q 'applying bogus.patch failed' "$WORK/bogus.log" && grep -q 'fix: ' "$WORK/bogus.log" &&
   ! ls -d "${NESTBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nestbench}"/kernels/bogus-* > /dev/null 2>&1; then
	ok "a patch that does not apply stops with the step, the log and the fix, and caches nothing"
else
	not_ok "a patch that does not apply stops with the step, the log and the fix, and caches nothing"; diag "$WORK/bogus.log"
fi

for k in base patched; do
	nbrun "$WORK/$k" --depth 1 --kernel "$k" --reps 1 --counting 0 --timeout 600
	if grep -A3 '^[0-9.]* L0 hello' "$WORK/$k/raw/boot-1/frames.log" | grep -q 'kvm_nv2=1'; then
		ok "$k kernel boots as emulated L0 with KVM in VHE+NV2 mode"
	else
		not_ok "$k kernel boots as emulated L0 with KVM in VHE+NV2 mode"; diag "$WORK/$k.log"
	fi
done
