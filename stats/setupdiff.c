// SPDX-License-Identifier: GPL-2.0
/* What the runs of a set differ in: see stats/setupdiff.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "workloads/workload.h"

#include "collect/counters.h"
#include "stats/csvio.h"
#include "stats/setupdiff.h"

#define VALUE_MAX	4096

enum vkind { V_PATH, V_WORKLOAD, V_WLVERSION, V_CONFIGS, V_COUNTERS, V_EXECUTOR };

/*
 * Decisive: the timing metric depends on it (pinning moved depth-1 icount
 * boot means by up to 10 %, perf counters in timing repetitions cost 2 %,
 * docs/time.md and docs/counting.md). Not decisive: said, never refused.
 * Who ran the boots (the executor, a LAVA server and its device type) is
 * said but not decisive: make lab's A/A gave the same icount io time
 * through a lab and here (46.4 and 46.5 ms, docs/lab.md), and what a lab
 * does change that the timing depends on is a field of its own (no CPU
 * exception log: "timing counted by"; an NV server: "platform", "clock").
 */
static const struct field {
	const char *name, *path;
	enum vkind kind;
	int decisive;
} fields[] = {
	{ "platform", "platform", V_PATH, 1 },
	{ "clock", "clock", V_PATH, 1 },
	{ "depth", "depth", V_PATH, 1 },
	{ "workload", NULL, V_WORKLOAD, 1 },
	{ "workload version", NULL, V_WLVERSION, 1 },
	{ "job", "job", V_PATH, 1 },
	{ "kernel configs", NULL, V_CONFIGS, 1 },
	{ "QEMU (host)", "host.qemu", V_PATH, 1 },
	{ "QEMU (guests)", "guest_qemu", V_PATH, 1 },
	{ "pin", "pin", V_PATH, 1 },
	{ "QEMU I/O threads", "plan.io_sched", V_PATH, 1 },
	{ "timing counted by", NULL, V_COUNTERS, 1 },
	{ "boots side by side", "jobs", V_PATH, 0 },
	{ "executor", "executor", V_EXECUTOR, 0 },
	{ "LAVA server", "lava.url", V_PATH, 0 },
	{ "LAVA device type", "lava.device_type", V_PATH, 0 },
	{ "host CPU", "host.cpu", V_PATH, 0 },
	{ "host kernel", "host.kernel", V_PATH, 0 },
	{ "nestbench", "nestbench", V_PATH, 0 },
};

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* names[0..n) sorted, duplicates once, joined by spaces into buf. */
static void join_set(const char **names, size_t n, char *buf, size_t len)
{
	size_t i, off = 0;

	qsort(names, n, sizeof(*names), by_str);
	buf[0] = 0;
	for (i = 0; i < n && off < len; i++)
		if (!i || strcmp(names[i], names[i - 1]))
			off += snprintf(buf + off, len - off, "%s%s", off ? " " : "", names[i]);
}

/* The kernels' config hashes (12 digits), each once. */
static void configs(struct json_object *man, char *buf, size_t len)
{
	struct json_object *ks;
	const char *h[64];
	char cut[64][13];
	size_t n = 0;

	buf[0] = 0;
	if (!json_object_object_get_ex(man, "kernels", &ks) || !json_object_is_type(ks, json_type_object))
		return;
	json_object_object_foreach(ks, name, k) {
		(void)name;
		if (n == 64)
			break;
		snprintf(cut[n], sizeof(cut[n]), "%s", nb_json_path(k, "config_sha256"));
		h[n] = cut[n];
		n++;
	}
	join_set(h, n, buf, len);
}

/*
 * A column some timing repetition has a value in: what counted the timing
 * (perf stat, an exception log) costs it time; what counted only counting or
 * exit repetitions does not touch it.
 */
static int filled(const struct nb_table *t, size_t col)
{
	int mode = nb_table_col(t, "mode");
	size_t r;

	for (r = 0; r < nb_table_rows(t); r++)
		if (!strcmp(nb_table_cell(t, r, mode), "timing") && *nb_table_cell(t, r, col))
			return 1;
	return 0;
}

/* The counters in reps.csv's timing rows, by name ("fp_save", "cpu.*"), whatever the level. */
static void counters(const struct nb_table *t, char *buf, size_t len)
{
	size_t c, n = 0, nc = nb_table_ncols(t);
	const char **names = calloc(nc + 1, sizeof(*names));
	const char *col, *dot;

	buf[0] = 0;
	for (c = 0; names && c < nc; c++) {
		col = nb_table_colname(t, c);
		dot = strchr(col, '.');
		if (!dot || !filled(t, c))
			continue;
		if (!strncmp(col, "cpu.", 4))
			names[n++] = "cpu.*";
		else if (col[0] == 'L' && !(nb_counter_find(dot + 1) && nb_counter_find(dot + 1)->status))
			names[n++] = dot + 1;	/* lost, damaged: flags of a row, not counters */
	}
	if (names)
		join_set(names, n, buf, len);
	free(names);
}

