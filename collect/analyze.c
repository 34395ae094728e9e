// SPDX-License-Identifier: GPL-2.0
/*
 * Read one level's trace.dat with libtracecmd and count (see analyze.h and
 * docs/counting.md). Events are classified once per event id; each record
 * then costs one table look-up and, for kvm_exit, one field read.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <trace-cmd/trace-cmd.h>

#include "collect/analyze.h"
#include "collect/counters.h"
#include "collect/events.h"
#include "stack/util.h"

#define NB_ANALYZE_TIMEOUT	900	/* s; the largest real traces take seconds */

/* Exported by libtracecmd 3.1 but declared only in its private header: the
 * per-CPU "stats" files trace-cmd saved when it read the buffers. */
const char *tracecmd_get_cpustats(struct tracecmd_input *handle);

#define NB_EV_UNKNOWN	(-2)	/* no such event in the file: a damaged record */

struct nb_reader {
	struct tep_handle *tep;
	signed char *kind;		/* by event id */
	int nr_ids;
	int exit_ev;			/* kvm_exit, counted by EC too */
	struct tep_format_field *ec;	/* kvm_exit.esr_ec */
	struct tep_format_field *buf;	/* print.buf */
	struct nb_attr *attr;
	struct nb_counts *c;
	int err;
};

