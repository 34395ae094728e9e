/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Statistics for benchmark samples: summaries, confidence intervals and
 * two-sample tests, in the spirit of ministat and benchstat.
 *
 * Every function taking samples rejects NaN and infinities with -EDOM: a
 * non-finite sample is a bug upstream (a failed parse, a division by zero)
 * and must not turn into a plausible-looking mean. Values of 1e9..1e12 ns
 * with a spread of a few ns are expected; nothing here sums squares of raw
 * values.
 */
#ifndef NB_STATS_H
#define NB_STATS_H

#include <stddef.h>
#include <stdint.h>

#define NB_ALPHA		0.05	/* two-sided, for every CI and verdict */
#define NB_BOOT_SEED		20261122ul
#define NB_BOOT_RESAMPLES	10000u
#define NB_OUTLIER_Z		3.5	/* Iglewicz-Hoaglin modified z-score */
#define NB_OUTLIER_MIN_N	5	/* below, a median deviation means nothing */
#define NB_MIN_CI_N		2	/* a CI exists */
#define NB_GOOD_CI_N		5	/* t(n-1) no longer dominates the CI */
#define NB_MWU_EXACT_MAX	50	/* per side; above, normal approximation */

/*
 * Streaming mean/variance (Welford), mergeable (Chan et al.) so per-boot
 * accumulators can be combined like fio's per-thread io_stat.
 */
struct nb_welford {
	uint64_t n;
	double shift;		/* first value: 1e12 ns minus it is small and exact */
	double mean;		/* of x - shift */
	double m2;		/* sum of squared deviations from the mean */
	double min, max;
};

void nb_welford_init(struct nb_welford *w);
int nb_welford_add(struct nb_welford *w, double x);
void nb_welford_merge(struct nb_welford *dst, const struct nb_welford *src);
double nb_welford_mean(const struct nb_welford *w);	/* NAN if n == 0 */
double nb_welford_var(const struct nb_welford *w);	/* sample (n-1); NAN if n < 2 */
double nb_welford_stddev(const struct nb_welford *w);

/* Fields that need n >= 2 are NAN below that. */
struct nb_summary {
	size_t n;
	double mean, stddev, sem;
	double ci_low, ci_high;		/* Student t 95% CI of the mean */
	double ci_half;			/* (ci_high - ci_low) / 2, at full precision */
	double min, max;
	double median, p25, p75;	/* linear interpolation (R type 7) */
	double mad;			/* raw median absolute deviation */
};

int nb_check_finite(const double *x, size_t n, size_t *bad);
int nb_summarize(const double *x, size_t n, struct nb_summary *s);
/* On a sorted copy; p in [0, 100]. */
double nb_percentile_sorted(const double *sorted, size_t n, double p);
int nb_median(const double *x, size_t n, double *out);
int nb_mad(const double *x, size_t n, double *out);
double nb_t_quantile(double df);	/* two-sided 95%: t such that P(|T|>t) = 0.05 */
double nb_rel_change_pct(double base, double value);	/* NAN if base == 0 */

struct nb_welch {
	double t, df, p;
};

/* t = (mean_a - mean_b) / se, the means shifted by a[0] before subtracting. */
int nb_welch(const double *a, size_t na, const double *b, size_t nb,
	     struct nb_welch *out);

/* A point estimate and a 95% CI. */
struct nb_interval {
	double est, lo, hi;
};

/*
 * Two-sample t-test of b against baseline a and the 95% CI of the change
 * from the same model: Fieller's interval for mean_b / mean_a with the
 * test's variances and df, as a change in %. 0 % lies outside the CI
 * exactly when p < NB_ALPHA (the interval is the set of ratios the test
 * does not reject). Pooled: Student's t with one variance, df = na+nb-2;
 * on boot means it is the balanced mixed model io ~ variant + (1|boot).
 * Welch: a variance per arm, Welch-Satterthwaite df.
 */
enum nb_tmodel { NB_T_POOLED, NB_T_WELCH };

struct nb_ttest {
	double t;			/* (mean_b - mean_a) / se: the sign of the change */
	double df, p;			/* df NAN when Welch has no variance at all */
	double se_pct;			/* se as % of mean_a */
	struct nb_interval pct;		/* (mean_b / mean_a - 1) * 100; lo, hi NAN: unbounded */
	double alpha;			/* the level: pct is the 1 - alpha CI */
	int significant;		/* p < alpha */
};

int nb_ttest(const double *a, size_t na, const double *b, size_t nb,
	     enum nb_tmodel model, struct nb_ttest *out);
/*
 * The same at level alpha in (0, 1) (-EDOM otherwise): significant when
 * p < alpha, and pct the 1 - alpha interval. A group-sequential design's
 * looks test at their nominal levels (stats/seq.h).
 */
int nb_ttest_level(const double *a, size_t na, const double *b, size_t nb,
		   enum nb_tmodel model, double alpha, struct nb_ttest *out);
