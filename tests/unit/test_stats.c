// SPDX-License-Identifier: GPL-2.0
/*
 * Reference values come from SciPy 1.10.1 / NumPy 1.24.2 (Debian bookworm
 * python3-scipy) and Python's statistics module (exact rational arithmetic
 * on the binary doubles). The exact call is named above each table; the
 * script that printed them is in docs/statistics.md.
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

#include "stats/stats.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MAXV 64

/* cmocka 1.1's assert_float_equal compares floats, too coarse here. */
#define assert_close(got, want, rtol) \
	check_close((got), (want), (rtol), #got, __FILE__, __LINE__)

static void check_close(double got, double want, double rtol, const char *what,
			const char *file, int line)
{
	double tol = want == 0 ? rtol : rtol * fabs(want);

	if ((isnan(want) && isnan(got)) || got == want || fabs(got - want) <= tol)
		return;
	print_error("%s = %.17g, want %.17g (rtol %g)\n", what, got, want, rtol);
	_fail(file, line);
}

static const double A[] = { 100.2, 101.5, 99.8, 100.9, 100.1, 99.5, 101.2, 100.4, 100.7, 99.9 };
static const double B[] = { 88.1, 89.0, 87.5, 88.6, 88.9, 87.9, 88.3, 89.2, 88.0, 88.4 };
#define T 1e12
static const double H1[] = { T + 3, T + 1, T + 4, T + 1, T + 5, T + 9, T + 2, T + 6 };
static const double H2[] = { T + 8, T + 6, T + 9, T + 7, T + 10, T + 12, T + 7, T + 11 };

/*
 * mean: statistics.mean(x); stddev: statistics.stdev(x);
 * hw (CI half-width): scipy.stats.t.ppf(0.975, n-1) * stdev / math.sqrt(n);
 * (half-widths, not bounds: a bound near 1e12 held in a double has lost
 * the digits under test; GSL's t inverse is good to ~1e-10)
 * p25/median/p75: numpy.percentile(x, [25, 50, 75]);
 * mad: scipy.stats.median_abs_deviation(x)
 */
static const struct {
	const char *name;
	size_t n;
	double x[MAXV];
	double mean, sd, hw, p25, med, p75, mad;
} summaries[] = {
	{ "small8", 8, { 12.1, 11.8, 12.4, 12.0, 13.1, 11.9, 12.2, 12.3 },
	  12.225, 0.4062019202317978, 0.33959330363629303,
	  11.975, 12.149999999999999, 12.325000000000001, 0.20000000000000018 },
	{ "n=2", 2, { 1e9, 1e9 + 3 },
	  1000000001.5, 2.1213203435596424, 19.05930710464814,
	  1000000000.75, 1000000001.5, 1000000002.25, 1.5 },
	{ "zero variance", 4, { 7, 7, 7, 7 }, 7, 0, 0, 7, 7, 7, 0 },
	{ "1e12 ns, spread of ns", 8, { T + 3, T + 1, T + 4, T + 1, T + 5, T + 9, T + 2, T + 6 },
	  1000000000003.875, 2.748376143938713, 2.2976999562747555,
	  1000000000001.75, 1000000000003.5, 1000000000005.25, 2.0 },
	{ "spike", 8, { 100, 101, 99, 100, 102, 98, 100, 150 },
	  106.25, 17.71802955829376, 14.812643397138373,
	  99.75, 100, 101.25, 1.0 },
	{ "n=1", 1, { 42 }, 42, NAN, NAN, 42, 42, 42, 0 },
};

static void summary_table(void **state)
{
	struct nb_summary s;
	size_t i;

	for (i = 0; i < N(summaries); i++) {
		print_message("# %s\n", summaries[i].name);
		assert_int_equal(nb_summarize(summaries[i].x, summaries[i].n, &s), 0);
		assert_int_equal(s.n, summaries[i].n);
		assert_close(s.mean, summaries[i].mean, 1e-15);
		assert_close(s.stddev, summaries[i].sd, 1e-9);
		assert_close(s.ci_half, summaries[i].hw, 1e-9);
		if (summaries[i].n > 1)
			assert_close((s.ci_high + s.ci_low) / 2, summaries[i].mean, 1e-15);
		else
			assert_true(isnan(s.ci_low) && isnan(s.ci_high));
		assert_close(s.p25, summaries[i].p25, 1e-15);
		assert_close(s.median, summaries[i].med, 1e-15);
		assert_close(s.p75, summaries[i].p75, 1e-15);
		assert_close(s.mad, summaries[i].mad, 1e-9);
	}
}

/* scipy.stats.t.ppf(0.975, df) */
static void t_quantiles(void **state)
{
	static const struct { double df, t; } cases[] = {
		{ 1, 12.706204736432095 }, { 2, 4.302652729911275 },
		{ 4, 2.7764451051977987 }, { 9, 2.2621571627409915 },
		{ 30, 2.0422724563012373 }, { 1000, 1.9623390808264074 },
	};
	size_t i;

	for (i = 0; i < N(cases); i++)
		assert_close(nb_t_quantile(cases[i].df), cases[i].t, 1e-10);
}

/* Welford in any split, merged, equals the one-pass result. */
static void welford_merge(void **state)
{
	struct nb_welford all, left, right;
	size_t i, split;

	for (split = 0; split <= N(H1); split++) {
		nb_welford_init(&all);
		nb_welford_init(&left);
		nb_welford_init(&right);
		for (i = 0; i < N(H1); i++) {
			assert_int_equal(nb_welford_add(&all, H1[i]), 0);
			nb_welford_add(i < split ? &left : &right, H1[i]);
		}
		nb_welford_merge(&left, &right);
		assert_int_equal(left.n, N(H1));
		assert_close(nb_welford_mean(&left), 1000000000003.875, 1e-15);
		assert_close(nb_welford_mean(&all), 1000000000003.875, 1e-15);
		assert_close(nb_welford_stddev(&left), 2.748376143938713, 1e-9);
		assert_close(nb_welford_stddev(&all), 2.748376143938713, 1e-9);
		assert_true(left.min == T + 1 && left.max == T + 9);
	}
	assert_int_equal(nb_welford_add(&all, NAN), -EDOM);
	assert_int_equal(all.n, N(H1));
}

static void rejects_non_finite(void **state)
{
	const double bad[][3] = { { 1, NAN, 2 }, { 1, 2, INFINITY }, { -INFINITY, 1, 2 } };
	struct nb_summary s;
	struct nb_welch w;
	struct nb_mwu m;
	double med;
	size_t i, at;

	for (i = 0; i < N(bad); i++) {
		assert_int_equal(nb_summarize(bad[i], 3, &s), -EDOM);
		assert_int_equal(nb_median(bad[i], 3, &med), -EDOM);
		assert_int_equal(nb_welch(A, N(A), bad[i], 3, &w), -EDOM);
		assert_int_equal(nb_mann_whitney(bad[i], 3, A, N(A), &m), -EDOM);
		assert_int_equal(nb_check_finite(bad[i], 3, &at), -EDOM);
		assert_true(!isfinite(bad[i][at]));
	}
	assert_int_equal(nb_summarize(A, 0, &s), -ENODATA);
	assert_int_equal(nb_welch(A, 1, B, N(B), &w), -EINVAL);
}

/*
 * scipy.stats.ttest_ind(a, b, equal_var=False) -> statistic, pvalue;
 * df = (va/na + vb/nb)^2 / ((va/na)^2/(na-1) + (vb/nb)^2/(nb-1)), statistics.variance
 */
static const struct {
	const char *name;
	const double *a, *b;
	size_t na, nb;
	double t, df, p;
} welch_cases[] = {
	{ "shift", A, B, 10, 10, 45.30760116585571, 17.44948741310743, 1.51114041177805e-19 },
	{ "similar", (const double[]){ 5.1, 4.9, 5.3, 5.0, 5.2 },
	  (const double[]){ 5.0, 5.2, 4.8, 5.1, 5.3 }, 5, 5,
	  0.1796053020267711, 7.7111334002006, 0.8620918996972377 },
	{ "1e12 ns", H1, H2, 8, 8, -3.9715656022950614, 13.155696625459404, 0.0015603882749913602 },
	{ "n=2+3", (const double[]){ 1, 2 }, (const double[]){ 2, 3.5, 4 }, 2, 3,
	  -2.132007163556104, 2.9244712990936566, 0.125107654019485 },
	{ "identical", A, A, 10, 10, 0, 18, 1 },
	/* means T+2/3 and T+4/3: each rounds at 1.2e-4, the difference must not */
	{ "1e12 ns, means not representable", (const double[]){ T, T + 1, T + 1 },
	  (const double[]){ T + 1, T + 1, T + 2 }, 3, 3, -1.414213562373095, 4,
	  0.23019964108049898 },
};

static void welch_table(void **state)
{
	struct nb_welch w;
	size_t i;

	for (i = 0; i < N(welch_cases); i++) {
		print_message("# %s\n", welch_cases[i].name);
		assert_int_equal(nb_welch(welch_cases[i].a, welch_cases[i].na,
					  welch_cases[i].b, welch_cases[i].nb, &w), 0);
		assert_close(w.t, welch_cases[i].t, 1e-9);
		assert_close(w.df, welch_cases[i].df, 1e-9);
		assert_close(w.p, welch_cases[i].p, 1e-7);
	}
}

/* scipy returns nan for both; ours: an exact difference is p=0, none is p=1. */
static void welch_zero_variance(void **state)
{
	const double c5[] = { 5, 5, 5 }, c6[] = { 6, 6, 6 };
	struct nb_welch w;

	assert_int_equal(nb_welch(c5, 3, c5, 3, &w), 0);
	assert_true(w.p == 1 && w.t == 0);
	assert_int_equal(nb_welch(c5, 3, c6, 3, &w), 0);
	assert_true(w.p == 0 && isinf(w.t) && w.t < 0);
}

/*
 * t-tests and their Fieller 95% CIs, from mpmath at 50 digits
 * (docs/statistics.md): t = (mean_b - mean_a) / se; p = 2 * tsf(|t|, df)
 * with tsf = betainc(df/2, 1/2, 0, df/(df+t^2), regularized)/2; the CI ends
 * are the roots th of (ma^2 - k sa) th^2 - 2 ma mb th + (mb^2 - k sb) = 0,
 * k = t.ppf(0.975, df)^2 by findroot, as (th - 1) * 100.
 */
static const struct {
	const char *name;
	const double *a, *b;
	size_t na, nb;
	enum nb_tmodel model;
	double t, df, p, est, lo, hi;
} ttest_cases[] = {
	{ "shift, pooled", A, B, 10, 10, NB_T_POOLED, -45.307601165855713, 18,
	  5.2750901700181981e-20, -11.979685321649075, -12.501618652316181, -11.455035813309538 },
	{ "shift, Welch", A, B, 10, 10, NB_T_WELCH, -45.307601165855713, 17.449487413107426,
	  1.5111404117780304e-19, -11.979685321649075, -12.496612301910571, -11.459545192730069 },
	{ "3+3 boot means (results-aa3 at half the spread)",
	  (const double[]){ 1.2e9, 1.2036e9, 1.2072e9 },
	  (const double[]){ 1.1952e9, 1.1988e9, 1.2024e9 }, 3, 3, NB_T_POOLED,
	  -1.6329931618554521, 4, 0.17780780835622137, -0.39880358923230309,
	  -1.0732280964156058, 0.28020024968372444 },
	{ "2+4, pooled", (const double[]){ 10, 12 }, (const double[]){ 9, 9.5, 11, 8 }, 2, 4,
	  NB_T_POOLED, -1.4511784876834637, 4, 0.22035565500834111, -14.772727272727273,
	  -36.67752901374152, 16.720394857112936 },
	{ "2+4, Welch", (const double[]){ 10, 12 }, (const double[]){ 9, 9.5, 11, 8 }, 2, 4,
	  NB_T_WELCH, -1.377997244008268, 1.8402385193216139, 0.31188019289985781,
	  -14.772727272727273, -49.080314325033769, 57.232109761965718 },
	{ "1e12 ns, means not representable", (const double[]){ T, T + 1, T + 1 },
	  (const double[]){ T + 1, T + 1, T + 2 }, 3, 3, NB_T_POOLED, 1.414213562373095, 4,
	  0.23019964108049898, 6.6666666666622222e-11, -6.4216210765085678e-11,
	  1.9754954409850143e-10 },
};

static void ttest_table(void **state)
{
	struct nb_ttest t;
	size_t i;

	for (i = 0; i < N(ttest_cases); i++) {
		print_message("# %s\n", ttest_cases[i].name);
		assert_int_equal(nb_ttest(ttest_cases[i].a, ttest_cases[i].na, ttest_cases[i].b,
					  ttest_cases[i].nb, ttest_cases[i].model, &t), 0);
		assert_close(t.t, ttest_cases[i].t, 1e-9);
		assert_close(t.df, ttest_cases[i].df, 1e-9);
		assert_close(t.p, ttest_cases[i].p, 1e-7);
		assert_close(t.pct.est, ttest_cases[i].est, 1e-9);
		assert_close(t.pct.lo, ttest_cases[i].lo, 1e-7);
		assert_close(t.pct.hi, ttest_cases[i].hi, 1e-7);
		assert_int_equal(t.significant, ttest_cases[i].p < NB_ALPHA);
	}
}

/*
 * The CI is the set of changes the test does not reject: it excludes 0
 * exactly when p < alpha, also a hair either side of the threshold. b is a
 * shifted by d, swept through the pooled and the Welch critical value.
 */
static void ttest_ci_agrees_with_p(void **state)
{
	const double a[] = { 1000, 1003, 1001.5 }, sa[] = { 0, 2, 4.5 };
	enum nb_tmodel model;
	struct nb_ttest t;
	double b[3], d;
	size_t i, k, flips = 0;
	int last = 0;

	for (model = NB_T_POOLED; model <= NB_T_WELCH; model++)
		for (d = 0; d < 8; d += 0.0005) {
			for (i = 0; i < 3; i++)
				b[i] = a[i] - d + sa[i] * (model == NB_T_WELCH);
			assert_int_equal(nb_ttest(a, 3, b, 3, model, &t), 0);
			k = t.pct.lo > 0 || t.pct.hi < 0;
			if (k != (size_t)t.significant)
				fail_msg("d=%g p=%.17g CI %.17g .. %.17g", d, t.p, t.pct.lo, t.pct.hi);
			flips += t.significant != last;
			last = t.significant;
		}
	assert_true(flips >= 2);	/* the sweep crossed alpha both times */
}

static void ttest_zero_variance(void **state)
{
	const double c5[] = { 5, 5, 5 }, c6[] = { 6, 6, 6 };
	struct nb_ttest t;

	assert_int_equal(nb_ttest(c5, 3, c5, 3, NB_T_WELCH, &t), 0);
	assert_true(t.p == 1 && t.t == 0 && !t.significant && t.pct.lo == 0 && t.pct.hi == 0);
	assert_int_equal(nb_ttest(c5, 3, c6, 3, NB_T_POOLED, &t), 0);
	assert_true(t.p == 0 && t.significant);
	assert_close(t.pct.lo, 20, 1e-12);
	assert_close(t.pct.hi, 20, 1e-12);
	assert_int_equal(nb_ttest(c5, 1, c6, 3, NB_T_POOLED, &t), -EINVAL);
}

/* scipy.stats.mannwhitneyu(a, b, alternative='two-sided', method=METHOD) */
static const struct {
	const char *name;	/* METHOD */
	size_t na, nb;
	double a[MAXV], b[MAXV];
	double u, p;
	int exact;
} mwu_cases[] = {
	{ "exact", 3, 4, { 1.1, 2.3, 3.5 }, { 4.2, 5.0, 6.1, 7.3 }, 0, 0.05714285714285714, 1 },
	{ "exact", 10, 10, { 100.2, 101.5, 99.8, 100.9, 100.1, 99.5, 101.2, 100.4, 100.7, 99.9 },
	  { 88.1, 89.0, 87.5, 88.6, 88.9, 87.9, 88.3, 89.2, 88.0, 88.4 },
	  100, 1.082508822446903e-05, 1 },
	{ "exact", 7, 6, { 1, 3, 5, 7, 9, 11, 13 }, { 2, 4, 6, 8, 10, 12 }, 21, 1.0, 1 },
	{ "exact", 5, 5, { 5.1, 4.9, 5.3, 5.0, 5.2 }, { 5.05, 5.25, 4.85, 5.15, 5.35 },
	  11, 0.8412698412698413, 1 },
	{ "asymptotic (ties)", 7, 7, { 1, 2, 2, 3, 3, 3, 4 }, { 2, 3, 4, 4, 5, 5, 6 },
	  8.5, 0.043051432728945134, 0 },
	{ "asymptotic (all ties)", 3, 3, { 5, 5, 5 }, { 5, 5, 5 }, 4.5, 1.0, 0 },
};

static void mwu_table(void **state)
{
	struct nb_mwu m;
	size_t i;

	for (i = 0; i < N(mwu_cases); i++) {
		print_message("# %s %zu+%zu\n", mwu_cases[i].name, mwu_cases[i].na, mwu_cases[i].nb);
		assert_int_equal(nb_mann_whitney(mwu_cases[i].a, mwu_cases[i].na,
						 mwu_cases[i].b, mwu_cases[i].nb, &m), 0);
		assert_close(m.u, mwu_cases[i].u, 1e-12);
		assert_close(m.p, mwu_cases[i].p, 1e-9);
		assert_int_equal(m.exact, mwu_cases[i].exact);
	}
}

/* a = range(60), b = [i + 10.5 for i in range(60)], method='asymptotic':
 * 60 per side is past NB_MWU_EXACT_MAX. */
static void mwu_large_normal(void **state)
{
	double a[60], b[60];
	struct nb_mwu m;
	size_t i;

	for (i = 0; i < 60; i++) {
		a[i] = i;
		b[i] = i + 10.5;
	}
	assert_int_equal(nb_mann_whitney(a, 60, b, 60, &m), 0);
	assert_int_equal(m.exact, 0);
	assert_close(m.u, 1225.0, 1e-12);
	assert_close(m.p, 0.0025668879435241754, 1e-9);
}

/* 2 / math.comb(na + nb, na) */
static void mwu_floor(void **state)
{
	assert_close(nb_mwu_min_p(3, 3), 0.1, 1e-12);
	assert_close(nb_mwu_min_p(4, 4), 0.02857142857142857, 1e-12);
	assert_close(nb_mwu_min_p(1, 1), 1.0, 1e-12);
}

/*
 * scipy.stats.bootstrap((A, B), f, vectorized=True, paired=False,
 *   method='percentile', n_resamples=200000, random_state=default_rng(12345))
 * with f = mean(b)/mean(a), then median(b)/median(a). Different generators,
 * so they agree to Monte Carlo error only: 0.1 percentage point.
 */
static void bootstrap_vs_scipy(void **state)
{
	struct nb_boot_opts o = { .seed = NB_BOOT_SEED, .resamples = 20000 };
	struct nb_bootstrap bs;

	assert_int_equal(nb_bootstrap_ratio(A, N(A), B, N(B), &o, &bs), 0);
	assert_close(bs.mean_ratio.est, 0.8802031467835093, 1e-12);
	assert_close(bs.mean_ratio.lo, 0.8756085444610036, 1e-3);
	assert_close(bs.mean_ratio.hi, 0.8847308385031016, 1e-3);
	assert_close(bs.median_ratio.est, 0.8808574277168493, 1e-12);
	assert_close(bs.median_ratio.lo, 0.8738248391885204, 1e-3);
	assert_close(bs.median_ratio.hi, 0.8873379860418743, 1e-3);
	assert_close(bs.mean_pct.est, (0.8802031467835093 - 1) * 100, 1e-10);
	assert_close(bs.mean_pct.lo, (bs.mean_ratio.lo - 1) * 100, 1e-12);
}

static void bootstrap_reproducible(void **state)
{
	struct nb_boot_opts o;
	struct nb_bootstrap x, y, z;

	nb_boot_defaults(&o);
	assert_int_equal(nb_bootstrap_ratio(H1, N(H1), H2, N(H2), &o, &x), 0);
	assert_int_equal(nb_bootstrap_ratio(H1, N(H1), H2, N(H2), &o, &y), 0);
	assert_memory_equal(&x, &y, sizeof(x));
	o.seed++;
	assert_int_equal(nb_bootstrap_ratio(H1, N(H1), H2, N(H2), &o, &z), 0);
	assert_true(z.mean_ratio.lo != x.mean_ratio.lo || z.mean_ratio.hi != x.mean_ratio.hi);
	/* 1e12 ns apart by ~5 ns: the CI must still resolve it */
	assert_true(x.mean_ratio.lo > 1 && x.mean_ratio.lo <= x.mean_ratio.est);
	assert_true(x.mean_ratio.hi >= x.mean_ratio.est && x.mean_ratio.hi < 1 + 1e-11);
}

static void bootstrap_zero_base(void **state)
{
	const double z[] = { 0, 0, 0 }, one[] = { 1, 2, 3 };
	struct nb_boot_opts o;
	struct nb_bootstrap bs;
	struct nb_compare c;

	nb_boot_defaults(&o);
	assert_int_equal(nb_bootstrap_ratio(z, 3, one, 3, &o, &bs), -EDOM);
	assert_int_equal(nb_compare(z, 3, one, 3, &o, &c), 0);
	assert_true(isnan(c.delta_pct) && isnan(c.boot.mean_pct.lo));
	assert_true(c.welch.p < 0.1);
}

/* modified z = 0.6745 (x - median) / scipy.stats.median_abs_deviation(x) */
static void outliers(void **state)
{
	const double spike[] = { 100, 101, 99, 100, 102, 98, 100, 150 };
	const double flat[] = { 5, 5, 5, 5, 5, 5, 80 };
	const double same[] = { 3, 3, 3 };
	unsigned char f[8];

	assert_int_equal(nb_outliers(spike, N(spike), f), 1);	/* z = 33.7 */
	assert_int_equal(f[7], 1);
	assert_int_equal(f[4], 0);				/* z = 1.35 */
	assert_int_equal(nb_outliers(flat, N(flat), f), 1);	/* MAD 0: mean-AD fallback */
	assert_int_equal(f[6], 1);
	assert_int_equal(nb_outliers(same, N(same), f), 0);
	assert_int_equal(nb_outliers(H1, N(H1), f), 0);
}

static void compare_identical_and_shift(void **state)
{
	struct nb_boot_opts o;
	struct nb_compare c;
	char v[256];

	nb_boot_defaults(&o);
	assert_int_equal(nb_compare(A, N(A), A, N(A), &o, &c), 0);
	assert_false(c.significant);
	assert_close(c.delta_pct, 0, 1e-12);
	nb_verdict(v, sizeof(v), "io time (icount clock)", &c);
	assert_non_null(strstr(v, "io time (icount clock): no significant difference (p=1, n=10+10"));

	assert_int_equal(nb_compare(A, N(A), B, N(B), &o, &c), 0);
	assert_true(c.significant);
	assert_true(c.delta_pct < 0 && c.boot.mean_pct.hi < 0);
	assert_close(c.delta_pct, -11.97968532164907, 1e-9);	/* (statistics.mean(B) / statistics.mean(A) - 1) * 100 */
	nb_verdict(v, sizeof(v), "io time (icount clock)", &c);
	/* Welch's Fieller CI (ttest_cases "shift, Welch"): the verdict's own model */
	assert_close(c.ci_pct.lo, -12.496612301910571, 1e-7);
	assert_close(c.ci_pct.hi, -11.459545192730069, 1e-7);
	assert_non_null(strstr(v, "io time (icount clock) -12.0% (95% CI -12.5% .. -11.5%, "
			       "Welch p<1e-15, n=10+10)"));

	assert_int_equal(nb_compare(B, N(B), A, N(A), &o, &c), 0);
	assert_true(c.significant && c.delta_pct > 0 && c.ci_pct.lo > 0);
}

static void formatting(void **state)
{
	static const struct { double p; const char *s; } ps[] = {
		{ 2.04e-6, "2e-6" }, { 0.41, "0.41" }, { 1, "1" }, { 0.046, "0.046" },
		{ 1e-20, "<1e-15" }, { 0.0023, "0.0023" }, { NAN, "n/a" },
		/* the printed number falls on p's side of 0.05 */
		{ 0.0496, "0.0496" }, { 0.0504, "0.0504" }, { 0.05, "0.05" },
		{ 0.04996, "0.04996" }, { 0.049999999, "0.049999999" }, { 0.0512, "0.051" },
		{ 0.0488, "0.049" },
	};
	static const struct { double v; const char *s; } nums[] = {
		{ 2.84, "2.84" }, { 0.07, "0.07" }, { 123.456, "123.5" },
		{ 12345.6, "12346" }, { 0, "0" }, { 1.5e12, "1500000000000" },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < N(ps); i++) {
		nb_fmt_p(buf, sizeof(buf), ps[i].p);
		assert_string_equal(buf, ps[i].s);
	}
	for (i = 0; i < N(nums); i++) {
		nb_fmt_num(buf, sizeof(buf), nums[i].v);
		assert_string_equal(buf, nums[i].s);
	}
}

/* A CI end never prints as 0 or across it: decimals grow until it keeps its sign. */
static void change_formatting(void **state)
{
	static const struct {
		double d, lo, hi;
		const char *sd, *sci;
	} cases[] = {
		{ -12.35, -12.81, -11.87, "-12.35%", "-12.81% .. -11.87%" },
		{ -0.40, -1.07, 0.28, "-0.40%", "-1.07% .. +0.28%" },
		{ -0.189, -0.378, -0.0012, "-0.189%", "-0.378% .. -0.001%" },
		{ 2.0, 0.04, 3.96, "+2.00%", "+0.04% .. +3.96%" },
		{ 1.0, NAN, NAN, "+1.0%", "n/a" },
	};
	char d[64], ci[64];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		struct nb_interval in = { cases[i].d, cases[i].lo, cases[i].hi };

		nb_fmt_change(d, sizeof(d), ci, sizeof(ci), cases[i].d, &in);
		assert_string_equal(d, cases[i].sd);
		assert_string_equal(ci, cases[i].sci);
	}
}

