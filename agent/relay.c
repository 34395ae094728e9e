// SPDX-License-Identifier: GPL-2.0
/*
 * Every level but the innermost: boot the child under KVM and pass its
 * frames up unchanged. Levels whose KVM emulates nested transitions
 * (L0 .. depth-2) count timing repetitions with perf stat and trace
 * counting ones; L0 runs perf kvm stat in exit repetitions and timestamps
 * marks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent.h"
#include "collect/perfstat.h"
#include "collect/tracer.h"
#include "stack/platform.h"
#include "stack/util.h"

static int emulating(const struct nb_agent *a)
{
	return a->level <= a->plan.depth - 2;
}

static void trace_begin(struct nb_agent *a)
{
	int ret;

	if (!a->tracer && (ret = nb_tracer_create(&a->tracer, a->level))) {
		agent_send(a, NB_F_STATUS, "L%d: tracing unavailable: %s", a->level, strerror(-ret));
		return;
	}
	if ((ret = nb_tracer_start(a->tracer)))
		agent_send(a, NB_F_STATUS, "L%d: cannot start tracing: %s", a->level, strerror(-ret));
}

static void trace_end(struct nb_agent *a, int rep)
{
	char path[128], name[64];
	int ret;

	if (!a->tracer)
		return;
	snprintf(name, sizeof(name), "trace-L%d-rep%d.dat", a->level, rep);
	snprintf(path, sizeof(path), "/run/%s", name);
	ret = nb_tracer_stop(a->tracer, path);
	if (!ret)
		ret = agent_send_file(a, name, path);
	if (ret)
		agent_send(a, NB_F_STATUS, "L%d: trace of repetition %d lost: %s", a->level, rep, strerror(-ret));
	else
		agent_send(a, NB_F_STATUS, "L%d: trace of repetition %d: %lld events lost",
			   a->level, rep, nb_tracer_lost(a->tracer));
	unlink(path);
}

static const char *rundir(const struct nb_agent *a)
{
	return a->level == 0 && a->plan.l0_run[0] ? a->plan.l0_run : "/run";
}

static void perf_path(const struct nb_agent *a, int rep, char *name, char *path, size_t len)
{
	snprintf(name, 64, "perf-L%d-rep%d.csv", a->level, rep);
	snprintf(path, len, "%s/%s", rundir(a), name);
}

static void perf_begin(struct nb_agent *a, int rep)
{
	char path[400], name[64];
	const char *kind;
	int ret;

	if (!a->perf && !a->perf_err) {
		ret = nb_perfstat_create(&a->perf, rundir(a), a->level == 0 && a->plan.l0_run[0], &kind);
		a->perf_err = ret;
		agent_send(a, NB_F_STATUS, "L%d: perf counters: %s%s", a->level,
			   ret ? "unavailable: " : kind, ret ? strerror(-ret) : "");
	}
	if (!a->perf)
		return;
	perf_path(a, rep, name, path, sizeof(path));
	nb_perfstat_start(a->perf, path);	/* on failure the file says why */
}

/* The host expects a file for every counted repetition, even when perf could not count. */
static void perf_end(struct nb_agent *a, int rep)
{
	char path[400], name[64];

	perf_path(a, rep, name, path, sizeof(path));
	if (a->perf)
		nb_perfstat_stop(a->perf);
	else
		nb_perfstat_write_failure(path, "setting up", a->perf_err);
	if (agent_send_file(a, name, path))
		agent_send(a, NB_F_STATUS, "L%d: perf counts of repetition %d lost", a->level, rep);
	unlink(path);
}

/*
 * perf kvm stat at L0, in exit repetitions of their own: the exits of the
 * machine's own KVM by reason (on an arm64 host, hardware exits). Not in a
 * timing or counting repetition: it samples every entry and exit into a
 * buffer, and its writer would be timed with them. Not above L0: a guest
 * hypervisor's exits are L0's emulation, counted by the tracer already.
 */
static void kvm_data_path(const struct nb_agent *a, int rep, char *data, size_t len)
{
	snprintf(data, len, "%s/nbkvm-rep%d.data", rundir(a), rep);
}

static void kvm_begin(struct nb_agent *a, int rep)
{
	char data[400];
	int ret;

	if (!a->kvm && !a->kvm_err) {
		ret = a->kvm_err = nb_perfkvm_create(&a->kvm, rundir(a));
		if (ret)
			agent_send(a, NB_F_STATUS, "L0: perf kvm stat unavailable: %s", strerror(-ret));
	}
	kvm_data_path(a, rep, data, sizeof(data));
	if (a->kvm)
		nb_perfstat_start(a->kvm, data);	/* on failure the file says why */
}

