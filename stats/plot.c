// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stack/util.h"
#include "stats/plot.h"
#include "stats/verdict.h"

#define MAX_PANELS	4	/* clocks of one boot-times plot: icount, tcg-wall, host */
#define MAX_LEVELS	10

static const char *const colors[NB_MAX_VARIANTS] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
	"#9467bd", "#8c564b", "#e377c2", "#17becf",
	"#aec7e8", "#ff9896", "#98df8a", "#ffbb78",	/* a compared run's arms */
	"#c5b0d5", "#c49c94", "#f7b6d2", "#9edae5",
};

/*
 * One plot being written: NAME.gp and NAME.dat in the results directory.
 * The script's body is kept aside and written once per terminal (PNG, then
 * SVG): a multiplot cannot be replotted.
 */
struct plot {
	const struct nb_results *r;
	const char *dir;
	char name[64];
	int w, h;			/* pixels */
	struct nb_out gpo, dato, bodyo;
	FILE *gp, *dat;			/* bodyo.f, dato.f */
	size_t blocks;			/* data blocks written to .dat */
};

/* Boot-time metrics in one clock: one panel, its own y axis. */
struct panel {
	const struct nb_metric *ms[MAX_LEVELS];
	size_t n;
};

/* Deterministic, evenly spread jitter in [-w/2, w/2): golden-ratio sequence. */
static double jitter(size_t i, double w)
{
	double x = fmod((i + 1) * 0.6180339887498949, 1.0);

	return (x - 0.5) * w;
}

/*
 * A gnuplot string that is never code: gnuplot runs `...` inside
 * double-quoted strings as a shell command, but takes single-quoted ones
 * literally (a quote is doubled). A newline becomes '."\n".' (string
 * concatenation); other control characters, which could end the command
 * line, become spaces. Labels come from data files (variant names, clocks).
 */
static void gp_str(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\n')
			fputs("'.\"\\n\".'", f);
		else if (*s == '\'')
			fputs("''", f);
		else
			fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, f);
	}
	fputc('\'', f);
}

/* Breaks s at spaces into lines of at most cols characters where it can: gnuplot does not wrap. */
static void wrap(char *s, size_t cols)
{
	char *line = s, *space = NULL, *p;

	for (p = s; *p; p++) {
		if (*p == '\n') {
			line = p + 1;
			space = NULL;
			continue;
		}
		if (*p == ' ')
			space = p;
		if ((size_t)(p - line) >= cols && space) {
			*space = '\n';
			line = space + 1;
			space = NULL;
		}
	}
}

