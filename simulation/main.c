// SPDX-License-Identifier: GPL-2.0
/*
 * nb-sim: the A/A and power table of docs/statistics.md. Each setting runs
 * DIRS synthetic results directories through the loader, the analysis and
 * report.txt (simulation/sim.h) and prints how often the primary verdict
 * said "significant" (pooled t when the arms have as many boots, else Welch),
 * how often each test alone would have, how often the
 * secondary clock had p < 0.05, and how many printed verdicts disagreed with
 * their own p, their own CI or summary.json.
 *
 *   nb-sim [--dirs N] [--seed N] [--tmp DIR] [--only TEXT (settings named so)]
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simulation/sim.h"

#define SIM_DIRS	1000
#define SIM_SEED	20261122ul

/* name, boots per arm, reps, boot SD %, rep SD %, change %, arm b SD factor, b boots lost */
static const struct nb_sim_setting settings[] = {
	{ "A/A icount-like: boot 1%, rep 0.05%", 3, 3, 1, 0.05, 0, 1, 0, 0, 0, 0, 0 },
	{ "A/A icount-like: boot 1%, rep 0.05%", 5, 3, 1, 0.05, 0, 1, 0, 0, 0, 0, 0 },
	{ "A/A boot 1%, rep 1%", 3, 3, 1, 1, 0, 1, 0, 0, 0, 0, 0 },
	{ "A/A boot 1%, rep 1%", 5, 3, 1, 1, 0, 1, 0, 0, 0, 0, 0 },
	{ "A/A no boot effect, rep 1%", 3, 3, 0, 1, 0, 1, 0, 0, 0, 0, 0 },
	{ "A/A no boot effect, rep 1%", 5, 3, 0, 1, 0, 1, 0, 0, 0, 0, 0 },
	{ "A/A boot 1%, rep 0.1%, 15 reps", 3, 15, 1, 0.1, 0, 1, 0, 0, 0, 0, 0 },
	{ "A/A boot 1%, rep 0.1%, 15 reps", 5, 15, 1, 0.1, 0, 1, 0, 0, 0, 0, 0 },
	{ "A/A b's SD 2x", 3, 3, 1, 0.05, 0, 2, 0, 0, 0, 0, 0 },
	{ "A/A b's SD 2x", 5, 3, 1, 0.05, 0, 2, 0, 0, 0, 0, 0 },
	{ "A/A b's SD 2x, one b boot lost", 3, 3, 1, 0.05, 0, 2, 1, 0, 0, 0, 0 },
	{ "A/A b's SD 2x, one b boot lost", 5, 3, 1, 0.05, 0, 2, 1, 0, 0, 0, 0 },
	{ "power: -2%, boot 1%, rep 0.05%", 3, 3, 1, 0.05, -2, 1, 0, 0, 0, 0, 0 },
	{ "power: -2%, boot 1%, rep 0.05%", 5, 3, 1, 0.05, -2, 1, 0, 0, 0, 0, 0 },
	{ "power: -1%, boot 1%, rep 0.05%", 5, 3, 1, 0.05, -1, 1, 0, 0, 0, 0, 0 },
	{ "power: -1%, boot 1%, rep 0.05%", 10, 3, 1, 0.05, -1, 1, 0, 0, 0, 0, 0 },
	{ "power: -2%, one b boot lost", 3, 3, 1, 0.05, -2, 1, 1, 0, 0, 0, 0 },
};

/*
 * The quick experiment (experiments/nv-fp-eret-quick.ini): up to 5 boots
 * per arm, 2 reps each, looks at 2..5 boots per arm, target_ci 0.5, under
 * the stop rule before the design (plain 95 % CIs at every look), under the
 * shipped sequential design, and without the stop (5+5 always).
 */
#define QUICK(what, sd, ch) \
	{ what ", plain CIs (before)", 5, 2, sd, 0.05, ch, 1, 0, 0.5, 0, 0, 0 }, \
	{ what ", sequential design", 5, 2, sd, 0.05, ch, 1, 0, 0.5, 1, 0, 0 }, \
	{ what ", no early stop", 5, 2, sd, 0.05, ch, 1, 0, 0, 0, 0, 0 }

