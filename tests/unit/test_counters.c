// SPDX-License-Identifier: GPL-2.0
/*
 * The counter table (collect/counters.c) is what the tracer records, what
 * the analyzer classifies and counts, and what the JSON and the report
 * show: every traced row must reach all of them, through the table alone.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "collect/analyze.h"
#include "collect/counters.h"
#include "collect/events.h"

static int traced(const struct nb_counter *k)
{
	return k->source && !k->host && strchr(k->source, ':');
}

static const struct nb_trace_event *listed(const struct nb_trace_event *ev, size_t n,
					   const struct nb_counter *k)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ev[i].row == k)
			return &ev[i];
	return NULL;
}

/* The tracer's list has every traced row, and the analyzer classifies its event as that row. */
static void every_source_is_traced_and_classified(void **state)
{
	struct nb_trace_event ev[NB_MAX_COUNTERS];
	size_t n = nb_trace_events(ev, NB_MAX_COUNTERS), i, want = 0;
	char source[128];

	for (i = 0; i < nb_ncounters; i++) {
		const struct nb_counter *k = &nb_counters[i];
		const struct nb_trace_event *e = listed(ev, n, k);

		print_message("# %s\n", k->name);
		if (!traced(k)) {
			assert_null(e);
			assert_int_equal(nb_ev_of(k->name), NB_EV_IGNORE);
			continue;
		}
		want++;
		assert_non_null(e);
		snprintf(source, sizeof(source), "%s:%s", e->system, e->name);
		assert_string_equal(source, k->source);
		assert_int_equal(nb_analyze_classify(e->system, e->name), NB_EV_ROW + (int)i);
		assert_int_equal(nb_ev_of(k->name), NB_EV_ROW + (int)i);
		/* a probe is created in our group, whose events the tracer enables whole */
		assert_int_equal(!!e->probe, !strcmp(e->system, NB_KP_SYSTEM));
		assert_ptr_equal(e->probe, k->probe);
	}
	assert_int_equal(n, want);
	assert_true(want >= 6);	/* the counted events of docs/counting.md's table */
}

/* The windows stay the tracer's own, and what no row counts is ignored. */
static void windows_and_others(void **state)
{
	static const struct { const char *system, *name; int ev; } t[] = {
		{ NB_KP_SYSTEM, NB_KP_ERET_IN, NB_EV_ERET_IN },
		{ NB_KP_SYSTEM, NB_KP_EXC_OUT "_sync", NB_EV_EXC_OUT },
		{ NB_KP_SYSTEM, NB_KP_EXC_IN "x", NB_EV_IGNORE },
		{ "kvm", "kvm_entry", NB_EV_IGNORE },
		{ "kvm", "kvm_exi", NB_EV_IGNORE },
		{ "kv", "m:kvm_exit", NB_EV_IGNORE },
		{ "ftrace", "print", NB_EV_MARKER },
		{ NULL, "kvm_exit", NB_EV_IGNORE },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(nb_analyze_classify(t[i].system, t[i].name), t[i].ev);
	assert_int_equal(nb_ev_of("no_such_row"), NB_EV_IGNORE);
}

/* An event of a traced row adds one to its own column and to no other. */
static void a_row_counts_through_its_offset(void **state)
{
	struct nb_trace_event ev[NB_MAX_COUNTERS];
	size_t n = nb_trace_events(ev, NB_MAX_COUNTERS), i, j;
	char before[48], after[48];
	struct nb_counts c0, c;
	struct nb_attr *a;

	nb_counts_init(&c0, 0);
	for (i = 0; i < n; i++) {
		c = c0;
		assert_int_equal(nb_attr_create(&a), 0);
		assert_int_equal(nb_attr_event(a, &c, 0, nb_ev_of(ev[i].row->name), 1), 0);
		nb_attr_free(a);
		for (j = 0; j < nb_ncounters; j++) {
			nb_counter_format(&nb_counters[j], &c0, before, sizeof(before));
			nb_counter_format(&nb_counters[j], &c, after, sizeof(after));
			if (&nb_counters[j] == ev[i].row)
				assert_string_equal(after, "1");
			else
				assert_string_equal(after, before);
		}
	}
	assert_int_equal(nb_attr_create(&a), 0);
	assert_int_equal(nb_attr_event(a, &c, 0, NB_EV_ROW + (int)nb_ncounters, 1), -EINVAL);
	assert_int_equal(nb_attr_event(a, &c, 0, NB_EV_IGNORE, 1), -EINVAL);
	nb_attr_free(a);
}

/* `nestbench trace --json`: a member per row, null where there is no data. */
static void json_has_every_row(void **state)
{
	struct nb_counts c;
	struct json_object *o, *v;
	size_t i;

	nb_counts_init(&c, 1);
	c.fp_save = 7;
	o = nb_counts_json(&c);
	for (i = 0; i < nb_ncounters; i++) {
		print_message("# %s\n", nb_counters[i].name);
		assert_true(json_object_object_get_ex(o, nb_counters[i].name, &v));
	}
	assert_true(json_object_object_get_ex(o, "fp_save", &v));
	assert_int_equal(json_object_get_int64(v), 7);
	assert_true(json_object_object_get_ex(o, "eret_ns", &v));
	assert_null(v);		/* no window: no mean */
	assert_true(json_object_object_get_ex(o, "level", &v));
	assert_int_equal(json_object_get_int(v), 1);
	/* level, the rows, and the five diagnostics: nothing else */
	assert_int_equal(json_object_object_length(o), 1 + nb_ncounters + 5);
	json_object_put(o);
}

/* The explained-by lines: places 1, 2, ... once each, on rows the report shows. */
static void explain_places(void **state)
{
	unsigned seen = 0, max = 0;
	size_t i;

	for (i = 0; i < nb_ncounters; i++) {
		unsigned p = nb_counters[i].explain;

		if (!p)
			continue;
		assert_true(p <= NB_EXPLAIN_MAX);
		assert_false(seen & 1u << p);
		assert_true(nb_counters[i].report && !nb_counters[i].status);
		seen |= 1u << p;
		max = p > max ? p : max;
	}
	assert_true(max >= 1);
	assert_int_equal(seen, ((1u << (max + 1)) - 1) & ~1u);
}

/* A timing repetition has the perf rows and what derives from them alone. */
static void timed_rows(void **state)
{
	size_t i;

	for (i = 0; i < nb_ncounters; i++) {
		const struct nb_counter *k = &nb_counters[i];

		assert_int_equal(nb_counter_timed(k), k->perf || k->from_perf);
		assert_false(k->from_perf && k->source);	/* derived: no event of its own */
	}
	assert_true(nb_counter_timed(nb_counter_find("transitions")));
	assert_false(nb_counter_timed(nb_counter_find("fp_save_nested")));	/* needs event order */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_source_is_traced_and_classified),
		cmocka_unit_test(windows_and_others),
		cmocka_unit_test(a_row_counts_through_its_offset),
		cmocka_unit_test(json_has_every_row),
		cmocka_unit_test(explain_places),
		cmocka_unit_test(timed_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
