// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <json-c/json.h>

#include "stats/results.h"
#include "stats/seq.h"

#define M NB_SEQ_DRAWS

static int looks_ok(const struct nb_seq *s)
{
	size_t k;

	if (!s->nlooks || s->nlooks > NB_SEQ_MAX_LOOKS || s->n[0] < 2 ||
	    s->n[s->nlooks - 1] > NB_SEQ_MAX_N)
		return 0;
	for (k = 1; k < s->nlooks; k++)
		if (s->n[k] <= s->n[k - 1])
			return 0;
	return 1;
}

/* |pooled t| at every look of M sequences of N(0, 1) boots: t[k * M + m]. */
static int null_draws(const struct nb_seq *s, double *t)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	size_t m, i, k, nk = s->n[s->nlooks - 1];

	if (!rng)
		return -ENOMEM;
	gsl_rng_set(rng, NB_SEQ_SEED);
	for (m = 0; m < M; m++) {
		double sa = 0, sb = 0, qa = 0, qb = 0;

		for (i = 1, k = 0; i <= nk; i++) {
			double xa = gsl_ran_gaussian_ziggurat(rng, 1), xb = gsl_ran_gaussian_ziggurat(rng, 1);
			double ma, mb, sp2;

			sa += xa;
			qa += xa * xa;
			sb += xb;
			qb += xb * xb;
			if (i != s->n[k])
				continue;
			ma = sa / i;
			mb = sb / i;
			sp2 = (qa - i * ma * ma + qb - i * mb * mb) / (2.0 * i - 2);
			t[k++ * M + m] = fabs(mb - ma) / sqrt(sp2 * 2 / i);
		}
	}
	gsl_rng_free(rng);
	return 0;
}

static int by_size_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y) - (x > y);
}

/*
 * Look k's critical |t|: of the sequences no earlier look rejected, the
 * `want` largest cross it. None wanted (a tiny spend): the look's own spend
 * as its level, which can only reject less often than spent.
 */
static double critical(const double *tk, const unsigned char *out, double *buf,
		       size_t want, double spend, double df)
{
	size_t m, alive = 0;

	for (m = 0; m < M; m++)
		if (!out[m])
			buf[alive++] = tk[m];
	if (!want || want >= alive)
		return gsl_cdf_tdist_Qinv(fmax(spend, 1e-12) / 2, df);
	qsort(buf, alive, sizeof(*buf), by_size_desc);
	return (buf[want - 1] + buf[want]) / 2;
}

static void spend(struct nb_seq *s, const double *t, unsigned char *out, double *buf)
{
	double z = gsl_cdf_ugaussian_Qinv(NB_ALPHA / 2), prev = 0, df, c;
	size_t k, m, crossed = 0, want;

	for (k = 0; k < s->nlooks; k++) {
		s->spent[k] = 2 * gsl_cdf_ugaussian_Q(z / sqrt((double)s->n[k] / s->n[s->nlooks - 1]));
		want = (size_t)floor(s->spent[k] * M + 0.5);
		want = want > crossed ? want - crossed : 0;
		df = 2.0 * s->n[k] - 2;
		c = critical(t + k * M, out, buf, want, s->spent[k] - prev, df);
		s->alpha[k] = 2 * gsl_cdf_tdist_Q(c, df);
		for (m = 0; m < M; m++) {
			if (out[m] || t[k * M + m] < c)
				continue;
			out[m] = 1;
			crossed++;
		}
		prev = s->spent[k];
	}
}

static int compute(struct nb_seq *s)
{
	double *t = malloc(sizeof(*t) * M * s->nlooks), *buf = malloc(sizeof(*buf) * M);
	unsigned char *out = calloc(M, 1);
	int ret = t && buf && out ? null_draws(s, t) : -ENOMEM;

	if (!ret)
		spend(s, t, out, buf);
	free(t);
	free(buf);
	free(out);
	return ret;
}

int nb_seq_levels(struct nb_seq *s)
{
	static struct nb_seq cache;	/* the experiment loop and nb-sim ask for one design again and again */
	int ret;

	if (!looks_ok(s))
		return -EINVAL;
	if (s->nlooks == 1) {	/* one look: the fixed design */
		s->alpha[0] = s->spent[0] = NB_ALPHA;
		return 0;
	}
	if (cache.nlooks == s->nlooks && !memcmp(cache.n, s->n, sizeof(s->n[0]) * s->nlooks)) {
		memcpy(s->alpha, cache.alpha, sizeof(s->alpha));
		memcpy(s->spent, cache.spent, sizeof(s->spent));
		return 0;
	}
	ret = compute(s);
	if (!ret)
		cache = *s;
	return ret;
}

static int bad_looks(char *err, size_t errlen, struct json_object *j)
{
	snprintf(err, errlen, "manifest.json: sequential.looks is '%.200s', expected 1..%d "
		 "increasing integers 2..%d (boots per arm at each look); rerun the experiment "
		 "or remove \"sequential\"", json_object_to_json_string(j), NB_SEQ_MAX_LOOKS,
		 NB_SEQ_MAX_N);
	return -EINVAL;
}

int nb_seq_from_manifest(struct json_object *man, struct nb_seq *s, char *err, size_t errlen)
{
	struct json_object *q, *l, *x;
	size_t k;
	int64_t n;

	memset(s, 0, sizeof(*s));
	if (!json_object_object_get_ex(man, "sequential", &q))
		return 0;
	if (!json_object_object_get_ex(q, "looks", &l) || !json_object_is_type(l, json_type_array) ||
	    json_object_array_length(l) < 1 || json_object_array_length(l) > NB_SEQ_MAX_LOOKS)
		return bad_looks(err, errlen, q);
	for (k = 0; k < json_object_array_length(l); k++) {
		x = json_object_array_get_idx(l, k);
		n = json_object_is_type(x, json_type_int) ? json_object_get_int64(x) : 0;
		if (n < 2 || n > NB_SEQ_MAX_N)
			return bad_looks(err, errlen, l);
		s->n[s->nlooks++] = n;
	}
	if (!looks_ok(s))
		return bad_looks(err, errlen, l);
	return nb_seq_levels(s);
}

int nb_seq_look(const struct nb_seq *s, size_t na, size_t nb)
{
	size_t n = na > nb ? na : nb, k;

	if (!s || !s->nlooks)
		return -1;
	for (k = s->nlooks; k > 1 && s->n[k - 1] > n; k--)
		;
	return (int)k - 1;
}

double nb_seq_alpha(const struct nb_seq *s, size_t na, size_t nb)
{
	int k = nb_seq_look(s, na, nb);

	return k < 0 ? NB_ALPHA : s->alpha[k];
}
