// SPDX-License-Identifier: GPL-2.0
/*
 * compare: runs whose setups differ in what the timing depends on are
 * found (the committed references exceptions-d2 and -d3 differ in depth),
 * and the runs are paired by variant name, each run's change against its
 * own baseline, on results directories written here.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "stack/util.h"
#include "stats/report.h"
#include "stats/results.h"
#include "stats/runpairs.h"
#include "stats/setupdiff.h"

static struct nb_results *load(const char *const *dirs, size_t n)
{
	struct nb_results *r = NULL;
	struct nb_boot_opts o;
	char err[512];

	nb_boot_defaults(&o);
	if (nb_results_load_dirs(dirs, n, &r, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(nb_results_analyze(r, &o), 0);
	return r;
}

static const struct nb_setup_delta *field(const struct nb_setup_delta *d, size_t n, const char *name)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (!strcmp(d[k].field, name))
			return &d[k];
	return NULL;
}

/* depth 2 against depth 3: decisive; a run against itself: nothing at all. */
static void references_differ_in_depth(void **state)
{
	static const char *const d23[] = { "reference/exceptions-d2", "reference/exceptions-d3" };
	static const char *const d22[] = { "reference/exceptions-d2", "reference/exceptions-d2" };
	static const char *const fd3[] = { "reference/nv-fp-eret", "reference/exceptions-d3" };
	struct nb_results *r = load(d23, 2);
	struct nb_setup_delta d[32];
	const struct nb_setup_delta *x;
	size_t n = nb_setup_diff(r, 1, d, 32);

	x = field(d, n, "depth");
	assert_non_null(x);
	assert_true(x->decisive);
	assert_string_equal(x->a, "2");
	assert_string_equal(x->b, "3");
	assert_true(nb_setup_decisive(r, 1) >= 1);
	nb_results_free(r);
	r = load(fd3, 2);	/* the flagship (02aa0f7) against exceptions-d3 (8a6ef36) */
	n = nb_setup_diff(r, 1, d, 32);
	x = field(d, n, "nestbench");	/* said, never decisive */
	assert_non_null(x);
	assert_false(x->decisive);
	nb_results_free(r);
	r = load(d22, 2);
	assert_int_equal(nb_setup_diff(r, 1, d, 32), 0);
	assert_int_equal(nb_setup_decisive(r, 1), 0);
	nb_results_free(r);
}

static char dirs[2][64];

static void put(const char *dir, const char *name, const char *text)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(nb_write_file(path, text, strlen(text)), 0);
}

/* 3 boots per arm, 2 reps each: base around base_ms, patched around patched_ms. */
static void run_dir(const char *dir, double base_ms, double patched_ms, const char *manifest)
{
	static const double noise[] = { 0.002, -0.001, -0.001 };
	char *csv = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&csv, &len);
	int b, rep;

	fprintf(f, "variant,boot,rep,mode,warmup,clock,io_ns\n");
	for (b = 1; b <= 6; b++)
		for (rep = 1; rep <= 2; rep++)
			fprintf(f, "%s,%d,%d,timing,0,icount,%.0f\n", b % 2 ? "base" : "patched", b, rep,
				(b % 2 ? base_ms : patched_ms) * 1e6 * (1 + noise[(b - 1) / 2] + rep * 1e-4));
	fclose(f);
	put(dir, "reps.csv", csv);
	put(dir, "manifest.json", manifest);
	free(csv);
}

static int setup(void **state)
{
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(dirs[i], sizeof(dirs[i]), "/tmp/nb-test-compare.XXXXXX");
		if (!mkdtemp(dirs[i]))
			return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	char *argv[] = { "/bin/rm", "-rf", dirs[0], dirs[1], NULL };
	pid_t pid = nb_spawn(argv, -1, -1);
	int status;

	return pid > 0 && waitpid(pid, &status, 0) == pid && status == 0 ? 0 : -1;
}

#define MANIFEST "{ \"platform\": \"emulated\", \"clock\": \"icount\", \"depth\": 1, \"workload\": \"fio\" }"

