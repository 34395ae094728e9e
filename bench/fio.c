// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <json-c/json.h>

#include "bench/reps.h"

static double num(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_double(v) : 0;
}

static double pct_us(json_object *dir, const char *p)
{
	json_object *clat, *pct, *v;

	if (!json_object_object_get_ex(dir, "clat_ns", &clat) ||
	    !json_object_object_get_ex(clat, "percentile", &pct) ||
	    !json_object_object_get_ex(pct, p, &v))
		return 0;
	return json_object_get_double(v) / 1000.0;
}

static void add_dir(json_object *job, const char *name, struct fio_result *r)
{
	json_object *d;

	if (!json_object_object_get_ex(job, name, &d) || num(d, "total_ios") == 0)
		return;
	r->runtime_ms += num(d, "runtime");
	r->iops += num(d, "iops");
	r->ios += num(d, "total_ios");
	if (r->p50_us == 0) {	/* reads first, else writes */
		r->p50_us = pct_us(d, "50.000000");
		r->p99_us = pct_us(d, "99.000000");
	}
}

/* fio prints warnings before its JSON on some errors: start at the first '{'. */
int fio_parse_job(const char *text, int idx, struct fio_result *r)
{
	const char *start = strchr(text, '{');
	json_object *root, *jobs, *job;
	int ret = -EINVAL;

	memset(r, 0, sizeof(*r));
	root = start ? json_tokener_parse(start) : NULL;
	if (root && json_object_object_get_ex(root, "jobs", &jobs) &&
	    json_object_is_type(jobs, json_type_array) && idx >= 0 &&
	    (size_t)idx < json_object_array_length(jobs)) {
		job = json_object_array_get_idx(jobs, idx);
		add_dir(job, "read", r);
		add_dir(job, "write", r);
		ret = r->ios > 0 ? 0 : -EINVAL;
	}
	json_object_put(root);
	return ret;
}

int fio_parse(const char *text, struct fio_result *r)
{
	return fio_parse_job(text, 0, r);
}
