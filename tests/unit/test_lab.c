// SPDX-License-Identifier: GPL-2.0
/*
 * The lava executor without a server (bench/lab.c): a job's log as LAVA
 * 2023.01 writes it, its console lines made by the agent's own writer
 * (nb_frame_write on an armoured fd), decoded into a boot's rows; a job
 * LAVA failed becomes a failed boot with its reason and URL; the job
 * definition; the lab's configuration errors. make lab runs the real thing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bench/lab.h"
#include "bench/run.h"
#include "stack/frame.h"
#include "stack/platform.h"
#include "stack/util.h"

static struct nb_lab lab = { .executor = NB_EXEC_LAVA, .url = "http://lab.test/", .device_type = "qemu" };

static void cfg_in(struct run_cfg *c, char *dir)
{
	strcpy(dir, "/tmp/nb-lab-XXXXXX");
	assert_non_null(mkdtemp(dir));
	memset(c, 0, sizeof(*c));
	nb_plan_defaults(&c->plan, 1);
	c->plan.platform = NB_PLATFORM_EMULATED;
	strcpy(c->plan.lv[0].kernel, "patched");
	strcpy(c->plan.lv[1].kernel, "patched");
	c->experiment = "lab-test";
	c->variant = "a";
	c->outdir = dir;
	c->boot = 1;
	c->timeout = 3600;
	c->quiet = 1;
	c->lab = &lab;
}

/* One LAVA record a console line, dt one second apart from 12:00:00. */
static void records(FILE *log, const char *console, int *sec)
{
	const char *p, *nl;

	for (p = console; *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		fprintf(log, "- {\"dt\": \"2026-12-06T12:%02d:%02d.000000\", \"lvl\": \"target\", \"msg\": \"%.*s\"}\n",
			*sec / 60, *sec % 60, (int)(nl - p), p);
		(*sec)++;
		if (!*nl)
			break;
	}
}

/* The console of an L0 agent that boots L1 and finishes: frames through the real armoured writer. */
static char *agent_console(void)
{
	FILE *f = tmpfile();
	long n;
	char *buf;

	nb_frame_armour_fd(fileno(f));
	nb_frame_writef(fileno(f), NB_F_HELLO, 0, "level=0\nuptime_s=1.0\nkvm_nv2=1\n");
	nb_frame_writef(fileno(f), NB_F_STATUS, 0, "L0: starting L1");
	nb_frame_writef(fileno(f), NB_F_BOOT, 1, "level=1\nkernel=patched\nclock=L0\nboot_s=3.000\n");
	nb_frame_writef(fileno(f), NB_F_HELLO, 1, "level=1\nuptime_s=1.0\nkvm_nv2=0\n");
	nb_frame_writef(fileno(f), NB_F_DONE, 1, "level=1\n");
	nb_frame_writef(fileno(f), NB_F_BOOT, 1, "level=1\nclock=L0\nteardown_s=0.5\nexit=0\ncorrupt=0\n");
	nb_frame_writef(fileno(f), NB_F_DONE, 0, "level=0\n");
	nb_frame_armour_fd(-1);
	n = lseek(fileno(f), 0, SEEK_END);
	buf = calloc(1, n + 1);
	assert_int_equal(pread(fileno(f), buf, n, 0), n);
	fclose(f);
	return buf;
}

static char *file_in(const char *dir, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return nb_read_file(path, NULL);
}