static const struct nb_sim_setting quick[] = {
	QUICK("A/A boot 0.4%", 0.4, 0), QUICK("A/A boot 0.79%", 0.79, 0), QUICK("A/A boot 2%", 2, 0),
	QUICK("power -2%, boot 0.4%", 0.4, -2), QUICK("power -2%, boot 0.79%", 0.79, -2),
	QUICK("power -2%, boot 2%", 2, -2),
};

/* experiments/control.ini: a +7.5 % control arm, fixed design. */
static const struct nb_sim_setting control[] = {
	{ "control +7.5%, boot 0.79%", 3, 2, 0.79, 0.05, 7.5, 1, 0, 0, 0, 0, 0 },
	{ "control +7.5%, boot 1.5%", 3, 2, 1.5, 0.05, 7.5, 1, 0, 0, 0, 0, 0 },
	{ "control +7.5%, boot 1.5%", 4, 2, 1.5, 0.05, 7.5, 1, 0, 0, 0, 0, 0 },
	{ "control +7.5%, boot 2%", 3, 2, 2, 0.05, 7.5, 1, 0, 0, 0, 0, 0 },
	{ "control +7.5%, boot 2%", 4, 2, 2, 0.05, 7.5, 1, 0, 0, 0, 0, 0 },
	{ "control +7.5%, boot 3%", 4, 2, 3, 0.05, 7.5, 1, 0, 0, 0, 0, 0 },
	{ "control +7.5%, boot 3%", 5, 2, 3, 0.05, 7.5, 1, 0, 0, 0, 0, 0 },
};

/* Batch as block against the verdict's pooled t: boots in batches of two, one per arm. */
static const struct nb_sim_setting blocking[] = {
	{ "A/A boot 1%, no batch effect", 3, 2, 1, 0.05, 0, 1, 0, 0, 0, 0, 0 },
	{ "A/A boot 1%, no batch effect", 5, 2, 1, 0.05, 0, 1, 0, 0, 0, 0, 0 },
	{ "A/A boot 0.5%, batch effect 1%", 3, 2, 0.5, 0.05, 0, 1, 0, 0, 0, 1, 0 },
	{ "A/A boot 0.5%, batch effect 1%", 5, 2, 0.5, 0.05, 0, 1, 0, 0, 0, 1, 0 },
	{ "A/A boot 1%, drift -2.5% a batch", 3, 2, 1, 0.05, 0, 1, 0, 0, 0, 0, -2.5 },
	{ "power -2%, boot 1%, no batch effect", 3, 2, 1, 0.05, -2, 1, 0, 0, 0, 0, 0 },
	{ "power -2%, boot 1%, no batch effect", 5, 2, 1, 0.05, -2, 1, 0, 0, 0, 0, 0 },
	{ "power -2%, boot 0.5%, batch effect 1%", 3, 2, 0.5, 0.05, -2, 1, 0, 0, 0, 1, 0 },
	{ "power -2%, boot 0.5%, batch effect 1%", 5, 2, 0.5, 0.05, -2, 1, 0, 0, 0, 1, 0 },
	{ "power -2%, boot 1%, drift -2.5% a batch", 3, 2, 1, 0.05, -2, 1, 0, 0, 0, 0, -2.5 },
};

static double pct(unsigned int k, unsigned int n)
{
	return n ? 100.0 * k / n : 0;
}

static void print_row(const struct nb_sim_setting *s, const struct nb_sim_tally *t)
{
	char arms[16];

	snprintf(arms, sizeof(arms), "%u+%u", s->boots, s->boots - s->b_missing);
	printf("| %-36s | %5s | %4u | %5.1f%% | %5.1f%% | %5.1f%% | %5.1f%% | %u | %.2f%% |\n",
	       s->name, arms, s->reps, pct(t->sig, t->dirs), pct(t->pooled_sig, t->dirs),
	       pct(t->welch_sig, t->dirs),
	       pct(t->secondary_sig, t->dirs), t->disagree, t->halfwidth_sum / t->dirs);
}

