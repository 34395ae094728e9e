// SPDX-License-Identifier: GPL-2.0
/*
 * nestbench doctor: what the chosen platform needs, and what is missing,
 * one line per check, each missing thing with its fix. It changes nothing
 * and boots nothing, so it runs on any host, arm64 or not.
 *
 * A check is one row of doctor_checks[]: its name, the platforms it applies
 * to, the function that looks, and the fix. A new check is one new row.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/builtin.h"
#include "bench/doctor.h"
#include "bench/lab.h"
#include "bench/run.h"
#include "stack/opt.h"
#include "stack/platform.h"
#include "stack/util.h"

#ifndef KVM_CAP_ARM_EL2
#define KVM_CAP_ARM_EL2 240
#endif

#define QEMU_PATH	"/usr/bin/qemu-system-aarch64"	/* the one bench/boot.c runs */
#define AGENT_PATH	"build/arm64/nbagent"		/* L0 on an arm64 host (bench/boot.c) */
#define TRACEFS_DIR	"/sys/kernel/tracing"		/* collect/tracer.c */
#define TRACEFS_MAGIC_NB 0x74726163			/* "trac", linux/magic.h */
#define BOOT_OVERHEAD_MIB 512	/* one QEMU's own memory: TCG code cache, page tables, devices */
#define DISK_COLD_GIB	10	/* a cold 'make images': kernel source, its build tree, rootfs */
#define DISK_WARM_GIB	2	/* images built: results and traces */
#define VERSION_TIMEOUT_MS 10000
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Which platforms a check is for: a bit per row of stack/platform.h, and DOC_ARM64. */
enum {
	DOC_ARM64 = 1,		/* only meaningful on an arm64 machine: elsewhere "not applicable" */
	DOC_EMULATED = 1u << NB_PLATFORM_EMULATED,
	DOC_HOST = 1u << NB_PLATFORM_HOST,
	DOC_BOTH = DOC_EMULATED | DOC_HOST,
	DOC_LAVA = 1u << 8,	/* --executor lava: the lab, whatever the platform */
};

struct doctor {
	int platform;		/* the platform checked (stack/platform.h) */
	int emulated;		/* its L0 is a guest (l0_guest): deeper levels live in its memory */
	int jobs;		/* boots side by side */
	const char *images;	/* images manifest */
	const char *why;	/* how the platform was chosen */
	struct utsname uts;
	struct nb_plan plan;	/* the default plan: its memory and vCPUs */
	struct nb_lab lab;	/* --executor lava: the server, its token, the device type */
};

/* ---- pure parts (bench/doctor.h) ---- */

/* Digits at *s, at most max; *s moves past them. */
static int parse_uint(const char **s, unsigned max, unsigned *out)
{
	const char *p = *s;
	unsigned v = 0;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > max)
			return -ERANGE;
	}
	*out = v;
	*s = p;
	return 0;
}

int doctor_qemu_version(const char *text, struct doctor_version *v)
{
	static const char prefix[] = "QEMU emulator version ";
	struct doctor_version r = { 0 };
	const char *p = text;

	if (!p || strncmp(p, prefix, sizeof(prefix) - 1))
		return -EINVAL;
	p += sizeof(prefix) - 1;
	if (parse_uint(&p, 999, &r.major) || *p++ != '.' || parse_uint(&p, 999, &r.minor))
		return -EINVAL;
	if (*p == '.' && (p++, parse_uint(&p, 9999, &r.micro)))
		return -EINVAL;
	if (*p && *p != ' ' && *p != '\n')
		return -EINVAL;
	*v = r;
	return 0;
}

int doctor_pkg_version(const char *text, struct doctor_version *v)
{
	struct doctor_version r = { 0 };
	const char *p = text;
	unsigned epoch;

	if (!p)
		return -EINVAL;
	if (isdigit((unsigned char)*p) && p[strspn(p, "0123456789")] == ':' &&
	    (parse_uint(&p, 99, &epoch) || *p++ != ':'))
		return -EINVAL;
	if (parse_uint(&p, 999, &r.major) || *p++ != '.' || parse_uint(&p, 999, &r.minor))
		return -EINVAL;
	if (*p == '.' && (p++, parse_uint(&p, 9999, &r.micro)))
		return -EINVAL;
	if (*p && !strchr("+~-", *p))
		return -EINVAL;
	*v = r;
	return 0;
}

int doctor_version_at_least(const struct doctor_version *v, unsigned major, unsigned minor)
{
	return v->major > major || (v->major == major && v->minor >= minor);
}

