// SPDX-License-Identifier: GPL-2.0
/*
 * The workload interface: every row of the table complete, each parser on
 * what it must take and refuse, experiment keys checked against the
 * workload chosen, reps.csv through each workload, the micro table.
 */
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "stack/platform.h"
#include "bench/builtin.h"
#include "bench/experiment.h"
#include "bench/reps.h"
#include "workloads/fio.h"
#include "bench/run.h"
#include "stack/frame.h"
#include "stack/util.h"
#include "stats/csvio.h"
#include "workloads/workload.h"

/* A row is usable: names, metrics, parser, keys whose defaults are in range at every depth. */
static void table_complete(void **state)
{
	const struct nb_workload *const *w;
	const struct nb_wl_key *k;
	char err[256];
	char *params;
	int d, n = 0;

	for (w = nb_workloads(); *w; w++, n++) {
		assert_ptr_equal(nb_workload_find((*w)->name), *w);
		assert_non_null((*w)->window);
		assert_non_null((*w)->rootfs_key);
		assert_non_null((*w)->parse);
		assert_non_null((*w)->validate);
		assert_true((*w)->nmetrics >= 1 && (*w)->nmetrics <= NB_WL_MAX_METRICS);
		for (k = (*w)->keys; k && k->name; k++)
			for (d = 1; d <= NB_MAX_DEPTH; d++)
				assert_true(k->def[d] >= k->min && k->def[d] <= k->max);
		if (*w == &nb_wl_fio)
			continue;
		for (d = 1; d <= NB_MAX_DEPTH; d++) {	/* the sized defaults pass its own check */
			params = nb_wl_params(*w, NULL, d);
			assert_int_equal((*w)->validate(params, err, sizeof(err)), 0);
			free(params);
		}
	}
	assert_int_equal(n, 3);
	assert_null(nb_workload_find("dbench"));
}

