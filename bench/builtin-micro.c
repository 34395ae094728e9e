// SPDX-License-Identifier: GPL-2.0
/*
 * nestbench micro: the micro workload (workloads/micro.c) at depth 1, 2, 3,
 * one boot each per kernel, then one table: operation x depth, the cost per
 * operation and its ratio to depth 1. `--table DIR` prints it again from
 * the results (DIR/<kernel>-depth<d>/reps.csv), booting nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "bench/builtin.h"
#include "bench/experiment.h"
#include "bench/manifest.h"
#include "bench/run.h"
#include "stack/opt.h"
#include "stack/platform.h"
#include "stack/util.h"
#include "stats/csvio.h"
#include "stats/stats.h"
#include "workloads/workload.h"

#define MAX_COLS (2 * NB_MAX_DEPTH)

struct micro_opts {
	const char *images, *root, *table;
	char kernels[2][NB_NAME_MAX];
	int nkernels, depths[NB_MAX_DEPTH], ndepths, reps, counting, attribute;
};

/* One results directory of the table: its median per metric, window and host wall. */
struct col {
	char kernel[NB_NAME_MAX], clock[16];
	int depth;
	double v[NB_WL_MAX_METRICS], io_ms, host_s;
	double counted[NB_WL_MAX_METRICS][3];	/* --attribute: L0 exits, nested exceptions, ERETs per op */
	size_t n;
};

/* What an attribution boot counts at L0 (docs/results-format.md), per operation. */
static const char *const counted_cols[3] = { "L0.exits", "L0.nested_exc", "L0.nested_eret" };

static const char micro_what[] =
	"One boot per kernel and depth running the micro workload (docs/workloads.md), then a table:\n"
	"ns per operation (median of the timing repetitions) and the ratio to the first depth.\n"
	"--attribute: at depth >= 2, one more boot per operation alone, counting what it makes L0 do\n"
	"(kvm_exit, nested exceptions injected, nested ERETs per operation). --table DIR prints the\n"
	"table of an earlier run. Exit status: 0 done, 1 a boot failed, 2 usage.";
/* Median of column col over timing, non-warm-up rows; NAN if none. */
static double col_median(const struct nb_table *t, const char *col)
{
	int c = nb_table_col(t, col), cm = nb_table_col(t, "mode"), cw = nb_table_col(t, "warmup");
	double *x = calloc(nb_table_rows(t) + 1, sizeof(*x)), med = NAN;
	size_t r, n = 0;

	for (r = 0; x && c >= 0 && r < nb_table_rows(t); r++)
		if (!strcmp(nb_table_cell(t, r, cm), "timing") && strcmp(nb_table_cell(t, r, cw), "1") &&
		    !nb_table_double(t, r, c, &x[n], NULL, 0))
			n++;
	if (n && nb_median(x, n, &med))
		med = NAN;
	free(x);
	return med;
}

static int load_col(const char *dir, struct col *c)
{
	char path[PATH_MAX + 96], err[256];
	struct nb_table *t;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s-depth%d/reps.csv", dir, c->kernel, c->depth);
	if (nb_table_read(path, &t, err, sizeof(err))) {
		fprintf(stderr, "nestbench micro: %s\n", err);
		return -EINVAL;
	}
	for (i = 0; i < nb_wl_micro.nmetrics; i++)
		c->v[i] = col_median(t, nb_wl_micro.metrics[i].col);
	c->io_ms = col_median(t, "io_ns") / 1e6;
	c->host_s = col_median(t, "host_ns") / 1e9;
	c->n = nb_table_rows(t);
	snprintf(c->clock, sizeof(c->clock), "%s", nb_table_rows(t) ? nb_table_cell(t, 0, nb_table_col(t, "clock")) : "");
	nb_table_free(t);
	return 0;
}

/* Median of a counting row's column over operations (1.1 x n: the timed loop and its warm-up). */
static double counted_per_op(const struct nb_table *t, const char *col, double n)
{
	int c = nb_table_col(t, col), cm = nb_table_col(t, "mode");
	double x;
	size_t r;

	for (r = 0; c >= 0 && r < nb_table_rows(t); r++)
		if (!strcmp(nb_table_cell(t, r, cm), "counting") && !nb_table_double(t, r, c, &x, NULL, 0))
			return x / (1.1 * n);
	return NAN;
}