/* The report goes up, or perf's failure line: the host flags what it could not count. */
static void kvm_end(struct nb_agent *a, int rep)
{
	char data[400], path[400], name[64];

	snprintf(name, sizeof(name), "kvmexits-L0-rep%d.txt", rep);
	snprintf(path, sizeof(path), "%s/%s", rundir(a), name);
	kvm_data_path(a, rep, data, sizeof(data));
	if (!a->kvm)
		nb_perfstat_write_failure(path, "setting up perf kvm stat", a->kvm_err);
	else if (nb_perfstat_stop(a->kvm))
		rename(data, path);	/* its failure line, from start or stop */
	else
		nb_perfkvm_report(data, path);
	if (agent_send_file(a, name, path))
		agent_send(a, NB_F_STATUS, "L0: exits of repetition %d lost", rep);
	unlink(data);
	unlink(path);
}

/* The counters of this level for a repetition of this mode: on at its start, off at its end. */
static void count_mark(struct nb_agent *a, int start, int rep, const char *mode)
{
	int counting = !strcmp(mode, "counting");

	if (!emulating(a) || !nb_plan_armed(&a->plan, mode))
		return;
	if (!strcmp(mode, "exits")) {
		if (a->level == 0)
			start ? kvm_begin(a, rep) : kvm_end(a, rep);
	} else if (start) {
		counting ? trace_begin(a) : perf_begin(a, rep);
	} else {
		counting ? trace_end(a, rep) : perf_end(a, rep);
	}
}

/* What this level and its KVM did in the window that just ended (stack/census.h). */
static void census_end(struct nb_agent *a, pid_t vm, int rep, const char *mode)
{
	struct nb_census now;
	char buf[512];

	nb_census_take(&now, vm);
	agent_send(a, NB_F_STATUS, "L%d: census of repetition %d (%s): %s", a->level, rep, mode,
		   nb_census_fmt(&a->census, &now, buf, sizeof(buf)));
}

/*
 * L0 stamps an end mark on arrival: that is the measurement. A start mark
 * is stamped once every counter is on (none for a bare repetition), just
 * before the ARM that lets the workload start, so that switching the
 * counters on (starting perf, arming the tracer) stays outside the window.
 */
static void on_mark(struct nb_agent *a, struct nb_child *c, const struct nb_frame *f)
{
	uint64_t now = nb_now_ns();
	char what[16], mode[16];
	int rep, start;

	if (sscanf(f->data, "%15s %d %15s", what, &rep, mode) != 3)
		return;
	start = !strcmp(what, "start");
	if (a->level == 0 && !start)
		agent_send(a, NB_F_STAMP, "end %d %llu %s", rep, (unsigned long long)now, mode);
	if (!start)
		census_end(a, nb_child_pid(c), rep, mode);
	a->quiet = start;
	nb_child_quiet(c, a->quiet);
	count_mark(a, start, rep, mode);
	if (start)
		nb_census_take(&a->census, nb_child_pid(c));
	if (a->level != 0 || !start)
		return;
	agent_send(a, NB_F_STAMP, "start %d %llu %s", rep, (unsigned long long)nb_now_ns(), mode);
	/*
	 * L0 is the top of the stack: once it is armed, everyone below is. Every
	 * mode waits for it, counted or not: a bare repetition that started at
	 * once was stamped late whenever L0 was still busy with the last one's
	 * end (perf's stop, its file), 136 ms for a 200 ms run of fio.
	 */
	nb_child_send(c, NB_F_ARM, f->data + 6, strcspn(f->data + 6, " "));
}

/*
 * A start mark goes up once this level's counters are on, so that L0's
 * start stamp comes after every level's; an end mark goes up first, so
 * that stopping them here does not delay L0's end stamp.
 */
static int relay_frame(void *ctx, struct nb_child *c, const struct nb_frame *f)
{
	struct nb_agent *a = ctx;
	int start = f->type == NB_F_MARK && f->len > 6 && !strncmp(f->data, "start ", 6);
	int ret;

	if (start)
		on_mark(a, c, f);
	ret = nb_frame_write(a->port, f->type, f->level, f->data, f->len);
	if (f->type == NB_F_MARK && !start)
		on_mark(a, c, f);
	return ret;
}

static void relay_tick(void *ctx, struct nb_child *c, const char *doing)
{
	struct nb_agent *a = ctx;
	char s[320];

	snprintf(s, sizeof(s), "waiting for L%d: %s", nb_child_level(c), doing);
	agent_beat(a, s);
}

static int relay_extra(void *ctx, struct nb_child *c)
{
	return agent_read_parent(ctx, c);
}