/* The next word at *s (quotes may hold spaces, as in the kernel's next_arg); its length, 0 at the end. */
static size_t next_word(const char **s)
{
	const char *p = *s + strspn(*s, " \t\n");
	int quoted = 0;
	size_t n;

	for (n = 0; p[n] && (quoted || !isspace((unsigned char)p[n])); n++)
		quoted ^= p[n] == '"';
	*s = p;
	return n;
}

/* Strips a pair of quotes around [*p, *p + *n), as the kernel does. */
static void unquote(const char **p, size_t *n)
{
	if (*n < 2 || **p != '"')
		return;
	(*p)++;
	*n -= 1 + ((*p)[*n - 2] == '"');
}

int doctor_cmdline_param(const char *cmdline, const char *key, char *val, size_t len)
{
	size_t klen = strlen(key), n, vlen;
	const char *p = cmdline, *w, *v;
	int ret = -ENOENT;

	for (; (n = next_word(&p)); p += n) {
		if (n == 2 && !strncmp(p, "--", 2))
			break;		/* the rest is init's */
		w = p;
		vlen = n;
		unquote(&w, &vlen);
		if (vlen <= klen || strncmp(w, key, klen) || w[klen] != '=')
			continue;
		v = w + klen + 1;
		vlen -= klen + 1;
		unquote(&v, &vlen);
		ret = vlen < len ? 0 : -ENAMETOOLONG;
		if (!ret)
			snprintf(val, len, "%.*s", (int)vlen, v);
	}
	return ret;
}

int doctor_meminfo_kib(const char *text, const char *key, uint64_t *kib)
{
	size_t klen = strlen(key);
	unsigned long long v;
	const char *line, *p;
	char *end;

	for (line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		p = line + klen + 1 + strspn(line + klen + 1, " \t");
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		errno = 0;
		v = strtoull(p, &end, 10);
		if (errno || v > (1ULL << 44) || strncmp(end, " kB", 3) || (end[3] && end[3] != '\n'))
			return -EINVAL;	/* 2^44 KiB = 16 PiB */
		*kib = v;
		return 0;
	}
	return -ENOENT;
}

uint64_t doctor_mem_need_mib(const struct nb_plan *p, int emulated, int jobs)
{
	const struct nb_level_cfg *outer = &p->lv[emulated ? 0 : 1];

	return (uint64_t)jobs * (outer->mem_mb + BOOT_OVERHEAD_MIB);
}

/* ---- looking at the host ---- */

/* Searches PATH like execvp would; 0 with the path in out, or -ENOENT. */
static int which(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH"), *p, *end;

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = end + 1) {
		end = strchrnul(p, ':');
		if (end > p && snprintf(out, len, "%.*s/%s", (int)(end - p), p, name) < (int)len &&
		    !access(out, X_OK))
			return 0;
		if (!*end)
			return -ENOENT;
	}
}

/*
 * Reads fd to its end into buf (what does not fit is drained), within
 * timeout_ms; 0 or -errno. buf holds a string whatever happens.
 */
static int read_all(int fd, char *buf, size_t len, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint64_t deadline = nb_now_ns() + timeout_ms * 1000000ull, now;
	char scratch[512], *dst;
	size_t n = 0;
	ssize_t r;

	buf[0] = '\0';
	while ((now = nb_now_ns()) < deadline) {
		r = poll(&pfd, 1, (int)((deadline - now) / 1000000) + 1);
		if (r == 0 || (r < 0 && errno != EINTR))
			break;
		dst = n + 1 < len ? buf + n : scratch;
		r = r < 0 ? -1 : read(fd, dst, dst == scratch ? sizeof(scratch) : len - 1 - n);
		if (r == 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
		n += dst == scratch || r < 0 ? 0 : (size_t)r;
		buf[n] = '\0';
	}
	return -ETIMEDOUT;
}

/* pid's wait status by the deadline; else it is killed and -ETIMEDOUT. */
static int wait_until(pid_t pid, uint64_t deadline, int *status)
{
	pid_t r;

	while ((r = waitpid(pid, status, WNOHANG)) == 0 && nb_now_ns() < deadline)
		usleep(10000);
	if (r == pid)
		return 0;
	kill(pid, SIGKILL);
	waitpid(pid, status, 0);
	return r < 0 ? -errno : -ETIMEDOUT;
}

int doctor_capture(char *const argv[], char *buf, size_t len, int timeout_ms)
{
	uint64_t deadline = nb_now_ns() + timeout_ms * 1000000ull;
	int fds[2], status, ret;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	pid = nb_spawn(argv, fds[1], -1);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return pid;
	}
	ret = read_all(fds[0], buf, len, timeout_ms);	/* a child may close its stdout and go on */
	close(fds[0]);
	ret = wait_until(pid, ret ? 0 : deadline, &status) ?: ret;
	if (ret)
		return ret;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 256 + WTERMSIG(status);
}

