// SPDX-License-Identifier: GPL-2.0
/*
 * On an arm64 host L0 is the running kernel: an arm whose L0 kernel is not
 * the one the host booted would measure the wrong kernel. A kernel Image
 * (uncompressed, as arm64 boots it) carries its linux_banner verbatim, and
 * /proc/version prints that same banner: release, builder, compiler, build
 * number and time. The Image holding the running banner is the running kernel.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
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

static void append(char *what, size_t len, const char *fmt, ...)
{
	size_t n = strlen(what);
	va_list ap;

	va_start(ap, fmt);
	if (n < len)
		vsnprintf(what + n, len - n, fmt, ap);
	va_end(ap);
}

/* QEMU's -cpu max (TCG) reports implementer 0, which no hardware uses. */
static void describe_midr(const char *sysroot, char *what, size_t len, int *virt, int *seen)
{
	char path[512], *s;
	uint64_t midr;

	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/cpu0/regs/identification/midr_el1", sysroot);
	s = nb_read_file(path, NULL);
	if (!s)
		return;
	s[strcspn(s, "\n")] = '\0';
	if (!nb_parse_hex_u64(s, &midr)) {
		*seen = 1;
		*virt |= (midr >> 24 & 0xff) == 0;
		append(what, len, "%sMIDR_EL1 %#llx%s", *what ? ", " : "", (unsigned long long)midr,
			    (midr >> 24 & 0xff) == 0 ? " (implementer 0: an emulated CPU, QEMU TCG)" : "");
	}
	free(s);
}

/* QEMU's virt board names itself in the device tree's root compatible. */
static void describe_board(const char *sysroot, char *what, size_t len, int *virt, int *seen)
{
	char path[512], *s;
	size_t n;

	snprintf(path, sizeof(path), "%s/proc/device-tree/compatible", sysroot);
	s = nb_read_file(path, &n);
	if (!s)
		return;
	*seen = 1;
	if (memmem(s, n, "linux,dummy-virt", 16)) {
		*virt = 1;
		append(what, len, "%sQEMU virt board", *what ? ", " : "");
	}
	free(s);
}

int nb_host_virtual(const char *sysroot, char *what, size_t len)
{
	int virt = 0, seen = 0;

	*what = '\0';
	describe_board(sysroot, what, len, &virt, &seen);
	describe_midr(sysroot, what, len, &virt, &seen);
	if (!seen)
		return -ENOENT;
	return virt;
}
