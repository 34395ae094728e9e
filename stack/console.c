// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "stack/console.h"

void nb_tail_add(struct nb_tail *t, const char *data, size_t len)
{
	size_t keep;

	if (len >= NB_TAIL_SIZE) {
		memcpy(t->buf, data + len - NB_TAIL_SIZE, NB_TAIL_SIZE);
		t->len = NB_TAIL_SIZE;
		return;
	}
	keep = t->len + len > NB_TAIL_SIZE ? NB_TAIL_SIZE - len : t->len;
	memmove(t->buf, t->buf + t->len - keep, keep);
	memcpy(t->buf + keep, data, len);
	t->len = keep + len;
}

void nb_tail_lines(const struct nb_tail *t, int lines, char *out, size_t outlen)
{
	size_t i = t->len, n;

	/* stop just after the newline that ends the line before the last `lines` */
	while (i > 0) {
		if (t->buf[i - 1] == '\n' && i < t->len && --lines <= 0)
			break;
		i--;
	}
	n = t->len - i < outlen - 1 ? t->len - i : outlen - 1;
	memcpy(out, t->buf + t->len - n, n);
	out[n] = '\0';
}

static const char *const panic_markers[] = {
	"Kernel panic", "Unable to mount root", "Internal error:", "Unable to handle kernel",
	"BUG:", "Attempted to kill init",
};

const char *nb_tail_panic(const struct nb_tail *t, char *out, size_t outlen)
{
	char text[NB_TAIL_SIZE + 1];
	const char *p, *best = NULL;
	unsigned int i;
	size_t n;

	memcpy(text, t->buf, t->len);
	text[t->len] = '\0';
	for (i = 0; i < sizeof(panic_markers) / sizeof(panic_markers[0]); i++) {
		p = strstr(text, panic_markers[i]);
		if (p && (!best || p < best))
			best = p;
	}
	if (!best)
		return NULL;
	n = strcspn(best, "\r\n");
	n = n < outlen - 1 ? n : outlen - 1;
	memcpy(out, best, n);
	out[n] = '\0';
	return out;
}
