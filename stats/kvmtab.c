// SPDX-License-Identifier: GPL-2.0
/* L0's KVM exits by reason, per I/O: see stats/kvmtab.h. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/kvmexits.h"
#include "stack/util.h"
#include "stats/csvio.h"
#include "stats/kvmtab.h"
#include "stats/results.h"

#define MAX_ARMS	8
#define MAX_REPS	4096
#define SHOWN		10	/* reasons; the rest are summed in one row */

/* An exit repetition of reps.csv, and whether perf counted its exits whole. */
struct krep {
	const char *variant;		/* as the set names it: owned by the results */
	long boot, rep;
	double ios;
	int counted;
};

struct ktab {
	char arm[MAX_ARMS][64], reason[NB_KVMX_MAX][NB_KVMX_NAME];
	size_t narms, base, nreasons, nreps;
	double sum[MAX_ARMS][NB_KVMX_MAX], all[MAX_ARMS], lost[MAX_ARMS];
	size_t n[MAX_ARMS], damaged[MAX_ARMS];
	char unknown_note[200];	/* which ECs perf counted as UNKNOWN (bench/reps.c) */
	struct krep rep[MAX_REPS];
};

/* An integer cell from min to max, parsed as the project parses integers; -1 otherwise. */
static long cell_long(const struct nb_table *t, size_t r, const char *col, long min, long max)
{
	long v;

	return nb_parse_long(nb_table_cell(t, r, nb_table_col(t, col)), min, max, &v) ? -1 : v;
}

static long arm_of(struct ktab *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->narms; i++)
		if (!strcmp(k->arm[i], name))
			return i;
	if (k->narms == MAX_ARMS || strlen(name) >= sizeof(k->arm[0]))
		return -1;
	snprintf(k->arm[k->narms], sizeof(k->arm[0]), "%s", name);
	if (!strcmp(name, "base"))
		k->base = k->narms;
	return k->narms++;
}

/* One directory's reps.csv and kvmexits.csv, their variants named as the set names them. */
struct src {
	const struct nb_results *r;
	size_t dir;
	const struct nb_table *t;
};

static const char *variant_of(const struct src *s, size_t r)
{
	return nb_results_row_variant(s->r, s->dir, nb_table_cell(s->t, r, nb_table_col(s->t, "variant")));
}

static void take_reps(struct ktab *k, const struct src *s)
{
	const struct nb_table *t = s->t;
	int cm = nb_table_col(t, "mode"), ci = nb_table_col(t, "ios");
	struct krep *p;
	size_t r;

	for (r = 0; cm >= 0 && ci >= 0 && r < nb_table_rows(t) && k->nreps < MAX_REPS; r++) {
		p = &k->rep[k->nreps];
		if (strcmp(nb_table_cell(t, r, cm), "exits") || !(p->variant = variant_of(s, r)) ||
		    nb_table_double(t, r, ci, &p->ios, NULL, 0) || p->ios < 1 || p->ios > 1e12 ||
		    (p->boot = cell_long(t, r, "boot", 0, INT_MAX)) < 0 ||
		    (p->rep = cell_long(t, r, "rep", 1, INT_MAX)) < 0)
			continue;
		k->nreps++;
	}
}

/* The repetition a kvmexits.csv row belongs to: NULL when reps.csv has no I/O count for it. */
static struct krep *rep_of(struct ktab *k, const struct src *s, size_t r)
{
	const char *v = variant_of(s, r);
	long boot = cell_long(s->t, r, "boot", 0, INT_MAX), rep = cell_long(s->t, r, "rep", 1, INT_MAX);
	size_t i;

	for (i = 0; v && i < k->nreps; i++)
		if (k->rep[i].boot == boot && k->rep[i].rep == rep && !strcmp(k->rep[i].variant, v))
			return &k->rep[i];
	return NULL;
}

static long reason_of(struct ktab *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->nreasons; i++)
		if (!strcmp(k->reason[i], name))
			return i;
	if (k->nreasons == NB_KVMX_MAX || !*name || strlen(name) >= NB_KVMX_NAME)
		return -1;
	snprintf(k->reason[k->nreasons], NB_KVMX_NAME, "%s", name);
	return k->nreasons++;
}

/* The ALL rows first: a repetition counts once, with perf's total, or as damaged. */
static void take_totals(struct ktab *k, const struct src *s)
{
	const struct nb_table *t = s->t;
	int cr = nb_table_col(t, "reason");
	double all, lost;
	struct krep *p;
	long a;
	size_t r;

	for (r = 0; cr >= 0 && r < nb_table_rows(t); r++) {
		if (strcmp(nb_table_cell(t, r, cr), "ALL") || cell_long(t, r, "level", 0, 0) ||
		    !(p = rep_of(k, s, r)) || p->counted || (a = arm_of(k, p->variant)) < 0)
			continue;
		if (nb_table_double(t, r, nb_table_col(t, "exits"), &all, NULL, 0) || all < 0 || all > 1e15) {
			k->damaged[a]++;
			continue;
		}
		if (!nb_table_double(t, r, nb_table_col(t, "lost"), &lost, NULL, 0) && lost >= 0 && lost < 1e15)
			k->lost[a] += lost;
		p->counted = 1;
		k->all[a] += all / p->ios;
		k->n[a]++;
	}
}

/* A note to print: the file is not ours to trust, so printable ASCII only. */
static void keep_note(struct ktab *k, const char *note)
{
	size_t i;

	for (i = 0; note[i] && i + 1 < sizeof(k->unknown_note); i++)
		k->unknown_note[i] = note[i] >= ' ' && note[i] < 127 ? note[i] : '?';
	k->unknown_note[i] = '\0';
}

