// SPDX-License-Identifier: GPL-2.0
/*
 * Printing the counters: "L<n>.name=value" lines for the runner (which turns
 * them into reps.csv columns, so exactly the contract's names and nothing
 * else), details as "# " comments, and JSON for `nestbench trace --json`.
 */
#include <inttypes.h>
#include <stdio.h>

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

static void json_d(FILE *f, const char *name, double v, int prec)
{
	if (v < 0)
		fprintf(f, "  \"%s\": null,\n", name);
	else
		fprintf(f, "  \"%s\": %.*f,\n", name, prec, v);
}

static void json_ec(FILE *f, const struct nb_counts *c)
{
	const char *sep = "";
	int ec;

	fprintf(f, "  \"exits_by_ec\": {");
	for (ec = 0; ec < NB_EC_MAX; ec++) {
		if (!c->exits_ec[ec])
			continue;
		fprintf(f, "%s\"0x%02x\": %" PRIu64, sep, ec, c->exits_ec[ec]);
		sep = ", ";
	}
	fprintf(f, "},\n");
}

void nb_counts_print_json(FILE *f, const struct nb_counts *c)
{
	fprintf(f, "{\n  \"level\": %d,\n", c->level);
	fprintf(f, "  \"nested_eret\": %" PRIu64 ",\n  \"nested_exc\": %" PRIu64
		",\n  \"transitions\": %" PRIu64 ",\n", c->nested_eret,
		c->nested_exc, c->transitions);
	fprintf(f, "  \"fp_save\": %" PRIu64 ",\n  \"fp_save_nested\": %" PRIu64
		",\n", c->fp_save, c->fp_save_nested);
	json_d(f, "fp_per_transition", c->fp_per_transition, 4);
	fprintf(f, "  \"put_fp\": %" PRIu64 ",\n  \"load_fp\": %" PRIu64 ",\n",
		c->put_fp, c->load_fp);
	json_d(f, "eret_ns", c->eret_ns, 1);
	json_d(f, "exc_ns", c->exc_ns, 1);
	fprintf(f, "  \"exits\": %" PRIu64 ",\n", c->exits);
	json_ec(f, c);
	fprintf(f, "  \"unmatched_in\": %" PRIu64 ",\n  \"unmatched_out\": %"
		PRIu64 ",\n", c->unmatched_in, c->unmatched_out);
	fprintf(f, "  \"windows_resched\": %" PRIu64 ",\n", c->windows_resched);
	fprintf(f, "  \"events\": %" PRIu64 ",\n  \"lost\": %" PRId64 ",\n"
		"  \"damaged\": %" PRIu64 "\n}\n", c->events, c->lost, c->damaged);
}
