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

static const char *const colors[NB_MAX_VARIANTS] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
	"#9467bd", "#8c564b", "#e377c2", "#17becf",
};

/* One plot being written: NAME.gp and NAME.dat in the results directory. */
struct plot {
	const struct nb_results *r;
	const char *dir;
	char name[64];
	struct nb_out gpo, dato;
	FILE *gp, *dat;			/* gpo.f, dato.f */
	size_t blocks;			/* data blocks written to .dat */
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

static void out_path(char *path, const char *dir, const char *name, const char *ext)
{
	snprintf(path, PATH_MAX, "%s/%s.%s", dir, name, ext);
}

/* Script and data are built in memory and written whole (tmp + rename) by plot_close. */
static int plot_open(struct plot *p, const struct nb_results *r, const char *dir,
		     const char *name)
{
	int ret;

	memset(p, 0, sizeof(*p));
	p->r = r;
	p->dir = dir;
	snprintf(p->name, sizeof(p->name), "%s", name);
	ret = nb_out_open(&p->gpo);
	if (ret)
		return ret;
	ret = nb_out_open(&p->dato);
	if (ret) {
		nb_out_discard(&p->gpo);
		return ret;
	}
	p->gp = p->gpo.f;
	p->dat = p->dato.f;
	return 0;
}

static int plot_close(struct plot *p)
{
	char path[PATH_MAX];
	int ret;

	out_path(path, p->dir, p->name, "dat");
	ret = nb_out_commit(&p->dato, path);
	out_path(path, p->dir, p->name, "gp");
	if (ret)
		nb_out_discard(&p->gpo);
	else
		ret = nb_out_commit(&p->gpo, path);
	return ret;
}

static void block_end(struct plot *p)
{
	fprintf(p->dat, "\n\n");
	p->blocks++;
}

static void preamble(struct plot *p, const char *title, const char *ylabel)
{
	FILE *f = p->gp;

	fprintf(f, "# written by nestbench report; rerun with: gnuplot %s.gp\n", p->name);
	fprintf(f, "set encoding utf8\nset termoption noenhanced\n");
	fprintf(f, "set terminal pngcairo size 1000,620 font 'DejaVu Sans,11'\n");
	fprintf(f, "set output '%s.png'\nset title ", p->name);
	gp_str(f, title);
	fprintf(f, "\nset ylabel ");
	gp_str(f, ylabel);
	fprintf(f, "\nset grid ytics\nset key outside right top\n"
		"set style fill transparent solid 0.3 border\n");
}

static void postamble(struct plot *p)
{
	fprintf(p->gp, "\nset terminal svg size 1000,620 dynamic background rgb 'white' "
		"font 'DejaVu Sans,11'\nset output '%s.svg'\nreplot\n", p->name);
}

/* x tics at 1..n named after the variants that have data. */
static void variant_xtics(struct plot *p, const struct nb_metric *m)
{
	size_t v, x = 0;

	fprintf(p->gp, "set xtics (");
	for (v = 0; v < nb_results_nvariants(p->r); v++)
		if (m->s[v].n) {
			fprintf(p->gp, "%s", x++ ? ", " : "");
			gp_str(p->gp, nb_results_variant(p->r, v));
			fprintf(p->gp, " %zu", x);
		}
	fprintf(p->gp, ")\nset xrange [0.4:%zu.6]\nset xlabel 'variant'\n", x);
}

/* Block: x value outlier, one line per rep. */
static void dist_block(struct plot *p, const struct nb_series *s, double x0,
		       double scale, double width)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		fprintf(p->dat, "%.6f %.17g %d\n", x0 + jitter(i, width),
			s->obs[i].v * scale, s->obs[i].outlier);
	block_end(p);
}

static void dist_clauses(struct plot *p, size_t v, size_t x, int first)
{
	const char *name = nb_results_variant(p->r, v);

	fprintf(p->gp, "%s'%s.dat' index %zu using (%zu):2 with boxplot lc rgb '%s' title ",
		first ? "plot " : ", \\\n     ", p->name, p->blocks, x, colors[v]);
	gp_str(p->gp, name);
	fprintf(p->gp, ", \\\n     '' index %zu using 1:($3 > 0.5 ? 1/0 : $2) with points "
		"pt 7 ps 0.7 lc rgb '%s' notitle", p->blocks, colors[v]);
	fprintf(p->gp, ", \\\n     '' index %zu using 1:($3 > 0.5 ? $2 : 1/0) with points "
		"pt 6 ps 1.6 lc rgb 'black' notitle", p->blocks);
}

static void plot_distribution(struct plot *p, const struct nb_metric *m)
{
	size_t v, x = 0;

	variant_xtics(p, m);
	fprintf(p->gp, "set style boxplot nooutliers\nset boxwidth 0.5\nset key off\n"
		"set offsets 0,0,graph 0.05,graph 0.05\n");
	for (v = 0; v < nb_results_nvariants(p->r); v++) {
		if (!m->s[v].n)
			continue;
		x++;
		dist_clauses(p, v, x, x == 1);
		dist_block(p, &m->s[v], x, m->scale, 0.3);
	}
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

static int emulated(const struct nb_results *r)
{
	return !nb_results_hardware(r);
}

static int write_io_plot(const struct nb_results *r, const char *dir,
			 const struct nb_metric *m, const char *name)
{
	char title[256], ylabel[160];
	struct plot p;
	int ret = plot_open(&p, r, dir, name);

	if (ret)
		return ret;
	snprintf(title, sizeof(title), "%s: timing reps per variant (box: quartiles, "
		 "ring: MAD outlier)%s", m->label,
		 emulated(r) ? "\nemulated: not hardware numbers" : "");
	snprintf(ylabel, sizeof(ylabel), "%s [%s]", m->label, m->dunit);
	preamble(&p, title, ylabel);
	plot_distribution(&p, m);
	postamble(&p);
	return plot_close(&p);
}

/* Metrics of one per-level family ("fp_per_transition", "boot_s"), by level. */
static size_t level_metrics(const struct nb_results *r, const char *suffix,
			    const struct nb_metric **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < nb_results_nmetrics(r) && n < max; i++) {
		const struct nb_metric *m = nb_results_metric(r, i);
		const char *dot = strchr(m->key, '.');

		if (m->level >= 0 && dot && !strcmp(dot + 1, suffix))
			out[n++] = m;
	}
	return n;
}

