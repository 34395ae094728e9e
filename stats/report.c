// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "collect/counters.h"
#include "stack/util.h"
#include "stats/csvio.h"
#include "stats/drift.h"
#include "stats/control.h"
#include "stats/phases.h"
#include "stats/model.h"
#include "stats/kvmtab.h"
#include "stats/mail.h"
#include "stats/patches.h"
#include "stats/perftab.h"
#include "stack/platform.h"
#include "stats/report.h"
#include "stats/runpairs.h"
#include "stats/seq.h"
#include "stats/setupdiff.h"
#include "stats/verdict.h"
#include "workloads/workload.h"

/* Clocks as a reader of the posting needs them explained. */
static const struct {
	const char *clock, *what;
} clock_notes[] = {
	{ "icount", "icount = QEMU's instruction counter: every instruction costs the "
		    "same virtual time; traps, exits and cache misses cost nothing extra" },
	{ "tcg-wall", "tcg-wall = the x86 host's wall clock seen through TCG: includes "
		      "translation and host noise" },
	{ "host", "host wall = the x86 host's wall clock: the I/O phase seen from outside "
		  "QEMU, and L0's boot" },
};

/* "a.b.c" in a JSON object; "" when absent. */
static const char *jstr(struct json_object *o, const char *path)
{
	return nb_json_path(o, path);
}

static void print_num(FILE *f, int width, double v)
{
	char b[32];

	nb_fmt_num(b, sizeof(b), v);
	fprintf(f, "%*s", width, b);
}

void nb_print_head(FILE *f, const char *title, const char *unit)
{
	fprintf(f, "%s%s%s%s\n", title, *unit ? " [" : "", unit, *unit ? "]" : "");
	fprintf(f, "  %-14s %4s %12s %26s %9s %21s %8s\n", "variant", "n", "median",
		"mean +- 95% CI", "delta", "95% CI of delta", "p");
}

static void print_mean_ci(FILE *f, const struct nb_summary *s, double scale)
{
	char m[32], h[32], both[72];

	nb_fmt_num(m, sizeof(m), s->mean * scale);
	nb_fmt_num(h, sizeof(h), s->ci_half * scale);
	snprintf(both, sizeof(both), "%s +- %s", m, h);
	fprintf(f, " %26s", both);
}

static void print_delta(FILE *f, const struct nb_compare *c)
{
	char d[NB_FMT_LEN], ci[2 * NB_FMT_LEN + 8], p[32];

	nb_fmt_change(d, sizeof(d), ci, sizeof(ci), c->delta_pct, &c->ci_pct);
	nb_fmt_p(p, sizeof(p), c->welch.p);
	fprintf(f, " %9s %21s %8s", d, ci, p);
}

void nb_print_row(FILE *f, const char *name, const struct nb_summary *s,
		  const struct nb_compare *c, double scale)
{
	fprintf(f, "  %-14s %4zu", name, s->n);
	print_num(f, 13, s->median * scale);
	print_mean_ci(f, s, scale);
	if (c)
		print_delta(f, c);
	else
		fprintf(f, " %9s %21s %8s", "-", "-", "-");
	fputc('\n', f);
}

/* Tables count boots: the comparison is the boot-level one, the median the reps'. */
static void print_boot_head(FILE *f, const char *title, const char *unit)
{
	fprintf(f, "%s%s%s%s\n", title, *unit ? " [" : "", unit, *unit ? "]" : "");
	fprintf(f, "  %-14s %5s %4s %12s %26s %9s %21s %8s\n", "variant", "boots", "reps",
		"median", "mean of boots +- 95% CI", "delta", "95% CI of delta", "p");
}

static void print_boot_delta(FILE *f, const struct nb_metric *m, const struct nb_series *s)
{
	const struct nb_ttest *t = &s->cmp.verdict;
	char d[NB_FMT_LEN], ci[2 * NB_FMT_LEN + 8], p[32];

	if (!s->has_cmp || !nb_role_compared(m->role)) {
		fprintf(f, " %9s %21s %8s", "-", "-", "-");
		return;
	}
	nb_fmt_change(d, sizeof(d), ci, sizeof(ci), t->pct.est, &t->pct);
	nb_fmt_p_at(p, sizeof(p), t->p, t->alpha);
	fprintf(f, " %9s %21s %8s", d, ci, p);
}

