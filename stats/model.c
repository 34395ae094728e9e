// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stack/util.h"
#include "stats/csvio.h"
#include "stats/ini.h"
#include "stats/model.h"
#include "stats/plot.h"
#include "stats/verdict.h"

#define COST_MAX	1e6	/* ns: a millisecond per exception is no CPU's */
#define SENS_MAX_NS	5000.0
#define SENS_STEP_NS	50.0
#define SENS_W		1000	/* the plot's width in pixels */

static const char *cpu_file;

void nb_model_set_cpu_file(const char *path)
{
	cpu_file = path;
}

/* --- the cost file --- */

static const char altra_hvc[] = "Ampere Altra, Linux 6.12-rc1: kvm-unit-tests micro-bench hvc 306 ns "
				"(R. R. Ananta, kvm list, 2024-10-29)";
static const char assumed_hvc[] = "assumption: a trap round trip like the micro-bench hvc (306 ns, "
				  "Altra, kvm list 2024-10-29)";

void nb_cpu_costs_default(struct nb_cpu_costs *c)
{
	int k;

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "Ampere Altra (built-in defaults)");
	c->ns_per_insn = 0.333;
	snprintf(c->src_insn, NB_COST_SRC, "assumption: one instruction per cycle at 3.0 GHz");
	for (k = 0; k < NB_XC_NR; k++) {
		c->exit[k] = 306;
		snprintf(c->src_exit[k], NB_COST_SRC, "%s", assumed_hvc);
	}
	snprintf(c->src_exit[NB_XC_HVC], NB_COST_SRC, "%s", altra_hvc);
	c->exit[NB_XC_DABT] = 451;
	snprintf(c->src_exit[NB_XC_DABT], NB_COST_SRC, "Ampere Altra, Linux 6.12-rc1: micro-bench "
		 "mmio_read_vgic 451 ns, an abort KVM handles in the kernel (kvm list, 2024-10-29)");
	c->el1 = 20;
	snprintf(c->src_el1, NB_COST_SRC, "assumption: an exception entry and return at one EL, ~60 cycles");
}

struct ini_ctx {
	struct nb_cpu_costs *c;
	unsigned int seen;		/* bit per key */
	char err[200];
};

/* Key index: 0 ns_per_insn, 1 el1, 2.. exit_<class>; -1 unknown. */
static int key_index(const char *name, size_t len)
{
	int k;

	if (len == 11 && !strncmp(name, "ns_per_insn", len))
		return 0;
	if (len == 3 && !strncmp(name, "el1", len))
		return 1;
	for (k = 0; k < NB_XC_NR; k++)
		if (len == 5 + strlen(nb_exc_class_name(k)) && !strncmp(name, "exit_", 5) &&
		    !strncmp(name + 5, nb_exc_class_name(k), len - 5))
			return 2 + k;
	return -1;
}

static double *value_of(struct nb_cpu_costs *c, int i)
{
	return i == 0 ? &c->ns_per_insn : i == 1 ? &c->el1 : &c->exit[i - 2];
}

static char *source_of(struct nb_cpu_costs *c, int i)
{
	return i == 0 ? c->src_insn : i == 1 ? c->src_el1 : c->src_exit[i - 2];
}

/* A value the report prints, printable (nb_printable); 1, or 0 (inih: an error) without memory. */
static int put_text(char *dst, size_t len, const char *value)
{
	char *t = nb_printable(value, strlen(value), len - 4);

	if (!t)
		return 0;
	snprintf(dst, len, "%s", t);
	free(t);
	return 1;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct ini_ctx *x = user;
	const char *dot = strchr(name, '.');
	int i = key_index(name, dot ? (size_t)(dot - name) : strlen(name));
	double v;

	if (*section)
		return snprintf(x->err, sizeof(x->err), "no sections in a cost file ([%s])", section), 0;
	if (!strcmp(name, "name"))
		return put_text(x->c->name, sizeof(x->c->name), value);
	if (i < 0 || (dot && strcmp(dot, ".source")))
		return snprintf(x->err, sizeof(x->err), "unknown key '%.40s'", name), 0;
	if (dot)
		return put_text(source_of(x->c, i), NB_COST_SRC, value);
	if (nb_parse_double(value, &v) || v < 0 || v > COST_MAX)
		return snprintf(x->err, sizeof(x->err), "%s: '%.40s' is not a cost in [0, %g] ns",
				name, value, COST_MAX), 0;
	*value_of(x->c, i) = v;
	x->seen |= 1u << i;
	return 1;
}

