/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CSV in and out (libcsv). A table is read whole, columns are found by their
 * header name (writers add columns; readers never assume an order), and
 * every row remembers its line so that any complaint can say file:line.
 */
#ifndef NB_CSVIO_H
#define NB_CSVIO_H

#include <stddef.h>
#include <stdio.h>

struct nb_table;

/*
 * Reads path. A row whose field count differs from the header's, a quote
 * out of place or a duplicate column name fails the whole read: a half-read
 * results file must not pass for a complete one. On success *out belongs to
 * the caller (nb_table_free). On failure err says "file:line: what, fix".
 */
int nb_table_read(const char *path, struct nb_table **out, char *err, size_t errlen);
void nb_table_free(struct nb_table *t);

const char *nb_table_path(const struct nb_table *t);
size_t nb_table_rows(const struct nb_table *t);
size_t nb_table_ncols(const struct nb_table *t);
const char *nb_table_colname(const struct nb_table *t, size_t col);
int nb_table_col(const struct nb_table *t, const char *name);	/* index or -ENOENT */
/* 0 when every name in the NULL-terminated list is a column. */
int nb_table_require(const struct nb_table *t, const char *const *names,
		     char *err, size_t errlen);
/* The cell, "" for a missing column (col < 0). Owned by the table. */
const char *nb_table_cell(const struct nb_table *t, size_t row, int col);
unsigned int nb_table_line(const struct nb_table *t, size_t row);
/*
 * A numeric cell: 0, -ENODATA when empty, -EINVAL when not a finite number
 * (err names file:line, the column and the text).
 */
int nb_table_double(const struct nb_table *t, size_t row, int col, double *v,
		    char *err, size_t errlen);

/*
 * Parses a whole string as a finite double (surrounding blanks allowed):
 * -ENODATA empty, -EINVAL not a number, -EDOM nan/inf, -ERANGE beyond
 * +-NB_VALUE_MAX. The bound keeps every sum, square and t statistic of up
 * to 10^8 values finite: no measurement comes near it.
 */
#define NB_VALUE_MAX 1e100
int nb_parse_double(const char *s, double *v);

/* One row; fields are quoted only when they need to be. */
int nb_csv_write_row(FILE *f, const char *const *fields, size_t n);

/*
 * A file of numbers, one per line, '#' starts a comment, blank lines are
 * skipped. *vals belongs to the caller (free). Fewer than min numbers is an
 * error (-ENODATA) like a bad line (-EINVAL) or an unreadable file (-errno).
 */
int nb_numfile_read(const char *path, size_t min, double **vals, size_t *n,
		    char *err, size_t errlen);

#endif
