/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exceptions per I/O, from the cpu.* columns of reps.csv (collect/excount.h):
 * per variant, the mean over its repetitions of count / ios, and the table
 * report.txt prints, base vs each variant with the difference. The model
 * (stats/model.h) reads the same set.
 */
#ifndef NB_EXCTAB_H
#define NB_EXCTAB_H

#include <stddef.h>
#include <stdio.h>

#include "collect/excount.h"
#include "stats/results.h"

struct nb_exc_arm {
	char name[64];
	size_t nrows;			/* repetitions with exception counts used */
	double per_io[NB_EXC_NCOLS];	/* mean of column / ios over them */
	size_t nmode[2];		/* with counts: timing, counting rows */
	double sum_mode[2][NB_EXC_NCOLS];	/* their sums of column / ios */
	size_t ninsn;			/* timing repetitions in the icount clock */
	double insn_per_io;		/* mean io_ns / ios over them: instructions (+ skipped idle) */
	double io_ns;			/* their mean io_ns */
	size_t ntrace;			/* repetitions with L0's tracepoint counts and cpu counts */
	double tp_eret, cpu_eret;	/* over those: L0.nested_eret and cpu.exit_eret, summed */
	int counted_in_timing;		/* per_io is from timing repetitions (else counting ones) */
};

struct nb_exc_set {
	struct nb_exc_arm arm[NB_MAX_VARIANTS];
	size_t n, base;
	size_t skipped_bad;		/* rows whose log had broken records (cpu.bad > 0) */
	char clock[16];			/* of the timing rows: "icount" when instructions are known */
};

/*
 * From the reps.csv of every directory of r (its variants as r names them):
 * 0, -ENOENT when none has the cpu.* columns.
 */
int nb_exc_set_take(const struct nb_results *r, struct nb_exc_set *s);
/* Index of column name ("cpu.exit_fp") in per_io, -1 if none. */
int nb_exc_col(const char *name);
/* The per-I/O table, the sentence a reviewer quotes, the tracepoint check. */
void nb_exc_report(FILE *f, const struct nb_exc_set *s);

#endif
