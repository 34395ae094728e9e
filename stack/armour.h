/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frame channel as text, for a console that is the only way out
 * (a LAVA job's serial line, docs/lab.md, route A): the byte stream of
 * frames (stack/frame.h) is cut into chunks, each printed as one line
 *
 *	NBF1 <base64 of up to NB_ARMOUR_CHUNK bytes of the stream>
 *
 * The reader decodes each line back into bytes and feeds them to the
 * ordinary frame decoder: a line LAVA or a kernel message mangled either
 * fails base64 here (counted, dropped) or fails the frame's CRC there, and
 * a lost line is a lost frame, reported as on the port. Lines stay short
 * (about 1 KiB) whatever the frame's size, so a console's line handling
 * never sees a megabyte line.
 */
#ifndef NB_ARMOUR_H
#define NB_ARMOUR_H

#include <stddef.h>
#include <stdint.h>

#define NB_ARMOUR_PREFIX	"NBF1 "
#define NB_ARMOUR_CHUNK		768	/* stream bytes per line: 1024 base64 characters */
#define NB_ARMOUR_LINE		(5 + 1024 + 2)	/* prefix, base64, "\n", NUL */

/* One line (prefix, base64, '\n', NUL) for len <= NB_ARMOUR_CHUNK bytes into out; its length. */
size_t nb_armour_line(const void *data, size_t len, char out[NB_ARMOUR_LINE]);
/* Write len bytes of frame stream to fd as lines. 0 or -errno. */
int nb_armour_write(int fd, const void *data, size_t len);
/*
 * One console line (no need for a NUL; a trailing "\r\n" is allowed): its
 * bytes into out (room for NB_ARMOUR_CHUNK). The number of bytes; -ENOENT
 * when the line carries no armour; -EINVAL when it does but is damaged
 * (bad base64, too long, junk after it).
 */
int nb_armour_decode(const char *line, size_t len, uint8_t *out);

#endif
