/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INI inputs (experiment files, cost files): inih, behind the guards it
 * lacks. inih reads a line into a fixed buffer and parses the tail of a
 * longer one as a line of its own (a long comment or 'source' became a
 * key), stops at a NUL byte (the rest of the file silently ignored) and
 * keeps the last of two equal keys without a word.
 */
#ifndef NB_INI_H
#define NB_INI_H

#include <stddef.h>
#include <ini.h>

#define NB_INI_LINE_MAX	190	/* inih (Debian) reads lines into 200 bytes */

/* One line (len bytes, no newline): 0, or -EINVAL with the reason in why. */
int nb_ini_check_line(const char *s, size_t len, char *why, size_t whylen);
/*
 * text (len bytes, NUL-terminated) through h, as inih's ini_parse_string,
 * after every line passed nb_ini_check_line; a key given twice in one
 * section is refused. Returns 0, or -EINVAL with *line set (0: not a line)
 * and why set, "" when h itself refused (h holds its own reason) or the
 * line is not INI syntax.
 */
int nb_ini_parse(const char *text, size_t len, ini_handler h, void *user,
		 unsigned int *line, char *why, size_t whylen);
/* nb_ini_parse of the file path; -ENOENT (why set) when it cannot be read. */
int nb_ini_parse_file(const char *path, ini_handler h, void *user,
		      unsigned int *line, char *why, size_t whylen);

#endif
