// SPDX-License-Identifier: GPL-2.0
/* nestbench bisect's decisions and its log: see bench/bisect.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bisect.h"
#include "stack/util.h"

#define LOG_HEAD	"# nestbench bisect "
#define NFIELDS		8

static const char *const verdict_names[BISECT_NVERDICTS] = {
	[BISECT_GOOD] = "good", [BISECT_BAD] = "bad", [BISECT_SKIP] = "skip",
	[BISECT_FAILED] = "failed", [BISECT_RUNNING] = "running",
};

const char *bisect_verdict_name(enum bisect_verdict v)
{
	return v < BISECT_NVERDICTS ? verdict_names[v] : "?";
}

int bisect_exit_code(enum bisect_verdict v)
{
	return v == BISECT_GOOD ? 0 : v == BISECT_BAD ? 1 : 125;
}

int bisect_decided(enum bisect_verdict v)
{
	return v == BISECT_GOOD || v == BISECT_BAD || v == BISECT_SKIP;
}

enum bisect_verdict bisect_decide(const struct nb_ttest *t, const struct nb_gate *g,
				  char *why, size_t len)
{
	switch (nb_gate_side(t, g)) {
	case NB_GATE_BEYOND:
		snprintf(why, len, "a significant change beyond %+g%%", g->pct);
		return BISECT_BAD;
	case NB_GATE_WITHIN:
		snprintf(why, len, "the 95%% CI excludes a change beyond %+g%%", g->pct);
		return BISECT_GOOD;
	default:
		snprintf(why, len, isnan(t->pct.lo) || isnan(t->pct.hi) ?
			 "inconclusive: no confidence interval" :
			 "inconclusive: the 95%% CI holds %+g%%, not significantly beyond it", g->pct);
		return BISECT_SKIP;
	}
}

/* Text a field may hold: printable, no tab (the separator); non-empty when must. */
static int text_ok(const char *s, int must)
{
	for (; *s; s++, must = 0)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return !must;
}

/* A directory below the log's: relative, no "..", no empty component. */
static int dir_ok(const char *s)
{
	const char *c = s;

	if (!text_ok(s, 1) || *s == '/')
		return 0;
	for (; c; c = strchr(c, '/') ? strchr(c, '/') + 1 : NULL)
		if (!strncmp(c, "../", 3) || !strcmp(c, "..") || *c == '/' || !*c)
			return 0;
	return 1;
}

static int rev_ok(const char *s)
{
	return strlen(s) == 40 && strspn(s, "0123456789abcdef") == 40;
}

static int num(const char *s, double *v)
{
	if (!strcmp(s, "nan"))
		return *v = NAN, 0;
	return nb_parse_real(s, -1e300, 1e300, v);
}

static int verdict_of(const char *s, enum bisect_verdict *v)
{
	int i;

	for (i = 0; i < BISECT_NVERDICTS; i++)
		if (!strcmp(s, verdict_names[i]))
			return *v = i, 0;
	return -EINVAL;
}

/* One step line, cut at its tabs in place. */
static int parse_step(char *line, struct bisect_step *s, char *err, size_t len)
{
	char *f[NFIELDS], *p = line;
	int i;

	for (i = 0; i < NFIELDS; i++) {
		f[i] = p;
		p = strchr(p, '\t');
		if (!p != (i == NFIELDS - 1))
			return nb_invalid(err, len, "%d fields, expected %d separated by tabs",
					  i + 1 + !!p, NFIELDS);
		if (p)
			*p++ = '\0';
	}
	if (!rev_ok(f[0]))
		return nb_invalid(err, len, "'%.48s' is not a full commit hash", f[0]);
	if (verdict_of(f[1], &s->verdict))
		return nb_invalid(err, len, "verdict '%.16s' is none of good, bad, skip, failed, running", f[1]);
	if (num(f[2], &s->est) || num(f[3], &s->lo) || num(f[4], &s->hi) || num(f[5], &s->p))
		return nb_invalid(err, len, "the change, its CI and p must be numbers or nan");
	if (!dir_ok(f[6]) || strlen(f[6]) >= sizeof(s->dir))
		return nb_invalid(err, len, "'%.64s' is not a directory below the log's", f[6]);
	if (!text_ok(f[7], 0) || strlen(f[7]) >= sizeof(s->why))
		return nb_invalid(err, len, "the reason holds a control character or is too long");
	snprintf(s->rev, sizeof(s->rev), "%s", f[0]);
	snprintf(s->dir, sizeof(s->dir), "%s", f[6]);
	snprintf(s->why, sizeof(s->why), "%s", f[7]);
	return 0;
}

