// SPDX-License-Identifier: GPL-2.0
/*
 * The innermost level runs the plan's workload (workloads/workload.h), k
 * repetitions per boot. Each repetition is bracketed by `nbagent mark
 * start|end`, run by the workload's process (fio's exec_prerun and
 * exec_postrun right around the I/O phase, after fio's own start-up which
 * costs tens of seconds nested; `nbagent loop` around each run of another
 * program); the mark reaches this agent over a socket pair and goes up as a
 * MARK frame that L0 timestamps. The start mark waits for L0's ARM, which
 * comes once L0 has stamped it and every counter above is on.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent/agent.h"
#include "stack/util.h"
#include "workloads/workload.h"

#define MARK_FD 3

/*
 * One process of the workload runs `total` repetitions (fio: stonewalled
 * copies of the job's section, so that its start-up is paid once per boot),
 * or one process runs each when the workload says so.
 */
struct run {
	const struct nb_plan *plan;
	const struct nb_workload *wl;
	int offset, total;	/* this boot's repetitions offset .. offset + total - 1 */
	int first;		/* number of repetition `offset` (first_rep + offset) */
	int next;		/* index of the next start mark */
	int sock;		/* agent's end of the mark socket pair */
	int waiting_arm;	/* a counting start waits for ARM n */
	char doing[96];
};

/* Warm-ups first, then timing, bare (timing without counters), counting, exits repetitions. */
static const char *mode_of(const struct run *r, int i)
{
	const struct nb_plan *p = r->plan;
	int k = r->offset + i;

	if (k < p->warmup)
		return "warmup";
	if (k < p->warmup + p->reps)
		return "timing";
	if (k < p->warmup + p->reps + p->bare)
		return "bare";
	return k < p->warmup + p->reps + p->bare + p->counting ? "counting" : "exits";
}

static int send_mark(const char *what)
{
	char c;

	if (write(MARK_FD, what, strlen(what)) < 0 || read(MARK_FD, &c, 1) != 1)
		return 1;
	return 0;
}

/* `nbagent mark start|end`, run by the workload (fio: through /bin/sh) with MARK_FD inherited. */
int agent_mark(int argc, char **argv)
{
	if (argc < 3 || (strcmp(argv[2], "start") && strcmp(argv[2], "end"))) {
		fprintf(stderr, "usage: nbagent mark start|end\n");
		return 2;
	}
	return send_mark(argv[2]);
}

/*
 * `nbagent loop K OUT PROG ARG...`: PROG K times, each run between a start
 * and an end mark, its output (stdout and stderr) appended to OUT.
 */
int agent_loop(int argc, char **argv)
{
	int k, i, fd, status = 0;
	pid_t pid;

	if (argc < 5 || nb_parse_int(argv[2], 1, 1 << 20, &k)) {
		fprintf(stderr, "usage: nbagent loop K OUT PROG [ARG...]\n");
		return 2;
	}
	fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return 1;
	for (i = 0; i < k && !status; i++) {
		if (send_mark("start"))
			return 1;
		pid = nb_spawn(argv + 4, fd, -1);
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			status = -1;
		if (send_mark("end"))
			return 1;
	}
	close(fd);
	return status ? 1 : 0;
}

/* The workload's own chatter goes to a file: console bytes are exits that climb every level. */
static pid_t start_workload(struct run *r, const char *out, int child_sock)
{
	struct nb_argv argv = { 0 };
	char log[64];
	int fd = -1;
	pid_t pid = -1;

	snprintf(log, sizeof(log), "/run/%s.log", r->wl->name);
	if (!r->wl->command(r->plan, r->total, out, &argv) && argv.v) {
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		pid = nb_spawn(argv.v, fd, child_sock);
	}
	if (fd >= 0)
		close(fd);
	nb_argv_free(&argv);
	return pid;
}

/* What this level did in the window that just ended (stack/census.h). */
static void census_end(struct nb_agent *a, int rep, const char *mode)
{
	struct nb_census now;
	char buf[512];

	nb_census_take(&now, 0);
	agent_send(a, NB_F_STATUS, "L%d: census of repetition %d (%s): %s", a->level, rep, mode,
		   nb_census_fmt(&a->census, &now, buf, sizeof(buf)));
}