/* shown: the path the report names (the tree's own file by its name in the tree). */
static int read_costs(const char *path, const char *shown, struct nb_cpu_costs *c,
		      char *err, size_t errlen)
{
	struct ini_ctx x = { .c = c };
	char why[200];
	unsigned int line;
	int i, ret;

	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", shown);
	ret = nb_ini_parse_file(path, on_key, &x, &line, why, sizeof(why));
	if (ret && !line)
		return snprintf(err, errlen, "%s: %s", path, why), ret;
	if (ret)
		return snprintf(err, errlen, "%s:%u: %s", path, line, x.err[0] ? x.err :
				why[0] ? why : "not a key = value line"), ret;
	for (i = 0; i < 2 + NB_XC_NR; i++)
		if (!(x.seen & 1u << i))
			return snprintf(err, errlen, "%s: no value for %s%s (every key of cpus/altra.ini is needed)",
					path, i == 0 ? "ns_per_insn" : i == 1 ? "el1" : "exit_",
					i >= 2 ? nb_exc_class_name(i - 2) : ""), -EINVAL;
	return 0;
}

int nb_cpu_costs_read(const char *path, struct nb_cpu_costs *c, char *err, size_t errlen)
{
	return read_costs(path, path, c, err, errlen);
}

/*
 * cpus/altra.ini of this nestbench's tree: found from the executable
 * (build/nestbench, build/host/tests/..., build/fuzz/...), never the working
 * directory, where any file of that name could stand in.
 */
static int default_cpu_file(char *path, size_t len)
{
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int up;

	if (n <= 0)
		return -ENOENT;
	exe[n] = '\0';
	for (up = 0; up < 4 && (slash = strrchr(exe, '/')); up++) {
		*slash = '\0';
		if (snprintf(path, len, "%s/cpus/altra.ini", exe) < (int)len && !access(path, R_OK))
			return 0;
	}
	return -ENOENT;
}

int nb_model_costs(struct nb_cpu_costs *c, char *err, size_t errlen)
{
	char path[PATH_MAX];

	if (cpu_file)
		return nb_cpu_costs_read(cpu_file, c, err, errlen);
	if (default_cpu_file(path, sizeof(path))) {
		nb_cpu_costs_default(c);
		return 0;
	}
	return read_costs(path, "cpus/altra.ini", c, err, errlen);
}

/* --- the model --- */

double nb_model_ns(const struct nb_cpu_costs *c, const struct nb_model_in *in)
{
	double ns = in->insns * c->ns_per_insn + in->el1 * c->el1;
	int k;

	for (k = 0; k < NB_XC_NR; k++)
		ns += in->exit[k] * c->exit[k];
	return ns;
}

double nb_model_ns_uniform(const struct nb_cpu_costs *c, const struct nb_model_in *in, double exit_ns)
{
	struct nb_cpu_costs u = *c;
	int k;

	for (k = 0; k < NB_XC_NR; k++)
		u.exit[k] = exit_ns;
	return nb_model_ns(&u, in);
}

int nb_model_arm(const struct nb_exc_arm *a, struct nb_model_in *in)
{
	char col[32];
	int k;

	if (!a->ninsn || !a->nrows || isnan(a->insn_per_io))
		return -ENODATA;
	in->insns = a->insn_per_io;
	in->el1 = a->per_io[nb_exc_col("cpu.el1")];
	for (k = 0; k < NB_XC_NR; k++) {
		snprintf(col, sizeof(col), "cpu.exit_%s", nb_exc_class_name(k));
		in->exit[k] = a->per_io[nb_exc_col(col)];
	}
	return 0;
}