static void complete_job(void **state)
{
	struct run_cfg c;
	char dir[64], *log = NULL, *console = agent_console(), *boots, *frames;
	size_t len;
	FILE *f = open_memstream(&log, &len);
	int sec = 0;

	cfg_in(&c, dir);
	fprintf(f, "- {\"dt\": \"2026-12-06T11:59:58.000000\", \"lvl\": \"info\", \"msg\": \"Boot command: "
		"/usr/bin/qemu-system-aarch64 -cpu max\"}\n");
	records(f, "Booting Linux on physical CPU 0x0000000000 [0x000f0510]\nrandom: crng init done", &sec);
	records(f, console, &sec);
	records(f, "nbagent: end of boot", &sec);	/* the agent's last line, one second after its DONE */
	fprintf(f, "- {\"dt\": \"2026-12-06T12:59:00.000000\", \"lvl\": \"results\", \"msg\": {\"case\": \"job\", "
		"\"definition\": \"lava\", \"result\": \"pass\"}}\n");
	fclose(f);
	assert_int_equal(lab_decode(&c, 41, "Complete", log), 0);
	boots = file_in(dir, "boots.csv");
	frames = file_in(dir, "raw/boot-1/frames.log");
	assert_non_null(boots);
	/* L0's row as stack/level.c would write it: boot time from QEMU's start to its hello, teardown after its DONE */
	assert_non_null(strstr(boots, "\"1\",\"0\",\"patched\",\"host\",\"4.000\",\"1.000\",\"ok\""));
	assert_non_null(strstr(boots, "\"1\",\"1\",\"patched\",\"icount\",\"3.000\",\"0.5\",\"ok\""));
	assert_null(strstr(boots, "failed"));
	assert_non_null(frames);
	assert_non_null(strstr(frames, "L1 hello"));
	assert_non_null(strstr(frames, "L0 done"));
	assert_non_null(strstr(file_in(dir, "raw/boot-1/console-L0.log"), "crng init done"));
	free(boots);
	free(frames);
	free(console);
	free(log);
}

/* LAVA's own failure, before the agent finished: a failed boot naming LAVA's reason and the job. */
static void incomplete_job(void **state)
{
	struct run_cfg c;
	char dir[64], *log = NULL, *boots, *fail;
	size_t len;
	FILE *f = open_memstream(&log, &len);
	int sec = 0;

	cfg_in(&c, dir);
	records(f, "Booting Linux on physical CPU 0x0000000000 [0x000f0510]\nKernel panic - not syncing: VFS", &sec);
	fprintf(f, "- {\"dt\": \"2026-12-06T12:59:00.000000\", \"lvl\": \"results\", \"msg\": {\"case\": \"job\", "
		"\"definition\": \"lava\", \"error_msg\": \"wait for prompt timed out\", \"error_type\": \"Test\", "
		"\"result\": \"fail\"}}\n");
	fclose(f);
	assert_int_equal(lab_decode(&c, 42, "Incomplete", log), -1);
	boots = file_in(dir, "boots.csv");
	fail = file_in(dir, "raw/boot-1/failure.txt");
	assert_non_null(boots);
	assert_non_null(strstr(boots, "failed"));
	assert_non_null(strstr(boots, "Test: wait for prompt timed out"));
	assert_non_null(strstr(boots, "http://lab.test/scheduler/job/42"));
	assert_non_null(fail);
	assert_non_null(strstr(fail, "Kernel panic"));	/* the console's tail */
	free(boots);
	free(fail);
	free(log);
}

/* A damaged log: records without time, broken quotes, bad armour, binary junk: nothing crashes, the boot fails. */
static void hostile_log(void **state)
{
	static const char log[] = "- {\"dt\": \"garbage\", \"lvl\": \"target\", \"msg\": \"NBF1 QUJD\"}\n"
				  "- {\"dt\": \"2026-12-06T12:00:00.0\", \"lvl\": \"target\", \"msg\": \"NBF1 !!!!\n"
				  "- {\"dt\": \"2026-12-06T12:00:01.0\", \"lvl\": \"target\", \"msg\": \"NBF1 QUJD\"}\n"
				  "\x01\x02\xff not yaml at all\n- {\"dt\": \"2026-13-99T99:99:99.9\"}\n";
	struct run_cfg c;
	char dir[64];

	cfg_in(&c, dir);
	assert_int_equal(lab_decode(&c, 43, "Complete", log), -1);	/* no DONE: not a finished boot */
}

