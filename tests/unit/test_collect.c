// SPDX-License-Identifier: GPL-2.0
/*
 * collect/: the window-attribution state machine on synthetic event
 * sequences, and the analyzer on recorded trace.dat fixtures.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "collect/analyze.h"

/*
 * A sequence is "CPU:OP@TS ..." with OP one of
 *   ei eo   entry / return of kvm_emulate_nested_eret
 *   xi xo   entry / return of the nested exception injection
 *   fp put load   fpsimd_save_and_flush_cpu_state, put_fp, load_fp
 *   ret exc exit  the kvm_nested_eret / kvm_inject_nested_exception /
 *                 kvm_exit tracepoints
 *   gap     events were lost on that CPU
 */
static const struct { const char *op; int ev; const char *row; } ops[] = {
	{ "ei", NB_EV_ERET_IN, NULL }, { "eo", NB_EV_ERET_OUT, NULL },
	{ "xi", NB_EV_EXC_IN, NULL }, { "xo", NB_EV_EXC_OUT, NULL },
	{ "fp", 0, "fp_save" }, { "put", 0, "put_fp" },
	{ "load", 0, "load_fp" }, { "ret", 0, "nested_eret" },
	{ "exc", 0, "nested_exc" }, { "exit", 0, "exits" },
	{ "gap", -1, NULL },
};

/* The window edges by constant, the counted events by their counter row. */
static int op_ev(const char *op)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(ops[i].op, op))
			continue;
		if (!ops[i].row)
			return ops[i].ev;
		assert_true(nb_ev_of(ops[i].row) >= NB_EV_ROW);
		return nb_ev_of(ops[i].row);
	}
	fail_msg("unknown op '%s'", op);
	return -2;
}

static void run_seq(const char *seq, struct nb_counts *c)
{
	struct nb_attr *a;
	const char *p = seq;
	char op[8];
	int cpu, n, ev;
	unsigned long long ts;

	nb_counts_init(c, 0);
	assert_int_equal(nb_attr_create(&a), 0);
	while (sscanf(p, " %d:%7[a-z]@%llu%n", &cpu, op, &ts, &n) == 3) {
		ev = op_ev(op);
		if (ev < 0)
			nb_attr_gap(a, c, cpu);
		else
			assert_int_equal(nb_attr_event(a, c, cpu, ev, ts), 0);
		p += n;
	}
	assert_true(*p == '\0');	/* the whole sequence parsed */
	nb_attr_finish(a, c);
	nb_attr_free(a);
}

struct want {
	uint64_t fp, fp_nested;
	uint64_t eret_w, eret_ns, exc_w, exc_ns;
	uint64_t unmatched_in, unmatched_out;
	uint64_t transitions;
	uint64_t resched;
};

static const struct sm_case {
	const char *name;
	const char *seq;
	struct want w;
} sm_cases[] = {
	{ "save outside any window", "0:fp@1 0:put@2 0:load@3",
	  { .fp = 1 } },
	{ "eret window with put+load saves",
	  "0:ei@10 0:put@11 0:fp@12 0:ret@13 0:load@14 0:fp@15 0:eo@30",
	  { .fp = 2, .fp_nested = 2, .eret_w = 1, .eret_ns = 20,
	    .transitions = 1 } },
	{ "exception window",
	  "0:xi@100 0:put@101 0:fp@102 0:exc@103 0:load@104 0:xo@150 0:fp@160",
	  { .fp = 2, .fp_nested = 1, .exc_w = 1, .exc_ns = 50,
	    .transitions = 1 } },
	{ "exception injected from inside an eret (FPAC)",
	  "0:ei@0 0:xi@5 0:fp@6 0:xo@10 0:fp@11 0:eo@20",
	  { .fp = 2, .fp_nested = 2, .eret_w = 1, .eret_ns = 20,
	    .exc_w = 1, .exc_ns = 5 } },
	{ "wrapper calling wrapper is one injection",
	  "0:xi@0 0:xi@2 0:fp@3 0:xo@4 0:xo@10",
	  { .fp = 1, .fp_nested = 1, .exc_w = 1, .exc_ns = 10 } },
	{ "interleaved CPUs",
	  "0:ei@0 1:fp@1 1:xi@2 0:fp@3 1:fp@4 0:eo@5 1:xo@6 0:fp@7 1:fp@8",
	  { .fp = 5, .fp_nested = 2, .eret_w = 1, .eret_ns = 5,
	    .exc_w = 1, .exc_ns = 4 } },
	{ "sparse CPU numbers", "7:ei@0 7:fp@1 7:eo@2 3:fp@3",
	  { .fp = 2, .fp_nested = 1, .eret_w = 1, .eret_ns = 2 } },
	{ "return without an entry (tracing started inside)",
	  "0:eo@5 0:fp@6",
	  { .fp = 1, .unmatched_out = 1 } },
	{ "entry without a return (tracing stopped inside)",
	  "0:ei@0 0:fp@1",
	  { .fp = 1, .fp_nested = 1, .unmatched_in = 1 } },
	{ "lost inner return is dropped by the outer one",
	  "0:ei@0 0:xi@1 0:eo@5 0:fp@6",
	  { .fp = 1, .eret_w = 1, .eret_ns = 5, .unmatched_in = 1 } },
	{ "return of the other kind leaves the window open",
	  "0:xi@0 0:eo@1 0:fp@2 0:xo@3",
	  { .fp = 1, .fp_nested = 1, .exc_w = 1, .exc_ns = 3,
	    .unmatched_out = 1 } },
	{ "a gap closes the CPU's windows",
	  "0:ei@0 1:xi@0 0:gap@1 0:fp@2 1:fp@2 0:eo@3 1:xo@4",
	  { .fp = 2, .fp_nested = 1, .exc_w = 1, .exc_ns = 4,
	    .unmatched_in = 1, .unmatched_out = 1 } },
	{ "too deep: the oldest entry is dropped",
	  "0:xi@0 0:xi@1 0:xi@2 0:xi@3 0:xi@4 0:xi@5 0:xi@6 0:xi@7 0:xi@8 "
	  "0:xo@9 0:xo@9 0:xo@9 0:xo@9 0:xo@9 0:xo@9 0:xo@9 0:xo@10 0:xo@11",
	  { .exc_w = 1, .exc_ns = 9, .unmatched_in = 1, .unmatched_out = 1 } },
	{ "a reschedule inside the window is flagged, still counted",
	  "0:xi@0 0:put@1 0:fp@2 0:load@3 0:fp@4 0:put@5 0:fp@6 0:load@7 "
	  "0:fp@8 0:xo@9 0:ei@10 0:put@11 0:eo@12",
	  { .fp = 4, .fp_nested = 4, .exc_w = 1, .exc_ns = 9, .eret_w = 1,
	    .eret_ns = 2, .resched = 1 } },
	{ "tracepoints make the transitions",
	  "0:ret@1 0:exc@2 1:exc@3 1:exit@4",
	  { .transitions = 3 } },
};

