/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What several unit tests do to a results directory, once. Include after
 * <cmocka.h>: the helpers fail the calling test, they do not return errors.
 */
#ifndef NB_TEST_FIXTURES_H
#define NB_TEST_FIXTURES_H

#include <string.h>

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

#endif
