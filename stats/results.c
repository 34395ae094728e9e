// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "stack/util.h"
#include "collect/counters.h"
#include "stats/csvio.h"
#include "stack/platform.h"
#include "stats/results.h"
#include "stats/seq.h"
#include "workloads/workload.h"

struct nb_results {
	const struct nb_workload *wl;	/* of the first directory (manifest.json; absent: fio) */
	char *dirs[NB_MAX_DIRS];
	struct json_object *manifest[NB_MAX_DIRS];
	struct nb_table *tab[NB_MAX_DIRS][NB_TAB_N];	/* each file parsed once, kept */
	size_t ndirs;
	char *variants[NB_MAX_VARIANTS];
	char *raw[NB_MAX_VARIANTS];	/* the name in its directory's files */
	size_t vdir[NB_MAX_VARIANTS];
	struct nb_rep_counts counts[NB_MAX_VARIANTS];
	size_t nvar, base;
	unsigned int jobs;		/* boots run concurrently, max over dirs */
	struct nb_seq seq;		/* the first dir's sequential design; used alone only */
	char platform[16];
	struct nb_metric *m;
	size_t nm, mcap;
	char **notes;
	size_t nnotes;
};

/* The clocks a row can be in (stack/plan.c nb_plan_clock, boots.csv's "host"). */
static const char *const clocks[] = { "icount", "tcg-wall", "host", NULL };
static const char *const statuses[] = { "ok", "failed", NULL };	/* boots.csv */

static int in_set(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return 1;
	return 0;
}

int nb_clock_valid(const char *clock)
{
	return in_set(clock, clocks);
}

/* One file being read into r. */
struct loader {
	struct nb_results *r;
	struct nb_table *t;
	size_t src;			/* 0: A, 1: B, ... */
	const char *no_manifest;	/* why the directory has none: said after its rows' notes */
	char *err;
	size_t errlen;
};

static const char *const rep_cols[] = {
	"variant", "mode", "warmup", "boot", "rep", "clock", "io_ns", NULL,
};

static const char *const boot_cols[] = {
	"variant", "boot", "level", "clock", "boot_s", "status", NULL,
};

/* Where a timing column's clock comes from. */
enum clock_src { CK_ROW, CK_HOST, CK_GUEST };

static const struct timing_def {
	const char *col, *what, *unit, *dunit;
	double scale;
	enum clock_src ck;
	int report, verdict;
} window_defs[] = {	/* what: the workload's window, "io time" for fio */
	{ "io_ns", NULL, "ns", "ms", 1e-6, CK_ROW, 1, 1 },
	{ "host_ns", NULL, "ns", "ms", 1e-6, CK_HOST, 1, 1 },
};


#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void nb_clock_label(char *buf, size_t len, const char *clock)
{
	if (!strcmp(clock, "host"))
		snprintf(buf, len, "host wall clock");
	else
		snprintf(buf, len, "%s clock", *clock ? clock : "unknown");
}

static int __attribute__((format(printf, 2, 3)))
add_note(struct nb_results *r, const char *fmt, ...)
{
	char **n = realloc(r->notes, (r->nnotes + 1) * sizeof(*n));
	va_list ap;
	int ret;

	if (!n)
		return -ENOMEM;
	r->notes = n;
	va_start(ap, fmt);
	ret = vasprintf(&n[r->nnotes], fmt, ap);
	va_end(ap);
	if (ret < 0)
		return -ENOMEM;
	r->nnotes++;
	return 0;
}

