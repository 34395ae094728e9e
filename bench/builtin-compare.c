// SPDX-License-Identifier: GPL-2.0
/*
 * nestbench compare A B [C ...]: one report from several results
 * directories, e.g. the base kernel measured in A and the patched one in B,
 * or the same experiment on two QEMUs. Runs that differ in what the timing
 * depends on are refused (stats/setupdiff.h) unless --force.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "bench/builtin.h"
#include "stats/cli.h"
#include "stats/outputs.h"
#include "stats/report.h"
#include "stats/results.h"
#include "stats/setupdiff.h"

static const char usage_text[] =
	"usage: nestbench compare [options] A B [C ...]\n"
	"\n"
	"One report from 2..8 results directories: A's variants first, A's\n"
	"baseline ('base', else its first variant) against every other variant.\n"
	"A variant of B named like one of A becomes 'NAME (B)' (C: 'NAME (C)').\n"
	"The runs are also paired by variant name: each run's change against its\n"
	"own baseline, and how much it moved from A's. The runs were gathered\n"
	"separately, so drift between them is not controlled: prefer an\n"
	"experiment that interleaves the variants when you can.\n"
	"\n"
	"The manifests are compared first: runs that differ in what the timing\n"
	"depends on (platform, clock, depth, workload, job, kernel configs, QEMU,\n"
	"pinning, counters, or a missing manifest) are refused.\n"
	"\n"
	"  -o, --output DIR   also write summary.csv, summary.json, report.txt and\n"
	"                     the plots there (created if missing)\n"
	"  -f, --force        compare such runs anyway: the report says how they differ\n"
	NB_BOOT_HELP
	"  -h, --help         this text\n"
	"\n"
	"Exit status: 0 done, 1 bad or missing input, refused runs or a failed plot,\n"
	"2 usage.\n";

struct compare_args {
	const char *const *dirs;
	size_t ndirs;
	const char *out;
	int force;
	struct nb_boot_opts boot;
};

static int usage(FILE *f, int status)
{
	fputs(usage_text, f);
	return status;
}

static int parse_option(int c, struct compare_args *a)
{
	char err[256];
	int ret;

	if (c == 'o') {
		a->out = optarg;
		return 0;
	}
	if (c == 'f') {
		a->force = 1;
		return 0;
	}
	ret = nb_boot_opt(&a->boot, c, optarg, err, sizeof(err));
	if (ret == -EINVAL)
		fprintf(stderr, "nestbench compare: %s\n", err);
	return ret;
}

/* 0, 1 for --help, -EINVAL on a usage error (already explained). */
static int parse_args(int argc, char **argv, struct compare_args *a)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		NB_BOOT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL },
	};
	int c;

	nb_boot_defaults(&a->boot);
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:fh", longopts, NULL)) != -1)
		if (c == 'h')
			return 1;
		else if (parse_option(c, a))
			return -EINVAL;
	if (argc - optind < 2 || argc - optind > NB_MAX_DIRS) {
		fprintf(stderr, "nestbench compare: expected 2..%d results directories\n", NB_MAX_DIRS);
		return -EINVAL;
	}
	a->dirs = (const char *const *)argv + optind;
	a->ndirs = argc - optind;
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
		return ret > 0 ? usage(stdout, 0) : usage(stderr, 2);
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
