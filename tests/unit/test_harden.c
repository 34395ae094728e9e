// SPDX-License-Identifier: GPL-2.0
/*
 * Hardening (issue 15): each test feeds a class of hostile or damaged input
 * (kept under tests/fixtures/hostile/ and tests/fixtures/trace/damaged.txt)
 * and asserts what must hold: no command runs from data, no library aborts
 * the process, damage is reported, never taken as data.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/builtin.h"
#include "bench/experiment.h"
#include "bench/reps.h"
#include "workloads/fio.h"
#include "collect/analyze.h"
#include "stack/frame.h"
#include "stack/util.h"
#include "stats/csvio.h"
#include "stats/outputs.h"
#include "stats/plot.h"
#include "stats/report.h"
#include "stats/results.h"
#include "stats/stats.h"
#include "tests/unit/fixtures.h"

#define HOSTILE "tests/fixtures/hostile/"

static int exists(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* Runs build/nestbench ARGS with output to out; the raw wait status. */
static int run_nestbench(char *const argv[], const char *out)
{
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644), status;
	pid_t pid;

	assert_true(fd >= 0);
	pid = nb_spawn(argv, fd, -1);
	close(fd);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

/*
 * 1. Data never runs as a command: not through gnuplot, not from names. A
 * clock is one of a set (issue 23), so a clock of shell text is refused where
 * it is read; labels still reach gnuplot only single-quoted.
 */
static void gnuplot_never_runs_data(void **state)
{
	char *dir = nb_test_tmpdir("harden"), *cwd = getcwd(NULL, 0), err[512], src[PATH_MAX], *gp = NULL;
	struct nb_results *r;
	size_t len = 0;
	FILE *f;

	assert_int_equal(chdir(dir), 0);	/* where a leaked `touch` would land */
	snprintf(src, sizeof(src), "%s/" HOSTILE "results-clock-cmd", cwd);
	assert_int_equal(nb_results_load(src, &r, err, sizeof(err)), -EINVAL);
	assert_int_equal(chdir(cwd), 0);
	assert_non_null(strstr(err, "reps.csv:2: clock is 'ic`touch PWNED`$(touch PWNED2)', expected "
			       "icount, tcg-wall or host"));
	assert_false(exists(dir, "PWNED"));
	assert_false(exists(dir, "PWNED2"));
	f = open_memstream(&gp, &len);
	nb_gp_str(f, "ic`touch PWNED`'$(x)\n");
	fclose(f);
	assert_string_equal(gp, "'ic`touch PWNED`''$(x)'.\"\\n\".''");
	free(gp);
	nb_test_rm_rf(dir);
	free(dir);
	free(cwd);
}

static void names_checked_where_they_enter(void **state)
{
	static const char *const bad[] = { "", ".x", "-x", "a b", "a`b`", "a$(b)", "../x",
					   "a/b", "a\"b", "a'b", "a\nb", "x;y" };
	struct nb_results *r;
	struct experiment e;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(nb_name_check(bad[i]), -EINVAL);
	assert_int_equal(nb_name_check("nv-fp_eret.v2+x"), 0);
	assert_int_equal(nb_results_load(HOSTILE "results-variant-cmd", &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "reps.csv:10: variant 'p`touch PWNED`' is not a name"));
	assert_int_equal(exp_load(HOSTILE "exp/variant-cmd.ini", &e, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "variant-cmd.ini:3: variant name"));
}

/* 2. Library error handlers: GSL (through the real binary, whose main turns it off), json-c. */
static void gsl_extremes_do_not_abort(void **state)
{
	static const struct { const char *a, *b; int rc; const char *msg; } cases[] = {
		{ HOSTILE "numbers-1e100.txt", HOSTILE "numbers-small.txt", 0, "verdict" },
		{ HOSTILE "numbers-tiny.txt", HOSTILE "numbers-1e100.txt", 0, "verdict" },
		{ HOSTILE "numbers-1e308.txt", HOSTILE "numbers-small.txt", 1, "numbers-1e308.txt:2: '1e308' is beyond" },
	};
	char out[] = "/tmp/nb-harden-out-XXXXXX", *text;
	size_t i;
	int fd = mkstemp(out), status;

	assert_true(fd >= 0);
	close(fd);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[] = { "build/nestbench", "stats", (char *)cases[i].a, (char *)cases[i].b, NULL };

		status = run_nestbench(argv, out);
		assert_true(WIFEXITED(status));		/* not SIGABRT from gsl_error */
		assert_int_equal(WEXITSTATUS(status), cases[i].rc);
		text = nb_read_file(out, NULL);
		assert_non_null(strstr(text, cases[i].msg));
		free(text);
	}
	unlink(out);
}