static int __attribute__((format(printf, 3, 4)))
row_error(struct loader *l, size_t row, const char *fmt, ...)
{
	int n = snprintf(l->err, l->errlen, "%s:%u: ", nb_table_path(l->t),
			 nb_table_line(l->t, row));
	va_list ap;

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < l->errlen)
		vsnprintf(l->err + n, l->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const char *cell(struct loader *l, size_t row, const char *col)
{
	return nb_table_cell(l->t, row, nb_table_col(l->t, col));
}

/* A variant named like one of an earlier directory is renamed by its directory's letter: both stay visible. */
static int variant_name(struct loader *l, const char *name, char **out)
{
	size_t v;

	for (v = 0; v < l->r->nvar; v++)
		if (l->r->vdir[v] != l->src && !strcmp(l->r->variants[v], name))
			return asprintf(out, "%s (%c)", name, (int)('A' + l->src)) < 0 ? -ENOMEM : 0;
	*out = strdup(name);
	return *out ? 0 : -ENOMEM;
}

static int find_variant(const struct nb_results *r, const char *name)
{
	size_t v;

	for (v = 0; v < r->nvar; v++)
		if (!strcmp(r->variants[v], name))
			return v;
	return -ENOENT;
}

/* Index of the row's variant, registered on first sight. */
static int row_variant(struct loader *l, size_t row)
{
	const char *raw = cell(l, row, "variant");
	char *name;
	int v, ret;

	if (!*raw)
		return row_error(l, row, "empty variant: every row names its arm");
	if (nb_name_check(raw))	/* it becomes a label, a file name, a JSON key */
		return row_error(l, row, "variant '%s' is not a name: 1..%d characters of "
				 "A-Z a-z 0-9 . _ + -, not starting with '.' or '-'", raw, NB_NAME_LEN);
	ret = variant_name(l, raw, &name);
	if (ret)
		return ret;
	v = find_variant(l->r, name);
	if (v >= 0 || l->r->nvar == NB_MAX_VARIANTS) {
		free(name);
		return v >= 0 ? v : row_error(l, row, "more than %d variants",
					      NB_MAX_VARIANTS);
	}
	l->r->raw[l->r->nvar] = strdup(raw);
	if (!l->r->raw[l->r->nvar]) {
		free(name);
		return -ENOMEM;
	}
	l->r->variants[l->r->nvar] = name;
	l->r->vdir[l->r->nvar] = l->src;
	return l->r->nvar++;
}

static struct nb_metric *find_metric(struct nb_results *r, const char *key,
				     const char *clock)
{
	size_t i;

	for (i = 0; i < r->nm; i++)
		if (!strcmp(r->m[i].key, key) && !strcmp(r->m[i].clock, clock))
			return &r->m[i];
	return NULL;
}

/* Returns the new, zeroed metric or NULL. */
static struct nb_metric *new_metric(struct nb_results *r, const char *key,
				    const char *clock)
{
	struct nb_metric *m;

	if (r->nm == r->mcap) {
		size_t cap = r->mcap ? 2 * r->mcap : 16;

		m = realloc(r->m, cap * sizeof(*m));
		if (!m)
			return NULL;
		r->m = m;
		r->mcap = cap;
	}
	m = &r->m[r->nm++];
	memset(m, 0, sizeof(*m));
	snprintf(m->key, sizeof(m->key), "%s", key);
	snprintf(m->clock, sizeof(m->clock), "%s", clock);
	m->scale = 1;
	m->level = -1;
	return m;
}

static int series_push(struct nb_series *s, const struct nb_obs *o)
{
	struct nb_obs *p;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		p = realloc(s->obs, s->cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		s->obs = p;
	}
	s->obs[s->n++] = *o;
	return 0;
}

/* The observation's row: boot, rep and line. */
static int row_obs(struct loader *l, size_t row, double v, struct nb_obs *o)
{
	const char *boot = cell(l, row, "boot"), *rep = cell(l, row, "rep");
	int b, r = 0;	/* rep 0: boots.csv has none */

	if (nb_parse_int(boot, 1, INT_MAX, &b))
		return row_error(l, row, "boot '%s' is not a boot number (1, 2, ...)", boot);
	if (*rep && nb_parse_int(rep, 1, INT_MAX, &r))
		return row_error(l, row, "rep '%s' is not a repetition number (1, 2, ...)", rep);
	memset(o, 0, sizeof(*o));
	o->v = v;
	o->boot = b;
	o->rep = r;
	o->line = nb_table_line(l->t, row);
	return 0;
}

/* -ENODATA for an empty cell (not measured), -EINVAL (err set) for junk. */
static int row_num(struct loader *l, size_t row, const char *col, double *v)
{
	return nb_table_double(l->t, row, nb_table_col(l->t, col), v,
			       l->err, l->errlen);
}

static void timing_meta(const struct nb_results *r, struct nb_metric *m,
			const struct timing_def *d, const char *rowclock)
{
	char ck[48];

	nb_clock_label(ck, sizeof(ck), m->clock);
	if (d->ck == CK_GUEST)
		snprintf(ck, sizeof(ck), "guest clock over %s", rowclock);
	else if (d->ck == CK_ROW && !strcmp(m->clock, "host"))
		snprintf(ck, sizeof(ck), "host clock");	/* arm64 L0, not the x86 wall */
	snprintf(m->label, sizeof(m->label), "%s (%s)", d->what ? d->what : r->wl->window, ck);
	snprintf(m->unit, sizeof(m->unit), "%s", d->unit);
	snprintf(m->dunit, sizeof(m->dunit), "%s", d->dunit);
	m->scale = d->scale;
	m->kind = NB_M_TIMING;
	m->in_report = d->report;
	m->verdict = d->verdict;
}

static int add_timing(struct loader *l, size_t row, int v, const struct timing_def *d)
{
	const char *rowclock = cell(l, row, "clock");
	const char *clock = d->ck == CK_HOST ? "host" : rowclock;
	struct nb_metric *m;
	struct nb_obs o;
	double x;
	int ret = row_num(l, row, d->col, &x);

	if (ret)
		return ret == -ENODATA ? 0 : ret;
	m = find_metric(l->r, d->col, clock);
	if (!m && (m = new_metric(l->r, d->col, clock)))
		timing_meta(l->r, m, d, rowclock);
	if (!m)
		return -ENOMEM;
	return row_obs(l, row, x, &o) ?: series_push(&m->s[v], &o);
}

/* A workload's metric (workloads/workload.h), in the innermost guest's clock. */
static int add_wl_timing(struct loader *l, size_t row, int v, const struct nb_wl_metric *wm)
{
	struct timing_def d = { wm->col, wm->what, wm->unit, wm->dunit, wm->scale, CK_GUEST,
				wm->report, 0 };

	return wm->what ? add_timing(l, row, v, &d) : 0;	/* no what: a column only */
}

/* The window, then every workload's metrics: a column absent from this reps.csv adds nothing. */
static int load_timing(struct loader *l, size_t row, int v)
{
	const struct nb_workload *const *w;
	size_t i;
	int ret = 0;

	l->r->counts[v].timing++;
	for (i = 0; i < ARRAY_SIZE(window_defs) && !ret; i++)
		ret = add_timing(l, row, v, &window_defs[i]);
	for (w = nb_workloads(); *w && !ret; w++)
		for (i = 0; i < (*w)->nmetrics && !ret; i++)
			ret = add_wl_timing(l, row, v, &(*w)->metrics[i]);
	return ret;
}

/* A counter the statistics use: a row of collect/counters.c that is not a row flag. */
static const struct nb_counter *counter_def(const char *name)
{
	const struct nb_counter *k = nb_counter_find(name);

	return k && !k->status ? k : NULL;
}

static void counter_meta(struct nb_metric *m, int level, const char *name,
			 const char *rowclock)
{
	const struct nb_counter *d = counter_def(name);
	char ck[64] = "";

	m->kind = NB_M_COUNTER;
	m->level = level;
	if (!d) {
		snprintf(m->label, sizeof(m->label), "%s", m->key);
		return;
	}
	if (d->clocked && level == 0)
		snprintf(ck, sizeof(ck), " (%s clock)", rowclock);
	else if (d->clocked)
		snprintf(ck, sizeof(ck), " (L%d guest clock over %s)", level, rowclock);
	snprintf(m->label, sizeof(m->label), "%s at L%d%s", d->label, level, ck);
	snprintf(m->unit, sizeof(m->unit), "%s", d->unit);
	snprintf(m->dunit, sizeof(m->dunit), "%s", d->unit);
	m->in_report = d->report;
}

/* "L0.fp_save" -> 0, "fp_save"; -1 when not a counter column. */
static int counter_col(const char *col, char *name, size_t len)
{
	unsigned int level;
	int n = 0;

	if (sscanf(col, "L%u.%n", &level, &n) != 1 || !n || !col[n] ||
	    strlen(col + n) >= len || level > 9)
		return -1;
	strcpy(name, col + n);
	return level;
}

/* A damaged trace (collect/analyze.h), like lost events, makes the level's counters suspect. */
static int level_damaged(struct loader *l, size_t row, int v, int level, int *bad)
{
	char col[24];
	double x;
	int ret;

	snprintf(col, sizeof(col), "L%d.damaged", level);
	ret = row_num(l, row, col, &x);
	*bad = !ret && x > 0;
	if (ret && ret != -ENODATA)
		return ret;
	if (!*bad)
		return 0;
	l->r->counts[v].lost++;
	return add_note(l->r, "%s:%u: %s boot %s rep %s: trace damaged at L%d (%.0f records "
			"unreadable or missing): its L%d counters are not used", nb_table_path(l->t),
			nb_table_line(l->t, row), l->r->variants[v], cell(l, row, "boot"),
			cell(l, row, "rep"), level, x, level);
}

/* Lost events make every counter of that level in that row suspect. */
static int level_lost(struct loader *l, size_t row, int v, int level, int *lost)
{
	char col[24];
	double x;
	int ret = level_damaged(l, row, v, level, lost);

	if (ret || *lost)
		return ret;
	snprintf(col, sizeof(col), "L%d.lost", level);
	ret = row_num(l, row, col, &x);
	*lost = !ret && x > 0;
	if (ret && ret != -ENODATA)
		return ret;
	if (!*lost)
		return 0;
	l->r->counts[v].lost++;
	return add_note(l->r, "%s:%u: %s boot %s rep %s lost %.0f trace events at L%d: "
			"its L%d counters are not used", nb_table_path(l->t),
			nb_table_line(l->t, row), l->r->variants[v], cell(l, row, "boot"),
			cell(l, row, "rep"), x, level, level);
}

static int add_counter(struct loader *l, size_t row, int v, size_t col,
		       int level, const char *name)
{
	const char *key = nb_table_colname(l->t, col), *rowclock = cell(l, row, "clock");
	const char *clock = counter_def(name) && counter_def(name)->clocked ? rowclock : "";
	struct nb_metric *m;
	struct nb_obs o;
	double x;
	int ret = nb_table_double(l->t, row, col, &x, l->err, l->errlen);

	if (ret)
		return ret == -ENODATA ? 0 : ret;
	m = find_metric(l->r, key, clock);
	if (!m && (m = new_metric(l->r, key, clock)))
		counter_meta(m, level, name, rowclock);
	if (!m)
		return -ENOMEM;
	return row_obs(l, row, x, &o) ?: series_push(&m->s[v], &o);
}

static int counting_col(struct loader *l, size_t row, int v, size_t col,
			unsigned int *lost_mask)
{
	char name[32];
	int level = counter_col(nb_table_colname(l->t, col), name, sizeof(name));
	int lost, ret;

	if (level < 0 || !counter_def(name) || (*lost_mask & (1u << level)))
		return 0;	/* lost, damaged: flags; a name no counter has: note_unknown_cols */
	if (!(*lost_mask & (0x400u << level))) {	/* level not yet checked */
		*lost_mask |= 0x400u << level;
		ret = level_lost(l, row, v, level, &lost);
		if (ret || lost) {
			*lost_mask |= lost ? 1u << level : 0;
			return ret;
		}
	}
	return add_counter(l, row, v, col, level, name);
}

static int load_counting(struct loader *l, size_t row, int v)
{
	unsigned int lost_mask = 0;	/* bits 0-9: lost, 10-19: checked */
	size_t col;
	int ret = 0;

	l->r->counts[v].counting++;
	for (col = 0; col < nb_table_ncols(l->t) && !ret; col++)
		ret = counting_col(l, row, v, col, &lost_mask);
	return ret;
}

/* A row's enumerated cells, each against its set: a metric is never made of junk. */
static int row_domains(struct loader *l, size_t row)
{
	const char *clock = cell(l, row, "clock"), *platform = cell(l, row, "platform");

	if (!in_set(clock, clocks))
		return row_error(l, row, "clock is '%.40s', expected icount, tcg-wall or host", clock);
	if (*platform && !nb_platform_find(platform))
		return row_error(l, row, "platform is '%.40s', expected emulated or host", platform);
	return 0;
}

static int load_rep(struct loader *l, size_t row)
{
	const char *mode = cell(l, row, "mode"), *warm = cell(l, row, "warmup");
	int v = row_variant(l, row);

	if (v < 0)
		return v;
	if (row_domains(l, row))
		return -EINVAL;
	if (strcmp(warm, "0") && strcmp(warm, "1") && *warm)
		return row_error(l, row, "warmup is '%s', expected 0 or 1", warm);
	if (!strcmp(warm, "1")) {
		l->r->counts[v].warmup++;
		return 0;
	}
	if (!strcmp(mode, "timing"))
		return load_timing(l, row, v);
	if (!strcmp(mode, "counting"))
		return load_counting(l, row, v);
	if (!strcmp(mode, "bare")) {	/* no counters at all: only the report's overhead line reads them */
		l->r->counts[v].bare++;
		return 0;
	}
	if (!strcmp(mode, "exits")) {	/* perf kvm stat at L0: kvmexits.csv has their counts */
		l->r->counts[v].exits++;
		return 0;
	}
	return row_error(l, row, "mode is '%s', expected timing, bare, counting or exits", mode);
}

static void note_platform(struct loader *l)
{
	const char *p = nb_table_rows(l->t) ? cell(l, 0, "platform") : "";

	if (*p && !l->r->platform[0])
		snprintf(l->r->platform, sizeof(l->r->platform), "%s", p);
}

/*
 * L<n>.NAME columns of no counter nestbench knows make no metric: metrics
 * stay bounded by the counter table, whatever the header holds. One note.
 */
static int note_unknown_cols(struct loader *l)
{
	const char *first = NULL;
	size_t col, n = 0;
	char name[32];

	for (col = 0; col < nb_table_ncols(l->t); col++)
		if (counter_col(nb_table_colname(l->t, col), name, sizeof(name)) >= 0 &&
		    !nb_counter_find(name) && !n++)
			first = nb_table_colname(l->t, col);
	if (!n)
		return 0;
	return add_note(l->r, "%s: %zu column(s) name no counter nestbench knows (first: %.64s): "
			"not used", nb_table_path(l->t), n, first);
}

static int load_reps(struct loader *l, const char *dir)
{
	char path[PATH_MAX];
	size_t row;
	int ret;

	snprintf(path, sizeof(path), "%s/reps.csv", dir);
	ret = nb_table_read(path, &l->t, l->err, l->errlen);
	if (ret)
		return ret;
	l->r->tab[l->src][NB_TAB_REPS] = l->t;
	ret = nb_table_require(l->t, rep_cols, l->err, l->errlen) ?: note_unknown_cols(l);
	for (row = 0; row < nb_table_rows(l->t) && !ret; row++)
		ret = load_rep(l, row);
	if (!ret)
		note_platform(l);
	l->t = NULL;
	return ret;
}

/* "L1" or "1" */
static int boot_level(struct loader *l, size_t row)
{
	const char *s = cell(l, row, "level");
	int v;

	if (nb_parse_int(s + (*s == 'L'), 0, 9, &v) || !isdigit((unsigned char)s[*s == 'L']))
		return row_error(l, row, "level is '%.40s', expected L<n> or <n> (0..9)", s);
	return v;
}

static void boot_meta(struct nb_metric *m, const char *what, int level)
{
	char ck[48];

	nb_clock_label(ck, sizeof(ck), m->clock);
	snprintf(m->label, sizeof(m->label), "%s of L%d (%s)", what, level, ck);
	strcpy(m->unit, "s");
	strcpy(m->dunit, "s");
	m->kind = NB_M_BOOT;
	m->level = level;
	m->in_report = !strcmp(what, "boot time");
}

static int add_boot(struct loader *l, size_t row, int v, int level,
		    const char *col, const char *what)
{
	const char *clock = cell(l, row, "clock");
	struct nb_metric *m;
	char key[48];
	struct nb_obs o;
	double x;
	int ret = row_num(l, row, col, &x);

	if (ret)
		return ret == -ENODATA ? 0 : ret;
	snprintf(key, sizeof(key), "L%d.%s", level, col);
	m = find_metric(l->r, key, clock);
	if (!m && (m = new_metric(l->r, key, clock)))
		boot_meta(m, what, level);
	if (!m)
		return -ENOMEM;
	return row_obs(l, row, x, &o) ?: series_push(&m->s[v], &o);
}

static int load_boot(struct loader *l, size_t row)
{
	int v = row_variant(l, row), level = v < 0 ? v : boot_level(l, row);
	const char *clock = cell(l, row, "clock");

	if (level < 0)
		return level;
	if (!in_set(clock, clocks))
		return row_error(l, row, "clock is '%.40s', expected icount, tcg-wall or host", clock);
	if (!in_set(cell(l, row, "status"), statuses))
		return row_error(l, row, "status is '%.40s', expected ok or failed", cell(l, row, "status"));
	if (strcmp(cell(l, row, "status"), "ok")) {
		l->r->counts[v].boots_failed++;
		return add_note(l->r, "%s:%u: %s boot %s: L%d %s (%s): not a boot time",
				nb_table_path(l->t), nb_table_line(l->t, row),
				l->r->variants[v], cell(l, row, "boot"), level,
				cell(l, row, "status"), cell(l, row, "reason"));
	}
	l->r->counts[v].boots_ok++;
	return add_boot(l, row, v, level, "boot_s", "boot time") ?:
	       add_boot(l, row, v, level, "teardown_s", "teardown time");
}

static int load_boots(struct loader *l, const char *dir)
{
	char path[PATH_MAX];
	size_t row;
	int ret;

	snprintf(path, sizeof(path), "%s/boots.csv", dir);
	ret = nb_table_read(path, &l->t, l->err, l->errlen);
	if (ret == -ENOENT)
		return add_note(l->r, "%s: missing: no boot times", path);
	if (ret)
		return ret;
	l->r->tab[l->src][NB_TAB_BOOTS] = l->t;
	ret = nb_table_require(l->t, boot_cols, l->err, l->errlen);
	for (row = 0; row < nb_table_rows(l->t) && !ret; row++)
		ret = load_boot(l, row);
	l->t = NULL;
	return ret;
}

/*
 * The files only a section of the report reads: absent in older directories
 * (nothing said), and one that does not parse costs its section, not the
 * report (a note says which and why).
 */
static int load_extra(struct loader *l, const char *dir)
{
	static const char *const names[NB_TAB_N] = {
		[NB_TAB_KVMEXITS] = "kvmexits.csv", [NB_TAB_PHASES] = "phases.csv",
		[NB_TAB_SESSIONS] = "sessions.csv",
	};
	char path[PATH_MAX], why[512];
	int k, ret;

	for (k = NB_TAB_KVMEXITS; k < NB_TAB_N; k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[k]);
		ret = nb_table_read(path, &l->r->tab[l->src][k], why, sizeof(why));
		if (ret == -ENOMEM)
			return ret;
		if (ret && ret != -ENOENT && (ret = add_note(l->r, "%s: its table is not shown", why)))
			return ret;
	}
	return 0;
}

