// SPDX-License-Identifier: GPL-2.0
/*
 * On an arm64 host L0 is the running kernel: an arm whose L0 kernel is not
 * the one the host booted would measure the wrong kernel. A kernel Image
 * (uncompressed, as arm64 boots it) carries its linux_banner verbatim, and
 * /proc/version prints that same banner: release, builder, compiler, build
 * number and time. The Image holding the running banner is the running kernel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench/hostkernel.h"
#include "stack/util.h"

int nb_kernel_is_running(const char *image, const char *proc_version, char *banner, size_t len)
{
	size_t ilen, vlen;
	char *img, *ver = nb_read_file(proc_version, &vlen);
	int ret;

	if (!ver)
		return -errno;
	vlen = strcspn(ver, "\n");	/* the banner's own newline is in the Image too; not needed */
	ver[vlen] = '\0';
	snprintf(banner, len, "%s", ver);
	img = vlen >= 16 ? nb_read_file(image, &ilen) : NULL;
	if (!img) {
		ret = vlen < 16 ? -EINVAL : -errno;
		free(ver);
		return ret;
	}
	ret = memmem(img, ilen, ver, vlen) ? 1 : 0;
	free(img);
	free(ver);
	return ret;
}
