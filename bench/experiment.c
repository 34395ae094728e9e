// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/experiment.h"

struct load {
	struct experiment *e;
	char *err;
	size_t errlen;
	int cur;	/* current variant, -1 in [experiment] */
	char section[80];
};

static int set_kernels(struct exp_variant *v, const char *spec)
{
	char *dup = strdup(spec), *tok, *save = NULL;
	int l, ret = 0;

	char name[NB_NAME_MAX];

	for (tok = strtok_r(dup, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save)) {
		if (sscanf(tok, " L%d=%63s", &l, name) != 2 || l < 0 || l > NB_MAX_DEPTH)
			ret = -EINVAL;
		else
			snprintf(v->kernels[l], sizeof(v->kernels[l]), "%s", name);
	}
	free(dup);
	return ret;
}

static int exp_key(struct experiment *e, const char *k, const char *v)
{
	int *ints[] = { &e->depth, &e->boots, &e->reps, &e->warmup, &e->counting, &e->seed, &e->budget,
			&e->jobs };
	const char *names[] = { "depth", "boots", "reps", "warmup", "counting", "seed", "budget",
				"jobs" };
	unsigned int i;
	char *end;

	if (!strcmp(k, "name"))
		return snprintf(e->name, sizeof(e->name), "%s", v) >= (int)sizeof(e->name) ? -EINVAL : 0;
	if (!strcmp(k, "job"))
		return snprintf(e->job, sizeof(e->job), "%s", v) >= (int)sizeof(e->job) ? -EINVAL : 0;
	if (!strcmp(k, "target_ci")) {
		e->target_ci = strtod(v, &end);
		return *end || end == v || e->target_ci < 0 ? -EINVAL : 0;
	}
	if (!strcmp(k, "clock")) {
		e->icount = !strcmp(v, "icount");
		return e->icount || !strcmp(v, "tcg-wall") ? 0 : -EINVAL;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(k, names[i])) {
			*ints[i] = strtol(v, &end, 10);
			return *end || end == v ? -EINVAL : 0;
		}
	return -ENOENT;
}

static int variant_key(struct exp_variant *v, const char *k, const char *val)
{
	char *end;
	int l;

	if (!strcmp(k, "extra_eret_ns")) {
		v->extra_eret_ns = strtod(val, &end);
		return *end || end == val || !(v->extra_eret_ns > 0 && v->extra_eret_ns < 1e9) ? -EINVAL : 0;
	}
	if (!strcmp(k, "kernels"))
		return set_kernels(v, val);
	if (strcmp(k, "kernel"))
		return -ENOENT;
	for (l = 0; l <= NB_MAX_DEPTH; l++)
		snprintf(v->kernels[l], sizeof(v->kernels[l]), "%s", val);
	return 0;
}

static int on_section(struct load *L, const char *section)
{
	struct experiment *e = L->e;

	if (!strcmp(section, "experiment")) {
		L->cur = -1;
		return 0;
	}
	if (strncmp(section, "variant ", 8) || e->nvariants >= NB_MAX_VARIANTS_EXP)
		return -EINVAL;
	L->cur = e->nvariants++;
	snprintf(e->v[L->cur].name, sizeof(e->v[L->cur].name), "%s", section + 8);
	return 0;
}

/* inih gives (section, key, value) per line and the first failing line's number. */
static int handler(void *user, const char *section, const char *k, const char *v)
{
	struct load *L = user;
	int ret = 0;

	if (strcmp(section, L->section)) {
		snprintf(L->section, sizeof(L->section), "%s", section);
		ret = on_section(L, section);
	}
	if (!ret)
		ret = L->cur < 0 ? exp_key(L->e, k, v) : variant_key(&L->e->v[L->cur], k, v);
	if (ret)
		snprintf(L->err, L->errlen, "%s [%s] %s = %s", ret == -ENOENT ? "unknown key" :
			 "bad value or section", section, k, v);
	return ret == 0;
}

