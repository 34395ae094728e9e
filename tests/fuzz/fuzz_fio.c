// SPDX-License-Identifier: GPL-2.0
/* fio's JSON as a guest sends it. */
#include <math.h>

#include "bench/reps.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct fio_result r;

	if (!fio_parse(text, &r) && (!(r.ios > 0) || !isfinite(r.iops) || r.runtime_ms < 0))
		abort();	/* accepted results are sane */
	free(text);
	return 0;
}
