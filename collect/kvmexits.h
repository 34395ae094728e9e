/* SPDX-License-Identifier: GPL-2.0 */
/*
 * L0's KVM exits by reason over an exit repetition: `perf kvm stat
 * report --event=vmexit --stdio`, as the agent brings it
 * (collect/perfstat.h). On arm64 a reason is the exception type of
 * kvm_exit (IRQ, SERROR, ...) or, for a trap, its ESR_EL2.EC name
 * (DABT_LOW, SYS64, HVC64, ...). Only exits that reach KVM's run loop are
 * there: traps KVM handles in its hyp fast path (e.g. FP/SIMD access) never
 * raise kvm_exit; the emulated CPU's exceptions (collect/excount.h) see them.
 */
#ifndef NB_COLLECT_KVMEXITS_H
#define NB_COLLECT_KVMEXITS_H

#include <stddef.h>
#include <stdint.h>

#define NB_KVMX_MAX	64	/* arm64 has 5 exception types and < 64 ECs */
#define NB_KVMX_NAME	32

struct nb_kvmexit {
	char reason[NB_KVMX_NAME];
	uint64_t n;
	double mean_us, min_us, max_us;	/* perf's arm64 pairing: kvm_entry to this kvm_exit */
};

#define NB_KVMX_UNNAMED 8

struct nb_kvmexits {
	struct nb_kvmexit x[NB_KVMX_MAX];
	size_t n;
	uint64_t total, lost;
	/*
	 * ESR_EL2.EC values perf has no name for, from its "unknown kvm exit
	 * code" lines: perf counts them as UNKNOWN. Its 7.3 table lacks ERET
	 * (0x1a), which is what FEAT_NV traps a guest hypervisor's ERET with.
	 */
	unsigned int unnamed[NB_KVMX_UNNAMED];
	size_t nunnamed;
};

/* "ERET" for 0x1a and the other ECs perf's arm64 table lacks; NULL when unknown here too. */
const char *nb_kvmexit_ec_name(unsigned int ec);

/* "0x1a (ERET), 0x2d (GCS)": e's unnamed ECs into out. */
void nb_kvmexits_unnamed(const struct nb_kvmexits *e, char *out, size_t len);

/*
 * Untrusted text into e: the table after perf's VM-EXIT header, each reason
 * once, a name of letters, digits and '_', a count up to 1e15, times in us
 * from 0 to 1e9; the rows must add up to perf's "Total Samples". The
 * agent's NB_PERF_FAILED line, a missing header or total, or any malformed
 * row is an error. Returns 0, or -EINVAL with the reason in why.
 */
int nb_kvmexits_parse(const char *text, struct nb_kvmexits *e, char *why, size_t whylen);

#endif
