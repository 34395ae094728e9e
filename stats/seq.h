/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The group-sequential design of an experiment that stops early
 * (`target_ci`): planned looks, O'Brien-Fleming-type alpha spending
 * (Lan-DeMets), repeated confidence intervals (Jennison and Turnbull).
 *
 * Look k, at n_k boots per arm, tests and draws its CI at a nominal level
 * alpha_k chosen so that under no change the chance that ANY look's pooled
 * t rejects is NB_ALPHA: each look spends
 *
 *   A(tau) = 2 (1 - Phi(z_{1 - NB_ALPHA/2} / sqrt(tau))),   tau = n_k / n_K,
 *
 * minus what the earlier looks spent. The CIs then cover the true change at
 * every look at once with 95 %, so whichever look a stop rule picks (the CI
 * half-width, the budget, anything) its CI and verdict keep their alpha.
 * The pooled t's joint law at the looks does not depend on the mean or the
 * SD, so the levels are computed once per design by a seeded Monte Carlo of
 * normal boots (NB_SEQ_DRAWS sequences).
 */
#ifndef NB_SEQ_H
#define NB_SEQ_H

#include <stddef.h>

#define NB_SEQ_MAX_LOOKS	32
#define NB_SEQ_MAX_N		256	/* boots per arm */
#define NB_SEQ_DRAWS		100000u
#define NB_SEQ_SEED		20261202ul

struct nb_seq {
	size_t nlooks;			/* 0: no design, every test at NB_ALPHA */
	size_t n[NB_SEQ_MAX_LOOKS];	/* boots per arm at each look, increasing, >= 2 */
	double alpha[NB_SEQ_MAX_LOOKS];	/* nominal two-sided level of each look */
	double spent[NB_SEQ_MAX_LOOKS];	/* A(tau_k): alpha spent up to look k */
};

/*
 * Fills s->alpha and s->spent for the looks in s->n (s->nlooks of them).
 * -EINVAL when the looks are not increasing from >= 2 to <= NB_SEQ_MAX_N,
 * -ENOMEM. Deterministic (seeded); the last design is cached.
 */
int nb_seq_levels(struct nb_seq *s);

struct json_object;

/*
 * A manifest's "sequential": { "looks": [2, 3, 4, 5], ... } (untrusted): the
 * looks parsed strictly and their levels computed. Absent: s->nlooks = 0.
 * -EINVAL with the problem and the fix in err.
 */
int nb_seq_from_manifest(struct json_object *man, struct nb_seq *s, char *err, size_t errlen);

/*
 * The look a comparison with na and nb boots per arm belongs to: the last
 * planned one with n_k <= max(na, nb), else the first. -1 without a design.
 */
int nb_seq_look(const struct nb_seq *s, size_t na, size_t nb);
/* Its level: NB_ALPHA without a design. */
double nb_seq_alpha(const struct nb_seq *s, size_t na, size_t nb);


#endif