#define NB_MAX_JOBS 4096

/* "jobs": an integer 1..NB_MAX_JOBS, absent = 1; anything else is an error. */
static int manifest_jobs(struct loader *l, struct json_object *man, const char *path)
{
	struct json_object *j;
	int64_t n;

	if (!json_object_object_get_ex(man, "jobs", &j))
		return 0;
	n = json_object_is_type(j, json_type_int) ? json_object_get_int64(j) : 0;
	if (n < 1 || n > NB_MAX_JOBS) {
		snprintf(l->err, l->errlen, "%s: jobs is '%s', expected an integer "
			 "1..%d (boots run concurrently)", path,
			 json_object_to_json_string(j), NB_MAX_JOBS);
		return -EINVAL;
	}
	if (n > l->r->jobs)
		l->r->jobs = n;
	return 0;
}

/*
 * A copy of a manifest's value with every key and string printable and
 * bounded (nb_printable): the report prints manifest strings as they are.
 * keep_nl: the fio job, whose lines the report splits and prints one by one.
 */
static struct json_object *printable_json(struct json_object *o, int keep_nl)
{
	struct json_object *n = NULL;
	char *t;
	size_t i;

	switch (json_object_get_type(o)) {
	case json_type_string:
		if (keep_nl)
			return json_object_get(o);
		t = nb_printable(json_object_get_string(o), json_object_get_string_len(o), NB_TEXT_MAX);
		n = t ? json_object_new_string(t) : NULL;
		free(t);
		return n;
	case json_type_object:
		n = json_object_new_object();
		json_object_object_foreach(o, key, val) {
			t = nb_printable(key, strlen(key), NB_NAME_LEN + 1);
			if (n && t)
				json_object_object_add(n, t, printable_json(val, 0));
			free(t);
		}
		return n;
	case json_type_array:
		n = json_object_new_array();
		for (i = 0; n && i < json_object_array_length(o); i++)
			json_object_array_add(n, printable_json(json_object_array_get_idx(o, i), 0));
		return n;
	default:
		return json_object_get(o);
	}
}

