/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_PHASES_H
#define NB_PHASES_H

#include <stdio.h>

struct nb_results;

/*
 * The host-time breakdown of each directory's boots (phases.csv: seconds
 * per phase, per boot, mean over boots) and the experiment's wall time
 * (sessions.csv), as r read them. Prints nothing for a file that is missing
 * or unreadable: older results directories have neither.
 */
void nb_report_phases(FILE *f, const struct nb_results *r);

#endif
