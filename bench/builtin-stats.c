// SPDX-License-Identifier: GPL-2.0
/*
 * nestbench stats A B: compare two files of numbers, like ministat, with the
 * same table and verdict line as report.txt.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "bench/builtin.h"
#include "stats/cli.h"
#include "stats/csvio.h"
#include "stats/report.h"
#include "stats/stats.h"
#include "stats/summary.h"

static const char stats_what[] =
	"Compare two files of numbers (one per line; '#' starts a comment; blank\n"
	"lines are skipped), A the baseline: n, median, mean with its 95% CI, the\n"
	"change of B's mean against A's with a bootstrap 95% CI, Welch's t-test,\n"
	"Mann-Whitney U, MAD outliers and sample-size advice, then one verdict.\n"
	"Exit status: 0 done (whatever the verdict), 1 bad input (a missing or\n"
	"unreadable file, a line that is not a number, fewer than 2 numbers), 2 usage.";

struct sample {
	const char *path;
	char name[16];		/* for the table column */
	double *v;
	size_t n;
	struct nb_summary sum;
	unsigned char *outlier;
};

struct stats_args {
	int json;
	struct nb_boot_opts boot;
	struct sample s[2];
};

static const struct nb_opt stats_opts[] = {
	OPT_FLAG("json", struct stats_args, json, "print one JSON object instead of the table"),
	OPT_END
};

/* 0, 1 for --help (printed), -EINVAL on a usage error (already explained). */
static int parse_args(int argc, char **argv, struct stats_args *a)
{
	struct nb_optgroup g[] = { { stats_opts, a }, { nb_boot_opt_rows, &a->boot }, { NULL } };
	int first;

	nb_boot_defaults(&a->boot);
	first = nb_opt_parse("stats", argc, argv, g);
	if (first == NB_OPT_HELP)
		return nb_opt_usage(stdout, "stats", "[options] A B", stats_what, g), 1;
	if (first < 0 || nb_opt_operands("stats", argc, argv, first, 2, 2))
		return -EINVAL;
	a->s[0].path = argv[first];
	a->s[1].path = argv[first + 1];
	return 0;
}

/* The last 13 characters of the path, so the table stays aligned. */
static void short_name(struct sample *s)
{
	size_t len = strlen(s->path);

	if (len < sizeof(s->name))
		snprintf(s->name, sizeof(s->name), "%s", s->path);
	else
		snprintf(s->name, sizeof(s->name), "..%s", s->path + len - 13);
}

static int load_sample(struct sample *s, char *err, size_t errlen)
{
	int ret = nb_numfile_read(s->path, 2, &s->v, &s->n, err, errlen);

	if (ret)
		return ret;
	short_name(s);
	s->outlier = calloc(s->n, 1);
	if (!s->outlier)
		return -ENOMEM;
	ret = nb_summarize(s->v, s->n, &s->sum);
	return ret ?: (nb_outliers(s->v, s->n, s->outlier) < 0 ? -ENOMEM : 0);
}

static void free_sample(struct sample *s)
{
	free(s->v);
	free(s->outlier);
}

static void print_outliers(const struct sample *s)
{
	char b[32];
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->outlier[i]) {
			nb_fmt_num(b, sizeof(b), s->v[i]);
			printf("note: %s: %s is an outlier (MAD); kept\n", s->path, b);
		}
}

static void print_warnings(const struct stats_args *a, const struct nb_compare *c)
{
	char w[256];

	if (nb_pair_warning(a->s[0].n, a->s[1].n, w, sizeof(w)))
		printf("note: %s\n", w);
	print_outliers(&a->s[0]);
	print_outliers(&a->s[1]);
}

static void verdict_label(char *buf, size_t len, const struct stats_args *a)
{
	snprintf(buf, len, "%s vs %s", a->s[1].path, a->s[0].path);
}

static void print_text(const struct stats_args *a, const struct nb_compare *c)
{
	char label[512], v[1024], p[32];

	printf("a = %s\nb = %s\n\n", a->s[0].path, a->s[1].path);
	nb_print_head(stdout, "values", "");
	nb_print_row(stdout, a->s[0].name, &a->s[0].sum, NULL, 1);
	nb_print_row(stdout, a->s[1].name, &a->s[1].sum, c, 1);
	nb_fmt_p(p, sizeof(p), c->mwu.p);
	printf("\nMann-Whitney U=%g, p%s%s (%s)\n", c->mwu.u, *p == '<' ? "" : "=", p,
	       c->mwu.exact ? "exact" : "normal approximation, tie-corrected");
	print_warnings(a, c);
	verdict_label(label, sizeof(label), a);
	nb_verdict(v, sizeof(v), label, c);
	printf("verdict: %s\n", v);
}

static struct json_object *sample_json(const struct sample *s)
{
	struct json_object *o = nb_summary_json(&s->sum), *out = json_object_new_array();
	size_t i;

	json_object_object_add(o, "file", json_object_new_string(s->path));
	for (i = 0; i < s->n; i++)
		if (s->outlier[i])
			json_object_array_add(out, json_object_new_double(s->v[i]));
	json_object_object_add(o, "outliers", out);
	return o;
}

static struct json_object *warnings_json(const struct stats_args *a)
{
	struct json_object *w = json_object_new_array();
	char buf[256];

	if (nb_pair_warning(a->s[0].n, a->s[1].n, buf, sizeof(buf)))
		json_object_array_add(w, json_object_new_string(buf));
	return w;
}

static void print_json(const struct stats_args *a, const struct nb_compare *c)
{
	struct json_object *o = nb_compare_json(c), *b = json_object_new_object();
	char label[512], v[1024];

	json_object_object_add(o, "a", sample_json(&a->s[0]));
	json_object_object_add(o, "b", sample_json(&a->s[1]));
	json_object_object_add(o, "alpha", json_object_new_double(NB_ALPHA));
	json_object_object_add(b, "seed", json_object_new_int64(a->boot.seed));
	json_object_object_add(b, "resamples", json_object_new_int64(a->boot.resamples));
	json_object_object_add(o, "bootstrap", b);
	verdict_label(label, sizeof(label), a);
	nb_verdict(v, sizeof(v), label, c);
	json_object_object_add(o, "verdict", json_object_new_string(v));
	json_object_object_add(o, "warnings", warnings_json(a));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static int run(struct stats_args *a, char *err, size_t errlen)
{
	struct nb_compare c;
	int ret = load_sample(&a->s[0], err, errlen) ?: load_sample(&a->s[1], err, errlen);

	if (!ret)
		ret = nb_compare(a->s[0].v, a->s[0].n, a->s[1].v, a->s[1].n, &a->boot, &c);
	if (ret)
		return ret;
	if (a->json)
		print_json(a, &c);
	else
		print_text(a, &c);
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	struct stats_args a = { 0 };
	char err[1024] = "out of memory";
	int ret = parse_args(argc, argv, &a);

	if (ret)
		return ret > 0 ? 0 : 2;
	ret = run(&a, err, sizeof(err));
	free_sample(&a.s[0]);
	free_sample(&a.s[1]);
	if (ret)
		fprintf(stderr, "nestbench stats: %s\n", err);
	return ret ? 1 : 0;
}