/* Sized per depth unless given; a given key wins at every depth. */
static void params_sized(void **state)
{
	const struct nb_workload *hb = &nb_wl_hackbench;
	char *p1 = nb_wl_params(hb, NULL, 1), *p2 = nb_wl_params(hb, NULL, 2);
	char *g = nb_wl_params(hb, "loops=7\n", 3), err[256];

	assert_true(nb_wl_param(hb, p1, "loops") > nb_wl_param(hb, p2, "loops"));
	assert_int_equal(nb_wl_param(hb, g, "loops"), 7);
	assert_int_equal(nb_wl_param(hb, g, "groups"), hb->keys[0].def[3]);
	assert_int_equal(hb->validate("loops=0\n", err, sizeof(err)), -ERANGE);
	assert_non_null(strstr(err, "loops"));
	assert_int_equal(hb->validate("iters=5\n", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no key 'iters'"));
	free(p1);
	free(p2);
	free(g);
}

/* fio through the interface gives what fio_parse gives (columns as they have always been). */
static void fio_values(void **state)
{
	char *text = nb_read_file("tests/fixtures/fio-randread.json", NULL);
	double v[NB_WL_MAX_METRICS];
	struct fio_result r;

	assert_non_null(text);
	assert_int_equal(nb_wl_fio.parse(text, 0, v), 0);
	assert_int_equal(fio_parse(text, &r), 0);
	assert_true(v[0] == r.runtime_ms && v[1] == r.iops && v[2] == r.ios);
	assert_true(v[3] == r.p50_us && v[4] == r.p99_us);
	assert_string_equal(nb_wl_fio.metrics[2].col, "ios");
	assert_int_equal(nb_wl_fio.parse(text, 1, v), -EINVAL);	/* one job only */
	free(text);
}

/* What hackbench's parser must take and refuse. */
static void hackbench_parse(void **state)
{
	static const struct { const char *text; int idx, ret; double v; } cases[] = {
		{ "Time: 1.5\n", 1, -ENOENT, 0 },
		{ "Time: x\n", 0, -EINVAL, 0 },
		{ "Time: 1.5s\n", 0, -EINVAL, 0 },
		{ "Time: nan\n", 0, -EINVAL, 0 },
		{ "Time: -1\n", 0, -EINVAL, 0 },
		{ "Time: 1e9\n", 0, -EINVAL, 0 },
		{ "Running...\nTime: 0.250\n", 0, 0, 0.25 },
		{ "Time: 0.250\r\nTime: 1.000\n", 1, 0, 1 },
	};
	double v[NB_WL_MAX_METRICS];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(nb_wl_hackbench.parse(cases[i].text, cases[i].idx, v), cases[i].ret);
		if (!cases[i].ret)
			assert_true(v[0] == cases[i].v);
	}
}

/*
 * Real hackbench output (rt-tests 2.6, depth 2, patched, 2026-11-24): three
 * runs, one "Time:" each, between its "Running in ..." lines.
 */
static void hackbench_real(void **state)
{
	static const double want[] = { 0.138, 0.098, 0.071 };
	char *text = nb_read_file("tests/fixtures/workloads/hackbench-reps1-3.txt", NULL);
	double v[NB_WL_MAX_METRICS];
	int n;

	assert_non_null(text);
	assert_non_null(strstr(text, "Running in process mode with 2 groups"));
	for (n = 0; n < 3; n++) {
		assert_int_equal(nb_wl_hackbench.parse(text, n, v), 0);
		assert_true(fabs(v[0] - want[n]) < 1e-9);
	}
	assert_int_equal(nb_wl_hackbench.parse(text, 3, v), -ENOENT);
	free(text);
}

/* Real `nbagent micro` output (depth 1, patched): two runs, every operation measured. */
static void micro_real(void **state)
{
	char *text = nb_read_file("tests/fixtures/workloads/micro-reps1-2.txt", NULL);
	double v[NB_WL_MAX_METRICS];

	assert_non_null(text);
	assert_int_equal(nb_wl_micro.parse(text, 0, v), 0);
	assert_true(v[0] == 296.3 && v[1] == 9354.9 && v[2] == 9451.9);
	assert_int_equal(nb_wl_micro.parse(text, 1, v), 0);
	assert_true(v[0] == 296.5 && v[1] == 9353.7 && v[2] == 2022.3);
	assert_int_equal(nb_wl_micro.parse(text, 2, v), -ENOENT);
	free(text);
}

/* What micro's parser must take and refuse: "-" is a value not measured. */
static void micro_parse(void **state)
{
	static const struct { const char *text; int ret; } bad[] = {
		{ "micro: syscall_ns=1 mmio_ns=2\n", -EINVAL },			/* fault_ns missing */
		{ "micro: syscall_ns=1 mmio_ns=x fault_ns=3\n", -EINVAL },
		{ "micro: syscall_ns=1 mmio_ns=-2 fault_ns=3\n", -EINVAL },
		{ "micro: syscall_ns=1 mmio_ns=inf fault_ns=3\n", -EINVAL },
		{ "nothing\n", -ENOENT },
	};
	double v[NB_WL_MAX_METRICS];
	size_t i;

	assert_int_equal(nb_wl_micro.parse("micro: syscall_ns=1.5 mmio_ns=- fault_ns=3\n", 0, v), 0);
	assert_true(v[0] == 1.5 && isnan(v[1]) && v[2] == 3);
	assert_int_equal(nb_wl_micro.parse("x\nmicro: syscall_ns=1 mmio_ns=2 fault_ns=3\n"
					   "micro: fault_ns=6 mmio_ns=5 syscall_ns=4\n", 1, v), 0);
	assert_true(v[0] == 4 && v[1] == 5 && v[2] == 6);	/* by name, in any order */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(nb_wl_micro.parse(bad[i].text, 0, v), bad[i].ret);
}

static char *write_tmp(const char *text)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/nb-wl-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

#define VARIANTS "[variant a]\nkernel = base\n[variant b]\nkernel = patched\n"

/* Bad workload input: one error, naming the line, before anything exists. */
static void experiment_keys(void **state)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "[experiment]\nname = x\nworkload = dbench\n" VARIANTS, ":3: workload 'dbench': use fio, hackbench or micro" },
		{ "[experiment]\nname = x\nloops = 10\n" VARIANTS, ":3: key loops belongs to workload hackbench, not to fio" },
		{ "[experiment]\nname = x\nworkload = micro\nloops = 10\n" VARIANTS, ":4: key loops belongs to workload hackbench, not to micro" },
		{ "[experiment]\nname = x\nworkload = hackbench\njob = jobs/x.fio\n" VARIANTS, ":4: job = is not a key of workload hackbench" },
		{ "[experiment]\nname = x\nworkload = hackbench\nloops = 0\n" VARIANTS, ":4: loops '0'" },
		{ "[experiment]\nname = x\nworkload = hackbench\nloops = 5\nloops = 6\n" VARIANTS, "key 'loops' of [experiment] is given twice" },
		{ "[experiment]\nname = x\nloopz = 5\n" VARIANTS, ":3: unknown key" },
		{ "[experiment]\nname = x\nperf = yes\n" VARIANTS, ":3: perf 'yes': use on" },
		{ "[experiment]\nname = x\npin = 1\n" VARIANTS, ":3: pin '1': use on" },
		{ "[experiment]\nname = x\nexceptions = some\n" VARIANTS, ":3: exceptions 'some': use off, counting" },
		{ "[experiment]\nname = x\nbare = -1\n" VARIANTS, ":3: bare '-1': out of range" },
		{ "[experiment]\nname = x\nreps = 200\nbare = 100\n" VARIANTS, "warmup + reps + bare + counting + exits" },
		{ "[experiment]\nname = x\nexits = 257\n" VARIANTS, ":3: exits '257': out of range" },
	};
	struct experiment e;
	char err[512], *path;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		path = write_tmp(bad[i].text);
		assert_int_equal(exp_load(path, &e, err, sizeof(err)), -EINVAL);
		print_message("# %s\n", err);
		assert_non_null(strstr(err, bad[i].msg));
		unlink(path);
	}
	path = write_tmp("[experiment]\nname = x\nloops = 10\nworkload = hackbench\ngroups = 3\n" VARIANTS);
	assert_int_equal(exp_load(path, &e, err, sizeof(err)), 0);	/* in any order */
	assert_string_equal(e.plan.workload, "hackbench");
	assert_string_equal(e.wl_params, "loops=10\ngroups=3\n");
	unlink(path);
	path = write_tmp("[experiment]\nname = x\n" VARIANTS);	/* the defaults */
	assert_int_equal(exp_load(path, &e, err, sizeof(err)), 0);
	assert_true(e.plan.perf == 1 && e.plan.pin == 1 && e.plan.bare == 0 && e.plan.exits == 0 && e.plan.excount == NB_EXC_COUNTING);
	unlink(path);
	path = write_tmp("[experiment]\nname = x\nperf = off\npin = off\nbare = 2\nexits = 1\nexceptions = all\n" VARIANTS);
	assert_int_equal(exp_load(path, &e, err, sizeof(err)), 0);
	assert_true(e.plan.perf == 0 && e.plan.pin == 0 && e.plan.bare == 2 && e.plan.exits == 1 && e.plan.excount == NB_EXC_ALL);
	unlink(path);
	assert_int_equal(exp_load("experiments/nv-fp-eret-hackbench.ini", &e, err, sizeof(err)), 0);
	assert_string_equal(e.plan.workload, "hackbench");
	assert_int_equal(e.plan.depth, 2);
}

