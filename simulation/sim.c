// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_rng.h>
#include <json-c/json.h>

#include "simulation/sim.h"
#include "stats/report.h"
#include "stats/results.h"
#include "stats/seq.h"
#include "stats/seqstop.h"
#include "stats/summary.h"

#define SIM_IO_NS	1.2e9	/* a depth-2 fio job under icount */
#define SIM_HOST_NS	2.9e10	/* the same seen from the x86 host */
#define SIM_HOST_BOOT_SD 3.0	/* %: the host wall clock under TCG swings */
#define SIM_HOST_REP_SD	2.0

static const char primary_tag[] = "\n  io time (icount clock), means of boots";
static const char secondary_tag[] = "secondary clock, not a verdict: ";

/* Reads up to the end of the line only: the report goes on below it. */
int nb_sim_parse_line(const char *text, struct nb_sim_line *o)
{
	char line[1024], *end;
	const char *eq, *lt, *ci, *lv;

	snprintf(line, sizeof(line), "%.*s", (int)strcspn(text, "\n"), text);
	eq = strstr(line, "p=");
	lt = strstr(line, "p<1e-15");
	ci = strstr(line, "95% CI ");
	if (!eq && !lt)
		return -EINVAL;
	o->significant = !strstr(line, "no significant difference");
	o->p = 0;
	if (eq && (!lt || eq < lt)) {
		o->p = strtod(eq + 2, &end);
		if (end == eq + 2)
			return -EINVAL;
	}
	lv = strstr(line, " at level ");
	o->level = lv ? strtod(lv + 10, NULL) : NB_ALPHA;
	o->lo = o->hi = NAN;
	if (ci && sscanf(ci + 7, "%lf%% .. %lf%%", &o->lo, &o->hi) != 2)
		o->lo = o->hi = NAN;
	return 0;
}

/* ABBA ABBA...: boot i (from 0) is arm b when i % 4 is 1 or 2. */
static int abba_arm(unsigned int i)
{
	return i % 4 == 1 || i % 4 == 2;
}

static void write_boot(FILE *f, gsl_rng *rng, const struct nb_sim_setting *s,
		       int arm, unsigned int boot, double batch)
{
	double k = arm ? s->b_sd_factor : 1, ch = arm ? s->change : 0;
	double be = gsl_ran_gaussian(rng, s->boot_sd * k) + batch;
	double he = gsl_ran_gaussian(rng, SIM_HOST_BOOT_SD);
	unsigned int r;

	for (r = 1; r <= s->reps; r++) {
		double io = SIM_IO_NS * (1 + (ch + be + gsl_ran_gaussian(rng, s->rep_sd * k)) / 100);
		double h = SIM_HOST_NS * (1 + (ch + he + gsl_ran_gaussian(rng, SIM_HOST_REP_SD)) / 100);

		fprintf(f, "sim,%s,L0=x L1=x,emulated,icount,%u,%u,timing,0,%.0f,%.0f\n",
			arm ? "b" : "a", boot, r, io, h);
	}
}

static int write_text(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}

/* The looks at 2..boots per arm, and the design when the setting names it. */
static int write_manifest(const char *dir, const struct nb_sim_setting *s)
{
	char text[1024], looks[768] = "";
	unsigned int n;
	int len = 0;

	for (n = 2; n <= s->boots && len < (int)sizeof(looks) - 8; n++)
		len += snprintf(looks + len, sizeof(looks) - len, "%s%u", n > 2 ? ", " : "", n);
	snprintf(text, sizeof(text), "{ \"experiment\": \"sim\", \"platform\": \"emulated\", "
		 "\"clock\": \"icount\", \"jobs\": 1%s%s%s }\n",
		 s->target_ci > 0 && s->design ? ", \"sequential\": { \"looks\": [ " : "",
		 s->target_ci > 0 && s->design ? looks : "",
		 s->target_ci > 0 && s->design ? " ] }" : "");
	return write_text(dir, "manifest.json", text);
}

/*
 * reps.csv of the first `upto` boots: the last b_missing boots of arm b
 * failed and left no rows.
 */
static int write_dir(const char *dir, gsl_rng *rng, const struct nb_sim_setting *s,
		     unsigned int upto)
{
	unsigned int i, seen[2] = { 0, 0 }, boot = 0;
	char path[PATH_MAX];
	double batch = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/reps.csv", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs("experiment,variant,kernels,platform,clock,boot,rep,mode,warmup,io_ns,host_ns\n", f);
	for (i = 0; i < upto; i++) {
		int arm = abba_arm(i);

		boot++;
		if (i % 2 == 0 && (s->batch_sd > 0 || s->trend))	/* no draw otherwise: same boots */
			batch = (s->batch_sd > 0 ? gsl_ran_gaussian(rng, s->batch_sd) : 0) + s->trend * (i / 2);
		if (arm && ++seen[arm] > s->boots - s->b_missing)
			continue;
		write_boot(f, rng, s, arm, boot, batch);
	}
	if (fclose(f))
		return -errno;
	return write_manifest(dir, s);
}

/* summary.json's io_ns "significant" for variant b: 1, 0, or -1 if absent. */
static int summary_significant(const char *path)
{
	struct json_object *j = json_object_from_file(path), *ms, *m, *x;
	int ret = -1;
	size_t i;

	if (!j || !json_object_object_get_ex(j, "metrics", &ms))
		goto out;
	for (i = 0; i < json_object_array_length(ms); i++) {
		m = json_object_array_get_idx(ms, i);
		if (strcmp(json_object_get_string(json_object_object_get(m, "key")), "io_ns") ||
		    !json_object_object_get_ex(json_object_object_get(m, "variants"), "b", &x) ||
		    !json_object_object_get_ex(x, "compare", &x) ||
		    !json_object_object_get_ex(x, "significant", &x))
			continue;
		ret = json_object_get_boolean(x);
	}
out:
	json_object_put(j);
	return ret;
}

