// SPDX-License-Identifier: GPL-2.0
/* The plan passed down the stack, the QEMU command lines, the console tail. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "stack/census.h"
#include "stack/kvmstat.h"
#include "stack/console.h"
#include "stack/job.h"
#include "stack/level.h"
#include "stack/plan.h"
#include "stack/platform.h"
#include "stack/qemu.h"
#include "workloads/workload.h"

/* The defaults as the host makes them whole before a boot: platform and workload resolved. */
static void ready_plan(struct nb_plan *p, int depth)
{
	char err[256];

	nb_plan_defaults(p, depth);
	p->platform = NB_PLATFORM_EMULATED;
	assert_int_equal(nb_wl_plan_prepare(p, NULL, err, sizeof(err)), 0);
}

static void plan_roundtrip(void **state)
{
	struct nb_plan p, q;
	char *text;

	ready_plan(&p, 3);
	strcpy(p.lv[1].kernel, "base");
	p.reps = 5;
	p.exits = 2;
	assert_int_equal(p.pin, 1);	/* on unless asked */
	p.pin = 0;
	p.first_rep = 4;
	p.fault = NB_FAULT_HANG;
	p.fault_level = 2;
	text = nb_plan_encode(&p, 2);
	assert_int_equal(nb_plan_decode(&q, text), 0);
	assert_int_equal(q.level, 2);
	assert_int_equal(q.depth, 3);
	assert_int_equal(q.reps, 5);
	assert_int_equal(q.exits, 2);
	assert_int_equal(q.pin, 0);
	assert_int_equal(nb_plan_nreps(&q), q.warmup + 5 + q.bare + q.counting + 2);
	assert_true(nb_plan_armed(&q, "exits") && nb_plan_armed(&q, "counting") && !nb_plan_armed(&q, "bare"));
	q.perf = 0;	/* perf kvm stat is perf: off with it */
	assert_true(!nb_plan_armed(&q, "exits") && nb_plan_armed(&q, "counting"));
	assert_int_equal(q.first_rep, 4);
	assert_int_equal(q.fault, NB_FAULT_HANG);
	assert_int_equal(q.fault_level, 2);
	assert_string_equal(q.lv[1].kernel, "base");
	assert_string_equal(q.lv[3].kernel, "patched");
	assert_int_equal(q.lv[2].mem_mb, p.lv[2].mem_mb);
	assert_string_equal(q.job, p.job);
	assert_int_equal(q.platform, NB_PLATFORM_EMULATED);
	assert_string_equal(q.workload, "fio");
	free(text);
	nb_plan_free(&p);
	nb_plan_free(&q);
}

/* Table: a parent's CPUs, the child's vCPUs, and the split (or -ENOSPC: nothing pinned). */
static void cpus_split(void **state)
{
	static const struct { const char *all; int vcpus, ret; const char *child, *self; } cases[] = {
		{ "0,1", 1, 0, "1", "0" },		/* the emulated L0 and a 1-vCPU L1 */
		{ "0,1,2,3", 2, 0, "2,3", "0,1" },
		{ "0,2,5", 1, 0, "5", "0,2" },		/* a sparse mask: the last CPU it has */
		{ "3,4,7,9", 3, 0, "4,7,9", "3" },
		{ "0", 1, -ENOSPC, "", "" },		/* a guest hypervisor with one CPU */
		{ "0,1", 2, -ENOSPC, "", "" },		/* as many vCPUs as CPUs */
		{ "0,1", 0, -ENOSPC, "", "" },
	};
	char cs[64], ss[64], *tok, buf[32];
	cpu_set_t all, child, self;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CPU_ZERO(&all);
		snprintf(buf, sizeof(buf), "%s", cases[i].all);
		for (tok = strtok(buf, ","); tok; tok = strtok(NULL, ","))
			CPU_SET(atoi(tok), &all);
		CPU_ZERO(&child);
		CPU_ZERO(&self);
		assert_int_equal(nb_cpus_split(&all, cases[i].vcpus, &child, &self), cases[i].ret);
		assert_string_equal(nb_cpus_fmt(&child, cs, sizeof(cs)), cases[i].child);
		assert_string_equal(nb_cpus_fmt(&self, ss, sizeof(ss)), cases[i].self);
	}
}