/* A root filesystem without the workload is refused before a boot; an unreadable manifest is left to the boot. */
/* Every experiment file the project ships loads, and those that ask for exit repetitions get them. */
static void shipped_experiments(void **state)
{
	static const char *const files[] = {
		"experiments/*.ini", "tests/experiments/*.ini", "tests/box/box.ini",
	};
	struct experiment e;
	char err[512];
	size_t i, j, n = 0, exits = 0;
	glob_t g;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_int_equal(glob(files[i], 0, NULL, &g), 0);
		for (j = 0; j < g.gl_pathc; j++, n++) {
			if (exp_load(g.gl_pathv[j], &e, err, sizeof(err)))
				fail_msg("%s", err);
			exits += e.plan.exits > 0;
		}
		globfree(&g);
	}
	print_message("# %zu experiment files load, %zu with exit repetitions\n", n, exits);
	assert_true(n >= 10 && exits >= 4);
}

static void rootfs_has_workload(void **state)
{
	char *old = strdup(write_tmp("rootfs=/x.img\nrootfs.fio=3.39-1\n"));
	char *new = write_tmp("rootfs=/x.img\nrootfs.fio=3.39-1\nrootfs.hackbench=rt-tests 2.8-1\n"
			      "rootfs.micro=nbagent micro\n");

	assert_int_equal(images_have_workload(old, "fio"), 0);
	assert_int_equal(images_have_workload(old, "hackbench"), -ENOENT);
	assert_int_equal(images_have_workload(old, "micro"), -ENOENT);
	assert_int_equal(images_have_workload(new, "hackbench"), 0);
	assert_int_equal(images_have_workload(new, "micro"), 0);
	assert_int_equal(images_have_workload("/nonexistent", "hackbench"), 0);
	unlink(old);
	unlink(new);
	free(old);
}

