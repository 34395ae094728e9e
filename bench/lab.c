// SPDX-License-Identifier: GPL-2.0
/*
 * The lava executor (bench/lab.h, docs/lab.md): per boot, the plan as a
 * CONFIG frame on a disk, the L0 kernel and rootfs published beside it, one
 * job submitted (POST /api/v0.2/jobs/), its id kept in raw/boot-N/lava-job
 * before anything waits (so --resume finds a job still queued or running),
 * polled until it finishes, then its log fetched and every armoured console
 * line decoded into frames handed to the same code a local boot uses. A job
 * LAVA lost (canceled, an infrastructure error) before anything was
 * measured is submitted again; otherwise it is a failed boot with LAVA's
 * reason and the job's URL. Everything from the server is untrusted: sizes
 * are capped, numbers parsed whole, strings made printable.
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "bench/hostkernel.h"
#include "bench/lab.h"
#include "bench/run.h"
#include "stack/armour.h"
#include "stack/frame.h"
#include "stack/qemu.h"
#include "stack/util.h"

const char *const nb_executor_names[] = { "local", "lava", NULL };

#define LAB_POLL_S	2
#define LAB_SMALL	(1u << 20)	/* a job's JSON, a submission's answer */
#define LAB_LOG_MAX	(512u << 20)	/* a job's log: frames are ~4/3 of what came up */
#define LAB_AGENT	"build/arm64/nbagent"	/* as bench/boot.c's host L0: nestbench runs from the checkout */

/* --- the lab from the environment ------------------------------------------------------------ */

/* lavacli's identity NAME in ~/.config/lavacli.yaml: "NAME:\n  uri: ...\n  token: T" */
static int lavacli_token(const char *name, char *out, size_t len)
{
	char path[1024], *text, *p, *end;
	const char *home = getenv("HOME");
	size_t nlen = strlen(name);
	int ret = -ENOENT;

	snprintf(path, sizeof(path), "%s/.config/lavacli.yaml", home ? home : "/");
	text = nb_read_file(path, NULL);
	for (p = text; p && (p = strstr(p, name)); p += nlen) {
		if ((p != text && p[-1] != '\n') || p[nlen] != ':')
			continue;
		end = strstr(p + nlen, "\n" ) ? p + nlen : NULL;
		for (p = end; p && *p && (p = strchr(p, '\n')) && (p[1] == ' ' || p[1] == '\t'); ) {
			p += 1 + strspn(p + 1, " \t");
			if (!strncmp(p, "token:", 6)) {
				p += 6 + strspn(p + 6, " \t\"'");
				ret = snprintf(out, len, "%.*s", (int)strcspn(p, "\"' \r\n"), p) >= (int)len ? -E2BIG : 0;
				break;
			}
		}
		break;
	}
	free(text);
	return ret;
}

static int lab_token(struct nb_lab *l, char *err, size_t len)
{
	const char *t = getenv("NESTBENCH_LAVA_TOKEN"), *id = getenv("NESTBENCH_LAVA_IDENTITY");

	if (t && *t)
		return snprintf(l->token, sizeof(l->token), "%s", t) >= (int)sizeof(l->token) ? -EINVAL : 0;
	if (id && *id && !lavacli_token(id, l->token, sizeof(l->token)))
		return 0;
	return nb_invalid(err, len, "executor = lava needs the lab's API token%s%s%s\n  fix: export "
			  "NESTBENCH_LAVA_TOKEN=TOKEN, or NESTBENCH_LAVA_IDENTITY=NAME naming an identity "
			  "with a token in ~/.config/lavacli.yaml", id ? " (identity '" : "", id ? id : "",
			  id ? "' has none)" : "");
}

/* A value that goes into a URL or the job's YAML between single quotes. */
static int plain(const char *s)
{
	for (; *s; s++)
		if (*s <= ' ' || *s == '\'' || *s == '"' || *s == '\\' || *s == 0x7f)
			return 0;
	return 1;
}

/* A URL that a shell takes as one word, unquoted, and YAML inside single quotes: no metacharacter at all. */
static int shell_word(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~:/%+=,@-");

	return n && !s[n];
}

/* LAVA's compression of an NFS root tarball, by its name; NULL when it is not one. */
static const char *nfs_compression(const char *url)
{
	static const char *const ext[][2] = { { ".tar.xz", "xz" }, { ".tar.gz", "gz" }, { ".tar.bz2", "bz2" },
					      { ".tar", "none" } };
	size_t i, n = strlen(url);

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (n > strlen(ext[i][0]) && !strcmp(url + n - strlen(ext[i][0]), ext[i][0]))
			return ext[i][1];
	return NULL;
}

int lab_nv(const struct nb_lab *l)
{
	return l->device_type[0] && strcmp(l->device_type, "qemu");
}

int lab_server(struct nb_lab *l, char *err, size_t len)
{
	const char *env = getenv("NESTBENCH_LAVA_URL");

	if (!l->url[0] && env)
		snprintf(l->url, sizeof(l->url), "%s", env);
	if (!l->device_type[0])
		snprintf(l->device_type, sizeof(l->device_type), "qemu");
	if (!l->url[0] || (strncmp(l->url, "http://", 7) && strncmp(l->url, "https://", 8)) || !plain(l->url))
		return nb_invalid(err, len, "executor = lava needs the server's URL, http:// or https://, "
				  "got '%s'\n  fix: lava = https://lava.example.org/ in the experiment file, or "
				  "export NESTBENCH_LAVA_URL", l->url);
	return lab_token(l, err, len);
}

