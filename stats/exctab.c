// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats/csvio.h"
#include "stats/exctab.h"

int nb_exc_col(const char *name)
{
	size_t i;

	for (i = 0; i < NB_EXC_NCOLS; i++)
		if (!strcmp(nb_exc_column_name(i), name))
			return i;
	return -1;
}

static size_t arm_of(struct nb_exc_set *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->arm[i].name, name))
			return i;
	if (s->n == NB_MAX_VARIANTS)
		return SIZE_MAX;
	snprintf(s->arm[s->n].name, sizeof(s->arm[s->n].name), "%s", name);
	return s->n++;
}

struct cols {
	int variant, mode, warmup, ios, io_ns, clock, tp_eret, cpu[NB_EXC_NCOLS];
};

static double cell(const struct nb_table *t, size_t r, int col)
{
	double v;

	return col >= 0 && !nb_table_double(t, r, col, &v, NULL, 0) ? v : NAN;
}

static void take_insn(struct nb_exc_arm *a, double io_ns, double ios)
{
	a->insn_per_io += io_ns / ios;
	a->io_ns += io_ns;
	a->ninsn++;
}

static void take_cpu(struct nb_exc_set *s, struct nb_exc_arm *a, const struct nb_table *t, size_t r,
		     const struct cols *c, double ios)
{
	double v[NB_EXC_NCOLS], tp;
	size_t i;
	int m;

	for (i = 0; i < NB_EXC_NCOLS; i++)
		if (!((v[i] = cell(t, r, c->cpu[i])) >= 0))
			return;		/* a missing or broken count: the row is not used */
	if (v[nb_exc_col("cpu.bad")] > 0) {
		s->skipped_bad++;
		return;
	}
	m = strcmp(nb_table_cell(t, r, c->mode), "timing") && strcmp(nb_table_cell(t, r, c->mode), "bare");
	for (i = 0; i < NB_EXC_NCOLS; i++)
		a->sum_mode[m][i] += v[i] / ios;
	a->nmode[m]++;
	tp = cell(t, r, c->tp_eret);
	if (tp >= 0) {
		a->tp_eret += tp;
		a->cpu_eret += v[nb_exc_col("cpu.exit_eret")];
		a->ntrace++;
	}
}

static void take_row(struct nb_exc_set *s, const struct nb_table *t, size_t r, const struct cols *c,
		     const char *name)
{
	double ios = cell(t, r, c->ios), io_ns = cell(t, r, c->io_ns);
	size_t a;

	if (!name || !strcmp(nb_table_cell(t, r, c->warmup), "1") || !(ios > 0))
		return;
	a = arm_of(s, name);
	if (a == SIZE_MAX)
		return;
	if (!strcmp(nb_table_cell(t, r, c->mode), "timing") && io_ns > 0 &&
	    !strcmp(nb_table_cell(t, r, c->clock), "icount"))
		take_insn(&s->arm[a], io_ns, ios);
	take_cpu(s, &s->arm[a], t, r, c, ios);
}

static void finish(struct nb_exc_set *s)
{
	size_t v, i;

	for (v = 0; v < s->n; v++) {
		struct nb_exc_arm *a = &s->arm[v];
		int m = a->nmode[0] ? 0 : 1;	/* timing rows when they have counts: no tracing in them */

		a->counted_in_timing = !m;
		a->nrows = a->nmode[m];
		for (i = 0; i < NB_EXC_NCOLS; i++)
			a->per_io[i] = a->nrows ? a->sum_mode[m][i] / a->nrows : NAN;
		a->insn_per_io = a->ninsn ? a->insn_per_io / a->ninsn : NAN;
		a->io_ns = a->ninsn ? a->io_ns / a->ninsn : NAN;
		if (!strcmp(a->name, "base"))
			s->base = v;
	}
}

