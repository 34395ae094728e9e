/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_PHASES_H
#define NB_PHASES_H

#include <stdio.h>

/*
 * The host-time breakdown of DIR's boots (phases.csv: seconds per phase,
 * per boot, mean over boots) and the experiment's wall time (sessions.csv).
 * Prints nothing for a file that is missing or unreadable: older results
 * directories have neither.
 */
void nb_report_phases(FILE *f, const char *dir);

#endif
