/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Drift between sessions (`nestbench compare A B [C ...]`): an arm that ran
 * in A and in a later run (B's variant of the same name is "NAME (B)", C's
 * "NAME (C)") should give the same boot means in both if nothing drifted. Welch's t-test on
 * the two sessions' boot means of that arm is the check: a significant
 * difference is drift, and compare's verdicts then hold it mixed with the
 * change they claim to measure.
 */
#ifndef NB_DRIFT_H
#define NB_DRIFT_H

#include <stddef.h>

#include "stats/results.h"

struct nb_drift {
	size_t a, b;			/* the arm's variant in A and in the later run */
	size_t na, nb;			/* its boots in each session */
	struct nb_ttest t;		/* Welch, the later run's boot means against A's: .pct the drift in % */
	int drifted;			/* t.significant */
};

/* The drift test on one arm's boot means in session A and a later one. */
int nb_drift_test(const double *a, size_t na, const double *b, size_t nb, struct nb_drift *out);

/*
 * Every arm of r that ran in A and a later run with >= 2 boots in each, on
 * metric m: up to max into out; how many (0 for a single directory).
 */
size_t nb_drift_arms(const struct nb_results *r, const struct nb_metric *m,
		     struct nb_drift *out, size_t max);

#endif
