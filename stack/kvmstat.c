// SPDX-License-Identifier: GPL-2.0
/*
 * KVM's own per-VM counters (/sys/kernel/debug/kvm/<pid>-<fd>/vcpuN/), read
 * by a parent to say what a silent child is doing: a kernel that boots makes
 * MMIO exits (UART, GIC, virtio); one that takes only timer exits is spinning.
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>

#include "stack/kvmstat.h"

static uint64_t sum(const char *pattern)
{
	uint64_t total = 0;
	glob_t g;
	size_t i;

	if (glob(pattern, 0, NULL, &g))
		return 0;
	for (i = 0; i < g.gl_pathc; i++) {
		FILE *f = fopen(g.gl_pathv[i], "re");
		unsigned long long v;

		if (f && fscanf(f, "%llu", &v) == 1)
			total += v;
		if (f)
			fclose(f);
	}
	globfree(&g);
	return total;
}

int nb_kvm_vm_stats(pid_t pid, struct nb_kvm_stats *s)
{
	char p[128];
	glob_t g;

	snprintf(p, sizeof(p), "/sys/kernel/debug/kvm/%d-*/vcpu*", (int)pid);
	if (glob(p, 0, NULL, &g))
		return -ENOENT;
	globfree(&g);
	snprintf(p, sizeof(p), "/sys/kernel/debug/kvm/%d-*/vcpu*/exits", (int)pid);
	s->exits = sum(p);
	snprintf(p, sizeof(p), "/sys/kernel/debug/kvm/%d-*/vcpu*/mmio_exit_*", (int)pid);
	s->mmio = sum(p);
	snprintf(p, sizeof(p), "/sys/kernel/debug/kvm/%d-*/vcpu*/hvc_exit_stat", (int)pid);
	s->hvc = sum(p);
	snprintf(p, sizeof(p), "/sys/kernel/debug/kvm/%d-*/vcpu*/wf?_exit_stat", (int)pid);
	s->wfx = sum(p);
	return 0;
}
