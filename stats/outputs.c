// SPDX-License-Identifier: GPL-2.0
/* Every output of a set of results, written side by side: see stats/outputs.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stack/util.h"
#include "stats/model.h"
#include "stats/outputs.h"
#include "stats/plot.h"
#include "stats/report.h"
#include "stats/summary.h"

static void out_path(char *buf, const char *dir, const char *name)
{
	snprintf(buf, PATH_MAX, "%s/%s", dir, name);
}

int nb_report_write_all(const struct nb_results *r, const struct nb_boot_opts *o,
			const char *dir, char *err, size_t errlen)
{
	static const char *const names[] = { "summary.csv", "summary.json", "report.txt" };
	char path[3][PATH_MAX], next[3][PATH_MAX];
	char perr[512] = "";
	int made, pret, ret, i;

	ret = nb_mkdir_p(dir);	/* -o DIR that does not exist yet */
	if (ret) {
		snprintf(err, errlen, "%s: %s", dir, strerror(-ret));
		return ret;
	}
	for (i = 0; i < 3; i++) {
		out_path(path[i], dir, names[i]);
		snprintf(next[i], sizeof(next[i]), "%s/%s.next", dir, names[i]);
	}
	pret = nb_write_plots(r, dir, &made, perr, sizeof(perr)) ?:
	       nb_model_plot_results(r, dir, &made, perr, sizeof(perr));
	/* all three written aside, then renamed: never a new csv beside an old report */
	ret = nb_write_summary_csv(r, next[0], err, errlen) ?:
	      nb_write_summary_json(r, next[1], err, errlen) ?:
	      nb_write_report_file(r, o, next[2], err, errlen);
	for (i = 0; i < 3 && !ret; i++)
		if (rename(next[i], path[i])) {
			ret = -errno;
			snprintf(err, errlen, "%s: %s", path[i], strerror(-ret));
		}
	for (i = 0; i < 3; i++)
		unlink(next[i]);
	if (!ret && pret)
		snprintf(err, errlen, "%s", perr);
	return ret ?: pret;
}
