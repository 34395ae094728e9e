// SPDX-License-Identifier: GPL-2.0
/*
 * perf stat at an emulating level: see collect/perfstat.h. Built only into
 * the static arm64 agent. perf is driven through its control FIFOs
 * (--control fifo:CTL,ACK, counters off at start with -D -1): "enable" and
 * "disable" are acknowledged once done, so the window is exact and perf's
 * own start-up (tens of ms, more nested) stays outside it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tracefs.h>

#include "collect/counters.h"
#include "collect/fprobe.h"
#include "collect/perfstat.h"
#include "stack/util.h"

#define ACK_TIMEOUT_MS	(300 * 1000)	/* perf's start-up in a nested guest under TCG */
#define EXIT_TIMEOUT_MS	(60 * 1000)
#define REPORT_TIMEOUT_MS (180 * 1000)	/* perf kvm stat report of a depth-3 repetition, at L0 under TCG */
#define MAX_EVENTS	16

struct nb_perfstat {
	char ctl[160], ack[160], log[160], ctl_arg[340];
	int ctl_fd, ack_fd;
	pid_t pid;
	char *argv[2 * MAX_EVENTS + 16];
	int argc;
	char events[MAX_EVENTS][64];
	int nevents;
	char probes[MAX_EVENTS][32];	/* our dynamic events, for removal */
	int nprobes;
};

/* fprobe first ("f:"), kprobe when the kernel has no fprobe events. */
static int add_probe(struct nb_perfstat *ps, const struct nb_counter *k, const char **kind)
{
	char line[256];

	nb_fprobe_del(NB_PERF_GROUP, k->name);	/* a crashed agent's leftover */
	snprintf(line, sizeof(line), "p:%s/%s %s\n", NB_PERF_GROUP, k->name, k->probe);
	if (!nb_fprobe_add(NB_PERF_GROUP, k->name, k->probe, 0))
		*kind = "fprobe";
	else if (tracefs_instance_file_append(NULL, "dynamic_events", line) >= 0)
		*kind = "kprobe";
	else
		return -ENOENT;
	snprintf(ps->probes[ps->nprobes++], sizeof(ps->probes[0]), "%s", k->name);
	return 0;
}

static int add_events(struct nb_perfstat *ps, int host, const char **kind)
{
	size_t i;
	int ret;

	for (i = 0; i < nb_ncounters && ps->nevents < MAX_EVENTS; i++) {
		const struct nb_counter *k = &nb_counters[i];

		if (!k->perf || k->perf_retired || (k->host && !host))
			continue;
		if (k->probe && (ret = add_probe(ps, k, kind)))
			return ret;
		nb_counter_perf_event(k, ps->events[ps->nevents++], sizeof(ps->events[0]));
	}
	return 0;
}

static void build_argv(struct nb_perfstat *ps)
{
	int i, n = 0;

	ps->argv[n++] = NB_PERF_BIN;
	ps->argv[n++] = "stat";
	ps->argv[n++] = "-a";
	ps->argv[n++] = "-x,";
	ps->argv[n++] = "-D";
	ps->argv[n++] = "-1";
	ps->argv[n++] = "--control";
	ps->argv[n++] = ps->ctl_arg;
	for (i = 0; i < ps->nevents; i++) {
		ps->argv[n++] = "-e";
		ps->argv[n++] = ps->events[i];
	}
	ps->argc = n;	/* "-o OUT" is added per start */
}

/* The control FIFOs under rundir, named for the tool (nbperf-*, nbkvm-*): both may run in one boot. */
static int session_init(struct nb_perfstat **out, const char *rundir, const char *tool)
{
	struct nb_perfstat *ps = *out = calloc(1, sizeof(*ps));

	if (!ps)
		return -ENOMEM;
	ps->ctl_fd = ps->ack_fd = -1;
	snprintf(ps->ctl, sizeof(ps->ctl), "%s/%s-ctl", rundir, tool);
	snprintf(ps->ack, sizeof(ps->ack), "%s/%s-ack", rundir, tool);
	snprintf(ps->log, sizeof(ps->log), "%s/%s.log", rundir, tool);
	unlink(ps->ctl);
	unlink(ps->ack);
	if (access(NB_PERF_BIN, X_OK))
		return -errno;
	if (mkfifo(ps->ctl, 0600) || mkfifo(ps->ack, 0600))
		return -errno;
	return 0;
}

