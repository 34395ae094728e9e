// SPDX-License-Identifier: GPL-2.0
/* nestbench run: boot the nested stack once and run the workload. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/builtin.h"
#include "bench/manifest.h"
#include "bench/run.h"
#include "stack/util.h"
#include "workloads/workload.h"

struct opt {
	const char *name, *arg, *help;
};

static const struct opt run_opts[] = {
	{ "depth",        "N",        "innermost level, 1..4 (default 2: L0 -> L1 -> L2)" },
	{ "kernel",       "VARIANT",  "kernel variant at every level (base, patched; default patched)" },
	{ "kernels",      "L0=V,..",  "kernel variant per level, e.g. L0=base,L1=patched" },
	{ "variant",      "NAME",     "arm label in the CSV (default: the kernel, or 'mixed')" },
	{ "mem",          "L1=MiB,..", "memory per level (defaults halve from L0's 3072)" },
	{ "cpus",         "L0=N,..",  "vCPUs per level (default L0=2, others 1)" },
	{ "reps",         "N",        "timing repetitions per boot (default 3)" },
	{ "bare",         "N",        "timing repetitions without perf counters after them: the counters' overhead (default 0)" },
	{ "counting",     "N",        "counting repetitions (ring-buffer tracing) after those (default 1)" },
	{ "exits",        "N",        "exit repetitions after those: perf kvm stat at L0, L0's exits by reason (default 0)" },
	{ "perf",         "on|off",   "perf stat counts every timing repetition at the emulating levels (default on)" },
	{ "pin",          "on|off",   "each child's QEMU on its parent's last CPUs, the parent's own processes on the rest (default on)" },
	{ "warmup",       "N",        "warm-up repetitions first, excluded from statistics (default 0)" },
	{ "platform",     "auto|emulated|host", "host: L0 is this arm64 NV machine; auto picks host when KVM_CAP_ARM_EL2 (default auto)" },
	{ "clock",        "icount|tcg-wall", "emulated L0's clock (default icount)" },
	{ "exceptions",   "off|counting|all", "log the emulated CPU's exceptions in these repetitions (default counting; docs/counting.md)" },
	{ "workload",     "NAME",     "what the innermost guest runs: fio, hackbench or micro (default fio)" },
	{ "param",        "KEY=V",    "a key of the workload (hackbench: loops=100; repeat it); defaults are sized per depth" },
	{ "job",          "FILE",     "fio job file for the innermost guest (default: 4k randread psync direct, 8 MiB)" },
	{ "out",          "DIR",      "results directory (default results/run/<timestamp>)" },
	{ "images",       "FILE",     "images manifest (default build/images.manifest, from 'make images')" },
	{ "experiment",   "NAME",     "experiment name in the CSV (default run)" },
	{ "boot",         "N",        "boot number in the CSV (default 1)" },
	{ "boot-timeout", "S",        "seconds a level may take to boot (default 900)" },
	{ "idle-timeout", "S",        "seconds of silence before a level counts as hung (default 300)" },
	{ "timeout",      "S",        "host wall-clock limit for the whole boot (default 3600)" },
	{ "fault",        "Ln:KIND",  "inject a fault for tests: noboot, panic or hang at level n" },
	{ "help",         NULL,       "this text" },
	{ NULL },
};

static void usage(FILE *f)
{
	const struct opt *o;
	char left[40];

	fprintf(f, "usage: nestbench run [options]\n\nBoot L0 -> ... -> L<depth> once, run the workload in the innermost guest,\n"
		"write raw results, reps.csv and boots.csv to the results directory.\n\n");
	for (o = run_opts; o->name; o++) {
		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-26s %s\n", left, o->help);
	}
}

static const char *host_machine(void)
{
	static struct utsname u;

	uname(&u);
	return u.machine;
}

/* "L0=base,L2=patched" -> callback per level */
static int per_level(const char *s, struct nb_plan *p, int (*set)(struct nb_plan *, int, const char *))
{
	char *dup = strdup(s), *tok, *save = NULL;
	int ret = 0, l;

	for (tok = strtok_r(dup, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq || tok[0] != 'L')
			ret = -EINVAL;
		else
			*eq = '\0';
		if (!ret)
			ret = nb_parse_int(tok + 1, 0, NB_MAX_DEPTH, &l) ?: set(p, l, eq + 1);
	}
	free(dup);
	return ret;
}

static int set_kernel(struct nb_plan *p, int l, const char *v)
{
	snprintf(p->lv[l].kernel, sizeof(p->lv[l].kernel), "%s", v);
	return 0;
}

static int set_mem(struct nb_plan *p, int l, const char *v)
{
	return nb_parse_int(v, 0, 1 << 20, &p->lv[l].mem_mb);
}

static int set_cpus(struct nb_plan *p, int l, const char *v)
{
	return nb_parse_int(v, 1, 64, &p->lv[l].cpus);
}

