// SPDX-License-Identifier: GPL-2.0
/*
 * Experiment files. inih reads them, but only after the whole text has been
 * checked line by line: inih cuts lines at its buffer size (the tail of a
 * long comment would be read as a key), stops at a NUL, truncates section
 * names and silently merges two sections of the same name. Every check here
 * runs before anything is created on disk.
 */
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/experiment.h"
#include "stack/frame.h"
#include "stack/knobs.h"
#include "stack/util.h"
#include "stats/ini.h"
#include "stats/gate.h"
#include "workloads/workload.h"

#define LINE_MAX_EXP	NB_INI_LINE_MAX
#define SECTION_MAX_EXP	49	/* and section names into 50 */
#define NAME_RULE	"use 1..%d characters of A-Z a-z 0-9 . _ + -, not starting with '.' or '-'"

static int series_set(void *cfg, const char *v, char *err, size_t len)
{
	return exp_series_parse(cfg, v, err, len);
}

static int series_fmt(const void *cfg, char *buf, size_t len)
{
	const struct experiment *e = cfg;
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < e->nseries && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? "," : "", e->series[i]);
	return n >= len ? -ENOSPC : 0;
}

static int layout_set(void *cfg, const char *v, char *err, size_t len);

static int layout_fmt(const void *cfg, char *buf, size_t len)
{
	const struct experiment *e = cfg;

	return snprintf(buf, len, "%s", e->series_kernels) >= (int)len ? -ENOSPC : 0;
}

#define E struct experiment
const struct nb_opt exp_keys[] = {
	OPT_NAME("name", E, name, "NAME", NB_IN_FILE, "the experiment's name: results/NAME/TIMESTAMP"),
	OPT_INT("boots", E, boots, 1, NB_MAX_BOOTS, 2, "N", NB_IN_FILE | NB_IN_CLI, "boots per variant"),
	OPT_INT("seed", E, seed, 0, 2147483646, 1, "N", NB_IN_FILE, "seed of the ABBA order"),
	OPT_INT("budget", E, budget, 0, 100 * 86400, 3600, "S", NB_IN_FILE,
		"host seconds after which no new boot starts (0: none)"),
	OPT_INT("jobs", E, jobs, 0, 64, 0, "N", NB_IN_FILE | NB_IN_CLI,
		"boots side by side (0: the host's cores under icount, else 1)"),
	OPT_INT("extras_boots", E, extras_boots, 0, NB_MAX_BOOTS, 0, "N", NB_IN_FILE,
		"bare, counting and exit repetitions in each arm's first N boots only, the later boots time (0: every boot)"),
	OPT_REAL("target_ci", E, target_ci, 0, 100, 0, "PCT", NB_IN_FILE,
		 "stop once the io-time change's 95% CI half-width is below (0: off)"),
	OPT_STR("job", E, job, "FILE", NB_IN_FILE, "a job-file workload's job, relative to this file"),
	OPT_CALL("series", series_set, series_fmt, "K0,K1,..", NB_IN_FILE,
		 "a patch series' kernels, the base first (make images SERIES=; s0..sN): one variant each, "
		 "the kernel at every level, and the report's per-patch table"),
	OPT_CALL("series_kernels", layout_set, layout_fmt, "L0=*,L1=V,..", NB_IN_FILE,
		 "the series' variants' kernel per level, * for the series' kernel (default: * at every level)"),
	OPT_ENUM("executor", E, lab.executor, nb_executor_names, NB_EXEC_LOCAL, "local|lava", NB_IN_FILE | NB_IN_CLI,
		 "who runs each boot: local (here) or lava (one LAVA job per boot, docs/lab.md)"),
	OPT_STR("lava", E, lab.url, "URL", NB_IN_FILE,
		"the LAVA server of executor = lava (default $NESTBENCH_LAVA_URL); the token comes from "
		"$NESTBENCH_LAVA_TOKEN or lavacli's $NESTBENCH_LAVA_IDENTITY"),
	OPT_STR("lava_device_type", E, lab.device_type, "TYPE", NB_IN_FILE,
		"the device type the boots' jobs ask for (default qemu: an emulated L0 on a worker; any "
		"other: an arm64 NV server, docs/lab.md)"),
	OPT_STR("lava_tags", E, lab.tags, "T1,T2", NB_IN_FILE,
		"device tags the jobs require, e.g. nestbench-nv2 for workers whose QEMU is >= 9"),
	OPT_STR("lava_artifacts", E, lab.artifacts, "DIR", NB_IN_FILE,
		"where the boots' kernel, rootfs and plan are published for the workers"),
	OPT_STR("lava_artifacts_url", E, lab.artifacts_url, "URL", NB_IN_FILE,
		"lava_artifacts as the workers fetch it (http://..., file:///...)"),
	OPT_STR("lava_nfsrootfs", E, lab.nfsrootfs, "URL", NB_IN_FILE,
		"an NV server's root over NFS (lava_device_type other than qemu): a Debian arm64 tarball "
		"with QEMU >= 10.1 and curl (docs/lab.md)"),
	OPT_INT("lava_retries", E, lab.retries, 0, 5, 1, "N", NB_IN_FILE,
		"submissions again of a job LAVA lost (canceled, infrastructure error) before anything was measured"),
	OPT_END
};