static void sample_warnings(void **state)
{
	char w[256];

	assert_int_equal(nb_sample_warning(1, w, sizeof(w)), 1);
	assert_non_null(strstr(w, "need >= 2 samples for a 95% CI"));
	assert_int_equal(nb_sample_warning(3, w, sizeof(w)), 1);
	assert_non_null(strstr(w, "need >= 5 samples"));
	assert_int_equal(nb_sample_warning(5, w, sizeof(w)), 0);
	assert_int_equal(nb_pair_warning(3, 3, w, sizeof(w)), 1);
	assert_non_null(strstr(w, "Mann-Whitney cannot reach p<0.05"));
	assert_non_null(strstr(w, "need >= 4 per variant"));
	assert_int_equal(nb_pair_warning(10, 10, w, sizeof(w)), 0);
	/* min n: scipy.stats.t.ppf(0.975, 2n-2) * sqrt(2 / n) <= 1 */
	assert_int_equal(nb_n_for_halfwidth(1, 1, 1), 9);
	/* boots: scipy.stats.t.ppf(0.975, 2n-2) * sd * sqrt(2 / n) <= hw; with a
	 * 1 % SD of boot means, +-1 % takes 9 boots, +-2.3 % (what 3 give) 3 */
	assert_int_equal(nb_boots_for_halfwidth(1, 1), 9);
	assert_int_equal(nb_boots_for_halfwidth(1, 2.27), 3);
	assert_int_equal(nb_boots_for_halfwidth(1, 2.26), 4);
	assert_int_equal(nb_boots_for_halfwidth(NAN, 1), 0);
}

