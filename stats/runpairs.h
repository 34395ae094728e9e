/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A set of several runs (compare A B ...) paired by variant name: each
 * run's change of a variant against that run's own baseline (B's patched
 * against B's base, never against A's), and how much the change itself
 * moved between runs: the difference of the changes, B - A, with a CI from
 * the two CIs' margins in quadrature (the runs are independent samples).
 */
#ifndef NB_RUNPAIRS_H
#define NB_RUNPAIRS_H

#include <stdio.h>

#include "stats/results.h"

/*
 * Variant raw (its name in its directory's files) of directory i against
 * i's own baseline on m, the boot means' t-test as nb_results_analyze()
 * runs it: 0, -ENOENT without that variant or with < 2 boots in an arm.
 */
int nb_run_delta(const struct nb_results *r, const struct nb_metric *m, size_t i,
		 const char *raw, struct nb_ttest *t);
/* b - a of two changes in %, its CI from both margins in quadrature; NAN bounds when either is unbounded. */
struct nb_interval nb_delta_diff(const struct nb_interval *a, const struct nb_interval *b);
/* report.txt's table of the paired changes, per verdict metric; nothing for one run. */
void nb_report_run_pairs(FILE *f, const struct nb_results *r);

#endif