int lab_resolve(struct nb_lab *l, char *err, size_t len)
{
	struct stat st;
	int ret = lab_server(l, err, len);

	if (ret)
		return ret;
	if (!l->artifacts[0] || stat(l->artifacts, &st) || !S_ISDIR(st.st_mode) || !l->artifacts_url[0] ||
	    !plain(l->artifacts_url) || !plain(l->artifacts) || !plain(l->device_type) || !plain(l->tags))
		return nb_invalid(err, len, "executor = lava needs a directory its workers can fetch from: "
				  "lava_artifacts = DIR (exists: %s) and lava_artifacts_url = the URL of DIR "
				  "(file:///..., http://...), no blanks or quotes\n  fix: publish a directory "
				  "over HTTP and name both in the experiment file (docs/lab.md)",
				  l->artifacts[0] && !stat(l->artifacts, &st) ? "yes" : "no");
	if (lab_nv(l) && (!shell_word(l->nfsrootfs) || !nfs_compression(l->nfsrootfs) ||
			  !shell_word(l->artifacts_url)))
		return nb_invalid(err, len, "lava_device_type = %s (an NV server) needs lava_nfsrootfs = the URL of "
				  "its root, a .tar, .tar.gz, .tar.bz2 or .tar.xz (got '%s'), and URLs of "
				  "[A-Za-z0-9._~:/%%+=,@-] only: the server's test shell fetches them\n  fix: "
				  "docs/lab.md, \"arm64 NV servers\"", l->device_type, l->nfsrootfs);
	return 0;
}

/* --- HTTP ------------------------------------------------------------------------------------ */

struct buf {
	char *p;
	size_t len, max;
};

static size_t on_data(char *data, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;
	char *p;

	if (b->len + size * n > b->max || !(p = realloc(b->p, b->len + size * n + 1)))
		return 0;	/* curl fails the transfer: too big or no memory */
	b->p = p;
	memcpy(b->p + b->len, data, size * n);
	b->len += size * n;
	b->p[b->len] = '\0';
	return size * n;
}

static struct curl_slist *headers(const struct nb_lab *l, int json)
{
	char auth[300];
	struct curl_slist *h;

	snprintf(auth, sizeof(auth), "Authorization: Token %s", l->token);
	h = curl_slist_append(NULL, auth);
	return json ? curl_slist_append(h, "Content-Type: application/json") : h;
}

static void set_url(CURL *c, const struct nb_lab *l, const char *path)
{
	char url[1024];

	snprintf(url, sizeof(url), "%s%sapi/v0.2/%s", l->url, l->url[strlen(l->url) - 1] == '/' ? "" : "/", path);
	curl_easy_setopt(c, CURLOPT_URL, url);
}

/* GET (post NULL) or POST JSON to api/v0.2/PATH; the body in out (NUL-terminated). 0 or -errno, why in err. */
static int http(const struct nb_lab *l, const char *path, const char *post, struct buf *out,
		char *err, size_t len)
{
	struct curl_slist *h = headers(l, post != NULL);
	CURL *c = curl_easy_init();
	long code = 0;
	CURLcode rc;

	if (!c || !h)
		return curl_slist_free_all(h), curl_easy_cleanup(c), -ENOMEM;
	set_url(c, l, path);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 300L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	if (post)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, post);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	if (rc == CURLE_OK && code / 100 == 2)
		return 0;
	snprintf(err, len, "%s %s: %s", post ? "POST" : "GET", path,
		 rc != CURLE_OK ? curl_easy_strerror(rc) : code == 401 || code == 403 ?
		 "the server refused the token (HTTP 401/403)" : "the server answered an HTTP error");
	if (rc == CURLE_OK && out->p)
		snprintf(err + strlen(err), len - strlen(err), " %ld: %.200s", code, out->p);
	return rc == CURLE_OK ? -EPROTO : -EIO;
}

static json_object *get_json(const struct nb_lab *l, const char *path, char *err, size_t len)
{
	struct buf b = { .max = LAB_SMALL };
	json_object *j = NULL;

	if (!http(l, path, NULL, &b, err, len) && !(j = json_tokener_parse(b.p ? b.p : "")))
		snprintf(err, len, "GET %s: not JSON", path);
	free(b.p);
	return j;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : "";
}

int lab_whoami(const struct nb_lab *l, char *user, size_t ulen, char *err, size_t len)
{
	json_object *j = get_json(l, "system/whoami/", err, len);
	char *s;

	if (!j)
		return -EIO;
	s = nb_printable(jstr(j, "user"), strlen(jstr(j, "user")), 64);
	snprintf(user, ulen, "%s", s ? s : "");
	free(s);
	json_object_put(j);
	return 0;
}

/*
 * The devices of the lab's type: the server's answer, which the caller
 * puts, with *rows pointing into it at the list (check it is an array).
 * NULL with why in err.
 */
static json_object *device_list(const struct nb_lab *l, json_object **rows, char *err, size_t len)
{
	json_object *j;
	char path[160];

	snprintf(path, sizeof(path), "devices/?device_type=%s&limit=500", l->device_type);
	j = get_json(l, path, err, len);
	if (j && (!json_object_object_get_ex(j, "results", rows) || !json_object_is_type(*rows, json_type_array)))
		*rows = j;	/* an unpaginated server answers the list itself */
	return j;
}

int lab_devices(const struct nb_lab *l, int *good, int *idle, char *err, size_t len)
{
	json_object *j, *rows = NULL, *d;
	size_t i;

	j = device_list(l, &rows, err, len);
	if (!j)
		return -EIO;
	*good = *idle = 0;
	for (i = 0; json_object_is_type(rows, json_type_array) && i < json_object_array_length(rows); i++) {
		d = json_object_array_get_idx(rows, i);
		*good += !strcmp(jstr(d, "health"), "Good");
		*idle += !strcmp(jstr(d, "health"), "Good") && !strcmp(jstr(d, "state"), "Idle");
	}
	json_object_put(j);
	return 0;
}

/* --- the workers' QEMU (doctor) ------------------------------------------------------------- */

/* A device's name as the server gave it, safe in a URL's query: [A-Za-z0-9._-], 1..63. */
static int device_name(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

	return n && n < 64 && !s[n];
}

int lab_good_devices(const struct nb_lab *l, char (*names)[64], int max, int *n, char *err, size_t len)
{
	json_object *j, *rows = NULL, *d;
	size_t i;

	j = device_list(l, &rows, err, len);
	if (!j)
		return -EIO;
	*n = 0;
	for (i = 0; json_object_is_type(rows, json_type_array) && i < json_object_array_length(rows); i++) {
		d = json_object_array_get_idx(rows, i);
		if (*n < max && !strcmp(jstr(d, "health"), "Good") && device_name(jstr(d, "hostname")))
			snprintf(names[(*n)++], 64, "%s", jstr(d, "hostname"));
	}
	json_object_put(j);
	return 0;
}