static const struct {
	const char *prefix;
	int ev;
} nb_windows[] = {
	{ NB_KP_ERET_IN, NB_EV_ERET_IN },
	{ NB_KP_ERET_OUT, NB_EV_ERET_OUT },
	{ NB_KP_EXC_IN, NB_EV_EXC_IN },
	{ NB_KP_EXC_OUT, NB_EV_EXC_OUT },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* "eret_in" and "eret_in_<func>" match "eret_in"; "eret_inx" does not. */
static int has_prefix(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(name, prefix, n) && (name[n] == '\0' || name[n] == '_');
}

/* The table's events first: a row may count an event of our probe group. */
int nb_analyze_classify(const char *system, const char *name)
{
	size_t i;

	if (!system || !name)	/* a damaged format in the file */
		return NB_EV_IGNORE;
	if (!strcmp(system, "ftrace") && !strcmp(name, "print"))
		return NB_EV_MARKER;
	for (i = 0; i < nb_ncounters; i++)
		if (nb_counter_counts(&nb_counters[i], system, name))
			return NB_EV_ROW + (int)i;
	if (strcmp(system, NB_KP_SYSTEM))
		return NB_EV_IGNORE;
	for (i = 0; i < ARRAY_SIZE(nb_windows); i++)
		if (has_prefix(name, nb_windows[i].prefix))
			return nb_windows[i].ev;
	return NB_EV_IGNORE;
}

static void remember_fields(struct nb_reader *rd, struct tep_event *e, int ev)
{
	if (ev >= NB_EV_ROW && ev == rd->exit_ev)
		rd->ec = tep_find_field(e, "esr_ec");
	else if (ev == NB_EV_MARKER)
		rd->buf = tep_find_field(e, "buf");
}

static int build_kinds(struct nb_reader *rd)
{
	struct tep_event **ev = tep_list_events(rd->tep, TEP_EVENT_SORT_ID);
	int i, max = -1;

	if (!ev)
		return -ENOMEM;
	for (i = 0; ev[i]; i++)
		max = ev[i]->id > max ? ev[i]->id : max;
	rd->nr_ids = max + 1;
	rd->kind = malloc(rd->nr_ids ? rd->nr_ids : 1);
	if (!rd->kind)
		return -ENOMEM;
	memset(rd->kind, NB_EV_UNKNOWN, rd->nr_ids);
	rd->exit_ev = nb_ev_of("exits");
	for (i = 0; ev[i]; i++) {
		rd->kind[ev[i]->id] = nb_analyze_classify(ev[i]->system, ev[i]->name);
		remember_fields(rd, ev[i], rd->kind[ev[i]->id]);
	}
	return 0;
}

static uint64_t kv(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

static void on_marker(struct nb_reader *rd, struct tep_record *r)
{
	char text[256];
	int len;

	if (!rd->buf || rd->buf->offset >= r->size) {
		rd->c->unparsable++;
		return;
	}
	len = r->size - rd->buf->offset;
	len = len < (int)sizeof(text) - 1 ? len : (int)sizeof(text) - 1;
	memcpy(text, (char *)r->data + rd->buf->offset, len);
	text[len] = '\0';
	if (strncmp(text, NB_STATS_MARKER " ", strlen(NB_STATS_MARKER) + 1))
		return;
	rd->c->lost_marker += kv(text, " lost=");
}

static void on_exit_ec(struct nb_reader *rd, struct tep_record *r)
{
	unsigned long long ec = 0;

	if (!rd->ec)
		return;		/* a kernel without the field: no breakdown, no damage */
	if (rd->ec->offset + rd->ec->size <= (unsigned int)r->size &&
	    !tep_read_number_field(rd->ec, r->data, &ec))
		rd->c->exits_ec[ec % NB_EC_MAX]++;
	else
		rd->c->unparsable++;
}

static void on_gap(struct nb_reader *rd, struct tep_record *r)
{
	/* -1: the kernel knew events were lost but not how many */
	rd->c->lost_missed += r->missed_events > 0 ? r->missed_events : 1;
	nb_attr_gap(rd->attr, rd->c, r->cpu);
}

static int on_record(struct tracecmd_input *h, struct tep_record *r,
		     int cpu, void *data)
{
	struct nb_reader *rd = data;
	int id = tep_data_type(rd->tep, r);
	int ev;

	rd->c->events++;
	if (r->missed_events)
		on_gap(rd, r);
	if (id < 0 || id >= rd->nr_ids || rd->kind[id] == NB_EV_UNKNOWN) {
		rd->c->unknown++;
		return 0;
	}
	if (rd->kind[id] == NB_EV_IGNORE)
		return 0;
	ev = rd->kind[id];
	if (ev == NB_EV_MARKER) {
		on_marker(rd, r);
		return 0;
	}
	if (ev == rd->exit_ev)
		on_exit_ec(rd, r);
	rd->err = nb_attr_event(rd->attr, rd->c, r->cpu, ev, r->ts);
	return rd->err ? 1 : 0;
}

/*
 * trace-cmd saves the stats of every buffer it extracted in one text: the
 * top buffer's first, then a "Buffer: NAME" section per instance. Only our
 * instance's section counts (someone else may overrun the top buffer).
 */
static char *our_stats(struct tracecmd_input *h)
{
	const char *s = tracecmd_get_cpustats(h), *p, *end;

	if (!s)
		return NULL;
	p = strstr(s, "Buffer: " NB_INSTANCE "\n");
	if (!p)
		return strdup(s);
	end = strstr(p + 1, "Buffer: ");
	return strndup(p, end ? (size_t)(end - p) : strlen(p));
}

/* Sum of what the ring buffer says it threw away. */
static uint64_t cpustats_lost(struct tracecmd_input *h)
{
	static const char *const keys[] = {
		"\noverrun: ", "\ncommit overrun: ", "\ndropped events: ",
	};
	char *s = our_stats(h);
	uint64_t sum = 0;
	const char *p;
	size_t i;

	for (i = 0; s && i < ARRAY_SIZE(keys); i++)
		for (p = strstr(s, keys[i]); p; p = strstr(p + 1, keys[i]))
			sum += strtoull(p + strlen(keys[i]), NULL, 10);
	free(s);
	return sum;
}

/* Sum of "read events: N": what trace-cmd read out of our buffers into the file. */
static uint64_t cpustats_saved(struct tracecmd_input *h)
{
	static const char key[] = "\nread events: ";
	char *s = our_stats(h), *other;
	uint64_t sum = 0;
	const char *p;

	/* no section of ours: the top buffer's stats end where an instance's begin */
	if (s && strncmp(s, "Buffer: ", 8) && (other = strstr(s, "\nBuffer: ")))
		*other = '\0';
	for (p = s ? strstr(s, key) : NULL; p; p = strstr(p + 1, key))
		sum += strtoull(p + strlen(key), NULL, 10);
	free(s);
	return sum;
}

static struct tracecmd_input *open_instance(struct tracecmd_input *top)
{
	int i, n = tracecmd_buffer_instances(top);

	for (i = 0; i < n; i++) {
		const char *name = tracecmd_buffer_instance_name(top, i);

		if (name && !strcmp(name, NB_INSTANCE))
			return tracecmd_buffer_instance_handle(top, i);
	}
	return NULL;
}

/* The three views of loss overlap (a marker and the cpustats read the same
 * counters), so the largest one is taken rather than their sum. */
static void settle_lost(struct nb_counts *c)
{
	uint64_t m = c->lost_marker;

	m = c->lost_cpustats > m ? c->lost_cpustats : m;
	m = c->lost_missed > m ? c->lost_missed : m;
	c->lost = m;
}

/*
 * Damage is what the counters cannot account for: records of no known event,
 * records too short for their fields, records the file says it holds but the
 * reader never delivered (a corrupted page ends a CPU's data early), and a
 * failed iteration. Like lost events, it makes the level's counters suspect.
 */
static void settle_damaged(struct nb_counts *c)
{
	uint64_t missing = 0;

	if (c->expected)
		missing = c->expected > c->events ? c->expected - c->events :
			  c->events - c->expected;
	c->damaged = c->unknown + c->unparsable + missing + c->read_errors;
}

static int iterate(struct tracecmd_input *h, struct nb_counts *c)
{
	struct nb_reader rd = { .tep = tracecmd_get_tep(h), .c = c };
	int ret;

	if (!rd.tep)
		return -EINVAL;
	ret = build_kinds(&rd);
	if (!ret)
		ret = nb_attr_create(&rd.attr);
	if (ret)
		goto out;
	if (tracecmd_iterate_events(h, NULL, 0, on_record, &rd) < 0 && !rd.err)
		c->read_errors++;
	ret = rd.err;
	nb_attr_finish(rd.attr, c);
out:
	nb_attr_free(rd.attr);
	free(rd.kind);
	return ret;
}

int nb_analyze_file(const char *path, int level, struct nb_counts *c)
{
	struct tracecmd_input *top, *inst;
	int ret;

	nb_counts_init(c, level);
	tracecmd_set_loglevel(TEP_LOG_CRITICAL);
	if (access(path, R_OK))
		return -errno;
	top = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!top)
		return -EINVAL;
	inst = open_instance(top);
	ret = iterate(inst ? inst : top, c);
	c->lost_cpustats = cpustats_lost(top);
	c->expected = cpustats_saved(top);
	settle_lost(c);
	settle_damaged(c);
	if (inst)
		tracecmd_close(inst);
	tracecmd_close(top);
	return ret;
}

/* What the child sends back: its return value, then the counters. */
struct analyze_reply {
	int ret;
	struct nb_counts c;
};

static void analyze_child(int fd, const char *path, int level)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	struct analyze_reply r;
	size_t i;

	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], SIG_DFL);	/* die of it: a handler must not carry on here */
	alarm(NB_ANALYZE_TIMEOUT);	/* a loop on a corrupted file ends as SIGALRM */
	r.ret = nb_analyze_file(path, level, &r.c);
	_exit(nb_write_all(fd, &r, sizeof(r)) ? 1 : 0);
}

