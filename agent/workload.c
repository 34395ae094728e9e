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
#include "stack/util.h"

#define MARK_FD 3

struct rep {
	int n;			/* 1.. over the whole boot */
	const char *mode;	/* warmup, timing, counting */
	int sock;		/* agent's end of the mark socket pair */
	int waiting_arm;	/* a counting start waits for ARM n */
	char doing[96];
};

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

static int write_job(struct nb_agent *a)
{
	char *job;
	int ret;

	if (asprintf(&job, "[global]\nexec_prerun=/sbin/nbagent mark start\n"
		     "exec_postrun=/sbin/nbagent mark end\n%s", a->plan.job) < 0)
		return -ENOMEM;
	ret = nb_write_file("/run/job.fio", job, strlen(job));
	free(job);
	return ret;
}

/* fio's own chatter goes to a file: console bytes are exits that climb every level. */
static pid_t start_fio(struct rep *r, int child_sock)
{
	char out[64], log[64];
	char *argv[] = { "/usr/bin/fio", "--output-format=json", out, "/run/job.fio", NULL };
	int fd;
	pid_t pid;

	snprintf(out, sizeof(out), "--output=/run/fio-rep%d.json", r->n);
	snprintf(log, sizeof(log), "/run/fio-rep%d.log", r->n);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	pid = nb_spawn(argv, fd, child_sock);
	if (fd >= 0)
		close(fd);
	return pid;
}

static void on_mark(struct nb_agent *a, struct rep *r)
{
	char what[16] = "";
	ssize_t n = read(r->sock, what, sizeof(what) - 1);

	if (n <= 0)
		return;
	agent_send(a, NB_F_MARK, "%s %d %s", what, r->n, r->mode);
	if (!strcmp(what, "start") && !strcmp(r->mode, "counting"))
		r->waiting_arm = 1;
	else
		write(r->sock, "g", 1);
}

static int wait_fio(struct nb_agent *a, struct rep *r, pid_t pid)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0), status = -1;
	struct pollfd pfd[3] = { { .fd = pidfd, .events = POLLIN },
				 { .fd = r->sock, .events = POLLIN },
				 { .fd = a->port, .events = POLLIN } };

	while (pidfd >= 0) {
		poll(pfd, 3, 1000);
		if (pfd[1].revents)
			on_mark(a, r);
		if (pfd[2].revents && agent_read_parent(a, NULL))
			break;
		if (r->waiting_arm && a->armed_rep == r->n) {
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

static int run_rep(struct nb_agent *a, struct rep *r, int total)
{
	char name[64], path[64];
	int sv[2], status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -errno;
	r->sock = sv[0];
	snprintf(r->doing, sizeof(r->doing), "running fio, repetition %d (%d this boot, %s)", r->n, total, r->mode);
	agent_send(a, NB_F_STATUS, "L%d: %s", a->level, r->doing);
	pid = start_fio(r, sv[1]);
	close(sv[1]);
	status = pid < 0 ? -1 : wait_fio(a, r, pid);
	close(sv[0]);
	snprintf(path, sizeof(path), "/run/fio-rep%d.json", r->n);
	snprintf(name, sizeof(name), "fio-rep%d.json", r->n);
	if (status != 0 || agent_send_file(a, name, path)) {
		agent_send(a, NB_F_FAIL, "level=%d\nreason=fio failed in repetition %d (status %d)\n"
			   "doing=%s\nconsole:\n", a->level, r->n, status, r->doing);
		return -1;
	}
	return 0;
}

int agent_workload(struct nb_agent *a)
{
	const struct nb_plan *p = &a->plan;
	int total = p->warmup + p->reps + p->counting, i;
	struct rep r;

	if (write_job(a))
		return -1;
	for (i = 1; i <= total; i++) {
		r = (struct rep){ .n = p->first_rep + i - 1, .mode = i <= p->warmup ? "warmup" :
				  i <= p->warmup + p->reps ? "timing" : "counting" };
		if (run_rep(a, &r, total))
			return -1;
	}
	return 0;
}
