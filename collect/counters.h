/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one table of per-level counters (docs/counting.md): each row is a
 * reps.csv column "L<n>.<name>", a field of struct nb_counts, where its
 * value comes from, and how the report labels it. The tracer (what it
 * records), the analyzer (what it classifies and counts), the perf counting,
 * reps.csv, --json and the report all read it, so a new counter is one row
 * here (and its field).
 */
#ifndef NB_COLLECT_COUNTERS_H
#define NB_COLLECT_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

struct nb_counts;

enum nb_counter_type { NB_CT_U64, NB_CT_DOUBLE, NB_CT_I64 };

struct nb_counter {
	const char *name;	/* the column: L<n>.<name> */
	const char *source;	/* the event it counts, "system:event" (a host row: perf's hardware event); NULL: derived */
	const char *probe;	/* for a nestbench:* source, the function the tracer probes at entry */
	const char *unit;	/* "" or "ns" */
	const char *label;	/* the report's words */
	enum nb_counter_type type;
	size_t off;		/* in struct nb_counts */
	unsigned report:1;	/* in the report's counter table */
	unsigned explain:3;	/* place among the verdict's "explained by" lines, 1 first; 0: not there */
	unsigned from_perf:1;	/* derived from perf rows alone, without event order */
	unsigned clocked:1;	/* a time in the level's clock */
	unsigned perf:1;	/* counted by perf stat in every timing repetition */
	unsigned perf_retired:1; /* perf counted it in older runs: read there, no longer asked for */
	unsigned status:1;	/* flags the row (lost, damaged): not a metric */
	unsigned host:1;	/* a hardware counter: perf counts it at an arm64 host's L0 only */
	int prec;		/* digits printed for a double */
};

/* Room for the rows of nb_counters (checked where it is defined): perf's
 * parser keeps one bit per row in an unsigned. A new row is not counted here. */
#define NB_MAX_COUNTERS 32
#define NB_COUNT_NONE UINT64_MAX	/* a count with no data: an empty cell, not 0 */
/*
 * The range every count read from a guest or a file is parsed into: far
 * below NB_COUNT_NONE, so no count is taken as "none", and a few thousand
 * such counts add up without wrapping.
 */
#define NB_COUNT_MAX 1000000000000000ull	/* 1e15 */
#define NB_EXPLAIN_MAX 7	/* the largest explain place */

extern const struct nb_counter nb_counters[];
extern const size_t nb_ncounters;

const struct nb_counter *nb_counter_find(const char *name);

/* A timing repetition has row k: perf counts it, or it derives from perf's rows. */
int nb_counter_timed(const struct nb_counter *k);

/*
 * What the tracer records for the table (collect/tracer.c) and the analyzer
 * counts (collect/analyze.c): every row whose source is "system:event" and
 * not a hardware counter. A probe row's system is NB_KP_SYSTEM.
 */
struct nb_trace_event {
	const struct nb_counter *row;
	char system[32];
	const char *name;	/* in row->source */
	const char *probe;	/* NULL: a tracepoint to enable; else the function probed */
};

/* The traced rows into ev[0..max), in table order; returns how many. */
size_t nb_trace_events(struct nb_trace_event *ev, size_t max);
/* Row k counts the records of system:name. */
int nb_counter_counts(const struct nb_counter *k, const char *system, const char *name);

/* The event perf stat counts for row k: its tracepoint, or NB_PERF_GROUP:<name> for a probe. */
void nb_counter_perf_event(const struct nb_counter *k, char *buf, size_t len);
/* Value of row k in c, formatted as reps.csv holds it ("" = no data). */
void nb_counter_format(const struct nb_counter *k, const struct nb_counts *c, char *buf, size_t len);
void nb_counter_set_u64(const struct nb_counter *k, struct nb_counts *c, unsigned long long v);
/* One more event of row k (a count: a row of type NB_CT_U64). */
void nb_counter_inc(const struct nb_counter *k, struct nb_counts *c);

#endif