const char *doctor_capture_error(int ret, int timeout_ms, char *text, size_t len)
{
	char first[160];

	text[strcspn(text, "\n")] = '\0';
	snprintf(first, sizeof(first), "%s", text);
	if (ret == -ETIMEDOUT)
		snprintf(text, len, "did not finish in %g s (killed)", timeout_ms / 1000.0);
	else if (ret < 0)
		snprintf(text, len, "%s", strerror(-ret));
	else if (ret > 255)
		snprintf(text, len, "killed by signal %d", ret - 256);
	else
		snprintf(text, len, "exit status %d: %s", ret, *first ? first : "no output");
	return text;
}

static int capture(char *const argv[], char *buf, size_t len)
{
	return doctor_capture(argv, buf, len, VERSION_TIMEOUT_MS);
}

/* 1 when /dev/kvm has KVM_CAP_ARM_EL2, 0 when not, -errno when /dev/kvm cannot be asked. */
static int kvm_el2(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC), r, err;

	if (fd < 0)
		return -errno;
	r = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_EL2);
	err = errno;
	close(fd);
	return r < 0 ? -err : r > 0;
}

/* ---- the checks: each fills detail and says OK, WARN or MISS ---- */

typedef enum doc_status (*check_fn)(const struct doctor *d, char *out, size_t len);

#define SAY(status, ...) (snprintf(out, len, __VA_ARGS__), (status))

static enum doc_status check_machine(const struct doctor *d, char *out, size_t len)
{
	if (strcmp(d->uts.machine, "aarch64"))
		return SAY(DOC_MISS, "this machine is %s; on the host platform L0 is the machine itself, "
			   "so it must be arm64", d->uts.machine);
	return SAY(DOC_OK, "aarch64");
}

static enum doc_status check_kvm_dev(const struct doctor *d, char *out, size_t len)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return SAY(DOC_MISS, "cannot open /dev/kvm read-write: %s", strerror(errno));
	close(fd);
	return SAY(DOC_OK, "/dev/kvm opens read-write");
}

static enum doc_status check_kvm_el2(const struct doctor *d, char *out, size_t len)
{
	int r = kvm_el2();

	if (r < 0)
		return SAY(DOC_MISS, "cannot ask /dev/kvm: %s", strerror(-r));
	if (!r)
		return SAY(DOC_MISS, "KVM_CHECK_EXTENSION(KVM_CAP_ARM_EL2 = %d) says 0: KVM cannot run an EL2 guest",
			   KVM_CAP_ARM_EL2);
	return SAY(DOC_OK, "KVM_CHECK_EXTENSION(KVM_CAP_ARM_EL2 = %d) says %d", KVM_CAP_ARM_EL2, r);
}

static enum doc_status check_cmdline(const struct doctor *d, char *out, size_t len)
{
	char *cmdline = nb_read_file("/proc/cmdline", NULL), mode[64];
	int ret;

	if (!cmdline)
		return SAY(DOC_MISS, "cannot read /proc/cmdline: %s", strerror(errno));
	ret = doctor_cmdline_param(cmdline, "kvm-arm.mode", mode, sizeof(mode));
	free(cmdline);
	if (ret == -ENOENT)
		return SAY(DOC_MISS, "/proc/cmdline has no kvm-arm.mode");
	if (ret || strcmp(mode, "nested"))
		return SAY(DOC_MISS, "/proc/cmdline has kvm-arm.mode=%s", ret ? "(too long)" : mode);
	return SAY(DOC_OK, "/proc/cmdline has kvm-arm.mode=nested");
}

/*
 * No file says "VHE" without dmesg; but the kernel takes kvm-arm.mode=nested
 * only when it runs at EL2 with VHE (arch/arm64/kvm/arm.c, early_kvm_mode_cfg),
 * and KVM_CAP_ARM_EL2 only in that mode: the capability implies VHE.
 */
static enum doc_status check_vhe(const struct doctor *d, char *out, size_t len)
{
	int r = kvm_el2();

	if (r == 1)
		return SAY(DOC_OK, "implied by KVM_CAP_ARM_EL2 (the kernel grants kvm-arm.mode=nested only at EL2 with VHE)");
	return SAY(DOC_MISS, "not shown: %s, and that capability is the dmesg-free sign of VHE (the kernel grants "
		   "kvm-arm.mode=nested only at EL2 with VHE; 'dmesg | grep -i vhe' tells more)",
		   r < 0 ? "/dev/kvm cannot be asked for KVM_CAP_ARM_EL2" : "KVM_CAP_ARM_EL2 is absent");
}

