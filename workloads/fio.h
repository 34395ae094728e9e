/* SPDX-License-Identifier: GPL-2.0 */
/* fio's host side: its JSON output, from the innermost guest (untrusted). */
#ifndef NB_WL_FIO_H
#define NB_WL_FIO_H

/* fio JSON -> the fio columns; 0 or -EINVAL */
struct fio_result { double runtime_ms, iops, ios, p50_us, p99_us; };
int fio_parse(const char *json, struct fio_result *out);
/* The same for job `idx` (0..) of a JSON holding several (one per repetition). */
int fio_parse_job(const char *json, int idx, struct fio_result *out);

#endif
