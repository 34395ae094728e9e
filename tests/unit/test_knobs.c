// SPDX-License-Identifier: GPL-2.0
/*
 * The option tables (stack/opt.h, stack/knobs.c): every boot option row
 * round-trips through every place it names — command line, experiment file,
 * the CONFIG frame, the manifest — so a new row cannot be half-wired.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "bench/experiment.h"
#include "bench/manifest.h"
#include "bench/run.h"
#include "stack/knobs.h"
#include "stack/platform.h"
#include "workloads/workload.h"

/* A value of each row other than its default, as the row spells it; NULL: not settable there. */
static const char *sample(const struct nb_opt *o, char *buf, size_t len)
{
	static const struct { const char *name, *v; } calls[] = {
		{ "kernels", "L0=base,L1=patched,L2=base" }, { "mem", "L0=3000,L1=1400,L2=600" },
		{ "cpus", "L0=2,L1=2,L2=1" }, { "fault", "L1:panic" }, { "kernel", "slow-eret" },
	};
	size_t i;
	int n;

	switch (o->type) {
	case NB_OPT_INT:	/* next to the default: sums of rows stay in range */
		snprintf(buf, len, "%d", (int)(o->def + 1 <= o->max ? o->def + 1 : o->def - 1));
		return buf;
	case NB_OPT_BOOL:	return o->def ? "off" : "on";
	case NB_OPT_ENUM:
		for (n = 0; o->names[n]; n++)
			;
		return o->names[(int)o->def == n - 1 ? 1 : n - 1];
	case NB_OPT_NAME:	return "hackbench";
	case NB_OPT_STR:	return "/some/path";
	case NB_OPT_CALL:
		for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
			if (!strcmp(o->name, calls[i].name))
				return calls[i].v;
		return NULL;
	default:		return NULL;
	}
}

static void formatted(const struct nb_opt *o, const struct nb_plan *p, char *buf, size_t len)
{
	assert_int_equal(nb_opt_format(o, p, buf, len), 0);
}

/* The table's own invariants: sizes match types, defaults parse, names are unique. */
static void knobs_table(void **state)
{
	const struct nb_opt *o, *q;
	struct nb_plan p;
	char buf[512], err[256];

	nb_plan_defaults(&p, 2);
	for (o = nb_plan_knobs; o->name; o++) {
		assert_non_null(o->help);
		if (o->type == NB_OPT_INT || o->type == NB_OPT_BOOL || o->type == NB_OPT_ENUM)
			assert_int_equal(o->size, sizeof(int));
		if (o->type == NB_OPT_CALL)
			assert_non_null(o->set);
		for (q = o + 1; q->name; q++)
			assert_true(strcmp(o->name, q->name) && strcmp(nb_opt_flag(o), nb_opt_flag(q)));
		if (o->type != NB_OPT_CALL || o->fmt) {	/* the default reads back as itself */
			if (nb_opt_format(o, &p, buf, sizeof(buf)) == 0 && buf[0])
				assert_int_equal(nb_opt_set(o, &p, buf, NULL, err, sizeof(err)), 0);
		}
	}
	nb_plan_free(&p);
}

/* Every wire row: set to a sample, encoded, decoded, the same text. */
static void knobs_wire(void **state)
{
	const struct nb_opt *o;
	struct nb_plan p, q;
	char buf[512], got[512], err[256], *text;
	const char *v;

	nb_plan_defaults(&p, 2);
	p.platform = NB_PLATFORM_EMULATED;
	assert_int_equal(nb_wl_plan_prepare(&p, NULL, err, sizeof(err)), 0);
	for (o = nb_plan_knobs; o->name; o++)
		if ((o->where & NB_IN_WIRE) && (v = sample(o, buf, sizeof(buf))) && strcmp(o->name, "depth"))
			assert_int_equal(nb_opt_set(o, &p, v, NULL, err, sizeof(err)), 0);
	text = nb_plan_encode(&p, 1);
	assert_non_null(text);
	assert_int_equal(nb_plan_decode(&q, text), 0);
	for (o = nb_plan_knobs; o->name; o++) {
		if (!(o->where & NB_IN_WIRE) || !strcmp(o->name, "level"))
			continue;
		formatted(o, &p, buf, sizeof(buf));
		formatted(o, &q, got, sizeof(got));
		print_message("# wire %s: %s\n", o->name, got);
		assert_string_equal(got, buf);
	}
	assert_int_equal(q.level, 1);
	free(text);
	nb_plan_free(&p);
	nb_plan_free(&q);
}

