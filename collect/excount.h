/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exceptions as the emulated CPU saw them: counts from QEMU's `-d int` log
 * of the emulated L0 over one repetition's I/O window (docs/counting.md,
 * "Exceptions at the emulated CPU"). The log is untrusted text: every line
 * is matched against the formats QEMU 10.0 prints, numbers are parsed with
 * their ranges, and a line that fits no format is counted, never guessed at.
 *
 * Attribution, as far as the log's architecture state allows:
 *   - an exception taken to EL2 at the vector base of L0's own kernel (the
 *     base that takes L0's EL0 system calls, or mostly EL2-to-EL2
 *     exceptions) is L0's; one taken to EL2 at any other base from EL1/EL0
 *     is a guest's exit to L0;
 *   - of those exits, ERET traps and traps of EL2 system registers can only
 *     come from a guest hypervisor at vEL2 (it runs at EL1 with HCR_EL2.NV);
 *   - an exception taken from EL1 to EL1 whose SPSR says EL2 was taken
 *     inside a guest hypervisor's vEL2 (FEAT_NV2 rewrites SPSR.M, I_DBTLM).
 * The rest of the exits (FP traps, aborts, IRQs, HVCs) come from a guest
 * hypervisor or from its guest: the log does not say which.
 */
#ifndef NB_COLLECT_EXCOUNT_H
#define NB_COLLECT_EXCOUNT_H

#include <stdint.h>
#include <stdio.h>

/* What an exception is, from its ESR EC (synchronous) or its kind (asynchronous). */
enum nb_exc_class {
	NB_XC_FP,	/* FP/SIMD, SVE, SME access traps (EC 0x07, 0x19, 0x1d) */
	NB_XC_SYSREG,	/* MSR/MRS/system instruction traps (EC 0x18) */
	NB_XC_ERET,	/* ERET/ERETAA/ERETAB traps (EC 0x1a) */
	NB_XC_HVC,	/* EC 0x16 */
	NB_XC_SMC,	/* EC 0x17 */
	NB_XC_SVC,	/* EC 0x15 */
	NB_XC_DABT,	/* data aborts (EC 0x24, 0x25) */
	NB_XC_IABT,	/* instruction aborts (EC 0x20, 0x21) */
	NB_XC_WFX,	/* WFI/WFE traps (EC 0x01) */
	NB_XC_IRQ,	/* IRQ, FIQ, their virtual and NMI forms */
	NB_XC_OTHER,	/* everything else (SError, debug, undefined, ...) */
	NB_XC_NR
};

#define NB_EXC_PCS	8	/* distinct ERET-trap addresses kept */

struct nb_exc_counts {
	/* exceptions taken to EL2 */
	uint64_t el2;			/* all */
	uint64_t el2_host;		/* L0's own (its kernel at EL2, its EL0) */
	uint64_t exit[NB_XC_NR];	/* guests' exits to L0, by class */
	uint64_t exits;			/* sum of exit[] */
	uint64_t exit_el1, exit_el0;	/* exits by the EL they came from */
	uint64_t exit_vel2;		/* exits pinned on a guest hypervisor's vEL2 */
	/* exceptions taken to EL1 (a guest's kernel or a guest hypervisor) */
	uint64_t el1;
	uint64_t el1_vel2;		/* from EL1 with SPSR.M = EL2: inside vEL2 */
	uint64_t el1_el1;		/* from EL1 with SPSR.M = EL1: a non-NV guest kernel */
	/* exception returns */
	uint64_t eret_el2;		/* ERETs executed at EL2 (L0) */
	uint64_t eret_el1;		/* ERETs executed at EL1 that did not trap */
	uint64_t psci;			/* calls QEMU handled as PSCI firmware */
	/* ERET traps by address (the trapped ERET's ELR), for docs/counting.md's check */
	struct { uint64_t pc, n; } eret_pc[NB_EXC_PCS];
	uint64_t eret_pc_other;
	/* EL2 vector bases seen, and whose they were taken to be */
	struct { uint64_t base, from_el2, lower, svc_el0; int host; } vbar[16];
	int nvbar;
	/* what was read */
	uint64_t records;		/* complete exception records */
	uint64_t lines;
	uint64_t unknown;		/* lines of no known format (counted, skipped) */
	uint64_t bad;			/* known format, broken: a number out of range, a record cut short */
	uint64_t bytes;
};

struct nb_exc_parser;

/* A parser for one log; the caller owns it (nb_exc_parser_free). NULL: no memory. */
struct nb_exc_parser *nb_exc_parser_create(void);
void nb_exc_parser_free(struct nb_exc_parser *p);
/* One line, without or with its '\n'. */
void nb_exc_parser_line(struct nb_exc_parser *p, const char *line, size_t len);
/* End of the log: attribute and fill *c. */
void nb_exc_parser_finish(struct nb_exc_parser *p, struct nb_exc_counts *c);

/* The whole file at path into *c: 0 or -errno. */
int nb_exc_parse_file(const char *path, struct nb_exc_counts *c);

/* Short name of a class, the suffix of its cpu.exit_* column ("fp", "sysreg", ...). */
const char *nb_exc_class_name(enum nb_exc_class k);
/* EC (0..63) -> class; asynchronous exceptions are classed by kind, not here. */
enum nb_exc_class nb_exc_class_of_ec(unsigned int ec);

/*
 * The reps.csv columns (docs/results-format.md), i = 0 .. nb_exc_ncolumns - 1:
 * name ("cpu.exit_fp") and value. nb_exc_print writes "name=value" lines.
 */
#define NB_EXC_NCOLS	26
extern const size_t nb_exc_ncolumns;	/* NB_EXC_NCOLS */
const char *nb_exc_column_name(size_t i);
uint64_t nb_exc_column(const struct nb_exc_counts *c, size_t i);
void nb_exc_print(FILE *f, const struct nb_exc_counts *c);
/* ERET-trap addresses, vector bases, what was read: "# key=value" lines. */
void nb_exc_print_detail(FILE *f, const struct nb_exc_counts *c);

#endif
