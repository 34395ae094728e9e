// SPDX-License-Identifier: GPL-2.0
/*
 * The group-sequential design (stats/seq.h): its levels keep alpha over all
 * looks, checked with the real t-test on draws of another generator; the
 * manifest's design is parsed strictly; and the quick experiment run look
 * by look under its own stop rule (simulation/) keeps its A/A rate.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <json-c/json.h>

#include "simulation/sim.h"
#include "stats/seq.h"
#include "stats/stats.h"

#define DRAWS 40000

/* Does any look of one null sequence reject at its level? */
static int any_rejects(gsl_rng *rng, const struct nb_seq *s)
{
	double a[NB_SEQ_MAX_N], b[NB_SEQ_MAX_N];
	struct nb_ttest t;
	size_t i, k;

	for (i = 0; i < s->n[s->nlooks - 1]; i++) {
		a[i] = 1000 + gsl_ran_gaussian(rng, 7);
		b[i] = 1000 + gsl_ran_gaussian(rng, 7);
	}
	for (k = 0; k < s->nlooks; k++) {
		assert_int_equal(nb_ttest_level(a, s->n[k], b, s->n[k], NB_T_POOLED, s->alpha[k], &t), 0);
		if (t.significant)
			return 1;
	}
	return 0;
}

static void levels_keep_alpha(void **state)
{
	static const struct { size_t n[4], k; } designs[] = {
		{ { 2, 3, 4, 5 }, 4 },	/* the quick experiment */
		{ { 2, 4, 5 }, 3 },	/* its looks with boots one at a time */
		{ { 3, 6 }, 2 },
	};
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_ranlxd1);
	unsigned int i, d, hits;
	size_t k;

	for (d = 0; d < sizeof(designs) / sizeof(designs[0]); d++) {
		struct nb_seq s = { .nlooks = designs[d].k };

		memcpy(s.n, designs[d].n, sizeof(designs[d].n));
		assert_int_equal(nb_seq_levels(&s), 0);
		for (k = 1; k < s.nlooks; k++)
			assert_true(s.alpha[k] > s.alpha[k - 1] && s.spent[k] > s.spent[k - 1]);
		assert_true(s.alpha[s.nlooks - 1] < NB_ALPHA);
		assert_true(fabs(s.spent[s.nlooks - 1] - NB_ALPHA) < 1e-12);
		gsl_rng_set(rng, 99 + d);
		for (i = hits = 0; i < DRAWS; i++)
			hits += any_rejects(rng, &s);
		print_message("# looks %zu..%zu: final level %.4f, any look rejects %.4f\n",
			      s.n[0], s.n[s.nlooks - 1], s.alpha[s.nlooks - 1], (double)hits / DRAWS);
		/* 5 % +- 3 standard errors of 40000 draws */
		assert_true(fabs((double)hits / DRAWS - NB_ALPHA) < 3 * sqrt(0.05 * 0.95 / DRAWS));
	}
	gsl_rng_free(rng);
}

/* One look is the fixed design; bad looks are refused. */
static void levels_edge_cases(void **state)
{
	static const struct { size_t n[3], k; } bad[] = {
		{ { 1, 3 }, 2 }, { { 3, 3 }, 2 }, { { 4, 3 }, 2 }, { { 2, 300 }, 2 }, { { 0 }, 0 },
	};
	struct nb_seq s = { .nlooks = 1, .n = { 4 } };
	unsigned int i;

	assert_int_equal(nb_seq_levels(&s), 0);
	assert_true(s.alpha[0] == NB_ALPHA);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&s, 0, sizeof(s));
		s.nlooks = bad[i].k;
		memcpy(s.n, bad[i].n, sizeof(bad[i].n));
		assert_int_equal(nb_seq_levels(&s), -EINVAL);
	}
}

/* A comparison's look: the last planned one its boots reached. */
static void look_of_a_comparison(void **state)
{
	static const struct { size_t na, nb; int look; } t[] = {
		{ 2, 2, 0 }, { 3, 3, 1 }, { 5, 5, 3 }, { 5, 4, 3 }, { 3, 2, 1 }, { 1, 1, 0 }, { 9, 9, 3 },
	};
	struct nb_seq s = { .nlooks = 4, .n = { 2, 3, 4, 5 } };
	unsigned int i;

	assert_int_equal(nb_seq_levels(&s), 0);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(nb_seq_look(&s, t[i].na, t[i].nb), t[i].look);
		assert_true(nb_seq_alpha(&s, t[i].na, t[i].nb) == s.alpha[t[i].look]);
	}
	memset(&s, 0, sizeof(s));
	assert_int_equal(nb_seq_look(&s, 3, 3), -1);
	assert_true(nb_seq_alpha(&s, 3, 3) == NB_ALPHA);
}