/* The plan carries the workload down; an old plan without one is fio's. */
static void plan_workload(void **state)
{
	struct nb_plan p, q;
	char err[256], *text;

	nb_plan_defaults(&p, 2);
	p.platform = NB_PLATFORM_EMULATED;
	strcpy(p.workload, "hackbench");
	assert_int_equal(nb_wl_plan_prepare(&p, "loops=9\n", err, sizeof(err)), 0);
	assert_int_equal(nb_plan_validate(&p, err, sizeof(err)), 0);
	text = nb_plan_encode(&p, 2);
	assert_int_equal(nb_plan_decode(&q, text), 0);
	assert_string_equal(q.workload, "hackbench");
	assert_int_equal(nb_wl_param(&nb_wl_hackbench, q.job, "loops"), 9);
	nb_plan_free(&q);
	free(text);
	strcpy(p.workload, "fio");	/* key=value text is not a fio job */
	assert_int_equal(nb_wl_plan_prepare(&p, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "fio job"));
	strcpy(p.workload, "nope");
	assert_int_equal(nb_wl_plan_prepare(&p, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown workload"));
	strcpy(p.workload, "hackbench");	/* keys, not a job file */
	assert_int_equal(nb_wl_plan_prepare(&p, NULL, err, sizeof(err)), -EINVAL);
	nb_plan_free(&p);
	assert_int_equal(nb_plan_decode(&q, "level=1\ndepth=1\nfault=L0:none\njob:\n[x]\n"), 0);
	assert_string_equal(nb_workload_find(q.workload)->name, "fio");	/* none named: the default */
	nb_plan_free(&q);
	assert_int_equal(nb_plan_decode(&q, "level=1\ndepth=1\nbogus=1\njob:\n[x]\n"), -EINVAL);
	assert_int_equal(nb_plan_decode(&q, "level=1\ndepth=9\njob:\n[x]\n"), -EINVAL);
	assert_int_equal(nb_plan_decode(&q, "level=1\nreps=3x\njob:\n[x]\n"), -EINVAL);
}

static const char fio_header[] =
	"\"experiment\",\"variant\",\"kernels\",\"platform\",\"clock\",\"boot\",\"rep\",\"mode\","
	"\"warmup\",\"io_ns\",\"host_ns\",\"fio_runtime_ms\",\"iops\",\"ios\",\"clat_p50_us\","
	"\"clat_p99_us\"\n";

/* What reps.c writes for one boot, and the directory. */
static void rm_boot_dir(const char *dir)
{
	static const char *const files[] = { "reps.csv", "boots.csv", "phases.csv", "kvmexits.csv" };
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);
}

/* One boot's frames through reps.c: the workload's columns, filled from its output. */
static void reps_row(const char *workload, const char *file, const char *fixture,
		     const char *col, int reps)
{
	char dir[] = "/tmp/nb-wl-reps-XXXXXX", path[128], text[64], err[256];
	struct run_cfg cfg = { .experiment = "t", .variant = "base", .boot = 1 };
	struct nb_table *t;
	struct reps *r;
	int n;

	assert_non_null(mkdtemp(dir));
	nb_plan_defaults(&cfg.plan, 1);
	cfg.plan.platform = NB_PLATFORM_HOST;	/* no host stamps needed */
	strcpy(cfg.plan.workload, workload);
	cfg.outdir = dir;
	r = reps_open(&cfg);
	for (n = 1; n <= reps; n++) {
		snprintf(text, sizeof(text), "start %d timing", n);
		reps_mark(r, text, 1);
		snprintf(text, sizeof(text), "start %d %d", n, 1000 * n);
		reps_stamp(r, text, 2);
		snprintf(text, sizeof(text), "end %d %d", n, 5000 * n);
		reps_stamp(r, text, 2);
	}
	reps_file(r, "hackbench-reps1-9.json", fixture);	/* not this boot's name: ignored */
	reps_file(r, file, fixture);
	assert_int_equal(reps_close(r), 0);
	snprintf(path, sizeof(path), "%s/reps.csv", dir);
	assert_int_equal(nb_table_read(path, &t, err, sizeof(err)), 0);
	assert_int_equal(nb_table_rows(t), reps);
	assert_true(nb_table_col(t, col) >= 0);
	for (n = 0; n < reps; n++)
		assert_true(*nb_table_cell(t, n, nb_table_col(t, col)));
	snprintf(text, sizeof(text), "%d", 4000 * reps);	/* end - start of the last repetition */
	assert_string_equal(nb_table_cell(t, reps - 1, nb_table_col(t, "io_ns")), text);
	nb_table_free(t);
	nb_plan_free(&cfg.plan);
	if (!strcmp(workload, "fio")) {	/* the header fio's reps.csv has always had */
		char *csv = nb_read_file(path, NULL);

		assert_non_null(csv);
		assert_memory_equal(csv, fio_header, strlen(fio_header));
		free(csv);
	}
	rm_boot_dir(dir);
}

/*
 * Depth 2, perf on: a timing row waits for L0's perf counts and takes the
 * perf rows of the counter table from them (the rest stays empty); counts
 * perf could not take flag the row (L0.damaged) and leave it complete.
 */
static void reps_perf_counts(void **state)
{
	static const struct { const char *perf; const char *eret, *fp, *nested, *damaged; } t[] = {
		{ "1536,,kvm:kvm_nested_eret,1,100.00,,\n49,,kvm:kvm_inject_nested_exception,1,100.00,,\n"
		  "2311,,nbperf:fp_save,1,100.00,,\n", "1536", "2311", "", "0" },
		{ "# nestbench: perf stat failed: enabling the counters: Timer expired\n", "", "", "", "1" },
	};
	char dir[] = "/tmp/nb-perf-reps-XXXXXX", path[128], perf[160], err[256];
	struct run_cfg cfg = { .experiment = "t", .variant = "base", .boot = 1 };
	struct nb_table *tb;
	struct reps *r;
	unsigned i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_non_null(mkdtemp(strcpy(dir, "/tmp/nb-perf-reps-XXXXXX")));
		nb_plan_defaults(&cfg.plan, 2);
		cfg.plan.platform = NB_PLATFORM_HOST;
		cfg.plan.reps = 1;
		cfg.outdir = dir;
		r = reps_open(&cfg);
		reps_mark(r, "start 1 timing", 1);
		reps_stamp(r, "start 1 1000 timing", 2);
		reps_stamp(r, "end 1 5000 timing", 3);
		reps_mark(r, "end 1 timing", 4);
		reps_file(r, "fio-rep1.json", "tests/fixtures/fio-randread.json");
		snprintf(path, sizeof(path), "%s/reps.csv", dir);
		assert_int_equal(nb_table_read(path, &tb, err, sizeof(err)), 0);
		assert_int_equal(nb_table_rows(tb), 0);	/* not complete without L0's counts */
		nb_table_free(tb);
		snprintf(perf, sizeof(perf), "%s/perf-L0-rep1.csv", dir);
		assert_int_equal(nb_write_file(perf, t[i].perf, strlen(t[i].perf)), 0);
		reps_file(r, "perf-L0-rep1.csv", perf);
		assert_int_equal(nb_table_read(path, &tb, err, sizeof(err)), 0);
		assert_int_equal(nb_table_rows(tb), 1);
		assert_string_equal(nb_table_cell(tb, 0, nb_table_col(tb, "L0.nested_eret")), t[i].eret);
		assert_string_equal(nb_table_cell(tb, 0, nb_table_col(tb, "L0.fp_save")), t[i].fp);
		assert_string_equal(nb_table_cell(tb, 0, nb_table_col(tb, "L0.fp_save_nested")), t[i].nested);
		assert_string_equal(nb_table_cell(tb, 0, nb_table_col(tb, "L0.damaged")), t[i].damaged);
		assert_string_equal(nb_table_cell(tb, 0, nb_table_col(tb, "io_ns")), "4000");
		nb_table_free(tb);
		assert_int_equal(reps_close(r), 0);
		nb_plan_free(&cfg.plan);
		unlink(perf);
		rm_boot_dir(dir);
	}
}

