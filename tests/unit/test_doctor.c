// SPDX-License-Identifier: GPL-2.0
/* nestbench doctor's parsers: QEMU's --version, /proc/cmdline, /proc/meminfo. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "bench/doctor.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Table: a --version text, what it parses to (or -EINVAL), and whether it passes 9.0 and 10.1. */
static void qemu_versions(void **state)
{
	static const struct {
		const char *text;
		int ret;
		unsigned major, minor, micro;
		int tcg_ok, kvm_ok;
	} cases[] = {
		{ "QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2+deb13u1~bpo12+1)\n"
		  "Copyright (c) 2003-2025 Fabrice Bellard and the QEMU Project developers\n", 0, 10, 0, 2, 1, 0 },
		{ "QEMU emulator version 11.1.3 (Debian 1:11.1.3+ds-1~bpo13+1)\n", 0, 11, 1, 3, 1, 1 },
		{ "QEMU emulator version 7.2.15 (Debian 1:7.2+dfsg-7+deb12u18)\n", 0, 7, 2, 15, 0, 0 },
		{ "QEMU emulator version 10.1.0\n", 0, 10, 1, 0, 1, 1 },
		{ "QEMU emulator version 9.0.0", 0, 9, 0, 0, 1, 0 },
		{ "QEMU emulator version 8.2", 0, 8, 2, 0, 0, 0 },
		{ "QEMU emulator version 9.1.50 (v9.1.0-1234-gdeadbeef)\n", 0, 9, 1, 50, 1, 0 },
		{ "", -EINVAL, 0, 0, 0, 0, 0 },
		{ "garbage\n", -EINVAL, 0, 0, 0, 0, 0 },
		{ "qemu-system-aarch64: command not found\n", -EINVAL, 0, 0, 0, 0, 0 },
		{ "QEMU emulator version \n", -EINVAL, 0, 0, 0, 0, 0 },
		{ "QEMU emulator version x.y.z\n", -EINVAL, 0, 0, 0, 0, 0 },
		{ "QEMU emulator version 10\n", -EINVAL, 0, 0, 0, 0, 0 },
		{ "QEMU emulator version 10.\n", -EINVAL, 0, 0, 0, 0, 0 },
		{ "QEMU emulator version 10.1.\n", -EINVAL, 0, 0, 0, 0, 0 },
		{ "QEMU emulator version -1.0.0\n", -EINVAL, 0, 0, 0, 0, 0 },
		{ "QEMU emulator version 10.1.0-rc1\n", -EINVAL, 0, 0, 0, 0, 0 },
		{ "QEMU emulator version 99999999999999999999.0.0\n", -EINVAL, 0, 0, 0, 0, 0 },
		{ " QEMU emulator version 10.1.0\n", -EINVAL, 0, 0, 0, 0, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct doctor_version v = { 77, 77, 77 };

		print_message("# case %zu: %.*s\n", i, (int)strcspn(cases[i].text, "\n"), cases[i].text);
		assert_int_equal(doctor_qemu_version(cases[i].text, &v), cases[i].ret);
		if (cases[i].ret) {
			assert_int_equal(v.major, 77);	/* untouched on error */
			continue;
		}
		assert_int_equal(v.major, cases[i].major);
		assert_int_equal(v.minor, cases[i].minor);
		assert_int_equal(v.micro, cases[i].micro);
		assert_int_equal(doctor_version_at_least(&v, 9, 0), cases[i].tcg_ok);
		assert_int_equal(doctor_version_at_least(&v, 10, 1), cases[i].kvm_ok);
	}
	assert_int_equal(doctor_qemu_version(NULL, &(struct doctor_version){ 0 }), -EINVAL);
}

/* Table: a worker's QEMU as LAVA records it (a Debian package version, or --version's word). */
static void pkg_versions(void **state)
{
	static const struct { const char *text; int ret; unsigned major, minor, micro; int nv2; } cases[] = {
		{ "1:10.0.2+ds-2+deb13u1~bpo12+1", 0, 10, 0, 2, 1 },	/* the lab's, bookworm-backports */
		{ "1:7.2+dfsg-7+deb12u7", 0, 7, 2, 0, 0 },		/* Debian 12's own: no FEAT_NV2 */
		{ "9.0.0", 0, 9, 0, 0, 1 },
		{ "8.2.2", 0, 8, 2, 2, 0 },
		{ "9.2~rc1", 0, 9, 2, 0, 1 },
		{ "", -EINVAL, 0, 0, 0, 0 },
		{ "1:", -EINVAL, 0, 0, 0, 0 },
		{ ":9.0", -EINVAL, 0, 0, 0, 0 },
		{ "1:10", -EINVAL, 0, 0, 0, 0 },
		{ "999:10.0", -EINVAL, 0, 0, 0, 0 },
		{ "10.0 junk", -EINVAL, 0, 0, 0, 0 },
		{ "1000.0.0", -EINVAL, 0, 0, 0, 0 },
		{ "v9.0.0", -EINVAL, 0, 0, 0, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct doctor_version v = { 77, 77, 77 };

		print_message("# case %zu: %s\n", i, cases[i].text);
		assert_int_equal(doctor_pkg_version(cases[i].text, &v), cases[i].ret);
		if (cases[i].ret) {
			assert_int_equal(v.major, 77);
			continue;
		}
		assert_int_equal(v.major, cases[i].major);
		assert_int_equal(v.minor, cases[i].minor);
		assert_int_equal(v.micro, cases[i].micro);
		assert_int_equal(doctor_version_at_least(&v, 9, 0), cases[i].nv2);
	}
	assert_int_equal(doctor_pkg_version(NULL, &(struct doctor_version){ 0 }), -EINVAL);
}

/* Table: a /proc/cmdline, and kvm-arm.mode's value on it (NULL: absent). */
static void cmdline_mode(void **state)
{
	static const struct { const char *cmdline, *mode; } cases[] = {
		{ "BOOT_IMAGE=/vmlinuz root=/dev/nvme0n1p1 ro kvm-arm.mode=nested quiet\n", "nested" },
		{ "root=/dev/vda ro kvm-arm.mode=nested\n", "nested" },		/* last word */
		{ "kvm-arm.mode=nested", "nested" },				/* only word, no newline */
		{ "root=/dev/vda kvm-arm.mode=nestedx\n", "nestedx" },	/* a prefix is not the value */
		{ "root=/dev/vda kvm-arm.mode=nvhe\n", "nvhe" },
		{ "kvm-arm.mode=nvhe kvm-arm.mode=nested\n", "nested" },	/* the last one wins */
		{ "kvm-arm.mode=nested kvm-arm.mode=protected\n", "protected" },
		{ "root=/dev/vda xkvm-arm.mode=nested\n", NULL },
		{ "root=/dev/vda kvm-arm.modex=nested\n", NULL },
		{ "root=/dev/vda kvm-arm.mode\n", NULL },
		{ "root=/dev/vda -- kvm-arm.mode=nested\n", NULL },		/* init's, not the kernel's */
		{ "kvm-arm.mode=nested -- kvm-arm.mode=nvhe\n", "nested" },
		{ "root=/dev/vda --foo kvm-arm.mode=nested\n", "nested" },
		{ "kvm-arm.mode=\"nested\"\n", "nested" },
		{ "\"kvm-arm.mode=nested\"\n", "nested" },
		{ "dyndbg=\"file a.c +p\" kvm-arm.mode=nested\n", "nested" },
		{ "dyndbg=\"kvm-arm.mode=nested\"\n", NULL },
		{ "\tkvm-arm.mode=nested\t\n", "nested" },
		{ "", NULL },
		{ "\n", NULL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char val[32] = "untouched";
		int ret = doctor_cmdline_param(cases[i].cmdline, "kvm-arm.mode", val, sizeof(val));

		print_message("# case %zu: %.*s\n", i, (int)strcspn(cases[i].cmdline, "\n"), cases[i].cmdline);
		assert_int_equal(ret, cases[i].mode ? 0 : -ENOENT);
		assert_string_equal(val, cases[i].mode ? cases[i].mode : "untouched");
	}
}

static void cmdline_long_value(void **state)
{
	char val[8];

	assert_int_equal(doctor_cmdline_param("kvm-arm.mode=nestednested", "kvm-arm.mode", val, sizeof(val)),
			 -ENAMETOOLONG);
	assert_int_equal(doctor_cmdline_param("kvm-arm.mode=nested", "kvm-arm.mode", val, sizeof(val)), 0);
	assert_string_equal(val, "nested");
}

/* Table: a /proc/meminfo text and MemAvailable in it (or the error). */
static void meminfo(void **state)
{
	static const struct { const char *text; int ret; uint64_t kib; } cases[] = {
		{ "MemTotal:       24683620 kB\nMemFree:         1016112 kB\nMemAvailable:   23788496 kB\n"
		  "Buffers:          437496 kB\n", 0, 23788496 },
		{ "MemAvailable: 0 kB", 0, 0 },
		{ "MemAvailable:\t\t512 kB\n", 0, 512 },
		{ "MemTotal:       24683620 kB\n", -ENOENT, 0 },
		{ "", -ENOENT, 0 },
		{ "MemAvailableX:  100 kB\n", -ENOENT, 0 },			/* another key */
		{ "XMemAvailable:  100 kB\n", -ENOENT, 0 },
		{ "  MemAvailable:  100 kB\n", -ENOENT, 0 },
		{ "MemAvailable:   abc kB\n", -EINVAL, 0 },
		{ "MemAvailable:   -5 kB\n", -EINVAL, 0 },
		{ "MemAvailable:   100\n", -EINVAL, 0 },				/* no unit */
		{ "MemAvailable:   100 MB\n", -EINVAL, 0 },
		{ "MemAvailable:   100 kBx\n", -EINVAL, 0 },
		{ "MemAvailable:   100kB\n", -EINVAL, 0 },
		{ "MemAvailable:   99999999999999999999999 kB\n", -EINVAL, 0 },	/* overflows */
		{ "MemAvailable:   17592186044417 kB\n", -EINVAL, 0 },		/* past 2^44 KiB */
		{ "MemAvailable:\n", -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t kib = 4242;

		print_message("# case %zu: %.*s\n", i, (int)strcspn(cases[i].text, "\n"), cases[i].text);
		assert_int_equal(doctor_meminfo_kib(cases[i].text, "MemAvailable", &kib), cases[i].ret);
		assert_int_equal(kib, cases[i].ret ? 4242 : cases[i].kib);
	}
}

/* The outermost guest's memory, plus QEMU's, per boot: L0 when emulated, L1 on a host. */
static void memory_need(void **state)
{
	struct nb_plan p;
	uint64_t l0, l1;

	nb_plan_defaults(&p, 2);
	l0 = doctor_mem_need_mib(&p, 1, 1);
	l1 = doctor_mem_need_mib(&p, 0, 1);
	assert_true(l0 > (uint64_t)p.lv[0].mem_mb);
	assert_true(l1 > (uint64_t)p.lv[1].mem_mb && l1 < l0);
	assert_int_equal(l0 - p.lv[0].mem_mb, l1 - p.lv[1].mem_mb);	/* one overhead per boot */
	assert_int_equal(doctor_mem_need_mib(&p, 1, 4), 4 * l0);
	p.lv[0].mem_mb = 8192;
	assert_int_equal(doctor_mem_need_mib(&p, 1, 1) - l0, 8192 - 3072);
	assert_int_equal(doctor_mem_need_mib(&p, 0, 1), l1);		/* L0 is the host: its size is not asked */
	nb_plan_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qemu_versions),
		cmocka_unit_test(pkg_versions),
		cmocka_unit_test(cmdline_mode),
		cmocka_unit_test(cmdline_long_value),
		cmocka_unit_test(meminfo),
		cmocka_unit_test(memory_need),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
