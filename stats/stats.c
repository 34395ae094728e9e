// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats/stats.h"

void nb_welford_init(struct nb_welford *w)
{
	memset(w, 0, sizeof(*w));
	w->min = INFINITY;
	w->max = -INFINITY;
}

int nb_welford_add(struct nb_welford *w, double x)
{
	double d;

	if (!isfinite(x))
		return -EDOM;
	if (!w->n)
		w->shift = x;
	x -= w->shift;
	w->n++;
	d = x - w->mean;
	w->mean += d / w->n;
	w->m2 += d * (x - w->mean);
	w->min = fmin(w->min, x + w->shift);
	w->max = fmax(w->max, x + w->shift);
	return 0;
}

/* Chan, Golub, LeVeque: exact for any split of the data. */
void nb_welford_merge(struct nb_welford *dst, const struct nb_welford *src)
{
	double n = (double)dst->n + src->n, d;

	if (!src->n)
		return;
	if (!dst->n) {
		*dst = *src;
		return;
	}
	d = (src->shift - dst->shift) + src->mean - dst->mean;
	dst->mean += d * src->n / n;
	dst->m2 += src->m2 + d * d * ((double)dst->n * src->n / n);
	dst->n += src->n;
	dst->min = fmin(dst->min, src->min);
	dst->max = fmax(dst->max, src->max);
}

double nb_welford_mean(const struct nb_welford *w)
{
	return w->n ? w->shift + w->mean : NAN;
}

double nb_welford_var(const struct nb_welford *w)
{
	return w->n < 2 ? NAN : w->m2 / (w->n - 1);
}

double nb_welford_stddev(const struct nb_welford *w)
{
	return sqrt(nb_welford_var(w));
}

int nb_check_finite(const double *x, size_t n, size_t *bad)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isfinite(x[i])) {
			if (bad)
				*bad = i;
			return -EDOM;
		}
	return 0;
}

static int check_sample(const double *x, size_t n)
{
	return n ? nb_check_finite(x, n, NULL) : -ENODATA;
}

/* Caller frees. */
static double *sorted_copy(const double *x, size_t n)
{
	double *v = malloc(n * sizeof(*v));

	if (!v)
		return NULL;
	memcpy(v, x, n * sizeof(*v));
	gsl_sort(v, 1, n);
	return v;
}

/*
 * Shifting by the first value keeps the sum exact-ish for 1e12 ns samples
 * a few ns apart: x - x[0] is exact (Sterbenz) and small.
 */
static double mean_of(const double *x, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += x[i] - x[0];
	return x[0] + s / n;
}

double nb_percentile_sorted(const double *sorted, size_t n, double p)
{
	return gsl_stats_quantile_from_sorted_data(sorted, 1, n, p / 100.0);
}

double nb_t_quantile(double df)
{
	return gsl_cdf_tdist_Qinv(NB_ALPHA / 2, df);
}

double nb_rel_change_pct(double base, double value)
{
	return base == 0 ? NAN : (value - base) / base * 100.0;
}

static void moments(const double *x, size_t n, struct nb_summary *s)
{
	s->mean = mean_of(x, n);
	s->stddev = s->sem = s->ci_low = s->ci_high = s->ci_half = NAN;
	if (n < 2)
		return;
	s->stddev = gsl_stats_sd_m(x, 1, n, s->mean);
	s->sem = s->stddev / sqrt(n);
	s->ci_half = nb_t_quantile(n - 1) * s->sem;
	s->ci_low = s->mean - s->ci_half;
	s->ci_high = s->mean + s->ci_half;
}

/* v is sorted and may be overwritten. */
static double mad_sorted(double *v, size_t n)
{
	double med = nb_percentile_sorted(v, n, 50);
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = fabs(v[i] - med);
	gsl_sort(v, 1, n);
	return nb_percentile_sorted(v, n, 50);
}

int nb_summarize(const double *x, size_t n, struct nb_summary *s)
{
	int ret = check_sample(x, n);
	double *v;

	if (ret)
		return ret;
	v = sorted_copy(x, n);
	if (!v)
		return -ENOMEM;
	s->n = n;
	moments(x, n, s);
	s->min = v[0];
	s->max = v[n - 1];
	s->median = nb_percentile_sorted(v, n, 50);
	s->p25 = nb_percentile_sorted(v, n, 25);
	s->p75 = nb_percentile_sorted(v, n, 75);
	s->mad = mad_sorted(v, n);
	free(v);
	return 0;
}

