/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A level's census of an I/O window: what its kernel did (context switches,
 * interrupts, timer interrupts, softirqs, where its CPU time went: user,
 * system, idle, a child guest) and, on a hypervisor level, what its KVM did
 * for the child VM (exits by kind, halt polling), how long the child's
 * vCPU threads ran and how often they were switched in, and the CPU time
 * of the child's whole QEMU. Taken at the window's two marks, outside it;
 * the difference goes up as a status line, so that a boot whose window
 * ran longer can be told why (docs/time.md).
 */
#ifndef NB_CENSUS_H
#define NB_CENSUS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum {
	NB_CEN_CTXT, NB_CEN_INTR, NB_CEN_TIMER, NB_CEN_SOFTIRQ,
	NB_CEN_USER_MS, NB_CEN_SYS_MS, NB_CEN_IDLE_MS, NB_CEN_GUEST_MS,
	NB_CEN_EXITS, NB_CEN_WFX, NB_CEN_MMIO, NB_CEN_HALT_TRY, NB_CEN_HALT_OK, NB_CEN_WAKEUP,
	NB_CEN_VCPU_US, NB_CEN_VCPU_SWITCHES, NB_CEN_QEMU_MS,
	NB_CEN_N
};

struct nb_census {
	uint64_t v[NB_CEN_N];
	int has_vm;
};

/* This level's counters, and vm_pid's KVM counters when vm_pid > 0 and debugfs has them. */
void nb_census_take(struct nb_census *c, pid_t vm_pid);
/* "ctxt +N intr +N ... vm: exits +N ...": b - a into buf; returns buf. */
char *nb_census_fmt(const struct nb_census *a, const struct nb_census *b, char *buf, size_t len);

#endif
