/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A workload: what runs in the innermost guest, how it is sized per depth,
 * how its repetitions are bracketed by start/end marks, the metrics it
 * reports and how its output is parsed on the host. One file per workload
 * (workloads/<name>.c) holds all of it, and one row of the table in
 * workloads/table.c makes it known. The same file is built into the agent
 * (NB_AGENT: the runner) and into nestbench (the parser); docs/workloads.md.
 *
 * Every workload's window -- the time between a repetition's marks in L0's
 * clock (reps.csv io_ns, host_ns) -- is its primary metric: the one clock a
 * verdict may come from. Its own metrics are measured in the innermost
 * guest's clock and reported beside it.
 */
#ifndef NB_WORKLOAD_H
#define NB_WORKLOAD_H

#include <stddef.h>

#include "stack/plan.h"
#include "stack/util.h"

#define NB_WL_MAX_METRICS	8
#define NB_WL_MAX_KEYS		8

enum nb_better { NB_LOWER_BETTER, NB_HIGHER_BETTER };

struct nb_wl_metric {
	const char *col;	/* reps.csv column */
	const char *what;	/* label in the report */
	const char *unit;	/* of the column */
	const char *dunit;	/* displayed: the column times scale */
	double scale;
	const char *fmt;	/* printf format of the column, e.g. "%.3f" */
	enum nb_better better;
	int report;		/* in report.txt (all are in summary.csv) */
};

/* An integer key of the experiment file (or --wl KEY=V), with its default per depth. */
struct nb_wl_key {
	const char *name, *help;
	int min, max;
	int def[NB_MAX_DEPTH + 1];	/* index: the depth */
};

struct nb_workload {
	const char *name;		/* experiment files: workload = NAME */
	const char *window;		/* what the marks bracket: "io time" */
	const char *rootfs_key;		/* images manifest key that says the rootfs has it */
	const char *out_ext;		/* raw output: NAME-rep<R>.EXT, NAME-reps<F>-<L>.EXT */
	const struct nb_wl_key *keys;	/* NULL-named end; NULL: it takes a job file instead */
	const char *default_job;	/* a job-file workload's job when none is given */
	const struct nb_wl_metric *metrics;
	size_t nmetrics;
	/* host: the plan's parameter text from the experiment's keys (see nb_wl_params) */
	int (*validate)(const char *params, char *err, size_t errlen);
	/* host: repetition idx (0..) of an output file holding several -> values[nmetrics] */
	int (*parse)(const char *text, int idx, double *values);
	/*
	 * agent: prepare files and the argv of one process that runs k
	 * repetitions, writing what parse reads to `out`, each repetition
	 * bracketed by `nbagent mark start|end` (fd 3 is the mark socket).
	 * together: how many repetitions one process may run (1: one each;
	 * NULL: all of them).
	 */
	int (*command)(const struct nb_plan *p, int k, const char *out, struct nb_argv *argv);
	int (*together)(const struct nb_plan *p, int total);
	/* agent: `nbagent NAME ...` runs this in the guest (the workload's own program), NULL: none */
	int (*agent_main)(int argc, char **argv);
};

extern const struct nb_workload nb_wl_fio, nb_wl_hackbench, nb_wl_micro;

/* NULL-terminated list, in table order. */
const struct nb_workload *const *nb_workloads(void);
/* By name; "" is the default workload (the table's first row), older results' too. */
const struct nb_workload *nb_workload_find(const char *name);
/* "fio, hackbench or micro", for errors. */
const char *nb_workload_list(void);
/* 1 when it takes a job file (job =, --job) rather than keys. */
static inline int nb_wl_takes_job(const struct nb_workload *w)
{
	return !w->keys;
}
/*
 * The plan's workload made whole, once, on the host: the default one when
 * none is named; a job-file workload's job (given, else its default), or a
 * keyed workload's parameters from `keys` ("key=value\n" lines, NULL: none)
 * sized for the plan's depth; then its own validate(). -EINVAL with the
 * problem and fix in err.
 */
int nb_wl_plan_prepare(struct nb_plan *p, const char *keys, char *err, size_t errlen);
/* The workload that owns an experiment key; NULL if none does. */
const struct nb_workload *nb_workload_key_owner(const char *key, const struct nb_wl_key **k);
/*
 * The parameter text of a key=value workload at `depth`: each key's value
 * from `given` ("key=value\n" lines, already checked) or its default for
 * the depth. Caller frees.
 */
char *nb_wl_params(const struct nb_workload *w, const char *given, int depth);
/* Key `name` of params as an int (its default at depth 1 when absent). */
int nb_wl_param(const struct nb_workload *w, const char *params, const char *name);
/* Checks each line of key=value params against the workload's keys. */
int nb_wl_validate_keys(const struct nb_workload *w, const char *params, char *err, size_t errlen);

/* argv[1] names a workload with its own program in the agent: that program's exit status, else -ENOENT. */
int nb_wl_agent_main(int argc, char **argv);

#endif
