// SPDX-License-Identifier: GPL-2.0
/*
 * Exceptions at the emulated CPU: the -d int parser (strictness on made-up
 * lines, counts on an excerpt of a real log), the cost files, and the
 * model's invariants on a results directory.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "collect/excount.h"
#include "stats/exctab.h"
#include "stats/model.h"

static void parse_lines(const char *text, struct nb_exc_counts *c)
{
	struct nb_exc_parser *p = nb_exc_parser_create();
	const char *s = text, *nl;

	assert_non_null(p);
	for (; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		assert_non_null(nl);
		nb_exc_parser_line(p, s, nl - s + 1);
	}
	nb_exc_parser_finish(p, c);
	nb_exc_parser_free(p);
}

/* One FP trap from EL1 at the guest vectors, L0's own SVC (which marks its vector base), one ERET. */
#define FP_TRAP	"Taking exception 12 [Hypervisor Trap] on CPU 1\n...from EL1 to EL2\n" \
		"...with ESR 0x7/0x1fe00000\n...with SPSR 0x3c5\n...with ELR 0xffff800080123456\n" \
		"...to EL2 PC 0xffff800081d6b400 PSTATE 0x3c9\n"
#define HOST_SVC "Taking exception 2 [SVC] on CPU 0\n...from EL0 to EL2\n...with ESR 0x15/0x56000000\n" \
		"...with SPSR 0x0\n...with ELR 0xaaaa0000\n...to EL2 PC 0xffff800080010400 PSTATE 0x3c9\n"
#define ERET	"Exception return from AArch64 EL2 to AArch64 EL1 PC 0xffff800080123456\n"

struct line_case {
	const char *name, *text;
	uint64_t records, el2, host, exits, fp, bad, unknown, eret_el2;
};

static const struct line_case line_cases[] = {
	{ "fp trap, host svc, eret", FP_TRAP HOST_SVC ERET, 2, 2, 1, 1, 1, 0, 0, 1 },
	{ "lead-in lines before the first record are not errors",
	  "...with ELR 0x1\n...to EL2 PC 0x10400 PSTATE 0x3c9\n" FP_TRAP, 1, 1, 0, 1, 1, 0, 2, 0 },
	{ "EL out of range", "Taking exception 12 [Hypervisor Trap] on CPU 1\n...from EL4 to EL2\n",
	  0, 0, 0, 0, 0, 1, 0, 0 },
	{ "ESR's EC disagrees with its syndrome",
	  "Taking exception 12 [Hypervisor Trap] on CPU 1\n...from EL1 to EL2\n...with ESR 0x7/0x5a000000\n",
	  0, 0, 0, 0, 0, 1, 0, 0 },
	{ "hex too long", "Taking exception 12 [Hypervisor Trap] on CPU 1\n...from EL1 to EL2\n"
	  "...with ELR 0x12345678901234567\n", 0, 0, 0, 0, 0, 1, 0, 0 },
	{ "a record cut short by the next", "Taking exception 12 [Hypervisor Trap] on CPU 1\n" FP_TRAP,
	  1, 1, 0, 1, 1, 1, 0, 0 },
	{ "target EL disagrees", "Taking exception 12 [Hypervisor Trap] on CPU 1\n...from EL1 to EL2\n"
	  "...to EL1 PC 0x400 PSTATE 0x5\n", 0, 0, 0, 0, 0, 1, 0, 0 },
	{ "trailing junk", ERET "Exception return from AArch64 EL2 to AArch64 EL1 PC 0x10 x\n",
	  0, 0, 0, 0, 0, 1, 0, 1 },
	{ "a line of no known format", "hello\n" FP_TRAP, 1, 1, 0, 1, 1, 0, 1, 0 },
	{ "PSCI handled by QEMU", "Taking exception 11 [Hypervisor Call] on CPU 0\n...from EL2 to EL2\n"
	  "...with ESR 0x16/0x5a000000\n...handled as PSCI call\n", 0, 0, 0, 0, 0, 0, 0, 0 },
};

