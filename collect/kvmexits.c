// SPDX-License-Identifier: GPL-2.0
/*
 * perf kvm stat's report, read as untrusted text: see collect/kvmexits.h.
 * perf prints (builtin-kvm.c, print_result):
 *
 *   VM-EXIT    Samples  Samples%     Time%    Min Time    Max Time         Avg time
 *
 *   DABT_LOW      1234    40.00%    10.00%      1.00us     90.00us      3.00us ( +-   2.00% )
 *
 *   Total Samples:3085, Total events handled time:...us.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/counters.h"
#include "collect/kvmexits.h"
#include "collect/perfstat.h"
#include "stack/util.h"

#define MAX_US	1e9
#define MAX_EXITS NB_COUNT_MAX	/* 64 rows of it still add up in 64 bits */

static int name_ok(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

	return n && !s[n] && n < NB_KVMX_NAME;
}

/* "12.34us" into v, from 0 to MAX_US. */
static int us(char *tok, double *v)
{
	size_t n = tok ? strlen(tok) : 0;

	if (n < 3 || strcmp(tok + n - 2, "us"))
		return -1;
	tok[n - 2] = '\0';
	return nb_parse_real(tok, 0, MAX_US, v);
}

static int take_row(struct nb_kvmexits *e, char *line, char *why, size_t len)
{
	char *save = NULL, *name = strtok_r(line, " \t", &save), *count = strtok_r(NULL, " \t", &save);
	struct nb_kvmexit *x = &e->x[e->n];
	size_t i;

	if (!name_ok(name))
		return nb_invalid(why, len, "exit reason '%.40s' is not a name", name);
	for (i = 0; i < e->n; i++)
		if (!strcmp(e->x[i].reason, name))
			return nb_invalid(why, len, "exit reason %s twice", name);
	if (e->n == NB_KVMX_MAX)
		return nb_invalid(why, len, "more than %d exit reasons", NB_KVMX_MAX);
	if (!count || nb_parse_u64(count, MAX_EXITS, &x->n))
		return nb_invalid(why, len, "%s: count '%.40s' is not a number", name, count ? count : "");
	strtok_r(NULL, " \t", &save);	/* Samples%, Time%: perf's own ratios, not used */
	strtok_r(NULL, " \t", &save);
	if (us(strtok_r(NULL, " \t", &save), &x->min_us) || us(strtok_r(NULL, " \t", &save), &x->max_us) ||
	    us(strtok_r(NULL, " \t", &save), &x->mean_us))
		return nb_invalid(why, len, "%s: times are not microseconds", name);
	if (x->min_us > x->mean_us || x->mean_us > x->max_us)
		return nb_invalid(why, len, "%s: times are not min <= mean <= max", name);
	snprintf(x->reason, sizeof(x->reason), "%s", name);
	e->n++;
	return 0;
}

static int header(const char *line)
{
	char a[16], b[16];

	return sscanf(line, " %15s %15s", a, b) == 2 && !strcmp(a, "VM-EXIT") && !strcmp(b, "Samples");
}

static int check_total(const struct nb_kvmexits *e, char *why, size_t len)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < e->n; i++)
		sum += e->x[i].n;
	if (sum != e->total)
		return nb_invalid(why, len, "the rows add up to %llu exits, perf's total says %llu",
			   (unsigned long long)sum, (unsigned long long)e->total);
	return 0;
}

/* perf's arm64 table (arm64_exception_types.h) stops at BRK64 and skips these. */
const char *nb_kvmexit_ec_name(unsigned int ec)
{
	static const struct { unsigned int ec; const char *name; } t[] = {
		{ 0x1a, "ERET" }, { 0x1c, "FPAC" }, { 0x1d, "SME" }, { 0x27, "MOPS" }, { 0x2d, "GCS" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].ec == ec)
			return t[i].name;
	return NULL;
}

void nb_kvmexits_unnamed(const struct nb_kvmexits *e, char *out, size_t len)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < e->nunnamed && n < len; i++) {
		const char *name = nb_kvmexit_ec_name(e->unnamed[i]);

		n += snprintf(out + n, len - n, "%s0x%02x%s%s%s", i ? ", " : "", e->unnamed[i],
			      name ? " (" : "", name ? name : "", name ? ")" : "");
	}
}

/* perf's "unknown kvm exit code:26 on arm64", once per exit: the EC, kept once. */
static int take_unnamed(struct nb_kvmexits *e, const char *line, char *why, size_t len)
{
	char num[16], rest[16];
	uint64_t ec;
	size_t i;

	if (sscanf(line, "unknown kvm exit code:%15[0-9] on %15s", num, rest) != 2)
		return 0;
	if (nb_parse_u64(num, 63, &ec))
		return nb_invalid(why, len, "exit code '%s' is not an exception class (0 to 63)", num);
	for (i = 0; i < e->nunnamed; i++)
		if (e->unnamed[i] == ec)
			return 0;
	if (e->nunnamed < NB_KVMX_UNNAMED)
		e->unnamed[e->nunnamed++] = ec;
	return 0;
}

/* After the header: rows, then "Total Samples:N, ..." (state 2), then perhaps "Lost events: N". */
static int take_line(struct nb_kvmexits *e, char *line, int *state, char *why, size_t len)
{
	char num[32];

	if (*state == 0) {
		*state = header(line);
		return 0;
	}
	if (!line[strspn(line, " \t")])
		return 0;
	if (*state == 1 && sscanf(line, "Total Samples:%31[0-9]", num) == 1) {
		*state = 2;
		if (nb_parse_u64(num, MAX_EXITS * NB_KVMX_MAX, &e->total))
			return nb_invalid(why, len, "total '%s' is not a number", num);
		return check_total(e, why, len);
	}
	if (*state == 1)
		return take_row(e, line, why, len);
	if (sscanf(line, "Lost events: %31[0-9]", num) == 1 && nb_parse_u64(num, MAX_EXITS, &e->lost))
		return nb_invalid(why, len, "lost events '%s' is not a number", num);
	return 0;
}

int nb_kvmexits_parse(const char *text, struct nb_kvmexits *e, char *why, size_t whylen)
{
	char *copy = strdup(text), *line, *save = NULL;
	int state = 0, ret = 0;

	memset(e, 0, sizeof(*e));
	if (!copy)
		return nb_invalid(why, whylen, "out of memory");
	for (line = strtok_r(copy, "\n", &save); line && !ret; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, NB_PERF_FAILED, strlen(NB_PERF_FAILED)))
			ret = nb_invalid(why, whylen, "%.200s", line + 2);
		else if (!strncmp(line, "unknown kvm exit code:", 22))
			ret = take_unnamed(e, line, why, whylen);
		else
			ret = take_line(e, line, &state, why, whylen);
	}
	free(copy);
	if (!ret && state != 2)
		ret = nb_invalid(why, whylen, state ? "no Total Samples line" : "not a perf kvm stat report (no VM-EXIT table)");
	return ret;
}
