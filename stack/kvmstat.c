// SPDX-License-Identifier: GPL-2.0
/*
 * KVM's own per-VM counters (/sys/kernel/debug/kvm/<pid>-<fd>/), read
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

/* debugfs has each vCPU counter once per VM too, summed over its vCPUs. */
uint64_t nb_kvm_vm_stat(pid_t pid, const char *name)
{
	char p[160];

	snprintf(p, sizeof(p), "/sys/kernel/debug/kvm/%d-*/%s", (int)pid, name);
	return sum(p);
}

int nb_kvm_vm_stats(pid_t pid, struct nb_kvm_stats *s)
{
	char p[128];
	glob_t g;

	snprintf(p, sizeof(p), "/sys/kernel/debug/kvm/%d-*/vcpu*", (int)pid);
	if (glob(p, 0, NULL, &g))
		return -ENOENT;
	globfree(&g);
	s->exits = nb_kvm_vm_stat(pid, "exits");
	s->mmio = nb_kvm_vm_stat(pid, "mmio_exit_*");
	s->hvc = nb_kvm_vm_stat(pid, "hvc_exit_stat");
	s->wfx = nb_kvm_vm_stat(pid, "wf?_exit_stat");
	return 0;
}
