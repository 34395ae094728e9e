// SPDX-License-Identifier: GPL-2.0
/* The table of boot options (stack/knobs.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack/knobs.h"
#include "stack/platform.h"
#include "stack/util.h"

#define P struct nb_plan
#define EVERYWHERE	NB_IN_ALL
#define HOST_ONLY	(NB_IN_CLI | NB_IN_FILE | NB_IN_MANIFEST)	/* never passed to a guest */

static const char *const clock_names[] = { "tcg-wall", "icount", NULL };	/* indexed by icount */
static const char *const io_sched_names[] = { [NB_IO_NORMAL] = "normal", [NB_IO_BATCH] = "batch",
					      [NB_IO_FIFO] = "fifo", NULL };
static const char *const excount_names[] = { [NB_EXC_OFF] = "off", [NB_EXC_COUNTING] = "counting",
					     [NB_EXC_ALL] = "all", NULL };

/* "L0=base,L2=patched": each level at most once, each value through set(). */
static int per_level(struct nb_plan *p, const char *spec, const char *what,
		     int (*set)(struct nb_plan *, int, const char *), char *err, size_t len)
{
	char *dup = strdup(spec), *tok, *save = NULL, *eq;
	unsigned int seen = 0;
	int ret = dup ? 0 : -ENOMEM, l;

	for (tok = strtok_r(dup, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save)) {
		eq = strchr(tok, '=');
		ret = !eq || tok[0] != 'L' ? -EINVAL : 0;
		if (!ret)
			*eq = '\0';
		ret = ret ?: nb_parse_int(tok + 1, 0, NB_MAX_DEPTH, &l) ?: (seen & 1u << l) ? -EINVAL :
		      set(p, l, eq + 1);
		if (!ret)
			seen |= 1u << l;
	}
	free(dup);
	if (ret)
		snprintf(err, len, "%s '%s': use L0=V,L1=V,... (levels 0..%d, each once)", what, spec,
			 NB_MAX_DEPTH);
	return ret ? -EINVAL : 0;
}

static int level_kernel(struct nb_plan *p, int l, const char *v)
{
	if (nb_name_check(v))
		return -EINVAL;
	snprintf(p->lv[l].kernel, sizeof(p->lv[l].kernel), "%s", v);
	return 0;
}

static int level_mem(struct nb_plan *p, int l, const char *v)
{
	return nb_parse_int(v, 256, 1 << 20, &p->lv[l].mem_mb);
}

static int level_cpus(struct nb_plan *p, int l, const char *v)
{
	return nb_parse_int(v, 1, 8, &p->lv[l].cpus);
}

static int set_kernels(void *cfg, const char *v, char *err, size_t len)
{
	return per_level(cfg, v, "kernels", level_kernel, err, len);
}

static int set_mem(void *cfg, const char *v, char *err, size_t len)
{
	return per_level(cfg, v, "mem (MiB per level, 256..)", level_mem, err, len);
}

static int set_cpus(void *cfg, const char *v, char *err, size_t len)
{
	return per_level(cfg, v, "cpus (1..8 per level)", level_cpus, err, len);
}

/* One kernel at every level. */
static int set_kernel(void *cfg, const char *v, char *err, size_t len)
{
	int l;

	for (l = 0; l <= NB_MAX_DEPTH; l++)
		if (level_kernel(cfg, l, v))
			return snprintf(err, len, "kernel '%s': use a variant name (A-Z a-z 0-9 . _ + -)",
					v), -EINVAL;
	return 0;
}

/* "L0=a,L1=b" up to the plan's depth; which field, by the offset of a level's. */
static int fmt_levels(const struct nb_plan *p, char *buf, size_t len, int what)
{
	size_t n = 0;
	int l;

	buf[0] = '\0';
	for (l = 0; l <= p->depth && l <= NB_MAX_DEPTH && n < len; l++) {
		const struct nb_level_cfg *c = &p->lv[l];

		if (what == 0)
			n += snprintf(buf + n, len - n, "%sL%d=%s", l ? "," : "", l, c->kernel);
		else
			n += snprintf(buf + n, len - n, "%sL%d=%d", l ? "," : "", l,
				      what == 1 ? c->mem_mb : c->cpus);
	}
	return n >= len ? -ENOSPC : 0;
}

