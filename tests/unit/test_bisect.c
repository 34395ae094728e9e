// SPDX-License-Identifier: GPL-2.0
/*
 * nestbench bisect's decisions (bench/bisect.h): a step's verdict from its
 * change, CI and significance against the threshold, the exit status git
 * bisect run gets for it, what a resumed bisect reuses; its log written and
 * read back, and a damaged log refused line by line.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench/bisect.h"
#include "stats/gate.h"

#define REV_A "0123456789abcdef0123456789abcdef01234567"
#define REV_B "89abcdef0123456789abcdef0123456789abcdef"

static struct nb_ttest verdict(double est, double lo, double hi, int significant)
{
	return (struct nb_ttest){ .pct = { est, lo, hi }, .significant = significant,
				  .p = significant ? 0.001 : 0.5, .alpha = 0.05 };
}

/* Every side of a threshold, both directions: the exit status git bisect run gets. */
static void decide_table(void **state)
{
	static const struct {
		const char *gate;
		double est, lo, hi;
		int sig;
		enum bisect_verdict want;
		int code;
	} t[] = {
		/* slower is bad: io_ns>+2% */
		{ "io_ns>+2%", +10.0, +9.0, +11.0, 1, BISECT_BAD, 1 },	/* the planted commit */
		{ "io_ns>+2%", +0.1, -0.9, +1.1, 0, BISECT_GOOD, 0 },	/* harmless: CI below +2 % */
		{ "io_ns>+2%", +1.0, +0.5, +1.5, 1, BISECT_GOOD, 0 },	/* significant, but within */
		{ "io_ns>+2%", +1.0, -1.0, +3.0, 0, BISECT_SKIP, 125 },	/* CI across +2 %: cannot tell */
		{ "io_ns>+2%", +3.0, -0.5, +6.5, 0, BISECT_SKIP, 125 },	/* beyond, not significant */
		{ "io_ns>+2%", +2.5, +1.0, +4.0, 1, BISECT_BAD, 1 },	/* the gate's rule: est beyond */
		{ "io_ns>+2%", +1.5, +0.2, +2.8, 1, BISECT_SKIP, 125 },	/* significant, est within, CI across */
		{ "io_ns>+2%", +2.0, -0.5, +2.0, 0, BISECT_GOOD, 0 },	/* CI ends at the bound: not beyond */
		{ "io_ns>+2%", -8.0, -9.0, -7.0, 1, BISECT_GOOD, 0 },	/* faster is not a regression */
		{ "io_ns>+2%", NAN, NAN, NAN, 0, BISECT_SKIP, 125 },	/* no comparison at all */
		{ "io_ns>+2%", +1.0, NAN, NAN, 0, BISECT_SKIP, 125 },	/* unbounded CI */
		/* a drop is bad: fio_iops<-5% */
		{ "fio_iops<-5%", -9.0, -11.0, -7.0, 1, BISECT_BAD, 1 },
		{ "fio_iops<-5%", -1.0, -3.0, +1.0, 0, BISECT_GOOD, 0 },
		{ "fio_iops<-5%", -4.0, -8.0, +0.0, 0, BISECT_SKIP, 125 },
		{ "fio_iops<-5%", +20.0, +18.0, +22.0, 1, BISECT_GOOD, 0 },
	};
	struct nb_gate g;
	struct nb_ttest v;
	char why[256];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		enum bisect_verdict got;

		assert_int_equal(nb_gate_parse(t[i].gate, &g, why, sizeof(why)), 0);
		v = verdict(t[i].est, t[i].lo, t[i].hi, t[i].sig);
		got = bisect_decide(&v, &g, why, sizeof(why));
		if (got != t[i].want)
			fail_msg("row %zu (%s %+g [%+g, %+g] sig %d): %s, expected %s (%s)", i, t[i].gate,
				 t[i].est, t[i].lo, t[i].hi, t[i].sig, bisect_verdict_name(got),
				 bisect_verdict_name(t[i].want), why);
		assert_int_equal(bisect_exit_code(got), t[i].code);
		assert_true(why[0] != '\0');
	}
}

/* The gate and bisect agree: a step is bad exactly when --fail-if would fail. */
static void gate_side_is_fail_if(void **state)
{
	struct nb_gate g;
	struct nb_ttest v;
	char why[64];
	int sig;
	double est;

	assert_int_equal(nb_gate_parse("io_ns>+2%", &g, why, sizeof(why)), 0);
	for (sig = 0; sig <= 1; sig++)
		for (est = -5; est <= 5; est += 0.5) {
			v = verdict(est, est - 1, est + 1, sig);
			assert_int_equal(nb_gate_side(&v, &g) == NB_GATE_BEYOND, sig && est > 2);
		}
}

