// SPDX-License-Identifier: GPL-2.0
/*
 * One boot of the stack, seen from the host: supervise L0 (an emulated
 * arm64 machine, or the L0 agent as a process on an arm64 NV host), keep
 * every frame that comes up under raw/boot-N/, and write each repetition's
 * row the moment its last piece has arrived, so nothing measured is lost.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/cpulog.h"
#include "bench/reps.h"
#include "bench/run.h"
#include "stack/armour.h"
#include "stack/platform.h"
#include "stack/level.h"
#include "stack/util.h"

/*
 * Where a boot's host time goes, from the frames' arrival times: each
 * interval between two milestones is charged to the phase it ends.
 */
enum phase {
	PH_BOOT,	/* + level: boot of L0 .. Ld, each up to its agent's hello */
	PH_FIO = PH_BOOT + NB_MAX_DEPTH + 1,	/* fio start-up and exit around repetitions */
	PH_WARMUP, PH_TIMING, PH_COUNTING,	/* I/O phases, between the marks */
	PH_TRACE,	/* after a counting repetition, until its traces have arrived */
	PH_TEARDOWN,	/* after the last repetition, until L0 is gone */
	PH_NR
};

struct phases {
	enum phase cur;
	uint64_t since;
	double s[PH_NR];
	int ends, traces_owed;
};

struct boot {
	const struct run_cfg *cfg;
	struct phases ph;
	struct nb_plan plan;	/* cfg's, plus where L0 finds things on an arm64 host */
	char raw[4096];
	struct reps *reps;
	struct cpulog cpu;	/* exceptions at the emulated CPU, switched at the marks */
	char status[512];
	uint64_t t0;
	uint64_t at;	/* when the frames being handled arrived (a lab job's log); 0: now */
	int failed;
	/* From the frames: when each level's QEMU started and its agent said hello. */
	uint64_t started[NB_MAX_DEPTH + 1], hello[NB_MAX_DEPTH + 1];
};

/* Frames read back from a lab job's log carry their own arrival time. */
static uint64_t now(const struct boot *b)
{
	return b->at ? b->at : nb_now_ns();
}

/*
 * The deepest level that was started and never said hello. When the host's
 * own limits fire, the guests' clocks may have stopped with it (under icount
 * a spinning guest stops every clock above it), so only the frames tell.
 */
static void stuck_level(const struct boot *b, char *out, size_t len)
{
	int l, el2;

	out[0] = '\0';
	for (l = b->plan.depth; l >= 0; l--)
		if (b->started[l] && !b->hello[l])
			break;
	if (l < 0)
		return;
	el2 = nb_plan_child_is_el2(&b->plan, l);
	snprintf(out, len, "L%d%s was started %.0f s into the boot and never said hello%s", l,
		 el2 ? " (a guest hypervisor)" : "", nb_secs(b->started[l] - b->t0),
		 el2 && l >= 2 ? "; if its kernels lack images/patches/common/0001-KVM-arm64-nv-sign-extend-"
		 "VNCR_EL2-from-bit-56.patch this is the known depth-3 VNCR fault loop (docs/depth3.md)" : "");
}

static const char *const phase_names[PH_NR] = {
	[PH_FIO] = "fio_startup", [PH_WARMUP] = "warmup_io", [PH_TIMING] = "timing_io",
	[PH_COUNTING] = "counting_io", [PH_TRACE] = "trace", [PH_TEARDOWN] = "teardown",
};

/* Charge the time since the last milestone to the current phase, then move on. */
static void phase_next(struct phases *ph, enum phase next, uint64_t t)
{
	ph->s[ph->cur] += nb_secs(t - ph->since);
	ph->since = t;
	ph->cur = next;
}

static enum phase after_rep(const struct boot *b)
{
	const struct nb_plan *p = &b->plan;

	if (b->ph.traces_owed > 0)
		return PH_TRACE;
	return b->ph.ends >= nb_plan_nreps(p) ? PH_TEARDOWN : PH_FIO;
}

static void phase_mark(struct boot *b, const char *text)
{
	char what[16], mode[16];
	int n;

	if (sscanf(text, "%15s %d %15s", what, &n, mode) != 3)
		return;
	if (!strcmp(what, "start")) {
		phase_next(&b->ph, !strcmp(mode, "warmup") ? PH_WARMUP :
			   !strcmp(mode, "counting") || !strcmp(mode, "exits") ? PH_COUNTING : PH_TIMING, now(b));
		return;
	}
	b->ph.ends++;
	if (!strcmp(mode, "counting"))
		b->ph.traces_owed += b->plan.depth - 1;	/* one trace per emulating level */
	phase_next(&b->ph, after_rep(b), now(b));
}

