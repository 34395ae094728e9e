// SPDX-License-Identifier: GPL-2.0
/*
 * nestbench excount LOG: the exception counts of one QEMU `-d int` log
 * (raw/boot-N/cpu-int-repR.log), as the runner puts them into reps.csv,
 * and the details behind the attribution (docs/counting.md).
 */
#include <stdio.h>
#include <string.h>

#include "bench/builtin.h"
#include "collect/excount.h"
#include "stack/opt.h"
#include "stack/util.h"

static const struct nb_opt no_opts[] = { OPT_END };

static const char excount_what[] =
	"Counts of a QEMU -d int log of the emulated L0 (cpu.* columns of reps.csv), then\n"
	"'# ' detail lines. Exit status: 0 done, 1 unreadable log, 2 usage.";

int cmd_excount(int argc, char **argv)
{
	struct nb_optgroup g[] = { { no_opts, NULL }, { NULL } };
	struct nb_exc_counts c;
	uint64_t t0;
	int ret = nb_opt_parse("excount", argc, argv, g);

	if (ret == NB_OPT_HELP)
		return nb_opt_usage(stdout, "excount", "LOG", excount_what, g), 0;
	if (ret < 0 || nb_opt_operands("excount", argc, argv, ret, 1, 1))
		return 2;
	argv += ret - 1;
	t0 = nb_now_ns();
	ret = nb_exc_parse_file(argv[1], &c);
	if (ret) {
		fprintf(stderr, "nestbench excount: %s: %s\n", argv[1], strerror(-ret));
		return 1;
	}
	nb_exc_print(stdout, &c);
	nb_exc_print_detail(stdout, &c);
	printf("# parse_s=%.3f\n", nb_secs(nb_now_ns() - t0));
	if (c.bad)
		fprintf(stderr, "nestbench excount: %llu broken line(s)\n", (unsigned long long)c.bad);
	return 0;
}
