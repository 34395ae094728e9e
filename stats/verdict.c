// SPDX-License-Identifier: GPL-2.0
/* The verdict line: see stats/verdict.h. */
#include <stdio.h>
#include <string.h>

#include "stats/verdict.h"

/* "host wall clock", "tcg-wall clock": the clock a wall-clock metric is in. */
static void clock_of(char *buf, size_t len, const struct nb_metric *m)
{
	if (!strcmp(m->key, "io_ns") && !strcmp(m->clock, "host"))
		snprintf(buf, len, "host clock");	/* arm64 L0, not the x86 wall */
	else
		nb_clock_label(buf, len, m->clock);
}

int nb_verdict_line(char *buf, size_t len, const struct nb_results *r,
		    const struct nb_metric *m, size_t v)
{
	const struct nb_boot_cmp *c = nb_results_cmp(m, v);
	size_t base = nb_results_baseline(r);
	char label[160], line[512];

	if (m->role == NB_ROLE_NONE || !m->verdict || v == base || (!m->s[base].n && !m->s[v].n))
		return 0;
	if (m->role == NB_ROLE_DISTURBED) {
		clock_of(label, sizeof(label), m);
		snprintf(buf, len, "%s: not used, %u boots ran concurrently and disturb it",
			 label, nb_results_jobs(r));
	} else if (!c) {
		snprintf(buf, len, "%s: no verdict, n=%zu+%zu boots: repetitions of one boot "
			 "are not independent samples; run >= 2 boots per variant", m->label,
			 m->s[base].nboots, m->s[v].nboots);
	} else {
		snprintf(label, sizeof(label), "%s, means of boots", m->label);
		nb_verdict_t(line, sizeof(line), label, "t-test", &c->verdict, c->na, c->nb,
			     " boots");
		snprintf(buf, len, "%s%s", m->role == NB_ROLE_SECONDARY ?
			 "secondary clock, not a verdict: " : "", line);
	}
	return 1;
}
