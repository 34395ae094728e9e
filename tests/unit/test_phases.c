// SPDX-License-Identifier: GPL-2.0
/*
 * The report's host-time breakdown (phases.csv, sessions.csv), the
 * positive control's predicted vs measured change and, on an arm64 host,
 * which arms needed a host boot of their own, on results directories
 * written here in the documented format (docs/results-format.md).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "stack/util.h"
#include "stats/control.h"
#include "stats/phases.h"
#include "stats/report.h"
#include "stats/results.h"

static char dir[64];

static void put(const char *name, const char *text)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(nb_write_file(path, text, strlen(text)), 0);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/nb-test-phases.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char *argv[] = { "/bin/rm", "-rf", dir, NULL };
	pid_t pid = nb_spawn(argv, -1, -1);
	int status;

	return pid > 0 && waitpid(pid, &status, 0) == pid && status == 0 ? 0 : -1;
}

/* The phases section of dir's report: the results loaded once, the section reads them. */
static char *capture_phases(void)
{
	struct nb_results *r;
	char *buf = NULL, err[256];
	size_t len = 0;
	FILE *f;

	put("reps.csv", "variant,boot,rep,mode,warmup,clock,io_ns\nbase,1,1,timing,0,icount,1\n");
	assert_int_equal(nb_results_load(dir, &r, err, sizeof(err)), 0);
	f = open_memstream(&buf, &len);
	nb_report_phases(f, r);
	fclose(f);
	nb_results_free(r);
	return buf;
}

static void phases_breakdown(void **state)
{
	char *out;

	put("phases.csv", "experiment,variant,boot,phase,host_s\n"
	    "e,base,1,boot_L0,2.0\ne,base,1,timing_io,30\ne,base,1,total,100\n"
	    "e,patched,2,boot_L0,4.0\ne,patched,2,timing_io,50\ne,patched,2,total,140\n"
	    "e,patched,3,boot_L0,x\ne,patched,3,total,-5\n");	/* damaged rows: skipped */
	put("sessions.csv", "started_unix,wall_s,jobs,boots_run\n1,600,2,2\n2,300.0,1,1\n");
	out = capture_phases();
	assert_non_null(strstr(out, "2 boots"));
	assert_non_null(strstr(out, "boot of L0                  3"));	/* mean of 2 and 4 */
	assert_non_null(strstr(out, "timing I/O                 40"));
	assert_non_null(strstr(out, "total                     120"));
	assert_non_null(strstr(out, "boots per arm: base 1, patched 1"));
	assert_non_null(strstr(out, "15.0 min"));	/* 600 + 300 s, two sessions */
	assert_non_null(strstr(out, "in 2 sessions, up to 2 boots side by side"));
	free(out);
}

static void phases_missing(void **state)
{
	char *out;

	put("phases.csv", "experiment,variant\n");	/* no such columns: nothing printed */
	put("sessions.csv", "nothing,here\n1,2\n");
	out = capture_phases();
	assert_string_equal(out, "");
	free(out);
}

/*
 * A control variant costs `per_eret` ns for each of `erets` nested ERETs at
 * L0 in every repetition; `extra_ns` is what the manifest declares; the
 * boots' noise is `noise` times a fixed pattern.
 */
static void control_dir(double per_eret, double erets, double extra_ns, double noise)
{
	char *csv = NULL, *man = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&csv, &len);
	static const double boot_noise[] = { 0.3e6, -0.2e6, -0.1e6 };
	int b, rep, v;

	fprintf(f, "experiment,variant,kernels,platform,clock,boot,rep,mode,warmup,io_ns,host_ns,"
		"fio_runtime_ms,iops,ios,clat_p50_us,clat_p99_us,L0.nested_eret,L0.lost\n");
	for (b = 1; b <= 6; b++) {
		v = b % 2;	/* 0 base, 1 slow-eret */
		for (rep = 1; rep <= 2; rep++)
			fprintf(f, "control,%s,k,emulated,icount,%d,%d,timing,0,%.0f,1,1,1,512,1,1,,\n",
				v ? "slow-eret" : "base", b, rep,
				400e6 + noise * boot_noise[(b - 1) / 2] + rep * 1e4 + v * per_eret * erets);
		fprintf(f, "control,%s,k,emulated,icount,%d,3,counting,0,500000000,1,1,1,512,1,1,%.0f,0\n",
			v ? "slow-eret" : "base", b, erets);
	}
	fclose(f);
	put("reps.csv", csv);
	assert_true(asprintf(&man, "{ \"experiment\": \"control\", \"platform\": \"emulated\", "
			     "\"clock\": \"icount\", \"depth\": 2, \"controls\": { \"slow-eret\": "
			     "{ \"extra_eret_ns\": %g } } }", extra_ns) > 0);
	put("manifest.json", man);
	free(csv);
	free(man);
}