static void phase_frame(struct boot *b, const struct nb_frame *f)
{
	if (f->type == NB_F_HELLO && f->level <= b->plan.depth)
		phase_next(&b->ph, f->level < b->plan.depth ? PH_BOOT + f->level + 1 : PH_FIO, now(b));
	else if (f->type == NB_F_MARK)
		phase_mark(b, f->data);
	else if (f->type == NB_F_FILE && !strncmp(f->data, "trace-", 6) && b->ph.traces_owed > 0 &&
		 --b->ph.traces_owed == 0 && b->ph.cur == PH_TRACE)
		phase_next(&b->ph, after_rep(b), now(b));
}

/*
 * A repetition's window opens when L0 stamps its start (for a counted one,
 * once the counters are on) and closes at the end mark: the host's clock
 * and the CPU's exception log follow the same two events.
 */
static void on_mark(struct boot *b, const char *text)
{
	if (!strncmp(text, "end ", 4))
		cpulog_mark(&b->cpu, b->reps, text);
	reps_mark(b->reps, text, now(b));
}

static void on_stamp(struct boot *b, const char *text)
{
	char mode[16], mark[64];
	unsigned long long ns;
	int n;

	reps_stamp(b->reps, text, now(b));
	if (sscanf(text, "start %d %llu %15s", &n, &ns, mode) == 3) {
		snprintf(mark, sizeof(mark), "start %d %s", n, mode);
		cpulog_mark(&b->cpu, b->reps, mark);
	}
}

/* One phases.csv row per phase this boot went through, and the total. */
static void phases_write(struct boot *b)
{
	char name[32];
	double total = 0;
	int i;

	phase_next(&b->ph, b->ph.cur, now(b));
	for (i = 0; i < PH_NR; i++) {
		if (i <= b->plan.depth)
			snprintf(name, sizeof(name), "boot_L%d", i);
		else if (phase_names[i])
			snprintf(name, sizeof(name), "%s", phase_names[i]);
		else
			continue;
		reps_phase_row(b->reps, name, b->ph.s[i]);
		total += b->ph.s[i];
	}
	reps_phase_row(b->reps, "total", total);
}

static void track(struct boot *b, const struct nb_frame *f)
{
	if (f->level > NB_MAX_DEPTH)
		return;
	if (f->type == NB_F_STATUS && strstr(f->data, "qemu-system") == f->data + strspn(f->data, "/usrbin"))
		b->started[f->level] = now(b);
	else if (f->type == NB_F_HELLO)
		b->hello[f->level] = now(b);
}

static void raw_path(struct boot *b, char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", b->raw, name);
}

static void append_raw(struct boot *b, const char *name, const void *data, size_t len)
{
	char path[4200];

	raw_path(b, path, sizeof(path), name);
	nb_append_file(path, data, len);
}

static void on_file(struct boot *b, const struct nb_frame *f)
{
	size_t nlen = strnlen(f->data, f->len);
	char path[4200];

	if (nlen == f->len || strchr(f->data, '/'))
		return;
	raw_path(b, path, sizeof(path), f->data);
	nb_write_file(path, f->data + nlen + 1, f->len - nlen - 1);
	reps_file(b->reps, f->data, path);
}

static void on_fail(struct boot *b, const struct nb_frame *f)
{
	char reason[512] = "", doing[512] = "", stuck[512];

	b->failed = 1;
	append_raw(b, "failure.txt", f->data, f->len);
	nb_kv_get(f->data, "reason", reason, sizeof(reason));
	nb_kv_get(f->data, "doing", doing, sizeof(doing));
	fprintf(stderr, "\nnestbench: boot %d: L%d failed: %s\n  while: %s\n  details: %s/failure.txt\n",
		b->cfg->boot, f->level, reason, doing, b->raw);
	stuck_level(b, stuck, sizeof(stuck));
	if (f->level == 0 && stuck[0] && !strstr(reason, "did not boot")) {	/* L0 is only the messenger */
		fprintf(stderr, "  below it: %s\n", stuck);
		append_raw(b, "failure.txt", "stuck=", 6);
		append_raw(b, "failure.txt", stuck, strlen(stuck));
		append_raw(b, "failure.txt", "\n", 1);
	}
	reps_boot_row(b->reps, f->level, "failed", reason, NULL);
}