static size_t count_lines(const char *s)
{
	size_t n = 1;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void out_path(char *path, const char *dir, const char *name, const char *ext)
{
	snprintf(path, PATH_MAX, "%s/%s.%s", dir, name, ext);
}

/* Script and data are built in memory and written whole (tmp + rename) by plot_close. */
static int plot_open(struct plot *p, const struct nb_results *r, const char *dir,
		     const char *name, int w, int h)
{
	int ret;

	memset(p, 0, sizeof(*p));
	p->r = r;
	p->dir = dir;
	p->w = w;
	p->h = h;
	snprintf(p->name, sizeof(p->name), "%s", name);
	ret = nb_out_open(&p->gpo);
	if (ret)
		return ret;
	ret = nb_out_open(&p->dato);
	if (ret)
		goto out_gp;
	ret = nb_out_open(&p->bodyo);
	if (ret)
		goto out_dat;
	p->gp = p->bodyo.f;
	p->dat = p->dato.f;
	return 0;
out_dat:
	nb_out_discard(&p->dato);
out_gp:
	nb_out_discard(&p->gpo);
	return ret;
}

/* The body once per terminal; each copy starts from gnuplot's defaults (reset). */
static void script_whole(struct plot *p)
{
	static const char *const term[] = {
		"pngcairo size %d,%d font 'DejaVu Sans,11'",
		"svg size %d,%d dynamic background rgb 'white' font 'DejaVu Sans,11'",
	};
	static const char *const ext[] = { "png", "svg" };
	FILE *f = p->gpo.f;
	int i;

	fprintf(f, "# written by nestbench report; rerun with: gnuplot %s.gp\n"
		"# the same plot twice, PNG then SVG (a multiplot cannot be replotted)\n"
		"set encoding utf8\n", p->name);
	for (i = 0; i < 2; i++) {
		fprintf(f, "\nreset\nset terminal ");
		fprintf(f, term[i], p->w, p->h);
		fprintf(f, "\nset termoption noenhanced\nset output '%s.%s'\n", p->name, ext[i]);
		fwrite(p->bodyo.buf, 1, p->bodyo.len, f);
		fprintf(f, "unset output\n");
	}
}

static int plot_close(struct plot *p)
{
	char path[PATH_MAX];
	int ret = fflush(p->gp) || ferror(p->gp) ? -ENOMEM : 0;

	if (!ret)
		script_whole(p);
	nb_out_discard(&p->bodyo);
	out_path(path, p->dir, p->name, "dat");
	if (ret)
		nb_out_discard(&p->dato);
	else
		ret = nb_out_commit(&p->dato, path);
	out_path(path, p->dir, p->name, "gp");
	if (ret)
		nb_out_discard(&p->gpo);
	else
		ret = nb_out_commit(&p->gpo, path);
	return ret;
}

/* comment: what the block holds, for a reader of the .dat (never data from files). */
static void block_start(struct plot *p, const char *comment, size_t v)
{
	fprintf(p->dat, "# index %zu: %s of variant %zu\n", p->blocks, comment, v);
}

static void block_end(struct plot *p)
{
	fprintf(p->dat, "\n\n");
	p->blocks++;
}

static void preamble(struct plot *p, const char *title, const char *ylabel)
{
	FILE *f = p->gp;

	fprintf(f, "set title ");
	gp_str(f, title);
	fprintf(f, "\nset ylabel ");
	gp_str(f, ylabel);
	fprintf(f, "\nset grid ytics\nset key outside right top\n"
		"set style fill transparent solid 0.3 border\n");
}

static int emulated(const struct nb_results *r)
{
	return !nb_results_hardware(r);
}

/* --- io-time-<clock>: one point per boot, the unit of the verdict --- */

/* The variants with data in this clock, the baseline first as in report.txt's tables. */
static size_t variant_order(const struct nb_results *r, const struct nb_metric *m, size_t *order)
{
	size_t v, n = 0, base = nb_results_baseline(r);

	if (m->s[base].n)
		order[n++] = base;
	for (v = 0; v < nb_results_nvariants(r); v++)
		if (v != base && m->s[v].n)
			order[n++] = v;
	return n;
}

/* x tics at 1..n named after the variants. */
static void variant_xtics(struct plot *p, const size_t *order, size_t n)
{
	size_t x;

	fprintf(p->gp, "set xtics (");
	for (x = 0; x < n; x++) {
		fprintf(p->gp, "%s", x ? ", " : "");
		gp_str(p->gp, nb_results_variant(p->r, order[x]));
		fprintf(p->gp, " %zu", x + 1);
	}
	/* room on the right for the last variant's change beside its CI bar */
	fprintf(p->gp, ")\nset xrange [0.4:%zu.1]\nset xlabel 'variant'\n", n + 1);
}

/* What the plot's clock is to the verdict: said in its title. */
static void role_text(char *buf, size_t len, const struct nb_results *r,
		      const struct nb_metric *m)
{
	switch (m->role) {
	case NB_ROLE_PRIMARY:
		snprintf(buf, len, "the verdict's clock");
		break;
	case NB_ROLE_SECONDARY:
		snprintf(buf, len, "secondary clock, not a verdict");
		break;
	case NB_ROLE_DISTURBED:
		snprintf(buf, len, "not compared: %u boots ran side by side and disturb this clock",
			 nb_results_jobs(r));
		break;
	default:
		snprintf(buf, len, "no verdict in this clock");
	}
}

/* Block: x value outlier, one line per repetition (drawn faint, behind the boots). */
static void reps_block(struct plot *p, const struct nb_metric *m, size_t v, double x)
{
	const struct nb_series *s = &m->s[v];
	size_t i;

	block_start(p, "repetitions (x, value, MAD outlier)", v);
	for (i = 0; i < s->n; i++)
		fprintf(p->dat, "%.6f %.17g %d\n", x + jitter(i, 0.36),
			s->obs[i].v * m->scale, s->obs[i].outlier);
	block_end(p);
}

/* Block: x mean, one line per boot: the means the t-test compares. */
static void boots_block(struct plot *p, const struct nb_metric *m, size_t v, double x)
{
	const struct nb_series *s = &m->s[v];
	size_t i;

	block_start(p, "boot means, one line per boot (x, mean of the boot's repetitions)", v);
	for (i = 0; i < s->nboots; i++)
		fprintf(p->dat, "%.6f %.17g\n", x + jitter(i, 0.16), s->boot[i] * m->scale);
	block_end(p);
}

static void mean_block(struct plot *p, const struct nb_metric *m, size_t v, double x)
{
	block_start(p, "mean of boot means (x, mean)", v);
	fprintf(p->dat, "%.6f %.17g\n", x, m->s[v].bsum.mean * m->scale);
	block_end(p);
}

/*
 * The verdict's change of v and its 95% CI, when there is one to draw: not
 * with an arm short of boots, a disturbed clock, or a baseline mean of 0.
 */
static const struct nb_ttest *drawn_change(const struct nb_results *r,
					   const struct nb_metric *m, size_t v)
{
	const struct nb_boot_cmp *c = nb_results_cmp(m, v);

	if (!c || v == nb_results_baseline(r) || !nb_role_compared(m->role) ||
	    !isfinite(c->verdict.pct.lo) || !isfinite(c->verdict.pct.hi) ||
	    !isfinite(c->verdict.pct.est))
		return NULL;
	return &c->verdict;
}

/* Block: the change and its CI (in % of the baseline's mean of boot means) as that mean moved. */
static int delta_block(struct plot *p, const struct nb_metric *m, size_t v, double x)
{
	const struct nb_ttest *t = drawn_change(p->r, m, v);
	double b = m->s[nb_results_baseline(p->r)].bsum.mean * m->scale;

	if (!t)
		return 0;
	block_start(p, "the change's 95% CI on the baseline's mean (x, change, lo, hi)", v);
	fprintf(p->dat, "%.6f %.17g %.17g %.17g\n", x + 0.3, b * (1 + t->pct.est / 100),
		b * (1 + t->pct.lo / 100), b * (1 + t->pct.hi / 100));
	block_end(p);
	return 1;
}

/* Beside the CI bar, the change as report.txt's tables print it (the same formatter). */
static void delta_label(struct plot *p, const struct nb_metric *m, size_t v, double x)
{
	const struct nb_ttest *t = drawn_change(p->r, m, v);
	double b = m->s[nb_results_baseline(p->r)].bsum.mean * m->scale;
	char d[NB_FMT_LEN], ci[2 * NB_FMT_LEN + 8], text[128];

	if (!t)
		return;
	nb_fmt_change(d, sizeof(d), ci, sizeof(ci), t->pct.est, &t->pct);
	snprintf(text, sizeof(text), "%s\n95%% CI %s", d, ci);
	fprintf(p->gp, "set label ");
	gp_str(p->gp, text);
	fprintf(p->gp, " at %.6f, first %.17g left offset 0.6,0 front tc rgb '%s'\n", x + 0.3,
		b * (1 + t->pct.est / 100), colors[v]);
}

/* Faint repetitions (ringed when MAD outliers), then the boots and their mean. */
static void io_clauses(struct plot *p, size_t v, int first)
{
	const char *c = colors[v] + 1;

	fprintf(p->gp, "%s'%s.dat' index %zu using 1:($3 > 0.5 ? 1/0 : $2) with points "
		"pt 7 ps 0.5 lc rgb '#a0%s' notitle", first ? "plot " : ", \\\n     ",
		p->name, p->blocks, c);
	fprintf(p->gp, ", \\\n     '' index %zu using 1:($3 > 0.5 ? $2 : 1/0) with points "
		"pt 6 ps 1.3 lc rgb '#60000000' notitle", p->blocks);
	fprintf(p->gp, ", \\\n     '' index %zu using 1:2 with points pt 7 ps 1.6 "
		"lc rgb '#%s' notitle", p->blocks + 1, c);
	fprintf(p->gp, ", \\\n     '' index %zu using ($1 - 0.22):2:(0.44):(0) with vectors "
		"nohead lw 3 lc rgb '#%s' notitle", p->blocks + 2, c);
}

static void delta_clause(struct plot *p, size_t v)
{
	fprintf(p->gp, ", \\\n     '' index %zu using 1:2:3:4 with yerrorbars pt 5 ps 0.9 "
		"lw 2 lc rgb '%s' notitle", p->blocks - 1, colors[v]);
}

/* What each mark is, once, in black: the colours are the variants (x axis). */
static void io_key(struct plot *p, int deltas)
{
	fprintf(p->gp, ", \\\n     keyentry with points pt 7 ps 0.5 lc rgb '#a0404040' "
		"title 'repetition (ring: MAD outlier)'"
		", \\\n     keyentry with points pt 7 ps 1.6 lc rgb 'black' "
		"title 'boot: mean of its repetitions'"
		", \\\n     keyentry with vectors nohead lw 3 lc rgb 'black' title 'mean of boot means'"
		", \\\n     keyentry with lines dt 2 lc rgb 'gray30' title 'baseline: mean of boot means'");
	if (deltas)
		fprintf(p->gp, ", \\\n     keyentry with yerrorbars pt 5 ps 0.9 lw 2 lc rgb 'black' "
			"title 'change vs baseline, 95%% CI'");
}

/* Under the plot: each variant's verdict line as report.txt words it (stats/verdict.h). */
static size_t verdict_labels(struct plot *p, const struct nb_metric *m, const size_t *order,
			     size_t n)
{
	size_t x, lines = 0, base = nb_results_baseline(p->r);
	char line[640], text[800];

	for (x = n; x-- > 0;) {
		if (!nb_verdict_line(line, sizeof(line), p->r, m, order[x]))
			continue;
		snprintf(text, sizeof(text), "%s vs %s: %s", nb_results_variant(p->r, order[x]),
			 nb_results_variant(p->r, base), line);
		wrap(text, (p->w - 40) / 7.6);	/* columns of 11 pt text: gnuplot does not wrap */
		lines += count_lines(text);
		fprintf(p->gp, "set label ");
		gp_str(p->gp, text);
		/* above the key's two rows at the bottom */
		fprintf(p->gp, " at character 2, character %zu left front tc rgb '%s'\n",
			lines + 2, colors[order[x]]);
	}
	return lines;
}

/* The labels go before the plot command: the change beside each CI bar, the baseline's mean. */
static void io_marks(struct plot *p, const struct nb_metric *m, const size_t *order, size_t n)
{
	size_t x, base = nb_results_baseline(p->r);
	double y = m->s[base].bsum.mean * m->scale;

	if (m->s[base].nboots)
		fprintf(p->gp, "set arrow from graph 0, first %.17g to graph 1, first %.17g "
			"nohead dt 2 lc rgb 'gray30' back\n", y, y);
	for (x = 0; x < n; x++)
		delta_label(p, m, order[x], x + 1);
}

static void io_body(struct plot *p, const struct nb_metric *m, const size_t *order, size_t n)
{
	int deltas = 0;
	size_t x;

	variant_xtics(p, order, n);
	fprintf(p->gp, "set bmargin %zu\nset offsets 0,0,graph 0.05,graph 0.05\n",
		verdict_labels(p, m, order, n) + 6);
	io_marks(p, m, order, n);
	for (x = 0; x < n; x++) {
		io_clauses(p, order[x], !x);
		reps_block(p, m, order[x], x + 1);
		boots_block(p, m, order[x], x + 1);
		mean_block(p, m, order[x], x + 1);
		if (delta_block(p, m, order[x], x + 1)) {
			delta_clause(p, order[x]);
			deltas++;
		}
	}
	io_key(p, deltas);
	fputc('\n', p->gp);
}

static int io_plot_name(const struct nb_metric *m, char *name, size_t len)
{
	if (strcmp(m->key, "io_ns") && strcmp(m->key, "host_ns"))
		return 0;
	/* the clock comes from reps.csv: it names a file only if it is a name */
	snprintf(name, len, "io-time-%s", !strcmp(m->key, "host_ns") ? "host-wall" :
		 !nb_name_check(m->clock) ? m->clock : "unknown");
	return 1;
}

static int write_io_plot(const struct nb_results *r, const char *dir,
			 const struct nb_metric *m, const char *name)
{
	char title[400], ylabel[160], role[128];
	size_t order[NB_MAX_VARIANTS], n = variant_order(r, m, order);
	struct plot p;
	int ret = plot_open(&p, r, dir, name, 1100, 720);

	if (ret)
		return ret;
	role_text(role, sizeof(role), r, m);
	snprintf(title, sizeof(title), "%s: one point per boot, the mean of its repetitions "
		 "(the verdict's unit)\n%s%s", m->label, role,
		 emulated(r) ? "\nemulated: not hardware numbers" : "");
	snprintf(ylabel, sizeof(ylabel), "%s [%s]", m->label, m->dunit);
	preamble(&p, title, ylabel);
	/* a clock that decides nothing says so in red; the key under the plot leaves its width */
	fprintf(p.gp, "set title tc rgb '%s'\nset key outside bottom center horizontal maxrows 2 "
		"samplen 2\n", m->role == NB_ROLE_PRIMARY ? "black" : "#b00000");
	io_body(&p, m, order, n);
	return plot_close(&p);
}

/* --- per-level plots: boot-times (one panel per clock), fp-per-transition --- */

/* Metrics of one per-level family ("fp_per_transition", "boot_s"), by level. */
static size_t level_metrics(const struct nb_results *r, const char *suffix,
			    const struct nb_metric **out, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < nb_results_nmetrics(r) && n < max; i++) {
		const struct nb_metric *m = nb_results_metric(r, i);
		const char *dot = strchr(m->key, '.');

		if (m->level < 0 || !dot || strcmp(dot + 1, suffix))
			continue;
		for (j = n++; j > 0 && out[j - 1]->level > m->level; j--)
			out[j] = out[j - 1];
		out[j] = m;
	}
	return n;
}

