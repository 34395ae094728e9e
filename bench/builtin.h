/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_BUILTIN_H
#define NB_BUILTIN_H

/* One file per subcommand; each returns the process exit status. */
int cmd_run(int argc, char **argv);
int cmd_experiment(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_excount(int argc, char **argv);

#endif
