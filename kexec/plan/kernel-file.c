/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading the kernel file. gzip goes through zlib, xz and raw .lzma through
 * liblzma; anything else is used as read. Only one copy of the data is kept
 * at a time, except while decompressing (input + growing output). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef HAVE_LZMA
#include <lzma.h>
#endif

#include "kernel-file.h"
#include "util.h"

/* xz kernels use small dictionaries; this only stops absurd headers. */
#define XZ_MEMLIMIT (256ULL << 20)
#define MIN_OUT_CAP (64u << 10)

/* ---------------------------------------------------------------- reading */

/* Double *buf's capacity *cap, never past limit. Returns 0, or -1 (no
 * message) when the limit is already reached or on ENOMEM. */
static int grow(uint8_t **buf, size_t *cap, size_t limit)
{
	size_t ncap = *cap ? *cap * 2 : MIN_OUT_CAP;
	uint8_t *n;

	if (*cap >= limit)
		return -1;
	if (ncap > limit || ncap < *cap)
		ncap = limit;
	n = realloc(*buf, ncap);
	if (!n)
		return -1;
	*buf = n;
	*cap = ncap;
	return 0;
}

static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "is a directory";
	if (S_ISCHR(mode))
		return "is a character device";
	if (S_ISBLK(mode))
		return "is a block device";
	if (S_ISSOCK(mode))
		return "is a socket";
	return "is not a regular file";
}