/* The shape of every order statistic: check x, sort a copy, apply f to it. */
static int on_sorted(const double *x, size_t n, double (*f)(double *v, size_t n), double *out)
{
	int ret = check_sample(x, n);
	double *v;

	if (ret)
		return ret;
	v = sorted_copy(x, n);
	if (!v)
		return -ENOMEM;
	*out = f(v, n);
	free(v);
	return 0;
}

static double median_sorted(double *v, size_t n)
{
	return nb_percentile_sorted(v, n, 50);
}

int nb_median(const double *x, size_t n, double *out)
{
	return on_sorted(x, n, median_sorted, out);
}

int nb_mad(const double *x, size_t n, double *out)
{
	return on_sorted(x, n, mad_sorted, out);
}

static void interval_nan(struct nb_interval *i)
{
	i->est = i->lo = i->hi = NAN;
}

/* Both variances 0: the difference is exact, so p is 0 or 1. */
static void welch_degenerate(double diff, struct nb_welch *w)
{
	w->df = NAN;
	w->t = diff == 0 ? 0 : copysign(INFINITY, diff);
	w->p = diff == 0 ? 1 : 0;
}

/*
 * Both arms' means shifted by a[0]: at 1e12 ns each mean rounds at ~1e-4 ns,
 * their difference of a few ns would lose four digits; the shifted means
 * subtract exactly.
 */
struct two_means {
	double ma;		/* mean of a */
	double diff;		/* mean of b - mean of a */
	double va, vb;		/* sample variances */
};

static double shifted_mean(const double *x, size_t n, double shift)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += x[i] - shift;
	return s / n;
}

/* Around the shifted mean d too: a mean rounded at 1e12 would add its error squared. */
static double shifted_var(const double *x, size_t n, double shift, double d)
{
	double s = 0, e;
	size_t i;

	for (i = 0; i < n; i++) {
		e = (x[i] - shift) - d;
		s += e * e;
	}
	return s / (n - 1);
}

static int two_means(const double *a, size_t na, const double *b, size_t nb,
		     struct two_means *m)
{
	double da, db;

	if (na < 2 || nb < 2)
		return -EINVAL;
	if (nb_check_finite(a, na, NULL) || nb_check_finite(b, nb, NULL))
		return -EDOM;
	da = shifted_mean(a, na, a[0]);
	db = shifted_mean(b, nb, a[0]);
	m->ma = a[0] + da;
	m->diff = db - da;
	m->va = shifted_var(a, na, a[0], da);
	m->vb = shifted_var(b, nb, a[0], db);
	return 0;
}

/* In shares of the total: squares of 1e-160 variances would underflow to 0/0. */
static double satterthwaite(double sa, double sb, size_t na, size_t nb)
{
	double fa = sa / (sa + sb), fb = sb / (sa + sb);

	return 1 / (fa * fa / (na - 1) + fb * fb / (nb - 1));
}

int nb_welch(const double *a, size_t na, const double *b, size_t nb,
	     struct nb_welch *w)
{
	struct two_means m;
	double sa, sb;
	int ret = two_means(a, na, b, nb, &m);

	if (ret)
		return ret;
	sa = m.va / na;
	sb = m.vb / nb;
	if (sa + sb == 0) {
		welch_degenerate(-m.diff, w);
		return 0;
	}
	w->t = -m.diff / sqrt(sa + sb);
	w->df = satterthwaite(sa, sb, na, nb);
	w->p = 2 * gsl_cdf_tdist_Q(fabs(w->t), w->df);
	return 0;
}

const char *nb_tmodel_name(enum nb_tmodel model)
{
	return model == NB_T_POOLED ? "pooled t" : "Welch t";
}

/* Variances of the two means and df under the model. */
static void t_vars(const struct two_means *m, size_t na, size_t nb,
		   enum nb_tmodel model, double *sa, double *sb, double *df)
{
	double sp2 = ((na - 1) * m->va + (nb - 1) * m->vb) / (na + nb - 2);

	*sa = model == NB_T_POOLED ? sp2 / na : m->va / na;
	*sb = model == NB_T_POOLED ? sp2 / nb : m->vb / nb;
	*df = model == NB_T_POOLED ? na + nb - 2.0 :
	      *sa + *sb > 0 ? satterthwaite(*sa, *sb, na, nb) : NAN;
}

