// SPDX-License-Identifier: GPL-2.0
/*
 * A whole results directory from one input: its files one after another,
 * each introduced by a line "#@@# NAME" (reps.csv, boots.csv, manifest.json,
 * kvmexits.csv, phases.csv; anything else is ignored). Through load,
 * analysis, the report, both summaries, and compare (the directory against
 * itself), as `report` and `compare` run them.
 */
#include <stdio.h>

#include "stats/report.h"
#include "stats/results.h"
#include "stats/summary.h"
#include "tests/fuzz/fuzz.h"

static const char *const names[] = { "reps.csv", "boots.csv", "manifest.json", "kvmexits.csv",
				      "phases.csv" };
#define NFILES (sizeof(names) / sizeof(names[0]))
#define MARK "#@@# "

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	gsl_set_error_handler_off();
	return 0;
}

/* The part of data after "#@@# name\n" up to the next mark; every file written, absent ones unlinked. */
static void split(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size, *p, *body, *next;
	char path[160];
	size_t i, n;
	int seen[NFILES] = { 0 };

	for (p = memmem(s, size, MARK, 5); p; p = next) {
		body = memchr(p, '\n', end - p);
		next = body ? memmem(body, end - body, MARK, 5) : NULL;
		if (!body)
			break;
		body++;
		for (i = 0; i < NFILES; i++) {
			n = strlen(names[i]);
			if (body - p - 6 == (long)n && !memcmp(p + 5, names[i], n) && !seen[i]) {
				fuzz_file(names[i], (const uint8_t *)body, (next ? next : end) - body);
				seen[i] = 1;
			}
		}
	}
	for (i = 0; i < NFILES; i++)
		if (!seen[i]) {
			snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), names[i]);
			unlink(path);
		}
}

static void report(struct nb_results *r)
{
	struct nb_boot_opts o = { .seed = 1, .resamples = 50 };
	char err[512], path[160], *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (nb_results_analyze(r, &o))
		return;
	f = open_memstream(&buf, &len);
	nb_write_report(r, &o, f);
	fclose(f);
	free(buf);
	snprintf(path, sizeof(path), "%s/out-summary.csv", fuzz_dir());
	nb_write_summary_csv(r, path, err, sizeof(err));
	snprintf(path, sizeof(path), "%s/out-summary.json", fuzz_dir());
	nb_write_summary_json(r, path, err, sizeof(err));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_results *r;
	char err[512];

	split(data, size);
	if (nb_results_load(fuzz_dir(), &r, err, sizeof(err)))
		return 0;
	report(r);
	nb_results_free(r);
	if (nb_results_load_pair(fuzz_dir(), fuzz_dir(), &r, err, sizeof(err)))
		abort();	/* what loads alone loads as a pair */
	report(r);
	nb_results_free(r);
	return 0;
}
