/* Shared test fixtures: stderr capture with the one-line error rule,
 * synthetic machines, synthetic bzImages and temporary files. Header-only
 * (static inline) because the Makefile links each test_*.c on its own. */
#ifndef TESTS_FIXTURES_H
#define TESTS_FIXTURES_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <asm/bootparam.h>
#include <cmocka.h>

#include "loader.h"
#include "memmap.h"
#include "plan.h"
#include "util.h"

#define UNUSED __attribute__((unused))
#define KiB ((uint64_t)1 << 10)
#define MiB ((uint64_t)1 << 20)
#define GiB ((uint64_t)1 << 30)

/* ---------------------------------------------------------------- stderr */

struct capture {
	FILE *tmp;
	int saved;
	char text[4096];
};

static inline void capture_start(struct capture *c)
{
	fflush(stderr);
	c->tmp = tmpfile();
	assert_non_null(c->tmp);
	c->saved = dup(2);
	assert_true(c->saved >= 0);
	assert_true(dup2(fileno(c->tmp), 2) >= 0);
}

static inline const char *capture_end(struct capture *c)
{
	size_t n;

	fflush(stderr);
	assert_true(dup2(c->saved, 2) >= 0);
	close(c->saved);
	rewind(c->tmp);
	n = fread(c->text, 1, sizeof(c->text) - 1, c->tmp);
	c->text[n] = '\0';
	fclose(c->tmp);
	return c->text;
}

/* The text is exactly one line "kexec: ..." containing want (if given). */
static inline void assert_one_error(const char *text, const char *want)
{
	const char *nl = strchr(text, '\n');

	if (strncmp(text, "kexec: ", 7) || !nl || nl[1] != '\0')
		fail_msg("want one error line \"kexec: ...\", got \"%s\"", text);
	if (want && !strstr(text, want))
		fail_msg("error \"%s\" does not mention \"%s\"", text, want);
}

/* A bug in the code under test that has been reported: the test stops
 * with "KNOWN BUG" and is skipped instead of failing, so the rest of the
 * suite still runs; KEXEC_TEST_STRICT=1 makes it fail. Callers check the
 * exact symptom first, so any other deviation still fails. */
static inline void known_bug(const char *what)
{
	if (getenv("KEXEC_TEST_STRICT"))
		fail_msg("known bug: %s", what);
	print_message("KNOWN BUG: %s\n", what);
	skip();
}

/* Every line is "kexec: ..." and contains piece; at least one line. */
static inline bool all_lines_have(const char *text, const char *piece)
{
	const char *line = text;

	if (!*text)
		return false;
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char buf[512];

		if (len >= sizeof(buf))
			return false;
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (strncmp(buf, "kexec: ", 7) || !strstr(buf, piece))
			return false;
		line += len + (nl ? 1 : 0);
	}
	return true;
}

static inline void assert_silent(const char *text)
{
	if (text[0])
		fail_msg("unexpected output \"%s\"", text);
}

/* ---------------------------------------------------------------- machines */

struct range_spec {
	uint64_t start, end;
	uint32_t type;
};

static inline void machine_build(struct machine *m, const struct range_spec *r, size_t n)
{
	memset(m, 0, sizeof(*m));
	m->backend = "test";
	memmap_init(&m->ram);
	memmap_init(&m->crash);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(memmap_add(&m->ram, r[i].start, r[i].end, r[i].type), 0);
	memmap_normalize(&m->ram);
	m->max_segments = PLAN_MAX_SEGMENTS;
}

/* machine_free() comes from plan.h. */

/* Give a machine a crash region [cs, ce) and the dump description a
 * backend's crash view has: one CPU note, a vmcoreinfo note, its RAM. */
static inline void machine_crash(struct machine *m, uint64_t cs, uint64_t ce)
{
	assert_int_equal(memmap_add(&m->crash, cs, ce, MEM_RAM), 0);
	assert_int_equal(memmap_add(&m->crash_all, cs, ce, MEM_RAM), 0);
	m->dump.e_machine = 62; /* EM_X86_64 */
	assert_int_equal(dump_add_note(&m->dump, 0x10000, 0x400), 0);
	m->dump.ncpu_notes = 1;
	assert_int_equal(dump_add_note(&m->dump, 0x11000, 0x1000), 0);
	for (size_t i = 0; i < m->ram.n; i++)
		if (m->ram.r[i].type == MEM_RAM)
			assert_int_equal(memmap_add(&m->dump.ram, m->ram.r[i].start,
						    m->ram.r[i].end, MEM_RAM), 0);
}

