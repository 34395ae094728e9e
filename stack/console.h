/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_CONSOLE_H
#define NB_CONSOLE_H

#include <stddef.h>

/* The last bytes a child printed on its console, for failure reports. */
#define NB_TAIL_SIZE 4096

struct nb_tail {
	char buf[NB_TAIL_SIZE];
	size_t len;
};

void nb_tail_add(struct nb_tail *t, const char *data, size_t len);
/* The last `lines` lines, NUL-terminated, in out. */
void nb_tail_lines(const struct nb_tail *t, int lines, char *out, size_t outlen);
/* The first line that says why a kernel died ("Kernel panic - ...", "Unable to mount root"), or NULL. */
const char *nb_tail_panic(const struct nb_tail *t, char *out, size_t outlen);

#endif