static void check_case(const struct sm_case *k)
{
	struct nb_counts c;

	print_message("# %s\n", k->name);
	run_seq(k->seq, &c);
	assert_int_equal(c.fp_save, k->w.fp);
	assert_int_equal(c.fp_save_nested, k->w.fp_nested);
	assert_int_equal(c.windows[NB_WIN_ERET], k->w.eret_w);
	assert_int_equal(c.window_ns[NB_WIN_ERET], k->w.eret_ns);
	assert_int_equal(c.windows[NB_WIN_EXC], k->w.exc_w);
	assert_int_equal(c.window_ns[NB_WIN_EXC], k->w.exc_ns);
	assert_int_equal(c.unmatched_in, k->w.unmatched_in);
	assert_int_equal(c.unmatched_out, k->w.unmatched_out);
	assert_int_equal(c.transitions, k->w.transitions);
	assert_int_equal(c.windows_resched, k->w.resched);
}

static void state_machine_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(sm_cases) / sizeof(sm_cases[0]); i++)
		check_case(&sm_cases[i]);
}

static void derived_columns(void **state)
{
	struct nb_counts c;

	run_seq("0:ei@0 0:fp@1 0:ret@1 0:eo@10 0:xi@20 0:fp@21 0:fp@22 "
		"0:exc@23 0:xo@50 0:ei@60 0:ret@61 0:eo@90 0:exit@91", &c);
	assert_int_equal(c.transitions, 3);
	assert_int_equal(c.exits, 1);
	assert_true(c.fp_per_transition == 1.0);	/* 3 nested / 3 */
	assert_true(c.eret_ns == 20.0);			/* (10 + 30) / 2 */
	assert_true(c.exc_ns == 30.0);
}

static void undefined_means_empty(void **state)
{
	struct nb_counts c;
	char buf[1024];
	FILE *f;

	run_seq("0:fp@1", &c);
	f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	nb_counts_print(f, &c);
	fclose(f);
	assert_non_null(strstr(buf, "L0.fp_save=1\n"));
	assert_non_null(strstr(buf, "L0.fp_per_transition=\n"));
	assert_non_null(strstr(buf, "L0.eret_ns=\n"));
	assert_non_null(strstr(buf, "L0.lost=0\n"));
}

/*
 * Recorded on an emulated L0 (QEMU TCG, -cpu max, kvm-arm.mode=nested) by
 * tests/fixtures/trace/capture/capture.sh: 300 nvloop rounds (an ERET to
 * EL1 and an HVC injected back into vEL2 each), an exit to the VMM every 10.
 * Expected values computed independently from the text output, run from
 * the top of the tree:
 *   trace-cmd report -t -i F | awk -f tests/fixtures/trace/count.awk
 *   trace-cmd report -i F | grep -o 'HSR_EC: 0x[0-9a-f]*' | sort | uniq -c
 * The lost fixture used 16 KiB buffers (capture.sh ... 300 10 16): its
 * marker says lost=4018 overrun=4018.
 */
#define FIXTURES "tests/fixtures/trace/"

