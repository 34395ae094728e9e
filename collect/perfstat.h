/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf stat at an emulating level (the agent): the perf rows of
 * collect/counters.c over one repetition's I/O window, counted in the
 * kernel (no ring buffer, nothing to lose), so that every timing
 * repetition carries its counts. Functions are counted through probes of
 * their own group, NB_PERF_GROUP: fprobes (ftrace, no exception per hit)
 * where the kernel has them, kprobes otherwise.
 *
 * The output file is perf's own -x, output; collect/perfparse.h reads it on
 * the host. A failure still leaves a file, one NB_PERF_FAILED line saying
 * why, so that the repetition's row is complete and its counters flagged.
 */
#ifndef NB_COLLECT_PERFSTAT_H
#define NB_COLLECT_PERFSTAT_H

#define NB_PERF_GROUP	"nbperf"
#define NB_PERF_FAILED	"# nestbench: perf stat failed:"
#define NB_PERF_BIN	"/usr/bin/perf"

struct nb_perfstat;

/*
 * Probes and control FIFOs under rundir, once per boot; host: this is an
 * arm64 host's L0, which also counts the hardware rows (cycles,
 * instructions). The caller owns *ps and releases it with
 * nb_perfstat_free(). Returns 0 or -errno; kind gets "fprobe" or "kprobe"
 * (what the probes are), for the status line.
 */
int nb_perfstat_create(struct nb_perfstat **ps, const char *rundir, int host, const char **kind);

/*
 * perf kvm stat record instead, at L0 in an exit repetition: every
 * kvm_entry and kvm_exit of the window into the data file given to
 * nb_perfstat_start(), read back by nb_perfkvm_report(). Same ownership,
 * start, stop and free as nb_perfstat_create().
 */
int nb_perfkvm_create(struct nb_perfstat **ps, const char *rundir);

/*
 * perf kvm stat report --event=vmexit --stdio of data into out: the exits
 * by reason (collect/kvmexits.h reads it on the host). On failure out holds
 * the NB_PERF_FAILED line. Returns 0 or -errno.
 */
int nb_perfkvm_report(const char *data, const char *out);

/* Start perf stat over every CPU, counters off, then switch them on: they
 * count when this returns 0. On failure out holds NB_PERF_FAILED's line. */
int nb_perfstat_start(struct nb_perfstat *ps, const char *out);

/* Switch the counters off, stop perf (it writes out), wait for it. */
int nb_perfstat_stop(struct nb_perfstat *ps);

/* out gets the NB_PERF_FAILED line: what failed (doing) and why (-errno). */
void nb_perfstat_write_failure(const char *out, const char *doing, int err);

/* Stop a perf still running, remove the probes and FIFOs, free ps (NULL is fine). */
void nb_perfstat_free(struct nb_perfstat *ps);

#endif
