// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <csv.h>

#include "bench/reps.h"
#include "bench/run.h"
#include "collect/analyze.h"
#include "collect/counters.h"
#include "collect/perfparse.h"
#include "collect/excount.h"
#include "collect/kvmexits.h"
#include "stack/platform.h"
#include "stack/frame.h"
#include "stack/util.h"
#include "workloads/workload.h"

#define MAX_REPS 256

/* Then the workload's metric columns (fio: fio_runtime_ms .. clat_p99_us), then the counters. */
static const char *const fixed_cols[] = {
	"experiment", "variant", "kernels", "platform", "clock", "boot", "rep", "mode",
	"warmup", "io_ns", "host_ns",
};
#define NFIXED (sizeof(fixed_cols) / sizeof(fixed_cols[0]))
/* collect/counters.c's table; "damaged" is last: a reps.csv from before it has one column less */
#define NCOUNTERS NB_NCOUNTERS
static const char boots_header[] =
	"experiment,variant,boot,level,kernel,clock,boot_s,teardown_s,status,reason\n";
static const char phases_header[] = "experiment,variant,boot,phase,host_s\n";
/* reason ALL: the repetition's total, its lost events, or empty exits and why perf could not count */
static const char kvmexits_header[] =
	"experiment,variant,boot,rep,level,reason,exits,mean_us,min_us,max_us,lost,note\n";

struct rep {
	char mode[16];
	uint64_t host[2], l0[2];	/* start, end */
	int have_out, ntraces, nperf, written;
	char wl[NB_WL_MAX_METRICS][32];	/* the workload's metrics, formatted */
	char counters[NB_MAX_DEPTH][NCOUNTERS][32];
	int cpu_wanted, have_cpu;	/* exceptions at the emulated CPU (collect/excount.h) */
	char cpu[NB_EXC_NCOLS][24];
};

struct boot_level {
	char boot_s[32], teardown_s[32], status[16], reason[512];
	int seen, written;
};

struct reps {
	const struct run_cfg *cfg;
	const struct nb_workload *wl;	/* never NULL: the plan was validated */
	char csv[4096], boots[4096], phases[4096], kvmexits[4096], kernels[256];
	int nemul;		/* levels that emulate nested transitions: L0..depth-2 */
	size_t ncounters;	/* per level in this reps.csv's header */
	int cpu_cols;		/* the cpu.* columns are in reps.csv */
	struct rep rep[MAX_REPS + 1];
	struct boot_level lv[NB_MAX_DEPTH + 1];
};

#define MAX_FIELDS (NFIXED + NB_WL_MAX_METRICS + NB_MAX_DEPTH * NCOUNTERS + NB_EXC_NCOLS)

/* One row, every field quoted as these files have always been, appended and fsync'd whole. */
static void append_row(const char *path, const char *const *fields, size_t n)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	for (i = 0; i < n; i++) {
		csv_fwrite(f, fields[i], strlen(fields[i]));
		fputc(i + 1 < n ? ',' : '\n', f);
	}
	fclose(f);
	nb_append_file(path, buf, len);
	free(buf);
}

static void write_header(struct reps *r)
{
	static char names[NB_MAX_DEPTH * NCOUNTERS][64];
	const char *fields[MAX_FIELDS];
	size_t n = 0, i;
	int l;

	for (i = 0; i < NFIXED; i++)
		fields[n++] = fixed_cols[i];
	for (i = 0; i < r->wl->nmetrics; i++)
		fields[n++] = r->wl->metrics[i].col;
	for (l = 0; l < r->nemul; l++)
		for (i = 0; i < NCOUNTERS; i++) {
			snprintf(names[l * NCOUNTERS + i], 64, "L%d.%s", l, nb_counters[i].name);
			fields[n++] = names[l * NCOUNTERS + i];
		}
	for (i = 0; r->cpu_cols && i < NB_EXC_NCOLS; i++)
		fields[n++] = nb_exc_column_name(i);
	append_row(r->csv, fields, n);
}

static void fmt_ns(char *out, const uint64_t t[2])
{
	if (t[0] && t[1] > t[0])
		sprintf(out, "%llu", (unsigned long long)(t[1] - t[0]));
	else
		out[0] = '\0';
}

/* reps.csv's mode of a mark's: a warm-up, or anything a guest made up, is a timing row. */
static const char *row_mode(const char *mode)
{
	static const char *const kept[] = { "counting", "bare", "exits" };
	size_t i;

	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (!strcmp(mode, kept[i]))
			return kept[i];
	return "timing";
}

