// SPDX-License-Identifier: GPL-2.0
/*
 * The mail block (stats/mail.h) on the committed reference results: its
 * line and column limits and what it says; the claim (expect =) and the
 * CI gate (fail_if =) of stats/gate.h, parsed and held against them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "stack/util.h"
#include "stats/gate.h"
#include "stats/mail.h"
#include "stats/results.h"
#include "stats/summary.h"
#include "tests/unit/fixtures.h"

/* The block for dir, checked against the limits; caller frees. */
static char *mail_of(const char *dir)
{
	struct nb_results *r = nb_test_load(dir);
	char *out = NULL, *p, *nl;
	size_t len = 0, lines = 0;
	FILE *f = open_memstream(&out, &len);

	nb_write_mail(f, r);
	fclose(f);
	nb_results_free(r);
	print_message("%s", out);
	for (p = out; *p; p = nl + 1, lines++) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		assert_true(nl - p <= NB_MAIL_COLS);
	}
	assert_true(lines >= 5 && lines <= NB_MAIL_LINES);
	return out;
}

/* The line that starts with prefix, as a copy; NULL if none. */
static char *line_of(const char *text, const char *prefix)
{
	static char line[256];
	const char *p = text;

	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, prefix, strlen(prefix))) {
			snprintf(line, sizeof(line), "%.*s", (int)strcspn(p, "\n"), p);
			return line;
		}
	return NULL;
}

static void mail_on_references(void **state)
{
	static const struct { const char *dir, *depth, *io_delta, *claim, *fp_delta; int rows; } t[] = {
		/* -2.9 %, p=2e-4: decided, no '~' */
		{ "reference/nv-fp-eret", "depth 3", "-2.9% (-3.5..-2.3)",
		  "claim -10% io_ns: patched -2.9% (-3.5..-2.3): RULED OUT, outside CI",
		  "-100.0% (-100.1..-99.9)", 7 },
		/* p=0.15: '~' */
		{ "reference/exceptions-d2", "depth 2", "~ -0.9% (-3.5..+1.9)", NULL, "-100.0%", 4 },
		/* one boot per arm: no CI at all; a counter's change, said to rest on 1+1 boots */
		{ "reference/exceptions-d3", "depth 3", "n/a (< 2 boots)", NULL,
		  "1.133             0 -100.0% (1+1 boots, no CI)", 7 },
	};
	char *out, *l;
	size_t i;
	int rows;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		out = mail_of(t[i].dir);
		assert_non_null(strstr(out, "EMULATED: "));
		assert_true(out == strstr(out, "EMULATED: "));	/* line 1 */
		assert_non_null(strstr(strchr(out, '\n'), t[i].depth));
		assert_non_null(strstr(out, "icount clock"));
		assert_non_null(line_of(out, "  base     7.2.12 + revert-nv-fp-eret.patch (1a20dac9174a)"));
		assert_non_null(line_of(out, "  patched  7.2.12, no patch"));
		l = line_of(out, "io time [ms]");
		assert_non_null(l);
		assert_non_null(strstr(l, t[i].io_delta));
		l = line_of(out, "L0.fp/transition");
		assert_non_null(l);
		assert_null(strstr(l, "~"));
		assert_non_null(strstr(l, t[i].fp_delta));
		for (rows = 0, l = out; (l = strstr(l, "\nL")); l++)
			rows++;
		assert_int_equal(rows + 1, t[i].rows);	/* io time, then the explaining counters */
		if (t[i].claim)	/* the flagship's expect = -10%, the seed's claim */
			assert_non_null(line_of(out, t[i].claim));
		else
			assert_null(strstr(out, "claim"));
		free(out);
	}
}