/*
 * Fieller: the ratios th = mean_b / mean_a the test does not reject,
 * (mb - th ma)^2 <= tc^2 (sb + th^2 sa), divided through by ma^2 so the
 * roots come out as th - 1 = delta + ... without cancellation. g >= 1: the
 * baseline mean is not distinguishable from 0 and the set is unbounded.
 */
static void fieller_pct(double ma, double delta, double sa, double sb, double tc,
			struct nb_interval *i)
{
	double qa = sa / (ma * ma), qb = sb / (ma * ma), g = tc * tc * qa;
	double h = tc * sqrt(qb * (1 - g) + (1 + delta) * (1 + delta) * qa);

	i->est = 100 * delta;
	i->lo = i->hi = NAN;
	if (sa + sb == 0) {
		i->lo = i->hi = i->est;
	} else if (g < 1) {
		i->lo = 100 * (delta + g - h) / (1 - g);
		i->hi = 100 * (delta + g + h) / (1 - g);
	}
}

int nb_ttest(const double *a, size_t na, const double *b, size_t nb,
	     enum nb_tmodel model, struct nb_ttest *t)
{
	return nb_ttest_level(a, na, b, nb, model, NB_ALPHA, t);
}

int nb_ttest_level(const double *a, size_t na, const double *b, size_t nb,
		   enum nb_tmodel model, double alpha, struct nb_ttest *t)
{
	struct two_means m;
	double sa, sb;
	int ret = alpha > 0 && alpha < 1 ? two_means(a, na, b, nb, &m) : -EDOM;

	if (ret)
		return ret;
	t_vars(&m, na, nb, model, &sa, &sb, &t->df);
	if (sa + sb == 0) {
		t->t = m.diff == 0 ? 0 : copysign(INFINITY, m.diff);
		t->p = m.diff == 0 ? 1 : 0;
	} else {
		t->t = m.diff / sqrt(sa + sb);
		t->p = 2 * gsl_cdf_tdist_Q(fabs(t->t), t->df);
	}
	t->alpha = alpha;
	t->significant = t->p < alpha;
	t->se_pct = m.ma ? 100 * sqrt(sa + sb) / fabs(m.ma) : NAN;
	if (m.ma)	/* no spread: no df for Welch, and no quantile needed */
		fieller_pct(m.ma, m.diff / m.ma, sa, sb,
			    sa + sb > 0 ? gsl_cdf_tdist_Qinv(alpha / 2, t->df) : 0, &t->pct);
	else
		interval_nan(&t->pct);
	return 0;
}

double nb_mwu_min_p(size_t na, size_t nb)
{
	return fmin(1.0, 2.0 * exp(-gsl_sf_lnchoose(na + nb, na)));
}

struct ranked {
	double v;
	int from_a;
};

static int cmp_ranked(const void *x, const void *y)
{
	const struct ranked *p = x, *q = y;

	return (p->v > q->v) - (p->v < q->v);
}

struct rank_sums {
	double r1;		/* rank sum of a */
	double ties;		/* sum of t^3 - t over tie groups */
};

/* Average ranks over tie groups [i, j). */
static void rank_sorted(const struct ranked *r, size_t n, struct rank_sums *rs)
{
	size_t i = 0, j, k;
	double t;

	rs->r1 = rs->ties = 0;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && r[j].v == r[i].v; j++)
			;
		t = j - i;
		rs->ties += t * t * t - t;
		for (k = i; k < j; k++)
			if (r[k].from_a)
				rs->r1 += (i + 1 + j) / 2.0;
	}
}

static int rank_two(const double *a, size_t na, const double *b, size_t nb,
		    struct rank_sums *rs)
{
	struct ranked *r = malloc((na + nb) * sizeof(*r));
	size_t i;

	if (!r)
		return -ENOMEM;
	for (i = 0; i < na + nb; i++) {
		r[i].from_a = i < na;
		r[i].v = i < na ? a[i] : b[i - na];
	}
	qsort(r, na + nb, sizeof(*r), cmp_ranked);
	rank_sorted(r, na + nb, rs);
	free(r);
	return 0;
}

