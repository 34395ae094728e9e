/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_UTIL_H
#define NB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

uint64_t nb_now_ns(void);		/* CLOCK_MONOTONIC */
double nb_secs(uint64_t ns);

/* Growable argv, NULL-terminated; the strings are owned by it. */
struct nb_argv {
	char **v;
	int n, cap;
};
int nb_argv_add(struct nb_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void nb_argv_free(struct nb_argv *a);
char *nb_argv_join(const struct nb_argv *a);	/* for logs only; caller frees */

/*
 * fork/exec argv with stdin from /dev/null, stdout+stderr into out_fd (or
 * inherited if -1) and pass_fd as the child's fd 3 (or -1); every other fd
 * is closed in the child. Never a shell.
 */
pid_t nb_spawn(char *const argv[], int out_fd, int pass_fd);

int nb_write_all(int fd, const void *buf, size_t len);	/* retries short writes; 0 or -errno */
int nb_write_file(const char *path, const void *buf, size_t len);	/* atomic: tmp + rename + fsync */
int nb_append_file(const char *path, const void *buf, size_t len);	/* O_APPEND + fsync */
char *nb_read_file(const char *path, size_t *len);			/* NUL-terminated; caller frees */
int nb_mkdir_p(const char *path);

void nb_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int nb_log_level;	/* prefix for nb_log lines: -1 host, else Ln */

#endif
