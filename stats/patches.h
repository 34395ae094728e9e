/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A patch series' run (`series =` in the experiment, the manifest's
 * "series"): which patch buys the change. Per kernel of the series, its
 * patch's own change (prefix k against prefix k-1) and the cumulative one
 * (k against the base, the series' first kernel), each the t-test on the
 * means of boots that every verdict of the report runs (pooled variance,
 * Welch's when the arms' boots differ in number) with its 95% CI.
 */
#ifndef NB_PATCHES_H
#define NB_PATCHES_H

#include <stdio.h>

#include "stats/results.h"

struct nb_patch_row {
	size_t v;			/* variant, NB_SERIES_NONE: no repetition */
	const char *kernel;		/* the kernel's (and variant's) name */
	const char *subject;		/* its patch's subject ("" unknown, and for the base) */
	size_t nboots;
	double mean, ci_half;		/* of the boot means, raw unit; NAN without boots */
	int has_own, has_cum;		/* the comparison exists: >= 2 boots in both arms */
	const char *own_test, *cum_test;	/* "pooled t", or "Welch t" when the boots differ in number */
	struct nb_ttest own;		/* against the kernel before it */
	struct nb_ttest cum;		/* against the base (row 0 has neither) */
};

/*
 * b against a on m, the boot means' t-test: 0, or -ENOENT when either arm
 * has fewer than 2 boots.
 */
int nb_patch_delta(const struct nb_metric *m, size_t a, size_t b, struct nb_ttest *t);
/* The series' rows on m, the base first; how many (0: not a series run). */
size_t nb_patch_rows(const struct nb_results *r, const struct nb_metric *m,
		     struct nb_patch_row *rows, size_t max);
/* report.txt's per-patch table, per verdict metric; nothing for a run without a series. */
void nb_report_patches(FILE *f, const struct nb_results *r);

#endif
