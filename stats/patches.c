// SPDX-License-Identifier: GPL-2.0
/* A patch series' per-patch and cumulative changes: see stats/patches.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "stats/patches.h"

#define CELL	30	/* "+29.17% (+27.90% .. +30.44%)" */

static enum nb_tmodel model_of(const struct nb_metric *m, size_t a, size_t b)
{
	return m->s[a].nboots == m->s[b].nboots ? NB_T_POOLED : NB_T_WELCH;
}

int nb_patch_delta(const struct nb_metric *m, size_t a, size_t b, struct nb_ttest *t)
{
	const struct nb_series *sa = &m->s[a], *sb = &m->s[b];

	if (sa->nboots < 2 || sb->nboots < 2)
		return -ENOENT;
	return nb_ttest(sa->boot, sa->nboots, sb->boot, sb->nboots, model_of(m, a, b), t);
}

/* kernels.NAME.subject of directory 0's manifest (NAME may hold dots: no path lookup). */
static const char *subject_of(const struct nb_results *r, const char *name)
{
	struct json_object *ks, *k, *s;

	if (!json_object_object_get_ex(nb_results_manifest(r, 0), "kernels", &ks) ||
	    !json_object_object_get_ex(ks, name, &k) || !json_object_object_get_ex(k, "subject", &s) ||
	    !json_object_is_type(s, json_type_string))
		return "";
	return json_object_get_string(s);
}

static void fill_row(const struct nb_results *r, const struct nb_metric *m, size_t v,
		     size_t prev, size_t base, struct nb_patch_row *row)
{
	const struct nb_series *s = v == NB_SERIES_NONE ? NULL : &m->s[v];

	row->nboots = s ? s->nboots : 0;
	row->mean = row->nboots ? s->bsum.mean : NAN;
	row->ci_half = row->nboots ? s->bsum.ci_half : NAN;
	row->has_own = s && prev != NB_SERIES_NONE && !nb_patch_delta(m, prev, v, &row->own);
	row->has_cum = s && base != NB_SERIES_NONE && !nb_patch_delta(m, base, v, &row->cum);
	row->own_test = row->has_own ? nb_tmodel_name(model_of(m, prev, v)) : "";
	row->cum_test = row->has_cum ? nb_tmodel_name(model_of(m, base, v)) : "";
}

size_t nb_patch_rows(const struct nb_results *r, const struct nb_metric *m,
		     struct nb_patch_row *rows, size_t max)
{
	size_t sv[NB_MAX_VARIANTS], n = nb_results_series(r, sv, NB_MAX_VARIANTS), k;
	struct json_object *a, *x;

	if (!m || n > max || !json_object_object_get_ex(nb_results_manifest(r, 0), "series", &a))
		return 0;
	for (k = 0; k < n; k++) {
		memset(&rows[k], 0, sizeof(rows[k]));
		rows[k].v = sv[k];
		x = json_object_array_get_idx(a, k);	/* untrusted: a string, or no such kernel */
		rows[k].kernel = json_object_is_type(x, json_type_string) ? json_object_get_string(x) : "?";
		rows[k].subject = k ? subject_of(r, rows[k].kernel) : "";
		if (k)
			fill_row(r, m, sv[k], sv[k - 1], sv[0], &rows[k]);
		else
			fill_row(r, m, sv[0], NB_SERIES_NONE, NB_SERIES_NONE, &rows[k]);
	}
	return n;
}

static void put_change(FILE *f, int has, const struct nb_ttest *t)
{
	char d[NB_FMT_LEN], ci[2 * NB_FMT_LEN + 8], cell[4 * NB_FMT_LEN], p[32];

	if (!has) {
		fprintf(f, "  %-*s %8s", CELL, "-", "-");
		return;
	}
	nb_fmt_change(d, sizeof(d), ci, sizeof(ci), t->pct.est, &t->pct);
	snprintf(cell, sizeof(cell), "%s (%s)", d, ci);
	nb_fmt_p_at(p, sizeof(p), t->p, t->alpha);
	fprintf(f, "  %-*s %8s", CELL, cell, p);
}

