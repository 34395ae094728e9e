// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's `-d int` log (target/arm, QEMU 10.0) into exception counts. One
 * exception is a record of lines printed together by the one vCPU thread
 * (icount runs every vCPU on one thread, so records do not interleave):
 *
 *   Taking exception 12 [Hypervisor Trap] on CPU 0
 *   ...from EL1 to EL2
 *   ...with ESR 0x7/0x1e00000
 *   ...with FAR 0x...                          (aborts only)
 *   ...with SPSR 0x3c5
 *   ...with ELR 0xffff800080012345
 *   ...to EL2 PC 0xffff800080011400 PSTATE 0x3c9
 *
 * or "...handled as PSCI call" in place of the last three. An exception
 * return is one line: "Exception return from AArch64 EL2 to AArch64 EL1 PC 0x...".
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "collect/excount.h"

#define NB_VBARS	16	/* distinct EL2 vector bases kept apart (struct nb_exc_counts.vbar) */

/* Per EL2 vector base: who it serves is decided at the end (see excount.h). */
struct vbar {
	uint64_t base;
	uint64_t from_el2, svc_el0, lower, el1, el0, vel2;
	uint64_t cls[NB_XC_NR];
};

struct rec {
	int open, async, serror, from, to, have_from, have_esr, have_spsr;
	unsigned int ec;
	uint64_t syn, spsr, elr;
};

struct nb_exc_parser {
	struct nb_exc_counts c;
	struct rec r;
	struct vbar vb[NB_VBARS];
	int nvb, started;
};

static const char *const class_names[NB_XC_NR] = {
	[NB_XC_FP] = "fp", [NB_XC_SYSREG] = "sysreg", [NB_XC_ERET] = "eret",
	[NB_XC_HVC] = "hvc", [NB_XC_SMC] = "smc", [NB_XC_SVC] = "svc",
	[NB_XC_DABT] = "dabt", [NB_XC_IABT] = "iabt", [NB_XC_WFX] = "wfx",
	[NB_XC_IRQ] = "irq", [NB_XC_OTHER] = "other",
};

const char *nb_exc_class_name(enum nb_exc_class k)
{
	return k < NB_XC_NR ? class_names[k] : "?";
}

enum nb_exc_class nb_exc_class_of_ec(unsigned int ec)
{
	switch (ec) {
	case 0x07: case 0x19: case 0x1d: return NB_XC_FP;
	case 0x18: return NB_XC_SYSREG;
	case 0x1a: return NB_XC_ERET;
	case 0x16: return NB_XC_HVC;
	case 0x17: return NB_XC_SMC;
	case 0x15: return NB_XC_SVC;
	case 0x24: case 0x25: return NB_XC_DABT;
	case 0x20: case 0x21: return NB_XC_IABT;
	case 0x01: return NB_XC_WFX;
	default: return NB_XC_OTHER;
	}
}

/* --- a strict cursor over one line --- */

struct cur {
	const char *s, *end;
};

static int lit(struct cur *c, const char *l)
{
	size_t n = strlen(l);

	if ((size_t)(c->end - c->s) < n || memcmp(c->s, l, n))
		return 0;
	c->s += n;
	return 1;
}

/* An exception level: one digit 0..3. */
/* EL0..EL2: the machine nestbench boots (-M virt, no secure=on) has no EL3. */
static int el(struct cur *c, int *v)
{
	if (c->s >= c->end || *c->s < '0' || *c->s > '2')
		return 0;
	*v = *c->s++ - '0';
	return 1;
}

static int dec(struct cur *c, unsigned int max, unsigned int *v)
{
	unsigned long x = 0;
	int n = 0;

	while (c->s < c->end && *c->s >= '0' && *c->s <= '9' && n < 10) {
		x = x * 10 + (*c->s++ - '0');
		n++;
	}
	if (!n || x > max)
		return 0;
	*v = x;
	return 1;
}

static int hexdigit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* "0x" and 1..16 lowercase hex digits, as QEMU prints them. */
static int hex(struct cur *c, uint64_t *v)
{
	uint64_t x = 0;
	int n = 0, d;

	if (!lit(c, "0x"))
		return 0;
	while (c->s < c->end && (d = hexdigit(*c->s)) >= 0) {
		if (++n > 16)
			return 0;
		x = x << 4 | d;
		c->s++;
	}
	*v = x;
	return n > 0;
}

static int eol(const struct cur *c)
{
	return c->s == c->end;
}

/* --- records --- */