/*
 * A: patched -10 % against A's base; B: -15 % against B's base (B's base is
 * twice A's: against A's base B's patched would be +70 %). B - A: -5 %.
 */
static void pairs_by_name(void **state)
{
	const char *const d[] = { dirs[0], dirs[1] };
	struct nb_results *r;
	const struct nb_metric *io;
	struct nb_ttest ta, tb;
	struct nb_interval x;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	run_dir(dirs[0], 100, 90, MANIFEST);
	run_dir(dirs[1], 200, 170, MANIFEST);
	r = load(d, 2);
	assert_int_equal(nb_setup_decisive(r, 1), 0);
	io = nb_results_find(r, "io_ns");
	assert_non_null(io);
	assert_int_equal(nb_run_delta(r, io, 0, "patched", &ta), 0);
	assert_int_equal(nb_run_delta(r, io, 1, "patched", &tb), 0);
	assert_true(fabs(ta.pct.est + 10) < 0.05);
	assert_true(fabs(tb.pct.est + 15) < 0.05);
	assert_int_equal(nb_run_delta(r, io, 1, "base", &tb), -ENOENT);	/* the baseline itself */
	assert_int_equal(nb_run_delta(r, io, 1, "nosuch", &tb), -ENOENT);
	x = nb_delta_diff(&ta.pct, &tb.pct);
	assert_true(fabs(x.est + 5) < 0.1);
	assert_true(x.lo < x.est && x.est < x.hi && x.hi < 0);
	f = open_memstream(&out, &len);
	nb_report_run_pairs(f, r);
	fclose(f);
	print_message("%s", out);
	assert_non_null(strstr(out, "B = "));
	assert_non_null(strstr(out, "  patched        -10.0"));
	assert_non_null(strstr(out, "-15.0"));
	assert_non_null(strstr(out, "  variant        A"));
	assert_null(strstr(out, "+70"));
	free(out);
	nb_results_free(r);
}

/* A missing manifest is decisive: nothing can be checked. */
static void missing_manifest(void **state)
{
	const char *const d[] = { dirs[0], dirs[1] };
	struct nb_setup_delta x[4];
	struct nb_results *r;
	char path[128];

	run_dir(dirs[0], 100, 90, MANIFEST);
	run_dir(dirs[1], 100, 90, "{ \"platform\": \"emulated\", \"clock\": \"icount\", \"depth\": 1, "
		"\"workload\": \"fio\", \"pin\": true }");
	r = load(d, 2);
	assert_int_equal(nb_setup_diff(r, 1, x, 4), 1);
	assert_string_equal(x[0].field, "pin");
	assert_string_equal(x[0].a, "(absent)");
	assert_true(x[0].decisive);
	nb_results_free(r);
	snprintf(path, sizeof(path), "%s/manifest.json", dirs[1]);
	unlink(path);
	r = load(d, 2);
	assert_int_equal(nb_setup_diff(r, 1, x, 4), 1);
	assert_string_equal(x[0].field, "manifest");
	assert_true(nb_setup_decisive(r, 1) == 1);
	nb_results_free(r);
}

/*
 * What counted the timing repetitions costs them time; a counter only in
 * counting repetitions does not, nor do the row flags (lost, damaged).
 */
static void timing_counters(void **state)
{
	static const struct { const char *b_rows; size_t n; const char *b; } t[] = {
		{ "base,1,1,timing,0,icount,100,,0\nbase,1,2,counting,0,icount,150,7,0\n", 0, NULL },
		{ "base,1,1,timing,0,icount,100,7,0\n", 1, "nested_eret" },
	};
	const char *const d[] = { dirs[0], dirs[1] };
	static const char head[] = "variant,boot,rep,mode,warmup,clock,io_ns,L0.nested_eret,L0.lost\n";
	struct nb_setup_delta x[4];
	struct nb_results *r;
	char csv[512];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(csv, sizeof(csv), "%sbase,1,1,timing,0,icount,100,,0\nbase,1,2,counting,0,icount,150,7,0\n", head);
		put(dirs[0], "reps.csv", csv);
		put(dirs[0], "manifest.json", MANIFEST);
		snprintf(csv, sizeof(csv), "%s%s", head, t[i].b_rows);
		put(dirs[1], "reps.csv", csv);
		put(dirs[1], "manifest.json", MANIFEST);
		r = load(d, 2);
		assert_int_equal(nb_setup_diff(r, 1, x, 4), t[i].n);
		if (t[i].n) {
			assert_string_equal(x[0].field, "timing counted by");
			assert_string_equal(x[0].a, "(absent)");
			assert_string_equal(x[0].b, t[i].b);
			assert_true(x[0].decisive);
		}
		nb_results_free(r);
	}
}