static int find_cols(const struct nb_table *t, struct cols *c)
{
	size_t i;

	c->variant = nb_table_col(t, "variant");
	c->mode = nb_table_col(t, "mode");
	c->warmup = nb_table_col(t, "warmup");
	c->ios = nb_table_col(t, "ios");
	c->io_ns = nb_table_col(t, "io_ns");
	c->clock = nb_table_col(t, "clock");
	c->tp_eret = nb_table_col(t, "L0.nested_eret");
	for (i = 0; i < NB_EXC_NCOLS; i++)
		if ((c->cpu[i] = nb_table_col(t, nb_exc_column_name(i))) < 0)
			return -ENOENT;
	return c->variant < 0 || c->mode < 0 || c->warmup < 0 || c->ios < 0 ? -ENOENT : 0;
}

/* Directory d's rows under their variants' names in the set; -ENOENT without the cpu.* columns. */
static int take_dir(struct nb_exc_set *s, const struct nb_results *res, size_t d)
{
	const struct nb_table *t = nb_results_table(res, d, NB_TAB_REPS);
	struct cols c;
	size_t r;
	int ret = find_cols(t, &c);

	for (r = 0; !ret && r < nb_table_rows(t); r++)
		take_row(s, t, r, &c, nb_results_row_variant(res, d, nb_table_cell(t, r, c.variant)));
	return ret;
}

int nb_exc_set_take(const struct nb_results *r, struct nb_exc_set *s)
{
	size_t d, found = 0;

	memset(s, 0, sizeof(*s));
	for (d = 0; d < nb_results_ndirs(r); d++)
		found += !take_dir(s, r, d);
	if (!found)
		return -ENOENT;
	finish(s);
	return 0;
}

/* --- the table --- */

static const struct { const char *col, *label; int always; } rows[] = {
	{ "cpu.exits", "exits to L0 (taken to EL2 from a guest)", 1 },
	{ "cpu.exit_fp", "  FP/SIMD/SVE access traps", 1 },
	{ "cpu.exit_sysreg", "  system register traps", 1 },
	{ "cpu.exit_eret", "  ERET traps (vEL2)", 1 },
	{ "cpu.exit_hvc", "  HVC", 1 },
	{ "cpu.exit_dabt", "  data aborts (stage 2, MMIO)", 1 },
	{ "cpu.exit_iabt", "  instruction aborts", 0 },
	{ "cpu.exit_irq", "  IRQ/FIQ", 1 },
	{ "cpu.exit_wfx", "  WFI/WFE", 0 },
	{ "cpu.exit_smc", "  SMC", 0 },
	{ "cpu.exit_svc", "  SVC", 0 },
	{ "cpu.exit_other", "  other (SError, debug, undefined)", 0 },
	{ "cpu.exit_vel2", "  of them pinned on a guest hypervisor's vEL2", 1 },
	{ "cpu.exit_el0", "  of them from EL0", 1 },
	{ "cpu.el2_host", "L0's own exceptions (its kernel, its EL0)", 1 },
	{ "cpu.el1", "taken to EL1 (no L0 involved)", 1 },
	{ "cpu.el1_vel2", "  inside a guest hypervisor's vEL2", 1 },
	{ "cpu.el1_el1", "  from a guest kernel at EL1 (not NV)", 1 },
	{ "cpu.eret_el2", "ERETs by L0 (EL2)", 1 },
	{ "cpu.eret_el1", "ERETs at EL1 (not trapped)", 1 },
};

static void print_num(FILE *f, double v)
{
	if (isnan(v))
		fprintf(f, " %10s", "-");
	else
		fprintf(f, " %10.2f", v);
}

static void print_diff(FILE *f, double b, double v)
{
	if (isnan(b) || isnan(v))
		return;
	fprintf(f, " %+10.2f", v - b);
	if (b > 0)
		fprintf(f, " (%+.1f%%)", (v / b - 1) * 100);
}

