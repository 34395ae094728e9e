// SPDX-License-Identifier: GPL-2.0
/*
 * nestbench experiment FILE | --resume DIR: boots in a seeded, balanced
 * (ABBA) order, every finished repetition written at once, so an
 * interrupted experiment resumes without losing or repeating one.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "bench/builtin.h"
#include "bench/experiment.h"
#include "bench/expcheck.h"
#include "bench/hostkernel.h"
#include "bench/manifest.h"
#include "bench/reps.h"
#include "bench/run.h"
#include "stack/knobs.h"
#include "stack/platform.h"
#include "stack/util.h"
#include "stats/csvio.h"
#include "stats/gate.h"
#include "stats/report.h"
#include "stats/results.h"
#include "stats/seq.h"
#include "stats/seqstop.h"
#include "workloads/workload.h"

struct exp_args {
	const char *resume, *images, *results, *arm;
	const char *executor;		/* --executor: the file's executor =, in the new directory's copy */
	const char *fail_if;		/* for the report; NULL: the file's, from the manifest */
	int boots, reps, jobs;		/* 0: as the file says */
};

#define A struct exp_args
static const struct nb_opt exp_opts[] = {
	OPT_PTR("resume", A, resume, "DIR", "go on with the experiment of this results directory"),
	OPT_PTR("images", A, images, "FILE", "images manifest (default build/images.manifest)"),
	OPT_PTR("results", A, results, "DIR", "where results/NAME/TIMESTAMP goes (default results)"),
	OPT_INT("boots", A, boots, 1, NB_MAX_BOOTS, 0, "N", NB_IN_CLI | NB_HELP_DEF,
		"boots per variant, overriding the file"),
	OPT_INT("reps", A, reps, 0, NB_MAX_REPS, 0, "N", NB_IN_CLI | NB_HELP_DEF,
		"timing repetitions per boot, overriding the file"),
	OPT_INT("jobs", A, jobs, 1, 64, 0, "N", NB_IN_CLI | NB_HELP_DEF,
		"boots side by side, overriding the file (default: the cores under icount, 1 for a wall clock or on a host)"),
	OPT_PTR("arm", A, arm, "NAME", "only this variant's boots (one arm per host boot on an arm64 host)"),
	OPT_PTR("executor", A, executor, "local|lava",
		"who runs the boots, overriding the file's executor = (lava: one LAVA job per boot, docs/lab.md)"),
	OPT_PTR("fail-if", A, fail_if, "KEY>PCT%",
		"exit 3 when a decided change of KEY is beyond it, e.g. 'io_ns>+2%' (default: the file's fail_if =)"),
	OPT_END
};

static const char exp_what[] =
	"Runs every variant's boots in a seeded ABBA order, every repetition written as it\n"
	"finishes, then writes the report. Experiment files: experiments/*.ini, their\n"
	"keys below. Exit status: 0 done, 1 a boot failed (resume it), 2 usage,\n"
	"3 a decided change crossed --fail-if or the file's fail_if = (the report was written).";