static int validate(struct experiment *e, char *err, size_t errlen)
{
	int i, l;

	if (e->nvariants < 2)
		return snprintf(err, errlen, "needs two or more [variant NAME] sections"), -EINVAL;
	if (e->depth < 1 || e->depth > NB_MAX_DEPTH || e->boots < 1 || e->reps + e->counting < 1)
		return snprintf(err, errlen, "depth must be 1..%d, boots >= 1 and reps + counting >= 1", NB_MAX_DEPTH), -EINVAL;
	for (i = 0; i < e->nvariants; i++)
		for (l = 0; l <= e->depth; l++)
			if (!e->v[i].kernels[l][0])
				return snprintf(err, errlen, "variant %s has no kernel for L%d: give kernel = NAME or kernels = L0=..,L%d=..",
						e->v[i].name, l, e->depth), -EINVAL;
	if (e->jobs < 0)
		return snprintf(err, errlen, "jobs = %d: give the number of boots side by side (>= 1), or leave it out", e->jobs), -EINVAL;
	if (e->nvariants * e->boots > NB_MAX_BOOTS)
		return snprintf(err, errlen, "too many boots (max %d)", NB_MAX_BOOTS), -EINVAL;
	return 0;
}

int exp_load(const char *path, struct experiment *e, char *err, size_t errlen)
{
	char msg[256] = "";
	struct load L = { .e = e, .err = msg, .errlen = sizeof(msg), .cur = -1, .section = "experiment" };
	int ret;

	memset(e, 0, sizeof(*e));
	*e = (struct experiment){ .depth = 2, .boots = 2, .reps = 3, .counting = 1, .seed = 1,
				  .budget = 3600, .icount = 1 };
	ret = ini_parse(path, handler, &L);
	if (ret < 0)
		return snprintf(err, errlen, "%s: cannot read the experiment file", path), -ENOENT;
	if (ret > 0)
		return snprintf(err, errlen, "%s:%d: %s", path, ret, msg[0] ? msg : "syntax error"), -EINVAL;
	if (!e->name[0])
		return snprintf(err, errlen, "%s: [experiment] needs name = NAME", path), -EINVAL;
	ret = validate(e, msg, sizeof(msg));
	if (ret)
		snprintf(err, errlen, "%s: %s", path, msg);
	return ret;
}

/* Park-Miller: tiny, seeded, the same on every libc. */
static unsigned int next_rand(unsigned int *s)
{
	*s = (unsigned int)((unsigned long long)*s * 48271u % 2147483647u);
	return *s;
}

void exp_plan(struct experiment *e)
{
	unsigned int s = e->seed > 0 ? e->seed : 1, i, j, n = e->nvariants, t;
	int perm[NB_MAX_VARIANTS_EXP];

	e->nboots = 0;
	while (e->nboots < e->boots * e->nvariants) {
		for (i = 0; i < n; i++)
			perm[i] = i;
		for (i = n - 1; i > 0; i--) {
			j = next_rand(&s) % (i + 1);
			t = perm[i]; perm[i] = perm[j]; perm[j] = t;
		}
		for (i = 0; i < 2 * n && e->nboots < e->boots * e->nvariants; i++)
			e->order[e->nboots++] = perm[i < n ? i : 2 * n - 1 - i];
	}
}

int exp_jobs(const struct experiment *e, int emulated, int want, int cores, char *err, size_t errlen)
{
	int n = want > 0 ? want : emulated && e->icount ? cores : 1;

	if (n > 1 && !emulated)
		return snprintf(err, errlen, "jobs = %d: on an arm64 host boots run one at a time "
				"(side by side they would disturb each other's hardware timing); use jobs = 1", n), -EINVAL;
	if (n > 1 && !e->icount)
		return snprintf(err, errlen, "jobs = %d with clock = tcg-wall: boots side by side disturb "
				"the host's wall clock; use jobs = 1 or clock = icount", n), -EINVAL;
	if (n > 64)
		return snprintf(err, errlen, "jobs = %d: at most 64 boots side by side", n), -EINVAL;
	if (n >= e->nvariants)
		n -= n % e->nvariants;
	return n < 1 ? 1 : n;
}
