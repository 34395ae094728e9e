// SPDX-License-Identifier: GPL-2.0
/* perf stat -x, output into counters: see collect/perfparse.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "collect/counters.h"
#include "collect/perfparse.h"
#include "collect/perfstat.h"
#include "stack/util.h"

#define LINE_MAX_LEN 512

static const struct nb_counter *perf_row(const char *event)
{
	char name[96];
	size_t i;

	for (i = 0; i < nb_ncounters; i++) {
		if (!nb_counters[i].perf)
			continue;
		nb_counter_perf_event(&nb_counters[i], name, sizeof(name));
		if (!strcmp(name, event))
			return &nb_counters[i];
	}
	return NULL;
}

/* "VALUE,UNIT,EVENT,..." */
static int parse_line(char *line, struct nb_counts *c, unsigned *seen, char *why, size_t len)
{
	char *f[3];
	const struct nb_counter *k;
	uint64_t v;
	int i;

	for (i = 0; i < 3; i++) {
		f[i] = strsep(&line, ",");
		if (!f[i] || (!line && i < 2))
			return nb_invalid(why, len, "not perf stat -x, output: '%.60s'", f[0]);
	}
	k = perf_row(f[2]);
	if (!k)
		return nb_invalid(why, len, "event '%.60s' is not one nestbench counts", f[2]);
	if (*seen & 1u << (k - nb_counters))
		return nb_invalid(why, len, "event %s twice", f[2]);
	*seen |= 1u << (k - nb_counters);
	if (f[0][0] == '<' && k->host)
		return 0;	/* no PMU (a virtual host): no data, not an error */
	if (f[0][0] == '<')
		return nb_invalid(why, len, "%s: %.40s", f[2], f[0]);
	if (nb_parse_u64(f[0], NB_COUNT_MAX, &v))
		return nb_invalid(why, len, "%s: count '%.40s' is not a number 0..1e15", f[2], f[0]);
	nb_counter_set_u64(k, c, v);
	return 0;
}

static int all_seen(unsigned seen, char *why, size_t len)
{
	char name[96];
	size_t i;

	for (i = 0; i < nb_ncounters; i++)
		if (nb_counters[i].perf && !nb_counters[i].host && !nb_counters[i].perf_retired &&
		    !(seen & 1u << i)) {
			nb_counter_perf_event(&nb_counters[i], name, sizeof(name));
			return nb_invalid(why, len, "no count for %s", name);
		}
	return 0;
}

/* A retired counter (older runs had it) is "no data" unless the file has it, not 0. */
static void retired_none(struct nb_counts *c)
{
	size_t i;

	for (i = 0; i < nb_ncounters; i++)
		if (nb_counters[i].perf_retired)
			nb_counter_set_u64(&nb_counters[i], c, NB_COUNT_NONE);
}

int nb_perf_parse(const char *text, int level, struct nb_counts *c, char *why, size_t whylen)
{
	char line[LINE_MAX_LEN];
	unsigned seen = 0;
	int ret = 0;

	nb_counts_init(c, level);
	retired_none(c);
	while (!ret && text && *text) {
		size_t n = strcspn(text, "\n");

		if (n >= sizeof(line))
			return nb_invalid(why, whylen, "a line of %zu bytes", n);
		memcpy(line, text, n);
		line[n] = '\0';
		text += n + (text[n] == '\n');
		if (!strncmp(line, NB_PERF_FAILED, strlen(NB_PERF_FAILED)))
			return nb_invalid(why, whylen, "%s", line + 2);
		if (line[0] && line[0] != '#')
			ret = parse_line(line, c, &seen, why, whylen);
	}
	if (!ret)
		ret = all_seen(seen, why, whylen);
	c->transitions = c->nested_eret + c->nested_exc;
	return ret;
}
