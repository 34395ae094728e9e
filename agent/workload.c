// SPDX-License-Identifier: GPL-2.0
/*
 * The innermost level: fio, k repetitions per boot. fio's exec_prerun and
 * exec_postrun run `nbagent mark start|end` right around the I/O phase
 * (after fio's own start-up, which costs tens of seconds nested); the mark
 * reaches this agent over a socket pair and goes up as a MARK frame that
 * L0 timestamps. For a counting repetition the mark waits until every
 * tracer above is armed.
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
#include "stack/job.h"
#include "stack/util.h"

#define MARK_FD 3

/*
 * One fio process per boot: fio's start-up (dynamic loading of ~56 MB of
 * libraries through nested stage-2 faults: tens of seconds at depth 2,
 * minutes at depth 3) is paid once. Each repetition is a copy of the job's
 * section, run one after another (stonewall), each forked from the loaded
 * fio and bracketed by its own marks. A job with several sections (jobs
 * meant to run together) keeps one fio process per repetition.
 */
struct run {
	const struct nb_plan *plan;
	int offset, total;	/* this boot's repetitions offset .. offset + total - 1 */
	int first;		/* number of repetition `offset` (first_rep + offset) */
	int next;		/* index of the next start mark */
	int sock;		/* agent's end of the mark socket pair */
	int waiting_arm;	/* a counting start waits for ARM n */
	char doing[96];
};

/* Warm-ups first, then timing, then counting repetitions. */
static const char *mode_of(const struct run *r, int i)
{
	int k = r->offset + i;

	return k < r->plan->warmup ? "warmup" : k < r->plan->warmup + r->plan->reps ? "timing" : "counting";
}

/* `nbagent mark start|end`, run by fio through /bin/sh with MARK_FD inherited. */
int agent_mark(int argc, char **argv)
{
	char c;

	if (argc < 3 || (strcmp(argv[2], "start") && strcmp(argv[2], "end"))) {
		fprintf(stderr, "usage: nbagent mark start|end\n");
		return 2;
	}
	if (write(MARK_FD, argv[2], strlen(argv[2])) < 0 || read(MARK_FD, &c, 1) != 1)
		return 1;
	return 0;
}

static int write_job(struct nb_agent *a, int k)
{
	char *job = nb_job_expand(a->plan.job, k);
	int ret;

	if (!job)
		return -ENOMEM;
	ret = nb_write_file("/run/job.fio", job, strlen(job));
	free(job);
	return ret;
}

/* fio's own chatter goes to a file: console bytes are exits that climb every level. */
static pid_t start_fio(const char *json, int child_sock)
{
	char out[96];
	char *argv[] = { "/usr/bin/fio", "--output-format=json", out, "/run/job.fio", NULL };
	int fd;
	pid_t pid;

	snprintf(out, sizeof(out), "--output=%s", json);
	fd = open("/run/fio.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	pid = nb_spawn(argv, fd, child_sock);
	if (fd >= 0)
		close(fd);
	return pid;
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
		i = r->total - 1;	/* more marks than repetitions: fio is not running our job */
	snprintf(r->doing, sizeof(r->doing), "running fio, repetition %d (%d of %d this boot, %s)",
		 r->first + i, i + 1, r->total, mode_of(r, i));
	agent_send(a, NB_F_MARK, "%s %d %s", what, r->first + i, mode_of(r, i));
	a->quiet = !strcmp(what, "start");
	if (!strcmp(what, "start") && !strcmp(mode_of(r, i), "counting"))
		r->waiting_arm = r->first + i;
	else
		write(r->sock, "g", 1);
}

static int wait_fio(struct nb_agent *a, struct run *r, pid_t pid)
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
 * One fio process for repetitions r->first .. + r->total - 1; its JSON goes
 * up as fio-rep<first>.json (one repetition) or fio-reps<first>-<last>.json
 * (one job per repetition, in order).
 */
static int run_fio(struct nb_agent *a, struct run *r)
{
	char name[64], path[80];
	int sv[2], status;
	pid_t pid;

	if (r->total == 1)
		snprintf(name, sizeof(name), "fio-rep%d.json", r->first);
	else
		snprintf(name, sizeof(name), "fio-reps%d-%d.json", r->first, r->first + r->total - 1);
	snprintf(path, sizeof(path), "/run/%s", name);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -errno;
	r->sock = sv[0];
	snprintf(r->doing, sizeof(r->doing), "starting fio for repetition%s %d..%d", r->total > 1 ? "s" : "",
		 r->first, r->first + r->total - 1);
	agent_send(a, NB_F_STATUS, "L%d: %s", a->level, r->doing);
	pid = start_fio(path, sv[1]);
	close(sv[1]);
	status = pid < 0 ? -1 : wait_fio(a, r, pid);
	close(sv[0]);
	if (status != 0 || agent_send_file(a, name, path)) {
		agent_send(a, NB_F_FAIL, "level=%d\nreason=fio failed in repetition %d (status %d)\n"
			   "doing=%s\nconsole:\n", a->level, r->first + (r->next ? r->next - 1 : 0),
			   status, r->doing);
		return -1;
	}
	return 0;
}

int agent_workload(struct nb_agent *a)
{
	const struct nb_plan *p = &a->plan;
	int total = p->warmup + p->reps + p->counting, i;
	int together = nb_job_sections(p->job) == 1;
	struct run r;

	if (write_job(a, together ? total : 1))
		return -1;
	for (i = 0; i < total; i += r.total) {
		r = (struct run){ .plan = p, .offset = i, .total = together ? total : 1,
				  .first = p->first_rep + i };
		if (run_fio(a, &r))
			return -1;
	}
	return 0;
}