/*
 * Boot times by the clock that took them: L0's is the x86 host's wall
 * clock, a deeper level's its parent's (icount under emulation). Two clocks
 * never share an axis. Returns the panels filled.
 */
static size_t clock_panels(const struct nb_metric **ms, size_t n, struct panel *pl)
{
	size_t i, k, np = 0;

	for (i = 0; i < n; i++) {
		for (k = 0; k < np && strcmp(pl[k].ms[0]->clock, ms[i]->clock); k++)
			;
		if (k == MAX_PANELS)
			continue;	/* loader's clocks are three: not reached */
		if (k == np)
			pl[np++].n = 0;
		pl[k].ms[pl[k].n++] = ms[i];
	}
	return np;
}

static double bar_x(size_t level_idx, size_t v, size_t nvar)
{
	double w = 0.8 / nvar;

	return level_idx + (v + 0.5) * w - 0.4;
}

/* Each level names its clock: boot times of different levels are taken by different parents. */
static void level_xtics(struct plot *p, const struct panel *pl)
{
	char ck[48], label[64];
	size_t i;

	fprintf(p->gp, "set xtics (");
	for (i = 0; i < pl->n; i++) {
		nb_clock_label(ck, sizeof(ck), pl->ms[i]->clock);
		snprintf(label, sizeof(label), "L%d%s%s", pl->ms[i]->level,
			 *pl->ms[i]->clock ? "\n" : "", *pl->ms[i]->clock ? ck : "");
		fprintf(p->gp, "%s", i ? ", " : "");
		gp_str(p->gp, label);
		fprintf(p->gp, " %zu", i);
	}
	fprintf(p->gp, ")\nset xrange [-0.6:%zu.6]\nunset xlabel\n"
		"set yrange [0:*]\nset offsets 0,0,graph 0.08,0\nset bars 1.5\n"
		"set boxwidth %.4f\n", pl->n - 1, 0.8 / nb_results_nvariants(p->r));
}

