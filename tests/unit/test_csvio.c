// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "stats/csvio.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Writes text to a fresh temporary file; caller unlinks and frees. */
static char *tmpfile_with(const char *text)
{
	char *path = strdup("/tmp/nb-test-csvio-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void drop(char *path)
{
	unlink(path);
	free(path);
}

/* Columns are found by name whatever their order. */
static void columns_by_name(void **state)
{
	char *p = tmpfile_with("rep,io_ns,variant\n1,1000,base\n"
			       "2,\"2,000\",\"pat\"\"ched\"\r\n\n3,,base");
	struct nb_table *t;
	char err[256];
	double v;

	assert_int_equal(nb_table_read(p, &t, err, sizeof(err)), 0);
	assert_int_equal(nb_table_rows(t), 3);
	assert_int_equal(nb_table_col(t, "variant"), 2);
	assert_int_equal(nb_table_col(t, "nope"), -ENOENT);
	assert_string_equal(nb_table_cell(t, 1, nb_table_col(t, "variant")), "pat\"ched");
	assert_string_equal(nb_table_cell(t, 1, nb_table_col(t, "io_ns")), "2,000");
	assert_string_equal(nb_table_cell(t, 0, -ENOENT), "");
	assert_int_equal(nb_table_line(t, 2), 5);	/* the blank line counts */
	assert_int_equal(nb_table_double(t, 0, 1, &v, err, sizeof(err)), 0);
	assert_true(v == 1000);
	assert_int_equal(nb_table_double(t, 2, 1, &v, err, sizeof(err)), -ENODATA);
	assert_int_equal(nb_table_double(t, 1, 1, &v, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":3: column io_ns: '2,000' is not a number"));
	nb_table_free(t);
	drop(p);
}

/* Table: a bad file and what the message must say. */
static void malformed(void **state)
{
	static const struct { const char *text, *msg; int ret; } cases[] = {
		{ "a,b,c\n1,2,3\n4,5\n", ":3: 2 fields, the header has 3", -EINVAL },
		{ "a,b\n1,2,3\n", ":2: 3 fields, the header has 2", -EINVAL },
		{ "a,b\n1,2\n3,\"4\n", ":3: malformed CSV", -EINVAL },
		{ "a,b\n1,\"x\"y\n", ":2: malformed CSV", -EINVAL },
		{ "a,b,a\n1,2,3\n", ":1: column 'a' appears twice", -EINVAL },
		{ "", ": empty: no header row", -ENODATA },
	};
	struct nb_table *t = NULL;
	char err[256];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		char *p = tmpfile_with(cases[i].text);

		assert_int_equal(nb_table_read(p, &t, err, sizeof(err)), cases[i].ret);
		print_message("# %s\n", err);
		assert_non_null(strstr(err, p));
		assert_non_null(strstr(err, cases[i].msg));
		drop(p);
	}
	assert_int_equal(nb_table_read("/nonexistent/reps.csv", &t, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "/nonexistent/reps.csv: No such file or directory");
}

static void require_columns(void **state)
{
	static const char *const need[] = { "variant", "io_ns", NULL };
	char *p = tmpfile_with("variant,rep\nbase,1\n");
	struct nb_table *t;
	char err[256];

	assert_int_equal(nb_table_read(p, &t, err, sizeof(err)), 0);
	assert_int_equal(nb_table_require(t, need, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":1: no column 'io_ns'"));
	nb_table_free(t);
	drop(p);
}

/* What we write, we read back field for field. */
static void write_roundtrip(void **state)
{
	const char *row[] = { "io time (icount clock)", "a,b", "say \"hi\"", "", " x" };
	char *p = tmpfile_with("");
	struct nb_table *t;
	char err[256];
	FILE *f = fopen(p, "w");
	size_t i;

	assert_non_null(f);
	assert_int_equal(nb_csv_write_row(f, row, N(row)), 0);
	assert_int_equal(nb_csv_write_row(f, row, N(row)), 0);
	fclose(f);
	assert_int_equal(nb_table_read(p, &t, err, sizeof(err)), 0);
	assert_int_equal(nb_table_rows(t), 1);
	for (i = 0; i < N(row); i++)
		assert_string_equal(nb_table_cell(t, 0, i), row[i]);
	nb_table_free(t);
	drop(p);
}

static void parse_double(void **state)
{
	static const struct { const char *s; int ret; double v; } cases[] = {
		{ "1e12", 0, 1e12 }, { " 42 ", 0, 42 }, { "-0.5\n", 0, -0.5 },
		{ "", -ENODATA, 0 }, { "  ", -ENODATA, 0 }, { "12abc", -EINVAL, 0 },
		{ "abc", -EINVAL, 0 }, { "nan", -EDOM, 0 }, { "-inf", -EDOM, 0 },
		{ "1e999", -EDOM, 0 },
	};
	size_t i;
	double v;

	for (i = 0; i < N(cases); i++) {
		assert_int_equal(nb_parse_double(cases[i].s, &v), cases[i].ret);
		if (!cases[i].ret)
			assert_true(v == cases[i].v);
	}
}

static void numfile_good(void **state)
{
	char *p = tmpfile_with("# ns, one per line\n1000000000001\n\n 1000000000003 # warm\n"
			       "1e12\n");
	double *v;
	size_t n;
	char err[256];

	assert_int_equal(nb_numfile_read(p, 2, &v, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 3);
	assert_true(v[0] == 1000000000001.0 && v[1] == 1000000000003.0 && v[2] == 1e12);
	free(v);
	drop(p);
}

static void numfile_bad(void **state)
{
	static const struct { const char *text, *msg; int ret; } cases[] = {
		{ "", ": no numbers (empty", -ENODATA },
		{ "# only\n\n", ": no numbers (empty", -ENODATA },
		{ "5\n", ": only 1 number: need >= 2", -ENODATA },
		{ "1\n2\nfoo\n", ":3: 'foo' is not a number", -EINVAL },
		{ "1\n 2 3\n", ":2: '2 3' is not a number", -EINVAL },
		{ "1\nnan\n", ":2: 'nan' is not a finite number", -EINVAL },
		{ "inf\n", ":1: 'inf' is not a finite number", -EINVAL },
	};
	char err[256];
	double *v;
	size_t i, n;

	for (i = 0; i < N(cases); i++) {
		char *p = tmpfile_with(cases[i].text);

		assert_int_equal(nb_numfile_read(p, 2, &v, &n, err, sizeof(err)), cases[i].ret);
		print_message("# %s\n", err);
		assert_non_null(strstr(err, p));
		assert_non_null(strstr(err, cases[i].msg));
		drop(p);
	}
	assert_int_equal(nb_numfile_read("/nonexistent", 2, &v, &n, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent: No such file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(columns_by_name),
		cmocka_unit_test(malformed),
		cmocka_unit_test(require_columns),
		cmocka_unit_test(write_roundtrip),
		cmocka_unit_test(parse_double),
		cmocka_unit_test(numfile_good),
		cmocka_unit_test(numfile_bad),
	};
	return cmocka_run_group_tests_name("csvio", tests, NULL, NULL);
}
