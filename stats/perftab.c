// SPDX-License-Identifier: GPL-2.0
/* The perf counts of every timing repetition, per I/O: see stats/perftab.h. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "collect/counters.h"
#include "stack/plan.h"
#include "stats/csvio.h"
#include "stats/perftab.h"
#include "stats/results.h"

#define MAX_ARMS 8

struct arm {
	char name[64];
	double sum[NB_MAX_DEPTH][NB_MAX_COUNTERS];
	size_t n[NB_MAX_DEPTH];
	size_t rn[NB_MAX_DEPTH][NB_MAX_COUNTERS];	/* rows with a retired counter's count */
	double hsum[NB_MAX_COUNTERS];	/* the hardware rows, L0 only, where the PMU counted */
	size_t hn[NB_MAX_COUNTERS];
};

struct ptab {
	struct arm arm[MAX_ARMS];
	size_t narms, base;
	int nlevels;
};

static struct arm *arm_of(struct ptab *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->narms; i++)
		if (!strcmp(p->arm[i].name, name))
			return &p->arm[i];
	if (p->narms == MAX_ARMS)
		return NULL;
	snprintf(p->arm[p->narms].name, sizeof(p->arm[0].name), "%s", name);
	if (!strcmp(name, "base"))
		p->base = p->narms;
	return &p->arm[p->narms++];
}

static int col(const struct nb_table *t, int level, const char *name)
{
	char c[64];

	snprintf(c, sizeof(c), "L%d.%s", level, name);
	return nb_table_col(t, c);
}

/* A cell from min to max: 0, else the cell is not used. */
static int num(const struct nb_table *t, size_t r, int c, double min, double max, double *v)
{
	return nb_table_double(t, r, c, v, NULL, 0) || *v < min || *v > max ? -1 : 0;
}

/* One level of one timing row: used only when every perf count is there and not flagged. */
static void take_level(struct arm *a, const struct nb_table *t, size_t r, int l, double ios)
{
	double v[NB_MAX_COUNTERS] = { 0 }, d;
	size_t k;

	if (num(t, r, col(t, l, "damaged"), 0, 0, &d))
		return;
	for (k = 0; k < nb_ncounters; k++)
		if (nb_counter_timed(&nb_counters[k]) && !nb_counters[k].host && !nb_counters[k].perf_retired &&
		    num(t, r, col(t, l, nb_counters[k].name), 0, 1e18, &v[k]))
			return;
	for (k = 0; k < nb_ncounters; k++) {
		if (nb_counters[k].perf_retired) {
			if (num(t, r, col(t, l, nb_counters[k].name), 0, 1e18, &v[k]))
				continue;	/* a newer run: not counted in timing repetitions */
			a->rn[l][k]++;
		}
		a->sum[l][k] += v[k] / ios;
	}
	a->n[l]++;
	for (k = 0; l == 0 && k < nb_ncounters; k++)
		if (nb_counters[k].host && !num(t, r, col(t, l, nb_counters[k].name), 0, 1e18, &d)) {
			a->hsum[k] += d / ios;
			a->hn[k]++;
		}
}

/* Directory d's timing rows, each under its variant's name in the set. */
static void take_rows(struct ptab *p, const struct nb_results *res, size_t d)
{
	const struct nb_table *t = nb_results_table(res, d, NB_TAB_REPS);
	int cm = nb_table_col(t, "mode"), cw = nb_table_col(t, "warmup"), cv = nb_table_col(t, "variant");
	int ci = nb_table_col(t, "ios"), l;
	const char *name;
	struct arm *a;
	double ios;
	size_t r;

	for (r = 0; cm >= 0 && cw >= 0 && cv >= 0 && ci >= 0 && r < nb_table_rows(t); r++) {
		if (strcmp(nb_table_cell(t, r, cm), "timing") || strcmp(nb_table_cell(t, r, cw), "0") ||
		    num(t, r, ci, 1, 1e12, &ios) ||
		    !(name = nb_results_row_variant(res, d, nb_table_cell(t, r, cv))) || !(a = arm_of(p, name)))
			continue;
		for (l = 0; l < NB_MAX_DEPTH && col(t, l, "damaged") >= 0; l++)
			take_level(a, t, r, l, ios);
	}
	for (l = 0; l < NB_MAX_DEPTH && col(t, l, "damaged") >= 0; l++)
		p->nlevels = l + 1 > p->nlevels ? l + 1 : p->nlevels;
}