static void fio_json_types_checked(void **state)
{
	static const char *const files[] = {
		"fio-jobs-object.json", "fio-jobs-number.json", "fio-job-number.json",
		"fio-read-array.json", "fio-ios-string.json", "fio-runtime-negative.json",
	};
	char path[256], *text;
	struct fio_result r;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), HOSTILE "%s", files[i]);
		text = nb_read_file(path, NULL);
		assert_non_null(text);
		assert_int_equal(fio_parse(text, &r), -EINVAL);
		assert_true(r.ios == 0 && r.iops == 0);
		free(text);
	}
}

/* 3, 4. Damaged traces: "file offset xor" lines of tests/fixtures/trace/damaged.txt. */
struct damage {
	char name[32], src[128];
	long off;
	unsigned int xor;
};

static int damage_get(const char *name, struct damage *d)
{
	char *text = nb_read_file("tests/fixtures/trace/damaged.txt", NULL), *line, *save = NULL;
	int found = 0;

	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line && !found; line = strtok_r(NULL, "\n", &save))
		found = line[0] != '#' && sscanf(line, "%31s %127s %li %x", d->name, d->src,
						 &d->off, &d->xor) == 4 && !strcmp(d->name, name);
	free(text);
	return found ? 0 : -ENOENT;
}

/* Writes the damaged copy to a temporary file; returns its path (caller frees). */
static char *damaged_trace(const char *name)
{
	char path[256], *out = strdup("/tmp/nb-harden-trace-XXXXXX");
	struct damage d;
	size_t len;
	char *buf;
	int fd;

	assert_int_equal(damage_get(name, &d), 0);
	snprintf(path, sizeof(path), "tests/fixtures/trace/%s", d.src);
	buf = nb_read_file(path, &len);
	assert_non_null(buf);
	assert_true(d.off >= 0 && (size_t)d.off < len);
	buf[d.off] ^= d.xor;
	fd = mkstemp(out);
	assert_true(fd >= 0);
	assert_int_equal(nb_write_all(fd, buf, len), 0);
	close(fd);
	free(buf);
	return out;
}

static void trace_reader_crash_is_contained(void **state)
{
	char *path = damaged_trace("reader-crash"), why[256] = "";
	struct nb_counts c;

	assert_int_equal(nb_analyze_isolated(path, 0, &c, why, sizeof(why)), -ECHILD);
	print_message("# %s\n", why);
	assert_non_null(strstr(why, "signal"));
	/* the intact file through the same path */
	assert_int_equal(nb_analyze_isolated("tests/fixtures/trace/nvloop-base.dat", 0, &c,
					     why, sizeof(why)), 0);
	assert_int_equal(c.events, 4638);
	assert_int_equal(c.damaged, 0);
	unlink(path);
	free(path);
}

static void trace_damage_is_counted(void **state)
{
	static const struct { const char *name; int missing, unknown; } cases[] = {
		{ "events-missing", 1, 0 },
		{ "unknown-ids", 0, 1 },
	};
	static const char *const intact[] = { "nested-d2-base.dat", "nested-d2-patched.dat",
		"nvloop-base.dat", "nvloop-patched.dat", "nvloop-base-lost.dat" };
	char p[128], why[256];
	struct nb_counts c;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = damaged_trace(cases[i].name);

		assert_int_equal(nb_analyze_isolated(path, 0, &c, why, sizeof(why)), 0);
		print_message("# %s: events %llu expected %llu unknown %llu damaged %llu\n",
			      cases[i].name, (unsigned long long)c.events,
			      (unsigned long long)c.expected, (unsigned long long)c.unknown,
			      (unsigned long long)c.damaged);
		assert_true(c.damaged > 0);
		assert_int_equal(c.expected > c.events, cases[i].missing);
		assert_int_equal(c.unknown > 0, cases[i].unknown);
		unlink(path);
		free(path);
	}
	for (i = 0; i < sizeof(intact) / sizeof(intact[0]); i++) {
		snprintf(p, sizeof(p), "tests/fixtures/trace/%s", intact[i]);
		assert_int_equal(nb_analyze_file(p, 0, &c), 0);
		assert_int_equal(c.damaged, 0);
		assert_int_equal(c.expected, c.events);
	}
}