/* The fixed columns of repetition n into v (storage) and fields. */
static void fixed_fields(struct reps *r, int n, struct rep *p, char v[NFIXED][64], const char **fields)
{
	const struct run_cfg *c = r->cfg;
	size_t i;

	snprintf(v[3], 64, "%s", nb_plan_platform(&c->plan)->name);
	snprintf(v[5], 64, "%d", c->boot);
	snprintf(v[6], 64, "%d", n);
	/* a warm-up is a timing repetition flagged warmup = 1 */
	snprintf(v[7], 64, "%s", row_mode(p->mode));
	snprintf(v[8], 64, "%d", !strcmp(p->mode, "warmup"));
	fmt_ns(v[9], p->l0);
	if (nb_plan_platform(&c->plan)->l0_guest)
		fmt_ns(v[10], p->host);
	for (i = 0; i < NFIXED; i++)
		fields[i] = v[i];
	fields[0] = c->experiment;
	fields[1] = c->variant;
	fields[2] = r->kernels;
	fields[4] = nb_plan_clock(&c->plan);
}

static void write_rep(struct reps *r, int n)
{
	struct rep *p = &r->rep[n];
	const char *fields[MAX_FIELDS];
	char v[NFIXED][64] = { { 0 } };
	size_t nf = NFIXED, i;
	int l;

	fixed_fields(r, n, p, v, fields);
	for (i = 0; i < r->wl->nmetrics; i++)
		fields[nf++] = p->wl[i];
	for (l = 0; l < r->nemul; l++)
		for (i = 0; i < r->ncounters; i++)
			fields[nf++] = p->counters[l][i];
	for (i = 0; r->cpu_cols && i < NB_EXC_NCOLS; i++)
		fields[nf++] = p->cpu[i];
	append_row(r->csv, fields, nf);
	p->written = 1;
}

static int complete(const struct reps *r, const struct rep *p)
{
	int counting = !strcmp(p->mode, "counting");
	int perf = !strcmp(p->mode, "timing") && nb_plan_armed(&r->cfg->plan, p->mode);

	return p->have_out && p->l0[1] && (!nb_plan_platform(&r->cfg->plan)->l0_guest || p->host[1]) &&
	       (!counting || p->ntraces >= r->nemul) && (!perf || p->nperf >= r->nemul) &&
	       (!p->cpu_wanted || p->have_cpu);
}

static void maybe_write(struct reps *r, int n)
{
	if (n >= 1 && n <= MAX_REPS && !r->rep[n].written && complete(r, &r->rep[n]))
		write_rep(r, n);
}

/* A reps.csv with counter columns but no L<n>.damaged (the last one). */
static int legacy_header(const char *path)
{
	char line[4096] = "";
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return 0;
	ret = fgets(line, sizeof(line), f) && strstr(line, "L0.") && !strstr(line, ".damaged");
	fclose(f);
	return ret;
}

static void paths(struct reps *r, const struct run_cfg *cfg)
{
	r->cfg = cfg;
	r->wl = nb_workload_find(cfg->plan.workload) ?: nb_workload_find("");
	r->nemul = cfg->plan.depth - 1 > 0 ? cfg->plan.depth - 1 : 0;
	r->cpu_cols = nb_plan_platform(&cfg->plan)->l0_guest && cfg->plan.excount != NB_EXC_OFF;
	snprintf(r->csv, sizeof(r->csv), "%s/reps.csv", cfg->outdir);
	snprintf(r->boots, sizeof(r->boots), "%s/boots.csv", cfg->outdir);
	snprintf(r->phases, sizeof(r->phases), "%s/phases.csv", cfg->outdir);
	snprintf(r->kvmexits, sizeof(r->kvmexits), "%s/kvmexits.csv", cfg->outdir);
}

/* An existing reps.csv keeps its shape: with or without the cpu.* columns, whatever this run logs. */
static int header_has_cpu(const char *path)
{
	char line[8192];
	FILE *f = fopen(path, "r");
	int has;

	if (!f)
		return 0;
	has = fgets(line, sizeof(line), f) && strstr(line, "\"cpu.el2\"");
	fclose(f);
	return has;
}

