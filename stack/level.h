/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Supervising one child level: start its QEMU, talk to its agent over the
 * channel, pass every frame to a sink, and turn every way a level can fail
 * (QEMU exits, the kernel panics, nothing heard for too long, no power-off)
 * into one FAIL frame that names the level, the reason and what it was doing.
 * The same code runs on the x86 host (child = emulated L0), on an arm64 host
 * (child = L1) and in every guest hypervisor's agent.
 */
#ifndef NB_LEVEL_H
#define NB_LEVEL_H

#include <sched.h>

#include "stack/frame.h"
#include "stack/plan.h"
#include "stack/qemu.h"

struct nb_child;

/*
 * A parent's CPUs `all` split for a child of `vcpus` vCPUs: its QEMU gets the
 * last `vcpus` of them, the parent's own processes the others. -ENOSPC when
 * the parent has no CPU to spare (then nothing is pinned).
 */
int nb_cpus_split(const cpu_set_t *all, int vcpus, cpu_set_t *child, cpu_set_t *self);
/* "0,2,5": the CPUs of set, for logs; returns buf. */
char *nb_cpus_fmt(const cpu_set_t *set, char *buf, size_t len);

/* Inside an I/O window (on) the supervisor wakes only for events, deadlines and a 30 s tick. */
void nb_child_quiet(struct nb_child *c, int on);

struct nb_sink {
	void *ctx;
	/* Every frame from below, and the BOOT/FAIL/CONSOLE frames made here. */
	int (*frame)(void *ctx, struct nb_child *c, const struct nb_frame *f);
	/* About once a second, with what the child is doing. */
	void (*tick)(void *ctx, struct nb_child *c, const char *doing);
	/* An extra fd to watch (e.g. the parent's port), -1 if none. */
	int extra_fd;
	int (*extra)(void *ctx, struct nb_child *c);
};

/*
 * Start level `level` of plan p with env; the child owns copies of nothing:
 * p, env and sink must outlive it. Returns NULL (errno set) if QEMU cannot start.
 */
struct nb_child *nb_child_start(const struct nb_plan *p, int level,
				const struct nb_qemu_env *env, const char *clock,
				const struct nb_sink *sink);
/* Run until the child has powered off (0) or failed (-1, FAIL already sunk). */
int nb_child_wait(struct nb_child *c);
int nb_child_send(struct nb_child *c, unsigned int type, const void *data, uint32_t len);
int nb_child_level(const struct nb_child *c);
/* The child's QEMU (its KVM VM's debugfs name starts with it), -1 before it starts. */
pid_t nb_child_pid(const struct nb_child *c);
/* Fail the child now (e.g. a limit only the caller knows), reporting reason. */
void nb_child_abort(struct nb_child *c, const char *reason);
void nb_child_free(struct nb_child *c);

/* Emit a frame made at this level to the sink (used for STATUS etc.). */
int nb_child_emit(struct nb_child *c, unsigned int type, int level, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