static void job_definition(void **state)
{
	struct run_cfg c;
	char dir[64], *y;

	cfg_in(&c, dir);
	y = lab_job_yaml(&c, "file:///a/Image", "file:///a/rootfs.img", "file:///a/p.frame");
	assert_non_null(y);
	assert_non_null(strstr(y, "device_type: qemu\n"));
	assert_non_null(strstr(y, "nb.plan=/dev/vdb nb.frames=console"));
	assert_non_null(strstr(y, "root=/dev/vda"));
	assert_non_null(strstr(y, "- -icount shift=0,sleep=off\n"));
	assert_non_null(strstr(y, "disk1_rootfs:\n        url: 'file:///a/rootfs.img'"));
	assert_non_null(strstr(y, "disk2_plan:\n        url: 'file:///a/p.frame'"));
	assert_non_null(strstr(y, "- 'nbagent: end of boot'"));
	free(y);
}

static void configuration_errors(void **state)
{
	struct nb_lab l = { .executor = NB_EXEC_LAVA };
	char err[768];

	unsetenv("NESTBENCH_LAVA_URL");
	unsetenv("NESTBENCH_LAVA_TOKEN");
	unsetenv("NESTBENCH_LAVA_IDENTITY");
	assert_int_equal(lab_resolve(&l, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "lava = "));
	strcpy(l.url, "http://lab.test/");
	assert_int_equal(lab_resolve(&l, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "NESTBENCH_LAVA_TOKEN"));
	setenv("NESTBENCH_LAVA_TOKEN", "t0k3n", 1);
	assert_int_equal(lab_server(&l, err, sizeof(err)), 0);	/* all doctor needs */
	strcpy(l.artifacts, "/tmp");
	strcpy(l.artifacts_url, "file:///it's");	/* a quote would break out of the YAML's quoting */
	assert_int_equal(lab_resolve(&l, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "lava_artifacts_url"));
	strcpy(l.artifacts_url, "file:///tmp");
	assert_int_equal(lab_resolve(&l, err, sizeof(err)), 0);
	assert_string_equal(l.device_type, "qemu");
	assert_string_equal(l.token, "t0k3n");
}

static struct nb_lab nv = { .executor = NB_EXEC_LAVA, .url = "http://lab.test/", .device_type = "nestbench-nv",
			    .nfsrootfs = "https://a.test/nv-root.tar.xz" };

/* An NV server's boot: one arm's L0 by tftp, grub with NFS, the agent in the test shell. */
static void nv_job_definition(void **state)
{
	struct lab_nv_urls u = { .kernel = "https://a.test/k0/Image", .rootfs = "https://a.test/r.img",
				 .plan = "https://a.test/p.frame", .agent = "https://a.test/nbagent",
				 .guest = { "", "https://a.test/k1/Image", "https://a.test/k2/Image" } };
	struct run_cfg c;
	char dir[64], *y;

	cfg_in(&c, dir);
	c.lab = &nv;
	c.plan.depth = 2;
	strcpy(c.plan.lv[1].kernel, "base");
	strcpy(c.plan.lv[2].kernel, "patched");
	y = lab_nv_job_yaml(&c, &u);
	assert_non_null(y);
	assert_non_null(strstr(y, "device_type: nestbench-nv\n"));
	assert_non_null(strstr(y, "    to: tftp\n"));
	assert_non_null(strstr(y, "    kernel:\n      url: 'https://a.test/k0/Image'\n      type: image\n"));
	assert_non_null(strstr(y, "    nfsrootfs:\n      url: 'https://a.test/nv-root.tar.xz'\n      compression: xz\n"));
	assert_non_null(strstr(y, "    method: grub\n    commands: nfs\n"));
	/* the kernel it booted, said before the agent runs: the executor holds it against the arm's Image */
	assert_non_null(strstr(y, "- 'echo \"nbkernel: $(cat /proc/version)\"'\n"));
	assert_non_null(strstr(y, "curl -fsS -o /nb/kernels/base/Image https://a.test/k1/Image'"));
	assert_non_null(strstr(y, "curl -fsS -o /nb/kernels/patched/Image https://a.test/k2/Image'"));
	assert_true(strstr(y, "nbkernel") < strstr(y, "- '/nb/nbagent --l0 --plan /nb/plan.frame'\n"));
	/* NV on the command line is the device type's: a job's context would replace it wholesale */
	assert_null(strstr(y, "context:"));
	assert_null(strstr(y, "kvm-arm.mode"));
	assert_null(strstr(y, "https://a.test/k0/Image;"));
	free(y);
}

