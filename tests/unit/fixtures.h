/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What several unit tests do to a results directory, once. Include after
 * <cmocka.h>: the helpers fail the calling test, they do not return errors.
 */
#ifndef NB_TEST_FIXTURES_H
#define NB_TEST_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "stack/util.h"
#include "stats/results.h"

/* A results directory loaded and analysed with the default options; caller frees. */
static inline struct nb_results *nb_test_load(const char *dir)
{
	struct nb_results *r = NULL;
	struct nb_boot_opts o;
	char err[512];

	nb_boot_defaults(&o);
	if (nb_results_load(dir, &r, err, sizeof(err)))
		fail_msg("%s: %s", dir, err);
	assert_int_equal(nb_results_analyze(r, &o), 0);
	return r;
}

/* The index of the variant called name; fails the test when there is none. */
static inline size_t nb_test_variant(const struct nb_results *r, const char *name)
{
	size_t v;

	for (v = 0; v < nb_results_nvariants(r); v++)
		if (!strcmp(nb_results_variant(r, v), name))
			return v;
	fail_msg("no variant %s", name);
	return 0;
}

/* A new directory /tmp/nb-NAME-XXXXXX; caller frees the path (and removes the directory). */
static inline char *nb_test_tmpdir(const char *name)
{
	char *d = NULL;

	assert_true(asprintf(&d, "/tmp/nb-%s-XXXXXX", name) > 0);
	assert_non_null(mkdtemp(d));
	return d;
}

/* rm -rf dir, through an argv (never a shell). */
static inline void nb_test_rm_rf(const char *dir)
{
	char *argv[] = { "/bin/rm", "-rf", (char *)dir, NULL };
	int status;
	pid_t pid = nb_spawn(argv, -1, -1);

	assert_true(pid > 0);
	waitpid(pid, &status, 0);
}

#endif
