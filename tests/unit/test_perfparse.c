// SPDX-License-Identifier: GPL-2.0
/* perf stat -x, output, as the agent brings it, into the perf rows of the counter table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "collect/counters.h"
#include "collect/perfparse.h"

/* What perf 7.3 writes with -x, -o FILE (the comment and blank lines included). */
#define HEAD "# started on Tue Nov 24 03:01:02 2026\n\n"
#define ERET "1536,,kvm:kvm_nested_eret,4021110,100.00,,\n"
#define EXC "49,,kvm:kvm_inject_nested_exception,4021110,100.00,,\n"
#define FP "2311,,nbperf:fp_save,4021110,100.00,,\n"

static void parse_table(void **state)
{
	static const struct { const char *text; int ok; const char *why; } t[] = {
		{ HEAD ERET EXC FP, 1, "" },
		{ ERET EXC FP, 1, "" },
		{ FP EXC ERET, 1, "" },					/* any order */
		{ ERET EXC, 3, "" },	/* today's agent: FP saves are the tracer's (perf_retired) */
		{ ERET FP, 0, "no count for kvm:kvm_inject_nested_exception" },
		{ ERET ERET EXC FP, 0, "event kvm:kvm_nested_eret twice" },
		{ ERET EXC "<not counted>,,nbperf:fp_save,0,0.00,,\n", 0, "nbperf:fp_save: <not counted>" },
		{ ERET EXC "-5,,nbperf:fp_save,1,100.00,,\n", 0, "nbperf:fp_save: count '-5' is not a number" },
		{ ERET EXC "99999999999999999999,,nbperf:fp_save,1,100.00,,\n", 0, "nbperf:fp_save: count" },
		{ ERET EXC "12x,,nbperf:fp_save,1,100.00,,\n", 0, "nbperf:fp_save: count '12x'" },
		{ ERET EXC FP "7,,kvm:kvm_exit,1,100.00,,\n", 0, "event 'kvm:kvm_exit' is not one nestbench counts" },
		{ ERET EXC "2311 nbperf:fp_save\n", 0, "not perf stat -x, output" },
		{ "# nestbench: perf stat failed: enabling the counters: Timer expired\n", 0,
		  "nestbench: perf stat failed: enabling the counters" },
		{ "", 0, "no count for" },
		/* an arm64 host's L0 also counts cycles and instructions; a virtual one may have no PMU */
		{ ERET EXC FP "81234567,,cycles,4021110,100.00,,\n99887766,,instructions,4021110,100.00,,\n", 2, "" },
		{ ERET EXC FP "<not supported>,,cycles,0,100.00,,\n<not supported>,,instructions,0,100.00,,\n", 1, "" },
		{ ERET EXC FP "-1,,cycles,4021110,100.00,,\n", 0, "cycles: count '-1'" },
	};
	char why[256];
	struct nb_counts c;
	unsigned i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int ret = nb_perf_parse(t[i].text, 1, &c, why, sizeof(why));

		if (t[i].ok) {
			assert_int_equal(ret, 0);
			assert_int_equal(c.level, 1);
			assert_int_equal(c.nested_eret, 1536);
			assert_int_equal(c.nested_exc, 49);
			assert_int_equal(c.transitions, 1585);
			assert_true(t[i].ok == 3 ? c.fp_save == NB_COUNT_NONE : c.fp_save == 2311);
			assert_true(c.fp_per_transition < 0);	/* needs event order: not from perf */
			assert_true(t[i].ok == 2 ? c.cycles == 81234567 && c.instructions == 99887766
						 : c.cycles == NB_COUNT_NONE && c.instructions == NB_COUNT_NONE);
		} else {
			assert_int_equal(ret, -22);
			if (strncmp(why, t[i].why, strlen(t[i].why)))
				fail_msg("case %u: why '%s', want '%s'", i, why, t[i].why);
		}
	}
}

/* Every perf row names an event: a tracepoint, or a probe of the perf group on a function. */
static void perf_rows_have_events(void **state)
{
	char ev[96];
	size_t i, n = 0;

	for (i = 0; i < nb_ncounters; i++) {
		if (!nb_counters[i].perf)
			continue;
		n++;
		nb_counter_perf_event(&nb_counters[i], ev, sizeof(ev));
		assert_true(nb_counters[i].host || strchr(ev, ':'));	/* a hardware event has no system */
		assert_true(nb_counters[i].source != NULL);
	}
	assert_true(n >= 3);
	assert_string_equal(nb_counters[nb_ncounters - 1].name, "damaged");	/* reps.csv's last column */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_table),
		cmocka_unit_test(perf_rows_have_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
