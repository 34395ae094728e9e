// SPDX-License-Identifier: GPL-2.0
/*
 * manifest.json: everything needed to reproduce or judge a result — host
 * CPU and kernel, QEMU at every level, each variant's kernels (release,
 * config hash, patch hash), command lines, fio version and job, and
 * nestbench's own version.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <json-c/json.h>

#include "bench/manifest.h"
#include "bench/run.h"
#include "stack/qemu.h"
#include "stack/util.h"

#ifndef NB_VERSION
#define NB_VERSION "unknown"
#endif

static void add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v ? v : ""));
}

static void manifest_kernels(json_object *m, const char *images)
{
	static const char *const keys[] = { "release", "config_sha256", "patch", "patch_sha256", "image_sha256", "source" };
	json_object *ks = json_object_new_object();
	const char *names[] = { "base", "patched" };
	char key[96], val[512];
	unsigned int i, j;

	for (i = 0; i < 2; i++) {
		json_object *k = json_object_new_object();

		for (j = 0; j < sizeof(keys) / sizeof(keys[0]); j++) {
			snprintf(key, sizeof(key), "kernel.%s.%s", names[i], keys[j]);
			val[0] = '\0';
			images_get(images, key, val, sizeof(val));
			add_str(k, keys[j], val);
		}
		json_object_object_add(ks, names[i], k);
	}
	json_object_object_add(m, "kernels", ks);
}

static void manifest_host(json_object *m, const char *images)
{
	json_object *h = json_object_new_object();
	char val[512] = "", cpu[256] = "unknown", *info = nb_read_file("/proc/cpuinfo", NULL), *p;
	struct utsname u;

	if (info && (p = strstr(info, "model name")) && (p = strchr(p, ':')))
		snprintf(cpu, sizeof(cpu), "%.*s", (int)strcspn(p + 2, "\n"), p + 2);
	free(info);
	uname(&u);
	add_str(h, "cpu", cpu);
	add_str(h, "kernel", u.release);
	add_str(h, "machine", u.machine);
	images_get(images, "host.qemu", val, sizeof(val));
	add_str(h, "qemu", val);
	json_object_object_add(m, "host", h);
	images_get(images, "rootfs.qemu_guest", val, sizeof(val));
	add_str(m, "guest_qemu", val);
	images_get(images, "rootfs.fio", val, sizeof(val));
	add_str(m, "fio", val);
}

static void manifest_variants(json_object *m, const struct experiment *e, const struct nb_plan *p)
{
	json_object *vs = json_object_new_object(), *cl = json_object_new_object();
	char lv[16], *line;
	int i, l;

	for (i = 0; i < e->nvariants; i++) {
		json_object *v = json_object_new_object();

		for (l = 0; l <= e->depth; l++) {
			snprintf(lv, sizeof(lv), "L%d", l);
			add_str(v, lv, e->v[i].kernels[l]);
		}
		json_object_object_add(vs, e->v[i].name, v);
	}
	json_object_object_add(m, "variants", vs);
	for (l = 1; l <= e->depth; l++) {
		snprintf(lv, sizeof(lv), "L%d", l);
		line = nb_qemu_cmdline(p, l);
		add_str(cl, lv, line);
		free(line);
	}
	json_object_object_add(m, "cmdlines", cl);
}

/* A second run into the same directory adds its variants to the first's manifest. */
static json_object *existing(const char *path, const struct experiment *e)
{
	json_object *m = json_object_from_file(path), *vs;
	int i;

	if (!m || !json_object_object_get_ex(m, "variants", &vs))
		return NULL;
	for (i = 0; i < e->nvariants; i++) {
		json_object *v = json_object_new_object();
		char lv[16];
		int l;

		for (l = 0; l <= e->depth; l++) {
			snprintf(lv, sizeof(lv), "L%d", l);
			add_str(v, lv, e->v[i].kernels[l]);
		}
		json_object_object_add(vs, e->v[i].name, v);
	}
	return m;
}

int manifest_write(const char *dir, const struct experiment *e, const struct nb_plan *p,
		   const char *images)
{
	json_object *m;
	char path[4200], ts[32];
	const char *s;
	time_t t = time(NULL);
	int ret;

	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	m = existing(path, e);
	if (m)
		goto write;
	m = json_object_new_object();
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	add_str(m, "experiment", e->name);
	add_str(m, "started", ts);
	add_str(m, "nestbench", NB_VERSION);
	add_str(m, "platform", p->emulated ? "emulated" : "host");
	add_str(m, "clock", !p->emulated ? "host" : e->icount ? "icount" : "tcg-wall");
	json_object_object_add(m, "depth", json_object_new_int(e->depth));
	add_str(m, "job", p->job);
	manifest_host(m, images);
	manifest_variants(m, e, p);
	manifest_kernels(m, images);
write:
	s = json_object_to_json_string_ext(m, JSON_C_TO_STRING_PRETTY);
	ret = nb_write_file(path, s, strlen(s));
	json_object_put(m);
	return ret;
}

