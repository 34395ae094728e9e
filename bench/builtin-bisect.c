// SPDX-License-Identifier: GPL-2.0
/*
 * nestbench bisect --ksrc TREE --good REV --bad REV EXPERIMENT.ini: git
 * bisect run over a kernel tree, one decided experiment per step (base =
 * the good revision, patched = the step's), the first bad commit printed
 * with every step's evidence. bench/bisect.h has the decisions and the log.
 *
 * The user's checkout is never touched: git bisects in a worktree of TREE
 * in the cache (refs/bisect/ are per worktree), with --no-checkout, since
 * each step builds from the good revision's worktree plus a diff
 * (images/build-all.sh, KSRC= BASE= PATCHED=). A run always starts the
 * bisection afresh and replays it: every step already decided in the log
 * answers at once, so an interrupted bisect resumes where it stopped (an
 * interrupted experiment with --resume).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "bench/bisect.h"
#include "bench/builtin.h"
#include "bench/experiment.h"
#include "stack/knobs.h"
#include "stack/opt.h"
#include "stack/util.h"
#include "stats/gate.h"
#include "stats/results.h"
#include "stats/stats.h"

#define EXIT_SKIPPED	4	/* no single first bad commit: skipped steps left several */
#define EXIT_ABORT	128	/* git bisect run stops at once */

struct bisect_args {
	const char *ksrc, *good, *bad, *metric, *threshold, *results;
	int boots, reps, step;
};

struct bisect {
	struct bisect_args a;
	char exe[PATH_MAX];		/* this nestbench */
	char top[PATH_MAX];		/* the nestbench tree: images/build-all.sh */
	char agent[PATH_MAX];
	char file[PATH_MAX];		/* the experiment file, absolute */
	char tree[PATH_MAX];		/* --ksrc, absolute */
	char good[41], bad[41];
	char results[PATH_MAX];		/* --results, absolute */
	char state[PATH_MAX];		/* RESULTS/bisect/GOOD..BAD: the log, the steps */
	char wt[PATH_MAX];		/* the cache's worktree git bisects in */
	struct nb_gate gate;
	struct experiment e;
	struct bisect_log log;
};

#define A struct bisect_args
static const struct nb_opt bisect_opts[] = {
	OPT_PTR("ksrc", A, ksrc, "TREE", "the kernel's git tree (required; never modified)"),
	OPT_PTR("good", A, good, "REV", "a revision without the regression: every step's base (required)"),
	OPT_PTR("bad", A, bad, "REV", "a later revision with it (required)"),
	OPT_PTR("metric", A, metric, "KEY", "the metric that decides, a reps.csv key (default: the "
		"primary io time, io_ns)"),
	OPT_PTR("threshold", A, threshold, "PCT%", "a step is bad when its change is significantly "
		"beyond this, good when its 95% CI excludes it (default +2%; negative: a drop is bad)"),
	OPT_PTR("results", A, results, "DIR", "where bisect/GOOD..BAD goes (default results)"),
	OPT_INT("boots", A, boots, 1, NB_MAX_BOOTS, 0, "N", NB_IN_CLI | NB_HELP_DEF,
		"boots per arm of every step, overriding the file"),
	OPT_INT("reps", A, reps, 0, NB_MAX_REPS, 0, "N", NB_IN_CLI | NB_HELP_DEF,
		"timing repetitions per boot, overriding the file"),
	OPT_FLAG("step", A, step, "(run by git bisect run) decide the worktree's BISECT_HEAD: exit 0 "
		 "good, 1 bad, 125 skip"),
	OPT_END
};

static const char bisect_what[] =
	"git bisect run over the kernel tree TREE from REV good to REV bad, one\n"
	"experiment per step (EXPERIMENT.ini with two variants whose kernels are\n"
	"'base', the good revision, and 'patched', the step's), decided as a\n"
	"--fail-if gate: bad when the change is significantly beyond the threshold,\n"
	"good when its 95% CI excludes that, skipped otherwise (or when boots or the\n"
	"build failed). Prints the first bad commit and every step's evidence; the\n"
	"same command again resumes an interrupted bisect (results/bisect/GOOD..BAD/\n"
	"bisect.log keeps every step). Exit status: 0 the first bad commit found,\n"
	"1 a failure it names, 2 usage, 4 skipped steps left several candidates.";

/* ---- processes: argv, never a shell ---- */