static void run_log(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void run_log(const char *dir, const char *fmt, ...)
{
	char path[4200], line[1024], ts[32];
	time_t t = time(NULL);
	va_list ap;
	int n;

	strftime(ts, sizeof(ts), "%H:%M:%S", localtime(&t));
	n = snprintf(line, sizeof(line), "%s ", ts);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	fprintf(stderr, "nestbench: %s", line + 9);
	snprintf(path, sizeof(path), "%s/run.log", dir);
	nb_append_file(path, line, n < (int)sizeof(line) ? n : (int)sizeof(line) - 1);
}

struct exp_run {
	struct experiment e;
	char dir[4096];
	const char *images;
	struct exp_done done[NB_MAX_BOOTS + 1];
	uint64_t t0;
	time_t started;
	int boots_run, batches_run;
	int jobs;		/* boots side by side */
	int arm;		/* --arm: only this variant's boots (-1: every arm) */
	int harness;		/* our pid: names every boot's channel, whichever process runs it */
	int platform;		/* stack/platform.h, resolved */
	const char *fail_if;	/* --fail-if, for the report; else the file's, from the manifest */
};

/* The plan and run configuration of boot b (1..): what it still owes. */
static void boot_cfg(struct exp_run *x, int b, struct nb_plan *p, struct run_cfg *cfg)
{
	const struct exp_variant *v = &x->e.v[x->e.order[b - 1]];
	const struct exp_done *d = &x->done[b];
	struct exp_done o = exp_boot_owed(&x->e, b);

	exp_to_plan(&x->e, v, p);
	p->reps = exp_owed(o.timing, d->timing);
	p->counting = exp_owed(o.counting, d->counting);
	p->bare = exp_owed(o.bare, d->bare);
	p->exits = exp_owed(o.exits, d->exits);
	p->first_rep = d->last_rep + 1;
	*cfg = (struct run_cfg){ .plan = *p, .experiment = x->e.name, .variant = v->name,
				 .outdir = x->dir, .images = x->images, .boot = b, .timeout = 3600,
				 .parallel = x->jobs > 1, .harness = x->harness,
				 .lab = x->e.lab.executor == NB_EXEC_LAVA ? &x->e.lab : NULL };
}

static int owes(struct exp_run *x, int b)
{
	const struct exp_done *d = &x->done[b];
	struct exp_done o = exp_boot_owed(&x->e, b);

	if (x->arm >= 0 && x->e.order[b - 1] != x->arm)
		return 0;
	return o.timing > d->timing || o.counting > d->counting || o.bare > d->bare ||
	       o.exits > d->exits;
}

static int arm_index(const struct experiment *e, const char *name)
{
	int i;

	for (i = 0; i < e->nvariants; i++)
		if (!strcmp(e->v[i].name, name))
			return i;
	return -1;
}

/* Do the arms boot different L0 kernels? Then, on an arm64 host, each needs its own host boot. */
static int l0_differs(const struct experiment *e)
{
	int i;

	for (i = 1; i < e->nvariants; i++)
		if (strcmp(e->v[i].kernels[0], e->v[0].kernels[0]))
			return 1;
	return 0;
}

/*
 * On an arm64 host L0 is the running kernel: an arm runs only on a host
 * booted into its own L0 kernel, and arms that differ there cannot share
 * one host boot (--arm NAME, one per host boot, --resume for the next).
 */
static int host_arm_check(const struct exp_run *x)
{
	const char *k;
	char key[96], img[4096], banner[512];
	int ret;

	if (nb_platform(x->platform)->l0_guest || x->e.lab.executor == NB_EXEC_LAVA)
		return 0;	/* an NV server's job boots its arm's kernel, and is checked (bench/lab.c take_kernel) */
	if (x->arm < 0 && l0_differs(&x->e)) {
		fprintf(stderr, "nestbench experiment: the arms boot different L0 kernels, and on an arm64 host "
			"L0 is the running kernel\n  fix: boot the host into one arm's kernel and run "
			"--arm NAME, then reboot into the next and --resume DIR --arm NAME (README)\n");
		return -1;
	}
	k = x->e.v[x->arm < 0 ? 0 : x->arm].kernels[0];
	snprintf(key, sizeof(key), "kernel.%s", k);
	if (images_get(x->images, key, img, sizeof(img)))
		return -1;
	ret = nb_kernel_is_running(img, "/proc/version", banner, sizeof(banner));
	if (ret == 1)
		return 0;
	fprintf(stderr, "nestbench experiment: this arm's L0 kernel is '%s' (%s), but the host runs %s%s\n"
		"  fix: boot the host into %s, then run the same command again\n", k, img,
		ret < 0 ? "a kernel nestbench cannot compare: " : "another kernel: ", banner, img);
	return -1;
}

static double eta_min(const struct exp_run *x, int b)
{
	double done = x->jobs > 1 ? x->batches_run : x->boots_run;
	double left = x->jobs > 1 ? (x->e.nboots - b + x->jobs) / x->jobs : x->e.nboots - b + 1;

	return nb_secs(nb_now_ns() - x->t0) / done * left / 60;
}

/* Run boot b (1..) for what it still owes; 1 if nothing was owed. */
static int run_one(struct exp_run *x, int b, struct nb_plan *p)
{
	struct run_cfg cfg;
	int ret;

	if (!owes(x, b))
		return 1;
	boot_cfg(x, b, p, &cfg);
	if (x->boots_run || x->batches_run)
		snprintf(cfg.progress, sizeof(cfg.progress), "%d/%d, ETA %.0f min", b, x->e.nboots,
			 eta_min(x, b));
	else
		snprintf(cfg.progress, sizeof(cfg.progress), "%d/%d", b, x->e.nboots);
	run_log(x->dir, "boot %d/%d: %s (%d warm-up + %d timing + %d bare + %d counting + %d exit repetitions)\n",
		b, x->e.nboots, cfg.variant, cfg.plan.warmup, cfg.plan.reps, cfg.plan.bare, cfg.plan.counting,
		cfg.plan.exits);
	ret = run_boot(&cfg);
	x->boots_run++;
	run_log(x->dir, "boot %d %s after %.0f s of the experiment\n", b, ret ? "FAILED" : "done",
		nb_secs(nb_now_ns() - x->t0));
	return ret ? -1 : 0;
}

/*
 * A boot in its own process. It dies with the harness (kill -9 included)
 * and takes its QEMU with it: each QEMU dies with the boot that started it.
 */
static pid_t fork_boot(struct exp_run *x, int b, struct nb_plan *p)
{
	pid_t parent = getpid(), pid;

	fflush(NULL);
	pid = fork();
	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)	/* the harness died before prctl */
		_exit(1);
	_exit(run_one(x, b, p) < 0 ? 1 : 0);
}

