// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "stack/monitor.h"
#include "stack/util.h"

#define PROMPT "(qemu) "

struct nb_monitor {
	int fd;
	char buf[4096];
	size_t len;
};

static int try_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return fd;
	close(fd);
	return -errno;
}

/* Reads until the prompt is in the buffer (it is then cut off), or the time is up. */
static int read_prompt(struct nb_monitor *m, int timeout_ms)
{
	uint64_t end = nb_now_ns() + (uint64_t)timeout_ms * 1000000;
	struct pollfd pfd = { .fd = m->fd, .events = POLLIN };
	char *at;
	ssize_t n;

	m->len = 0;
	for (;;) {
		m->buf[m->len] = '\0';
		at = strstr(m->buf, PROMPT);
		if (at) {
			*at = '\0';
			m->len = at - m->buf;
			return 0;
		}
		if (nb_now_ns() >= end || poll(&pfd, 1, (end - nb_now_ns()) / 1000000 + 1) <= 0)
			return -ETIMEDOUT;
		if (m->len == sizeof(m->buf) - 1)	/* keep the tail: the prompt ends the text */
			memmove(m->buf, m->buf + sizeof(m->buf) / 2, (m->len -= sizeof(m->buf) / 2));
		n = read(m->fd, m->buf + m->len, sizeof(m->buf) - 1 - m->len);
		if (n <= 0)
			return -EPIPE;
		m->len += n;
	}
}

struct nb_monitor *nb_monitor_open(const char *path, int timeout_ms)
{
	uint64_t end = nb_now_ns() + (uint64_t)timeout_ms * 1000000;
	struct nb_monitor *m = calloc(1, sizeof(*m));
	int fd;

	if (!m)
		return NULL;
	while ((fd = try_connect(path)) < 0 && (fd == -ENOENT || fd == -ECONNREFUSED) &&
	       nb_now_ns() < end)
		usleep(20000);
	m->fd = fd;
	if (fd < 0 || read_prompt(m, timeout_ms)) {
		errno = fd < 0 ? -fd : ETIMEDOUT;
		nb_monitor_close(m);
		return NULL;
	}
	return m;
}

void nb_monitor_close(struct nb_monitor *m)
{
	if (!m)
		return;
	if (m->fd >= 0)
		close(m->fd);
	free(m);
}

/*
 * HMP's readline echoes the line as it is typed, redrawing it with terminal
 * escapes: drop those and CRs, then everything up to the last full echo of
 * the line. What is left is QEMU's answer.
 */
static void strip_echo(char *s, const char *line)
{
	char *r = s, *w = s, *echo, *last = NULL;

	while (*r) {
		if (*r == '\033') {
			for (r++; *r == '[' || (*r >= '0' && *r <= '9') || *r == ';'; r++)
				;
			if (*r)
				r++;
		} else if (*r == '\r') {
			r++;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	for (echo = s; (echo = strstr(echo, line)); echo++)
		last = echo;
	if (last)
		memmove(s, last + strlen(line), strlen(last + strlen(line)) + 1);
}

static int printable_line(const char *line)
{
	for (; *line; line++)
		if (*line < 0x20 || *line > 0x7e || *line == '"' || *line == '\\')
			return 0;
	return 1;
}

int nb_monitor_cmd(struct nb_monitor *m, const char *line, int timeout_ms, char *reply, size_t len)
{
	int ret;

	if (reply && len)
		reply[0] = '\0';
	if (!printable_line(line))
		return -EINVAL;
	if (nb_write_all(m->fd, line, strlen(line)) || nb_write_all(m->fd, "\n", 1))
		return -EPIPE;
	ret = read_prompt(m, timeout_ms);
	if (ret)
		return ret;
	strip_echo(m->buf, line);
	if (reply && len)
		snprintf(reply, len, "%s", m->buf + strspn(m->buf, " \n"));
	return m->buf[strspn(m->buf, " \n")] ? -EPROTO : 0;
}
