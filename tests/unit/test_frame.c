// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stack/frame.h"

static size_t enc(uint8_t *buf, unsigned int type, const char *s)
{
	return nb_frame_encode(buf, type, 2, 7, s, strlen(s));
}

static void roundtrip(void **state)
{
	uint8_t buf[256];
	struct nb_decoder *d = nb_decoder_create();
	struct nb_frame f;
	size_t n = enc(buf, NB_F_MARK, "start 1 timing");

	assert_int_equal(nb_decoder_feed(d, buf, n), 0);
	assert_int_equal(nb_decoder_next(d, &f), 1);
	assert_int_equal(f.type, NB_F_MARK);
	assert_int_equal(f.level, 2);
	assert_int_equal(f.seq, 7);
	assert_string_equal(f.data, "start 1 timing");
	nb_frame_release(&f);
	assert_int_equal(nb_decoder_next(d, &f), 0);
	assert_int_equal(nb_decoder_pending(d), 0);
	nb_decoder_free(d);
}

/* Byte-at-a-time delivery, with console noise between frames. */
static void noise_and_split(void **state)
{
	uint8_t buf[512];
	const char *noise = "[  12.3] random kernel message NBF\n";
	struct nb_decoder *d = nb_decoder_create();
	struct nb_frame f;
	size_t n = 0, i;
	int got = 0;

	memcpy(buf, noise, strlen(noise));
	n += strlen(noise);
	n += enc(buf + n, NB_F_STATUS, "one");
	memcpy(buf + n, noise, strlen(noise));
	n += strlen(noise);
	n += enc(buf + n, NB_F_DONE, "two");
	for (i = 0; i < n; i++) {
		nb_decoder_feed(d, buf + i, 1);
		while (nb_decoder_next(d, &f)) {
			assert_string_equal(f.data, got ? "two" : "one");
			got++;
			nb_frame_release(&f);
		}
	}
	assert_int_equal(got, 2);
	assert_int_equal(nb_decoder_skipped(d), 2 * strlen(noise));
	nb_decoder_free(d);
}

/* Table: which byte to flip and what the decoder must conclude. */
static void corruption(void **state)
{
	static const struct { size_t at; int frames; uint64_t bad; } cases[] = {
		{ 0, 1, 0 },	/* magic: frame a is skipped as noise */
		{ 4, 1, 1 },	/* type */
		{ 12, 1, 1 },	/* seq */
		{ 20, 1, 1 },	/* payload */
		{ 16, 1, 1 },	/* crc itself */
	};
	size_t c;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		uint8_t buf[256];
		struct nb_decoder *d = nb_decoder_create();
		struct nb_frame f;
		size_t n = enc(buf, NB_F_FILE, "payload-a");
		int frames = 0;

		n += enc(buf + n, NB_F_FILE, "payload-b");
		buf[cases[c].at] ^= 0x40;
		nb_decoder_feed(d, buf, n);
		while (nb_decoder_next(d, &f)) {
			assert_string_equal(f.data, "payload-b");
			frames++;
			nb_frame_release(&f);
		}
		assert_int_equal(frames, cases[c].frames);
		assert_int_equal(nb_decoder_bad_crc(d), cases[c].bad);
		assert_true(nb_decoder_skipped(d) > 0);
		nb_decoder_free(d);
	}
}

static void truncated(void **state)
{
	uint8_t buf[256];
	struct nb_decoder *d = nb_decoder_create();
	struct nb_frame f;
	size_t n = enc(buf, NB_F_FILE, "fio json ...");

	nb_decoder_feed(d, buf, n - 3);
	assert_int_equal(nb_decoder_next(d, &f), 0);
	assert_int_equal(nb_decoder_pending(d), n - 3);
	nb_decoder_free(d);
}

static void huge_length_resyncs(void **state)
{
	uint8_t buf[256];
	struct nb_decoder *d = nb_decoder_create();
	struct nb_frame f;
	size_t n = enc(buf, NB_F_FILE, "x");

	buf[11] = 0x7f;		/* len > NB_FRAME_MAX */
	n += enc(buf + n, NB_F_DONE, "ok");
	nb_decoder_feed(d, buf, n);
	assert_int_equal(nb_decoder_next(d, &f), 1);
	assert_string_equal(f.data, "ok");
	nb_frame_release(&f);
	nb_decoder_free(d);
}

static void kv(void **state)
{
	const char *t = "level=2\nreason=boot timeout\nlevel2=9\n";
	char v[32];

	assert_int_equal(nb_kv_get(t, "reason", v, sizeof(v)), 0);
	assert_string_equal(v, "boot timeout");
	assert_int_equal(nb_kv_get_ll(t, "level", -1), 2);
	assert_int_equal(nb_kv_get_ll(t, "level2", -1), 9);
	assert_int_equal(nb_kv_get_ll(t, "lev", -1), -1);
	assert_int_equal(nb_kv_get(t, "missing", v, sizeof(v)), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrip),
		cmocka_unit_test(noise_and_split),
		cmocka_unit_test(corruption),
		cmocka_unit_test(truncated),
		cmocka_unit_test(huge_length_resyncs),
		cmocka_unit_test(kv),
	};
	return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