static void batch_progress(const struct exp_run *x, int b, int n)
{
	if (!isatty(2))
		return;
	fprintf(stderr, "\r\033[K[boots %d-%d of %d side by side, %.0f s%s", b, b + n - 1, x->e.nboots,
		nb_secs(nb_now_ns() - x->t0), x->batches_run ? "" : "]");
	if (x->batches_run)
		fprintf(stderr, ", ETA %.0f min]", eta_min(x, b));
}

/* Waits for every boot of the batch; the number that failed. */
static int wait_batch(const struct exp_run *x, int b, int n, int running)
{
	int failures = 0, status;
	pid_t pid;

	while (running > 0) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0 && errno != EINTR)
			break;
		if (pid > 0) {
			running--;
			failures += !WIFEXITED(status) || WEXITSTATUS(status);
			continue;
		}
		batch_progress(x, b, n);
		sleep(1);
	}
	if (isatty(2))
		fputc('\n', stderr);
	return failures;
}

/* Boots b .. b+n-1 side by side, each balanced batch holding every arm alike. */
static int run_batch(struct exp_run *x, int b, int n, struct nb_plan *p)
{
	int i, running = 0, failures;
	struct run_cfg cfg;

	if (n == 1)
		return run_one(x, b, p) < 0;
	boot_cfg(x, b, p, &cfg);
	reps_prepare(&cfg);	/* headers once, before anyone appends */
	run_log(x->dir, "boots %d-%d of %d side by side\n", b, b + n - 1, x->e.nboots);
	for (i = 0; i < n; i++) {
		if (!owes(x, b + i))
			continue;
		if (fork_boot(x, b + i, p) < 0) {
			run_log(x->dir, "cannot start boot %d: %s\n", b + i, strerror(errno));
			continue;
		}
		running++;
	}
	failures = wait_batch(x, b, n, running);
	x->batches_run++;
	run_log(x->dir, "boots %d-%d finished after %.0f s of the experiment (%d failed)\n", b,
		b + n - 1, nb_secs(nb_now_ns() - x->t0), failures);
	return failures;
}

