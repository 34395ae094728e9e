/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-guest tracer (the agent, at every emulating level): records the nested
 * transitions and FP saves of one repetition into a trace-cmd trace.dat that
 * the host's collect/analyze.c turns into the L<n>.* counters.
 *
 * One tracefs instance (NB_INSTANCE) holds the events; kprobes/kretprobes
 * live in the group NB_KP_SYSTEM. tracefs must be reachable: the tracer
 * mounts it on /sys/kernel/tracing when needed, so sysfs must be mounted.
 * trace-cmd must be in PATH (or /usr/bin) when nb_tracer_stop() runs.
 */
#ifndef NB_COLLECT_TRACER_H
#define NB_COLLECT_TRACER_H

struct nb_tracer;

/*
 * Set everything up with tracing off: instance, probes, enabled events,
 * buffers sized from the memory of the level. Leftovers of a previous run
 * (same instance, same probe group) are removed first. On success the
 * caller owns *t and releases it with nb_tracer_free(). Returns 0 or -errno
 * (-ENOENT: a probed function or tracepoint does not exist in this kernel).
 */
int nb_tracer_create(struct nb_tracer **t, int level);

/* Override the per-CPU buffer size chosen by nb_tracer_create() (which
 * takes 1/24 of the level's memory, 4..64 MiB per CPU). Returns 0 or -errno. */
int nb_tracer_set_buffer_kb(struct nb_tracer *t, unsigned long kb);

/* Empty the buffers and turn tracing on. Returns 0 or -errno. */
int nb_tracer_start(struct nb_tracer *t);

/*
 * Turn tracing off, record what the ring buffer and the probes lost, and
 * write the instance's data to dat_path as a trace.dat (by running
 * `trace-cmd extract`). The loss also goes into the trace.dat itself (a
 * NB_STATS_MARKER line). Returns 0 or -errno; the buffers are left as they
 * are so a failed extraction can be retried.
 */
int nb_tracer_stop(struct nb_tracer *t, const char *dat_path);

/* Events lost during the last start..stop: ring-buffer overruns and drops
 * over every CPU plus probe misses. -1 before the first stop. */
long long nb_tracer_lost(const struct nb_tracer *t);

/* Disable, remove the instance and the probes, free t (NULL is fine). */
void nb_tracer_free(struct nb_tracer *t);

#endif