static double exits_ns(const struct nb_cpu_costs *c, const struct nb_model_in *in)
{
	struct nb_model_in e = *in;

	e.insns = 0;
	e.el1 = 0;
	return nb_model_ns(c, &e);
}

static void print_arm(FILE *f, const struct nb_cpu_costs *c, const char *name, const struct nb_model_in *in)
{
	fprintf(f, "  %-12s %10.2f us per I/O = instructions %.2f + exits to L0 %.2f + EL1 exceptions %.2f\n",
		name, nb_model_ns(c, in) / 1000, in->insns * c->ns_per_insn / 1000,
		exits_ns(c, in) / 1000, in->el1 * c->el1 / 1000);
}

static double change_pct(double b, double v)
{
	return b > 0 ? (v / b - 1) * 100 : NAN;
}

static void print_change(FILE *f, const struct nb_cpu_costs *c, const struct nb_exc_arm *b,
			 const struct nb_model_in *bi, const struct nb_exc_arm *a, const struct nb_model_in *ai)
{
	static const double at[] = { 0, 500, 1000, 2000, 5000 };
	size_t i;

	fprintf(f, "  %s vs %s: modelled %+.2f%% (model, %s)   measured %+.2f%% (icount clock, io time per I/O)\n",
		a->name, b->name, change_pct(nb_model_ns(c, bi), nb_model_ns(c, ai)), c->name,
		change_pct(b->insn_per_io, a->insn_per_io));
	fprintf(f, "    if every exit to L0 cost:");
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		fprintf(f, "%s %.1f us %+.2f%%", i ? "," : "", at[i] / 1000,
			change_pct(nb_model_ns_uniform(c, bi, at[i]), nb_model_ns_uniform(c, ai, at[i])));
	fputc('\n', f);
}

static void print_costs(FILE *f, const struct nb_cpu_costs *c)
{
	int k;

	fprintf(f, "  costs (%s): %.3f ns per instruction [%s]; EL1 exception %.0f ns [%s]\n",
		c->path[0] ? c->path : "built in", c->ns_per_insn, c->src_insn, c->el1, c->src_el1);
	for (k = 0; k < NB_XC_NR; k++)
		fprintf(f, "    exit_%-7s %6.0f ns  [%s]\n", nb_exc_class_name(k), c->exit[k], c->src_exit[k]);
}

void nb_model_report(FILE *f, const struct nb_exc_set *s, const struct nb_cpu_costs *c)
{
	struct nb_model_in bi, ai;
	const struct nb_exc_arm *b = &s->arm[s->base];
	size_t v;

	if (!s->n || !b->nrows)
		return;
	fprintf(f, "\nmodelled hardware time (A MODEL, NOT A MEASUREMENT: icount instructions x ns per "
		"instruction + exceptions x cost per class; docs/counting.md)\n");
	if (nb_model_arm(b, &bi)) {
		fprintf(f, "  no model: the instructions come from timing repetitions in the icount clock, "
			"and %s has none\n", b->name);
		return;
	}
	print_arm(f, c, b->name, &bi);
	for (v = 0; v < s->n; v++)
		if (v != s->base && !nb_model_arm(&s->arm[v], &ai))
			print_arm(f, c, s->arm[v].name, &ai);
	for (v = 0; v < s->n; v++)
		if (v != s->base && !nb_model_arm(&s->arm[v], &ai))
			print_change(f, c, b, &bi, &s->arm[v], &ai);
	if (!b->counted_in_timing)
		fprintf(f, "  counts from counting repetitions (tracing on: their kprobe exceptions are L0's "
			"own and not charged); instructions from timing repetitions\n");
	print_costs(f, c);
	fprintf(f, "  plot: model-sensitivity.png (the change as the cost per exit goes from 0 to 5 us)\n");
}

/* --- the sensitivity plot --- */

/*
 * The plot's data columns: x, then per arm (not the baseline, with a model)
 * modelled, measured per I/O, and the verdict's change, CI low and high
 * (NaN when the arm has no verdict to hold the model against).
 */