static void record_design(struct exp_run *x)
{
	size_t looks[NB_SEQ_MAX_LOOKS], k;

	if (x->e.target_ci <= 0 || x->arm >= 0)
		return;
	k = exp_looks(&x->e, x->jobs, looks, NB_SEQ_MAX_LOOKS);
	if (k && manifest_sequential(x->dir, x->e.target_ci, looks, k))
		run_log(x->dir, "cannot record the sequential design in manifest.json\n");
}

/* The stop rule: nb_seq_stop(), at the planned looks only. */
static int precise_enough(struct exp_run *x, int b)
{
	double hw;

	if (x->e.target_ci <= 0 || b == x->e.nboots || !exp_look_at(&x->e, x->jobs, b) ||
	    nb_seq_stop(x->dir, x->e.target_ci, &hw) != 1)
		return 0;
	run_log(x->dir, "the change's 95%% repeated CI half-width is %.2f%% <= target %.2f%%: "
		"stopping after boot %d\n", hw, x->e.target_ci, b);
	return 1;
}

/* Would the next boot (or batch) end past the budget, at the pace so far? */
static int over_budget(struct exp_run *x)
{
	double el = nb_secs(nb_now_ns() - x->t0);
	int done = x->jobs > 1 ? x->batches_run : x->boots_run;

	return x->e.budget > 0 && el + (done ? el / done : 0) > x->e.budget;
}

static int run_all(struct exp_run *x, struct nb_plan *p)
{
	int b, n, failures = 0;

	for (b = 1; b <= x->e.nboots; b += n) {
		n = x->e.nboots - b + 1 < x->jobs ? x->e.nboots - b + 1 : x->jobs;
		if (over_budget(x)) {
			run_log(x->dir, "budget of %d s reached: stopping before boot %d\n", x->e.budget, b);
			break;
		}
		failures += run_batch(x, b, n, p);
		if (x->e.lab.executor == NB_EXEC_LAVA && manifest_lava_jobs(x->dir, x->e.nboots))
			run_log(x->dir, "cannot record the LAVA jobs in manifest.json\n");
		if (precise_enough(x, b + n - 1))
			break;
	}
	return failures;
}

/*
 * The results directory keeps its own copy of the experiment and of its fio
 * job, with the command line's overrides, so that --resume needs nothing else.
 */
static int copy_job(const struct exp_run *x, const struct nb_plan *p)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/job.fio", x->dir);
	return nb_write_file(path, p->job, strlen(p->job));
}

static int setup_new(struct exp_run *x, const char *file, const struct exp_args *a, const struct nb_plan *p)
{
	char path[4200], ts[32], *text, err[512];
	time_t t = time(NULL);

	strftime(ts, sizeof(ts), "%Y%m%d-%H%M%S", localtime(&t));
	snprintf(path, sizeof(path), "%s/%s/%s", a->results, x->e.name, ts);
	text = exp_with_overrides(nb_read_file(file, NULL), a->boots, a->reps, a->jobs, x->e.job[0]);
	if (a->executor)
		text = exp_with_key(text, "executor", a->executor);
	if (text && exp_load_text(text, strlen(text), file, &x->e, err, sizeof(err))) {
		fprintf(stderr, "nestbench experiment: with the overrides: %s\n", err);
		free(text);
		return -1;	/* before any directory exists */
	}
	errno = -nb_mkdir_new(path, x->dir, sizeof(x->dir));
	snprintf(path, sizeof(path), "%s/experiment.ini", x->dir);
	if (errno || !text || nb_write_file(path, text, strlen(text)) ||
	    (x->e.job[0] && copy_job(x, p))) {
		fprintf(stderr, "nestbench: cannot create %s: %s\n", x->dir, strerror(errno));
		free(text);
		return -1;
	}
	free(text);
	return 0;
}

static int load(struct exp_run *x, const char *file)
{
	char err[512];

	if (exp_load(file, &x->e, err, sizeof(err))) {
		fprintf(stderr, "nestbench experiment: %s\n", err);
		return -1;
	}
	exp_plan(&x->e);
	return 0;
}