/*
 * Resuming a directory whose reps.csv a nestbench with other counter rows
 * began: the rows follow its header by name (its order, a column no row
 * has any more left empty, a row it has no column for left out).
 */
static void reps_resume_other_counters(void **state)
{
	static const char perf[] = "1536,,kvm:kvm_nested_eret,1,100.00,,\n"
		"49,,kvm:kvm_inject_nested_exception,1,100.00,,\n2311,,nbperf:fp_save,1,100.00,,\n";
	char dir[] = "/tmp/nb-resume-reps-XXXXXX", path[128], pf[160], err[256], *hdr;
	struct run_cfg cfg = { .experiment = "t", .variant = "base", .boot = 2 };
	struct nb_table *tb;
	struct reps *r;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/reps.csv", dir);
	assert_int_equal(asprintf(&hdr, "%.*s,\"L0.fp_save\",\"L0.gone\",\"L0.nested_eret\"\n",
				  (int)strlen(fio_header) - 1, fio_header) > 0, 1);
	assert_int_equal(nb_write_file(path, hdr, strlen(hdr)), 0);
	free(hdr);
	nb_plan_defaults(&cfg.plan, 2);
	cfg.plan.platform = NB_PLATFORM_HOST;	/* no host stamps needed */
	cfg.plan.reps = 1;
	cfg.outdir = dir;
	r = reps_open(&cfg);
	reps_mark(r, "start 1 timing", 1);
	reps_stamp(r, "start 1 1000 timing", 2);
	reps_stamp(r, "end 1 5000 timing", 3);
	reps_mark(r, "end 1 timing", 4);
	reps_file(r, "fio-rep1.json", "tests/fixtures/fio-randread.json");
	snprintf(pf, sizeof(pf), "%s/perf-L0-rep1.csv", dir);
	assert_int_equal(nb_write_file(pf, perf, strlen(perf)), 0);
	reps_file(r, "perf-L0-rep1.csv", pf);
	assert_int_equal(nb_table_read(path, &tb, err, sizeof(err)), 0);	/* as many fields as the header */
	assert_int_equal(nb_table_rows(tb), 1);
	assert_string_equal(nb_table_cell(tb, 0, nb_table_col(tb, "L0.nested_eret")), "1536");
	assert_string_equal(nb_table_cell(tb, 0, nb_table_col(tb, "L0.fp_save")), "2311");
	assert_string_equal(nb_table_cell(tb, 0, nb_table_col(tb, "L0.gone")), "");
	assert_int_equal(nb_table_col(tb, "L0.damaged"), -ENOENT);
	nb_table_free(tb);
	assert_int_equal(reps_close(r), 0);
	nb_plan_free(&cfg.plan);
	unlink(pf);
	rm_boot_dir(dir);
}