static int async_kind(const char *name, size_t n, int *serror)
{
	static const char *const kinds[] = { "IRQ", "FIQ", "Virtual IRQ", "Virtual FIQ", "NMI",
					     "Virtual IRQ NMI", "Virtual FIQ NMI", "Virtual SERR" };
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i]) == n && !memcmp(name, kinds[i], n)) {
			*serror = !strcmp(kinds[i], "Virtual SERR");
			return 1;
		}
	return 0;
}

/* A record still open when the next one starts was cut short. */
static void rec_start(struct nb_exc_parser *p, const char *name, size_t n)
{
	if (p->r.open)
		p->c.bad++;
	memset(&p->r, 0, sizeof(p->r));
	p->r.open = 1;
	p->r.async = async_kind(name, n, &p->r.serror);
	p->started = 1;
}

static int line_taking(struct nb_exc_parser *p, struct cur *c)
{
	const char *name, *name_end;
	unsigned int idx, cpu;

	if (!lit(c, "Taking exception "))
		return 0;
	if (!dec(c, 255, &idx) || !lit(c, " ["))
		return -1;
	name = c->s;
	while (c->s < c->end && *c->s != ']')
		c->s++;
	name_end = c->s;
	if (c->s == name || !lit(c, "] on CPU ") || !dec(c, 4095, &cpu) || !eol(c))
		return -1;
	rec_start(p, name, name_end - name);
	return 1;
}

static enum nb_exc_class rec_class(const struct rec *r)
{
	if (r->async)
		return r->serror ? NB_XC_OTHER : NB_XC_IRQ;
	return r->have_esr ? nb_exc_class_of_ec(r->ec) : NB_XC_OTHER;
}

/* Traps only a guest hypervisor at vEL2 takes: ERETs, and EL2 registers (Op1 4, or 5 for *_EL12/EL02). */
static int pins_vel2(const struct rec *r, enum nb_exc_class k)
{
	unsigned int op1 = (r->syn >> 14) & 7;

	return k == NB_XC_ERET || (k == NB_XC_SYSREG && (op1 == 4 || op1 == 5));
}

static struct vbar *vbar_of(struct nb_exc_parser *p, uint64_t base)
{
	int i;

	for (i = 0; i < p->nvb; i++)
		if (p->vb[i].base == base)
			return &p->vb[i];
	if (p->nvb == NB_VBARS)
		return NULL;
	p->vb[p->nvb].base = base;
	return &p->vb[p->nvb++];
}

static void eret_pc(struct nb_exc_counts *c, uint64_t pc)
{
	int i;

	for (i = 0; i < NB_EXC_PCS; i++) {
		if (c->eret_pc[i].n && c->eret_pc[i].pc != pc)
			continue;
		c->eret_pc[i].pc = pc;
		c->eret_pc[i].n++;
		return;
	}
	c->eret_pc_other++;
}

static void rec_to_el2(struct nb_exc_parser *p, uint64_t pc)
{
	const struct rec *r = &p->r;
	enum nb_exc_class k = rec_class(r);
	struct vbar *v = vbar_of(p, pc & ~0x7ffull);

	p->c.el2++;
	if (!v) {
		p->c.bad++;	/* more vector bases than any kernel uses: not attributed */
		return;
	}
	if (r->from == 2) {
		v->from_el2++;
		return;
	}
	v->lower++;
	v->cls[k]++;
	*(r->from == 1 ? &v->el1 : &v->el0) += 1;
	v->svc_el0 += r->from == 0 && k == NB_XC_SVC;
	v->vel2 += pins_vel2(r, k);
	if (k == NB_XC_ERET)
		eret_pc(&p->c, r->elr);
}

static void rec_to_el1(struct nb_exc_parser *p)
{
	const struct rec *r = &p->r;
	unsigned int m = (r->spsr >> 2) & 3;	/* SPSR.M[3:2]: the EL it says it came from */

	p->c.el1++;
	if (r->from != 1 || !r->have_spsr)
		return;
	p->c.el1_vel2 += m == 2;
	p->c.el1_el1 += m == 1;
}

static int line_to(struct nb_exc_parser *p, struct cur *c)
{
	uint64_t pc, pstate;
	int to;

	if (!lit(c, "...to EL"))
		return 0;
	if (!el(c, &to) || !lit(c, " PC ") || !hex(c, &pc) || !lit(c, " PSTATE ") ||
	    !hex(c, &pstate) || !eol(c) || !p->r.open || !p->r.have_from || to != p->r.to)
		return -1;
	p->c.records++;
	if (to == 2)
		rec_to_el2(p, pc);
	else if (to == 1)
		rec_to_el1(p);
	p->r.open = 0;
	return 1;
}