static int set_job(struct nb_plan *p, const char *path)
{
	char *job = nb_read_file(path, NULL);

	if (!job) {
		fprintf(stderr, "nestbench: cannot read fio job file %s: %s\n", path, strerror(errno));
		return -1;
	}
	free(p->job);
	p->job = job;
	return 0;
}

static int set_workload(struct nb_plan *p, const char *v)
{
	if (!nb_workload_find(v))
		return -EINVAL;
	snprintf(p->workload, sizeof(p->workload), "%s", v);
	return 0;
}

/* --param KEY=V, kept as "KEY=V\n" lines until the workload and the depth are known. */
static int add_param(struct run_cfg *c, const char *v)
{
	static char params[512];
	size_t n;

	if (!c->params)
		params[0] = '\0';	/* a new command line */
	n = strlen(params);

	if (!strchr(v, '=') || strchr(v, '\n') ||
	    snprintf(params + n, sizeof(params) - n, "%s\n", v) >= (int)(sizeof(params) - n))
		return -EINVAL;
	c->params = params;
	return 0;
}

/* A workload other than fio: its keys (checked by nb_plan_validate), the rest sized for the depth. */
static int workload_params(struct run_cfg *c, char *err, size_t errlen)
{
	const struct nb_workload *w = nb_workload_find(c->plan.workload);
	const char *given = c->params ? c->params : "";

	if (w == &nb_wl_fio)
		return c->params ? snprintf(err, errlen, "--param is not for fio: give --job FILE"), -EINVAL : 0;
	if (nb_wl_validate_keys(w, given, err, errlen))
		return -EINVAL;
	free(c->plan.job);
	c->plan.job = nb_wl_params(w, given, c->plan.depth);
	return c->plan.job ? 0 : -ENOMEM;
}

#ifndef KVM_CAP_ARM_EL2
#define KVM_CAP_ARM_EL2 240
#endif

/* 1 when this is an arm64 machine whose KVM can run an EL2 guest. */
int host_has_nv(void)
{
	int fd, ret = 0;

	if (strcmp(host_machine(), "aarch64"))
		return 0;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		ret = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL2) > 0;
		close(fd);
	}
	return ret;
}

static int platform_set(struct nb_plan *p, const char *v)
{
	if (!strcmp(v, "auto"))
		p->emulated = !host_has_nv();
	else if (!strcmp(v, "emulated"))
		p->emulated = 1;
	else if (!strcmp(v, "host")) {
		if (!host_has_nv()) {
			fprintf(stderr, "nestbench run: --platform host needs an arm64 machine whose /dev/kvm "
				"has KVM_CAP_ARM_EL2 (boot it with kvm-arm.mode=nested); this one has not.\n"
				"  fix: use --platform emulated\n");
			return -EINVAL;
		}
		p->emulated = 0;
	} else
		return -EINVAL;
	return 0;
}

static int excount_set(struct nb_plan *p, const char *v)
{
	return nb_excount_parse(v, &p->excount);
}

static struct option *long_opts(void)
{
	static struct option lo[sizeof(run_opts) / sizeof(run_opts[0])];
	int i;

	for (i = 0; run_opts[i].name; i++)
		lo[i] = (struct option){ run_opts[i].name, run_opts[i].arg ? required_argument : no_argument, NULL, 1000 + i };
	return lo;
}

/* Integer options: strict, ranged (--timeout x is an error, not 0 = no limit). */
static int int_opt(struct run_cfg *c, const char *name, const char *v, int *depth)
{
	struct nb_plan *p = &c->plan;
	const struct { const char *name; int *dst, min, max; } opts[] = {
		{ "depth", depth, 1, NB_MAX_DEPTH },
		{ "reps", &p->reps, 0, 256 },
		{ "counting", &p->counting, 0, 256 },
		{ "bare", &p->bare, 0, 256 },
		{ "exits", &p->exits, 0, 256 },
		{ "warmup", &p->warmup, 0, 256 },
		{ "boot", &c->boot, 1, 1 << 20 },
		{ "boot-timeout", &p->boot_timeout, 1, 7 * 86400 },
		{ "idle-timeout", &p->idle_timeout, 1, 7 * 86400 },
		{ "timeout", &c->timeout, 0, 30 * 86400 },
	};
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(name, opts[i].name))
			return nb_opt_int(name, v, opts[i].min, opts[i].max, opts[i].dst);
	return -EINVAL;
}

static int on_off(const char *v, int *dst)
{
	*dst = !strcmp(v, "on");
	return *dst || !strcmp(v, "off") ? 0 : -EINVAL;
}