/* manifest.json is untrusted: the looks parse strictly or the load fails, naming them. */
static void manifest_design(void **state)
{
	static const char *const bad[] = {
		"{ \"sequential\": 1 }", "{ \"sequential\": { } }", "{ \"sequential\": { \"looks\": [] } }",
		"{ \"sequential\": { \"looks\": [ 2, \"3\" ] } }", "{ \"sequential\": { \"looks\": [ 3, 2 ] } }",
		"{ \"sequential\": { \"looks\": [ 1, 2 ] } }", "{ \"sequential\": { \"looks\": [ 2, 2.5 ] } }",
		"{ \"sequential\": { \"looks\": [ 2, 1e9 ] } }",
	};
	struct json_object *j;
	struct nb_seq s;
	char err[512];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j = json_tokener_parse(bad[i]);
		assert_non_null(j);
		err[0] = 0;
		assert_int_equal(nb_seq_from_manifest(j, &s, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "sequential.looks is "));
		json_object_put(j);
	}
	j = json_tokener_parse("{ \"jobs\": 2 }");
	assert_int_equal(nb_seq_from_manifest(j, &s, err, sizeof(err)), 0);
	assert_int_equal(s.nlooks, 0);
	json_object_put(j);
	j = json_tokener_parse("{ \"sequential\": { \"looks\": [ 2, 3, 4, 5 ], \"target_ci\": 0.5 } }");
	assert_int_equal(nb_seq_from_manifest(j, &s, err, sizeof(err)), 0);
	assert_int_equal(s.nlooks, 4);
	assert_true(s.alpha[3] > 0.02 && s.alpha[3] < NB_ALPHA);
	json_object_put(j);
}

/* p is printed on its side of the level it is held to, also below 1e-3. */
static void p_on_the_side_of_its_level(void **state)
{
	static const struct { double p, alpha; const char *want; } t[] = {
		{ 0.0017599, 0.00176, "0.0017599" },	/* "0.0018", "0.00176": the wrong side, the level */
		{ 0.0017601, 0.00176, "0.0018" },
		{ 0.000441, 0.00044, "4.41e-4" },	/* "4e-4", "4.4e-4" */
		{ 0.000439, 0.00044, "4e-4" },
		{ 0.0344, 0.0344101, "0.034" }, { 0.0496, NB_ALPHA, "0.0496" },
	};
	char buf[32];
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		nb_fmt_p_at(buf, sizeof(buf), t[i].p, t[i].alpha);
		assert_string_equal(buf, t[i].want);
	}
}

/*
 * The quick experiment (looks at 2..5 boots per arm, target_ci 0.5) run
 * look by look under the experiment loop's own stop rule, A/A at a 0.4 %
 * boot SD, where plain 95 % CIs at every look said "significant" 8.8 % of
 * the time. The bound: 5 % + 3 standard errors of 1000 experiments.
 */
static void quick_design_keeps_alpha(void **state)
{
	static const struct nb_sim_setting s = {
		"A/A quick, sequential", 5, 2, 0.4, 0.05, 0, 1, 0, 0.5, 1, 0, 0,
	};
	struct nb_sim_tally t = { 0 };
	char err[4096];

	if (nb_sim_run(&s, 1000, 4242, "/tmp", &t, err, sizeof(err)))
		fail_msg("%s", err);
	print_message("# %u of %u significant, %u stopped early, %u disagreements\n",
		      t.sig, t.dirs, t.early, t.disagree);
	assert_int_equal(t.dirs, 1000);
	assert_int_equal(t.disagree, 0);
	assert_true(t.sig <= 70);	/* 1000 * (0.05 + 3 * sqrt(0.05 * 0.95 / 1000)) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(levels_keep_alpha),
		cmocka_unit_test(levels_edge_cases),
		cmocka_unit_test(look_of_a_comparison),
		cmocka_unit_test(manifest_design),
		cmocka_unit_test(p_on_the_side_of_its_level),
		cmocka_unit_test(quick_design_keeps_alpha),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