/* The top level's "job" keeps its newlines (stats/report.c prints it line by line, escaped). */
static struct json_object *printable_manifest(struct json_object *man)
{
	struct json_object *n = printable_json(man, 0), *job;

	if (n && json_object_object_get_ex(man, "job", &job) && json_object_is_type(job, json_type_string))
		json_object_object_add(n, "job", json_object_get(job));
	return n;
}

static int load_manifest(struct loader *l, const char *dir)
{
	char path[PATH_MAX];
	struct json_object *j;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	j = json_object_from_file(path);
	if (!j) {
		l->no_manifest = access(path, F_OK) ? "missing" : "not valid JSON";
		return 0;
	}
	if (!json_object_is_type(j, json_type_object)) {
		json_object_put(j);
		snprintf(l->err, l->errlen, "%s: not a JSON object", path);
		return -EINVAL;
	}
	l->r->manifest[l->src] = printable_manifest(j);
	json_object_put(j);
	if (!l->r->manifest[l->src])
		return -ENOMEM;
	return manifest_jobs(l, l->r->manifest[l->src], path) ?:
	       (l->src ? 0 : nb_seq_from_manifest(l->r->manifest[l->src], &l->r->seq, l->err, l->errlen));
}

static void manifest_platform(struct nb_results *r)
{
	struct json_object *p;

	if (!r->platform[0] && r->manifest[0] &&
	    json_object_object_get_ex(r->manifest[0], "platform", &p) &&
	    json_object_is_type(p, json_type_string) && nb_platform_find(json_object_get_string(p)))
		snprintf(r->platform, sizeof(r->platform), "%s", json_object_get_string(p));
}