struct load {
	struct experiment *e;
	const char *path, *text;
	char *err;
	size_t errlen;
	int cur;		/* current variant, -1 in [experiment] */
	unsigned int levels[NB_MAX_VARIANTS_EXP];	/* levels named by kernels = */
};

static int __attribute__((format(printf, 3, 4)))
fail(struct load *L, unsigned int line, const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(L->err, L->errlen, "%s:%u: %s", L->path, line, msg);
	else
		snprintf(L->err, L->errlen, "%s: %s", L->path, msg);
	return -EINVAL;
}

/* Line of the last "key =" in [section] (0 if none): for errors found after parsing. */
static unsigned int key_line(const char *text, const char *section, const char *key)
{
	unsigned int line = 1, found = 0;
	const char *p = text, *s;
	size_t klen = strlen(key), slen = strlen(section);
	int in = !strcmp(section, "experiment");

	for (; *p; line++) {
		s = p + strspn(p, " \t");
		if (*s == '[')
			in = !strncmp(s + 1, section, slen) && s[1 + slen] == ']';
		else if (in && !strncmp(s, key, klen) && strchr(" \t=", s[klen]))
			found = line;
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return found;
}

static int find_variant(const struct experiment *e, const char *name)
{
	int i;

	for (i = 0; i < e->nvariants; i++)
		if (!strcmp(e->v[i].name, name))
			return i;
	return -1;
}

static int series_add(struct experiment *e, const char *name)
{
	int i;

	if (nb_name_check(name) || e->nseries == NB_MAX_VARIANTS_EXP)
		return -EINVAL;
	for (i = 0; i < e->nseries; i++)
		if (!strcmp(e->series[i], name))
			return -EINVAL;
	memcpy(e->series[e->nseries++], name, strlen(name) + 1);	/* checked: < NB_NAME_MAX */
	return 0;
}

/* "s0..s3": one prefix, two numbers, the first below the second. */
static int series_range(struct experiment *e, const char *v, const char *dots)
{
	size_t plen = strcspn(v, "0123456789");
	int lo, hi, k, ret = 0;
	char lo_s[16], name[NB_NAME_MAX];

	if (plen >= (size_t)(dots - v) || plen >= sizeof(name) - 12 || strncmp(v, dots + 2, plen) ||
	    (size_t)(dots - v) - plen >= sizeof(lo_s))
		return -EINVAL;
	snprintf(lo_s, sizeof(lo_s), "%.*s", (int)(dots - v - plen), v + plen);
	if (nb_parse_int(lo_s, 0, 999, &lo) || nb_parse_int(dots + 2 + plen, lo + 1, lo + NB_MAX_VARIANTS_EXP - 1, &hi))
		return -EINVAL;
	for (k = lo; k <= hi && !ret; k++) {
		snprintf(name, sizeof(name), "%.*s%d", (int)plen, v, k);
		ret = series_add(e, name);
	}
	return ret;
}

/* "s0,s1,s2": names separated by commas, blanks around them allowed, none empty. */
static int series_list(struct experiment *e, const char *v)
{
	char *dup = strdup(v), *rest = dup, *tok, *end;
	int ret = dup ? 0 : -ENOMEM;

	while (!ret && (tok = strsep(&rest, ","))) {
		tok += strspn(tok, " \t");
		for (end = tok + strlen(tok); end > tok && strchr(" \t", end[-1]); end--)
			;
		*end = '\0';
		ret = series_add(e, tok);
	}
	free(dup);
	return ret;
}

int exp_series_parse(struct experiment *e, const char *v, char *err, size_t len)
{
	const char *dots = strstr(v, "..");
	int ret;

	e->nseries = 0;
	ret = dots ? series_range(e, v, dots) : series_list(e, v);
	if (!ret && e->nseries < 2)
		ret = -EINVAL;
	if (ret == -ENOMEM)
		return snprintf(err, len, "series: out of memory"), ret;
	if (ret) {
		e->nseries = 0;
		return nb_invalid(err, len, "series '%s': give the kernels of a patch series' prefixes, "
				  "the base first: s0,s1,s2 or s0..s2 (2 to %d kernel names, each once)",
				  v, NB_MAX_VARIANTS_EXP);
	}
	return 0;
}

/* A "[...]" line: known, not repeated, a valid variant name. */
static int scan_section(struct load *L, const char *s, size_t len, unsigned int line)
{
	struct experiment *e = L->e;
	const char *end = memchr(s, ']', len);
	char sec[LINE_MAX_EXP + 1];

	if (!end)
		return fail(L, line, "section header without ']'");
	snprintf(sec, sizeof(sec), "%.*s", (int)(end - s - 1), s + 1);
	if (!strcmp(sec, "experiment"))
		return 0;
	if (strncmp(sec, "variant ", 8))
		return fail(L, line, "unknown section [%s]: use [experiment] or [variant NAME]", sec);
	if (nb_name_check(sec + 8) || strlen(sec) > SECTION_MAX_EXP)
		return fail(L, line, "variant name '%s': " NAME_RULE, sec + 8, SECTION_MAX_EXP - 8);
	if (find_variant(e, sec + 8) >= 0)
		return fail(L, line, "[variant %s] appears twice: merge the two sections", sec + 8);
	if (e->nvariants == NB_MAX_VARIANTS_EXP)
		return fail(L, line, "more than %d variants", NB_MAX_VARIANTS_EXP);
	memcpy(e->v[e->nvariants++].name, sec + 8, strlen(sec + 8) + 1);	/* checked above */
	return 0;
}

static int scan_line(struct load *L, const char *s, size_t len, unsigned int line)
{
	size_t lead = strspn(s, " \t");
	char why[160];

	if (nb_ini_check_line(s, len, why, sizeof(why)))
		return fail(L, line, "%s", why);
	return lead < len && s[lead] == '[' ? scan_section(L, s + lead, len - lead, line) : 0;
}

/* Every line, before inih sees any: the variants' names are taken here, in order. */
static int scan_text(struct load *L, const char *text, size_t len)
{
	const char *p = text, *nl, *end = text + len;
	unsigned int line = 1;
	int ret = 0;

	for (; p < end && !ret; p = nl + 1, line++) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		ret = scan_line(L, p, nl - p - (nl > p && nl[-1] == '\r'), line);
	}
	return ret;
}

