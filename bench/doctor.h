/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nestbench doctor's pure parts, for the unit tests: every text they parse
 * (QEMU's --version, /proc/cmdline, /proc/meminfo) comes from outside and is
 * parsed strictly; a bad text is an error, never a crash or a guess.
 */
#ifndef NB_DOCTOR_H
#define NB_DOCTOR_H

#include <stddef.h>
#include <stdint.h>

#include "stack/plan.h"

enum doc_status { DOC_OK, DOC_WARN, DOC_MISS };

/*
 * Runs argv (never a shell), the start of its output into buf, with a
 * deadline of timeout_ms for its output and its exit alike (a probe that
 * closes its stdout and goes on is killed at the deadline). Its exit status
 * 0..255, 256 + the signal that killed it, -ETIMEDOUT or -errno.
 */
int doctor_capture(char *const argv[], char *buf, size_t len, int timeout_ms);
/* A failed doctor_capture's cause, for a MISS line: into text (its output's first line, or why). */
const char *doctor_capture_error(int ret, int timeout_ms, char *text, size_t len);
/* `NAME --version` found in PATH, within timeout_ms: OK with its first line, or MISS with the cause. */
enum doc_status doctor_probe_version(const char *name, int timeout_ms, char *out, size_t len);

struct doctor_version {
	unsigned major, minor, micro;
};

/* "QEMU emulator version X.Y[.Z]..." (first line) -> v; 0 or -EINVAL. */
int doctor_qemu_version(const char *text, struct doctor_version *v);
/*
 * A package's version as LAVA records a worker's QEMU ("1:10.0.2+ds-2~bpo12+1",
 * an epoch and Debian's revision around the upstream X.Y[.Z]; or "10.0.2"):
 * the upstream version -> v; 0 or -EINVAL.
 */
int doctor_pkg_version(const char *text, struct doctor_version *v);
/* 1 when v >= major.minor */
int doctor_version_at_least(const struct doctor_version *v, unsigned major, unsigned minor);

/*
 * The value of the kernel parameter `key` (e.g. "kvm-arm.mode") on a
 * /proc/cmdline: the last occurrence wins, as for the kernel's early
 * parameters; words after "--" belong to init and do not count.
 * 0, -ENOENT (absent) or -ENAMETOOLONG (value longer than len - 1).
 */
int doctor_cmdline_param(const char *cmdline, const char *key, char *val, size_t len);

/* `key` of a /proc/meminfo text, in KiB; 0, -ENOENT (no such line) or -EINVAL (malformed). */
int doctor_meminfo_kib(const char *text, const char *key, uint64_t *kib);

/*
 * MiB of host memory that `jobs` boots side by side need: the outermost
 * guest's memory (emulated: L0; host: L1, L0 being the host itself) plus
 * QEMU's own overhead, per boot. Deeper levels live inside that memory.
 */
uint64_t doctor_mem_need_mib(const struct nb_plan *p, int emulated, int jobs);

#endif
