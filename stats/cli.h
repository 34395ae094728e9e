/* SPDX-License-Identifier: GPL-2.0 */
/* Options shared by report, compare and stats. */
#ifndef NB_STATS_CLI_H
#define NB_STATS_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "stats/stats.h"

#define NB_OPT_SEED		0x100
#define NB_OPT_RESAMPLES	0x101
#define NB_BOOT_LONGOPTS \
	{ "seed", required_argument, NULL, NB_OPT_SEED }, \
	{ "resamples", required_argument, NULL, NB_OPT_RESAMPLES }
#define NB_BOOT_HELP \
	"      --seed N       bootstrap seed (default 20261122): same seed, same CIs\n" \
	"      --resamples N  bootstrap resamples (default 10000)\n"

#include "stack/opt.h"

/* --seed and --resamples as option rows over struct nb_boot_opts (stack/opt.h). */
extern const struct nb_opt nb_boot_opt_rows[];

/* Applies --seed/--resamples. 0, -ENOENT if c is neither, -EINVAL (err set). */
int nb_boot_opt(struct nb_boot_opts *o, int c, const char *arg, char *err, size_t errlen);

#endif
