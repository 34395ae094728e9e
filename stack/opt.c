// SPDX-License-Identifier: GPL-2.0
/* Option tables: one row parses, prints and documents an option (stack/opt.h). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "stack/opt.h"
#include "stack/util.h"

#define NB_OPT_MAX	128	/* rows over all groups of one command */

static void *field(const struct nb_opt *o, void *cfg)
{
	return (char *)cfg + o->off;
}

static const void *cfield(const struct nb_opt *o, const void *cfg)
{
	return (const char *)cfg + o->off;
}

const char *nb_opt_flag(const struct nb_opt *o)
{
	return o->flag ? o->flag : o->name;
}

const struct nb_opt *nb_opt_find(const struct nb_opt *tab, const char *key, unsigned int where)
{
	for (; tab->name; tab++)
		if ((tab->where & where) &&
		    (!strcmp(tab->name, key) || ((where & NB_IN_CLI) && !strcmp(nb_opt_flag(tab), key))))
			return tab;
	return NULL;
}

void nb_opt_defaults(const struct nb_opt *tab, void *cfg)
{
	for (; tab->name; tab++) {
		if (tab->type == NB_OPT_REAL)
			*(double *)field(tab, cfg) = tab->def;
		else if (tab->type <= NB_OPT_ENUM)
			*(int *)field(tab, cfg) = (int)tab->def;
	}
}

static int enum_index(const char *const *names, const char *v)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(names[i], v))
			return i;
	return -1;
}

/* "a, b or c" */
static void enum_list(char *buf, size_t len, const char *const *names)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; names[i] && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? (names[i + 1] ? ", " : " or ") : "", names[i]);
}

static int set_enum(const struct nb_opt *o, int *dst, const char *v, const char *what,
		    char *err, size_t len)
{
	static const char *const bools[] = { "off", "on", NULL };
	const char *const *names = o->type == NB_OPT_BOOL ? bools : o->names;
	int i = enum_index(names, v);
	char list[256];

	if (i >= 0) {
		*dst = i;
		return 0;
	}
	if (o->type == NB_OPT_BOOL)
		snprintf(list, sizeof(list), "on or off");
	else
		enum_list(list, sizeof(list), names);
	snprintf(err, len, "%s '%s': use %s", what, v, list);
	return -EINVAL;
}

static int set_text(const struct nb_opt *o, char *dst, const char *v, const char *what,
		    char *err, size_t len)
{
	if (strlen(v) >= o->size || strchr(v, '\n'))
		return snprintf(err, len, "%s: a value of at most %zu characters on one line",
				what, o->size - 1), -EINVAL;
	if (o->type == NB_OPT_NAME && nb_name_check(v))
		return snprintf(err, len, "%s '%s': use 1..%d characters of A-Z a-z 0-9 . _ + -, "
				"not starting with '.' or '-'", what, v, NB_NAME_LEN), -EINVAL;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int set_real(const struct nb_opt *o, double *dst, const char *v, const char *what,
		    char *err, size_t len)
{
	int ret = nb_parse_real(v, o->min, o->max, dst);

	if (ret)
		snprintf(err, len, "%s '%s': %s: expected a number from %g to %g", what, v,
			 ret == -ERANGE ? "out of range" : "not a number", o->min, o->max);
	return ret;
}

static int set_int(const struct nb_opt *o, int *dst, const char *v, const char *what,
		   char *err, size_t len)
{
	int ret = nb_parse_int(v, (int)o->min, (int)o->max, dst);

	if (ret)
		nb_parse_error(err, len, what, v, ret, (long)o->min, (long)o->max);
	return ret;
}

int nb_opt_set(const struct nb_opt *o, void *cfg, const char *v, const char *what,
	       char *err, size_t len)
{
	what = what ? what : o->name;
	switch (o->type) {
	case NB_OPT_INT:	return set_int(o, field(o, cfg), v, what, err, len);
	case NB_OPT_BOOL:
	case NB_OPT_ENUM:	return set_enum(o, field(o, cfg), v, what, err, len);
	case NB_OPT_REAL:	return set_real(o, field(o, cfg), v, what, err, len);
	case NB_OPT_STR:
	case NB_OPT_NAME:	return set_text(o, field(o, cfg), v, what, err, len);
	case NB_OPT_PTR:	*(const char **)field(o, cfg) = v; return 0;
	case NB_OPT_FLAG:	*(int *)field(o, cfg) = 1; return 0;
	case NB_OPT_CALL:	return o->set(cfg, v, err, len);
	}
	return -EINVAL;
}

static int enum_name(const struct nb_opt *o, int i, char *buf, size_t len)
{
	static const char *const bools[] = { "off", "on", NULL };
	const char *const *names = o->type == NB_OPT_BOOL ? bools : o->names;
	int n;

	for (n = 0; names[n]; n++)
		;
	if (i < 0 || i >= n)
		return -ERANGE;
	return snprintf(buf, len, "%s", names[i]) >= (int)len ? -ENOSPC : 0;
}

int nb_opt_format(const struct nb_opt *o, const void *cfg, char *buf, size_t len)
{
	const void *f = cfield(o, cfg);
	int n;

	switch (o->type) {
	case NB_OPT_INT:
	case NB_OPT_FLAG:	n = snprintf(buf, len, "%d", *(const int *)f); break;
	case NB_OPT_BOOL:
	case NB_OPT_ENUM:	return enum_name(o, *(const int *)f, buf, len);
	case NB_OPT_REAL:	n = snprintf(buf, len, "%.17g", *(const double *)f); break;
	case NB_OPT_STR:
	case NB_OPT_NAME:	n = snprintf(buf, len, "%s", (const char *)f); break;
	case NB_OPT_PTR:	n = snprintf(buf, len, "%s", *(const char *const *)f ?: ""); break;
	case NB_OPT_CALL:	return o->fmt ? o->fmt(cfg, buf, len) : -ENOENT;
	default:		return -EINVAL;
	}
	return n >= (int)len ? -ENOSPC : 0;
}

/* getopt_long's table: val = group * NB_OPT_MAX + row + 1. */
static int long_opts(const struct nb_optgroup *g, struct option *lo, size_t max)
{
	size_t n = 0, gi, r;

	for (gi = 0; g[gi].opts; gi++)
		for (r = 0; g[gi].opts[r].name; r++) {
			const struct nb_opt *o = &g[gi].opts[r];

			if (!(o->where & NB_IN_CLI))
				continue;
			if (n + 2 >= max || r >= NB_OPT_MAX)
				return -E2BIG;
			lo[n++] = (struct option){ nb_opt_flag(o), o->type == NB_OPT_FLAG ?
						   no_argument : required_argument, NULL,
						   (int)(gi * NB_OPT_MAX + r + 1) };
		}
	lo[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n] = (struct option){ 0 };
	return 0;
}

/* getopt_long says '?' for an unknown option and for one missing its value (optopt: which). */
static int bad_option(const char *cmd, const char *arg)
{
	fprintf(stderr, "nestbench %s: %s %s\n  see 'nestbench %s --help'\n", cmd,
		optopt ? "missing value for" : "unknown option", arg, cmd);
	return -EINVAL;
}

static int apply(const char *cmd, const struct nb_optgroup *g, int val, const char *v)
{
	const struct nb_opt *o = &g[(val - 1) / NB_OPT_MAX].opts[(val - 1) % NB_OPT_MAX];
	char what[80], err[512];

	snprintf(what, sizeof(what), "--%s", nb_opt_flag(o));
	if (!nb_opt_set(o, g[(val - 1) / NB_OPT_MAX].cfg, v, what, err, sizeof(err)))
		return 0;
	fprintf(stderr, "nestbench %s: %s\n  see 'nestbench %s --help'\n", cmd, err, cmd);
	return -EINVAL;
}

int nb_opt_parse(const char *cmd, int argc, char **argv, const struct nb_optgroup *groups)
{
	struct option lo[NB_OPT_MAX];
	int c, ret = long_opts(groups, lo, NB_OPT_MAX);

	if (ret)
		return fprintf(stderr, "nestbench %s: too many options\n", cmd), ret;
	optind = 0;	/* a full reset: commands run one after another in tests */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'h')
			return NB_OPT_HELP;
		if (c == '?' || c == ':')
			return bad_option(cmd, argv[optind - 1]);
		if (apply(cmd, groups, c, optarg))
			return -EINVAL;
	}
	return optind;
}

