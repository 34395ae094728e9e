// SPDX-License-Identifier: GPL-2.0
/*
 * Results directories in, report out: the synthetic fixtures in
 * tests/fixtures/results-* follow docs/results-format.md (run from the top
 * of the tree, as tests/run.sh does).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "stats/csvio.h"
#include "stats/report.h"
#include "stats/results.h"

#define SHIFT	"tests/fixtures/results-shift"
#define NODIFF	"tests/fixtures/results-nodiff"

static struct nb_results *load(const char *dir)
{
	struct nb_results *r = NULL;
	struct nb_boot_opts o;
	char err[512];

	nb_boot_defaults(&o);
	if (nb_results_load(dir, &r, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(nb_results_analyze(r, &o), 0);
	return r;
}

static const struct nb_metric *metric(const struct nb_results *r, const char *key)
{
	const struct nb_metric *m = nb_results_find(r, key);

	assert_non_null(m);
	return m;
}

static size_t variant(const struct nb_results *r, const char *name)
{
	size_t v;

	for (v = 0; v < nb_results_nvariants(r); v++)
		if (!strcmp(nb_results_variant(r, v), name))
			return v;
	fail_msg("no variant %s", name);
	return 0;
}

static int has_note(const struct nb_results *r, const char *text)
{
	size_t i;

	for (i = 0; i < nb_results_nnotes(r); i++)
		if (strstr(nb_results_note(r, i), text))
			return 1;
	return 0;
}

/* Warm-ups out, counting rows only in counters, lost events dropped. */
static void rows_sorted(void **state)
{
	struct nb_results *r = load(SHIFT);
	size_t base = variant(r, "base"), pat = variant(r, "patched");
	const struct nb_metric *io = metric(r, "io_ns");
	const struct nb_metric *fp = metric(r, "L0.fp_per_transition");

	assert_int_equal(nb_results_baseline(r), base);
	assert_int_equal(nb_results_counts(r, pat)->warmup, 2);
	assert_int_equal(nb_results_counts(r, pat)->timing, 10);
	assert_int_equal(nb_results_counts(r, pat)->counting, 4);
	assert_int_equal(nb_results_counts(r, pat)->lost, 1);
	assert_int_equal(nb_results_counts(r, pat)->boots_failed, 1);
	assert_int_equal(io->s[base].n, 10);
	assert_int_equal(io->s[pat].n, 10);
	assert_string_equal(io->clock, "icount");
	assert_string_equal(io->label, "io time (icount clock)");
	assert_int_equal(fp->s[base].n, 4);
	assert_int_equal(fp->s[pat].n, 3);
	assert_true(has_note(r, "reps.csv:33: patched boot 4 rep 8 lost 37 trace events at L0"));
	assert_true(has_note(r, "boots.csv:14: patched boot 5: L2 failed (boot timeout)"));
	nb_results_free(r);
}

/* A clear shift: significant, the right sign, the CI on one side of 0. */
static void shift_detected(void **state)
{
	struct nb_results *r = load(SHIFT);
	const struct nb_series *s = &metric(r, "io_ns")->s[variant(r, "patched")];
	const struct nb_metric *fp = metric(r, "L0.fp_per_transition");

	assert_true(s->has_cmp && s->cmp.significant);
	assert_true(s->cmp.delta_pct < -10 && s->cmp.delta_pct > -15);
	assert_true(s->cmp.boot.mean_pct.hi < 0);
	assert_true(fp->s[variant(r, "base")].sum.median > 2.5);
	assert_true(fp->s[variant(r, "patched")].sum.median < 0.1);
	nb_results_free(r);
}

/*
 * The same io_ns values in both variants, columns in reverse order and the
 * baseline second in the file: found by name, no difference.
 */
static void identical_no_difference(void **state)
{
	struct nb_results *r = load(NODIFF);
	size_t base = variant(r, "base");
	const struct nb_series *s = &metric(r, "io_ns")->s[variant(r, "patched")];

	assert_int_equal(base, 1);
	assert_int_equal(nb_results_baseline(r), base);
	assert_true(s->has_cmp && !s->cmp.significant);
	assert_true(s->cmp.delta_pct == 0 && s->cmp.welch.p == 1);
	assert_true(s->cmp.mwu.p == 1);
	nb_results_free(r);
}

