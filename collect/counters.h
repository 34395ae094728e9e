/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one table of per-level counters (docs/counting.md): each row is a
 * reps.csv column "L<n>.<name>", a field of struct nb_counts, where its
 * value comes from, and how the report labels it. The tracer's analyzer,
 * the perf counting, reps.csv and the report all read it, so a new counter
 * is one row here (and its field).
 */
#ifndef NB_COLLECT_COUNTERS_H
#define NB_COLLECT_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

struct nb_counts;

enum nb_counter_type { NB_CT_U64, NB_CT_DOUBLE, NB_CT_I64 };

struct nb_counter {
	const char *name;	/* the column: L<n>.<name> */
	const char *source;	/* the event it counts, "system:event"; NULL: derived */
	const char *probe;	/* for a nestbench:* source, the function probed at entry */
	const char *unit;	/* "" or "ns" */
	const char *label;	/* the report's words */
	enum nb_counter_type type;
	size_t off;		/* in struct nb_counts */
	unsigned report:1;	/* in the report's counter table */
	unsigned explain:1;	/* explains the verdict (stats/report.c) */
	unsigned clocked:1;	/* a time in the level's clock */
	unsigned perf:1;	/* counted by perf stat in every timing repetition */
	unsigned status:1;	/* flags the row (lost, damaged): not a metric */
	unsigned host:1;	/* a hardware counter: perf counts it at an arm64 host's L0 only */
	int prec;		/* digits printed for a double */
};

#define NB_NCOUNTERS 15	/* rows of nb_counters (checked where it is defined) */
#define NB_COUNT_NONE UINT64_MAX	/* a count with no data: an empty cell, not 0 */
/*
 * The range every count read from a guest or a file is parsed into: far
 * below NB_COUNT_NONE, so no count is taken as "none", and a few thousand
 * such counts add up without wrapping.
 */
#define NB_COUNT_MAX 1000000000000000ull	/* 1e15 */

extern const struct nb_counter nb_counters[NB_NCOUNTERS];
extern const size_t nb_ncounters;

const struct nb_counter *nb_counter_find(const char *name);

/* The event perf stat counts for row k: its tracepoint, or NB_PERF_GROUP:<name> for a probe. */
void nb_counter_perf_event(const struct nb_counter *k, char *buf, size_t len);
/* Value of row k in c, formatted as reps.csv holds it ("" = no data). */
void nb_counter_format(const struct nb_counter *k, const struct nb_counts *c, char *buf, size_t len);
void nb_counter_set_u64(const struct nb_counter *k, struct nb_counts *c, unsigned long long v);

#endif