/* Table: one broken field each, and the word the message must contain. */
static void plan_validate(void **state)
{
	static const struct { const char *what; const char *msg; } cases[] = {
		{ "depth", "depth 0 out of range" },
		{ "mem", "does not fit" },
		{ "kernel", "not a variant name" },
		{ "reps", "no repetitions" },
		{ "job", "no [section]" },
		{ "cpus", "vCPUs" },
		{ "platform", "platform not resolved" },
		{ "perf", "perf 2 out of range" },
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nb_plan p;

		ready_plan(&p, 2);
		assert_int_equal(nb_plan_validate(&p, err, sizeof(err)), 0);
		if (!strcmp(cases[i].what, "depth")) p.depth = 0;
		if (!strcmp(cases[i].what, "mem")) p.lv[2].mem_mb = p.lv[1].mem_mb;
		if (!strcmp(cases[i].what, "kernel")) strcpy(p.lv[1].kernel, "../x");
		if (!strcmp(cases[i].what, "reps")) p.reps = p.counting = 0;
		if (!strcmp(cases[i].what, "cpus")) p.lv[0].cpus = 0;
		if (!strcmp(cases[i].what, "platform")) p.platform = NB_PLATFORM_AUTO;
		if (!strcmp(cases[i].what, "perf")) p.perf = 2;
		if (!strcmp(cases[i].what, "job")) {	/* the workload's own check */
			strcpy(p.job, "rw=read\n");
			assert_int_equal(nb_wl_plan_prepare(&p, NULL, err, sizeof(err)), -EINVAL);
		} else
			assert_int_equal(nb_plan_validate(&p, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, cases[i].msg));
		nb_plan_free(&p);
	}
}

/*
 * Every io_sched at every depth the experiments use: fifo was refused at
 * depth 3 while a 250 Hz tick paced its reads; at 100 Hz it is the
 * flagship's (docs/time.md).
 */
static void io_sched_every_depth(void **state)
{
	static const enum nb_io_sched s[] = { NB_IO_NORMAL, NB_IO_BATCH, NB_IO_FIFO };
	char err[256];
	int depth;
	size_t i;

	(void)state;
	for (depth = 1; depth <= 3; depth++)
		for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
			struct nb_plan p;

			ready_plan(&p, depth);
			p.io_sched = s[i];
			assert_int_equal(nb_plan_validate(&p, err, sizeof(err)), 0);
			nb_plan_free(&p);
		}
}

static void fault_parse(void **state)
{
	enum nb_fault f;
	int l;

	assert_int_equal(nb_fault_parse("L2:panic", &l, &f), 0);
	assert_int_equal(l, 2);
	assert_int_equal(f, NB_FAULT_PANIC);
	assert_int_equal(nb_fault_parse("L1:explode", &l, &f), -EINVAL);
	assert_int_equal(nb_fault_parse("panic", &l, &f), -EINVAL);
}

static int has(const struct nb_argv *a, const char *s)
{
	int i;

	for (i = 0; i < a->n; i++)
		if (!strcmp(a->v[i], s))
			return 1;
	return 0;
}

static int has_sub(const struct nb_argv *a, const char *s)
{
	int i;

	for (i = 0; i < a->n; i++)
		if (strstr(a->v[i], s))
			return 1;
	return 0;
}