/* Its URLs reach a shell on the server: any metacharacter is refused before anything is created. */
static void nv_configuration(void **state)
{
	static const struct { const char *nfs, *art; int ret; } t[] = {
		{ "https://a.test/nv-root.tar.xz", "https://a.test/art", 0 },
		{ "https://a.test/nv-root.tar", "file:///srv/art", 0 },
		{ "", "https://a.test/art", -EINVAL },
		{ "https://a.test/nv-root.img", "https://a.test/art", -EINVAL },
		{ "https://a.test/x.tar.xz;reboot", "https://a.test/art", -EINVAL },
		{ "https://a.test/$(id).tar.gz", "https://a.test/art", -EINVAL },
		{ "https://a.test/nv-root.tar.xz", "https://a.test/a&b", -EINVAL },
	};
	struct nb_lab l;
	char err[768];
	size_t i;

	setenv("NESTBENCH_LAVA_TOKEN", "t0k3n", 1);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		l = nv;
		strcpy(l.artifacts, "/tmp");
		snprintf(l.nfsrootfs, sizeof(l.nfsrootfs), "%s", t[i].nfs);
		snprintf(l.artifacts_url, sizeof(l.artifacts_url), "%s", t[i].art);
		assert_int_equal(lab_resolve(&l, err, sizeof(err)), t[i].ret);
		if (t[i].ret)
			assert_non_null(strstr(err, "lava_nfsrootfs"));
	}
	l = nv;
	strcpy(l.device_type, "qemu");	/* an emulated worker's job fetches nothing in a shell */
	strcpy(l.artifacts, "/tmp");
	strcpy(l.artifacts_url, "https://a.test/a&b");
	assert_int_equal(lab_resolve(&l, err, sizeof(err)), 0);
}

/*
 * The one-arm-per-host-boot rule: the server's /proc/version, printed by
 * the job before its agent ran, must be the banner in the arm's L0 Image,
 * or none of its frames is taken and the boot fails saying so.
 */
static void nv_kernel_checked(void **state)
{
	static const char banner[] = "Linux version 7.2.12 (nb@lab) (gcc 12.2.0) #1 SMP PREEMPT";
	static const struct { const char *ran; int ret; } t[] = {
		{ "Linux version 7.2.12 (nb@lab) (gcc 12.2.0) #1 SMP PREEMPT", 0 },
		{ "Linux version 6.1.0-28-arm64 (debian-kernel@lists.debian.org) #1 SMP Debian", -1 },
	};
	char dir[64], path[128], image[256], *log, *boots, *frames, *fail, *console = agent_console();
	struct run_cfg c;
	size_t i, len;
	FILE *f;
	int sec;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cfg_in(&c, dir);
		c.lab = &nv;
		snprintf(image, sizeof(image), "%s/Image", dir);
		snprintf(path, sizeof(path), "\x7f" "ELF...%s\n...", banner);
		assert_int_equal(nb_write_file(image, path, strlen(path)), 0);
		snprintf(path, sizeof(path), "%s/images.manifest", dir);
		f = fopen(path, "w");
		fprintf(f, "kernel.patched=%s\n", image);
		fclose(f);
		c.images = path;
		log = NULL;
		sec = 0;
		f = open_memstream(&log, &len);
		records(f, "Linux version 7.2.12 (nb@lab)\nroot@nvhost:~# ", &sec);
		fprintf(f, "- {\"dt\": \"2026-12-06T12:00:30.000000\", \"lvl\": \"target\", \"msg\": \"nbkernel: %s\"}\n", t[i].ran);
		sec = 31;
		records(f, console, &sec);
		records(f, "nbagent: end of boot", &sec);
		fclose(f);
		assert_int_equal(lab_decode(&c, 50 + i, "Complete", log), t[i].ret);
		boots = file_in(dir, "boots.csv");
		frames = file_in(dir, "raw/boot-1/frames.log");
		fail = file_in(dir, "raw/boot-1/failure.txt");
		assert_non_null(boots);
		if (!t[i].ret) {
			assert_null(fail);
			assert_non_null(strstr(frames, "L0 done"));
		} else {
			assert_non_null(fail);
			assert_non_null(strstr(fail, "not the arm's L0 kernel 'patched'"));
			assert_non_null(strstr(fail, "6.1.0-28-arm64"));
			assert_true(!frames || !strstr(frames, "L1 hello"));	/* nothing of it taken */
		}
		free(boots);
		free(frames);
		free(fail);
		free(log);
	}
	free(console);
}

