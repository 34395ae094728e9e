// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stack/console.h"
#include "stack/kvmstat.h"
#include "stack/level.h"
#include "stack/util.h"

enum child_state { BOOTING, RUNNING, FINISHING, EXITED };

static const char *const state_doing[] = {
	[BOOTING] = "booting (its agent has not said hello)",
	[RUNNING] = "running",
	[FINISHING] = "powering off after finishing",
	[EXITED] = "exited",
};

struct nb_child {
	const struct nb_plan *plan;
	const struct nb_sink *sink;
	const char *clock;
	int level;
	enum child_state state;
	pid_t pid;
	int pidfd, lsock, chan, console;
	struct nb_decoder *dec;
	struct nb_tail tail;
	uint64_t t_start, t_hello, t_done, t_last, t_tick;
	int below_failed, failed;
	int quiet;		/* inside an I/O window: wake only when needed */
	char doing[256];	/* the child's own last STATUS text */
};

/*
 * Inside a repetition's I/O window every instruction anywhere in the stack
 * lands in the icount clock the window is timed with: a supervisor that
 * wakes five times a second at every level is noise in the measurement.
 * Quiet, it wakes for its fds, its deadlines and a tick every 30 s; L0
 * (watching L1) every 1 s. L0's clock is the host's only sign of life from
 * inside a window, and under icount it is guest instructions: with the
 * host loaded, one 3 s window of a depth-3 stack took more than the host's
 * 300 s idle limit. L0 is not nested, so its tick costs a few thousand
 * instructions a second, nothing the window can see.
 */
#define TICK_NS		1000000000ull
#define QUIET_TICK_NS	30000000000ull
#define L0_QUIET_TICK_NS 1000000000ull

static uint64_t quiet_tick(const struct nb_child *c)
{
	return c->level == 1 ? L0_QUIET_TICK_NS : QUIET_TICK_NS;
}

void nb_child_quiet(struct nb_child *c, int on)
{
	c->quiet = on;
}

/* Until the next tick or the idle deadline, whichever comes first. */
static int poll_ms(const struct nb_child *c)
{
	uint64_t now = nb_now_ns(), tick = c->t_tick + quiet_tick(c);
	uint64_t idle = c->t_last + (uint64_t)c->plan->idle_timeout * 1000000000ull;
	uint64_t next = c->state == RUNNING && idle < tick ? idle : tick;

	if (!c->quiet)
		return 200;
	return next <= now ? 0 : (int)((next - now) / 1000000 + 1);
}

int nb_child_level(const struct nb_child *c)
{
	return c->level;
}

pid_t nb_child_pid(const struct nb_child *c)
{
	return c->pid;
}

static int sink_frame(struct nb_child *c, unsigned int type, int level, const char *s, size_t len)
{
	struct nb_frame f = { .type = type, .level = level, .len = len, .data = (char *)s };

	return c->sink->frame(c->sink->ctx, c, &f);
}

int nb_child_emit(struct nb_child *c, unsigned int type, int level, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n, ret;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	ret = sink_frame(c, type, level, s, n);
	free(s);
	return ret;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1)) {
		close(fd);
		return -errno;
	}
	return fd;
}

int nb_cpus_split(const cpu_set_t *all, int vcpus, cpu_set_t *child, cpu_set_t *self)
{
	int cpu, n = CPU_COUNT(all), seen = 0;

	if (vcpus < 1 || n <= vcpus)
		return -ENOSPC;
	CPU_ZERO(child);
	CPU_ZERO(self);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, all))
			CPU_SET(cpu, ++seen > n - vcpus ? child : self);
	return 0;
}

char *nb_cpus_fmt(const cpu_set_t *set, char *buf, size_t len)
{
	size_t off = 0;
	int cpu;

	buf[0] = '\0';
	for (cpu = 0; cpu < CPU_SETSIZE && off < len; cpu++)
		if (CPU_ISSET(cpu, set))
			off += snprintf(buf + off, len - off, "%s%d", off ? "," : "", cpu);
	return buf;
}