/* The rate and 2 binomial standard errors: the bound the issue holds A/A to. */
static void print_quick_row(const struct nb_sim_setting *s, const struct nb_sim_tally *t)
{
	double r = pct(t->sig, t->dirs), se = sqrt(r * (100 - r) / t->dirs);

	printf("| %-46s | %4.2f%% | %+3.0f%% | %5.1f%% +- %3.1f | %5.1f%% | %4.2f | %u | %.2f%% |\n",
	       s->name, s->boot_sd, s->change, r, 2 * se, pct(t->early, t->dirs),
	       (double)t->boots_sum / t->dirs, t->disagree, t->halfwidth_sum / t->dirs);
}

static void print_blocked_row(const struct nb_sim_setting *s, const struct nb_sim_tally *t)
{
	printf("| %-42s | %u+%u | %5.1f%% | %5.1f%% | %.2f%% | %.2f%% |\n", s->name, s->boots,
	       s->boots, pct(t->sig, t->dirs), pct(t->blocked_sig, t->dirs),
	       t->halfwidth_sum / t->dirs, t->blocked_hw_sum / t->dirs);
}

typedef void (*row_fn)(const struct nb_sim_setting *, const struct nb_sim_tally *);

static int run_table(const struct nb_sim_setting *set, size_t n, unsigned long dirs,
		     unsigned long seed, const char *tmp, const char *only, row_fn row)
{
	char err[4096];
	size_t i;

	for (i = 0; i < n; i++) {
		struct nb_sim_tally t = { 0 };

		if (only && !strstr(set[i].name, only))
			continue;
		if (nb_sim_run(&set[i], dirs, seed + 100000 * i, tmp, &t, err, sizeof(err))) {
			fprintf(stderr, "nb-sim: %s\n", err);
			return 1;
		}
		row(&set[i], &t);
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dirs", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "tmp", required_argument, NULL, 't' },
		{ "only", required_argument, NULL, 'o' },
		{ NULL },
	};
	unsigned long seed = SIM_SEED, dirs = SIM_DIRS;
	const char *tmp = "/tmp", *only = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "d:s:t:o:", opts, NULL)) != -1) {
		if (c == 'd' && (dirs = strtoul(optarg, NULL, 10)) > 0)
			continue;
		if (c == 's') {
			seed = strtoul(optarg, NULL, 10);
			continue;
		}
		if (c == 't' || c == 'o') {
			*(c == 't' ? &tmp : &only) = optarg;
			continue;
		}
		fprintf(stderr, "usage: nb-sim [--dirs N>0] [--seed N] [--tmp DIR] [--only TEXT]\n");
		return 2;
	}
	printf("%lu directories per setting, seed %lu; rates: share of directories whose "
	       "report.txt said so\n\n", dirs, seed);
	printf("| setting | boots | reps | verdict significant | pooled t | Welch t | "
	       "host wall p<0.05 | disagreements | mean CI half-width |\n"
	       "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
	if (run_table(settings, sizeof(settings) / sizeof(settings[0]), dirs, seed, tmp, only,
		      print_row))
		return 1;
	printf("\nThe quick experiment, its stop rule (nb_seq_stop) run at every look; "
	       "significant +- 2 binomial SEs\n\n"
	       "| setting | boot SD | change | significant | stopped early | boots per arm | "
	       "disagreements | mean CI half-width |\n"
	       "| --- | --- | --- | --- | --- | --- | --- | --- |\n");
	if (run_table(quick, sizeof(quick) / sizeof(quick[0]), dirs, seed + 7, tmp, only,
		      print_quick_row))
		return 1;
	printf("\nThe positive control's arm (fixed design): detected = significant\n\n"
	       "| setting | boots | reps | verdict significant | pooled t | Welch t | "
	       "host wall p<0.05 | disagreements | mean CI half-width |\n"
	       "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
	if (run_table(control, sizeof(control) / sizeof(control[0]), dirs, seed + 11, tmp, only,
		      print_row))
		return 1;
	printf("\nBatch as block (paired t on each batch's difference) against the pooled t\n\n"
	       "| setting | boots | pooled significant | blocked significant | pooled mean CI "
	       "half-width | blocked mean CI half-width |\n| --- | --- | --- | --- | --- | --- |\n");
	if (run_table(blocking, sizeof(blocking) / sizeof(blocking[0]), dirs, seed + 13, tmp, only,
		      print_blocked_row))
		return 1;
	return 0;
}
