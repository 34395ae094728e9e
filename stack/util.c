// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "stack/util.h"

int nb_log_level = -1;

uint64_t nb_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

double nb_secs(uint64_t ns)
{
	return ns / 1e9;
}

int nb_argv_add(struct nb_argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (a->n + 2 > a->cap) {
		int cap = a->cap ? a->cap * 2 : 32;
		char **v = realloc(a->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
	return 0;
}

void nb_argv_free(struct nb_argv *a)
{
	int i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

char *nb_argv_join(const struct nb_argv *a)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < a->n; i++)
		len += strlen(a->v[i]) + 1;
	s = calloc(1, len);
	for (i = 0; s && i < a->n; i++) {
		strcat(s, a->v[i]);
		if (i + 1 < a->n)
			strcat(s, " ");
	}
	return s;
}

static void child_fds(int out_fd, int pass_fd)
{
	int null = open("/dev/null", O_RDWR);
	int fd;

	dup2(null, 0);
	if (out_fd >= 0) {
		dup2(out_fd, 1);
		dup2(out_fd, 2);
	}
	if (pass_fd >= 0 && pass_fd != 3)
		dup2(pass_fd, 3);
	for (fd = pass_fd >= 0 ? 4 : 3; fd < 1024; fd++)
		close(fd);
}

pid_t nb_spawn(char *const argv[], int out_fd, int pass_fd)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* a killed harness must not leave a QEMU running on its own */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		child_fds(out_fd, pass_fd);
		execv(argv[0], argv);
		dprintf(2, "nestbench: cannot execute %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

int nb_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

static int write_fd(int fd, const void *buf, size_t len)
{
	int ret = nb_write_all(fd, buf, len);

	return ret ? ret : fsync(fd) ? -errno : 0;
}

int nb_write_file(const char *path, const void *buf, size_t len)
{
	char tmp[4096];
	int fd, ret;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	ret = write_fd(fd, buf, len);
	close(fd);
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

int nb_out_open(struct nb_out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	return o->f ? 0 : -errno;
}

void nb_out_discard(struct nb_out *o)
{
	fclose(o->f);
	free(o->buf);
	o->f = NULL;
	o->buf = NULL;
}

int nb_out_commit(struct nb_out *o, const char *path)
{
	int bad = ferror(o->f), ret;

	ret = fclose(o->f) || bad ? -ENOMEM : nb_write_file(path, o->buf, o->len);
	free(o->buf);
	o->f = NULL;
	o->buf = NULL;
	return ret;
}

int nb_append_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	int ret;

	if (fd < 0)
		return -errno;
	ret = write_fd(fd, buf, len);
	close(fd);
	return ret;
}

char *nb_read_file(const char *path, size_t *lenp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap + 1), *nbuf;
	ssize_t n;

	if (fd < 0 || !buf)
		goto err;
	while ((n = read(fd, buf + len, cap - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto err;
		len += n;
		if (len < cap)
			continue;
		nbuf = realloc(buf, cap * 2 + 1);
		if (!nbuf)
			goto err;
		buf = nbuf;
		cap *= 2;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
err:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

int nb_mkdir_p(const char *path)
{
	char buf[4096], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

int nb_invalid(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void nb_log(const char *fmt, ...)
{
	va_list ap;

	if (nb_log_level < 0)
		fprintf(stderr, "nestbench: ");
	else
		fprintf(stderr, "nbagent L%d: ", nb_log_level);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int nb_mkdir_new(const char *path, char *out, size_t outlen)
{
	char *parent = strdup(path), *slash;
	int ret = 0, i;

	if (!parent)
		return -ENOMEM;
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		ret = nb_mkdir_p(parent);
	}
	free(parent);
	for (i = 1; !ret && i < 1000; i++) {
		if ((i == 1 ? snprintf(out, outlen, "%s", path) :
		     snprintf(out, outlen, "%s-%d", path, i)) >= (int)outlen)
			return -ENAMETOOLONG;
		if (!mkdir(out, 0755))
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return ret ?: -EEXIST;
}

static const char *skip_blanks(const char *s)
{
	return s + strspn(s, " \t");
}

/* "12abc", "1.5" for an integer: strtol would stop quietly at the junk. */
static int trailing_junk(const char *end)
{
	return end[strspn(end, " \t\r\n")] != '\0';
}

int nb_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	s = skip_blanks(s);
	if (!*s || !(isdigit((unsigned char)*s) || ((*s == '-' || *s == '+') &&
						    isdigit((unsigned char)s[1]))))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (trailing_junk(end))
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int nb_parse_int(const char *s, int min, int max, int *out)
{
	long v;
	int ret = nb_parse_long(s, min, max, &v);

	if (!ret)
		*out = (int)v;
	return ret;
}

int nb_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	s = skip_blanks(s);
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (trailing_junk(end))
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* "0x" and 1 to 16 hex digits, as sysfs prints a register. */
int nb_parse_hex_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	s = skip_blanks(s);
	if (strncmp(s, "0x", 2) || !isxdigit((unsigned char)s[2]) || strspn(s + 2, "0123456789abcdefABCDEF") > 16)
		return -EINVAL;
	v = strtoull(s + 2, &end, 16);
	if (trailing_junk(end))
		return -EINVAL;
	*out = v;
	return 0;
}

int nb_parse_real(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	s = skip_blanks(s);
	if (!*s || isalpha((unsigned char)*s) || isalpha((unsigned char)s[*s == '-' || *s == '+']))
		return -EINVAL;	/* "nan", "inf", "0x" and friends are not data */
	errno = 0;
	v = strtod(s, &end);
	if (end == s || trailing_junk(end) || !isfinite(v))
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

void nb_parse_error(char *err, size_t len, const char *what, const char *s,
		    int ret, long min, long max)
{
	if (ret == -ERANGE)
		snprintf(err, len, "%s '%s': out of range: expected %ld..%ld", what, s, min, max);
	else
		snprintf(err, len, "%s '%s': not a whole number (expected %ld..%ld)",
			 what, s, min, max);
}

int nb_opt_int(const char *opt, const char *s, int min, int max, int *out)
{
	char what[64], err[256];
	int ret = nb_parse_int(s, min, max, out);

	if (!ret)
		return 0;
	snprintf(what, sizeof(what), "--%s", opt);
	nb_parse_error(err, sizeof(err), what, s, ret, min, max);
	fprintf(stderr, "nestbench: %s\n", err);
	return ret;
}

int nb_name_check(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			  "0123456789._+-");

	if (!n || n > NB_NAME_LEN || s[n] || s[0] == '.' || s[0] == '-')
		return -EINVAL;
	return 0;
}

/* Bytes c takes printed: itself, a two-character escape or \xHH. */
static size_t printable_len(unsigned char c)
{
	return c == '\n' || c == '\t' || c == '\r' ? 2 : c < 0x20 || c == 0x7f ? 4 : 1;
}

static char *put_printable(char *d, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	if (printable_len(c) == 1) {
		*d++ = c;
	} else if (printable_len(c) == 2) {
		*d++ = '\\';
		*d++ = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
	} else {
		d += sprintf(d, "\\x%c%c", hex[c >> 4], hex[c & 15]);
	}
	return d;
}

char *nb_printable(const char *s, size_t len, size_t max)
{
	size_t n = len < max ? len : max, out = 0, i;
	char *p, *d;

	for (i = 0; i < n; i++)
		out += printable_len((unsigned char)s[i]);
	p = malloc(out + 4);
	if (!p)
		return NULL;
	for (d = p, i = 0; i < n; i++)
		d = put_printable(d, (unsigned char)s[i]);
	strcpy(d, len > max ? "..." : "");
	return p;
}

/* images/lib.sh's NESTBENCH_CACHE default, for the commands that look inside the cache. */
const char *nb_cache_dir(char *buf, size_t len)
{
	const char *c = getenv("NESTBENCH_CACHE"), *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

	if (c && *c)
		snprintf(buf, len, "%s", c);
	else if (x && *x)
		snprintf(buf, len, "%s/nestbench", x);
	else
		snprintf(buf, len, "%s/.cache/nestbench", h ? h : "");
	return buf;
}
