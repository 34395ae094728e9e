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
 * The baseline is the variant named "base", else a patch series' base (the
 * manifest's "series"), else the first one in reps.csv.
 */
#ifndef NB_RESULTS_H
#define NB_RESULTS_H

#include <stddef.h>

#include "stats/stats.h"

/*
 * Arms of one results model: a pair of experiments (compare) of the most
 * arms an experiment file takes (bench/experiment.h, 8) each.
 */
#define NB_MAX_VARIANTS	16
#define NB_MAX_DIRS	8	/* results directories of one set (compare) */

struct json_object;
struct nb_table;

/*
 * The files of a results directory the report reads, each parsed once by
 * nb_results_load() and kept in the set: every section reads them there.
 */
enum nb_tab { NB_TAB_REPS, NB_TAB_BOOTS, NB_TAB_KVMEXITS, NB_TAB_PHASES, NB_TAB_SESSIONS, NB_TAB_N };

enum nb_metric_kind { NB_M_TIMING, NB_M_COUNTER, NB_M_BOOT };

struct nb_obs {
	double v;			/* raw unit */
	unsigned int boot, rep;		/* rep 0 for boots.csv rows */
	unsigned int line;		/* in reps.csv or boots.csv */
	unsigned char outlier;
};

/*
 * Variant v against the baseline on one metric with the boot as the unit:
 * one value per boot, the mean of its repetitions (repetitions of one boot
 * are not independent samples). Computed once, by nb_results_analyze();
 * report.txt, summary.csv, summary.json and the experiment's CI-target stop
 * all read it. Percentages are of the baseline's mean of boot means.
 */
struct nb_boot_cmp {
	enum nb_tmodel model;		/* pooled when na == nb, else Welch */
	const char *test;		/* its name, "pooled t" or "Welch t" */
	size_t na, nb;			/* boots per arm */
	struct nb_ttest verdict;	/* that test on boot means: t, df, p; .pct the
					 * change in % and its 95% CI (same model) */
	struct nb_ttest check;		/* the other test on the same boot means */
	double halfwidth_pct;		/* (verdict.pct.hi - verdict.pct.lo) / 2 */
	double sd_boot_pct;		/* SD of boot means, pooled over both arms */
	double sd_between_pct;		/* variance components: between boots, */
	double sd_within_pct;		/* within a boot (NAN: one rep per boot) */
	double reps_per_boot;		/* harmonic mean */
	size_t boots_for_1pct;		/* boots per arm for a CI of +-1 %; 0 unknown */
};

struct nb_series {
	struct nb_obs *obs;
	size_t n, cap;
	struct nb_summary sum;		/* of the repetitions; valid when n > 0 */
	double *boot;			/* one mean per boot, first-seen order; owned */
	size_t nboots;
	struct nb_summary bsum;		/* of the boot means; valid when nboots > 0 */
	double ss_within;		/* squares of reps around their boot's mean */
	size_t df_within;		/* sum over boots of (reps - 1) */
	double inv_reps;		/* sum over boots of 1 / reps */
	struct nb_boot_cmp cmp;		/* valid when has_cmp */
	int has_cmp;
	int outliers;
};

/*
 * What a timing metric's verdict line is. One clock is primary (io_ns: icount
 * under emulation, host on an arm64 host); the x86 host's wall clock
 * (host_ns) is secondary, shown and never a verdict. A wall clock is not used
 * at all when boots ran concurrently (manifest "jobs" > 1).
 */
enum nb_role { NB_ROLE_NONE, NB_ROLE_PRIMARY, NB_ROLE_SECONDARY, NB_ROLE_DISTURBED, NB_ROLE_HOST_IO };

/*
 * NB_ROLE_HOST_IO: L1's boot time in an emulated L0's icount clock. L0 still
 * reads from the host's disk while L1 boots, and with sleep=off icount warps
 * to L0's next timer whenever L0 idles waiting for it: the same boot took
 * 3-53 s of that clock, L2's and L3's 0.01-0.2 s apart (docs/time.md).
 * Shown, never compared.
 */
static inline int nb_role_compared(enum nb_role role)
{
	return role != NB_ROLE_DISTURBED && role != NB_ROLE_HOST_IO;
}

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
	enum nb_role role;	/* set by nb_results_analyze() */
	struct nb_series s[NB_MAX_VARIANTS];
};

