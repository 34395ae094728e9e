// SPDX-License-Identifier: GPL-2.0
/*
 * Patch series: `series =` in an experiment file expands into one variant
 * per kernel (bench/experiment.c), and the report's per-patch table
 * (stats/patches.c) gives each patch's own change and the cumulative one
 * with the statistics of every other verdict.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/experiment.h"
#include "stack/util.h"
#include "stats/mail.h"
#include "stats/patches.h"
#include "stats/report.h"
#include "stats/results.h"
#include "stats/summary.h"
#include "tests/unit/fixtures.h"

#include <json-c/json.h>

#define HEAD "[experiment]\nname = s\ndepth = 2\n"

/* Each case: a file, and the variants it makes (in order) or the error it gets. */
static void series_expands(void **state)
{
	static const struct {
		const char *text, *variants, *err;
	} cases[] = {
		{ HEAD "series = s0..s2\n", "s0 s1 s2", NULL },
		{ HEAD "series = s0, s1 ,s2\n", "s0 s1 s2", NULL },
		{ HEAD "series = base,fix.1,fix+2\n", "base fix.1 fix+2", NULL },
		{ HEAD "series = v3..v5\n", "v3 v4 v5", NULL },
		{ HEAD "series = s0..s7\n", "s0 s1 s2 s3 s4 s5 s6 s7", NULL },
		{ HEAD "series = s0..s1\n[variant ctl]\nkernel = slow-eret\n", "ctl s0 s1", NULL },
		{ HEAD "series = s0\n", NULL, "t.ini:4: series 's0': give the kernels of a patch series' prefixes" },
		{ HEAD "series = s0,s1,s0\n", NULL, "series 's0,s1,s0'" },
		{ HEAD "series = s2..s0\n", NULL, "series 's2..s0'" },
		{ HEAD "series = s0..t2\n", NULL, "series 's0..t2'" },
		{ HEAD "series = s0..s8\n", NULL, "series 's0..s8'" },
		{ HEAD "series = s0..s2x\n", NULL, "series 's0..s2x'" },
		{ HEAD "series = ..s2\n", NULL, "series '..s2'" },
		{ HEAD "series = s0,,s1\n", NULL, "series 's0,,s1'" },
		{ HEAD "series = s0,a b\n", NULL, "series 's0,a b'" },
		{ HEAD "series = s0,.s1\n", NULL, "series 's0,.s1'" },
		{ HEAD "series = s0..s1\n[variant s1]\nkernel = x\n", NULL,
		  "t.ini:4: series kernel s1 is also a [variant s1] section: rename the section" },
		{ HEAD "series = s0..s4\n[variant a]\nkernel = x\n[variant b]\nkernel = x\n"
		  "[variant c]\nkernel = x\n[variant d]\nkernel = x\n", NULL, "more than 8 variants" },
		{ HEAD "series = s0..s1\nseries = s0..s2\n", NULL, "series" },	/* given twice */
		{ HEAD "series = s0..s1\nseries_kernels = L0=*,L1=patched\n", NULL,
		  "variant s0 has no kernel for L2: give kernel = NAME or kernels = L0=..,L2=.." },
		{ HEAD "series = s0..s1\nseries_kernels = L0=*,L1=p,L2=p,L3=p\n", NULL,
		  "variant s0 names a kernel for a level deeper than depth 2" },
		{ HEAD "series = s0..s1\nseries_kernels = L0=base,L1=patched,L2=patched\n", NULL,
		  "t.ini:5: series_kernels 'L0=base,L1=patched,L2=patched' puts the series' kernel at no level" },
		{ HEAD "series = s0..s1\nseries_kernels = L0=*,L0=patched\n", NULL, "series_kernels 'L0=*,L0=patched': use" },
		{ HEAD "series = s0..s1\nseries_kernels = L0=**,L1=x\n", NULL, "series_kernels 'L0=**,L1=x': use" },
		{ HEAD "series = s0..s1\nseries_kernels = X0=*\n", NULL, "series_kernels 'X0=*': use" },
		{ HEAD "series_kernels = L0=*,L1=p,L2=p\n[variant a]\nkernel = x\n[variant b]\nkernel = y\n", NULL,
		  "t.ini:4: series_kernels without series =" },
	};
	struct experiment e;
	char err[512], got[600];
	size_t i, n;
	int v, l;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = exp_load_text(cases[i].text, strlen(cases[i].text), "t.ini", &e, err, sizeof(err));

		if (cases[i].err) {
			if (!ret || !strstr(err, cases[i].err))
				fail_msg("case %zu: want error '%s', got %d '%s'", i, cases[i].err, ret, ret ? err : "");
			continue;
		}
		if (ret)
			fail_msg("case %zu: %s", i, err);
		for (v = 0, n = 0; v < e.nvariants; v++) {
			n += snprintf(got + n, sizeof(got) - n, "%s%s", v ? " " : "", e.v[v].name);
			if (v < e.nvariants - e.nseries)
				continue;
			for (l = 0; l <= NB_MAX_DEPTH; l++)	/* the series kernel at every level */
				assert_string_equal(e.v[v].kernels[l], e.v[v].name);
		}
		assert_string_equal(got, cases[i].variants);
	}
}

