// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest tracer: see collect/tracer.h for the API, docs/counting.md for
 * why these events. Built only into the static arm64 agent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tracefs.h>

#include "collect/counters.h"
#include "collect/events.h"
#include "collect/fprobe.h"
#include "collect/tracer.h"

#define NB_MAX_PROBES	16
#define NB_MAX_CPUS	64
#define NB_TRACEFS	"/sys/kernel/tracing"

/*
 * Depth 3 measured at L0: ~3.2M events (~57 bytes each; 0.7M of them
 * sysreg-trap kvm_exits) in one counting repetition of the 8 MiB job, and
 * 64 MiB per CPU lost 30% of them. An eighth of the level's memory, split
 * over its CPUs, holds that (192 MiB per CPU on a 3 GiB, 2-CPU L0).
 */
#define NB_BUF_MIN_KB	(4 << 10)
#define NB_BUF_MAX_KB	(256 << 10)
#define NB_BUF_MEM_DIV	8

struct nb_tracer {
	int level;
	int nr_cpus;
	struct tracefs_instance *inst;
	struct tracefs_dynevent *probes[NB_MAX_PROBES];	/* NULL: an fprobe */
	char probe_name[NB_MAX_PROBES][48];
	int nr_probes;
	struct nb_trace_event ev[NB_MAX_COUNTERS];	/* the counter table's */
	size_t nr_ev;
	unsigned long buf_kb;		/* per CPU */
	unsigned long long kp_missed;	/* probe misses at start */
	long long lost;
};

struct nb_probe {
	const char *event;
	const char *func;
	int ret;		/* kretprobe */
};

/* The windows are the tracer's own; what is counted comes from the counter table. */
static const struct nb_probe nb_eret_probes[] = {
	{ NB_KP_ERET_IN, "kvm_emulate_nested_eret", 0 },
	{ NB_KP_ERET_OUT, "kvm_emulate_nested_eret", 1 },
};

/*
 * Every nested exception goes through the static kvm_inject_nested() (7.2:
 * out of line, called by all the wrappers and by emulate-nested.c's own
 * inlined kvm_inject_nested_sync calls). Should a compiler inline it, the
 * exported wrappers are the next best thing; sea calls sync, which the
 * analyzer counts as one injection.
 */
static const struct nb_probe nb_exc_probes[] = {
	{ NB_KP_EXC_IN, "kvm_inject_nested", 0 },
	{ NB_KP_EXC_OUT, "kvm_inject_nested", 1 },
};

