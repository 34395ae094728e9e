/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NB_JOB_H
#define NB_JOB_H

/* Sections of a fio job file other than [global]. */
int nb_job_sections(const char *job);
/*
 * The job file the innermost agent runs: a [global] section whose
 * exec_prerun/exec_postrun send the start/end marks, then the user's job.
 * With k > 1 and a single job section, that section is repeated k times
 * (named NAME-1 .. NAME-k, each with stonewall): one fio process runs every
 * repetition. A single-section job ends with [nb-tail], a stonewalled job
 * without I/O or marks (stack/job.c says why). Caller frees; NULL when out
 * of memory.
 */
char *nb_job_expand(const char *job, int k);

#endif