/* The setup line says every arm's boots, whole: listed where they fit, else counted. */
static void mail_setup_line(void **state)
{
	static const struct { const char *dir, *line; } t[] = {
		{ "reference/nv-fp-eret", "nv-fp-eret: fio, depth 3; boots per arm: base 3, patched 3" },
		{ "reference/exceptions-d3", "exceptions-d3: fio, depth 3; boots per arm: base 1, patched 1" },
		/* "base 2, l1-l2 2, l0-only 2, all 2" would end at column 75 */
		{ "reference/attribution", "attribution: fio, depth 3; boots per arm: 2 each (4 arms)" },
	};
	char *out, *l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		out = mail_of(t[i].dir);
		l = line_of(out, t[i].line);
		assert_non_null(l);
		assert_string_equal(l, t[i].line);
		free(out);
	}
}

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/nb-test-mail.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char *argv[] = { "/bin/rm", "-rf", dir, NULL };
	pid_t pid = nb_spawn(argv, -1, -1);
	int status;

	return pid > 0 && waitpid(pid, &status, 0) == pid && status == 0 ? 0 : -1;
}

static void copy(const char *from, const char *name)
{
	char src[256], dst[256], buf[65536];
	FILE *in, *out;
	size_t n;

	snprintf(src, sizeof(src), "%s/%s", from, name);
	snprintf(dst, sizeof(dst), "%s/%s", dir, name);
	in = fopen(src, "r");
	out = fopen(dst, "w");
	assert_true(in && out);
	while ((n = fread(buf, 1, sizeof(buf), in)))
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* The flagship with expect = TEXT in its manifest, as an experiment records it. */
static void flagship_expecting(const char *text)
{
	struct json_object *m = json_object_from_file("reference/nv-fp-eret/manifest.json");
	char path[128];

	assert_non_null(m);
	json_object_object_add(m, "expect", json_object_new_string(text));
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	assert_int_equal(json_object_to_file(path, m), 0);
	json_object_put(m);
	copy("reference/nv-fp-eret", "reps.csv");
	copy("reference/nv-fp-eret", "boots.csv");
}

static void claim_line(void **state)
{
	static const struct { const char *expect, *line; } t[] = {
		{ "-3%", "claim -3% io_ns: patched -2.9% (-3.5..-2.3): consistent, inside CI" },
		{ "-10%", "claim -10% io_ns: patched -2.9% (-3.5..-2.3): RULED OUT, outside CI" },
		{ "-20%", "claim -20% io_ns: patched -2.9% (-3.5..-2.3): RULED OUT, outside CI" },
		{ "+1%", "claim +1% io_ns: patched -2.9% (-3.5..-2.3): RULED OUT, outside CI" },
		{ "L0.eret_ns -8%", "claim -8% L0.eret_ns: patched -7.8% (-8.0..-7.6): consistent, inside CI" },
		{ "x;rm -rf /", "claim: manifest.json: expect 'x;rm -rf /'" },	/* untrusted: said, not used */
	};
	size_t i;
	char *out;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		flagship_expecting(t[i].expect);
		out = mail_of(dir);
		assert_non_null(line_of(out, t[i].line));
		free(out);
	}
}