/* io_sched = batch: the child's QEMU SCHED_BATCH from its first thread on (see io_threads_sched()). */
static pid_t spawn_batch(struct nb_child *c, char *const argv[], int out_fd)
{
	const struct sched_param sp = { 0 };
	int batch = c->plan->io_sched == NB_IO_BATCH && c->level > 0 &&
		    !sched_setscheduler(0, SCHED_BATCH, &sp);
	pid_t pid = nb_spawn(argv, out_fd, -1);

	if (batch)
		sched_setscheduler(0, SCHED_OTHER, &sp);
	return pid;
}

/*
 * Unpinned, each level's scheduler places the child's vCPU thread, QEMU's
 * main loop and its I/O workers anew in every boot, and under icount every
 * placement costs its own instructions per I/O: depth-1 boots of one kernel
 * settled at 42, 47, 50 and 52 ms for the same 512 reads (docs/time.md).
 * The host's TCG L0s are never pinned: boots side by side share the host.
 * Set in the parent around the fork, so every QEMU thread inherits the mask.
 */
static pid_t spawn_pinned(struct nb_child *c, char *const argv[], int out_fd)
{
	cpu_set_t all, child, self;
	char cs[64], ss[64];
	pid_t pid;

	if (!c->plan->pin || c->level == 0 || sched_getaffinity(0, sizeof(all), &all) ||
	    nb_cpus_split(&all, c->plan->lv[c->level].cpus, &child, &self) ||
	    sched_setaffinity(0, sizeof(child), &child))
		return spawn_batch(c, argv, out_fd);
	pid = spawn_batch(c, argv, out_fd);
	sched_setaffinity(0, sizeof(self), &self);
	nb_child_emit(c, NB_F_STATUS, c->level - 1, "L%d's QEMU pinned to CPU %s of L%d; L%d's own processes on CPU %s",
		    c->level, nb_cpus_fmt(&child, cs, sizeof(cs)), c->level - 1, c->level - 1,
		    nb_cpus_fmt(&self, ss, sizeof(ss)));
	return pid;
}

static int spawn_qemu(struct nb_child *c, const struct nb_qemu_env *env)
{
	struct nb_argv a = { 0 };
	int pipefd[2], ret = -1;
	char *line;

	if (nb_qemu_argv(c->plan, c->level, env, &a) || pipe2(pipefd, O_CLOEXEC))
		goto out;
	line = nb_argv_join(&a);
	sink_frame(c, NB_F_STATUS, c->level, line, strlen(line));
	free(line);
	c->pid = spawn_pinned(c, a.v, pipefd[1]);
	close(pipefd[1]);
	c->console = pipefd[0];
	if (c->pid < 0)
		goto out;
	c->pidfd = syscall(SYS_pidfd_open, c->pid, 0);
	ret = c->pidfd < 0 ? -1 : 0;
out:
	nb_argv_free(&a);
	return ret;
}

struct nb_child *nb_child_start(const struct nb_plan *p, int level,
				const struct nb_qemu_env *env, const char *clock,
				const struct nb_sink *sink)
{
	struct nb_child *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	*c = (struct nb_child){ .plan = p, .sink = sink, .clock = clock, .level = level,
				.pidfd = -1, .chan = -1, .console = -1, .pid = -1 };
	c->dec = nb_decoder_create();
	c->lsock = listen_on(env->chan);
	c->t_start = c->t_last = c->t_tick = nb_now_ns();
	if (!c->dec || c->lsock < 0 || spawn_qemu(c, env)) {
		nb_child_free(c);
		return NULL;
	}
	return c;
}

int nb_child_send(struct nb_child *c, unsigned int type, const void *data, uint32_t len)
{
	if (c->chan < 0)
		return -ENOTCONN;
	return nb_frame_write(c->chan, type, c->level, data, len);
}

static void kill_qemu(struct nb_child *c)
{
	if (c->pid > 0 && c->state != EXITED) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
		c->state = EXITED;
	}
}

