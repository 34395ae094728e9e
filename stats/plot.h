/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Plots through gnuplot: for each plot a data file and a script are written
 * into the results directory (so a plot can be restyled by hand and rerun)
 * and gnuplot is run on the script there, fork/exec, no shell. Each script
 * writes a PNG (pngcairo) and an SVG:
 *
 *   io-time-<clock>.*       per variant one point per boot (the verdict's unit), reps
 *                           faint behind, the mean of boot means, the change's 95% CI,
 *                           report.txt's verdict line under it, the clock's role on top
 *   fp-per-transition.*     FP saves per nested transition, per level, per variant
 *   boot-times.*            boot time per level, per variant: one panel per clock (no
 *                           axis mixes the host's wall clock with icount), host-disturbed
 *                           panels marked
 */
#ifndef NB_PLOT_H
#define NB_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "stats/results.h"

/*
 * 0, or -ENOENT when gnuplot is not installed, -EIO when it failed (its
 * messages are in DIR/gnuplot.log); err says which and what to do.
 * *made counts the plots drawn.
 */
int nb_write_plots(const struct nb_results *r, const char *dir, int *made,
		   char *err, size_t errlen);

/* For plots written elsewhere (stats/model.c): a label as a gnuplot string
 * (escaped: a label never becomes gnuplot code), a long label broken at
 * spaces into lines of at most cols characters (gnuplot does not wrap; its
 * lines returned), and gnuplot run on DIR/NAME.gp (fork/exec, errors as
 * nb_write_plots's). */
void nb_gp_str(FILE *f, const char *s);
size_t nb_gp_wrap(char *s, size_t cols);
/* Variant v's colour in every plot ("#rrggbb"). */
const char *nb_plot_color(size_t v);
int nb_plot_draw(const char *dir, const char *name, int *made, char *err, size_t errlen);

#endif