static void damaged_rows_flagged(void **state)
{
	struct nb_boot_opts o = { .seed = 1, .resamples = 200 };
	const struct nb_metric *m;
	struct nb_results *r;
	char err[512];
	size_t i, v;
	int noted = 0;

	assert_int_equal(nb_results_load(HOSTILE "results-trace-damaged", &r, err, sizeof(err)), 0);
	assert_int_equal(nb_results_analyze(r, &o), 0);
	for (i = 0; i < nb_results_nnotes(r); i++)
		noted |= !!strstr(nb_results_note(r, i), "reps.csv:16: patched boot 2 rep 7: trace damaged at L0");
	assert_true(noted);
	m = nb_results_find(r, "L0.fp_save");
	assert_non_null(m);
	for (v = 0; v < nb_results_nvariants(r); v++)	/* 4 counting rows each: one lost, one damaged */
		if (!strcmp(nb_results_variant(r, v), "patched"))
			assert_int_equal(m->s[v].n, 2);
	assert_null(nb_results_find(r, "L0.damaged"));	/* a flag, not a metric */
	nb_results_free(r);
}

/* 5. Numbers: the whole string, in range, or a clear error. */
static void strict_numbers(void **state)
{
	static const struct { const char *s; long min, max; int ret; long v; } ints[] = {
		{ "42", 0, 100, 0, 42 }, { " 7\n", 0, 100, 0, 7 }, { "-3", -5, 5, 0, -3 },
		{ "x", 0, 100, -EINVAL, 0 }, { "", 0, 100, -EINVAL, 0 }, { "12abc", 0, 100, -EINVAL, 0 },
		{ "1.5", 0, 100, -EINVAL, 0 }, { "1e3", 0, 10000, -EINVAL, 0 }, { "0x10", 0, 100, -EINVAL, 0 },
		{ "101", 0, 100, -ERANGE, 0 }, { "-1", 0, 100, -ERANGE, 0 },
		{ "4294967298", 0, INT_MAX, -ERANGE, 0 }, { "99999999999999999999", LONG_MIN, LONG_MAX, -ERANGE, 0 },
		{ "- 1", -5, 5, -EINVAL, 0 }, { "--1", -5, 5, -EINVAL, 0 },
	};
	char err[256];
	size_t i;
	long v;
	double d;

	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		v = -999;
		assert_int_equal(nb_parse_long(ints[i].s, ints[i].min, ints[i].max, &v), ints[i].ret);
		if (!ints[i].ret)
			assert_int_equal(v, ints[i].v);
	}
	assert_int_equal(nb_parse_real("nan", 0, 100, &d), -EINVAL);
	assert_int_equal(nb_parse_real("inf", 0, 100, &d), -EINVAL);
	assert_int_equal(nb_parse_real("-0.5", 0, 100, &d), -ERANGE);
	assert_int_equal(nb_parse_real("2.5", 0, 100, &d), 0);
	assert_true(d == 2.5);
	nb_parse_error(err, sizeof(err), "--timeout", "x", -EINVAL, 0, 60);
	assert_string_equal(err, "--timeout 'x': not a whole number (expected 0..60)");
}

static void strict_numbers_at_entry(void **state)
{
	char *argv[] = { "run", "--timeout", "x", NULL };
	struct nb_results *r;
	struct run_cfg;
	char err[512];

	assert_int_equal(nb_results_load(HOSTILE "results-bad-boot", &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "reps.csv:4: boot 'x' is not a boot number"));
	assert_int_equal(cmd_run(3, argv), 2);	/* was atoi: 0, "no limit" */
	argv[1] = "--mem";
	argv[2] = "L0=lots";
	assert_int_equal(cmd_run(3, argv), 2);
}

