// SPDX-License-Identifier: GPL-2.0
/* Several runs paired by variant name: see stats/runpairs.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats/runpairs.h"

#define CELL	30	/* "-10.47% (-12.61% .. -8.28%)" */

int nb_run_delta(const struct nb_results *r, const struct nb_metric *m, size_t i,
		 const char *raw, struct nb_ttest *t)
{
	int v = nb_results_dir_variant(r, i, raw);
	size_t base = nb_results_dir_baseline(r, i);
	const struct nb_series *a = &m->s[base], *b;

	if (v < 0 || (size_t)v == base)
		return -ENOENT;
	b = &m->s[v];
	if (a->nboots < 2 || b->nboots < 2)
		return -ENOENT;
	return nb_ttest(a->boot, a->nboots, b->boot, b->nboots,
			a->nboots == b->nboots ? NB_T_POOLED : NB_T_WELCH, t);
}

struct nb_interval nb_delta_diff(const struct nb_interval *a, const struct nb_interval *b)
{
	struct nb_interval d = { b->est - a->est, NAN, NAN };

	if (isnan(a->lo) || isnan(a->hi) || isnan(b->lo) || isnan(b->hi))
		return d;
	/* B's lower margin with A's upper one, and the other way round */
	d.lo = d.est - hypot(b->est - b->lo, a->hi - a->est);
	d.hi = d.est + hypot(b->hi - b->est, a->est - a->lo);
	return d;
}

/* Cells padded to CELL, the line's trailing blanks cut. */
struct line {
	char s[64 + (NB_MAX_DIRS * 2) * (CELL + 1)];
	size_t n;
};

static void put(struct line *l, const char *cell)
{
	int n = snprintf(l->s + l->n, sizeof(l->s) - l->n, " %-*s", CELL, cell);

	if (n > 0)
		l->n = l->n + n < sizeof(l->s) ? l->n + n : sizeof(l->s) - 1;
}

static void end(FILE *f, struct line *l)
{
	while (l->n && l->s[l->n - 1] == ' ')
		l->n--;
	fprintf(f, "%.*s\n", (int)l->n, l->s);
}

static void put_change(struct line *l, const struct nb_interval *c)
{
	char d[48], ci[96], cell[160];

	nb_fmt_change(d, sizeof(d), ci, sizeof(ci), c->est, c);
	snprintf(cell, sizeof(cell), "%s (%s)", d, ci);
	put(l, cell);
}

/* One variant's row: its change in each run, then each later run's change minus A's. */
static int print_row(FILE *f, const struct nb_results *r, const struct nb_metric *m, const char *raw)
{
	struct nb_ttest t[NB_MAX_DIRS];
	int ok[NB_MAX_DIRS], any = 0;
	struct nb_interval d;
	size_t i, n = nb_results_ndirs(r);
	struct line l = { .n = 0 };

	for (i = 0; i < n; i++)
		any += ok[i] = !nb_run_delta(r, m, i, raw, &t[i]);
	if (!any)
		return 0;
	l.n = snprintf(l.s, sizeof(l.s), "  %-14s", raw);
	for (i = 0; i < n; i++)
		if (ok[i])
			put_change(&l, &t[i].pct);
		else
			put(&l, nb_results_dir_variant(r, i, raw) < 0 ? "- (no such variant)" : "- (< 2 boots in an arm)");
	for (i = 1; i < n; i++) {
		d = nb_delta_diff(&t[0].pct, &t[i].pct);
		if (ok[0] && ok[i])
			put_change(&l, &d);
		else
			put(&l, "-");
	}
	end(f, &l);
	return 1;
}

/* A name seen first in directory i, variant v: not a baseline, not an earlier run's. */
static int new_name(const struct nb_results *r, size_t v)
{
	size_t i = nb_results_variant_dir(r, v), j;
	const char *raw = nb_results_variant_raw(r, v);

	if (v == nb_results_dir_baseline(r, i))
		return 0;
	for (j = 0; j < v; j++)
		if (!strcmp(nb_results_variant_raw(r, j), raw) && j != nb_results_dir_baseline(r, nb_results_variant_dir(r, j)))
			return 0;
	return 1;
}

static void print_metric(FILE *f, const struct nb_results *r, const struct nb_metric *m)
{
	size_t i, v, n = nb_results_ndirs(r);
	struct line l = { .n = 0 };
	int rows = 0;
	char h[8];

	fprintf(f, "%s\n", m->label);
	l.n = snprintf(l.s, sizeof(l.s), "  %-14s", "variant");
	for (i = 0; i < n; i++) {
		snprintf(h, sizeof(h), "%c", (int)('A' + i));
		put(&l, h);
	}
	for (i = 1; i < n; i++) {
		snprintf(h, sizeof(h), "%c - A", (int)('A' + i));
		put(&l, h);
	}
	end(f, &l);
	for (v = 0; v < nb_results_nvariants(r); v++)
		if (new_name(r, v))
			rows += print_row(f, r, m, nb_results_variant_raw(r, v));
	if (!rows)
		fprintf(f, "  (no variant has >= 2 boots in each arm of a run)\n");
}

void nb_report_run_pairs(FILE *f, const struct nb_results *r)
{
	size_t i, k;

	if (nb_results_ndirs(r) < 2)
		return;
	fprintf(f, "runs paired by variant name: each run's change against its own baseline (t-test on "
		"the means of boots, 95%% CI)\nand how much the change moved from A's (its CI from "
		"both margins in quadrature: the runs are independent)\n");
	for (i = 0; i < nb_results_ndirs(r); i++)
		fprintf(f, "  %c = %s (baseline %s)\n", (int)('A' + i), nb_results_dir(r, i),
			nb_results_variant_raw(r, nb_results_dir_baseline(r, i)));
	for (k = 0; k < nb_results_nmetrics(r); k++) {
		const struct nb_metric *m = nb_results_metric(r, k);

		if (m->role == NB_ROLE_PRIMARY || m->role == NB_ROLE_SECONDARY)
			print_metric(f, r, m);
	}
	fputc('\n', f);
}
