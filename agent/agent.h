/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_AGENT_H
#define NB_AGENT_H

#include "stack/census.h"
#include "stack/level.h"
#include "stack/plan.h"

struct nb_agent {
	struct nb_plan plan;
	int level;
	int port;		/* channel to the parent */
	struct nb_decoder *dec;	/* frames from the parent */
	int armed_rep;		/* last ARM received from above */
	uint64_t t_beat;
	int quiet;		/* inside an I/O window: heartbeats every 30 s, not 2 s */
	struct nb_tracer *tracer;	/* emulating levels only */
	struct nb_perfstat *perf;	/* emulating levels, timing repetitions */
	int perf_err;			/* perf could not be set up: -errno */
	struct nb_perfstat *kvm;	/* L0, exit repetitions: perf kvm stat record */
	int kvm_err;
	struct nb_census census;	/* at the window's start mark */
};

int agent_send(struct nb_agent *a, unsigned int type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int agent_send_file(struct nb_agent *a, const char *name, const char *path);
/* Read frames from the parent; returns -1 if the parent went away. */
int agent_read_parent(struct nb_agent *a, struct nb_child *below);
void agent_beat(struct nb_agent *a, const char *doing);

int agent_workload(struct nb_agent *a);	/* innermost level */
int agent_relay(struct nb_agent *a);	/* every other level */
int agent_mark(int argc, char **argv);	/* `nbagent mark start|end`, from the workload */
int agent_loop(int argc, char **argv);	/* `nbagent loop K OUT PROG ARG...` */

#endif
