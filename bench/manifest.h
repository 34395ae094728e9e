/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_MANIFEST_H
#define NB_MANIFEST_H

#include "bench/experiment.h"

/* Write DIR/manifest.json, or add e's variants to the one already there. */
int manifest_write(const char *dir, const struct experiment *e, const struct nb_plan *p,
		   const char *images);

#endif