/*
 * Who ran the boots is named, never decisive: a manifest without
 * "executor" (before the lava executor) is local; two labs differ in their
 * server; a hostile URL is shown printable.
 */
static void executor_named(void **state)
{
	static const char lab[] = "{ \"platform\": \"emulated\", \"clock\": \"icount\", \"depth\": 1, "
		"\"workload\": \"fio\", \"executor\": \"lava\", \"lava\": { \"url\": \"%s\", "
		"\"device_type\": \"qemu\" } }";
	const char *const d[] = { dirs[0], dirs[1] };
	const struct nb_setup_delta *x;
	struct nb_setup_delta delta[8];
	struct nb_results *r;
	char man[512];
	size_t n;

	run_dir(dirs[0], 100, 90, MANIFEST);
	snprintf(man, sizeof(man), lab, "http://lab.example:8000/");
	run_dir(dirs[1], 100, 90, man);
	r = load(d, 2);
	n = nb_setup_diff(r, 1, delta, 8);
	assert_int_equal(n, 3);
	assert_non_null(x = field(delta, n, "executor"));
	assert_string_equal(x->a, "local");
	assert_string_equal(x->b, "lava");
	assert_false(x->decisive);
	assert_non_null(x = field(delta, n, "LAVA server"));
	assert_string_equal(x->a, "(absent)");
	assert_string_equal(x->b, "http://lab.example:8000/");
	assert_non_null(x = field(delta, n, "LAVA device type"));
	assert_string_equal(x->b, "qemu");
	assert_int_equal(nb_setup_decisive(r, 1), 0);
	nb_results_free(r);
	snprintf(man, sizeof(man), lab, "http://other.example/\\u001b[2J");
	run_dir(dirs[0], 100, 90, man);
	r = load(d, 2);
	n = nb_setup_diff(r, 1, delta, 8);
	assert_int_equal(n, 1);
	assert_string_equal(delta[0].field, "LAVA server");
	assert_string_equal(delta[0].a, "http://other.example/\\x1b[2J");	/* escaped where it is read */
	nb_results_free(r);
}

/* Quadrature of the margins; an unbounded side stays unbounded. */
static void delta_diff_table(void **state)
{
	static const struct {
		struct nb_interval a, b;
		double est, lo, hi;
	} t[] = {
		{ { -10, -13, -7 }, { -15, -19, -11 }, -5, -10, 0 },	/* margins 3 and 4: 5 */
		{ { 0, -1, 1 }, { 0, -1, 1 }, 0, -M_SQRT2, M_SQRT2 },
		{ { -10, NAN, NAN }, { -15, -19, -11 }, -5, NAN, NAN },
	};
	struct nb_interval x;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		x = nb_delta_diff(&t[i].a, &t[i].b);
		assert_true(fabs(x.est - t[i].est) < 1e-12);
		if (isnan(t[i].lo)) {
			assert_true(isnan(x.lo) && isnan(x.hi));
			continue;
		}
		assert_true(fabs(x.lo - t[i].lo) < 1e-12);
		assert_true(fabs(x.hi - t[i].hi) < 1e-12);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(references_differ_in_depth),
		cmocka_unit_test(pairs_by_name),
		cmocka_unit_test(missing_manifest),
		cmocka_unit_test(timing_counters),
		cmocka_unit_test(executor_named),
		cmocka_unit_test(delta_diff_table),
	};
	return cmocka_run_group_tests_name("compare", tests, setup, teardown);
}