static const struct nb_probe nb_exc_fallback[] = {
	{ NB_KP_EXC_IN "_sync", "kvm_inject_nested_sync", 0 },
	{ NB_KP_EXC_OUT "_sync", "kvm_inject_nested_sync", 1 },
	{ NB_KP_EXC_IN "_irq", "kvm_inject_nested_irq", 0 },
	{ NB_KP_EXC_OUT "_irq", "kvm_inject_nested_irq", 1 },
	{ NB_KP_EXC_IN "_serror", "kvm_inject_nested_serror", 0 },
	{ NB_KP_EXC_OUT "_serror", "kvm_inject_nested_serror", 1 },
	{ NB_KP_EXC_IN "_sea", "kvm_inject_nested_sea", 0 },
	{ NB_KP_EXC_OUT "_sea", "kvm_inject_nested_sea", 1 },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int mount_tracefs(void)
{
	if (tracefs_tracing_dir())
		return 0;
	if (mount("nodev", NB_TRACEFS, "tracefs", 0, NULL) && errno != EBUSY)
		return -errno;
	return tracefs_set_tracing_dir(NB_TRACEFS) ? -ENODEV : 0;
}

/* libtracefs 1.6 does not list fprobes: ours are removed by name. */
static void remove_fprobes(const struct nb_probe *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		nb_fprobe_del(NB_KP_SYSTEM, p[i].event);
}

/* The counter table's probes: on entry, named as the event the row counts. */
static size_t row_probes(const struct nb_tracer *t, struct nb_probe p[NB_MAX_COUNTERS])
{
	size_t i, n = 0;

	for (i = 0; i < t->nr_ev; i++)
		if (t->ev[i].probe)
			p[n++] = (struct nb_probe){ t->ev[i].name, t->ev[i].probe, 0 };
	return n;
}

/* A crashed agent may have left them: they would hold events enabled. */
static void remove_leftovers(const struct nb_tracer *t)
{
	struct nb_probe rows[NB_MAX_COUNTERS];
	struct tracefs_dynevent **old;
	struct tracefs_instance *inst;
	int i;

	if (tracefs_instance_exists(NB_INSTANCE)) {
		inst = tracefs_instance_create(NB_INSTANCE);
		if (inst) {
			tracefs_instance_destroy(inst);
			tracefs_instance_free(inst);
		}
	}
	old = tracefs_dynevent_get_all(TRACEFS_DYNEVENT_KPROBE |
				       TRACEFS_DYNEVENT_KRETPROBE, NB_KP_SYSTEM);
	for (i = 0; old && old[i]; i++)
		tracefs_dynevent_destroy(old[i], true);
	tracefs_dynevent_list_free(old);
	remove_fprobes(rows, row_probes(t, rows));
	remove_fprobes(nb_eret_probes, ARRAY_SIZE(nb_eret_probes));
	remove_fprobes(nb_exc_probes, ARRAY_SIZE(nb_exc_probes));
	remove_fprobes(nb_exc_fallback, ARRAY_SIZE(nb_exc_fallback));
}

/*
 * An fprobe (collect/fprobe.h) where the kernel has fprobe events, with the
 * kprobe's group and name: the analyzer cannot tell them apart.
 */
static int add_fprobe(struct nb_tracer *t, const struct nb_probe *p)
{
	if (nb_fprobe_add(NB_KP_SYSTEM, p->event, p->func, p->ret))
		return -ENOENT;
	t->probes[t->nr_probes] = NULL;
	snprintf(t->probe_name[t->nr_probes++], sizeof(t->probe_name[0]), "%s", p->event);
	return 0;
}

static int add_probe(struct nb_tracer *t, const struct nb_probe *p)
{
	struct tracefs_dynevent *d;

	if (t->nr_probes == NB_MAX_PROBES)
		return -E2BIG;
	if (!add_fprobe(t, p))
		return 0;
	d = p->ret ? tracefs_kretprobe_alloc(NB_KP_SYSTEM, p->event, p->func,
					     NULL, 0)
		   : tracefs_kprobe_alloc(NB_KP_SYSTEM, p->event, p->func, NULL);
	if (!d)
		return -ENOMEM;
	if (tracefs_dynevent_create(d)) {
		tracefs_dynevent_free(d);
		return -ENOENT;
	}
	snprintf(t->probe_name[t->nr_probes], sizeof(t->probe_name[0]), "%s", p->event);
	t->probes[t->nr_probes++] = d;
	return 0;
}

static void del_probes(struct nb_tracer *t, int down_to)
{
	while (t->nr_probes > down_to) {
		struct tracefs_dynevent *d = t->probes[--t->nr_probes];

		if (!d) {
			nb_fprobe_del(NB_KP_SYSTEM, t->probe_name[t->nr_probes]);
			continue;
		}
		tracefs_dynevent_destroy(d, true);
		tracefs_dynevent_free(d);
	}
}

static int add_probes(struct nb_tracer *t, const struct nb_probe *p, size_t n)
{
	int mark = t->nr_probes, ret = 0;
	size_t i;

	for (i = 0; !ret && i < n; i++)
		ret = add_probe(t, &p[i]);
	if (ret)
		del_probes(t, mark);
	return ret;
}

static int add_row_probes(struct nb_tracer *t)
{
	struct nb_probe rows[NB_MAX_COUNTERS];

	return add_probes(t, rows, row_probes(t, rows));
}

/* The fallback wrappers are optional one by one; one pair is enough. */
static int add_exc_probes(struct nb_tracer *t)
{
	int mark = t->nr_probes;
	size_t i;

	if (!add_probes(t, nb_exc_probes, ARRAY_SIZE(nb_exc_probes)))
		return 0;
	for (i = 0; i < ARRAY_SIZE(nb_exc_fallback); i += 2)
		add_probes(t, &nb_exc_fallback[i], 2);
	return t->nr_probes > mark ? 0 : -ENOENT;
}

static long long meminfo_kb(const char *key)
{
	char line[128];
	long long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && kb < 0 && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			kb = strtoll(line + strlen(key), NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

int nb_tracer_set_buffer_kb(struct nb_tracer *t, unsigned long kb)
{
	t->buf_kb = kb;
	return tracefs_instance_set_buffer_size(t->inst, kb, -1) ? -ENOMEM : 0;
}

static unsigned long default_buffer_kb(const struct nb_tracer *t)
{
	long long kb = meminfo_kb("MemTotal:") / NB_BUF_MEM_DIV / t->nr_cpus;

	kb = kb < NB_BUF_MIN_KB ? NB_BUF_MIN_KB : kb;
	return kb > NB_BUF_MAX_KB ? NB_BUF_MAX_KB : kb;
}

/* The table's tracepoints, then every probe of ours (the windows' and the rows'). */
static int enable_events(struct nb_tracer *t)
{
	size_t i;

	for (i = 0; i < t->nr_ev; i++)
		if (!t->ev[i].probe && tracefs_event_enable(t->inst, t->ev[i].system, t->ev[i].name))
			return -ENOENT;
	return tracefs_event_enable(t->inst, NB_KP_SYSTEM, NULL) ? -ENOENT : 0;
}

static int setup_instance(struct nb_tracer *t)
{
	int ret;

	t->inst = tracefs_instance_create(NB_INSTANCE);
	if (!t->inst)
		return errno ? -errno : -ENOMEM;
	if (tracefs_trace_off(t->inst))
		return -EIO;
	/* overwrite (the default) keeps the newest data, the stats marker
	 * included, and flags the gap in the data pages */
	ret = nb_tracer_set_buffer_kb(t, t->buf_kb ? t->buf_kb
						   : default_buffer_kb(t));
	if (!ret)
		ret = enable_events(t);
	return ret;
}

int nb_tracer_create(struct nb_tracer **tp, int level)
{
	struct nb_tracer *t = calloc(1, sizeof(*t));
	int ret = t ? mount_tracefs() : -ENOMEM;

	if (ret)
		goto fail;
	t->level = level;
	t->lost = -1;
	t->nr_cpus = sysconf(_SC_NPROCESSORS_CONF);
	t->nr_cpus = t->nr_cpus < 1 ? 1 : t->nr_cpus;
	t->nr_ev = nb_trace_events(t->ev, NB_MAX_COUNTERS);
	remove_leftovers(t);
	ret = add_row_probes(t);
	if (!ret)
		ret = add_probes(t, nb_eret_probes, ARRAY_SIZE(nb_eret_probes));
	if (!ret)
		ret = add_exc_probes(t);
	if (!ret)
		ret = setup_instance(t);
	if (ret)
		goto fail;
	*tp = t;
	return 0;
fail:
	nb_tracer_free(t);
	return ret;
}

/* kprobe_profile lists kprobes only: an fprobe never matches, its misses are not counted there. */
static int is_our_probe(const struct nb_tracer *t, const char *name)
{
	int i;

	for (i = 0; i < t->nr_probes; i++)
		if (t->probes[i] && !strcmp(t->probe_name[i], name))
			return 1;
	return 0;
}

/* kprobe_profile: "  EVENT  HITS  MISSES" per probe, for every group. */
static unsigned long long probe_misses(const struct nb_tracer *t)
{
	char *text = tracefs_instance_file_read(NULL, "kprobe_profile", NULL);
	unsigned long long hits, miss, sum = 0;
	char name[128], *line, *save = NULL;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, " %127s %llu %llu", name, &hits, &miss) == 3 &&
		    is_our_probe(t, name))
			sum += miss;
	free(text);
	return sum;
}

int nb_tracer_start(struct nb_tracer *t)
{
	if (tracefs_instance_file_clear(t->inst, "trace"))
		return -EIO;
	t->kp_missed = probe_misses(t);
	t->lost = -1;
	return tracefs_trace_on(t->inst) ? -EIO : 0;
}

static unsigned long long stat_field(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

/* Per CPU: overwritten, lost to nested commits, refused when full. */
static void ring_losses(struct nb_tracer *t, unsigned long long sum[3])
{
	char file[64], *text;
	int cpu;

	for (cpu = 0; cpu < t->nr_cpus && cpu < NB_MAX_CPUS; cpu++) {
		snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
		text = tracefs_instance_file_read(t->inst, file, NULL);
		if (!text)
			continue;	/* possible but offline */
		sum[0] += stat_field(text, "\noverrun: ");
		sum[1] += stat_field(text, "\ncommit overrun: ");
		sum[2] += stat_field(text, "\ndropped events: ");
		free(text);
	}
}

/* Events off first, so the counters below are final; tracing still on, so
 * the marker reaches the buffer. */
static int settle_and_mark(struct nb_tracer *t)
{
	unsigned long long r[3] = { 0, 0, 0 }, kp;

	if (tracefs_event_disable(t->inst, NULL, NULL))
		return -EIO;
	ring_losses(t, r);
	kp = probe_misses(t) - t->kp_missed;
	t->lost = r[0] + r[1] + r[2] + kp;
	tracefs_printf(t->inst, "%s lost=%lld overrun=%llu commit_overrun=%llu "
		       "dropped=%llu kprobe_missed=%llu level=%d\n",
		       NB_STATS_MARKER, t->lost, r[0], r[1], r[2], kp, t->level);
	/* libtracefs keeps trace_marker open, which would make the
	 * instance's rmdir fail with EBUSY in nb_tracer_free() */
	tracefs_print_close(t->inst);
	return tracefs_trace_off(t->inst) ? -EIO : 0;
}

/*
 * Exec'd, never through a shell. Its chatter goes to a file beside the data,
 * not to the console: console bytes are exits that climb every level.
 */
static void exec_extract(const char *dat_path)
{
	char *argv[] = { "trace-cmd", "extract", "-B", NB_INSTANCE,
			 "-o", (char *)dat_path, NULL };
	char log[4096];
	int fd;

	snprintf(log, sizeof(log), "%s.log", dat_path);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	execvp(argv[0], argv);
	execv("/usr/bin/trace-cmd", argv);
	_exit(127);
}

static int extract(const char *dat_path)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid)
		exec_extract(dat_path);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return -ENOENT;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

/*
 * trace-cmd 3.1 extract removes the instances it was given once it has
 * read them, ours included: make it again, same size, for the next start.
 */
static int rearm(struct nb_tracer *t)
{
	if (tracefs_instance_exists(NB_INSTANCE))
		return enable_events(t);	/* turned off to settle */
	tracefs_instance_free(t->inst);
	t->inst = NULL;
	return setup_instance(t);
}

int nb_tracer_stop(struct nb_tracer *t, const char *dat_path)
{
	int ret = settle_and_mark(t), ret2;

	if (!ret)
		ret = extract(dat_path);
	ret2 = rearm(t);
	return ret ? ret : ret2;
}

long long nb_tracer_lost(const struct nb_tracer *t)
{
	return t->lost;
}

void nb_tracer_free(struct nb_tracer *t)
{
	if (!t)
		return;
	if (t->inst) {
		tracefs_trace_off(t->inst);
		tracefs_event_disable(t->inst, NULL, NULL);
		tracefs_instance_destroy(t->inst);
		tracefs_instance_free(t->inst);
	}
	del_probes(t, 0);
	free(t);
}