static void lines(void **state)
{
	struct nb_exc_counts c;
	size_t i;

	for (i = 0; i < sizeof(line_cases) / sizeof(line_cases[0]); i++) {
		const struct line_case *t = &line_cases[i];

		parse_lines(t->text, &c);
		if (c.records != t->records || c.el2 != t->el2 || c.el2_host != t->host ||
		    c.exits != t->exits || c.exit[NB_XC_FP] != t->fp || c.bad != t->bad ||
		    c.unknown != t->unknown || c.eret_el2 != t->eret_el2)
			fail_msg("%s: records %llu el2 %llu host %llu exits %llu fp %llu bad %llu unknown %llu eret %llu",
				 t->name, (unsigned long long)c.records, (unsigned long long)c.el2,
				 (unsigned long long)c.el2_host, (unsigned long long)c.exits,
				 (unsigned long long)c.exit[NB_XC_FP], (unsigned long long)c.bad,
				 (unsigned long long)c.unknown, (unsigned long long)c.eret_el2);
	}
}

/* vEL2 is pinned by an ERET trap, an EL2 sysreg trap (Op1 4), and SPSR.M = EL2 at EL1. */
static void vel2_attribution(void **state)
{
	struct nb_exc_counts c;

	parse_lines(HOST_SVC
		    "Taking exception 12 [Hypervisor Trap] on CPU 0\n...from EL1 to EL2\n"
		    "...with ESR 0x1a/0x68000000\n...with SPSR 0x3c5\n...with ELR 0xffff800080aaa000\n"
		    "...to EL2 PC 0xffff800081d6b400 PSTATE 0x3c9\n"
		    "Taking exception 12 [Hypervisor Trap] on CPU 0\n...from EL1 to EL2\n"
		    "...with ESR 0x18/0x62310000\n...with SPSR 0x3c5\n...with ELR 0xffff800080aaa004\n"
		    "...to EL2 PC 0xffff800081d6b400 PSTATE 0x3c9\n"
		    "Taking exception 12 [Hypervisor Trap] on CPU 0\n...from EL1 to EL2\n"
		    "...with ESR 0x18/0x62300000\n...with SPSR 0x3c5\n...with ELR 0xffff800080aaa008\n"
		    "...to EL2 PC 0xffff800081d6b400 PSTATE 0x3c9\n"
		    "Taking exception 5 [IRQ] on CPU 0\n...from EL1 to EL1\n...with ESR 0x0/0x0\n"
		    "...with SPSR 0x3c9\n...with ELR 0xffff800080aaa00c\n"
		    "...to EL1 PC 0xffff800080010280 PSTATE 0x3c5\n"
		    "Taking exception 5 [IRQ] on CPU 0\n...from EL1 to EL1\n...with ESR 0x0/0x0\n"
		    "...with SPSR 0x3c5\n...with ELR 0xffff800080aaa00c\n"
		    "...to EL1 PC 0xffff800080010280 PSTATE 0x3c5\n", &c);
	assert_int_equal(c.exits, 3);
	assert_int_equal(c.exit[NB_XC_ERET], 1);
	assert_int_equal(c.exit[NB_XC_SYSREG], 2);
	assert_int_equal(c.exit_vel2, 2);	/* ERET + Op1=4; the Op1=0 trap could be either */
	assert_int_equal(c.eret_pc[0].pc, 0xffff800080aaa000ull);
	assert_int_equal(c.el1, 2);
	assert_int_equal(c.el1_vel2, 1);
	assert_int_equal(c.el1_el1, 1);
}

/*
 * A real log: the excerpt's counts as tests/fixtures/cpu-int/count.py makes
 * them (el2=127 host=19 exits=108 fp=3 eret=9 el1=10 el1_vel2=5 el1_el1=2
 * eret_el2=126 eret_el1=5), and nestbench finds L0's vector base itself.
 */