static int set_kernel(char *dst, const char *name)
{
	if (nb_name_check(name))
		return -EINVAL;
	snprintf(dst, NB_NAME_MAX, "%s", name);
	return 0;
}

/* "L0=base,L1=patched": each level once, each a valid kernel name. */
static int set_kernels(struct exp_variant *v, const char *spec, unsigned int *levels)
{
	char *dup = strdup(spec), *tok, *save = NULL, *eq;
	int l, ret = dup ? 0 : -ENOMEM;

	for (tok = strtok_r(dup, ",", &save); tok && !ret; tok = strtok_r(NULL, ",", &save)) {
		tok += strspn(tok, " \t");
		eq = strchr(tok, '=');
		if (!eq || tok[0] != 'L')
			ret = -EINVAL;
		else
			*eq = '\0';
		if (!ret)
			ret = nb_parse_int(tok + 1, 0, NB_MAX_DEPTH, &l) ?:
			      (*levels & (1u << l)) ? -EINVAL :
			      set_kernel(v->kernels[l], eq + 1 + strspn(eq + 1, " \t"));
		if (!ret)
			*levels |= 1u << l;
	}
	free(dup);
	return ret;
}

static int is_star(const char *val)
{
	val += strspn(val, " \t");
	return *val == '*' && val[1 + strspn(val + 1, " \t")] == '\0';
}

