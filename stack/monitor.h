/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A QEMU human monitor (HMP) on a UNIX socket, for the few commands the host
 * gives the emulated L0's QEMU at run time (`logfile`, `log`). QEMU is the
 * server (`-monitor unix:PATH,server=on,wait=off`); each command waits for
 * the next prompt, with a time limit, so a command has taken effect when
 * nb_monitor_cmd returns. Whatever QEMU answers is kept as text for a
 * message, never interpreted further.
 */
#ifndef NB_MONITOR_H
#define NB_MONITOR_H

#include <stddef.h>

struct nb_monitor;

/* Connects (retrying up to timeout_ms while QEMU starts) and reads the banner. NULL: errno set. */
struct nb_monitor *nb_monitor_open(const char *path, int timeout_ms);
void nb_monitor_close(struct nb_monitor *m);
/*
 * Sends one command line (no newline, printable, no quotes) and waits up to
 * timeout_ms for the prompt. 0, -EINVAL (a line HMP would misread), -ETIMEDOUT,
 * -EPIPE (QEMU went away), or -EPROTO when QEMU printed anything but the
 * echo of the command (its text in reply, truncated).
 */
int nb_monitor_cmd(struct nb_monitor *m, const char *line, int timeout_ms,
		   char *reply, size_t len);

#endif
