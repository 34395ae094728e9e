// SPDX-License-Identifier: GPL-2.0
/* QEMU `-d int` CPU logs (`nestbench excount`, the excount repetitions): parsed line by line, attributed, printed. */
#include <stdio.h>

#include "collect/excount.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nb_exc_parser *p = nb_exc_parser_create();
	const char *s = (const char *)data, *end = s + size, *nl;
	struct nb_exc_counts c;
	char *buf = NULL;
	size_t len = 0, k, sum = 0;
	FILE *f;

	if (!p)
		abort();
	for (; s < end; s = nl + 1) {
		nl = memchr(s, '\n', end - s);
		if (!nl)
			nl = end;
		nb_exc_parser_line(p, s, nl - s + (nl < end));
	}
	nb_exc_parser_finish(p, &c);
	nb_exc_parser_free(p);
	for (k = 0; k < NB_XC_NR; k++)
		sum += c.exit[k];
	if (sum != c.exits || c.exit_el0 + c.exit_el1 > c.exits || c.exits > c.el2)
		abort();	/* the counts add up whatever the log says */
	f = open_memstream(&buf, &len);
	nb_exc_print(f, &c);
	nb_exc_print_detail(f, &c);
	fclose(f);
	free(buf);
	return 0;
}
