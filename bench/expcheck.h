/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The checks of an experiment's inputs, new or resumed, run once before
 * anything is created or booted: each variant's plan as `run` would check
 * it, and on --resume every row reps.csv already holds. Pure functions of
 * the experiment and the files: the unit tests call them without booting.
 */
#ifndef NB_EXPCHECK_H
#define NB_EXPCHECK_H

#include <stddef.h>

#include "bench/experiment.h"
#include "stack/plan.h"

#define NB_MAX_REP 256	/* repetitions of one boot are numbered 1..256 (bench/reps.c) */

/* What reps.csv already holds for one boot. */
struct exp_done {
	int timing, bare, counting, exits, last_rep;
};

/* want - have, or 0 if nothing is owed. */
int exp_owed(int want, int have);
/* Repetitions of each kind boot b (1..) runs in all, done or not (extras_boots). */
struct exp_done exp_boot_owed(const struct experiment *e, int b);

/* Variant v's plan: the experiment's options and v's kernels; the job text, platform and workload stay p's. */
void exp_to_plan(const struct experiment *e, const struct exp_variant *v, struct nb_plan *p);
/*
 * Every variant's plan, with the workload's job (fio's job text or the
 * other workloads' parameters), passes nb_plan_validate. 0, or -EINVAL with
 * "variant NAME: what" in err.
 */
int exp_check_plans(const struct experiment *e, const struct nb_plan *base, char *err, size_t errlen);
/*
 * dir/reps.csv (absent: nothing done yet) into d[1..e->nboots]: each row's
 * boot in 1..nboots, its variant the one e's order gives that boot, its rep
 * in 1..NB_MAX_REP, its mode and warmup in their sets. 0, or -EINVAL with
 * "reps.csv:LINE: what" in err: a row nestbench did not write for this
 * experiment is never guessed around.
 */
int exp_resume_scan(const char *dir, const struct experiment *e, struct exp_done *d,
		    char *err, size_t errlen);
/* Every boot's owed repetitions fit after its last one (numbers up to NB_MAX_REP); 0 or -EINVAL. */
int exp_resume_fits(const struct experiment *e, const struct exp_done *d, char *err, size_t errlen);

#endif
