// SPDX-License-Identifier: GPL-2.0
/* Experiment files: the line checks, inih, the key table, validation, the plan. */
#include <stdio.h>

#include "bench/experiment.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	gsl_set_error_handler_off();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size), err[512];
	struct experiment e;
	int i;

	if (!exp_load_text(text, size, "fuzz.ini", &e, err, sizeof(err))) {
		exp_plan(&e);
		for (i = 0; i < e.nboots; i++)
			if (e.order[i] < 0 || e.order[i] >= e.nvariants)
				abort();
		if (nb_name_check(e.name))
			abort();	/* an accepted name is always a safe name */
	}
	free(text);
	return 0;
}
