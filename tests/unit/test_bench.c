// SPDX-License-Identifier: GPL-2.0
/* Experiment files, the balanced boot order, fio's JSON. */
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

#include "stack/platform.h"
#include "bench/experiment.h"
#include "bench/expcheck.h"
#include "bench/manifest.h"
#include "bench/reps.h"
#include "workloads/fio.h"
#include "stack/util.h"

static char *write_tmp(const char *text)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/nb-test-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void shipped_experiments_load(void **state)
{
	static const char *const files[] = { "experiments/nv-fp-eret-quick.ini", "experiments/nv-fp-eret.ini",
					     "experiments/attribution.ini", "experiments/aa.ini",
					     "experiments/control.ini", "experiments/nv-fp-eret-hackbench.ini",
					     "experiments/exceptions-d2.ini", "experiments/exceptions-d3.ini",
					     "tests/box/box.ini" };
	struct experiment e;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		assert_int_equal(exp_load(files[i], &e, err, sizeof(err)), 0);
		assert_true(e.nvariants >= 2);
	}
	exp_load("experiments/attribution.ini", &e, err, sizeof(err));
	assert_int_equal(e.plan.depth, 3);
	assert_string_equal(e.v[1].name, "l0-only");
	assert_string_equal(e.v[1].kernels[0], "patched");
	assert_string_equal(e.v[1].kernels[1], "base");
}

/* Table: a broken file and what the error must say (file:line and the problem). */
/* The looks the experiment records for its sequential design, as run_all() takes them. */
static void sequential_looks(void **state)
{
	static const struct { const char *file; int jobs; size_t n; size_t looks[8]; } t[] = {
		{ "experiments/nv-fp-eret-quick.ini", 2, 4, { 2, 3, 4, 5 } },	/* what nb-sim runs */
		{ "experiments/nv-fp-eret-quick.ini", 1, 3, { 2, 4, 5 } },	/* ABBA blocks */
		{ "experiments/nv-fp-eret-quick.ini", 4, 3, { 2, 4, 5 } },
		{ "experiments/control.ini", 2, 3, { 2, 3, 4 } },
	};
	struct experiment e;
	size_t looks[NB_MAX_BOOTS], i;
	char err[512];

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(exp_load(t[i].file, &e, err, sizeof(err)), 0);
		exp_plan(&e);
		assert_int_equal(exp_looks(&e, t[i].jobs, looks, NB_MAX_BOOTS), t[i].n);
		assert_memory_equal(looks, t[i].looks, t[i].n * sizeof(looks[0]));
		assert_false(exp_look_at(&e, t[i].jobs, 2));	/* one boot an arm: no CI yet */
	}
}

static void bad_experiments(void **state)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "[experiment]\nname = x\ndepht = 2\n[variant a]\nkernel = base\n[variant b]\nkernel = patched\n", ":3: unknown key" },
		{ "[experiment]\nname = x\ndepth = two\n[variant a]\nkernel = base\n[variant b]\nkernel = base\n", ":3: depth 'two': not a whole number" },
		{ "[experiment]\nname = x\n[variant a]\nkernel = base\n", "two or more [variant" },
		{ "[experiment]\nname = x\ndepth = 3\n[variant a]\nkernels = L0=base,L1=base\n[variant b]\nkernel = base\n", "no kernel for L2" },
		{ "[experiment]\ndepth = 2\n[variant a]\nkernel = base\n[variant b]\nkernel = base\n", "needs name" },
		{ "[experiment]\nname = x\nexpect = ten\n[variant a]\nkernel = base\n[variant b]\nkernel = patched\n", ":3: expect 'ten'" },
		{ "[experiment]\nname = x\nfail_if = io_ns>2\n[variant a]\nkernel = base\n[variant b]\nkernel = patched\n", ":3: fail_if 'io_ns>2'" },
		{ "[experiment]\nname = x\nfail_if = io ns>2%\n[variant a]\nkernel = base\n[variant b]\nkernel = patched\n", ":3: fail_if 'io ns>2%'" },
		{ "[experiment]\nname = x\nreps = 0\nextras_boots = 1\n[variant a]\nkernel = base\n[variant b]\nkernel = patched\n", ":4: extras_boots = 1 leaves the later boots nothing" },
	};
	struct experiment e;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = write_tmp(cases[i].text);

		assert_int_equal(exp_load(path, &e, err, sizeof(err)), -EINVAL);
		print_message("# %s\n", err);
		assert_non_null(strstr(err, path));
		assert_non_null(strstr(err, cases[i].msg));
		unlink(path);
	}
	assert_int_equal(exp_load("/nonexistent.ini", &e, err, sizeof(err)), -ENOENT);
}

