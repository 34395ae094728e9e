// SPDX-License-Identifier: GPL-2.0
/* perf kvm stat report, as the agent brings it, into L0's exits by reason. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "collect/kvmexits.h"
#include "stack/util.h"

#define HEAD	"                                 VM-EXIT    Samples  Samples%     Time%    Min Time    Max Time         Avg time \n\n"
#define DABT	"                                DABT_LOW       4102    63.56%    68.41%      2.10us     88.31us      6.91us ( +-   1.20% )\n"
#define SYS	"                                   SYS64       1733    26.85%    15.89%      1.35us     40.02us      3.80us ( +-   0.90% )\n"
#define TOTAL(n) "\nTotal Samples:" n ", Total events handled time:41436.27us.\n\n"

/* The fixture is perf's print_result() format, byte for byte (builtin-kvm.c). */
static void parse_fixture(void **state)
{
	char *text = nb_read_file("tests/fixtures/perf/kvm-stat.txt", NULL), why[256];
	struct nb_kvmexits e;

	assert_non_null(text);
	assert_int_equal(nb_kvmexits_parse(text, &e, why, sizeof(why)), 0);
	assert_int_equal(e.n, 5);
	assert_int_equal(e.total, 6454);
	assert_int_equal(e.lost, 0);
	assert_string_equal(e.x[0].reason, "DABT_LOW");
	assert_int_equal(e.x[0].n, 4102);
	assert_true(e.x[0].min_us == 2.10 && e.x[0].max_us == 88.31 && e.x[0].mean_us == 6.91);
	assert_string_equal(e.x[4].reason, "WFx");	/* perf's names are not all upper case */
	assert_true(e.x[4].mean_us == 400.10);
	free(text);
}

static void parse_table(void **state)
{
	static const struct { const char *text; int ok; size_t n; uint64_t lost; const char *why; } t[] = {
		{ HEAD DABT SYS TOTAL("5835"), 1, 2, 0, "" },
		{ "Warning: something perf says first\n" HEAD DABT SYS TOTAL("5835"), 1, 2, 0, "" },
		{ HEAD DABT SYS TOTAL("5835") "\nLost events: 17\n\n", 1, 2, 17, "" },
		{ HEAD TOTAL("0"), 1, 0, 0, "" },			/* no exit at all */
		{ HEAD DABT SYS TOTAL("5836"), 0, 0, 0, "the rows add up to 5835 exits, perf's total says 5836" },
		{ HEAD DABT DABT TOTAL("8204"), 0, 0, 0, "exit reason DABT_LOW twice" },
		{ HEAD DABT SYS, 0, 0, 0, "no Total Samples line" },
		{ DABT SYS TOTAL("5835"), 0, 0, 0, "not a perf kvm stat report" },
		{ "", 0, 0, 0, "not a perf kvm stat report" },
		{ HEAD "  DABT;LOW 4102 63.56% 68.41% 2.10us 88.31us 6.91us\n" TOTAL("4102"), 0, 0, 0,
		  "exit reason 'DABT;LOW' is not a name" },
		{ HEAD "  DABT_LOW -4102 63.56% 68.41% 2.10us 88.31us 6.91us\n" TOTAL("4102"), 0, 0, 0,
		  "DABT_LOW: count '-4102' is not a number" },
		{ HEAD "  DABT_LOW 99999999999999999999 1% 1% 2.10us 88.31us 6.91us\n" TOTAL("1"), 0, 0, 0,
		  "DABT_LOW: count" },
		{ HEAD "  DABT_LOW 1000000000000001 1% 1% 2.10us 88.31us 6.91us\n" TOTAL("1000000000000001"), 0, 0, 0,
		  "DABT_LOW: count" },	/* beyond 1e15: no machine's exits */
		{ HEAD "  DABT_LOW 4102 63.56% 68.41% 2.10us 88.31us 6.91\n" TOTAL("4102"), 0, 0, 0,
		  "DABT_LOW: times are not microseconds" },
		{ HEAD "  DABT_LOW 4102 63.56% 68.41% 2.10us nanus 6.91us\n" TOTAL("4102"), 0, 0, 0,
		  "DABT_LOW: times are not microseconds" },
		{ HEAD "  DABT_LOW 4102\n" TOTAL("4102"), 0, 0, 0, "DABT_LOW: times are not microseconds" },
		{ HEAD DABT TOTAL("4102") "Lost events: x\n", 1, 1, 0, "" },	/* not a Lost line perf writes */
		{ "unknown kvm exit code:26 on arm64\n" HEAD DABT SYS TOTAL("5835"), 1, 2, 0, "" },
		{ "unknown kvm exit code:64 on arm64\n" HEAD DABT SYS TOTAL("5835"), 0, 0, 0,
		  "exit code '64' is not an exception class" },
		{ "# nestbench: perf stat failed: perf kvm stat report: Timer expired\n", 0, 0, 0,
		  "nestbench: perf stat failed: perf kvm stat report: Timer expired" },
	};
	struct nb_kvmexits e;
	char why[256];
	unsigned i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int ret = nb_kvmexits_parse(t[i].text, &e, why, sizeof(why));

		if (t[i].ok) {
			if (ret)
				fail_msg("case %u: %s", i, why);
			assert_int_equal(e.n, t[i].n);
			assert_int_equal(e.lost, t[i].lost);
		} else {
			assert_int_equal(ret, -22);
			if (strncmp(why, t[i].why, strlen(t[i].why)))
				fail_msg("case %u: why '%s', want '%s'", i, why, t[i].why);
		}
	}
}

/* More reasons than arm64 has is not a report perf wrote. */
/* perf 7.3 has no name for ERET (EC 0x1a): its exits are UNKNOWN, and the lines say which EC. */
static void unnamed_ecs(void **state)
{
	static const char text[] = "unknown kvm exit code:26 on arm64\nunknown kvm exit code:26 on arm64\n"
		"unknown kvm exit code:45 on arm64\nunknown kvm exit code:17 on arm64\n" HEAD
		"  UNKNOWN 3 1% 1% 1.00us 1.00us 1.00us ( +- 1.00% )\n" TOTAL("3");
	struct nb_kvmexits e;
	char why[256], s[160];

	assert_int_equal(nb_kvmexits_parse(text, &e, why, sizeof(why)), 0);
	assert_int_equal(e.nunnamed, 3);
	nb_kvmexits_unnamed(&e, s, sizeof(s));
	assert_string_equal(s, "0x1a (ERET), 0x2d (GCS), 0x11");
}

static void too_many_reasons(void **state)
{
	char *text = malloc(100000), why[256];
	struct nb_kvmexits e;
	size_t n = 0;
	int i;

	assert_non_null(text);
	n += sprintf(text + n, "%s", HEAD);
	for (i = 0; i <= NB_KVMX_MAX; i++)
		n += sprintf(text + n, "  R%d 1 1%% 1%% 1.00us 1.00us 1.00us\n", i);
	sprintf(text + n, "%s", TOTAL("65"));
	assert_int_equal(nb_kvmexits_parse(text, &e, why, sizeof(why)), -22);
	assert_non_null(strstr(why, "more than 64 exit reasons"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_fixture),
		cmocka_unit_test(parse_table),
		cmocka_unit_test(unnamed_ecs),
		cmocka_unit_test(too_many_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