/* Headers of files not there yet. Boots run side by side call this once before they start. */
static void headers(struct reps *r)
{
	struct stat st;

	r->ncounters = NCOUNTERS;
	if (stat(r->csv, &st))
		write_header(r);
	else {
		if (legacy_header(r->csv))
			r->ncounters--;	/* resuming a directory written before L<n>.damaged */
		r->cpu_cols = header_has_cpu(r->csv);
	}
	if (stat(r->boots, &st))
		nb_append_file(r->boots, boots_header, strlen(boots_header));
	if (stat(r->phases, &st))
		nb_append_file(r->phases, phases_header, strlen(phases_header));
	if (r->cfg->plan.exits && nb_plan_armed(&r->cfg->plan, "exits") && stat(r->kvmexits, &st))
		nb_append_file(r->kvmexits, kvmexits_header, strlen(kvmexits_header));
}

int reps_prepare(const struct run_cfg *cfg)
{
	struct reps *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	paths(r, cfg);
	headers(r);
	free(r);
	return 0;
}

struct reps *reps_open(const struct run_cfg *cfg)
{
	struct reps *r = calloc(1, sizeof(*r));
	int l, n = 0;

	if (!r)
		return NULL;
	paths(r, cfg);
	for (l = 0; l <= cfg->plan.depth; l++)
		n += snprintf(r->kernels + n, sizeof(r->kernels) - n, "%sL%d=%s", l ? " " : "",
			      l, cfg->plan.lv[l].kernel);
	headers(r);
	return r;
}

void reps_phase_row(struct reps *r, const char *phase, double host_s)
{
	char boot[16], s[32];
	const char *fields[] = { r->cfg->experiment, r->cfg->variant, boot, phase, s };

	snprintf(boot, sizeof(boot), "%d", r->cfg->boot);
	snprintf(s, sizeof(s), "%.3f", host_s);
	append_row(r->phases, fields, sizeof(fields) / sizeof(fields[0]));
}

void reps_mark(struct reps *r, const char *text, uint64_t host_ns)
{
	char what[16], mode[16];
	int n;

	if (sscanf(text, "%15s %d %15s", what, &n, mode) != 3 || n < 1 || n > MAX_REPS)
		return;
	snprintf(r->rep[n].mode, sizeof(r->rep[n].mode), "%s", mode);
	if (strcmp(what, "start"))	/* the start is L0's stamp (reps_stamp) */
		r->rep[n].host[1] = host_ns;
	maybe_write(r, n);
}

void reps_stamp(struct reps *r, const char *text, uint64_t host_ns)
{
	unsigned long long ns;
	char what[16];
	int n, start;

	if (sscanf(text, "%15s %d %llu", what, &n, &ns) != 3 || n < 1 || n > MAX_REPS)
		return;
	start = !strcmp(what, "start");
	r->rep[n].l0[!start] = ns;
	if (start)
		r->rep[n].host[0] = host_ns;
	maybe_write(r, n);
}

void reps_cpu_expect(struct reps *r, int n)
{
	if (n >= 1 && n <= MAX_REPS && r->cpu_cols)
		r->rep[n].cpu_wanted = 1;
}

void reps_cpu(struct reps *r, int n, const struct nb_exc_counts *c)
{
	size_t i;

	if (n < 1 || n > MAX_REPS || !r->cpu_cols)
		return;
	for (i = 0; i < NB_EXC_NCOLS; i++)
		snprintf(r->rep[n].cpu[i], sizeof(r->rep[n].cpu[i]), "%llu",
			 (unsigned long long)nb_exc_column(c, i));
	r->rep[n].have_cpu = 1;
	maybe_write(r, n);
}

/*
 * A trace the reader cannot get through (it crashed, or the file is not a
 * trace) leaves the counters empty and L<n>.damaged = 1: the row is flagged
 * like one with lost events, and every other column of it is kept.
 */
static void take_counters(struct rep *p, int level, const char *path)
{
	char *buf = NULL, key[64], why[256];
	size_t len = 0, i;
	struct nb_counts c;
	FILE *f;

	if (nb_analyze_isolated(path, level, &c, why, sizeof(why))) {
		nb_log("%s: trace damaged: %s; its L%d counters are not used", path, why, level);
		snprintf(p->counters[level][NCOUNTERS - 1], sizeof(p->counters[level][0]), "1");
		return;
	}
	if (c.damaged)
		nb_log("%s: trace damaged: %llu records unreadable or missing; its L%d counters "
		       "are flagged", path, (unsigned long long)c.damaged, level);
	f = open_memstream(&buf, &len);
	nb_counts_print(f, &c);
	fclose(f);
	for (i = 0; i < NCOUNTERS; i++) {
		snprintf(key, sizeof(key), "L%d.%s", level, nb_counters[i].name);
		nb_kv_get(buf, key, p->counters[level][i], sizeof(p->counters[level][i]));
	}
	free(buf);
}