/* Block: x median min max for each level the variant has. */
static void bar_block(struct plot *p, const struct panel *pl, size_t v)
{
	size_t i, nvar = nb_results_nvariants(p->r);

	block_start(p, "median, min, max per level (x, median, min, max)", v);
	for (i = 0; i < pl->n; i++) {
		const struct nb_series *s = &pl->ms[i]->s[v];
		double k = pl->ms[i]->scale;

		if (s->n)
			fprintf(p->dat, "%.4f %.17g %.17g %.17g\n", bar_x(i, v, nvar),
				s->sum.median * k, s->sum.min * k, s->sum.max * k);
	}
	block_end(p);
}

/* Block: x value, one line per observation. */
static void points_block(struct plot *p, const struct panel *pl, size_t v)
{
	size_t i, j, nvar = nb_results_nvariants(p->r);

	block_start(p, "observations per level (x, value)", v);
	for (i = 0; i < pl->n; i++)
		for (j = 0; j < pl->ms[i]->s[v].n; j++)
			fprintf(p->dat, "%.6f %.17g\n",
				bar_x(i, v, nvar) + jitter(j, 0.4 / nvar),
				pl->ms[i]->s[v].obs[j].v * pl->ms[i]->scale);
	block_end(p);
}

static void bar_clauses(struct plot *p, size_t v, int first)
{
	fprintf(p->gp, "%s'%s.dat' index %zu using 1:2 with boxes lc rgb '%s' title ",
		first ? "plot " : ", \\\n     ", p->name, p->blocks, colors[v]);
	gp_str(p->gp, nb_results_variant(p->r, v));
	fprintf(p->gp, ", \\\n     '' index %zu using 1:2:3:4 with yerrorbars pt 7 ps 0 "
		"lc rgb 'black' notitle", p->blocks);
	fprintf(p->gp, ", \\\n     '' index %zu using 1:4:(sprintf('%%.3g', $2)) with labels "
		"offset 0,0.9 notitle", p->blocks);
	fprintf(p->gp, ", \\\n     '' index %zu using 1:2 with points pt 7 ps 0.6 "
		"lc rgb '%s' notitle", p->blocks + 1, colors[v]);
}

