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

/*
 * Is this arm64 "host" a virtual machine (e.g. nestbench's host-in-a-box),
 * whose clock is then not hardware time? Looks under sysroot ("" for this
 * machine) at the device tree's root compatible (QEMU's virt board) and
 * cpu0's MIDR_EL1 (implementer 0: QEMU TCG's emulated CPU). Returns 1 when
 * it is, 0 when nothing says so, -ENOENT when neither can be read; what
 * gets the evidence.
 */
int nb_host_virtual(const char *sysroot, char *what, size_t len);

#endif
