// SPDX-License-Identifier: GPL-2.0
/* Files of numbers for `nestbench stats`: read, summarise, compare, flag outliers. */
#include <math.h>
#include <stdio.h>

#include "stats/csvio.h"
#include "stats/stats.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	gsl_set_error_handler_off();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double base[] = { 10, 11, 12, 10.5, 11.5 };
	struct nb_boot_opts o = { .seed = 1, .resamples = 100 };
	const char *path = fuzz_file("numbers.txt", data, size);
	struct nb_summary s;
	struct nb_compare c;
	unsigned char *flags;
	char err[512];
	double *v;
	size_t n;

	if (nb_numfile_read(path, 2, &v, &n, err, sizeof(err)))
		return 0;
	if (nb_summarize(v, n, &s) || !isfinite(s.mean) || !isfinite(s.stddev))
		abort();	/* what the reader accepts is always summarisable */
	nb_compare(base, 5, v, n, &o, &c);
	flags = calloc(n, 1);
	nb_outliers(v, n, flags);
	free(flags);
	free(v);
	return 0;
}
