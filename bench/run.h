/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_RUN_H
#define NB_RUN_H

#include <stdint.h>

#include "stack/plan.h"

struct nb_lab;
struct nb_frame;

/* Everything one boot needs, validated once by the caller. */
struct run_cfg {
	struct nb_plan plan;
	const char *experiment;
	const char *variant;	/* arm label for the CSV */
	const char *outdir;	/* results/<experiment>/<ts> */
	const char *images;	/* images manifest */
	int boot;		/* boot number (1..) */
	int timeout;		/* host wall-clock seconds for the whole boot */
	int quiet;
	int parallel;		/* other boots run beside this one: no progress line of its own */
	int harness;		/* pid of the nestbench that started the boot (0: this process) */
	int frames_console;	/* --frames console: every frame also armoured on stdout (docs/lab.md) */
	const struct nb_lab *lab;	/* the lava executor's lab (bench/lab.h); NULL: boot here */
	const char *params;	/* --param lines, for a workload that takes keys */
	char param_buf[512];
	char progress[96];	/* e.g. "boot 3/8, ETA 14 min", shown in the progress line */
};

/*
 * Boot the stack once, by cfg's executor (bench/executor.c): here
 * (local_boot) or as a LAVA job (lab_boot); rows go to outdir/reps.csv and
 * boots.csv as they finish. 0, or -1 if a level failed.
 */
int run_boot(const struct run_cfg *cfg);
int local_boot(const struct run_cfg *cfg);
/*
 * What a boot writes, whoever ran it (bench/boot.c): open raw/boot-N and
 * the rows (t0: when the boot started, 0 now), hand it every frame that
 * came up with its arrival time (0: now), close it (ret: the executor's own
 * result; end: when the boot ended, 0 now): 0, or -1 when a level failed.
 */
struct boot;
struct boot *boot_open(const struct run_cfg *cfg, uint64_t t0);
int boot_frame(struct boot *b, const struct nb_frame *f, uint64_t at);
const char *boot_raw(const struct boot *b);
int boot_close(struct boot *b, int ret, uint64_t end);
/* Read `key` of the images manifest into out: __images_get returns -EIO
 * (unreadable) or -ENOENT (no such key) quietly, images_get also explains. */
int __images_get(const char *manifest, const char *key, char *out, size_t len);
/* 0, 1 after --help (printed), 2 on a usage error (printed). */
int run_parse(int argc, char **argv, struct run_cfg *c);
/* manifest.json of a single boot (run, micro): one variant, its kernel per level. */
void run_manifest_write(const struct run_cfg *c);
int images_get(const char *manifest, const char *key, char *out, size_t len);
/* -ENOENT, with the fix printed, when the manifest's root filesystem lacks the workload. */
int images_have_workload(const char *manifest, const char *workload);
/*
 * Before anything is created or boots: the rootfs and every level's kernel
 * of plan p are in the manifest and on disk, and the rootfs has p's
 * workload. The first problem is explained on stderr (once) and returned.
 */
int images_check(const char *manifest, const struct nb_plan *p);

#endif
