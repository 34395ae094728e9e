// SPDX-License-Identifier: GPL-2.0
/*
 * Every level but the innermost: boot the child under KVM and pass its
 * frames up unchanged. Levels whose KVM emulates nested transitions
 * (L0 .. depth-2) trace counting repetitions; L0 also timestamps marks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent.h"
#include "collect/tracer.h"
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

/* Stamp first: the mark's arrival time is the measurement. */
static void on_mark(struct nb_agent *a, struct nb_child *c, const struct nb_frame *f)
{
	uint64_t now = nb_now_ns();
	char what[16], mode[16];
	int rep;

	if (sscanf(f->data, "%15s %d %15s", what, &rep, mode) != 3)
		return;
	if (a->level == 0)
		agent_send(a, NB_F_STAMP, "%s %d %llu", what, rep, (unsigned long long)now);
	a->quiet = !strcmp(what, "start");
	nb_child_quiet(c, a->quiet);
	if (strcmp(mode, "counting") || !emulating(a))
		goto arm;
	if (!strcmp(what, "start"))
		trace_begin(a);
	else
		trace_end(a, rep);
arm:	/* L0 is the top of the stack: once it is armed, everyone below is */
	if (a->level == 0 && !strcmp(what, "start") && !strcmp(mode, "counting"))
		nb_child_send(c, NB_F_ARM, f->data + 6, strcspn(f->data + 6, " "));
}

static int relay_frame(void *ctx, struct nb_child *c, const struct nb_frame *f)
{
	struct nb_agent *a = ctx;
	int ret;

	ret = nb_frame_write(a->port, f->type, f->level, f->data, f->len);
	if (f->type == NB_F_MARK)
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
		.disk = child == p->depth ? rp->disk : NULL,
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
	snprintf(clock, sizeof(clock), "L%d", a->level);
	if (env.disk && (ret = make_disk(&a->plan, env.disk)))
		return relay_fail(a, a->level, "preparing", "cannot make the RAM disk", -ret);
	c = nb_child_start(&a->plan, a->level + 1, &env, clock, &sink);
	if (!c)
		return relay_fail(a, a->level + 1, "starting", "cannot start QEMU", errno);
	ret = nb_child_wait(c);
	nb_child_free(c);
	if (a->tracer)
		nb_tracer_free(a->tracer);
	return ret;
}
