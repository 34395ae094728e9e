/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_REPS_H
#define NB_REPS_H

#include <stdint.h>

struct run_cfg;
struct reps;

/* Rows of reps.csv and boots.csv for one boot; each is written (appended
 * and fsync'd) as soon as all its pieces have arrived. */
struct reps *reps_open(const struct run_cfg *cfg);
/* Creates the files' headers now, so that boots running side by side only append rows. */
int reps_prepare(const struct run_cfg *cfg);
/* phases.csv: host seconds of one phase of this boot (boot_L<n>, fio_startup, ..., total). */
void reps_phase_row(struct reps *r, const char *phase, double host_s);
void reps_mark(struct reps *r, const char *text, uint64_t host_ns);	/* "start 3 timing" */
/* "start 3 NS MODE" from L0, host_ns when it arrived: a start opens the window */
void reps_stamp(struct reps *r, const char *text, uint64_t host_ns);
void reps_file(struct reps *r, const char *name, const char *path);	/* fio-repN.json, trace-Ln-repN.dat */
/* Repetition n will have exception counts (the cpu.* columns): its row waits for them. */
void reps_cpu_expect(struct reps *r, int n);
struct nb_exc_counts;
void reps_cpu(struct reps *r, int n, const struct nb_exc_counts *c);
void reps_boot_row(struct reps *r, int level, const char *status, const char *reason, const char *kv);
/* Writes what is incomplete as it is (never drops a measurement); 0 if all were complete. */
int reps_close(struct reps *r);


#endif