static int panel_has(const struct panel *pl, size_t v)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (pl->ms[i]->s[v].n)
			return 1;
	return 0;
}

/* A variant without a value in the panel has no bars there, nor a key entry. */
static void plot_bars(struct plot *p, const struct panel *pl)
{
	size_t v;
	int first = 1;

	level_xtics(p, pl);
	for (v = 0; v < nb_results_nvariants(p->r); v++) {
		if (!panel_has(pl, v))
			continue;
		bar_clauses(p, v, first);
		bar_block(p, pl, v);
		points_block(p, pl, v);
		first = 0;
	}
	fputc('\n', p->gp);
}

static int any_role(const struct panel *pl, enum nb_role role)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		if (pl->ms[i]->role == role)
			return 1;
	return 0;
}

/*
 * Where a panel's boot times depend on the host (docs/time.md), as the
 * results model decided: a wall clock shared by boots side by side, and
 * icount, whose sleep=off warps the clock while L0 waits for the host's
 * disk as L1 boots.
 */
static void panel_mark(char *buf, size_t len, const struct nb_results *r, const struct panel *pl)
{
	unsigned int jobs = nb_results_jobs(r);
	char side[96] = "";

	if (jobs > 1)
		snprintf(side, sizeof(side), "; %u boots ran side by side", jobs);
	if (any_role(pl, NB_ROLE_DISTURBED))
		snprintf(buf, len, "HOST-DISTURBED: %u boots ran side by side and share "
			 "this clock: not compared", jobs);
	else if (any_role(pl, NB_ROLE_HOST_IO))
		snprintf(buf, len, "HOST-DISTURBED: under icount (sleep=off) the clock "
			 "warps while L0 waits for the host's disk, so boot times vary with "
			 "the host's I/O (docs/time.md)%s", side);
	else
		snprintf(buf, len, "%s", jobs > 1 ? side + 2 : "");
}