static size_t arm_cols(const struct nb_exc_set *s, size_t v)
{
	struct nb_model_in ai;
	size_t k, col = 2;

	for (k = 0; k < v; k++)
		col += k != s->base && !nb_model_arm(&s->arm[k], &ai) ? 5 : 0;
	return col;
}

static void curve(FILE *gp, size_t v, size_t col, const char *name, const char *what, int dashed)
{
	char title[160];

	snprintf(title, sizeof(title), "%s: %s", name, what);
	fprintf(gp, ", \\\n     'model-sensitivity.dat' using 1:%zu with lines lc rgb '%s' %s title ",
		col, nb_plot_color(v), dashed ? "dashtype 3" : "linewidth 2");
	nb_gp_str(gp, title);
}

/*
 * The measured change's 95% CI as a band across every cost, and its change
 * as a point at 0 us: under icount an exit costs only the instructions that
 * handle it, which the model's first term already holds.
 */
static void band(FILE *gp, size_t v, size_t col, const char *name)
{
	char title[160];

	snprintf(title, sizeof(title), "%s: measured, 95%% CI (boot means)", name);
	fprintf(gp, ", \\\n     'model-sensitivity.dat' using 1:%zu:%zu with filledcurves "
		"fc rgb '%s' fs transparent solid 0.15 noborder title ", col + 3, col + 4,
		nb_plot_color(v));
	nb_gp_str(gp, title);
	snprintf(title, sizeof(title), "%s: measured change at 0 us (icount)", name);
	fprintf(gp, ", \\\n     'model-sensitivity.dat' every ::0::0 using 1:%zu:%zu:%zu with "
		"yerrorbars pt 7 ps 1.2 lw 2 lc rgb '%s' title ", col + 2, col + 3, col + 4,
		nb_plot_color(v));
	nb_gp_str(gp, title);
}

/* Key rows (two entries a row, under the plot) and verdict lines (above the key). */
struct layout {
	size_t key_rows, lines, bands;
	char text[NB_MAX_VARIANTS][800];
	size_t text_lines[NB_MAX_VARIANTS];
};

/* Each arm's verdict line as report.txt words it (stats/verdict.h), wrapped. */
static void layout(struct layout *l, const struct nb_exc_set *s, const struct nb_model_meas *m)
{
	struct nb_model_in ai;
	size_t v;

	memset(l, 0, sizeof(*l));
	for (v = 0; v < s->n; v++) {
		if (v == s->base || nb_model_arm(&s->arm[v], &ai))
			continue;
		l->key_rows += m && m->t[v] ? 2 : 1;
		l->bands += m && m->t[v];
		if (!m || !*m->line[v])
			continue;
		snprintf(l->text[v], sizeof(l->text[v]), "%s vs %s: %s", s->arm[v].name,
			 s->arm[s->base].name, m->line[v]);
		l->text_lines[v] = nb_gp_wrap(l->text[v], (SENS_W - 40) / 7.6);	/* 11 pt columns */
		l->lines += l->text_lines[v];
	}
}

static void verdict_labels(FILE *gp, const struct nb_exc_set *s, const struct layout *l)
{
	size_t v, y = l->key_rows;

	for (v = s->n; v-- > 0;) {
		if (!*l->text[v])
			continue;
		y += l->text_lines[v];
		fprintf(gp, "set label ");
		nb_gp_str(gp, l->text[v]);
		fprintf(gp, " at character 2, character %zu left tc rgb '%s'\n", y,
			nb_plot_color(v));
	}
}

/* Taller by a text line for each line under the plot. */
static int height(const struct layout *l)
{
	return 620 + 18 * (l->lines + l->key_rows);
}

static const char title_band[] = "Modelled change vs cost per exit to L0 (a model: icount "
	"instructions + counted exceptions)\nshaded: the measured change's 95% CI, to read the "
	"model against";
static const char title_none[] = "Modelled change vs cost per exit to L0 (a model: icount "
	"instructions + counted exceptions)\nno measured 95% CI to read it against: no verdict "
	"in the icount clock (the verdict line says why)";

