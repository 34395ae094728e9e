/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Machine-readable outputs: summary.csv (one row per metric per variant) and
 * summary.json (the same, with the comparisons and notes), in raw units
 * (ns, s, counts); the "unit" field says which.
 */
#ifndef NB_SUMMARY_H
#define NB_SUMMARY_H

#include <stddef.h>

#include "stats/results.h"

struct json_object;

/*
 * summary.json's "schema": raised whenever a field changes meaning or goes
 * away (docs/results-format.md lists them); new fields do not raise it.
 */
#define NB_SUMMARY_SCHEMA 1

int nb_write_summary_csv(const struct nb_results *r, const char *path,
			 char *err, size_t errlen);
int nb_write_summary_json(const struct nb_results *r, const char *path,
			  char *err, size_t errlen);

/* New json objects, owned by the caller (json_object_put). Non-finite
 * numbers become null: JSON has no NaN. */
struct json_object *nb_summary_json(const struct nb_summary *s);
struct json_object *nb_compare_json(const struct nb_compare *c);

#endif
