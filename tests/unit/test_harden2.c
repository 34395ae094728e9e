// SPDX-License-Identifier: GPL-2.0
/*
 * Hardening, second round (issue 23): the newer inputs. One test (or a
 * table) per class of defect, each fed its fixture under
 * tests/fixtures/hostile/, asserting what must hold for the whole class.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/builtin.h"
#include "bench/doctor.h"
#include "bench/experiment.h"
#include "bench/expcheck.h"
#include "stack/platform.h"
#include "collect/counters.h"
#include "collect/excount.h"
#include "collect/kvmexits.h"
#include "collect/perfparse.h"
#include "stack/util.h"
#include "stats/csvio.h"
#include "stats/model.h"
#include "stats/report.h"
#include "stats/results.h"
#include "stats/stats.h"
#include "tests/unit/fixtures.h"

#define HOSTILE "tests/fixtures/hostile/"
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The report of dir, whole, or NULL when it does not load (caller frees). */
static char *report_of(const char *dir)
{
	struct nb_boot_opts o = { .seed = 1, .resamples = 200 };
	struct nb_results *r;
	char err[512], *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (nb_results_load(dir, &r, err, sizeof(err)))
		return NULL;
	assert_int_equal(nb_results_analyze(r, &o), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(nb_write_report(r, &o, f), 0);
	fclose(f);
	nb_results_free(r);
	return buf;
}

static char *read_in(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return nb_read_file(path, NULL);
}

/* s (up to a '%' or the end) reads back as v within 0.1 %. */
static void reads_back(const char *s, double v)
{
	char *end;
	double x = strtod(s, &end);

	assert_true(end > s);
	assert_true(fabs(x - v) <= 1e-3 * fabs(v));
}

/* 1. Formatting: the text fits the real buffer and reads back, at any magnitude. */
static void numbers_never_cut(void **state)
{
	static const double v[] = { 1e34, 9.99e14, 1e15, -3.3e20, 1e300, -1e308, 12345.6 };
	static const double pct[] = { 1e42, -99.0, 3e300, -1e20 };
	char buf[NB_FMT_LEN + 8], d[NB_FMT_LEN + 8], ci[2 * NB_FMT_LEN + 8];
	size_t i;

	for (i = 0; i < N(v); i++) {
		memset(buf, 'x', sizeof(buf));
		nb_fmt_num(buf, NB_FMT_LEN, v[i]);
		assert_true(strlen(buf) < NB_FMT_LEN);
		assert_int_equal(buf[NB_FMT_LEN], 'x');
		reads_back(buf, v[i]);
	}
	for (i = 0; i < N(pct); i++) {
		struct nb_interval in = { pct[i], pct[i] * 0.5, pct[i] * 2 };

		memset(d, 'x', sizeof(d));
		nb_fmt_change(d, NB_FMT_LEN, ci, 2 * NB_FMT_LEN, pct[i], &in);
		assert_int_equal(d[NB_FMT_LEN], 'x');
		reads_back(d, pct[i]);
		reads_back(ci, in.lo);
		reads_back(strstr(ci, " .. ") + 4, in.hi);
	}
}

/* ... and so through report: a change of ~1e42 %, times of 1e34 ns. */
static void report_prints_huge_numbers_whole(void **state)
{
	char *rep = report_of(HOSTILE "results-huge");

	assert_non_null(rep);
	assert_non_null(strstr(rep, " +1.008e42% "));	/* the table's delta */
	assert_non_null(strstr(rep, " 1.025e34 "));	/* the patched median, ms */
	assert_non_null(strstr(rep, " 2e28 "));		/* host_ns 2e34 ns in ms */
	free(rep);
}

/* The model's plot of a results directory, through the results model. */
static int plot_dir(const char *dir, const char *out, int *made, char *err, size_t len)
{
	struct nb_results *r;
	int ret = nb_results_load(dir, &r, err, len);

	if (ret)
		return ret;
	ret = nb_model_plot_results(r, out, made, err, len);
	nb_results_free(r);
	return ret;
}

/* 5. model-sensitivity.dat under a 2 KiB file size limit (the .gp fits): the old one stays whole. */
static void model_outputs_whole_or_not_at_all(void **state)
{
	char *dir = nb_test_tmpdir("harden2"), err[512], *before, *after;
	struct rlimit lim = { 2048, 2048 };
	int made = 0, status;
	pid_t pid;

	assert_int_equal(plot_dir("tests/fixtures/results-exc", dir, &made, err,
					   sizeof(err)), 0);
	before = read_in(dir, "model-sensitivity.dat");
	assert_non_null(before);
	assert_true(strlen(before) > 2048);
	pid = fork();
	if (!pid) {
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &lim);
		_exit(plot_dir("tests/fixtures/results-exc", dir, &made, err, sizeof(err)) &&
		      strstr(err, "model-sensitivity.dat: File too large") ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	after = read_in(dir, "model-sensitivity.dat");
	assert_non_null(after);
	assert_string_equal(after, before);
	free(after);
	free(before);
	nb_test_rm_rf(dir);
	free(dir);
}

/* 9. Counts parse into 0..NB_COUNT_MAX: never the "none" sentinel, sums never wrap. */
#define ERET(n) n ",,kvm:kvm_nested_eret,4021110,100.00,,\n"
#define EXC(n) n ",,kvm:kvm_inject_nested_exception,4021110,100.00,,\n"
#define FP "2311,,nbperf:fp_save,4021110,100.00,,\n"
static void counts_exclude_the_sentinel(void **state)
{
	static const struct { const char *text; int ret; } t[] = {
		{ ERET("18446744073709551615") EXC("49") FP, -EINVAL },	/* NB_COUNT_NONE */
		{ ERET("18446744073709551614") EXC("2") FP, -EINVAL },	/* would wrap */
		{ ERET("1000000000000001") EXC("2") FP, -EINVAL },
		{ ERET("1000000000000000") EXC("1000000000000000") FP, 0 },
		{ ERET("1536") EXC("49") "18446744073709551615,,cycles,1,100.00,,\n" FP, -EINVAL },
	};
	struct nb_counts c;
	char why[256];
	size_t i;

	for (i = 0; i < N(t); i++) {
		assert_int_equal(nb_perf_parse(t[i].text, 0, &c, why, sizeof(why)), t[i].ret);
		if (t[i].ret)
			assert_non_null(strstr(why, "is not a number 0..1e15"));
		else
			assert_true(c.transitions == 2 * NB_COUNT_MAX);
	}
}

#define KHEAD "    VM-EXIT    Samples  Samples%     Time%    Min Time    Max Time         Avg time \n\n"
#define KTOTAL(n) "\nTotal Samples:" n ", Total events handled time:41436.27us.\n\n"
/* perf kvm stat: a row's times are a range, min <= mean <= max. */
static void kvmexit_times_are_a_range(void **state)
{
	static const struct { const char *row; int ret; } t[] = {
		{ "  DABT_LOW 4102 63.56% 68.41% 2.10us 88.31us 6.91us ( +- 1.20% )\n", 0 },
		{ "  DABT_LOW 4102 63.56% 68.41% 88.31us 2.10us 6.91us ( +- 1.20% )\n", -EINVAL },
		{ "  DABT_LOW 4102 63.56% 68.41% 2.10us 6.91us 88.31us ( +- 1.20% )\n", -EINVAL },
		{ "  DABT_LOW 4102 63.56% 68.41% 7.00us 88.31us 6.91us ( +- 1.20% )\n", -EINVAL },
	};
	struct nb_kvmexits e;
	char text[512], why[256];
	size_t i;

	for (i = 0; i < N(t); i++) {
		snprintf(text, sizeof(text), "%s%s%s", KHEAD, t[i].row, KTOTAL("4102"));
		assert_int_equal(nb_kvmexits_parse(text, &e, why, sizeof(why)), t[i].ret);
		if (t[i].ret)
			assert_non_null(strstr(why, "DABT_LOW: times are not min <= mean <= max"));
	}
}

/* 6. Cost files: inih's blind spots are errors naming file:line. */
static void cost_files_guarded(void **state)
{
	static const struct { const char *file, *why; } t[] = {
		{ "cpu-long-line.ini", "cpu-long-line.ini:40: line of 211 characters, longer than 190" },
		{ "cpu-nul.ini", "cpu-nul.ini:21: a NUL byte" },
		{ "cpu-dup.ini", "cpu-dup.ini:39: key 'exit_fp' is given twice" },
	};
	struct nb_cpu_costs c;
	char path[PATH_MAX], err[512];
	size_t i;

	for (i = 0; i < N(t); i++) {
		snprintf(path, sizeof(path), HOSTILE "%s", t[i].file);
		assert_int_equal(nb_cpu_costs_read(path, &c, err, sizeof(err)), -EINVAL);
		if (!strstr(err, t[i].why))
			fail_msg("%s: '%s', want '%s'", t[i].file, err, t[i].why);
	}
	assert_int_equal(nb_cpu_costs_read("cpus/altra.ini", &c, err, sizeof(err)), 0);
}

/* The default cost file is the tree's, wherever nestbench runs: not ./cpus/altra.ini. */
static void default_costs_not_from_cwd(void **state)
{
	char *dir = nb_test_tmpdir("harden2"), cwd[PATH_MAX], path[PATH_MAX], err[512];
	static const char forged[] = "name = forged\nns_per_insn = 9\n";
	struct nb_cpu_costs c;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(path, sizeof(path), "%s/cpus", dir);
	assert_int_equal(nb_mkdir_p(path), 0);
	snprintf(path, sizeof(path), "%s/cpus/altra.ini", dir);
	assert_int_equal(nb_write_file(path, forged, strlen(forged)), 0);
	assert_int_equal(chdir(dir), 0);
	nb_model_set_cpu_file(NULL);
	assert_int_equal(nb_model_costs(&c, err, sizeof(err)), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_string_equal(c.name, "Ampere Altra");
	assert_string_equal(c.path, "cpus/altra.ini");
	assert_true(c.ns_per_insn == 0.333);
	nb_test_rm_rf(dir);
	free(dir);
}

/* 8. Doctor's probes: a deadline for output and exit, and a failure is a MISS with its cause. */
static void doctor_probes_have_deadlines(void **state)
{
	static const struct { const char *script; enum doc_status st; const char *says; } t[] = {
		{ "exec >&- 2>&-; exec sleep 30", DOC_MISS, "failed: did not finish in 0.5 s (killed)" },
		{ "echo perf version 1; exec sleep 30", DOC_MISS, "failed: did not finish in 0.5 s" },
		{ "echo oops; exit 3", DOC_MISS, "failed: exit status 3: oops" },
		{ "kill -9 $$", DOC_MISS, "failed: killed by signal 9" },
		{ "exit 1", DOC_MISS, "failed: exit status 1: no output" },
		{ "echo perf version 6.1.0", DOC_OK, "(perf version 6.1.0)" },
	};
	char *dir = nb_test_tmpdir("harden2"), path[PATH_MAX], text[256], out[512], *old = getenv("PATH");
	struct timespec t0, t1;
	size_t i;

	old = strdup(old ? old : "/usr/bin:/bin");
	snprintf(path, sizeof(path), "%s:/usr/bin:/bin", dir);	/* the fake first */
	setenv("PATH", path, 1);
	snprintf(path, sizeof(path), "%s/perf", dir);
	for (i = 0; i < N(t); i++) {
		snprintf(text, sizeof(text), "#!/bin/sh\n%s\n", t[i].script);
		assert_int_equal(nb_write_file(path, text, strlen(text)), 0);
		assert_int_equal(chmod(path, 0755), 0);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		assert_int_equal(doctor_probe_version("perf", 500, out, sizeof(out)), t[i].st);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!strstr(out, t[i].says))
			fail_msg("'%s': '%s', want '%s'", t[i].script, out, t[i].says);
		assert_true(t1.tv_sec - t0.tv_sec < 5);	/* the deadline, not the sleep */
	}
	setenv("PATH", old, 1);
	free(old);
	nb_test_rm_rf(dir);
	free(dir);
}

static void printable_with(const char *text, const char *prefix, int n);

/* 3. Enumerated cells against their sets: a clock, platform or level out of its set fails the file. */
static void result_domains_checked(void **state)
{
	static const struct { const char *dir, *why; } t[] = {
		{ "results-clock-long", "reps.csv:2: clock is 'icount-and-then-some', expected icount, "
					"tcg-wall or host" },
		{ "results-clock-free", "reps.csv:2: clock is 'icount11'" },
		{ "results-platform-junk", "reps.csv:2: platform is 'emulated" },
		{ "results-boot-clock", "boots.csv:2: clock is 'wall'" },
		{ "results-level-sign", "boots.csv:2: level is '+1', expected L<n> or <n> (0..9)" },
	};
	struct nb_results *r;
	char err[512];
	size_t i;

	for (i = 0; i < N(t); i++) {
		snprintf(err, sizeof(err), HOSTILE "%s", t[i].dir);
		assert_int_equal(nb_results_load(err, &r, err, sizeof(err)), -EINVAL);
		if (!strstr(err, t[i].why))
			fail_msg("%s: '%s', want '%s'", t[i].dir, err, t[i].why);
	}
}

/* ... a manifest's "pin" only as a boolean, its platform only from its set. */
static void manifest_domains_checked(void **state)
{
	struct nb_boot_opts o = { .seed = 1, .resamples = 200 };
	struct nb_results *r;
	char err[512], *rep;

	rep = report_of(HOSTILE "results-pin-string");
	assert_non_null(rep);
	assert_null(strstr(rep, "pinning"));
	free(rep);
	assert_int_equal(nb_results_load(HOSTILE "results-pin-string", &r, err, sizeof(err)), 0);
	assert_int_equal(nb_results_analyze(r, &o), 0);
	assert_string_equal(nb_results_platform(r), "emulated");	/* from reps.csv, not the manifest */
	nb_results_free(r);
}

/* ... the micro table's clock too: a column with another is left out, said on stderr. */
static void micro_clock_checked(void **state)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_int_equal(micro_table(f, HOSTILE "micro-clock"), 0);
	fclose(f);
	assert_non_null(strstr(out, "patched L1 (2 reps)"));
	assert_null(strstr(out, "patched L2"));
	printable_with(out, "verdict:", 0);
	free(out);
}

/* ... and the ELs of a CPU log: no EL3, an exception never goes down, an ERET never up. */
static void cpulog_els_checked(void **state)
{
	struct nb_exc_counts c;

	assert_int_equal(nb_exc_parse_file(HOSTILE "cpulog-el.log", &c), 0);
	assert_int_equal(c.records, 0);
	assert_int_equal(c.exits, 0);
	assert_int_equal(c.exit_el0, 0);
	assert_int_equal(c.el1, 0);
	assert_int_equal(c.el2, 0);
	assert_int_equal(c.eret_el1 + c.eret_el2, 0);
	assert_true(c.bad >= 4);	/* each record and each ERET counted broken */
}

/* text holds no control character but '\n', and exactly n lines start with prefix. */
static void printable_with(const char *text, const char *prefix, int n)
{
	const char *s;
	int lines = 0;

	for (s = text; *s; s++)
		if ((unsigned char)*s < 0x20 && *s != '\n')
			fail_msg("control character 0x%02x at offset %td", *s, s - text);
	for (s = text; s; s = strchr(s, '\n'), s = s ? s + 1 : NULL)
		lines += !strncmp(s, prefix, strlen(prefix));
	assert_int_equal(lines, n);
}

/* 2. Text from boots.csv, the manifest and the rest reaches report.txt escaped: no forged line. */
static void report_text_is_printable(void **state)
{
	char *rep = report_of(HOSTILE "results-text-forged");

	assert_non_null(rep);
	printable_with(rep, "verdict:", 1);	/* the real one */
	assert_non_null(strstr(rep, "(boot timeout\\nverdict: patched -99.0% (forged)\\x1b[2J"));
	assert_non_null(strstr(rep, "experiment  d\\nverdict: patched -99% (forged manifest)"));
	assert_non_null(strstr(rep, "bs=4k\\x1b[2J"));
	free(rep);
}

/* ... because every CSV cell is made printable and bounded where it is read. */
static void csv_cells_printable(void **state)
{
	char *dir = nb_test_tmpdir("harden2"), path[PATH_MAX], err[256], *text;
	struct nb_table *t;
	size_t n = 3 * NB_TEXT_MAX;

	text = malloc(n + 64);
	assert_non_null(text);
	memcpy(text, "a,b\n\"x\x1b\0y\",", 11);
	memset(text + 11, 'z', n);
	strcpy(text + 11 + n, "\n");
	snprintf(path, sizeof(path), "%s/t.csv", dir);
	assert_int_equal(nb_write_file(path, text, 12 + n), 0);
	assert_int_equal(nb_table_read(path, &t, err, sizeof(err)), 0);
	assert_string_equal(nb_table_cell(t, 0, 0), "x\\x1b\\x00y");
	assert_int_equal(strlen(nb_table_cell(t, 0, 1)), NB_TEXT_MAX + 3);	/* cut, with "..." */
	nb_table_free(t);
	free(text);
	nb_test_rm_rf(dir);
	free(dir);
}

/* 7. An experiment's inputs, new or resumed, checked before anything boots (no boot here). */
static void experiment_inputs_checked(void **state)
{
	static const struct { const char *dir; int scan, fits; const char *why; } t[] = {
		{ "resume-ok", 0, 0, "" },
		{ "resume-huge-rep", -EINVAL, 0, "reps.csv:3: rep '2147483647' is not 1..256" },
		{ "resume-variant", -EINVAL, 0, "reps.csv:3: boot 1 is variant 'b', the experiment's order says 'a'" },
		{ "resume-rep-257", 0, -EINVAL, "boot 1: its last repetition is 256 and it owes 1" },
	};
	struct exp_done d[NB_MAX_BOOTS + 1];
	char path[PATH_MAX], err[768] = "";
	struct experiment e;
	struct nb_plan p;
	size_t i;

	for (i = 0; i < N(t); i++) {
		snprintf(path, sizeof(path), HOSTILE "%s/experiment.ini", t[i].dir);
		assert_int_equal(exp_load(path, &e, err, sizeof(err)), 0);
		exp_plan(&e);
		snprintf(path, sizeof(path), HOSTILE "%s", t[i].dir);
		assert_int_equal(exp_resume_scan(path, &e, d, err, sizeof(err)), t[i].scan);
		if (!t[i].scan)
			assert_int_equal(exp_resume_fits(&e, d, err, sizeof(err)), t[i].fits);
		if (*t[i].why && !strstr(err, t[i].why))
			fail_msg("%s: '%s', want '%s'", t[i].dir, err, t[i].why);
	}
	assert_int_equal(exp_resume_scan(HOSTILE "resume-ok", &e, d, err, sizeof(err)), 0);
	assert_int_equal(d[1].timing, 2);
	assert_int_equal(d[1].last_rep, 2);
	assert_int_equal(d[2].timing, 3);
	nb_plan_defaults(&p, e.plan.depth);
	p.platform = NB_PLATFORM_EMULATED;
	snprintf(p.workload, sizeof(p.workload), "fio");
	free(p.job);
	p.job = nb_read_file(HOSTILE "fio-job-nosection.fio", NULL);
	assert_int_equal(exp_check_plans(&e, &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "variant a: the fio job has no [section] header"));
	free(p.job);
	p.job = nb_read_file("tests/jobs/small.fio", NULL);
	assert_int_equal(exp_check_plans(&e, &p, err, sizeof(err)), 0);
	nb_plan_free(&p);
}

/*
 * 4. Costs: the work is bounded by the tables, not the data. Boots grouped
 * by sorting keep their first-seen order and sums; unknown counter columns
 * make no metric; the boots-needed search finds what a linear one finds.
 */
static void linear_results_on_hostile_shapes(void **state)
{
	static const double want_base[] = { 11, 21, 31 };	/* boots 3, 1, 5 as first seen */
	static const double sds[] = { 0.1, 1, 3.7, 10, 50, 113, 114, 200, 1e5, 0 };
	struct nb_boot_opts o = { .seed = 1, .resamples = 100 };
	const struct nb_metric *m;
	struct nb_results *r;
	char err[512];
	size_t i, n, lin;
	int noted = 0;

	assert_int_equal(nb_results_load(HOSTILE "results-shapes", &r, err, sizeof(err)), 0);
	assert_int_equal(nb_results_analyze(r, &o), 0);
	m = nb_results_find(r, "io_ns");
	assert_non_null(m);
	assert_int_equal(m->s[0].nboots, 3);
	for (i = 0; i < 3; i++)
		assert_true(fabs(m->s[0].boot[i] - want_base[i]) < 1e-9);
	assert_true(fabs(m->s[0].ss_within - 6 * 1.0) < 1e-9);	/* each rep 1 off its boot's mean */
	assert_non_null(nb_results_find(r, "L0.nested_eret"));
	for (i = 0; i < nb_results_nmetrics(r); i++)
		assert_null(strstr(nb_results_metric(r, i)->key, "bogus"));
	for (i = 0; i < nb_results_nnotes(r); i++)
		noted += !!strstr(nb_results_note(r, i), "3 column(s) name no counter nestbench knows "
				  "(first: L0.bogus1): not used");
	assert_int_equal(noted, 1);
	nb_results_free(r);
	for (i = 0; i < N(sds); i++) {
		for (lin = 0, n = 2; n < 100000 && !lin; n++)	/* the linear reference */
			if (nb_t_quantile(2.0 * n - 2) * sds[i] * sqrt(2.0 / n) <= 1.0)
				lin = n;
		assert_int_equal(nb_boots_for_halfwidth(sds[i], 1.0), lin);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_never_cut),
		cmocka_unit_test(report_prints_huge_numbers_whole),
		cmocka_unit_test(model_outputs_whole_or_not_at_all),
		cmocka_unit_test(counts_exclude_the_sentinel),
		cmocka_unit_test(cost_files_guarded),
		cmocka_unit_test(default_costs_not_from_cwd),
		cmocka_unit_test(doctor_probes_have_deadlines),
		cmocka_unit_test(result_domains_checked),
		cmocka_unit_test(manifest_domains_checked),
		cmocka_unit_test(cpulog_els_checked),
		cmocka_unit_test(micro_clock_checked),
		cmocka_unit_test(report_text_is_printable),
		cmocka_unit_test(csv_cells_printable),
		cmocka_unit_test(experiment_inputs_checked),
		cmocka_unit_test(linear_results_on_hostile_shapes),
		cmocka_unit_test(kvmexit_times_are_a_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