static int fmt_kernels(const void *cfg, char *buf, size_t len) { return fmt_levels(cfg, buf, len, 0); }
static int fmt_mem(const void *cfg, char *buf, size_t len) { return fmt_levels(cfg, buf, len, 1); }
static int fmt_cpus(const void *cfg, char *buf, size_t len) { return fmt_levels(cfg, buf, len, 2); }

static int set_fault(void *cfg, const char *v, char *err, size_t len)
{
	struct nb_plan *p = cfg;

	if (!nb_fault_parse(v, &p->fault_level, &p->fault))
		return 0;
	return snprintf(err, len, "fault '%s': use Ln:KIND, KIND noboot, panic or hang (e.g. L2:panic)",
			v), -EINVAL;
}

static int fmt_fault(const void *cfg, char *buf, size_t len)
{
	const struct nb_plan *p = cfg;

	return snprintf(buf, len, "L%d:%s", p->fault_level, nb_fault_name(p->fault)) >= (int)len ?
	       -ENOSPC : 0;
}

/* --job FILE: the file's text, checked by the workload's validate() with the rest of the plan. */
static int set_job(void *cfg, const char *v, char *err, size_t len)
{
	struct nb_plan *p = cfg;
	char *job = nb_read_file(v, NULL);

	if (!job)
		return snprintf(err, len, "job file %s: %s", v, strerror(errno)), -EINVAL;
	free(p->job);
	p->job = job;
	return 0;
}

