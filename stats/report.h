/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report.txt: what a patch posting quotes. Setup in a few lines, the verdict
 * per timing metric, the counters that explain it, a ministat-like table per
 * metric, and every row that was flagged.
 */
#ifndef NB_REPORT_H
#define NB_REPORT_H

#include <stdio.h>

#include "stats/results.h"

/*
 * Table shared with `nestbench stats`: one header, then one row per sample
 * set; c is NULL for the baseline row. Values are multiplied by scale.
 */
void nb_print_head(FILE *f, const char *title, const char *unit);
void nb_print_row(FILE *f, const char *name, const struct nb_summary *s,
		  const struct nb_compare *c, double scale);

int nb_write_report(const struct nb_results *r, const struct nb_boot_opts *o, FILE *f);
int nb_write_report_file(const struct nb_results *r, const struct nb_boot_opts *o,
			 const char *path, char *err, size_t errlen);

#endif
