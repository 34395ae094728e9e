/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Counting what the patch removes, from one level's trace.dat (host side).
 *
 * The counters are the L<n>.* columns of docs/results-format.md; how they
 * are derived is in docs/counting.md. The window attribution (which FP
 * saves happen inside a nested ERET / nested exception) is a separate
 * state machine fed with abstract events, so it can be tested without a
 * trace file.
 */
#ifndef NB_COLLECT_ANALYZE_H
#define NB_COLLECT_ANALYZE_H

#include <stdint.h>
#include <stdio.h>

#define NB_EC_MAX	64	/* ESR_ELx.EC is 6 bits */

/*
 * What a record is to the attribution: an edge of a window (the tracer's
 * own probes, collect/events.h) or NB_EV_ROW + i, an event that row i of
 * collect/counters.c's table counts (its source). nb_ev_of() names them.
 */
enum nb_ev {
	NB_EV_ERET_IN,		/* entry of kvm_emulate_nested_eret */
	NB_EV_ERET_OUT,		/* its return */
	NB_EV_EXC_IN,		/* entry of the nested exception injection */
	NB_EV_EXC_OUT,
	NB_EV_ROW,
};

#define NB_EV_IGNORE	(-1)	/* a record nestbench does not count */
#define NB_EV_MARKER	(-3)	/* ftrace:print: the tracer's NB_STATS_MARKER */

/* The event of the counter row called name; NB_EV_IGNORE if no traced row is. */
int nb_ev_of(const char *name);
/* What the records of event system:name are: an nb_ev, NB_EV_MARKER or NB_EV_IGNORE. */
int nb_analyze_classify(const char *system, const char *name);

enum nb_window { NB_WIN_ERET, NB_WIN_EXC, NB_WIN_MAX };

struct nb_counts {
	int level;
	/* the contract's columns */
	uint64_t nested_eret;
	uint64_t nested_exc;
	uint64_t transitions;
	uint64_t fp_save;
	uint64_t fp_save_nested;
	double fp_per_transition;	/* < 0: no transitions */
	uint64_t put_fp;
	uint64_t load_fp;
	double eret_ns;			/* < 0: no complete window */
	double exc_ns;
	uint64_t exits;
	uint64_t vmm_exits;		/* each puts the vcpu: the FP saves outside the windows */
	uint64_t cycles;		/* hardware counters, arm64 host's L0 only (NB_COUNT_NONE: none) */
	uint64_t instructions;
	int64_t lost;
	uint64_t damaged;		/* unknown + unparsable + missing + read errors */
	/* breakdown and diagnostics, not columns */
	uint64_t exits_ec[NB_EC_MAX];
	uint64_t windows[NB_WIN_MAX];	/* complete outermost windows */
	uint64_t window_ns[NB_WIN_MAX];	/* their summed durations */
	uint64_t unmatched_in;		/* entries never returned from */
	uint64_t unmatched_out;		/* returns without an entry */
	uint64_t windows_resched;	/* windows with more than one put_fp */
	uint64_t lost_marker;		/* what the tracer reported */
	uint64_t lost_cpustats;		/* what trace-cmd saved */
	uint64_t lost_missed;		/* gaps flagged in the data pages */
	uint64_t events;		/* records read */
	uint64_t unknown;		/* records of an event id the file does not define */
	uint64_t unparsable;		/* records too short for the fields we read */
	uint64_t expected;		/* records trace-cmd says it saved ("read events"), 0: not said */
	uint64_t read_errors;		/* the iteration itself failed */
};

/*
 * Window attribution: per CPU, a stack of open windows. An FP save while
 * the stack of its CPU is not empty is "nested". A return pops the topmost
 * window of its kind (entries above it lost their returns); a return with
 * no open window of its kind is counted and ignored. Durations are taken
 * from outermost windows of a kind only, so a wrapper calling a wrapper
 * (kvm_inject_nested_sea -> kvm_inject_nested_sync) is one injection.
 * A window is entry to return, which is wider than the kernel's flagged
 * region: a reschedule at its preempt_enable() puts/loads the vcpu again,
 * unflagged. Such windows (more than one put_fp) are counted, not removed.
 * The caller owns *a and frees it with nb_attr_free().
 */
struct nb_attr;

int nb_attr_create(struct nb_attr **a);
void nb_attr_free(struct nb_attr *a);
/* Returns 0, -ENOMEM (a new CPU's state could not be allocated) or -EINVAL (no such CPU or ev). */
int nb_attr_event(struct nb_attr *a, struct nb_counts *c, int cpu,
		  int ev, uint64_t ts);
/* Events were lost on cpu: its open windows can no longer be trusted. */
void nb_attr_gap(struct nb_attr *a, struct nb_counts *c, int cpu);
/* End of data: close the books and compute the derived columns. */
void nb_attr_finish(struct nb_attr *a, struct nb_counts *c);

void nb_counts_init(struct nb_counts *c, int level);

/*
 * Fill *c from the trace.dat at path, for level (only used for naming).
 * Reads the instance NB_INSTANCE if the file has one, else the top buffer.
 * Returns 0 or -errno (-EINVAL: not a trace.dat).
 */
int nb_analyze_file(const char *path, int level, struct nb_counts *c);

/*
 * nb_analyze_file in a child process: libtracecmd and libtraceevent crash
 * or loop on some corrupted files, and one damaged trace must cost its
 * repetition's counters, not the run. 0 or -errno as nb_analyze_file;
 * -ECHILD when the child died or timed out (why says how): the trace is
 * damaged.
 */
int nb_analyze_isolated(const char *path, int level, struct nb_counts *c,
			char *why, size_t whylen);

/* "L<n>.name=value" lines, exactly the columns of docs/results-format.md;
 * undefined means (no transition, no window) are printed empty. */
void nb_counts_print(FILE *f, const struct nb_counts *c);
/* kvm_exit by ESR_ELx.EC and the diagnostics, as "# key=value" lines. */
void nb_counts_print_detail(FILE *f, const struct nb_counts *c);
struct json_object;
/* One member per counter row (no data: null), then the breakdown and the
 * diagnostics. The caller owns the object (json_object_put). */
struct json_object *nb_counts_json(const struct nb_counts *c);
void nb_counts_print_json(FILE *f, const struct nb_counts *c);

#endif
