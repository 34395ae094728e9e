// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "stack/util.h"
#include "stats/csvio.h"
#include "stats/drift.h"
#include "stats/patches.h"
#include "stats/seq.h"
#include "stats/summary.h"
#include "stats/verdict.h"

/* Reps: descriptive; boots: the unit; the comparison: struct nb_boot_cmp. */
static const char *const csv_header[] = {
	"metric", "clock", "label", "unit", "kind", "level", "variant", "baseline", "role",
	"n", "mean", "stddev", "median", "p25", "p75", "min", "max", "mad", "outliers",
	"boots", "boot_mean", "boot_sd", "boot_mean_ci95_low", "boot_mean_ci95_high",
	"test", "delta_pct", "delta_pct_ci95_low", "delta_pct_ci95_high", "t", "df", "p",
	"significant", "welch_p", "welch_df", "sd_boot_means_pct", "sd_between_boots_pct",
	"sd_within_boot_pct", "boots_for_1pct",
};

#define NCOLS (sizeof(csv_header) / sizeof(csv_header[0]))

static const char *const kind_names[] = {
	[NB_M_TIMING] = "timing", [NB_M_COUNTER] = "counter", [NB_M_BOOT] = "boot",
};

/* Enough digits to round-trip a double; empty for NAN. */
static void num(char *buf, size_t len, double v)
{
	if (isfinite(v))
		snprintf(buf, len, "%.17g", v);
	else if (isinf(v))
		snprintf(buf, len, "%s", v > 0 ? "inf" : "-inf");
	else
		buf[0] = 0;
}

struct csv_row {
	char cell[NCOLS][128];
	const char *f[NCOLS];
};

/* Cell i of row w and its real size, for snprintf and num(). */
#define CELL(w, i) (w)->cell[i], sizeof((w)->cell[i])

static const char *const role_names[] = {
	[NB_ROLE_NONE] = "", [NB_ROLE_PRIMARY] = "primary",
	[NB_ROLE_SECONDARY] = "secondary", [NB_ROLE_DISTURBED] = "not used: concurrent boots",
	[NB_ROLE_HOST_IO] = "not used: host disk",
};

static void row_summary(struct csv_row *w, const struct nb_series *s)
{
	snprintf(CELL(w, 9), "%zu", s->sum.n);
	num(CELL(w, 10), s->sum.mean);
	num(CELL(w, 11), s->sum.stddev);
	num(CELL(w, 12), s->sum.median);
	num(CELL(w, 13), s->sum.p25);
	num(CELL(w, 14), s->sum.p75);
	num(CELL(w, 15), s->sum.min);
	num(CELL(w, 16), s->sum.max);
	num(CELL(w, 17), s->sum.mad);
	snprintf(CELL(w, 18), "%d", s->outliers);
	snprintf(CELL(w, 19), "%zu", s->nboots);
	num(CELL(w, 20), s->bsum.mean);
	num(CELL(w, 21), s->bsum.stddev);
	num(CELL(w, 22), s->bsum.ci_low);
	num(CELL(w, 23), s->bsum.ci_high);
}

/* A disturbed clock gets its numbers but no "significant": it has no verdict. */
static void row_compare(struct csv_row *w, const struct nb_boot_cmp *c, int disturbed)
{
	snprintf(CELL(w, 24), "%s", c->test);
	num(CELL(w, 25), c->verdict.pct.est);
	num(CELL(w, 26), c->verdict.pct.lo);
	num(CELL(w, 27), c->verdict.pct.hi);
	num(CELL(w, 28), c->verdict.t);
	num(CELL(w, 29), c->verdict.df);
	num(CELL(w, 30), c->verdict.p);
	if (!disturbed)
		snprintf(CELL(w, 31), "%d", c->verdict.significant);
	num(CELL(w, 32), c->check.p);
	num(CELL(w, 33), c->check.df);
	num(CELL(w, 34), c->sd_boot_pct);
	num(CELL(w, 35), c->sd_between_pct);
	num(CELL(w, 36), c->sd_within_pct);
	if (c->boots_for_1pct)
		snprintf(CELL(w, 37), "%zu", c->boots_for_1pct);
}