/* Table: which level of a depth-3 stack, from where, and what its QEMU must say. */
static void qemu_roles(void **state)
{
	static const struct {
		int child, tcg, disk, cached;
		const char *must[4], *mustnt[2], *root;
	} cases[] = {
		{ 0, 1, 0, 0, { "virt,virtualization=on,gic-version=3", "max", "shift=0,sleep=off", "kvm-arm.mode=nested" }, { "accel", NULL },
		  "file=R,if=virtio,format=raw,readonly=on" },
		/* the emulated L0 serves the image from its page cache */
		{ 1, 0, 0, 1, { "virt,virtualization=on,gic-version=3", "host", "kvm", "kvm-arm.mode=nested" }, { "max", NULL },
		  "file=R,if=virtio,format=raw,readonly=on" },
		{ 2, 0, 0, 0, { "virt,virtualization=on,gic-version=3", "host", "kvm", "kvm-arm.mode=nested" }, { "max", NULL },
		  "file=R,if=virtio,format=raw,readonly=on,cache=none" },
		{ 3, 0, 1, 0, { "virt,gic-version=3", "host", "/run/disk.img", "init=/sbin/nbagent" }, { "kvm-arm.mode=nested", "virtualization=on" },
		  "file=R,if=virtio,format=raw,readonly=on,cache=none" },
	};
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nb_qemu_env env = { .qemu = "qemu", .kernel = "K", .rootfs = "R", .chan = "C",
					   .disk = cases[i].disk ? "/run/disk.img" : NULL, .tcg = cases[i].tcg,
					   .root_cached = cases[i].cached };
		struct nb_argv a = { 0 };
		struct nb_plan p;

		nb_plan_defaults(&p, 3);
		assert_int_equal(nb_qemu_argv(&p, cases[i].child, &env, &a), 0);
		for (j = 0; j < 4; j++)
			assert_true(has(&a, cases[i].must[j]) || has_sub(&a, cases[i].must[j]));
		for (j = 0; j < 2 && cases[i].mustnt[j]; j++)
			assert_false(has_sub(&a, cases[i].mustnt[j]));
		assert_true(has(&a, cases[i].root));
		assert_true(has(&a, "-no-reboot") && has(&a, "none") && has_sub(&a, "panic=-1"));
		assert_true(has_sub(&a, "virtserialport,chardev=nb,name=nestbench"));
		nb_argv_free(&a);
		nb_plan_free(&p);
	}
}

static void qemu_noboot_and_host_l0(void **state)
{
	struct nb_qemu_env env = { .qemu = "qemu", .kernel = "K", .rootfs = "R", .chan = "/tmp/c" };
	struct nb_argv a = { 0 };
	struct nb_plan p;
	char *line;

	nb_plan_defaults(&p, 2);
	p.fault = NB_FAULT_NOBOOT;
	p.fault_level = 2;
	line = nb_qemu_cmdline(&p, 2);
	assert_non_null(strstr(line, "root=/dev/nonexistent"));
	free(line);
	line = nb_qemu_cmdline(&p, 1);
	assert_non_null(strstr(line, "root=/dev/vda"));
	free(line);
	env.l0_agent = "nbagent";
	assert_int_equal(nb_qemu_argv(&p, 0, &env, &a), 0);
	assert_int_equal(a.n, 3);
	assert_string_equal(a.v[1], "--l0");
	nb_argv_free(&a);
	nb_plan_free(&p);
}

static void add(struct nb_tail *t, const char *s)
{
	nb_tail_add(t, s, strlen(s));
}

static void console_tail(void **state)
{
	struct nb_tail t = { .len = 0 };
	char out[256], why[128];
	int i;

	for (i = 0; i < 2000; i++)
		add(&t, "noise line\n");
	add(&t, "[ 1.2] Kernel panic - not syncing: VFS: Unable to mount root fs\n");
	add(&t, "---[ end ]---\n");
	assert_int_equal(t.len, NB_TAIL_SIZE);
	nb_tail_lines(&t, 2, out, sizeof(out));
	assert_string_equal(out, "[ 1.2] Kernel panic - not syncing: VFS: Unable to mount root fs\n---[ end ]---\n");
	assert_non_null(nb_tail_panic(&t, why, sizeof(why)));
	assert_string_equal(why, "Kernel panic - not syncing: VFS: Unable to mount root fs");
	t.len = 0;
	add(&t, "all quiet\n");
	assert_null(nb_tail_panic(&t, why, sizeof(why)));
}

#define MARKS "[global]\nexec_prerun=/sbin/nbagent mark start\nexec_postrun=/sbin/nbagent mark end\n"
#define TAIL "[nb-tail]\nstonewall\nioengine=null\nsize=4k\nio_size=4k\nloops=1\ntime_based=0\n" \
	"ramp_time=0\nstartdelay=0\nexec_prerun=/bin/true\nexec_postrun=/bin/true\n"

/*
 * One fio process for every repetition: the job's section, k times, one after
 * another, then the tail job that keeps the last repetition's window like the
 * others (fio's parent polls at 100 ms while a job is still to start).
 */