/* A panel's title: its clock, and in red where the host disturbs it, in lines of cols. */
static void panel_title(char *buf, size_t len, const struct nb_results *r,
			const struct panel *pl, size_t cols)
{
	char ck[48], mark[300];

	nb_clock_label(ck, sizeof(ck), pl->ms[0]->clock);
	panel_mark(mark, sizeof(mark), r, pl);
	snprintf(buf, len, "%s%s%s", ck, *mark ? "\n" : "", mark);
	wrap(buf, cols);
}

static void panel_head(struct plot *p, const struct panel *pl, const char *title,
		       size_t tmargin)
{
	char ck[48], ylabel[96];

	nb_clock_label(ck, sizeof(ck), pl->ms[0]->clock);
	fprintf(p->gp, "set tmargin %zu\nset title ", tmargin);
	gp_str(p->gp, title);
	fprintf(p->gp, " tc rgb '%s'\nset ylabel ", strchr(title, '\n') ? "#b00000" : "black");
	snprintf(ylabel, sizeof(ylabel), "boot time [s], %s", ck);
	gp_str(p->gp, ylabel);
	fputc('\n', p->gp);
}

/* A panel's share of the width: as many levels, as wide. */
static double panel_share(const struct panel *pl, size_t np, size_t k, double *origin)
{
	size_t i, before = 0, all = 0;

	for (i = 0; i < np; i++) {
		all += pl[i].n + 1;
		before += i < k ? pl[i].n + 1 : 0;
	}
	*origin = (double)before / all;
	return (double)(pl[k].n + 1) / all;
}