/* Operation m's iterations in an attribution directory: its manifest's parameters. */
static double op_count(const char *dir, size_t m)
{
	char path[PATH_MAX + 128];
	struct json_object *man, *job;
	double n = NAN;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	man = json_object_from_file(path);
	if (json_object_is_type(man, json_type_object) && json_object_object_get_ex(man, "job", &job) &&
	    json_object_is_type(job, json_type_string))
		n = nb_wl_param(&nb_wl_micro, json_object_get_string(job), m == 2 ? "pages" : "iters");
	json_object_put(man);
	return n > 0 ? n : NAN;
}

/* --attribute's boots, <kernel>-depth<d>-op<m+1>: what each operation makes L0 count. */
static void load_counted(const char *dir, struct col *c)
{
	char sub[PATH_MAX], path[PATH_MAX + 16], err[256];
	struct nb_table *t;
	size_t m, k;

	for (m = 0; m < nb_wl_micro.nmetrics; m++) {
		for (k = 0; k < 3; k++)
			c->counted[m][k] = NAN;
		snprintf(sub, sizeof(sub), "%s/%s-depth%d-op%zu", dir, c->kernel, c->depth, m + 1);
		snprintf(path, sizeof(path), "%s/reps.csv", sub);
		if (nb_table_read(path, &t, err, sizeof(err)))
			continue;
		for (k = 0; k < 3; k++)
			c->counted[m][k] = counted_per_op(t, counted_cols[k], op_count(sub, m));
		nb_table_free(t);
	}
}

static int col_before(const struct col *a, const struct col *b)
{
	int k = strcmp(a->kernel, b->kernel);

	return k ? k < 0 : a->depth < b->depth;
}

/* DIR's "<kernel>-depth<d>" directories, sorted by kernel then depth. */
static int scan(const char *dir, struct col *cols, int max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct col tmp;
	char *dash;
	int n = 0, i, j, depth;

	while (d && n < max && (e = readdir(d))) {
		dash = strrchr(e->d_name, '-');
		if (!dash || dash == e->d_name || nb_parse_int(dash + 6, 1, NB_MAX_DEPTH, &depth) ||
		    strncmp(dash, "-depth", 6) || dash - e->d_name >= NB_NAME_MAX)
			continue;
		memset(&cols[n], 0, sizeof(cols[n]));
		snprintf(cols[n].kernel, sizeof(cols[n].kernel), "%.*s", (int)(dash - e->d_name), e->d_name);
		cols[n].depth = depth;
		if (!nb_name_check(cols[n].kernel) && !load_col(dir, &cols[n]))
			load_counted(dir, &cols[n++]);
	}
	if (d)
		closedir(d);
	for (i = 1; i < n; i++) {
		tmp = cols[i];
		for (j = i; j > 0 && col_before(&tmp, &cols[j - 1]); j--)
			cols[j] = cols[j - 1];
		cols[j] = tmp;
	}
	return n;
}

static void cell(FILE *f, double v, double first, int ratio)
{
	char s[48];

	if (isnan(v))
		snprintf(s, sizeof(s), "-");
	else if (ratio && first > 0 && !isnan(first))
		snprintf(s, sizeof(s), "%.1f (%.2fx)", v, v / first);
	else
		snprintf(s, sizeof(s), "%.1f", v);
	fprintf(f, " %20s", s);
}

/* Row m: a metric of micro, then the window (L0 clock), then the host's wall clock. */
static double value(const struct col *c, size_t m)
{
	return m < nb_wl_micro.nmetrics ? c->v[m] : m == nb_wl_micro.nmetrics ? c->io_ms : c->host_s;
}

static void row(FILE *f, const char *label, const struct col *c, int n, size_t m)
{
	int i, first = 0;

	fprintf(f, "%-44s", label);
	for (i = 0; i < n; i++) {
		if (i && strcmp(c[i].kernel, c[i - 1].kernel))
			first = i;	/* each kernel's ratios are to its own first depth */
		cell(f, value(&c[i], m), value(&c[first], m), i != first);
	}
	fputc('\n', f);
}