static void value(const struct nb_results *r, size_t d, const struct field *f, char *buf, size_t len)
{
	const char *wl = nb_results_setup(r, d, "workload");

	wl = nb_workload_find(wl) ? nb_workload_find(wl)->name : wl;	/* older manifests: "" */
	switch (f->kind) {
	case V_PATH:
		snprintf(buf, len, "%s", nb_results_setup(r, d, f->path));
		break;
	case V_WORKLOAD:
		snprintf(buf, len, "%s", wl);
		break;
	case V_WLVERSION:
		snprintf(buf, len, "%s", nb_results_setup(r, d, wl));
		break;
	case V_CONFIGS:
		configs(nb_results_manifest(r, d), buf, len);
		break;
	case V_COUNTERS:
		counters(nb_results_table(r, d, NB_TAB_REPS), buf, len);
		break;
	case V_EXECUTOR:	/* manifests before the lava executor: every boot was local */
		snprintf(buf, len, "%s", nb_results_setup(r, d, f->path));
		if (!buf[0])
			snprintf(buf, len, "local");
		break;
	}
}

/* Untrusted text shown: printable ASCII, cut with "..." when longer than NB_SETUP_SHOWN. */
static void shown(char *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < NB_SETUP_SHOWN; i++)
		out[i] = s[i] >= ' ' && s[i] < 127 ? s[i] : '?';
	if (n > NB_SETUP_SHOWN)
		memcpy(out + NB_SETUP_SHOWN - 3, "...", 3);
	out[i] = 0;
	if (!i)
		snprintf(out, NB_SETUP_SHOWN + 1, "(absent)");
}

/* The words of set a that b lacks. */
static void minus(const char *a, const char *b, char *out, size_t len)
{
	char *copy = strdup(a), *w, *save;
	size_t off = 0;
	char pad[VALUE_MAX + 2];

	snprintf(pad, sizeof(pad), " %s ", b);
	out[0] = 0;
	for (w = copy ? strtok_r(copy, " ", &save) : NULL; w && off < len; w = strtok_r(NULL, " ", &save)) {
		char key[256];

		snprintf(key, sizeof(key), " %s ", w);
		if (!strstr(pad, key))
			off += snprintf(out + off, len - off, "%s%s", off ? " " : "", w);
	}
	free(copy);
}

/* Multi-line text (a job): the first line that differs. */
static void first_diff(const char *a, const char *b, struct nb_setup_delta *d)
{
	size_t la, lb;

	while (*a && *b) {
		la = strcspn(a, "\n");
		lb = strcspn(b, "\n");
		if (la != lb || strncmp(a, b, la))
			break;
		a += la + (a[la] == '\n');
		b += lb + (b[lb] == '\n');
	}
	shown(d->a, a, strcspn(a, "\n"));
	shown(d->b, b, strcspn(b, "\n"));
}

static void describe(const struct field *f, const char *a, const char *b, struct nb_setup_delta *d)
{
	char only[VALUE_MAX];

	d->field = f->name;
	d->decisive = f->decisive;
	if (f->kind == V_CONFIGS || f->kind == V_COUNTERS) {
		minus(a, b, only, sizeof(only));
		shown(d->a, only, strlen(only));
		minus(b, a, only, sizeof(only));
		shown(d->b, only, strlen(only));
	} else if (strchr(a, '\n') || strchr(b, '\n')) {
		first_diff(a, b, d);
	} else {
		shown(d->a, a, strlen(a));
		shown(d->b, b, strlen(b));
	}
}

/* A manifest missing on either side: nothing else can be checked. */
static size_t unknown(const struct nb_results *r, size_t i, struct nb_setup_delta *out)
{
	static const char *const state[] = { "missing: setup unknown", "present" };
	const char *a = state[!!nb_results_manifest(r, 0)], *b = state[!!nb_results_manifest(r, i)];

	out->field = "manifest";
	out->decisive = 1;
	shown(out->a, a, strlen(a));
	shown(out->b, b, strlen(b));
	return 1;
}

size_t nb_setup_diff(const struct nb_results *r, size_t i, struct nb_setup_delta *out, size_t max)
{
	char a[VALUE_MAX], b[VALUE_MAX];
	size_t k, n = 0;

	if (!max)
		return 0;
	if (!nb_results_manifest(r, 0) || !nb_results_manifest(r, i))
		return unknown(r, i, out);
	for (k = 0; n < max && k < sizeof(fields) / sizeof(fields[0]); k++) {
		value(r, 0, &fields[k], a, VALUE_MAX);
		value(r, i, &fields[k], b, VALUE_MAX);
		if (strcmp(a, b))
			describe(&fields[k], a, b, &out[n++]);
	}
	return n;
}

size_t nb_setup_decisive(const struct nb_results *r, size_t i)
{
	struct nb_setup_delta d[sizeof(fields) / sizeof(fields[0])];
	size_t k, n = nb_setup_diff(r, i, d, sizeof(fields) / sizeof(fields[0])), m = 0;

	for (k = 0; k < n; k++)
		m += d[k].decisive;
	return m;
}

void nb_setup_print(FILE *f, const struct nb_setup_delta *d, size_t n, const char *lead)
{
	size_t k;

	for (k = 0; k < n; k++)
		fprintf(f, "%s%-18s %s | %s%s\n", lead, d[k].field, d[k].a, d[k].b,
			d[k].decisive ? "   (the timing depends on it)" : "");
}
