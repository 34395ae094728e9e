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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(banner_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