static void job_expand(void **state)
{
	static const struct { const char *job; int k, sections; const char *want; } t[] = {
		{ "[global]\nbs=4k\n[r]\nsize=2m\n", 3, 1,
		  MARKS "[global]\nbs=4k\n[r-1]\nstonewall\nsize=2m\n[r-2]\nstonewall\nsize=2m\n"
		  "[r-3]\nstonewall\nsize=2m\n" TAIL },
		{ "[r]\nsize=2m", 2, 1, MARKS "[r-1]\nstonewall\nsize=2m\n[r-2]\nstonewall\nsize=2m\n" TAIL },
		{ "[global]\nbs=4k\n[r]\nsize=2m\n", 1, 1, MARKS "[global]\nbs=4k\n[r]\nsize=2m\n" TAIL },
		{ "[r]\nsize=2m", 1, 1, MARKS "[r]\nsize=2m\n" TAIL },
		/* jobs meant to run together stay one fio process per repetition */
		{ "[a]\nsize=1m\n[b]\nsize=1m\n", 3, 2, MARKS "[a]\nsize=1m\n[b]\nsize=1m\n" },
		{ "[global]\nsize=1m\n", 3, 0, MARKS "[global]\nsize=1m\n" },
		{ "; [not a section]\n[x]\nrw=read\n", 2, 1,
		  MARKS "; [not a section]\n[x-1]\nstonewall\nrw=read\n[x-2]\nstonewall\nrw=read\n" TAIL },
	};
	unsigned int i;
	char *out;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(nb_job_sections(t[i].job), t[i].sections);
		out = nb_job_expand(t[i].job, t[i].k);
		assert_non_null(out);
		assert_string_equal(out, t[i].want);
		free(out);
	}
}

/* A census reads this machine's /proc; its line names every field, the VM's only when both ends had them. */
static void census_line(void **state)
{
	struct nb_census a, b;
	char buf[400];

	(void)state;
	nb_census_take(&a, 0);
	b = a;
	b.v[NB_CEN_CTXT] += 5;
	b.v[NB_CEN_TIMER] += 2;
	assert_true(a.v[NB_CEN_CTXT] > 0 && a.v[NB_CEN_INTR] > 0 && !a.has_vm);
	assert_true(a.v[NB_CEN_USER_MS] + a.v[NB_CEN_SYS_MS] + a.v[NB_CEN_IDLE_MS] > 0);
	assert_string_equal(nb_census_fmt(&a, &b, buf, sizeof(buf)), 
			    "ctxt +5 intr +0 timer +2 softirq +0 user_ms +0 sys_ms +0 idle_ms +0 guest_ms +0");
	b.v[NB_CEN_EXITS] += 7;
	a.has_vm = b.has_vm = 1;
	assert_non_null(strstr(nb_census_fmt(&a, &b, buf, sizeof(buf)),
			       " vm: exits +7 wfx +0 mmio +0 halt_poll_tried +0 halt_poll_ok +0 halt_wakeup +0"
			       " vcpu_thread_us +0 vcpu_switches +0 qemu_ms +0"));
	b.has_vm = 0;	/* the VM went away between the marks: no VM fields rather than wrong ones */
	assert_null(strstr(nb_census_fmt(&a, &b, buf, sizeof(buf)), "vm:"));
	nb_census_fmt(&a, &b, buf, 12);	/* truncated, still terminated */
	assert_int_equal(strlen(buf), 11);
}

/* A process's vCPU threads' run time and its whole CPU time: this one has no vCPU; a pid that is gone is said so. */
static void kvm_threads(void **state)
{
	struct nb_kvm_threads t;
	char tid[32];

	(void)state;
	assert_int_equal(nb_kvm_threads(getpid(), &t), 0);
	assert_int_equal(t.vcpu_ns, 0);
	assert_int_equal(t.vcpu_switches, 0);
	while (!t.process_ms)	/* burn 10 ms at least, one USER_HZ tick */
		assert_int_equal(nb_kvm_threads(getpid(), &t), 0);
	snprintf(tid, sizeof(tid), "%d", (int)getpid());
	assert_false(nb_kvm_is_vcpu(getpid(), tid));
	assert_int_equal(nb_kvm_threads(0x3fffffff, &t), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plan_roundtrip),
		cmocka_unit_test(cpus_split),
		cmocka_unit_test(plan_validate),
		cmocka_unit_test(io_sched_every_depth),
		cmocka_unit_test(fault_parse),
		cmocka_unit_test(qemu_roles),
		cmocka_unit_test(qemu_noboot_and_host_l0),
		cmocka_unit_test(console_tail),
		cmocka_unit_test(job_expand),
		cmocka_unit_test(census_line),
		cmocka_unit_test(kvm_threads),
	};
	return cmocka_run_group_tests_name("stack", tests, NULL, NULL);
}
