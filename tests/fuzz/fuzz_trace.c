// SPDX-License-Identifier: GPL-2.0
/*
 * trace.dat through the path nestbench takes: the analysis in a child
 * process. A library crash there is contained (reported, not a finding);
 * a sanitizer report in our code makes the child exit with 86
 * (ASAN_OPTIONS/UBSAN_OPTIONS exitcode=86, set by tests/fuzz/run.sh),
 * which is a finding.
 */
#include <stdio.h>

#include "collect/analyze.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("trace.dat", data, size);
	struct nb_counts c;
	char why[256] = "";

	if (nb_analyze_isolated(path, 0, &c, why, sizeof(why)) == -ECHILD &&
	    strstr(why, "status 86")) {
		fprintf(stderr, "sanitizer report in the trace reader child: %s\n", why);
		abort();
	}
	return 0;
}