/* Exits/nested exceptions/nested ERETs at L0 per operation, where --attribute counted them. */
static void print_counted(FILE *f, const struct col *c, int n)
{
	char s[64];
	size_t m;
	int i, any = 0;

	for (i = 0; i < n; i++)
		for (m = 0; m < nb_wl_micro.nmetrics; m++)
			any |= !isnan(c[i].counted[m][0]);
	if (!any)
		return;
	fprintf(f, "\ncounted at L0 per operation, one counting boot per operation: kvm_exit / nested "
		"exceptions injected / nested ERETs\n(counts over 1.1 x the iterations: the loop and its "
		"warm-up; the process's start and exit are in the window too)\n");
	for (m = 0; m < nb_wl_micro.nmetrics; m++) {
		fprintf(f, "%-44s", nb_wl_micro.metrics[m].what);
		for (i = 0; i < n; i++) {
			if (isnan(c[i].counted[m][0]))
				snprintf(s, sizeof(s), "-");
			else
				snprintf(s, sizeof(s), "%.2f/%.2f/%.2f", c[i].counted[m][0], c[i].counted[m][1],
					 c[i].counted[m][2]);
			fprintf(f, " %20s", s);
		}
		fputc('\n', f);
	}
}

int micro_table(FILE *f, const char *dir)
{
	struct col c[MAX_COLS];
	char head[160];
	size_t m;
	int n = scan(dir, c, MAX_COLS), i;

	if (n <= 0) {
		fprintf(stderr, "nestbench micro: %s holds no <kernel>-depth<d>/reps.csv\n", dir);
		return -ENOENT;
	}
	fprintf(f, "micro: ns per operation, median of timing repetitions, in the innermost guest's "
		"CLOCK_MONOTONIC (L0 clock %s: %s); (ratio to the first depth)\n", c[0].clock,
		!strcmp(c[0].clock, "host") ? "hardware time" : "the guest's counter is the emulated one, "
		"it counts the instructions of every level, not hardware time");
	fprintf(f, "%-44s", "operation");
	for (i = 0; i < n; i++) {
		snprintf(head, sizeof(head), "%.63s L%d (%zu reps)", c[i].kernel, c[i].depth, c[i].n);
		fprintf(f, " %20s", head);
	}
	fputc('\n', f);
	for (m = 0; m < nb_wl_micro.nmetrics; m++)
		row(f, nb_wl_micro.metrics[m].what, c, n, m);
	snprintf(head, sizeof(head), "whole run, ms (window, L0 %s clock)", c[0].clock);
	row(f, head, c, n, m);
	row(f, "whole run, s (x86 host wall clock)", c, n, m + 1);
	print_counted(f, c, n);
	return 0;
}

/*
 * One boot: kernel k at every level, depth d, into dir/<k>-depth<d>; with
 * op (1..3), one counting repetition of that operation alone into
 * dir/<k>-depth<d>-op<op>, to count what it makes L0 do.
 */
static int micro_boot(const struct micro_opts *o, const char *dir, const char *k, int d, int op)
{
	static char out[PATH_MAX + 96];
	struct run_cfg c = { .experiment = "micro", .variant = k, .images = o->images, .boot = 1,
			     .timeout = 7200, .outdir = out };
	char given[16];
	int l, ret;

	snprintf(out, sizeof(out), "%s/%s-depth%d%s", dir, k, d, op ? "-op" : "");
	if (op)
		snprintf(out + strlen(out), 8, "%d", op);
	snprintf(given, sizeof(given), "op=%d\n", op);
	char err[512];

	nb_plan_defaults(&c.plan, d);
	c.plan.reps = op ? 0 : o->reps;
	c.plan.counting = op ? 1 : o->counting;
	snprintf(c.plan.workload, sizeof(c.plan.workload), "%s", nb_wl_micro.name);
	for (l = 0; l <= d; l++)
		snprintf(c.plan.lv[l].kernel, sizeof(c.plan.lv[l].kernel), "%s", k);
	if (nb_platform_resolve(&c.plan.platform, err, sizeof(err)) ||
	    nb_wl_plan_prepare(&c.plan, given, err, sizeof(err)))
		return fprintf(stderr, "nestbench micro: %s\n", err), -1;
	if (nb_mkdir_p(out))
		return -1;
	fprintf(stderr, "nestbench micro: %s at depth %d -> %s\n", k, d, out);
	run_manifest_write(&c);
	ret = run_boot(&c);
	nb_plan_free(&c.plan);
	return ret;
}

