// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "stack/util.h"
#include "stats/cli.h"

static int parse_ulong(const char *s, unsigned long *v)
{
	uint64_t x;
	int ret = nb_parse_u64(s, ULONG_MAX, &x);

	*v = x;
	return ret ? -EINVAL : 0;
}

int nb_boot_opt(struct nb_boot_opts *o, int c, const char *arg, char *err, size_t errlen)
{
	unsigned long v;

	if (c != NB_OPT_SEED && c != NB_OPT_RESAMPLES)
		return -ENOENT;
	if (parse_ulong(arg, &v) ||
	    (c == NB_OPT_RESAMPLES && (v < 100 || v > 10000000))) {
		snprintf(err, errlen, "--%s '%s': expected a whole number%s",
			 c == NB_OPT_SEED ? "seed" : "resamples", arg,
			 c == NB_OPT_SEED ? "" : " from 100 to 10000000");
		return -EINVAL;
	}
	if (c == NB_OPT_SEED)
		o->seed = v;
	else
		o->resamples = v;
	return 0;
}

static int set_seed(void *cfg, const char *v, char *err, size_t len)
{
	return nb_boot_opt(cfg, NB_OPT_SEED, v, err, len);
}

static int set_resamples(void *cfg, const char *v, char *err, size_t len)
{
	return nb_boot_opt(cfg, NB_OPT_RESAMPLES, v, err, len);
}

const struct nb_opt nb_boot_opt_rows[] = {
	OPT_CALL("seed", set_seed, NULL, "N", NB_IN_CLI, "bootstrap seed (default 20261122): same seed, same CIs"),
	OPT_CALL("resamples", set_resamples, NULL, "N", NB_IN_CLI, "bootstrap resamples, 100..10000000 (default 10000)"),
	OPT_END
};
