/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_BUILTIN_H
#define NB_BUILTIN_H

#include <stdio.h>

/* One file per subcommand; each returns the process exit status. */
int cmd_run(int argc, char **argv);
int cmd_experiment(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_excount(int argc, char **argv);
int cmd_micro(int argc, char **argv);
int cmd_bisect(int argc, char **argv);
/* The micro table of DIR/<kernel>-depth<d>/reps.csv (bench/builtin-micro.c); 0 or -errno. */
int micro_table(FILE *f, const char *dir);

#endif