static int line_from(struct nb_exc_parser *p, struct cur *c)
{
	if (!lit(c, "...from EL"))
		return 0;
	if (!p->r.open || !el(c, &p->r.from) || !lit(c, " to EL") || !el(c, &p->r.to) || !eol(c) ||
	    p->r.to == 0 || p->r.from > p->r.to)	/* an exception never goes down */
		return -1;
	p->r.have_from = 1;
	return 1;
}

static int line_with(struct nb_exc_parser *p, struct cur *c)
{
	uint64_t v;

	if (!lit(c, "...with "))
		return 0;
	if (!p->r.open)
		return -1;
	if (lit(c, "ESR ")) {
		if (!hex(c, &v) || v > 0x3f || !lit(c, "/") || !hex(c, &p->r.syn) || !eol(c) ||
		    ((p->r.syn >> 26) & 0x3f) != v)
			return -1;
		p->r.ec = v;
		p->r.have_esr = 1;
		return 1;
	}
	if (lit(c, "SPSR ")) {
		p->r.have_spsr = hex(c, &p->r.spsr) && eol(c);
		return p->r.have_spsr ? 1 : -1;
	}
	if (lit(c, "ELR "))
		return hex(c, &p->r.elr) && eol(c) ? 1 : -1;
	if (lit(c, "FAR "))
		return hex(c, &v) && eol(c) ? 1 : -1;
	return -1;
}

static int line_psci(struct nb_exc_parser *p, struct cur *c)
{
	if (!lit(c, "...handled as PSCI call"))
		return 0;
	if (!eol(c) || !p->r.open)
		return -1;
	p->c.psci++;
	p->r.open = 0;
	return 1;
}

static int line_eret(struct nb_exc_parser *p, struct cur *c)
{
	uint64_t pc;
	int from, to;

	if (!lit(c, "Exception return from AArch64 EL"))
		return 0;
	if (!el(c, &from) || !(lit(c, " to AArch64 EL") || lit(c, " to AArch32 EL")) ||
	    !el(c, &to) || !lit(c, " PC ") || !hex(c, &pc) || !eol(c) || from == 0 || to > from)
		return -1;
	if (p->r.open)		/* a record never finished: cut short */
		p->c.bad++;
	p->r.open = 0;
	p->started = 1;
	*(from == 2 ? &p->c.eret_el2 : &p->c.eret_el1) += 1;
	return 1;
}

void nb_exc_parser_line(struct nb_exc_parser *p, const char *line, size_t len)
{
	static int (*const kinds[])(struct nb_exc_parser *, struct cur *) = {
		line_taking, line_from, line_with, line_to, line_psci, line_eret,
	};
	struct cur c = { line, line + len };
	size_t i;
	int ret = 0;

	p->c.lines++;
	p->c.bytes += len;
	if (len && line[len - 1] == '\n')
		c.end--;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && !ret; i++) {
		c.s = line;
		ret = kinds[i](p, &c);
	}
	/* The log was switched on mid-record: its tail lines before the first record are not errors. */
	if (ret < 0 && !p->started)
		ret = 0, p->c.unknown++;
	else if (ret < 0)
		p->c.bad++;
	else if (!ret)
		p->c.unknown++;
}

struct nb_exc_parser *nb_exc_parser_create(void)
{
	return calloc(1, sizeof(struct nb_exc_parser));
}

void nb_exc_parser_free(struct nb_exc_parser *p)
{
	free(p);
}

/* L0's own base takes its EL0's system calls (only HCR_EL2.TGE routes them to EL2), or mostly EL2's own. */
static int vbar_is_host(const struct vbar *v)
{
	return v->svc_el0 > 0 || v->from_el2 > v->lower;
}

static void add_exits(struct nb_exc_counts *c, const struct vbar *v)
{
	int k;

	for (k = 0; k < NB_XC_NR; k++)
		c->exit[k] += v->cls[k];
	c->exits += v->lower;
	c->exit_el1 += v->el1;
	c->exit_el0 += v->el0;
	c->exit_vel2 += v->vel2;
}

/* A record open at the end was cut by the log being switched off: not an error. */
void nb_exc_parser_finish(struct nb_exc_parser *p, struct nb_exc_counts *c)
{
	int i;

	for (i = 0; i < p->nvb; i++) {
		const struct vbar *v = &p->vb[i];

		p->c.el2_host += v->from_el2;
		p->c.vbar[i].base = v->base;
		p->c.vbar[i].from_el2 = v->from_el2;
		p->c.vbar[i].lower = v->lower;
		p->c.vbar[i].svc_el0 = v->svc_el0;
		p->c.vbar[i].host = vbar_is_host(v);
		if (vbar_is_host(v))
			p->c.el2_host += v->lower;
		else
			add_exits(&p->c, v);
	}
	p->c.nvbar = p->nvb;
	*c = p->c;
}