/* manifest.json records them, where the report reads them back. */
static void manifest_has_claims(const struct experiment *e)
{
	static const char images[] = "host.qemu=q\nrootfs.qemu_guest=g\nrootfs.fio=f\n";
	char dir[] = "/tmp/nb-test-manifest-XXXXXX", path[128];
	struct json_object *m, *x;
	struct nb_plan p;

	assert_non_null(mkdtemp(dir));
	nb_plan_defaults(&p, 1);
	p.platform = NB_PLATFORM_EMULATED;	/* resolved, as the experiment does before writing */
	snprintf(path, sizeof(path), "%s/images.manifest", dir);	/* built nothing */
	assert_int_equal(nb_write_file(path, images, strlen(images)), 0);
	assert_int_equal(manifest_write(dir, e, &p, path), 0);
	nb_plan_free(&p);
	unlink(path);
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	m = json_object_from_file(path);
	assert_non_null(m);
	assert_true(json_object_object_get_ex(m, "expect", &x));
	assert_string_equal(json_object_get_string(x), "-10%");
	assert_true(json_object_object_get_ex(m, "fail_if", &x));
	assert_string_equal(json_object_get_string(x), "io_ns>+2%");
	json_object_put(m);
	unlink(path);
	rmdir(dir);
}

/* The claim and the gate an experiment file states are kept as written, for the manifest. */
static void claim_keys(void **state)
{
	char *path = write_tmp("[experiment]\nname = x\nexpect = -10%\nfail_if = io_ns>+2%\n"
			       "[variant a]\nkernel = base\n[variant b]\nkernel = patched\n");
	struct experiment e;
	char err[512];

	assert_int_equal(exp_load(path, &e, err, sizeof(err)), 0);
	assert_string_equal(e.expect, "-10%");
	assert_string_equal(e.fail_if, "io_ns>+2%");
	unlink(path);
	manifest_has_claims(&e);
}

/* Every block is a permutation then its reverse; seeded, so repeatable. */
static void abba_order(void **state)
{
	struct experiment e = { .nvariants = 3, .boots = 4, .seed = 11 }, f;
	int count[3] = { 0 }, i, j, blocks = 0;

	exp_plan(&e);
	assert_int_equal(e.nboots, 12);
	for (i = 0; i < e.nboots; i++)
		count[e.order[i]]++;
	assert_true(count[0] == 4 && count[1] == 4 && count[2] == 4);
	for (i = 0; i + 6 <= e.nboots; i += 6, blocks++)
		for (j = 0; j < 3; j++)
			assert_int_equal(e.order[i + j], e.order[i + 5 - j]);
	assert_int_equal(blocks, 2);
	f = e;
	exp_plan(&f);
	assert_memory_equal(e.order, f.order, sizeof(e.order));
	f.seed = 12;
	exp_plan(&f);
	e.nvariants = 2;	/* different seeds give different orders somewhere */
	for (i = 0, j = 0; i < 12; i++)
		j |= e.order[i] != f.order[i];
	assert_true(j);
}

/* Every batch of consecutive boots run side by side holds each arm equally often. */
static void batches_balanced(void **state)
{
	static const struct { int nvariants, boots, want, cores, emulated, icount, jobs; } t[] = {
		{ 2, 3, 0, 2, 1, 1, 2 },	/* default: the cores, under icount */
		{ 2, 5, 3, 2, 1, 1, 2 },	/* rounded down to a multiple of the arms */
		{ 2, 4, 4, 2, 1, 1, 4 },
		{ 2, 6, 6, 2, 1, 1, 6 },
		{ 3, 4, 0, 8, 1, 1, 6 },
		{ 4, 2, 0, 2, 1, 1, 2 },	/* fewer jobs than arms: the ABBA block balances */
		{ 2, 3, 0, 2, 1, 0, 1 },	/* a wall clock: one at a time by default */
		{ 2, 3, 0, 2, 0, 1, 1 },	/* an arm64 host: one at a time */
		{ 2, 3, 2, 2, 0, 1, -EINVAL },	/* ... and more is refused */
		{ 2, 3, 2, 2, 1, 0, -EINVAL },
	};
	struct experiment e = { 0 };
	unsigned int i;
	int b, k, v, seed, count[NB_MAX_VARIANTS_EXP];
	char err[256];

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		e.nvariants = t[i].nvariants;
		e.boots = t[i].boots;
		e.plan.icount = t[i].icount;
		assert_int_equal(exp_jobs(&e, t[i].emulated, t[i].want, t[i].cores, err, sizeof(err)), t[i].jobs);
		if (t[i].jobs < e.nvariants)
			continue;
		for (seed = 1; seed < 50; seed++) {
			e.seed = seed;
			exp_plan(&e);
			for (b = 0; b + t[i].jobs <= e.nboots; b += t[i].jobs) {
				memset(count, 0, sizeof(count));
				for (k = 0; k < t[i].jobs; k++)
					count[e.order[b + k]]++;
				for (v = 0; v < e.nvariants; v++)
					assert_int_equal(count[v], t[i].jobs / e.nvariants);
			}
		}
	}
}

