/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The block a reviewer pastes into a mail (`nestbench report --mail`, and
 * the first screen of report.txt): at most NB_MAIL_LINES lines of at most
 * NB_MAIL_COLS columns, in the style of mmtests' compare-kernels, lkp's
 * %change and benchstat's '~':
 *
 *   EMULATED: QEMU TCG arm64, not hardware numbers; icount clock
 *   nv-fp-eret: fio, depth 3; boots per arm: base 3, patched 3
 *     base     7.2.12 + revert-nv-fp-eret.patch (1a20dac9174a)
 *     patched  7.2.12, no patch
 *   boots: mean +-SD           base       patched delta (95% CI)
 *   io time [ms]        2941 +-2.8%   2779 +-1.8% -5.5% (-10.5..-0.2)
 *   L1.transitions      3065 +-5.4%    3017 +-12% ~ -1.5% (-20.2..+21.4)
 *   claim -10% io_ns: patched -5.5% (-10.5..-0.2): held, inside CI
 *
 * One row per primary metric and per explaining counter (collect/counters.c's
 * explain column) at every level: the mean of boot means +- the SD of boot
 * means (% of the mean), the boot-level change and its CI as report.txt's
 * verdict has them, '~' in front when it is not significant. Too many rows
 * for the budget: the last line says how many report.txt has besides.
 */
#ifndef NB_MAIL_H
#define NB_MAIL_H

#include <stdio.h>

#include "stats/results.h"

#define NB_MAIL_LINES	15
#define NB_MAIL_COLS	72

void nb_write_mail(FILE *f, const struct nb_results *r);

#endif
