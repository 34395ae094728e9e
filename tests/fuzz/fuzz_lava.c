// SPDX-License-Identifier: GPL-2.0
/*
 * What doctor reads from a LAVA server about its workers' QEMU (bench/lab.c,
 * bench/builtin-doctor.c): a test case's metadata, its qemu_version taken
 * as one printable word, and that word (or any text) parsed as a package
 * version. A job's log (lab_decode) is left to the unit tests: each
 * decode writes a results directory, about one input a second here.
 */
#include <stdlib.h>
#include <string.h>

#include "bench/doctor.h"
#include "bench/lab.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

/* Accepted versions are in range; what reaches a doctor line is one printable word. */
static void versions(const char *text)
{
	struct doctor_version v;
	char q[64];
	size_t i;

	if (!doctor_pkg_version(text, &v) && (v.major > 999 || v.minor > 999 || v.micro > 9999))
		abort();
	if (lab_qemu_of_metadata(text, q, sizeof(q)))
		return;
	for (i = 0; q[i]; i++)
		if (q[i] < '!' || q[i] > '~')
			abort();
	if (i == 0 || i > 63)
		abort();
	doctor_pkg_version(q, &v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	versions(text);
	free(text);
	return 0;
}