/*
 * A series variant's kernels from the layout "L0=*,L1=patched": each "*"
 * becomes the series' kernel. 0, -EINVAL for a bad layout, -ENOENT when
 * no level has the series' kernel.
 */
static int series_layout(struct exp_variant *v, const char *layout, const char *kernel, unsigned int *levels)
{
	char *dup = strdup(layout), *rest = dup, *tok, *eq, spec[512];
	size_t n = 0;
	int stars = 0, ret = dup ? 0 : -ENOMEM;

	while (!ret && (tok = strsep(&rest, ","))) {
		eq = strchr(tok, '=');
		stars += eq && is_star(eq + 1);
		if (eq && is_star(eq + 1))
			n += snprintf(spec + n, sizeof(spec) - n, "%s%.*s=%s", n ? "," : "", (int)(eq - tok), tok, kernel);
		else
			n += snprintf(spec + n, sizeof(spec) - n, "%s%s", n ? "," : "", tok);
		if (n >= sizeof(spec))
			ret = -EINVAL;
	}
	free(dup);
	if (ret)
		return ret;
	return set_kernels(v, spec, levels) ?: stars ? 0 : -ENOENT;
}

static int layout_set(void *cfg, const char *v, char *err, size_t len)
{
	struct experiment *e = cfg;
	struct exp_variant tmp = { .name = "x" };
	unsigned int levels = 0;
	int ret = series_layout(&tmp, v, "x", &levels);

	if (ret == -ENOENT)
		return nb_invalid(err, len, "series_kernels '%s' puts the series' kernel at no level: "
				  "write * for it, e.g. L0=*,L1=patched", v);
	if (ret)
		return nb_invalid(err, len, "series_kernels '%s': use L0=*,L1=NAME,... (each level once, "
				  "* for the series' kernel, names of A-Z a-z 0-9 . _ + -)", v);
	if (snprintf(e->series_kernels, sizeof(e->series_kernels), "%s", v) >= (int)sizeof(e->series_kernels))
		return nb_invalid(err, len, "series_kernels: longer than %zu", sizeof(e->series_kernels) - 1);
	return 0;
}

