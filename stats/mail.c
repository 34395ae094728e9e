// SPDX-License-Identifier: GPL-2.0
/* The mail-ready block: see stats/mail.h. */
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "collect/counters.h"
#include "stats/gate.h"
#include "stats/mail.h"
#include "stats/patches.h"
#include "workloads/workload.h"

#define LABEL	17
#define VALUE	13

struct block {
	char line[NB_MAIL_LINES][NB_MAIL_COLS + 1];
	size_t n;
	size_t dropped;			/* rows that did not fit */
};

/* A line cut at NB_MAIL_COLS (the text is the manifest's too: printable ASCII only). */
static void __attribute__((format(printf, 2, 3))) add(struct block *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	size_t i;

	if (b->n == NB_MAIL_LINES) {
		b->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	for (i = 0; tmp[i] && i < NB_MAIL_COLS; i++)
		b->line[b->n][i] = tmp[i] >= ' ' && tmp[i] < 127 ? tmp[i] : '?';
	while (i && b->line[b->n][i - 1] == ' ')
		i--;
	b->line[b->n++][i] = 0;
}

static void banner(struct block *b, const struct nb_results *r)
{
	const struct nb_metric *m = nb_results_primary(r);
	const char *cpu = nb_results_setup(r, 0, "host.cpu");
	char ck[48] = "clock unknown";

	if (m)
		snprintf(ck, sizeof(ck), "%s clock", m->clock);
	if (nb_results_hardware(r))
		add(b, "HARDWARE: arm64 host%s%s%s; %s", *cpu ? " (" : "", cpu, *cpu ? ")" : "", ck);
	else if (nb_results_virtual_host(r))
		add(b, "VIRTUAL HOST (%s): not hardware numbers; %s", nb_results_virtual_host(r), ck);
	else
		add(b, "EMULATED: QEMU TCG arm64, not hardware numbers; %s", ck);
}

/* "base 3, patched 3"; returns whether every arm has as many boots. */
static int boots_list(char *buf, size_t len, const struct nb_results *r, const struct nb_metric *m)
{
	size_t v, base = nb_results_baseline(r), off;
	int same = 1;

	off = snprintf(buf, len, "%s %zu", nb_results_variant(r, base), m->s[base].nboots);
	for (v = 0; v < nb_results_nvariants(r); v++) {
		same &= m->s[v].nboots == m->s[base].nboots;
		if (v != base && off < len)
			off += snprintf(buf + off, len - off, ", %s %zu", nb_results_variant(r, v),
					m->s[v].nboots);
	}
	return same;
}

/*
 * "nv-fp-eret: fio, depth 3; boots per arm: base 3, patched 3"; where the
 * arms would not fit the line and all have as many boots, "3 each (4 arms)".
 */
static void setup_line(struct block *b, const struct nb_results *r)
{
	const struct nb_metric *m = nb_results_primary(r);
	const char *wl = nb_results_setup(r, 0, "workload"), *e = nb_results_setup(r, 0, "experiment");
	const char *depth = nb_results_setup(r, 0, "depth");
	char head[256], boots[256] = "none";
	int same = m && boots_list(boots, sizeof(boots), r, m);

	snprintf(head, sizeof(head), "%s: %s%s%s; boots per arm: ", *e ? e : nb_results_dir(r, 0),
		 nb_workload_find(wl) ? nb_workload_find(wl)->name : wl, *depth ? ", depth " : "", depth);
	if (same && strlen(head) + strlen(boots) > NB_MAIL_COLS)
		snprintf(boots, sizeof(boots), "%zu each (%zu arms)",
			 m->s[nb_results_baseline(r)].nboots, nb_results_nvariants(r));
	add(b, "%s%s", head, boots);
}

/* Each kernel by release and patch hash (or git revision). */
static void kernels(struct block *b, const struct nb_results *r)
{
	struct json_object *ks;

	if (!json_object_object_get_ex(nb_results_manifest(r, 0), "kernels", &ks) ||
	    !json_object_is_type(ks, json_type_object))
		return;
	json_object_object_foreach(ks, name, k) {
		const char *patch = nb_json_path(k, "patch"), *rev = nb_json_path(k, "revision");
		const char *subject = nb_json_path(k, "subject");

		if (*subject)	/* a series' kernel: its patch says what it is */
			add(b, "  %-8s %s + %s", name, nb_json_path(k, "release"), subject);
		else if (*rev)
			add(b, "  %-8s %s, git %.12s", name, nb_json_path(k, "release"), rev);
		else if (*patch)
			add(b, "  %-8s %s + %s (%.12s)", name, nb_json_path(k, "release"), patch,
			    nb_json_path(k, "patch_sha256"));
		else
			add(b, "  %-8s %s, no patch", name, nb_json_path(k, "release"));
	}
}

/* "2941 +-3.5%": the mean of boot means and their SD in % of it. */
static void value(char *buf, size_t len, const struct nb_metric *m, const struct nb_series *s)
{
	char num[32];
	double sd = s->nboots > 1 && s->bsum.mean ? 100 * s->bsum.stddev / fabs(s->bsum.mean) : NAN;

	nb_fmt_num(num, sizeof(num), s->bsum.mean * m->scale);
	if (isnan(sd))
		snprintf(buf, len, "%s", num);
	else
		snprintf(buf, len, sd < 10 ? "%s +-%.1f%%" : "%s +-%.0f%%", num, sd);
}

/* One decimal, two where a bound near 0 would print with no sign of its own. */
static int decimals(const struct nb_interval *i)
{
	return fabs(i->lo) < 0.05 || fabs(i->hi) < 0.05 || fabs(i->est) < 0.05 ? 2 : 1;
}

/* "-5.5% (-10.5..-0.2)", "~ +0.3% (-1.2..+1.8)" when not significant; t NULL: no comparison. */
static void change(char *buf, size_t len, const struct nb_ttest *t)
{
	const struct nb_interval *i = t ? &t->pct : NULL;
	const char *sig = t && !t->significant ? "~ " : "";
	int n = i ? decimals(i) : 0;

	if (!i)
		snprintf(buf, len, "n/a (< 2 boots)");
	else if (isnan(i->est))
		snprintf(buf, len, "%sn/a (baseline 0)", sig);
	else if (isnan(i->lo) || isnan(i->hi))
		snprintf(buf, len, "%s%+.*f%% (unbounded)", sig, n, i->est);
	else
		snprintf(buf, len, "%s%+.*f%% (%+.*f..%+.*f)", sig, n, i->est, n, i->lo, n, i->hi);
}

/*
 * With one boot in an arm there is no interval, but a counter of the
 * counting repetition (extras_boots) barely moves between boots: its change
 * is worth a number, said to rest on those boots alone.
 */
static int point_change(char *buf, size_t len, const struct nb_metric *m, size_t base, size_t v)
{
	const struct nb_series *a = &m->s[base], *x = &m->s[v];

	if (m->kind != NB_M_COUNTER || !nb_role_compared(m->role) || !a->nboots || !x->nboots || !a->bsum.mean ||
	    !isfinite(x->bsum.mean / a->bsum.mean))
		return 0;
	snprintf(buf, len, "%+.1f%% (%zu+%zu boots, no CI)", 100 * (x->bsum.mean / a->bsum.mean - 1),
		 a->nboots, x->nboots);
	return 1;
}

static void delta(char *buf, size_t len, const struct nb_metric *m, size_t base, size_t v)
{
	const struct nb_boot_cmp *c = !nb_role_compared(m->role) ? NULL : nb_results_cmp(m, v);

	if (!c && point_change(buf, len, m, base, v))
		return;
	change(buf, len, c ? &c->verdict : NULL);
}

/* "io time [ms]" for a timing metric, the reps.csv key for a counter. */
static void label(char *buf, size_t len, const struct nb_metric *m)
{
	size_t n = strcspn(m->label, "(");

	while (n && m->label[n - 1] == ' ')
		n--;
	const char *per = strstr(m->key, "_per_");

	if (m->kind == NB_M_COUNTER && per)	/* L0.fp_per_transition: L0.fp/transition */
		snprintf(buf, len, "%.*s/%s", (int)(per - m->key), m->key, per + 5);
	else if (m->kind == NB_M_COUNTER)
		snprintf(buf, len, "%s", m->key);
	else
		snprintf(buf, len, "%.*s%s%s%s", (int)n, m->label, *m->dunit ? " [" : "", m->dunit,
			 *m->dunit ? "]" : "");
}

static int explains(const struct nb_metric *m, size_t base, size_t v)
{
	const char *dot = strchr(m->key, '.');
	const struct nb_counter *k = dot ? nb_counter_find(dot + 1) : NULL;

	return m->kind == NB_M_COUNTER && k && k->explain && m->s[base].n && m->s[v].n;
}

static void row(struct block *b, const struct nb_results *r, const struct nb_metric *m, size_t v)
{
	char l[64], a[48], x[48], d[192];

	label(l, sizeof(l), m);
	value(a, sizeof(a), m, &m->s[nb_results_baseline(r)]);
	value(x, sizeof(x), m, &m->s[v]);
	delta(d, sizeof(d), m, nb_results_baseline(r), v);
	add(b, "%-*.*s %*s %*s %s", LABEL, LABEL, l, VALUE, a, VALUE, x, d);
}

/* The primary metric, then the explaining counters in the counter table's order, level by level. */
static void rows(struct block *b, const struct nb_results *r, size_t v)
{
	size_t i, k, base = nb_results_baseline(r);
	const struct nb_metric *m;

	for (i = 0; (m = nb_results_metric(r, i)); i++)
		if (m->role == NB_ROLE_PRIMARY && (m->s[base].n || m->s[v].n))
			row(b, r, m, v);
	for (k = 0; k < nb_ncounters; k++)
		for (i = 0; (m = nb_results_metric(r, i)); i++)
			if (!strcmp(strchr(m->key, '.') ? strchr(m->key, '.') + 1 : "", nb_counters[k].name) &&
			    explains(m, base, v))
				row(b, r, m, v);
}

/* The experiment file's expect = (manifest.json), held against v's change. */
static void claim(struct block *b, const struct nb_results *r, size_t v)
{
	const char *text = nb_results_setup(r, 0, "expect");
	struct nb_claim c;
	char line[256], why[256];

	if (!*text)
		return;
	if (nb_claim_parse(text, &c, why, sizeof(why)))
		add(b, "claim: manifest.json: %s", why);
	else if (nb_claim_line(line, sizeof(line), r, &c, v))
		add(b, "claim %+g%%: no verdict for %s (< 2 boots per arm?)", c.pct, nb_results_variant(r, v));
	else
		add(b, "%s", line);
}

/*
 * A patch series' run: which patch buys it, one line per kernel (its own
 * change and the cumulative one), before the kernels; 0 when not a series.
 */
static int series(struct block *b, const struct nb_results *r)
{
	const struct nb_metric *m = nb_results_primary(r);
	struct nb_patch_row rows[NB_MAX_VARIANTS];
	size_t n = nb_patch_rows(r, m, rows, NB_MAX_VARIANTS), k;
	char l[64], a[48], own[96], cum[96];

	if (!n)
		return 0;
	label(l, sizeof(l), m);
	add(b, "%-8.8s %*.*s %-24s %s", "series", VALUE, VALUE, l, "this patch (95% CI)", "cumulative");
	for (k = 0; k < n; k++) {
		if (rows[k].nboots)
			value(a, sizeof(a), m, &m->s[rows[k].v]);
		else
			snprintf(a, sizeof(a), "no boot");
		change(own, sizeof(own), rows[k].has_own ? &rows[k].own : NULL);
		change(cum, sizeof(cum), rows[k].has_cum ? &rows[k].cum : NULL);
		add(b, "%-8.8s %*s %-24s %s", rows[k].kernel, VALUE, a, k ? own : "base", k ? cum : "");
	}
	if (rows[n - 1].v != NB_SERIES_NONE)
		claim(b, r, rows[n - 1].v);	/* expect = : what the whole series claims */
	return 1;
}

void nb_write_mail(FILE *f, const struct nb_results *r)
{
	struct block b = { .n = 0 };
	size_t v, i, base = nb_results_baseline(r);

	banner(&b, r);
	setup_line(&b, r);
	if (series(&b, r)) {	/* the cumulative changes are its last column */
		kernels(&b, r);
		goto out;
	}
	kernels(&b, r);
	for (v = 0; v < nb_results_nvariants(r); v++) {
		if (v == base)
			continue;
		add(&b, "%-*s %*.*s %*.*s %s", LABEL, "boots: mean +-SD", VALUE, VALUE, nb_results_variant(r, base),
		    VALUE, VALUE, nb_results_variant(r, v), "delta (95% CI)");
		rows(&b, r, v);
		claim(&b, r, v);
	}
out:
	if (b.dropped) {
		b.dropped++;	/* the line that says so takes one */
		b.n--;
		add(&b, "(%zu more lines: report.txt)", b.dropped);
	}
	for (i = 0; i < b.n; i++)
		fprintf(f, "%s\n", b.line[i]);
}
