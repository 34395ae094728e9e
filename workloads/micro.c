// SPDX-License-Identifier: GPL-2.0
/*
 * micro: what one nested operation costs. `nbagent micro ITERS PAGES` (a
 * subcommand of the static agent: nothing else to put in the rootfs) times,
 * after a warm-up of a tenth of the iterations, in a loop each:
 *
 *   syscall  getppid(): EL0 -> EL1 inside the innermost guest; no exit at
 *            any level (the baseline: what the loop costs where nothing leaves)
 *   mmio     a 32-bit read of a virtio-pci device's memory BAR (the common
 *            configuration), mapped through /sys/bus/pci/devices/.../resourceN:
 *            a stage-2 data abort that the parent's KVM returns to its QEMU
 *            in user space (KVM_EXIT_MMIO) -- at depth >= 2 an exception
 *            injected into the guest hypervisor and a nested ERET back, with
 *            every level below L0 emulated by L0
 *   fault    the first write to each page of a fresh anonymous mapping: a
 *            guest page fault, and a stage-2 fault where the guest-physical
 *            page was never touched before (freed pages come back mapped, so
 *            it is an upper bound on the guest-only cost, a lower bound on
 *            the stage-2 one; the counting repetition's exits say which)
 *
 * One line per run, ns per operation in the innermost guest's
 * CLOCK_MONOTONIC (under icount: the emulated counter, instructions):
 *   micro: syscall_ns=812.4 mmio_ns=40211.0 fault_ns=5120.7 iters=2000 pages=2048
 * An operation that cannot run here prints "-" and its column stays empty.
 * `nbagent loop` brackets each run with the marks.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/workload.h"

static const struct nb_wl_key micro_keys[] = {
	{ "iters", "timed iterations of syscall and mmio", 10, 10000000, { 0, 20000, 4000, 1000, 500 } },
	{ "pages", "pages first-touched by fault", 16, 262144, { 0, 4096, 2048, 1024, 512 } },
	{ "op", "0: every operation; 1, 2, 3: syscall, mmio or fault alone (to count its exits)", 0, 3, { 0 } },
	{ NULL },
};

static const struct nb_wl_metric micro_metrics[] = {
	{ "syscall_ns", "system call (getppid), no exit", "ns", "ns", 1, "%.1f", NB_LOWER_BETTER, 1 },
	{ "mmio_ns", "MMIO read, virtio-pci BAR (parent's QEMU)", "ns", "ns", 1, "%.1f", NB_LOWER_BETTER, 1 },
	{ "fault_ns", "first touch of an anonymous page", "ns", "ns", 1, "%.1f", NB_LOWER_BETTER, 1 },
};
#define NMICRO (sizeof(micro_metrics) / sizeof(micro_metrics[0]))

#ifdef NB_AGENT
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static double per_op(uint64_t t0, uint64_t t1, long n)
{
	return (double)(t1 - t0) / n;
}

static double op_syscall(long iters)
{
	uint64_t t0;
	long i;

	for (i = 0; i < iters / 10; i++)
		syscall(SYS_getppid);
	t0 = nb_now_ns();
	for (i = 0; i < iters; i++)
		syscall(SYS_getppid);
	return per_op(t0, nb_now_ns(), iters);
}

/* A memory BAR of 4 KiB or more of PCI device dir (resource: "start end flags" lines). */
static int mem_bar(const char *dir)
{
	char path[320], *text, *p;
	unsigned long long start, end, flags;
	int bar = 0, best = -1;

	snprintf(path, sizeof(path), "%s/resource", dir);
	text = nb_read_file(path, NULL);
	for (p = text; p && bar < 6; bar++, p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (sscanf(p, "%llx %llx %llx", &start, &end, &flags) == 3 && (flags & 0x200) &&
		    end > start && end - start + 1 >= 4096)
			best = bar;	/* the last: the modern virtio-pci BAR (4), not MSI-X (1) */
	free(text);
	return best;
}

/* The first virtio (vendor 0x1af4) device's memory BAR, mapped; NULL if none. */
static volatile uint32_t *map_virtio_bar(void)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	char dir[300], path[320], *vendor;
	void *map = MAP_FAILED;
	int bar, fd;

	while (d && map == MAP_FAILED && (e = readdir(d))) {
		snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", e->d_name);
		snprintf(path, sizeof(path), "%s/vendor", dir);
		vendor = nb_read_file(path, NULL);
		bar = vendor && !strncmp(vendor, "0x1af4", 6) ? mem_bar(dir) : -1;
		free(vendor);
		if (bar < 0)
			continue;
		snprintf(path, sizeof(path), "%s/resource%d", dir, bar);
		fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
		if (fd >= 0)
			map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
		if (fd >= 0)
			close(fd);
	}
	if (d)
		closedir(d);
	return map == MAP_FAILED ? NULL : map;
}