static void pair_renames_and_warns(void **state)
{
	struct nb_results *r = NULL;
	char err[512];

	assert_int_equal(nb_results_load_pair(SHIFT, NODIFF, &r, err, sizeof(err)), 0);
	assert_int_equal(nb_results_ndirs(r), 2);
	assert_int_equal(nb_results_nvariants(r), 4);
	assert_string_equal(nb_results_variant(r, 2), "patched (B)");
	assert_string_equal(nb_results_variant(r, 3), "base (B)");
	assert_string_equal(nb_results_variant(r, nb_results_baseline(r)), "base");
	nb_results_free(r);
}

/* Writes text as DIR/name. */
static void put(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void rmtree(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

#define HDR "experiment,variant,kernels,platform,clock,boot,rep,mode,warmup,io_ns\n"

static void bad_inputs(void **state)
{
	static const struct { const char *reps, *msg; } cases[] = {
		{ HDR "e,base,k,emulated,icount,1,1,timing,0,1e9\n"
		  "e,base,k,emulated,icount,1,2,timing,0\n", "reps.csv:3: 9 fields, the header has 10" },
		{ HDR "e,base,k,emulated,icount,1,1,timing,0,fast\n", "reps.csv:2: column io_ns: 'fast' is not a number" },
		{ HDR "e,base,k,emulated,icount,1,1,timing,0,nan\n", "reps.csv:2: column io_ns: 'nan' is not a finite number" },
		{ HDR "e,base,k,emulated,icount,1,1,tracing,0,1e9\n", "reps.csv:2: mode is 'tracing'" },
		{ HDR "e,base,k,emulated,icount,1,1,timing,yes,1e9\n", "reps.csv:2: warmup is 'yes'" },
		{ "variant,mode,warmup,boot,rep,clock\nbase,timing,0,1,1,icount\n", "reps.csv:1: no column 'io_ns'" },
		{ HDR, "reps.csv: no rows" },
	};
	char dir[] = "/tmp/nb-test-report-XXXXXX", err[512];
	struct nb_results *r = NULL;
	size_t i;

	assert_non_null(mkdtemp(dir));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		put(dir, "reps.csv", cases[i].reps);
		assert_true(nb_results_load(dir, &r, err, sizeof(err)) < 0);
		print_message("# %s\n", err);
		assert_non_null(strstr(err, cases[i].msg));
	}
	rmtree(dir);
	assert_int_equal(nb_results_load("/nonexistent", &r, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/reps.csv: No such file"));
}

static int exists(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !stat(path, &st) && st.st_size > 0;
}

static char *slurp(const char *dir, const char *name)
{
	char path[PATH_MAX], *buf = calloc(1, 1 << 20);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(buf);
	fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	return buf;
}

static void write_all(const char *in, char *out)
{
	struct nb_results *r = load(in);
	struct nb_boot_opts o;
	char err[512];

	nb_boot_defaults(&o);
	assert_non_null(mkdtemp(out));
	if (nb_report_write_all(r, &o, out, err, sizeof(err)))
		fail_msg("%s", err);
	nb_results_free(r);
}

/* Every output exists; report.txt says what the data say. */
static void report_outputs(void **state)
{
	static const char *const files[] = {
		"summary.csv", "summary.json", "report.txt",
		"io-time-icount.png", "io-time-icount.svg", "io-time-host-wall.png",
		"io-time-host-wall.svg", "fp-per-transition.png", "fp-per-transition.svg",
		"boot-times.png", "boot-times.svg",
	};
	char out[] = "/tmp/nb-test-report-XXXXXX";
	char *txt;
	size_t i;

	write_all(SHIFT, out);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!exists(out, files[i]))
			fail_msg("%s/%s missing or empty", out, files[i]);
	txt = slurp(out, "report.txt");
	assert_non_null(strstr(txt, "Emulated numbers are not hardware numbers"));
	assert_non_null(strstr(txt, "verdict: patched vs base"));
	assert_non_null(strstr(txt, "\n  io time (icount clock), means of boots -12."));
	assert_non_null(strstr(txt, "\n  io time (host wall clock), means of boots -12."));
	assert_non_null(strstr(txt, ", Welch p=2e-4, n=2+2)\n"));
	assert_non_null(strstr(txt, "FP saves per nested transition at L0: 2.8"));
	assert_non_null(strstr(txt, "  kernels     base      7.2.12, config 5f0c8e4a9b7d, no patch"));
	assert_non_null(strstr(txt, "lost 37 trace events"));
	free(txt);
	rmtree(out);
}

static void report_no_difference(void **state)
{
	char out[] = "/tmp/nb-test-report-XXXXXX";
	char *txt;

	write_all(NODIFF, out);
	txt = slurp(out, "report.txt");
	assert_non_null(strstr(txt, "\n  io time (icount clock), means of boots: no significant difference (p=1, n=2+2;"));
	free(txt);
	rmtree(out);
}

/*
 * Identical arms, repetitions that nearly repeat inside a boot, boots at
 * different levels (what an A/A run at depth 1 produced in CI): counted as
 * repetitions, Welch calls it significant; counted as boots, it is not.
 */
static void report_boot_is_the_unit(void **state)
{
	char out[] = "/tmp/nb-test-report-XXXXXX";
	char *txt;

	write_all("tests/fixtures/results-pseudorep", out);
	txt = slurp(out, "report.txt");
	assert_non_null(strstr(txt, "\n  io time (icount clock), means of boots: no significant difference ("));
	assert_non_null(strstr(txt, "n=2+2;"));
	free(txt);
	rmtree(out);
}

/* summary.csv and summary.json read back and agree with the analysis. */
static void summaries_read_back(void **state)
{
	char out[] = "/tmp/nb-test-report-XXXXXX", path[PATH_MAX], err[512];
	struct json_object *j, *ms, *m, *x;
	struct nb_table *t;
	size_t row;
	int found = 0;

	write_all(SHIFT, out);
	snprintf(path, sizeof(path), "%s/summary.csv", out);
	assert_int_equal(nb_table_read(path, &t, err, sizeof(err)), 0);
	for (row = 0; row < nb_table_rows(t); row++)
		if (!strcmp(nb_table_cell(t, row, nb_table_col(t, "metric")), "io_ns") &&
		    !strcmp(nb_table_cell(t, row, nb_table_col(t, "variant")), "patched")) {
			assert_string_equal(nb_table_cell(t, row, nb_table_col(t, "n")), "10");
			assert_string_equal(nb_table_cell(t, row, nb_table_col(t, "significant")), "1");
			assert_true(atof(nb_table_cell(t, row, nb_table_col(t, "delta_pct"))) < -10);
			found++;
		}
	assert_int_equal(found, 1);
	nb_table_free(t);
	snprintf(path, sizeof(path), "%s/summary.json", out);
	j = json_object_from_file(path);
	assert_non_null(j);
	assert_true(json_object_object_get_ex(j, "metrics", &ms));
	m = json_object_array_get_idx(ms, 0);
	assert_string_equal(json_object_get_string(json_object_object_get(m, "key")), "io_ns");
	assert_true(json_object_object_get_ex(json_object_object_get(m, "variants"), "patched", &x));
	x = json_object_object_get(json_object_object_get(x, "compare"), "delta_pct");
	assert_true(json_object_get_double(x) < -10);
	json_object_put(j);
	rmtree(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows_sorted),
		cmocka_unit_test(shift_detected),
		cmocka_unit_test(identical_no_difference),
		cmocka_unit_test(pair_renames_and_warns),
		cmocka_unit_test(bad_inputs),
		cmocka_unit_test(report_outputs),
		cmocka_unit_test(report_no_difference),
		cmocka_unit_test(report_boot_is_the_unit),
		cmocka_unit_test(summaries_read_back),
	};
	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