static void claim_and_gate_parse(void **state)
{
	static const struct { const char *s; int ok; const char *key; char op; double pct; } gates[] = {
		{ "io_ns>+2%", 1, "io_ns", '>', 2 },
		{ "io_ns<-5.5%", 1, "io_ns", '<', -5.5 },
		{ "L0.fp_save>0%", 1, "L0.fp_save", '>', 0 },
		{ "io_ns>2", 0, "", 0, 0 }, { "io_ns>%", 0, "", 0, 0 }, { ">2%", 0, "", 0, 0 },
		{ "io_ns=2%", 0, "", 0, 0 }, { "io ns>2%", 0, "", 0, 0 }, { "io_ns>2%%", 0, "", 0, 0 },
		{ "io_ns>1e9%", 0, "", 0, 0 }, { "io_ns>nan%", 0, "", 0, 0 }, { "io_ns>2% ", 0, "", 0, 0 },
		{ "$(id)>2%", 0, "", 0, 0 },
	};
	static const struct { const char *s; int ok; const char *key; double pct; } claims[] = {
		{ "-10%", 1, "", -10 }, { " +3.5% ", 1, "", 3.5 }, { "L0.fp_save -90%", 1, "L0.fp_save", -90 },
		{ "-10", 0, "", 0 }, { "ten%", 0, "", 0 }, { "a;b -1%", 0, "", 0 },
		{ "io_ns -1% x", 0, "", 0 }, { "", 0, "", 0 },
	};
	struct nb_gate g;
	struct nb_claim c;
	char why[256];
	size_t i;

	for (i = 0; i < sizeof(gates) / sizeof(gates[0]); i++) {
		assert_int_equal(nb_gate_parse(gates[i].s, &g, why, sizeof(why)), gates[i].ok ? 0 : -EINVAL);
		if (!gates[i].ok) {
			assert_non_null(strstr(why, "expected KEY>PCT%"));
			continue;
		}
		assert_string_equal(g.key, gates[i].key);
		assert_int_equal(g.op, gates[i].op);
		assert_true(g.pct == gates[i].pct);
	}
	for (i = 0; i < sizeof(claims) / sizeof(claims[0]); i++) {
		assert_int_equal(nb_claim_parse(claims[i].s, &c, why, sizeof(why)), claims[i].ok ? 0 : -EINVAL);
		if (claims[i].ok) {
			assert_string_equal(c.key, claims[i].key);
			assert_true(c.pct == claims[i].pct);
		}
	}
}

/* Only a decided (significant) change crosses a gate. */
static void gate_on_references(void **state)
{
	static const struct { const char *dir, *gate; int crossed; } t[] = {
		{ "reference/nv-fp-eret", "io_ns<-2%", 1 },	/* -2.9 %, significant */
		{ "reference/nv-fp-eret", "io_ns<-4%", 0 },	/* not that far */
		{ "reference/nv-fp-eret", "io_ns>+2%", 0 },
		{ "reference/nv-fp-eret", "L0.fp_per_transition<-50%", 1 },
		{ "reference/exceptions-d2", "io_ns<-0.5%", 0 },	/* -0.9 %, past it, but p=0.31: not decided */
		{ "reference/exceptions-d3", "io_ns<-1%", 0 },	/* one boot per arm: no verdict */
		{ "reference/nv-fp-eret", "io_nss>1%", -ENOENT },
	};
	struct nb_results *r;
	struct nb_gate g;
	char why[512];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		r = nb_test_load(t[i].dir);
		assert_int_equal(nb_gate_parse(t[i].gate, &g, why, sizeof(why)), 0);
		why[0] = 0;
		assert_int_equal(nb_gate_check(r, &g, why, sizeof(why)), t[i].crossed);
		print_message("# %s %s: %s\n", t[i].dir, t[i].gate, why);
		if (t[i].crossed > 0)
			assert_non_null(strstr(why, "patched vs base changed"));
		nb_results_free(r);
	}
}

/* Every key of obj (and below it) named in doc as `key`; the keys of a "variants" object are names. */
static void keys_documented(struct json_object *obj, const char *doc, int names)
{
	char quoted[80];
	size_t i;

	if (json_object_is_type(obj, json_type_array)) {
		for (i = 0; i < json_object_array_length(obj); i++)
			keys_documented(json_object_array_get_idx(obj, i), doc, 0);
		return;
	}
	if (!json_object_is_type(obj, json_type_object))
		return;
	json_object_object_foreach(obj, key, val) {
		snprintf(quoted, sizeof(quoted), "`%s`", key);
		if (!names && !strstr(doc, quoted))
			fail_msg("summary.json key %s is not in docs/results-format.md", key);
		keys_documented(val, doc, !names && !strcmp(key, "variants") &&
				json_object_is_type(val, json_type_object));
	}
}