static void real_excerpt(void **state)
{
	struct nb_exc_counts c;

	assert_int_equal(nb_exc_parse_file("tests/fixtures/cpu-int/depth2-base-excerpt.log", &c), 0);
	assert_int_equal(c.bad, 0);
	assert_int_equal(c.unknown, 0);
	assert_int_equal(c.el2, 127);
	assert_int_equal(c.el2_host, 19);
	assert_int_equal(c.exits, 108);
	assert_int_equal(c.exit[NB_XC_FP], 3);
	assert_int_equal(c.exit[NB_XC_ERET], 9);
	assert_int_equal(c.el1, 10);
	assert_int_equal(c.el1_vel2, 5);
	assert_int_equal(c.el1_el1, 2);
	assert_int_equal(c.eret_el2, 126);
	assert_int_equal(c.eret_el1, 5);
	assert_true(c.exit_vel2 >= c.exit[NB_XC_ERET]);
	assert_int_equal(nb_exc_parse_file("tests/fixtures/cpu-int/no-such.log", &c), -ENOENT);
}

static void classes(void **state)
{
	static const struct { unsigned int ec; enum nb_exc_class k; } t[] = {
		{ 0x07, NB_XC_FP }, { 0x19, NB_XC_FP }, { 0x18, NB_XC_SYSREG }, { 0x1a, NB_XC_ERET },
		{ 0x16, NB_XC_HVC }, { 0x24, NB_XC_DABT }, { 0x25, NB_XC_DABT }, { 0x20, NB_XC_IABT },
		{ 0x01, NB_XC_WFX }, { 0x2f, NB_XC_OTHER }, { 0x00, NB_XC_OTHER },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(nb_exc_class_of_ec(t[i].ec), t[i].k);
	for (i = 0; i < nb_exc_ncolumns; i++)
		assert_non_null(nb_exc_column_name(i));
	assert_null(nb_exc_column_name(nb_exc_ncolumns));
}

/* --- cost files --- */

static void altra_file_is_the_default(void **state)
{
	struct nb_cpu_costs f, d;
	char err[512];
	int k;

	assert_int_equal(nb_cpu_costs_read("cpus/altra.ini", &f, err, sizeof(err)), 0);
	nb_cpu_costs_default(&d);
	assert_true(f.ns_per_insn == d.ns_per_insn && f.el1 == d.el1);
	for (k = 0; k < NB_XC_NR; k++) {
		assert_true(f.exit[k] == d.exit[k]);
		assert_string_equal(f.src_exit[k], d.src_exit[k]);
	}
	assert_int_equal(nb_cpu_costs_read("cpus/kunpeng920.ini", &f, err, sizeof(err)), 0);
	assert_true(f.exit[NB_XC_HVC] == 408);
}

static const struct { const char *name, *text, *err; } bad_costs[] = {
	{ "unknown key", "exit_foo = 1\n", "unknown key" },
	{ "negative", "exit_hvc = -1\n", "not a cost" },
	{ "too large", "exit_hvc = 2e6\n", "not a cost" },
	{ "not a number", "exit_hvc = 3OO\n", "not a cost" },
	{ "section", "[x]\nexit_hvc = 1\n", "no sections" },
	{ "missing keys", "exit_hvc = 1\n", "no value for" },
};

static void bad_cost_files(void **state)
{
	char path[] = "/tmp/nb-test-costs-XXXXXX", err[512];
	struct nb_cpu_costs c;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(bad_costs) / sizeof(bad_costs[0]); i++) {
		strcpy(path, "/tmp/nb-test-costs-XXXXXX");
		fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, bad_costs[i].text, strlen(bad_costs[i].text)),
				 (ssize_t)strlen(bad_costs[i].text));
		close(fd);
		err[0] = '\0';
		if (nb_cpu_costs_read(path, &c, err, sizeof(err)) != -EINVAL || !strstr(err, bad_costs[i].err))
			fail_msg("%s: accepted or wrong message: %s", bad_costs[i].name, err);
		unlink(path);
	}
}

/* --- the model --- */

