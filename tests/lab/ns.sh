#!/usr/bin/env bash
# tests/lab/ns.sh ROOT WORK LOGS: PID 1 of the lab, run by run.sh under
#   unshare --mount --pid --net --fork --propagation private
# It stacks a writable overlay (WORK/upper) on the cached Debian root (ROOT
# is never written), gives it its own /proc, /sys, /dev, /run and /tmp,
# binds WORK/lab at /lab and LOGS at /lab/log, brings loopback up (the only interface: every
# service listens there), then becomes a reaper in the chroot. When this
# process exits the kernel kills everything left in the PID namespace and
# the mounts vanish with the mount namespace.
set -euo pipefail
root=$1 work=$2 logs=$3
m=$work/merged

dev_node() {	# NAME: the host's device node, bound into the lab's /dev
	touch "$m/dev/$1"
	mount --bind "/dev/$1" "$m/dev/$1"
}

mounts() {
	mount -t overlay overlay -o "lowerdir=$root,upperdir=$work/upper,workdir=$work/ovl" "$m"
	mount -t proc proc "$m/proc"
	mount -t sysfs sysfs "$m/sys"
	mount -t tmpfs -o mode=0755 tmpfs "$m/dev"
	local n
	for n in null zero full random urandom tty; do dev_node "$n"; done
	mkdir -p "$m/dev/pts" "$m/dev/shm"
	mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$m/dev/pts"
	ln -s pts/ptmx "$m/dev/ptmx"
	ln -s /proc/self/fd "$m/dev/fd"
	mount -t tmpfs -o mode=1777 tmpfs "$m/dev/shm"
	mount -t tmpfs -o mode=0755 tmpfs "$m/run"
	mount -t tmpfs -o mode=1777 tmpfs "$m/tmp"
	mkdir -p "$m/lab"
	mount --bind "$work/lab" "$m/lab"
	mount --bind "$logs" "$m/lab/log"
}

mounts
ip link set lo up
# The reaper: waits on its children, and on the daemons' orphans it adopts.
exec chroot "$m" /bin/bash -c 'trap "exit 0" TERM; while :; do sleep 2 & wait $! || :; done'