static int shown(const struct nb_exc_set *s, int k)
{
	int c = nb_exc_col(rows[k].col);
	size_t v;

	for (v = 0; !rows[k].always && v < s->n; v++)
		if (s->arm[v].per_io[c] > 0)
			return 1;
	return rows[k].always;
}

static void print_row(FILE *f, const struct nb_exc_set *s, int k)
{
	int c = nb_exc_col(rows[k].col);
	double b = s->arm[s->base].per_io[c];
	size_t v;

	fprintf(f, "  %-46s", rows[k].label);
	print_num(f, b);
	for (v = 0; v < s->n; v++)
		if (v != s->base) {
			print_num(f, s->arm[v].per_io[c]);
			if (s->n == 2)
				print_diff(f, b, s->arm[v].per_io[c]);
		}
	fputc('\n', f);
}

/* "the patch removes N FP-access traps to L0 per I/O": the largest change among the exit classes. */
static void print_sentence(FILE *f, const struct nb_exc_set *s, size_t v)
{
	const struct nb_exc_arm *b = &s->arm[s->base], *a = &s->arm[v];
	int k, best = -1;
	double d, bestd = 0;

	for (k = 1; k <= 11; k++) {
		d = a->per_io[nb_exc_col(rows[k].col)] - b->per_io[nb_exc_col(rows[k].col)];
		if (fabs(d) > fabs(bestd))
			bestd = d, best = k;
	}
	if (best < 0)
		return;
	d = b->per_io[nb_exc_col(rows[best].col)];
	fprintf(f, "%s vs %s: %s %.2f %s to L0 per I/O (%.2f -> %.2f)\n", a->name, b->name,
		bestd < 0 ? "removes" : "adds", fabs(bestd), rows[best].label + 2, d, d + bestd);
}

static void print_tracepoint_check(FILE *f, const struct nb_exc_set *s)
{
	size_t v;

	for (v = 0; v < s->n; v++)
		if (s->arm[v].ntrace && s->arm[v].tp_eret > 0)
			fprintf(f, "check, %s: ERET traps seen by the CPU / L0's kvm_nested_eret tracepoint = "
				"%.0f / %.0f = %.3f (>= 1: the CPU also sees the ERETs L0's fast path "
				"handles; %zu repetitions with both)\n", s->arm[v].name, s->arm[v].cpu_eret,
				s->arm[v].tp_eret, s->arm[v].cpu_eret / s->arm[v].tp_eret, s->arm[v].ntrace);
}

void nb_exc_report(FILE *f, const struct nb_exc_set *s)
{
	size_t v;
	int k;

	if (!s->n || !s->arm[s->base].nrows)
		return;
	fprintf(f, "\nexceptions per I/O at the emulated CPU (QEMU -d int of L0's QEMU over the I/O "
		"windows; attribution in docs/counting.md)\n  %-46s %10s", "", s->arm[s->base].name);
	for (v = 0; v < s->n; v++)
		if (v != s->base)
			fprintf(f, " %10s%s", s->arm[v].name, s->n == 2 ? "  difference" : "");
	fprintf(f, "\n  %-46s %10zu", s->arm[s->base].counted_in_timing ? "timing repetitions" :
		"counting repetitions (tracing on)", s->arm[s->base].nrows);
	for (v = 0; v < s->n; v++)
		if (v != s->base)
			fprintf(f, " %10zu", s->arm[v].nrows);
	fputc('\n', f);
	for (k = 0; k < (int)(sizeof(rows) / sizeof(rows[0])); k++)
		if (shown(s, k))
			print_row(f, s, k);
	for (v = 0; v < s->n; v++)
		if (v != s->base && s->arm[v].nrows)
			print_sentence(f, s, v);
	print_tracepoint_check(f, s);
	if (s->skipped_bad)
		fprintf(f, "note: %zu repetition(s) not used: their exception log had broken records (cpu.bad > 0)\n",
			s->skipped_bad);
}