static int set_arm(struct exp_run *x, const char *name)
{
	x->arm = name ? arm_index(&x->e, name) : -1;
	if (name && x->arm < 0) {
		fprintf(stderr, "nestbench experiment: --arm %s: no [variant %s] in the experiment\n", name, name);
		return -1;
	}
	return 0;
}

static int set_jobs(struct exp_run *x, int want)
{
	int lava = x->e.lab.executor == NB_EXEC_LAVA;	/* boots on the lab's devices: all at once by default */
	char err[256];
	int n = exp_jobs(&x->e, lava || nb_platform(x->platform)->side_by_side, want ? want : x->e.jobs,
			 lava ? (x->e.nboots < 64 ? x->e.nboots : 64) : (int)sysconf(_SC_NPROCESSORS_ONLN),
			 err, sizeof(err));

	if (n < 0) {
		fprintf(stderr, "nestbench experiment: %s\n", err);
		return -1;
	}
	x->jobs = x->e.jobs = n;
	return 0;
}

/* The workload's parameters: a job file relative to the experiment file, or its keys sized for the depth. */
static int job_of(const struct experiment *e, const char *file, struct nb_plan *p)
{
	char path[4096], *dup, err[512];

	snprintf(p->workload, sizeof(p->workload), "%s", e->plan.workload);
	p->depth = e->plan.depth;
	if (e->job[0]) {
		dup = strdup(file);
		snprintf(path, sizeof(path), "%s/%s", dup ? dirname(dup) : ".", e->job);
		free(dup);
		p->job = nb_read_file(e->job[0] == '/' ? e->job : path, NULL);
		if (!p->job)
			return fprintf(stderr, "nestbench experiment: cannot read job file %s\n", e->job), -1;
	}
	if (nb_wl_plan_prepare(p, e->wl_params, err, sizeof(err)))
		return fprintf(stderr, "nestbench experiment: %s\n", err), -1;
	return 0;
}

/* After --arm: which arm still owes boots, and how to run it. */
static void next_arm(struct exp_run *x)
{
	char err[512];
	int b, arm = x->arm;

	if (arm < 0 || exp_resume_scan(x->dir, &x->e, x->done, err, sizeof(err)))
		return;
	x->arm = -1;
	for (b = 1; b <= x->e.nboots; b++)
		if (x->e.order[b - 1] != arm && owes(x, b)) {
			printf("next: arm '%s' still owes boots:%s nestbench experiment --resume %s --arm %s\n",
			       x->e.v[x->e.order[b - 1]].name, nb_platform(x->platform)->l0_guest ? "" :
			       " boot the host into its L0 kernel, then run", x->dir, x->e.v[x->e.order[b - 1]].name);
			break;
		}
	x->arm = arm;
}

/* sessions.csv: one row per run of this command, so resumed experiments add up. */
static void log_session(const struct exp_run *x)
{
	static const char header[] = "started_unix,wall_s,jobs,boots_run\n";
	char path[4200], row[128];
	struct stat st;
	int n;

	snprintf(path, sizeof(path), "%s/sessions.csv", x->dir);
	if (stat(path, &st))
		nb_append_file(path, header, strlen(header));
	n = snprintf(row, sizeof(row), "%lld,%.1f,%d,%d\n", (long long)x->started,
		     nb_secs(nb_now_ns() - x->t0), x->jobs,
		     x->jobs > 1 ? x->batches_run * x->jobs : x->boots_run);
	nb_append_file(path, row, n);
}

/* A typo in --fail-if is found now, not after the boots. */
static int check_fail_if(const char *arg)
{
	struct nb_gate g;
	char err[256];

	if (!arg || !nb_gate_parse(arg, &g, err, sizeof(err)))
		return 0;
	fprintf(stderr, "nestbench experiment: --fail-if: %s\n", err);
	return -EINVAL;
}

