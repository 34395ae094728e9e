// SPDX-License-Identifier: GPL-2.0
/* fio's JSON as a guest sends it, every other workload's output (workloads/), perf stat's counts and perf kvm stat's exits. */
#include <math.h>

#include "bench/reps.h"
#include "workloads/fio.h"
#include "collect/kvmexits.h"
#include "collect/perfparse.h"
#include "tests/fuzz/fuzz.h"
#include "workloads/workload.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

/* Accepted values are sane: finite and >= 0, or NAN (not measured) where the workload says so. */
static void workloads(const char *text)
{
	const struct nb_workload *const *w;
	double v[NB_WL_MAX_METRICS];
	size_t i;
	int idx;

	for (w = nb_workloads(); *w; w++)
		for (idx = 0; idx < 3; idx++) {
			if ((*w)->parse(text, idx, v))
				continue;
			for (i = 0; i < (*w)->nmetrics; i++)
				if (v[i] < 0 || isinf(v[i]) || (isnan(v[i]) && *w != &nb_wl_micro))
					abort();
		}
}

/* Accepted counts are whole: transitions add up, nothing derived from event order is made up. */
static void perf_counts(const char *text)
{
	struct nb_counts c;
	char why[256];

	if (!nb_perf_parse(text, 0, &c, why, sizeof(why)) &&
	    (c.transitions != c.nested_eret + c.nested_exc || c.fp_per_transition >= 0 || c.fp_save_nested))
		abort();
}

/* Accepted exits add up to perf's total, each reason once, with times in range. */
static void kvm_exits(const char *text)
{
	struct nb_kvmexits e;
	uint64_t sum = 0;
	char why[256];
	size_t i, j;

	if (nb_kvmexits_parse(text, &e, why, sizeof(why)))
		return;
	for (i = 0; i < e.n; i++) {
		sum += e.x[i].n;
		if (!e.x[i].reason[0] || !(e.x[i].mean_us >= 0 && e.x[i].mean_us <= 1e9))
			abort();
		for (j = 0; j < i; j++)
			if (!strcmp(e.x[i].reason, e.x[j].reason))
				abort();
	}
	if (e.n > NB_KVMX_MAX || sum != e.total)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct fio_result r;

	if (!fio_parse(text, &r) && (!(r.ios > 0) || !isfinite(r.iops) || r.runtime_ms < 0))
		abort();	/* accepted results are sane */
	workloads(text);
	perf_counts(text);
	kvm_exits(text);
	free(text);
	return 0;
}