static void on_mark(struct nb_agent *a, struct run *r)
{
	char what[16] = "";
	ssize_t n = read(r->sock, what, sizeof(what) - 1);
	int i;

	if (n <= 0)
		return;
	i = !strcmp(what, "start") ? r->next++ : r->next - 1;
	if (i < 0 || i >= r->total)
		i = r->total - 1;	/* more marks than repetitions: not running our job */
	snprintf(r->doing, sizeof(r->doing), "running %s, repetition %d (%d of %d this boot, %s)",
		 r->wl->name, r->first + i, i + 1, r->total, mode_of(r, i));
	if (!strcmp(what, "start"))
		nb_census_take(&a->census, 0);
	agent_send(a, NB_F_MARK, "%s %d %s", what, r->first + i, mode_of(r, i));
	a->quiet = !strcmp(what, "start");
	if (!a->quiet)
		census_end(a, r->first + i, mode_of(r, i));
	/* the I/O starts once L0 has stamped the start: counters on or not (agent/relay.c) */
	if (!strcmp(what, "start"))
		r->waiting_arm = r->first + i;
	else
		write(r->sock, "g", 1);
}

static int wait_workload(struct nb_agent *a, struct run *r, pid_t pid)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0), status = -1;
	struct pollfd pfd[3] = { { .fd = pidfd, .events = POLLIN },
				 { .fd = r->sock, .events = POLLIN },
				 { .fd = a->port, .events = POLLIN } };

	while (pidfd >= 0) {
		poll(pfd, 3, a->quiet ? 30000 : 1000);	/* no wake-ups inside the window */
		if (pfd[1].revents)
			on_mark(a, r);
		if (pfd[2].revents && agent_read_parent(a, NULL))
			break;
		if (r->waiting_arm && a->armed_rep == r->waiting_arm) {
			r->waiting_arm = 0;
			write(r->sock, "g", 1);
		}
		agent_beat(a, r->doing);
		if (pfd[0].revents && waitpid(pid, &status, 0) == pid)
			break;
	}
	if (pidfd >= 0)
		close(pidfd);
	return status;
}

/*
 * One process for repetitions r->first .. + r->total - 1; its output goes
 * up as NAME-rep<first>.EXT (one repetition) or NAME-reps<first>-<last>.EXT
 * (every repetition, in order).
 */
static int run_workload(struct nb_agent *a, struct run *r)
{
	const char *wl = r->wl->name, *ext = r->wl->out_ext;
	char name[64], path[80];
	int sv[2], status;
	pid_t pid;

	if (r->total == 1)
		snprintf(name, sizeof(name), "%s-rep%d.%s", wl, r->first, ext);
	else
		snprintf(name, sizeof(name), "%s-reps%d-%d.%s", wl, r->first, r->first + r->total - 1, ext);
	snprintf(path, sizeof(path), "/run/%s", name);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -errno;
	r->sock = sv[0];
	snprintf(r->doing, sizeof(r->doing), "starting %s for repetition%s %d..%d", wl,
		 r->total > 1 ? "s" : "", r->first, r->first + r->total - 1);
	agent_send(a, NB_F_STATUS, "L%d: %s", a->level, r->doing);
	pid = start_workload(r, path, sv[1]);
	close(sv[1]);
	status = pid < 0 ? -1 : wait_workload(a, r, pid);
	close(sv[0]);
	if (status != 0 || agent_send_file(a, name, path)) {
		agent_send(a, NB_F_FAIL, "level=%d\nreason=%s failed in repetition %d (status %d)\n"
			   "doing=%s\nconsole:\n", a->level, wl, r->first + (r->next ? r->next - 1 : 0),
			   status, r->doing);
		return -1;
	}
	return 0;
}

int agent_workload(struct nb_agent *a)
{
	const struct nb_plan *p = &a->plan;
	const struct nb_workload *wl = nb_workload_find(p->workload);
	int total = nb_plan_nreps(p), i, together;
	struct run r;

	if (!wl || !wl->command) {
		agent_send(a, NB_F_FAIL, "level=%d\nreason=unknown workload '%s'\ndoing=starting the "
			   "workload\nconsole:\n", a->level, p->workload);
		return -1;
	}
	together = wl->together ? wl->together(p, total) : total;
	for (i = 0; i < total; i += r.total) {
		r = (struct run){ .plan = p, .wl = wl, .offset = i,
				  .total = together < total - i ? together : total - i,
				  .first = p->first_rep + i };
		if (run_workload(a, &r))
			return -1;
	}
	return 0;
}
