// SPDX-License-Identifier: GPL-2.0
/*
 * Exceptions at the emulated CPU, host side (docs/counting.md): the emulated
 * L0's QEMU gets an HMP monitor socket; at a repetition's start mark its
 * `-d int` log is pointed at raw/boot-N/cpu-int-rep<R>.log and switched on,
 * at the end mark switched off. The log is parsed once QEMU has closed it
 * (at the next mark, or when the boot is over) and its counts become the
 * repetition's cpu.* columns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "bench/cpulog.h"
#include "bench/reps.h"
#include "bench/run.h"
#include "collect/excount.h"
#include "stack/platform.h"
#include "stack/monitor.h"
#include "stack/util.h"

#define CMD_MS	10000	/* a monitor command: QEMU's main loop answers between TBs */

static void cpulog_disable(struct cpulog *cl, const char *what, int err)
{
	if (!cl->on)
		return;
	fprintf(stderr, "nestbench: boot %d: exception counting off: %s: %s\n", cl->cfg->boot, what,
		err == -EPROTO ? cl->reply : strerror(-err));
	cl->on = 0;
}

/* The monitor's path and QEMU's -D into env; nothing when the plan does not count exceptions. */
int cpulog_init(struct cpulog *cl, const struct run_cfg *cfg, const char *raw, struct nb_qemu_env *env)
{
	*cl = (struct cpulog){ .cfg = cfg, .raw = raw };
	if (!nb_plan_platform(&cfg->plan)->l0_guest || cfg->plan.excount == NB_EXC_OFF)
		return 0;
	snprintf(cl->sock, sizeof(cl->sock), "/tmp/nestbench-%d-b%d-mon.sock",
		 cfg->harness ? cfg->harness : (int)getpid(), cfg->boot);
	if (snprintf(cl->path, sizeof(cl->path), "%s/cpu-int.log", raw) >= (int)sizeof(cl->path))
		return -ENAMETOOLONG;
	env->monitor = cl->sock;
	env->cpu_log = cl->path;
	cl->on = 1;
	return 0;
}

static int cmd(struct cpulog *cl, const char *line)
{
	int ret;

	if (!cl->mon) {
		cl->mon = nb_monitor_open(cl->sock, CMD_MS);
		if (!cl->mon)
			return -errno;
	}
	ret = nb_monitor_cmd(cl->mon, line, CMD_MS, cl->reply, sizeof(cl->reply));
	return ret;
}

static int wanted(const struct cpulog *cl, const char *mode)
{
	/* not in an exit repetition: perf kvm stat's sampling is in its exceptions */
	return cl->on && strcmp(mode, "exits") &&
	       (cl->cfg->plan.excount == NB_EXC_ALL || !strcmp(mode, "counting"));
}

/* The log of the repetition that was switched off, now closed by QEMU. */
static void take_pending(struct cpulog *cl, struct reps *reps)
{
	struct nb_exc_counts c;
	uint64_t t0 = nb_now_ns();
	char path[4300];
	int ret;

	if (!cl->pending)
		return;
	snprintf(path, sizeof(path), "%s/cpu-int-rep%d.log", cl->raw, cl->pending);
	ret = nb_exc_parse_file(path, &c);
	if (ret)
		fprintf(stderr, "nestbench: boot %d: %s: %s\n", cl->cfg->boot, path, strerror(-ret));
	else
		reps_cpu(reps, cl->pending, &c);
	cl->parse_s += nb_secs(nb_now_ns() - t0);
	cl->pending = 0;
}

static void start(struct cpulog *cl, struct reps *reps, int n)
{
	uint64_t t0 = nb_now_ns();
	char line[4400];
	int ret;

	snprintf(line, sizeof(line), "logfile %s/cpu-int-rep%d.log", cl->raw, n);
	ret = cmd(cl, line);
	if (ret)
		return cpulog_disable(cl, "logfile", ret);
	ret = cmd(cl, "log int");
	if (ret)
		return cpulog_disable(cl, "log int", ret);
	reps_cpu_expect(reps, n);
	cl->rep = n;
	cl->lag_s += nb_secs(nb_now_ns() - t0);
}

static void stop(struct cpulog *cl, int n)
{
	uint64_t t0 = nb_now_ns();
	int ret;

	if (cl->rep != n)
		return;
	ret = cmd(cl, "log none");
	cl->rep = 0;
	cl->lag_s += nb_secs(nb_now_ns() - t0);
	if (ret)
		return cpulog_disable(cl, "log none", ret);
	cl->pending = n;
}

void cpulog_mark(struct cpulog *cl, struct reps *reps, const char *text)
{
	char what[16], mode[16];
	int n;

	if (sscanf(text, "%15s %d %15s", what, &n, mode) != 3 || n < 1)
		return;
	take_pending(cl, reps);
	if (!strcmp(what, "start") && wanted(cl, mode))
		start(cl, reps, n);
	else if (!strcmp(what, "end"))
		stop(cl, n);
}

/* QEMU has exited: its last log is closed. */
void cpulog_finish(struct cpulog *cl, struct reps *reps)
{
	struct stat st;

	take_pending(cl, reps);
	nb_monitor_close(cl->mon);
	cl->mon = NULL;
	if (cl->sock[0])
		unlink(cl->sock);
	if (cl->path[0] && !stat(cl->path, &st) && !st.st_size)
		unlink(cl->path);	/* QEMU creates -D's file at start; the logs have their own names */
	if (cl->lag_s > 0 || cl->parse_s > 0)
		reps_phase_row(reps, "cpu_log_cmds", cl->lag_s);
	if (cl->parse_s > 0)
		reps_phase_row(reps, "cpu_log_parse", cl->parse_s);
}