/*
 * perf's counts of a timing repetition: the perf rows of the counter table
 * and what derives from them without event order (transitions). The others
 * stay empty: no data is not zero. Counts perf could not take are flagged
 * like a damaged trace.
 */
static void take_perf(struct rep *p, int level, const char *path)
{
	char *text = nb_read_file(path, NULL), why[256] = "no file";
	struct nb_counts c;
	size_t i;

	memset(p->counters[level], 0, sizeof(p->counters[level]));
	if (!text || nb_perf_parse(text, level, &c, why, sizeof(why))) {
		nb_log("%s: L%d perf counts not used: %s", path, level, why);
		snprintf(p->counters[level][NCOUNTERS - 1], sizeof(p->counters[level][0]), "1");
		free(text);
		return;
	}
	free(text);
	for (i = 0; i < NCOUNTERS; i++)
		if (nb_counters[i].perf || !strcmp(nb_counters[i].name, "transitions") ||
		    nb_counters[i].status)
			nb_counter_format(&nb_counters[i], &c, p->counters[level][i], sizeof(p->counters[level][i]));
}

/*
 * Repetition first + idx's values from the idx-th result of the workload's
 * output; a value it could not measure (NAN) stays an empty cell.
 */
static void take_output(struct reps *r, const char *text, int n, int idx)
{
	double v[NB_WL_MAX_METRICS];
	struct rep *p = &r->rep[n];
	size_t i;

	memset(p->wl, 0, sizeof(p->wl));
	p->have_out = text && !r->wl->parse(text, idx, v);
	for (i = 0; p->have_out && i < r->wl->nmetrics; i++)
		if (!isnan(v[i]))
			snprintf(p->wl[i], sizeof(p->wl[i]), r->wl->metrics[i].fmt, v[i]);
	maybe_write(r, n);
}

/* One process ran repetitions first..last, in order (one fio job, one hackbench run, each). */
static void take_outputs(struct reps *r, const char *path, int first, int last)
{
	char *text = nb_read_file(path, NULL);
	int n;

	for (n = first; n <= last; n++)
		take_output(r, text, n, n - first);
	free(text);
}

/* "NAME-reps<F>-<L>.EXT" or "NAME-rep<R>.EXT" of this boot's workload: 0 and first, last. */
static int output_name(const struct reps *r, const char *name, int *first, int *last)
{
	size_t len = strlen(r->wl->name);
	char ext[16] = "";
	int end = 0;

	if (strncmp(name, r->wl->name, len) || name[len] != '-')
		return -1;
	name += len + 1;
	if (sscanf(name, "reps%d-%d.%15[a-z]%n", first, last, ext, &end) == 3 && !name[end] &&
	    *first >= 1 && *last >= *first && *last <= MAX_REPS && !strcmp(ext, r->wl->out_ext))
		return 0;
	end = 0;
	if (sscanf(name, "rep%d.%15[a-z]%n", first, ext, &end) == 2 && !name[end] &&
	    *first >= 1 && *first <= MAX_REPS && !strcmp(ext, r->wl->out_ext)) {
		*last = *first;
		return 0;
	}
	return -1;
}

static void kvmexit_row(struct reps *r, int n, int level, const char *reason, const char *exits,
			const struct nb_kvmexit *x, const char *lost, const char *note)
{
	char boot[16], rep[16], lv[16], v[3][32] = { "", "", "" };
	const char *fields[] = { r->cfg->experiment, r->cfg->variant, boot, rep, lv, reason, exits,
				 v[0], v[1], v[2], lost, note };

	snprintf(boot, sizeof(boot), "%d", r->cfg->boot);
	snprintf(rep, sizeof(rep), "%d", n);
	snprintf(lv, sizeof(lv), "%d", level);
	if (x) {
		snprintf(v[0], sizeof(v[0]), "%.2f", x->mean_us);
		snprintf(v[1], sizeof(v[1]), "%.2f", x->min_us);
		snprintf(v[2], sizeof(v[2]), "%.2f", x->max_us);
	}
	append_row(r->kvmexits, fields, sizeof(fields) / sizeof(fields[0]));
}

