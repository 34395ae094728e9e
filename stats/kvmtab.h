/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_STATS_KVMTAB_H
#define NB_STATS_KVMTAB_H

#include <stdio.h>

struct nb_results;

/*
 * The report's table of L0's KVM exits by reason (kvmexits.csv, perf kvm
 * stat over exit repetitions): per I/O, the mean over each arm's exit
 * repetitions that perf counted whole, base first, the difference,
 * the most frequent reasons and the rest summed. whose says whose exits they
 * are (hardware or not), in one line. Nothing when no repetition was counted.
 * Every directory of r that has a kvmexits.csv: its variants as r names them.
 */
void nb_report_kvm_exits(FILE *f, const struct nb_results *r, const char *whose);

#endif