static void fill_row(struct csv_row *w, const struct nb_results *r,
		     const struct nb_metric *m, size_t v)
{
	size_t i;

	memset(w->cell, 0, sizeof(w->cell));
	snprintf(CELL(w, 0), "%s", m->key);
	snprintf(CELL(w, 1), "%s", m->clock);
	snprintf(CELL(w, 2), "%s", m->label);
	snprintf(CELL(w, 3), "%s", m->unit);
	snprintf(CELL(w, 4), "%s", kind_names[m->kind]);
	if (m->level >= 0)
		snprintf(CELL(w, 5), "%d", m->level);
	snprintf(CELL(w, 6), "%s", nb_results_variant(r, v));
	snprintf(CELL(w, 7), "%s", nb_results_variant(r, nb_results_baseline(r)));
	snprintf(CELL(w, 8), "%s", role_names[m->role]);
	row_summary(w, &m->s[v]);
	if (m->s[v].has_cmp)
		row_compare(w, &m->s[v].cmp, !nb_role_compared(m->role));
	for (i = 0; i < NCOLS; i++)
		w->f[i] = w->cell[i];
}

static int write_rows(FILE *f, const struct nb_results *r)
{
	struct csv_row w;
	size_t i, v;
	int ret = nb_csv_write_row(f, csv_header, NCOLS);

	for (i = 0; i < nb_results_nmetrics(r) && !ret; i++)
		for (v = 0; v < nb_results_nvariants(r) && !ret; v++) {
			if (!nb_results_metric(r, i)->s[v].n)
				continue;
			fill_row(&w, r, nb_results_metric(r, i), v);
			ret = nb_csv_write_row(f, w.f, NCOLS);
		}
	return ret;
}

int nb_write_summary_csv(const struct nb_results *r, const char *path,
			 char *err, size_t errlen)
{
	struct nb_out o;
	int ret = nb_out_open(&o);

	if (!ret) {
		ret = write_rows(o.f, r);
		if (ret)
			nb_out_discard(&o);
		else
			ret = nb_out_commit(&o, path);
	}
	if (ret)
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	return ret;
}

static struct json_object *jnum(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL;
}

static void jset(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

static struct json_object *jrange(double lo, double hi)
{
	struct json_object *o = json_object_new_object();

	jset(o, "low", jnum(lo));
	jset(o, "high", jnum(hi));
	return o;
}

static struct json_object *jinterval(const struct nb_interval *i)
{
	struct json_object *o = jrange(i->lo, i->hi);

	jset(o, "estimate", jnum(i->est));
	return o;
}

struct json_object *nb_summary_json(const struct nb_summary *s)
{
	struct json_object *o = json_object_new_object();

	jset(o, "n", json_object_new_int64(s->n));
	jset(o, "mean", jnum(s->mean));
	jset(o, "median", jnum(s->median));
	jset(o, "stddev", jnum(s->stddev));
	jset(o, "ci95", jrange(s->ci_low, s->ci_high));
	jset(o, "min", jnum(s->min));
	jset(o, "max", jnum(s->max));
	jset(o, "p25", jnum(s->p25));
	jset(o, "p75", jnum(s->p75));
	jset(o, "mad", jnum(s->mad));
	return o;
}

struct json_object *nb_compare_json(const struct nb_compare *c)
{
	struct json_object *o = json_object_new_object();

	jset(o, "delta_pct", jnum(c->delta_pct));
	jset(o, "delta_pct_ci95", jrange(c->ci_pct.lo, c->ci_pct.hi));
	jset(o, "delta_pct_ci95_bootstrap", jrange(c->boot.mean_pct.lo, c->boot.mean_pct.hi));
	jset(o, "median_delta_pct", jnum(c->boot.median_pct.est));
	jset(o, "median_delta_pct_ci95", jrange(c->boot.median_pct.lo, c->boot.median_pct.hi));
	jset(o, "ratio_of_means", jinterval(&c->boot.mean_ratio));
	jset(o, "ratio_of_medians", jinterval(&c->boot.median_ratio));
	jset(o, "welch_t", jnum(c->welch.t));
	jset(o, "welch_df", jnum(c->welch.df));
	jset(o, "welch_p", jnum(c->welch.p));
	jset(o, "mannwhitney_u", jnum(c->mwu.u));
	jset(o, "mannwhitney_p", jnum(c->mwu.p));
	jset(o, "mannwhitney_method", json_object_new_string(c->mwu.exact ? "exact" : "normal"));
	jset(o, "significant", json_object_new_boolean(c->significant));
	return o;
}

static struct json_object *ttest_json(const struct nb_ttest *t, const char *test)
{
	struct json_object *o = json_object_new_object();

	jset(o, "test", json_object_new_string(test));
	jset(o, "delta_pct", jnum(t->pct.est));
	jset(o, "delta_pct_ci95", jrange(t->pct.lo, t->pct.hi));
	jset(o, "t", jnum(t->t));
	jset(o, "df", jnum(t->df));
	jset(o, "p", jnum(t->p));
	return o;
}

/* The boot-level comparison; "significant" only where report.txt gives a verdict. */
static struct json_object *boot_cmp_json(const struct nb_boot_cmp *c, int disturbed)
{
	struct json_object *o = ttest_json(&c->verdict, c->test);

	jset(o, "boots_baseline", json_object_new_int64(c->na));
	jset(o, "boots", json_object_new_int64(c->nb));
	jset(o, "significant", disturbed ? NULL : json_object_new_boolean(c->verdict.significant));
	if (c->verdict.alpha != NB_ALPHA)	/* a sequential design's look */
		jset(o, "alpha", jnum(c->verdict.alpha));
	jset(o, "check", ttest_json(&c->check, nb_tmodel_name(!c->model)));
	jset(o, "sd_boot_means_pct", jnum(c->sd_boot_pct));
	jset(o, "sd_between_boots_pct", jnum(c->sd_between_pct));
	jset(o, "sd_within_boot_pct", jnum(c->sd_within_pct));
	jset(o, "reps_per_boot", jnum(c->reps_per_boot));
	jset(o, "boots_for_1pct", c->boots_for_1pct ?
	     json_object_new_int64(c->boots_for_1pct) : NULL);
	return o;
}

static struct json_object *series_json(const struct nb_results *r,
				       const struct nb_metric *m, size_t v)
{
	const struct nb_series *s = &m->s[v];
	struct json_object *o = nb_summary_json(&s->sum), *out = json_object_new_array();
	char verdict[640];
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->obs[i].outlier)
			json_object_array_add(out, json_object_new_int(s->obs[i].line));
	jset(o, "outlier_lines", out);
	jset(o, "boot_means", nb_summary_json(&s->bsum));
	if (m->role != NB_ROLE_NONE)
		jset(o, "role", json_object_new_string(role_names[m->role]));
	if (nb_verdict_line(verdict, sizeof(verdict), r, m, v))
		jset(o, "verdict", json_object_new_string(verdict));
	if (!s->has_cmp)
		return o;
	jset(o, "vs", json_object_new_string(nb_results_variant(r, nb_results_baseline(r))));
	jset(o, "compare", boot_cmp_json(&s->cmp, !nb_role_compared(m->role)));
	return o;
}