static void plot_head(FILE *gp, const struct nb_cpu_costs *c, const struct layout *l)
{
	double at = c->exit[NB_XC_HVC] / 1000;

	fprintf(gp, "# written by nestbench report; rerun with: gnuplot model-sensitivity.gp\n"
		"set encoding utf8\nset termoption noenhanced\n"
		"set terminal pngcairo size %d,%d font 'DejaVu Sans,11'\n"
		"set output 'model-sensitivity.png'\nset title ", SENS_W, height(l));
	nb_gp_str(gp, l->bands ? title_band : title_none);
	fprintf(gp, "\nset xlabel 'cost per exit to L0 [us]'\nset ylabel 'change of time per I/O vs baseline [%%]'\n"
		"set grid\nset key outside bottom center horizontal maxcols 2 samplen 2\n"
		"set xrange [%g:%g]\nset bmargin %zu\n", -SENS_MAX_NS / 1000 / 40, SENS_MAX_NS / 1000,
		l->lines + l->key_rows + 4);
	fprintf(gp, "set arrow from %g, graph 0 to %g, graph 1 nohead dashtype 2\nset label ", at, at);
	nb_gp_str(gp, c->name);
	fprintf(gp, " at %g, graph 0.95 left offset 0.5,0\n", at);
}

static void plot_script(FILE *gp, const struct nb_exc_set *s, const struct nb_cpu_costs *c,
			const struct nb_model_meas *m, const struct layout *l)
{
	struct nb_model_in ai;
	size_t v;

	plot_head(gp, c, l);
	verdict_labels(gp, s, l);
	fprintf(gp, "plot 0 with lines lc rgb 'gray50' notitle");	/* no change */
	for (v = 0; v < s->n; v++) {
		if (v == s->base || nb_model_arm(&s->arm[v], &ai))
			continue;
		if (m && m->t[v])
			band(gp, v, arm_cols(s, v), s->arm[v].name);
		curve(gp, v, arm_cols(s, v), s->arm[v].name, "modelled", 0);
		curve(gp, v, arm_cols(s, v) + 1, s->arm[v].name, "measured per I/O (report's model line)", 1);
	}
	fprintf(gp, "\nset terminal svg size %d,%d dynamic background rgb 'white' "
		"font 'DejaVu Sans,11'\nset output 'model-sensitivity.svg'\nreplot\n", SENS_W,
		height(l));
}

static void meas_cols(FILE *dat, const struct nb_model_meas *m, size_t v)
{
	const struct nb_ttest *t = m ? m->t[v] : NULL;

	if (t)
		fprintf(dat, " %.4f %.4f %.4f", t->pct.est, t->pct.lo, t->pct.hi);
	else
		fprintf(dat, " NaN NaN NaN");
}

static void plot_data(FILE *dat, const struct nb_exc_set *s, const struct nb_cpu_costs *c,
		      const struct nb_model_in *bi, const struct nb_model_meas *m)
{
	struct nb_model_in ai;
	double x;
	size_t v;

	fprintf(dat, "# cost per exit [us], then per arm: modelled %%, measured per I/O %%, "
		"the verdict's change %%, its 95%% CI low, high\n");
	for (x = 0; x <= SENS_MAX_NS + 1e-9; x += SENS_STEP_NS) {
		fprintf(dat, "%g", x / 1000);
		for (v = 0; v < s->n; v++) {
			if (v == s->base || nb_model_arm(&s->arm[v], &ai))
				continue;
			fprintf(dat, " %.4f %.4f", change_pct(nb_model_ns_uniform(c, bi, x),
							      nb_model_ns_uniform(c, &ai, x)),
				change_pct(s->arm[s->base].insn_per_io, s->arm[v].insn_per_io));
			meas_cols(dat, m, v);
		}
		fputc('\n', dat);
	}
}