static void print_series(FILE *f, const struct nb_results *r,
			 const struct nb_metric *m, size_t v)
{
	const struct nb_series *s = &m->s[v];

	if (!s->n)
		return;
	fprintf(f, "  %-14s %5zu %4zu", nb_results_variant(r, v), s->nboots, s->n);
	print_num(f, 13, s->sum.median * m->scale);
	print_mean_ci(f, &s->bsum, m->scale);
	if (v == nb_results_baseline(r))
		fprintf(f, " %9s %21s %8s", "-", "-", "-");
	else
		print_boot_delta(f, m, s);
	fputc('\n', f);
}

/* The baseline first, whatever its place in the file. */
static void print_metric(FILE *f, const struct nb_results *r, const struct nb_metric *m)
{
	size_t v, base = nb_results_baseline(r);

	print_boot_head(f, m->label, m->dunit);
	print_series(f, r, m, base);
	for (v = 0; v < nb_results_nvariants(r); v++)
		if (v != base)
			print_series(f, r, m, v);
	if (m->role == NB_ROLE_DISTURBED)
		fprintf(f, "  (not compared: %u boots ran concurrently and disturb this clock)\n",
			nb_results_jobs(r));
	if (m->role == NB_ROLE_HOST_IO)
		fprintf(f, "  (not compared: L0 waits for the host's disk while L1 boots, and "
			"icount warps through each wait)\n");
	fputc('\n', f);
}

static void print_tables(FILE *f, const struct nb_results *r)
{
	enum nb_metric_kind k;
	size_t i;

	for (k = NB_M_TIMING; k <= NB_M_BOOT; k++)
		for (i = 0; i < nb_results_nmetrics(r); i++) {
			const struct nb_metric *m = nb_results_metric(r, i);

			if (m->kind == k && m->in_report)
				print_metric(f, r, m);
		}
}

/* Unknown (an older or damaged directory) counts as not hardware. */
static int is_emulated(const struct nb_results *r)
{
	const struct nb_platform *p = nb_platform_find(nb_results_platform(r));

	return !p || !p->hardware;
}

/* The manifest's platform row, NULL when it names none. */
static const struct nb_platform *man_platform(struct json_object *man)
{
	return nb_platform_find(jstr(man, "platform"));
}

static int clock_used(const struct nb_results *r, const char *clock)
{
	size_t i;

	for (i = 0; i < nb_results_nmetrics(r); i++)
		if (!strcmp(nb_results_metric(r, i)->clock, clock))
			return 1;
	return 0;
}

static void print_emulation(FILE *f, const struct nb_results *r)
{
	size_t i;

	if (!is_emulated(r))
		return;
	fprintf(f, "EMULATED: these numbers come from QEMU's TCG emulation of arm64, "
		"not from arm64 hardware.\nEmulated numbers are not hardware numbers: "
		"they show how much work a change removes\nfrom the emulated path, not "
		"the speed-up on real hardware. Every timing names its clock:\n");
	for (i = 0; i < sizeof(clock_notes) / sizeof(clock_notes[0]); i++)
		if (clock_used(r, clock_notes[i].clock))
			fprintf(f, "  %s\n", clock_notes[i].what);
	fputc('\n', f);
}

/* Platform host on a virtual machine (the host-in-a-box): everything ran as on hardware, but the clock is not. */
static void print_virtual_host(FILE *f, const struct nb_results *r)
{
	const char *what = nb_results_virtual_host(r);

	if (!what)
		return;
	fprintf(f, "VIRTUAL HOST: platform host, but the host is a virtual machine (%s).\n"
		"Its clock ('host') is that machine's clock, not hardware time: these are not "
		"hardware numbers.\n\n", what);
}

/* What run i's setup differs in from A's: the decisive ones (compare --force) said first. */
static void print_setup_diff(FILE *f, const struct nb_results *r, size_t i)
{
	struct nb_setup_delta d[32];
	size_t n = nb_setup_diff(r, i, d, 32), k, decisive = 0;

	for (k = 0; k < n; k++)
		decisive += d[k].decisive;
	if (!n)
		return;
	if (decisive)
		fprintf(f, "WARNING: %s differs from %s in what the timing depends on (compared with "
			"--force): its changes are not comparable with A's\n", nb_results_dir(r, i),
			nb_results_dir(r, 0));
	else
		fprintf(f, "%s differs from %s in (nothing the timing depends on):\n",
			nb_results_dir(r, i), nb_results_dir(r, 0));
	nb_setup_print(f, d, n, "  ");
	fputc('\n', f);
}