/* The one place a level's failure is decided and reported. */
static void fail(struct nb_child *c, const char *fmt, ...)
{
	char reason[512], tail[2048];
	va_list ap;

	if (c->failed)
		return;
	c->failed = 1;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	nb_tail_lines(&c->tail, 15, tail, sizeof(tail));
	nb_child_emit(c, NB_F_FAIL, c->level, "level=%d\nreason=%s\ndoing=%s\nelapsed_s=%.1f\nconsole:\n%s",
		      c->level, reason, c->doing[0] ? c->doing : state_doing[c->state],
		      nb_secs(nb_now_ns() - c->t_start), tail);
	kill_qemu(c);
}

void nb_child_abort(struct nb_child *c, const char *reason)
{
	fail(c, "%s", reason);
}

/* struct sched_attr of sched_setattr(2), which glibc before 2.41 does not wrap. */
struct nb_sched_attr {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
};

/*
 * A vCPU thread normal again, with EEVDF's longest slice (100 ms; a
 * read is a few): a batch I/O thread that became runnable at the kick
 * cannot take the CPU at a tick either, only when the vCPU blocks.
 */
static int vcpu_long_slice(pid_t tid)
{
	struct nb_sched_attr a = { .size = sizeof(a), .policy = SCHED_OTHER, .runtime = 100000000 };
	const struct sched_param normal = { 0 };

	if (!syscall(SYS_sched_setattr, tid, &a, 0))
		return 1;
	return !sched_setscheduler(tid, SCHED_OTHER, &normal);
}

/*
 * On a level with one CPU, QEMU's vCPU thread shares it with the threads
 * that serve the child's I/O (main loop, block workers). An I/O's kick wakes
 * one of those while the vCPU thread runs the child; whether the scheduler
 * switched at once (the read completes before the child idles) or let the
 * vCPU run on (the child idles, exits for WFI, and the read is served
 * then) was EEVDF's choice, from state that differs from boot to boot: at
 * depth 3 two boots of one kernel took 260-290 and 320-400 WFI exits of L3
 * per window and differed by 4.4 % (docs/time.md). io_sched takes the
 * choice away from it:
 * - batch: SCHED_BATCH threads never preempt on wake-up; QEMU is started
 *   so around the fork, like the CPU mask, so that the workers it starts
 *   later inherit it, and its vCPU threads are made normal here, with the
 *   longest slice, so that a tick does not hand the CPU to a waiting I/O
 *   thread either: the child idles for every read, and its vCPU thread is
 *   never switched out in the middle of a kick (a put and load of the
 *   vCPU, ~20 emulated traps when the parent is itself a guest);
 * - fifo: the threads other than the vCPUs are made SCHED_FIFO here, once
 *   the child is up (a vCPU thread at FIFO would starve the agent while
 *   the child boots); the workers the main loop starts later inherit it.
 *   An I/O's wake-up preempts the vCPU at once, every time. Only for the
 *   innermost guest's QEMU, the one that serves the measured I/O.
 */
static int io_thread_sched(struct nb_child *c, pid_t tid, int vcpu)
{
	const struct sched_param fifo = { .sched_priority = 1 };

	if (c->plan->io_sched == NB_IO_BATCH)
		return vcpu && vcpu_long_slice(tid);
	return !vcpu && !sched_setscheduler(tid, SCHED_FIFO, &fifo);
}

struct io_sched_walk {
	struct nb_child *c;
	int n;
};

static void io_thread_sched_one(pid_t pid, const char *tid, int vcpu, void *ctx)
{
	struct io_sched_walk *w = ctx;

	(void)pid;
	w->n += io_thread_sched(w->c, atoi(tid), vcpu);
}

static void io_threads_sched(struct nb_child *c)
{
	struct io_sched_walk w = { .c = c };

	if (c->plan->io_sched == NB_IO_NORMAL || c->level == 0 ||
	    (c->plan->io_sched == NB_IO_FIFO && c->level != c->plan->depth))
		return;
	nb_kvm_each_thread(c->pid, io_thread_sched_one, &w);
	if (c->plan->io_sched == NB_IO_BATCH)
		nb_child_emit(c, NB_F_STATUS, c->level - 1, "L%d's QEMU threads SCHED_BATCH but its %d vCPU thread%s (normal, 100 ms slice)",
			      c->level, w.n, w.n == 1 ? "" : "s");
	else
		nb_child_emit(c, NB_F_STATUS, c->level - 1, "L%d's QEMU: %d thread%s SCHED_FIFO, its vCPU threads normal",
			      c->level, w.n, w.n == 1 ? "" : "s");
}