/* A key some workload owns: its value in range, kept for validate() to match with workload =. */
static int wl_key(struct experiment *e, const char *k, const char *v, char *msg, size_t len)
{
	const struct nb_wl_key *key;
	const struct nb_workload *w = nb_workload_key_owner(k, &key);
	size_t n = strlen(e->wl_params);
	int x, ret;

	if (!w)
		return -ENOENT;
	ret = nb_parse_int(v, key->min, key->max, &x);
	if (ret)
		return nb_parse_error(msg, len, k, v, ret, key->min, key->max), ret;
	if (nb_kv_get(e->wl_params, k, msg, len) == 0)
		return nb_invalid(msg, len, "%s given twice", k);
	if (snprintf(e->wl_params + n, sizeof(e->wl_params) - n, "%s=%d\n", k, x) >=
	    (int)(sizeof(e->wl_params) - n))
		return nb_invalid(msg, len, "too many workload keys");
	return 0;
}

/* expect = [KEY] PCT%, fail_if = KEY>PCT%: checked here, held against the results by the report. */
static int claim_key(struct experiment *e, const char *k, const char *v, char *msg, size_t len)
{
	char *dst = !strcmp(k, "expect") ? e->expect : e->fail_if;
	struct nb_claim c;
	struct nb_gate g;
	int ret = dst == e->expect ? nb_claim_parse(v, &c, msg, len) : nb_gate_parse(v, &g, msg, len);

	if (!ret && snprintf(dst, sizeof(e->expect), "%s", v) >= (int)sizeof(e->expect))
		return nb_invalid(msg, len, "%s '%s': longer than %zu", k, v, sizeof(e->expect) - 1);
	return ret;
}

/* A boot option (stack/knobs.c), a key of the experiment's own (exp_keys), or a workload's. */
static int exp_key(struct experiment *e, const char *k, const char *v, char *msg, size_t len)
{
	const struct nb_opt *o = nb_opt_find(nb_plan_knobs, k, NB_IN_FILE);

	if (o)
		return nb_opt_set(o, &e->plan, v, NULL, msg, len);
	o = nb_opt_find(exp_keys, k, NB_IN_FILE);
	if (o)
		return nb_opt_set(o, e, v, NULL, msg, len);
	if (!strcmp(k, "expect") || !strcmp(k, "fail_if"))
		return claim_key(e, k, v, msg, len);
	return wl_key(e, k, v, msg, len);
}

static int variant_key(struct load *L, const char *k, const char *val, char *msg, size_t len)
{
	struct exp_variant *v = &L->e->v[L->cur];
	int l, ret;

	if (!strcmp(k, "extra_eret_ns")) {
		if (nb_parse_real(val, 1, 1e9, &v->extra_eret_ns))
			return nb_invalid(msg, len, "extra_eret_ns '%s': the known extra cost per nested ERET "
				   "at L0, in ns (1 .. 1e9)", val);
		return 0;
	}
	if (!strcmp(k, "kernels")) {
		ret = set_kernels(v, val, &L->levels[L->cur]);
		return ret ? nb_invalid(msg, len, "kernels '%s': use L0=NAME,L1=NAME,... "
				 "(each level once, names of A-Z a-z 0-9 . _ + -)", val) : 0;
	}
	if (strcmp(k, "kernel"))
		return -ENOENT;
	for (l = 0, ret = 0; l <= NB_MAX_DEPTH && !ret; l++)
		ret = set_kernel(v->kernels[l], val);
	return ret ? nb_invalid(msg, len, "kernel '%s': use a kernel variant name "
			 "(A-Z a-z 0-9 . _ + -)", val) : 0;
}

/* inih gives (section, key, value) per line and the first failing line's number. */
static int handler(void *user, const char *section, const char *k, const char *v)
{
	struct load *L = user;
	char msg[320] = "";
	int ret, exp = !strcmp(section, "experiment");

	L->cur = exp || strncmp(section, "variant ", 8) ? -1 : find_variant(L->e, section + 8);
	if (L->cur < 0 && !exp)
		ret = nb_invalid(msg, sizeof(msg), "key outside a section: start with [experiment]");
	else
		ret = L->cur < 0 ? exp_key(L->e, k, v, msg, sizeof(msg)) :
		      variant_key(L, k, v, msg, sizeof(msg));
	if (ret == -ENOENT)
		snprintf(msg, sizeof(msg), "unknown key [%s] %s", section, k);
	if (ret)
		snprintf(L->err, L->errlen, "%s", msg);
	return ret == 0;
}

