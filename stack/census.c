// SPDX-License-Identifier: GPL-2.0
/* A level's counters around an I/O window (stack/census.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stack/census.h"
#include "stack/kvmstat.h"
#include "stack/util.h"

static const char *const names[NB_CEN_N] = {
	"ctxt", "intr", "timer", "softirq", "user_ms", "sys_ms", "idle_ms", "guest_ms",
	"exits", "wfx", "mmio", "halt_poll_tried", "halt_poll_ok", "halt_wakeup",
	"vcpu_thread_us", "vcpu_switches", "qemu_ms",
};

/* The KVM counter files (debugfs, per vCPU) behind each VM field. */
static const char *const vm_files[NB_CEN_N] = {
	[NB_CEN_EXITS] = "exits", [NB_CEN_WFX] = "wf?_exit_stat", [NB_CEN_MMIO] = "mmio_exit_*",
	[NB_CEN_HALT_TRY] = "halt_attempted_poll", [NB_CEN_HALT_OK] = "halt_successful_poll",
	[NB_CEN_WAKEUP] = "halt_wakeup",
};

/*
 * /proc/stat's "cpu" line, in USER_HZ: user nice system idle iowait irq
 * softirq steal guest guest_nice. user counts guest time too; a child
 * guest's is apart here.
 */
static void cpu_time(struct nb_census *c, const char *line)
{
	unsigned long long t[10] = { 0 };
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t ms = hz > 0 ? 1000 / (uint64_t)hz : 10;

	if (sscanf(line, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &t[0], &t[1],
		   &t[2], &t[3], &t[4], &t[5], &t[6], &t[7], &t[8], &t[9]) < 8)
		return;
	c->v[NB_CEN_USER_MS] = (t[0] + t[1] - t[8] - t[9]) * ms;
	c->v[NB_CEN_SYS_MS] = (t[2] + t[5] + t[6]) * ms;
	c->v[NB_CEN_IDLE_MS] = (t[3] + t[4]) * ms;
	c->v[NB_CEN_GUEST_MS] = (t[8] + t[9]) * ms;
}

/* /proc/stat's "ctxt N", "intr TOTAL ...", "softirq TOTAL ..." lines. */
static void proc_stat(struct nb_census *c)
{
	FILE *f = fopen("/proc/stat", "re");
	unsigned long long v;
	char line[256];

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "ctxt %llu", &v) == 1)
			c->v[NB_CEN_CTXT] = v;
		else if (sscanf(line, "intr %llu", &v) == 1)
			c->v[NB_CEN_INTR] = v;
		else if (sscanf(line, "softirq %llu", &v) == 1)
			c->v[NB_CEN_SOFTIRQ] = v;
		else if (!strncmp(line, "cpu ", 4))
			cpu_time(c, line);
	}
	if (f)
		fclose(f);
}

/* The arch timer's line of /proc/interrupts, summed over CPUs. */
static void timer_irqs(struct nb_census *c)
{
	FILE *f = fopen("/proc/interrupts", "re");
	char line[1024], *p, *end;
	unsigned long long v;

	while (f && fgets(line, sizeof(line), f)) {
		if (!strstr(line, "arch_timer") || !(p = strchr(line, ':')))
			continue;
		for (p++; (v = strtoull(p, &end, 10)), end != p; p = end)
			c->v[NB_CEN_TIMER] += v;
	}
	if (f)
		fclose(f);
}

static void vm_threads(struct nb_census *c, pid_t vm_pid)
{
	struct nb_kvm_threads t;

	if (nb_kvm_threads(vm_pid, &t))
		return;
	c->v[NB_CEN_VCPU_US] = t.vcpu_ns / 1000;
	c->v[NB_CEN_VCPU_SWITCHES] = t.vcpu_switches;
	c->v[NB_CEN_QEMU_MS] = t.process_ms;
}

void nb_census_take(struct nb_census *c, pid_t vm_pid)
{
	int i;

	memset(c, 0, sizeof(*c));
	proc_stat(c);
	timer_irqs(c);
	if (vm_pid <= 0)
		return;
	for (i = 0; i < NB_CEN_N; i++) {
		if (!vm_files[i])
			continue;
		c->v[i] = nb_kvm_vm_stat(vm_pid, vm_files[i]);
		c->has_vm |= c->v[i] != 0;
	}
	if (c->has_vm)
		vm_threads(c, vm_pid);
}

char *nb_census_fmt(const struct nb_census *a, const struct nb_census *b, char *buf, size_t len)
{
	size_t n = 0;
	int i, last = a->has_vm && b->has_vm ? NB_CEN_N : NB_CEN_EXITS;

	buf[0] = 0;
	for (i = 0; i < last && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s%s +%llu", i ? " " : "",
			      i == NB_CEN_EXITS ? "vm: " : "", names[i],
			      (unsigned long long)(b->v[i] - a->v[i]));
	return buf;
}
