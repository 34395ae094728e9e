/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Option tables (kvmtool's OPT_* rows, fio's option table): one row per
 * option, with its type, place in a config struct, range, default and help.
 * The same rows parse a command line (getopt_long built from them), an
 * experiment file's keys, the CONFIG frame's key=value text, and print
 * --help and the manifest. Every number goes through the strict parsers of
 * stack/util.h: "--reps x" and "reps = 3x" are errors, never 0.
 */
#ifndef NB_OPT_H
#define NB_OPT_H

#include <stddef.h>
#include <stdio.h>

enum nb_opt_type {
	NB_OPT_INT,		/* int in [min, max] */
	NB_OPT_BOOL,		/* int, 0 or 1, spelled off|on */
	NB_OPT_ENUM,		/* int, an index into names[] */
	NB_OPT_REAL,		/* double in [min, max] */
	NB_OPT_STR,		/* char[size], any text without a newline */
	NB_OPT_NAME,		/* char[size], nb_name_check(): a directory or label */
	NB_OPT_PTR,		/* const char *, pointing into argv (command line only) */
	NB_OPT_FLAG,		/* int set to 1; takes no value */
	NB_OPT_CALL,		/* set() parses; fmt() prints (NULL: not printable) */
};

/* Where an option may appear: a row names every place that loops over it. */
#define NB_IN_CLI	0x01u	/* --flag on a command line */
#define NB_IN_FILE	0x02u	/* a key of an experiment file's [experiment] */
#define NB_IN_WIRE	0x04u	/* the CONFIG frame passed down the levels */
#define NB_IN_MANIFEST	0x08u	/* manifest.json's "plan" object */
#define NB_IN_ALL	0x0fu
#define NB_HELP_DEF	0x100u	/* the help text says the default itself (it depends on something) */

struct nb_opt {
	const char *name;	/* key in files, the wire and the manifest: "boot_timeout" */
	const char *flag;	/* command-line spelling ("boot-timeout"); NULL: same as name */
	enum nb_opt_type type;
	size_t off, size;	/* the field in the config struct */
	double min, max;	/* INT and REAL */
	const char *const *names;	/* ENUM: value names, NULL-terminated */
	double def;		/* default of INT, BOOL, ENUM, REAL (nb_opt_defaults) */
	const char *arg;	/* what --help shows as the value: "N", "on|off" */
	const char *help;
	unsigned int where;
	/* CALL: 0 or -EINVAL with the problem (what, fix) in err */
	int (*set)(void *cfg, const char *v, char *err, size_t len);
	int (*fmt)(const void *cfg, char *buf, size_t len);
};

#define NB_FIELD(st, f)	.off = offsetof(st, f), .size = sizeof(((st *)0)->f)

#define OPT_INT(n, st, f, lo, hi, d, a, w, h) \
	{ .name = n, .type = NB_OPT_INT, NB_FIELD(st, f), .min = lo, .max = hi, .def = d, \
	  .arg = a, .where = w, .help = h }
#define OPT_BOOL(n, st, f, d, w, h) \
	{ .name = n, .type = NB_OPT_BOOL, NB_FIELD(st, f), .def = d, .arg = "on|off", \
	  .where = w, .help = h }
#define OPT_ENUM(n, st, f, nm, d, a, w, h) \
	{ .name = n, .type = NB_OPT_ENUM, NB_FIELD(st, f), .names = nm, .def = d, \
	  .arg = a, .where = w, .help = h }
#define OPT_REAL(n, st, f, lo, hi, d, a, w, h) \
	{ .name = n, .type = NB_OPT_REAL, NB_FIELD(st, f), .min = lo, .max = hi, .def = d, \
	  .arg = a, .where = w, .help = h }
#define OPT_STR(n, st, f, a, w, h) \
	{ .name = n, .type = NB_OPT_STR, NB_FIELD(st, f), .arg = a, .where = w, .help = h }
#define OPT_NAME(n, st, f, a, w, h) \
	{ .name = n, .type = NB_OPT_NAME, NB_FIELD(st, f), .arg = a, .where = w, .help = h }
#define OPT_PTR(n, st, f, a, h) \
	{ .name = n, .type = NB_OPT_PTR, NB_FIELD(st, f), .arg = a, .where = NB_IN_CLI, .help = h }
#define OPT_FLAG(n, st, f, h) \
	{ .name = n, .type = NB_OPT_FLAG, NB_FIELD(st, f), .where = NB_IN_CLI, .help = h }
#define OPT_CALL(n, s, f, a, w, h) \
	{ .name = n, .type = NB_OPT_CALL, .set = s, .fmt = f, .arg = a, .where = w, .help = h }
#define OPT_END { .name = NULL }

/* The command-line spelling of a row: flag, else name. */
const char *nb_opt_flag(const struct nb_opt *o);
/* The row of tab called key (its name, or its flag when where has NB_IN_CLI) that may appear there. */
const struct nb_opt *nb_opt_find(const struct nb_opt *tab, const char *key, unsigned int where);
/* Every INT, BOOL, ENUM and REAL row to its default. */
void nb_opt_defaults(const struct nb_opt *tab, void *cfg);
/*
 * Parses v into o's field of cfg. 0, or -EINVAL/-ERANGE with
 * "WHAT 'V': problem; expected ..." in err, WHAT being what (e.g. "--reps",
 * "file:3: reps") or, when NULL, the row's name.
 */
int nb_opt_set(const struct nb_opt *o, void *cfg, const char *v, const char *what,
	       char *err, size_t len);
/* The field as text, as nb_opt_set() reads it back. 0, or -ENOSPC, -ENOENT (not printable). */
int nb_opt_format(const struct nb_opt *o, const void *cfg, char *buf, size_t len);

/* One table over one config struct: a command's options come in groups. */
struct nb_optgroup {
	const struct nb_opt *opts;
	void *cfg;
};

/*
 * A command line: "--flag V", "--flag=V", and -h/--help. Returns the index
 * of the first operand (>= 1), NB_OPT_HELP when --help was given (the caller
 * prints nb_opt_usage() and exits 0), or -EINVAL after printing the problem
 * and "see 'nestbench CMD --help'" to stderr (the caller exits 2).
 */
#define NB_OPT_HELP	(-1000)
int nb_opt_parse(const char *cmd, int argc, char **argv, const struct nb_optgroup *groups);
/* "usage: nestbench CMD SYNOPSIS", the description, then one line per command-line row. */
void nb_opt_usage(FILE *f, const char *cmd, const char *synopsis, const char *what,
		  const struct nb_optgroup *groups);
/* One "  key = ARG   help (default)" line per row of tab that may appear in where. */
void nb_opt_usage_keys(FILE *f, const struct nb_opt *tab, unsigned int where);
/* Exactly nmin..nmax operands from argv[first]; else the problem on stderr and -EINVAL. */
int nb_opt_operands(const char *cmd, int argc, char **argv, int first, int nmin, int nmax);

#endif