static int session_open(struct nb_perfstat *ps)
{
	if ((ps->ctl_fd = open(ps->ctl, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0 ||
	    (ps->ack_fd = open(ps->ack, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)
		return -errno;
	snprintf(ps->ctl_arg, sizeof(ps->ctl_arg), "fifo:%s,%s", ps->ctl, ps->ack);
	return 0;
}

int nb_perfstat_create(struct nb_perfstat **out, const char *rundir, int host, const char **kind)
{
	struct nb_perfstat *ps;
	int ret;

	*kind = "tracepoints only";
	ret = session_init(out, rundir, "nbperf");
	ps = *out;
	if (!ret)
		ret = add_events(ps, host, kind);
	if (!ret)
		ret = session_open(ps);
	if (ret) {
		nb_perfstat_free(ps);
		*out = NULL;
		return ret;
	}
	build_argv(ps);
	return 0;
}

/*
 * perf kvm stat record passes what follows "record" to perf record, after
 * its own -o: ours comes last and wins. Its events are kvm:kvm_entry and
 * kvm:kvm_exit, one sample each (-c 1), into perf's mmap buffers.
 */
int nb_perfkvm_create(struct nb_perfstat **out, const char *rundir)
{
	static char *const args[] = { NB_PERF_BIN, "kvm", "stat", "record", "-a", "-q", "-D", "-1", "--control" };
	struct nb_perfstat *ps;
	size_t i;
	int ret;

	ret = session_init(out, rundir, "nbkvm");
	ps = *out;
	if (!ret)
		ret = session_open(ps);
	if (ret) {
		nb_perfstat_free(ps);
		*out = NULL;
		return ret;
	}
	for (i = 0; i < sizeof(args) / sizeof(args[0]); i++)
		ps->argv[ps->argc++] = args[i];
	ps->argv[ps->argc++] = ps->ctl_arg;
	return 0;
}

static void drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/* One control command, answered by "ack" once perf has done it. */
static int command(struct nb_perfstat *ps, const char *cmd)
{
	struct pollfd p = { .fd = ps->ack_fd, .events = POLLIN };
	uint64_t deadline = nb_now_ns() + (uint64_t)ACK_TIMEOUT_MS * 1000000;
	char buf[16] = "";
	int n;

	drain(ps->ack_fd);
	if (nb_write_all(ps->ctl_fd, cmd, strlen(cmd)))
		return -EIO;
	while (nb_now_ns() < deadline) {
		n = poll(&p, 1, 1000);
		if (n > 0 && read(ps->ack_fd, buf, sizeof(buf) - 1) > 0)
			return strncmp(buf, "ack", 3) ? -EPROTO : 0;
		if (n < 0 && errno != EINTR)
			return -errno;
		if (waitpid(ps->pid, NULL, WNOHANG) == ps->pid) {
			ps->pid = 0;
			return -ECHILD;	/* perf exited: a bad event, no permission (its log says) */
		}
	}
	return -ETIMEDOUT;
}

void nb_perfstat_write_failure(const char *out, const char *doing, int err)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "%s %s: %s\n", NB_PERF_FAILED, doing, strerror(-err));

	nb_write_file(out, line, n);
}

/*
 * SIGINT makes perf print its counts and exit; a perf that does not is
 * killed. perf stat re-raises the signal that stopped it once it has
 * written its counts (sig_atexit in builtin-stat.c), so dying of our SIGINT
 * is its normal end.
 */
static int wait_exit(struct nb_perfstat *ps, int sig, int timeout_ms)
{
	uint64_t deadline = nb_now_ns() + (uint64_t)timeout_ms * 1000000;
	int status = 0;

	while (waitpid(ps->pid, &status, WNOHANG) == 0) {
		if (nb_now_ns() > deadline) {
			kill(ps->pid, SIGKILL);
			waitpid(ps->pid, &status, 0);
			ps->pid = 0;
			return -ETIMEDOUT;
		}
		usleep(20000);
	}
	ps->pid = 0;
	if (WIFSIGNALED(status) && WTERMSIG(status) == sig && sig != SIGKILL)
		return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

static int reap(struct nb_perfstat *ps, int sig)
{
	if (!ps->pid)
		return -ECHILD;
	kill(ps->pid, sig);
	return wait_exit(ps, sig, EXIT_TIMEOUT_MS);
}

/* perf running, its counters off (-D -1). */
static int launch(struct nb_perfstat *ps, const char *out)
{
	int logfd;

	if (ps->pid)
		reap(ps, SIGKILL);
	drain(ps->ctl_fd);	/* a command a dead perf never read must not reach the next one */
	drain(ps->ack_fd);
	unlink(out);
	ps->argv[ps->argc] = "-o";
	ps->argv[ps->argc + 1] = (char *)out;
	ps->argv[ps->argc + 2] = NULL;
	logfd = open(ps->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ps->pid = nb_spawn(ps->argv, logfd, -1);
	if (logfd >= 0)
		close(logfd);
	if (ps->pid < 0) {
		int ret = ps->pid;

		ps->pid = 0;
		nb_perfstat_write_failure(out, "starting " NB_PERF_BIN, ret);
		return ret;
	}
	return 0;
}

static int enable(struct nb_perfstat *ps)
{
	int ret = command(ps, "enable\n");

	if (ret) {
		reap(ps, SIGKILL);
		nb_perfstat_write_failure(ps->argv[ps->argc + 1], "enabling the counters", ret);
	}
	return ret;
}

int nb_perfstat_start(struct nb_perfstat *ps, const char *out)
{
	int ret = launch(ps, out);

	return ret ? ret : enable(ps);
}

int nb_perfstat_stop(struct nb_perfstat *ps)
{
	const char *out = ps->argv[ps->argc + 1];
	int ret;

	if (!ps->pid)	/* it never started: its file already says why */
		return -ECHILD;
	ret = command(ps, "disable\n");
	if (!ret)
		ret = reap(ps, SIGINT);
	else
		reap(ps, SIGKILL);
	if (ret)
		nb_perfstat_write_failure(out, "stopping perf", ret);
	return ret;
}

void nb_perfstat_free(struct nb_perfstat *ps)
{
	int i;

	if (!ps)
		return;
	if (ps->pid)
		reap(ps, SIGKILL);
	for (i = 0; i < ps->nprobes; i++)
		nb_fprobe_del(NB_PERF_GROUP, ps->probes[i]);
	if (ps->ctl_fd >= 0)
		close(ps->ctl_fd);
	if (ps->ack_fd >= 0)
		close(ps->ack_fd);
	unlink(ps->ctl);
	unlink(ps->ack);
	free(ps);
}

/* perf's report of the exits, stdout and stderr (where perf prints it) into out. */
int nb_perfkvm_report(const char *data, const char *out)
{
	char *argv[] = { NB_PERF_BIN, "kvm", "-i", (char *)data, "stat", "report", "--event=vmexit",
			 "--stdio", NULL };
	struct nb_perfstat ps = { .pid = 0 };
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600), ret;

	if (fd < 0)
		return -errno;
	ps.pid = nb_spawn(argv, fd, -1);
	close(fd);
	if (ps.pid < 0) {
		ret = ps.pid;
		ps.pid = 0;
	} else {
		ret = wait_exit(&ps, 0, REPORT_TIMEOUT_MS);	/* it ends by itself */
	}
	if (ret)
		nb_perfstat_write_failure(out, "perf kvm stat report", ret);
	return ret;
}
