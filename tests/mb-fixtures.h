/* Fixtures for the Multiboot and Multiboot2 loader tests: small ELF32
 * images with a header written into them, temporary module files, and a
 * loader fixture with a synthetic PC machine. Header-only (each test
 * program is linked on its own). */
#ifndef TESTS_MB_FIXTURES_H
#define TESTS_MB_FIXTURES_H

#include <elf.h>
#include <zlib.h>

#include "fixtures.h"
#include "purgatory.h"

#define MB_IMG_LEN 0x4000
#define MB_IMG_PADDR 0x200000
#define MB_IMG_OFFSET 0x1000
#define MB_IMG_FILESZ 0x3000
#define MB_IMG_MEMSZ 0x6000
#define MB_IMG_ENTRY (MB_IMG_PADDR + 0x40)
#define MB_HDR_OFF 0x1000 /* first byte of the loaded data */

struct mb_img {
	uint8_t buf[MB_IMG_LEN];
	size_t hdr_end; /* where the next header tag goes */
	struct kernel_image k;
};

static inline uint8_t mb_img_byte(size_t off)
{
	return (uint8_t)(off * 3 + 1);
}

/* An ELF32 i386 executable: one PT_LOAD of MB_IMG_FILESZ file bytes
 * (patterned) at MB_IMG_PADDR, with bss up to MB_IMG_MEMSZ. */
static inline void mb_img_elf(struct mb_img *im)
{
	Elf32_Ehdr *e = (Elf32_Ehdr *)im->buf;
	Elf32_Phdr *ph = (Elf32_Phdr *)(im->buf + sizeof(*e));

	memset(im, 0, sizeof(*im));
	for (size_t i = MB_IMG_OFFSET; i < MB_IMG_LEN; i++)
		im->buf[i] = mb_img_byte(i);
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS32;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = ET_EXEC;
	e->e_machine = EM_386;
	e->e_version = EV_CURRENT;
	e->e_entry = MB_IMG_ENTRY;
	e->e_phoff = sizeof(*e);
	e->e_ehsize = sizeof(*e);
	e->e_phentsize = sizeof(*ph);
	e->e_phnum = 1;
	*ph = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = MB_IMG_OFFSET, .p_vaddr = MB_IMG_PADDR,
			    .p_paddr = MB_IMG_PADDR, .p_filesz = MB_IMG_FILESZ,
			    .p_memsz = MB_IMG_MEMSZ, .p_flags = PF_R | PF_W | PF_X };
	im->k = (struct kernel_image){ .path = "mb-test.elf", .buf = im->buf, .len = MB_IMG_LEN };
}

/* A non-ELF image: patterned bytes only. */
static inline void mb_img_raw(struct mb_img *im)
{
	memset(im, 0, sizeof(*im));
	for (size_t i = 0; i < MB_IMG_LEN; i++)
		im->buf[i] = mb_img_byte(i);
	im->k = (struct kernel_image){ .path = "mb-test.bin", .buf = im->buf, .len = MB_IMG_LEN };
}

static inline void mb_put32(uint8_t *at, uint32_t v)
{
	memcpy(at, &v, 4);
}

static inline uint32_t mb_get32(const uint8_t *at)
{
	uint32_t v;

	memcpy(&v, at, 4);
	return v;
}

static inline uint64_t mb_get64(const uint8_t *at)
{
	uint64_t v;

	memcpy(&v, at, 8);
	return v;
}

/* ---------------------------------------------------------------- modules */

struct mb_files {
	char path[2][64];
	char arg[2][160];
	size_t len[2];
};

/* Two module files: a text one, and a gzip'd one (the loader must
 * decompress it). */
static inline void mb_files_make(struct mb_files *f)
{
	static const char *const text[2] = { "first module\n", "second module, a longer one\n" };
	int fd = temp_file(f->path[0], 0, false);
	gzFile gz;

	assert_int_equal(write(fd, text[0], strlen(text[0])), (ssize_t)strlen(text[0]));
	close(fd);
	fd = temp_file(f->path[1], 0, false);
	gz = gzdopen(fd, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, text[1], (unsigned)strlen(text[1])), (int)strlen(text[1]));
	assert_int_equal(gzclose(gz), Z_OK);
	for (int i = 0; i < 2; i++)
		f->len[i] = strlen(text[i]);
	snprintf(f->arg[0], sizeof(f->arg[0]), "%s a=1 b", f->path[0]);
	snprintf(f->arg[1], sizeof(f->arg[1]), "%s", f->path[1]);
}

static inline void mb_files_remove(struct mb_files *f)
{
	unlink(f->path[0]);
	unlink(f->path[1]);
}

/* ---------------------------------------------------------------- loader */

struct mb_fixture {
	struct machine m;
	struct options o;
	struct plan p;
	struct mb_img im;
	struct mb_files files;
};

static inline int mb_setup(void **state)
{
	struct mb_fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	machine_pc(&f->m);
	plan_init(&f->p, &f->m, false);
	f->o.serial_base = 0x3f8;
	*state = f;
	return 0;
}

static inline int mb_teardown(void **state)
{
	struct mb_fixture *f = *state;

	plan_release(&f->p);
	machine_free(&f->m);
	free(f);
	return 0;
}

static inline const struct purgatory_params *mb_params(const struct plan *p)
{
	const struct segment *s = plan_find(p, "purgatory");

	assert_non_null(s);
	assert_int_equal(p->entry, s->mem);
	assert_true(s->mem + s->memsz <= (1ULL << 32));
	return (const struct purgatory_params *)((const uint8_t *)s->buf + PURGATORY_PARAMS_OFFSET);
}

static inline const struct segment *mb_seg_at(const struct plan *p, uint64_t mem)
{
	for (unsigned i = 0; i < p->nseg; i++)
		if (p->seg[i].mem <= mem && mem < p->seg[i].mem + p->seg[i].memsz)
			return &p->seg[i];
	fail_msg("no segment holds 0x%llx", (unsigned long long)mem);
	return NULL;
}

/* Bytes of the plan at physical address mem (within one segment). */
static inline const uint8_t *mb_bytes_at(const struct plan *p, uint64_t mem, size_t len)
{
	const struct segment *s = mb_seg_at(p, mem);

	assert_non_null(s->buf);
	assert_true(mem - s->mem + len <= s->bufsz);
	return (const uint8_t *)s->buf + (mem - s->mem);
}

/* The PT_LOAD data was placed at base. */
static inline void mb_assert_image_at(const struct plan *p, uint64_t base)
{
	const struct segment *s = mb_seg_at(p, base);

	assert_int_equal(s->mem, base);
	assert_int_equal(s->memsz, MB_IMG_MEMSZ);
	assert_int_equal(s->bufsz, MB_IMG_FILESZ);
	/* The header sits in the first bytes: check the pattern after it. */
	for (size_t i = 0x200; i < MB_IMG_FILESZ; i += 0x101)
		assert_int_equal(((const uint8_t *)s->buf)[i], mb_img_byte(MB_IMG_OFFSET + i));
}

#endif