/* The workload a manifest names; fio when it names none (older directories) or there is none. */
static const struct nb_workload *manifest_workload(struct json_object *m)
{
	const struct nb_workload *w = NULL;
	struct json_object *j;

	if (m && json_object_object_get_ex(m, "workload", &j) && json_object_is_type(j, json_type_string))
		w = nb_workload_find(json_object_get_string(j));
	return w ? w : nb_workload_find("");	/* the default workload */
}

static int note_manifest(struct loader *l, const char *dir)
{
	return l->no_manifest ? add_note(l->r, "%s/manifest.json: %s: setup unknown", dir,
					 l->no_manifest) : 0;
}

/* The manifest first: it names the workload the rows' metrics are labelled by. */
static int load_dir(struct nb_results *r, const char *dir, char *err, size_t errlen)
{
	struct loader l = { .r = r, .src = r->ndirs, .err = err, .errlen = errlen };
	int ret;

	r->dirs[r->ndirs] = strdup(dir);
	if (!r->dirs[r->ndirs++])
		return -ENOMEM;
	ret = load_manifest(&l, dir);
	if (!ret && !r->wl)
		r->wl = manifest_workload(r->manifest[0]);
	return ret ?: load_reps(&l, dir) ?: load_boots(&l, dir) ?: note_manifest(&l, dir) ?:
	       load_extra(&l, dir);
}

size_t nb_results_series(const struct nb_results *r, size_t *v, size_t max)
{
	struct json_object *a, *k;
	size_t i, n;
	int x;

	if (!r->manifest[0] || !json_object_object_get_ex(r->manifest[0], "series", &a) ||
	    !json_object_is_type(a, json_type_array))
		return 0;
	n = json_object_array_length(a);
	if (n < 2 || n > max)
		return 0;	/* not a series the experiment could have run */
	for (i = 0; i < n; i++) {
		k = json_object_array_get_idx(a, i);
		x = k && json_object_is_type(k, json_type_string) ?
		    nb_results_dir_variant(r, 0, json_object_get_string(k)) : -ENOENT;
		v[i] = x >= 0 ? (size_t)x : NB_SERIES_NONE;
	}
	return n;
}

/* "base", else a series' base (manifest "series"), else the first variant of reps.csv. */
static void pick_baseline(struct nb_results *r)
{
	int v = find_variant(r, "base");
	size_t sv[NB_MAX_VARIANTS];

	if (v < 0 && nb_results_series(r, sv, NB_MAX_VARIANTS) && sv[0] != NB_SERIES_NONE)
		v = sv[0];
	r->base = v >= 0 && r->vdir[v] == 0 ? (size_t)v : 0;
}

/* Timing, counters, boots; within each, by level (stable: file order stays). */
static int metric_before(const struct nb_metric *a, const struct nb_metric *b)
{
	return a->kind != b->kind ? a->kind < b->kind : a->level < b->level;
}

