// SPDX-License-Identifier: GPL-2.0
/*
 * nestbench report DIR: regenerate everything derived from a results
 * directory (summary.csv, summary.json, report.txt, PNG and SVG plots).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/builtin.h"
#include "stats/cli.h"
#include "stats/gate.h"
#include "stats/mail.h"
#include "stats/model.h"
#include "stats/outputs.h"
#include "stats/report.h"
#include "stats/results.h"

struct report_args {
	const char *dir, *out, *fail_if;
	struct nb_boot_opts boot;
	int quiet, mail;
};

/* Checked now: a gate that does not parse is a usage error, before anything is read. */
static int set_fail_if(void *cfg, const char *v, char *err, size_t len)
{
	struct report_args *a = cfg;
	struct nb_gate g;
	char why[256];

	a->fail_if = v;
	if (!nb_gate_parse(v, &g, why, sizeof(why)))
		return 0;
	return snprintf(err, len, "--fail-if: %s", why), -EINVAL;
}

static int set_cpu(void *cfg, const char *v, char *err, size_t len)
{
	nb_model_set_cpu_file(v);
	return 0;
}

#define R struct report_args
static const struct nb_opt report_opts[] = {
	OPT_PTR("output", R, out, "DIR", "write the outputs there instead of into DIR", .letter = 'o'),
	OPT_FLAG("mail", R, mail, "print only the block to paste into a mail (<= 15 lines of <= 72 "
		 "columns; report.txt starts with it) and write nothing", .letter = 'm'),
	OPT_CALL("cpu", set_cpu, NULL, "FILE", NB_IN_CLI,
		 "costs of the modelled hardware clock (default cpus/altra.ini; docs/counting.md)"),
	OPT_FLAG("quiet", R, quiet, "do not print report.txt", .letter = 'q'),
	OPT_CALL("fail-if", set_fail_if, NULL, "KEY>PCT%", NB_IN_CLI,
		 "(or KEY<PCT%, e.g. 'io_ns>+2%') exit 3 when a decided (significant) change of KEY is "
		 "beyond it; default: the experiment file's fail_if = (manifest.json)"),
	OPT_END
};

static const char report_what[] =
	"Regenerate summary.csv, summary.json, report.txt and the plots (PNG and\n"
	"SVG, via gnuplot) of results directory DIR from its reps.csv, boots.csv\n"
	"and manifest.json, then print report.txt.\n"
	"Exit status: 0 done, 1 bad or missing input or a failed plot, 2 usage,\n"
	"3 a decided change crossed --fail-if (everything was written).";

/* 0, 1 for --help (printed), -EINVAL on a usage error (already explained). */
static int parse_args(int argc, char **argv, struct report_args *a)
{
	struct nb_optgroup g[] = { { report_opts, a }, { nb_boot_opt_rows, &a->boot }, { NULL } };
	int first;

	nb_boot_defaults(&a->boot);
	first = nb_opt_parse("report", argc, argv, g);
	if (first == NB_OPT_HELP)
		return nb_opt_usage(stdout, "report", "[options] DIR", report_what, g), 1;
	if (first < 0 || nb_opt_operands("report", argc, argv, first, 1, 1))
		return -EINVAL;
	a->dir = argv[first];
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

/*
 * The CI gate: --fail-if, else the experiment file's (manifest.json, untrusted).
 * 0 (none, or not crossed), 3 crossed (said on stderr), -EINVAL (err set).
 */
static int gate(const struct nb_results *r, const char *arg, char *err, size_t errlen)
{
	const char *text = arg ? arg : nb_results_setup(r, 0, "fail_if");
	struct nb_gate g;
	char why[512];
	int n;

	if (!*text)
		return 0;
	if (nb_gate_parse(text, &g, why, sizeof(why)))
		return snprintf(err, errlen, "%s/manifest.json: %s", nb_results_dir(r, 0), why), -EINVAL;
	n = nb_gate_check(r, &g, why, sizeof(why));
	if (n < 0)
		return snprintf(err, errlen, "%s", why), -EINVAL;
	if (n)
		fprintf(stderr, "nestbench report: %s: exit 3\n", why);
	return n ? 3 : 0;
}

/* --mail: the block only, nothing written. */
static int print_mail(const struct nb_results *r, char *err, size_t errlen)
{
	nb_write_mail(stdout, r);
	if (!fflush(stdout) && !ferror(stdout))
		return 0;
	snprintf(err, errlen, "write error on standard output");
	return -EIO;
}

static int outputs(const struct nb_results *r, const struct report_args *a, char *err, size_t errlen)
{
	int ret;

	if (a->mail)
		return print_mail(r, err, errlen);
	ret = nb_report_write_all(r, &a->boot, a->out, err, errlen);
	if (!a->quiet)
		print_file(a->out, "report.txt");
	return ret;
}

int cmd_report(int argc, char **argv)
{
	struct report_args a = { 0 };
	struct nb_results *r = NULL;
	char err[1024];
	int ret = parse_args(argc, argv, &a);

	if (ret)
		return ret > 0 ? 0 : 2;
	if (check_costs())
		return 2;
	if (!a.out)
		a.out = a.dir;
	ret = nb_results_load(a.dir, &r, err, sizeof(err)) ?:
	      nb_results_analyze(r, &a.boot) ?:
	      outputs(r, &a, err, sizeof(err)) ?:
	      gate(r, a.fail_if, err, sizeof(err));
	nb_results_free(r);
	if (ret < 0)
		fprintf(stderr, "nestbench report: %s\n", ret == -ENOMEM ? "out of memory" : err);
	return ret < 0 ? 1 : ret;
}