static void take_reasons(struct ktab *k, const struct src *s)
{
	const struct nb_table *t = s->t;
	int cr = nb_table_col(t, "reason");
	struct krep *p;
	long a, x;
	double v;
	size_t r;

	for (r = 0; cr >= 0 && r < nb_table_rows(t); r++) {
		if (!strcmp(nb_table_cell(t, r, cr), "ALL") || cell_long(t, r, "level", 0, 0) ||
		    !(p = rep_of(k, s, r)) || !p->counted || (a = arm_of(k, p->variant)) < 0 ||
		    (x = reason_of(k, nb_table_cell(t, r, cr))) < 0 ||
		    nb_table_double(t, r, nb_table_col(t, "exits"), &v, NULL, 0) || v < 0 || v > 1e15)
			continue;
		k->sum[a][x] += v / p->ios;
		if (!strcmp(k->reason[x], "UNKNOWN") && !k->unknown_note[0])
			keep_note(k, nb_table_cell(t, r, nb_table_col(t, "note")));
	}
}

static double mean(const struct ktab *k, size_t a, double sum)
{
	return k->n[a] ? sum / k->n[a] : NAN;
}

static double weight(const struct ktab *k, size_t x)
{
	double w = 0;
	size_t a;

	for (a = 0; a < k->narms; a++)
		w = fmax(w, mean(k, a, k->sum[a][x]));
	return w;
}

/* Largest of the arms' means first. */
static int by_weight(const void *pa, const void *pb, void *k)
{
	double a = weight(k, *(const size_t *)pa), b = weight(k, *(const size_t *)pb);

	return (a < b) - (a > b);
}

static void print_row(FILE *f, const struct ktab *k, const char *label, const double *sum)
{
	size_t a, other = !k->base;

	fprintf(f, "  %-24s %10.3f", label, mean(k, k->base, sum[k->base]));
	for (a = 0; a < k->narms; a++)
		if (a != k->base)
			fprintf(f, " %10.3f", mean(k, a, sum[a]));
	if (k->narms == 2) {
		double x = mean(k, other, sum[other]), y = mean(k, k->base, sum[k->base]);

		fprintf(f, " %+11.3f", x - y);
		if (y > 0)
			fprintf(f, " (%+.1f%%)", (x / y - 1) * 100);
	}
	fputc('\n', f);
}

static void print_head(FILE *f, const struct ktab *k, const char *whose)
{
	size_t a;

	fprintf(f, "\nexits to L0's KVM by reason, per I/O (perf kvm stat, exit repetitions; means)\n"
		"  %s\n  %-24s %10s", whose, "", k->arm[k->base]);
	for (a = 0; a < k->narms; a++)
		if (a != k->base)
			fprintf(f, " %10s", k->arm[a]);
	fprintf(f, "%s\n  %-24s %10zu", k->narms == 2 ? "  difference" : "", "exit repetitions",
		k->n[k->base]);
	for (a = 0; a < k->narms; a++)
		if (a != k->base)
			fprintf(f, " %10zu", k->n[a]);
	fputc('\n', f);
}

static void print_reasons(FILE *f, struct ktab *k)
{
	double rest[MAX_ARMS] = { 0 }, col[MAX_ARMS];
	size_t order[NB_KVMX_MAX], i, a;

	for (i = 0; i < k->nreasons; i++)
		order[i] = i;
	qsort_r(order, k->nreasons, sizeof(order[0]), by_weight, k);
	for (i = 0; i < k->nreasons; i++) {
		for (a = 0; a < k->narms; a++)
			col[a] = k->sum[a][order[i]];
		if (i < SHOWN)
			print_row(f, k, k->reason[order[i]], col);
		for (a = 0; i >= SHOWN && a < k->narms; a++)
			rest[a] += col[a];
	}
	if (k->nreasons > SHOWN)
		print_row(f, k, "other reasons", rest);
}

static void print_losses(FILE *f, const struct ktab *k)
{
	size_t a;

	if (k->unknown_note[0])
		fprintf(f, "  UNKNOWN: %s: perf counts those exits there\n", k->unknown_note);
	for (a = 0; a < k->narms; a++) {
		if (k->damaged[a])
			fprintf(f, "  %s: %zu exit repetitions without exits (perf failed; kvmexits.csv "
				"says why)\n", k->arm[a], k->damaged[a]);
		if (k->lost[a] > 0)
			fprintf(f, "  %s: perf lost %.0f events: those repetitions' counts are low\n",
				k->arm[a], k->lost[a]);
	}
}

/* Directory d's exit repetitions, then its kvmexits.csv rows of those: nothing without that file. */
static void take_dir(struct ktab *k, const struct nb_results *r, size_t d)
{
	struct src s = { r, d, nb_results_table(r, d, NB_TAB_KVMEXITS) };

	if (!s.t)
		return;
	s.t = nb_results_table(r, d, NB_TAB_REPS);
	take_reps(k, &s);
	s.t = nb_results_table(r, d, NB_TAB_KVMEXITS);
	take_totals(k, &s);
	take_reasons(k, &s);
}

void nb_report_kvm_exits(FILE *f, const struct nb_results *r, const char *whose)
{
	struct ktab *k = calloc(1, sizeof(*k));
	size_t a, n = 0;

	if (!k)
		return;
	for (a = 0; a < nb_results_ndirs(r); a++)
		take_dir(k, r, a);
	for (a = 0; a < k->narms; a++)
		n += k->n[a] + k->damaged[a];
	if (n) {
		print_head(f, k, whose);
		print_row(f, k, "all exits", k->all);
		print_reasons(f, k);
		print_losses(f, k);
	}
	free(k);
}