static enum doc_status qemu_at_least(char *out, size_t len, unsigned major, unsigned minor, const char *why)
{
	char *argv[] = { QEMU_PATH, "--version", NULL }, text[512];
	struct doctor_version v;
	int ret;

	if (access(QEMU_PATH, X_OK))
		return SAY(DOC_MISS, "no %s: %s", QEMU_PATH, strerror(errno));
	ret = capture(argv, text, sizeof(text));
	if (ret)
		return SAY(DOC_MISS, "%s --version failed: %.80s", QEMU_PATH,
			   doctor_capture_error(ret, VERSION_TIMEOUT_MS, text, sizeof(text)));
	if (doctor_qemu_version(text, &v))
		return SAY(DOC_MISS, "cannot parse %s --version: \"%.60s\"", QEMU_PATH, strtok(text, "\n") ?: "");
	return SAY(doctor_version_at_least(&v, major, minor) ? DOC_OK : DOC_MISS, "%u.%u.%u at %s (needs >= %u.%u: %s)",
		   v.major, v.minor, v.micro, QEMU_PATH, major, minor, why);
}

static enum doc_status check_qemu_tcg(const struct doctor *d, char *out, size_t len)
{
	return qemu_at_least(out, len, 9, 0, "FEAT_NV2 in TCG's -cpu max");
}

static enum doc_status check_qemu_kvm(const struct doctor *d, char *out, size_t len)
{
	return qemu_at_least(out, len, 10, 1, "a nested guest under KVM on -M virt,virtualization=on");
}

static int is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static enum doc_status check_images(const struct doctor *d, char *out, size_t len)
{
	static const char *const keys[] = { "kernel.base", "kernel.patched", "rootfs" };
	char path[4096];
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		ret = __images_get(d->images, keys[i], path, sizeof(path));
		if (ret == -EIO)
			return SAY(DOC_MISS, "cannot read the manifest %s", d->images);
		if (ret)
			return SAY(DOC_MISS, "%s names no %s", d->images, keys[i]);
		if (!is_file(path))
			return SAY(DOC_MISS, "%s's %s=%s does not exist", d->images, keys[i], path);
	}
	return SAY(DOC_OK, "%s: kernels base, patched and the rootfs exist", d->images);
}

static enum doc_status check_agent(const struct doctor *d, char *out, size_t len)
{
	if (access(AGENT_PATH, X_OK))
		return SAY(DOC_MISS, "no %s here (%s): L0's agent runs from it", AGENT_PATH, strerror(errno));
	return SAY(DOC_OK, "%s", AGENT_PATH);
}

static enum doc_status check_tool(char *out, size_t len, const char *name, const char *what)
{
	char path[4096];

	if (which(name, path, sizeof(path)))
		return SAY(DOC_MISS, "no %s in PATH (%s)", name, what);
	return SAY(DOC_OK, "%s", path);
}

static enum doc_status check_cc(const struct doctor *d, char *out, size_t len)
{
	const char *prefix = getenv("CROSS_COMPILE");
	char name[256];

	snprintf(name, sizeof(name), "%sgcc", prefix ? prefix : "aarch64-linux-gnu-");
	return check_tool(out, len, name, "builds the agent and the kernels");
}

static enum doc_status check_gnuplot(const struct doctor *d, char *out, size_t len)
{
	return check_tool(out, len, "gnuplot", "draws the report's plots");
}

enum doc_status doctor_probe_version(const char *name, int timeout_ms, char *out, size_t len)
{
	char path[4096], text[256];
	char *argv[] = { path, "--version", NULL };
	int ret;

	if (which(name, path, sizeof(path)))
		return SAY(DOC_MISS, "no %s in PATH", name);
	ret = doctor_capture(argv, text, sizeof(text), timeout_ms);
	if (ret)
		return SAY(DOC_MISS, "%s --version failed: %.80s", path,
			   doctor_capture_error(ret, timeout_ms, text, sizeof(text)));
	return SAY(DOC_OK, "%s (%.40s)", path, strtok(text, "\n") ?: "");
}

/* Debian's perf is a wrapper: it may lack this kernel's */
static enum doc_status check_perf(const struct doctor *d, char *out, size_t len)
{
	return doctor_probe_version("perf", VERSION_TIMEOUT_MS, out, len);
}

static enum doc_status check_paranoid(const struct doctor *d, char *out, size_t len)
{
	char *text = nb_read_file("/proc/sys/kernel/perf_event_paranoid", NULL), *end;
	long v;