static void sort_metrics(struct nb_results *r)
{
	struct nb_metric tmp;
	size_t i, j;

	for (i = 1; i < r->nm; i++) {
		tmp = r->m[i];
		for (j = i; j > 0 && metric_before(&tmp, &r->m[j - 1]); j--)
			r->m[j] = r->m[j - 1];
		r->m[j] = tmp;
	}
}

static int finish(struct nb_results *r, char *err, size_t errlen)
{
	if (!r->nvar) {
		snprintf(err, errlen, "%s/reps.csv: no rows: nothing to report", r->dirs[0]);
		return -ENODATA;
	}
	pick_baseline(r);
	manifest_platform(r);
	if (!r->jobs)
		r->jobs = 1;
	sort_metrics(r);
	return 0;
}

int nb_results_load(const char *dir, struct nb_results **out, char *err, size_t errlen)
{
	return nb_results_load_pair(dir, NULL, out, err, errlen);
}

int nb_results_load_pair(const char *a, const char *b, struct nb_results **out,
			 char *err, size_t errlen)
{
	const char *dirs[] = { a, b };

	return nb_results_load_dirs(dirs, b ? 2 : 1, out, err, errlen);
}

int nb_results_load_dirs(const char *const *dirs, size_t n, struct nb_results **out,
			 char *err, size_t errlen)
{
	struct nb_results *r = calloc(1, sizeof(*r));
	int ret = -ENOMEM;
	size_t i;

	if (!n || n > NB_MAX_DIRS) {
		snprintf(err, errlen, "%zu results directories: 1..%d in one set", n, NB_MAX_DIRS);
		free(r);
		return -EINVAL;
	}
	if (!r)
		goto fail;
	for (ret = 0, i = 0; i < n && !ret; i++)
		ret = load_dir(r, dirs[i], err, errlen);
	if (!ret)
		ret = finish(r, err, errlen);
	if (ret)
		goto fail;
	*out = r;
	return 0;
fail:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory reading %s", dirs[0]);
	nb_results_free(r);
	return ret;
}

void nb_results_free(struct nb_results *r)
{
	size_t i, v;

	if (!r)
		return;
	for (i = 0; i < r->nm; i++)
		for (v = 0; v < NB_MAX_VARIANTS; v++) {
			free(r->m[i].s[v].obs);
			free(r->m[i].s[v].boot);
		}
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	for (i = 0; i < r->nvar; i++) {
		free(r->variants[i]);
		free(r->raw[i]);
	}
	for (i = 0; i < NB_MAX_DIRS; i++) {
		free(r->dirs[i]);
		json_object_put(r->manifest[i]);
		for (v = 0; v < NB_TAB_N; v++)
			nb_table_free(r->tab[i][v]);
	}
	free(r->notes);
	free(r->m);
	free(r);
}

/* Caller frees. */
static double *series_values(const struct nb_series *s)
{
	double *x = malloc((s->n ? s->n : 1) * sizeof(*x));
	size_t i;

	for (i = 0; x && i < s->n; i++)
		x[i] = s->obs[i].v;
	return x;
}

static int flag_outliers(const struct nb_metric *m, struct nb_series *s,
			 const double *x, struct nb_results *r, const char *var)
{
	unsigned char *f = calloc(s->n, 1);
	char num[32];
	size_t i;
	int ret = f ? nb_outliers(x, s->n, f) : -ENOMEM;

	for (i = 0; ret >= 0 && i < s->n; i++) {
		s->obs[i].outlier = f[i];
		if (!f[i] || !m->in_report)
			continue;
		nb_fmt_num(num, sizeof(num), s->obs[i].v * m->scale);
		ret = add_note(r, "%s: %s boot %u rep %u = %s%s%s is an outlier "
			       "(line %u); kept in the statistics", m->label, var,
			       s->obs[i].boot, s->obs[i].rep, num, *m->dunit ? " " : "",
			       m->dunit, s->obs[i].line) ?: ret;
	}
	s->outliers = ret > 0 ? ret : 0;
	free(f);
	return ret < 0 ? ret : 0;
}

static int cmp_boot(const void *x, const void *y, void *obs)
{
	const struct nb_obs *o = obs;
	const size_t *a = x, *b = y;

	if (o[*a].boot != o[*b].boot)
		return o[*a].boot < o[*b].boot ? -1 : 1;
	return (*a > *b) - (*a < *b);
}

/*
 * slot[i]: the index of obs i's boot in first-seen order; returns the
 * number of boots, or -ENOMEM. Sorted, n log n: a search per row was
 * quadratic in the rows of a many-boot series.
 */
static long boot_slots(const struct nb_obs *o, size_t n, size_t *slot)
{
	size_t *idx = malloc(n * sizeof(*idx)), *rank = malloc(n * sizeof(*rank)), i, g = 0;
	long nboots = 0;

	if (!idx || !rank) {
		free(idx);
		free(rank);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_boot, (void *)o);
	for (i = 0; i < n; i++) {	/* slot: the boot's group in sorted order, for now */
		g += i && o[idx[i]].boot != o[idx[i - 1]].boot;
		slot[idx[i]] = g;
		rank[i] = SIZE_MAX;
	}
	for (i = 0; i < n; i++) {	/* then its rank by first sight */
		if (rank[slot[i]] == SIZE_MAX)
			rank[slot[i]] = nboots++;
		slot[i] = rank[slot[i]];
	}
	free(idx);
	free(rank);
	return nboots;
}

/*
 * One mean per boot (first-seen order), then the squares of each rep around
 * its boot's mean: the within-boot part of a one-way ANOVA.
 */