/*
 * Runs argv (found in PATH) with env ("K=V", NULL-terminated, or NULL)
 * added; stdout into buf (when len) or out_fd (when >= 0), stderr into
 * err_fd when >= 0. The exit status, 128 + a killing signal, or -errno.
 */
static int run(char *const argv[], char *const env[], int out_fd, int err_fd, char *buf, size_t len)
{
	int p[2] = { -1, -1 }, status, i;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	if (len && pipe2(p, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* a killed bisect leaves nothing running */
		for (i = 0; env && env[i]; i++)
			putenv(env[i]);
		if (len)
			dup2(p[1], 1);
		else if (out_fd >= 0)
			dup2(out_fd, 1);
		if (err_fd >= 0)
			dup2(err_fd, 2);
		execvp(argv[0], argv);
		dprintf(2, "nestbench bisect: cannot execute %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (len) {
		close(p[1]);
		while ((r = read(p[0], buf + n, len - 1 - n)) > 0 || (r < 0 && errno == EINTR))
			n += r > 0 ? r : 0;
		buf[n] = '\0';
		while (n && buf[n - 1] == '\n')
			buf[--n] = '\0';
		close(p[0]);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * git -C DIR ARGS...: stdout into out (when len), else with stderr into fd;
 * fd -1: /dev/null (the callers say what failed in their own words).
 */
static int git(const char *dir, int fd, char *out, size_t len, const char *const *args)
{
	static int null_fd = -1;
	const char *argv[24] = { "git", "-C", dir };
	int i;

	if (fd < 0 && null_fd < 0)
		null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		fd = null_fd;
	for (i = 0; args[i] && i < 20; i++)
		argv[3 + i] = args[i];
	return run((char *const *)argv, NULL, len ? -1 : fd, fd, out, len);
}

#define GIT(dir, out, len, ...) git(dir, -1, out, len, (const char *const[]){ __VA_ARGS__, NULL })
#define GIT_LOG(fd, dir, ...) git(dir, fd, NULL, 0, (const char *const[]){ __VA_ARGS__, NULL })

/* A file to append a child's output to; -1 (said) if it cannot be opened. */
static int log_fd(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd < 0)
		fprintf(stderr, "nestbench bisect: cannot open %s: %s\n", path, strerror(errno));
	return fd;
}

/* argv with its stdout and stderr appended to logf. */
static int run_logged(char *const argv[], char *const env[], const char *logf)
{
	int fd = log_fd(logf), ret;

	if (fd < 0)
		return -EIO;
	ret = run(argv, env, fd, fd, NULL, 0);
	close(fd);
	return ret;
}

/* ---- setup ---- */

/* This nestbench, its agent (beside it) and its tree (above it, holding images/build-all.sh). */
static int find_self(struct bisect *b)
{
	ssize_t n = readlink("/proc/self/exe", b->exe, sizeof(b->exe) - 1);
	char *slash;
	int up;

	if (n <= 0)
		return -ENOENT;
	b->exe[n] = '\0';
	snprintf(b->top, sizeof(b->top), "%s", b->exe);
	slash = strrchr(b->top, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	snprintf(b->agent, sizeof(b->agent), "%.*s/arm64/nbagent", PATH_MAX - 20, b->top);
	for (up = 0; up < 3; up++) {
		char probe[PATH_MAX + 32];

		snprintf(probe, sizeof(probe), "%s/images/build-all.sh", b->top);
		if (!access(probe, X_OK))
			return 0;
		slash = strrchr(b->top, '/');
		if (!slash || slash == b->top)
			break;
		*slash = '\0';
	}
	return -ENOENT;
}

static int absolute(const char *path, char *out, size_t len, const char *what)
{
	if (realpath(path, out))
		return 0;
	fprintf(stderr, "nestbench bisect: %s %s: %s\n", what, path, strerror(errno));
	return -errno;
}

/* REV as a full commit hash of the tree. */
static int resolve_rev(struct bisect *b, const char *opt, const char *rev, char *out)
{
	char spec[512], buf[128];

	snprintf(spec, sizeof(spec), "%s^{commit}", rev);
	if (rev[0] != '-' && !GIT(b->tree, buf, sizeof(buf), "rev-parse", "--verify", "--quiet", spec) &&
	    strlen(buf) == 40) {
		memcpy(out, buf, 41);
		return 0;
	}
	fprintf(stderr, "nestbench bisect: --%s %s: not a commit of %s\n", opt, rev, b->tree);
	return -EINVAL;
}

static int revisions(struct bisect *b)
{
	char buf[64];

	if (GIT(b->tree, buf, sizeof(buf), "rev-parse", "--git-dir")) {
		fprintf(stderr, "nestbench bisect: --ksrc %s is not a git tree\n", b->tree);
		return -EINVAL;
	}
	if (resolve_rev(b, "good", b->a.good, b->good) || resolve_rev(b, "bad", b->a.bad, b->bad))
		return -EINVAL;
	if (!strcmp(b->good, b->bad) ||
	    GIT(b->tree, buf, sizeof(buf), "merge-base", "--is-ancestor", b->good, b->bad)) {
		fprintf(stderr, "nestbench bisect: --good %s is not an ancestor of --bad %s\n",
			b->a.good, b->a.bad);
		return -EINVAL;
	}
	return 0;
}

/* Two arms, their kernels the images manifest's base and patched only. */
static int experiment_check(struct bisect *b)
{
	char err[512];
	int v, l, patched = 0;

	if (exp_load(b->file, &b->e, err, sizeof(err)))
		return fprintf(stderr, "nestbench bisect: %s\n", err), -EINVAL;
	if (b->e.nvariants != 2)
		return fprintf(stderr, "nestbench bisect: %s has %d variants; a step compares two, "
			       "one booting 'base' (the good revision), one 'patched' (the step's)\n",
			       b->file, b->e.nvariants), -EINVAL;
	for (v = 0; v < 2; v++)
		for (l = 0; l <= b->e.plan.depth; l++) {
			const char *k = b->e.v[v].kernels[l];

			if (strcmp(k, "base") && strcmp(k, "patched"))
				return fprintf(stderr, "nestbench bisect: variant %s boots kernel '%s' at L%d; "
					       "a step has only 'base' and 'patched'\n", b->e.v[v].name, k, l),
				       -EINVAL;
			patched += !strcmp(k, "patched");
		}
	if (!patched)
		return fprintf(stderr, "nestbench bisect: no variant of %s boots 'patched': the steps "
			       "would not test their revision\n", b->file), -EINVAL;
	return 0;
}

static int threshold(struct bisect *b)
{
	struct nb_claim c;
	char err[256];

	if (nb_claim_parse(b->a.threshold, &c, err, sizeof(err)) || c.key[0]) {
		fprintf(stderr, "nestbench bisect: --threshold '%s': expected PCT%%, e.g. +2%% or -5%%\n",
			b->a.threshold);
		return -EINVAL;
	}
	b->gate = (struct nb_gate){ .op = c.pct < 0 ? '<' : '>', .pct = c.pct };
	snprintf(b->gate.key, sizeof(b->gate.key), "%s", b->a.metric ? b->a.metric : "io_ns");
	return 0;
}

static int metric_check(const char *m)
{
	size_t n = m ? strlen(m) : 1;

	if (!m || (n < NB_GATE_KEY && strspn(m, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					     "0123456789._") == n && n))
		return 0;
	fprintf(stderr, "nestbench bisect: --metric '%s': expected a reps.csv key, e.g. io_ns\n", m);
	return -EINVAL;
}

/* What every verdict depends on: a log made with another setup is not this bisect's. */
static void setup_line(const struct bisect *b, char *buf, size_t len)
{
	size_t n = 0;
	char *text = nb_read_file(b->file, &n);
	unsigned long crc = crc32(0, (const unsigned char *)text, text ? n : 0);

	free(text);
	snprintf(buf, len, "good=%s bad=%s metric=%s threshold=%c%g%% boots=%d reps=%d experiment-crc32=%08lx",
		 b->good, b->bad, b->gate.key, b->gate.op, b->gate.pct, b->a.boots, b->a.reps, crc);
}

static int paths(struct bisect *b)
{
	char cache[PATH_MAX];
	int ret;

	if (nb_mkdir_p(b->a.results) || absolute(b->a.results, b->results, sizeof(b->results), "--results"))
		return -EINVAL;
	snprintf(b->state, sizeof(b->state), "%.3000s/bisect/%.12s..%.12s", b->results, b->good, b->bad);
	/* the tree's path too: a clone holds the same revisions, but not these refs/bisect/ */
	snprintf(b->wt, sizeof(b->wt), "%.3000s/bisect/%.12s..%.12s-%08lx", nb_cache_dir(cache, sizeof(cache)),
		 b->good, b->bad, crc32(0, (const unsigned char *)b->tree, strlen(b->tree)));
	ret = nb_mkdir_p(b->state);
	if (ret)
		fprintf(stderr, "nestbench bisect: cannot create %s: %s\n", b->state, strerror(-ret));
	return ret;
}

/* 0, 1 for --help (printed), -EINVAL on a usage error (said). */
static int parse_args(int argc, char **argv, struct bisect *b)
{
	struct nb_optgroup g[] = { { bisect_opts, &b->a }, { NULL } };
	int first;

	b->a = (struct bisect_args){ .threshold = "+2%", .results = "results" };
	first = nb_opt_parse("bisect", argc, argv, g);
	if (first == NB_OPT_HELP)
		return nb_opt_usage(stdout, "bisect", "--ksrc TREE --good REV --bad REV [options] "
				    "EXPERIMENT.ini", bisect_what, g), 1;
	if (first < 0 || nb_opt_operands("bisect", argc, argv, first, 1, 1))
		return -EINVAL;
	if (!b->a.ksrc || !b->a.good || !b->a.bad) {
		fprintf(stderr, "nestbench bisect: --ksrc, --good and --bad are required\n"
			"see 'nestbench bisect --help'\n");
		return -EINVAL;
	}
	if (threshold(b) || metric_check(b->a.metric) ||
	    absolute(argv[first], b->file, sizeof(b->file), "experiment file") ||
	    absolute(b->a.ksrc, b->tree, sizeof(b->tree), "--ksrc"))
		return -EINVAL;
	return experiment_check(b) ?: revisions(b);
}

/* ---- the log ---- */

static int log_path(const struct bisect *b, char *path, size_t len, const char *name)
{
	return snprintf(path, len, "%s/%s", b->state, name) >= (int)len ? -ENAMETOOLONG : 0;
}

/* bisect.log into b->log: a new one when there is none; -EEXIST when it is another setup's. */
static int log_load(struct bisect *b)
{
	char path[PATH_MAX + 16], setup[BISECT_SETUP_LEN], err[512], *text;
	int ret;

	setup_line(b, setup, sizeof(setup));
	log_path(b, path, sizeof(path), "bisect.log");
	text = nb_read_file(path, NULL);
	if (!text) {
		memset(&b->log, 0, sizeof(b->log));
		snprintf(b->log.setup, sizeof(b->log.setup), "%s", setup);
		return errno == ENOENT ? 0 : -errno;
	}
	ret = bisect_log_parse(text, &b->log, err, sizeof(err));
	free(text);
	if (ret)
		return fprintf(stderr, "nestbench bisect: %s: %s\n", path, err), ret;
	if (strcmp(b->log.setup, setup))
		return fprintf(stderr, "nestbench bisect: %s is a bisect with other settings:\n  %s\n"
			       "this one is\n  %s\n  fix: the same options and experiment file, or another "
			       "--results\n", path, b->log.setup, setup), -EEXIST;
	return 0;
}

static int log_save(struct bisect *b)
{
	char path[PATH_MAX + 16], *text = bisect_log_format(&b->log);
	int ret;

	log_path(b, path, sizeof(path), "bisect.log");
	ret = text ? nb_write_file(path, text, strlen(text)) : -ENOMEM;
	free(text);
	if (ret)
		fprintf(stderr, "nestbench bisect: cannot write %s: %s\n", path, strerror(-ret));
	return ret;
}

/* ---- one step ---- */

/* The experiment directory a step made, "" if none yet: STEP/NAME/TIMESTAMP, the newest. */
static void step_results(const struct bisect *b, const char *stepdir, char *out, size_t len)
{
	char dir[2 * PATH_MAX], probe[3 * PATH_MAX];
	struct dirent **ents;
	int n, i;

	out[0] = '\0';
	snprintf(dir, sizeof(dir), "%s/%s", stepdir, b->e.name);
	n = scandir(dir, &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		snprintf(probe, sizeof(probe), "%s/%s/experiment.ini", dir, ents[i]->d_name);
		if (ents[i]->d_name[0] != '.' && !access(probe, R_OK))
			snprintf(out, len, "%s/%s", b->e.name, ents[i]->d_name);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

/* images/build-all.sh for this step: base = good, patched = good + diff to rev. */
static int step_images(const struct bisect *b, const char *rev, const char *stepdir)
{
	char script[PATH_MAX + 32], manifest[3 * PATH_MAX], logf[3 * PATH_MAX];
	char ksrc[PATH_MAX + 8], base[64], patched[64];
	char *argv[] = { script, (char *)b->agent, manifest, NULL };
	char *env[] = { ksrc, base, patched, NULL };

	snprintf(script, sizeof(script), "%s/images/build-all.sh", b->top);
	snprintf(manifest, sizeof(manifest), "%s/images.manifest", stepdir);
	snprintf(logf, sizeof(logf), "%s/images.log", stepdir);
	snprintf(ksrc, sizeof(ksrc), "KSRC=%s", b->tree);
	snprintf(base, sizeof(base), "BASE=%s", b->good);
	snprintf(patched, sizeof(patched), "PATCHED=%s", rev);
	return run_logged(argv, env, logf);
}

/* nestbench experiment with the step's images: a new one, or --resume the interrupted one. */
static int step_experiment(const struct bisect *b, const char *stepdir, const char *resume)
{
	char manifest[3 * PATH_MAX], logf[3 * PATH_MAX], boots[16], reps[16];
	char *argv[16] = { (char *)b->exe, "experiment", "--images", manifest };
	int n = 4;

	snprintf(manifest, sizeof(manifest), "%s/images.manifest", stepdir);
	snprintf(logf, sizeof(logf), "%s/experiment.log", stepdir);
	if (resume) {
		argv[n++] = "--resume";
		argv[n++] = (char *)resume;
	} else {
		argv[n++] = "--results";
		argv[n++] = (char *)stepdir;
		snprintf(boots, sizeof(boots), "%d", b->a.boots);
		snprintf(reps, sizeof(reps), "%d", b->a.reps);
		if (b->a.boots) {
			argv[n++] = "--boots";
			argv[n++] = boots;
		}
		if (b->a.reps) {
			argv[n++] = "--reps";
			argv[n++] = reps;
		}
		argv[n++] = (char *)b->file;
	}
	argv[n] = NULL;
	return run_logged(argv, NULL, logf);
}

/* The non-baseline arm's change on the metric, into s. */
static void step_decide(const struct bisect *b, const char *dir, struct bisect_step *s)
{
	struct nb_results *r = NULL;
	const struct nb_metric *m;
	const struct nb_boot_cmp *k = NULL;
	struct nb_boot_opts o;
	char err[512];
	size_t v;

	nb_boot_defaults(&o);
	s->verdict = BISECT_FAILED;
	if (nb_results_load(dir, &r, err, sizeof(err)) || nb_results_analyze(r, &o)) {
		snprintf(s->why, sizeof(s->why), "the results do not load: %.200s", err);
		goto out;
	}
	m = b->a.metric ? nb_results_find(r, b->a.metric) : nb_results_primary(r);
	if (!m) {
		snprintf(s->why, sizeof(s->why), "no metric '%s' in the results (summary.csv's metric column)",
			 b->gate.key);
		goto out;
	}
	for (v = 0; v < nb_results_nvariants(r) && !k; v++)
		if (v != nb_results_baseline(r))
			k = nb_results_cmp(m, v);
	if (!k || m->role == NB_ROLE_DISTURBED) {
		s->verdict = BISECT_SKIP;
		snprintf(s->why, sizeof(s->why), "inconclusive: no comparison of %s", m->key);
		goto out;
	}
	s->est = k->verdict.pct.est;
	s->lo = k->verdict.pct.lo;
	s->hi = k->verdict.pct.hi;
	s->p = k->verdict.p;
	s->verdict = bisect_decide(&k->verdict, &b->gate, s->why, sizeof(s->why));
out:
	nb_results_free(r);
}

static void step_say(const struct bisect_step *s, const char *how)
{
	char d[NB_FMT_LEN], ci[2 * NB_FMT_LEN + 8];
	struct nb_interval i = { s->est, s->lo, s->hi };

	nb_fmt_change(d, sizeof(d), ci, sizeof(ci), s->est, &i);
	fprintf(stderr, "nestbench bisect: step %.12s: %s%s (%s, 95%% CI %s): %s\n", s->rev,
		bisect_verdict_name(s->verdict), how, d, ci, s->why);
}

/* Build, run (or resume) and decide one revision; the log is saved at each stage. */
static int step_run(struct bisect *b, struct bisect_step *s)
{
	char stepdir[2 * PATH_MAX], exp[4 * PATH_MAX], found[PATH_MAX];
	int ret;

	snprintf(s->dir, sizeof(s->dir), "steps/%.12s", s->rev);
	snprintf(stepdir, sizeof(stepdir), "%s/%s", b->state, s->dir);
	s->verdict = BISECT_RUNNING;
	snprintf(s->why, sizeof(s->why), "building and booting");
	if (nb_mkdir_p(stepdir) || log_save(b))
		return EXIT_ABORT;
	fprintf(stderr, "nestbench bisect: step %.12s: building (log: %s/images.log)\n", s->rev, stepdir);
	if (step_images(b, s->rev, stepdir)) {
		s->verdict = BISECT_FAILED;
		snprintf(s->why, sizeof(s->why), "the images did not build: see images.log");
		return log_save(b) ? EXIT_ABORT : 125;
	}
	step_results(b, stepdir, found, sizeof(found));
	snprintf(exp, sizeof(exp), "%s/%s", stepdir, found);
	fprintf(stderr, "nestbench bisect: step %.12s: %s experiment (log: %s/experiment.log)\n", s->rev,
		found[0] ? "resuming its" : "running the", stepdir);
	ret = step_experiment(b, stepdir, found[0] ? exp : NULL);
	step_results(b, stepdir, found, sizeof(found));
	if (ret == 2 || ret < 0 || !found[0]) {
		s->verdict = BISECT_FAILED;
		snprintf(s->why, sizeof(s->why), "the experiment did not start: see experiment.log");
		log_save(b);
		return EXIT_ABORT;	/* it would not start at any other step either */
	}
	snprintf(s->dir, sizeof(s->dir), "steps/%.12s/%.200s", s->rev, found);
	snprintf(exp, sizeof(exp), "%s/%s", b->state, s->dir);
	step_decide(b, exp, s);
	if (ret == 1) {		/* boots failed: tried again, resumed, by the next run */
		s->verdict = BISECT_FAILED;
		snprintf(s->why, sizeof(s->why), "boots failed, resumed by the next run: see run.log");
	}
	return log_save(b) ? EXIT_ABORT : bisect_exit_code(s->verdict);
}

/*
 * git bisect run exports the bisecting worktree's GIT_DIR (and GIT_PREFIX)
 * to its command: left set, every git below (images/build-all.sh's
 * worktree, build-kernel.sh's source identity) would read the bisecting
 * worktree's HEAD instead of its own. `git rev-parse --local-env-vars`.
 */
static void forget_git_repo(void)
{
	static const char *const vars[] = {
		"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS",
		"GIT_CONFIG_COUNT", "GIT_OBJECT_DIRECTORY", "GIT_DIR", "GIT_WORK_TREE",
		"GIT_IMPLICIT_WORK_TREE", "GIT_GRAFT_FILE", "GIT_INDEX_FILE", "GIT_NO_REPLACE_OBJECTS",
		"GIT_REPLACE_REF_BASE", "GIT_PREFIX", "GIT_INTERNAL_SUPER_PREFIX", "GIT_SHALLOW_FILE",
		"GIT_COMMON_DIR", NULL
	};
	int i;

	for (i = 0; vars[i]; i++)
		unsetenv(vars[i]);
}

/* git bisect run's callback: the verdict on the worktree's BISECT_HEAD. */
static int step(struct bisect *b)
{
	struct bisect_step *s;
	char rev[64];
	int ret;

	prctl(PR_SET_PDEATHSIG, SIGTERM);	/* git bisect run gone: so is this step */
	if (GIT(b->wt, rev, sizeof(rev), "rev-parse", "--verify", "BISECT_HEAD") || strlen(rev) != 40) {
		fprintf(stderr, "nestbench bisect --step: no bisection in progress in %s\n", b->wt);
		return EXIT_ABORT;
	}
	if (log_load(b))
		return EXIT_ABORT;
	s = bisect_log_step(&b->log, rev);
	if (!s)
		return fprintf(stderr, "nestbench bisect: more than %d steps\n", BISECT_MAX_STEPS), EXIT_ABORT;
	if (bisect_decided(s->verdict)) {
		step_say(s, " (decided before: reused)");
		return bisect_exit_code(s->verdict);
	}
	ret = step_run(b, s);
	if (ret != EXIT_ABORT)
		step_say(s, "");
	return ret;
}

/* ---- the whole bisect ---- */

/* The worktree git bisects in: no files checked out, the steps need none. */
static int worktree(const struct bisect *b, int fd)
{
	char path[PATH_MAX + 16], parent[PATH_MAX];

	snprintf(path, sizeof(path), "%s/.git", b->wt);
	if (!access(path, F_OK))
		return 0;
	snprintf(parent, sizeof(parent), "%s", b->wt);
	*strrchr(parent, '/') = '\0';
	if (nb_mkdir_p(parent) ||
	    GIT_LOG(fd, b->tree, "worktree", "add", "--no-checkout", "--detach", b->wt, b->bad)) {
		fprintf(stderr, "nestbench bisect: cannot add a worktree of %s at %s (%s/git-bisect-run.log)\n"
			"  fix: git -C %s worktree prune, then try again\n", b->tree, b->wt, b->state, b->tree);
		return -EIO;
	}
	return 0;
}

/* git bisect run of our own --step, with the options of this run (paths absolute). */
static int bisect_run(const struct bisect *b, int out_fd)
{
	char boots[16], reps[16];
	const char *argv[32] = { "git", "-C", b->wt, "bisect", "run", b->exe, "bisect", "--step",
				 "--ksrc", b->tree, "--good", b->good, "--bad", b->bad,
				 "--threshold", b->a.threshold, "--results", b->results };
	int n = 18;

	snprintf(boots, sizeof(boots), "%d", b->a.boots);
	snprintf(reps, sizeof(reps), "%d", b->a.reps);
	if (b->a.metric) {
		argv[n++] = "--metric";
		argv[n++] = b->a.metric;
	}
	if (b->a.boots) {
		argv[n++] = "--boots";
		argv[n++] = boots;
	}
	if (b->a.reps) {
		argv[n++] = "--reps";
		argv[n++] = reps;
	}
	argv[n++] = b->file;
	argv[n] = NULL;
	return run((char *const *)argv, NULL, out_fd, -1, NULL, 0);
}

/* The first bad commit from git bisect log, or the candidates when only skipped ones were left. */
static int first_bad(const char *log, char *first, size_t len)
{
	static const char one[] = "# first bad commit: [", maybe[] = "# possible first bad commit: [";
	const char *p = strstr(log, one);
	size_t n = 0;

	first[0] = '\0';
	if (p && strlen(p + strlen(one)) >= 40) {
		snprintf(first, len, "%.40s", p + strlen(one));
		return 1;
	}
	for (p = strstr(log, maybe); p && n + 42 < len; p = strstr(p + 1, maybe))
		n += snprintf(first + n, len - n, "%s%.40s", n ? " " : "", p + strlen(maybe));
	return 0;
}

static void subject(const struct bisect *b, const char *rev, char *out, size_t len, size_t max)
{
	char buf[512], *s;

	if (GIT(b->tree, buf, sizeof(buf), "log", "-1", "--format=%s", rev))
		buf[0] = '\0';
	s = nb_printable(buf, strlen(buf), max);
	snprintf(out, len, "%s", s ? s : "");
	free(s);
}

/* The evidence, one line per step in the order they ran. */
static void evidence(const struct bisect *b, FILE *f)
{
	char d[NB_FMT_LEN], ci[2 * NB_FMT_LEN + 8], p[NB_FMT_LEN], subj[160];
	int i;

	fprintf(f, "every step against the good revision %.12s (%s, threshold %+g%%):\n",
		b->good, b->gate.key, b->gate.pct);
	fprintf(f, "  %-12s  %-40s  %8s  %-20s  %-8s  %s\n", "revision", "subject", "change",
		"95% CI", "p", "verdict");
	for (i = 0; i < b->log.n; i++) {
		const struct bisect_step *s = &b->log.s[i];
		struct nb_interval iv = { s->est, s->lo, s->hi };

		nb_fmt_change(d, sizeof(d), ci, sizeof(ci), s->est, &iv);
		if (isnan(s->p))
			snprintf(p, sizeof(p), "n/a");
		else
			nb_fmt_p(p, sizeof(p), s->p);
		subject(b, s->rev, subj, sizeof(subj), 37);
		fprintf(f, "  %.12s  %-40s  %8s  %-20s  %-8s  %s\n", s->rev, subj, d, ci, p,
			bisect_verdict_name(s->verdict));
	}
	for (i = 0; i < b->log.n; i++)
		fprintf(f, "  %.12s: %s (%s)\n", b->log.s[i].rev, b->log.s[i].why, b->log.s[i].dir);
}

/* The answer on stdout and in bisect.txt; the exit status. */
static int conclude(struct bisect *b, const char *gitlog)
{
	char first[1024], subj[160], path[PATH_MAX + 16];
	struct nb_out o;
	int found = first_bad(gitlog, first, sizeof(first)), k;

	if (log_load(b))
		return 1;
	if (nb_out_open(&o))
		return 1;
	if (found) {
		subject(b, first, subj, sizeof(subj), 100);
		fprintf(o.f, "first bad commit: %s %s\n\n", first, subj);
		if (!bisect_log_find(&b->log, first))	/* git takes --bad as bad, unmeasured */
			fprintf(o.f, "note: %.12s is --bad, which no step measured: git bisect takes it as bad\n\n",
				first);
	} else {
		fprintf(o.f, "no single first bad commit: skipped (inconclusive) steps leave %s\n\n",
			first[0] ? first : "no candidate");
	}
	evidence(b, o.f);
	fflush(o.f);
	fwrite(o.buf, 1, o.len, stdout);
	log_path(b, path, sizeof(path), "bisect.txt");
	k = nb_out_commit(&o, path);
	printf("\nbisect log and every step's results: %s\n", b->state);
	if (k)
		fprintf(stderr, "nestbench bisect: cannot write %s: %s\n", path, strerror(-k));
	return found ? 0 : first[0] ? EXIT_SKIPPED : 1;
}

/* One bisect at a time per log: a second one would race on it. */
static int lock_state(const struct bisect *b)
{
	char path[PATH_MAX + 16];
	int fd;

	log_path(b, path, sizeof(path), "lock");
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB)) {
		fprintf(stderr, "nestbench bisect: another nestbench bisect works in %s\n", b->state);
		if (fd >= 0)
			close(fd);
		return -EBUSY;
	}
	return fd;	/* held until exit */
}

static int drive(struct bisect *b)
{
	char gitlog[65536], path[PATH_MAX + 32];
	int ret, fd;

	if (lock_state(b) < 0 || log_load(b) || log_save(b))
		return 1;
	log_path(b, path, sizeof(path), "git-bisect-run.log");
	fd = log_fd(path);
	if (fd < 0 || worktree(b, fd))
		return 1;
	GIT_LOG(fd, b->wt, "bisect", "reset");	/* a previous run's, if any: replayed below */
	if (GIT_LOG(fd, b->wt, "bisect", "start", "--no-checkout", b->bad, b->good))
		return fprintf(stderr, "nestbench bisect: git bisect start failed in %s (%s)\n", b->wt, path), 1;
	fprintf(stderr, "nestbench bisect: %.12s (good) .. %.12s (bad) in %s; log: %s/bisect.log\n",
		b->good, b->bad, b->tree, b->state);
	ret = bisect_run(b, fd);
	close(fd);
	if (GIT(b->wt, gitlog, sizeof(gitlog), "bisect", "log"))
		gitlog[0] = '\0';
	log_path(b, path, sizeof(path), "git-bisect.log");
	nb_write_file(path, gitlog, strlen(gitlog));
	GIT(b->wt, NULL, 0, "bisect", "reset");	/* refs/bisect/ of this worktree only */
	if (ret && !strstr(gitlog, "# only skipped commits left to test")) {
		fprintf(stderr, "nestbench bisect: git bisect run stopped (status %d): see %s/git-bisect-run.log "
			"and bisect.log; the same command resumes\n", ret, b->state);
		return 1;
	}
	return conclude(b, gitlog);
}

int cmd_bisect(int argc, char **argv)
{
	static struct bisect b;
	int ret;

	forget_git_repo();	/* every git here names its own directory */
	ret = parse_args(argc, argv, &b);
	if (ret)
		return ret > 0 ? 0 : 2;
	if (find_self(&b)) {
		fprintf(stderr, "nestbench bisect: cannot find images/build-all.sh above %s\n", b.exe);
		return 1;
	}
	if (paths(&b))
		return 1;
	return b.a.step ? step(&b) : drive(&b);
}