	if (!text)
		return SAY(DOC_MISS, "cannot read /proc/sys/kernel/perf_event_paranoid: %s", strerror(errno));
	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || (*end && *end != '\n') || v < -1 || v > 4) {
		free(text);
		return SAY(DOC_MISS, "perf_event_paranoid is not a level from -1 to 4");
	}
	free(text);
	if (!geteuid())
		return SAY(DOC_OK, "perf_event_paranoid=%ld, but running as root: no limit", v);
	if (v <= 0)
		return SAY(DOC_OK, "perf_event_paranoid=%ld: system-wide counting allowed", v);
	return SAY(v == 1 ? DOC_WARN : DOC_MISS, "perf_event_paranoid=%ld: %s", v,
		   v == 1 ? "this user's processes only, not system-wide" : "no kernel counting for this user");
}

static enum doc_status check_tracefs(const struct doctor *d, char *out, size_t len)
{
	struct statfs st;

	if (statfs(TRACEFS_DIR, &st) || st.f_type != TRACEFS_MAGIC_NB)
		return SAY(DOC_MISS, "no tracefs mounted at %s", TRACEFS_DIR);
	if (access(TRACEFS_DIR "/tracing_on", W_OK))
		return SAY(DOC_MISS, "%s/tracing_on is not writable: %s", TRACEFS_DIR, strerror(errno));
	return SAY(DOC_OK, "mounted at %s, writable", TRACEFS_DIR);
}

/* The directory itself, or its nearest existing parent (before the first 'make images'). */
static int statvfs_up(char *dir, struct statvfs *st)
{
	char *slash;

	while (statvfs(dir, st)) {
		slash = strrchr(dir, '/');
		if (errno != ENOENT || !slash || slash == dir)
			return -errno;
		*slash = '\0';
	}
	return 0;
}

static enum doc_status check_disk(const struct doctor *d, char *out, size_t len)
{
	char dir[4096], cache[4096], scratch[4200];
	int built = check_images(d, scratch, sizeof(scratch)) == DOC_OK;
	unsigned need = built ? DISK_WARM_GIB : DISK_COLD_GIB;
	struct statvfs st;
	double gib;
	int ret;

	nb_cache_dir(cache, sizeof(cache));
	snprintf(dir, sizeof(dir), "%s", cache);
	ret = statvfs_up(dir, &st);
	if (ret)
		return SAY(DOC_MISS, "cannot look at %s: %s", cache, strerror(-ret));
	gib = (double)st.f_bavail * st.f_frsize / (1u << 30);
	return SAY(gib >= need ? DOC_OK : DOC_MISS, "%.1f GiB free for %s (needs %u GiB: %s)", gib, cache, need,
		   built ? "images built, results and traces" : "a cold 'make images'");
}

static int mem_available_kib(uint64_t *kib)
{
	char *text = nb_read_file("/proc/meminfo", NULL);
	int ret = text ? doctor_meminfo_kib(text, "MemAvailable", kib) : -errno;

	free(text);
	return ret;
}

static enum doc_status check_mem(const struct doctor *d, char *out, size_t len)
{
	int outer = d->emulated ? 0 : 1;	/* deeper levels live inside its memory */
	unsigned long long need = doctor_mem_need_mib(&d->plan, d->emulated, d->jobs);
	unsigned long long one = doctor_mem_need_mib(&d->plan, d->emulated, 1), mib;
	uint64_t kib;
	int ret = mem_available_kib(&kib);

	if (ret)
		return SAY(DOC_MISS, "cannot read MemAvailable in /proc/meminfo: %s", strerror(-ret));
	mib = kib / 1024;
	if (mib < need && mib >= one)
		return SAY(DOC_WARN, "%llu MiB available: %d boots side by side need %llu, %llu fit (--jobs %llu)",
			   mib, d->jobs, need, mib / one, mib / one);
	return SAY(mib >= need ? DOC_OK : DOC_MISS, "%llu MiB available, %llu needed: %d boot%s x (%d MiB L%d + %d MiB QEMU)",
		   mib, need, d->jobs, d->jobs > 1 ? "s" : "", d->plan.lv[outer].mem_mb, outer, BOOT_OVERHEAD_MIB);
}

static enum doc_status check_cpus(const struct doctor *d, char *out, size_t len)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return SAY(DOC_MISS, "cannot count the online CPUs");
	if (d->emulated)	/* icount TCG runs a boot's vCPUs on one host thread */
		return SAY(n >= d->jobs ? DOC_OK : DOC_WARN, "%ld online, %d boot%s side by side (icount TCG: one host thread each)",
			   n, d->jobs, d->jobs > 1 ? "s" : "");
	return SAY(n > d->plan.lv[1].cpus ? DOC_OK : DOC_WARN, "%ld online; L1 has %d vCPU%s and the host needs one of its own",
		   n, d->plan.lv[1].cpus, d->plan.lv[1].cpus > 1 ? "s" : "");
}

