// SPDX-License-Identifier: GPL-2.0
/*
 * The plots a reader trusts at a glance (issue 25 item 8): results
 * directories in (the committed references and the fixtures), every output
 * written into a temporary directory, then the .gp and .dat read back. Run
 * from the top of the tree, as tests/run.sh does; gnuplot draws every plot.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "stats/outputs.h"
#include "stats/results.h"
#include "stats/stats.h"
#include "stats/verdict.h"
#include "tests/unit/fixtures.h"

#define FLAGSHIP	"reference/nv-fp-eret"		/* 3 + 3 boots, a verdict, jobs 2 */
#define EXC_D2		"reference/exceptions-d2"	/* 2 + 2 boots, no significant change */
#define EXC_D3		"reference/exceptions-d3"	/* 1 + 1 boots: no verdict */
#define JOBS		"tests/fixtures/results-jobs"	/* jobs 2 */
#define SHIFT		"tests/fixtures/results-shift"	/* jobs 1: host_ns a secondary clock */

static const char *const clock_labels[] = { "host wall clock", "icount clock", "tcg-wall clock" };

struct out {
	char dir[32];
	struct nb_results *r;
};

/* Every output of in (report.txt and the plots) into a new temporary directory. */
static void write_all(const char *in, struct out *o)
{
	struct nb_boot_opts opts;
	char err[512];

	nb_boot_defaults(&opts);
	snprintf(o->dir, sizeof(o->dir), "/tmp/nb-test-plot-XXXXXX");
	assert_non_null(mkdtemp(o->dir));
	if (nb_results_load(in, &o->r, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(nb_results_analyze(o->r, &opts), 0);
	if (nb_report_write_all(o->r, &opts, o->dir, err, sizeof(err)))
		fail_msg("%s", err);
}

static void done(struct out *o)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(o->dir);

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", o->dir, e->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	rmdir(o->dir);
	nb_results_free(o->r);
}

static char *slurp(const struct out *o, const char *name)
{
	char path[PATH_MAX], *buf = calloc(1, 1 << 20);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", o->dir, name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	assert_non_null(buf);
	assert_true(fread(buf, 1, (1 << 20) - 1, f) > 0);
	fclose(f);
	return buf;
}

/* The first copy of a script's body (the PNG's): the SVG's repeats it. */
static char *png_part(char *gp)
{
	char *svg = strstr(gp, "set terminal svg");

	assert_non_null(svg);
	*svg = '\0';
	return gp;
}

/*
 * The text of the gnuplot string at s ('...' pieces joined by ."\n".), into
 * out; the end of it returned. A doubled quote is one quote.
 */
static const char *gp_text(const char *s, char *out, size_t len)
{
	size_t n = 0;

	assert_int_equal(*s, '\'');
	for (;;) {
		for (s++; *s && !(*s == '\'' && s[1] != '\''); s++) {
			if (*s == '\'')
				s++;
			if (n + 1 < len)
				out[n++] = *s;
		}
		assert_int_equal(*s, '\'');
		s++;
		if (strncmp(s, ".\"\\n\".'", 7))
			break;
		if (n + 1 < len)
			out[n++] = '\n';
		s += 6;
	}
	out[n] = '\0';
	return s;
}

/* A wrapped label read as the line it was: its breaks were spaces. */
static void unwrap(char *s)
{
	for (; *s; s++)
		if (*s == '\n')
			*s = ' ';
}

/* The rows of the .dat block whose comment starts with what, for variant v; NULL if none. */
static const char *dat_block(const char *dat, const char *what, size_t v)
{
	char head[160];
	const char *at = dat;
	size_t idx;

	while ((at = strstr(at, "# index "))) {
		if (sscanf(at, "# index %zu: ", &idx) == 1) {
			const char *colon = strchr(at, ':') + 2;
			const char *eol = strchr(at, '\n');

			snprintf(head, sizeof(head), " of variant %zu\n", v);
			if (!strncmp(colon, what, strlen(what)) &&
			    !strncmp(eol - strlen(head) + 1, head, strlen(head)))
				return eol + 1;
		}
		at++;
	}
	return NULL;
}

/* Lines of a block up to its blank line, parsed as numbers: their count. */
static size_t block_rows(const char *b, double rows[][4], size_t max)
{
	size_t n = 0;

	while (b && *b && *b != '\n' && n < max) {
		int k = sscanf(b, "%lf %lf %lf %lf", &rows[n][0], &rows[n][1], &rows[n][2],
			       &rows[n][3]);

		assert_true(k >= 2);
		n++;
		b = strchr(b, '\n') + 1;
	}
	return n;
}

static const struct nb_metric *io_metric(const struct nb_results *r, const char *key,
					 const char *clock)
{
	size_t i;

	for (i = 0; i < nb_results_nmetrics(r); i++)
		if (!strcmp(nb_results_metric(r, i)->key, key) &&
		    !strcmp(nb_results_metric(r, i)->clock, clock))
			return nb_results_metric(r, i);
	fail_msg("no %s in the %s clock", key, clock);
	return NULL;
}

/*
 * io-time: one data point per boot, each the mean the verdict's t-test
 * compares, and the mean of them marked.
 */
static void io_time_one_point_per_boot(void **state)
{
	double rows[64][4];
	struct out o;
	const struct nb_metric *m;
	size_t v, i, n, boots = 0;
	char *dat;

	write_all(FLAGSHIP, &o);
	m = io_metric(o.r, "io_ns", "icount");
	dat = slurp(&o, "io-time-icount.dat");
	for (v = 0; v < nb_results_nvariants(o.r); v++) {
		n = block_rows(dat_block(dat, "boot means, one line per boot", v), rows, 64);
		assert_int_equal(n, m->s[v].nboots);
		assert_int_equal(n, 3);
		assert_true(m->s[v].n > n);	/* repetitions are not what is plotted */
		for (i = 0; i < n; i++)
			assert_true(rows[i][1] == m->s[v].boot[i] * m->scale);
		boots += n;
		assert_int_equal(block_rows(dat_block(dat, "mean of boot means", v), rows, 64), 1);
		assert_true(fabs(rows[0][1] - m->s[v].bsum.mean * m->scale) < 1e-9 * rows[0][1]);
		assert_int_equal(block_rows(dat_block(dat, "repetitions", v), rows, 64), m->s[v].n);
	}
	assert_int_equal(boots, 6);
	free(dat);
	done(&o);
}

/* The label under an io-time plot: report.txt's verdict line, whole, unwrapped. */
static void assert_label_is_verdict(const char *gp, const char *txt, const char *want)
{
	const char *at = gp;
	char text[1024], line[1024];
	int found = 0;

	snprintf(line, sizeof(line), "  %s\n", strchr(want, ':') + 2);
	assert_non_null(strstr(txt, line));	/* the line report.txt prints */
	while ((at = strstr(at, "\nset label '"))) {
		at += 11;
		gp_text(at, text, sizeof(text));
		unwrap(text);
		found += !strcmp(text, want);
	}
	if (found != 1)
		fail_msg("no label '%s'", want);
}

/*
 * The change, its CI, p and n boots on the plot are report.txt's: the same
 * line, and the same numbers drawn (on the baseline's mean) and written
 * beside the CI bar.
 */
static void io_time_delta_is_the_verdict(void **state)
{
	char want[1024], line[640], d[NB_FMT_LEN], ci[2 * NB_FMT_LEN + 8], beside[192];
	const struct nb_metric *m;
	const struct nb_ttest *t;
	double rows[4][4], b;
	size_t v, base;
	char *gp, *txt, *dat;
	struct out o;

	write_all(FLAGSHIP, &o);
	m = io_metric(o.r, "io_ns", "icount");
	base = nb_results_baseline(o.r);
	v = nb_test_variant(o.r, "patched");
	gp = png_part(slurp(&o, "io-time-icount.gp"));
	txt = slurp(&o, "report.txt");
	assert_int_equal(nb_verdict_line(line, sizeof(line), o.r, m, v), 1);
	snprintf(want, sizeof(want), "patched vs base: %s", line);
	assert_label_is_verdict(gp, txt, want);
	assert_non_null(strstr(txt, "means of boots -2.9% (95% CI -3.5% .. -2.3%, t-test p=2e-4, "
			       "n=3+3 boots)"));
	assert_non_null(strstr(want, "-2.9% (95% CI -3.5% .. -2.3%, t-test p=2e-4, n=3+3 boots)"));
	/* beside the bar: nb_fmt_change's text, which report.txt's table prints */
	t = &nb_results_cmp(m, v)->verdict;
	nb_fmt_change(d, sizeof(d), ci, sizeof(ci), t->pct.est, &t->pct);
	snprintf(beside, sizeof(beside), "set label '%s'.\"\\n\".'95%% CI %s' at ", d, ci);
	assert_non_null(strstr(gp, beside));
	assert_non_null(strstr(gp, "set label '-2.9%'.\"\\n\".'95% CI -3.5% .. -2.3%' at "));
	/* the bar: the baseline's mean moved by the change and its CI */
	b = m->s[base].bsum.mean * m->scale;
	dat = slurp(&o, "io-time-icount.dat");
	assert_int_equal(block_rows(dat_block(dat, "the change's 95% CI", v), rows, 4), 1);
	assert_true(fabs(rows[0][1] - b * (1 + t->pct.est / 100)) < 1e-9 * b);
	assert_true(fabs(rows[0][2] - b * (1 + t->pct.lo / 100)) < 1e-9 * b);
	assert_true(fabs(rows[0][3] - b * (1 + t->pct.hi / 100)) < 1e-9 * b);
	assert_true(rows[0][3] < b);	/* significant: the CI stays below the baseline */
	assert_null(dat_block(dat, "the change's 95% CI", base));	/* none for the baseline */
	assert_non_null(strstr(gp, "set title 'io time (icount clock): one point per boot"));
	assert_non_null(strstr(gp, "'.\"\\n\".'the verdict''s clock'"));
	free(dat);
	free(txt);
	free(gp);
	done(&o);
}

/* A clock that is not compared says so on its plot, and draws no change. */
static void io_time_says_not_compared(void **state)
{
	char line[640], want[1024];
	const struct nb_metric *m;
	struct out o;
	char *gp, *dat, *txt;

	write_all(JOBS, &o);
	m = io_metric(o.r, "host_ns", "host");
	assert_int_equal(m->role, NB_ROLE_DISTURBED);
	gp = png_part(slurp(&o, "io-time-host-wall.gp"));
	dat = slurp(&o, "io-time-host-wall.dat");
	txt = slurp(&o, "report.txt");
	assert_non_null(strstr(gp, "'.\"\\n\".'not compared: 2 boots ran side by side and disturb "
			       "this clock'"));
	assert_non_null(strstr(gp, "set title tc rgb '#b00000'"));
	assert_null(strstr(dat, "the change's 95% CI"));
	assert_null(strstr(gp, "with yerrorbars"));
	assert_int_equal(nb_verdict_line(line, sizeof(line), o.r, m, nb_test_variant(o.r, "patched")), 1);
	snprintf(want, sizeof(want), "patched vs base: %s", line);
	assert_label_is_verdict(gp, txt, want);
	assert_non_null(strstr(want, "not used, 2 boots ran concurrently and disturb it"));
	/* the icount clock of the same run is the verdict's */
	free(gp);
	gp = png_part(slurp(&o, "io-time-icount.gp"));
	assert_non_null(strstr(gp, "the verdict''s clock"));
	assert_null(strstr(gp, "not compared"));
	free(gp);
	free(dat);
	free(txt);
	done(&o);
}

static void io_time_says_secondary(void **state)
{
	char line[640], want[1024];
	const struct nb_metric *m;
	struct out o;
	char *gp, *txt;

	write_all(SHIFT, &o);
	m = io_metric(o.r, "host_ns", "host");
	assert_int_equal(m->role, NB_ROLE_SECONDARY);
	gp = png_part(slurp(&o, "io-time-host-wall.gp"));
	txt = slurp(&o, "report.txt");
	assert_non_null(strstr(gp, "'.\"\\n\".'secondary clock, not a verdict'"));
	assert_int_equal(nb_verdict_line(line, sizeof(line), o.r, m, nb_test_variant(o.r, "patched")), 1);
	snprintf(want, sizeof(want), "patched vs base: %s", line);
	assert_label_is_verdict(gp, txt, want);
	assert_non_null(strstr(want, ": secondary clock, not a verdict: io time (host wall clock)"));
	assert_non_null(strstr(gp, "with yerrorbars"));	/* a change it has, drawn */
	free(gp);
	free(txt);
	done(&o);
}

/* The clock labels a piece of script names. */
static unsigned int clocks_named(const char *s, size_t len)
{
	unsigned int mask = 0;
	size_t k;

	for (k = 0; k < sizeof(clock_labels) / sizeof(clock_labels[0]); k++)
		if (memmem(s, len, clock_labels[k], strlen(clock_labels[k])))
			mask |= 1u << k;
	return mask;
}

/* The line of a panel that starts with what. */
static size_t panel_line(const char *panel, size_t len, const char *what, const char **line)
{
	const char *at = memmem(panel, len, what, strlen(what));

	assert_non_null(at);
	*line = at;
	return strcspn(at, "\n");
}

/*
 * boot-times: one panel per clock, each axis (its x tics, its y label) in
 * one clock only; returns the panels' clock masks, title texts in titles.
 */
static size_t boot_panels(char *gp, unsigned int *masks, char titles[][512], size_t max)
{
	char *at = strstr(png_part(gp), "# panel "), *next;
	const char *line;
	size_t n = 0, len, l;

	assert_non_null(strstr(gp, "set multiplot"));
	assert_non_null(at);
	for (; at && n < max; at = next, n++) {
		next = strstr(at + 1, "# panel ");
		len = next ? (size_t)(next - at) : strlen(at);
		l = panel_line(at, len, "set xtics (", &line);
		masks[n] = clocks_named(line, l);
		l = panel_line(at, len, "set ylabel ", &line);
		assert_int_equal(clocks_named(line, l), masks[n]);
		assert_int_equal(__builtin_popcount(masks[n]), 1);
		panel_line(at, len, "set title ", &line);
		gp_text(line + 10, titles[n], 512);
	}
	return n;
}

static void boot_times_never_mix_clocks(void **state)
{
	unsigned int masks[4];
	char titles[4][512], *gp;
	struct out o;
	size_t n;

	write_all(FLAGSHIP, &o);
	gp = slurp(&o, "boot-times.gp");
	n = boot_panels(gp, masks, titles, 4);
	assert_int_equal(n, 2);
	assert_int_equal(masks[0], 1u << 0);	/* L0: the x86 host's wall clock */
	assert_int_equal(masks[1], 1u << 1);	/* L1..L3: icount */
	free(gp);
	gp = png_part(slurp(&o, "boot-times.gp"));
	assert_non_null(strstr(gp, "set xtics ('L0'.\"\\n\".'host wall clock' 0)"));
	assert_non_null(strstr(gp, "set xtics ('L1'.\"\\n\".'icount clock' 0, 'L2'.\"\\n\"."
			       "'icount clock' 1, 'L3'.\"\\n\".'icount clock' 2)"));
	free(gp);
	done(&o);
}

/* Boots side by side (jobs 2): the wall clock's boot times marked disturbed, icount's too. */
static void boot_times_marked_disturbed(void **state)
{
	unsigned int masks[4];
	char titles[4][512], *gp;
	struct out o;
	size_t n;

	write_all(JOBS, &o);
	gp = slurp(&o, "boot-times.gp");
	n = boot_panels(gp, masks, titles, 4);
	assert_int_equal(n, 2);
	unwrap(titles[0]);
	unwrap(titles[1]);
	assert_string_equal(titles[0], "host wall clock HOST-DISTURBED: 2 boots ran side by side "
			    "and share this clock: not compared");
	assert_non_null(strstr(titles[1], "icount clock HOST-DISTURBED: under icount (sleep=off) "
			       "the clock warps while L0 waits for the host's disk"));
	assert_non_null(strstr(titles[1], "(docs/time.md); 2 boots ran side by side"));
	free(gp);
	done(&o);
}

/* One boot at a time: the wall clock is not marked; icount's host I/O still is. */
static void boot_times_alone_not_disturbed(void **state)
{
	unsigned int masks[4];
	char titles[4][512], *gp;
	struct out o;

	write_all(SHIFT, &o);
	assert_int_equal(nb_results_jobs(o.r), 1);
	gp = slurp(&o, "boot-times.gp");
	assert_int_equal(boot_panels(gp, masks, titles, 4), 2);
	assert_string_equal(titles[0], "host wall clock");
	assert_null(strstr(titles[1], "side by side"));
	assert_non_null(strstr(titles[1], "HOST-DISTURBED: under icount (sleep=off)"));
	free(gp);
	done(&o);
}

/* model-sensitivity: the measured 95% CI as a band, the verdict's numbers, its line. */
static void model_shows_measured_ci(void **state)
{
	const struct nb_metric *m;
	const struct nb_ttest *t;
	double x, mod, per_io, est, lo, hi;
	char line[640], want[1024], *gp, *dat, *txt, *row;
	size_t rows = 0;
	struct out o;

	write_all(EXC_D2, &o);
	m = nb_results_primary(o.r);
	t = &nb_results_cmp(m, nb_test_variant(o.r, "patched"))->verdict;
	gp = png_part(slurp(&o, "model-sensitivity.gp"));
	dat = slurp(&o, "model-sensitivity.dat");
	txt = slurp(&o, "report.txt");
	assert_non_null(strstr(gp, " with filledcurves fc rgb "));
	assert_non_null(strstr(gp, "title 'patched: measured, 95% CI (boot means)'"));
	assert_non_null(strstr(gp, "every ::0::0 using 1:4:5:6 with yerrorbars"));
	for (row = strchr(dat, '\n') + 1; *row; row = strchr(row, '\n') + 1, rows++) {
		assert_int_equal(sscanf(row, "%lf %lf %lf %lf %lf %lf", &x, &mod, &per_io, &est,
					&lo, &hi), 6);
		assert_true(fabs(est - t->pct.est) < 1e-4 && fabs(lo - t->pct.lo) < 1e-4 &&
			    fabs(hi - t->pct.hi) < 1e-4);
	}
	assert_int_equal(rows, 101);	/* 0 .. 5 us by 50 ns: the band spans the plot */
	assert_true(lo < 0 && hi > 0);	/* no significant change: the band holds 0 */
	assert_int_equal(nb_verdict_line(line, sizeof(line), o.r, m, nb_test_variant(o.r, "patched")), 1);
	snprintf(want, sizeof(want), "patched vs base: %s", line);
	assert_label_is_verdict(gp, txt, want);
	assert_non_null(strstr(want, "delta -0.86%, 95% CI -3.52% .. +1.88%)"));
	free(gp);
	free(dat);
	free(txt);
	done(&o);
}

/* No verdict (1 + 1 boots): no band, and the plot says why. */
static void model_without_verdict_says_so(void **state)
{
	struct out o;
	char *gp;

	write_all(EXC_D3, &o);
	gp = png_part(slurp(&o, "model-sensitivity.gp"));
	assert_null(strstr(gp, "filledcurves"));
	assert_non_null(strstr(gp, "no measured 95% CI to read it against"));
	assert_non_null(strstr(gp, "no verdict, n=1+1 boots"));
	free(gp);
	done(&o);
}

/* gnuplot draws every plot of every directory without a word in gnuplot.log. */
static void gnuplot_draws_them_cleanly(void **state)
{
	static const char *const dirs[] = { FLAGSHIP, EXC_D2, EXC_D3, JOBS, SHIFT };
	static const char *const files[] = {
		"io-time-icount.png", "io-time-host-wall.svg", "boot-times.png", "boot-times.svg",
		"fp-per-transition.png",
	};
	char path[PATH_MAX];
	struct stat st;
	struct out o;
	size_t i, k;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		write_all(dirs[i], &o);
		for (k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
			snprintf(path, sizeof(path), "%s/%s", o.dir, files[k]);
			if (stat(path, &st) || !st.st_size)
				fail_msg("%s: %s missing or empty", dirs[i], files[k]);
		}
		snprintf(path, sizeof(path), "%s/gnuplot.log", o.dir);
		if (!stat(path, &st) && st.st_size)
			fail_msg("%s: gnuplot said: %s", dirs[i], slurp(&o, "gnuplot.log"));
		done(&o);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(io_time_one_point_per_boot),
		cmocka_unit_test(io_time_delta_is_the_verdict),
		cmocka_unit_test(io_time_says_not_compared),
		cmocka_unit_test(io_time_says_secondary),
		cmocka_unit_test(boot_times_never_mix_clocks),
		cmocka_unit_test(boot_times_marked_disturbed),
		cmocka_unit_test(boot_times_alone_not_disturbed),
		cmocka_unit_test(model_shows_measured_ci),
		cmocka_unit_test(model_without_verdict_says_so),
		cmocka_unit_test(gnuplot_draws_them_cleanly),
	};
	return cmocka_run_group_tests_name("plot", tests, NULL, NULL);
}