/* up: p(i-1, j, .), left: p(i, j-1, .) */
static double pmf_cell(const double *up, const double *left, size_t i, size_t j,
		       size_t u)
{
	double x = u >= j ? up[u - j] * i : 0;
	double y = u <= i * (j - 1) ? left[u] * j : 0;

	return (x + y) / (i + j);
}

/*
 * P(U = u) with no ties, by who holds the largest value: an a-value there
 * beats all j b-values. p(i,j,u) = i/(i+j) p(i-1,j,u-j) + j/(i+j) p(i,j-1,u).
 * Only additions of positive terms, so tail probabilities keep full
 * relative precision (unlike Gaussian-binomial products). Caller frees.
 */
static double *mwu_pmf(size_t m, size_t n)
{
	size_t w = m * n + 1, i, j, u;
	double *prev = calloc((n + 1) * w, sizeof(double));
	double *cur = calloc((n + 1) * w, sizeof(double)), *tmp;

	if (!prev || !cur)
		goto fail;
	for (j = 0; j <= n; j++)
		prev[j * w] = 1;
	for (i = 1; i <= m; i++) {
		memset(cur, 0, (n + 1) * w * sizeof(double));
		cur[0] = 1;
		for (j = 1; j <= n; j++)
			for (u = 0; u <= i * j; u++)
				cur[j * w + u] = pmf_cell(prev + j * w, cur + (j - 1) * w, i, j, u);
		tmp = prev, prev = cur, cur = tmp;
	}
	memmove(prev, prev + n * w, w * sizeof(double));
	free(cur);
	return prev;
fail:
	free(prev);
	free(cur);
	return NULL;
}

static int mwu_exact(size_t m, size_t n, double u1, double *p)
{
	double *pmf = mwu_pmf(m, n), tail = 0;
	size_t umax = (size_t)fmax(u1, m * n - u1), u;

	if (!pmf)
		return -ENOMEM;
	for (u = umax; u <= m * n; u++)
		tail += pmf[u];
	*p = fmin(1.0, 2 * tail);
	free(pmf);
	return 0;
}

/* Normal approximation with tie correction and continuity correction. */
static double mwu_normal(size_t m, size_t n, double u1, double ties)
{
	double N = m + n, mn = (double)m * n;
	double sd = sqrt(mn / 12.0 * ((N + 1) - ties / (N * (N - 1))));
	double z;

	if (!(sd > 0))
		return 1.0;	/* every value equal: nothing to tell apart */
	z = (fmax(u1, mn - u1) - mn / 2 - 0.5) / sd;
	return fmin(1.0, 2 * gsl_cdf_ugaussian_Q(z));
}

int nb_mann_whitney(const double *a, size_t na, const double *b, size_t nb,
		    struct nb_mwu *out)
{
	struct rank_sums rs;
	int ret;

	if (!na || !nb)
		return -ENODATA;
	if (nb_check_finite(a, na, NULL) || nb_check_finite(b, nb, NULL))
		return -EDOM;
	ret = rank_two(a, na, b, nb, &rs);
	if (ret)
		return ret;
	out->u = rs.r1 - na * (na + 1) / 2.0;
	out->exact = rs.ties == 0 && na <= NB_MWU_EXACT_MAX && nb <= NB_MWU_EXACT_MAX;
	if (out->exact)
		return mwu_exact(na, nb, out->u, &out->p);
	out->p = mwu_normal(na, nb, out->u, rs.ties);
	return 0;
}

void nb_boot_defaults(struct nb_boot_opts *o)
{
	o->seed = NB_BOOT_SEED;
	o->resamples = NB_BOOT_RESAMPLES;
}

/*
 * One side of the bootstrap. Up to NB_BOOT_M values a resample draws n of
 * them (the plain bootstrap); above, it draws m = NB_BOOT_M and shrinks the
 * resampled statistic's deviation from the sample's by sqrt(m / n) (the
 * m-out-of-n bootstrap with sqrt(n) scaling, Bickel et al. 1997): mean and
 * median are sqrt(n)-consistent, so the spread is that of n draws, at a
 * cost that does not grow with n.
 */
struct boot_side {
	const double *x;
	size_t n, m;
	double mean, median, shrink;
	double *buf;			/* one resample */
};

/* Scratch for one bootstrap run; freed by boot_free(). */
struct boot_work {
	gsl_rng *rng;
	struct boot_side a, b;
	double *means, *medians;	/* one ratio per resample */
};

