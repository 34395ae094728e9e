// SPDX-License-Identifier: GPL-2.0
/* An experiment's inputs, checked before anything boots: see bench/expcheck.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench/expcheck.h"
#include "stack/util.h"
#include "stats/csvio.h"
#include "workloads/workload.h"

void exp_to_plan(const struct experiment *e, const struct exp_variant *v, struct nb_plan *p)
{
	struct nb_plan q = e->plan;
	int l;

	q.job = p->job;
	q.platform = p->platform;
	memcpy(q.workload, p->workload, sizeof(q.workload));
	for (l = 0; l <= q.depth; l++)
		snprintf(q.lv[l].kernel, sizeof(q.lv[l].kernel), "%s", v->kernels[l]);
	*p = q;
}

int exp_check_plans(const struct experiment *e, const struct nb_plan *base, char *err, size_t errlen)
{
	char why[384];
	struct nb_plan p;
	int i;

	for (i = 0; i < e->nvariants; i++) {
		const struct nb_workload *w;

		p = *base;	/* shares base's job: only read here */
		exp_to_plan(e, &e->v[i], &p);
		w = nb_workload_find(p.workload);
		if (!w)
			return snprintf(err, errlen, "variant %s: unknown workload '%s'", e->v[i].name,
					p.workload), -EINVAL;
		if (w->validate(p.job, why, sizeof(why)) || nb_plan_validate(&p, why, sizeof(why)))
			return snprintf(err, errlen, "variant %s: %s", e->v[i].name, why), -EINVAL;
	}
	return 0;
}

struct scan {
	struct nb_table *t;
	int boot, rep, mode, warm, variant;
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 3, 4)))
row_error(struct scan *s, size_t row, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(s->err, s->errlen, "%s:%u: %s: not a row of this experiment; move the "
		 "directory aside and start anew", nb_table_path(s->t), nb_table_line(s->t, row), msg);
	return -EINVAL;
}

static int count_row(struct exp_done *d, const char *mode, int warm)
{
	static const char *const modes[] = { "timing", "counting", "bare", "exits" };
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]) && strcmp(mode, modes[i]); i++)
		;
	if (i == sizeof(modes) / sizeof(modes[0]))
		return -EINVAL;
	if (warm)
		return 0;
	if (!strcmp(mode, "timing"))
		d->timing++;
	else if (!strcmp(mode, "counting"))
		d->counting++;
	else if (!strcmp(mode, "bare"))
		d->bare++;
	else
		d->exits++;
	return 0;
}

static int scan_row(struct scan *s, const struct experiment *e, struct exp_done *d, size_t row)
{
	const char *boot = nb_table_cell(s->t, row, s->boot), *rep = nb_table_cell(s->t, row, s->rep);
	const char *var = nb_table_cell(s->t, row, s->variant), *mode = nb_table_cell(s->t, row, s->mode);
	int b, r, warm;

	if (nb_parse_int(boot, 1, e->nboots, &b))
		return row_error(s, row, "boot '%.20s' is not 1..%d", boot, e->nboots);
	if (strcmp(var, e->v[e->order[b - 1]].name))
		return row_error(s, row, "boot %d is variant '%.64s', the experiment's order says '%s'",
				 b, var, e->v[e->order[b - 1]].name);
	if (nb_parse_int(rep, 1, NB_MAX_REP, &r))
		return row_error(s, row, "rep '%.20s' is not 1..%d", rep, NB_MAX_REP);
	if (nb_parse_int(nb_table_cell(s->t, row, s->warm), 0, 1, &warm))
		return row_error(s, row, "warmup is not 0 or 1");
	if (count_row(&d[b], mode, warm))
		return row_error(s, row, "mode '%.20s' is not timing, counting, bare or exits", mode);
	if (r > d[b].last_rep)
		d[b].last_rep = r;
	return 0;
}

int exp_resume_scan(const char *dir, const struct experiment *e, struct exp_done *d,
		    char *err, size_t errlen)
{
	static const char *const cols[] = { "variant", "boot", "rep", "mode", "warmup", NULL };
	struct scan s = { .err = err, .errlen = errlen };
	struct stat st;
	char path[4200];
	size_t row;
	int ret;

	memset(d, 0, (e->nboots + 1) * sizeof(*d));
	snprintf(path, sizeof(path), "%s/reps.csv", dir);
	if (stat(path, &st) ? errno == ENOENT : st.st_size == 0)
		return 0;	/* no rows yet (killed before the header was written) */
	ret = nb_table_read(path, &s.t, err, errlen);
	if (ret)
		return ret;
	ret = nb_table_require(s.t, cols, err, errlen);
	s.boot = nb_table_col(s.t, "boot");
	s.rep = nb_table_col(s.t, "rep");
	s.mode = nb_table_col(s.t, "mode");
	s.warm = nb_table_col(s.t, "warmup");
	s.variant = nb_table_col(s.t, "variant");
	for (row = 0; !ret && row < nb_table_rows(s.t); row++)
		ret = scan_row(&s, e, d, row);
	nb_table_free(s.t);
	return ret;
}

int exp_owed(int want, int have)
{
	return want > have ? want - have : 0;
}

/*
 * With extras_boots = N, an arm's later boots run timing repetitions only:
 * the counting repetitions' counts barely move between boots (docs/time.md,
 * "extras_boots"), and the bare, counting and exit repetitions cost a third
 * of a depth-3 boot.
 */
struct exp_done exp_boot_owed(const struct experiment *e, int b)
{
	int rank = 0, i, extras;

	for (i = 0; i < b - 1; i++)
		rank += e->order[i] == e->order[b - 1];
	extras = !e->extras_boots || rank < e->extras_boots;
	return (struct exp_done){ .timing = e->plan.reps, .bare = extras ? e->plan.bare : 0,
				  .counting = extras ? e->plan.counting : 0,
				  .exits = extras ? e->plan.exits : 0 };
}

int exp_resume_fits(const struct experiment *e, const struct exp_done *d, char *err, size_t errlen)
{
	struct exp_done o;
	int b, n;

	for (b = 1; b <= e->nboots; b++) {
		o = exp_boot_owed(e, b);
		n = exp_owed(o.timing, d[b].timing) + exp_owed(o.counting, d[b].counting) +
		    exp_owed(o.bare, d[b].bare) + exp_owed(o.exits, d[b].exits);
		if (n && d[b].last_rep + e->plan.warmup + n > NB_MAX_REP)
			return snprintf(err, errlen, "boot %d: its last repetition is %d and it owes %d "
					"(+%d warm-up): repetitions are numbered up to %d", b,
					d[b].last_rep, n, e->plan.warmup, NB_MAX_REP), -EINVAL;
	}
	return 0;
}
