/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_KVMSTAT_H
#define NB_KVMSTAT_H

#include <stdint.h>
#include <sys/types.h>

/* A VM's exit counters, summed over its vCPUs, from KVM's debugfs. */
struct nb_kvm_stats {
	uint64_t exits, mmio, hvc, wfx;
};

/* One of KVM's counters (name may be a glob) for pid's VM, summed over its vCPUs; 0 when absent. */
uint64_t nb_kvm_vm_stat(pid_t pid, const char *name);
/* 0, or -ENOENT when pid runs no KVM VM here (TCG, no debugfs). */
int nb_kvm_vm_stats(pid_t pid, struct nb_kvm_stats *s);

/* Whether thread tid of pid is a KVM vCPU ("CPU 0/KVM": QEMU's name; a TCG one ends in /TCG). */
int nb_kvm_is_vcpu(pid_t pid, const char *tid);
/* fn(pid, tid, whether tid is a KVM vCPU, ctx) for each thread of pid; -ENOENT when pid is gone. */
int nb_kvm_each_thread(pid_t pid, void (*fn)(pid_t pid, const char *tid, int vcpu, void *ctx), void *ctx);
/*
 * Time pid's KVM vCPU threads spent on a CPU (schedstat, ns) and how often
 * they were switched in (each block or preemption), and the whole process's
 * CPU time (/proc/PID/stat, ms at USER_HZ resolution, threads that exited
 * included: QEMU's block workers come and go). The difference is what
 * serving the child's I/O cost. -ENOENT when pid is gone.
 */
struct nb_kvm_threads {
	uint64_t vcpu_ns, vcpu_switches, process_ms;
};
int nb_kvm_threads(pid_t pid, struct nb_kvm_threads *t);

#endif