struct doctor_check {
	const char *name;
	unsigned flags;		/* DOC_EMULATED, DOC_HOST, DOC_ARM64 */
	check_fn check;
	const char *fix;
};

/* ---- the lab (--executor lava, bench/lab.c) ---- */

static enum doc_status check_lava_server(const struct doctor *d, char *out, size_t len)
{
	struct nb_lab l = d->lab;
	char err[768];

	if (lab_server(&l, err, sizeof(err)))
		return snprintf(out, len, "%.*s", (int)strcspn(err, "\n"), err), DOC_MISS;
	return snprintf(out, len, "%s, a token from the environment", l.url), DOC_OK;
}

static enum doc_status check_lava_token(const struct doctor *d, char *out, size_t len)
{
	struct nb_lab l = d->lab;
	char err[768], user[80];

	if (lab_server(&l, err, sizeof(err)))
		return snprintf(out, len, "no server or token (above)"), DOC_MISS;
	if (lab_whoami(&l, user, sizeof(user), err, sizeof(err)))
		return snprintf(out, len, "%.600s", err), DOC_MISS;
	return snprintf(out, len, "accepted: user '%s'", user), DOC_OK;
}

static enum doc_status check_lava_devices(const struct doctor *d, char *out, size_t len)
{
	struct nb_lab l = d->lab;
	char err[768];
	int good, idle;

	if (lab_server(&l, err, sizeof(err)))
		return snprintf(out, len, "no server or token (above)"), DOC_MISS;
	if (lab_devices(&l, &good, &idle, err, sizeof(err)))
		return snprintf(out, len, "%.600s", err), DOC_MISS;
	snprintf(out, len, "device type '%s': %d Good, %d of them Idle", l.device_type, good, idle);
	return !good ? DOC_MISS : !idle ? DOC_WARN : DOC_OK;
}

/* One device's worker QEMU into out: 1 when it is >= 9.0, 0 when older or unknown. */
static int lava_qemu_one(const struct nb_lab *l, const char *dev, char *out, size_t len)
{
	char version[64], err[768];
	struct doctor_version v;
	long job = 0;
	int ret = lab_device_qemu(l, dev, version, sizeof(version), &job, err, sizeof(err));

	if (ret == -ENOENT)
		return snprintf(out, len, "%s: unknown (no finished job booted QEMU there)", dev), 0;
	if (ret)
		return snprintf(out, len, "%s: unknown (%.300s)", dev, err), 0;
	if (doctor_pkg_version(version, &v))
		return snprintf(out, len, "%s: cannot parse '%s' (job %ld)", dev, version, job), 0;
	snprintf(out, len, "%s: %u.%u.%u (job %ld)", dev, v.major, v.minor, v.micro, job);
	return doctor_version_at_least(&v, 9, 0);
}

/*
 * LAVA has no worker inventory of packages: the version is what the worker
 * logged when a job last booted QEMU on the device (execute-qemu, in the
 * job's log: REST's test case keeps only a server path for it). Learning
 * it without such a job would mean running one, which doctor never does.
 */
static enum doc_status check_lava_qemu(const struct doctor *d, char *out, size_t len)
{
	struct nb_lab l = d->lab;
	char names[16][64], err[768];
	int i, n, ok = 0;
	size_t off;

	if (lab_server(&l, err, sizeof(err)))
		return snprintf(out, len, "no server or token (above)"), DOC_MISS;
	if (strcmp(l.device_type, "qemu"))
		return snprintf(out, len, "device type '%s' boots no QEMU on a worker (an NV server's L0 is the "
				"machine): nothing to check", l.device_type), DOC_OK;
	if (lab_good_devices(&l, names, 16, &n, err, sizeof(err)))
		return snprintf(out, len, "%.600s", err), DOC_MISS;
	if (!n)
		return snprintf(out, len, "no Good device of type '%s' (above)", l.device_type), DOC_MISS;
	off = snprintf(out, len, "needs >= 9.0 for FEAT_NV2, as the worker logged it: ");
	for (i = 0; i < n && off < len; i++) {
		ok += lava_qemu_one(&l, names[i], out + off, len - off);
		off += strlen(out + off);
		if (i + 1 < n && off + 2 < len)
			off += snprintf(out + off, len - off, ", ");
	}
	return ok == n ? DOC_OK : DOC_MISS;
}