static int parse_one(struct run_cfg *c, const char *name, const char *v, int *depth)
{
	struct nb_plan *p = &c->plan;
	int l;

	if (!strcmp(name, "kernel")) { for (l = 0; l <= NB_MAX_DEPTH; l++) set_kernel(p, l, v); return 0; }
	if (!strcmp(name, "kernels")) return per_level(v, p, set_kernel);
	if (!strcmp(name, "mem")) return per_level(v, p, set_mem);
	if (!strcmp(name, "cpus")) return per_level(v, p, set_cpus);
	if (!strcmp(name, "job")) return set_job(p, v);
	if (!strcmp(name, "workload")) return set_workload(p, v);
	if (!strcmp(name, "param")) return add_param(c, v);
	if (!strcmp(name, "fault")) return nb_fault_parse(v, &p->fault_level, &p->fault);
	if (!strcmp(name, "clock")) { p->icount = !strcmp(v, "icount"); return strcmp(v, "icount") && strcmp(v, "tcg-wall") ? -EINVAL : 0; }
	if (!strcmp(name, "platform")) return platform_set(p, v);
	if (!strcmp(name, "exceptions")) return excount_set(p, v);
	if (!strcmp(name, "perf")) return on_off(v, &p->perf);
	if (!strcmp(name, "pin")) return on_off(v, &p->pin);
	if (!strcmp(name, "variant")) { c->variant = v; return nb_name_check(v); }
	if (!strcmp(name, "out")) { c->outdir = v; return 0; }
	if (!strcmp(name, "images")) { c->images = v; return 0; }
	if (!strcmp(name, "experiment")) { c->experiment = v; return nb_name_check(v); }
	return int_opt(c, name, v, depth);
}

static const char *default_outdir(const char *experiment)
{
	static char dir[256];
	char ts[32];
	time_t t = time(NULL);

	strftime(ts, sizeof(ts), "%Y%m%d-%H%M%S", localtime(&t));
	snprintf(dir, sizeof(dir), "results/%s/%s", experiment, ts);
	return dir;
}

static const char *uniform_variant(const struct nb_plan *p)
{
	int l;

	for (l = 1; l <= p->depth; l++)
		if (strcmp(p->lv[l].kernel, p->lv[0].kernel))
			return "mixed";
	return p->lv[0].kernel;
}

/* Options into cfg, validated once; 0, or 2 (usage) with the error printed. */
int run_parse(int argc, char **argv, struct run_cfg *c)
{
	int opt, depth = 2, ret, platform_given = 0;
	char err[256];

	nb_plan_defaults(&c->plan, 2);
	*c = (struct run_cfg){ .plan = c->plan, .experiment = "run", .boot = 1, .timeout = 3600,
			       .images = "build/images.manifest" };
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", long_opts(), NULL)) != -1) {
		const char *name = opt >= 1000 ? run_opts[opt - 1000].name : "help";

		if (!strcmp(name, "help")) {
			usage(stdout);
			exit(0);
		}
		platform_given |= !strcmp(name, "platform");
		if (opt == '?' || parse_one(c, name, optarg, &depth)) {
			fprintf(stderr, "nestbench run: bad value for --%s%s%s\n  fix: see 'nestbench run --help'\n",
				opt == '?' ? "?" : name, optarg ? " " : "", optarg ? optarg : "");
			return 2;
		}
	}
	c->plan.depth = depth;
	if (!platform_given)
		c->plan.emulated = !host_has_nv();
	ret = workload_params(c, err, sizeof(err)) ?: nb_plan_validate(&c->plan, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "nestbench run: %s\n", err);
		return 2;
	}
	c->variant = c->variant ? c->variant : uniform_variant(&c->plan);
	c->outdir = c->outdir ? c->outdir : default_outdir(c->experiment);
	return 0;
}

/* The manifest of a single boot (run, micro): one variant, its kernel per level. */
void run_manifest_write(const struct run_cfg *c)
{
	static struct experiment e;
	int l;

	e = (struct experiment){ .depth = c->plan.depth, .icount = c->plan.icount, .nvariants = 1 };
	snprintf(e.name, sizeof(e.name), "%s", c->experiment);
	snprintf(e.v[0].name, sizeof(e.v[0].name), "%s", c->variant);
	for (l = 0; l <= c->plan.depth; l++)
		snprintf(e.v[0].kernels[l], sizeof(e.v[0].kernels[l]), "%s", c->plan.lv[l].kernel);
	manifest_write(c->outdir, &e, &c->plan, c->images);
}

int cmd_run(int argc, char **argv)
{
	struct run_cfg cfg;
	int ret = run_parse(argc, argv, &cfg);

	if (ret)
		return ret;
	if (images_have_workload(cfg.images, cfg.plan.workload))
		return 2;
	if (nb_mkdir_p(cfg.outdir)) {
		fprintf(stderr, "nestbench: cannot create %s: %s\n", cfg.outdir, strerror(errno));
		return 1;
	}
	fprintf(stderr, "nestbench: depth %d, %s kernels, %d+%d+%d repetitions -> %s\n", cfg.plan.depth,
		cfg.variant, cfg.plan.warmup, cfg.plan.reps, cfg.plan.counting, cfg.outdir);
	run_manifest_write(&cfg);
	ret = run_boot(&cfg);
	nb_plan_free(&cfg.plan);
	return ret ? 1 : 0;
}
