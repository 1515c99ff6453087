/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Error reporting, allocation and file helpers. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* The one piece of process-wide state besides the options: -d. */
static bool debug_on;

void kx_set_debug(bool on) { debug_on = on; }
bool kx_debug_enabled(void) { return debug_on; }

static void say(const char *fmt, va_list ap)
{
	fputs("kexec: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void kx_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

void kx_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

void kx_debug(const char *fmt, ...)
{
	va_list ap;

	if (!debug_on)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void *kx_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		kx_error("out of memory (%zu bytes)", n);
	return p;
}

void *kx_calloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (!p)
		kx_error("out of memory (%zu x %zu bytes)", n, m);
	return p;
}

void *kx_realloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (!p)
		kx_error("out of memory (%zu bytes)", n);
	return p;
}

char *kx_strdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		kx_error("out of memory");
	return p;
}

static int read_all(int fd, const char *path, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = read(fd, (char *)buf + done, len - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			kx_error("%s: read failed: %s", path, strerror(errno));
			return -1;
		}
		if (r == 0) {
			kx_error("%s: file shrank while reading", path);
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}

int kx_read_file(const char *path, void **bufp, size_t *lenp)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		kx_error("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		kx_error("%s: not a regular file", path);
		close(fd);
		return -1;
	}
	buf = kx_malloc((size_t)st.st_size);
	if (!buf || read_all(fd, path, buf, (size_t)st.st_size) < 0) {
		free(buf);
		close(fd);
		return -1;
	}
	close(fd);
	*bufp = buf;
	*lenp = (size_t)st.st_size;
	return 0;
}

int kx_read_text(const char *path, char *buf, size_t len)
{
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	r = read(fd, buf, len - 1);
	close(fd);
	if (r < 0)
		return -1;
	buf[r] = '\0';
	while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == ' '))
		buf[--r] = '\0';
	return 0;
}

int kx_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}
