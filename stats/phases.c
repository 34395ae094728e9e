// SPDX-License-Identifier: GPL-2.0
/*
 * Where an experiment's host time went: phases.csv (host seconds per phase
 * per boot, written by each boot) and sessions.csv (one row per run of the
 * experiment command: its wall time and how many boots ran side by side).
 * Host wall clock only: these say what a run costs, never what a kernel does.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/csvio.h"
#include "stats/phases.h"
#include "stats/results.h"

#define MAX_PHASES	16
#define MAX_BOOTS	512
#define SHOWN_BOOTS	8	/* per-boot columns; the mean covers all */
#define NB_MAX_ARMS	16

static const struct { const char *key, *label; } labels[] = {
	{ "fio_startup", "fio start-up/exit" }, { "warmup_io", "warm-up I/O" },
	{ "timing_io", "timing I/O" }, { "counting_io", "counting I/O" },
	{ "trace", "trace extraction" }, { "teardown", "teardown" }, { "total", "total" },
};

struct phase_tab {
	char name[MAX_PHASES][24];
	int nphases, nboots;
	int boot[MAX_BOOTS];			/* boot numbers, in order of appearance */
	char arm[NB_MAX_ARMS][64];		/* variants, in order of appearance */
	int narms, boots_of[NB_MAX_ARMS];
	double s[MAX_PHASES][MAX_BOOTS];	/* NaN: not seen */
};

static const char *label(const char *key, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(labels[i].key, key))
			return labels[i].label;
	if (!strncmp(key, "boot_L", 6))
		return snprintf(buf, len, "boot of L%s", key + 6), buf;
	return key;
}

#define index_of(names, n, max, key) \
	__index_of((char *)(names), sizeof((names)[0]), n, max, key)

static int __index_of(char *names, size_t width, int *n, int max, const char *key)
{
	int i;

	for (i = 0; i < *n; i++)
		if (!strcmp(names + i * width, key))
			return i;
	if (*n >= max || strlen(key) >= width)
		return -1;
	snprintf(names + *n * width, width, "%s", key);
	return (*n)++;
}

/* A boot seen for the first time counts for its arm. */
static int boot_index(struct phase_tab *pt, int boot, const char *arm)
{
	int i;

	for (i = 0; i < pt->nboots; i++)
		if (pt->boot[i] == boot)
			return i;
	if (pt->nboots >= MAX_BOOTS)
		return -1;
	i = index_of(pt->arm, &pt->narms, NB_MAX_ARMS, arm);
	if (i >= 0)
		pt->boots_of[i]++;
	pt->boot[pt->nboots] = boot;
	return pt->nboots++;
}

static void take_row(struct phase_tab *pt, const struct nb_table *t, size_t r, const int col[4])
{
	double boot, s;
	int p, b;

	if (nb_table_double(t, r, col[0], &boot, NULL, 0) || boot < 1 || boot > INT_MAX ||
	    nb_table_double(t, r, col[2], &s, NULL, 0) || s < 0)
		return;
	p = index_of(pt->name, &pt->nphases, MAX_PHASES, nb_table_cell(t, r, col[1]));
	b = boot_index(pt, (int)boot, nb_table_cell(t, r, col[3]));
	if (p >= 0 && b >= 0)
		pt->s[p][b] = s;
}

static int load(const struct nb_table *t, struct phase_tab *pt)
{
	static const char *const need[] = { "boot", "phase", "host_s", "variant", NULL };
	char err[256];
	int col[4], i, j;
	size_t r;

	if (!t)
		return -ENOENT;
	if (nb_table_require(t, need, err, sizeof(err)))
		return -EINVAL;
	for (i = 0; i < MAX_PHASES; i++)
		for (j = 0; j < MAX_BOOTS; j++)
			pt->s[i][j] = NAN;
	for (i = 0; i < 4; i++)
		col[i] = nb_table_col(t, need[i]);
	for (r = 0; r < nb_table_rows(t); r++)
		take_row(pt, t, r, col);
	return pt->nboots ? 0 : -ENOENT;
}