/* series_kernels = : the series' kernel where the layout says *, the named kernel elsewhere. */
static void series_layout(void **state)
{
	static const struct {
		const char *layout, *l0, *l1, *l2;	/* "*": the variant's own kernel */
	} cases[] = {
		{ "L0=*, L1=patched,L2 = patched", "*", "patched", "patched" },
		{ "L0=base,L1=*,L2=*", "base", "*", "*" },
		{ "L2=*,L0=*,L1=*", "*", "*", "*" },
	};
	struct experiment e;
	char text[256], err[512];
	const char *want[3];
	size_t i;
	int v, l;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), HEAD "series = s0..s1\nseries_kernels = %s\n", cases[i].layout);
		if (exp_load_text(text, strlen(text), "t.ini", &e, err, sizeof(err)))
			fail_msg("case %zu: %s", i, err);
		assert_int_equal(e.nvariants, 2);
		want[0] = cases[i].l0, want[1] = cases[i].l1, want[2] = cases[i].l2;
		for (v = 0; v < 2; v++)
			for (l = 0; l <= 2; l++)
				assert_string_equal(e.v[v].kernels[l], strcmp(want[l], "*") ? want[l] : e.v[v].name);
	}
}

/* The row prints the series back as the file gave it (the manifest's plan, --help). */
static void series_formats(void **state)
{
	const struct nb_opt *o = nb_opt_find(exp_keys, "series", NB_IN_FILE);
	struct experiment e;
	char err[256], buf[128];

	assert_non_null(o);
	memset(&e, 0, sizeof(e));
	assert_int_equal(nb_opt_set(o, &e, "s0..s3", NULL, err, sizeof(err)), 0);
	assert_int_equal(e.nseries, 4);
	assert_int_equal(nb_opt_format(o, &e, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "s0,s1,s2,s3");
	assert_int_equal(nb_opt_set(o, &e, "s0", NULL, err, sizeof(err)), -EINVAL);
	assert_int_equal(e.nseries, 0);	/* a refused value leaves no half series */
}

#define RHDR "experiment,variant,kernels,platform,clock,boot,rep,mode,warmup,io_ns\n"
#define MAN "{ \"experiment\": \"e\", \"platform\": \"emulated\", \"series\": [ \"s0\", \"s1\", \"s2\" ], " \
	"\"kernels\": { \"s1\": { \"subject\": \"KVM: arm64: first\" }, \"s2\": { \"subject\": \"KVM: arm64: second\" } } }"

/* Boot means per kernel (ms), 0 ends a list; each boot is two reps 0.2 ms either side of its mean. */
struct series_case {
	const char *what;
	double boots[3][5];
	int own[3], cum[3];		/* 1 significant, 0 not, -1 no comparison */
	double own_pct[3], cum_pct[3];	/* estimates, when compared */
};

static const struct series_case series_cases[] = {
	{ "patch 1 buys +10%, patch 2 nothing",
	  { { 100, 101, 100.5 }, { 110, 111, 110.5 }, { 110.2, 111.1, 110.4 } },
	  { -1, 1, 0 }, { -1, 1, 1 }, { 0, 9.9502, 0.0603 }, { 0, 9.9502, 10.0166 } },
	{ "boots differ in number: Welch's test",
	  { { 100, 100.4, 100.2, 99.9 }, { 95, 95.2 }, { 95.2, 95.4, 95.0 } },
	  { -1, 1, 0 }, { -1, 1, 1 }, { 0, -5.0187, 0.1052 }, { 0, -5.0187, -4.9189 } },
	{ "a kernel with one boot: no comparison next to it",
	  { { 100, 101 }, { 120 }, { 100.3, 100.8 } },
	  { -1, -1, -1 }, { -1, -1, 0 }, { 0 }, { 0, 0, 0.0498 } },
	{ "a kernel that never ran (all its boots failed)",
	  { { 100, 101 }, { 0 }, { 90, 91 } },
	  { -1, -1, -1 }, { -1, -1, 1 }, { 0 }, { 0, 0, -9.9502 } },
};

/* reps.csv with s1's rows first: the baseline is still the series' base. */
static void write_series(const char *dir, const struct series_case *c)
{
	static const int order[] = { 1, 0, 2 };
	char path[PATH_MAX];
	FILE *f;
	int k, b, r, boot = 0;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	assert_int_equal(nb_write_file(path, MAN, strlen(MAN)), 0);
	snprintf(path, sizeof(path), "%s/reps.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(RHDR, f);
	for (k = 0; k < 3; k++)
		for (b = 0; c->boots[order[k]][b] > 0; b++, boot++)
			for (r = 0; r < 2; r++)
				fprintf(f, "e,s%d,s%d,emulated,icount,%d,%d,timing,0,%.0f\n", order[k],
					order[k], boot + 1, r + 1, (c->boots[order[k]][b] + (r ? 0.2 : -0.2)) * 1e6);
	fclose(f);
}

static void check_cmp(const struct series_case *c, int k, const char *kind, int want, double pct,
		      int has, const struct nb_ttest *t)
{
	if (want < 0 && has)
		fail_msg("%s: s%d has a %s change, none expected", c->what, k, kind);
	if (want < 0)
		return;
	if (!has)
		fail_msg("%s: s%d has no %s change", c->what, k, kind);
	if (t->significant != want || fabs(t->pct.est - pct) > 0.001 || !(t->pct.lo < t->pct.est) ||
	    !(t->pct.est < t->pct.hi) || (t->pct.lo > 0 || t->pct.hi < 0) != t->significant)
		fail_msg("%s: s%d's %s change %g%% (%g .. %g) p=%g significant=%d, want %g%% significant=%d",
			 c->what, k, kind, t->pct.est, t->pct.lo, t->pct.hi, t->p, t->significant, pct, want);
}

/* The cumulative change is the report's verdict against the base, to the bit. */
static void check_verdict(const struct nb_metric *m, const struct nb_patch_row *row)
{
	const struct nb_boot_cmp *c = nb_results_cmp(m, row->v);

	if (!row->has_cum)
		return;
	assert_non_null(c);
	assert_true(c->verdict.pct.est == row->cum.pct.est && c->verdict.p == row->cum.p &&
		    c->verdict.pct.lo == row->cum.pct.lo && c->verdict.pct.hi == row->cum.pct.hi);
}

static void series_table(void **state)
{
	static const char *const names[] = { "s0", "s1", "s2" };
	struct nb_patch_row rows[NB_MAX_VARIANTS];
	char dir[] = "/tmp/nb-series-XXXXXX", path[PATH_MAX];
	size_t i, n;
	int k;

	assert_non_null(mkdtemp(dir));
	for (i = 0; i < sizeof(series_cases) / sizeof(series_cases[0]); i++) {
		const struct series_case *c = &series_cases[i];
		struct nb_results *r;
		const struct nb_metric *m;

		write_series(dir, c);
		r = nb_test_load(dir);
		m = nb_results_find(r, "io_ns");
		assert_non_null(m);
		assert_string_equal(nb_results_variant(r, nb_results_baseline(r)), "s0");
		n = nb_patch_rows(r, m, rows, NB_MAX_VARIANTS);
		assert_int_equal(n, 3);
		for (k = 0; k < 3; k++) {
			assert_string_equal(rows[k].kernel, names[k]);
			check_cmp(c, k, "own", c->own[k], c->own_pct[k], rows[k].has_own, &rows[k].own);
			check_cmp(c, k, "cumulative", c->cum[k], c->cum_pct[k], rows[k].has_cum, &rows[k].cum);
			check_verdict(m, &rows[k]);
		}
		assert_string_equal(rows[2].subject, "KVM: arm64: second");
		nb_results_free(r);
	}
	snprintf(path, sizeof(path), "%s/reps.csv", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	unlink(path);
	rmdir(dir);
}

/* Every key under obj named in docs/results-format.md's summary.json section as `key`. */
static void keys_documented(struct json_object *obj, const char *doc)
{
	char quoted[80];
	size_t i;

	if (json_object_is_type(obj, json_type_array))
		for (i = 0; i < json_object_array_length(obj); i++)
			keys_documented(json_object_array_get_idx(obj, i), doc);
	if (!json_object_is_type(obj, json_type_object))
		return;
	json_object_object_foreach(obj, key, val) {
		snprintf(quoted, sizeof(quoted), "`%s`", key);
		if (!strstr(doc, quoted))
			fail_msg("summary.json key %s is not in docs/results-format.md", key);
		keys_documented(val, doc);
	}
}

/* summary.json's "series": s1 significant on its own, s2 not, s2's cumulative change significant. */
static void series_json(const char *dir, const struct nb_results *r, int want)
{
	char path[PATH_MAX], err[256];
	struct json_object *j, *s, *k, *x, *c;

	snprintf(path, sizeof(path), "%s/summary.json", dir);
	assert_int_equal(nb_write_summary_json(r, path, err, sizeof(err)), 0);
	j = json_object_from_file(path);
	unlink(path);
	assert_non_null(j);
	assert_int_equal(json_object_object_get_ex(j, "series", &s), want);
	if (want) {
		char *doc = nb_read_file("docs/results-format.md", NULL);

		assert_non_null(doc);
		assert_non_null(strstr(doc, "\n## summary.json"));
		assert_non_null(strstr(doc, "| `series` |"));
		keys_documented(s, strstr(doc, "\n## summary.json"));
		free(doc);
		assert_true(json_object_object_get_ex(s, "kernels", &k));
		assert_int_equal(json_object_array_length(k), 3);
		assert_false(json_object_object_get_ex(json_object_array_get_idx(k, 0), "own", &x) && x);
		assert_true(json_object_object_get_ex(json_object_array_get_idx(k, 1), "own", &x) && x);
		assert_true(json_object_object_get_ex(x, "significant", &c) && json_object_get_boolean(c));
		assert_true(json_object_object_get_ex(json_object_array_get_idx(k, 2), "own", &x) && x);
		assert_true(json_object_object_get_ex(x, "significant", &c) && !json_object_get_boolean(c));
		assert_true(json_object_object_get_ex(json_object_array_get_idx(k, 2), "cumulative", &x) && x);
		assert_true(json_object_object_get_ex(x, "significant", &c) && json_object_get_boolean(c));
	}
	json_object_put(j);
}

/* The mail block: one line per kernel, own change then cumulative, "~" where not significant. */
static void series_mail(const struct nb_results *r)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0, n = 0;
	int s1 = 0, s2 = 0;
	FILE *f = open_memstream(&text, &len);

	nb_write_mail(f, r);
	fclose(f);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++) {
		assert_true(strlen(line) <= NB_MAIL_COLS);
		s1 += !strncmp(line, "s1 ", 3) && strstr(line, " +10.0% (+") && !strchr(line, '~');
		s2 += !strncmp(line, "s2 ", 3) && strstr(line, " ~ +0.1% (") && strstr(line, "  +10.0% (+");
	}
	assert_true(n <= NB_MAIL_LINES);
	if (s1 != 1 || s2 != 1)
		fail_msg("mail block without the series' rows (s1 %d, s2 %d)", s1, s2);
	free(text);
}

/* The report's section: subjects, one row per kernel, the answer; none without a series. */
static void series_report(void **state)
{
	char dir[] = "/tmp/nb-series-XXXXXX", path[PATH_MAX], *text = NULL;
	struct nb_patch_row rows[NB_MAX_VARIANTS];
	struct nb_results *r;
	size_t len = 0;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	write_series(dir, &series_cases[0]);
	r = nb_test_load(dir);
	f = open_memstream(&text, &len);
	assert_int_equal(nb_write_report(r, NULL, f), 0);
	fclose(f);
	assert_non_null(strstr(text, "patch series: which patch buys the change?"));
	assert_non_null(strstr(text, "  s1             + patch 1: KVM: arm64: first\n"));
	assert_non_null(strstr(text, "  s2             + patch 2: KVM: arm64: second\n"));
	assert_non_null(strstr(text, "this patch (k vs k-1)"));
	assert_non_null(strstr(text, "  significant own changes: s1 +10"));
	assert_null(strstr(text, "significant own changes: s1 +10%, s2"));
	free(text);
	series_mail(r);
	series_json(dir, r, 1);
	nb_results_free(r);

	/* hostile series: not strings, unknown kernels, a null; no crash, no comparison made up */
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	text = "{ \"series\": [ 7, \"nope\", null, \"s1\" ] }";
	assert_int_equal(nb_write_file(path, text, strlen(text)), 0);
	r = nb_test_load(dir);
	assert_int_equal(nb_patch_rows(r, nb_results_find(r, "io_ns"), rows, NB_MAX_VARIANTS), 4);
	assert_string_equal(rows[0].kernel, "?");
	assert_string_equal(rows[1].kernel, "nope");
	assert_int_equal(rows[1].v, NB_SERIES_NONE);
	assert_false(rows[1].has_own || rows[1].has_cum || rows[2].has_own || rows[3].has_own || rows[3].has_cum);
	text = NULL;
	f = open_memstream(&text, &len);
	assert_int_equal(nb_write_report(r, NULL, f), 0);
	fclose(f);
	assert_non_null(strstr(text, "no patch alone changes"));
	free(text);
	nb_results_free(r);

	/* the same runs without "series" in the manifest: no section */
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	text = "{ \"experiment\": \"e\" }";
	assert_int_equal(nb_write_file(path, text, strlen(text)), 0);
	r = nb_test_load(dir);
	text = NULL;
	f = open_memstream(&text, &len);
	assert_int_equal(nb_write_report(r, NULL, f), 0);
	fclose(f);
	assert_null(strstr(text, "patch series"));
	assert_int_equal(nb_patch_rows(r, nb_results_find(r, "io_ns"), rows, NB_MAX_VARIANTS), 0);
	free(text);
	series_json(dir, r, 0);
	nb_results_free(r);
	unlink(path);
	snprintf(path, sizeof(path), "%s/reps.csv", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(series_expands),
		cmocka_unit_test(series_layout),
		cmocka_unit_test(series_formats),
		cmocka_unit_test(series_table),
		cmocka_unit_test(series_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