static void log_frame(struct boot *b, const struct nb_frame *f)
{
	char line[700];
	int n;

	n = snprintf(line, sizeof(line), "%.3f L%d %s %.*s\n", nb_secs(now(b) - b->t0),
		     f->level, nb_frame_type_name(f->type),
		     f->type == NB_F_FILE ? (int)strnlen(f->data, f->len) :
		     (int)(f->len < 600 ? f->len : 600), f->data);
	append_raw(b, "frames.log", line, n < (int)sizeof(line) ? n : (int)sizeof(line) - 1);
}

/* Milestones as plain lines: what a log (or a terminal's scrollback) should keep. */
static void milestone(struct boot *b, const struct nb_frame *f)
{
	char v[64] = "", mode[16] = "";
	int rep;

	if (b->cfg->quiet)
		return;
	if (f->type == NB_F_BOOT && !nb_kv_get(f->data, "boot_s", v, sizeof(v)))
		fprintf(stderr, "%snestbench: boot %d: L%d up after %s s (%s clock)\n", isatty(2) ? "\r\033[K" : "",
			b->cfg->boot, f->level, v, nb_kv_get(f->data, "clock", mode, sizeof(mode)) ? "?" : mode);
	else if (f->type == NB_F_MARK && sscanf(f->data, "end %d %15s", &rep, mode) == 2)
		fprintf(stderr, "%snestbench: boot %d: repetition %d (%s) done at %.0f s\n", isatty(2) ? "\r\033[K" : "",
			b->cfg->boot, rep, mode, nb_secs(now(b) - b->t0));
}

/*
 * --frames console: the run is a step of a LAVA job on an NV server, whose
 * log is the only way back: every frame, re-encoded, armoured on stdout.
 */
static void echo_frame(const struct nb_frame *f)
{
	static uint32_t seq;
	uint8_t *buf = malloc(NB_FRAME_HDR + f->len);

	if (!buf)
		return;
	nb_armour_write(1, buf, nb_frame_encode(buf, f->type, f->level, seq++, f->data, f->len));
	free(buf);
}

static int host_frame(void *ctx, struct nb_child *c, const struct nb_frame *f)
{
	struct boot *b = ctx;
	char name[32];

	if (b->cfg->frames_console)
		echo_frame(f);
	if (f->type == NB_F_CONSOLE) {
		snprintf(name, sizeof(name), "console-L%d.log", f->level);
		append_raw(b, name, f->data, f->len);
		return 0;
	}
	log_frame(b, f);
	track(b, f);
	phase_frame(b, f);
	milestone(b, f);
	switch (f->type) {
	case NB_F_FILE:   on_file(b, f); break;
	case NB_F_FAIL:   on_fail(b, f); break;
	case NB_F_MARK:   on_mark(b, f->data); break;
	case NB_F_STAMP:  on_stamp(b, f->data); break;
	case NB_F_BOOT:   reps_boot_row(b->reps, f->level, "ok", "", f->data); break;
	case NB_F_STATUS: snprintf(b->status, sizeof(b->status), "L%d %s", f->level, f->data); break;
	}
	return 0;
}

static void host_tick(void *ctx, struct nb_child *c, const char *doing)
{
	struct boot *b = ctx;
	double el = nb_secs(nb_now_ns() - b->t0);

	if (b->cfg->timeout && el > b->cfg->timeout) {
		char why[700];

		snprintf(why, sizeof(why), "the boot exceeded its limit of %d s of host wall clock; "
			 "last heard: %s", b->cfg->timeout, b->status[0] ? b->status : doing);
		nb_child_abort(c, why);
		return;
	}
	if (!b->cfg->quiet && !b->cfg->parallel && isatty(2))
		fprintf(stderr, "\r\033[K[%s boot %d%s%s %4.0fs] %.90s", b->cfg->variant, b->cfg->boot,
			b->cfg->progress[0] ? ", " : "", b->cfg->progress, el, b->status[0] ? b->status : doing);
}

/* kernels/<variant>/Image links, the layout L0 finds in a guest's root filesystem */
static int link_kernels(struct boot *b, char *dir, size_t len)
{
	char key[96], img[4096], path[4400];
	int l;

	if (snprintf(dir, len, "%s/kernels", b->raw) >= (int)len)
		return -ENAMETOOLONG;
	for (l = 0; l <= b->plan.depth; l++) {
		snprintf(key, sizeof(key), "kernel.%s", b->plan.lv[l].kernel);
		snprintf(path, sizeof(path), "%s/%s", dir, b->plan.lv[l].kernel);
		if (images_get(b->cfg->images, key, img, sizeof(img)) || nb_mkdir_p(path))
			return -ENOENT;
		strcat(path, "/Image");
		if (symlink(img, path) && errno != EEXIST)
			return -errno;
	}
	return 0;
}