static void on_hello(struct nb_child *c)
{
	io_threads_sched(c);
	c->t_hello = nb_now_ns();
	c->state = RUNNING;
	nb_child_emit(c, NB_F_BOOT, c->level, "level=%d\nkernel=%s\nclock=%s\nboot_s=%.3f\n",
		      c->level, c->plan->lv[c->level].kernel, c->clock,
		      nb_secs(c->t_hello - c->t_start));
}

static void on_frame(struct nb_child *c, struct nb_frame *f)
{
	if (f->type == NB_F_HELLO && f->level == c->level)
		on_hello(c);
	else if (f->type == NB_F_DONE && f->level == c->level) {
		c->state = FINISHING;
		c->t_done = nb_now_ns();
	} else if (f->type == NB_F_FAIL)
		c->below_failed = 1;
	else if (f->type == NB_F_STATUS && f->level == c->level)
		snprintf(c->doing, sizeof(c->doing), "%s", f->data);
	c->sink->frame(c->sink->ctx, c, f);
}

static void read_chan(struct nb_child *c)
{
	char buf[65536];
	struct nb_frame f;
	ssize_t n = read(c->chan, buf, sizeof(buf));

	if (n <= 0) {		/* QEMU closed it: its exit is handled via the pidfd */
		close(c->chan);
		c->chan = -1;
		return;
	}
	c->t_last = nb_now_ns();
	nb_decoder_feed(c->dec, buf, n);
	while (c->state != EXITED && nb_decoder_next(c->dec, &f)) {
		on_frame(c, &f);
		nb_frame_release(&f);
	}
}

static void send_config(struct nb_child *c)
{
	char *cfg = nb_plan_encode(c->plan, c->level);

	if (!cfg || nb_child_send(c, NB_F_CONFIG, cfg, strlen(cfg)))
		fail(c, "cannot send the plan over the channel");
	free(cfg);
}

static void accept_chan(struct nb_child *c)
{
	c->chan = accept4(c->lsock, NULL, NULL, SOCK_CLOEXEC);
	close(c->lsock);
	c->lsock = -1;
	if (c->chan < 0)
		fail(c, "QEMU did not connect the channel: %s", strerror(errno));
	else
		send_config(c);
}

static void read_console(struct nb_child *c)
{
	char buf[4096];
	ssize_t n = read(c->console, buf, sizeof(buf));

	if (n <= 0) {
		close(c->console);
		c->console = -1;
		return;
	}
	nb_tail_add(&c->tail, buf, n);
	sink_frame(c, NB_F_CONSOLE, c->level, buf, n);
}

static void drain(struct nb_child *c)
{
	while (c->console >= 0)
		read_console(c);
	while (c->chan >= 0)
		read_chan(c);
}

static void on_exit_status(struct nb_child *c, int status)
{
	char panic[256];

	if (c->state == FINISHING || c->below_failed) {
		c->state = EXITED;
		nb_child_emit(c, NB_F_BOOT, c->level, "level=%d\nclock=%s\nteardown_s=%.3f\nexit=%d\ncorrupt=%llu\n",
			      c->level, c->clock, c->t_done ? nb_secs(nb_now_ns() - c->t_done) : -1.0,
			      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
			      (unsigned long long)nb_decoder_bad_crc(c->dec));
		return;
	}
	if (nb_tail_panic(&c->tail, panic, sizeof(panic)))
		fail(c, "kernel panic: %s", panic);
	else if (nb_decoder_pending(c->dec))
		fail(c, "QEMU exited (status %d) in the middle of a frame (truncated result)", status);
	else if (WIFSIGNALED(status))
		fail(c, "QEMU killed by signal %d", WTERMSIG(status));
	else
		fail(c, "QEMU exited with status %d before the level finished", WEXITSTATUS(status));
	c->state = EXITED;
}

