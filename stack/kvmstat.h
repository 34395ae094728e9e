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
/*
 * Time pid's threads spent on a CPU (schedstat, ns) and how often they were
 * switched in, its KVM vCPU threads apart from the others (main loop, block
 * workers): whether a window's time went to running the child or to serving
 * its I/O. -ENOENT when pid is gone.
 */
struct nb_kvm_threads {
	uint64_t vcpu_ns, other_ns, other_switches;
};
int nb_kvm_threads(pid_t pid, struct nb_kvm_threads *t);

#endif
