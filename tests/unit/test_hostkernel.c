// SPDX-License-Identifier: GPL-2.0
/* An arm's L0 kernel is the running host kernel exactly when its Image holds /proc/version's banner. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/hostkernel.h"
#include "stack/util.h"

#define BANNER "Linux version 7.2.12 (nb@build) (aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0) #1 SMP Mon Nov 23 23:30:00 UTC 2026"

static void put(const char *path, const void *data, size_t len)
{
	assert_int_equal(nb_write_file(path, data, len), 0);
}

static void banner_match(void **state)
{
	static const struct { const char *version; int want; } t[] = {
		{ BANNER "\n", 1 },
		{ BANNER, 1 },
		{ "Linux version 7.2.12 (nb@build) (aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0) #2 SMP Mon Nov 23 23:30:00 UTC 2026\n", 0 },	/* another build */
		{ "Linux version 6.18.0\n", 0 },
		{ "short\n", -22 },	/* too short to be a banner: never a match by accident */
	};
	char img[] = "/tmp/nb-test-image.XXXXXX", ver[] = "/tmp/nb-test-version.XXXXXX", got[512];
	char image[4096];
	unsigned int i;
	int fd;

	memset(image, 0x5a, sizeof(image));
	memcpy(image + 1000, BANNER "\n", strlen(BANNER) + 1);
	image[0] = '\0';	/* binary data around it */
	assert_true((fd = mkstemp(img)) >= 0);
	close(fd);
	assert_true((fd = mkstemp(ver)) >= 0);
	close(fd);
	put(img, image, sizeof(image));
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		put(ver, t[i].version, strlen(t[i].version));
		assert_int_equal(nb_kernel_is_running(img, ver, got, sizeof(got)), t[i].want);
		assert_int_equal(strncmp(got, t[i].version, strcspn(t[i].version, "\n")), 0);
	}
	assert_true(nb_kernel_is_running("/nonexistent/Image", ver, got, sizeof(got)) < 0);
	unlink(img);
	unlink(ver);
}

/* A fake sysroot: the device tree's compatible (NUL-separated) and cpu0's MIDR_EL1, either absent. */
static void sysroot_make(const char *root, const char *compat, size_t clen, const char *midr)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/proc/device-tree", root);
	assert_int_equal(nb_mkdir_p(path), 0);
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/cpu0/regs/identification", root);
	assert_int_equal(nb_mkdir_p(path), 0);
	snprintf(path, sizeof(path), "%s/proc/device-tree/compatible", root);
	unlink(path);
	if (compat)
		put(path, compat, clen);
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/cpu0/regs/identification/midr_el1", root);
	unlink(path);
	if (midr)
		put(path, midr, strlen(midr));
}

static void host_virtual(void **state)
{
	static const struct { const char *compat; size_t clen; const char *midr; int want; const char *says; } t[] = {
		{ "linux,dummy-virt", 17, "0x00000000000f0510\n", 1, "QEMU virt board, MIDR_EL1 0xf0510 (implementer 0" },
		{ "linux,dummy-virt", 17, "0x00000000413fd0c1\n", 1, "QEMU virt board, MIDR_EL1 0x413fd0c1" },	/* KVM guest on hardware */
		{ NULL, 0, "0x00000000000f0510\n", 1, "MIDR_EL1 0xf0510 (implementer 0" },		/* ACPI boot: no device tree */
		{ "amazon,al-graviton\0arm,vexpress", 31, "0x00000000413fd0c1\n", 0, "MIDR_EL1 0x413fd0c1" },
		{ NULL, 0, "0x413fd0c1\n", 0, "MIDR_EL1 0x413fd0c1" },
		{ NULL, 0, "413fd0c1\n", -2, "" },		/* not sysfs's format: nothing known */
		{ NULL, 0, "0x00000000000f0510junk\n", -2, "" },
		{ NULL, 0, NULL, -2, "" },
	};
	char root[] = "/tmp/nb-test-sysroot.XXXXXX", what[256];
	unsigned int i;

	assert_non_null(mkdtemp(root));
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		sysroot_make(root, t[i].compat, t[i].clen, t[i].midr);
		assert_int_equal(nb_host_virtual(root, what, sizeof(what)), t[i].want);
		assert_int_equal(strncmp(what, t[i].says, strlen(t[i].says)), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(banner_match),
		cmocka_unit_test(host_virtual),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
