/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verdict line of a metric and a variant: one wording for report.txt,
 * summary.json and the plots, so a number a plot shows is the number the
 * report quotes. Reads only the results model.
 */
#ifndef NB_VERDICT_H
#define NB_VERDICT_H

#include <stddef.h>

#include "stats/results.h"

/*
 * The verdict line report.txt prints for variant v on metric m (primary,
 * secondary, or why there is none), without its indent; 0 when m has none.
 */
int nb_verdict_line(char *buf, size_t len, const struct nb_results *r,
		    const struct nb_metric *m, size_t v);

#endif