/*
 * Depth 2, perf on: L0's exits of an exit repetition go to kvmexits.csv,
 * an ALL row with perf's total, then a row per reason; a report perf could
 * not make leaves an ALL row with no count and the reason why.
 */
static void reps_kvm_exits(void **state)
{
	static const char failed[] = "# nestbench: perf stat failed: perf kvm stat report: Timer expired\n";
	char dir[] = "/tmp/nb-kvmx-XXXXXX", path[128], err[256];
	struct run_cfg cfg = { .experiment = "t", .variant = "base", .boot = 3 };
	struct nb_table *tb;
	struct reps *r;

	assert_non_null(mkdtemp(dir));
	nb_plan_defaults(&cfg.plan, 2);
	cfg.plan.platform = NB_PLATFORM_EMULATED;
	cfg.plan.exits = 1;
	cfg.outdir = dir;
	r = reps_open(&cfg);
	reps_file(r, "kvmexits-L0-rep2.txt", "tests/fixtures/perf/kvm-stat.txt");
	snprintf(path, sizeof(path), "%s/bad.txt", dir);
	assert_int_equal(nb_write_file(path, failed, strlen(failed)), 0);
	reps_file(r, "kvmexits-L0-rep3.txt", path);
	reps_file(r, "kvmexits-L1-rep4.txt", "tests/fixtures/perf/kvm-stat.txt");	/* L0 only */
	unlink(path);
	snprintf(path, sizeof(path), "%s/kvmexits.csv", dir);
	assert_int_equal(nb_table_read(path, &tb, err, sizeof(err)), 0);
	assert_int_equal(nb_table_rows(tb), 7);
	assert_string_equal(nb_table_cell(tb, 0, nb_table_col(tb, "reason")), "ALL");
	assert_string_equal(nb_table_cell(tb, 0, nb_table_col(tb, "exits")), "6454");
	assert_string_equal(nb_table_cell(tb, 0, nb_table_col(tb, "boot")), "3");
	assert_string_equal(nb_table_cell(tb, 0, nb_table_col(tb, "rep")), "2");
	assert_string_equal(nb_table_cell(tb, 1, nb_table_col(tb, "reason")), "DABT_LOW");
	assert_string_equal(nb_table_cell(tb, 1, nb_table_col(tb, "exits")), "4102");
	assert_string_equal(nb_table_cell(tb, 1, nb_table_col(tb, "mean_us")), "6.91");
	assert_string_equal(nb_table_cell(tb, 5, nb_table_col(tb, "reason")), "WFx");
	assert_string_equal(nb_table_cell(tb, 6, nb_table_col(tb, "reason")), "ALL");
	assert_string_equal(nb_table_cell(tb, 6, nb_table_col(tb, "exits")), "");
	assert_non_null(strstr(nb_table_cell(tb, 6, nb_table_col(tb, "note")), "Timer expired"));
	nb_table_free(tb);
	assert_int_equal(reps_close(r), 0);
	nb_plan_free(&cfg.plan);
	rm_boot_dir(dir);
}