/*
 * Panels side by side under the plot's title, each as wide as its levels
 * need; their titles wrapped to their width and the plot areas level.
 */
static void boot_panels(struct plot *p, const struct panel *pl, size_t np)
{
	char titles[MAX_PANELS][400];
	size_t k, tmargin = 0;
	double share, origin;

	for (k = 0; k < np; k++) {
		share = panel_share(pl, np, k, &origin);
		panel_title(titles[k], sizeof(titles[k]), p->r, &pl[k], p->w * share / 8);
		if (count_lines(titles[k]) + 1 > tmargin)
			tmargin = count_lines(titles[k]) + 1;
	}
	for (k = 0; k < np; k++) {
		share = panel_share(pl, np, k, &origin);
		fprintf(p->gp, "# panel %zu\nset origin %.4f,0\nset size %.4f,0.92\n",
			k + 1, origin, share);
		panel_head(p, &pl[k], titles[k], tmargin);
		plot_bars(p, &pl[k]);
	}
}

static void boot_body(struct plot *p, const struct panel *pl, size_t np)
{
	char title[300];

	snprintf(title, sizeof(title), "Boot time per level, one panel per clock: the clocks "
		 "are not comparable\n(bar: median, whiskers: min..max, dots: boots)%s",
		 emulated(p->r) ? "; emulated: not hardware numbers" : "");
	fprintf(p->gp, "set grid ytics\nset key below horizontal\n"
		"set style fill transparent solid 0.3 border\nset bmargin 5\n"
		"set multiplot title ");
	gp_str(p->gp, title);
	fputc('\n', p->gp);
	boot_panels(p, pl, np);
	fprintf(p->gp, "unset multiplot\n");
}

static int write_boot_plot(const struct nb_results *r, const char *dir)
{
	const struct nb_metric *ms[MAX_LEVELS];
	struct panel pl[MAX_PANELS];
	size_t n = level_metrics(r, "boot_s", ms, MAX_LEVELS), np;
	struct plot p;
	int ret;

	if (!n)
		return 0;
	np = clock_panels(ms, n, pl);
	ret = plot_open(&p, r, dir, "boot-times", np > 1 ? 1200 : 1000, 660);
	if (ret)
		return ret;
	boot_body(&p, pl, np);
	return plot_close(&p) ?: 1;
}

