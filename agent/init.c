// SPDX-License-Identifier: GPL-2.0
/*
 * nbagent: PID 1 at every level of the stack. Mounts what it needs, takes
 * its plan from the parent over the "nestbench" virtio-serial port, then
 * either boots the next level or runs the workload, passes everything up,
 * and powers off. `nbagent --l0 SOCKET` is the same L0 code run as a
 * process on an arm64 NV host (`--l0 --plan FILE` on one that LAVA booted,
 * frames on the console: plan_from_file). An L0 that LAVA boots has no port (LAVA owns
 * QEMU's command line): nb.plan=DEV on the kernel's command line names a
 * disk holding the CONFIG frame, and nb.frames=console sends every frame up
 * armoured on the console, which LAVA logs (docs/lab.md).
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "agent/agent.h"
#include "workloads/workload.h"
#include "stack/util.h"

static int pid1;
static int console_frames;	/* nb.frames=console: LAVA waits for the last line */

static void mounts(void)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("tmpfs", "/run", "tmpfs", 0, "mode=0755");
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);	/* KVM's exit counters */
	/* The root is read-only: tools that write next to themselves (trace-cmd, fio) work here. */
	chdir("/run");
}

/* The port's /dev node, found by name: there is no udev to make links. */
static int open_port(void)
{
	char path[300], name[64];
	struct dirent *de;
	DIR *d = opendir("/sys/class/virtio-ports");
	int fd = -1;

	while (d && fd < 0 && (de = readdir(d))) {
		FILE *f;

		snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name", de->d_name);
		f = fopen(path, "re");
		if (f && fgets(name, sizeof(name), f) && !strncmp(name, "nestbench", 9)) {
			snprintf(path, sizeof(path), "/dev/%s", de->d_name);
			fd = open(path, O_RDWR);
		}
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return fd;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int read_plan(struct nb_agent *a, int fd)
{
	struct nb_frame f;
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		nb_decoder_feed(a->dec, buf, n);
		if (!nb_decoder_next(a->dec, &f))
			continue;
		if (f.type == NB_F_CONFIG && !nb_plan_decode(&a->plan, f.data)) {
			nb_frame_release(&f);
			return 0;
		}
		nb_frame_release(&f);
	}
	return -1;
}

/* "kvm [1]: VHE+NV2 mode initialized successfully": a level that can host a guest hypervisor */
static int kvm_nv2(void)
{
	static char buf[1 << 17];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf) - 1);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	return strstr(buf, "NV2 mode initialized") != NULL;
}

static void boottime(double *up)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	*up = ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Faults injected by tests happen right after hello, so the level is known to be up. */
static void inject_fault(struct nb_agent *a)
{
	if (a->plan.fault_level != a->level)
		return;
	if (a->plan.fault == NB_FAULT_PANIC) {
		nb_log("fault injection: exiting PID 1 to panic the kernel");
		exit(1);
	}
	if (a->plan.fault == NB_FAULT_HANG) {
		nb_log("fault injection: hanging silently");
		for (;;)
			pause();
	}
}

/*
 * A port write returns once the data is in the virtqueue; QEMU copies it
 * to the parent's socket from its main loop. Powering off at once raced
 * with that: when the vCPU thread went straight on to the power-off (a
 * batch main loop never preempts it), QEMU could exit with the DONE frame
 * still queued and the parent reported the level as failed in teardown.
 * Idling a moment lets the vCPU thread block and the main loop run.
 */