static int parse_list(const char *s, struct micro_opts *o, int depths)
{
	char *dup = strdup(s), *tok, *save = NULL;
	int ret = dup ? 0 : -ENOMEM, *n = depths ? &o->ndepths : &o->nkernels;

	*n = 0;
	for (tok = strtok_r(dup, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save)) {
		if (*n == (depths ? NB_MAX_DEPTH : 2))
			ret = -EINVAL;
		else if (depths)
			ret = nb_parse_int(tok, 1, NB_MAX_DEPTH, &o->depths[(*n)++]);
		else if (!(ret = nb_name_check(tok)))
			snprintf(o->kernels[(*n)++], NB_NAME_MAX, "%s", tok);
	}
	free(dup);
	return ret || !*n ? -EINVAL : 0;
}

static int set_depths(void *cfg, const char *v, char *err, size_t len)
{
	return parse_list(v, cfg, 1) ? snprintf(err, len, "--depths '%s': use up to %d of 1..%d, "
						"e.g. 1,2,3", v, NB_MAX_DEPTH, NB_MAX_DEPTH), -EINVAL : 0;
}

static int set_kernels(void *cfg, const char *v, char *err, size_t len)
{
	return parse_list(v, cfg, 0) ? snprintf(err, len, "--kernel '%s': one or two variant names, "
						"e.g. base,patched", v), -EINVAL : 0;
}

#define M struct micro_opts
static const struct nb_opt micro_opts_tab[] = {
	OPT_CALL("depths", set_depths, NULL, "1,2,3", NB_IN_CLI, "the depths to boot (default 1,2,3)"),
	OPT_CALL("kernel", set_kernels, NULL, "NAME[,NAME2]", NB_IN_CLI, "kernel variants (default patched)"),
	OPT_INT("reps", M, reps, 1, 64, 3, "N", NB_IN_CLI, "timing repetitions per boot"),
	OPT_INT("counting", M, counting, 0, 8, 0, "N", NB_IN_CLI, "counting repetitions per boot"),
	OPT_FLAG("attribute", M, attribute, "a boot per operation alone, counting at L0 (depth >= 2)"),
	OPT_PTR("images", M, images, "FILE", "images manifest (default build/images.manifest)"),
	OPT_PTR("results", M, root, "DIR", "where micro/TIMESTAMP goes (default results)"),
	OPT_PTR("table", M, table, "DIR", "print the table of an earlier run's directory, boot nothing"),
	OPT_END
};

static int parse(int argc, char **argv, struct micro_opts *o)
{
	struct nb_optgroup g[] = { { micro_opts_tab, o }, { NULL } };
	int first;

	*o = (struct micro_opts){ .images = "build/images.manifest", .root = "results",
				  .nkernels = 1, .ndepths = 3, .depths = { 1, 2, 3 } };
	nb_opt_defaults(micro_opts_tab, o);
	strcpy(o->kernels[0], "patched");
	first = nb_opt_parse("micro", argc, argv, g);
	if (first == NB_OPT_HELP) {
		nb_opt_usage(stdout, "micro", "[options] | --table DIR", micro_what, g);
		return 1;
	}
	return first < 0 || nb_opt_operands("micro", argc, argv, first, 0, 0) ? 2 : 0;
}

int cmd_micro(int argc, char **argv)
{
	struct micro_opts o;
	char dir[PATH_MAX], ts[32];
	time_t t = time(NULL);
	int ret = parse(argc, argv, &o), k, d, op, failed = 0;

	if (ret)
		return ret == 1 ? 0 : ret;
	if (o.table)
		return micro_table(stdout, o.table) ? 1 : 0;
	if (images_have_workload(o.images, nb_wl_micro.name))
		return 2;
	strftime(ts, sizeof(ts), "%Y%m%d-%H%M%S", localtime(&t));
	snprintf(dir, sizeof(dir), "%s/micro/%s", o.root, ts);
	for (k = 0; k < o.nkernels; k++)
		for (d = 0; d < o.ndepths; d++)
			failed += micro_boot(&o, dir, o.kernels[k], o.depths[d], 0) != 0;
	for (k = 0; o.attribute && k < o.nkernels; k++)
		for (d = 0; d < o.ndepths; d++)
			for (op = 1; o.depths[d] >= 2 && op <= 3; op++)	/* L0 traces from depth 2 */
				failed += micro_boot(&o, dir, o.kernels[k], o.depths[d], op) != 0;
	ret = micro_table(stdout, dir);
	printf("\nresults: %s\n", dir);
	return failed || ret ? 1 : 0;
}
