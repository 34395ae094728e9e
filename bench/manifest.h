/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_MANIFEST_H
#define NB_MANIFEST_H

#include "bench/experiment.h"

/* Write DIR/manifest.json, or add e's variants to the one already there. */
int manifest_write(const char *dir, const struct experiment *e, const struct nb_plan *p,
		   const char *images);

/*
 * Adds the experiment's sequential design to DIR/manifest.json: the looks
 * of its CI-target stop, in boots per arm (stats/seq.h tests at their levels).
 */
/*
 * manifest.json's "lava_jobs": every LAVA job of boots 1..nboots (id, URL,
 * state, health, device), from raw/boot-N/lava-job*. Written by the one
 * process that runs the experiment, between batches: no two writers.
 */
int manifest_lava_jobs(const char *dir, int nboots);
int manifest_sequential(const char *dir, double target_ci, const size_t *looks, size_t n);

#endif
