// SPDX-License-Identifier: GPL-2.0
/*
 * hackbench (Debian's rt-tests): groups of senders and receivers passing
 * messages over sockets (or pipes): scheduler wake-ups, context switches
 * and, with more than one vCPU, IPIs -- the exit-heavy workload KVM/arm64
 * reviewers ask NV patches to be measured with. `nbagent loop` runs one
 * hackbench per repetition, each between its own marks, so hackbench's
 * fork/exec is inside the window (a few ms against seconds of messages).
 * Its "Time: S" line, in the innermost guest's clock, is parsed on the host.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/workload.h"

/*
 * Sized so that a depth-2 repetition is seconds of icount time: messages =
 * groups x fds x fds x loops; each costs more the deeper it runs. Measured
 * (1 vCPU, patched, 2026-11-24): at depth 2, 20000 messages (loops 100)
 * took 80-260 ms of icount, the first run of a boot the slowest; loops
 * 2000 is ~1.6 s and makes the start-up inside the window ~1%.
 */
static const struct nb_wl_key hb_keys[] = {
	{ "groups",   "groups of fds senders and fds receivers", 1, 64, { 0, 2, 2, 2, 2 } },
	{ "fds",      "senders (and receivers) per group", 1, 64, { 0, 10, 10, 10, 10 } },
	{ "loops",    "messages each sender sends each receiver", 1, 1000000, { 0, 4000, 2000, 500, 200 } },
	{ "datasize", "bytes per message", 1, 65536, { 0, 100, 100, 100, 100 } },
	{ "threads",  "1: threads instead of processes", 0, 1, { 0 } },
	{ "pipe",     "1: pipes instead of UNIX sockets", 0, 1, { 0 } },
	{ NULL },
};

#ifdef NB_AGENT
static int hb_command(const struct nb_plan *p, int k, const char *out, struct nb_argv *argv)
{
	const struct nb_workload *w = &nb_wl_hackbench;

	nb_argv_add(argv, "/sbin/nbagent");
	nb_argv_add(argv, "loop");
	nb_argv_add(argv, "%d", k);
	nb_argv_add(argv, "%s", out);
	nb_argv_add(argv, "/usr/bin/hackbench");
	nb_argv_add(argv, "-g");
	nb_argv_add(argv, "%d", nb_wl_param(w, p->job, "groups"));
	nb_argv_add(argv, "-f");
	nb_argv_add(argv, "%d", nb_wl_param(w, p->job, "fds"));
	nb_argv_add(argv, "-l");
	nb_argv_add(argv, "%d", nb_wl_param(w, p->job, "loops"));
	nb_argv_add(argv, "-s");
	nb_argv_add(argv, "%d", nb_wl_param(w, p->job, "datasize"));
	if (nb_wl_param(w, p->job, "pipe"))
		nb_argv_add(argv, "-p");
	return nb_argv_add(argv, "%s", nb_wl_param(w, p->job, "threads") ? "-T" : "-P");
}

#define HB_AGENT .command = hb_command,
#else
#define HB_AGENT
#endif

/* The idx-th (0..) "Time: S" line: seconds, finite, 0 .. 1e6. */
static int hb_parse(const char *text, int idx, double *v)
{
	const char *p = text;
	char tok[64];
	size_t len;
	int n = 0;

	for (; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, "Time: ", 6) || n++ != idx)
			continue;
		len = strcspn(p + 6, "\r\n");
		if (len >= sizeof(tok))
			return -EINVAL;
		snprintf(tok, sizeof(tok), "%.*s", (int)len, p + 6);
		return nb_parse_real(tok, 0, 1e6, &v[0]) ? -EINVAL : 0;
	}
	return -ENOENT;
}

static int hb_validate(const char *params, char *err, size_t errlen)
{
	return nb_wl_validate_keys(&nb_wl_hackbench, params, err, errlen);
}

static const struct nb_wl_metric hb_metrics[] = {
	{ "hackbench_s", "hackbench Time", "s", "s", 1, "%.3f", NB_LOWER_BETTER, 1 },
};

const struct nb_workload nb_wl_hackbench = {
	.name = "hackbench",
	.window = "hackbench time",
	.rootfs_key = "rootfs.hackbench",
	.out_ext = "txt",
	.keys = hb_keys,
	.metrics = hb_metrics,
	.nmetrics = 1,
	.validate = hb_validate,
	.parse = hb_parse,
	HB_AGENT
};