/* Every command-line row of run: --flag SAMPLE reaches the plan. */
static void knobs_cli(void **state)
{
	const struct nb_opt *o;
	struct run_cfg c;
	char buf[512], got[512], flag[64];
	const char *v;

	for (o = nb_plan_knobs; o->name; o++) {
		char *argv[] = { "run", flag, (char *)"", "--workload", "fio", NULL };

		if (!(o->where & NB_IN_CLI) || !(v = sample(o, buf, sizeof(buf))) || o->type == NB_OPT_NAME)
			continue;
		snprintf(flag, sizeof(flag), "--%s", nb_opt_flag(o));
		argv[2] = (char *)v;
		optind = 0;
		if (!strcmp(o->name, "platform") || !strcmp(o->name, "depth"))
			continue;	/* resolved against this machine; depth bounds the levels */
		assert_int_equal(run_parse(5, argv, &c), 0);
		if (o->fmt || o->type != NB_OPT_CALL) {
			formatted(o, &c.plan, got, sizeof(got));
			print_message("# cli %s: %s\n", flag, got);
			assert_string_equal(got, v);
		}
		nb_plan_free(&c.plan);
	}
}

/* Every file row of the plan: "key = SAMPLE" in [experiment] reaches e.plan. */
static void knobs_file(void **state)
{
	static const char variants[] = "[variant a]\nkernel = base\n[variant b]\nkernel = patched\n";
	const struct nb_opt *o;
	struct experiment e;
	char buf[512], got[512], text[1024], err[512];
	const char *v;

	for (o = nb_plan_knobs; o->name; o++) {
		if (!(o->where & NB_IN_FILE) || !(v = sample(o, buf, sizeof(buf))))
			continue;
		snprintf(text, sizeof(text), "[experiment]\nname = x\n%s = %s\n%s", o->name, v, variants);
		assert_int_equal(exp_load_text(text, strlen(text), "t.ini", &e, err, sizeof(err)), 0);
		formatted(o, &e.plan, got, sizeof(got));
		print_message("# file %s: %s\n", o->name, got);
		assert_string_equal(got, v);
	}
}

/* Every manifest row appears in manifest.json's "plan", as the row prints it. */
static void knobs_manifest(void **state)
{
	char dir[] = "/tmp/nb-knobs-XXXXXX", path[64], buf[512], err[256];
	const struct nb_opt *o;
	struct experiment e;
	struct json_object *m, *plan, *v;
	struct nb_plan p;

	assert_non_null(mkdtemp(dir));
	memset(&e, 0, sizeof(e));
	nb_plan_defaults(&e.plan, 2);
	snprintf(e.name, sizeof(e.name), "x");
	nb_plan_defaults(&p, 2);
	p.platform = NB_PLATFORM_EMULATED;
	p.pin = 0;
	assert_int_equal(nb_wl_plan_prepare(&p, NULL, err, sizeof(err)), 0);
	assert_int_equal(manifest_write(dir, &e, &p, "/nonexistent/images.manifest"), 0);
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	m = json_object_from_file(path);
	assert_non_null(m);
	assert_true(json_object_object_get_ex(m, "plan", &plan));
	for (o = nb_plan_knobs; o->name; o++) {
		if (!(o->where & NB_IN_MANIFEST))
			continue;
		formatted(o, &p, buf, sizeof(buf));
		assert_true(json_object_object_get_ex(plan, o->name, &v));
		assert_string_equal(json_object_get_string(v), buf);
	}
	json_object_put(m);
	unlink(path);
	rmdir(dir);
	nb_plan_free(&p);
}

/* Usage errors: unknown options, bad values, stray operands are -EINVAL; --help is its own code. */
static void opt_parse_errors(void **state)
{
	static const struct { const char *argv[4]; int want; } t[] = {
		{ { "x", "--reps", "3" }, 3 },
		{ { "x", "--reps=4" }, 2 },
		{ { "x", "--bogus" }, -EINVAL },
		{ { "x", "--reps", "3x" }, -EINVAL },
		{ { "x", "--reps" }, -EINVAL },
		{ { "x", "--perf", "yes" }, -EINVAL },
		{ { "x", "--help" }, NB_OPT_HELP },
		{ { "x", "operand", "--reps", "2" }, 3 },	/* options after operands, as getopt permutes */
	};
	struct nb_plan p;
	size_t i;
	int argc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct nb_optgroup g[] = { { nb_plan_knobs, &p }, { NULL } };
		char *argv[5] = { 0 };

		for (argc = 0; argc < 4 && t[i].argv[argc]; argc++)
			argv[argc] = (char *)t[i].argv[argc];
		nb_plan_defaults(&p, 2);
		assert_int_equal(nb_opt_parse("x", argc, argv, g), t[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(knobs_table),
		cmocka_unit_test(knobs_wire),
		cmocka_unit_test(knobs_cli),
		cmocka_unit_test(knobs_file),
		cmocka_unit_test(knobs_manifest),
		cmocka_unit_test(opt_parse_errors),
	};
	return cmocka_run_group_tests_name("knobs", tests, NULL, NULL);
}
