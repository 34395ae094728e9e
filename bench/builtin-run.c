// SPDX-License-Identifier: GPL-2.0
/* nestbench run: boot the nested stack once and run the workload. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/builtin.h"
#include "bench/manifest.h"
#include "bench/run.h"
#include "stack/knobs.h"
#include "stack/platform.h"
#include "stack/util.h"
#include "workloads/workload.h"

/* --param KEY=V, kept as "KEY=V\n" lines until the workload and the depth are known. */
static int add_param(void *cfg, const char *v, char *err, size_t len)
{
	struct run_cfg *c = cfg;
	size_t n = strlen(c->param_buf);

	if (!strchr(v, '=') || strchr(v, '\n') ||
	    snprintf(c->param_buf + n, sizeof(c->param_buf) - n, "%s\n", v) >= (int)(sizeof(c->param_buf) - n))
		return snprintf(err, len, "--param '%s': use KEY=VALUE (a key of the workload)", v), -EINVAL;
	c->params = c->param_buf;
	return 0;
}

static const char *const frames_names[] = { "raw", "console", NULL };

#define C struct run_cfg
/* run's own options; the boot's options are stack/knobs.c's. */
static const struct nb_opt run_opts[] = {
	OPT_CALL("param", add_param, NULL, "KEY=V", NB_IN_CLI,
		 "a key of the workload (hackbench: loops=100; repeat it); defaults are sized per depth"),
	OPT_PTR("variant", C, variant, "NAME", "arm label in the CSV (default: the kernel, or 'mixed')"),
	OPT_PTR("out", C, outdir, "DIR", "results directory (default results/run/<timestamp>)"),
	OPT_PTR("images", C, images, "FILE", "images manifest (default build/images.manifest, from 'make images')"),
	OPT_PTR("experiment", C, experiment, "NAME", "experiment name in the CSV (default run)"),
	OPT_INT("boot", C, boot, 1, 1 << 20, 1, "N", NB_IN_CLI, "boot number in the CSV"),
	OPT_INT("timeout", C, timeout, 0, 30 * 86400, 3600, "S", NB_IN_CLI,
		"host wall-clock limit for the whole boot (0: none)"),
	OPT_ENUM("frames", C, frames_console, frames_names, 0, "raw|console", NB_IN_CLI,
		 "console: also print every frame armoured on stdout (NBF1 lines), for a LAVA job's log "
		 "(a lab's NV server runs the boot, docs/lab.md)"),
	OPT_END
};

static const char run_what[] =
	"Boot L0 -> ... -> L<depth> once, run the workload in the innermost guest,\n"
	"write raw results, reps.csv and boots.csv to the results directory.\n"
	"Exit status: 0 measured, 1 a level failed (its report in raw/), 2 usage.";

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

/* What the table cannot say alone: names, the platform, the workload, the plan as a whole. */
static int run_validate(struct run_cfg *c, char *err, size_t len)
{
	if (c->variant && nb_name_check(c->variant))
		return snprintf(err, len, "--variant '%s': use a name of A-Z a-z 0-9 . _ + -", c->variant), -EINVAL;
	if (nb_name_check(c->experiment))
		return snprintf(err, len, "--experiment '%s': use a name of A-Z a-z 0-9 . _ + -",
				c->experiment), -EINVAL;
	return nb_platform_resolve(&c->plan.platform, err, len) ?:
	       nb_wl_plan_prepare(&c->plan, c->params, err, len) ?:
	       nb_plan_validate(&c->plan, err, len);
}

/* Options into cfg, validated once; 0, 1 after --help, or 2 (usage) with the error printed. */
int run_parse(int argc, char **argv, struct run_cfg *c)
{
	struct nb_optgroup g[] = { { nb_plan_knobs, &c->plan }, { run_opts, c }, { NULL } };
	char err[512];
	int first;

	memset(c, 0, sizeof(*c));
	nb_opt_defaults(run_opts, c);
	nb_plan_defaults(&c->plan, 2);
	c->experiment = "run";
	c->images = "build/images.manifest";
	first = nb_opt_parse("run", argc, argv, g);
	if (first == NB_OPT_HELP) {
		nb_opt_usage(stdout, "run", "[options]", run_what, g);
		return 1;
	}
	if (first < 0 || nb_opt_operands("run", argc, argv, first, 0, 0))
		return 2;
	if (run_validate(c, err, sizeof(err))) {
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

	memset(&e, 0, sizeof(e));
	e.plan = c->plan;
	e.nvariants = 1;
	snprintf(e.name, sizeof(e.name), "%s", c->experiment);
	snprintf(e.v[0].name, sizeof(e.v[0].name), "%s", c->variant);
	for (l = 0; l <= e.plan.depth; l++)
		snprintf(e.v[0].kernels[l], sizeof(e.v[0].kernels[l]), "%s", c->plan.lv[l].kernel);
	manifest_write(c->outdir, &e, &c->plan, c->images);
}

int cmd_run(int argc, char **argv)
{
	struct run_cfg cfg;
	int ret = run_parse(argc, argv, &cfg);

	if (ret)
		return ret == 1 ? 0 : ret;
	if (images_check(cfg.images, &cfg.plan))
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