/* 6. Experiment files: each rejected with file:line and the real reason, no directory made. */
static void hostile_experiments(void **state)
{
	static const struct { const char *file, *msg; } cases[] = {
		{ "long-line.ini", ":3: line of 213 characters" },
		{ "nul-byte.ini", ":2: a NUL byte" },
		{ "negative-reps.ini", ":3: reps '-1': out of range" },
		{ "negative-warmup.ini", ":3: warmup '-3': out of range" },
		{ "target-ci-nan.ini", ":3: target_ci 'nan'" },
		{ "empty-variant.ini", ":3: variant name ''" },
		{ "kernels-deeper.ini", ":5: variant a names a kernel for a level deeper than depth 2" },
		{ "duplicate-variant.ini", ":5: [variant a] appears twice" },
		{ "duplicate-key.ini", ":5: key 'reps' of [experiment] is given twice" },
		{ "name-traversal.ini", ":2: name '../../x'" },
		{ "boots-wrap.ini", ":3: boots '4294967298': out of range" },
		{ "boots-junk.ini", ":3: boots '3x': not a whole number" },
		{ "kernel-traversal.ini", ":4: kernel '../../etc'" },
	};
	char path[256], err[512], *root = nb_test_tmpdir("harden");
	struct experiment e;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[] = { "experiment", "--results", root, path, NULL };
		DIR *d;
		int entries = 0;

		snprintf(path, sizeof(path), HOSTILE "exp/%s", cases[i].file);
		assert_int_equal(exp_load(path, &e, err, sizeof(err)), -EINVAL);
		print_message("# %s\n", err);
		assert_non_null(strstr(err, path));
		assert_non_null(strstr(err, cases[i].msg));
		assert_int_equal(cmd_experiment(4, argv), 2);
		d = opendir(root);
		assert_non_null(d);
		while (readdir(d))
			entries++;
		closedir(d);
		assert_int_equal(entries, 2);	/* . and .. only */
	}
	nb_test_rm_rf(root);
	free(root);
}

static void results_dirs_never_shared(void **state)
{
	char *root = nb_test_tmpdir("harden"), path[PATH_MAX], a[PATH_MAX], b[PATH_MAX], c[PATH_MAX];

	snprintf(path, sizeof(path), "%s/exp/20260101-000000", root);
	assert_int_equal(nb_mkdir_new(path, a, sizeof(a)), 0);
	assert_int_equal(nb_mkdir_new(path, b, sizeof(b)), 0);
	assert_int_equal(nb_mkdir_new(path, c, sizeof(c)), 0);
	assert_string_equal(a, path);
	assert_true(strcmp(a, b) && strcmp(b, c) && strcmp(a, c));
	assert_non_null(strstr(b, "-2"));
	nb_test_rm_rf(root);
	free(root);
}

/* 7. A flipped bit in a length field must not hide the frames behind it. */
static void frame_bad_length_resyncs(void **state)
{
	static const uint32_t flips[] = { 1u << 8, 1u << 12, 1u << 20, 1u << 25 };
	uint8_t buf[512];
	size_t i, n, first;
	int got;

	for (i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		struct nb_decoder *d = nb_decoder_create();
		struct nb_frame f;

		first = nb_frame_encode(buf, NB_F_STATUS, 1, 1, "damaged one", 11);
		n = first + nb_frame_encode(buf + first, NB_F_STATUS, 1, 2, "intact two", 10);
		n += nb_frame_encode(buf + n, NB_F_DONE, 1, 3, "three", 5);
		buf[8] ^= flips[i] & 0xff;	/* len is little-endian at offset 8 */
		buf[9] ^= (flips[i] >> 8) & 0xff;
		buf[10] ^= (flips[i] >> 16) & 0xff;
		buf[11] ^= (flips[i] >> 24) & 0xff;
		assert_int_equal(nb_decoder_feed(d, buf, n), 0);
		for (got = 0; nb_decoder_next(d, &f); got++) {
			assert_int_equal(f.seq, got + 2);
			nb_frame_release(&f);
		}
		assert_int_equal(got, 2);
		assert_int_equal(nb_decoder_bad_crc(d), 1);
		assert_int_equal(nb_decoder_skipped(d), first);
		assert_int_equal(nb_decoder_pending(d), 0);
		nb_decoder_free(d);
	}
}

/* 8. Cost: seconds, not hours, for 10^5 values a side; a 200k-column header. */
static double secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void bootstrap_large_n(void **state)
{
	struct nb_boot_opts o = { .seed = 7, .resamples = 2000 };
	size_t n = 200000, i;
	double *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b)), t, half, theory;
	struct nb_bootstrap bs;

	for (i = 0; i < n; i++) {	/* uniform +-10 around 1000 and 1010: sd 5.77 */
		a[i] = 1000 + 20.0 * ((i * 7919) % n) / n - 10;
		b[i] = 1010 + 20.0 * ((i * 104729) % n) / n - 10;
	}
	t = secs();
	assert_int_equal(nb_bootstrap_ratio(a, n, b, n, &o, &bs), 0);
	t = secs() - t;
	print_message("# bootstrap of 2 x %zu values, 2000 resamples: %.2f s\n", n, t);
	assert_true(t < 30);	/* the full n-draw bootstrap took minutes here */
	half = (bs.mean_pct.hi - bs.mean_pct.lo) / 2;
	theory = 1.96 * sqrt(2 * (400.0 / 12) / n) / 1000 * 100;
	assert_true(bs.mean_pct.lo < 1.0 && bs.mean_pct.hi > 1.0);
	assert_true(half > 0.7 * theory && half < 1.3 * theory);
	free(a);
	free(b);
}

