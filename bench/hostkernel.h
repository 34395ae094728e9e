/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_HOSTKERNEL_H
#define NB_HOSTKERNEL_H

#include <stddef.h>

/*
 * 1 when `image` is the running kernel (its banner is proc_version's first
 * line, byte for byte), 0 when it is another, -errno when either cannot be
 * read. The running banner goes to banner (for messages).
 */
int nb_kernel_is_running(const char *image, const char *proc_version, char *banner, size_t len);

#endif