static void print_compare_warning(FILE *f, const struct nb_results *r)
{
	size_t i;

	if (nb_results_ndirs(r) < 2)
		return;
	fprintf(f, "WARNING: %s", nb_results_dir(r, 0));
	for (i = 1; i < nb_results_ndirs(r); i++)
		fprintf(f, "%s%s", i + 1 < nb_results_ndirs(r) ? ", " : " and ", nb_results_dir(r, i));
	fprintf(f, " were gathered separately (e.g. on separate host "
		"boots):\ndrift between them (host load, frequency, thermal state, "
		"QEMU build) is not controlled.\nAn experiment that interleaves the "
		"variants in one run is the stronger comparison.\n\n");
	for (i = 1; i < nb_results_ndirs(r); i++)
		print_setup_diff(f, r, i);
}

/* compare: the drift test on every arm that ran in both sessions (stats/drift.h). */
static void print_drift(FILE *f, const struct nb_results *r)
{
	const struct nb_metric *m = nb_results_find(r, "io_ns");
	struct nb_drift d[NB_MAX_VARIANTS];
	char label[200], line[640];
	size_t n, i;

	if (nb_results_ndirs(r) < 2)
		return;
	n = nb_drift_arms(r, m, d, NB_MAX_VARIANTS);
	if (!n)
		fprintf(f, "drift check: no arm ran in both with >= 2 boots each: drift not checked\n");
	for (i = 0; i < n; i++) {
		snprintf(label, sizeof(label), "%s, %s in %s against %s", m->label,
			 nb_results_variant(r, d[i].a),
			 nb_results_dir(r, nb_results_variant_dir(r, d[i].b)), nb_results_dir(r, 0));
		nb_verdict_t(line, sizeof(line), label, "Welch t-test", &d[i].t, d[i].na, d[i].nb,
			     " boots");
		fprintf(f, "drift check: %s\n  %s\n", line, d[i].drifted ?
			"DRIFT: the same arm differs between the sessions beyond chance; the "
			"verdicts below hold that drift mixed with the change" :
			"no drift detected on this arm (which does not prove there is none)");
	}
	fputc('\n', f);
}

static void print_kernels(FILE *f, struct json_object *man)
{
	struct json_object *ks;
	const char *lead = "  kernels     ";

	if (!json_object_object_get_ex(man, "kernels", &ks) ||
	    !json_object_is_type(ks, json_type_object))
		return;
	json_object_object_foreach(ks, name, k) {
		const char *patch = jstr(k, "patch");

		if (lead[2] == 'k' && *jstr(k, "common_patches"))	/* once: every variant carries them */
			fprintf(f, "  carried     %s(every variant)\n", jstr(k, "common_patches"));
		fprintf(f, "%s%-9s %s, config %.12s, %s%s%.12s%s\n", lead, name,
			jstr(k, "release"), jstr(k, "config_sha256"),
			*patch ? patch : "no patch", *patch ? " (" : "",
			*patch ? jstr(k, "patch_sha256") : "", *patch ? ")" : "");
		if (*jstr(k, "revision"))
			fprintf(f, "              %-9s built from git revision %s\n", "", jstr(k, "revision"));
		lead = "              ";
	}
}

static void print_levels(FILE *f, struct json_object *man)
{
	struct json_object *vs;
	const char *lead = "  levels      ";

	if (!json_object_object_get_ex(man, "variants", &vs) ||
	    !json_object_is_type(vs, json_type_object))
		return;
	json_object_object_foreach(vs, name, lv) {
		fprintf(f, "%s%-9s", lead, name);
		if (json_object_is_type(lv, json_type_object)) {
			json_object_object_foreach(lv, level, kernel)
				fprintf(f, " %s=%s", level, json_object_get_string(kernel));
		}
		fputc('\n', f);
		lead = "              ";
	}
}