static double mean_of(const double *s, int n)
{
	double sum = 0;
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (s[i] == s[i]) {
			sum += s[i];
			k++;
		}
	return k ? sum / k : NAN;
}

static void print_row(FILE *f, const struct phase_tab *pt, int p)
{
	char buf[32];
	int b;

	fprintf(f, "  %-20s %8.0f", label(pt->name[p], buf, sizeof(buf)), mean_of(pt->s[p], pt->nboots));
	for (b = 0; b < pt->nboots && b < SHOWN_BOOTS; b++)
		if (pt->s[p][b] == pt->s[p][b])
			fprintf(f, " %7.0f", pt->s[p][b]);
		else
			fprintf(f, " %7s", "-");
	fputc('\n', f);
}

/* in: "" for one directory, " in DIR" when the set has several. */
static void print_table(FILE *f, const struct phase_tab *pt, const char *in)
{
	int p, b;

	fprintf(f, "\nwhere the host time went%s (host wall clock, seconds; %d boot%s)\n",
		in, pt->nboots, pt->nboots == 1 ? "" : "s");
	fprintf(f, "  %-20s %8s", "phase", "mean");
	for (b = 0; b < pt->nboots && b < SHOWN_BOOTS; b++)
		fprintf(f, " boot%3d", pt->boot[b]);
	fputc('\n', f);
	for (p = 0; p < pt->nphases; p++)
		print_row(f, pt, p);
	if (pt->nboots > SHOWN_BOOTS)
		fprintf(f, "  (boots after the first %d: in phases.csv)\n", SHOWN_BOOTS);
	fprintf(f, "boots per arm:");
	for (p = 0; p < pt->narms; p++)
		fprintf(f, "%s %s %d", p ? "," : "", pt->arm[p], pt->boots_of[p]);
	fputc('\n', f);
}

/* sessions.csv: the experiment's wall time over all its sessions (resumes). */
static void print_sessions(FILE *f, const struct nb_table *t, const char *in)
{
	double wall = 0, s, jobs, maxjobs = 1;
	int cw, cj, n = 0;
	size_t r;

	if (!t)
		return;
	cw = nb_table_col(t, "wall_s");
	cj = nb_table_col(t, "jobs");
	for (r = 0; cw >= 0 && cj >= 0 && r < nb_table_rows(t); r++) {
		if (nb_table_double(t, r, cw, &s, NULL, 0) || s < 0 ||
		    nb_table_double(t, r, cj, &jobs, NULL, 0) || jobs < 1)
			continue;
		wall += s;
		maxjobs = jobs > maxjobs ? jobs : maxjobs;
		n++;
	}
	if (n)
		fprintf(f, "experiment wall time%s: %.1f min (host wall clock) in %d session%s, "
			"up to %.0f boot%s side by side\n", in, wall / 60, n, n == 1 ? "" : "s",
			maxjobs, maxjobs == 1 ? "" : "s");
}

/* Boots are numbered per directory: one table each. */
static void report_dir(FILE *f, const struct nb_results *r, size_t d)
{
	struct phase_tab *pt = calloc(1, sizeof(*pt));
	char in[PATH_MAX + 4] = "";

	if (nb_results_ndirs(r) > 1)
		snprintf(in, sizeof(in), " in %s", nb_results_dir(r, d));
	if (pt && !load(nb_results_table(r, d, NB_TAB_PHASES), pt))
		print_table(f, pt, in);
	print_sessions(f, nb_results_table(r, d, NB_TAB_SESSIONS), in);
	free(pt);
}

void nb_report_phases(FILE *f, const struct nb_results *r)
{
	size_t d;

	for (d = 0; d < nb_results_ndirs(r); d++)
		report_dir(f, r, d);
}