/* The printed line says one thing: its p, its CI and summary.json agree. */
static int line_agrees(const struct nb_sim_line *l, int summary)
{
	int ci_excludes = l->lo > 0 || l->hi < 0;

	return !isnan(l->lo) && l->significant == (l->p < l->level) &&
	       l->significant == ci_excludes && summary == l->significant;
}

/*
 * Batch as block (item 5 of issue 22, evaluated, not adopted): boots run two
 * at a time, one per arm, so the j-th boot of each arm share batch j; the
 * paired t on their differences, df = batches - 1.
 */
static void tally_blocked(const struct nb_metric *m, struct nb_sim_tally *t)
{
	const struct nb_series *a = &m->s[0], *b = &m->s[1];
	double d[512], mean, sd, q;
	size_t j, n = a->nboots < b->nboots ? a->nboots : b->nboots;

	if (n < 2 || n > 512)
		return;
	for (j = 0; j < n; j++)
		d[j] = b->boot[j] - a->boot[j];
	mean = gsl_stats_mean(d, 1, n);
	sd = gsl_stats_sd_m(d, 1, n, mean);
	q = gsl_cdf_tdist_Qinv(0.025, n - 1.0) * sd / sqrt(n);
	t->blocked_sig += fabs(mean) > q;
	t->blocked_hw_sum += 100 * q / a->bsum.mean;
}

static int tally_report(const char *txt, const char *dir, const struct nb_boot_cmp *c,
			struct nb_sim_tally *t)
{
	const char *pl = strstr(txt, primary_tag), *sl = strstr(txt, secondary_tag);
	char path[PATH_MAX];
	struct nb_sim_line p, s;

	if (!pl || !sl || nb_sim_parse_line(pl + 3, &p) ||
	    nb_sim_parse_line(sl + strlen(secondary_tag), &s))
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	t->dirs++;
	t->sig += p.significant;
	t->pooled_sig += c->model == NB_T_POOLED ? c->verdict.significant : c->check.significant;
	t->welch_sig += c->model == NB_T_WELCH ? c->verdict.significant : c->check.significant;
	t->secondary_sig += s.p < s.level;
	t->disagree += !line_agrees(&p, summary_significant(path));
	t->halfwidth_sum += (p.hi - p.lo) / 2;
	t->boots_sum += c->na;
	return 0;
}

/* The real loader, analysis, report.txt (in memory) and summary.json. */
static int run_dir(const char *dir, struct nb_sim_tally *t, char *err, size_t errlen)
{
	struct nb_results *r = NULL;
	struct nb_boot_opts o;
	char path[PATH_MAX], *txt = NULL;
	size_t len;
	FILE *f;
	int ret;

	nb_boot_defaults(&o);
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	ret = nb_results_load(dir, &r, err, errlen) ?: nb_results_analyze(r, &o) ?:
	      nb_write_summary_json(r, path, err, errlen);
	f = ret ? NULL : open_memstream(&txt, &len);
	if (!ret && !f)
		ret = -ENOMEM;
	if (f) {
		ret = nb_write_report(r, &o, f);
		fclose(f);
	}
	if (!ret)
		tally_blocked(nb_results_find(r, "io_ns"), t);
	if (!ret && tally_report(txt, dir, nb_results_cmp(nb_results_find(r, "io_ns"), 1), t)) {
		snprintf(err, errlen, "%s: no verdict line to read in report.txt:\n%s", dir, txt);
		ret = -EINVAL;
	}
	free(txt);
	nb_results_free(r);
	return ret;
}

static void remove_dir(const char *dir)
{
	static const char *const files[] = { "reps.csv", "manifest.json", "summary.json" };
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

/*
 * One experiment: every boot at once, or look by look under the experiment
 * loop's stop rule. The same seed draws the same boots whatever the look.
 */
static int grow(const char *dir, gsl_rng *rng, unsigned long seed,
		const struct nb_sim_setting *s, struct nb_sim_tally *t)
{
	unsigned int n = s->target_ci > 0 ? 2 : s->boots;
	double hw;
	int ret;

	for (;; n++) {
		gsl_rng_set(rng, seed);
		ret = write_dir(dir, rng, s, 2 * n);
		if (ret || n == s->boots)
			return ret;
		ret = nb_seq_stop(dir, s->target_ci, &hw);
		if (ret)
			break;
	}
	t->early += ret == 1;
	return ret < 0 ? ret : 0;
}

int nb_sim_run(const struct nb_sim_setting *s, unsigned int ndirs, unsigned long seed,
	       const char *tmp, struct nb_sim_tally *t, char *err, size_t errlen)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	char dir[PATH_MAX / 2];	/* room for the file names */
	unsigned int i;
	int ret = rng ? 0 : -ENOMEM;

	err[0] = 0;
	snprintf(dir, sizeof(dir), "%s/sim-%d", tmp, (int)getpid());
	if (!ret && mkdir(dir, 0700) && errno != EEXIST)
		ret = -errno;
	for (i = 0; i < ndirs && !ret; i++)
		ret = grow(dir, rng, seed + i, s, t) ?: run_dir(dir, t, err, errlen);
	if (ret && !*err)
		snprintf(err, errlen, "%s: %s", dir, strerror(-ret));
	remove_dir(dir);
	gsl_rng_free(rng);
	return ret;
}