/* The job text squeezed to its key=value settings. */
static void print_job(FILE *f, const char *job)
{
	const char *s = job, *nl;
	char *line;
	int len;

	fprintf(f, "; job:");
	for (; *s; s = nl + (*nl != 0)) {
		nl = strchrnul(s, '\n');
		len = nl - s;
		if (len && *s != '[' && *s != '#' && *s != ';' && memchr(s, '=', len) &&
		    strncmp(s, "exec_", 5) && strncmp(s, "filename", 8) &&
		    (line = nb_printable(s, len, NB_TEXT_MAX))) {
			fprintf(f, " %s", line);
			free(line);
		}
	}
	fputc('\n', f);
}

/* The L0 kernel of a variant of the manifest, "" if unknown. */
static const char *l0_of(struct json_object *lv)
{
	struct json_object *k;

	return json_object_is_type(lv, json_type_object) && json_object_object_get_ex(lv, "L0", &k) &&
	       json_object_is_type(k, json_type_string) ? json_object_get_string(k) : "";
}

/*
 * On an arm64 host L0 is the host's own kernel: arms that differ there each
 * ran on a host booted into theirs (checked against /proc/version), arms
 * that differ only in guest kernels shared one host boot.
 */
static void print_host_boots(FILE *f, struct json_object *man)
{
	struct json_object *vs;
	const char *first = NULL;
	int differ = 0;

	if (!man_platform(man) || man_platform(man)->l0_guest ||
	    !json_object_object_get_ex(man, "variants", &vs) ||
	    !json_object_is_type(vs, json_type_object))
		return;
	json_object_object_foreach(vs, name, lv) {
		(void)name;
		if (!first)
			first = l0_of(lv);
		else if (strcmp(first, l0_of(lv)))
			differ = 1;
	}
	fprintf(f, "  host boots  %s\n", differ ?
		"the arms differ in L0, the host's own kernel: each arm ran on a host booted into its L0 kernel (checked against /proc/version)" :
		"every arm has the same L0 kernel: the arms differ only in guest kernels and shared the host's boot");
}

/* Older manifests have no "pin" (their QEMUs went where the scheduler put them): no line. */
static void print_pin(FILE *f, struct json_object *man)
{
	struct json_object *pin;

	if (!json_object_object_get_ex(man, "pin", &pin) || !json_object_is_type(pin, json_type_boolean))
		return;	/* "true" as a string is not a boolean either */
	if (json_object_get_boolean(pin))
		fprintf(f, "  pinning     each child's QEMU on its parent's last CPUs, the parent's own processes on the others\n");
	else
		fprintf(f, "  pinning     off: QEMUs went where each level's scheduler put them (boots differ more)\n");
}

/*
 * executor = lava (bench/lab.c): the boots ran as LAVA jobs, L0's QEMU
 * started by LAVA on a worker (no monitor, so no CPU exception log; the
 * pinning inside L0 is the agent's, as here: docs/lab.md).
 * A local run, and older manifests, have no line.
 */
static void print_executor(FILE *f, struct json_object *man)
{
	if (strcmp(jstr(man, "executor"), "lava"))
		return;
	fprintf(f, "  executor    lava: each boot a LAVA job on a '%s' device of %s (jobs in manifest.json); "
		"L0's QEMU started by LAVA with -monitor none: no CPU exception log\n",
		jstr(man, "lava.device_type"), jstr(man, "lava.url"));
}

/* The default workload (older manifests name none) by its name and version, another as "workload". */
static void print_workload(FILE *f, struct json_object *man)
{
	const struct nb_workload *w = nb_workload_find(jstr(man, "workload"));

	if (w && w == nb_workload_find(""))
		fprintf(f, "  %-12s%s", w->name, jstr(man, w->name));
	else
		fprintf(f, "  workload    %s %s", jstr(man, "workload"), jstr(man, jstr(man, "workload")));
}

