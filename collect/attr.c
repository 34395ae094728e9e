// SPDX-License-Identifier: GPL-2.0
/*
 * Window attribution state machine (see collect/analyze.h).
 *
 * Per CPU rather than per task: the kernel sets IN_NESTED_ERET /
 * IN_NESTED_EXCEPTION with preemption disabled, so the put/load (and the FP
 * save the patch removes) runs on the CPU that entered the window.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "collect/analyze.h"
#include "collect/counters.h"

/* kvm_emulate_nested_eret -> kvm_inject_nested_sync -> (sea -> sync) is
 * the deepest legitimate nesting; more means returns are being lost. */
#define NB_ATTR_DEPTH	8

struct nb_open {
	enum nb_window kind;
	uint64_t ts;
	unsigned int puts;	/* put_fp calls while this was the top window */
};

struct nb_cpu {
	struct nb_open stack[NB_ATTR_DEPTH];
	int depth;
};

struct nb_attr {
	struct nb_cpu *cpus;
	int nr_cpus;
	int fp_save, put_fp;	/* the events counted with the windows in mind */
};

int nb_ev_of(const char *name)
{
	const struct nb_counter *k = nb_counter_find(name);
	struct nb_trace_event ev[NB_MAX_COUNTERS];
	size_t i, n = nb_trace_events(ev, NB_MAX_COUNTERS);

	for (i = 0; k && i < n; i++)
		if (ev[i].row == k)
			return NB_EV_ROW + (int)(k - nb_counters);
	return NB_EV_IGNORE;
}

int nb_attr_create(struct nb_attr **a)
{
	*a = calloc(1, sizeof(**a));
	if (!*a)
		return -ENOMEM;
	(*a)->fp_save = nb_ev_of("fp_save");
	(*a)->put_fp = nb_ev_of("put_fp");
	return 0;
}

void nb_attr_free(struct nb_attr *a)
{
	if (!a)
		return;
	free(a->cpus);
	free(a);
}

static struct nb_cpu *cpu_get(struct nb_attr *a, int cpu)
{
	struct nb_cpu *n;
	int nr;

	if (cpu < 0)
		return NULL;
	if (cpu < a->nr_cpus)
		return &a->cpus[cpu];
	nr = cpu + 1 > 2 * a->nr_cpus ? cpu + 1 : 2 * a->nr_cpus;
	n = realloc(a->cpus, nr * sizeof(*n));
	if (!n)
		return NULL;
	memset(n + a->nr_cpus, 0, (nr - a->nr_cpus) * sizeof(*n));
	a->cpus = n;
	a->nr_cpus = nr;
	return &a->cpus[cpu];
}

static void window_in(struct nb_cpu *p, struct nb_counts *c,
		      enum nb_window kind, uint64_t ts)
{
	if (p->depth == NB_ATTR_DEPTH) {
		/* the oldest entry is the one most likely to be stale */
		memmove(p->stack, p->stack + 1,
			(NB_ATTR_DEPTH - 1) * sizeof(p->stack[0]));
		p->depth--;
		c->unmatched_in++;
	}
	p->stack[p->depth].kind = kind;
	p->stack[p->depth].ts = ts;
	p->stack[p->depth].puts = 0;
	p->depth++;
}

static int kind_open_below(const struct nb_cpu *p, int top,
			   enum nb_window kind)
{
	int i;

	for (i = top - 1; i >= 0; i--)
		if (p->stack[i].kind == kind)
			return 1;
	return 0;
}

static void window_out(struct nb_cpu *p, struct nb_counts *c,
		       enum nb_window kind, uint64_t ts)
{
	int i;

	for (i = p->depth - 1; i >= 0 && p->stack[i].kind != kind; i--)
		;
	if (i < 0) {
		c->unmatched_out++;
		return;
	}
	c->unmatched_in += p->depth - 1 - i;
	p->depth = i;
	/* the kernel does one put/load per window: more is a reschedule */
	c->windows_resched += p->stack[i].puts > 1;
	if (kind_open_below(p, i, kind) || ts < p->stack[i].ts)
		return;
	c->windows[kind]++;
	c->window_ns[kind] += ts - p->stack[i].ts;
}

/*
 * A counted event: its row's count, and what the windows make of it. An FP
 * save inside a window is nested; a put_fp is the top window's (more than
 * one is a reschedule). Exits by EC: the analyzer, which has the record.
 */
static void count_event(struct nb_attr *a, struct nb_cpu *p, struct nb_counts *c, int ev)
{
	nb_counter_inc(&nb_counters[ev - NB_EV_ROW], c);
	if (ev == a->fp_save)
		c->fp_save_nested += p->depth > 0;
	else if (ev == a->put_fp && p->depth)
		p->stack[p->depth - 1].puts++;
}

int nb_attr_event(struct nb_attr *a, struct nb_counts *c, int cpu,
		  int ev, uint64_t ts)
{
	struct nb_cpu *p = cpu_get(a, cpu);

	if (!p)
		return cpu < 0 ? -EINVAL : -ENOMEM;
	switch (ev) {
	case NB_EV_ERET_IN:
		window_in(p, c, NB_WIN_ERET, ts);
		break;
	case NB_EV_EXC_IN:
		window_in(p, c, NB_WIN_EXC, ts);
		break;
	case NB_EV_ERET_OUT:
		window_out(p, c, NB_WIN_ERET, ts);
		break;
	case NB_EV_EXC_OUT:
		window_out(p, c, NB_WIN_EXC, ts);
		break;
	default:
		if (ev < NB_EV_ROW || ev >= NB_EV_ROW + (int)nb_ncounters)
			return -EINVAL;
		count_event(a, p, c, ev);
		break;
	}
	return 0;
}

void nb_attr_gap(struct nb_attr *a, struct nb_counts *c, int cpu)
{
	struct nb_cpu *p = cpu_get(a, cpu);

	if (!p)
		return;
	c->unmatched_in += p->depth;
	p->depth = 0;
}

static double ratio(uint64_t num, uint64_t den)
{
	return den ? (double)num / den : -1.0;
}

void nb_attr_finish(struct nb_attr *a, struct nb_counts *c)
{
	int i;

	for (i = 0; a && i < a->nr_cpus; i++)
		nb_attr_gap(a, c, i);
	c->transitions = c->nested_eret + c->nested_exc;
	c->fp_per_transition = ratio(c->fp_save_nested, c->transitions);
	c->eret_ns = ratio(c->window_ns[NB_WIN_ERET], c->windows[NB_WIN_ERET]);
	c->exc_ns = ratio(c->window_ns[NB_WIN_EXC], c->windows[NB_WIN_EXC]);
}

void nb_counts_init(struct nb_counts *c, int level)
{
	memset(c, 0, sizeof(*c));
	c->level = level;
	c->fp_per_transition = -1.0;
	c->cycles = c->instructions = UINT64_MAX;	/* NB_COUNT_NONE: no hardware counters */
	c->eret_ns = -1.0;
	c->exc_ns = -1.0;
}
