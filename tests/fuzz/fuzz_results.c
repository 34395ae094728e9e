// SPDX-License-Identifier: GPL-2.0
/*
 * Results directories: the input is reps.csv, and kvmexits.csv too (one CSV
 * can be both: tests/fixtures/results-kvmexits), boots.csv and
 * manifest.json from a fixture; load, analyse, write the report to memory.
 */
#include <stdio.h>

#include "stats/report.h"
#include "stats/results.h"
#include "tests/fuzz/fuzz.h"

static const char *const fixed[] = { "boots.csv", "manifest.json" };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char src[128], *text;
	size_t i, len;

	gsl_set_error_handler_off();
	for (i = 0; i < 2; i++) {
		snprintf(src, sizeof(src), "tests/fixtures/results-shift/%s", fixed[i]);
		text = nb_read_file(src, &len);
		if (!text)
			abort();
		fuzz_file(fixed[i], (const uint8_t *)text, len);
		free(text);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_boot_opts o = { .seed = 1, .resamples = 100 };
	struct nb_results *r;
	char err[512], *buf = NULL;
	size_t len = 0, v;
	FILE *f;

	fuzz_file("reps.csv", data, size);
	fuzz_file("kvmexits.csv", data, size);
	if (nb_results_load(fuzz_dir(), &r, err, sizeof(err)))
		return 0;
	for (v = 0; v < nb_results_nvariants(r); v++)
		if (nb_name_check(nb_results_variant(r, v)))
			abort();	/* a loaded variant is always a name */
	if (!nb_results_analyze(r, &o)) {
		f = open_memstream(&buf, &len);
		nb_write_report(r, &o, f);
		fclose(f);
		free(buf);
	}
	nb_results_free(r);
	return 0;
}
