#!/bin/bash
# PID 1 of the host-in-a-box: an arm64 Debian machine booted with
# kvm-arm.mode=nested, so /dev/kvm has KVM_CAP_ARM_EL2 and nestbench picks
# --platform host. It does what a user on arm64 NV hardware does, one host
# boot per arm (nbbox_step= on the kernel command line), logs to
# /root/box/STEP.log and to the console, and powers off.
export HOME=/root LANG=C.UTF-8 TERM=dumb
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

machine() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
	mkdir -p /dev/pts /dev/shm
	mount -t devpts devpts /dev/pts
	mount -t tmpfs tmpfs /dev/shm
	mount -t tmpfs tmpfs /run
	mount -t tmpfs tmpfs /tmp
	mount -t tracefs tracefs /sys/kernel/tracing
	mount -t debugfs debugfs /sys/kernel/debug
	mount -o remount,rw /
	hostname box
}

# reboot(2), LINUX_REBOOT_CMD_POWER_OFF: there is no init system to ask.
poweroff_now() {
	sync
	mount -o remount,ro / 2>/dev/null
	perl -e 'syscall(142, 0xfee1dead, 672274793, 0x4321fedc, 0)'
	sleep 60
}

step() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

# Boot 1, the host booted into the base arm's L0 kernel.
arm_base() {
	step "the running host kernel"; cat /proc/version
	step "the README's set-up: scripts/install-deps.sh"
	time scripts/install-deps.sh || return
	step "make"
	time make -s -j2 all || return
	step "nestbench doctor"
	build/nestbench doctor
	step "./run.sh tests/box/box.ini --arm base"
	time ./run.sh tests/box/box.ini --arm base
}

# Boot 2, the host rebooted into the patched arm's L0 kernel.
arm_patched() {
	local dir
	step "the running host kernel"; cat /proc/version
	dir=$(ls -d results/box/*/ | tail -n 1)
	step "./run.sh --resume $dir --arm patched"
	time ./run.sh --resume "${dir%/}" --arm patched
}

main() {
	local s rc
	machine
	s=$(sed -n 's/.*nbbox_step=\([a-z]*\).*/\1/p' /proc/cmdline)
	mkdir -p /root/box
	cd /root/nestbench || poweroff_now
	. /root/box/env
	case $s in
	base) arm_base ;;
	patched) arm_patched ;;
	*) echo "init: no nbbox_step= on the command line" ;;
	esac > >(tee "/root/box/$s.log") 2>&1
	rc=$?
	echo "rc=$rc" > "/root/box/$s.rc"
	sleep 1
	poweroff_now
}

main