static char *wide_csv(size_t cols, int dup)
{
	char *path = strdup("/tmp/nb-harden-wide-XXXXXX");
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	size_t i;

	assert_non_null(f);
	for (i = 0; i < cols; i++)
		fprintf(f, "c%zu%s", dup && i == cols - 1 ? 7 : i, i + 1 < cols ? "," : "\n");
	for (i = 0; i < cols; i++)
		fprintf(f, "%zu%s", i, i + 1 < cols ? "," : "\n");
	fclose(f);
	return path;
}

static void wide_csv_header(void **state)
{
	char *ok = wide_csv(200000, 0), *dup = wide_csv(200000, 1), err[512];
	struct nb_table *t;
	double t0 = secs();

	assert_int_equal(nb_table_read(ok, &t, err, sizeof(err)), 0);
	assert_int_equal(nb_table_col(t, "c199999"), 199999);
	assert_int_equal(nb_table_col(t, "c0"), 0);
	assert_int_equal(nb_table_col(t, "c200000"), -ENOENT);
	nb_table_free(t);
	assert_int_equal(nb_table_read(dup, &t, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":1: column 'c7' appears twice"));
	t0 = secs() - t0;
	print_message("# two 200000-column CSVs read in %.2f s\n", t0);
	assert_true(t0 < 10);	/* the pairwise check took a minute */
	unlink(ok);
	unlink(dup);
	free(ok);
	free(dup);
}

/* 9. A full disk (here: a file size limit) leaves the previous outputs whole. */
static void outputs_whole_or_not_at_all(void **state)
{
	static const char *const outs[] = { "summary.csv", "summary.json", "report.txt" };
	struct nb_boot_opts o = { .seed = 1, .resamples = 200 };
	char *dir = nb_test_tmpdir("harden"), err[512], path[PATH_MAX], *before[3], *after;
	struct nb_results *r;
	struct rlimit lim = { 4096, 4096 };
	int status, i;
	pid_t pid;

	assert_int_equal(nb_results_load("tests/fixtures/results-shift", &r, err, sizeof(err)), 0);
	assert_int_equal(nb_results_analyze(r, &o), 0);
	nb_report_write_all(r, &o, dir, err, sizeof(err));
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, outs[i]);
		before[i] = nb_read_file(path, NULL);
		assert_non_null(before[i]);
	}
	pid = fork();
	if (!pid) {	/* rewrite under a 4 KiB file size limit: summary.json is larger */
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &lim);
		o.seed = 2;	/* different numbers, so a partial write would show */
		nb_results_analyze(r, &o);
		_exit(nb_report_write_all(r, &o, dir, err, sizeof(err)) && strstr(err, "File too large") ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);	/* failed, with the real cause */
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, outs[i]);
		after = nb_read_file(path, NULL);
		assert_non_null(after);
		assert_string_equal(after, before[i]);
		free(after);
		free(before[i]);
	}
	nb_results_free(r);
	nb_test_rm_rf(dir);
	free(dir);
}

static void enospc_named(void **state)
{
	int fd = open("/dev/full", O_WRONLY);
	char buf[8192] = { 0 };

	if (fd < 0)
		skip();
	assert_int_equal(nb_write_all(fd, buf, sizeof(buf)), -ENOSPC);
	close(fd);
	assert_string_equal(strerror(ENOSPC), "No space left on device");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gnuplot_never_runs_data),
		cmocka_unit_test(names_checked_where_they_enter),
		cmocka_unit_test(gsl_extremes_do_not_abort),
		cmocka_unit_test(fio_json_types_checked),
		cmocka_unit_test(trace_reader_crash_is_contained),
		cmocka_unit_test(trace_damage_is_counted),
		cmocka_unit_test(damaged_rows_flagged),
		cmocka_unit_test(strict_numbers),
		cmocka_unit_test(strict_numbers_at_entry),
		cmocka_unit_test(hostile_experiments),
		cmocka_unit_test(results_dirs_never_shared),
		cmocka_unit_test(frame_bad_length_resyncs),
		cmocka_unit_test(bootstrap_large_n),
		cmocka_unit_test(wide_csv_header),
		cmocka_unit_test(outputs_whole_or_not_at_all),
		cmocka_unit_test(enospc_named),
	};
	return cmocka_run_group_tests_name("harden", tests, NULL, NULL);
}
