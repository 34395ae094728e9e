// SPDX-License-Identifier: GPL-2.0
/*
 * fio's JSON comes from the innermost guest: every member is type-checked
 * before use (json-c asserts, and so aborts, on an array call on a
 * non-array), and every number must be finite and non-negative. Host only:
 * the agent passes fio's output up as it is.
 */
#ifndef NB_AGENT
#include <errno.h>
#include <math.h>
#include <string.h>
#include <json-c/json.h>

#include "workloads/fio.h"

/* The member key of o if it has type t, else NULL. */
static json_object *member(json_object *o, const char *key, json_type t)
{
	json_object *v;

	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, t))
		return NULL;
	return v;
}

/* A number member; 0 when absent, -1 when present but not a sane number. */
static double num(json_object *o, const char *key)
{
	json_object *v;
	double x;

	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
		return -1;
	x = json_object_get_double(v);
	return isfinite(x) && x >= 0 ? x : -1;
}

static double pct_us(json_object *dir, const char *p)
{
	json_object *clat = member(dir, "clat_ns", json_type_object);
	json_object *pct = member(clat, "percentile", json_type_object);
	double v = pct ? num(pct, p) : 0;

	return v > 0 ? v / 1000.0 : 0;
}

/* 0, or -EINVAL when a field is there but is not a number >= 0. */
static int add_dir(json_object *job, const char *name, struct fio_result *r)
{
	json_object *d = member(job, name, json_type_object);
	double ios = d ? num(d, "total_ios") : 0, rt, iops;

	if (ios <= 0)
		return ios < 0 ? -EINVAL : 0;
	rt = num(d, "runtime");
	iops = num(d, "iops");
	if (rt < 0 || iops < 0)
		return -EINVAL;
	r->runtime_ms += rt;
	r->iops += iops;
	r->ios += ios;
	if (r->p50_us == 0) {	/* reads first, else writes */
		r->p50_us = pct_us(d, "50.000000");
		r->p99_us = pct_us(d, "99.000000");
	}
	return 0;
}

/* fio prints warnings before its JSON on some errors: start at the first '{'. */
int fio_parse_job(const char *text, int idx, struct fio_result *r)
{
	const char *start = strchr(text, '{');
	json_object *root, *jobs, *job;
	int ret = -EINVAL;

	memset(r, 0, sizeof(*r));
	root = start ? json_tokener_parse(start) : NULL;
	jobs = member(root, "jobs", json_type_array);
	if (jobs && idx >= 0 && (size_t)idx < json_object_array_length(jobs)) {
		job = json_object_array_get_idx(jobs, idx);
		ret = add_dir(job, "read", r) ?: add_dir(job, "write", r);
		if (!ret)
			ret = r->ios > 0 ? 0 : -EINVAL;
	}
	json_object_put(root);
	if (ret)
		memset(r, 0, sizeof(*r));
	return ret;
}

int fio_parse(const char *text, struct fio_result *r)
{
	return fio_parse_job(text, 0, r);
}
#endif