static const struct doctor_check doctor_checks[] = {
	{ "lava server",         DOC_LAVA,          check_lava_server,
	  "lava = URL (--lava URL) or NESTBENCH_LAVA_URL, and NESTBENCH_LAVA_TOKEN or NESTBENCH_LAVA_IDENTITY (docs/lab.md)" },
	{ "lava token",          DOC_LAVA,          check_lava_token,
	  "a token of a user who may submit jobs (lava-server manage tokens add --user NAME)" },
	{ "lava devices",        DOC_LAVA,          check_lava_devices,
	  "a device of the type, Good (lava-server manage devices add ...), or --lava-device-type TYPE" },
	{ "lava worker QEMU",    DOC_LAVA,          check_lava_qemu,
	  "QEMU >= 9 on every worker with a device of the type (bookworm-backports' qemu-system-arm), or tag "
	  "the devices whose workers have it and set lava_tags; an unknown version is learned by one job "
	  "booting QEMU on the device (a health check, or any nestbench boot): run one, then doctor again" },
	{ "arm64 machine",       DOC_HOST,          check_machine,
	  "run on an arm64 machine with FEAT_NV2 (e.g. Graviton3 .metal, AmpereOne), or use --platform emulated" },
	{ "/dev/kvm",            DOC_HOST | DOC_ARM64, check_kvm_dev,
	  "a kernel with KVM (CONFIG_KVM), and read-write access to /dev/kvm (group kvm, or root)" },
	{ "KVM_CAP_ARM_EL2",     DOC_HOST | DOC_ARM64, check_kvm_el2,
	  "a 6.16+ host kernel with NV, booted with kvm-arm.mode=nested on a CPU with FEAT_NV2" },
	{ "kvm-arm.mode=nested", DOC_HOST | DOC_ARM64, check_cmdline,
	  "add kvm-arm.mode=nested to the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub, update-grub) and reboot" },
	{ "VHE",                 DOC_HOST | DOC_ARM64, check_vhe,
	  "boot the kernel at EL2 (firmware entering it at EL2; not kvm-arm.mode=nvhe/protected)" },
	{ "qemu-system-aarch64", DOC_EMULATED,      check_qemu_tcg,
	  "scripts/install-deps.sh (qemu-system-arm >= 9 from bookworm-backports)" },
	{ "qemu-system-aarch64", DOC_HOST,          check_qemu_kvm,
	  "install QEMU >= 10.1 as /usr/bin/qemu-system-aarch64 (Debian trixie-backports' qemu-system-arm)" },
	{ "images",              DOC_BOTH,          check_images,
	  "make images (or ./run.sh), or pass --images FILE" },
	{ "agent",               DOC_HOST,          check_agent,
	  "make, and run nestbench from the top of the checkout" },
	{ "compiler",            DOC_BOTH,          check_cc,
	  "scripts/install-deps.sh (gcc-aarch64-linux-gnu; on arm64 Debian the native gcc provides it)" },
	{ "gnuplot",             DOC_BOTH,          check_gnuplot,
	  "scripts/install-deps.sh (gnuplot-nox)" },
	{ "tracefs",             DOC_HOST,          check_tracefs,
	  "mount -t tracefs nodev /sys/kernel/tracing, and run as root" },
	{ "perf",                DOC_HOST,          check_perf,
	  "apt-get install linux-perf (matching the running kernel)" },
	{ "perf_event_paranoid", DOC_HOST,          check_paranoid,
	  "sysctl kernel.perf_event_paranoid=0, or run as root" },
	{ "disk",                DOC_BOTH,          check_disk,
	  "free space there, or point NESTBENCH_CACHE at a bigger disk" },
	{ "memory",              DOC_BOTH,          check_mem,
	  "free memory, or fewer boots side by side (--jobs N, as for 'nestbench experiment')" },
	{ "cpus",                DOC_BOTH,          check_cpus,
	  "fewer boots side by side (--jobs N), or more cores" },
};

static const char na_fix[] = "needs an arm64 NV host; on this machine use --platform emulated";

/* One line for one check; its status. */
static enum doc_status doctor_line(const struct doctor *d, const struct doctor_check *c)
{
	static const char *const label[] = { [DOC_OK] = " OK ", [DOC_WARN] = "WARN", [DOC_MISS] = "MISS" };
	int na = (c->flags & DOC_ARM64) && strcmp(d->uts.machine, "aarch64");
	enum doc_status s;
	char detail[8192];

	if (na)
		s = (snprintf(detail, sizeof(detail), "not applicable on %s (an arm64 host's check)", d->uts.machine), DOC_MISS);
	else
		s = c->check(d, detail, sizeof(detail));
	printf("  [%s] %s: %s", label[s], c->name, detail);
	if (s != DOC_OK)
		printf(" -- fix: %s", na ? na_fix : c->fix);
	putchar('\n');
	return s;
}

/* ---- the command ---- */

