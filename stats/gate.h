/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an experiment claims and what a CI job gates on, held against the
 * boot-level verdicts of a set of results (stats/results.h):
 *
 *   expect = -10%            the change of the primary metric the patch claims
 *   expect = L0.fp_save -90% the same for another metric (a reps.csv key)
 *   fail_if = io_ns>+2%      exit 3 when a decided (significant) change of
 *                            io_ns is above +2 % (< for below)
 *
 * Both come from the experiment file (recorded in manifest.json), or
 * --fail-if on the command line. The text is untrusted: parsed strictly.
 */
#ifndef NB_GATE_H
#define NB_GATE_H

#include <stddef.h>

#include "stats/results.h"

#define NB_GATE_KEY	48
#define NB_GATE_PCT_MAX	1e4	/* percent: a change beyond +-10000 % is a typo */

struct nb_claim {
	char key[NB_GATE_KEY];		/* "" for the primary metric (io_ns) */
	double pct;
};

struct nb_gate {
	char key[NB_GATE_KEY];
	char op;			/* '>' or '<' */
	double pct;
};

/* "[KEY] PCT%": 0, or -EINVAL with what is wrong and the form in why. */
int nb_claim_parse(const char *s, struct nb_claim *c, char *why, size_t len);
/* "KEY>PCT%" or "KEY<PCT%": 0, or -EINVAL with why. */
int nb_gate_parse(const char *s, struct nb_gate *g, char *why, size_t len);

/* The metric a claim is about: its key's, or the primary one; NULL if r has none. */
const struct nb_metric *nb_claim_metric(const struct nb_results *r, const struct nb_claim *c);
/*
 * The claim against variant v's change, its 95% CI as the verdict has it:
 * "claim -10% io_ns: patched -5.5% (-10.5..-0.2): held, inside CI" (or
 * "NOT held, outside CI"); 0, -ENOENT when there is no comparison.
 */
int nb_claim_line(char *buf, size_t len, const struct nb_results *r, const struct nb_claim *c,
		  size_t v);
/*
 * One verdict (a change in % with its CI, stats/stats.h) against a gate:
 * BEYOND when the change is decided (significant) and beyond it, as
 * nb_gate_check() counts; WITHIN when the whole CI lies on the safe side
 * of it, so no change beyond it is plausible; UNDECIDED otherwise (a CI
 * across the gate's bound, or no CI at all). nestbench bisect maps them
 * to bad, good and skip.
 */
enum nb_gate_side { NB_GATE_WITHIN, NB_GATE_BEYOND, NB_GATE_UNDECIDED };
enum nb_gate_side nb_gate_side(const struct nb_ttest *t, const struct nb_gate *g);
/*
 * How many variants have a decided change of g's metric beyond g; each one
 * said in why (the last). -ENOENT when r has no such metric (why says so).
 */
int nb_gate_check(const struct nb_results *r, const struct nb_gate *g, char *why, size_t len);

#endif
