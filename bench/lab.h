/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lava executor (docs/lab.md): each boot one LAVA job on a device of
 * the lab's type, its images served from a directory the workers fetch by
 * URL, the agent's frames read back from the job's log. The token comes
 * from the environment or lavacli's configuration, never from a file
 * nestbench writes, and is never written anywhere.
 */
#ifndef NB_LAB_H
#define NB_LAB_H

#include <stddef.h>

#include "stack/plan.h"

struct run_cfg;

enum nb_executor { NB_EXEC_LOCAL, NB_EXEC_LAVA };
extern const char *const nb_executor_names[];	/* "local", "lava", NULL */

struct nb_lab {
	int executor;			/* enum nb_executor */
	char url[512];			/* the server: lava = URL, else $NESTBENCH_LAVA_URL */
	char device_type[64];		/* lava_device_type = (default qemu) */
	char tags[256];			/* lava_tags = t1,t2: workers whose QEMU is >= 9 */
	char artifacts[1024];		/* lava_artifacts = DIR: where images are published */
	char artifacts_url[512];	/* lava_artifacts_url = URL: that DIR as a worker fetches it */
	int retries;			/* lava_retries = N: resubmissions of a job LAVA lost */
	char nfsrootfs[512];		/* lava_nfsrootfs = URL: an NV server's root (a tarball) */
	char token[256];		/* from the environment; never written */
};

/*
 * The lab made whole from the environment (URL, token) and checked: 0, or
 * -EINVAL with the problem and the fix in err. Nothing is contacted.
 */
int lab_resolve(struct nb_lab *l, char *err, size_t len);
/* The server's URL and the token only (nestbench doctor): as lab_resolve. */
int lab_server(struct nb_lab *l, char *err, size_t len);
/* Devices of the lab's type: how many are Good, and of those Idle. 0, or -errno with why in err. */
int lab_devices(const struct nb_lab *l, int *good, int *idle, char *err, size_t len);
/* Good devices of the lab's type, their names ([A-Za-z0-9._-] only), at most max: 0, or -errno with why in err. */
int lab_good_devices(const struct nb_lab *l, char (*names)[64], int max, int *n, char *err, size_t len);
/*
 * The QEMU version LAVA recorded on device's worker when a job last booted
 * QEMU there (the execute-qemu result in the log of one of its last
 * finished jobs), and that job: 0; -ENOENT when none recorded it (LAVA
 * learns it only by booting QEMU); -EIO with why in err.
 */
int lab_device_qemu(const struct nb_lab *l, const char *device, char *version, size_t vlen, long *job,
		    char *err, size_t len);
/* qemu_version's value in a result's record (a log's JSON, or YAML; untrusted): 0 or -ENOENT. */
int lab_qemu_of_metadata(const char *meta, char *out, size_t len);
/* The server answers and accepts the token (GET system/whoami/): 0, or -errno with why in err. */
int lab_whoami(const struct nb_lab *l, char *user, size_t ulen, char *err, size_t len);
/* One boot as a LAVA job (bench/executor.c): 0, or -1 when it failed (raw/boot-N/failure.txt says why). */
int lab_boot(const struct run_cfg *cfg);
/*
 * A finished job's log (YAML, one record a line) decoded into cfg's boot:
 * rows, raw files, and a failure with LAVA's reason when the agent did not
 * finish. 0, or -1 when the boot failed. lab_boot's last step; tests.
 */
int lab_decode(const struct run_cfg *cfg, long id, const char *health, const char *log);
/* An NV server's device type: anything but qemu (docs/lab.md, "arm64 NV servers"). */
int lab_nv(const struct nb_lab *l);

/* Where an NV server's job fetches what it needs (published under lava_artifacts_url). */
struct lab_nv_urls {
	char kernel[1400];			/* L0's Image, deployed by tftp */
	char rootfs[1400], plan[1400], agent[1400];
	char guest[NB_MAX_DEPTH + 1][1400];	/* [1..depth]: each level's kernel */
};
/*
 * The job definition of an NV server's boot (device type extending
 * base-grub): tftp and NFS, grub, and a test shell running nbagent --l0
 * with the plan, its frames on the console. NULL: no memory.
 */
char *lab_nv_job_yaml(const struct run_cfg *cfg, const struct lab_nv_urls *u);
/* The job definition of cfg's boot, its images at the URLs given (tests). NULL: no memory. */
char *lab_job_yaml(const struct run_cfg *cfg, const char *kernel_url, const char *rootfs_url,
		   const char *plan_url);

#endif