static int parse_line(char *line, int no, struct bisect_log *l, char *err, size_t len)
{
	char why[256];

	if (no == 1) {
		if (strncmp(line, LOG_HEAD, strlen(LOG_HEAD)) || !text_ok(line, 1) ||
		    strlen(line + strlen(LOG_HEAD)) >= sizeof(l->setup))
			return nb_invalid(err, len, "line 1: not a nestbench bisect log header");
		snprintf(l->setup, sizeof(l->setup), "%s", line + strlen(LOG_HEAD));
		return 0;
	}
	if (l->n == BISECT_MAX_STEPS)
		return nb_invalid(err, len, "line %d: more than %d steps", no, BISECT_MAX_STEPS);
	if (parse_step(line, &l->s[l->n], why, sizeof(why)))
		return nb_invalid(err, len, "line %d: %s", no, why);
	if (bisect_log_find(l, l->s[l->n].rev))		/* the steps before this one */
		return nb_invalid(err, len, "line %d: a second line for %.12s", no, l->s[l->n].rev);
	l->n++;
	return 0;
}

int bisect_log_parse(const char *text, struct bisect_log *l, char *err, size_t len)
{
	char *copy = strdup(text), *line, *nl;
	int no = 0, ret = 0;

	memset(l, 0, sizeof(*l));
	if (!copy)
		return -ENOMEM;
	for (line = copy; *line && !ret; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl) {
			ret = nb_invalid(err, len, "line %d: no newline at its end (cut short?)", no + 1);
			break;
		}
		*nl = '\0';
		ret = parse_line(line, ++no, l, err, len);
	}
	if (!ret && !no)
		ret = nb_invalid(err, len, "empty: no header");
	free(copy);
	return ret;
}

static void put_num(FILE *f, double v)
{
	if (isnan(v))
		fputs("nan\t", f);
	else
		fprintf(f, "%.17g\t", v);
}

char *bisect_log_format(const struct bisect_log *l)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int i;

	if (!f)
		return NULL;
	fprintf(f, LOG_HEAD "%s\n", l->setup);
	for (i = 0; i < l->n; i++) {
		fprintf(f, "%s\t%s\t", l->s[i].rev, bisect_verdict_name(l->s[i].verdict));
		put_num(f, l->s[i].est);
		put_num(f, l->s[i].lo);
		put_num(f, l->s[i].hi);
		put_num(f, l->s[i].p);
		fprintf(f, "%s\t%s\n", l->s[i].dir, l->s[i].why);
	}
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}

struct bisect_step *bisect_log_find(struct bisect_log *l, const char *rev)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->s[i].rev, rev))
			return &l->s[i];
	return NULL;
}

struct bisect_step *bisect_log_step(struct bisect_log *l, const char *rev)
{
	struct bisect_step *s = bisect_log_find(l, rev);

	if (s || l->n == BISECT_MAX_STEPS)
		return s;
	s = &l->s[l->n++];
	memset(s, 0, sizeof(*s));
	snprintf(s->rev, sizeof(s->rev), "%s", rev);
	s->verdict = BISECT_RUNNING;
	s->est = s->lo = s->hi = s->p = NAN;
	return s;
}
