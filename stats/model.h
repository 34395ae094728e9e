/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A modelled hardware clock (a model, never a measurement):
 *
 *   modelled_ns = instructions x ns_per_insn
 *               + sum over exit classes of exits to L0 x the class's cost
 *               + exceptions taken to EL1 x their cost
 *
 * per I/O, from the icount clock (io_ns under shift=0 is instructions plus
 * skipped idle time) and the cpu.* counts (stats/exctab.h). The costs are a
 * small file per target CPU (cpus/NAME.ini), each value with its source; the
 * built-in defaults are cpus/altra.ini's.
 */
#ifndef NB_MODEL_H
#define NB_MODEL_H

#include <stdio.h>

#include "collect/excount.h"
#include "stats/exctab.h"

#define NB_COST_SRC	200

struct nb_cpu_costs {
	char name[96];
	char path[256];				/* the file read, "" for the built-in defaults */
	double ns_per_insn;
	double exit[NB_XC_NR];			/* ns per exit to L0, by class */
	double el1;				/* ns per exception taken to EL1 */
	char src_insn[NB_COST_SRC], src_exit[NB_XC_NR][NB_COST_SRC], src_el1[NB_COST_SRC];
};

/* Per I/O (or per repetition): what the model charges. */
struct nb_model_in {
	double insns;
	double exit[NB_XC_NR];
	double el1;
};

/* Ampere Altra, the same values as cpus/altra.ini. */
void nb_cpu_costs_default(struct nb_cpu_costs *c);
/*
 * Reads a cost file: every key of cpus/altra.ini must be there, with a value
 * in [0, 1e6] (ns); KEY.source lines name sources. 0, or -EINVAL with
 * "file:line: what" in err (an unknown key, a bad number, a missing key,
 * and stats/ini.h's guards: a line too long, a NUL byte, a key twice).
 */
int nb_cpu_costs_read(const char *path, struct nb_cpu_costs *c, char *err, size_t errlen);

double nb_model_ns(const struct nb_cpu_costs *c, const struct nb_model_in *in);
/* The same with every exit to L0 costing exit_ns (the sensitivity curve). */
double nb_model_ns_uniform(const struct nb_cpu_costs *c, const struct nb_model_in *in, double exit_ns);
/* An arm's per-I/O inputs; -ENODATA when it lacks instructions (not icount) or counts. */
int nb_model_arm(const struct nb_exc_arm *a, struct nb_model_in *in);

/* report.txt's section: the modelled change beside the measured one. */
void nb_model_report(FILE *f, const struct nb_exc_set *s, const struct nb_cpu_costs *c);
/*
 * What the model is read against on its plot, per arm of a set: the
 * verdict's change and 95% CI on the boot means (NULL: none for that arm)
 * and report.txt's verdict line for it, or why there is none (stats/verdict.h;
 * "": no verdict line).
 */
struct nb_model_meas {
	const struct nb_ttest *t[NB_MAX_VARIANTS];
	char line[NB_MAX_VARIANTS][640];
};

/*
 * model-sensitivity.{gp,dat,png,svg} in dir, with m's CI as a band (m may be
 * NULL); 0 (also when there is nothing to plot) or as nb_plot_draw.
 */
int nb_model_plot(const struct nb_exc_set *s, const struct nb_cpu_costs *c,
		  const struct nb_model_meas *m, const char *dir, int *made,
		  char *err, size_t errlen);

/*
 * The cost file `nestbench report --cpu` chose; NULL: the cpus/altra.ini of
 * the tree the executable was built in (never the working directory's),
 * else the defaults.
 */
void nb_model_set_cpu_file(const char *path);
/* Loads the chosen costs; on a bad file returns -EINVAL with err. */
int nb_model_costs(struct nb_cpu_costs *c, char *err, size_t errlen);

/* report.txt's exception table and model for a set of results (nothing without cpu.* columns). */
void nb_report_exceptions(FILE *f, const struct nb_results *r);
/* The sensitivity plot of a set of results into out; 0 when there is nothing to plot. */
int nb_model_plot_results(const struct nb_results *r, const char *out, int *made, char *err, size_t errlen);

#endif