static void let_parent_read(void)
{
	const struct timespec ts = { .tv_nsec = 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

static void poweroff(void)
{
	sync();
	if (console_frames)	/* LAVA's boot action ends on this line (tests/lab/boot-job.yaml) */
		fprintf(stderr, "\nnbagent: end of boot\n");
	if (pid1)
		reboot(RB_POWER_OFF);
	exit(0);
}

/* The value of kernel parameter key ("nb.plan") into out; dotted parameters never reach init's argv. */
static int cmdline_get(const char *key, char *out, size_t len)
{
	char *cmd = nb_read_file("/proc/cmdline", NULL), *tok, *save = NULL;
	int ret = -ENOENT;

	for (tok = cmd ? strtok_r(cmd, " \n", &save) : NULL; tok && ret; tok = strtok_r(NULL, " \n", &save))
		if (!strncmp(tok, key, strlen(key)) && tok[strlen(key)] == '=')
			ret = snprintf(out, len, "%s", tok + strlen(key) + 1) >= (int)len ? -ENAMETOOLONG : 0;
	free(cmd);
	return ret;
}

/* nb.plan=DEV: the plan from a disk, frames up the console (armoured); else the port. */
static int plan_from_cmdline(struct nb_agent *a)
{
	char dev[128], mode[16];
	int fd, ret;

	if (cmdline_get("nb.plan", dev, sizeof(dev)))
		return 1;
	console_frames = !cmdline_get("nb.frames", mode, sizeof(mode)) && !strcmp(mode, "console");
	a->port = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (!console_frames || a->port < 0 || fd < 0) {
		nb_log("nb.plan=%s needs nb.frames=console, /dev/console and the disk: %s", dev, strerror(errno));
		return -1;
	}
	nb_frame_armour_fd(a->port);
	ret = read_plan(a, fd);
	close(fd);
	return ret;
}

/*
 * nbagent --l0 --plan FILE: L0 on an NV server LAVA booted, run by the
 * job's test shell (docs/lab.md): the plan from FILE, frames armoured on
 * stdout, which is that shell's console, as /dev/console is a LAVA-booted
 * emulated L0's (it is read as that one is: nothing comes down it).
 */
static int plan_from_file(struct nb_agent *a, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	console_frames = 1;
	a->port = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (fd < 0 || a->port < 0 || !isatty(a->port)) {
		nb_log("--plan %s needs the file and stdout on the console (a tty): %s", path,
		       fd < 0 || a->port < 0 ? strerror(errno) : "stdout is not a tty");
		return -1;
	}
	nb_frame_armour_fd(a->port);
	ret = read_plan(a, fd);
	close(fd);
	return ret;
}

static int open_channel(struct nb_agent *a, int argc, char **argv)
{
	int ret;

	if (argc > 3 && !strcmp(argv[1], "--l0") && !strcmp(argv[2], "--plan"))
		return plan_from_file(a, argv[3]);
	ret = argc > 2 && !strcmp(argv[1], "--l0") ? 1 : plan_from_cmdline(a);

	if (ret <= 0)
		return ret;
	a->port = argc > 2 && !strcmp(argv[1], "--l0") ? connect_to(argv[2]) : open_port();
	return a->port < 0 ? -1 : read_plan(a, a->port);
}

int main(int argc, char **argv)
{
	struct nb_agent a = { .port = -1 };
	double up;
	int ret;

	if (argc > 1 && !strcmp(argv[1], "mark"))
		return agent_mark(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "loop"))
		return agent_loop(argc, argv);
	ret = nb_wl_agent_main(argc, argv);
	if (ret != -ENOENT)
		return ret;
	pid1 = getpid() == 1;
	if (pid1)
		mounts();
	a.dec = nb_decoder_create();
	if (open_channel(&a, argc, argv)) {
		nb_log("no channel to the parent or no plan on it; powering off");
		poweroff();
	}
	a.level = nb_log_level = a.plan.level;
	boottime(&up);
	agent_send(&a, NB_F_HELLO, "level=%d\nuptime_s=%.3f\nkvm_nv2=%d\n", a.level, up, kvm_nv2());
	inject_fault(&a);
	ret = a.level == a.plan.depth ? agent_workload(&a) : agent_relay(&a);
	if (!ret) {
		agent_send(&a, NB_F_DONE, "level=%d\n", a.level);
		let_parent_read();
	}
	poweroff();
	return 0;
}