/* Counts, not times: one panel, whatever the levels' clocks. */
static int write_fp_plot(const struct nb_results *r, const char *dir)
{
	struct panel pl;
	struct plot p;
	int ret;

	pl.n = level_metrics(r, "fp_per_transition", pl.ms, MAX_LEVELS);
	if (!pl.n)
		return 0;
	ret = plot_open(&p, r, dir, "fp-per-transition", 1000, 620);
	if (ret)
		return ret;
	preamble(&p, "FP saves per nested transition, per emulating level "
		 "(counting reps; bar: median, whiskers: min..max)",
		 "FP saves per nested transition [count/transition]");
	fprintf(p.gp, "set bmargin 4\n");
	plot_bars(&p, &pl);
	return plot_close(&p) ?: 1;
}

/* --- gnuplot --- */

/* Runs gnuplot on NAME.gp inside dir; its stderr goes to dir/gnuplot.log. */
static int run_gnuplot(const char *dir, const char *name)
{
	char script[96];
	int status, log;
	pid_t pid;

	snprintf(script, sizeof(script), "%s.gp", name);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		if (chdir(dir) || (log = open("gnuplot.log", O_WRONLY | O_CREAT |
					      O_APPEND, 0644)) < 0)
			_exit(126);
		dup2(log, STDOUT_FILENO);
		dup2(log, STDERR_FILENO);
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(errno == ENOENT ? 127 : 126);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -ENOENT;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

static int draw(const char *dir, const char *name, int *made, char *err, size_t errlen)
{
	int ret = run_gnuplot(dir, name);

	if (ret == -ENOENT)
		snprintf(err, errlen, "gnuplot not found: no plots drawn "
			 "(apt-get install gnuplot-nox, then rerun nestbench report)");
	else if (ret)
		snprintf(err, errlen, "gnuplot failed on %s/%s.gp: see %s/gnuplot.log",
			 dir, name, dir);
	*made += !ret;
	return ret;
}

static int io_plots(const struct nb_results *r, const char *dir, int *made,
		    char *err, size_t errlen)
{
	char name[64];
	size_t i;
	int ret = 0;

	for (i = 0; i < nb_results_nmetrics(r) && !ret; i++) {
		const struct nb_metric *m = nb_results_metric(r, i);

		if (m->kind != NB_M_TIMING || !io_plot_name(m, name, sizeof(name)))
			continue;
		ret = write_io_plot(r, dir, m, name);
		if (ret)
			snprintf(err, errlen, "%s/%s.gp: %s", dir, name, strerror(-ret));
		else
			ret = draw(dir, name, made, err, errlen);
	}
	return ret;
}

/* ret: 1 written, 0 nothing to plot, or -errno. */
static int level_plot(int ret, const char *dir, const char *name, int *made,
		      char *err, size_t errlen)
{
	if (ret < 0)
		snprintf(err, errlen, "%s/%s.gp: %s", dir, name, strerror(-ret));
	return ret > 0 ? draw(dir, name, made, err, errlen) : ret;
}

void nb_gp_str(FILE *f, const char *s)
{
	gp_str(f, s);
}

const char *nb_plot_color(size_t v)
{
	return colors[v % NB_MAX_VARIANTS];
}

size_t nb_gp_wrap(char *s, size_t cols)
{
	wrap(s, cols);
	return count_lines(s);
}

int nb_plot_draw(const char *dir, const char *name, int *made, char *err, size_t errlen)
{
	return draw(dir, name, made, err, errlen);
}

int nb_write_plots(const struct nb_results *r, const char *dir, int *made,
		   char *err, size_t errlen)
{
	*made = 0;
	return io_plots(r, dir, made, err, errlen) ?:
	       level_plot(write_fp_plot(r, dir), dir, "fp-per-transition", made, err, errlen) ?:
	       level_plot(write_boot_plot(r, dir), dir, "boot-times", made, err, errlen);
}
