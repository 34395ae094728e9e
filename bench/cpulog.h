/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exception logging of the emulated L0, switched at the I/O marks (bench/cpulog.c).
 */
#ifndef NB_CPULOG_H
#define NB_CPULOG_H

#include "stack/qemu.h"

struct run_cfg;
struct reps;
struct nb_monitor;

struct cpulog {
	const struct run_cfg *cfg;
	const char *raw;		/* raw/boot-N, where the logs go */
	char sock[108];			/* the monitor's UNIX socket */
	char path[4200];		/* QEMU's -D until the first repetition names its own */
	char reply[256];		/* QEMU's answer when a command failed */
	struct nb_monitor *mon;		/* connected at the first command */
	int on;				/* counting, until a command fails */
	int rep;			/* repetition being logged, 0 none */
	int pending;			/* repetition whose log waits to be parsed, 0 none */
	double lag_s, parse_s;		/* host time in monitor commands, in parsing */
};

/* Sets env->monitor and env->cpu_log when cfg's plan counts exceptions. 0 or -errno. */
int cpulog_init(struct cpulog *cl, const struct run_cfg *cfg, const char *raw, struct nb_qemu_env *env);
/* A mark frame's text ("start 3 counting", "end 3 counting"), as it reaches the host. */
void cpulog_mark(struct cpulog *cl, struct reps *reps, const char *text);
/* After L0's QEMU exited: the last log, the host time it cost (phases.csv). */
void cpulog_finish(struct cpulog *cl, struct reps *reps);

#endif