static void boot_free(struct boot_work *w)
{
	gsl_rng_free(w->rng);
	free(w->a.buf);
	free(w->b.buf);
	free(w->means);
	free(w->medians);
}

static void side_init(struct boot_side *s, const double *x, size_t n, double median)
{
	s->x = x;
	s->n = n;
	s->m = n < NB_BOOT_M ? n : NB_BOOT_M;
	s->mean = mean_of(x, n);
	s->median = median;
	s->shrink = sqrt((double)s->m / n);
	s->buf = malloc(s->m * sizeof(double));
}

static int boot_alloc(struct boot_work *w, const double *a, size_t na, double ma,
		      const double *b, size_t nb, double mb, const struct nb_boot_opts *o)
{
	w->rng = gsl_rng_alloc(gsl_rng_mt19937);
	side_init(&w->a, a, na, ma);
	side_init(&w->b, b, nb, mb);
	w->means = malloc(o->resamples * sizeof(double));
	w->medians = malloc(o->resamples * sizeof(double));
	if (!w->rng || !w->a.buf || !w->b.buf || !w->means || !w->medians) {
		boot_free(w);
		return -ENOMEM;
	}
	gsl_rng_set(w->rng, o->seed);
	return 0;
}

/* One resample's mean and median (shrunk towards the sample's when m < n). */
static void side_draw(gsl_rng *rng, struct boot_side *s, double *mean, double *median)
{
	size_t i;

	for (i = 0; i < s->m; i++)
		s->buf[i] = s->x[gsl_rng_uniform_int(rng, s->n)];
	gsl_sort(s->buf, 1, s->m);
	*mean = mean_of(s->buf, s->m);
	*median = nb_percentile_sorted(s->buf, s->m, 50);
	if (s->m == s->n)
		return;
	*mean = s->mean + (*mean - s->mean) * s->shrink;
	*median = s->median + (*median - s->median) * s->shrink;
}

static double ratio(double num, double den)
{
	return den == 0 ? NAN : num / den;
}

static int boot_one(struct boot_work *w, size_t i)
{
	double mean_a, med_a, mean_b, med_b;

	side_draw(w->rng, &w->a, &mean_a, &med_a);
	side_draw(w->rng, &w->b, &mean_b, &med_b);
	w->means[i] = ratio(mean_b, mean_a);
	w->medians[i] = ratio(med_b, med_a);
	return isfinite(w->means[i]) && isfinite(w->medians[i]) ? 0 : -EDOM;
}

/* Percentile interval over the resampled ratios; v is sorted in place. */
static void interval(double *v, size_t n, double est,
		     struct nb_interval *r, struct nb_interval *pct)
{
	gsl_sort(v, 1, n);
	r->est = est;
	r->lo = nb_percentile_sorted(v, n, 100 * NB_ALPHA / 2);
	r->hi = nb_percentile_sorted(v, n, 100 * (1 - NB_ALPHA / 2));
	pct->est = (r->est - 1) * 100;
	pct->lo = (r->lo - 1) * 100;
	pct->hi = (r->hi - 1) * 100;
}

static int point_ratios(const double *a, size_t na, const double *b, size_t nb,
			double *mean_r, double *med_r, double *ma, double *mb)
{
	int ret = nb_median(a, na, ma) ?: nb_median(b, nb, mb);

	if (ret)
		return ret;
	*mean_r = ratio(mean_of(b, nb), mean_of(a, na));
	*med_r = ratio(*mb, *ma);
	return isfinite(*mean_r) && isfinite(*med_r) ? 0 : -EDOM;
}

/*
 * Resamples a and b independently (they come from separate boots), draws in
 * a fixed order from one MT19937 stream: the same seed gives the same CI.
 */
int nb_bootstrap_ratio(const double *a, size_t na, const double *b, size_t nb,
		       const struct nb_boot_opts *o, struct nb_bootstrap *out)
{
	double mean_r, med_r, ma, mb;
	struct boot_work w;
	unsigned int i;
	int ret = point_ratios(a, na, b, nb, &mean_r, &med_r, &ma, &mb);

	if (ret)
		return ret;
	if (!o->resamples)
		return -EINVAL;
	ret = boot_alloc(&w, a, na, ma, b, nb, mb, o);
	if (ret)
		return ret;
	for (i = 0; i < o->resamples && !ret; i++)
		ret = boot_one(&w, i);
	if (ret)
		goto out;
	interval(w.means, o->resamples, mean_r, &out->mean_ratio, &out->mean_pct);
	interval(w.medians, o->resamples, med_r, &out->median_ratio, &out->median_pct);
out:
	boot_free(&w);
	return ret;
}