/* The execute-qemu result as LAVA 2023.01 logs it (JSON) or dumps it (YAML), and hostile ones. */
static void worker_qemu_metadata(void **state)
{
	static const struct { const char *meta; int ret; const char *v; } t[] = {
		{ "case: execute-qemu\ndefinition: lava\nextra:\n  host_arch: amd64\n  job_arch: arm64\n"
		  "  qemu_version: 1:10.0.2+ds-2+deb13u1~bpo12+1\nlevel: 2.1.1\n", 0, "1:10.0.2+ds-2+deb13u1~bpo12+1" },
		{ "{extra: {qemu_version: '7.2+dfsg-7+deb12u7'}}", 0, "7.2+dfsg-7+deb12u7" },
		/* the record in a job's log, as make lab's jobs write it */
		{ "\"case\": \"execute-qemu\", \"definition\": \"lava\", \"duration\": \"0.01\", \"extra\": "
		  "{\"host_arch\": \"amd64\", \"job_arch\": \"arm64\", \"qemu_version\": \"1:10.0.2+ds-2+deb13u1~bpo12+1\"}, "
		  "\"result\": \"pass\"}}", 0, "1:10.0.2+ds-2+deb13u1~bpo12+1" },
		{ "\"qemu_version\" \"10.0\"", -ENOENT, NULL },
		/* what REST keeps of it: the path of its extra on the server */
		{ "case: execute-qemu\nextra: /var/lib/lava-server/default/media/job-output/1/metadata/lava-execute-qemu.yaml\n",
		  -ENOENT, NULL },
		{ "extra:\n  qemu_version: \"9.2.0\"\n", 0, "9.2.0" },
		{ "case: execute-qemu\nextra:\n  host_arch: amd64\n", -ENOENT, NULL },
		{ "qemu_version: \n", -ENOENT, NULL },
		{ "qemu_version: 10.0\x1b[2J\n", -ENOENT, NULL },
		{ "qemu_version: 1234567890123456789012345678901234567890123456789012345678901234567890\n", -ENOENT, NULL },
		{ NULL, -ENOENT, NULL },
	};
	char v[64];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(lab_qemu_of_metadata(t[i].meta, v, sizeof(v)), t[i].ret);
		if (t[i].v)
			assert_string_equal(v, t[i].v);
	}
	assert_int_equal(lab_qemu_of_metadata("qemu_version: 10.0.2", v, 4), -ENOENT);	/* does not fit */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(complete_job),
		cmocka_unit_test(incomplete_job),
		cmocka_unit_test(hostile_log),
		cmocka_unit_test(job_definition),
		cmocka_unit_test(configuration_errors),
		cmocka_unit_test(worker_qemu_metadata),
		cmocka_unit_test(nv_job_definition),
		cmocka_unit_test(nv_configuration),
		cmocka_unit_test(nv_kernel_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