/* On an arm64 NV host L0 is the agent itself, run as a process. */
static int host_l0(struct boot *b, struct nb_qemu_env *env, const char *rootfs)
{
	struct nb_plan *p = &b->plan;

	if (link_kernels(b, p->l0_kernels, sizeof(p->l0_kernels)))
		return -ENOENT;
	snprintf(p->l0_qemu, sizeof(p->l0_qemu), "/usr/bin/qemu-system-aarch64");
	if (snprintf(p->l0_rootfs, sizeof(p->l0_rootfs), "%s", rootfs) >= (int)sizeof(p->l0_rootfs))
		return -ENAMETOOLONG;
	snprintf(p->l0_run, sizeof(p->l0_run), "/tmp/nestbench-%d-b%d", (int)getpid(), b->cfg->boot);
	env->l0_agent = "build/arm64/nbagent";
	env->tcg = 0;
	return nb_mkdir_p(p->l0_run);
}

static int qemu_env(struct boot *b, struct nb_qemu_env *env, char *kernel, char *rootfs, char *chan)
{
	char key[96];

	snprintf(key, sizeof(key), "kernel.%s", b->plan.lv[0].kernel);
	if (images_get(b->cfg->images, key, kernel, 4096) || images_get(b->cfg->images, "rootfs", rootfs, 4096))
		return -ENOENT;
	/* named after the harness (boots side by side are its children) and the boot */
	snprintf(chan, 108, "/tmp/nestbench-%d-b%d-chan.sock", b->cfg->harness ? b->cfg->harness : (int)getpid(),
		 b->cfg->boot);
	*env = (struct nb_qemu_env){ .qemu = "/usr/bin/qemu-system-aarch64", .kernel = kernel,
				     .rootfs = rootfs, .chan = chan, .tcg = 1 };
	return nb_plan_platform(&b->plan)->l0_guest ? 0 : host_l0(b, env, rootfs);
}

static int boot_run(struct boot *b)
{
	char kernel[4096], rootfs[4096], chan[108];
	struct nb_sink sink = { .ctx = b, .frame = host_frame, .tick = host_tick, .extra_fd = -1 };
	struct nb_qemu_env env;
	struct nb_child *c;
	int ret;

	if (qemu_env(b, &env, kernel, rootfs, chan) || cpulog_init(&b->cpu, b->cfg, b->raw, &env))
		return -1;
	c = nb_child_start(&b->plan, 0, &env, "host", &sink);
	if (!c) {
		fprintf(stderr, "nestbench: cannot start QEMU for L0: %s\n", strerror(errno));
		return -1;
	}
	ret = nb_child_wait(c);
	nb_child_free(c);
	cpulog_finish(&b->cpu, b->reps);
	unlink(chan);
	return ret;
}

struct boot *boot_open(const struct run_cfg *cfg, uint64_t t0)
{
	struct boot *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	*b = (struct boot){ .cfg = cfg, .plan = cfg->plan, .t0 = t0 ? t0 : nb_now_ns() };
	b->ph.since = b->t0;
	snprintf(b->raw, sizeof(b->raw), "%s/raw/boot-%d", cfg->outdir, cfg->boot);
	if (nb_mkdir_p(b->raw)) {
		fprintf(stderr, "nestbench: cannot create %s: %s\n", b->raw, strerror(errno));
		free(b);
		return NULL;
	}
	b->reps = reps_open(cfg);
	if (!b->reps) {
		free(b);
		return NULL;
	}
	return b;
}

int boot_frame(struct boot *b, const struct nb_frame *f, uint64_t at)
{
	int ret;

	b->at = at;
	ret = host_frame(b, NULL, f);
	b->at = 0;
	return ret;
}

const char *boot_raw(const struct boot *b)
{
	return b->raw;
}

/* 0, or -1 when a level failed or a row could not be written (ret: the run's own result). */
int boot_close(struct boot *b, int ret, uint64_t end)
{
	b->at = end;
	phases_write(b);
	ret |= reps_close(b->reps);
	ret = ret || b->failed ? -1 : 0;
	free(b);
	return ret;
}

int local_boot(const struct run_cfg *cfg)
{
	struct boot *b = boot_open(cfg, 0);
	int ret;

	if (!b)
		return -1;
	ret = boot_run(b);
	if (!cfg->quiet && !cfg->parallel && isatty(2))
		fputc('\n', stderr);
	return boot_close(b, ret, 0);
}
