// SPDX-License-Identifier: GPL-2.0
/* Frames as console lines (stack/armour.h). */
#include <errno.h>
#include <string.h>

#include "stack/armour.h"
#include "stack/util.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t encode(const uint8_t *p, size_t len, char *out)
{
	size_t i, o = 0;
	uint32_t v;

	for (i = 0; i < len; i += 3) {
		v = p[i] << 16 | (i + 1 < len ? p[i + 1] << 8 : 0) | (i + 2 < len ? p[i + 2] : 0);
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < len ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? b64[v & 63] : '=';
	}
	return o;
}

size_t nb_armour_line(const void *data, size_t len, char out[NB_ARMOUR_LINE])
{
	size_t n = strlen(NB_ARMOUR_PREFIX);

	if (len > NB_ARMOUR_CHUNK)
		len = NB_ARMOUR_CHUNK;
	memcpy(out, NB_ARMOUR_PREFIX, n);
	n += encode(data, len, out + n);
	out[n++] = '\n';
	out[n] = '\0';
	return n;
}

/* One write per line: a line is never split between two writes that a kernel message could come between. */
int nb_armour_write(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;
	char line[NB_ARMOUR_LINE];
	size_t off, n;
	int ret;

	for (off = 0; off < len; off += n) {
		n = len - off < NB_ARMOUR_CHUNK ? len - off : NB_ARMOUR_CHUNK;
		ret = nb_write_all(fd, line, nb_armour_line(p + off, n, line));
		if (ret)
			return ret;
	}
	return 0;
}

static int sextet(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;

	return p ? (int)(p - b64) : -1;
}

/* A group of 4 characters: 1..3 bytes into out, or -EINVAL. '=' only as the last group's padding. */
static int group(const char *s, int last, uint8_t *out)
{
	int v[4], i, pad = 0;

	for (i = 0; i < 4; i++) {
		v[i] = sextet(s[i]);
		if (v[i] < 0 && !(last && s[i] == '=' && i >= 2 && (i == 3 || s[3] == '=')))
			return -EINVAL;
		pad += v[i] < 0;
	}
	out[0] = v[0] << 2 | v[1] >> 4;
	if (pad < 2)
		out[1] = (v[1] & 15) << 4 | v[2] >> 2;
	if (pad < 1)
		out[2] = (v[2] & 3) << 6 | v[3];
	return 3 - pad;
}

int nb_armour_decode(const char *line, size_t len, uint8_t *out)
{
	const char *p = memmem(line, len, NB_ARMOUR_PREFIX, strlen(NB_ARMOUR_PREFIX));
	size_t n, i;
	int o = 0, g;

	if (!p)
		return -ENOENT;
	p += strlen(NB_ARMOUR_PREFIX);
	n = len - (p - line);
	while (n && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	if (!n || n % 4 || n / 4 * 3 > NB_ARMOUR_CHUNK)
		return -EINVAL;
	for (i = 0; i < n; i += 4) {
		g = group(p + i, i + 4 == n, out + o);
		if (g < 0)
			return g;
		o += g;
	}
	return o;
}
