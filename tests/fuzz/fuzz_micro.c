// SPDX-License-Identifier: GPL-2.0
/*
 * The micro table (`nestbench micro --table DIR`): the input is the
 * reps.csv of patched-depth1, patched-depth2 and patched-depth2-op1 (its
 * attribution boot) alike, with a fixture's manifest for the op count.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "bench/builtin.h"
#include "tests/fuzz/fuzz.h"

static const char *const dirs[] = { "patched-depth1", "patched-depth2", "patched-depth2-op1" };
static char root[128];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char man[] = "{ \"workload\": \"micro\", \"job\": \"iters=1000\\npages=100\\n\" }\n";
	char path[256];
	size_t i;

	gsl_set_error_handler_off();
	snprintf(root, sizeof(root), "%s/micro", fuzz_dir());
	mkdir(root, 0755);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/%s/manifest.json", root, dirs[i]);
		if (nb_write_file(path, man, strlen(man)))
			abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[256], *buf = NULL;
	size_t len = 0, i;
	FILE *f;
	int ret;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s/reps.csv", root, dirs[i]);
		fuzz_put(path, data, size);
	}
	f = open_memstream(&buf, &len);
	ret = micro_table(f, root);
	fclose(f);
	if (!ret && memchr(buf, '\x1b', len))
		abort();	/* the table's fields are printable */
	free(buf);
	return 0;
}
