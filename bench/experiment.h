/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_EXPERIMENT_H
#define NB_EXPERIMENT_H

#include "bench/lab.h"
#include "stack/opt.h"
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
	/* every boot's options (stack/knobs.c; the file's keys set them), kernels per variant */
	struct nb_plan plan;
	int boots, seed, budget;
	int jobs;			/* boots side by side; 0: as many as cores (icount), else 1 */
	int extras_boots;		/* bare, counting, exit reps in each arm's first N boots; 0: all */
	double target_ci;		/* stop once the io-time change's 95% CI half-width (%) is below */
	char job[256];			/* a job-file workload's job, relative to the experiment file */
	char wl_params[512];		/* the workload's own keys, "key=value\n" lines, checked */
	char expect[64];		/* the change claimed, "[KEY] PCT%" (stats/gate.h); "" none */
	char fail_if[64];		/* "KEY>PCT%": exit 3 past it (stats/gate.h); "" none */
	/* series = : a patch series' kernels, the base first; one variant each */
	char series[NB_MAX_VARIANTS_EXP][NB_NAME_MAX];
	int nseries;
	char series_kernels[256];	/* their layout, "L0=*,L1=patched" (* the series' kernel); "" every level */
	int nvariants;
	struct exp_variant v[NB_MAX_VARIANTS_EXP];
	int order[NB_MAX_BOOTS];	/* variant of boot i+1 */
	struct nb_lab lab;		/* executor = and the lava_* keys (bench/lab.h) */
	int nboots;
};

/* The keys of [experiment] that are not boot options, one row each. */
extern const struct nb_opt exp_keys[];

/*
 * series = K0,K1,..,Kn (the kernels of a patch series' prefixes, the base
 * first, as `make images SERIES=` names them) or the shorthand s0..sN:
 * into e->series, each name valid, none twice, 2 .. NB_MAX_VARIANTS_EXP.
 * -EINVAL with the problem and the fix in err.
 */
int exp_series_parse(struct experiment *e, const char *v, char *err, size_t len);

/* Parse and validate; on error -EINVAL with "file:line: problem; fix" in err. */
int exp_load(const char *path, struct experiment *e, char *err, size_t errlen);
/* The same for the text of a file (path only names it in errors): every check
 * runs before anything is created, so a bad file never leaves a directory. */
int exp_load_text(const char *text, size_t len, const char *path, struct experiment *e,
		  char *err, size_t errlen);
/*
 * The results directory's copy of an experiment file: the command line's
 * overrides (> 0: given; job: the copied job file) appended in an
 * [experiment] block of their own, the lines they override commented out
 * (a key is given once). Takes text (freed); the copy, or NULL.
 */
char *exp_with_overrides(char *text, int boots, int reps, int jobs, int job);
/* The same for one key given on the command line (--executor lava): KEY = VALUE in the copy. */
char *exp_with_key(char *text, const char *key, const char *value);
/* Balanced, seeded order: blocks of a random permutation followed by its reverse (ABBA). */
void exp_plan(struct experiment *e);
/*
 * How many boots run side by side: `want` (0: the host's cores) for an
 * emulated L0 under icount, whose clock does not see the host's load,
 * rounded down to a multiple of the variants so that every batch of
 * consecutive boots in the ABBA order holds each arm equally often.
 * -EINVAL with the reason in err where boots must run one at a time.
 */
int exp_jobs(const struct experiment *e, int side_by_side, int want, int cores, char *err, size_t errlen);

/*
 * The CI-target stop looks after boot b (1..nboots) with `jobs` side by
 * side: the end of a balanced block, each arm at >= 2 boots, or the last boot.
 */
int exp_look_at(const struct experiment *e, int jobs, int b);
/* Every look run_all() takes, in boots per arm (the design the manifest records); how many. */
size_t exp_looks(const struct experiment *e, int jobs, size_t *looks, size_t max);

#endif