static double op_mmio(long iters)
{
	volatile uint32_t *bar = map_virtio_bar();
	uint64_t t0;
	long i;

	if (!bar)
		return NAN;
	for (i = 0; i < iters / 10; i++)
		(void)bar[0];
	t0 = nb_now_ns();
	for (i = 0; i < iters; i++)
		(void)bar[0];	/* device_feature_select: reading it changes nothing */
	return per_op(t0, nb_now_ns(), iters);
}

static double touch(long pages)
{
	long psz = sysconf(_SC_PAGESIZE), i;
	char *m = mmap(NULL, pages * psz, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uint64_t t0;
	double ns;

	if (m == MAP_FAILED)
		return NAN;
	t0 = nb_now_ns();
	for (i = 0; i < pages; i++)
		m[i * psz] = 1;
	ns = per_op(t0, nb_now_ns(), pages);
	munmap(m, pages * psz);
	return ns;
}

static double op_fault(long pages)
{
	touch(pages / 10 > 1 ? pages / 10 : 1);
	return touch(pages);
}

static void print_op(const char *col, double ns)
{
	if (isnan(ns))
		printf(" %s=-", col);
	else
		printf(" %s=%.1f", col, ns);
}

static int micro_main(int argc, char **argv)
{
	int iters, pages, op = 0;

	if (argc < 4 || argc > 5 || nb_parse_int(argv[2], 10, 10000000, &iters) ||
	    nb_parse_int(argv[3], 16, 262144, &pages) || (argc == 5 && nb_parse_int(argv[4], 0, 3, &op))) {
		fprintf(stderr, "usage: nbagent micro ITERS PAGES [OP]\n");
		return 2;
	}
	printf("micro:");
	print_op("syscall_ns", !op || op == 1 ? op_syscall(iters) : NAN);
	print_op("mmio_ns", !op || op == 2 ? op_mmio(iters) : NAN);
	print_op("fault_ns", !op || op == 3 ? op_fault(pages) : NAN);
	printf(" iters=%d pages=%d\n", iters, pages);
	return fflush(stdout) ? 1 : 0;
}

static int micro_command(const struct nb_plan *p, int k, const char *out, struct nb_argv *argv)
{
	nb_argv_add(argv, "/sbin/nbagent");
	nb_argv_add(argv, "loop");
	nb_argv_add(argv, "%d", k);
	nb_argv_add(argv, "%s", out);
	nb_argv_add(argv, "/sbin/nbagent");
	nb_argv_add(argv, "micro");
	nb_argv_add(argv, "%d", nb_wl_param(&nb_wl_micro, p->job, "iters"));
	nb_argv_add(argv, "%d", nb_wl_param(&nb_wl_micro, p->job, "pages"));
	return nb_argv_add(argv, "%d", nb_wl_param(&nb_wl_micro, p->job, "op"));
}

#define MICRO_AGENT .command = micro_command, .agent_main = micro_main,
#else
#define MICRO_AGENT
#endif

/* "col=1.5" among the line's blank-separated tokens: 0; "col=-": NAN; else -EINVAL. */
static int micro_value(const char *line, const char *col, double *v)
{
	size_t len = strlen(col), n;
	const char *p = line;
	char tok[40], *end;

	for (; *p && *p != '\n'; p += n) {
		p += strspn(p, " ");
		n = strcspn(p, " \n");
		if (n <= len || p[len] != '=' || strncmp(p, col, len) || n >= sizeof(tok))
			continue;
		snprintf(tok, sizeof(tok), "%.*s", (int)(n - len - 1), p + len + 1);
		if (!strcmp(tok, "-"))
			return *v = NAN, 0;
		errno = 0;
		*v = strtod(tok, &end);
		return errno || end == tok || *end || !isfinite(*v) || *v < 0 || *v > 1e12 ? -EINVAL : 0;
	}
	return -EINVAL;
}

/* The idx-th (0..) "micro:" line. */
static int micro_parse(const char *text, int idx, double *v)
{
	const char *p = text;
	size_t i;
	int n = 0, ret = 0;

	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, "micro:", 6) || n++ != idx)
			continue;
		for (i = 0; i < NMICRO && !ret; i++)
			ret = micro_value(p + 6, micro_metrics[i].col, &v[i]);
		return ret;
	}
	return -ENOENT;
}

static int micro_validate(const char *params, char *err, size_t errlen)
{
	return nb_wl_validate_keys(&nb_wl_micro, params, err, errlen);
}

const struct nb_workload nb_wl_micro = {
	.name = "micro",
	.window = "micro run time",
	.rootfs_key = "rootfs.micro",
	.out_ext = "txt",
	.keys = micro_keys,
	.metrics = micro_metrics,
	.nmetrics = NMICRO,
	.validate = micro_validate,
	.parse = micro_parse,
	MICRO_AGENT
};