static int group_boots(struct nb_series *s)
{
	size_t *slot = calloc(s->n, sizeof(*slot)), *cnt = calloc(s->n, sizeof(*cnt)), i, j;
	double *m = calloc(s->n, sizeof(*m));
	long nb = slot ? boot_slots(s->obs, s->n, slot) : -ENOMEM;

	if (nb < 0 || !cnt || !m) {
		free(slot);
		free(cnt);
		free(m);
		return -ENOMEM;
	}
	free(s->boot);		/* analysed again: start over */
	s->nboots = nb;
	s->df_within = 0;
	s->ss_within = s->inv_reps = 0;
	for (i = 0; i < s->n; i++) {
		m[slot[i]] += s->obs[i].v - s->obs[0].v;	/* shifted: 1e12 ns keeps its digits */
		cnt[slot[i]]++;
	}
	for (j = 0; j < s->nboots; j++) {
		m[j] = s->obs[0].v + m[j] / cnt[j];
		s->df_within += cnt[j] - 1;
		s->inv_reps += 1.0 / cnt[j];
	}
	for (i = 0; i < s->n; i++) {
		double d = s->obs[i].v - m[slot[i]];

		s->ss_within += d * d;
	}
	s->boot = m;
	free(slot);
	free(cnt);
	return 0;
}

static int summarize_series(struct nb_results *r, struct nb_metric *m, size_t v)
{
	struct nb_series *s = &m->s[v];
	double *x;
	int ret;

	if (!s->n)
		return 0;
	x = series_values(s);
	if (!x)
		return -ENOMEM;
	ret = nb_summarize(x, s->n, &s->sum) ?:
	      flag_outliers(m, s, x, r, r->variants[v]) ?:
	      group_boots(s) ?:
	      nb_summarize(s->boot, s->nboots, &s->bsum);
	free(x);
	return ret;
}

static double pct_of(double x, double base)
{
	return base ? 100 * x / fabs(base) : NAN;
}

/* Between and within a boot, pooled over both arms (one-way ANOVA). */
static void components(struct nb_boot_cmp *c, const struct nb_series *a,
		       const struct nb_series *b)
{
	size_t k = a->nboots + b->nboots, dfw = a->df_within + b->df_within;
	double sd = a->bsum.stddev, sdb = b->bsum.stddev;
	double sbm2 = ((a->nboots - 1) * sd * sd + (b->nboots - 1) * sdb * sdb) / (k - 2);
	double sw2 = dfw ? (a->ss_within + b->ss_within) / dfw : NAN;
	double inv = (a->inv_reps + b->inv_reps) / k, base = a->bsum.mean;

	c->reps_per_boot = 1 / inv;
	c->sd_boot_pct = pct_of(sqrt(sbm2), base);
	c->sd_within_pct = pct_of(sqrt(sw2), base);	/* one rep per boot: no within, */
	c->sd_between_pct = dfw ? pct_of(sqrt(fmax(0, sbm2 - sw2 * inv)), base) : NAN; /* no split */
}

/*
 * A run that stopped early (a sequential design in its manifest) tests at
 * its look's level, so that every CI is a repeated CI; `compare` of two
 * runs is not one design and tests at NB_ALPHA.
 */
static int boot_compare(const struct nb_results *r, struct nb_series *a, struct nb_series *b)
{
	struct nb_boot_cmp *c = &b->cmp;
	double alpha;
	int ret;

	memset(c, 0, sizeof(*c));
	c->model = a->nboots == b->nboots ? NB_T_POOLED : NB_T_WELCH;
	c->test = nb_tmodel_name(c->model);
	c->na = a->nboots;
	c->nb = b->nboots;
	alpha = r->ndirs == 1 ? nb_seq_alpha(&r->seq, c->na, c->nb) : NB_ALPHA;
	ret = nb_ttest_level(a->boot, a->nboots, b->boot, b->nboots, c->model, alpha, &c->verdict) ?:
	      nb_ttest_level(a->boot, a->nboots, b->boot, b->nboots, !c->model, alpha, &c->check);
	if (ret)
		return ret;
	c->halfwidth_pct = (c->verdict.pct.hi - c->verdict.pct.lo) / 2;
	components(c, a, b);
	c->boots_for_1pct = nb_boots_for_halfwidth(c->sd_boot_pct, 1.0);
	return 0;
}

/* Advice on boots where it would change the conclusion: reps do not. */
static int size_notes(struct nb_results *r, const struct nb_metric *m, size_t v)
{
	const struct nb_series *a = &m->s[r->base], *b = &m->s[v];
	const struct nb_boot_cmp *c = &b->cmp;

	if (!b->has_cmp)
		return add_note(r, "%s, %s vs %s: n=%zu+%zu boots: no verdict; repetitions "
				"of one boot are not independent samples, run >= 2 (better "
				">= 3) boots per variant", m->label, r->variants[v],
				r->variants[r->base], a->nboots, b->nboots);
	if (c->verdict.significant || !(c->halfwidth_pct > 1) || !c->boots_for_1pct)
		return 0;
	return add_note(r, "%s, %s vs %s: n=%zu+%zu boots resolve only +-%.2f%%; about "
			"%zu boots per variant would resolve +-1%% (SD of boot means %.2f%%; "
			"more repetitions per boot shrink only the within-boot part)",
			m->label, r->variants[v], r->variants[r->base], c->na, c->nb,
			c->halfwidth_pct, c->boots_for_1pct, c->sd_boot_pct);
}

static int compare_series(struct nb_results *r, struct nb_metric *m, size_t v)
{
	struct nb_series *a = &m->s[r->base], *b = &m->s[v];
	int ret = 0;

	if (a->nboots >= 2 && b->nboots >= 2) {
		ret = boot_compare(r, a, b);
		b->has_cmp = !ret;
	}
	if (!ret && m->verdict && !a->n != !b->n)
		return add_note(r, "%s: %s has %zu reps in this clock, %s %zu: "
				"measured in different clocks? not compared", m->label,
				r->variants[r->base], a->n, r->variants[v], b->n);
	if (!ret && m->role != NB_ROLE_NONE && nb_role_compared(m->role) && a->n)
		ret = size_notes(r, m, v);
	return ret;
}

/*
 * Wall clocks (all but icount) are disturbed by boots running side by side:
 * the I/O time and the boot and teardown times the host's wall clock takes.
 * icount is disturbed by the host's disk, which only L1's boot waits for.
 */
static enum nb_role metric_role(const struct nb_results *r, const struct nb_metric *m)
{
	int timed = m->verdict || m->kind == NB_M_BOOT;

