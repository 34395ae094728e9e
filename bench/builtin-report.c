// SPDX-License-Identifier: GPL-2.0
/*
 * nestbench report DIR: regenerate everything derived from a results
 * directory (summary.csv, summary.json, report.txt, PNG and SVG plots).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/builtin.h"
#include "stats/cli.h"
#include "stats/mail.h"
#include "stats/model.h"
#include "stats/outputs.h"
#include "stats/report.h"
#include "stats/results.h"

static const char usage_text[] =
	"usage: nestbench report [options] DIR\n"
	"\n"
	"Regenerate summary.csv, summary.json, report.txt and the plots (PNG and\n"
	"SVG, via gnuplot) of results directory DIR from its reps.csv, boots.csv\n"
	"and manifest.json, then print report.txt.\n"
	"\n"
	"  -o, --output DIR   write the outputs there instead of into DIR\n"
	"  -m, --mail         print only the block to paste into a mail (<= 15 lines of\n"
	"                     <= 72 columns; report.txt starts with it) and write nothing\n"
	"      --cpu FILE     costs of the modelled hardware clock (default cpus/altra.ini;\n"
	"                     docs/counting.md)\n"
	NB_BOOT_HELP
	"  -q, --quiet        do not print report.txt\n"
	"  -h, --help         this text\n"
	"\n"
	"Exit status: 0 done, 1 bad or missing input or a failed plot, 2 usage.\n";

struct report_args {
	const char *dir, *out;
	struct nb_boot_opts boot;
	int quiet, mail;
};

static int usage(FILE *f, int status)
{
	fputs(usage_text, f);
	return status;
}

static int parse_option(int c, struct report_args *a)
{
	char err[256];
	int ret;

	switch (c) {
	case 'o':
		a->out = optarg;
		return 0;
	case 'q':
		a->quiet = 1;
		return 0;
	case 'm':
		a->mail = 1;
		return 0;
	case 'C':
		nb_model_set_cpu_file(optarg);
		return 0;
	}
	ret = nb_boot_opt(&a->boot, c, optarg, err, sizeof(err));
	if (ret == -EINVAL)
		fprintf(stderr, "nestbench report: %s\n", err);
	return ret;
}

/* 0, 1 for --help, -EINVAL on a usage error (already explained). */
static int parse_args(int argc, char **argv, struct report_args *a)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "cpu", required_argument, NULL, 'C' },
		NB_BOOT_LONGOPTS,
		{ "quiet", no_argument, NULL, 'q' },
		{ "mail", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL },
	};
	int c;

	nb_boot_defaults(&a->boot);
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:qmh", longopts, NULL)) != -1)
		if (c == 'h')
			return 1;
		else if (parse_option(c, a))
			return -EINVAL;
	if (argc - optind != 1) {
		fprintf(stderr, "nestbench report: expected one results directory\n");
		return -EINVAL;
	}
	a->dir = argv[optind];
	return 0;
}

static void print_file(const char *dir, const char *name)
{
	char path[4096], buf[4096];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)))
		fwrite(buf, 1, n, stdout);
	fclose(f);
}

/* A cost file that does not parse is the user's to fix before anything is written. */
static int check_costs(void)
{
	struct nb_cpu_costs c;
	char err[512];

	if (!nb_model_costs(&c, err, sizeof(err)))
		return 0;
	fprintf(stderr, "nestbench report: %s\n  fix: compare it with cpus/altra.ini\n", err);
	return -EINVAL;
}

int cmd_report(int argc, char **argv)
{
	struct report_args a = { 0 };
	struct nb_results *r = NULL;
	char err[1024];
	int ret = parse_args(argc, argv, &a);

	if (ret)
		return ret > 0 ? usage(stdout, 0) : usage(stderr, 2);
	if (check_costs())
		return 2;
	if (!a.out)
		a.out = a.dir;
	ret = nb_results_load(a.dir, &r, err, sizeof(err)) ?:
	      nb_results_analyze(r, &a.boot);
	if (!ret && a.mail) {
		nb_write_mail(stdout, r);
		ret = fflush(stdout) || ferror(stdout) ? -EIO : 0;
		snprintf(err, sizeof(err), "write error on standard output");
	} else if (!ret) {
		ret = nb_report_write_all(r, &a.boot, a.out, err, sizeof(err));
		if (!a.quiet)
			print_file(a.out, "report.txt");
	}
	nb_results_free(r);
	if (ret)
		fprintf(stderr, "nestbench report: %s\n", ret == -ENOMEM ? "out of memory" : err);
	return ret ? 1 : 0;
}
