// SPDX-License-Identifier: GPL-2.0
/* Claims and gates against the verdicts: see stats/gate.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stack/util.h"
#include "stats/gate.h"

#define CLAIM_FORM	"expected [KEY] PCT%%, e.g. -10%% or L0.fp_save -90%%"
#define GATE_FORM	"expected KEY>PCT%% or KEY<PCT%%, e.g. io_ns>+2%%"

/* A reps.csv key: letters, digits, '.', '_'; 1..NB_GATE_KEY-1 of them. */
static int key_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') && !(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '.' && s[i] != '_')
			return 0;
	return n > 0 && n < NB_GATE_KEY;
}

/* "PCT%" (the sign optional), the whole string. */
static int pct_ok(const char *s, double *pct)
{
	char num[32];
	size_t n = strlen(s);

	if (n < 2 || n >= sizeof(num) || s[n - 1] != '%')
		return 0;
	snprintf(num, sizeof(num), "%.*s", (int)(n - 1), s);
	return !nb_parse_real(num, -NB_GATE_PCT_MAX, NB_GATE_PCT_MAX, pct);
}

int nb_claim_parse(const char *s, struct nb_claim *c, char *why, size_t len)
{
	char t[128];
	size_t n, k;

	memset(c, 0, sizeof(*c));
	s += strspn(s, " \t");
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= sizeof(t))
		return nb_invalid(why, len, "expect: longer than %zu characters; " CLAIM_FORM, sizeof(t) - 1);
	snprintf(t, sizeof(t), "%.*s", (int)n, s);
	k = strcspn(t, " \t");
	if (t[k] && !key_ok(t, k))
		return nb_invalid(why, len, "expect '%s': '%.*s' is not a metric key; " CLAIM_FORM,
				  t, (int)k, t);
	if (t[k])
		snprintf(c->key, sizeof(c->key), "%.*s", (int)k, t);
	if (!pct_ok(t[k] ? t + k + strspn(t + k, " \t") : t, &c->pct))
		return nb_invalid(why, len, "expect '%s': " CLAIM_FORM, t);
	return 0;
}

int nb_gate_parse(const char *s, struct nb_gate *g, char *why, size_t len)
{
	size_t n = strcspn(s, "<>");

	memset(g, 0, sizeof(*g));
	if (!s[n] || !key_ok(s, n) || !pct_ok(s + n + 1, &g->pct))
		return nb_invalid(why, len, "fail_if '%s': " GATE_FORM, s);
	snprintf(g->key, sizeof(g->key), "%.*s", (int)n, s);
	g->op = s[n];
	return 0;
}

const struct nb_metric *nb_claim_metric(const struct nb_results *r, const struct nb_claim *c)
{
	return c->key[0] ? nb_results_find(r, c->key) : nb_results_primary(r);
}

/* A change a verdict may be drawn from: compared, and in a clock that was not disturbed. */
static const struct nb_boot_cmp *decided_cmp(const struct nb_metric *m, size_t v)
{
	return m && nb_role_compared(m->role) ? nb_results_cmp(m, v) : NULL;
}

int nb_claim_line(char *buf, size_t len, const struct nb_results *r, const struct nb_claim *c,
		  size_t v)
{
	const struct nb_metric *m = nb_claim_metric(r, c);
	const struct nb_boot_cmp *k = decided_cmp(m, v);
	const struct nb_interval *i = k ? &k->verdict.pct : NULL;
	const char *what;

	if (!i)
		return -ENOENT;
	if (isnan(i->est) || isnan(i->lo) || isnan(i->hi))
		what = "untested, CI unbounded";
	else if (c->pct >= i->lo && c->pct <= i->hi)
		what = "consistent, inside CI";	/* not contradicted: no more */
	else
		what = "RULED OUT, outside CI";
	snprintf(buf, len, "claim %+g%% %s: %s %+.1f%% (%+.1f..%+.1f): %s",
		 c->pct, m->key, nb_results_variant(r, v), i->est, i->lo, i->hi, what);
	return 0;
}

static int beyond(double d, const struct nb_gate *g)
{
	return g->op == '>' ? d > g->pct : d < g->pct;
}

enum nb_gate_side nb_gate_side(const struct nb_ttest *t, const struct nb_gate *g)
{
	const struct nb_interval *i = &t->pct;

	if (t->significant && beyond(i->est, g))
		return NB_GATE_BEYOND;
	if (isnan(i->lo) || isnan(i->hi) || isnan(i->est))
		return NB_GATE_UNDECIDED;
	/* the whole CI behind the bound: its upper end for '>', its lower for '<' */
	if (g->op == '>' ? i->hi <= g->pct : i->lo >= g->pct)
		return NB_GATE_WITHIN;
	return NB_GATE_UNDECIDED;
}

int nb_gate_check(const struct nb_results *r, const struct nb_gate *g, char *why, size_t len)
{
	const struct nb_metric *m = nb_results_find(r, g->key);
	const struct nb_boot_cmp *k;
	size_t v;
	int n = 0;
	double d;

	if (!m)
		return snprintf(why, len, "fail_if: no metric '%s' in these results (keys: "
				"summary.csv's 'metric' column)", g->key), -ENOENT;
	for (v = 0; v < nb_results_nvariants(r); v++) {
		k = v == nb_results_baseline(r) ? NULL : decided_cmp(m, v);
		if (!k || nb_gate_side(&k->verdict, g) != NB_GATE_BEYOND)
			continue;
		d = k->verdict.pct.est;
		snprintf(why, len, "fail_if %s%c%+g%%: %s vs %s changed %+.2f%% (95%% CI %+.2f%% .. "
			 "%+.2f%%, significant)", g->key, g->op, g->pct, nb_results_variant(r, v),
			 nb_results_variant(r, nb_results_baseline(r)), d, k->verdict.pct.lo,
			 k->verdict.pct.hi);
		n++;
	}
	return n;
}
