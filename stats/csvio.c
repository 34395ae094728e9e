// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "stack/util.h"
#include "stats/csvio.h"

struct strvec {
	char **v;
	size_t n, cap;
};

struct nb_table {
	char *path;
	struct strvec header;
	struct strvec cells;		/* nrows * header.n, row-major */
	unsigned int *lines;		/* line each row started on */
	size_t *order;			/* column indices sorted by name */
	size_t nrows;
	/* parse state */
	struct strvec cur;
	unsigned int line, row_line;
	int err;
	char *msg;
	size_t msglen;
};

static int strvec_grow(struct strvec *s, size_t more)
{
	size_t cap = s->cap ? s->cap : 16;
	char **v;

	while (cap < s->n + more)
		cap *= 2;
	if (cap == s->cap)
		return 0;
	v = realloc(s->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->v = v;
	s->cap = cap;
	return 0;
}

/* Every cell printable and bounded as it is read: whoever prints it later, prints that. */
static int strvec_push(struct strvec *s, const char *p, size_t len)
{
	char *c;

	if (strvec_grow(s, 1))
		return -ENOMEM;
	c = nb_printable(p ? p : "", p ? len : 0, NB_TEXT_MAX);
	if (!c)
		return -ENOMEM;
	s->v[s->n++] = c;
	return 0;
}

/* Moves every string of src to the end of dst. */
static int strvec_take(struct strvec *dst, struct strvec *src)
{
	if (strvec_grow(dst, src->n))
		return -ENOMEM;
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(char *));
	dst->n += src->n;
	src->n = 0;
	return 0;
}

static void strvec_free(struct strvec *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static void __attribute__((format(printf, 3, 4)))
fail(struct nb_table *t, int err, const char *fmt, ...)
{
	va_list ap;

	if (t->err)
		return;		/* the first problem is the one to fix */
	t->err = err;
	va_start(ap, fmt);
	vsnprintf(t->msg, t->msglen, fmt, ap);
	va_end(ap);
}

static void on_field(void *s, size_t len, void *data)
{
	struct nb_table *t = data;

	if (t->err)
		return;
	if (!t->cur.n)
		t->row_line = t->line;
	if (strvec_push(&t->cur, s, len))
		fail(t, -ENOMEM, "%s: out of memory", t->path);
}

static int cmp_col(const void *x, const void *y, void *names)
{
	const char *const *v = names;
	const size_t *a = x, *b = y;
	int c = strcmp(v[*a], v[*b]);

	return c ? c : (*a > *b) - (*a < *b);
}

/* Column indices sorted by name (then index): duplicates are neighbours,
 * and nb_table_col() is a binary search. n log n for a 200k-column header. */
static void set_header(struct nb_table *t)
{
	size_t i, n;

	if (strvec_take(&t->header, &t->cur) ||
	    !(t->order = malloc((t->header.n ?: 1) * sizeof(*t->order)))) {
		fail(t, -ENOMEM, "%s: out of memory", t->path);
		return;
	}
	n = t->header.n;
	for (i = 0; i < n; i++)
		t->order[i] = i;
	qsort_r(t->order, n, sizeof(*t->order), cmp_col, t->header.v);
	for (i = 1; i < n; i++)
		if (!strcmp(t->header.v[t->order[i]], t->header.v[t->order[i - 1]]))
			fail(t, -EINVAL, "%s:%u: column '%s' appears twice in the header",
			     t->path, t->row_line, t->header.v[t->order[i]]);
}

static int push_line(struct nb_table *t)
{
	unsigned int *l = realloc(t->lines, (t->nrows + 1) * sizeof(*l));

	if (!l)
		return -ENOMEM;
	t->lines = l;
	t->lines[t->nrows++] = t->row_line;
	return 0;
}

static void on_row(int c, void *data)
{
	struct nb_table *t = data;

	if (t->err)
		return;
	if (!t->header.n)
		set_header(t);
	else if (t->cur.n != t->header.n)
		fail(t, -EINVAL, "%s:%u: %zu fields, the header has %zu "
		     "(a truncated or hand-edited row? fix or delete that line)",
		     t->path, t->row_line, t->cur.n, t->header.n);
	else if (strvec_take(&t->cells, &t->cur) || push_line(t))
		fail(t, -ENOMEM, "%s: out of memory", t->path);
}

static void parse_error(struct nb_table *t, struct csv_parser *p)
{
	fail(t, -EINVAL, "%s:%u: malformed CSV (%s): a quote out of place? "
	     "quote fields that contain commas or quotes, double inner quotes",
	     t->path, t->line, csv_strerror(csv_error(p)));
}

/* Fed line by line so the callbacks know which line they are on. */
static int parse_lines(FILE *f, struct nb_table *t, struct csv_parser *p)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	while (!t->err && (len = getline(&line, &cap, f)) > 0) {
		t->line++;
		if (csv_parse(p, line, len, on_field, on_row, t) != (size_t)len)
			parse_error(t, p);
	}
	free(line);
	if (!t->err && csv_fini(p, on_field, on_row, t))
		parse_error(t, p);
	if (!t->err && !t->header.n)
		fail(t, -ENODATA, "%s: empty: no header row", t->path);
	return t->err;
}