/* summary.json says its schema, and docs/results-format.md lists every key it writes. */
static void summary_schema_documented(void **state)
{
	static const char *const refs[] = { "reference/nv-fp-eret", "reference/exceptions-d2" };
	struct json_object *j, *x;
	char path[128], err[256], *doc, *sec;
	struct nb_results *r;
	size_t i, len;

	doc = nb_read_file("docs/results-format.md", &len);
	assert_non_null(doc);
	sec = strstr(doc, "\n## summary.json");
	assert_non_null(sec);
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		r = nb_test_load(refs[i]);
		assert_int_equal(nb_write_summary_json(r, path, err, sizeof(err)), 0);
		nb_results_free(r);
		j = json_object_from_file(path);
		assert_non_null(j);
		assert_true(json_object_object_get_ex(j, "schema", &x));
		assert_int_equal(json_object_get_int(x), NB_SUMMARY_SCHEMA);
		keys_documented(j, sec, 0);
		json_object_put(j);
	}
	free(doc);
}

static void put(const char *name, const char *text)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(nb_write_file(path, text, strlen(text)), 0);
}

/* n arms of 2 boots (2 reps each), 2 counting reps with transitions at L0 and L1. */
static void arms_dir(int n, const char *manifest)
{
	char *csv = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&csv, &len);
	char path[128];
	int v, b, rep;

	fprintf(f, "variant,boot,rep,mode,warmup,clock,io_ns,L0.transitions,L1.transitions\n");
	for (v = 0; v < n; v++)
		for (b = 1; b <= 2; b++)
			for (rep = 1; rep <= 3; rep++)
				fprintf(f, "%s%.0d,%d,%d,%s,0,icount,%d,%s\n", v ? "arm" : "base", v,
					v * 10 + b, rep, rep < 3 ? "timing" : "counting",
					1000000 + v * 1000 + b * 10 + rep, rep < 3 ? "," : "100,50");
	fclose(f);
	put("reps.csv", csv);
	put("manifest.json", manifest);
	snprintf(path, sizeof(path), "%s/boots.csv", dir);
	unlink(path);
	free(csv);
}

/* Eight arms do not fit: the block stays in its limits and says how much report.txt has besides. */
static void mail_budget(void **state)
{
	char *out;

	arms_dir(8, "{ \"platform\": \"emulated\", \"depth\": 2 }");
	out = mail_of(dir);
	assert_non_null(strstr(out, "more lines: report.txt)\n"));
	free(out);
	arms_dir(2, "{ \"platform\": \"emulated\", \"depth\": 2 }");
	out = mail_of(dir);
	assert_null(strstr(out, "more lines"));
	assert_non_null(line_of(out, "L1.transitions"));
	free(out);
}

/* Line 1 names the hardware, or says the host is not. */
static void mail_banner(void **state)
{
	static const struct { const char *manifest, *line1; } t[] = {
		{ "{ \"platform\": \"host\", \"host\": { \"cpu\": \"Neoverse-V2\", \"virtual\": \"\" } }",
		  "HARDWARE: arm64 host (Neoverse-V2); icount clock" },
		{ "{ \"platform\": \"host\", \"host\": { \"cpu\": \"x\", \"virtual\": \"kvm (DMI)\" } }",
		  "VIRTUAL HOST (kvm (DMI)): not hardware numbers; icount clock" },
		{ "{ \"platform\": \"emulated\" }", "EMULATED: QEMU TCG arm64, not hardware numbers; icount clock" },
	};
	size_t i;
	char *out;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		arms_dir(2, t[i].manifest);
		out = mail_of(dir);
		assert_int_equal(strncmp(out, t[i].line1, strlen(t[i].line1)), 0);
		assert_int_equal(out[strlen(t[i].line1)], '\n');
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mail_on_references),
		cmocka_unit_test(mail_setup_line),
		cmocka_unit_test(claim_line),
		cmocka_unit_test(claim_and_gate_parse),
		cmocka_unit_test(gate_on_references),
		cmocka_unit_test(summary_schema_documented),
		cmocka_unit_test(mail_budget),
		cmocka_unit_test(mail_banner),
	};
	return cmocka_run_group_tests_name("mail", tests, setup, teardown);
}