/* What git bisect run is told, and what a resumed bisect takes as it is. */
static void exit_codes_and_reuse(void **state)
{
	static const struct { enum bisect_verdict v; int code, decided; const char *name; } t[] = {
		{ BISECT_GOOD, 0, 1, "good" }, { BISECT_BAD, 1, 1, "bad" }, { BISECT_SKIP, 125, 1, "skip" },
		{ BISECT_FAILED, 125, 0, "failed" }, { BISECT_RUNNING, 125, 0, "running" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(bisect_exit_code(t[i].v), t[i].code);
		assert_int_equal(bisect_decided(t[i].v), t[i].decided);
		assert_string_equal(bisect_verdict_name(t[i].v), t[i].name);
	}
}

static void log_round_trip(void **state)
{
	struct bisect_log l = { .setup = "good=x bad=y metric=io_ns threshold=>2%" }, back;
	struct bisect_step *s;
	char err[256], *text, *again;

	s = bisect_log_step(&l, REV_A);
	assert_non_null(s);
	assert_int_equal(s->verdict, BISECT_RUNNING);
	assert_true(isnan(s->est) && isnan(s->p));
	*s = (struct bisect_step){ .rev = REV_A, .verdict = BISECT_GOOD, .est = 0.125, .lo = -1.5,
				   .hi = 1.75, .p = 0.82, .dir = "steps/0123456789ab/bisect-test/20261206-120000",
				   .why = "the 95% CI excludes a change beyond +2%" };
	s = bisect_log_step(&l, REV_B);
	snprintf(s->dir, sizeof(s->dir), "steps/89abcdef0123");
	assert_ptr_equal(bisect_log_step(&l, REV_A), &l.s[0]);	/* found, not added again */
	assert_int_equal(l.n, 2);
	text = bisect_log_format(&l);
	assert_non_null(text);
	assert_int_equal(bisect_log_parse(text, &back, err, sizeof(err)), 0);
	assert_string_equal(back.setup, l.setup);
	assert_int_equal(back.n, 2);
	assert_int_equal(back.s[0].verdict, BISECT_GOOD);
	assert_true(back.s[0].est == 0.125 && back.s[0].lo == -1.5 && back.s[0].hi == 1.75);
	assert_string_equal(back.s[0].dir, l.s[0].dir);
	assert_string_equal(back.s[0].why, l.s[0].why);
	assert_int_equal(back.s[1].verdict, BISECT_RUNNING);
	assert_true(isnan(back.s[1].hi));
	assert_non_null(bisect_log_find(&back, REV_B));
	assert_null(bisect_log_find(&back, "ffffffffffffffffffffffffffffffffffffffff"));
	again = bisect_log_format(&back);
	assert_string_equal(again, text);
	free(again);
	free(text);
}

/* The log is read back from disk: each damage names its line and is refused. */
static void log_damaged(void **state)
{
	static const struct { const char *text, *err; } t[] = {
		{ "", "empty" },
		{ "# something else\n", "line 1: not a nestbench bisect log header" },
		{ "# nestbench bisect s\n" REV_A "\tgood\t1\t0\t2\t0.5\tsteps/a\twhy", "line 2: no newline" },
		{ "# nestbench bisect s\n" REV_A "\tgood\t1\t0\t2\t0.5\tsteps/a\n", "line 2: 7 fields" },
		{ "# nestbench bisect s\n" REV_A "\tgood\t1\t0\t2\t0.5\tsteps/a\twhy\textra\n", "line 2: 9 fields" },
		{ "# nestbench bisect s\n0123\tgood\t1\t0\t2\t0.5\tsteps/a\twhy\n", "line 2: '0123' is not a full" },
		{ "# nestbench bisect s\n" REV_A "\tmaybe\t1\t0\t2\t0.5\tsteps/a\twhy\n", "line 2: verdict 'maybe'" },
		{ "# nestbench bisect s\n" REV_A "\tgood\t1x\t0\t2\t0.5\tsteps/a\twhy\n", "line 2: the change" },
		{ "# nestbench bisect s\n" REV_A "\tgood\tinf\t0\t2\t0.5\tsteps/a\twhy\n", "line 2: the change" },
		{ "# nestbench bisect s\n" REV_A "\tgood\t1\t0\t2\t0.5\t/etc\twhy\n", "line 2: '/etc' is not a directory" },
		{ "# nestbench bisect s\n" REV_A "\tgood\t1\t0\t2\t0.5\tsteps/../../x\twhy\n", "line 2: 'steps/../../x'" },
		{ "# nestbench bisect s\n" REV_A "\tgood\t1\t0\t2\t0.5\t..\twhy\n", "line 2: '..'" },
		{ "# nestbench bisect s\n" REV_A "\tgood\t1\t0\t2\t0.5\tsteps//a\twhy\n", "line 2: 'steps//a'" },
		{ "# nestbench bisect s\n" REV_A "\tgood\t1\t0\t2\t0.5\tsteps/a\twh\x1b[2Jy\n", "line 2: the reason" },
		{ "# nestbench bisect s\n" REV_A "\tgood\t1\t0\t2\t0.5\tsteps/a\twhy\n"
		  REV_A "\tbad\t1\t0\t2\t0.5\tsteps/b\twhy\n", "line 3: a second line for 0123456789ab" },
	};
	struct bisect_log l;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int ret = bisect_log_parse(t[i].text, &l, err, sizeof(err));

		if (ret != -EINVAL || !strstr(err, t[i].err))
			fail_msg("row %zu: %d '%s', expected -EINVAL '%s'", i, ret, err, t[i].err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decide_table),
		cmocka_unit_test(gate_side_is_fail_if),
		cmocka_unit_test(exit_codes_and_reuse),
		cmocka_unit_test(log_round_trip),
		cmocka_unit_test(log_damaged),
	};
	return cmocka_run_group_tests_name("bisect", tests, NULL, NULL);
}
