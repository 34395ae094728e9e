// SPDX-License-Identifier: GPL-2.0
/*
 * The experiment's early stop (stats/seqstop.h): above the results model,
 * which itself reads the sequential design (stats/seq.c) to test at each
 * look's level.
 */
#include <math.h>
#include <stdlib.h>

#include "stats/results.h"
#include "stats/seqstop.h"

/* The widest half-width over the variants, or -1 while any is unknown. */
static double widest(const struct nb_results *r)
{
	const struct nb_metric *m = nb_results_find(r, "io_ns");
	const struct nb_boot_cmp *c;
	double worst = -1, hw;
	size_t v;

	for (v = 0; m && v < nb_results_nvariants(r); v++) {
		if (v == nb_results_baseline(r))
			continue;
		c = nb_results_cmp(m, v);	/* the verdict's interval, as report.txt prints it */
		hw = c && nb_role_compared(m->role) ? c->halfwidth_pct : NAN;
		if (!(hw >= 0))
			return -1;	/* < 2 boots an arm, an unbounded CI, a disturbed clock */
		worst = hw > worst ? hw : worst;
	}
	return worst;
}

int nb_seq_stop(const char *dir, double target, double *hw)
{
	struct nb_results *r = NULL;
	struct nb_boot_opts o;
	char err[256];
	int ret;

	*hw = -1;
	nb_boot_defaults(&o);
	ret = nb_results_load(dir, &r, err, sizeof(err)) ?: nb_results_analyze(r, &o);
	if (!ret)
		*hw = widest(r);
	nb_results_free(r);
	return ret ? ret : *hw >= 0 && *hw <= target;
}
