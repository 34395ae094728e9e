// SPDX-License-Identifier: GPL-2.0
/*
 * nestbench compare A B: one report from two results directories, e.g. the
 * base kernel measured in A and the patched one in B.
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

static const char usage_text[] =
	"usage: nestbench compare [options] A B\n"
	"\n"
	"One report from two results directories: A's variants first, A's\n"
	"baseline ('base', else its first variant) against every other variant.\n"
	"A variant of B named like one of A becomes 'NAME (B)'. A and B were\n"
	"gathered separately, so drift between them is not controlled: prefer an\n"
	"experiment that interleaves the variants when you can.\n"
	"\n"
	"  -o, --output DIR   also write summary.csv, summary.json, report.txt and\n"
	"                     the plots there (created if missing)\n"
	NB_BOOT_HELP
	"  -h, --help         this text\n"
	"\n"
	"Exit status: 0 done, 1 bad or missing input or a failed plot, 2 usage.\n";

struct compare_args {
	const char *a, *b, *out;
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
		NB_BOOT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL },
	};
	int c;

	nb_boot_defaults(&a->boot);
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1)
		if (c == 'h')
			return 1;
		else if (parse_option(c, a))
			return -EINVAL;
	if (argc - optind != 2) {
		fprintf(stderr, "nestbench compare: expected two results directories\n");
		return -EINVAL;
	}
	a->a = argv[optind];
	a->b = argv[optind + 1];
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

int cmd_compare(int argc, char **argv)
{
	struct compare_args a = { 0 };
	struct nb_results *r = NULL;
	char err[1024] = "write error on standard output";
	int ret = parse_args(argc, argv, &a);

	if (ret)
		return ret > 0 ? usage(stdout, 0) : usage(stderr, 2);
	fprintf(stderr, "nestbench compare: warning: %s and %s were gathered "
		"separately; drift between them is not controlled\n", a.a, a.b);
	ret = nb_results_load_pair(a.a, a.b, &r, err, sizeof(err)) ?:
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
