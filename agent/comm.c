// SPDX-License-Identifier: GPL-2.0
/* The agent's side of the channel to its parent. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent.h"
#include "stack/util.h"

int agent_send(struct nb_agent *a, unsigned int type, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = nb_frame_vwritef(a->port, type, a->level, fmt, ap);
	va_end(ap);
	return ret;
}

/* A FILE frame: name, NUL, contents. */
int agent_send_file(struct nb_agent *a, const char *name, const char *path)
{
	size_t len, nlen = strlen(name) + 1;
	char *data = nb_read_file(path, &len), *buf;
	int ret;

	if (!data)
		return -errno;
	buf = malloc(nlen + len);
	if (!buf) {
		free(data);
		return -ENOMEM;
	}
	memcpy(buf, name, nlen);
	memcpy(buf + nlen, data, len);
	ret = nb_frame_write(a->port, NB_F_FILE, a->level, buf, nlen + len);
	free(buf);
	free(data);
	return ret;
}

/*
 * Heartbeat: parents treat silence as a hang, so say what we do every 2 s
 * of this level's clock. Under icount a guest second can take tens of host
 * seconds, and the host's idle limit is in host seconds. Inside an I/O
 * window a beat would be timed with the I/O (every frame climbs every
 * level): every 30 s there, which a window of a few guest seconds never sees.
 */
void agent_beat(struct nb_agent *a, const char *doing)
{
	uint64_t now = nb_now_ns();

	/* L0 beats inside a window too: the host's idle limit is in its own time (stack/level.c) */
	if (now - a->t_beat < (a->quiet && a->level > 0 ? 30000000000ull : 2000000000ull))
		return;
	a->t_beat = now;
	agent_send(a, NB_F_STATUS, "L%d: %s", a->level, doing);
}

static void from_parent(struct nb_agent *a, struct nb_child *below, struct nb_frame *f)
{
	if (f->type != NB_F_ARM)
		return;
	if (nb_parse_int(f->data, 0, INT_MAX, &a->armed_rep))
		a->armed_rep = -1;	/* a damaged ARM frame arms nothing */
	if (below)
		nb_child_send(below, NB_F_ARM, f->data, f->len);
}

int agent_read_parent(struct nb_agent *a, struct nb_child *below)
{
	struct nb_frame f;
	char buf[4096];
	ssize_t n = read(a->port, buf, sizeof(buf));

	if (n <= 0)
		return -1;
	nb_decoder_feed(a->dec, buf, n);
	while (nb_decoder_next(a->dec, &f)) {
		from_parent(a, below, &f);
		nb_frame_release(&f);
	}
	return 0;
}
