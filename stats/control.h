/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_CONTROL_H
#define NB_CONTROL_H

#include <stdio.h>

#include "stats/results.h"

/*
 * For every positive-control variant the manifest names: its predicted
 * change of I/O time (from the nested ERETs L0 emulated and the known
 * cost of each) against the measured one and its 95% CI.
 */
void nb_report_control(FILE *f, const struct nb_results *r);

#endif
