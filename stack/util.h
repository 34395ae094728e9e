/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_UTIL_H
#define NB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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
/*
 * An output written whole or not at all: nb_out_open gives a FILE on
 * memory; nb_out_commit writes it with nb_write_file (temporary file, fsync,
 * rename), so a full disk leaves the previous file intact and the error is
 * the real one (-ENOSPC), not a stdio -EIO. nb_out_discard drops it.
 */
struct nb_out {
	FILE *f;
	char *buf;
	size_t len;
};
int nb_out_open(struct nb_out *o);
int nb_out_commit(struct nb_out *o, const char *path);
void nb_out_discard(struct nb_out *o);
char *nb_read_file(const char *path, size_t *len);			/* NUL-terminated; caller frees */
int nb_mkdir_p(const char *path);
/*
 * Creates path's parents, then path itself exclusively: if it exists, tries
 * path-2, path-3, ... (two experiments started in the same second get two
 * directories). The name created is left in out. 0 or -errno.
 */
int nb_mkdir_new(const char *path, char *out, size_t outlen);

/*
 * Strict numbers for everything typed by a user or read from a file: the
 * whole string (blanks around it allowed), base 10, within [min, max].
 * 0; -EINVAL when it is not a number (empty, junk after it, "1e3" for an
 * integer); -ERANGE when it is outside [min, max] (overflow included).
 */
int nb_parse_long(const char *s, long min, long max, long *out);
int nb_parse_int(const char *s, int min, int max, int *out);
int nb_parse_u64(const char *s, uint64_t max, uint64_t *out);
int nb_parse_hex_u64(const char *s, uint64_t *out);
/* A finite double in [min, max] ("nan", "inf" are -EINVAL). */
int nb_parse_real(const char *s, double min, double max, double *out);
/*
 * The error of a failed nb_parse_*: "WHAT 'S': not a whole number" or
 * "WHAT 'S': out of range MIN..MAX"; WHAT names the option or file:line.
 */
void nb_parse_error(char *err, size_t len, const char *what, const char *s,
		    int ret, long min, long max);
/* An option's integer; prints the error ("nestbench: --OPT 'S': ...") itself. */
int nb_opt_int(const char *opt, const char *s, int min, int max, int *out);

/*
 * A name that becomes a directory, a file name, a CSV cell and a plot
 * label (experiment, variant): 1..NB_NAME_LEN chars of [A-Za-z0-9._+-],
 * not starting with '.' or '-'. 0 or -EINVAL.
 */
#define NB_NAME_LEN 63
int nb_name_check(const char *s);

void nb_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Untrusted text as it may be printed (report.txt, a terminal, an error
 * message): control characters and DEL escaped (\n, \t, \r, \xHH), at most
 * max bytes of the len of s, then "..." when cut. A new string (caller
 * frees), NULL without memory. Applied where data enters (stats/csvio.c,
 * a results directory's manifest), so every printed string went through it.
 */
#define NB_TEXT_MAX 1024
char *nb_printable(const char *s, size_t len, size_t max);
/* The problem with untrusted input into why; returns -EINVAL, for "return nb_invalid(...)". */
int nb_invalid(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
extern int nb_log_level;	/* prefix for nb_log lines: -1 host, else Ln */

/* $NESTBENCH_CACHE, else $XDG_CACHE_HOME/nestbench, else ~/.cache/nestbench, in buf. */
const char *nb_cache_dir(char *buf, size_t len);

#endif