static const char doctor_what[] =
	"Lists what the platform needs and what is missing, one line per check,\n"
	"each missing thing with its fix. Boots nothing, changes nothing.\n"
	"Exit status: 0 nothing missing (warnings allowed), 1 something missing, 2 usage.";

#define D struct doctor
static const struct nb_opt doctor_opts[] = {
	OPT_ENUM("platform", D, platform, nb_platform_names, NB_PLATFORM_AUTO, "auto|emulated|host",
		 NB_IN_CLI, "the platform to check; auto: host when /dev/kvm has KVM_CAP_ARM_EL2, as for run"),
	OPT_PTR("images", D, images, "FILE", "images manifest (default build/images.manifest)"),
	OPT_INT("jobs", D, jobs, 1, 64, 0, "N", NB_IN_CLI | NB_HELP_DEF,
		"boots side by side, for the memory check (default: the cores when emulated, 1 on a host)"),
	OPT_ENUM("executor", D, lab.executor, nb_executor_names, NB_EXEC_LOCAL, "local|lava", NB_IN_CLI,
		 "lava: also check the LAVA lab (server, token, devices of the type, their workers' QEMU; docs/lab.md)"),
	OPT_STR("lava", D, lab.url, "URL", NB_IN_CLI, "the LAVA server (default $NESTBENCH_LAVA_URL)"),
	OPT_STR("lava-device-type", D, lab.device_type, "TYPE", NB_IN_CLI, "the device type the jobs ask for (default qemu)"),
	OPT_END
};

/* auto is what this machine can run; an explicit platform is checked even where it cannot run. */
static void platform_choose(struct doctor *d)
{
	char why[512];

	d->why = "as asked";
	if (d->platform == NB_PLATFORM_AUTO) {
		if (nb_platform_resolve(&d->platform, why, sizeof(why)))
			d->platform = NB_PLATFORM_EMULATED;
		d->why = nb_platform(d->platform)->l0_guest ? "auto: no KVM_CAP_ARM_EL2 here" :
			 "auto: KVM_CAP_ARM_EL2 here";
	}
	d->emulated = nb_platform(d->platform)->l0_guest;
}

static int jobs_default(const struct doctor *d)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (!nb_platform(d->platform)->side_by_side)
		return 1;	/* boots on a host run one at a time (bench/experiment.c exp_jobs) */
	return n < 1 ? 1 : n > 64 ? 64 : n;
}

/* 0, 1 after --help, 2 on a usage error (explained). */
static int doctor_parse(int argc, char **argv, struct doctor *d)
{
	struct nb_optgroup g[] = { { doctor_opts, d }, { NULL } };
	int first = nb_opt_parse("doctor", argc, argv, g);

	if (first == NB_OPT_HELP)
		return nb_opt_usage(stdout, "doctor", "[options]", doctor_what, g), 1;
	if (first < 0 || nb_opt_operands("doctor", argc, argv, first, 0, 0))
		return 2;
	platform_choose(d);
	if (!nb_platform(d->platform)->side_by_side && d->jobs > 1)
		return fprintf(stderr, "nestbench doctor: --jobs %d: on platform %s boots run one at a time\n",
			       d->jobs, nb_platform(d->platform)->name), 2;
	d->jobs = d->jobs ? d->jobs : jobs_default(d);
	return 0;
}

int cmd_doctor(int argc, char **argv)
{
	struct doctor d = { .images = "build/images.manifest" };
	int ret, count[3] = { 0 };
	size_t i;

	ret = doctor_parse(argc, argv, &d);
	if (ret)
		return ret == 1 ? 0 : ret;
	uname(&d.uts);
	nb_plan_defaults(&d.plan, 2);
	printf("nestbench doctor: platform %s (%s) on %s, %d boot%s side by side\n",
	       nb_platform(d.platform)->name, d.why, d.uts.machine, d.jobs, d.jobs > 1 ? "s" : "");
	for (i = 0; i < ARRAY_SIZE(doctor_checks); i++)
		if ((doctor_checks[i].flags & (1u << d.platform)) ||
		    ((doctor_checks[i].flags & DOC_LAVA) && d.lab.executor == NB_EXEC_LAVA))
			count[doctor_line(&d, &doctor_checks[i])]++;
	nb_plan_free(&d.plan);
	printf("%d ok, %d warning%s, %d missing: %s for --platform %s\n", count[DOC_OK], count[DOC_WARN],
	       count[DOC_WARN] == 1 ? "" : "s", count[DOC_MISS], count[DOC_MISS] ? "NOT ready" : "ready",
	       nb_platform(d.platform)->name);
	return count[DOC_MISS] ? 1 : 0;
}
