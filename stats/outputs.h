/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything `nestbench report` derives from a set of results: the one
 * place that writes them all (report.c writes report.txt, summary.c the
 * summaries, plot.c and model.c the plots; none of them calls this).
 */
#ifndef NB_OUTPUTS_H
#define NB_OUTPUTS_H

#include <stddef.h>

#include "stats/results.h"

/*
 * summary.csv, summary.json, report.txt and the plots, into dir (created if
 * missing). The three texts are written aside and renamed together. A
 * plotting failure (gnuplot missing or failing) does not stop the rest; it
 * is returned last.
 */
int nb_report_write_all(const struct nb_results *r, const struct nb_boot_opts *o,
			const char *dir, char *err, size_t errlen);

#endif