static void reap(struct nb_child *c)
{
	int status = 0;

	if (waitpid(c->pid, &status, WNOHANG) != c->pid)
		return;
	drain(c);
	on_exit_status(c, status);
}

/*
 * A boot that never finishes, told apart by KVM's counters: with exits but
 * not one MMIO exit the kernel never reached a driver. For a guest
 * hypervisor under emulation that is the known depth-3 VNCR fault loop.
 */
static void boot_timeout(struct nb_child *c)
{
	struct nb_kvm_stats s;
	char hint[320] = "";

	if (nb_kvm_vm_stats(c->pid, &s) || s.mmio || !s.exits) {
		fail(c, "did not boot within %d s (no hello from its agent)", c->plan->boot_timeout);
		return;
	}
	if (nb_plan_child_is_el2(c->plan, c->level))
		snprintf(hint, sizeof(hint), ". L%d is a guest hypervisor: this is the known depth-3 VNCR "
			 "fault loop, fixed by images/patches/common/0001-KVM-arm64-nv-sign-extend-VNCR_EL2-"
			 "from-bit-56.patch; rebuild the images if the kernels predate it (docs/depth3.md)", c->level);
	fail(c, "did not boot within %d s: its KVM VM made %llu exits (%llu WFx, %llu HVC) and not one MMIO "
	     "exit, so it is spinning in its first instructions%s", c->plan->boot_timeout,
	     (unsigned long long)s.exits, (unsigned long long)s.wfx, (unsigned long long)s.hvc, hint);
}

static void check_deadlines(struct nb_child *c, uint64_t now)
{
	const struct nb_plan *p = c->plan;
	double idle = nb_secs(now - c->t_last);

	if (c->state == BOOTING && nb_secs(now - c->t_start) > p->boot_timeout)
		boot_timeout(c);
	else if (c->state == RUNNING && idle > p->idle_timeout)
		fail(c, "hung: nothing heard for %.0f s (limit %d s)", idle, p->idle_timeout);
	else if (c->state == FINISHING && nb_secs(now - c->t_done) > p->teardown_timeout)
		fail(c, "did not power off within %d s of finishing", p->teardown_timeout);
}

static int fill_pollfds(struct nb_child *c, struct pollfd *pfd)
{
	int n = 0;

	pfd[n++] = (struct pollfd){ .fd = c->pidfd, .events = POLLIN };
	pfd[n++] = (struct pollfd){ .fd = c->lsock >= 0 ? c->lsock : c->chan, .events = POLLIN };
	pfd[n++] = (struct pollfd){ .fd = c->console, .events = POLLIN };
	pfd[n++] = (struct pollfd){ .fd = c->sink->extra_fd, .events = POLLIN };
	return n;
}

static void step(struct nb_child *c)
{
	struct pollfd pfd[4];
	uint64_t now;

	poll(pfd, fill_pollfds(c, pfd), poll_ms(c));
	if (pfd[2].revents)
		read_console(c);
	if (pfd[1].revents)
		c->lsock >= 0 ? accept_chan(c) : read_chan(c);
	if (pfd[3].revents && c->sink->extra)
		c->sink->extra(c->sink->ctx, c);
	if (pfd[0].revents)
		reap(c);
	now = nb_now_ns();
	if (c->state != EXITED)
		check_deadlines(c, now);
	if (c->state != EXITED && now - c->t_tick >= (c->quiet ? quiet_tick(c) : TICK_NS)) {
		c->t_tick = now;
		c->sink->tick(c->sink->ctx, c, c->doing[0] ? c->doing : state_doing[c->state]);
	}
}

int nb_child_wait(struct nb_child *c)
{
	while (c->state != EXITED && !c->failed)
		step(c);
	return c->failed || c->below_failed ? -1 : 0;
}

void nb_child_free(struct nb_child *c)
{
	if (!c)
		return;
	kill_qemu(c);
	if (c->pidfd >= 0)
		close(c->pidfd);
	if (c->lsock >= 0)
		close(c->lsock);
	if (c->chan >= 0)
		close(c->chan);
	if (c->console >= 0)
		close(c->console);
	nb_decoder_free(c->dec);
	free(c);
}