static void print_manifest(FILE *f, struct json_object *man)
{
	fprintf(f, "  experiment  %s, started %s, nestbench %s\n", jstr(man, "experiment"),
		jstr(man, "started"), jstr(man, "nestbench"));
	fprintf(f, "  platform    %s: %s on %s, host kernel %s\n", jstr(man, "platform"),
		jstr(man, "host.qemu"), jstr(man, "host.cpu"), jstr(man, "host.kernel"));
	if (man_platform(man) && man_platform(man)->host_machine && *jstr(man, "host.machine_evidence"))
		fprintf(f, "  machine     %s: %s\n", *jstr(man, "host.virtual") ?
			"VIRTUAL (its clock is not hardware time)" : "hardware, as far as it tells",
			jstr(man, "host.machine_evidence"));
	fprintf(f, "  clock       %s, depth %s\n", jstr(man, "clock"), jstr(man, "depth"));
	print_executor(f, man);
	print_pin(f, man);
	print_kernels(f, man);
	print_levels(f, man);
	print_host_boots(f, man);
	if (*jstr(man, "guest_qemu"))
		fprintf(f, "  guest qemu  %s\n", jstr(man, "guest_qemu"));
	print_workload(f, man);
	print_job(f, jstr(man, "job"));
}

static void print_counts(FILE *f, const struct nb_results *r, size_t dir)
{
	const char *lead = "  reps        ";
	size_t v;

	for (v = 0; v < nb_results_nvariants(r); v++) {
		const struct nb_rep_counts *c = nb_results_counts(r, v);

		if (nb_results_variant_dir(r, v) != dir)
			continue;
		fprintf(f, "%s%-9s %zu timing + %zu counting, %zu warm-up excluded",
			lead, nb_results_variant(r, v), c->timing, c->counting, c->warmup);
		if (c->bare)
			fprintf(f, ", %zu bare (no counters) for the overhead line", c->bare);
		if (c->exits)
			fprintf(f, ", %zu with perf kvm stat at L0", c->exits);
		if (c->lost)
			fprintf(f, ", %zu counting with lost events", c->lost);
		if (c->boots_failed)
			fprintf(f, ", %zu failed boot%s", c->boots_failed,
				c->boots_failed > 1 ? "s" : "");
		fputc('\n', f);
		lead = "              ";
	}
}

static void print_setup(FILE *f, const struct nb_results *r)
{
	size_t d;

	for (d = 0; d < nb_results_ndirs(r); d++) {
		struct json_object *man = nb_results_manifest(r, d);

		fprintf(f, "setup (%s)\n", nb_results_dir(r, d));
		if (man)
			print_manifest(f, man);
		else
			fprintf(f, "  no manifest.json: setup unknown\n");
		print_counts(f, r, d);
		fputc('\n', f);
	}
}

/* A counter of family key ("L0.transitions" is of "transitions") both have. */
static int explains(const struct nb_metric *m, const char *key, size_t base, size_t v)
{
	const char *dot = strchr(m->key, '.');

	return m->kind == NB_M_COUNTER && dot && !strcmp(dot + 1, key) &&
	       m->s[base].n && m->s[v].n;
}

static void print_explain_line(FILE *f, const struct nb_results *r, const struct nb_metric *m,
			       size_t v, int *any)
{
	size_t base = nb_results_baseline(r);
	char a[32], b[32];

	if (!(*any)++)
		fprintf(f, "  explained by (medians of counting reps, %s -> %s):\n",
			nb_results_variant(r, base), nb_results_variant(r, v));
	nb_fmt_num(a, sizeof(a), m->s[base].sum.median * m->scale);
	nb_fmt_num(b, sizeof(b), m->s[v].sum.median * m->scale);
	fprintf(f, "    %s: %s -> %s%s%s\n", m->label, a, b, *m->dunit ? " " : "", m->dunit);
}

/* The counter rows that explain the verdict, in their explain order, every level of each. */
static void print_explain(FILE *f, const struct nb_results *r, size_t v)
{
	size_t i, k, base = nb_results_baseline(r);
	const struct nb_metric *m;
	unsigned place;
	int any = 0;

	for (place = 1; place <= NB_EXPLAIN_MAX; place++)
		for (k = 0; k < nb_ncounters; k++)
			for (i = 0; nb_counters[k].explain == place && (m = nb_results_metric(r, i)); i++)
				if (explains(m, nb_counters[k].name, base, v))
					print_explain_line(f, r, m, v, &any);
}