static struct json_object *metric_json(const struct nb_results *r, const struct nb_metric *m)
{
	struct json_object *o = json_object_new_object(), *vs = json_object_new_object();
	size_t v;

	jset(o, "key", json_object_new_string(m->key));
	jset(o, "clock", json_object_new_string(m->clock));
	jset(o, "label", json_object_new_string(m->label));
	jset(o, "unit", json_object_new_string(m->unit));
	jset(o, "kind", json_object_new_string(kind_names[m->kind]));
	jset(o, "level", m->level >= 0 ? json_object_new_int(m->level) : NULL);
	for (v = 0; v < nb_results_nvariants(r); v++)
		if (m->s[v].n)
			jset(vs, nb_results_variant(r, v), series_json(r, m, v));
	jset(o, "variants", vs);
	return o;
}

static struct json_object *strings_json(const struct nb_results *r, int notes)
{
	struct json_object *a = json_object_new_array();
	size_t i, n = notes ? nb_results_nnotes(r) : nb_results_nvariants(r);

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(
			notes ? nb_results_note(r, i) : nb_results_variant(r, i)));
	return a;
}

static struct json_object *dirs_json(const struct nb_results *r)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < nb_results_ndirs(r); i++)
		json_object_array_add(a, json_object_new_string(nb_results_dir(r, i)));
	return a;
}

/* The design a run stopped under: its looks and their levels. */
static struct json_object *seq_json(const struct nb_seq *q)
{
	struct json_object *o = json_object_new_object(), *n = json_object_new_array();
	struct json_object *a = json_object_new_array();
	size_t k;

	for (k = 0; k < q->nlooks; k++) {
		json_object_array_add(n, json_object_new_int64(q->n[k]));
		json_object_array_add(a, jnum(q->alpha[k]));
	}
	jset(o, "spending", json_object_new_string("O'Brien-Fleming (Lan-DeMets)"));
	jset(o, "looks", n);
	jset(o, "levels", a);
	return o;
}

