// SPDX-License-Identifier: GPL-2.0
/*
 * Printing the counters: "L<n>.name=value" lines for the runner (which turns
 * them into reps.csv columns, so exactly the contract's names and nothing
 * else), details as "# " comments, and JSON for `nestbench trace --json`
 * (a member per row of the counter table, then the diagnostics).
 */
#include <inttypes.h>
#include <stdio.h>

#include <json-c/json.h>

#include "collect/analyze.h"
#include "collect/counters.h"

void nb_counts_print(FILE *f, const struct nb_counts *c)
{
	char v[48];
	size_t i;

	for (i = 0; i < nb_ncounters; i++) {
		nb_counter_format(&nb_counters[i], c, v, sizeof(v));
		fprintf(f, "L%d.%s=%s\n", c->level, nb_counters[i].name, v);
	}
}

void nb_counts_print_detail(FILE *f, const struct nb_counts *c)
{
	int ec;

	for (ec = 0; ec < NB_EC_MAX; ec++)
		if (c->exits_ec[ec])
			fprintf(f, "# L%d.exits_ec_0x%02x=%" PRIu64 "\n",
				c->level, ec, c->exits_ec[ec]);
	fprintf(f, "# L%d.eret_windows=%" PRIu64 "\n# L%d.exc_windows=%" PRIu64 "\n",
		c->level, c->windows[NB_WIN_ERET], c->level, c->windows[NB_WIN_EXC]);
	fprintf(f, "# L%d.unmatched_in=%" PRIu64 "\n# L%d.unmatched_out=%" PRIu64 "\n",
		c->level, c->unmatched_in, c->level, c->unmatched_out);
	fprintf(f, "# L%d.windows_resched=%" PRIu64 "\n", c->level,
		c->windows_resched);
	fprintf(f, "# L%d.lost_marker=%" PRIu64 " lost_cpustats=%" PRIu64
		" lost_missed=%" PRIu64 "\n", c->level, c->lost_marker,
		c->lost_cpustats, c->lost_missed);
	fprintf(f, "# L%d.events=%" PRIu64 "\n", c->level, c->events);
	fprintf(f, "# L%d.expected=%" PRIu64 " unknown=%" PRIu64 " unparsable=%" PRIu64
		" read_errors=%" PRIu64 "\n", c->level, c->expected, c->unknown,
		c->unparsable, c->read_errors);
}

/* A row's value as nb_counter_format() writes it, a number; no data is null. */
static struct json_object *row_json(const struct nb_counter *k, const struct nb_counts *c)
{
	const char *p = (const char *)c + k->off;
	char v[48];

	nb_counter_format(k, c, v, sizeof(v));
	if (!*v)
		return NULL;
	switch (k->type) {
	case NB_CT_U64:
		return json_object_new_uint64(*(const uint64_t *)p);
	case NB_CT_I64:
		return json_object_new_int64(*(const int64_t *)p);
	case NB_CT_DOUBLE:
		return json_object_new_double_s(*(const double *)p, v);	/* the row's digits */
	}
	return NULL;
}

static struct json_object *ec_json(const struct nb_counts *c)
{
	struct json_object *o = json_object_new_object();
	char key[8];
	int ec;

	for (ec = 0; ec < NB_EC_MAX; ec++)
		if (c->exits_ec[ec]) {
			snprintf(key, sizeof(key), "0x%02x", ec);
			json_object_object_add(o, key, json_object_new_uint64(c->exits_ec[ec]));
		}
	return o;
}

struct json_object *nb_counts_json(const struct nb_counts *c)
{
	struct json_object *o = json_object_new_object();
	size_t i;

	json_object_object_add(o, "level", json_object_new_int(c->level));
	for (i = 0; i < nb_ncounters; i++)
		json_object_object_add(o, nb_counters[i].name, row_json(&nb_counters[i], c));
	json_object_object_add(o, "exits_by_ec", ec_json(c));
	json_object_object_add(o, "unmatched_in", json_object_new_uint64(c->unmatched_in));
	json_object_object_add(o, "unmatched_out", json_object_new_uint64(c->unmatched_out));
	json_object_object_add(o, "windows_resched", json_object_new_uint64(c->windows_resched));
	json_object_object_add(o, "events", json_object_new_uint64(c->events));
	return o;
}

void nb_counts_print_json(FILE *f, const struct nb_counts *c)
{
	struct json_object *o = nb_counts_json(c);
	int flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE;

	fprintf(f, "%s\n", json_object_to_json_string_ext(o, flags));
	json_object_put(o);
}