static const struct fixture {
	const char *file;
	struct nb_counts want;
	uint64_t exits_hvc, exits_eret;
} fixtures[] = {
	{ FIXTURES "nvloop-base.dat",
	  { .nested_eret = 300, .nested_exc = 300, .transitions = 600,
	    .fp_save = 931, .fp_save_nested = 900, .fp_per_transition = 1.5,
	    .put_fp = 631, .load_fp = 631, .eret_ns = 257995.8,
	    .exc_ns = 238120.4, .exits = 644, .lost = 0 }, 300, 300 },
	{ FIXTURES "nvloop-patched.dat",
	  { .nested_eret = 300, .nested_exc = 300, .transitions = 600,
	    .fp_save = 62, .fp_save_nested = 0, .fp_per_transition = 0,
	    .put_fp = 632, .load_fp = 632, .eret_ns = 231050.1,
	    .exc_ns = 260570.2, .exits = 639, .lost = 0 }, 300, 300 },
	/* A real nested run: base kernels, depth 2 (L0 emulates L1 <-> L2),
	 * one counting repetition of fio 4k randread, 8 MiB, in L2 (tests/fixtures/trace/README.md). */
	{ FIXTURES "nested-d2-base.dat",
	  { .nested_eret = 6179, .nested_exc = 6177, .transitions = 12356,
	    .fp_save = 20716, .fp_save_nested = 20715, .fp_per_transition = 20715.0 / 12356,
	    .put_fp = 12361, .load_fp = 12361, .eret_ns = 15648.7,
	    .exc_ns = 14905.9, .exits = 96218, .lost = 0 }, 2, 6179 },
	/* The same with patched kernels: the saves inside the windows are gone. */
	{ FIXTURES "nested-d2-patched.dat",
	  { .nested_eret = 6306, .nested_exc = 6305, .transitions = 12611,
	    .fp_save = 2, .fp_save_nested = 0, .fp_per_transition = 0,
	    .put_fp = 12614, .load_fp = 12614, .eret_ns = 13598.7,
	    .exc_ns = 12971.3, .exits = 99158, .lost = 0 }, 2, 6306 },
	{ FIXTURES "nvloop-base-lost.dat",
	  { .nested_eret = 40, .nested_exc = 40, .transitions = 80,
	    .fp_save = 124, .fp_save_nested = 119,
	    .fp_per_transition = 119.0 / 80, .put_fp = 84, .load_fp = 84,
	    .eret_ns = 181864.3, .exc_ns = 186023.8, .exits = 84,
	    .lost = 4018 }, 40, 39 },
};

static void check_fixture(const struct fixture *fx)
{
	const struct nb_counts *w = &fx->want;
	struct nb_counts c;

	print_message("# %s\n", fx->file);
	assert_int_equal(nb_analyze_file(fx->file, 0, &c), 0);
	assert_int_equal(c.nested_eret, w->nested_eret);
	assert_int_equal(c.nested_exc, w->nested_exc);
	assert_int_equal(c.transitions, w->transitions);
	assert_int_equal(c.fp_save, w->fp_save);
	assert_int_equal(c.fp_save_nested, w->fp_save_nested);
	assert_true(c.fp_per_transition > w->fp_per_transition - 1e-9 &&
		    c.fp_per_transition < w->fp_per_transition + 1e-9);
	assert_int_equal(c.put_fp, w->put_fp);
	assert_int_equal(c.load_fp, w->load_fp);
	/* awk prints the mean to 0.1 ns from µs-and-ns text */
	assert_true(c.eret_ns > w->eret_ns - 0.2 && c.eret_ns < w->eret_ns + 0.2);
	assert_true(c.exc_ns > w->exc_ns - 0.2 && c.exc_ns < w->exc_ns + 0.2);
	assert_int_equal(c.exits, w->exits);
	assert_int_equal(c.exits_ec[0x16], fx->exits_hvc);
	assert_int_equal(c.exits_ec[0x1a], fx->exits_eret);
	assert_int_equal(c.lost, w->lost);
}

static void recorded_fixtures(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
		check_fixture(&fixtures[i]);
}

/* The three views of loss must agree on the lost fixture, and the gap
 * must close the window it cut (the ERET whose entry was overwritten). */
static void lost_views_agree(void **state)
{
	struct nb_counts c;

	assert_int_equal(nb_analyze_file(FIXTURES "nvloop-base-lost.dat", 0, &c), 0);
	assert_int_equal(c.lost_marker, 4018);
	assert_int_equal(c.lost_cpustats, 4018);
	assert_true(c.lost_missed >= 1);
	assert_int_equal(c.unmatched_out, 1);
	assert_int_equal(c.windows[NB_WIN_ERET], 39);
}

static void missing_file(void **state)
{
	struct nb_counts c;

	assert_int_equal(nb_analyze_file("/nonexistent/trace.dat", 0, &c),
			 -ENOENT);
	assert_int_equal(nb_analyze_file("/etc/passwd", 0, &c), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(state_machine_table),
		cmocka_unit_test(derived_columns),
		cmocka_unit_test(undefined_means_empty),
		cmocka_unit_test(missing_file),
		cmocka_unit_test(recorded_fixtures),
		cmocka_unit_test(lost_views_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
