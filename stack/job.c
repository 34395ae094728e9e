// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack/job.h"

static const char marks[] = "[global]\nexec_prerun=/sbin/nbagent mark start\n"
			    "exec_postrun=/sbin/nbagent mark end\n";

static const char *next_line(const char *l)
{
	const char *nl = strchr(l, '\n');

	return nl ? nl + 1 : NULL;
}

static int is_section(const char *l)
{
	l += strspn(l, " \t");
	return *l == '[' && strncmp(l, "[global]", 8);
}

/* The first section other than [global]; NULL if none. */
static const char *first_section(const char *job, int *n)
{
	const char *l, *first = NULL;

	*n = 0;
	for (l = job; l && *l; l = next_line(l))
		if (is_section(l) && !(*n)++)
			first = l;
	return first;
}

int nb_job_sections(const char *job)
{
	int n;

	first_section(job, &n);
	return n;
}

/*
 * fio's parent polls its jobs every 100 ms while a job is still to start, and
 * every 10 ms once the last one has started (backend.c, run_threads()): the
 * last job's window would hold ten times the parent's wake-ups, each a
 * chain of exits at depth 3 (docs/time.md, "The last job"). A stonewalled
 * job after the repetitions, doing no I/O and sending no mark, keeps every
 * repetition's window in the 100 ms loop.
 */
static const char tail[] = "[nb-tail]\nstonewall\nioengine=null\nsize=4k\nio_size=4k\nloops=1\n"
			   "time_based=0\nramp_time=0\nstartdelay=0\n"
			   "exec_prerun=/bin/true\nexec_postrun=/bin/true\n";

/* out + "\n" if it does not end a line + what; frees out. */
static char *append(char *out, const char *what)
{
	char *tmp = out;

	if (!out)
		return NULL;
	if (asprintf(&out, "%s%s%s", tmp, *tmp && tmp[strlen(tmp) - 1] != '\n' ? "\n" : "", what) < 0)
		out = NULL;
	free(tmp);
	return out;
}

/* The single section sec, k times: NAME-1 .. NAME-k, each with stonewall. */
static char *repeat_section(char *out, const char *sec, int k)
{
	const char *name = sec + strspn(sec, " \t") + 1, *body = next_line(sec) ? next_line(sec) : "";
	int name_len = (int)strcspn(name, "]\n"), i;
	char *copy;

	for (i = 1; out && i <= k; i++) {
		if (asprintf(&copy, "[%.*s-%d]\nstonewall\n%s", name_len, name, i, body) < 0) {
			free(out);
			return NULL;
		}
		out = append(out, copy);
		free(copy);
	}
	return out;
}

char *nb_job_expand(const char *job, int k)
{
	const char *sec;
	char *out = NULL;
	int n;

	sec = first_section(job, &n);
	if (n != 1) {
		if (asprintf(&out, "%s%s", marks, job) < 0)
			return NULL;
		return out;
	}
	if (asprintf(&out, "%s%.*s", marks, (int)(k <= 1 ? strlen(job) : (size_t)(sec - job)), job) < 0)
		return NULL;
	if (k > 1)
		out = repeat_section(out, sec, k);
	return append(out, tail);
}
