// SPDX-License-Identifier: GPL-2.0
/* The plan of one boot: defaults, checks and the CONFIG frame, all over stack/knobs.c's rows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack/knobs.h"
#include "stack/plan.h"
#include "stack/platform.h"

void nb_plan_defaults(struct nb_plan *p, int depth)
{
	int l, mem = 3072;

	memset(p, 0, sizeof(*p));
	nb_opt_defaults(nb_plan_knobs, p);
	p->depth = depth;
	for (l = 0; l <= NB_MAX_DEPTH; l++, mem /= 2) {
		strcpy(p->lv[l].kernel, "patched");
		p->lv[l].mem_mb = mem < 384 ? 384 : mem;
		p->lv[l].cpus = l == 0 ? 2 : 1;
	}
}

void nb_plan_free(struct nb_plan *p)
{
	free(p->job);
	p->job = NULL;
}

const struct nb_platform *nb_plan_platform(const struct nb_plan *p)
{
	return nb_platform(p->platform);
}

static const char *const fault_names[] = {
	[NB_FAULT_NONE] = "none", [NB_FAULT_NOBOOT] = "noboot",
	[NB_FAULT_PANIC] = "panic", [NB_FAULT_HANG] = "hang",
};

int nb_plan_armed(const struct nb_plan *p, const char *mode)
{
	if (p->depth < 2)	/* no level emulates nested transitions */
		return 0;
	return !strcmp(mode, "counting") || ((!strcmp(mode, "timing") || !strcmp(mode, "exits")) && p->perf);
}

int nb_plan_nreps(const struct nb_plan *p)
{
	return p->warmup + p->reps + p->bare + p->counting + p->exits;
}

const char *nb_plan_clock(const struct nb_plan *p)
{
	const struct nb_platform *pf = nb_plan_platform(p);

	return pf && pf->own_clock ? "host" : p->icount ? "icount" : "tcg-wall";
}

const char *nb_fault_name(enum nb_fault f)
{
	return f >= 0 && f < sizeof(fault_names) / sizeof(fault_names[0]) ? fault_names[f] : "?";
}

/* "L2:panic" */
int nb_fault_parse(const char *s, int *level, enum nb_fault *f)
{
	unsigned int i;
	char kind[16], end;
	int l;

	if (sscanf(s, "L%d:%15[a-z]%c", &l, kind, &end) != 2 || l < 0 || l > NB_MAX_DEPTH)
		return -EINVAL;
	for (i = 0; i < sizeof(fault_names) / sizeof(fault_names[0]); i++)
		if (!strcmp(kind, fault_names[i])) {
			*level = l;
			*f = i;
			return 0;
		}
	return -EINVAL;
}

#define CHECK(cond, ...) do { if (!(cond)) { snprintf(err, errlen, __VA_ARGS__); return -EINVAL; } } while (0)

static int validate_levels(const struct nb_plan *p, char *err, size_t errlen)
{
	int l;

	for (l = 0; l <= p->depth; l++) {
		const struct nb_level_cfg *c = &p->lv[l];

		CHECK(c->kernel[0] && !strpbrk(c->kernel, "/ \n"),
		      "L%d kernel '%s' is not a variant name (use e.g. base or patched)", l, c->kernel);
		CHECK(c->mem_mb >= 256, "L%d memory %d MiB is too small (use >= 256)", l, c->mem_mb);
		CHECK(l == 0 || c->mem_mb + 256 <= p->lv[l - 1].mem_mb,
		      "L%d memory %d MiB does not fit in L%d's %d MiB (leave >= 256 MiB to the parent)",
		      l, c->mem_mb, l - 1, p->lv[l - 1].mem_mb);
		CHECK(c->cpus >= 1 && c->cpus <= 8, "L%d vCPUs %d out of range (1..8)", l, c->cpus);
	}
	return 0;
}

