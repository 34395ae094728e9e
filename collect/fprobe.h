/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fprobe events (the agent): function entry and return hooks through
 * ftrace, without the BRK exception and single-step a kprobe costs per hit
 * (CONFIG_FPROBE_EVENTS). libtracefs 1.6 does not know them, so they are
 * written to tracefs's dynamic_events, and removed by name.
 */
#ifndef NB_COLLECT_FPROBE_H
#define NB_COLLECT_FPROBE_H

/* GROUP/EVENT on func's entry, or its return when ret. Returns 0 or -ENOENT. */
int nb_fprobe_add(const char *group, const char *event, const char *func, int ret);
/* Remove GROUP/EVENT, whatever kind of dynamic event it is; absent is fine. */
void nb_fprobe_del(const char *group, const char *event);

#endif
