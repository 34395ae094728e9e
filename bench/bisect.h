/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nestbench bisect's decisions and its log (bench/builtin-bisect.c runs it).
 *
 * Each step is one experiment: base = the good revision, patched = the
 * step's; its verdict on one metric, held against the threshold as a gate
 * (stats/gate.h), is the step's answer to git bisect run:
 *
 *   beyond the threshold, significantly        bad   exit 1
 *   the whole 95% CI on the good side of it    good  exit 0
 *   neither (a CI across it), or boots failed  skip  exit 125
 *
 * The log (bisect.log in the bisect's results directory) holds one line per
 * step, rewritten whole (temporary file, rename) at every change:
 *
 *   # nestbench bisect SETUP
 *   REV<TAB>VERDICT<TAB>EST<TAB>LO<TAB>HI<TAB>P<TAB>DIR<TAB>WHY
 *
 * SETUP names what the verdicts depend on (revisions, metric, threshold,
 * the experiment); REV a full hash; VERDICT good, bad, skip (all three
 * decided: reused as they are), failed (boots or the build failed: tried
 * again, the experiment resumed) or running (interrupted: resumed); EST, LO,
 * HI the change in % and its 95% CI, P its p-value ("nan": none); DIR the
 * step's results directory relative to the log's; WHY a sentence. The file
 * is untrusted when read back: parsed strictly, a bad line is an error.
 */
#ifndef NB_BISECT_H
#define NB_BISECT_H

#include <stddef.h>

#include "stats/gate.h"

#define BISECT_MAX_STEPS	64	/* 2^64 commits: more than any tree */
#define BISECT_SETUP_LEN	512
#define BISECT_DIR_LEN		256
#define BISECT_WHY_LEN		256

enum bisect_verdict { BISECT_GOOD, BISECT_BAD, BISECT_SKIP, BISECT_FAILED, BISECT_RUNNING,
		      BISECT_NVERDICTS };

struct bisect_step {
	char rev[41];
	enum bisect_verdict verdict;
	double est, lo, hi, p;			/* NAN: no comparison */
	char dir[BISECT_DIR_LEN];
	char why[BISECT_WHY_LEN];
};

struct bisect_log {
	char setup[BISECT_SETUP_LEN];
	int n;
	struct bisect_step s[BISECT_MAX_STEPS];
};

const char *bisect_verdict_name(enum bisect_verdict v);
/* What git bisect run is told: 0 good, 1 bad, 125 (skip) for the rest. */
int bisect_exit_code(enum bisect_verdict v);
/* good, bad and skip are decided: a resumed bisect reuses them. */
int bisect_decided(enum bisect_verdict v);
/* A verdict against a threshold gate (stats/gate.h nb_gate_side()); why says it. */
enum bisect_verdict bisect_decide(const struct nb_ttest *t, const struct nb_gate *g,
				  char *why, size_t len);

/* The text of bisect.log into l: 0, or -EINVAL with "line N: problem" in err. */
int bisect_log_parse(const char *text, struct bisect_log *l, char *err, size_t len);
/* l as bisect.log's text: a new string (caller frees), NULL without memory. */
char *bisect_log_format(const struct bisect_log *l);
/* The step of rev, NULL if none. */
struct bisect_step *bisect_log_find(struct bisect_log *l, const char *rev);
/* The step of rev, added (verdict running, no numbers) if it was not there; NULL when full. */
struct bisect_step *bisect_log_step(struct bisect_log *l, const char *rev);

#endif
