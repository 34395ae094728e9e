// SPDX-License-Identifier: GPL-2.0
/*
 * The positive control: a variant whose kernel adds a known number of
 * instructions to every nested ERET that L0 emulates
 * (images/patches/control/). Under icount (1 ns per instruction) its cost
 * is predicted by the counters alone:
 *
 *   predicted change = nested ERETs at L0 per repetition x extra ns
 *
 * and the measured change must be detected (its 95% CI excludes 0 on the
 * predicted side) and hold the prediction inside its CI: the proof that
 * marks, clock and statistics measure what they claim. A CI that holds 0
 * holds almost any prediction too, so "inside" alone proves nothing. The
 * manifest names the controls: "controls": { VARIANT: { "extra_eret_ns": N } }.
 */
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats/control.h"
#include "stats/report.h"

static int variant_index(const struct nb_results *r, const char *name, size_t *v)
{
	for (*v = 0; *v < nb_results_nvariants(r); (*v)++)
		if (!strcmp(nb_results_variant(r, *v), name))
			return 0;
	return -1;
}

/* The extra ns per nested ERET a control variant declares; <= 0 if none. */
static double extra_ns(struct json_object *ctl)
{
	struct json_object *n;

	if (!json_object_is_type(ctl, json_type_object) ||
	    !json_object_object_get_ex(ctl, "extra_eret_ns", &n) ||
	    !(json_object_is_type(n, json_type_int) || json_object_is_type(n, json_type_double)))
		return -1;
	return json_object_get_double(n);
}

/* What failed, if anything: detection (CI off 0 on pred's side) and coverage. */
unsigned int nb_control_judge(double pred_pct, const struct nb_interval *ci)
{
	int detected = pred_pct > 0 ? ci->lo > 0 : pred_pct < 0 && ci->hi < 0;
	int inside = pred_pct >= ci->lo && pred_pct <= ci->hi;	/* NAN ends: never inside */

	return (detected ? 0 : NB_CTL_UNDETECTED) | (inside ? 0 : NB_CTL_OUTSIDE);
}

static const char *judgement(unsigned int failed)
{
	switch (failed) {
	case 0:
		return "passed: the effect is detected (the CI excludes 0) and the prediction is "
		       "inside the measured CI: the chain measures what it claims";
	case NB_CTL_UNDETECTED:
		return "FAILED: the effect is not detected (the CI holds 0 or lies on the other side), "
		       "so the prediction inside the measured CI proves nothing: more boots, or a "
		       "quieter clock";
	case NB_CTL_OUTSIDE:
		return "FAILED: the effect is detected but the prediction is OUTSIDE the measured CI: "
		       "marks, clock or statistics are off";
	default:
		return "FAILED: the effect is not detected and the prediction is OUTSIDE the measured "
		       "CI: marks, clock or statistics are off";
	}
}

static void print_one(FILE *f, const struct nb_results *r, size_t v, double extra)
{
	const struct nb_metric *io = nb_results_find(r, "io_ns");
	const struct nb_metric *er = nb_results_find(r, "L0.nested_eret");
	size_t base = nb_results_baseline(r);
	const struct nb_boot_cmp *c = io ? nb_results_cmp(io, v) : NULL;
	double erets, pred_pct, base_ns;
	struct nb_interval ci;

	if (!io || !er || !c || strcmp(io->clock, "icount") || !er->s[v].n || !io->s[base].nboots ||
	    c->na < 2 || c->nb < 2) {
		fprintf(f, "positive control %s: no prediction (needs the icount clock, counting "
			"repetitions and >= 2 boots per arm)\n", nb_results_variant(r, v));
		return;
	}
	erets = er->s[v].sum.median;
	base_ns = io->s[base].bsum.mean;
	pred_pct = erets * extra / base_ns * 100;
	ci = c->verdict.pct;
	fprintf(f, "positive control %s vs %s (icount clock):\n"
		"  predicted %+.2f%% (%+.1f ms = %.0f nested ERETs at L0 per repetition x %.0f ns)\n"
		"  measured  %+.2f%% (%+.1f ms; 95%% CI %+.2f%% .. %+.2f%%, %s, %zu+%zu boots)\n"
		"  %s\n", nb_results_variant(r, v), nb_results_variant(r, base), pred_pct,
		erets * extra / 1e6, erets, extra, ci.est, ci.est / 100 * base_ns / 1e6,
		ci.lo, ci.hi, c->test, c->na, c->nb, judgement(nb_control_judge(pred_pct, &ci)));
}

void nb_report_control(FILE *f, const struct nb_results *r)
{
	struct json_object *ctls;
	size_t v;
	double extra;

	if (!json_object_object_get_ex(nb_results_manifest(r, 0), "controls", &ctls) ||
	    !json_object_is_type(ctls, json_type_object))
		return;
	json_object_object_foreach(ctls, name, ctl) {
		extra = extra_ns(ctl);
		if (extra > 0 && isfinite(extra) && !variant_index(r, name, &v) && v != nb_results_baseline(r))
			print_one(f, r, v, extra);
	}
}