/* A PC: low RAM, BIOS holes, 1 MiB - ~2 GiB RAM, a reserved hole below
 * 4 GiB and 2 GiB of RAM above 4 GiB. */
static const struct range_spec pc_map[] UNUSED = {
	{ 0, 0x9fc00, MEM_RAM },
	{ 0x9fc00, 0xa0000, MEM_RESERVED },
	{ 0xf0000, 0x100000, MEM_RESERVED },
	{ 0x100000, 0x7ff00000, MEM_RAM },
	{ 0x7ff00000, 0x80000000, MEM_ACPI },
	{ 0xfeffc000, 0xff000000, MEM_RESERVED },
	{ 0x100000000ULL, 0x180000000ULL, MEM_RAM },
};

static inline void machine_pc(struct machine *m)
{
	machine_build(m, pc_map, sizeof(pc_map) / sizeof(pc_map[0]));
}

/* ---------------------------------------------------------------- bzImage */

#define BZ_SETUP_SECTS 4
#define BZ_PAYLOAD_OFF ((BZ_SETUP_SECTS + 1) * 512)
#define BZ_HDR_END 0x26c /* end of the 2.15 setup header */

struct bzimage {
	uint8_t *buf;
	size_t len;
	struct kernel_image k;
};

static inline struct setup_header *bz_hdr(struct bzimage *b)
{
	return (struct setup_header *)(b->buf + 0x1f1);
}

/* Payload byte i: distinct per offset so misplaced data shows. */
static inline uint8_t bz_payload_byte(size_t i)
{
	return (uint8_t)(i * 7 + (i >> 8) + 1);
}

/* A valid 2.15 bzImage with payload bytes of protected-mode kernel
 * (a multiple of 16, as the kernel build pads it to syssize). */
static inline void bz_make(struct bzimage *b, size_t payload)
{
	struct setup_header *h;

	b->len = BZ_PAYLOAD_OFF + payload;
	b->buf = calloc(1, b->len);
	assert_non_null(b->buf);
	b->buf[0x200] = 0xeb; /* jmp over the header: its length */
	b->buf[0x201] = BZ_HDR_END - 0x202;
	h = bz_hdr(b);
	h->setup_sects = BZ_SETUP_SECTS;
	h->syssize = (uint32_t)((payload + 15) / 16);
	h->boot_flag = 0xAA55;
	h->header = 0x53726448; /* "HdrS" */
	h->version = 0x020f;
	h->loadflags = LOADED_HIGH;
	h->xloadflags = XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G;
	h->relocatable_kernel = 1;
	h->kernel_alignment = 0x200000;
	h->pref_address = 0x1000000;
	h->init_size = 0x800000;
	h->cmdline_size = 2047;
	h->initrd_addr_max = 0x7fffffff;
	for (size_t i = 0; i < payload; i++)
		b->buf[BZ_PAYLOAD_OFF + i] = bz_payload_byte(i);
	b->k = (struct kernel_image){ .path = "bzImage-test", .buf = b->buf, .len = b->len };
	b->k.reason = b->k.reason_buf;
}

static inline void bz_set_len(struct bzimage *b, size_t len)
{
	b->len = len;
	b->k.len = len;
}

static inline void bz_free(struct bzimage *b)
{
	free(b->buf);
	b->buf = NULL;
}

/* ---------------------------------------------------------------- files */

/* A temporary file of size bytes (pattern when fill, else sparse zeros);
 * path gets its name (unlink it when done). Returns an open fd. */
static inline int temp_file(char path[64], uint64_t size, bool fill)
{
	int fd;

	strcpy(path, "/tmp/kexec-test-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	if (fill) {
		uint8_t chunk[4096];

		for (uint64_t off = 0; off < size; off += sizeof(chunk)) {
			size_t n = size - off < sizeof(chunk) ? (size_t)(size - off) : sizeof(chunk);

			for (size_t i = 0; i < n; i++)
				chunk[i] = (uint8_t)((off + i) * 13 + ((off + i) >> 12));
			assert_int_equal(pwrite(fd, chunk, n, (off_t)off), (ssize_t)n);
		}
	} else {
		assert_int_equal(ftruncate(fd, (off_t)size), 0);
	}
	return fd;
}

static inline uint8_t temp_file_byte(uint64_t off)
{
	return (uint8_t)(off * 13 + (off >> 12));
}

/* ---------------------------------------------------------------- plans */

static inline const struct segment *plan_find(const struct plan *p, const char *what)
{
	for (unsigned i = 0; i < p->nseg; i++)
		if (!strcmp(p->seg[i].what, what))
			return &p->seg[i];
	return NULL;
}

#endif