static int parse_file(const char *path, struct nb_table *t)
{
	struct csv_parser p;
	FILE *f = fopen(path, "r");
	int ret;

	if (!f) {
		ret = -errno;
		fail(t, ret, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
		fclose(f);
		return -ENOMEM;
	}
	ret = parse_lines(f, t, &p);
	csv_free(&p);
	fclose(f);
	return ret;
}

int nb_table_read(const char *path, struct nb_table **out, char *err, size_t errlen)
{
	struct nb_table *t = calloc(1, sizeof(*t));
	int ret = -ENOMEM;

	if (!t || !(t->path = strdup(path)))
		goto fail;
	t->msg = err;
	t->msglen = errlen;
	ret = parse_file(path, t);
	if (ret)
		goto fail;
	strvec_free(&t->cur);
	t->msg = NULL;
	*out = t;
	return 0;
fail:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", path);
	nb_table_free(t);
	return ret;
}

void nb_table_free(struct nb_table *t)
{
	if (!t)
		return;
	strvec_free(&t->header);
	strvec_free(&t->cells);
	strvec_free(&t->cur);
	free(t->lines);
	free(t->order);
	free(t->path);
	free(t);
}

const char *nb_table_path(const struct nb_table *t)
{
	return t->path;
}

size_t nb_table_rows(const struct nb_table *t)
{
	return t->nrows;
}

size_t nb_table_ncols(const struct nb_table *t)
{
	return t->header.n;
}

const char *nb_table_colname(const struct nb_table *t, size_t col)
{
	return col < t->header.n ? t->header.v[col] : NULL;
}

int nb_table_col(const struct nb_table *t, const char *name)
{
	size_t lo = 0, hi = t->header.n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(t->header.v[t->order[mid]], name);
		if (!c)
			return t->order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -ENOENT;
}

int nb_table_require(const struct nb_table *t, const char *const *names,
		     char *err, size_t errlen)
{
	for (; *names; names++)
		if (nb_table_col(t, *names) < 0) {
			snprintf(err, errlen, "%s:1: no column '%s' in the header "
				 "(see docs/results-format.md for the columns)",
				 t->path, *names);
			return -EINVAL;
		}
	return 0;
}

const char *nb_table_cell(const struct nb_table *t, size_t row, int col)
{
	if (col < 0 || row >= t->nrows || (size_t)col >= t->header.n)
		return "";
	return t->cells.v[row * t->header.n + col];
}

unsigned int nb_table_line(const struct nb_table *t, size_t row)
{
	return row < t->nrows ? t->lines[row] : 0;
}

int nb_parse_double(const char *s, double *v)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return -ENODATA;
	errno = 0;
	*v = strtod(s, &end);
	if (end == s)
		return -EINVAL;
	end += strspn(end, " \t\r\n");
	if (*end)
		return -EINVAL;
	if (!isfinite(*v))
		return -EDOM;
	return fabs(*v) <= NB_VALUE_MAX ? 0 : -ERANGE;
}

