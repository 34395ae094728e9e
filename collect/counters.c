// SPDX-License-Identifier: GPL-2.0
/*
 * The counter table (collect/counters.h). The column order is reps.csv's:
 * append new rows before "damaged", which must stay last (an older reps.csv
 * has the columns up to it).
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "collect/analyze.h"
#include "collect/counters.h"
#include "collect/perfstat.h"

#define ROW(n, t) .name = #n, .type = t, .off = offsetof(struct nb_counts, n)
/* The trailing arguments are more designators: .explain, .from_perf */
#define U64(n, src_, probe_, label_, rep_, perf_, ...) \
	{ ROW(n, NB_CT_U64), .source = src_, .probe = probe_, .unit = "", .label = label_, \
	  .report = rep_, .perf = perf_, __VA_ARGS__ }
#define DBL(n, unit_, label_, rep_, clocked_, prec_, ...) \
	{ ROW(n, NB_CT_DOUBLE), .unit = unit_, .label = label_, .report = rep_, \
	  .clocked = clocked_, .prec = prec_, __VA_ARGS__ }
#define HW(n, label_) \
	{ ROW(n, NB_CT_U64), .source = #n, .unit = "", .label = label_, .perf = 1, .host = 1 }
#define STATUS(n, t, label_) { ROW(n, t), .unit = "", .label = label_, .status = 1 }

/* The explained-by order is the reader's: the ratio the patch removes, what it is per, then the time. */
const struct nb_counter nb_counters[] = {
	U64(nested_eret, "kvm:kvm_nested_eret", NULL, "nested ERETs", 0, 1),
	U64(nested_exc, "kvm:kvm_inject_nested_exception", NULL, "nested exceptions injected", 0, 1),
	U64(transitions, NULL, NULL, "nested transitions", 1, 0, .explain = 2, .from_perf = 1),
	/*
	 * Counted by the tracer only: a probe hit per save cost the base
	 * kernel's timing repetitions 1.8 % more than the patched one's (it
	 * saves ~1.1 per transition, the patched kernel none), a bias in the
	 * very comparison (docs/counting.md). Older runs' timing rows have it.
	 */
	U64(fp_save, "nestbench:fp_save", "fpsimd_save_and_flush_cpu_state", "FP saves", 0, 1, .perf_retired = 1),
	U64(fp_save_nested, NULL, NULL, "FP saves inside nested transitions", 1, 0),
	DBL(fp_per_transition, "", "FP saves per nested transition", 1, 0, 4, .explain = 1),
	U64(put_fp, "nestbench:put_fp", "kvm_arch_vcpu_put_fp", "kvm_arch_vcpu_put_fp calls", 0, 0),
	U64(load_fp, "nestbench:load_fp", "kvm_arch_vcpu_load_fp", "kvm_arch_vcpu_load_fp calls", 0, 0),
	DBL(eret_ns, "ns", "nested ERET emulation time", 1, 1, 1, .explain = 3),
	DBL(exc_ns, "ns", "nested exception injection time", 1, 1, 1),
	U64(exits, "kvm:kvm_exit", NULL, "KVM exits", 0, 0),
	U64(vmm_exits, "kvm:kvm_userspace_exit", NULL, "KVM_RUN returns to the VMM", 0, 0),
	HW(cycles, "CPU cycles (PMU)"),
	HW(instructions, "instructions (PMU)"),
	STATUS(lost, NB_CT_I64, "events lost"),
	STATUS(damaged, NB_CT_U64, "damaged records"),
};

const size_t nb_ncounters = sizeof(nb_counters) / sizeof(nb_counters[0]);
_Static_assert(sizeof(nb_counters) / sizeof(nb_counters[0]) <= NB_MAX_COUNTERS, "NB_MAX_COUNTERS");

const struct nb_counter *nb_counter_find(const char *name)
{
	size_t i;

	for (i = 0; i < nb_ncounters; i++)
		if (!strcmp(nb_counters[i].name, name))
			return &nb_counters[i];
	return NULL;
}

int nb_counter_timed(const struct nb_counter *k)
{
	return k->perf || k->from_perf;
}

/* "kvm:kvm_exit" -> "kvm", "kvm_exit"; NULL when the tracer does not record row k. */
static const char *traced_event(const struct nb_counter *k, char *sys, size_t len)
{
	const char *colon = k->source && !k->host ? strchr(k->source, ':') : NULL;

	if (!colon || (size_t)(colon - k->source) >= len)
		return NULL;
	snprintf(sys, len, "%.*s", (int)(colon - k->source), k->source);
	return colon + 1;
}

size_t nb_trace_events(struct nb_trace_event *ev, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < nb_ncounters && n < max; i++) {
		ev[n].name = traced_event(&nb_counters[i], ev[n].system, sizeof(ev[n].system));
		if (!ev[n].name)
			continue;
		ev[n].row = &nb_counters[i];
		ev[n++].probe = nb_counters[i].probe;
	}
	return n;
}

int nb_counter_counts(const struct nb_counter *k, const char *system, const char *name)
{
	char sys[32];
	const char *ev = traced_event(k, sys, sizeof(sys));

	return ev && !strcmp(sys, system) && !strcmp(ev, name);
}

void nb_counter_perf_event(const struct nb_counter *k, char *buf, size_t len)
{
	if (k->probe)
		snprintf(buf, len, "%s:%s", NB_PERF_GROUP, k->name);
	else
		snprintf(buf, len, "%s", k->source ? k->source : "");
}

void nb_counter_format(const struct nb_counter *k, const struct nb_counts *c, char *buf, size_t len)
{
	const char *p = (const char *)c + k->off;
	double d;

	switch (k->type) {
	case NB_CT_U64:
		if (*(const uint64_t *)p == NB_COUNT_NONE)
			*buf = '\0';
		else
			snprintf(buf, len, "%" PRIu64, *(const uint64_t *)p);
		break;
	case NB_CT_I64:
		snprintf(buf, len, "%" PRId64, *(const int64_t *)p);
		break;
	case NB_CT_DOUBLE:
		d = *(const double *)p;
		if (d < 0)	/* undefined: no data is not zero */
			*buf = '\0';
		else
			snprintf(buf, len, "%.*f", k->prec, d);
		break;
	}
}

void nb_counter_set_u64(const struct nb_counter *k, struct nb_counts *c, unsigned long long v)
{
	if (k->type == NB_CT_U64)
		*(uint64_t *)((char *)c + k->off) = v;
}

void nb_counter_inc(const struct nb_counter *k, struct nb_counts *c)
{
	if (k->type == NB_CT_U64)
		(*(uint64_t *)((char *)c + k->off))++;
}