const char *nb_tmodel_name(enum nb_tmodel model);	/* "pooled t", "Welch t" */

struct nb_mwu {
	double u;		/* U of the first sample: pairs with a > b (ties 1/2) */
	double p;		/* two-sided */
	int exact;		/* 1: exact distribution, 0: normal approximation */
};

int nb_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
		    struct nb_mwu *out);
/* Smallest two-sided p the exact test can give with these sizes. */
double nb_mwu_min_p(size_t na, size_t nb);

/* Values per side a resample draws at most (see docs/statistics.md: large n). */
#define NB_BOOT_M		1024u

struct nb_boot_opts {
	unsigned long seed;
	unsigned int resamples;
};

struct nb_bootstrap {
	struct nb_interval mean_ratio, median_ratio;	/* b / a */
	struct nb_interval mean_pct, median_pct;	/* (b / a - 1) * 100 */
};

void nb_boot_defaults(struct nb_boot_opts *o);
int nb_bootstrap_ratio(const double *a, size_t na, const double *b, size_t nb,
		       const struct nb_boot_opts *o, struct nb_bootstrap *out);

/*
 * flags[i] = 1 where |0.6745 (x - median) / MAD| > NB_OUTLIER_Z. When the MAD
 * is 0 (more than half the values equal) the mean absolute deviation scaled
 * by 1.2533 stands in, so a lone spike in constant data is still caught.
 * Fewer than NB_OUTLIER_MIN_N values flag nothing. Returns the number
 * flagged or -errno.
 */
int nb_outliers(const double *x, size_t n, unsigned char *flags);

/*
 * The whole A/B comparison of b against baseline a, samples taken as
 * independent (`nestbench stats`). The verdict is Welch's and so is its CI.
 */
struct nb_compare {
	size_t na, nb;
	double delta_pct;		/* of means */
	struct nb_interval ci_pct;	/* Welch-Fieller 95% CI of delta_pct */
	struct nb_bootstrap boot;	/* percentile bootstrap; NAN when a's mean is 0 */
	struct nb_welch welch;
	struct nb_mwu mwu;
	int significant;		/* welch.p < NB_ALPHA: ci_pct excludes 0 */
};

int nb_compare(const double *a, size_t na, const double *b, size_t nb,
	       const struct nb_boot_opts *o, struct nb_compare *c);

/*
 * Sample-size advice: smallest n per variant whose 95% CI half-width of the
 * difference of means is <= halfwidth, given the two standard deviations.
 * 0 when it cannot be computed.
 */
size_t nb_n_for_halfwidth(double sd_a, double sd_b, double halfwidth);
/* The same for the pooled t on boot means: boots per arm whose CI half-width
 * is <= halfwidth given the SD of boot means (same unit); 0 if unknown. */
size_t nb_boots_for_halfwidth(double sd_boot, double halfwidth);
/* "need >= N samples for a 95% CI" style warning for one sample; 0 if none. */
int nb_sample_warning(size_t n, char *buf, size_t len);
/* Same for a pair (adds the Mann-Whitney floor); 0 if none. */
int nb_pair_warning(size_t na, size_t nb, char *buf, size_t len);

/*
 * "2e-6", "0.41", "<1e-15": p-values the way a mail reader wants them, with
 * as many digits as it takes for the printed number to fall on the same
 * side of NB_ALPHA as p (0.0496 is "0.0496", never "0.05").
 */
void nb_fmt_p(char *buf, size_t len, double p);
/* The same, on p's side of alpha. */
void nb_fmt_p_at(char *buf, size_t len, double p, double alpha);
/*
 * The buffer a formatted number needs (nb_fmt_num, each of nb_fmt_change's
 * ends; twice that for its CI): what does not fit takes the exponent form.
 */
#define NB_FMT_LEN 32
/* 4 significant digits, no exponent for ordinary magnitudes (below 1e15). */
void nb_fmt_num(char *buf, size_t len, double v);

/*
 * The one-line verdict, e.g.
 *   "io time (icount clock) -12.3% (95% CI -14.1% .. -10.6%, Welch p=2e-6, n=10+10)"
 *   "io time (icount clock): no significant difference (p=0.41, n=5+5; delta ...)"
 */
void nb_verdict(char *buf, size_t len, const char *label, const struct nb_compare *c);
/*
 * The same from a t-test: test names it ("t-test"), unit follows n
 * (" boots"). The CI's ends get as many decimals as keep them on their
 * side of 0, so the printed CI excludes 0 exactly when the verdict says so.
 */
void nb_verdict_t(char *buf, size_t len, const char *label, const char *test,
		  const struct nb_ttest *t, size_t na, size_t nb, const char *unit);
/* "-12.3%" and "-14.1% .. -10.6%" ("n/a" when there is none), decimals as above. */
void nb_fmt_change(char *d, size_t dlen, char *ci, size_t cilen, double delta,
		   const struct nb_interval *i);

#endif