/* compare: each arm both sessions ran, and "drifted" (null when none could be checked). */
static struct json_object *drift_json(const struct nb_results *r)
{
	const struct nb_metric *m = nb_results_find(r, "io_ns");
	struct json_object *o = json_object_new_object(), *arms = json_object_new_array();
	struct nb_drift d[NB_MAX_VARIANTS];
	size_t n = nb_drift_arms(r, m, d, NB_MAX_VARIANTS), i;
	int any = 0;

	for (i = 0; i < n; i++) {
		struct json_object *x = ttest_json(&d[i].t, "Welch t");

		jset(x, "arm", json_object_new_string(nb_results_variant(r, d[i].a)));
		jset(x, "variant", json_object_new_string(nb_results_variant(r, d[i].b)));
		jset(x, "boots_a", json_object_new_int64(d[i].na));
		jset(x, "boots_b", json_object_new_int64(d[i].nb));
		jset(x, "drifted", json_object_new_boolean(d[i].drifted));
		json_object_array_add(arms, x);
		any |= d[i].drifted;
	}
	jset(o, "metric", json_object_new_string("io_ns"));
	jset(o, "arms", arms);
	jset(o, "drifted", n ? json_object_new_boolean(any) : NULL);
	return o;
}

static struct json_object *patch_cmp_json(int has, const struct nb_ttest *t, const char *test)
{
	struct json_object *o;

	if (!has)
		return NULL;
	o = ttest_json(t, test);
	jset(o, "significant", json_object_new_boolean(t->significant));
	return o;
}

/* A patch series' run: each kernel's own change and the cumulative one, on the primary metric. */
static struct json_object *patches_json(const struct nb_results *r)
{
	const struct nb_metric *m = nb_results_primary(r);
	struct nb_patch_row rows[NB_MAX_VARIANTS];
	size_t n = nb_patch_rows(r, m, rows, NB_MAX_VARIANTS), k;
	struct json_object *o, *a;

	if (!n)
		return NULL;
	o = json_object_new_object();
	a = json_object_new_array();
	for (k = 0; k < n; k++) {
		struct json_object *x = json_object_new_object();

		jset(x, "kernel", json_object_new_string(rows[k].kernel));
		jset(x, "subject", json_object_new_string(rows[k].subject));
		jset(x, "boots", json_object_new_int64(rows[k].nboots));
		jset(x, "boot_mean", jnum(rows[k].mean));
		jset(x, "own", patch_cmp_json(rows[k].has_own, &rows[k].own, rows[k].own_test));
		jset(x, "cumulative", patch_cmp_json(rows[k].has_cum, &rows[k].cum, rows[k].cum_test));
		json_object_array_add(a, x);
	}
	jset(o, "metric", json_object_new_string(m->key));
	jset(o, "kernels", a);
	return o;
}

static struct json_object *results_json(const struct nb_results *r)
{
	struct json_object *o = json_object_new_object(), *ms = json_object_new_array(), *p;
	size_t i;

	jset(o, "schema", json_object_new_int(NB_SUMMARY_SCHEMA));
	jset(o, "results", dirs_json(r));
	jset(o, "platform", json_object_new_string(nb_results_platform(r)));
	jset(o, "hardware", json_object_new_boolean(nb_results_hardware(r)));
	jset(o, "baseline", json_object_new_string(nb_results_variant(r, nb_results_baseline(r))));
	jset(o, "variants", strings_json(r, 0));
	jset(o, "alpha", json_object_new_double(NB_ALPHA));
	if (nb_results_ndirs(r) > 1)
		jset(o, "drift", drift_json(r));
	if (nb_results_seq(r))
		jset(o, "sequential", seq_json(nb_results_seq(r)));
	p = patches_json(r);
	if (p)
		jset(o, "series", p);
	for (i = 0; i < nb_results_nmetrics(r); i++)
		json_object_array_add(ms, metric_json(r, nb_results_metric(r, i)));
	jset(o, "metrics", ms);
	jset(o, "notes", strings_json(r, 1));
	return o;
}

int nb_write_summary_json(const struct nb_results *r, const char *path,
			  char *err, size_t errlen)
{
	struct json_object *o = results_json(r);
	const char *text = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							      JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;
	int ret = text ? nb_write_file(path, text, strlen(text)) : -ENOMEM;

	if (ret)
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	json_object_put(o);
	return ret;
}