static int check_variant(struct load *L, int i)
{
	struct experiment *e = L->e;
	char sec[80];
	int l;

	snprintf(sec, sizeof(sec), "variant %s", e->v[i].name);
	if (L->levels[i] >> (e->plan.depth + 1))
		return fail(L, key_line(L->text, sec, "kernels"), "variant %s names a kernel for "
			    "a level deeper than depth %d (L0..L%d)", e->v[i].name, e->plan.depth, e->plan.depth);
	for (l = 0; l <= e->plan.depth; l++)
		if (!e->v[i].kernels[l][0])
			return fail(L, key_line(L->text, sec, "kernels"), "variant %s has no kernel "
				    "for L%d: give kernel = NAME or kernels = L0=..,L%d=..",
				    e->v[i].name, l, e->plan.depth);
	return 0;
}

/* The workload exists, every workload key given is its own, and job = only for one that takes a job file. */
static int check_workload(struct load *L)
{
	const struct nb_workload *w = nb_workload_find(L->e->plan.workload);
	const struct nb_wl_key *k;
	const char *p = L->e->wl_params;
	char key[32];

	if (!w)
		return fail(L, key_line(L->text, "experiment", "workload"), "workload '%s': use %s",
			    L->e->plan.workload, nb_workload_list());
	if (L->e->job[0] && !nb_wl_takes_job(w))
		return fail(L, key_line(L->text, "experiment", "job"), "job = is not a key of workload "
			    "%s, which takes keys: remove it", w->name);
	for (; *p; p = strchr(p, '\n') + 1) {
		snprintf(key, sizeof(key), "%.*s", (int)strcspn(p, "="), p);
		for (k = w->keys; k && k->name && strcmp(k->name, key); k++)
			;
		if (!k || !k->name)
			return fail(L, key_line(L->text, "experiment", key), "key %s belongs to workload "
				    "%s, not to %s (workload = %s)", key,
				    nb_workload_key_owner(key, &k)->name, w->name, w->name);
	}
	return 0;
}

/* series = : one variant per kernel, named after it, the kernel at every level. */
static int expand_series(struct load *L)
{
	struct experiment *e = L->e;
	int i, l, v;

	for (i = 0; i < e->nseries; i++) {
		if (find_variant(e, e->series[i]) >= 0)
			return fail(L, key_line(L->text, "experiment", "series"), "series kernel %s is "
				    "also a [variant %s] section: rename the section", e->series[i], e->series[i]);
		if (e->nvariants == NB_MAX_VARIANTS_EXP)
			return fail(L, key_line(L->text, "experiment", "series"), "series and [variant] "
				    "sections make more than %d variants", NB_MAX_VARIANTS_EXP);
		v = e->nvariants++;
		snprintf(e->v[v].name, sizeof(e->v[v].name), "%s", e->series[i]);
		if (e->series_kernels[0])	/* checked when read */
			series_layout(&e->v[v], e->series_kernels, e->series[i], &L->levels[v]);
		else
			for (l = 0; l <= NB_MAX_DEPTH; l++)
				snprintf(e->v[v].kernels[l], sizeof(e->v[v].kernels[l]), "%s", e->series[i]);
	}
	if (e->series_kernels[0] && !e->nseries)
		return fail(L, key_line(L->text, "experiment", "series_kernels"), "series_kernels "
			    "without series =: give the series' kernels too");
	return 0;
}

