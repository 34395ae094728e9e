/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Simulated experiments: synthetic results directories in the documented
 * format (docs/results-format.md) with hierarchical noise, each run through
 * the real loader, analysis and report.txt, whose printed verdict lines are
 * then read back and checked against themselves and summary.json.
 *
 * Noise model, per arm: io = base * (1 + change + boot + rep), boot ~
 * N(0, boot_sd) once per boot, rep ~ N(0, rep_sd) per repetition. The
 * secondary clock (host_ns) gets its own, larger noise and the same change.
 * Boots run in ABBA order. Everything is seeded: same seed, same table.
 *
 * With target_ci > 0 an experiment grows as the quick one does (two boots
 * side by side, one per arm): after each look, 2..boots boots per arm, the
 * experiment loop's own stop rule, nb_seq_stop(), decides on the directory
 * so far, and the report is made of where it stopped.
 */
#ifndef NB_SIM_H
#define NB_SIM_H

#include <stddef.h>

struct nb_sim_setting {
	const char *name;
	unsigned int boots;		/* per arm */
	unsigned int reps;		/* timing repetitions per boot */
	double boot_sd, rep_sd;		/* in % of the mean */
	double change;			/* true change of arm b, % (0: A/A) */
	double b_sd_factor;		/* arm b's SDs are this times arm a's (1: same) */
	unsigned int b_missing;		/* boots of arm b lost (failed) */
	double target_ci;		/* > 0: the experiment's early stop at looks 2..boots per arm */
	int design;			/* with it: 1 the manifest names the sequential design
					 * (the shipped rule), 0 it does not (the rule before) */
	double batch_sd;		/* %: an effect per batch of two boots (one per arm) */
	double trend;			/* %: a drift per batch, both arms alike */
};

struct nb_sim_tally {
	unsigned int dirs;
	unsigned int sig;		/* report.txt: primary verdict significant */
	unsigned int pooled_sig;	/* pooled t on the same boot means */
	unsigned int welch_sig;		/* Welch t on the same boot means */
	unsigned int secondary_sig;	/* host wall clock line with p < alpha */
	unsigned int disagree;		/* printed verdict vs printed p, printed CI or summary.json */
	double halfwidth_sum;		/* of the printed CI, for the mean half-width */
	unsigned int early;		/* stopped by the CI target before the last look */
	unsigned long boots_sum;	/* boots per arm the verdict had */
	unsigned int blocked_sig;	/* batch as block: paired t on the batches' differences */
	double blocked_hw_sum;		/* its CI half-width, % of the baseline mean */
};

/* The parts of one printed verdict line. */
struct nb_sim_line {
	int significant;
	double p;			/* as printed; "<1e-15" reads as 0 */
	double lo, hi;			/* printed CI ends, NAN if none */
	double level;			/* "at level X" (a sequential look), else NB_ALPHA */
};

/* Reads a line (up to '\n') as nb_verdict_t() prints it. 0, or -EINVAL. */
int nb_sim_parse_line(const char *text, struct nb_sim_line *out);

/*
 * Runs ndirs directories of setting s under tmp (created and removed),
 * adding to t. seed: the first directory's; each next one uses seed + i.
 * err says why on failure.
 */
int nb_sim_run(const struct nb_sim_setting *s, unsigned int ndirs, unsigned long seed,
	       const char *tmp, struct nb_sim_tally *t, char *err, size_t errlen);

#endif