/*
 * qemu_version's value in the execute-qemu case's result: its record in the
 * job's log ({"case": "execute-qemu", ..., "extra": {"qemu_version": "V"}}:
 * the REST test case keeps only the path of its extra on the server), or
 * YAML ("qemu_version: V"). V, one printable word. 0 or -ENOENT.
 */
int lab_qemu_of_metadata(const char *meta, char *out, size_t len)
{
	const char *p = meta ? strstr(meta, "qemu_version") : NULL;
	size_t i, n;

	if (!p || !len)
		return -ENOENT;
	p += 12 + (p[12] == '"');
	if (*p++ != ':')
		return -ENOENT;
	p += strspn(p, " \t'\"");
	n = strcspn(p, " \t'\"\r\n,}");
	if (!n || n >= len || n > 63)
		return -ENOENT;
	for (i = 0; i < n; i++)
		if (p[i] < '!' || p[i] > '~')
			return -ENOENT;	/* a control or non-ASCII byte: not a version */
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

/* The execute-qemu result in job id's log (its first LAB_SMALL * 8 bytes: it comes at the boot's start). */
static int job_qemu(const struct nb_lab *l, long id, char *version, size_t vlen, char *err, size_t len)
{
	struct buf b = { .max = 8 * LAB_SMALL };
	const char *rec;
	char path[64];
	int ret;

	snprintf(path, sizeof(path), "jobs/%ld/logs/", id);
	ret = http(l, path, NULL, &b, err, len);
	rec = b.p ? strstr(b.p, "\"case\": \"execute-qemu\"") : NULL;
	if (rec)
		ret = lab_qemu_of_metadata(rec, version, vlen);
	else if (!ret || b.len >= b.max)
		ret = -ENOENT;	/* a log without it, or cut before it */
	free(b.p);
	return ret == -ENOENT || !ret ? ret : -EIO;
}

int lab_device_qemu(const struct nb_lab *l, const char *device, char *version, size_t vlen, long *job,
		    char *err, size_t len)
{
	json_object *j, *rows, *o;
	char path[192];
	size_t i;
	int ret = -ENOENT;

	/* the last few finished jobs: one that failed before QEMU started has no execute-qemu */
	snprintf(path, sizeof(path), "jobs/?actual_device=%s&state=Finished&ordering=-id&limit=5", device);
	j = get_json(l, path, err, len);
	if (!j)
		return -EIO;
	if (!json_object_object_get_ex(j, "results", &rows))
		rows = j;
	for (i = 0; ret == -ENOENT && json_object_is_type(rows, json_type_array) &&
		    i < json_object_array_length(rows); i++) {
		o = json_object_array_get_idx(rows, i);
		*job = json_object_object_get_ex(o, "id", &o) ? json_object_get_int64(o) : 0;
		if (*job > 0)
			ret = job_qemu(l, *job, version, vlen, err, len);
	}
	json_object_put(j);
	return ret;
}

/* --- the job ----------------------------------------------------------------------------------- */

/* extra_options: what nestbench gives its own emulated L0 beyond the qemu type's command line. */
static void extra_options(FILE *f, const struct nb_plan *p)
{
	fprintf(f, "  extra_options:\n  - -smp %d\n  - -no-reboot\n", p->lv[0].cpus);
	if (p->icount)
		fprintf(f, "  - -icount shift=0,sleep=off\n");
	else
		fprintf(f, "  - -accel tcg,thread=multi\n");
}

/* What every job says first; deploy is the seconds its images may take to come (and boot, on a server). */
static void common_head(FILE *f, const struct run_cfg *cfg, int deploy)
{
	const struct nb_lab *l = cfg->lab;

	fprintf(f, "# nestbench %s, boot %d (%s): docs/lab.md\n", cfg->experiment, cfg->boot, cfg->variant);
	fprintf(f, "device_type: %s\njob_name: nestbench %s boot %d (%s)\n", l->device_type,
		cfg->experiment, cfg->boot, cfg->variant);
	if (l->tags[0])
		fprintf(f, "tags: [%s]\n", l->tags);
	fprintf(f, "priority: medium\nvisibility: personal\ntimeouts:\n  job: {seconds: %d}\n"
		"  action: {seconds: %d}\n  connection: {seconds: %d}\n", cfg->timeout + deploy,
		cfg->timeout, cfg->plan.idle_timeout);
}

static void job_head(FILE *f, const struct run_cfg *cfg)
{
	const struct nb_plan *p = &cfg->plan;

	common_head(f, cfg, 900);
	fprintf(f, "context:\n  arch: arm64\n  cpu: max\n  machine: virt,virtualization=on,gic-version=3\n"
		"  memory: %d\n", p->lv[0].mem_mb);
	extra_options(f, p);
}

char *lab_job_yaml(const struct run_cfg *cfg, const char *kernel_url, const char *rootfs_url,
		   const char *plan_url)
{
	char *cmdline = nb_qemu_cmdline(&cfg->plan, 0);
	struct nb_out o;

	if (!cmdline || nb_out_open(&o))
		return free(cmdline), NULL;
	job_head(o.f, cfg);
	fprintf(o.f, "actions:\n- deploy:\n    to: tmpfs\n    timeout: {minutes: 15}\n    images:\n"
		"      kernel:\n        url: '%s'\n        image_arg: '-kernel {kernel} -append \"%s "
		"nb.plan=/dev/vdb nb.frames=console\"'\n", kernel_url, cmdline);
	/* QEMU's drives come in the images' keys' sorted order: disk1 is vda, disk2 vdb */
	fprintf(o.f, "      disk1_rootfs:\n        url: '%s'\n        image_arg: -drive format=raw,if=virtio,"
		"readonly=on,file={disk1_rootfs}\n", rootfs_url);
	fprintf(o.f, "      disk2_plan:\n        url: '%s'\n        image_arg: -drive format=raw,if=virtio,"
		"readonly=on,file={disk2_plan}\n", plan_url);
	/* L0 boots quiet, as here: no "Linux version" banner for LAVA to wait for */
	fprintf(o.f, "- boot:\n    method: qemu\n    media: tmpfs\n    timeout: {seconds: %d}\n"
		"    parameters: {kernel-start-message: ''}\n"
		"    prompts:\n    - 'nbagent: end of boot'\n", cfg->timeout);
	free(cmdline);
	fflush(o.f);
	cmdline = o.buf ? strdup(o.buf) : NULL;
	nb_out_discard(&o);
	return cmdline;
}

/*
 * The test shell's steps on an NV server: the kernel it booted, printed
 * for the executor to hold against the arm's Image (take_kernel); the
 * guests' kernels, their rootfs, the plan and the agent fetched where the
 * plan says (nv_plan); then L0's agent, its frames on this console.
 */
static void nv_steps(FILE *f, const struct run_cfg *cfg, const struct lab_nv_urls *u)
{
	int l;

	fprintf(f, "          - 'echo \"nbkernel: $(cat /proc/version)\"'\n"
		"          - 'rm -rf /nb && mkdir -p /nb/run'\n");
	for (l = 1; l <= cfg->plan.depth; l++)
		fprintf(f, "          - 'mkdir -p /nb/kernels/%s && curl -fsS -o /nb/kernels/%s/Image %s'\n",
			cfg->plan.lv[l].kernel, cfg->plan.lv[l].kernel, u->guest[l]);
	fprintf(f, "          - 'curl -fsS -o /nb/rootfs.img %s'\n          - 'curl -fsS -o /nb/plan.frame %s'\n"
		"          - 'curl -fsS -o /nb/nbagent %s && chmod 755 /nb/nbagent'\n"
		"          - '/nb/nbagent --l0 --plan /nb/plan.frame'\n", u->rootfs, u->plan, u->agent);
}

char *lab_nv_job_yaml(const struct run_cfg *cfg, const struct lab_nv_urls *u)
{
	const struct nb_lab *l = cfg->lab;
	struct nb_out o;
	char *y;

	if (nb_out_open(&o))
		return NULL;
	common_head(o.f, cfg, 1800);	/* tftp, the NFS root and a server's firmware and boot */
	/* the device type puts kvm-arm.mode=nested on the command line: no context here */
	fprintf(o.f, "actions:\n- deploy:\n    to: tftp\n    os: debian\n    timeout: {minutes: 15}\n    kernel:\n"
		"      url: '%s'\n      type: image\n    nfsrootfs:\n      url: '%s'\n      compression: %s\n",
		u->kernel, l->nfsrootfs, nfs_compression(l->nfsrootfs));
	fprintf(o.f, "- boot:\n    method: grub\n    commands: nfs\n    timeout: {minutes: 15}\n"
		"    auto_login: {login_prompt: 'login:', username: root}\n    prompts:\n    - 'root@[^:]*:[^#]*# '\n");
	fprintf(o.f, "- test:\n    timeout: {seconds: %d}\n    definitions:\n    - from: inline\n"
		"      name: nestbench\n      path: inline/nestbench.yaml\n      repository:\n        metadata:\n"
		"          format: Lava-Test Test Definition 1.0\n          name: nestbench\n"
		"          description: 'boot %d of %s: nbagent --l0, its frames on the console'\n"
		"        run:\n          steps:\n", cfg->timeout, cfg->boot, cfg->experiment);
	nv_steps(o.f, cfg, u);
	fflush(o.f);
	y = o.buf ? strdup(o.buf) : NULL;
	nb_out_discard(&o);
	return y;
}

/* --- publishing the images ------------------------------------------------------------------------ */

static int copy_file(const char *from, const char *to)
{
	char tmp[1200], buf[1 << 16];
	int in = open(from, O_RDONLY | O_CLOEXEC), out, ret = 0;
	ssize_t n;

	if (in < 0)
		return -errno;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", to, (int)getpid());
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	while (out >= 0 && !ret && (n = read(in, buf, sizeof(buf))) != 0)
		ret = n < 0 ? -errno : nb_write_all(out, buf, n);
	if (out < 0 || close(out) || ret || rename(tmp, to))
		ret = ret ? ret : -errno;
	close(in);
	if (ret)
		unlink(tmp);
	return ret;
}

/* DIR/sub/name from path, once (names are content keys); its URL in url. */
static int publish(const struct nb_lab *l, const char *path, const char *sub, const char *name,
		   char *url, size_t len)
{
	char dir[1200], to[1400];
	struct stat st;
	int ret = 0;

	snprintf(dir, sizeof(dir), "%s/%s", l->artifacts, sub);
	snprintf(to, sizeof(to), "%s/%s", dir, name);
	if (stat(to, &st) && (ret = nb_mkdir_p(dir)) == 0 && link(path, to) && errno != EEXIST)
		ret = copy_file(path, to);
	snprintf(url, len, "%s%s%s/%s", l->artifacts_url,
		 l->artifacts_url[strlen(l->artifacts_url) - 1] == '/' ? "" : "/", sub, name);
	return ret;
}

/* The CONFIG frame nestbench would send on the port, on a disk of one 4 KiB block. */
static int publish_plan(const struct run_cfg *cfg, const struct nb_plan *plan, const char *raw, char *url,
			size_t len)
{
	char *text = nb_plan_encode(plan, 0), path[4200], name[64];
	size_t n = text ? NB_FRAME_HDR + strlen(text) : 0, size = (n + 4095) / 4096 * 4096;
	uint8_t *disk = text ? calloc(1, size) : NULL;
	int ret = -ENOMEM;

	if (disk) {
		nb_frame_encode(disk, NB_F_CONFIG, 0, 0, text, strlen(text));
		snprintf(path, sizeof(path), "%s/plan.frame", raw);
		snprintf(name, sizeof(name), "%08lx-%zu.frame", crc32(0L, disk, size), n);
		ret = nb_write_file(path, disk, size);
		if (!ret)
			ret = publish(cfg->lab, path, "plans", name, url, len);
	}
	free(disk);
	free(text);
	return ret;
}

/* kernels/KEY/Image: variant's kernel, named by the images manifest's content key. */
static int publish_kernel(const struct run_cfg *cfg, const char *variant, char *url, size_t len)
{
	char key[96], kernel[4096], kkey[64], sub[128];

	snprintf(key, sizeof(key), "kernel.%s", variant);
	if (images_get(cfg->images, key, kernel, sizeof(kernel)))
		return -ENOENT;
	strcat(key, ".key");
	if (__images_get(cfg->images, key, kkey, sizeof(kkey)) || !plain(kkey) || strchr(kkey, '/'))
		snprintf(kkey, sizeof(kkey), "%s", variant);
	snprintf(sub, sizeof(sub), "kernels/%s", kkey);
	return publish(cfg->lab, kernel, sub, "Image", url, len);
}

/* L0's kernel and rootfs/NAME.img, named by the images manifest's content keys. */
static int publish_images(const struct run_cfg *cfg, char *kurl, char *rurl, size_t len)
{
	char rootfs[4096];
	const char *base;

	if (images_get(cfg->images, "rootfs", rootfs, sizeof(rootfs)))
		return -ENOENT;
	base = strrchr(rootfs, '/') ? strrchr(rootfs, '/') + 1 : rootfs;
	return publish_kernel(cfg, cfg->plan.lv[0].kernel, kurl, len) ?:
	       publish(cfg->lab, rootfs, "rootfs", base, rurl, len);
}

/* agents/CRC-LEN/nbagent: the static arm64 agent an NV server's test shell runs as L0. */
static int publish_agent(const struct run_cfg *cfg, char *url, size_t len)
{
	size_t n;
	char *bin = nb_read_file(LAB_AGENT, &n), sub[64];

	if (!bin)
		return -errno;
	snprintf(sub, sizeof(sub), "agents/%08lx-%zu", crc32(0L, (const Bytef *)bin, n), n);
	free(bin);
	return publish(cfg->lab, LAB_AGENT, sub, "nbagent", url, len);
}

/*
 * An NV server's boot: L0's kernel by tftp, the rest fetched by the test
 * shell into /nb, which the plan names as a local host's L0 names its own
 * (bench/boot.c host_l0): kernels/VARIANT/Image, rootfs.img, run/.
 */
static int publish_nv(const struct run_cfg *cfg, const char *raw, struct lab_nv_urls *u)
{
	struct nb_plan p = cfg->plan;
	int l, ret;

	snprintf(p.l0_kernels, sizeof(p.l0_kernels), "/nb/kernels");
	snprintf(p.l0_qemu, sizeof(p.l0_qemu), "/usr/bin/qemu-system-aarch64");
	snprintf(p.l0_rootfs, sizeof(p.l0_rootfs), "/nb/rootfs.img");
	snprintf(p.l0_run, sizeof(p.l0_run), "/nb/run");
	ret = publish_images(cfg, u->kernel, u->rootfs, sizeof(u->kernel)) ?: publish_agent(cfg, u->agent, sizeof(u->agent)) ?:
	      publish_plan(cfg, &p, raw, u->plan, sizeof(u->plan));
	for (l = 1; !ret && l <= p.depth; l++)
		ret = publish_kernel(cfg, p.lv[l].kernel, u->guest[l], sizeof(u->guest[l]));
	return ret;
}

/* --- submitting and waiting ----------------------------------------------------------------------- */

struct job {
	long id;
	char url[640];			/* the job's page, for reports and the manifest */
	char state[32], health[32];	/* printable, from the server */
	char device[80];
};

static void job_url(const struct nb_lab *l, struct job *j)
{
	snprintf(j->url, sizeof(j->url), "%s%sscheduler/job/%ld", l->url,
		 l->url[strlen(l->url) - 1] == '/' ? "" : "/", j->id);
}

/* POST jobs/ {"definition": YAML}: the new job's id. */
static int submit(const struct nb_lab *l, const char *yaml, struct job *j, char *err, size_t len)
{
	json_object *req = json_object_new_object(), *ans = NULL, *ids, *id;
	struct buf b = { .max = LAB_SMALL };
	int ret;

	json_object_object_add(req, "definition", json_object_new_string(yaml));
	ret = http(l, "jobs/", json_object_to_json_string(req), &b, err, len);
	json_object_put(req);
	if (!ret && (!(ans = json_tokener_parse(b.p ? b.p : "")) ||
		     !json_object_object_get_ex(ans, "job_ids", &ids) || json_object_array_length(ids) != 1 ||
		     !(id = json_object_array_get_idx(ids, 0)) || (j->id = json_object_get_int64(id)) <= 0))
		ret = nb_invalid(err, len, "POST jobs/: no job id in the answer: %.200s", b.p ? b.p : "");
	json_object_put(ans);
	free(b.p);
	if (!ret)
		job_url(l, j);
	return ret;
}

static void copy_printable(char *out, size_t len, const char *s)
{
	char *p = nb_printable(s, strlen(s), len - 1);

	snprintf(out, len, "%s", p ? p : "");
	free(p);
}

/* GET jobs/ID/: state, health, device. */
static int job_get(const struct nb_lab *l, struct job *j, char *err, size_t len)
{
	char path[64];
	json_object *o;

	snprintf(path, sizeof(path), "jobs/%ld/", j->id);
	o = get_json(l, path, err, len);
	if (!o)
		return -EIO;
	copy_printable(j->state, sizeof(j->state), jstr(o, "state"));
	copy_printable(j->health, sizeof(j->health), jstr(o, "health"));
	copy_printable(j->device, sizeof(j->device), jstr(o, "actual_device"));
	json_object_put(o);
	return j->state[0] ? 0 : nb_invalid(err, len, "GET %s: no state", path);
}

static void say(const struct run_cfg *cfg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const struct run_cfg *cfg, const char *fmt, ...)
{
	va_list ap;

	char line[900];
	int n;

	if (cfg->quiet)
		return;
	n = snprintf(line, sizeof(line), "nestbench: boot %d: ", cfg->boot);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	strcat(line, "\n");
	fputs(line, stderr);	/* one write: boots side by side share stderr */
}

/*
 * Until the job is Finished. A server that does not answer is asked again
 * for up to 10 minutes: the job runs on without us. No limit while queued:
 * LAVA runs what it is given when a device is free; once running, the job's
 * own timeouts end it.
 */
static int job_wait(const struct run_cfg *cfg, struct job *j, char *err, size_t len)
{
	char last[32] = "";
	int down = 0;

	for (;;) {
		if (job_get(cfg->lab, j, err, len)) {
			if (++down * LAB_POLL_S > 600)
				return -EIO;
		} else {
			down = 0;
			if (strcmp(last, j->state))
				say(cfg, "LAVA job %ld %s%s%s", j->id, j->state, j->device[0] ? " on " : "", j->device);
			snprintf(last, sizeof(last), "%s", j->state);
			if (!strcmp(j->state, "Finished"))
				return 0;
		}
		sleep(LAB_POLL_S);
	}
}

/* raw/boot-N/lava-job: the job this boot waits for, written before waiting (--resume attaches to it). */
static int job_save(const char *raw, const struct job *j)
{
	char path[4200], text[800];
	int n = snprintf(text, sizeof(text), "id=%ld\nurl=%s\n", j->id, j->url);

	snprintf(path, sizeof(path), "%s/lava-job", raw);
	return nb_write_file(path, text, n);
}

static int job_load(const struct nb_lab *l, const char *raw, struct job *j)
{
	char path[4200], *text;
	long long id;

	snprintf(path, sizeof(path), "%s/lava-job", raw);
	text = nb_read_file(path, NULL);
	id = text ? nb_kv_get_ll(text, "id", -1) : -1;
	free(text);
	if (id <= 0 || id > 1000000000000LL)
		return -ENOENT;
	j->id = id;
	job_url(l, j);
	return 0;
}

/* Its results taken: the record stays, as lava-job-ID, and a resumed boot submits anew. */
static void job_taken(const char *raw, const struct job *j)
{
	char from[4200], to[4300], text[900];
	int n = snprintf(text, sizeof(text), "id=%ld\nurl=%s\nstate=%s\nhealth=%s\ndevice=%s\n", j->id, j->url,
			 j->state, j->health, j->device);

	snprintf(from, sizeof(from), "%s/lava-job", raw);
	snprintf(to, sizeof(to), "%s/lava-job-%ld", raw, j->id);
	nb_write_file(to, text, n);
	unlink(from);
}

/* --- the job's log back into frames ---------------------------------------------------------------- */

struct take {
	const struct run_cfg *cfg;
	struct boot *b;
	struct nb_decoder *dec;
	uint64_t t_first, t_last, t_done;	/* QEMU started (else L0's first console line), its last, L0's DONE */
	int hello0, done0, failed;
	int kernel;				/* an NV server's: 1 the arm's L0 ran, -1 another, 0 not said yet */
	char banner[512];			/* its /proc/version, printable */
	char error_type[64], error_msg[400], tail[2048];
};

/* A record's "key": "value" (YAML double-quoted, one record a line); the value's bytes, escapes kept. */
static int field(const char *line, const char *end, const char *key, const char **v, size_t *vlen)
{
	char pat[32];
	const char *p, *q;

	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	p = memmem(line, end - line, pat, strlen(pat));
	if (!p)
		return -ENOENT;
	for (q = p += strlen(pat); q < end && *q != '"'; q++)
		if (*q == '\\' && q + 1 < end)
			q++;
	if (q >= end)
		return -EINVAL;
	*v = p;
	*vlen = q - p;
	return 0;
}

/* "2026-12-06T14:30:15.123456" (UTC) in ns; 0 when it is not one. */
static uint64_t record_time(const char *line, const char *end)
{
	char dt[40];
	struct tm tm = { 0 };
	const char *v;
	size_t n;
	long us = 0;
	time_t t;

	if (field(line, end, "dt", &v, &n) || n >= sizeof(dt))
		return 0;
	memcpy(dt, v, n);
	dt[n] = '\0';
	if (sscanf(dt, "%4d-%2d-%2dT%2d:%2d:%2d.%6ld", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec, &us) < 6 || us < 0 || us > 999999)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	return t > 0 ? (uint64_t)t * 1000000000ull + (uint64_t)us * 1000 : 0;
}

static int is_lvl(const char *line, const char *end, const char *lvl)
{
	const char *v;
	size_t n;

	return !field(line, end, "lvl", &v, &n) && n == strlen(lvl) && !memcmp(v, lvl, n);
}

static void emit(struct take *t, unsigned int type, uint64_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void emit(struct take *t, unsigned int type, uint64_t at, const char *fmt, ...)
{
	struct nb_frame f = { .type = type, .level = 0 };
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&f.data, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	f.len = n;
	boot_frame(t->b, &f, at);
	free(f.data);
}

/* What stack/level.c says of a local L0, said from the log: its boot time at its agent's hello. */
static void take_frame(struct take *t, const struct nb_frame *f, uint64_t at)
{
	if (f->type == NB_F_HELLO && f->level == 0 && !t->hello0) {
		t->hello0 = 1;
		emit(t, NB_F_BOOT, at, "level=0\nkernel=%s\nclock=worker\nboot_s=%.3f\n",
		     t->cfg->plan.lv[0].kernel, nb_secs(at - t->t_first));
	} else if (f->type == NB_F_DONE && f->level == 0) {
		t->done0 = 1;
		t->t_done = at;
	} else if (f->type == NB_F_FAIL) {
		t->failed = 1;
	}
	boot_frame(t->b, f, at);
}

/*
 * An NV server's job printed "nbkernel: BANNER" (its /proc/version) before
 * its agent started: the arm's L0 Image must hold that banner, byte for
 * byte, as a local host's must (bench/hostkernel.c), or its frames would
 * measure another kernel and none is taken.
 */
static void take_kernel(struct take *t, const char *banner, size_t n)
{
	char key[96], img[4096], path[4200];
	int ret = -ENOENT;

	snprintf(path, sizeof(path), "%s/raw/boot-%d/proc-version", t->cfg->outdir, t->cfg->boot);
	snprintf(key, sizeof(key), "kernel.%s", t->cfg->plan.lv[0].kernel);
	if (!nb_write_file(path, banner, n) && !__images_get(t->cfg->images, key, img, sizeof(img)))
		ret = nb_kernel_is_running(img, path, t->banner, sizeof(t->banner));
	copy_printable(t->banner, sizeof(t->banner), t->banner);
	t->kernel = ret == 1 ? 1 : -1;
}

/* L0's console: armoured lines are frames, the rest its console log (and the failure's tail). */
static void take_target(struct take *t, const char *msg, size_t n, uint64_t at)
{
	uint8_t bytes[NB_ARMOUR_CHUNK];
	struct nb_frame f;
	int k = nb_armour_decode(msg, n, bytes);
	size_t keep = n < sizeof(t->tail) / 2 ? n : sizeof(t->tail) / 2, have = strlen(t->tail);

	if (!t->t_first)
		t->t_first = at;
	if (lab_nv(t->cfg->lab) && !t->kernel && n > 10 && !memcmp(msg, "nbkernel: ", 10))
		take_kernel(t, msg + 10, n - 10);
	if (k != -ENOENT && lab_nv(t->cfg->lab) && t->kernel != 1)
		return;	/* frames of a kernel not known to be the arm's */
	if (k == -ENOENT) {
		emit(t, NB_F_CONSOLE, at, "%.*s\n", (int)n, msg);
		if (have + keep + 2 > sizeof(t->tail))
			memmove(t->tail, t->tail + have / 2, have - have / 2 + 1);
		strncat(t->tail, msg, keep);
		strcat(t->tail, "\n");
		return;
	}
	if (k > 0)
		nb_decoder_feed(t->dec, bytes, k);
	while (nb_decoder_next(t->dec, &f)) {
		take_frame(t, &f, at);
		nb_frame_release(&f);
	}
}

/* The job's own verdict: the "results" record of case "job" (error_type, error_msg). */
static void take_result(struct take *t, const char *line, const char *end)
{
	const char *v;
	size_t n;

	if (!memmem(line, end - line, "\"case\": \"job\"", 13))
		return;
	if (!field(line, end, "error_type", &v, &n))
		snprintf(t->error_type, sizeof(t->error_type), "%.*s", (int)n, v);
	if (!field(line, end, "error_msg", &v, &n))
		snprintf(t->error_msg, sizeof(t->error_msg), "%.*s", (int)n, v);
}

static void take_line(struct take *t, const char *line, const char *end)
{
	uint64_t at = record_time(line, end);
	const char *msg;
	size_t n;

	if (!at)
		return;
	if (is_lvl(line, end, "target") && !field(line, end, "msg", &msg, &n)) {
		t->t_last = at;	/* L0's teardown ends with its console, not with LAVA's own records */
		take_target(t, msg, n, at);
	} else if (is_lvl(line, end, "info") && !field(line, end, "msg", &msg, &n) &&
		   n > 13 && !memcmp(msg, "Boot command:", 13) && !t->hello0) {
		t->t_first = at;	/* LAVA starts L0's QEMU: its boot time runs from here */
	} else if (is_lvl(line, end, "results")) {
		take_result(t, line, end);
	}
}

static void take_log(struct take *t, const char *log)
{
	const char *p, *end;

	for (p = log; p && *p; p = *end ? end + 1 : end) {
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		take_line(t, p, end);
	}
}

/* How the boot ended, as stack/level.c would say it of a local L0. */
static void take_end(struct take *t, const struct job *j)
{
	char why[700];

	if (t->kernel < 0) {	/* an NV server's job that booted another kernel: its frames were not taken */
		emit(t, NB_F_FAIL, t->t_last, "level=0\nreason=LAVA job %ld: the server ran '%s', not the arm's "
		     "L0 kernel '%s' (its Image holds another banner): nothing of it was taken (%s)\n"
		     "doing=booting\nlava_job=%ld\nlava_url=%s\nconsole:\n%s", j->id, t->banner,
		     t->cfg->plan.lv[0].kernel, j->url, j->id, j->url, t->tail);
		return;
	}
	if (t->done0 || t->failed) {
		emit(t, NB_F_BOOT, t->t_last, "level=0\nclock=worker\nteardown_s=%.3f\nexit=0\ncorrupt=%llu\n",
		     t->done0 ? nb_secs(t->t_last - t->t_done) : -1.0,
		     (unsigned long long)nb_decoder_bad_crc(t->dec));
		return;
	}
	snprintf(why, sizeof(why), "LAVA job %ld ended %s/%s%s%.60s%s%.300s before L0 finished (%.200s)", j->id, j->state,
		 j->health[0] ? j->health : "?", t->error_type[0] ? ": " : "", t->error_type,
		 t->error_msg[0] ? ": " : "", t->error_msg, j->url);
	copy_printable(why, sizeof(why), why);
	emit(t, NB_F_FAIL, t->t_last, "level=0\nreason=%s\ndoing=%s\nlava_job=%ld\nlava_url=%s\nconsole:\n%s",
	     why, t->hello0 ? "running the plan" : "booting", j->id, j->url, t->tail);
}

/* Decode the job's log into the boot's rows and raw files: 0, or -1 when the boot failed. */
static int take(const struct run_cfg *cfg, const struct job *j, const char *log)
{
	struct take t = { .cfg = cfg, .dec = nb_decoder_create() };
	uint64_t t0 = 0;
	const char *p;
	int ret;

	for (p = log; p && *p && !t0; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "")
		t0 = record_time(p, p + strcspn(p, "\n"));
	t.b = t.dec ? boot_open(cfg, t0) : NULL;
	if (!t.b)
		return nb_decoder_free(t.dec), -1;
	t.t_last = t0;
	take_log(&t, log);
	take_end(&t, j);
	ret = boot_close(t.b, 0, t.t_last);
	nb_decoder_free(t.dec);
	return ret;
}

int lab_decode(const struct run_cfg *cfg, long id, const char *health, const char *log)
{
	struct job j = { .id = id };

	snprintf(j.state, sizeof(j.state), "Finished");
	snprintf(j.health, sizeof(j.health), "%s", health);
	job_url(cfg->lab, &j);
	return take(cfg, &j, log);
}

/* The boot's images published, and its job's definition (an emulated worker's, or an NV server's). */
static char *job_yaml(const struct run_cfg *cfg, const char *raw, int *ret)
{
	struct lab_nv_urls *u = calloc(1, sizeof(*u));
	char *y = NULL;

	*ret = -ENOMEM;
	if (u && lab_nv(cfg->lab))
		*ret = publish_nv(cfg, raw, u);
	else if (u)
		*ret = publish_images(cfg, u->kernel, u->rootfs, sizeof(u->kernel)) ?:
		       publish_plan(cfg, &cfg->plan, raw, u->plan, sizeof(u->plan));
	if (!*ret)
		y = lab_nv(cfg->lab) ? lab_nv_job_yaml(cfg, u) : lab_job_yaml(cfg, u->kernel, u->rootfs, u->plan);
	if (!*ret && !y)
		*ret = -ENOMEM;
	free(u);
	return y;
}

/* Submit the boot's job, or find the one a previous session submitted (--resume). */
static int start_job(const struct run_cfg *cfg, const char *raw, struct job *j, char *err, size_t len)
{
	char *yaml, path[4200];
	int ret;

	if (!job_load(cfg->lab, raw, j)) {
		say(cfg, "attaching to LAVA job %ld, submitted by an earlier session (%s)", j->id, j->url);
		return 0;
	}
	yaml = job_yaml(cfg, raw, &ret);
	if (!yaml)
		return snprintf(err, len, "cannot publish the boot's images in %.600s: %s", cfg->lab->artifacts,
				strerror(-ret)), ret;
	snprintf(path, sizeof(path), "%s/lava-job.yaml", raw);
	nb_write_file(path, yaml, strlen(yaml));
	ret = submit(cfg->lab, yaml, j, err, len);
	free(yaml);
	if (!ret && (ret = job_save(raw, j)))
		snprintf(err, len, "cannot record job %ld in %.600s: %s", j->id, raw, strerror(-ret));
	if (!ret)
		say(cfg, "submitted LAVA job %ld (%s)", j->id, j->url);
	return ret;
}

/* The whole log of a finished job; kept in raw/ as it came (the frames are decoded from it). */
static char *fetch_log(const struct run_cfg *cfg, const char *raw, const struct job *j, char *err, size_t len)
{
	struct buf b = { .max = LAB_LOG_MAX };
	char path[4200];

	int ret;

	snprintf(path, sizeof(path), "jobs/%ld/logs/", j->id);
	ret = http(cfg->lab, path, NULL, &b, err, len);
	free(ret ? b.p : NULL);
	if (ret == -EPROTO)	/* a job canceled before it ran has no log: decoded as empty */
		return strdup("");
	if (ret)
		return NULL;	/* the server is unreachable: the job stays for --resume */
	snprintf(path, sizeof(path), "%s/lava-log.yaml", raw);
	nb_write_file(path, b.p ? b.p : "", b.len);
	return b.p ? b.p : strdup("");
}

/* LAVA lost the job before anything came up: nothing measured, so it may run again. */
static int lost(const struct job *j, const char *log)
{
	if (!strcmp(j->health, "Complete") || (log && strstr(log, NB_ARMOUR_PREFIX)))
		return 0;
	return !strcmp(j->health, "Canceled") || (log && strstr(log, "\"error_type\": \"Infrastructure\""));
}

static char *run_job(const struct run_cfg *cfg, const char *raw, struct job *j, char *err, size_t len)
{
	if (start_job(cfg, raw, j, err, len) || job_wait(cfg, j, err, len))
		return NULL;
	return fetch_log(cfg, raw, j, err, len);
}

/* No log to decode (the server failed us): the boot fails with why, the job is kept for --resume. */
static int no_log(const struct run_cfg *cfg, const struct job *j, const char *err)
{
	struct take t = { .cfg = cfg, .dec = nb_decoder_create() };
	struct job none = { .id = j->id };

	snprintf(none.state, sizeof(none.state), "unknown");
	snprintf(t.error_msg, sizeof(t.error_msg), "%s", err);
	t.b = t.dec ? boot_open(cfg, 0) : NULL;
	if (t.b) {
		snprintf(none.url, sizeof(none.url), "%s", j->url[0] ? j->url : cfg->lab->url);
		take_end(&t, &none);
		boot_close(t.b, 0, 0);
	}
	nb_decoder_free(t.dec);
	fprintf(stderr, "nestbench: boot %d: %s\n", cfg->boot, err);
	return -1;
}

int lab_boot(const struct run_cfg *cfg)
{
	char raw[4096], err[1024] = "";
	struct job j = { 0 };
	char *log = NULL;
	int try, ret;

	snprintf(raw, sizeof(raw), "%s/raw/boot-%d", cfg->outdir, cfg->boot);
	if (nb_mkdir_p(raw) || curl_global_init(CURL_GLOBAL_DEFAULT))
		return fprintf(stderr, "nestbench: cannot create %s: %s\n", raw, strerror(errno)), -1;
	for (try = 0; (log = run_job(cfg, raw, &j, err, sizeof(err))); try++) {
		if (!lost(&j, log) || try >= cfg->lab->retries)
			break;
		say(cfg, "LAVA job %ld was lost (%s) before anything was measured: submitting it again", j.id,
		    j.health);
		job_taken(raw, &j);
		free(log);
		j = (struct job){ 0 };
	}
	if (!log)
		return no_log(cfg, &j, err);
	ret = take(cfg, &j, log);
	job_taken(raw, &j);
	free(log);
	return ret;
}
