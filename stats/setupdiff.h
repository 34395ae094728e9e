/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What two results directories of one set differ in: their manifests
 * (depth, kernel configs, job, workload, QEMU, pin, platform, ...) and the
 * counters their reps.csv carries. A decisive difference is one the timing
 * metric depends on: `compare` refuses such runs unless --force, and the
 * report then says so above everything else.
 */
#ifndef NB_SETUPDIFF_H
#define NB_SETUPDIFF_H

#include <stddef.h>
#include <stdio.h>

#include "stats/results.h"

#define NB_SETUP_SHOWN	72	/* characters of a value shown */

struct nb_setup_delta {
	const char *field;		/* "depth", "kernel configs" */
	int decisive;			/* the timing metric depends on it */
	char a[NB_SETUP_SHOWN + 1];	/* directory 0's value, as shown (printable, cut) */
	char b[NB_SETUP_SHOWN + 1];	/* directory i's */
};

/*
 * The fields directory i's setup differs from directory 0's in, at most max
 * into out, decisive ones first; returns how many. A manifest missing on
 * either side is one decisive difference ("manifest"): nothing can be checked.
 */
size_t nb_setup_diff(const struct nb_results *r, size_t i, struct nb_setup_delta *out, size_t max);
/* Directory i's decisive differences from directory 0: how many. */
size_t nb_setup_decisive(const struct nb_results *r, size_t i);
/* One line per difference, each starting with lead. */
void nb_setup_print(FILE *f, const struct nb_setup_delta *d, size_t n, const char *lead);

#endif