struct nb_rep_counts {
	size_t timing, counting, warmup, lost, boots_ok, boots_failed;
	size_t bare;		/* timing repetitions without counters: the counters' cost only */
	size_t exits;		/* perf kvm stat's repetitions: L0's exits by reason */
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
/*
 * n (1..NB_MAX_DIRS) directories as one set, in order; a variant named like
 * one of an earlier directory becomes "NAME (B)", "NAME (C)", ... by its
 * directory's letter.
 */
int nb_results_load_dirs(const char *const *dirs, size_t n, struct nb_results **out,
			 char *err, size_t errlen);
void nb_results_free(struct nb_results *r);

/*
 * Summaries, outlier flags, boot-level comparisons with the baseline, roles,
 * notes. o is not used by the boot-level model (no bootstrap); kept for the
 * callers' sake.
 */
int nb_results_analyze(struct nb_results *r, const struct nb_boot_opts *o);
/* The boot-level comparison of variant v on m; NULL when an arm has < 2 boots. */
const struct nb_boot_cmp *nb_results_cmp(const struct nb_metric *m, size_t v);
struct nb_seq;
/* The sequential design the results stopped under (a single directory's), else NULL. */
const struct nb_seq *nb_results_seq(const struct nb_results *r);
/* Boots run concurrently (manifest "jobs", the largest of both dirs; 1 if absent). */
unsigned int nb_results_jobs(const struct nb_results *r);

size_t nb_results_ndirs(const struct nb_results *r);
const char *nb_results_dir(const struct nb_results *r, size_t i);
/* NULL when that directory had no manifest.json. Owned by r. */
struct json_object *nb_results_manifest(const struct nb_results *r, size_t i);
/*
 * Directory i's file k as it was read (docs/results-format.md), NULL when
 * it is missing (reps.csv never is). Owned by r.
 */
const struct nb_table *nb_results_table(const struct nb_results *r, size_t i, enum nb_tab k);
/*
 * The variant a row of directory i's files names (its "variant" cell):
 * its name in the set ("patched (B)"), NULL when no repetition names it.
 */
const char *nb_results_row_variant(const struct nb_results *r, size_t i, const char *cell);
/* The name variant v has in its directory's files ("patched" for "patched (B)"). */
const char *nb_results_variant_raw(const struct nb_results *r, size_t v);
/* Directory i's own baseline: its "base", else its first variant. */
size_t nb_results_dir_baseline(const struct nb_results *r, size_t i);
/* Directory i's variant named raw in its files, -ENOENT if none. */
int nb_results_dir_variant(const struct nb_results *r, size_t i, const char *raw);
/* "a.b.c" in directory i's manifest, as text; "" when absent. Owned by r. */
const char *nb_results_setup(const struct nb_results *r, size_t i, const char *path);
/* The same in any JSON object (NULL: ""). */
const char *nb_json_path(struct json_object *o, const char *path);
size_t nb_results_nvariants(const struct nb_results *r);
const char *nb_results_variant(const struct nb_results *r, size_t v);
size_t nb_results_variant_dir(const struct nb_results *r, size_t v);
size_t nb_results_baseline(const struct nb_results *r);
#define NB_SERIES_NONE	((size_t)-1)
/*
 * A patch series' run (manifest "series" of directory 0, `series =` in the
 * experiment): its kernels' variants into v in the series' order, the base
 * first, NB_SERIES_NONE for one without a repetition; how many (0: not a
 * series, or a malformed one). The series' base is the baseline unless a
 * variant is named "base".
 */
size_t nb_results_series(const struct nb_results *r, size_t *v, size_t max);
const struct nb_rep_counts *nb_results_counts(const struct nb_results *r, size_t v);
/* "emulated" or "host" (reps.csv, else manifest), "" if unknown. */
const char *nb_results_platform(const struct nb_results *r);
/* Platform host on a virtual machine (manifest host.virtual): the evidence, else NULL. */
const char *nb_results_virtual_host(const struct nb_results *r);
/* 1 when the timings are hardware time: platform host, and not a virtual machine. */
int nb_results_hardware(const struct nb_results *r);
size_t nb_results_nmetrics(const struct nb_results *r);
const struct nb_metric *nb_results_metric(const struct nb_results *r, size_t i);
/* The metric whose verdict decides (role primary, after nb_results_analyze), NULL if none. */
const struct nb_metric *nb_results_primary(const struct nb_results *r);
/* First metric with this key (any clock), NULL if none. */
const struct nb_metric *nb_results_find(const struct nb_results *r, const char *key);
size_t nb_results_nnotes(const struct nb_results *r);
const char *nb_results_note(const struct nb_results *r, size_t i);

/* 1 when clock is one a results file may name: icount, tcg-wall or host. */
int nb_clock_valid(const char *clock);
/* "icount" -> "icount clock", "host" -> "host wall clock". */
void nb_clock_label(char *buf, size_t len, const char *clock);

#endif