	if (timed && r->jobs > 1 && *m->clock && strcmp(m->clock, "icount"))
		return NB_ROLE_DISTURBED;
	if (!strcmp(m->key, "L1.boot_s") && !strcmp(m->clock, "icount"))
		return NB_ROLE_HOST_IO;
	if (!m->verdict)
		return NB_ROLE_NONE;
	return strcmp(m->key, "io_ns") ? NB_ROLE_SECONDARY : NB_ROLE_PRIMARY;
}

static int analyze_metric(struct nb_results *r, struct nb_metric *m)
{
	size_t v;
	int ret = 0;

	m->role = metric_role(r, m);
	for (v = 0; v < r->nvar && !ret; v++)
		ret = summarize_series(r, m, v);
	for (v = 0; v < r->nvar && !ret; v++)
		if (v != r->base)
			ret = compare_series(r, m, v);
	return ret;
}

int nb_results_analyze(struct nb_results *r, const struct nb_boot_opts *o)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < r->nm && !ret; i++)
		ret = analyze_metric(r, &r->m[i]);
	return ret;
}

const struct nb_boot_cmp *nb_results_cmp(const struct nb_metric *m, size_t v)
{
	return v < NB_MAX_VARIANTS && m->s[v].has_cmp ? &m->s[v].cmp : NULL;
}

const struct nb_seq *nb_results_seq(const struct nb_results *r)
{
	return r->ndirs == 1 && r->seq.nlooks ? &r->seq : NULL;
}

unsigned int nb_results_jobs(const struct nb_results *r)
{
	return r->jobs;
}

size_t nb_results_ndirs(const struct nb_results *r)
{
	return r->ndirs;
}

const char *nb_results_dir(const struct nb_results *r, size_t i)
{
	return i < r->ndirs ? r->dirs[i] : NULL;
}

struct json_object *nb_results_manifest(const struct nb_results *r, size_t i)
{
	return i < r->ndirs ? r->manifest[i] : NULL;
}

const struct nb_table *nb_results_table(const struct nb_results *r, size_t i, enum nb_tab k)
{
	return i < r->ndirs && k < NB_TAB_N ? r->tab[i][k] : NULL;
}

const char *nb_results_row_variant(const struct nb_results *r, size_t i, const char *cell)
{
	size_t v;

	for (v = 0; v < r->nvar; v++)
		if (r->vdir[v] == i && !strcmp(r->raw[v], cell))
			return r->variants[v];
	return NULL;
}

const char *nb_results_variant_raw(const struct nb_results *r, size_t v)
{
	return v < r->nvar ? r->raw[v] : NULL;
}

int nb_results_dir_variant(const struct nb_results *r, size_t i, const char *raw)
{
	size_t v;

	for (v = 0; v < r->nvar; v++)
		if (r->vdir[v] == i && !strcmp(r->raw[v], raw))
			return v;
	return -ENOENT;
}

size_t nb_results_dir_baseline(const struct nb_results *r, size_t i)
{
	int v = nb_results_dir_variant(r, i, "base");
	size_t first;

	if (v >= 0)
		return v;
	for (first = 0; first < r->nvar && r->vdir[first] != i; first++)
		;
	return first < r->nvar ? first : r->base;
}

const char *nb_json_path(struct json_object *o, const char *path)
{
	char key[64];
	const char *dot;
	size_t len;

	while (o && (dot = strchr(path, '.'))) {
		len = dot - path < (long)sizeof(key) - 1 ? dot - path : sizeof(key) - 1;
		memcpy(key, path, len);
		key[len] = 0;
		if (!json_object_object_get_ex(o, key, &o))
			return "";
		path = dot + 1;
	}
	if (!o || !json_object_object_get_ex(o, path, &o) || !o)
		return "";
	return json_object_get_string(o);
}

const char *nb_results_setup(const struct nb_results *r, size_t i, const char *path)
{
	return nb_json_path(nb_results_manifest(r, i), path);
}

size_t nb_results_nvariants(const struct nb_results *r)
{
	return r->nvar;
}

const char *nb_results_variant(const struct nb_results *r, size_t v)
{
	return v < r->nvar ? r->variants[v] : NULL;
}

size_t nb_results_variant_dir(const struct nb_results *r, size_t v)
{
	return r->vdir[v];
}

size_t nb_results_baseline(const struct nb_results *r)
{
	return r->base;
}

const struct nb_rep_counts *nb_results_counts(const struct nb_results *r, size_t v)
{
	return &r->counts[v];
}

const char *nb_results_platform(const struct nb_results *r)
{
	return r->platform;
}

const char *nb_results_virtual_host(const struct nb_results *r)
{
	const struct nb_platform *p = nb_platform_find(r->platform);
	struct json_object *h, *v;

	if (!p || !p->host_machine || !r->manifest[0] ||
	    !json_object_object_get_ex(r->manifest[0], "host", &h) ||
	    !json_object_object_get_ex(h, "virtual", &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return *json_object_get_string(v) ? json_object_get_string(v) : NULL;
}

int nb_results_hardware(const struct nb_results *r)
{
	const struct nb_platform *p = nb_platform_find(r->platform);

	return p && p->hardware && !nb_results_virtual_host(r);
}

size_t nb_results_nmetrics(const struct nb_results *r)
{
	return r->nm;
}

const struct nb_metric *nb_results_metric(const struct nb_results *r, size_t i)
{
	return i < r->nm ? &r->m[i] : NULL;
}

const struct nb_metric *nb_results_find(const struct nb_results *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nm; i++)
		if (!strcmp(r->m[i].key, key))
			return &r->m[i];
	return NULL;
}

size_t nb_results_nnotes(const struct nb_results *r)
{
	return r->nnotes;
}

const char *nb_results_note(const struct nb_results *r, size_t i)
{
	return i < r->nnotes ? r->notes[i] : NULL;
}

const struct nb_metric *nb_results_primary(const struct nb_results *r)
{
	size_t i;

	for (i = 0; i < nb_results_nmetrics(r); i++)
		if (nb_results_metric(r, i)->role == NB_ROLE_PRIMARY)
			return nb_results_metric(r, i);
	return NULL;
}