int nb_table_double(const struct nb_table *t, size_t row, int col, double *v,
		    char *err, size_t errlen)
{
	const char *s = nb_table_cell(t, row, col);
	int ret = nb_parse_double(s, v);

	if (ret == -ENODATA)
		return ret;
	if (ret == -ERANGE)
		snprintf(err, errlen, "%s:%u: column %s: '%s' is beyond +-%g: not a measurement",
			 t->path, nb_table_line(t, row), nb_table_colname(t, col), s, NB_VALUE_MAX);
	else if (ret)
		snprintf(err, errlen, "%s:%u: column %s: '%s' is not a %snumber",
			 t->path, nb_table_line(t, row), nb_table_colname(t, col), s,
			 ret == -EDOM ? "finite " : "");
	return ret ? -EINVAL : 0;
}

static int needs_quotes(const char *s)
{
	size_t len = strlen(s);

	return strpbrk(s, ",\"\r\n") ||
	       (len && (s[0] == ' ' || s[len - 1] == ' '));
}

int nb_csv_write_row(FILE *f, const char *const *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *s = fields[i] ? fields[i] : "";

		if (needs_quotes(s))
			csv_fwrite(f, s, strlen(s));
		else
			fputs(s, f);
		fputc(i + 1 < n ? ',' : '\n', f);
	}
	return ferror(f) ? -EIO : 0;
}

/* Growable array of doubles for nb_numfile_read(). */
struct dvec {
	double *v;
	size_t n, cap;
};

static int dvec_push(struct dvec *d, double x)
{
	double *v;

	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		v = realloc(d->v, d->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		d->v = v;
	}
	d->v[d->n++] = x;
	return 0;
}

/* Cuts a comment and surrounding blanks; returns the text left. */
static char *strip_line(char *s)
{
	char *hash = strchr(s, '#'), *end;

	if (hash)
		*hash = 0;
	s += strspn(s, " \t\r\n");
	end = s + strlen(s);
	while (end > s && strchr(" \t\r\n", end[-1]))
		*--end = 0;
	return s;
}

static int number_line(char *line, struct dvec *d, const char *path,
		       unsigned int lineno, char *err, size_t errlen)
{
	char *s = strip_line(line);
	double x;
	int ret;

	if (!*s)
		return 0;
	ret = nb_parse_double(s, &x);
	if (ret == -EDOM)
		snprintf(err, errlen, "%s:%u: '%s' is not a finite number: "
			 "remove it or fix the program that wrote it", path, lineno, s);
	else if (ret == -ERANGE)
		snprintf(err, errlen, "%s:%u: '%s' is beyond +-%g: not a measurement "
			 "(rescale the numbers)", path, lineno, s, NB_VALUE_MAX);
	else if (ret)
		snprintf(err, errlen, "%s:%u: '%s' is not a number: write one number "
			 "per line ('#' starts a comment)", path, lineno, s);
	return ret ? -EINVAL : dvec_push(d, x);
}

static int read_numbers(FILE *f, const char *path, struct dvec *d,
			char *err, size_t errlen)
{
	unsigned int lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	int ret = 0;

	while (!ret && getline(&line, &cap, f) >= 0)
		ret = number_line(line, d, path, ++lineno, err, errlen);
	free(line);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", path);
	return ret;
}

static int too_few(const char *path, size_t n, size_t min, char *err, size_t errlen)
{
	if (!n)
		snprintf(err, errlen, "%s: no numbers (empty, or only comments and "
			 "blank lines): write one number per line", path);
	else
		snprintf(err, errlen, "%s: only %zu number%s: need >= %zu to estimate "
			 "the spread; add more samples", path, n, n == 1 ? "" : "s", min);
	return -ENODATA;
}

int nb_numfile_read(const char *path, size_t min, double **vals, size_t *n,
		    char *err, size_t errlen)
{
	struct dvec d = { 0 };
	FILE *f = fopen(path, "r");
	int ret;

	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = read_numbers(f, path, &d, err, errlen);
	fclose(f);
	if (!ret && d.n < min)
		ret = too_few(path, d.n, min, err, errlen);
	if (ret) {
		free(d.v);
		return ret;
	}
	*vals = d.v;
	*n = d.n;
	return 0;
}