/*
 * extras_boots = N: each arm's first N boots run the bare, counting and exit
 * repetitions, the later ones timing only; side by side in pairs, the first
 * batch holds both arms' first boots whatever the seed.
 */
static void extras_in_first_boots(void **state)
{
	static const char text[] = "[experiment]\nname = x\nboots = 3\nreps = 2\nbare = 1\n"
		"counting = 1\nexits = 1\nextras_boots = %d\n[variant a]\nkernel = base\n"
		"[variant b]\nkernel = patched\n";
	static const struct { int extras, last; } t[] = { { 0, 6 }, { 1, 2 }, { 2, 4 }, { 3, 6 } };
	struct experiment e;
	struct exp_done o;
	char buf[512], err[512], *path;
	size_t i;
	int b, seed;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(buf, sizeof(buf), text, t[i].extras);
		path = write_tmp(buf);
		assert_int_equal(exp_load(path, &e, err, sizeof(err)), 0);
		unlink(path);
		for (seed = 1; seed < 50; seed++) {
			e.seed = seed;
			exp_plan(&e);
			for (b = 1; b <= e.nboots; b++) {
				o = exp_boot_owed(&e, b);
				assert_int_equal(o.timing, 2);
				assert_int_equal(o.bare, b <= t[i].last);
				assert_int_equal(o.counting, b <= t[i].last);
				assert_int_equal(o.exits, b <= t[i].last);
			}
		}
	}
}

static void fio_json(void **state)
{
	char *text = nb_read_file("tests/fixtures/fio-randread.json", NULL);
	struct fio_result r;

	assert_non_null(text);
	assert_int_equal(fio_parse(text, &r), 0);
	assert_int_equal((int)r.ios, 2048);
	assert_true(r.iops > 10000 && r.iops < 11000);
	assert_int_equal((int)r.runtime_ms, 197);
	assert_true(r.p50_us > 90 && r.p50_us < 100);
	assert_true(r.p99_us >= r.p50_us);
	assert_int_equal(fio_parse("fio: some warning\n{ \"jobs\": [] }", &r), -EINVAL);
	assert_int_equal(fio_parse("not json", &r), -EINVAL);
	free(text);
}

/* The results directory's copy: an override replaces the file's key, which stays as a comment. */
static void overrides_replace_keys(void **state)
{
	static const char text[] = "[experiment]\nname = x\nboots = 3\nreps = 2\njobs = 1\n"
				   "[variant a]\nkernel = base\n[variant b]\nkernel = patched\n";
	struct experiment e;
	char err[512], *copy;

	copy = exp_with_overrides(strdup(text), 5, 0, 2, 0);
	assert_non_null(copy);
	assert_non_null(strstr(copy, "; overridden below: boots = 3\n"));
	assert_non_null(strstr(copy, "reps = 2\n"));	/* not overridden: kept */
	assert_null(strstr(copy, "; overridden below: reps"));
	assert_int_equal(exp_load_text(copy, strlen(copy), "copy.ini", &e, err, sizeof(err)), 0);
	assert_int_equal(e.boots, 5);
	assert_int_equal(e.plan.reps, 2);
	assert_int_equal(e.jobs, 2);
	free(copy);
	copy = exp_with_overrides(strdup(text), 0, 0, 0, 0);	/* none: the file as it is */
	assert_int_equal(exp_load_text(copy, strlen(copy), "copy.ini", &e, err, sizeof(err)), 0);
	assert_int_equal(e.boots, 3);
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(overrides_replace_keys),
		cmocka_unit_test(shipped_experiments_load),
		cmocka_unit_test(sequential_looks),
		cmocka_unit_test(bad_experiments),
		cmocka_unit_test(claim_keys),
		cmocka_unit_test(abba_order),
		cmocka_unit_test(batches_balanced),
		cmocka_unit_test(extras_in_first_boots),
		cmocka_unit_test(fio_json),
	};
	return cmocka_run_group_tests_name("bench", tests, NULL, NULL);
}
