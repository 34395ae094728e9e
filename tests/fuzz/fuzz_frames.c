// SPDX-License-Identifier: GPL-2.0
/*
 * The channel: bytes fed to the decoder in chunks whose sizes come from the
 * input, every frame taken out and its payload read as key=value text and
 * as a plan (what a level does with a CONFIG frame).
 */
#include "stack/frame.h"
#include "stack/plan.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

static void use_frame(struct nb_frame *f)
{
	struct nb_plan p = { 0 };
	char v[64];

	nb_kv_get(f->data, "reason", v, sizeof(v));
	nb_kv_get_ll(f->data, "depth", 0);
	if (f->type == NB_F_CONFIG) {
		nb_plan_decode(&p, f->data);
		nb_plan_free(&p);	/* the plan owns its job text, decoded or not */
	}
	nb_frame_release(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_decoder *d = nb_decoder_create();
	size_t off = 1, chunk = size ? (data[0] % 64) + 1 : 1, n;
	struct nb_frame f;

	while (off < size) {
		n = size - off < chunk ? size - off : chunk;
		nb_decoder_feed(d, data + off, n);
		off += n;
		while (nb_decoder_next(d, &f))
			use_frame(&f);
	}
	if (nb_decoder_pending(d) > size)
		abort();
	nb_decoder_free(d);
	return 0;
}
