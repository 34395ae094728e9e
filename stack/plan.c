// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack/frame.h"
#include "stack/plan.h"
#include "workloads/workload.h"

static const char default_job[] =
	"[global]\n"
	"ioengine=psync\n"
	"direct=1\n"
	"rw=randread\n"
	"bs=4k\n"
	"iodepth=1\n"
	"size=8m\n"
	"filename=/dev/vdb\n"
	"[randread-4k]\n";

void nb_plan_defaults(struct nb_plan *p, int depth)
{
	int l, mem = 3072;

	memset(p, 0, sizeof(*p));
	p->depth = depth;
	p->emulated = 1;
	p->icount = 1;
	p->reps = 3;
	p->counting = 1;
	p->perf = 1;
	p->pin = 1;
	p->first_rep = 1;
	p->boot_timeout = 900;
	p->idle_timeout = 300;
	p->teardown_timeout = 300;
	p->disk_mb = 64;
	p->excount = NB_EXC_COUNTING;
	strcpy(p->workload, "fio");
	for (l = 0; l <= NB_MAX_DEPTH; l++, mem /= 2) {
		strcpy(p->lv[l].kernel, "patched");
		p->lv[l].mem_mb = mem < 384 ? 384 : mem;
		p->lv[l].cpus = l == 0 ? 2 : 1;
	}
	p->job = strdup(default_job);
}

void nb_plan_free(struct nb_plan *p)
{
	free(p->job);
	p->job = NULL;
}

static const char *const fault_names[] = {
	[NB_FAULT_NONE] = "none", [NB_FAULT_NOBOOT] = "noboot",
	[NB_FAULT_PANIC] = "panic", [NB_FAULT_HANG] = "hang",
};

int nb_excount_parse(const char *s, enum nb_excount *out)
{
	static const char *const names[] = { [NB_EXC_OFF] = "off", [NB_EXC_COUNTING] = "counting",
					     [NB_EXC_ALL] = "all" };
	int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(s, names[i])) {
			*out = i;
			return 0;
		}
	return -EINVAL;
}

int nb_plan_armed(const struct nb_plan *p, const char *mode)
{
	if (p->depth < 2)	/* no level emulates nested transitions */
		return 0;
	return !strcmp(mode, "counting") || ((!strcmp(mode, "timing") || !strcmp(mode, "exits")) && p->perf);
}

int nb_plan_nreps(const struct nb_plan *p)
{
	return p->warmup + p->reps + p->bare + p->counting + p->exits;
}

const char *nb_plan_clock(const struct nb_plan *p)
{
	return !p->emulated ? "host" : p->icount ? "icount" : "tcg-wall";
}

const char *nb_fault_name(enum nb_fault f)
{
	return fault_names[f];
}

/* "L2:panic" */
int nb_fault_parse(const char *s, int *level, enum nb_fault *f)
{
	unsigned int i;
	char kind[16];

	if (sscanf(s, "L%d:%15s", level, kind) != 2)
		return -EINVAL;
	for (i = 0; i < sizeof(fault_names) / sizeof(fault_names[0]); i++)
		if (!strcmp(kind, fault_names[i])) {
			*f = i;
			return 0;
		}
	return -EINVAL;
}

#define CHECK(cond, ...) do { if (!(cond)) { snprintf(err, errlen, __VA_ARGS__); return -EINVAL; } } while (0)

static int validate_levels(const struct nb_plan *p, char *err, size_t errlen)
{
	int l;

	for (l = 0; l <= p->depth; l++) {
		const struct nb_level_cfg *c = &p->lv[l];

		CHECK(c->kernel[0] && !strpbrk(c->kernel, "/ \n"),
		      "L%d kernel '%s' is not a variant name (use e.g. base or patched)", l, c->kernel);
		CHECK(c->mem_mb >= 256, "L%d memory %d MiB is too small (use >= 256)", l, c->mem_mb);
		CHECK(l == 0 || c->mem_mb + 256 <= p->lv[l - 1].mem_mb,
		      "L%d memory %d MiB does not fit in L%d's %d MiB (leave >= 256 MiB to the parent)",
		      l, c->mem_mb, l - 1, p->lv[l - 1].mem_mb);
		CHECK(c->cpus >= 1 && c->cpus <= 8, "L%d vCPUs %d out of range (1..8)", l, c->cpus);
	}
	return 0;
}

int nb_plan_validate(const struct nb_plan *p, char *err, size_t errlen)
{
	CHECK(p->depth >= 1 && p->depth <= NB_MAX_DEPTH,
	      "depth %d out of range (1..%d: L1 .. L%d is the innermost guest)", p->depth, NB_MAX_DEPTH, NB_MAX_DEPTH);
	CHECK(p->reps + p->counting >= 1, "no repetitions: give --reps or --counting >= 1");
	CHECK(p->reps >= 0 && p->counting >= 0 && p->warmup >= 0 && p->bare >= 0 && p->exits >= 0,
	      "repetition counts must be >= 0");
	CHECK(p->boot_timeout > 0 && p->idle_timeout > 0 && p->teardown_timeout > 0,
	      "timeouts must be > 0 seconds");
	CHECK(p->disk_mb >= 16, "disk of %d MiB is too small for fio (use >= 16)", p->disk_mb);
	CHECK(nb_workload_find(p->workload), "unknown workload '%s' (use fio, hackbench or micro)",
	      p->workload);
	if (nb_workload_find(p->workload)->validate(p->job, err, errlen))
		return -EINVAL;
	CHECK(p->fault == NB_FAULT_NONE || (p->fault_level >= 0 && p->fault_level <= p->depth),
	      "fault level L%d is not in the stack L0..L%d", p->fault_level, p->depth);
	return validate_levels(p, err, errlen);
}

