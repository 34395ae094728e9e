// SPDX-License-Identifier: GPL-2.0
/*
 * nestbench trace FILE.dat [--level N] [--json] [--detail]
 * nestbench trace --bench FILE.dat [--repeat N]
 *
 * The first form prints one level's counters (collect/analyze.h). The
 * second times this parser against `trace-cmd report FILE > /dev/null` on
 * the same file, alternating them so both see the same machine noise, and
 * prints the ratio: on a shared machine only the ratio means something.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/builtin.h"
#include "collect/analyze.h"
#include "stack/opt.h"
#include "stack/plan.h"
#include "stack/util.h"

struct trace_opts {
	const char *path;
	int level;
	int json;
	int detail;
	int bench;
	int repeat;
};

/* Wall and CPU seconds of one parse. */
struct cost {
	double wall;
	double cpu;
};

#define T struct trace_opts
static const struct nb_opt trace_opts_tab[] = {
	OPT_INT("level", T, level, 0, NB_MAX_DEPTH, 0, "N", NB_IN_CLI, "the level the trace was recorded at"),
	OPT_FLAG("json", T, json, "one JSON object instead of the table"),
	OPT_FLAG("detail", T, detail, "every counter, not only those of the report"),
	OPT_FLAG("bench", T, bench, "time the parse against trace-cmd report's, side by side"),
	OPT_INT("repeat", T, repeat, 1, 1000000, 3, "N", NB_IN_CLI, "parses per side for --bench"),
	OPT_END
};

static const char trace_what[] =
	"The counters of one trace.dat (raw/boot-N/trace-Ln-repR.dat), as the runner puts them\n"
	"into reps.csv. Exit status: 0 done, 1 unreadable or damaged trace, 2 usage.";

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double tv_sec(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

/* 0, 1 after --help, -EINVAL on a usage error (explained). */
static int parse_opts(int argc, char **argv, struct trace_opts *o)
{
	struct nb_optgroup g[] = { { trace_opts_tab, o }, { NULL } };
	int first;

	nb_opt_defaults(trace_opts_tab, o);
	first = nb_opt_parse("trace", argc, argv, g);
	if (first == NB_OPT_HELP)
		return nb_opt_usage(stdout, "trace", "[options] FILE.dat", trace_what, g), 1;
	if (first < 0 || nb_opt_operands("trace", argc, argv, first, 1, 1))
		return -EINVAL;
	o->path = argv[first];
	return 0;
}

static int count(const struct trace_opts *o)
{
	struct nb_counts c;
	char why[256];
	int ret = nb_analyze_isolated(o->path, o->level, &c, why, sizeof(why));

	if (ret) {
		fprintf(stderr, "nestbench trace: %s: %s%s\n", o->path,
			ret == -ECHILD ? "trace damaged: " : "", why);
		return 1;
	}
	if (o->json)
		nb_counts_print_json(stdout, &c);
	else
		nb_counts_print(stdout, &c);
	if (o->detail && !o->json)
		nb_counts_print_detail(stdout, &c);
	if (c.lost)
		fprintf(stderr, "nestbench trace: %s: %" PRId64 " events lost: "
			"counts are lower bounds\n", o->path, c.lost);
	if (c.damaged)
		fprintf(stderr, "nestbench trace: %s: trace damaged: %" PRIu64 " records "
			"unreadable or missing (see --detail): counts are not to be trusted\n",
			o->path, c.damaged);
	return c.damaged ? 1 : 0;
}

static int time_ours(const char *path, struct cost *k, uint64_t *events)
{
	struct nb_counts c;
	double w = now(CLOCK_MONOTONIC), t = now(CLOCK_PROCESS_CPUTIME_ID);
	int ret = nb_analyze_file(path, 0, &c);

	k->wall = now(CLOCK_MONOTONIC) - w;
	k->cpu = now(CLOCK_PROCESS_CPUTIME_ID) - t;
	*events = c.events;
	return ret;
}

/* fork/exec, never a shell: the path is passed as one argv element. */
static void exec_report(const char *path)
{
	char *argv[] = { "trace-cmd", "report", "-i", (char *)path, NULL };
	int fd = open("/dev/null", O_WRONLY);

	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
		_exit(126);
	execvp(argv[0], argv);
	_exit(127);
}

static int time_report(const char *path, struct cost *k)
{
	struct rusage ru;
	double w = now(CLOCK_MONOTONIC);
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid)
		exec_report(path);
	if (wait4(pid, &status, 0, &ru) < 0)
		return -errno;
	k->wall = now(CLOCK_MONOTONIC) - w;
	k->cpu = tv_sec(&ru.ru_utime) + tv_sec(&ru.ru_stime);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return WIFEXITED(status) && WEXITSTATUS(status) == 127 ? -ENOENT : -EIO;
	return 0;
}

static void keep_min(struct cost *best, const struct cost *k)
{
	if (k->wall < best->wall)
		best->wall = k->wall;
	if (k->cpu < best->cpu)
		best->cpu = k->cpu;
}

static void print_rate(const char *who, const struct cost *k, uint64_t events,
		       double mb)
{
	printf("%-18s wall %8.3f s  cpu %8.3f s  %12.0f events/s  %8.1f MB/s\n",
	       who, k->wall, k->cpu, events / k->cpu, mb / k->cpu);
}

static int bench(const struct trace_opts *o)
{
	struct cost ours = { 1e30, 1e30 }, theirs = { 1e30, 1e30 }, k;
	uint64_t events = 0;
	struct stat st;
	int i, ret = stat(o->path, &st) ? -errno : 0;

	for (i = 0; !ret && i < o->repeat; i++) {
		ret = time_ours(o->path, &k, &events);
		keep_min(&ours, &k);
		if (!ret)
			ret = time_report(o->path, &k);
		keep_min(&theirs, &k);
	}
	if (ret) {
		fprintf(stderr, "nestbench trace --bench: %s: %s\n", o->path,
			ret == -ENOENT ? "trace-cmd not found" : strerror(-ret));
		return 1;
	}
	printf("file %s: %" PRIu64 " events, %.1f MB; best of %d, rates per CPU second\n",
	       o->path, events, st.st_size / 1e6, o->repeat);
	print_rate("nestbench trace", &ours, events, st.st_size / 1e6);
	print_rate("trace-cmd report", &theirs, events, st.st_size / 1e6);
	printf("speedup (trace-cmd report / nestbench): cpu %.1fx  wall %.1fx\n",
	       theirs.cpu / ours.cpu, theirs.wall / ours.wall);
	return 0;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_opts o = { 0 };
	int ret = parse_opts(argc, argv, &o);

	if (ret)
		return ret < 0 ? 2 : 0;
	return o.bench ? bench(&o) : count(&o);
}