/* Scaled deviation used by the modified z-score; 0 means "no spread". */
static double robust_scale(const double *x, size_t n, double med, double mad)
{
	double s = 0;
	size_t i;

	if (mad > 0)
		return mad / 0.6745;
	for (i = 0; i < n; i++)
		s += fabs(x[i] - med);
	return 1.253314 * s / n;
}

int nb_outliers(const double *x, size_t n, unsigned char *flags)
{
	double med, mad, scale;
	int ret = nb_median(x, n, &med) ?: nb_mad(x, n, &mad), count = 0;
	size_t i;

	if (ret)
		return ret;
	memset(flags, 0, n);
	if (n < NB_OUTLIER_MIN_N)
		return 0;
	scale = robust_scale(x, n, med, mad);
	for (i = 0; i < n; i++) {
		flags[i] = scale > 0 && fabs(x[i] - med) / scale > NB_OUTLIER_Z;
		count += flags[i];
	}
	return count;
}

int nb_compare(const double *a, size_t na, const double *b, size_t nb,
	       const struct nb_boot_opts *o, struct nb_compare *c)
{
	struct nb_ttest t;
	int ret;

	memset(c, 0, sizeof(*c));
	c->na = na;
	c->nb = nb;
	ret = nb_welch(a, na, b, nb, &c->welch) ?:
	      nb_ttest(a, na, b, nb, NB_T_WELCH, &t) ?:
	      nb_mann_whitney(a, na, b, nb, &c->mwu);
	if (ret)
		return ret;
	c->delta_pct = t.pct.est;
	c->ci_pct = t.pct;
	c->significant = c->welch.p < NB_ALPHA;
	ret = nb_bootstrap_ratio(a, na, b, nb, o, &c->boot);
	if (ret == -EDOM) {	/* a zero mean or median: no ratio, tests stand */
		interval_nan(&c->boot.mean_ratio);
		interval_nan(&c->boot.median_ratio);
		interval_nan(&c->boot.mean_pct);
		interval_nan(&c->boot.median_pct);
		ret = 0;
	}
	return ret;
}

size_t nb_n_for_halfwidth(double sd_a, double sd_b, double halfwidth)
{
	double v = sd_a * sd_a + sd_b * sd_b;
	size_t n;

	if (!(halfwidth > 0) || !isfinite(v))
		return 0;
	for (n = 2; n < 100000; n++)
		if (nb_t_quantile(2.0 * n - 2) * sqrt(v / n) <= halfwidth)
			return n;
	return 0;
}

size_t nb_boots_for_halfwidth(double sd_boot, double halfwidth)
{
	size_t n;

	if (!(halfwidth > 0) || !isfinite(sd_boot))
		return 0;
	for (n = 2; n < 100000; n++)
		if (nb_t_quantile(2.0 * n - 2) * sd_boot * sqrt(2.0 / n) <= halfwidth)
			return n;
	return 0;
}

int nb_sample_warning(size_t n, char *buf, size_t len)
{
	double t;

	if (n < NB_MIN_CI_N)
		return snprintf(buf, len, "n=%zu: need >= %d samples for a 95%% CI",
				n, NB_MIN_CI_N), 1;
	if (n >= NB_GOOD_CI_N)
		return 0;
	t = nb_t_quantile(n - 1);
	snprintf(buf, len, "n=%zu: need >= %d samples for a 95%% CI worth quoting "
		 "(t=%.2f makes it %.1fx wider than a large sample's)",
		 n, NB_GOOD_CI_N, t, t / 1.96);
	return 1;
}

/* Smallest equal group size at which the exact test can reach NB_ALPHA. */
static size_t mwu_min_n(void)
{
	size_t k;

	for (k = 1; nb_mwu_min_p(k, k) >= NB_ALPHA; k++)
		;
	return k;
}

