// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "stack/util.h"

int nb_log_level = -1;

uint64_t nb_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

double nb_secs(uint64_t ns)
{
	return ns / 1e9;
}

int nb_argv_add(struct nb_argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (a->n + 2 > a->cap) {
		int cap = a->cap ? a->cap * 2 : 32;
		char **v = realloc(a->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
	return 0;
}

void nb_argv_free(struct nb_argv *a)
{
	int i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

char *nb_argv_join(const struct nb_argv *a)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < a->n; i++)
		len += strlen(a->v[i]) + 1;
	s = calloc(1, len);
	for (i = 0; s && i < a->n; i++) {
		strcat(s, a->v[i]);
		if (i + 1 < a->n)
			strcat(s, " ");
	}
	return s;
}

static void child_fds(int out_fd, int pass_fd)
{
	int null = open("/dev/null", O_RDWR);
	int fd;

	dup2(null, 0);
	if (out_fd >= 0) {
		dup2(out_fd, 1);
		dup2(out_fd, 2);
	}
	if (pass_fd >= 0 && pass_fd != 3)
		dup2(pass_fd, 3);
	for (fd = pass_fd >= 0 ? 4 : 3; fd < 1024; fd++)
		close(fd);
}

pid_t nb_spawn(char *const argv[], int out_fd, int pass_fd)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* a killed harness must not leave a QEMU running on its own */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		child_fds(out_fd, pass_fd);
		execv(argv[0], argv);
		dprintf(2, "nestbench: cannot execute %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

int nb_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

static int write_fd(int fd, const void *buf, size_t len)
{
	int ret = nb_write_all(fd, buf, len);

	return ret ? ret : fsync(fd) ? -errno : 0;
}

int nb_write_file(const char *path, const void *buf, size_t len)
{
	char tmp[4096];
	int fd, ret;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	ret = write_fd(fd, buf, len);
	close(fd);
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

int nb_append_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	int ret;

	if (fd < 0)
		return -errno;
	ret = write_fd(fd, buf, len);
	close(fd);
	return ret;
}

char *nb_read_file(const char *path, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap + 1), *nbuf;
	ssize_t n;

	if (fd < 0 || !buf)
		goto err;
	while ((n = read(fd, buf + len, cap - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto err;
		len += n;
		if (len < cap)
			continue;
		nbuf = realloc(buf, cap * 2 + 1);
		if (!nbuf)
			goto err;
		buf = nbuf;
		cap *= 2;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
err:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

int nb_mkdir_p(const char *path)
{
	char buf[4096], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

void nb_log(const char *fmt, ...)
{
	va_list ap;

	if (nb_log_level < 0)
		fprintf(stderr, "nestbench: ");
	else
		fprintf(stderr, "nbagent L%d: ", nb_log_level);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