char *nb_plan_encode(const struct nb_plan *p, int level)
{
	char *s = NULL, *lv = NULL, *tmp;
	int l;

	for (l = 0; l <= p->depth; l++) {
		if (asprintf(&tmp, "%sL%d.kernel=%s\nL%d.mem=%d\nL%d.cpus=%d\n", lv ? lv : "",
			     l, p->lv[l].kernel, l, p->lv[l].mem_mb, l, p->lv[l].cpus) < 0)
			tmp = NULL;
		free(lv);
		lv = tmp;
		if (!lv)
			return NULL;
	}
	if (asprintf(&s, "level=%d\ndepth=%d\nemulated=%d\nicount=%d\nreps=%d\nbare=%d\nperf=%d\npin=%d\n"
		     "counting=%d\nexits=%d\nwarmup=%d\nboot_timeout=%d\nidle_timeout=%d\nteardown_timeout=%d\n"
		     "disk_mb=%d\nfirst_rep=%d\nfault=L%d:%s\nworkload=%s\n%sjob:\n%s",
		     level, p->depth, p->emulated, p->icount, p->reps, p->bare, p->perf, p->pin, p->counting, p->exits, p->warmup,
		     p->boot_timeout, p->idle_timeout, p->teardown_timeout, p->disk_mb,
		     p->first_rep, p->fault_level, nb_fault_name(p->fault), p->workload, lv, p->job) < 0)
		s = NULL;
	free(lv);
	if (s && !p->emulated && level == 0) {	/* only L0 needs them */
		tmp = s;
		if (asprintf(&s, "l0_qemu=%s\nl0_kernels=%s\nl0_rootfs=%s\nl0_run=%s\n%s",
			     p->l0_qemu, p->l0_kernels, p->l0_rootfs, p->l0_run, tmp) < 0)
			s = NULL;
		free(tmp);
	}
	return s;
}

static void decode_levels(struct nb_plan *p, const char *text)
{
	char key[32];
	int l;

	for (l = 0; l <= p->depth; l++) {
		snprintf(key, sizeof(key), "L%d.kernel", l);
		nb_kv_get(text, key, p->lv[l].kernel, sizeof(p->lv[l].kernel));
		snprintf(key, sizeof(key), "L%d.mem", l);
		p->lv[l].mem_mb = nb_kv_get_ll(text, key, 0);
		snprintf(key, sizeof(key), "L%d.cpus", l);
		p->lv[l].cpus = nb_kv_get_ll(text, key, 0);
	}
}

int nb_plan_decode(struct nb_plan *p, const char *text)
{
	const char *job = strstr(text, "\njob:\n");
	char fault[32] = "";

	if (!job)
		return -EINVAL;
	nb_plan_defaults(p, nb_kv_get_ll(text, "depth", 0));
	p->level = nb_kv_get_ll(text, "level", -1);
	p->emulated = nb_kv_get_ll(text, "emulated", 1);
	p->icount = nb_kv_get_ll(text, "icount", 0);
	p->reps = nb_kv_get_ll(text, "reps", 0);
	p->counting = nb_kv_get_ll(text, "counting", 0);
	p->bare = nb_kv_get_ll(text, "bare", 0);
	p->exits = nb_kv_get_ll(text, "exits", 0);
	p->perf = nb_kv_get_ll(text, "perf", 0);
	p->pin = nb_kv_get_ll(text, "pin", 0);
	p->warmup = nb_kv_get_ll(text, "warmup", 0);
	p->boot_timeout = nb_kv_get_ll(text, "boot_timeout", 0);
	p->idle_timeout = nb_kv_get_ll(text, "idle_timeout", 0);
	p->teardown_timeout = nb_kv_get_ll(text, "teardown_timeout", 0);
	p->disk_mb = nb_kv_get_ll(text, "disk_mb", 0);
	p->first_rep = nb_kv_get_ll(text, "first_rep", 1);
	nb_kv_get(text, "fault", fault, sizeof(fault));
	nb_kv_get(text, "workload", p->workload, sizeof(p->workload));	/* absent: fio */
	if (nb_fault_parse(fault, &p->fault_level, &p->fault)) {
		nb_plan_free(p);	/* the defaults' job text: a failed decode owns nothing */
		return -EINVAL;
	}
	decode_levels(p, text);
	nb_kv_get(text, "l0_qemu", p->l0_qemu, sizeof(p->l0_qemu));
	nb_kv_get(text, "l0_kernels", p->l0_kernels, sizeof(p->l0_kernels));
	nb_kv_get(text, "l0_rootfs", p->l0_rootfs, sizeof(p->l0_rootfs));
	nb_kv_get(text, "l0_run", p->l0_run, sizeof(p->l0_run));
	free(p->job);
	p->job = strdup(job + 6);
	if (p->job && p->level >= 0)
		return 0;
	nb_plan_free(p);
	return -EINVAL;
}
