#!/bin/bash
# PID 1 of the host-in-a-box: an arm64 Debian machine booted with
# kvm-arm.mode=nested, so /dev/kvm has KVM_CAP_ARM_EL2 and nestbench picks
# --platform host. It does what a user on arm64 NV hardware does, one host
# boot per arm (nbbox_step= on the kernel command line), logs to
# /root/box/STEP.log and to the console, and powers off.
export HOME=/root LANG=C.UTF-8 TERM=dumb
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# mount(2) by its arm64 number: mmdebstrap's apt variant installs the
# Essential packages only, and mount(8) is not one (perl is, for Debian).
sys_mount() {	# SOURCE TARGET TYPE FLAGS
	perl -e 'syscall(40, $ARGV[0], $ARGV[1], $ARGV[2], $ARGV[3] + 0, 0) == 0 or die "mount $ARGV[1]: $!\n"' "$@"
}

machine() {
	sys_mount proc /proc proc 0
	sys_mount sysfs /sys sysfs 0
	[ -e /dev/null ] || sys_mount devtmpfs /dev devtmpfs 0
	ln -sf /proc/self/fd /dev/fd
	mkdir -p /dev/pts /dev/shm
	sys_mount devpts /dev/pts devpts 0
	sys_mount tmpfs /dev/shm tmpfs 0
	sys_mount tmpfs /run tmpfs 0
	sys_mount tmpfs /tmp tmpfs 0
	sys_mount tracefs /sys/kernel/tracing tracefs 0
	sys_mount debugfs /sys/kernel/debug debugfs 0
	sys_mount "" / "" 32	# MS_REMOUNT: read-write
	echo box > /proc/sys/kernel/hostname
	# no RTC driver in the Image: the real time comes on the command line
	local t
	t=$(sed -n 's/.*nbbox_epoch=\([0-9]*\).*/\1/p' /proc/cmdline)
	[ -n "$t" ] && date -u -s "@$t" > /dev/null
}

# reboot(2), LINUX_REBOOT_CMD_POWER_OFF: there is no init system to ask.
poweroff_now() {
	sync
	sys_mount "" / "" 33 2>/dev/null	# MS_REMOUNT | MS_RDONLY
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
	step "nestbench doctor (the images are built now)"
	build/nestbench doctor
	step "./run.sh --resume $dir --arm patched"
	time ./run.sh --resume "${dir%/}" --arm patched
}

# nbbox_step=smoke: is this a machine nestbench can use (tests/box/run.sh --smoke)?
smoke() {
	step "the running host kernel"; cat /proc/version
	step "KVM"; ls -l /dev/kvm; dmesg | grep -i 'kvm \[' | head -n 3
	step "tools"; qemu-system-aarch64 --version | head -n 1; gcc --version | head -n 1; perf --version
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
	smoke) smoke ;;
	*) echo "init: no nbbox_step= on the command line" ;;
	esac > >(tee "/root/box/$s.log") 2>&1
	rc=$?
	echo "rc=$rc" > "/root/box/$s.rc"
	sleep 1
	poweroff_now
}

main