static int finish(struct exp_run *x, int failures)
{
	char *argv[] = { "report", x->dir, NULL, NULL, NULL };
	int ret;

	if (x->fail_if) {	/* the option before the directory */
		argv[1] = "--fail-if";
		argv[2] = (char *)x->fail_if;
		argv[3] = x->dir;
	}
	log_session(x);
	ret = cmd_report(x->fail_if ? 4 : 2, argv);	/* prints report.txt */
	next_arm(x);

	printf("\nresults, plots and report: %s\n", x->dir);
	if (failures)
		fprintf(stderr, "nestbench: %d boot(s) failed; see %s/raw/boot-*/failure.txt; "
			"resume with: nestbench experiment --resume %s\n", failures, x->dir, x->dir);
	return failures || (ret && ret != 3) ? 1 : ret;
}

/* The experiment file's keys: the boot options', the experiment's own, each workload's. */
static void exp_usage_keys(FILE *f)
{
	const struct nb_workload *const *w;
	const struct nb_wl_key *k;
	char left[64];

	fprintf(f, "\nexperiment file, [experiment] section:\n");
	nb_opt_usage_keys(f, exp_keys, NB_IN_FILE);
	nb_opt_usage_keys(f, nb_plan_knobs, NB_IN_FILE);
	for (w = nb_workloads(); *w; w++)
		for (k = (*w)->keys; k && k->name; k++) {
			snprintf(left, sizeof(left), "%s = N", k->name);
			fprintf(f, "  %-26s %s (workload = %s; %d..%d)\n", left, k->help, (*w)->name,
				k->min, k->max);
		}
	fprintf(f, "[variant NAME] sections (two or more):\n"
		"  kernel = VARIANT           the kernel at every level\n"
		"  kernels = L0=V,L1=V,..     the kernel per level\n"
		"  extra_eret_ns = NS         a positive control's known extra cost per nested ERET at L0\n");
	fprintf(f, "claims, held against the results by the report ([experiment] section):\n"
		"  expect = [KEY] PCT%%        the change the patch claims (KEY: io_ns when omitted)\n"
		"  fail_if = KEY>PCT%%         exit 3 when a decided change of KEY is beyond it (or <)\n");
}

/* FILE, or --resume DIR's copy of it; the command line's overrides apply to a new one only. */
static int exp_args_parse(int argc, char **argv, struct exp_args *a, char *file, size_t len)
{
	struct nb_optgroup g[] = { { exp_opts, a }, { NULL } };
	int first;

	*a = (struct exp_args){ .images = "build/images.manifest", .results = "results" };
	first = nb_opt_parse("experiment", argc, argv, g);
	if (first == NB_OPT_HELP) {
		nb_opt_usage(stdout, "experiment", "FILE.ini | --resume DIR [options]", exp_what, g);
		exp_usage_keys(stdout);
		return 1;
	}
	if (first < 0 || nb_opt_operands("experiment", argc, argv, first, !a->resume, !a->resume))
		return -EINVAL;
	snprintf(file, len, "%s%s", a->resume ? a->resume : argv[first],
		 a->resume ? "/experiment.ini" : "");
	return 0;
}

/* Every arm this session runs has its kernels and the rootfs: checked once, before any directory. */
static int images_check_arms(const struct exp_run *x, const struct nb_plan *p)
{
	struct nb_plan q = *p;
	int v;

	for (v = 0; v < x->e.nvariants; v++) {
		if (x->arm >= 0 && v != x->arm)
			continue;
		exp_to_plan(&x->e, &x->e.v[v], &q);
		if (images_check(x->images, &q))
			return -1;
	}
	return 0;
}

/* The platform this machine runs, once, for the whole experiment. */
static int resolve_platform(struct exp_run *x, struct nb_plan *p)
{
	char why[512];

	/* an NV server is the host of its boots, whatever this machine is: the job checks its kernel */
	if (x->e.lab.executor == NB_EXEC_LAVA && lab_nv(&x->e.lab)) {
		x->platform = p->platform = NB_PLATFORM_HOST;
		return 0;
	}
	/* a lab's worker boots an emulated L0, whatever this machine could run */
	p->platform = x->e.lab.executor == NB_EXEC_LAVA ? NB_PLATFORM_EMULATED : NB_PLATFORM_AUTO;
	if (nb_platform_resolve(&p->platform, why, sizeof(why)))
		return fprintf(stderr, "nestbench experiment: %s\n", why), -1;
	x->platform = p->platform;
	return 0;
}