static char *control_report(void)
{
	struct nb_boot_opts o;
	struct nb_results *r;
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f;

	nb_boot_defaults(&o);
	assert_int_equal(nb_results_load(dir, &r, err, sizeof(err)), 0);
	assert_int_equal(nb_results_analyze(r, &o), 0);
	f = open_memstream(&buf, &len);
	nb_report_control(f, r);
	fclose(f);
	nb_results_free(r);
	return buf;
}

static void control_prediction(void **state)
{
	static const struct { double per_eret, extra, noise; const char *verdict, *pred; } t[] = {
		{ 10001, 10001, 1, "passed: the effect is detected (the CI excludes 0) and the "
		  "prediction is inside the measured CI", "predicted +3.75%" },
		/* declared half the cost */
		{ 10001, 5000, 1, "FAILED: the effect is detected but the prediction is OUTSIDE",
		  "predicted +1.87%" },
		/* no cost at all: nothing detected, and the prediction is far off */
		{ 0, 10001, 1, "FAILED: the effect is not detected and the prediction is OUTSIDE",
		  "predicted +3.75%" },
		/* boots 100x noisier: the CI holds 0 and the prediction alike (once "inside": a pass) */
		{ 10001, 10001, 100, "FAILED: the effect is not detected (the CI holds 0",
		  "predicted +3.75%" },
		/* the cost went the wrong way: the CI excludes 0 below it */
		{ -10001, 10001, 1, "FAILED: the effect is not detected and the prediction is OUTSIDE",
		  "predicted +3.75%" },
	};
	unsigned int i;
	char *out;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		control_dir(t[i].per_eret, 1500, t[i].extra, t[i].noise);
		out = control_report();
		assert_non_null(strstr(out, "positive control slow-eret vs base"));
		assert_non_null(strstr(out, t[i].pred));
		assert_non_null(strstr(out, "1500 nested ERETs at L0"));
		assert_non_null(strstr(out, t[i].verdict));
		free(out);
	}
}

/* Detection on the predicted side and coverage, each failing on its own. */
static void control_judge(void **state)
{
	static const struct { double pred, lo, hi; unsigned int failed; } t[] = {
		{ 7.53, 3.18, 9.97, 0 },				/* the last control run */
		{ 4.91, -6.67, 7.25, NB_CTL_UNDETECTED },		/* inside, nothing detected */
		{ -3, -5, -1, 0 },					/* a predicted saving */
		{ -3, 1, 5, NB_CTL_UNDETECTED | NB_CTL_OUTSIDE },	/* the other side */
		{ 7.53, 1, 5, NB_CTL_OUTSIDE },
		{ 7.53, NAN, NAN, NB_CTL_UNDETECTED | NB_CTL_OUTSIDE },	/* unbounded CI */
		{ 0, -1, 1, NB_CTL_UNDETECTED },			/* no prediction to detect */
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct nb_interval ci = { (t[i].lo + t[i].hi) / 2, t[i].lo, t[i].hi };

		assert_int_equal(nb_control_judge(t[i].pred, &ci), t[i].failed);
	}
}

static void host_boots(void **state)
{
	static const struct { const char *platform, *l0b, *want; } t[] = {
		{ "host", "patched", "each arm ran on a host booted into its L0 kernel" },
		{ "host", "base", "shared the host's boot" },
		{ "emulated", "patched", NULL },
	};
	struct nb_boot_opts o;
	struct nb_results *r;
	char err[256], *man, *out;
	unsigned int i;
	size_t len;
	FILE *f;

	nb_boot_defaults(&o);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		control_dir(0, 100, 1, 1);	/* reps.csv: any two arms */
		assert_true(asprintf(&man, "{ \"platform\": \"%s\", \"clock\": \"host\", \"variants\": "
				     "{ \"base\": { \"L0\": \"base\", \"L1\": \"patched\" }, \"slow-eret\": "
				     "{ \"L0\": \"%s\", \"L1\": \"patched\" } } }", t[i].platform, t[i].l0b) > 0);
		put("manifest.json", man);
		free(man);
		assert_int_equal(nb_results_load(dir, &r, err, sizeof(err)), 0);
		assert_int_equal(nb_results_analyze(r, &o), 0);
		out = NULL;
		f = open_memstream(&out, &len);
		nb_write_report(r, &o, f);
		fclose(f);
		if (t[i].want)
			assert_non_null(strstr(out, t[i].want));
		else
			assert_null(strstr(out, "host boots"));
		free(out);
		nb_results_free(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(phases_breakdown),
		cmocka_unit_test(phases_missing),
		cmocka_unit_test(control_prediction),
		cmocka_unit_test(control_judge),
		cmocka_unit_test(host_boots),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
