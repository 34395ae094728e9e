// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/run.h"
#include "stack/frame.h"
#include "stack/util.h"
#include "workloads/workload.h"

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

int images_have_workload(const char *manifest, const char *workload)
{
	const struct nb_workload *w = nb_workload_find(workload);
	char val[256];

	if (!w || __images_get(manifest, w->rootfs_key, val, sizeof(val)) != -ENOENT)
		return 0;	/* an unreadable manifest is reported where the boot reads it */
	fprintf(stderr, "nestbench: workload %s is not in the root filesystem of %s (it has no '%s')\n"
		"  fix: rebuild the images with 'make images' (images/build-rootfs.sh puts it there)\n",
		workload, manifest, w->rootfs_key);
	return -ENOENT;
}

/* One key of the manifest that names a file: there, and the file readable. */
static int image_present(const char *manifest, const char *key)
{
	char path[4096];
	int ret = images_get(manifest, key, path, sizeof(path));

	if (ret)
		return ret;
	if (!access(path, R_OK))
		return 0;
	ret = -errno;
	fprintf(stderr, "nestbench: %s names %s for '%s': %s\n"
		"  fix: rebuild the images with 'make images' (the cache may have been cleaned)\n",
		manifest, path, key, strerror(-ret));
	return ret;
}

int images_check(const char *manifest, const struct nb_plan *p)
{
	char key[96];
	int l, ret = image_present(manifest, "rootfs");

	for (l = 0; !ret && l <= p->depth; l++) {
		snprintf(key, sizeof(key), "kernel.%s", p->lv[l].kernel);
		ret = image_present(manifest, key);
	}
	return ret ?: images_have_workload(manifest, p->workload);
}