static void reps_through_workloads(void **state)
{
	reps_row("fio", "fio-rep1.json", "tests/fixtures/fio-randread.json", "clat_p99_us", 1);
	reps_row("hackbench", "hackbench-reps1-3.txt", "tests/fixtures/workloads/hackbench-reps1-3.txt",
		 "hackbench_s", 3);
	reps_row("micro", "micro-reps1-2.txt", "tests/fixtures/workloads/micro-reps1-2.txt", "mmio_ns", 2);
}

static void write_reps(const char *dir, const char *sub, const char *rows)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	assert_int_equal(nb_mkdir_p(path), 0);
	strcat(path, "/reps.csv");
	assert_int_equal(nb_write_file(path, rows, strlen(rows)), 0);
}

static void rm_reps(const char *dir, const char *sub)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s/reps.csv", dir, sub);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	rmdir(path);
}

/* The micro table: medians of timing rows (warm-ups and counting rows out), ratio to depth 1. */
static void micro_table_ratio(void **state)
{
	static const char head[] = "mode,warmup,clock,io_ns,host_ns,syscall_ns,mmio_ns,fault_ns\n";
	static const char job[] = "{\"job\": \"iters=1000\\npages=16\\nop=2\\n\"}";
	char dir[] = "/tmp/nb-wl-micro-XXXXXX", *out = NULL, rows[512], man[128];
	size_t len = 0;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(rows, sizeof(rows), "%stiming,1,icount,9,9,999,999,999\ntiming,0,icount,2000000,1e9,100,1000,50\n"
		 "timing,0,icount,2000000,1e9,110,1200,60\ntiming,0,icount,2000000,1e9,120,1100,70\n"
		 "counting,0,icount,9,9,999,999,999\n", head);
	write_reps(dir, "patched-depth1", rows);
	snprintf(rows, sizeof(rows), "%stiming,0,icount,8000000,4e9,220,33000,\n", head);
	write_reps(dir, "patched-depth2", rows);
	write_reps(dir, "not-a-depth", rows);
	write_reps(dir, "patched-depth2-op2", "mode,warmup,clock,L0.exits,L0.nested_exc,L0.nested_eret\n"
		   "counting,0,icount,2200,1100,1100\n");	/* --attribute: mmio alone, 1000 iterations */
	snprintf(man, sizeof(man), "%s/patched-depth2-op2/manifest.json", dir);
	assert_int_equal(nb_write_file(man, job, strlen(job)), 0);
	f = open_memstream(&out, &len);
	assert_int_equal(micro_table(f, dir), 0);
	fclose(f);
	print_message("%s", out);
	assert_non_null(strstr(out, "patched L1 (5 reps)"));
	assert_non_null(strstr(out, "110.0"));			/* median, not mean nor warm-up */
	assert_non_null(strstr(out, "220.0 (2.00x)"));
	assert_non_null(strstr(out, "33000.0 (30.00x)"));
	assert_non_null(strstr(out, "8.0 (4.00x)"));		/* the window, ms */
	assert_null(strstr(out, "not L"));
	assert_non_null(strstr(out, "2.00/1.00/1.00"));		/* per operation: / (1.1 x 1000) */
	free(out);
	unlink(man);
	rm_reps(dir, "patched-depth2-op2");
	rm_reps(dir, "patched-depth1");
	rm_reps(dir, "patched-depth2");
	rm_reps(dir, "not-a-depth");
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(micro_table(stderr, "/nonexistent"), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_complete),
		cmocka_unit_test(shipped_experiments),
		cmocka_unit_test(params_sized),
		cmocka_unit_test(fio_values),
		cmocka_unit_test(hackbench_parse),
		cmocka_unit_test(micro_parse),
		cmocka_unit_test(hackbench_real),
		cmocka_unit_test(micro_real),
		cmocka_unit_test(experiment_keys),
		cmocka_unit_test(rootfs_has_workload),
		cmocka_unit_test(plan_workload),
		cmocka_unit_test(reps_through_workloads),
		cmocka_unit_test(reps_perf_counts),
		cmocka_unit_test(reps_resume_other_counters),
		cmocka_unit_test(reps_kvm_exits),
		cmocka_unit_test(micro_table_ratio),
	};
	return cmocka_run_group_tests_name("workload", tests, NULL, NULL);
}