static void usage_default(char *buf, size_t len, const struct nb_opt *o)
{
	char v[64];

	buf[0] = '\0';
	if (o->type > NB_OPT_REAL || (o->where & NB_HELP_DEF))
		return;
	if (o->type == NB_OPT_REAL)
		snprintf(v, sizeof(v), "%g", o->def);
	else if (o->type == NB_OPT_INT)
		snprintf(v, sizeof(v), "%d", (int)o->def);
	else if (enum_name(o, (int)o->def, v, sizeof(v)))
		return;
	snprintf(buf, len, " (default %s)", v);
}

void nb_opt_usage(FILE *f, const char *cmd, const char *synopsis, const char *what,
		  const struct nb_optgroup *groups)
{
	const struct nb_opt *o;
	char left[64], def[80];
	size_t gi;

	fprintf(f, "usage: nestbench %s %s\n\n%s\n\n", cmd, synopsis, what);
	for (gi = 0; groups[gi].opts; gi++)
		for (o = groups[gi].opts; o->name; o++) {
			if (!(o->where & NB_IN_CLI))
				continue;
			snprintf(left, sizeof(left), "--%s%s%s", nb_opt_flag(o), o->arg ? " " : "",
				 o->arg ? o->arg : "");
			usage_default(def, sizeof(def), o);
			fprintf(f, "  %-26s %s%s\n", left, o->help, def);
		}
	fprintf(f, "  %-26s %s\n", "-h, --help", "this text");
}

void nb_opt_usage_keys(FILE *f, const struct nb_opt *tab, unsigned int where)
{
	char left[64], def[80];

	for (; tab->name; tab++) {
		if (!(tab->where & where))
			continue;
		snprintf(left, sizeof(left), "%s = %s", tab->name, tab->arg ? tab->arg : "V");
		usage_default(def, sizeof(def), tab);
		fprintf(f, "  %-26s %s%s\n", left, tab->help, def);
	}
}

int nb_opt_operands(const char *cmd, int argc, char **argv, int first, int nmin, int nmax)
{
	int n = argc - first;

	if (n >= nmin && n <= nmax)
		return 0;
	if (n < nmin)
		fprintf(stderr, "nestbench %s: %d operand%s missing\n", cmd, nmin - n, nmin - n > 1 ? "s" : "");
	else
		fprintf(stderr, "nestbench %s: unexpected operand '%s'\n", cmd, argv[first + nmax]);
	fprintf(stderr, "  see 'nestbench %s --help'\n", cmd);
	return -EINVAL;
}
