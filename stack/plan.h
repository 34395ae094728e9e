/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plan of one boot of the nested stack: validated once on the host,
 * then passed down, level by level, as the CONFIG frame's key=value text
 * (the workload's parameters last, after a "job:" line, verbatim: a fio
 * job file, or key=value lines; workloads/workload.h).
 */
#ifndef NB_PLAN_H
#define NB_PLAN_H

#define NB_MAX_DEPTH	4
#define NB_NAME_MAX	64

enum nb_fault { NB_FAULT_NONE, NB_FAULT_NOBOOT, NB_FAULT_PANIC, NB_FAULT_HANG };

/* Which repetitions the emulated L0's QEMU logs exceptions in (docs/counting.md; host side only). */
enum nb_excount { NB_EXC_OFF, NB_EXC_COUNTING, NB_EXC_ALL };

/* How a child's QEMU threads other than its vCPUs are scheduled on a guest level (stack/level.c). */
enum nb_io_sched { NB_IO_NORMAL, NB_IO_BATCH, NB_IO_FIFO };

struct nb_level_cfg {
	char kernel[NB_NAME_MAX];	/* variant name: /kernels/<name>/Image */
	int mem_mb;
	int cpus;
};

struct nb_plan {
	int level;			/* the level that receives this plan */
	int depth;			/* innermost level (1..NB_MAX_DEPTH) */
	int platform;			/* stack/platform.h: where L0 runs; AUTO until resolved */
	int icount;			/* emulated L0 runs -icount shift=0,sleep=off */
	int reps;			/* timing repetitions per boot */
	int bare;			/* timing repetitions without perf counters after them */
	int counting;			/* counting repetitions (ring buffer) after those */
	int exits;			/* exit repetitions after those: perf kvm stat at L0 */
	int perf;			/* perf stat counters in timing repetitions (collect/perfstat.h) */
	int pin;			/* each child's QEMU on its parent's last CPUs (stack/level.c) */
	enum nb_io_sched io_sched;	/* a child's QEMU threads but its vCPUs (stack/level.c) */
	int warmup;			/* warm-up repetitions before them */
	int first_rep;			/* number of the first repetition (resume) */
	int boot_timeout;		/* seconds, in the parent's clock */
	int idle_timeout;		/* seconds without any frame from below */
	int teardown_timeout;
	int disk_mb;			/* RAM-backed disk for the workload (fio's /dev/vdb) */
	int fault_level;		/* fault injection for tests, 0 = none */
	enum nb_fault fault;
	enum nb_excount excount;	/* host only, never encoded for the guests */
	struct nb_level_cfg lv[NB_MAX_DEPTH + 1];
	char workload[16];		/* workloads/workload.h; "" until resolved: the default one */
	char *job;			/* its parameters: a job file, or key=value lines (owned); NULL: the workload's default */
	/* L0 as a process on an arm64 NV host: where it finds what a guest
	 * finds at fixed paths (/usr/bin/qemu-system-aarch64, /kernels, /dev/vda, /run) */
	char l0_qemu[256], l0_kernels[256], l0_rootfs[256], l0_run[256];
};

/* Every option at its default (stack/knobs.c), the levels' sizes; no job text. */
void nb_plan_defaults(struct nb_plan *p, int depth);
/*
 * Checks every field against its row (range, names) and the fields against
 * each other; the workload's own check is workloads/'s (nb_wl_plan_prepare).
 * On error -EINVAL with a message (what, fix) in err.
 */
int nb_plan_validate(const struct nb_plan *p, char *err, size_t errlen);
struct nb_platform;
/* The plan's platform row; NULL while it is AUTO (before validation). */
const struct nb_platform *nb_plan_platform(const struct nb_plan *p);
/* Text for the CONFIG frame of `level`: every wire row, then "job:" and the job; caller frees. */
char *nb_plan_encode(const struct nb_plan *p, int level);
/* The CONFIG frame's text: untrusted; an unknown key or a bad value is -EINVAL. */
int nb_plan_decode(struct nb_plan *p, const char *text);
void nb_plan_free(struct nb_plan *p);

const char *nb_fault_name(enum nb_fault f);
/*
 * Does a repetition of this mode count at the emulating levels, so that its
 * start must wait until every counter above is on (ARM)? Counting
 * repetitions (ring buffer), and timing and exit ones when perf counts them.
 */
int nb_plan_armed(const struct nb_plan *p, const char *mode);
/* Repetitions per boot: warm-up, timing, bare, counting, exits, in that order. */
int nb_plan_nreps(const struct nb_plan *p);
/* The clock L0 measures in: "host" (real arm64 L0), "icount" or "tcg-wall" (emulated). */
const char *nb_plan_clock(const struct nb_plan *p);
int nb_fault_parse(const char *s, int *level, enum nb_fault *f);

/* A level hosts an EL2 guest (a guest hypervisor) unless it is the parent of the innermost. */
static inline int nb_plan_child_is_el2(const struct nb_plan *p, int child)
{
	return child < p->depth;
}

#endif