/* Each file whole or not at all (nb_out): a failed write leaves the previous one. */
static int write_files(const struct nb_exc_set *s, const struct nb_cpu_costs *c,
		       const struct nb_model_meas *m, const char *dir,
		       const struct nb_model_in *bi, char *path, size_t len)
{
	struct layout *l = malloc(sizeof(*l));
	struct nb_out gp, dat;
	int ret;

	if (!l)
		return -ENOMEM;
	layout(l, s, m);
	snprintf(path, len, "%s/model-sensitivity.gp", dir);
	ret = nb_out_open(&gp);
	if (!ret) {
		plot_script(gp.f, s, c, m, l);
		ret = nb_out_commit(&gp, path);
	}
	free(l);
	if (ret)
		return ret;
	snprintf(path, len, "%s/model-sensitivity.dat", dir);
	ret = nb_out_open(&dat);
	if (ret)
		return ret;
	plot_data(dat.f, s, c, bi, m);
	return nb_out_commit(&dat, path);
}

int nb_model_plot(const struct nb_exc_set *s, const struct nb_cpu_costs *c,
		  const struct nb_model_meas *m, const char *dir, int *made,
		  char *err, size_t errlen)
{
	struct nb_model_in bi, ai;
	char path[PATH_MAX];
	size_t v, n = 0;
	int ret;

	if (!s->n || nb_model_arm(&s->arm[s->base], &bi))
		return 0;
	for (v = 0; v < s->n; v++)
		n += v != s->base && !nb_model_arm(&s->arm[v], &ai);
	if (!n)
		return 0;
	ret = write_files(s, c, m, dir, &bi, path, sizeof(path));
	if (ret)
		return snprintf(err, errlen, "%s: %s", path, strerror(-ret)), ret;
	return nb_plot_draw(dir, "model-sensitivity", made, err, errlen);
}

void nb_report_exceptions(FILE *f, const struct nb_results *r)
{
	struct nb_cpu_costs c;
	struct nb_exc_set *s = calloc(1, sizeof(*s));
	char err[512];

	if (!s || nb_exc_set_take(r, s)) {
		free(s);
		return;
	}
	nb_exc_report(f, s);
	if (nb_model_costs(&c, err, sizeof(err)))
		fprintf(f, "\nno model: %s\n", err);
	else
		nb_model_report(f, s, &c);
	free(s);
}

/* Set variant named name, -1 if none. */
static int set_variant(const struct nb_results *r, const char *name)
{
	size_t v;

	for (v = 0; v < nb_results_nvariants(r); v++)
		if (!strcmp(nb_results_variant(r, v), name))
			return v;
	return -1;
}

/*
 * What the model is held against: the verdict's change on the boot means
 * (stats/verdict.h), when the verdict is in the icount clock the model's
 * instructions come from and against the same baseline.
 */
static void model_meas(const struct nb_results *r, const struct nb_exc_set *s,
		       struct nb_model_meas *out)
{
	const struct nb_metric *m = nb_results_primary(r);
	const struct nb_boot_cmp *c;
	size_t a;
	int v;

	memset(out, 0, sizeof(*out));
	if (!m || strcmp(m->clock, "icount") ||
	    set_variant(r, s->arm[s->base].name) != (int)nb_results_baseline(r))
		return;
	for (a = 0; a < s->n; a++) {
		v = set_variant(r, s->arm[a].name);
		if (a == s->base || v < 0 || !nb_verdict_line(out->line[a], sizeof(out->line[a]),
							      r, m, v))
			continue;
		c = nb_results_cmp(m, v);
		if (c && isfinite(c->verdict.pct.est) && isfinite(c->verdict.pct.lo) &&
		    isfinite(c->verdict.pct.hi))
			out->t[a] = &c->verdict;
	}
}

int nb_model_plot_results(const struct nb_results *r, const char *out, int *made, char *err, size_t errlen)
{
	struct nb_cpu_costs c;
	struct nb_exc_set *s = calloc(1, sizeof(*s));
	struct nb_model_meas *m = calloc(1, sizeof(*m));
	int ret = 0;

	if (!s || !m) {
		free(s);
		free(m);
		return -ENOMEM;
	}
	if (!nb_exc_set_take(r, s) && !nb_model_costs(&c, err, errlen)) {
		model_meas(r, s, m);
		ret = nb_model_plot(s, &c, m, out, made, err, errlen);
	}
	free(m);
	free(s);
	return ret;
}
