// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "stack/armour.h"
#include "stack/frame.h"
#include "stack/util.h"

static const char *const type_names[NB_F_TYPE_MAX] = {
	[NB_F_CONFIG] = "config", [NB_F_HELLO] = "hello",
	[NB_F_STATUS] = "status", [NB_F_CONSOLE] = "console",
	[NB_F_MARK] = "mark", [NB_F_STAMP] = "stamp", [NB_F_FILE] = "file",
	[NB_F_FAIL] = "fail", [NB_F_DONE] = "done", [NB_F_BOOT] = "boot", [NB_F_ARM] = "arm",
};

const char *nb_frame_type_name(unsigned int type)
{
	if (type >= NB_F_TYPE_MAX || !type_names[type])
		return "unknown";
	return type_names[type];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t frame_crc(const uint8_t *hdr, const void *data, uint32_t len)
{
	uint8_t h[NB_FRAME_HDR];
	uLong crc;

	memcpy(h, hdr, sizeof(h));
	put32(h + 16, 0);
	crc = crc32(0L, h, sizeof(h));
	return crc32(crc, data, len);
}

size_t nb_frame_encode(void *buf, unsigned int type, unsigned int level,
		       uint32_t seq, const void *data, uint32_t len)
{
	uint8_t *p = buf;

	put32(p, NB_FRAME_MAGIC);
	p[4] = type; p[5] = type >> 8; p[6] = level; p[7] = 0;
	put32(p + 8, len);
	put32(p + 12, seq);
	memcpy(p + NB_FRAME_HDR, data, len);
	put32(p + 16, frame_crc(p, data, len));
	return NB_FRAME_HDR + len;
}

static int armoured_fd = -1;

void nb_frame_armour_fd(int fd)
{
	armoured_fd = fd;
}

int nb_frame_write(int fd, unsigned int type, unsigned int level,
		   const void *data, uint32_t len)
{
	static uint32_t seq;
	uint8_t *buf;
	size_t n;
	int ret;

	if (len > NB_FRAME_MAX)
		return -EMSGSIZE;
	buf = malloc(NB_FRAME_HDR + len);
	if (!buf)
		return -ENOMEM;
	n = nb_frame_encode(buf, type, level, seq++, data, len);
	ret = fd >= 0 && fd == armoured_fd ? nb_armour_write(fd, buf, n) : nb_write_all(fd, buf, n);
	free(buf);
	return ret;
}

int nb_frame_vwritef(int fd, unsigned int type, unsigned int level,
		     const char *fmt, va_list ap)
{
	char *s;
	int n, ret;

	n = vasprintf(&s, fmt, ap);
	if (n < 0)
		return -ENOMEM;
	ret = nb_frame_write(fd, type, level, s, n);
	free(s);
	return ret;
}

int nb_frame_writef(int fd, unsigned int type, unsigned int level,
		    const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = nb_frame_vwritef(fd, type, level, fmt, ap);
	va_end(ap);
	return ret;
}

#define NB_CANDIDATES 8

/*
 * While a frame's payload is pending, the bytes after its header are
 * watched for the magic of an intact frame (scan: how far they have been
 * looked at; cand: magics whose frame is not complete yet). An intact frame
 * inside the declared payload means the length was damaged: a stalled
 * decoder would never deliver the frames behind it.
 */
struct nb_decoder {
	uint8_t *buf;
	size_t len, cap;
	size_t scan, cand[NB_CANDIDATES];
	int ncand;
	uint64_t skipped, bad_crc;
};

struct nb_decoder *nb_decoder_create(void)
{
	return calloc(1, sizeof(struct nb_decoder));
}

void nb_decoder_free(struct nb_decoder *d)
{
	if (!d)
		return;
	free(d->buf);
	free(d);
}

int nb_decoder_feed(struct nb_decoder *d, const void *buf, size_t len)
{
	if (d->len + len > d->cap) {
		size_t cap = (d->len + len) * 2;
		uint8_t *nbuf = realloc(d->buf, cap);

		if (!nbuf)
			return -ENOMEM;
		d->buf = nbuf;
		d->cap = cap;
	}
	memcpy(d->buf + d->len, buf, len);
	d->len += len;
	return 0;
}

static void consume(struct nb_decoder *d, size_t n)
{
	if (n)	/* a decoder nothing was fed yet has no buffer: NULL + 0 is undefined */
		memmove(d->buf, d->buf + n, d->len - n);
	d->len -= n;
	d->scan = 0;
	d->ncand = 0;
}

/* Drop bytes up to the next possible magic. */
static void resync(struct nb_decoder *d, size_t from)
{
	size_t i;

	for (i = from; i + 4 <= d->len; i++)
		if (get32(d->buf + i) == NB_FRAME_MAGIC)
			break;
	if (i + 4 > d->len)	/* keep a tail that may start a magic */
		i = d->len > 3 ? d->len - 3 : 0;
	d->skipped += i;
	consume(d, i);
}

static int take_frame(struct nb_decoder *d, struct nb_frame *f, uint32_t len)
{
	f->type = d->buf[4] | d->buf[5] << 8;
	f->level = d->buf[6];
	f->flags = d->buf[7];
	f->len = len;
	f->seq = get32(d->buf + 12);
	f->data = malloc(len + 1);
	if (!f->data)
		return 0;
	memcpy(f->data, d->buf + NB_FRAME_HDR, len);
	f->data[len] = '\0';
	consume(d, NB_FRAME_HDR + len);
	return 1;
}

/* 1: an intact frame at off; 0: not a frame; -1: cannot tell yet (incomplete). */
static int frame_at(const struct nb_decoder *d, size_t off)
{
	const uint8_t *p = d->buf + off;
	uint32_t len;

	if (off + NB_FRAME_HDR > d->len)
		return get32(p) == NB_FRAME_MAGIC ? -1 : 0;
	len = get32(p + 8);
	if (get32(p) != NB_FRAME_MAGIC || len > NB_FRAME_MAX)
		return 0;
	if (off + NB_FRAME_HDR + len > d->len)
		return -1;
	return get32(p + 16) == frame_crc(p, p + NB_FRAME_HDR, len);
}

/* Offset of an intact frame after the pending header, or 0; each byte is looked at once. */
static size_t later_frame(struct nb_decoder *d)
{
	int i, n = 0, r;

	for (i = 0; i < d->ncand; i++) {	/* magics seen before: complete now? */
		r = frame_at(d, d->cand[i]);
		if (r > 0)
			return d->cand[i];
		if (r < 0)
			d->cand[n++] = d->cand[i];
	}
	d->ncand = n;
	for (d->scan = d->scan ? d->scan : 1; d->scan + 4 <= d->len; d->scan++) {
		r = frame_at(d, d->scan);
		if (r > 0)
			return d->scan;
		if (r < 0 && d->ncand < NB_CANDIDATES)
			d->cand[d->ncand++] = d->scan;
	}
	return 0;
}

/* The pending frame's length was damaged: drop it up to the intact frame at off. */
static void skip_damaged(struct nb_decoder *d, size_t off)
{
	d->bad_crc++;
	d->skipped += off;
	consume(d, off);
}

int nb_decoder_next(struct nb_decoder *d, struct nb_frame *f)
{
	uint32_t len;
	size_t off;

	for (;;) {
		resync(d, 0);
		if (d->len < NB_FRAME_HDR)
			return 0;
		len = get32(d->buf + 8);
		if (len > NB_FRAME_MAX) {
			resync(d, 1);
			continue;
		}
		if (d->len < NB_FRAME_HDR + len) {
			off = later_frame(d);
			if (!off)
				return 0;
			skip_damaged(d, off);
			continue;
		}
		if (get32(d->buf + 16) == frame_crc(d->buf, d->buf + NB_FRAME_HDR, len))
			return take_frame(d, f, len);
		d->bad_crc++;
		resync(d, 1);
	}
}

uint64_t nb_decoder_skipped(const struct nb_decoder *d) { return d->skipped; }
uint64_t nb_decoder_bad_crc(const struct nb_decoder *d) { return d->bad_crc; }
size_t nb_decoder_pending(const struct nb_decoder *d) { return d->len; }

void nb_frame_release(struct nb_frame *f)
{
	free(f->data);
	f->data = NULL;
}

int nb_kv_get(const char *text, const char *key, char *out, size_t outlen)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			const char *v = p + klen + 1;
			size_t n = strcspn(v, "\n");

			if (n >= outlen)
				n = outlen - 1;
			memcpy(out, v, n);
			out[n] = '\0';
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -ENOENT;
}

long long nb_kv_get_ll(const char *text, const char *key, long long dflt)
{
	char buf[64];
	long v;

	if (nb_kv_get(text, key, buf, sizeof(buf)) ||
	    nb_parse_long(buf, LONG_MIN, LONG_MAX, &v))
		return dflt;
	return v;
}
