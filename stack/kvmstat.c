// SPDX-License-Identifier: GPL-2.0
/*
 * KVM's own per-VM counters (/sys/kernel/debug/kvm/<pid>-<fd>/), read
 * by a parent to say what a silent child is doing: a kernel that boots makes
 * MMIO exits (UART, GIC, virtio); one that takes only timer exits is spinning.
 */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stack/kvmstat.h"
#include "stack/util.h"

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

int nb_kvm_is_vcpu(pid_t pid, const char *tid)
{
	char path[320], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%s/comm", (int)pid, tid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = 0;
	fclose(f);
	comm[strcspn(comm, "\n")] = 0;
	return !strncmp(comm, "CPU ", 4) && strlen(comm) > 4 && !strcmp(comm + strlen(comm) - 4, "/KVM");
}

/* A vCPU thread's /proc/PID/task/TID/schedstat: "run_ns wait_ns timeslices"; one that exits on the way counts 0. */
static void vcpu_add(pid_t pid, const char *tid, int vcpu, void *ctx)
{
	struct nb_kvm_threads *t = ctx;
	unsigned long long run, wait, slices;
	char path[320];
	FILE *f;
	int n;

	if (!vcpu)
		return;
	snprintf(path, sizeof(path), "/proc/%d/task/%s/schedstat", (int)pid, tid);
	f = fopen(path, "re");
	if (!f)
		return;
	n = fscanf(f, "%llu %llu %llu", &run, &wait, &slices);
	fclose(f);
	if (n != 3)
		return;
	t->vcpu_ns += run;
	t->vcpu_switches += slices;
}

/* utime and stime, fields 14 and 15 of /proc/PID/stat, after the ")" that ends comm. */
static int process_ms(pid_t pid, uint64_t *ms)
{
	unsigned long long ut, st;
	char path[64], *text, *p;
	long hz = sysconf(_SC_CLK_TCK);
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	text = nb_read_file(path, NULL);
	p = text ? strrchr(text, ')') : NULL;
	if (p)
		n = sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st);
	free(text);
	if (n != 2 || hz <= 0)
		return -ENOENT;
	*ms = (ut + st) * 1000 / (uint64_t)hz;
	return 0;
}

int nb_kvm_each_thread(pid_t pid, void (*fn)(pid_t pid, const char *tid, int vcpu, void *ctx), void *ctx)
{
	struct dirent *d;
	char path[64];
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return -ENOENT;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			fn(pid, d->d_name, nb_kvm_is_vcpu(pid, d->d_name), ctx);
	closedir(dir);
	return 0;
}

int nb_kvm_threads(pid_t pid, struct nb_kvm_threads *t)
{
	memset(t, 0, sizeof(*t));
	if (nb_kvm_each_thread(pid, vcpu_add, t))
		return -ENOENT;
	return process_ms(pid, &t->process_ms);
}