static int validate(struct load *L)
{
	struct experiment *e = L->e;
	int i, ret;

	if (!e->name[0])
		return fail(L, 0, "[experiment] needs name = NAME");
	ret = expand_series(L);
	if (ret)
		return ret;
	if (e->nvariants < 2)
		return fail(L, 0, "needs two or more [variant NAME] sections, or series = K0,K1,..");
	ret = check_workload(L);
	if (ret)
		return ret;
	if (e->plan.reps + e->plan.counting < 1)
		return fail(L, key_line(L->text, "experiment", "reps"),
			    "reps + counting must be >= 1: nothing would be measured");
	if (e->extras_boots && !e->plan.reps)
		return fail(L, key_line(L->text, "experiment", "extras_boots"),
			    "extras_boots = %d leaves the later boots nothing to run with reps = 0: "
			    "set reps >= 1 or extras_boots = 0", e->extras_boots);
	if (nb_plan_nreps(&e->plan) > NB_MAX_REPS)
		return fail(L, key_line(L->text, "experiment", "reps"), "warmup + reps + bare + counting + exits "
			    "is more than %d repetitions per boot", NB_MAX_REPS);
	if (e->nvariants * e->boots > NB_MAX_BOOTS)
		return fail(L, key_line(L->text, "experiment", "boots"), "boots x variants = %d x %d "
			    "is more than %d boots", e->boots, e->nvariants, NB_MAX_BOOTS);
	for (i = 0; i < e->nvariants; i++) {
		ret = check_variant(L, i);
		if (ret)
			return ret;
	}
	return 0;
}

int exp_load_text(const char *text, size_t len, const char *path, struct experiment *e,
		  char *err, size_t errlen)
{
	struct load L = { .e = e, .path = path, .text = text, .err = err, .errlen = errlen, .cur = -1 };
	char msg[384] = "", why[256] = "";
	unsigned int line = 0;
	int ret;

	memset(e, 0, sizeof(*e));
	nb_plan_defaults(&e->plan, 2);
	nb_opt_defaults(exp_keys, e);
	ret = scan_text(&L, text, len);
	if (ret)
		return ret;
	L.err = msg;
	L.errlen = sizeof(msg);
	ret = nb_ini_parse(text, len, handler, &L, &line, why, sizeof(why));	/* refuses a key given twice */
	L.err = err;
	L.errlen = errlen;
	if (ret)
		return fail(&L, line, "%s", msg[0] ? msg : why[0] ? why : "syntax error: "
			    "expected [section], key = value or a ; comment");
	return validate(&L);
}

int exp_load(const char *path, struct experiment *e, char *err, size_t errlen)
{
	size_t len;
	char *text = nb_read_file(path, &len);
	int ret;

	memset(e, 0, sizeof(*e));
	if (!text)
		return snprintf(err, errlen, "%s: cannot read the experiment file", path), -ENOENT;
	ret = exp_load_text(text, len, path, e, err, errlen);
	free(text);
	return ret;
}

/* Park-Miller: tiny, seeded, the same on every libc. */
static unsigned int next_rand(unsigned int *s)
{
	*s = (unsigned int)((unsigned long long)*s * 48271u % 2147483647u);
	return *s;
}

void exp_plan(struct experiment *e)
{
	unsigned int s = e->seed > 0 ? e->seed : 1, i, j, n = e->nvariants, t;
	int perm[NB_MAX_VARIANTS_EXP];

	e->nboots = 0;
	while (e->nboots < e->boots * e->nvariants) {
		for (i = 0; i < n; i++)
			perm[i] = i;
		for (i = n - 1; i > 0; i--) {
			j = next_rand(&s) % (i + 1);
			t = perm[i]; perm[i] = perm[j]; perm[j] = t;
		}
		for (i = 0; i < 2 * n && e->nboots < e->boots * e->nvariants; i++)
			e->order[e->nboots++] = perm[i < n ? i : 2 * n - 1 - i];
	}
}

