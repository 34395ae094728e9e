/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_QEMU_H
#define NB_QEMU_H

#include "stack/plan.h"
#include "stack/util.h"

/* Where a parent finds what it boots its child with. */
struct nb_qemu_env {
	const char *qemu;	/* qemu-system-aarch64 */
	const char *kernel;	/* the child's Image */
	const char *rootfs;	/* image file (host) or /dev/vda (guest) */
	const char *chan;	/* UNIX socket the parent listens on */
	const char *disk;	/* RAM-backed fio disk, innermost only, else NULL */
	int tcg;		/* emulate (x86 host booting L0) rather than KVM */
	int root_cached;	/* rootfs read through the parent's page cache, not O_DIRECT */
	const char *l0_agent;	/* arm64 NV host: L0 is this agent binary, run as a process */
	const char *monitor;	/* UNIX socket for an HMP monitor (QEMU listens), or NULL: none */
	const char *cpu_log;	/* -D: where `-d int` output goes once switched on, or NULL */
};

/* The child's kernel command line (caller frees). */
char *nb_qemu_cmdline(const struct nb_plan *p, int child);
/* The QEMU argv that boots level `child` of plan p. */
int nb_qemu_argv(const struct nb_plan *p, int child, const struct nb_qemu_env *env,
		 struct nb_argv *a);

#endif
