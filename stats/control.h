/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_CONTROL_H
#define NB_CONTROL_H

#include <stdio.h>

#include "stats/results.h"

#define NB_CTL_UNDETECTED	1u	/* the CI holds 0, or excludes it on the other side */
#define NB_CTL_OUTSIDE		2u	/* the prediction is not inside the CI */

/* 0 when a control with this predicted change (%) and measured CI passes, else the NB_CTL_* that failed. */
unsigned int nb_control_judge(double pred_pct, const struct nb_interval *ci);

/*
 * For every positive-control variant the manifest names: its predicted
 * change of I/O time (from the nested ERETs L0 emulated and the known
 * cost of each) against the measured one and its 95% CI, and whether the
 * control passed (nb_control_judge()) or what failed.
 */
void nb_report_control(FILE *f, const struct nb_results *r);

#endif
