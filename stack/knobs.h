/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boot options of a plan (struct nb_plan), one row each: the command
 * line of run and experiment, the experiment file's keys, the CONFIG frame,
 * the manifest and --help all loop over this table. A new option is one row
 * here plus the code that uses it.
 */
#ifndef NB_KNOBS_H
#define NB_KNOBS_H

#include "stack/opt.h"
#include "stack/plan.h"

#define NB_MAX_REPS	256	/* repetitions per boot: bench/reps.c numbers them 1..256 */

extern const struct nb_opt nb_plan_knobs[];

#endif
