/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_STATS_PERFTAB_H
#define NB_STATS_PERFTAB_H

#include <stdio.h>

struct nb_results;

/*
 * The report's table of perf counts per I/O (collect/perfstat.h): for each
 * emulating level and each perf row of the counter table (plus nested
 * transitions), the mean over each arm's timing repetitions whose counts
 * are whole (L<n>.damaged 0), base first, and the difference. Nothing when
 * no timing repetition was counted by perf. An arm64 host's L0 also has
 * PMU rows (cycles, instructions); pmu says whose PMU that is (hardware or
 * not), in one line under them. Every directory of r: its variants as r
 * names them.
 */
void nb_report_perf_counts(FILE *f, const struct nb_results *r, const char *pmu);

#endif