static void model_terms(void **state)
{
	struct nb_cpu_costs c;
	struct nb_model_in in = { .insns = 1000, .el1 = 10 };

	memset(&c, 0, sizeof(c));
	c.ns_per_insn = 1;
	in.exit[NB_XC_FP] = 3;
	in.exit[NB_XC_IRQ] = 2;
	assert_true(nb_model_ns(&c, &in) == 1000);	/* zero exception cost: instructions only */
	c.exit[NB_XC_FP] = 100;
	c.el1 = 5;
	assert_true(nb_model_ns(&c, &in) == 1000 + 300 + 50);
	assert_true(nb_model_ns_uniform(&c, &in, 7) == 1000 + 5 * 7 + 50);
}

#define EXC_DIR	"tests/fixtures/results-exc"

/* The fixture's exception set, as the report takes it from the loaded results. */
static int exc_set(struct nb_exc_set *s)
{
	struct nb_results *r;
	char err[256];
	int ret = nb_results_load(EXC_DIR, &r, err, sizeof(err));

	if (ret)
		fail_msg("%s", err);
	ret = nb_exc_set_take(r, s);
	nb_results_free(r);
	return ret;
}

/* Per I/O from the timing rows that have counts; warm-ups and broken logs left out. */
static void set_per_io(void **state)
{
	struct nb_exc_set s;
	const struct nb_exc_arm *b, *p;

	assert_int_equal(exc_set(&s), 0);
	assert_int_equal(s.n, 2);
	b = &s.arm[s.base];
	p = &s.arm[1 - s.base];
	assert_string_equal(b->name, "base");
	assert_int_equal(b->nrows, 2);		/* the warm-up and the counting row are not used */
	assert_int_equal(p->nrows, 1);		/* the row with cpu.bad > 0 is not */
	assert_int_equal(s.skipped_bad, 1);
	assert_true(b->counted_in_timing);
	assert_true(fabs(b->per_io[nb_exc_col("cpu.exit_fp")] - 3.0) < 1e-12);
	assert_true(fabs(p->per_io[nb_exc_col("cpu.exit_fp")] - 1.0) < 1e-12);
	assert_true(fabs(b->insn_per_io - (1500000.0 + 1600000.0) / 2 / 2048) < 1e-9);
	assert_int_equal(b->ntrace, 1);		/* the counting row has the tracepoint */
	assert_true(b->cpu_eret == 2100 && b->tp_eret == 2000);
}

/*
 * The invariants of the issue: with zero exception cost and 1 ns per
 * instruction the model gives the icount io time per I/O of the same
 * repetitions; every ns per exit adds exactly the exits counted.
 */
static void model_invariants(void **state)
{
	struct nb_cpu_costs zero;
	struct nb_model_in in;
	struct nb_exc_set s;
	const struct nb_exc_arm *b;
	double exits;

	assert_int_equal(exc_set(&s), 0);
	b = &s.arm[s.base];
	memset(&zero, 0, sizeof(zero));
	zero.ns_per_insn = 1;
	assert_int_equal(nb_model_arm(b, &in), 0);
	assert_true(fabs(nb_model_ns(&zero, &in) - b->io_ns / 2048) < 1e-9);
	exits = b->per_io[nb_exc_col("cpu.exits")];
	assert_true(fabs(nb_model_ns_uniform(&zero, &in, 1000) - nb_model_ns(&zero, &in) - 1000 * exits) < 1e-6);
}

static void report_text(void **state)
{
	struct nb_cpu_costs c;
	struct nb_exc_set s;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(exc_set(&s), 0);
	nb_cpu_costs_default(&c);
	nb_exc_report(f, &s);
	nb_model_report(f, &s, &c);
	fclose(f);
	assert_non_null(strstr(buf, "patched vs base: removes 2.00 FP/SIMD/SVE access traps to L0 per I/O"));
	assert_non_null(strstr(buf, "A MODEL, NOT A MEASUREMENT"));
	assert_non_null(strstr(buf, "2100 / 2000 = 1.050"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines),
		cmocka_unit_test(vel2_attribution),
		cmocka_unit_test(real_excerpt),
		cmocka_unit_test(classes),
		cmocka_unit_test(altra_file_is_the_default),
		cmocka_unit_test(bad_cost_files),
		cmocka_unit_test(model_terms),
		cmocka_unit_test(set_per_io),
		cmocka_unit_test(model_invariants),
		cmocka_unit_test(report_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