/* A plan built in code, not parsed: every numbered and named row holds a value it could parse. */
static int validate_rows(const struct nb_plan *p, char *err, size_t errlen)
{
	const struct nb_opt *o;
	char buf[64], why[256];
	struct nb_plan q;

	for (o = nb_plan_knobs; o->name; o++) {
		if (o->type != NB_OPT_INT && o->type != NB_OPT_ENUM && o->type != NB_OPT_BOOL)
			continue;
		q = *p;
		q.job = NULL;
		if (nb_opt_format(o, p, buf, sizeof(buf)) ||
		    nb_opt_set(o, &q, buf, o->name, why, sizeof(why)))
			CHECK(0, "%s %d out of range", o->name, *(const int *)((const char *)p + o->off));
	}
	return 0;
}

int nb_plan_validate(const struct nb_plan *p, char *err, size_t errlen)
{
	int ret = validate_rows(p, err, errlen);

	if (ret)
		return ret;
	CHECK(nb_plan_platform(p), "platform not resolved (auto): a bug, resolve it before validating");
	CHECK(p->reps + p->counting >= 1, "no repetitions: give --reps or --counting >= 1");
	CHECK(nb_plan_nreps(p) <= NB_MAX_REPS, "warmup + reps + bare + counting + exits is more than %d "
	      "repetitions per boot", NB_MAX_REPS);
	CHECK(p->workload[0], "no workload: a bug, resolve it (workloads/) before validating");
	CHECK(p->job, "no workload parameters: a bug, resolve them (workloads/) before validating");
	CHECK(p->fault == NB_FAULT_NONE || p->fault_level <= p->depth,
	      "fault level L%d is not in the stack L0..L%d", p->fault_level, p->depth);
	return validate_levels(p, err, errlen);
}

/* "key=value\n" of one wire row; empty text is left out (L0-as-a-process paths, a workload not yet resolved). */
static int encode_row(const struct nb_opt *o, const struct nb_plan *p, FILE *f)
{
	char buf[512];

	if (!(o->where & NB_IN_WIRE))
		return 0;
	if (nb_opt_format(o, p, buf, sizeof(buf)))
		return -ENOSPC;
	if (!buf[0] && (o->type == NB_OPT_STR || o->type == NB_OPT_NAME))
		return 0;
	return fprintf(f, "%s=%s\n", o->name, buf) < 0 ? -EIO : 0;
}

char *nb_plan_encode(const struct nb_plan *p, int level)
{
	struct nb_plan q = *p;
	const struct nb_opt *o;
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	int ret = f ? 0 : -ENOMEM;

	q.level = level;
	for (o = nb_plan_knobs; o->name && !ret; o++)
		ret = encode_row(o, &q, f);
	if (!ret && fprintf(f, "job:\n%s", p->job ? p->job : "") < 0)
		ret = -EIO;
	if (f)
		fclose(f);
	if (ret) {
		free(s);
		return NULL;
	}
	return s;
}

/* One "key=value" line of the frame's head into the plan, through its row. */
static int decode_line(struct nb_plan *p, const char *line, size_t n)
{
	const char *eq = memchr(line, '=', n);
	char key[32], val[512], err[256];
	const struct nb_opt *o;

	if (!eq || (size_t)(eq - line) >= sizeof(key) || n - (eq - line) > sizeof(val))
		return -EINVAL;
	snprintf(key, sizeof(key), "%.*s", (int)(eq - line), line);
	snprintf(val, sizeof(val), "%.*s", (int)(n - (eq - line) - 1), eq + 1);
	o = nb_opt_find(nb_plan_knobs, key, NB_IN_WIRE);
	return o ? nb_opt_set(o, p, val, NULL, err, sizeof(err)) : -EINVAL;
}

int nb_plan_decode(struct nb_plan *p, const char *text)
{
	const char *job = strstr(text, "\njob:\n"), *l, *nl;
	int ret = 0;

	nb_plan_defaults(p, 2);
	p->level = -1;
	if (!job)
		return -EINVAL;
	for (l = text; l <= job && !ret; l = nl + 1) {
		nl = strchr(l, '\n');
		ret = decode_line(p, l, nl - l);
	}
	if (ret || p->level < 0)
		return -EINVAL;
	p->job = strdup(job + 6);
	return p->job ? 0 : -ENOMEM;
}