static double mean(const struct arm *a, int l, size_t k)
{
	size_t n = nb_counters[k].perf_retired ? a->rn[l][k] : a->n[l];

	return n ? a->sum[l][k] / n : NAN;
}

/* A retired counter's row only where some arm's timing rows have it (older runs). */
static int shown(const struct ptab *p, int l, size_t k)
{
	size_t v, n = 0;

	for (v = 0; v < p->narms && nb_counters[k].perf_retired; v++)
		n += p->arm[v].rn[l][k];
	return !nb_counters[k].perf_retired || n;
}

static double hmean(const struct arm *a, size_t k)
{
	return a->hn[k] ? a->hsum[k] / a->hn[k] : NAN;
}

/* cycles and instructions: an arm64 host's PMU, and whose it is. */
static void print_host_rows(FILE *f, const struct ptab *p, const char *pmu)
{
	const struct arm *b = &p->arm[p->base];
	size_t k, v, any, shown = 0;

	for (k = 0; k < nb_ncounters; k++) {
		for (v = any = 0; v < p->narms; v++)
			any += p->arm[v].hn[k];
		if (!nb_counters[k].host || !any)
			continue;
		shown++;
		fprintf(f, "  L0 %-36s %10.0f", nb_counters[k].label, hmean(b, k));
		for (v = 0; v < p->narms; v++)
			if (v != p->base)
				fprintf(f, " %10.0f", hmean(&p->arm[v], k));
		if (p->narms == 2 && hmean(b, k) > 0)
			fprintf(f, " %+10.0f (%+.1f%%)", hmean(&p->arm[!p->base], k) - hmean(b, k),
				(hmean(&p->arm[!p->base], k) / hmean(b, k) - 1) * 100);
		fputc('\n', f);
	}
	if (shown)
		fprintf(f, "  (PMU: %s)\n", pmu);
}

/* "-" where an arm has no such level (compare: runs of other depths). */
static void print_mean(FILE *f, double x)
{
	if (isnan(x))
		fprintf(f, " %10s", "-");
	else
		fprintf(f, " %10.2f", x);
}

static void print_level(FILE *f, const struct ptab *p, int l)
{
	const struct arm *b = &p->arm[p->base];
	size_t k, v;

	for (k = 0; k < nb_ncounters; k++) {
		if (!nb_counter_timed(&nb_counters[k]) || nb_counters[k].host || !shown(p, l, k))
			continue;
		fprintf(f, "  L%d %-36s", l, nb_counters[k].label);
		print_mean(f, mean(b, l, k));
		for (v = 0; v < p->narms; v++)
			if (v != p->base)
				print_mean(f, mean(&p->arm[v], l, k));
		if (p->narms == 2) {
			double x = mean(&p->arm[!p->base], l, k), y = mean(b, l, k);

			fprintf(f, " %+10.2f", x - y);
			if (y > 0)
				fprintf(f, " (%+.1f%%)", (x / y - 1) * 100);
		}
		fputc('\n', f);
	}
}

static int counted(const struct ptab *p)
{
	size_t v;
	int l;

	for (v = 0; v < p->narms; v++)
		for (l = 0; l < p->nlevels; l++)
			if (p->arm[v].n[l])
				return 1;
	return 0;
}

void nb_report_perf_counts(FILE *f, const struct nb_results *r, const char *pmu)
{
	struct ptab p = { .narms = 0 };
	size_t v;
	int l;

	for (v = 0; v < nb_results_ndirs(r); v++)
		take_rows(&p, r, v);
	if (!counted(&p))
		return;
	fprintf(f, "\ncounts per I/O at the emulating levels (perf stat, in-kernel counters, every timing "
		"repetition; means)\n  %-39s %10s", "", p.arm[p.base].name);
	for (v = 0; v < p.narms; v++)
		if (v != p.base)
			fprintf(f, " %10s%s", p.arm[v].name, p.narms == 2 ? "  difference" : "");
	fprintf(f, "\n  %-39s %10zu", "timing repetitions at L0", p.arm[p.base].n[0]);
	for (v = 0; v < p.narms; v++)
		if (v != p.base)
			fprintf(f, " %10zu", p.arm[v].n[0]);
	fputc('\n', f);
	for (l = 0; l < p.nlevels; l++)
		print_level(f, &p, l);
	print_host_rows(f, &p, pmu);
}
