// SPDX-License-Identifier: GPL-2.0
/* INI inputs behind guards: see stats/ini.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack/util.h"
#include "stats/ini.h"

int nb_ini_check_line(const char *s, size_t len, char *why, size_t whylen)
{
	if (memchr(s, '\0', len))
		return nb_invalid(why, whylen, "a NUL byte: this is not a text file");
	if (len > NB_INI_LINE_MAX)
		return nb_invalid(why, whylen, "line of %zu characters, longer than %d: shorten it "
				  "(comments too)", len, NB_INI_LINE_MAX);
	return 0;
}

static int check_lines(const char *text, size_t len, unsigned int *line, char *why, size_t whylen)
{
	const char *p = text, *nl, *end = text + len;
	int ret = 0;

	for (*line = 1; p < end && !ret; p = nl + 1, ++*line) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		ret = nb_ini_check_line(p, nl - p - (nl > p && nl[-1] == '\r'), why, whylen);
	}
	--*line;
	return ret;
}

/* The keys seen so far, "section\nname" each: files are small, a list will do. */
struct guard {
	ini_handler h;
	void *user;
	char **keys;
	size_t n;
	int dup, failed;	/* inih goes on after an error: the first one stands */
	char dupkey[160];	/* "'key' of [section]", for the error */
};

static int seen_before(struct guard *g, const char *section, const char *name)
{
	char *k, **p;
	size_t i;

	if (asprintf(&k, "%s\n%s", section, name) < 0)
		return -ENOMEM;
	for (i = 0; i < g->n; i++)
		if (!strcmp(g->keys[i], k)) {
			free(k);
			return 1;
		}
	p = realloc(g->keys, (g->n + 1) * sizeof(*p));
	if (!p) {
		free(k);
		return -ENOMEM;
	}
	g->keys = p;
	g->keys[g->n++] = k;
	return 0;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct guard *g = user;
	int ret;

	if (g->failed)
		return 1;
	ret = seen_before(g, section, name);
	if (ret)
		g->dup = ret > 0 ? -EEXIST : ret;
	if (ret > 0)
		snprintf(g->dupkey, sizeof(g->dupkey), "'%.48s'%s%.64s%s", name, *section ? " of [" : "",
			 section, *section ? "]" : "");
	g->failed = ret || !g->h(g->user, section, name, value);
	return !g->failed;
}

int nb_ini_parse(const char *text, size_t len, ini_handler h, void *user,
		 unsigned int *line, char *why, size_t whylen)
{
	struct guard g = { .h = h, .user = user };
	int ret = check_lines(text, len, line, why, whylen), n;
	size_t i;

	if (ret)
		return ret;
	*line = 0;
	if (why && whylen)
		why[0] = '\0';
	n = ini_parse_string(text, on_key, &g);
	for (i = 0; i < g.n; i++)
		free(g.keys[i]);
	free(g.keys);
	if (!n)
		return 0;
	*line = n > 0 ? n : 0;
	if (g.dup == -EEXIST)
		return nb_invalid(why, whylen, "key %s is given twice: keep one", g.dupkey);
	return g.dup == -ENOMEM ? -ENOMEM : -EINVAL;
}

int nb_ini_parse_file(const char *path, ini_handler h, void *user,
		      unsigned int *line, char *why, size_t whylen)
{
	size_t len;
	char *text = nb_read_file(path, &len);
	int ret;

	*line = 0;
	if (!text)
		return snprintf(why, whylen, "cannot read it"), -ENOENT;
	ret = nb_ini_parse(text, len, h, user, line, why, whylen);
	free(text);
	return ret;
}
