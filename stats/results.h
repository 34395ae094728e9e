/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A results directory (docs/results-format.md) turned into metrics: one
 * series of observations per metric per variant, then summaries and
 * comparisons against the baseline. What goes where:
 *
 *   warm-up rows (warmup=1)     counted, never used
 *   timing rows                 timing metrics (io_ns, host_ns, fio_*)
 *   counting rows               counters L<n>.* only: tracing perturbs timing
 *   L<n>.lost > 0               that level's counters of that row are dropped
 *                               and the row is named in the notes
 *   boots.csv status != ok      named in the notes, not a boot time
 *
 * The baseline is the variant named "base", else the first one in reps.csv.
 */
#ifndef NB_RESULTS_H
#define NB_RESULTS_H

#include <stddef.h>

#include "stats/stats.h"

#define NB_MAX_VARIANTS	8

struct json_object;

enum nb_metric_kind { NB_M_TIMING, NB_M_COUNTER, NB_M_BOOT };

struct nb_obs {
	double v;			/* raw unit */
	unsigned int boot, rep;		/* rep 0 for boots.csv rows */
	unsigned int line;		/* in reps.csv or boots.csv */
	unsigned char outlier;
};

struct nb_series {
	struct nb_obs *obs;
	size_t n, cap;
	struct nb_summary sum;		/* valid when n > 0 */
	struct nb_compare cmp;		/* valid when has_cmp */
	int has_cmp;
	int outliers;
};

struct nb_metric {
	char key[48];		/* column: "io_ns", "L0.fp_per_transition", "boot_s" */
	char clock[16];		/* clock the values are in, "" for counts */
	char label[112];	/* "io time (icount clock)" */
	char unit[8];		/* raw unit: "ns", "s", "" */
	char dunit[8];		/* display unit: "ms" */
	double scale;		/* display = raw * scale */
	enum nb_metric_kind kind;
	int level;		/* -1: not per level */
	int in_report;		/* has a table in report.txt */
	int verdict;		/* has a verdict line */
	struct nb_series s[NB_MAX_VARIANTS];
};

struct nb_rep_counts {
	size_t timing, counting, warmup, lost, boots_ok, boots_failed;
};

struct nb_results;

/*
 * Reads DIR/reps.csv (required), DIR/boots.csv and DIR/manifest.json (each
 * optional, a note says when missing). On success *out belongs to the
 * caller: nb_results_free(). err says file:line on failure.
 */
int nb_results_load(const char *dir, struct nb_results **out, char *err, size_t errlen);
/*
 * Two directories as one set: A's variants first (the baseline is A's),
 * a B variant named like an A one becomes "NAME (B)".
 */
int nb_results_load_pair(const char *a, const char *b, struct nb_results **out,
			 char *err, size_t errlen);
void nb_results_free(struct nb_results *r);

/* Summaries, outlier flags, comparisons with the baseline, notes. */
int nb_results_analyze(struct nb_results *r, const struct nb_boot_opts *o);

size_t nb_results_ndirs(const struct nb_results *r);
const char *nb_results_dir(const struct nb_results *r, size_t i);
/* NULL when that directory had no manifest.json. Owned by r. */
struct json_object *nb_results_manifest(const struct nb_results *r, size_t i);
size_t nb_results_nvariants(const struct nb_results *r);
const char *nb_results_variant(const struct nb_results *r, size_t v);
size_t nb_results_variant_dir(const struct nb_results *r, size_t v);
size_t nb_results_baseline(const struct nb_results *r);
const struct nb_rep_counts *nb_results_counts(const struct nb_results *r, size_t v);
/* "emulated" or "host" (reps.csv, else manifest), "" if unknown. */
const char *nb_results_platform(const struct nb_results *r);
size_t nb_results_nmetrics(const struct nb_results *r);
const struct nb_metric *nb_results_metric(const struct nb_results *r, size_t i);
/* First metric with this key (any clock), NULL if none. */
const struct nb_metric *nb_results_find(const struct nb_results *r, const char *key);
size_t nb_results_nnotes(const struct nb_results *r);
const char *nb_results_note(const struct nb_results *r, size_t i);

/* "icount" -> "icount clock", "host" -> "host wall clock". */
void nb_clock_label(char *buf, size_t len, const char *clock);

#endif