/*
 * The emulated L0 reads its whole root image once, before L1 boots, and
 * serves it to L1 through its page cache: every level's root is this image
 * (each child's /dev/vda is its parent's), so a page a guest faults in
 * inside an I/O window is then found in L0's RAM. Uncached, it went down to
 * the x86 host's file, and while L0's vCPUs waited, icount's sleep=off
 * warped the guest clock by a host-timed amount (docs/time.md).
 */
static int cache_root(struct nb_agent *a, const char *dev)
{
	static char buf[1 << 20];
	uint64_t total = 0;
	int fd = open(dev, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		total += n > 0 ? n : 0;
	close(fd);
	/* no time: under icount every wait for the host warps L0's clock */
	agent_send(a, NB_F_STATUS, "root image %s held in L0's page cache: %llu MiB read before L1 boots",
		   dev, (unsigned long long)(total >> 20));
	return n < 0 ? -errno : 0;
}

/*
 * QEMU asks for huge pages for its guest's RAM (images/kernel.fragment), and
 * that puts it on khugepaged's list: every 10 s it would scan, a wake-up
 * that lands inside some windows and not others. Guest RAM is faulted in
 * as huge pages already; nothing is left for it to collapse.
 */
static void khugepaged_off(struct nb_agent *a)
{
	static const char *const knobs[] = { "scan_sleep_millisecs", "alloc_sleep_millisecs" };
	char path[128];
	size_t i;
	int fd;

	if (a->level == 0 && a->plan.l0_run[0])	/* an arm64 host's settings are its own */
		return;
	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		snprintf(path, sizeof(path), "/sys/kernel/mm/transparent_hugepage/khugepaged/%s", knobs[i]);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "86400000", 8) != 8)
			agent_send(a, NB_F_STATUS, "L%d: khugepaged left on: %s: %s", a->level, path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
}

/* The innermost guest's disk lives in its parent's RAM. */
static int make_disk(const struct nb_plan *p, const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600), ret = 0;

	if (fd < 0)
		return -errno;
	if (fallocate(fd, 0, 0, (off_t)p->disk_mb << 20))
		ret = -errno;
	close(fd);
	return ret;
}

/* Paths in the guest's root filesystem; on an arm64 host, L0's from the plan. */
struct relay_paths {
	char kernel[400], disk[300], chan[300];
};

static void relay_env(const struct nb_agent *a, struct relay_paths *rp, struct nb_qemu_env *env)
{
	const struct nb_plan *p = &a->plan;
	int child = a->level + 1, host = a->level == 0 && p->l0_run[0];
	const char *run = host ? p->l0_run : "/run";

	snprintf(rp->kernel, sizeof(rp->kernel), "%s/%s/Image", host ? p->l0_kernels : "/kernels",
		 p->lv[child].kernel);
	snprintf(rp->disk, sizeof(rp->disk), "%s/disk.img", run);
	snprintf(rp->chan, sizeof(rp->chan), "%s/nb-chan.sock", run);
	*env = (struct nb_qemu_env){
		.qemu = host ? p->l0_qemu : "/usr/bin/qemu-system-aarch64", .kernel = rp->kernel,
		.rootfs = host ? p->l0_rootfs : "/dev/vda", .chan = rp->chan,
		.disk = child == p->depth ? rp->disk : NULL, .root_cached = a->level == 0 && nb_plan_platform(p)->l0_guest,
	};
}

static int relay_fail(struct nb_agent *a, int level, const char *doing, const char *what, int err)
{
	agent_send(a, NB_F_FAIL, "level=%d\nreason=%s: %s\ndoing=%s L%d\nconsole:\n",
		   level, what, strerror(err), doing, a->level + 1);
	return -1;
}

int agent_relay(struct nb_agent *a)
{
	struct nb_sink sink = { .ctx = a, .frame = relay_frame, .tick = relay_tick,
				.extra_fd = a->port, .extra = relay_extra };
	struct relay_paths rp;
	struct nb_qemu_env env;
	struct nb_child *c;
	char clock[8];
	int ret;

	relay_env(a, &rp, &env);
	khugepaged_off(a);
	snprintf(clock, sizeof(clock), "L%d", a->level);
	if (env.disk && (ret = make_disk(&a->plan, env.disk)))
		return relay_fail(a, a->level, "preparing", "cannot make the RAM disk", -ret);
	if (env.root_cached && (ret = cache_root(a, env.rootfs)))
		return relay_fail(a, a->level, "preparing", "cannot read the root image", -ret);
	c = nb_child_start(&a->plan, a->level + 1, &env, clock, &sink);
	if (!c)
		return relay_fail(a, a->level + 1, "starting", "cannot start QEMU", errno);
	ret = nb_child_wait(c);
	nb_child_free(c);
	if (a->tracer)
		nb_tracer_free(a->tracer);
	nb_perfstat_free(a->perf);
	nb_perfstat_free(a->kvm);
	return ret;
}
