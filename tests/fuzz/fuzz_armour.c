// SPDX-License-Identifier: GPL-2.0
/*
 * A LAVA job's console as nestbench reads it (bench/lab.c): text lines,
 * each one's armour decoded (stack/armour.h) and fed to the frame decoder,
 * every frame taken out.
 */
#include <stdlib.h>
#include <string.h>

#include "stack/armour.h"
#include "stack/frame.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_decoder *d = nb_decoder_create();
	const char *p = (const char *)data, *end = p + size, *nl;
	uint8_t bytes[NB_ARMOUR_CHUNK];
	struct nb_frame f;
	int n;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		n = nb_armour_decode(p, nl - p, bytes);
		if (n > NB_ARMOUR_CHUNK)
			abort();
		if (n > 0)
			nb_decoder_feed(d, bytes, n);
		while (nb_decoder_next(d, &f))
			nb_frame_release(&f);
	}
	nb_decoder_free(d);
	return 0;
}
