// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench/run.h"
#include "stack/frame.h"
#include "stack/util.h"

int __images_get(const char *manifest, const char *key, char *out, size_t len)
{
	char *text = nb_read_file(manifest, NULL);
	int ret;

	if (!text)
		return -EIO;
	ret = nb_kv_get(text, key, out, len);
	free(text);
	return ret;
}

int images_get(const char *manifest, const char *key, char *out, size_t len)
{
	int ret = __images_get(manifest, key, out, len);

	if (ret == -EIO)
		fprintf(stderr, "nestbench: cannot read the images manifest %s\n"
			"  fix: run 'make images' (or ./run.sh) first, or pass --images FILE\n", manifest);
	else if (ret)
		fprintf(stderr, "nestbench: %s has no '%s'\n  fix: rebuild it with 'make images'\n",
			manifest, key);
	return ret;
}