static int open_kernel(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		kx_error("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, st) < 0) {
		kx_error("%s: cannot stat: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	/* A device would be read up to the size limit before being refused
	 * (/dev/zero: 1 GiB); pipes and FIFOs stay welcome (<(zcat ...)). */
	if (!S_ISREG(st->st_mode) && !S_ISFIFO(st->st_mode)) {
		kx_error("%s: %s, not a kernel file", path, file_kind(st->st_mode));
		close(fd);
		return -1;
	}
	if (S_ISREG(st->st_mode) && (uint64_t)st->st_size > KERNEL_MAX_SIZE) {
		kx_error("%s: too large (%llu MiB, at most %llu MiB)", path,
			 (unsigned long long)st->st_size >> 20, KERNEL_MAX_SIZE >> 20);
		close(fd);
		return -1;
	}
	return fd;
}

/* Read the whole file. A regular file is read into a buffer of its size
 * (+1 byte to see EOF without a realloc); pipes and procfs-like files,
 * whose size is unknown, grow geometrically. */
static int read_whole(const char *path, uint8_t **out, size_t *out_len)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t cap = 0, len = 0;
	int fd = open_kernel(path, &st);

	if (fd < 0)
		return -1;
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		cap = (size_t)st.st_size + 1;
		buf = malloc(cap);
		if (!buf) {
			kx_error("%s: out of memory reading %zu bytes", path, cap - 1);
			close(fd);
			return -1;
		}
	}
	for (;;) {
		ssize_t r;

		if (len == cap && grow(&buf, &cap, KERNEL_MAX_SIZE + 1) < 0) {
			if (cap > KERNEL_MAX_SIZE)
				kx_error("%s: too large (over %llu MiB)", path, KERNEL_MAX_SIZE >> 20);
			else
				kx_error("%s: out of memory", path);
			goto fail;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			kx_error("%s: read failed: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (len == 0) {
		kx_error("%s: empty file", path);
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = len;
	return 0;
fail:
	close(fd);
	free(buf);
	return -1;
}

/* ---------------------------------------------------------------- detection */

static uint32_t le32(const uint8_t *b)
{
	return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t le64(const uint8_t *b)
{
	return le32(b) | (uint64_t)le32(b + 4) << 32;
}

/* A raw .lzma file has no magic: a 13-byte header of properties, dictionary
 * size and uncompressed size. Accept only what liblzma itself accepts and
 * what a real kernel would have, so that plain images never match. */
static bool looks_like_lzma_alone(const uint8_t *b, size_t len)
{
	unsigned props, lc, lp;
	uint32_t dict, high;
	uint64_t size;

	if (len < 14)
		return false;
	props = b[0];
	if (props > 224)
		return false;
	lc = props % 9;
	lp = (props / 9) % 5;
	if (lc + lp > 4)
		return false;
	dict = le32(b + 1);
	if (dict < 4096)
		return false;
	high = 1u << (31 - __builtin_clz(dict));
	if (dict != high && dict != high + (high >> 1))
		return false;
	size = le64(b + 5);
	return size == UINT64_MAX || (size > 0 && size <= KERNEL_MAX_SIZE);
}

enum kernel_compression kernel_compression_of(const void *buf, size_t len)
{
	static const uint8_t gz[] = { 0x1f, 0x8b, 0x08 };
	static const uint8_t xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
	static const uint8_t zstd[] = { 0x28, 0xb5, 0x2f, 0xfd };
	const uint8_t *b = buf;

	if (len >= sizeof(gz) && !memcmp(b, gz, sizeof(gz)))
		return KC_GZIP;
	if (len >= sizeof(xz) && !memcmp(b, xz, sizeof(xz)))
		return KC_XZ;
	if (len >= sizeof(zstd) && !memcmp(b, zstd, sizeof(zstd)))
		return KC_ZSTD;
	if (looks_like_lzma_alone(b, len))
		return KC_LZMA;
	return KC_NONE;
}

const char *kernel_compression_name(enum kernel_compression c)
{
	switch (c) {
	case KC_GZIP: return "gzip";
	case KC_XZ: return "xz";
	case KC_LZMA: return "lzma";
	case KC_ZSTD: return "zstd";
	case KC_NONE: break;
	}
	return "none";
}

/* ---------------------------------------------------------------- output */

struct outbuf {
	uint8_t *p;
	size_t len, cap, max;
};

/* Start with a guess (compressed kernels expand about 4x), clamped. */
static int outbuf_init(struct outbuf *ob, size_t guess, size_t max)
{
	*ob = (struct outbuf){ .max = max };
	if (guess < MIN_OUT_CAP)
		guess = MIN_OUT_CAP;
	if (guess > max)
		guess = max;
	ob->p = malloc(guess ? guess : 1);
	if (!ob->p)
		return -1;
	ob->cap = guess;
	return 0;
}

/* Make room for more output. Returns 0, or -1 after an error line.
 * (Unused when built with neither zlib nor liblzma.) */
static __attribute__((unused)) int outbuf_more(struct outbuf *ob, const char *name)
{
	if (ob->len < ob->cap)
		return 0;
	if (grow(&ob->p, &ob->cap, ob->max) == 0)
		return 0;
	if (ob->cap >= ob->max)
		kx_error("%s: decompressed size exceeds the %zu MiB limit", name, ob->max >> 20);
	else
		kx_error("%s: out of memory while decompressing (%zu MiB so far)",
			 name, ob->len >> 20);
	return -1;
}

/* Hand the result over, trimmed to its length. */
static int outbuf_finish(struct outbuf *ob, const char *name, const char *kind,
			 void **out, size_t *out_len)
{
	uint8_t *p;

	if (ob->len == 0) {
		kx_error("%s: %s data decompresses to nothing", name, kind);
		free(ob->p);
		return -1;
	}
	p = realloc(ob->p, ob->len);
	*out = p ? p : ob->p;
	*out_len = ob->len;
	return 0;
}

/* ---------------------------------------------------------------- gzip */

#ifdef HAVE_ZLIB
/* The gzip trailer's ISIZE (size mod 2^32 of the last member) is a good
 * first guess when it is plausible. */
static size_t gzip_size_hint(const uint8_t *in, size_t len)
{
	size_t isize;

	if (len < 18) /* smaller than any gzip member: let it fail later */
		return len * 4;
	isize = le32(in + len - 4);
	/* Kernels shrink 3-5x; a wild value means a truncated or multi-member
	 * file, where growing from the usual guess is the safer bet. */
	return isize >= len && isize / 64 <= len ? isize + 4096 : len * 4;
}

/* Bytes after a finished member: another member, or trailing junk (zero
 * padding is common) that gzip(1) and zlib's gzread also ignore. */
static bool another_gzip_member(const z_stream *zs)
{
	if (zs->avail_in < 2)
		return false;
	if (zs->next_in[0] == 0x1f && zs->next_in[1] == 0x8b)
		return true;
	kx_debug("ignoring %u bytes after the gzip data", zs->avail_in);
	return false;
}

static int gunzip(const char *name, const uint8_t *in, size_t len,
		  struct outbuf *ob)
{
	z_stream zs;
	int rc;

	memset(&zs, 0, sizeof(zs));
	if (len > UINT32_MAX || inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
		kx_error("%s: cannot start gzip decompression", name);
		return -1;
	}
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)len;
	for (;;) {
		if (outbuf_more(ob, name) < 0)
			goto fail;
		zs.next_out = ob->p + ob->len;
		zs.avail_out = (uInt)(ob->cap - ob->len);
		rc = inflate(&zs, Z_NO_FLUSH);
		ob->len = ob->cap - zs.avail_out;
		if (rc == Z_STREAM_END) {
			if (!another_gzip_member(&zs))
				break;
			if (inflateReset(&zs) != Z_OK)
				goto corrupt;
			continue;
		}
		if (rc == Z_OK || rc == Z_BUF_ERROR) {
			if (zs.avail_in == 0 && zs.avail_out > 0) {
				kx_error("%s: truncated gzip data (ends after %zu bytes of output)",
					 name, ob->len);
				goto fail;
			}
			continue;
		}
		if (rc == Z_MEM_ERROR) {
			kx_error("%s: out of memory while decompressing gzip data", name);
			goto fail;
		}
		goto corrupt;
	}
	inflateEnd(&zs);
	return 0;
corrupt:
	kx_error("%s: corrupt gzip data: %s", name, zs.msg ? zs.msg : "bad stream");
fail:
	inflateEnd(&zs);
	return -1;
}
#endif

/* ---------------------------------------------------------------- xz/lzma */

#ifdef HAVE_LZMA
static const char *lzma_problem(lzma_ret rc)
{
	switch (rc) {
	case LZMA_FORMAT_ERROR: return "not a valid header";
	case LZMA_OPTIONS_ERROR: return "unsupported options";
	case LZMA_DATA_ERROR: return "bad stream";
	case LZMA_BUF_ERROR: return "unexpected end";
	default: return "decoder error";
	}
}

static int unxz(const char *name, const char *kind, const uint8_t *in,
		size_t len, struct outbuf *ob)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_ret rc;

	/* LZMA_CONCATENATED: multi-stream .xz files, like xz(1). All the
	 * input is there, so LZMA_FINISH from the start. */
	if (lzma_auto_decoder(&s, XZ_MEMLIMIT, LZMA_CONCATENATED) != LZMA_OK) {
		kx_error("%s: cannot start %s decompression", name, kind);
		return -1;
	}
	s.next_in = in;
	s.avail_in = len;
	for (;;) {
		if (outbuf_more(ob, name) < 0)
			goto fail;
		s.next_out = ob->p + ob->len;
		s.avail_out = ob->cap - ob->len;
		rc = lzma_code(&s, LZMA_FINISH);
		ob->len = ob->cap - s.avail_out;
		if (rc == LZMA_STREAM_END)
			break;
		if (rc == LZMA_OK)
			continue;
		if (rc == LZMA_BUF_ERROR && s.avail_in == 0) {
			kx_error("%s: truncated %s data (ends after %zu bytes of output)",
				 name, kind, ob->len);
		} else if (rc == LZMA_MEMLIMIT_ERROR) {
			kx_error("%s: %s data needs more than %llu MiB of memory to decompress",
				 name, kind, XZ_MEMLIMIT >> 20);
		} else if (rc == LZMA_MEM_ERROR) {
			kx_error("%s: out of memory while decompressing %s data", name, kind);
		} else {
			kx_error("%s: corrupt %s data: %s", name, kind, lzma_problem(rc));
		}
		goto fail;
	}
	lzma_end(&s);
	return 0;
fail:
	lzma_end(&s);
	return -1;
}
#endif

/* ---------------------------------------------------------------- API */

static bool built_in(enum kernel_compression c)
{
#ifdef HAVE_ZLIB
	if (c == KC_GZIP)
		return true;
#endif
#ifdef HAVE_LZMA
	if (c == KC_XZ || c == KC_LZMA)
		return true;
#endif
	(void)c;
	return false;
}

/* Compressed kernels expand about 4x; gzip may tell the exact size. */
static size_t size_guess(enum kernel_compression c, const uint8_t *in, size_t len)
{
#ifdef HAVE_ZLIB
	if (c == KC_GZIP)
		return gzip_size_hint(in, len);
#endif
	(void)c, (void)in;
	return len * 4;
}

/* Only called for a kind that built_in() accepts. */
static int decode(const char *name, enum kernel_compression c,
		  const uint8_t *in, size_t len, struct outbuf *ob)
{
#ifdef HAVE_ZLIB
	if (c == KC_GZIP)
		return gunzip(name, in, len, ob);
#endif
#ifdef HAVE_LZMA
	return unxz(name, kernel_compression_name(c), in, len, ob);
#else
	(void)name, (void)c, (void)in, (void)len, (void)ob;
	return -1;
#endif
}

int kernel_decompress(const char *name, enum kernel_compression c,
		      const void *in, size_t len, size_t max_out,
		      void **out, size_t *out_len)
{
	const char *kind = kernel_compression_name(c);
	struct outbuf ob;

	if (c == KC_NONE || c == KC_ZSTD) {
		kx_error("%s: %s", name, c == KC_ZSTD ?
			 "zstd-compressed kernels are not supported" :
			 "internal: not compressed");
		return -1;
	}
	if (!built_in(c)) {
		kx_error("%s: %s-compressed, but %s support (%s) was not built in", name,
			 kind, kind, c == KC_GZIP ? "zlib" : "liblzma");
		return -1;
	}
	if (outbuf_init(&ob, size_guess(c, in, len), max_out) < 0) {
		kx_error("%s: out of memory", name);
		return -1;
	}
	if (decode(name, c, in, len, &ob) < 0) {
		free(ob.p);
		return -1;
	}
	return outbuf_finish(&ob, name, kind, out, out_len);
}

static int image_read(const char *path, struct kernel_image *k, bool zstd_raw);

int kernel_image_read(const char *path, struct kernel_image *k)
{
	return image_read(path, k, false);
}

int module_file_read(const char *path, struct kernel_image *k)
{
	return image_read(path, k, true);
}

static int image_read(const char *path, struct kernel_image *k, bool zstd_raw)
{
	enum kernel_compression c;
	uint8_t *raw;
	size_t len;
	void *out = NULL;
	size_t out_len = 0;

	memset(k, 0, sizeof(*k));
	k->path = path;
	k->reason = k->reason_buf;
	if (read_whole(path, &raw, &len) < 0)
		return -1;
	c = kernel_compression_of(raw, len);
	/* A zstd initramfs module is the next kernel's to unpack. */
	if (c == KC_NONE || (c == KC_ZSTD && zstd_raw)) {
		k->buf = raw;
		k->len = len;
		return 0;
	}
	if (kernel_decompress(path, c, raw, len, KERNEL_MAX_SIZE, &out, &out_len) < 0) {
		free(raw);
		return -1;
	}
	free(raw);
	kx_debug("%s: %s-compressed, %zu bytes decompressed to %zu", path,
		 kernel_compression_name(c), len, out_len);
	k->buf = out;
	k->len = out_len;
	k->decompressed = true;
	return 0;
}

void kernel_image_free(struct kernel_image *k)
{
	free((void *)k->buf);
	k->buf = NULL;
	k->len = 0;
}
