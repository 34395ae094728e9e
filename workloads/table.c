// SPDX-License-Identifier: GPL-2.0
/* The workloads nestbench knows: one row each (workloads/workload.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack/frame.h"
#include "workloads/workload.h"

static const struct nb_workload *const table[] = {
	&nb_wl_fio,
	&nb_wl_hackbench,
	&nb_wl_micro,
	NULL,
};

const struct nb_workload *const *nb_workloads(void)
{
	return table;
}

const struct nb_workload *nb_workload_find(const char *name)
{
	size_t i;

	if (name && !name[0])
		return table[0];
	for (i = 0; name && table[i]; i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}

static const struct nb_wl_key *find_key(const struct nb_workload *w, const char *name)
{
	const struct nb_wl_key *k;

	for (k = w->keys; k && k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

const struct nb_workload *nb_workload_key_owner(const char *key, const struct nb_wl_key **k)
{
	size_t i;

	for (i = 0; table[i]; i++)
		if ((*k = find_key(table[i], key)))
			return table[i];
	return NULL;
}

char *nb_wl_params(const struct nb_workload *w, const char *given, int depth)
{
	const struct nb_wl_key *k;
	char *out = NULL, *tmp, v[32];
	int d = depth >= 0 && depth <= NB_MAX_DEPTH ? depth : 1;

	if (asprintf(&out, "%s", "") < 0)
		return NULL;
	for (k = w->keys; out && k && k->name; k++) {
		if (!given || nb_kv_get(given, k->name, v, sizeof(v)))
			snprintf(v, sizeof(v), "%d", k->def[d]);
		tmp = out;
		if (asprintf(&out, "%s%s=%s\n", tmp, k->name, v) < 0)
			out = NULL;
		free(tmp);
	}
	return out;
}

int nb_wl_param(const struct nb_workload *w, const char *params, const char *name)
{
	const struct nb_wl_key *k = find_key(w, name);
	long long dflt = k ? k->def[1] : 0;

	return (int)nb_kv_get_ll(params, name, dflt);
}

/* One "key=value" line. */
static int check_line(const struct nb_workload *w, const char *line, size_t len,
		      char *err, size_t errlen)
{
	char key[32], val[32];
	const char *eq = memchr(line, '=', len);
	const struct nb_wl_key *k;
	int x, ret;

	if (!eq || eq == line || (size_t)(eq - line) >= sizeof(key) || len - (eq - line) > sizeof(val))
		return snprintf(err, errlen, "%s parameters: '%.*s' is not key=value", w->name,
				(int)(len > 60 ? 60 : len), line), -EINVAL;
	snprintf(key, sizeof(key), "%.*s", (int)(eq - line), line);
	snprintf(val, sizeof(val), "%.*s", (int)(len - (eq - line) - 1), eq + 1);
	k = find_key(w, key);
	if (!k)
		return snprintf(err, errlen, "%s has no key '%s'", w->name, key), -EINVAL;
	ret = nb_parse_int(val, k->min, k->max, &x);
	if (ret)
		nb_parse_error(err, errlen, key, val, ret, k->min, k->max);
	return ret;
}

int nb_wl_validate_keys(const struct nb_workload *w, const char *params, char *err, size_t errlen)
{
	const char *p = params, *nl;
	int ret = 0;

	for (; p && *p && !ret; p = *nl ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		if (nl > p)
			ret = check_line(w, p, nl - p, err, errlen);
	}
	return ret;
}

const char *nb_workload_list(void)
{
	static char list[128];
	size_t i, n = 0;

	for (i = 0; table[i] && n < sizeof(list); i++)
		n += snprintf(list + n, sizeof(list) - n, "%s%s", i ? table[i + 1] ? ", " : " or " : "",
			      table[i]->name);
	return list;
}

static int prepare_job(const struct nb_workload *w, struct nb_plan *p, const char *keys,
		       char *err, size_t errlen)
{
	if (keys && *keys)
		return snprintf(err, errlen, "workload %s takes a job file (job = FILE, --job FILE), "
				"not keys", w->name), -EINVAL;
	if (!p->job)
		p->job = strdup(w->default_job);
	return p->job ? 0 : -ENOMEM;
}

static int prepare_keys(const struct nb_workload *w, struct nb_plan *p, const char *keys,
			char *err, size_t errlen)
{
	if (p->job)
		return snprintf(err, errlen, "workload %s takes keys, not a job file: remove the job",
				w->name), -EINVAL;
	if (nb_wl_validate_keys(w, keys, err, errlen))
		return -EINVAL;
	p->job = nb_wl_params(w, keys, p->depth);
	return p->job ? 0 : -ENOMEM;
}

int nb_wl_plan_prepare(struct nb_plan *p, const char *keys, char *err, size_t errlen)
{
	const struct nb_workload *w = nb_workload_find(p->workload);
	int ret;

	if (!w)
		return snprintf(err, errlen, "unknown workload '%s' (use %s)", p->workload,
				nb_workload_list()), -EINVAL;
	snprintf(p->workload, sizeof(p->workload), "%s", w->name);
	ret = nb_wl_takes_job(w) ? prepare_job(w, p, keys, err, errlen) :
	      prepare_keys(w, p, keys, err, errlen);
	return ret ?: w->validate(p->job, err, errlen) ? -EINVAL : 0;
}

int nb_wl_agent_main(int argc, char **argv)
{
	const struct nb_workload *w = argc > 1 ? nb_workload_find(argv[1]) : NULL;

	return w && argv[1][0] && w->agent_main ? w->agent_main(argc, argv) : -ENOENT;
}