static int read_reply(int fd, struct analyze_reply *r)
{
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(*r)) {
		n = read(fd, (char *)r + got, sizeof(*r) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EPIPE;
		got += n;
	}
	return 0;
}

static int child_status(pid_t pid, int reply, char *why, size_t whylen)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFSIGNALED(status))
		snprintf(why, whylen, "the trace reader died of signal %d (%s)%s",
			 WTERMSIG(status), strsignal(WTERMSIG(status)),
			 WTERMSIG(status) == SIGALRM ? ": it ran too long" : "");
	else if (reply || WEXITSTATUS(status))
		snprintf(why, whylen, "the trace reader exited with status %d",
			 WEXITSTATUS(status));
	else
		return 0;
	return -ECHILD;
}

int nb_analyze_isolated(const char *path, int level, struct nb_counts *c,
			char *why, size_t whylen)
{
	struct analyze_reply r;
	int fds[2], ret, reply;
	pid_t pid;

	nb_counts_init(c, level);
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(fds[0]);
		close(fds[1]);
		return ret;
	}
	if (!pid)
		analyze_child(fds[1], path, level);
	close(fds[1]);
	reply = read_reply(fds[0], &r);
	close(fds[0]);
	ret = child_status(pid, reply, why, whylen);
	if (ret)
		return ret;
	*c = r.c;
	if (r.ret)
		snprintf(why, whylen, "%s", r.ret == -EINVAL ? "not a readable trace.dat" :
			 strerror(-r.ret));
	return r.ret;
}
