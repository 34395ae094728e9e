// SPDX-License-Identifier: GPL-2.0
/*
 * nestbench compare A B [C ...]: one report from several results
 * directories, e.g. the base kernel measured in A and the patched one in B,
 * or the same experiment on two QEMUs. Runs that differ in what the timing
 * depends on are refused (stats/setupdiff.h) unless --force.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "bench/builtin.h"
#include "stats/cli.h"
#include "stats/outputs.h"
#include "stats/report.h"
#include "stats/results.h"
#include "stats/setupdiff.h"

struct compare_args {
	const char *const *dirs;
	size_t ndirs;
	const char *out;
	int force;
	struct nb_boot_opts boot;
};

#define C struct compare_args
static const struct nb_opt compare_opts[] = {
	OPT_PTR("output", C, out, "DIR", "also write summary.csv, summary.json, report.txt and the plots "
		"there (created if missing)", .letter = 'o'),
	OPT_FLAG("force", C, force, "compare runs that differ in what the timing depends on: the report "
		 "says how they differ", .letter = 'f'),
	OPT_END
};

static const char compare_what[] =
	"One report from 2..8 results directories: A's variants first, A's\n"
	"baseline ('base', else its first variant) against every other variant.\n"
	"A variant of B named like one of A becomes 'NAME (B)' (C: 'NAME (C)').\n"
	"The runs are also paired by variant name: each run's change against its\n"
	"own baseline, and how much it moved from A's. The runs were gathered\n"
	"separately, so drift between them is not controlled: prefer an\n"
	"experiment that interleaves the variants when you can.\n"
	"The manifests are compared first: runs that differ in what the timing\n"
	"depends on (platform, clock, depth, workload, job, kernel configs, QEMU,\n"
	"pinning, what counted the timing repetitions, or a missing manifest) are\n"
	"refused.\n"
	"Exit status: 0 done, 1 bad or missing input, refused runs or a failed plot, 2 usage.";

/* 0, 1 for --help (printed), -EINVAL on a usage error (already explained). */
static int parse_args(int argc, char **argv, struct compare_args *a)
{
	struct nb_optgroup g[] = { { compare_opts, a }, { nb_boot_opt_rows, &a->boot }, { NULL } };
	int first;

	nb_boot_defaults(&a->boot);
	first = nb_opt_parse("compare", argc, argv, g);
	if (first == NB_OPT_HELP)
		return nb_opt_usage(stdout, "compare", "[options] A B [C ...]", compare_what, g), 1;
	if (first < 0 || nb_opt_operands("compare", argc, argv, first, 2, NB_MAX_DIRS))
		return -EINVAL;
	a->dirs = (const char *const *)argv + first;
	a->ndirs = argc - first;
	return 0;
}

static int write_outputs(const struct nb_results *r, const struct compare_args *a,
			 char *err, size_t errlen)
{
	int ret = mkdir(a->out, 0755) && errno != EEXIST ? -errno : 0;

	if (ret) {
		snprintf(err, errlen, "%s: %s", a->out, strerror(-ret));
		return ret;
	}
	return nb_report_write_all(r, &a->boot, a->out, err, errlen);
}

/*
 * Runs that differ in what the timing depends on: each difference on stderr,
 * then refused (-EPERM) unless --force, which leaves the saying to the report.
 */
static int check_setups(const struct nb_results *r, const struct compare_args *a,
			char *err, size_t errlen)
{
	struct nb_setup_delta d[32];
	size_t i, n, bad = 0;

	for (i = 1; i < nb_results_ndirs(r); i++) {
		if (!nb_setup_decisive(r, i))
			continue;
		n = nb_setup_diff(r, i, d, 32);
		fprintf(stderr, "nestbench compare: %s differs from %s in what the timing depends on:\n",
			a->dirs[i], a->dirs[0]);
		nb_setup_print(stderr, d, n, "  ");
		bad++;
	}
	if (!bad || a->force)
		return 0;
	snprintf(err, errlen, "refused: %zu run%s not comparable with %s (above); compare like with "
		 "like, or --force to compare anyway (the report then says how they differ)",
		 bad, bad > 1 ? "s are" : " is", a->dirs[0]);
	return -EPERM;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_args a = { 0 };
	struct nb_results *r = NULL;
	char err[1024] = "write error on standard output";
	int ret = parse_args(argc, argv, &a);

	if (ret)
		return ret > 0 ? 0 : 2;
	fprintf(stderr, "nestbench compare: warning: the runs were gathered "
		"separately; drift between them is not controlled\n");
	ret = nb_results_load_dirs(a.dirs, a.ndirs, &r, err, sizeof(err)) ?:
	      check_setups(r, &a, err, sizeof(err)) ?:
	      nb_results_analyze(r, &a.boot);
	if (!ret)
		ret = nb_write_report(r, &a.boot, stdout);
	if (!ret && a.out)
		ret = write_outputs(r, &a, err, sizeof(err));
	nb_results_free(r);
	if (ret)
		fprintf(stderr, "nestbench compare: %s\n", ret == -ENOMEM ? "out of memory" : err);
	return ret ? 1 : 0;
}
