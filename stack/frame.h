/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The channel between levels: a byte stream (a virtio-serial port in a
 * guest, a UNIX socket on the other side of QEMU) carrying frames
 *
 *	magic "NBF1" | type u16 | level u8 | flags u8 | len u32 | seq u32 | crc u32 | payload
 *
 * all little-endian, crc = crc32 (zlib) of the header with crc=0 followed by
 * the payload. Frames from the innermost guest are relayed up unchanged, so
 * `level` always names the level that produced a frame. A reader that finds
 * garbage, a bad checksum or a truncated frame counts it and resynchronises
 * on the next magic: a corrupted result is reported, never taken as data.
 */
#ifndef NB_FRAME_H
#define NB_FRAME_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define NB_FRAME_MAGIC	0x3146424eu	/* "NBF1" */
#define NB_FRAME_HDR	20
#define NB_FRAME_MAX	(64u << 20)

enum nb_frame_type {
	NB_F_CONFIG = 1,	/* down: the plan, key=value lines */
	NB_F_HELLO,		/* up: agent of `level` is running; payload key=value */
	NB_F_STATUS,		/* up: heartbeat / what a level is doing (text) */
	NB_F_CONSOLE,		/* up: console bytes of `level` (captured by its parent) */
	NB_F_MARK,		/* up: "start REP MODE" / "end REP MODE" from the workload */
	NB_F_STAMP,		/* up: a level's clock reading of a MARK: "start REP NS" */
	NB_F_FILE,		/* up: name '\0' contents (fio JSON, trace data, logs) */
	NB_F_FAIL,		/* up: key=value: level, reason, detail */
	NB_F_DONE,		/* up: `level` finished every repetition */
	NB_F_BOOT,		/* up: key=value timings of a child's boot/teardown */
	NB_F_ARM,		/* down: every tracer above is armed for rep N */
	NB_F_TYPE_MAX,
};

struct nb_frame {
	uint16_t type;
	uint8_t level;
	uint8_t flags;
	uint32_t len;
	uint32_t seq;
	char *data;		/* len bytes, NUL-terminated for convenience */
};

const char *nb_frame_type_name(unsigned int type);

/* Encode into buf (NB_FRAME_HDR + len bytes). Returns the frame size. */
size_t nb_frame_encode(void *buf, unsigned int type, unsigned int level,
		       uint32_t seq, const void *data, uint32_t len);

/* Write one whole frame to fd (retrying short writes). Returns 0 or -errno. */
int nb_frame_write(int fd, unsigned int type, unsigned int level,
		   const void *data, uint32_t len);
/*
 * From now on, frames written to fd go out armoured, as text lines
 * (stack/armour.h): fd is a console (-1: none). Every writer of frames to
 * the parent (agent_send, the relay) is unchanged.
 */
void nb_frame_armour_fd(int fd);
int nb_frame_vwritef(int fd, unsigned int type, unsigned int level,
		     const char *fmt, va_list ap);
int nb_frame_writef(int fd, unsigned int type, unsigned int level,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Incremental decoder. Feed it bytes as they arrive; take frames out with
 * nb_decoder_next(). The decoder owns its buffer; frames returned belong to
 * the caller (free with nb_frame_release()).
 */
struct nb_decoder;

struct nb_decoder *nb_decoder_create(void);
void nb_decoder_free(struct nb_decoder *d);
int nb_decoder_feed(struct nb_decoder *d, const void *buf, size_t len);
/* 1: a frame in *f; 0: need more bytes; never fails (bad input is counted) */
int nb_decoder_next(struct nb_decoder *d, struct nb_frame *f);
/* Bytes skipped while resynchronising, damaged frames (a bad crc, or a
 * damaged length found when an intact frame starts inside its declared
 * payload), and whether bytes are pending at end of stream (a truncated frame). */
uint64_t nb_decoder_skipped(const struct nb_decoder *d);
uint64_t nb_decoder_bad_crc(const struct nb_decoder *d);
size_t nb_decoder_pending(const struct nb_decoder *d);

void nb_frame_release(struct nb_frame *f);

/* key=value payload helpers: find `key` in "k=v\n..." text. */
int nb_kv_get(const char *text, const char *key, char *out, size_t outlen);
long long nb_kv_get_ll(const char *text, const char *key, long long dflt);

#endif