/*
 * Before anything boots: every variant's plan as run checks it, and with a
 * directory (resumed, or the new one's copy) what its reps.csv holds.
 */
static int inputs_check(struct exp_run *x, const struct nb_plan *p, const char *dir)
{
	char err[768];

	if (exp_check_plans(&x->e, p, err, sizeof(err)) ||
	    (dir && (exp_resume_scan(dir, &x->e, x->done, err, sizeof(err)) ||
		     exp_resume_fits(&x->e, x->done, err, sizeof(err))))) {
		fprintf(stderr, "nestbench experiment: %s\n", err);
		return -1;
	}
	return 0;
}

/*
 * executor = lava: the lab from the file and the environment, checked
 * before anything is created. Its emulated L0 is a QEMU LAVA starts with
 * -monitor none, an NV server's a machine: no CPU exception log
 * (docs/lab.md), and the manifest says so.
 */
static int lab_setup(struct exp_run *x, struct nb_plan *p)
{
	char err[768];

	if (x->e.lab.executor != NB_EXEC_LAVA)
		return 0;
	if (lab_resolve(&x->e.lab, err, sizeof(err)))
		return fprintf(stderr, "nestbench experiment: %s\n", err), -1;
	x->e.plan.excount = NB_EXC_OFF;
	exp_to_plan(&x->e, &x->e.v[0], p);
	return 0;
}

/* --executor: the file's executor = for this run (and in the new directory's copy). */
static int set_executor(struct exp_run *x, const char *executor)
{
	int i;

	for (i = 0; executor && nb_executor_names[i] && strcmp(nb_executor_names[i], executor); i++)
		;
	if (executor && !nb_executor_names[i])
		return fprintf(stderr, "nestbench experiment: --executor %s: local or lava\n", executor), -1;
	if (executor)
		x->e.lab.executor = i;
	return 0;
}

int cmd_experiment(int argc, char **argv)
{
	static struct exp_run x;
	struct exp_args a;
	char file[4200];
	struct nb_plan p;
	int failures, ret = exp_args_parse(argc, argv, &a, file, sizeof(file));

	if (ret)
		return ret > 0 ? 0 : 2;
	if (check_fail_if(a.fail_if))
		return 2;
	x.images = a.images;
	x.fail_if = a.fail_if;
	if (load(&x, file) || set_arm(&x, a.arm))
		return 2;
	if (a.executor && a.resume)
		return fprintf(stderr, "nestbench experiment: --executor with --resume: the results directory's "
			       "experiment.ini says who runs its boots\n"), 2;
	if (set_executor(&x, a.executor))
		return 2;
	nb_plan_defaults(&p, x.e.plan.depth);
	if (resolve_platform(&x, &p) || set_jobs(&x, a.jobs) || host_arm_check(&x))
		return 2;
	if (job_of(&x.e, file, &p) || images_check_arms(&x, &p))
		return 2;
	if (inputs_check(&x, &p, a.resume))
		return 2;
	exp_to_plan(&x.e, &x.e.v[0], &p);	/* the manifest names the options before any boot */
	if (lab_setup(&x, &p))
		return 2;
	if (a.resume)
		snprintf(x.dir, sizeof(x.dir), "%s", a.resume);
	else if (setup_new(&x, file, &a, &p))
		return 1;
	snprintf(file, sizeof(file), "%s/experiment.ini", x.dir);
	if (!a.resume && (load(&x, file) || set_jobs(&x, a.jobs) ||	/* the copy, overrides included, is what runs */
			  inputs_check(&x, &p, NULL) || lab_setup(&x, &p)))
		return 2;
	manifest_write(x.dir, &x.e, &p, x.images);
	record_design(&x);
	x.harness = getpid();
	x.t0 = nb_now_ns();
	x.started = time(NULL);
	failures = run_all(&x, &p);
	nb_plan_free(&p);
	return finish(&x, failures);
}
