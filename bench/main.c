// SPDX-License-Identifier: GPL-2.0
/*
 * nestbench: measure KVM/arm64 nested-virtualization patches.
 * main() only dispatches; every subcommand lives in bench/builtin-*.c.
 */
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "bench/builtin.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct cmd cmds[] = {
	{ "run",        cmd_run,        "boot the nested stack once and run the workload" },
	{ "experiment", cmd_experiment, "run an experiment file (A/B, resume, report)" },
	{ "report",     cmd_report,     "regenerate CSV, JSON, plots and report.txt of a results directory" },
	{ "compare",    cmd_compare,    "one report from two results directories" },
	{ "stats",      cmd_stats,      "compare two files of numbers (like ministat)" },
	{ "trace",      cmd_trace,      "count nested transitions and FP saves in a trace.dat" },
	{ "excount",    cmd_excount,    "count the exceptions in a QEMU -d int log of the emulated L0" },
	{ "doctor",     cmd_doctor,     "what this host needs for a platform, and what is missing" },
	{ "micro",      cmd_micro,      "cost of one nested operation at depth 1, 2, 3 (micro workload)" },
	{ NULL },
};

static void usage(FILE *f)
{
	const struct cmd *c;

	fprintf(f, "usage: nestbench <command> [options]   (nestbench <command> --help)\n\n");
	for (c = cmds; c->name; c++)
		fprintf(f, "  %-11s %s\n", c->name, c->help);
}

int main(int argc, char **argv)
{
	const struct cmd *c;

	/* GSL's default handler aborts, on finite but extreme data too (1e308
	 * through the t distribution): with it off, GSL returns a status or NaN,
	 * which the statistics report as "not computable". */
	gsl_set_error_handler_off();
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (c = cmds; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "nestbench: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
