// SPDX-License-Identifier: GPL-2.0
/*
 * Frames armoured on a console (stack/armour.h): written by the real writer
 * (nb_frame_write on an armoured fd, as the agent does), read back line by
 * line as nestbench reads a LAVA job's log, through the real frame decoder.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "stack/armour.h"
#include "stack/frame.h"

/* What the agent's console would carry: frames armoured, kernel noise between lines. */
static char *console_of(const char *payload, size_t plen, size_t *len)
{
	FILE *f = tmpfile();
	char *buf;
	long n;

	assert_non_null(f);
	nb_frame_armour_fd(fileno(f));
	assert_int_equal(nb_frame_write(fileno(f), NB_F_STATUS, 0, "L0: booting", 11), 0);
	assert_int_equal(write(fileno(f), "[    1.234] virtio_blk virtio1: [vdb] 8 512-byte sectors\r\n", 58), 58);
	assert_int_equal(nb_frame_write(fileno(f), NB_F_FILE, 1, payload, plen), 0);
	assert_int_equal(nb_frame_write(fileno(f), NB_F_DONE, 0, "level=0\n", 8), 0);
	nb_frame_armour_fd(-1);
	n = lseek(fileno(f), 0, SEEK_END);
	buf = malloc(n + 1);
	assert_int_equal(pread(fileno(f), buf, n, 0), n);
	buf[n] = '\0';
	fclose(f);
	*len = n;
	return buf;
}

/* Feed every armoured line; returns the frames decoded, counts damaged lines. */
static int read_console(char *text, struct nb_decoder *d, struct nb_frame *out, int max, int *damaged)
{
	uint8_t bytes[NB_ARMOUR_CHUNK];
	char *line, *save = NULL;
	int n, got = 0;

	*damaged = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		n = nb_armour_decode(line, strlen(line), bytes);
		*damaged += n == -EINVAL;
		if (n > 0)
			nb_decoder_feed(d, bytes, n);
		while (got < max && nb_decoder_next(d, &out[got]))
			got++;
	}
	return got;
}

static char *big_payload(size_t n)
{
	char *p = malloc(n);
	size_t i;

	strcpy(p, "trace-L0-rep1.dat");
	for (i = 18; i < n; i++)
		p[i] = (char)(i * 131 + 7);
	return p;
}

static void roundtrip_big_frame(void **state)
{
	size_t len, plen = 100000;
	char *payload = big_payload(plen), *text = console_of(payload, plen, &len);
	struct nb_decoder *d = nb_decoder_create();
	struct nb_frame f[4];
	char *p;
	int damaged, got;

	for (p = text; (p = strstr(p, "NBF1 ")); p++)	/* every line short, whatever the frame */
		assert_true(strcspn(p, "\n") + 2 <= NB_ARMOUR_LINE);
	got = read_console(text, d, f, 4, &damaged);
	assert_int_equal(got, 3);
	assert_int_equal(damaged, 0);
	assert_string_equal(f[0].data, "L0: booting");
	assert_int_equal(f[1].type, NB_F_FILE);
	assert_int_equal(f[1].len, plen);
	assert_memory_equal(f[1].data, payload, plen);
	assert_int_equal(f[2].type, NB_F_DONE);
	assert_int_equal(f[1].seq, f[0].seq + 1);
	assert_int_equal(f[2].seq, f[1].seq + 1);
	assert_int_equal(nb_decoder_bad_crc(d), 0);
	for (got = 0; got < 3; got++)
		nb_frame_release(&f[got]);
	nb_decoder_free(d);
	free(text);
	free(payload);
}

/* A line damaged in transit loses the frame it carries, never the ones after it. */
static void damaged_line_loses_one_frame(void **state)
{
	size_t len, plen = 5000;
	char *payload = big_payload(plen), *text = console_of(payload, plen, &len), *p;
	struct nb_decoder *d = nb_decoder_create();
	struct nb_frame f[4];
	int damaged, got;

	/* the FILE frame's third line: one base64 character changed (still base64) */
	p = strstr(text, "\nNBF1 ");
	p = strstr(p + 1, "\nNBF1 ");
	p = strstr(p + 1, "\nNBF1 ");
	assert_non_null(p);
	p[40] = p[40] == 'A' ? 'B' : 'A';
	got = read_console(text, d, f, 4, &damaged);
	assert_int_equal(got, 2);
	assert_string_equal(f[0].data, "L0: booting");
	assert_int_equal(f[1].type, NB_F_DONE);
	assert_true(nb_decoder_bad_crc(d) >= 1);
	nb_frame_release(&f[0]);
	nb_frame_release(&f[1]);
	nb_decoder_free(d);
	free(text);
	free(payload);
}

/* A kernel message printed into the middle of a line: refused here, the frame lost, the next kept. */
static void interleaved_message(void **state)
{
	size_t len, plen = 2000;
	char *payload = big_payload(plen), *text = console_of(payload, plen, &len), *mixed, *p;
	struct nb_decoder *d = nb_decoder_create();
	struct nb_frame f[4];
	int damaged, got;

	p = strstr(strstr(text, "\nNBF1 ") + 1, "\nNBF1 ");	/* the FILE frame's first line */
	assert_non_null(p);
	assert_true(asprintf(&mixed, "%.*s[   2.5] random: crng init done%s", (int)(p - text + 30), text,
			     p + 30) > 0);
	got = read_console(mixed, d, f, 4, &damaged);
	assert_int_equal(damaged, 1);
	assert_int_equal(got, 2);
	assert_int_equal(f[1].type, NB_F_DONE);
	nb_frame_release(&f[0]);
	nb_frame_release(&f[1]);
	nb_decoder_free(d);
	free(mixed);
	free(text);
	free(payload);
}

static void strict_lines(void **state)
{
	static const struct { const char *line; int ret; const char *bytes; } cases[] = {
		{ "NBF1 QUJD", 3, "ABC" },
		{ "NBF1 QUI=\r\n", 2, "AB" },
		{ "[ 3.0] x NBF1 QQ==", 1, "A" },	/* a prefix before the armour: still one line of it */
		{ "NBF1 ", -EINVAL, NULL },
		{ "NBF1 QUJ", -EINVAL, NULL },		/* not a whole group */
		{ "NBF1 Q=Q=", -EINVAL, NULL },		/* padding inside */
		{ "NBF1 QQ==QUJD", -EINVAL, NULL },	/* padding before the end */
		{ "NBF1 QU!D", -EINVAL, NULL },
		{ "NBF1 QUJD junk", -EINVAL, NULL },
		{ "nbagent: end of boot", -ENOENT, NULL },
		{ "NBF0 QUJD", -ENOENT, NULL },
	};
	uint8_t out[NB_ARMOUR_CHUNK];
	char line[NB_ARMOUR_LINE + 8];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(nb_armour_decode(cases[i].line, strlen(cases[i].line), out), cases[i].ret);
		if (cases[i].bytes)
			assert_memory_equal(out, cases[i].bytes, cases[i].ret);
	}
	memset(out, 'x', sizeof(out));
	nb_armour_line(out, sizeof(out), line);
	assert_int_equal(nb_armour_decode(line, strlen(line), out), NB_ARMOUR_CHUNK);
	line[strlen(line) - 1] = '\0';
	strcat(line, "QUJD");	/* one group too many */
	assert_int_equal(nb_armour_decode(line, strlen(line), out), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrip_big_frame),
		cmocka_unit_test(damaged_line_loses_one_frame),
		cmocka_unit_test(interleaved_message),
		cmocka_unit_test(strict_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