static void print_row(FILE *f, const struct nb_metric *m, const struct nb_patch_row *row)
{
	char mean[NB_FMT_LEN], half[NB_FMT_LEN], both[2 * NB_FMT_LEN + 8];

	fprintf(f, "  %-14s %5zu", row->kernel, row->nboots);
	if (row->nboots) {
		nb_fmt_num(mean, sizeof(mean), row->mean * m->scale);
		nb_fmt_num(half, sizeof(half), row->ci_half * m->scale);
		snprintf(both, sizeof(both), "%s +- %s", mean, half);
	} else {
		snprintf(both, sizeof(both), "no boot");
	}
	fprintf(f, " %24s", both);
	put_change(f, row->has_own, &row->own);
	put_change(f, row->has_cum, &row->cum);
	fputc('\n', f);
}

/* The answer to "which patch buys it?": the patches whose own change is significant. */
static void print_answer(FILE *f, const struct nb_metric *m, const struct nb_patch_row *rows, size_t n)
{
	char d[NB_FMT_LEN], ci[2 * NB_FMT_LEN + 8];
	size_t k;
	int any = 0;

	for (k = 1; k < n; k++) {
		if (!rows[k].has_own || !rows[k].own.significant)
			continue;
		nb_fmt_change(d, sizeof(d), ci, sizeof(ci), rows[k].own.pct.est, &rows[k].own.pct);
		fprintf(f, "%s %s %s", any++ ? "," : "  significant own changes:", rows[k].kernel, d);
	}
	if (any)
		fputc('\n', f);
	else
		fprintf(f, "  no patch alone changes the %s significantly (which does not prove it "
			"changes nothing: see its CI)\n", m->label);
}

static void print_metric(FILE *f, const struct nb_metric *m, const struct nb_patch_row *rows, size_t n)
{
	size_t k;

	fprintf(f, "%s%s%s%s\n", m->label, *m->dunit ? " [" : "", m->dunit, *m->dunit ? "]" : "");
	fprintf(f, "  %-14s %5s %24s  %-*s %8s  %-*s %8s\n", "kernel", "boots", "mean of boots +- 95% CI",
		CELL, "this patch (k vs k-1)", "p", CELL, "cumulative (k vs base)", "p");
	for (k = 0; k < n; k++)
		print_row(f, m, &rows[k]);
	print_answer(f, m, rows, n);
}

static void print_subjects(FILE *f, const struct nb_patch_row *rows, size_t n)
{
	size_t k;

	fprintf(f, "  %-14s the base\n", rows[0].kernel);
	for (k = 1; k < n; k++)
		fprintf(f, "  %-14s + patch %zu: %s\n", rows[k].kernel, k,
			*rows[k].subject ? rows[k].subject : "(subject unknown)");
}

void nb_report_patches(FILE *f, const struct nb_results *r)
{
	struct nb_patch_row rows[NB_MAX_VARIANTS];
	size_t i, n;
	int head = 0;

	for (i = 0; i < nb_results_nmetrics(r); i++) {
		const struct nb_metric *m = nb_results_metric(r, i);

		if (m->role != NB_ROLE_PRIMARY && m->role != NB_ROLE_SECONDARY)
			continue;
		n = nb_patch_rows(r, m, rows, NB_MAX_VARIANTS);
		if (!n)
			return;
		if (!head++) {
			fprintf(f, "patch series: which patch buys the change? Each patch's own change "
				"(kernel k against k-1) and the\ncumulative one (k against the base), "
				"t-test on the means of boots (pooled variance, Welch's when\nthe arms' "
				"boots differ in number), 95%% CI, alpha %g per comparison\n", NB_ALPHA);
			print_subjects(f, rows, n);
		}
		print_metric(f, m, rows, n);
	}
	if (head)
		fputc('\n', f);
}
