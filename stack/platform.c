// SPDX-License-Identifier: GPL-2.0
/* The platform table (stack/platform.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "stack/platform.h"

#ifndef KVM_CAP_ARM_EL2
#define KVM_CAP_ARM_EL2 240
#endif

static int probe_nv(void)
{
	struct utsname u;
	int fd, ret = 0;

	if (uname(&u) || strcmp(u.machine, "aarch64"))
		return 0;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		ret = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL2) > 0;
		close(fd);
	}
	return ret;
}

int nb_platform_host_nv(void)
{
	static int nv = -1;

	if (nv < 0)
		nv = probe_nv();
	return nv;
}

static int emulated_available(char *why, size_t len)
{
	return 1;
}

static int host_available(char *why, size_t len)
{
	if (nb_platform_host_nv())
		return 1;
	snprintf(why, len, "platform host needs an arm64 machine whose /dev/kvm has KVM_CAP_ARM_EL2 "
		 "(booted with kvm-arm.mode=nested); this one has not.\n  fix: use --platform emulated");
	return 0;
}

static const struct nb_platform platforms[NB_PLATFORMS] = {
	[NB_PLATFORM_EMULATED] = {
		.id = NB_PLATFORM_EMULATED, .name = "emulated",
		.what = "L0 is an arm64 machine QEMU TCG emulates here, with FEAT_NV2",
		.available = emulated_available, .l0_guest = 1, .side_by_side = 1,
		.not_hardware = "emulated: not hardware numbers",
	},
	[NB_PLATFORM_HOST] = {
		.id = NB_PLATFORM_HOST, .name = "host",
		.what = "L0 is this arm64 machine (KVM_CAP_ARM_EL2)",
		.available = host_available, .own_clock = 1, .hardware = 1, .host_machine = 1,
		.not_hardware = "virtual host: not hardware numbers",
	},
};

const char *const nb_platform_names[] = { "auto", "emulated", "host", NULL };

const struct nb_platform *nb_platform(int id)
{
	return id > NB_PLATFORM_AUTO && id < NB_PLATFORMS ? &platforms[id] : NULL;
}

const struct nb_platform *nb_platform_find(const char *name)
{
	int i;

	for (i = NB_PLATFORM_AUTO + 1; i < NB_PLATFORMS; i++)
		if (!strcmp(platforms[i].name, name))
			return &platforms[i];
	return NULL;
}

int nb_platform_resolve(int *id, char *why, size_t len)
{
	static const int preference[] = { NB_PLATFORM_HOST, NB_PLATFORM_EMULATED };
	size_t i;

	if (*id != NB_PLATFORM_AUTO)
		return nb_platform(*id) && nb_platform(*id)->available(why, len) ? 0 : -ENODEV;
	for (i = 0; i < sizeof(preference) / sizeof(preference[0]); i++)
		if (platforms[preference[i]].available(why, len)) {
			*id = preference[i];
			return 0;
		}
	return -ENODEV;
}
