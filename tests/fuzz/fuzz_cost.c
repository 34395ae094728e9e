// SPDX-License-Identifier: GPL-2.0
/* Cost files (`report --cpu`, cpus/NAME.ini): read, then the model's report section on a fixture's arms. */
#include <stdio.h>

#include "stats/exctab.h"
#include "stats/model.h"
#include "stats/results.h"
#include "tests/fuzz/fuzz.h"

static struct nb_exc_set set;

/* The fixture's arms through the results model, once. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct nb_results *r;
	char err[512];

	gsl_set_error_handler_off();
	if (nb_results_load("tests/fixtures/results-exc", &r, err, sizeof(err)) || nb_exc_set_take(r, &set))
		abort();
	nb_results_free(r);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("cost.ini", data, size);
	struct nb_cpu_costs c;
	char err[512], *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (nb_cpu_costs_read(path, &c, err, sizeof(err)))
		return 0;
	f = open_memstream(&buf, &len);
	nb_model_report(f, &set, &c);
	fclose(f);
	if (memchr(buf, '\x1b', len))
		abort();	/* a cost file's text is printable by the time it prints */
	free(buf);
	return 0;
}