static void rel_change(void **state)
{
	assert_close(nb_rel_change_pct(200, 150), -25, 1e-15);
	assert_close(nb_rel_change_pct(T, T + 1e6), 1e-4, 1e-9);
	assert_true(isnan(nb_rel_change_pct(0, 1)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summary_table),
		cmocka_unit_test(t_quantiles),
		cmocka_unit_test(welford_merge),
		cmocka_unit_test(rejects_non_finite),
		cmocka_unit_test(welch_table),
		cmocka_unit_test(welch_zero_variance),
		cmocka_unit_test(ttest_table),
		cmocka_unit_test(ttest_ci_agrees_with_p),
		cmocka_unit_test(ttest_zero_variance),
		cmocka_unit_test(mwu_table),
		cmocka_unit_test(mwu_large_normal),
		cmocka_unit_test(mwu_floor),
		cmocka_unit_test(bootstrap_vs_scipy),
		cmocka_unit_test(bootstrap_reproducible),
		cmocka_unit_test(bootstrap_zero_base),
		cmocka_unit_test(outliers),
		cmocka_unit_test(compare_identical_and_shift),
		cmocka_unit_test(formatting),
		cmocka_unit_test(change_formatting),
		cmocka_unit_test(sample_warnings),
		cmocka_unit_test(rel_change),
	};
	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
