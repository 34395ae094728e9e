/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_EXPERIMENT_H
#define NB_EXPERIMENT_H

#include "stack/plan.h"

#define NB_MAX_VARIANTS_EXP 8
#define NB_MAX_BOOTS 256

struct exp_variant {
	char name[NB_NAME_MAX];
	char kernels[NB_MAX_DEPTH + 1][NB_NAME_MAX];
	double extra_eret_ns;	/* positive control: known extra cost per nested ERET at L0 */
};

struct experiment {
	char name[NB_NAME_MAX];
	int depth, boots, reps, warmup, counting, seed, budget, icount;
	int bare;			/* timing repetitions without perf counters: their overhead */
	int exits;			/* exit repetitions: perf kvm stat at L0 (stack/plan.h) */
	int perf;			/* perf stat counts the timing repetitions (default 1) */
	int pin;			/* child QEMUs pinned to their parent's last CPUs (default 1) */
	enum nb_excount excount;	/* the emulated CPU's exception log (docs/counting.md) */
	int jobs;			/* boots side by side; 0: as many as cores (icount), else 1 */
	double target_ci;		/* stop once the io-time change's 95% CI half-width (%) is below */
	char job[256];			/* fio job file, relative to the experiment file */
	char workload[16];		/* workloads/workload.h; default fio */
	char wl_params[512];		/* the workload's own keys, "key=value\n" lines, checked */
	int nvariants;
	struct exp_variant v[NB_MAX_VARIANTS_EXP];
	int order[NB_MAX_BOOTS];	/* variant of boot i+1 */
	int nboots;
};

/* Parse and validate; on error -EINVAL with "file:line: problem; fix" in err. */
int exp_load(const char *path, struct experiment *e, char *err, size_t errlen);
/* The same for the text of a file (path only names it in errors): every check
 * runs before anything is created, so a bad file never leaves a directory. */
int exp_load_text(const char *text, size_t len, const char *path, struct experiment *e,
		  char *err, size_t errlen);
/* Balanced, seeded order: blocks of a random permutation followed by its reverse (ABBA). */
void exp_plan(struct experiment *e);
/*
 * How many boots run side by side: `want` (0: the host's cores) for an
 * emulated L0 under icount, whose clock does not see the host's load,
 * rounded down to a multiple of the variants so that every batch of
 * consecutive boots in the ABBA order holds each arm equally often.
 * -EINVAL with the reason in err where boots must run one at a time.
 */
int exp_jobs(const struct experiment *e, int emulated, int want, int cores, char *err, size_t errlen);

/*
 * The CI-target stop looks after boot b (1..nboots) with `jobs` side by
 * side: the end of a balanced block, each arm at >= 2 boots, or the last boot.
 */
int exp_look_at(const struct experiment *e, int jobs, int b);
/* Every look run_all() takes, in boots per arm (the design the manifest records); how many. */
size_t exp_looks(const struct experiment *e, int jobs, size_t *looks, size_t max);

#endif
