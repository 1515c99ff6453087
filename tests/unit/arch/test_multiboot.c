/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the Multiboot (0.6.96) loader (multiboot*.c): header
 * parsing on synthetic headers (and Xen's, when installed), and loads
 * against a synthetic PC: image placement, entry state and every field of
 * the boot information. */
#include "mb-fixtures.h"

#include "file-types.h"
#include "kernel-file.h"
#include "multiboot.h"

#define XEN_GZ "/boot/xen-4.17-amd64.gz"

/* A header at MB_HDR_OFF; with MB1_HF_ADDRESS, the address fields too. */
static void put_header(struct mb_img *im, uint32_t flags, const uint32_t addr[5])
{
	uint8_t *h = im->buf + MB_HDR_OFF;

	mb_put32(h, MB1_HEADER_MAGIC);
	mb_put32(h + 4, flags);
	mb_put32(h + 8, -(MB1_HEADER_MAGIC + flags));
	for (int i = 0; addr && i < 5; i++)
		mb_put32(h + 12 + 4 * i, addr[i]);
}

static void make_elf(struct mb_img *im, uint32_t flags)
{
	mb_img_elf(im);
	put_header(im, flags, NULL);
}

static int probe(struct mb_img *im, const char **why)
{
	*why = NULL;
	return file_type_multiboot.probe(&im->k, why);
}

static void test_probe_basic(void **state UNUSED)
{
	struct mb_img im;
	struct mb1_header h;
	const char *why;

	make_elf(&im, MB1_HF_PAGE_ALIGN | MB1_HF_MEMINFO);
	assert_int_equal(probe(&im, &why), 0);
	assert_null(mb1_header_parse(im.buf, im.k.len, &h));
	assert_int_equal(h.off, MB_HDR_OFF);
	assert_int_equal(h.flags, 3);
}

static void test_probe_no_header(void **state UNUSED)
{
	struct mb_img im;
	const char *why;

	mb_img_elf(&im);
	assert_int_equal(probe(&im, &why), -1);
	assert_null(why);
	/* A bad checksum is no header either. */
	make_elf(&im, 3);
	im.buf[MB_HDR_OFF + 8] ^= 0x10;
	assert_int_equal(probe(&im, &why), -1);
	assert_null(why);
}

static void test_probe_beyond_8k(void **state UNUSED)
{
	static uint8_t big[0x3000];
	struct mb1_header h;
	struct mb_img im;

	make_elf(&im, 3);
	memcpy(big + 0x2000, im.buf + MB_HDR_OFF, 12);
	assert_ptr_equal(mb1_header_parse(big, sizeof(big), &h), NOT_THIS_KIND);
}

static void test_probe_requirements(void **state UNUSED)
{
	struct mb_img im;
	const char *why;

	make_elf(&im, MB1_HF_VIDEO);
	assert_int_equal(probe(&im, &why), -1);
	assert_non_null(why);
	assert_non_null(strstr(why, "video"));
	make_elf(&im, 1u << 5); /* an unknown requirement */
	assert_int_equal(probe(&im, &why), -1);
	assert_non_null(why);
	make_elf(&im, 3 | (1u << 20)); /* unknown optional bits are fine */
	assert_int_equal(probe(&im, &why), 0);
}

static void test_probe_not_elf_no_address(void **state UNUSED)
{
	struct mb_img im;
	const char *why;

	mb_img_raw(&im);
	put_header(&im, 3, NULL);
	assert_int_equal(probe(&im, &why), -1);
	assert_non_null(why);
	assert_non_null(strstr(why, "flag 16"));
}

static void test_probe_xen(void **state UNUSED)
{
	struct kernel_image k;
	struct mb1_header h;
	const char *why = NULL;

	if (access(XEN_GZ, R_OK) != 0)
		skip();
	assert_int_equal(kernel_image_read(XEN_GZ, &k), 0);
	assert_null(mb1_header_parse(k.buf, k.len, &h));
	assert_int_equal(h.flags & 0xffff, MB1_HF_PAGE_ALIGN | MB1_HF_MEMINFO);
	assert_int_equal(file_type_multiboot.probe(&k, &why), 0);
	kernel_image_free(&k);
}

/* Issue 12, finding 1: an odd e_phoff is legal ELF; the program headers
 * are copied out, not dereferenced in place (UBSan traps the latter in the
 * sanitizer build). tests/fuzz/regressions/multiboot/odd-phoff is one. */
static void test_probe_odd_phoff(void **state UNUSED)
{
	struct mb_img im;
	struct mb_layout l;
	Elf32_Phdr ph;
	const char *why;

	make_elf(&im, 3);
	memcpy(&ph, im.buf + sizeof(Elf32_Ehdr), sizeof(ph));
	memset(im.buf + sizeof(Elf32_Ehdr), 0, sizeof(ph));
	memcpy(im.buf + sizeof(Elf32_Ehdr) + 1, &ph, sizeof(ph));
	mb_put32(im.buf + offsetof(Elf32_Ehdr, e_phoff), sizeof(Elf32_Ehdr) + 1);
	assert_int_equal(probe(&im, &why), 0);
	assert_null(mb_elf_layout(im.buf, im.k.len, &l));
	assert_int_equal(l.nload, 1);
	assert_int_equal(l.load[0].paddr, MB_IMG_PADDR);
	assert_int_equal(l.load[0].memsz, MB_IMG_MEMSZ);
	assert_int_equal(l.entry, MB_IMG_ENTRY);
}

/* ---------------------------------------------------------------- load */

static int load(struct mb_fixture *f)
{
	return file_type_multiboot.load(&f->o, &f->im.k, &f->p);
}

static const char *string_at(struct mb_fixture *f, uint32_t addr)
{
	const char *s = (const char *)mb_bytes_at(&f->p, addr, 1);
	const struct segment *g = mb_seg_at(&f->p, addr);

	assert_non_null(memchr(s, 0, g->bufsz - (addr - g->mem)));
	return s;
}

static void check_mmap(struct mb_fixture *f, const uint8_t *info)
{
	uint32_t len = mb_get32(info + MB1_OFF_MMAP_LENGTH);
	const uint8_t *e = mb_bytes_at(&f->p, mb_get32(info + MB1_OFF_MMAP_ADDR), len);

	assert_int_equal(len, 24 * f->m.ram.n);
	for (size_t i = 0; i < f->m.ram.n; i++, e += 24) {
		assert_int_equal(mb_get32(e), 20);
		assert_int_equal(mb_get64(e + 4), f->m.ram.r[i].start);
		assert_int_equal(mb_get64(e + 12), f->m.ram.r[i].end - f->m.ram.r[i].start);
		assert_int_equal(mb_get32(e + 20), f->m.ram.r[i].type);
	}
	assert_int_equal(mb_get32(info + MB1_OFF_MEM_LOWER), 0x9fc00 / 1024);
	assert_int_equal(mb_get32(info + MB1_OFF_MEM_UPPER), (0x7ff00000 - 0x100000) / 1024);
}

static void check_module(struct mb_fixture *f, const uint8_t *info, int i, const char *content)
{
	const uint8_t *m = mb_bytes_at(&f->p, mb_get32(info + MB1_OFF_MODS_ADDR) + 16 * i, 16);
	uint32_t start = mb_get32(m), end = mb_get32(m + 4);

	assert_int_equal(start % 4096, 0);
	assert_int_equal(end - start, strlen(content));
	assert_memory_equal(mb_bytes_at(&f->p, start, end - start), content, end - start);
	assert_string_equal(string_at(f, mb_get32(m + 8)), f->files.arg[i]);
}

static void test_load_elf(void **state)
{
	struct mb_fixture *f = *state;
	const struct purgatory_params *pp;
	const uint8_t *info;

	make_elf(&f->im, 3);
	mb_files_make(&f->files);
	f->o.command_line = "hello world";
	f->o.modules[0] = f->files.arg[0];
	f->o.modules[1] = f->files.arg[1];
	f->o.nmodules = 2;
	assert_int_equal(load(f), 0);
	mb_files_remove(&f->files);
	mb_assert_image_at(&f->p, MB_IMG_PADDR);
	pp = mb_params(&f->p);
	assert_int_equal(pp->entry_mode, PURGATORY_ENTRY_32);
	assert_int_equal(pp->regs32.eax, MB1_BOOT_MAGIC);
	assert_int_equal(pp->regs32.eip, MB_IMG_ENTRY);
	info = mb_bytes_at(&f->p, pp->regs32.ebx, MB1_INFO_SIZE);
	assert_int_equal(mb_get32(info + MB1_OFF_FLAGS),
			 MB1_IF_MEM | MB1_IF_CMDLINE | MB1_IF_MODS | MB1_IF_MMAP | MB1_IF_LOADER_NAME);
	assert_string_equal(string_at(f, mb_get32(info + MB1_OFF_CMDLINE)), "mb-test.elf hello world");
	assert_string_equal(string_at(f, mb_get32(info + MB1_OFF_LOADER_NAME)), "kexec-tools-ng");
	assert_int_equal(mb_get32(info + MB1_OFF_MODS_COUNT), 2);
	check_module(f, info, 0, "first module\n");
	check_module(f, info, 1, "second module, a longer one\n");
	check_mmap(f, info);
}

/* The a.out kludge: flag 16 and the address fields, no ELF. */
static void test_load_address_fields(void **state)
{
	struct mb_fixture *f = *state;
	/* header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr */
	const uint32_t addr[5] = { 0x400000 + MB_HDR_OFF, 0x400000, 0, 0x405000, 0x400200 };
	const struct segment *s;

	mb_img_raw(&f->im);
	put_header(&f->im, 3 | MB1_HF_ADDRESS, addr);
	assert_int_equal(load(f), 0);
	s = mb_seg_at(&f->p, 0x400000);
	assert_int_equal(s->mem, 0x400000);
	assert_int_equal(s->bufsz, MB_IMG_LEN); /* load_end_addr 0: the whole file */
	assert_int_equal(s->memsz, 0x5000);
	assert_memory_equal(s->buf, f->im.buf, MB_IMG_LEN);
	assert_int_equal(mb_params(&f->p)->regs32.eip, 0x400200);
}

static void test_load_address_fields_bad(void **state)
{
	struct mb_fixture *f = *state;
	/* load_addr after header_addr: the file cannot map there. */
	const uint32_t addr[5] = { 0x400000, 0x401000, 0, 0, 0x401000 };
	struct capture c;

	mb_img_raw(&f->im);
	put_header(&f->im, 3 | MB1_HF_ADDRESS, addr);
	capture_start(&c);
	assert_int_equal(load(f), -1);
	assert_one_error(capture_end(&c), "mb-test.bin");
}

static void test_load_not_in_ram(void **state)
{
	struct mb_fixture *f = *state;
	const uint32_t addr[5] = { 0xa0000 + MB_HDR_OFF, 0xa0000, 0, 0, 0xa0000 };
	struct capture c;

	mb_img_raw(&f->im);
	put_header(&f->im, 3 | MB1_HF_ADDRESS, addr);
	capture_start(&c);
	assert_int_equal(load(f), -1);
	assert_one_error(capture_end(&c), NULL);
}

/* Issue 12, finding 2 (multiboot side): bss claiming 2 GiB + 1 byte with
 * 16 bytes of data in its last page is checked against RAM before the
 * group's copy is allocated; one line naming the file. */
static void test_load_huge_bss_refused(void **state)
{
	struct mb_fixture *f = *state;
	Elf32_Phdr ph[2] = {
		{ .p_type = PT_LOAD, .p_offset = MB_IMG_OFFSET, .p_vaddr = MB_IMG_PADDR,
		  .p_paddr = MB_IMG_PADDR, .p_filesz = 0, .p_memsz = 0x80000001u,
		  .p_flags = PF_R | PF_W | PF_X },
		{ .p_type = PT_LOAD, .p_offset = MB_IMG_OFFSET, .p_vaddr = MB_IMG_PADDR + 0x80000010u,
		  .p_paddr = MB_IMG_PADDR + 0x80000010u, .p_filesz = 16, .p_memsz = 16,
		  .p_flags = PF_R | PF_W | PF_X },
	};
	struct capture c;

	make_elf(&f->im, 3);
	memcpy(f->im.buf + sizeof(Elf32_Ehdr), ph, sizeof(ph));
	f->im.buf[offsetof(Elf32_Ehdr, e_phnum)] = 2;
	capture_start(&c);
	assert_int_equal(load(f), -1);
	assert_one_error(capture_end(&c), "mb-test.elf: image piece at 0x200000-0x80200fff is not inside usable RAM");
	assert_int_equal(f->p.nseg, 0);
}

/* With the RAM there, the same shape loads and its zeros cost no buffer:
 * a data-less segment, then one page holding the 16 file bytes. */
static void test_load_sparse_group(void **state)
{
	struct mb_fixture *f = *state;
	Elf32_Phdr ph[2] = {
		{ .p_type = PT_LOAD, .p_offset = MB_IMG_OFFSET, .p_vaddr = MB_IMG_PADDR,
		  .p_paddr = MB_IMG_PADDR, .p_filesz = 0, .p_memsz = 0x10000001u,
		  .p_flags = PF_R | PF_W | PF_X },
		{ .p_type = PT_LOAD, .p_offset = MB_IMG_OFFSET, .p_vaddr = MB_IMG_PADDR + 0x10000010u,
		  .p_paddr = MB_IMG_PADDR + 0x10000010u, .p_filesz = 16, .p_memsz = 16,
		  .p_flags = PF_R | PF_W | PF_X },
	};
	const struct segment *s;

	make_elf(&f->im, 3);
	memcpy(f->im.buf + sizeof(Elf32_Ehdr), ph, sizeof(ph));
	f->im.buf[offsetof(Elf32_Ehdr, e_phnum)] = 2;
	assert_int_equal(load(f), 0);
	s = mb_seg_at(&f->p, MB_IMG_PADDR);
	assert_int_equal(s->mem, MB_IMG_PADDR);
	assert_int_equal(s->memsz, 0x10000000);
	assert_int_equal(s->bufsz, 0);
	s = mb_seg_at(&f->p, MB_IMG_PADDR + 0x10000000);
	assert_int_equal(s->memsz, 0x1000);
	assert_int_equal(s->bufsz, 0x20);
	assert_memory_equal((const uint8_t *)s->buf + 0x10, f->im.buf + MB_IMG_OFFSET, 16);
}

static void test_load_crash_refused(void **state)
{
	struct mb_fixture *f = *state;
	struct capture c;

	make_elf(&f->im, 3);
	f->p.crash = true;
	capture_start(&c);
	assert_int_equal(load(f), -1);
	assert_one_error(capture_end(&c), "crash");
}

static void test_load_too_many_modules(void **state)
{
	struct mb_fixture *f = *state;
	struct capture c;

	make_elf(&f->im, 3);
	mb_files_make(&f->files);
	for (int i = 0; i < MAX_MODULES; i++)
		f->o.modules[i] = f->files.arg[0];
	f->o.nmodules = MAX_MODULES;
	capture_start(&c);
	assert_int_equal(load(f), -1);
	mb_files_remove(&f->files);
	assert_one_error(capture_end(&c), "segments");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_basic),
		cmocka_unit_test(test_probe_no_header),
		cmocka_unit_test(test_probe_beyond_8k),
		cmocka_unit_test(test_probe_requirements),
		cmocka_unit_test(test_probe_not_elf_no_address),
		cmocka_unit_test(test_probe_xen),
		cmocka_unit_test(test_probe_odd_phoff),
		cmocka_unit_test_setup_teardown(test_load_elf, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_address_fields, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_address_fields_bad, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_not_in_ram, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_huge_bss_refused, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_sparse_group, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_crash_refused, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_too_many_modules, mb_setup, mb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
