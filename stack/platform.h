/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Platforms: where L0 runs. One row each; everything that differs between
 * them (probe, clock, whether boots may run side by side, what the manifest
 * records, how a report words its numbers) is a field of the row, so a new
 * platform (a lab executor, say) is one more row. Nothing outside this file
 * compares platform names.
 */
#ifndef NB_PLATFORM_H
#define NB_PLATFORM_H

#include <stddef.h>

enum nb_platform_id {
	NB_PLATFORM_AUTO,	/* not a platform: "the one this machine can run", resolved once */
	NB_PLATFORM_EMULATED,
	NB_PLATFORM_HOST,
	NB_PLATFORMS
};

struct nb_platform {
	enum nb_platform_id id;
	const char *name;		/* in reps.csv, the manifest, the wire: "emulated" */
	const char *what;		/* for --help and doctor */
	/* 1 when this machine can run it; else 0 with the reason and fix in why */
	int (*available)(char *why, size_t len);
	int l0_guest;			/* L0 is a QEMU (TCG) the harness starts, not this machine */
	int own_clock;			/* L0's clock is "host" whatever the plan says */
	int side_by_side;		/* boots may run at once (under a clock the host's load does not move) */
	int hardware;			/* its clock is hardware time (unless the manifest says virtual) */
	int host_machine;		/* the manifest records whether the machine is a virtual one */
	const char *not_hardware;	/* a plot's subtitle when the numbers are not hardware time */
};

/* The names an option may take, NULL-terminated: "auto", "emulated", "host". */
extern const char *const nb_platform_names[];
/* The row of a platform id (not AUTO), NULL when out of range. */
const struct nb_platform *nb_platform(int id);
/* The row named name (from a file: untrusted), NULL when none is. */
const struct nb_platform *nb_platform_find(const char *name);
/*
 * AUTO becomes the first platform this machine can run (host before
 * emulated); an explicit one must be available. 0, or -ENODEV with the
 * reason and fix in why.
 */
int nb_platform_resolve(int *id, char *why, size_t len);
/* 1 on an arm64 machine whose /dev/kvm has KVM_CAP_ARM_EL2 (probed once). */
int nb_platform_host_nv(void);

#endif
