/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_COLLECT_PERFPARSE_H
#define NB_COLLECT_PERFPARSE_H

#include <stddef.h>

#include "collect/analyze.h"

/*
 * One level's perf stat output for one repetition (perf's -x, format, as
 * collect/perfstat.c has it written) into the perf rows of the counter
 * table in c, plus transitions. Untrusted text: every counter must be there
 * exactly once, as an unsigned number that fits; "<not counted>", an event
 * not in the table, a malformed line or the agent's NB_PERF_FAILED line is
 * an error. The hardware rows (an arm64 host's L0 only) may be absent or
 * "<not supported>": then they have no data (NB_COUNT_NONE). Returns 0, or -EINVAL with the reason in why.
 */
int nb_perf_parse(const char *text, int level, struct nb_counts *c, char *why, size_t whylen);

#endif