/* Under the verdict: why the CI is what it is, and Welch's check. */
static void print_components(FILE *f, const struct nb_boot_cmp *c)
{
	char p[32];

	nb_fmt_p_at(p, sizeof(p), c->check.p, c->check.alpha);
	if (isnan(c->sd_between_pct))
		fprintf(f, "    boots: SD of boot means %.2g%%, of the baseline mean; between and "
			"within a boot cannot be separated with one repetition per boot\n",
			c->sd_boot_pct);
	else
		fprintf(f, "    boots: SD between boots %.2g%%, within a boot %.2g%% (%.3g reps per "
			"boot), SD of boot means %.2g%%, of the baseline mean\n", c->sd_between_pct,
			c->sd_within_pct, c->reps_per_boot, c->sd_boot_pct);
	fprintf(f, "    check: %s-test on the same boot means p=%s, %s\n",
		nb_tmodel_name(!c->model), p,
		c->check.significant == c->verdict.significant ? "agrees" :
		"DISAGREES: the arms' spreads or sizes differ, look at the boots before quoting");
}

static int print_timing(FILE *f, const struct nb_results *r, const struct nb_metric *m, size_t v)
{
	const struct nb_boot_cmp *c = nb_results_cmp(m, v);
	char line[640];

	if (!nb_verdict_line(line, sizeof(line), r, m, v))
		return 0;
	fprintf(f, "  %s\n", line);
	if (c && m->role == NB_ROLE_PRIMARY)
		print_components(f, c);
	return 1;
}

/* The primary clock first, then the secondary and the disturbed ones. */
static int print_verdicts(FILE *f, const struct nb_results *r, size_t v)
{
	enum nb_role role;
	size_t i;
	int n = 0;

	for (role = NB_ROLE_PRIMARY; role <= NB_ROLE_DISTURBED; role++)
		for (i = 0; i < nb_results_nmetrics(r); i++) {
			const struct nb_metric *m = nb_results_metric(r, i);

			if (m->role == role)
				n += print_timing(f, r, m, v);
		}
	return n;
}

/* A run that could stop early: its looks, their levels, and what its CIs are. */
static void print_design(FILE *f, const struct nb_results *r)
{
	const struct nb_seq *q = nb_results_seq(r);
	size_t k;

	if (!q)
		return;
	fprintf(f, "  sequential design (the CI-target stop): looks at");
	for (k = 0; k < q->nlooks; k++)
		fprintf(f, "%s %zu", k ? "," : "", q->n[k]);
	fprintf(f, " boots per arm, O'Brien-Fleming alpha spending (Lan-DeMets), levels");
	for (k = 0; k < q->nlooks; k++)
		fprintf(f, "%s %.3g", k ? "," : "", q->alpha[k]);
	fprintf(f, ";\n    each test is at its look's level and each CI a 95%% repeated CI: "
		"alpha stays %g whichever look stopped the run\n", NB_ALPHA);
}

static void print_verdict(FILE *f, const struct nb_results *r)
{
	size_t v, base = nb_results_baseline(r);

	for (v = 0; v < nb_results_nvariants(r); v++) {
		if (v == base)
			continue;
		fprintf(f, "verdict: %s vs %s (t-test on the means of boots: pooled variance, "
			"Welch's when the arms' boots differ in number; alpha %g; 95%% CI of the "
			"change from the same model)\n",
			nb_results_variant(r, v), nb_results_variant(r, base), NB_ALPHA);
		print_design(f, r);
		if (!print_verdicts(f, r, v))
			fprintf(f, "  no timing comparison: need >= 2 boots of each "
				"variant in the same clock\n");
		print_explain(f, r, v);
		fputc('\n', f);
	}
}

static void print_notes(FILE *f, const struct nb_results *r)
{
	size_t i;

	if (!nb_results_nnotes(r))
		return;
	fprintf(f, "notes\n");
	for (i = 0; i < nb_results_nnotes(r); i++)
		fprintf(f, "  - %s\n", nb_results_note(r, i));
}

/* Whether row i of directory d's reps.csv is variant v's. */
static int row_of(const struct nb_results *res, size_t d, const char *cell, size_t v)
{
	const char *name = nb_results_row_variant(res, d, cell);

	return name && !strcmp(name, nb_results_variant(res, v));
}

/* Rows of variant v's directory, its columns: one pass over reps.csv. */
struct mode_rows {
	const struct nb_results *res;
	const struct nb_table *t;
	size_t d, v;
	int cv, cm, cw, ci, cb;
	const int *boots;	/* sorted; only rows of these boots (NULL: every boot) */
	size_t nboots;
};