static double bar_x(size_t level_idx, size_t v, size_t nvar)
{
	double w = 0.8 / nvar;

	return level_idx + (v + 0.5) * w - 0.4;
}

/* Each level names its clock: boot times of different levels are taken by
 * different parents. */
static void level_xtics(struct plot *p, const struct nb_metric **ms, size_t n)
{
	char ck[48], label[64];
	size_t i;

	fprintf(p->gp, "set xtics (");
	for (i = 0; i < n; i++) {
		nb_clock_label(ck, sizeof(ck), ms[i]->clock);
		snprintf(label, sizeof(label), "L%d%s%s", ms[i]->level,
			 *ms[i]->clock ? "\n" : "", *ms[i]->clock ? ck : "");
		fprintf(p->gp, "%s", i ? ", " : "");
		gp_str(p->gp, label);
		fprintf(p->gp, " %zu", i);
	}
	fprintf(p->gp, ")\nset xrange [-0.6:%zu.6]\nunset xlabel\nset bmargin 4\n"
		"set yrange [0:*]\nset offsets 0,0,graph 0.08,0\nset bars 1.5\n"
		"set boxwidth %.4f\n", n - 1,
		0.8 / nb_results_nvariants(p->r));
}

/* Block: x median min max for each level the variant has. */
static void bar_block(struct plot *p, const struct nb_metric **ms, size_t n, size_t v)
{
	size_t i, nvar = nb_results_nvariants(p->r);

	for (i = 0; i < n; i++) {
		const struct nb_series *s = &ms[i]->s[v];

		if (s->n)
			fprintf(p->dat, "%.4f %.17g %.17g %.17g\n", bar_x(i, v, nvar),
				s->sum.median * ms[i]->scale, s->sum.min * ms[i]->scale,
				s->sum.max * ms[i]->scale);
	}
	block_end(p);
}

/* Block: x value, one line per observation. */
static void points_block(struct plot *p, const struct nb_metric **ms, size_t n, size_t v)
{
	size_t i, j, nvar = nb_results_nvariants(p->r);

	for (i = 0; i < n; i++)
		for (j = 0; j < ms[i]->s[v].n; j++)
			fprintf(p->dat, "%.6f %.17g\n",
				bar_x(i, v, nvar) + jitter(j, 0.4 / nvar),
				ms[i]->s[v].obs[j].v * ms[i]->scale);
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

static void plot_bars(struct plot *p, const struct nb_metric **ms, size_t n)
{
	size_t v;

	level_xtics(p, ms, n);
	for (v = 0; v < nb_results_nvariants(p->r); v++) {
		bar_clauses(p, v, v == 0);
		bar_block(p, ms, n, v);
		points_block(p, ms, n, v);
	}
	fputc('\n', p->gp);
}

static int write_level_plot(const struct nb_results *r, const char *dir,
			    const char *family, const char *name,
			    const char *title, const char *ylabel)
{
	const struct nb_metric *ms[10];
	size_t n = level_metrics(r, family, ms, 10);
	struct plot p;
	int ret;

	if (!n)
		return 0;
	ret = plot_open(&p, r, dir, name);
	if (ret)
		return ret;
	preamble(&p, title, ylabel);
	plot_bars(&p, ms, n);
	postamble(&p);
	return plot_close(&p) ?: 1;
}

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

static int level_plot(const struct nb_results *r, const char *dir, int *made,
		      const char *const *spec, char *err, size_t errlen)
{
	int ret = write_level_plot(r, dir, spec[0], spec[1], spec[2], spec[3]);

	if (ret < 0)
		snprintf(err, errlen, "%s/%s.gp: %s", dir, spec[1], strerror(-ret));
	return ret > 0 ? draw(dir, spec[1], made, err, errlen) : ret;
}

void nb_gp_str(FILE *f, const char *s)
{
	gp_str(f, s);
}

int nb_plot_draw(const char *dir, const char *name, int *made, char *err, size_t errlen)
{
	return draw(dir, name, made, err, errlen);
}

int nb_write_plots(const struct nb_results *r, const char *dir, int *made,
		   char *err, size_t errlen)
{
	static const char *const fp[] = {
		"fp_per_transition", "fp-per-transition",
		"FP saves per nested transition, per emulating level "
		"(counting reps; bar: median, whiskers: min..max)",
		"FP saves per nested transition [count/transition]",
	};
	static const char *const boot[] = {
		"boot_s", "boot-times",
		"Boot time per level (bar: median, whiskers: min..max, dots: boots)",
		"boot time [s] (in the parent's clock, named per level)",
	};

	*made = 0;
	return io_plots(r, dir, made, err, errlen) ?:
	       level_plot(r, dir, made, fp, err, errlen) ?:
	       level_plot(r, dir, made, boot, err, errlen);
}