int exp_jobs(const struct experiment *e, int side_by_side, int want, int cores, char *err, size_t errlen)
{
	int n = want > 0 ? want : side_by_side && e->plan.icount ? cores : 1;

	if (n > 1 && !side_by_side)
		return snprintf(err, errlen, "jobs = %d: on this platform boots run one at a time "
				"(side by side they would disturb each other's hardware timing); use jobs = 1", n), -EINVAL;
	if (n > 1 && !e->plan.icount)
		return snprintf(err, errlen, "jobs = %d with clock = tcg-wall: boots side by side disturb "
				"the host's wall clock; use jobs = 1 or clock = icount", n), -EINVAL;
	if (n > 64)
		return snprintf(err, errlen, "jobs = %d: at most 64 boots side by side", n), -EINVAL;
	if (n >= e->nvariants)
		n -= n % e->nvariants;
	return n < 1 ? 1 : n;
}

/*
 * A look ends a balanced block (a batch when boots run side by side, else an
 * ABBA block), so the arms stay balanced, once each arm has 2 boots; the
 * last boot is a look too (the final analysis).
 */
int exp_look_at(const struct experiment *e, int jobs, int b)
{
	if (b == e->nboots)
		return b / e->nvariants >= 2;
	return !(b % (jobs > 1 ? e->nvariants : 2 * e->nvariants)) && b / e->nvariants >= 2;
}

size_t exp_looks(const struct experiment *e, int jobs, size_t *looks, size_t max)
{
	int b, n, side = jobs > 1 ? jobs : 1;	/* batches as run_all() runs them */
	size_t k = 0;

	for (b = 1; b <= e->nboots && k < max; b += n) {
		n = e->nboots - b + 1 < side ? e->nboots - b + 1 : side;
		if (exp_look_at(e, jobs, b + n - 1))
			looks[k++] = (b + n - 1) / e->nvariants;
	}
	return k;
}

/* "key =" lines of [experiment] sections become comments: their override follows (a key is given once). */
static char *comment_out(char *text, const char *const *keys)
{
	char *out = NULL, *line, *nl;
	size_t len = 0, i, k;
	FILE *f = open_memstream(&out, &len);
	int in = 0;

	for (line = text; f && *line; line = nl + !!*nl) {
		const char *s = line + strspn(line, " \t");

		nl = strchrnul(line, '\n');
		if (*s == '[')
			in = !strncmp(s, "[experiment]", 12);
		for (i = 0; in && keys[i]; i++) {
			k = strlen(keys[i]);
			if (!strncmp(s, keys[i], k) && strchr(" \t=", s[k]))
				break;
		}
		fprintf(f, "%s%.*s\n", in && keys[i] ? "; overridden below: " : "", (int)(nl - line), line);
	}
	if (f)
		fclose(f);
	free(text);
	return out;
}

char *exp_with_key(char *text, const char *key, const char *value)
{
	const char *keys[2] = { key, NULL };
	char *out;

	if (!text || !(text = comment_out(text, keys)))
		return NULL;
	if (asprintf(&out, "%s\n; set by nestbench for this results directory\n[experiment]\n%s = %s\n",
		     text, key, value) < 0)
		out = NULL;
	free(text);
	return out;
}

char *exp_with_overrides(char *text, int boots, int reps, int jobs, int job)
{
	const char *keys[5] = { 0 };
	char *out;
	int n = 0;

	if (!text)
		return NULL;
	if (boots > 0) keys[n++] = "boots";
	if (reps > 0) keys[n++] = "reps";
	if (jobs > 0) keys[n++] = "jobs";
	if (job) keys[n++] = "job";
	text = comment_out(text, keys);
	if (!text)
		return NULL;
	if (asprintf(&out, "%s\n; set by nestbench for this results directory\n[experiment]\n"
		     "%s%d\n%s%d\n%s%d\n%s\n", text, boots > 0 ? "boots = " : "; boots = ", boots,
		     reps > 0 ? "reps = " : "; reps = ", reps, jobs > 0 ? "jobs = " : "; jobs = ", jobs,
		     job ? "job = job.fio" : "") < 0)
		out = NULL;
	free(text);
	return out;
}