static int mode_rows_init(struct mode_rows *m, const struct nb_results *res, size_t v)
{
	m->res = res;
	m->v = v;
	m->d = nb_results_variant_dir(res, v);
	m->t = nb_results_table(res, m->d, NB_TAB_REPS);
	m->cv = nb_table_col(m->t, "variant");
	m->cm = nb_table_col(m->t, "mode");
	m->cw = nb_table_col(m->t, "warmup");
	m->ci = nb_table_col(m->t, "io_ns");
	m->cb = nb_table_col(m->t, "boot");
	m->boots = NULL;
	m->nboots = 0;
	return m->cv >= 0 && m->cm >= 0 && m->cw >= 0 && m->ci >= 0 && m->cb >= 0;
}

static int cmp_int(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

/* Row r's boot if it is a non-warm-up row of mode in m's boots, else -1. */
static int mode_row_boot(const struct mode_rows *m, size_t r, const char *mode)
{
	int boot;

	if (!row_of(m->res, m->d, nb_table_cell(m->t, r, m->cv), m->v) ||
	    strcmp(nb_table_cell(m->t, r, m->cm), mode) || !strcmp(nb_table_cell(m->t, r, m->cw), "1") ||
	    nb_parse_int(nb_table_cell(m->t, r, m->cb), 1, 1 << 20, &boot))
		return -1;
	if (m->boots && !bsearch(&boot, m->boots, m->nboots, sizeof(boot), cmp_int))
		return -1;
	return boot;
}

/* The boots (sorted, each once; caller frees) that ran repetitions of mode. */
static int *mode_boots(const struct mode_rows *m, const char *mode, size_t *n)
{
	int *b = calloc(nb_table_rows(m->t) + 1, sizeof(*b));
	size_t r, k = 0, i;

	for (r = 0; b && r < nb_table_rows(m->t); r++)
		if ((b[k] = mode_row_boot(m, r, mode)) >= 0)
			k++;
	if (b)
		qsort(b, k, sizeof(*b), cmp_int);
	for (*n = 0, i = 0; b && i < k; i++)
		if (!*n || b[*n - 1] != b[i])
			b[(*n)++] = b[i];
	return b;
}

/* Median io_ns of the rows of one mode (warm-ups excluded) in m's boots; 0 if none. */
static double mode_median(const struct mode_rows *m, const char *mode)
{
	double *x = calloc(nb_table_rows(m->t) + 1, sizeof(*x)), med = 0;
	size_t r, n = 0;

	for (r = 0; x && r < nb_table_rows(m->t); r++)
		if (mode_row_boot(m, r, mode) >= 0 &&
		    !nb_parse_double(nb_table_cell(m->t, r, m->ci), &x[n]))
			n++;
	if (n && nb_median(x, n, &med))
		med = 0;
	free(x);
	return med;
}

/*
 * With bare repetitions (no counter at all) in each boot, both ways of
 * counting have a measured cost: perf's in-kernel counters, which every
 * timing repetition carries, and the ring buffer of counting repetitions.
 */
static void print_bare_overhead(FILE *f, const char *variant, const char *window,
				const double med[4], size_t nbare, size_t nboots)
{
	double bare = med[0], timing = med[1], counting = med[2], exits = med[3];

	fprintf(f, "counting overhead, %s: %s", variant, window);
	if (timing > 0)
		fprintf(f, " %+.2f%% with perf counters (timing repetitions)", (timing / bare - 1) * 100);
	if (counting > 0)
		fprintf(f, "%s %+.1f%% with ring-buffer tracing (counting repetitions)", timing > 0 ? "," : "",
			(counting / bare - 1) * 100);
	if (exits > 0)
		fprintf(f, ", %+.1f%% with perf kvm stat record (exit repetitions)", (exits / bare - 1) * 100);
	if (nbare < nboots)	/* extras_boots: boots differ by more than perf costs */
		fprintf(f, ", against bare repetitions (no counters; medians of the %zu of %zu boots "
			"that ran them, same clock)\n", nbare, nboots);
	else
		fprintf(f, ", against bare repetitions (no counters; medians, same clock)\n");
}

/*
 * One arm's counting overhead. Bare repetitions may run in some boots only
 * (extras_boots =): every mode's median is then taken over those boots, so
 * that the difference between boots does not pass for what counting costs.
 */
static void print_arm_overhead(FILE *f, const struct nb_results *r, size_t v, const char *window,
			       size_t nall)
{
	static const char *const modes[] = { "bare", "timing", "counting", "exits" };
	struct mode_rows m;
	size_t nbare, i;
	double med[4];
	int *bare;

	if (!mode_rows_init(&m, r, v))
		return;
	bare = mode_boots(&m, "bare", &nbare);
	if (!bare)
		return;
	m.boots = nbare ? bare : NULL;
	m.nboots = nbare;
	for (i = 0; i < 4; i++)
		med[i] = mode_median(&m, modes[i]);
	if (med[0] > 0)
		print_bare_overhead(f, nb_results_variant(r, v), window, med, nbare, nall);
	else if (med[1] > 0 && med[2] > 0)
		fprintf(f, "counting overhead, %s: %s %+.1f%% in counting repetitions "
			"(tracing on; medians, same clock) -- why they are kept out of the timings\n",
			nb_results_variant(r, v), window, (med[2] / med[1] - 1) * 100);
	free(bare);
}

/* Tracing is not free: what a counting repetition costs against a timing one. */
static void print_counting_overhead(FILE *f, const struct nb_results *r)
{
	const struct nb_metric *m = nb_results_find(r, "io_ns");
	char window[64] = "io time";	/* the workload's window */
	size_t v;
	int n;

	n = m ? (int)strcspn(m->label, "(") : 0;	/* "hackbench time (icount clock)" */
	if (n > 1)
		snprintf(window, sizeof(window), "%.*s", n - 1, m->label);
	for (v = 0; v < nb_results_nvariants(r); v++)	/* the arm's boots: those of its timing rows */
		print_arm_overhead(f, r, v, window, m ? m->s[v].nboots : 0);
}

static const char *title(const struct nb_results *r)
{
	const char *e = jstr(nb_results_manifest(r, 0), "experiment");

	return *e ? e : nb_results_dir(r, 0);
}

/* L0 is the machine itself on platform host; its exits are hardware exits only on hardware. */
static const char *whose_exits(const struct nb_results *r)
{
	if (nb_results_hardware(r))
		return "hardware: the exits of this arm64 host's own KVM";
	if (nb_results_virtual_host(r))
		return "L0 is a virtual machine: the exits of its KVM, not of hardware";
	return "L0 is the emulated arm64 machine: the exits of its KVM under TCG, not of hardware";
}

/* A virtual machine's PMU may be QEMU's: TCG's cycle counter counts its clock at 1 GHz. */
static const char *whose_pmu(const struct nb_results *r)
{
	if (nb_results_hardware(r))
		return "this arm64 host's own, hardware counts";
	return "a virtual machine's, not hardware counts (QEMU TCG's cycle counter counts its clock, 1 GHz)";
}

int nb_write_report(const struct nb_results *r, const struct nb_boot_opts *o, FILE *f)
{
	size_t i;

	nb_write_mail(f, r);	/* the first screen: what a reviewer pastes */
	fputc('\n', f);
	fprintf(f, "nestbench report: %s", title(r));
	for (i = 1; i < nb_results_ndirs(r); i++)
		fprintf(f, " vs %s", jstr(nb_results_manifest(r, i), "experiment"));
	fputs("\n\n", f);
	print_emulation(f, r);
	print_virtual_host(f, r);
	print_compare_warning(f, r);
	print_drift(f, r);
	print_setup(f, r);
	print_verdict(f, r);
	nb_report_patches(f, r);
	nb_report_run_pairs(f, r);
	nb_report_control(f, r);
	print_tables(f, r);
	print_counting_overhead(f, r);
	nb_report_perf_counts(f, r, whose_pmu(r));
	nb_report_kvm_exits(f, r, whose_exits(r));
	nb_report_exceptions(f, r);
	nb_report_phases(f, r);
	print_notes(f, r);
	return ferror(f) ? -EIO : 0;
}

int nb_write_report_file(const struct nb_results *r, const struct nb_boot_opts *o,
			 const char *path, char *err, size_t errlen)
{
	struct nb_out out;
	int ret = nb_out_open(&out);

	if (!ret) {
		ret = nb_write_report(r, o, out.f);
		if (ret)
			nb_out_discard(&out);
		else
			ret = nb_out_commit(&out, path);
	}
	if (ret)
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	return ret;
}