int nb_pair_warning(size_t na, size_t nb, char *buf, size_t len)
{
	size_t lo = na < nb ? na : nb;

	if (lo < NB_MIN_CI_N)
		return snprintf(buf, len, "n=%zu+%zu: need >= %d samples per variant "
				"for a 95%% CI", na, nb, NB_MIN_CI_N), 1;
	if (nb_mwu_min_p(na, nb) >= NB_ALPHA)
		return snprintf(buf, len, "n=%zu+%zu: Mann-Whitney cannot reach p<%g "
				"with so few samples: need >= %zu per variant",
				na, nb, NB_ALPHA, mwu_min_n()), 1;
	if (lo < NB_GOOD_CI_N)
		return snprintf(buf, len, "n=%zu+%zu: need >= %d samples per variant "
				"for a 95%% CI worth quoting", na, nb, NB_GOOD_CI_N), 1;
	return 0;
}

/* "2e-06" -> "2e-6" */
static void trim_exponent(char *s)
{
	char *e = strchr(s, 'e'), *d;

	if (!e)
		return;
	d = e + 1;
	if (*d == '+' || *d == '-')
		d++;
	while (*d == '0' && d[1])
		memmove(d, d + 1, strlen(d));
	if (e[1] == '+')
		memmove(e + 1, e + 2, strlen(e + 1));
}

/* The printed p read back lies on p's side of alpha, and not on alpha itself. */
static int p_side_ok(const char *buf, double p, double alpha)
{
	double q = strtod(buf, NULL);

	return (q < alpha) == (p < alpha) && (q != alpha || p == alpha);
}

void nb_fmt_p(char *buf, size_t len, double p)
{
	nb_fmt_p_at(buf, len, p, NB_ALPHA);
}

/* Small p in exponent form: a sequential level can be below 1e-3 too. */
void nb_fmt_p_at(char *buf, size_t len, double p, double alpha)
{
	int d;

	if (isnan(p))
		snprintf(buf, len, "n/a");
	else if (p < 1e-15)
		snprintf(buf, len, "<1e-15");
	else if (p < 1e-3)
		for (d = 0; d <= 16; d++) {
			snprintf(buf, len, "%.*e", d, p);
			if (p_side_ok(buf, p, alpha))
				break;
		}
	else
		for (d = 2; d <= 17; d++) {
			snprintf(buf, len, "%.*g", d, p);
			if (p_side_ok(buf, p, alpha))
				break;
		}
	trim_exponent(buf);
}

/* Formats into buf; 0 when the whole text fitted, -ENOSPC when it was cut. */
static int __attribute__((format(printf, 3, 4)))
fmt_fit(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < len ? 0 : -ENOSPC;
}

/*
 * Integers are printed whole only while a double holds them exactly (and
 * they fit): beyond, the exponent form, never a number cut short.
 */
void nb_fmt_num(char *buf, size_t len, double v)
{
	assert(len >= NB_FMT_LEN);
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else if (!((fabs(v) >= 1000 && fabs(v) < 1e15) || v == 0) ||
		 fmt_fit(buf, len, "%.0f", v))
		snprintf(buf, len, "%.4g", v);
	trim_exponent(buf);
}

static int pct_decimals(double x)
{
	x = fabs(x);
	return x >= 1 || x == 0 ? 1 : x >= 0.1 ? 2 : 3;
}

/* x printed with n decimals reads back with x's sign (0 only for 0). */
static int pct_sign_ok(double x, int n)
{
	char b[64];
	double y;

	if (isnan(x) || x == 0 || fabs(x) >= 1)
		return 1;
	snprintf(b, sizeof(b), "%.*f", n, x);
	y = strtod(b, NULL);
	return x > 0 ? y > 0 : y < 0;
}

/*
 * Enough decimals that neither the delta nor the CI width rounds away, and
 * that neither end of the CI rounds onto or across 0: the printed interval
 * must exclude 0 exactly when the verdict says so.
 */
static int change_decimals(double delta, const struct nb_interval *i)
{
	int a = pct_decimals(delta), b = isnan(i->lo) ? 0 : pct_decimals(i->hi - i->lo);
	int n = a > b ? a : b;

	while (n < 12 && !(pct_sign_ok(i->lo, n) && pct_sign_ok(i->hi, n)))
		n++;
	return n;
}

