// SPDX-License-Identifier: GPL-2.0
/*
 * One QEMU command line for every level. The x86 host boots an emulated L0
 * with TCG; every other parent (the emulated L0, an arm64 NV host, a guest
 * hypervisor) boots its child under KVM. A child that will host a guest
 * hypervisor gets virtualization=on and kvm-arm.mode=nested; the innermost
 * is a plain EL1 guest.
 */
#include <stdio.h>
#include <stdlib.h>

#include "stack/qemu.h"

char *nb_qemu_cmdline(const struct nb_plan *p, int child)
{
	const char *root = "/dev/vda";
	char *s;

	/* A kernel that cannot mount its root panics at once: the "cannot boot" fault. */
	if (p->fault == NB_FAULT_NOBOOT && p->fault_level == child)
		root = "/dev/nonexistent";
	/*
	 * Proactive compaction wakes kcompactd every 500 ms on an idle level,
	 * a timer inside any window, at every level (images/kernel.fragment).
	 * Halt polling: a level's KVM spins up to 500 us when its vCPU halts,
	 * hoping for a wake-up; on a 1-CPU level the only thing that could
	 * make one, the child's QEMU, is waiting for the CPU, so 98 % of
	 * the polls at depth 3 failed, each for a length KVM adapts from the
	 * last ones: state carried from window to window (docs/time.md).
	 */
	if (asprintf(&s, "console=ttyAMA0 root=%s ro rootfstype=ext4 init=/sbin/nbagent "
		     "panic=-1 quiet loglevel=3 sysctl.vm.compaction_proactiveness=0%s", root,
		     child < p->depth ? " kvm-arm.mode=nested kvm.halt_poll_ns=0" : "") < 0)
		return NULL;
	return s;
}

static int add_machine(const struct nb_plan *p, int child, const struct nb_qemu_env *env,
		       struct nb_argv *a)
{
	const char *virt = child < p->depth ? ",virtualization=on" : "";

	if (env->tcg) {
		nb_argv_add(a, "-M");
		nb_argv_add(a, "virt,virtualization=on,gic-version=3");
		nb_argv_add(a, "-cpu");
		nb_argv_add(a, "max");
		nb_argv_add(a, p->icount ? "-icount" : "-accel");
		return nb_argv_add(a, p->icount ? "shift=0,sleep=off" : "tcg,thread=multi");
	}
	nb_argv_add(a, "-accel");
	nb_argv_add(a, "kvm");
	nb_argv_add(a, "-cpu");
	nb_argv_add(a, "host");
	nb_argv_add(a, "-M");
	return nb_argv_add(a, "virt%s,gic-version=3", virt);
}

static int add_disks(const struct nb_qemu_env *env, struct nb_argv *a)
{
	nb_argv_add(a, "-drive");
	nb_argv_add(a, "file=%s,if=virtio,format=raw,readonly=on%s", env->rootfs,
		    env->tcg || env->root_cached ? "" : ",cache=none");
	if (!env->disk)
		return 0;
	nb_argv_add(a, "-drive");
	return nb_argv_add(a, "file=%s,if=virtio,format=raw,cache=writeback", env->disk);
}

/* The results channel: a virtio-serial port named "nestbench". */
static int add_channel(const struct nb_qemu_env *env, struct nb_argv *a)
{
	nb_argv_add(a, "-device");
	nb_argv_add(a, "virtio-serial-pci");
	nb_argv_add(a, "-chardev");
	nb_argv_add(a, "socket,id=nb,path=%s", env->chan);
	nb_argv_add(a, "-device");
	return nb_argv_add(a, "virtserialport,chardev=nb,name=nestbench");
}

/* The host's run-time handle on an emulated L0: exception logging is switched on there (docs/counting.md). */
static int add_monitor(const struct nb_qemu_env *env, struct nb_argv *a)
{
	nb_argv_add(a, "-monitor");
	if (!env->monitor)
		return nb_argv_add(a, "none");
	nb_argv_add(a, "unix:%s,server=on,wait=off", env->monitor);
	if (!env->cpu_log)
		return 0;
	nb_argv_add(a, "-D");
	return nb_argv_add(a, "%s", env->cpu_log);
}

int nb_qemu_argv(const struct nb_plan *p, int child, const struct nb_qemu_env *env,
		 struct nb_argv *a)
{
	char *cmdline = nb_qemu_cmdline(p, child);
	int ret;

	if (!cmdline)
		return -1;
	if (env->l0_agent) {	/* the same L0 code, as a process: no QEMU for L0 */
		free(cmdline);
		nb_argv_add(a, "%s", env->l0_agent);
		nb_argv_add(a, "--l0");
		return nb_argv_add(a, "%s", env->chan);
	}
	nb_argv_add(a, "%s", env->qemu);
	add_machine(p, child, env, a);
	nb_argv_add(a, "-smp");
	nb_argv_add(a, "%d", p->lv[child].cpus);
	nb_argv_add(a, "-m");
	nb_argv_add(a, "%d", p->lv[child].mem_mb);
	nb_argv_add(a, "-display");
	nb_argv_add(a, "none");
	add_monitor(env, a);
	nb_argv_add(a, "-serial");
	nb_argv_add(a, "stdio");
	nb_argv_add(a, "-nic");
	nb_argv_add(a, "none");
	nb_argv_add(a, "-no-reboot");
	nb_argv_add(a, "-kernel");
	nb_argv_add(a, "%s", env->kernel);
	nb_argv_add(a, "-append");
	nb_argv_add(a, "%s", cmdline);
	add_disks(env, a);
	ret = add_channel(env, a);
	free(cmdline);
	return ret;
}