int nb_exc_parse_file(const char *path, struct nb_exc_counts *c)
{
	struct nb_exc_parser *p = nb_exc_parser_create();
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	if (!p)
		return -ENOMEM;
	f = fopen(path, "r");
	if (!f) {
		nb_exc_parser_free(p);
		return -errno;
	}
	while ((n = getline(&line, &cap, f)) > 0)
		nb_exc_parser_line(p, line, n);
	free(line);
	n = ferror(f) ? -EIO : 0;
	fclose(f);
	nb_exc_parser_finish(p, c);
	nb_exc_parser_free(p);
	return n;
}

#define COL(name, field) { name, offsetof(struct nb_exc_counts, field) }

static const struct { const char *name; size_t off; } cols[] = {
	COL("cpu.el2", el2), COL("cpu.el2_host", el2_host), COL("cpu.exits", exits),
	COL("cpu.exit_el1", exit_el1), COL("cpu.exit_el0", exit_el0), COL("cpu.exit_vel2", exit_vel2),
	COL("cpu.exit_fp", exit[NB_XC_FP]), COL("cpu.exit_sysreg", exit[NB_XC_SYSREG]),
	COL("cpu.exit_eret", exit[NB_XC_ERET]), COL("cpu.exit_hvc", exit[NB_XC_HVC]),
	COL("cpu.exit_smc", exit[NB_XC_SMC]), COL("cpu.exit_svc", exit[NB_XC_SVC]),
	COL("cpu.exit_dabt", exit[NB_XC_DABT]), COL("cpu.exit_iabt", exit[NB_XC_IABT]),
	COL("cpu.exit_wfx", exit[NB_XC_WFX]), COL("cpu.exit_irq", exit[NB_XC_IRQ]),
	COL("cpu.exit_other", exit[NB_XC_OTHER]),
	COL("cpu.el1", el1), COL("cpu.el1_vel2", el1_vel2), COL("cpu.el1_el1", el1_el1),
	COL("cpu.eret_el2", eret_el2), COL("cpu.eret_el1", eret_el1), COL("cpu.psci", psci),
	COL("cpu.records", records), COL("cpu.bad", bad), COL("cpu.log_bytes", bytes),
};

#define NCOLS (sizeof(cols) / sizeof(cols[0]))

_Static_assert(NCOLS == NB_EXC_NCOLS, "NB_EXC_NCOLS is the number of columns");
const size_t nb_exc_ncolumns = NCOLS;

const char *nb_exc_column_name(size_t i)
{
	return i < NCOLS ? cols[i].name : NULL;
}

uint64_t nb_exc_column(const struct nb_exc_counts *c, size_t i)
{
	return i < NCOLS ? *(const uint64_t *)((const char *)c + cols[i].off) : 0;
}

void nb_exc_print(FILE *f, const struct nb_exc_counts *c)
{
	size_t i;

	for (i = 0; i < NCOLS; i++)
		fprintf(f, "%s=%llu\n", cols[i].name, (unsigned long long)nb_exc_column(c, i));
}

void nb_exc_print_detail(FILE *f, const struct nb_exc_counts *c)
{
	int i;

	for (i = 0; i < NB_EXC_PCS && c->eret_pc[i].n; i++)
		fprintf(f, "# eret_trap pc=0x%llx n=%llu\n", (unsigned long long)c->eret_pc[i].pc,
			(unsigned long long)c->eret_pc[i].n);
	if (c->eret_pc_other)
		fprintf(f, "# eret_trap pc=other n=%llu\n", (unsigned long long)c->eret_pc_other);
	for (i = 0; i < c->nvbar; i++)
		fprintf(f, "# vbar_el2=0x%llx from_el2=%llu from_lower=%llu svc_el0=%llu owner=%s\n",
			(unsigned long long)c->vbar[i].base, (unsigned long long)c->vbar[i].from_el2,
			(unsigned long long)c->vbar[i].lower, (unsigned long long)c->vbar[i].svc_el0,
			c->vbar[i].host ? "L0" : "guests");
	fprintf(f, "# lines=%llu unknown=%llu\n", (unsigned long long)c->lines,
		(unsigned long long)c->unknown);
}
