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

char *nb_job_expand(const char *job, int k)
{
	const char *sec, *body, *name;
	char *out = NULL, *tmp;
	int n, i, name_len;

	sec = first_section(job, &n);
	if (k <= 1 || n != 1) {
		if (asprintf(&out, "%s%s", marks, job) < 0)
			return NULL;
		return out;
	}
	name = sec + strspn(sec, " \t") + 1;
	name_len = (int)strcspn(name, "]\n");
	body = next_line(sec) ? next_line(sec) : "";
	if (asprintf(&out, "%s%.*s", marks, (int)(sec - job), job) < 0)
		return NULL;
	for (i = 1; out && i <= k; i++) {
		tmp = out;
		if (asprintf(&out, "%s%s[%.*s-%d]\nstonewall\n%s", tmp,
			     *tmp && tmp[strlen(tmp) - 1] != '\n' ? "\n" : "", name_len, name, i, body) < 0)
			out = NULL;
		free(tmp);
	}
	return out;
}