/* perf kvm stat's exits of an exit repetition, a row per reason after the ALL row. */
static void take_kvmexits(struct reps *r, int n, int level, const char *path)
{
	char *text = nb_read_file(path, NULL), why[256] = "no file", num[2][32], ecs[160], note[256];
	struct nb_kvmexits e;
	size_t i;

	if (!text || nb_kvmexits_parse(text, &e, why, sizeof(why))) {
		nb_log("%s: L%d exits not used: %s", path, level, why);
		kvmexit_row(r, n, level, "ALL", "", NULL, "", why);
		free(text);
		return;
	}
	free(text);
	snprintf(num[0], sizeof(num[0]), "%llu", (unsigned long long)e.total);
	snprintf(num[1], sizeof(num[1]), "%llu", (unsigned long long)e.lost);
	kvmexit_row(r, n, level, "ALL", num[0], NULL, num[1], "");
	nb_kvmexits_unnamed(&e, ecs, sizeof(ecs));
	snprintf(note, sizeof(note), "perf has no name for ESR_EL2.EC %s", ecs);
	for (i = 0; i < e.n; i++) {
		snprintf(num[0], sizeof(num[0]), "%llu", (unsigned long long)e.x[i].n);
		kvmexit_row(r, n, level, e.x[i].reason, num[0], &e.x[i], "",
			    e.nunnamed && !strcmp(e.x[i].reason, "UNKNOWN") ? note : "");
	}
}

void reps_file(struct reps *r, const char *name, const char *path)
{
	int n, level, last;

	if (!output_name(r, name, &n, &last)) {
		take_outputs(r, path, n, last);
		return;
	} else if (sscanf(name, "trace-L%d-rep%d.dat", &level, &n) == 2 && n >= 1 &&
		   n <= MAX_REPS && level >= 0 && level < r->nemul) {
		take_counters(&r->rep[n], level, path);
		r->rep[n].ntraces++;
	} else if (sscanf(name, "perf-L%d-rep%d.csv", &level, &n) == 2 && n >= 1 &&
		   n <= MAX_REPS && level >= 0 && level < r->nemul) {
		take_perf(&r->rep[n], level, path);
		r->rep[n].nperf++;
	} else if (sscanf(name, "kvmexits-L%d-rep%d.txt", &level, &n) == 2 && n >= 1 &&
		   n <= MAX_REPS && level == 0 && r->nemul) {
		take_kvmexits(r, n, level, path);
		return;
	} else {
		return;
	}
	maybe_write(r, n);
}

static void write_boot(struct reps *r, int level)
{
	struct boot_level *b = &r->lv[level];
	const struct run_cfg *c = r->cfg;
	char boot[32], lv[32];
	const char *fields[] = {
		c->experiment, c->variant, boot, lv, c->plan.lv[level].kernel,
		level == 0 ? "host" : nb_plan_clock(&c->plan),	/* L0's boot is timed by the host */
		b->boot_s, b->teardown_s, b->status[0] ? b->status : "ok", b->reason,
	};

	snprintf(boot, sizeof(boot), "%d", c->boot);
	snprintf(lv, sizeof(lv), "%d", level);
	append_row(r->boots, fields, sizeof(fields) / sizeof(fields[0]));
	b->written = 1;
}

void reps_boot_row(struct reps *r, int level, const char *status, const char *reason, const char *kv)
{
	struct boot_level *b;

	if (level < 0 || level > NB_MAX_DEPTH)
		return;
	b = &r->lv[level];
	b->seen = 1;
	if (kv) {
		nb_kv_get(kv, "boot_s", b->boot_s, sizeof(b->boot_s));
		nb_kv_get(kv, "teardown_s", b->teardown_s, sizeof(b->teardown_s));
	}
	if (strcmp(status, "ok")) {
		snprintf(b->status, sizeof(b->status), "%s", status);
		snprintf(b->reason, sizeof(b->reason), "%s", reason);
	}
	if (b->teardown_s[0] && !b->written)
		write_boot(r, level);
}

int reps_close(struct reps *r)
{
	int n, l, incomplete = 0;

	for (n = 1; n <= MAX_REPS; n++)
		if (r->rep[n].mode[0] && !r->rep[n].written) {
			write_rep(r, n);
			incomplete++;
		}
	for (l = 0; l <= NB_MAX_DEPTH; l++)
		if (r->lv[l].seen && !r->lv[l].written)
			write_boot(r, l);
	if (incomplete)
		fprintf(stderr, "nestbench: %d repetition(s) incomplete, written with empty fields\n", incomplete);
	free(r);
	return incomplete ? -1 : 0;
}
