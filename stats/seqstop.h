/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_SEQSTOP_H
#define NB_SEQSTOP_H

/*
 * The experiment's early stop, the one function the experiment loop and the
 * simulation call: loads results directory dir and says whether the widest
 * CI half-width (percentage points) of the primary clock's change, over
 * the variants, is <= target. Returns 1 stop, 0 go on (an arm below 2 boots,
 * an unbounded CI, a disturbed clock, or wider than target), -errno when dir
 * cannot be read; *hw the half-width (-1 while unknown).
 */
int nb_seq_stop(const char *dir, double target, double *hw);

#endif