/* pct with n decimals and a '%', or in exponent form when that does not fit. */
static void fmt_pct(char *buf, size_t len, int n, double pct)
{
	if (fmt_fit(buf, len, "%+.*f%%", n, pct))
		snprintf(buf, len, "%+.3e%%", pct);
	trim_exponent(buf);
}

void nb_fmt_change(char *d, size_t dlen, char *ci, size_t cilen, double delta,
		   const struct nb_interval *i)
{
	int n = change_decimals(delta, i);
	char lo[NB_FMT_LEN], hi[NB_FMT_LEN];

	assert(dlen >= NB_FMT_LEN && cilen >= 2 * NB_FMT_LEN);
	snprintf(d, dlen, "n/a");
	if (!isnan(delta))
		fmt_pct(d, dlen, n, delta);
	snprintf(ci, cilen, "n/a");
	if (isnan(i->lo))
		return;
	fmt_pct(lo, sizeof(lo), n, i->lo);
	fmt_pct(hi, sizeof(hi), n, i->hi);
	snprintf(ci, cilen, "%s .. %s", lo, hi);
}

static void fmt_p_rel(char *buf, size_t len, double p)
{
	char v[32];

	nb_fmt_p(v, sizeof(v), p);
	snprintf(buf, len, "p%s%s", v[0] == '<' ? "" : "=", v);
}

/* "p=0.031", or against a sequential design's level "p=0.031 at level 0.0123". */
static void fmt_p_level(char *buf, size_t len, const struct nb_ttest *t)
{
	char v[32], a[16];

	if (!(t->alpha > 0) || t->alpha == NB_ALPHA) {
		fmt_p_rel(buf, len, t->p);
		return;
	}
	nb_fmt_p_at(v, sizeof(v), t->p, t->alpha);
	snprintf(a, sizeof(a), "%.3g", t->alpha);
	snprintf(buf, len, "p%s%s at level %s", v[0] == '<' ? "" : "=", v, a);
}

/* Mann-Whitney is reported only when it could have disagreed and did. */
static void mwu_note(char *buf, size_t len, const struct nb_compare *c)
{
	char p[40];

	buf[0] = 0;
	if (nb_mwu_min_p(c->na, c->nb) >= NB_ALPHA ||
	    (c->mwu.p < NB_ALPHA) == c->significant)
		return;
	fmt_p_rel(p, sizeof(p), c->mwu.p);
	snprintf(buf, len, " [Mann-Whitney %s disagrees: look at the distributions]", p);
}

/* fix: " [Mann-Whitney ... disagrees ...]" or "". */
static void verdict_core(char *buf, size_t len, const char *label, const char *test,
			 const struct nb_ttest *t, size_t na, size_t nb,
			 const char *unit, const char *fix)
{
	char d[NB_FMT_LEN], ci[2 * NB_FMT_LEN + 8], p[80];

	nb_fmt_change(d, sizeof(d), ci, sizeof(ci), t->pct.est, &t->pct);
	fmt_p_level(p, sizeof(p), t);
	if (!strcmp(ci, "n/a"))
		snprintf(ci, sizeof(ci), "unbounded");
	if (isnan(t->pct.est))
		snprintf(buf, len, "%s: %s, baseline mean is 0 (%s %s, n=%zu+%zu%s)%s",
			 label, t->significant ? "changed" : "no significant difference",
			 test, p, na, nb, unit, fix);
	else if (!t->significant)
		snprintf(buf, len, "%s: no significant difference (%s, n=%zu+%zu%s; "
			 "delta %s, 95%% CI %s)%s", label, p, na, nb, unit, d, ci, fix);
	else
		snprintf(buf, len, "%s %s (95%% CI %s, %s %s, n=%zu+%zu%s)%s",
			 label, d, ci, test, p, na, nb, unit, fix);
}

void nb_verdict_t(char *buf, size_t len, const char *label, const char *test,
		  const struct nb_ttest *t, size_t na, size_t nb, const char *unit)
{
	verdict_core(buf, len, label, test, t, na, nb, unit, "");
}

void nb_verdict(char *buf, size_t len, const char *label, const struct nb_compare *c)
{
	struct nb_ttest t = { .p = c->welch.p, .pct = c->ci_pct,
			      .significant = c->significant };
	char m[96];

	t.pct.est = c->delta_pct;
	mwu_note(m, sizeof(m), c);
	verdict_core(buf, len, label, "Welch", &t, c->na, c->nb, "", m);
}
