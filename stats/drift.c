// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "stats/drift.h"

int nb_drift_test(const double *a, size_t na, const double *b, size_t nb, struct nb_drift *out)
{
	int ret = nb_ttest(a, na, b, nb, NB_T_WELCH, &out->t);

	out->na = na;
	out->nb = nb;
	out->drifted = !ret && out->t.significant;
	return ret;
}

/* A's variant that a later run's variant v repeats ("NAME (B)", "NAME (C)" for A's "NAME"), or -1. */
static int twin(const struct nb_results *r, size_t v)
{
	const char *name = nb_results_variant(r, v);
	size_t len = strlen(name), d = nb_results_variant_dir(r, v), a;
	char tag[8];

	snprintf(tag, sizeof(tag), " (%c)", (int)('A' + d));
	if (!d || len < 5 || strcmp(name + len - 4, tag))
		return -1;
	for (a = 0; a < nb_results_nvariants(r); a++)
		if (!nb_results_variant_dir(r, a) && strlen(nb_results_variant(r, a)) == len - 4 &&
		    !strncmp(nb_results_variant(r, a), name, len - 4))
			return (int)a;
	return -1;
}

size_t nb_drift_arms(const struct nb_results *r, const struct nb_metric *m,
		     struct nb_drift *out, size_t max)
{
	size_t v, k = 0;
	int a;

	for (v = 0; m && v < nb_results_nvariants(r) && k < max; v++) {
		a = twin(r, v);
		if (a < 0 || m->s[a].nboots < 2 || m->s[v].nboots < 2 ||
		    nb_drift_test(m->s[a].boot, m->s[a].nboots, m->s[v].boot, m->s[v].nboots, &out[k]))
			continue;
		out[k].a = a;
		out[k++].b = v;
	}
	return k;
}
