// SPDX-License-Identifier: GPL-2.0
/*
 * fio: the user's job file (experiment key job =, run --job). One fio
 * process per boot runs every repetition as a stonewalled copy of the
 * job's single section (stack/job.c), its exec_prerun/exec_postrun
 * sending the marks right around the I/O phase: fio's start-up (dynamic
 * loading of ~56 MB of libraries through nested stage-2 faults) is paid
 * once and stays outside every window. A job with several sections (jobs
 * meant to run together) keeps one fio process per repetition.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack/job.h"
#include "workloads/workload.h"

#ifdef NB_AGENT
static int fio_command(const struct nb_plan *p, int k, const char *out, struct nb_argv *argv)
{
	char *job = nb_job_expand(p->job, k);
	int ret;

	if (!job)
		return -ENOMEM;
	ret = nb_write_file("/run/job.fio", job, strlen(job));
	free(job);
	if (ret)
		return ret;
	nb_argv_add(argv, "/usr/bin/fio");
	nb_argv_add(argv, "--output-format=json");
	nb_argv_add(argv, "--output=%s", out);
	return nb_argv_add(argv, "/run/job.fio");
}

static int fio_together(const struct nb_plan *p, int total)
{
	return nb_job_sections(p->job) == 1 ? total : 1;
}
#define FIO_AGENT .command = fio_command, .together = fio_together,
#define FIO_HOST
#else
#include "workloads/fio.h"

static int fio_values(const char *text, int idx, double *v)
{
	struct fio_result r;
	int ret = fio_parse_job(text, idx, &r);

	if (ret)
		return ret;
	v[0] = r.runtime_ms;
	v[1] = r.iops;
	v[2] = r.ios;
	v[3] = r.p50_us;
	v[4] = r.p99_us;
	return 0;
}
#define FIO_AGENT
#define FIO_HOST .parse = fio_values,
#endif

static const char default_job[] =
	"[global]\n"
	"ioengine=psync\n"
	"direct=1\n"
	"rw=randread\n"
	"bs=4k\n"
	"iodepth=1\n"
	"size=8m\n"
	"filename=/dev/vdb\n"
	"[randread-4k]\n";

static int fio_validate(const char *job, char *err, size_t errlen)
{
	if (job && nb_job_sections(job) >= 1 && !strstr(job, "\njob:"))	/* a '[' in a comment is none */
		return 0;
	snprintf(err, errlen, "the fio job has no [section] header: give a fio job file");
	return -EINVAL;
}

/* Columns of reps.csv as they have always been; ios is a column, not a statistic. */
static const struct nb_wl_metric fio_metrics[] = {
	{ "fio_runtime_ms", "fio runtime", "ms", "ms", 1, "%.0f", NB_LOWER_BETTER, 1 },
	{ "iops", "fio IOPS", "IOPS", "IOPS", 1, "%.3f", NB_HIGHER_BETTER, 1 },
	{ "ios", NULL, "", "", 1, "%.0f", NB_HIGHER_BETTER, 0 },
	{ "clat_p50_us", "fio clat p50", "us", "us", 1, "%.3f", NB_LOWER_BETTER, 0 },
	{ "clat_p99_us", "fio clat p99", "us", "us", 1, "%.3f", NB_LOWER_BETTER, 1 },
};

const struct nb_workload nb_wl_fio = {
	.name = "fio",
	.window = "io time",
	.rootfs_key = "rootfs.fio",
	.out_ext = "json",
	.default_job = default_job,
	.metrics = fio_metrics,
	.nmetrics = sizeof(fio_metrics) / sizeof(fio_metrics[0]),
	.validate = fio_validate,
	FIO_AGENT
	FIO_HOST
};
