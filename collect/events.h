/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names shared by the tracer (in the guest, collect/tracer.c) and the
 * analyzer (on the host, collect/analyze.c): the trace.dat is the only thing
 * that travels between them, so the event names are the contract.
 *
 * Window probes come in pairs: "<kind>_in_<func>" is a kprobe on the entry
 * of func, "<kind>_out_<func>" the kretprobe on its return. The analyzer
 * only looks at the "<kind>_in" / "<kind>_out" prefix, so the tracer may
 * choose which functions implement a window on the running kernel.
 * The events that are counted are the sources of the counter table's rows
 * (collect/counters.c), probes of this group included.
 */
#ifndef NB_COLLECT_EVENTS_H
#define NB_COLLECT_EVENTS_H

#define NB_INSTANCE		"nestbench"
#define NB_KP_SYSTEM		"nestbench"

#define NB_KP_ERET_IN		"eret_in"	/* kvm_emulate_nested_eret */
#define NB_KP_ERET_OUT		"eret_out"
#define NB_KP_EXC_IN		"exc_in"	/* nested exception injection */
#define NB_KP_EXC_OUT		"exc_out"

/*
 * Written to the instance's trace_marker by nb_tracer_stop() after every
 * event is disabled and before tracing is turned off, so the loss the guest
 * saw travels inside the trace.dat:
 *   "nestbench_stats lost=N overrun=N dropped=N commit_overrun=N kprobe_missed=N"
 */
#define NB_STATS_MARKER		"nestbench_stats"

#endif