const struct nb_opt nb_plan_knobs[] = {
	OPT_INT("level", P, level, 0, NB_MAX_DEPTH, 0, NULL, NB_IN_WIRE,
		"the level that receives this plan"),
	OPT_INT("depth", P, depth, 1, NB_MAX_DEPTH, 2, "N", EVERYWHERE,
		"innermost level (2: L0 -> L1 -> L2)"),
	OPT_ENUM("platform", P, platform, nb_platform_names, NB_PLATFORM_AUTO, "auto|emulated|host",
		 NB_IN_CLI | NB_IN_WIRE | NB_IN_MANIFEST,
		 "host: L0 is this arm64 NV machine; auto picks host when /dev/kvm has KVM_CAP_ARM_EL2"),
	OPT_ENUM("clock", P, icount, clock_names, 1, "icount|tcg-wall", EVERYWHERE,
		 "the emulated L0's clock"),
	OPT_CALL("kernel", set_kernel, NULL, "VARIANT", NB_IN_CLI,
		 "kernel variant at every level (base, patched; default patched)"),
	OPT_CALL("kernels", set_kernels, fmt_kernels, "L0=V,..", NB_IN_CLI | NB_IN_WIRE | NB_IN_MANIFEST,
		 "kernel variant per level, e.g. L0=base,L1=patched"),
	OPT_CALL("mem", set_mem, fmt_mem, "L1=MiB,..", NB_IN_CLI | NB_IN_WIRE | NB_IN_MANIFEST,
		 "memory per level (defaults halve from L0's 3072)"),
	OPT_CALL("cpus", set_cpus, fmt_cpus, "L0=N,..", NB_IN_CLI | NB_IN_WIRE | NB_IN_MANIFEST,
		 "vCPUs per level (default L0=2, others 1)"),
	OPT_INT("reps", P, reps, 0, NB_MAX_REPS, 3, "N", EVERYWHERE, "timing repetitions per boot"),
	OPT_INT("bare", P, bare, 0, NB_MAX_REPS, 0, "N", EVERYWHERE,
		"timing repetitions without perf counters after them: the counters' overhead"),
	OPT_INT("counting", P, counting, 0, NB_MAX_REPS, 1, "N", EVERYWHERE,
		"counting repetitions (ring-buffer tracing) after those"),
	OPT_INT("exits", P, exits, 0, NB_MAX_REPS, 0, "N", EVERYWHERE,
		"exit repetitions after those: perf kvm stat at L0, L0's exits by reason"),
	OPT_INT("warmup", P, warmup, 0, NB_MAX_REPS, 0, "N", EVERYWHERE,
		"warm-up repetitions first, excluded from statistics"),
	OPT_BOOL("perf", P, perf, 1, EVERYWHERE,
		 "perf stat counts every timing repetition at the emulating levels"),
	OPT_BOOL("pin", P, pin, 1, EVERYWHERE,
		 "each child's QEMU on its parent's last CPUs, the parent's own processes on the rest"),
	OPT_ENUM("io_sched", P, io_sched, io_sched_names, NB_IO_NORMAL, "normal|batch|fifo", EVERYWHERE,
		 "a child's QEMU threads but its vCPUs: batch never preempts the vCPU, on an I/O's wake-up or at a tick; fifo always does (the innermost guest's QEMU)"),
	OPT_ENUM("exceptions", P, excount, excount_names, NB_EXC_COUNTING, "off|counting|all", HOST_ONLY,
		 "log the emulated CPU's exceptions in these repetitions (docs/counting.md)"),
	OPT_NAME("workload", P, workload, "NAME", EVERYWHERE,
		 "what the innermost guest runs (docs/workloads.md; default: the first there)"),
	OPT_CALL("job", set_job, NULL, "FILE", NB_IN_CLI,
		 "job file of a workload that takes one (the default's: 4k randread psync direct, 8 MiB)"),
	OPT_INT("first_rep", P, first_rep, 1, NB_MAX_REPS, 1, NULL, NB_IN_WIRE,
		"number of the first repetition (a resumed boot)"),
	{ .name = "boot_timeout", .flag = "boot-timeout", .type = NB_OPT_INT, NB_FIELD(P, boot_timeout),
	  .min = 1, .max = 7 * 86400, .def = 900, .arg = "S", .where = EVERYWHERE,
	  .help = "seconds a level may take to boot" },
	{ .name = "idle_timeout", .flag = "idle-timeout", .type = NB_OPT_INT, NB_FIELD(P, idle_timeout),
	  .min = 1, .max = 7 * 86400, .def = 300, .arg = "S", .where = EVERYWHERE,
	  .help = "seconds of silence before a level counts as hung" },
	{ .name = "teardown_timeout", .flag = "teardown-timeout", .type = NB_OPT_INT,
	  NB_FIELD(P, teardown_timeout), .min = 1, .max = 7 * 86400, .def = 300, .arg = "S",
	  .where = EVERYWHERE, .help = "seconds a level may take to power off" },
	OPT_INT("disk_mb", P, disk_mb, 16, 1 << 20, 64, NULL, NB_IN_WIRE | NB_IN_MANIFEST,
		"RAM-backed disk for the workload (fio's /dev/vdb)"),
	OPT_CALL("fault", set_fault, fmt_fault, "Ln:KIND", NB_IN_CLI | NB_IN_WIRE,
		 "inject a fault for tests: noboot, panic or hang at level n"),
	OPT_STR("l0_qemu", P, l0_qemu, NULL, NB_IN_WIRE, "L0 as a process: its QEMU"),
	OPT_STR("l0_kernels", P, l0_kernels, NULL, NB_IN_WIRE, "L0 as a process: the kernels"),
	OPT_STR("l0_rootfs", P, l0_rootfs, NULL, NB_IN_WIRE, "L0 as a process: the root image"),
	OPT_STR("l0_run", P, l0_run, NULL, NB_IN_WIRE, "L0 as a process: its run directory"),
	OPT_END
};
