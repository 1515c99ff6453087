/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the Multiboot2 loader (multiboot2*.c, multiboot-*.c):
 * header parsing on synthetic headers (and on Xen's own, when
 * /boot/xen-4.17-amd64.gz is installed), the boot information, and loads
 * against a synthetic PC (placement, relocation, entry state). */
#include "mb-fixtures.h"

#include "cmdline.h"
#include "file-types.h"
#include "kernel-file.h"
#include "multiboot2.h"

#define XEN_GZ "/boot/xen-4.17-amd64.gz"

/* ---------------------------------------------------------------- headers */

static void hdr_begin(struct mb_img *im)
{
	mb_put32(im->buf + MB_HDR_OFF, MB2_HEADER_MAGIC);
	mb_put32(im->buf + MB_HDR_OFF + 4, MB2_ARCH_I386);
	im->hdr_end = MB_HDR_OFF + 16;
}

/* A tag: type, flags, then n 32-bit words. */
static void hdr_tag(struct mb_img *im, uint16_t type, uint16_t flags, const uint32_t *w, unsigned n)
{
	uint8_t *at = im->buf + im->hdr_end;
	uint32_t size = 8 + 4 * n;

	memcpy(at, &type, 2);
	memcpy(at + 2, &flags, 2);
	mb_put32(at + 4, size);
	for (unsigned i = 0; i < n; i++)
		mb_put32(at + 8 + 4 * i, w[i]);
	im->hdr_end += (size + 7) & ~7u;
}

static void hdr_end(struct mb_img *im)
{
	uint32_t len;

	hdr_tag(im, 0, 0, NULL, 0);
	len = (uint32_t)(im->hdr_end - MB_HDR_OFF);
	mb_put32(im->buf + MB_HDR_OFF + 8, len);
	mb_put32(im->buf + MB_HDR_OFF + 12, -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + len));
}

/* An ELF image with a header asking for memory information. */
static void make_basic(struct mb_img *im, bool relocatable)
{
	static const uint32_t req[] = { MB2_TAG_BASIC_MEMINFO, MB2_TAG_MMAP };
	static const uint32_t reloc[] = { 0x100000, 0xffffffff, 0x200000, MB2_PREF_HIGH };

	mb_img_elf(im);
	hdr_begin(im);
	hdr_tag(im, 1, 0, req, 2);
	if (relocatable)
		hdr_tag(im, 10, 1, reloc, 4);
	hdr_end(im);
}

static int probe(struct mb_img *im, const char **why)
{
	*why = NULL;
	return file_type_multiboot2.probe(&im->k, why);
}

static void test_probe_basic(void **state UNUSED)
{
	struct mb_img im;
	struct mb2_header h;
	const char *why;

	make_basic(&im, true);
	assert_int_equal(probe(&im, &why), 0);
	assert_null(mb2_header_parse(im.buf, im.k.len, &h));
	assert_int_equal(h.off, MB_HDR_OFF);
	assert_true(h.relocatable);
	assert_int_equal(h.reloc_min, 0x100000);
	assert_int_equal(h.reloc_align, 0x200000);
	assert_int_equal(h.reloc_pref, MB2_PREF_HIGH);
}

static void test_probe_no_header(void **state UNUSED)
{
	struct mb_img im;
	const char *why;

	mb_img_elf(&im);
	assert_int_equal(probe(&im, &why), -1);
	assert_null(why);
}

static void test_probe_bad_checksum_ignored(void **state UNUSED)
{
	struct mb_img im;
	const char *why;

	make_basic(&im, false);
	im.buf[MB_HDR_OFF + 12] ^= 1;
	assert_int_equal(probe(&im, &why), -1);
	assert_null(why);
}

static void test_probe_header_beyond_32k(void **state UNUSED)
{
	static uint8_t big[0x9000];
	struct mb_img im;
	struct mb2_header h;

	make_basic(&im, false);
	memcpy(big + 0x8000, im.buf + MB_HDR_OFF, im.hdr_end - MB_HDR_OFF);
	assert_ptr_equal(mb2_header_parse(big, sizeof(big), &h), NOT_THIS_KIND);
}

static void test_probe_other_arch(void **state UNUSED)
{
	struct mb_img im;
	const char *why;

	mb_img_elf(&im);
	mb_put32(im.buf + MB_HDR_OFF, MB2_HEADER_MAGIC);
	mb_put32(im.buf + MB_HDR_OFF + 4, 4); /* MIPS */
	mb_put32(im.buf + MB_HDR_OFF + 8, 24);
	mb_put32(im.buf + MB_HDR_OFF + 12, -(MB2_HEADER_MAGIC + 4 + 24));
	assert_int_equal(probe(&im, &why), -1);
	assert_non_null(why);
	assert_non_null(strstr(why, "architecture"));
}

static void test_probe_required_framebuffer(void **state UNUSED)
{
	static const uint32_t fb[] = { 1024, 768, 32 };
	struct mb_img im;
	const char *why;

	mb_img_elf(&im);
	hdr_begin(&im);
	hdr_tag(&im, 5, 0, fb, 3);
	hdr_end(&im);
	assert_int_equal(probe(&im, &why), -1);
	assert_non_null(why);
	/* The same tag marked optional is fine. */
	mb_img_elf(&im);
	hdr_begin(&im);
	hdr_tag(&im, 5, 1, fb, 3);
	hdr_end(&im);
	assert_int_equal(probe(&im, &why), 0);
}

static void test_probe_info_request(void **state UNUSED)
{
	static const uint32_t vbe[] = { MB2_TAG_MMAP, 7 };
	struct mb_img im;
	const char *why;

	mb_img_elf(&im);
	hdr_begin(&im);
	hdr_tag(&im, 1, 0, vbe, 2);
	hdr_end(&im);
	assert_int_equal(probe(&im, &why), -1);
	assert_non_null(why);
	assert_non_null(strstr(why, "boot information"));
	mb_img_elf(&im);
	hdr_begin(&im);
	hdr_tag(&im, 1, 1, vbe, 2);
	hdr_end(&im);
	assert_int_equal(probe(&im, &why), 0);
}

static void test_probe_no_end_tag(void **state UNUSED)
{
	struct mb_img im;
	const char *why;
	uint32_t len = 24;

	mb_img_elf(&im);
	hdr_begin(&im);
	hdr_tag(&im, 6, 0, NULL, 0); /* module alignment, then nothing */
	mb_put32(im.buf + MB_HDR_OFF + 8, len);
	mb_put32(im.buf + MB_HDR_OFF + 12, -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + len));
	assert_int_equal(probe(&im, &why), -1);
	assert_non_null(why);
}

static void test_probe_xen(void **state UNUSED)
{
	struct kernel_image k;
	struct mb2_header h;
	const char *why = NULL;

	if (access(XEN_GZ, R_OK) != 0)
		skip();
	assert_int_equal(kernel_image_read(XEN_GZ, &k), 0);
	assert_true(k.decompressed);
	assert_int_equal(file_type_multiboot2.probe(&k, &why), 0);
	assert_null(mb2_header_parse(k.buf, k.len, &h));
	assert_true(h.relocatable);
	assert_int_equal(h.reloc_align, 0x200000);
	assert_int_equal(h.reloc_pref, MB2_PREF_HIGH);
	/* Xen also carries a Multiboot header: this type must win the probe. */
	assert_ptr_equal(file_types[0], &file_type_multiboot2);
	kernel_image_free(&k);
}

/* ---------------------------------------------------------------- info */

struct tag {
	uint32_t type, size;
	const uint8_t *data;
};

/* The n-th tag of type in the information block; checks the framing. */
static bool find_tag(const uint8_t *info, uint32_t type, int nth, struct tag *t)
{
	uint32_t total = mb_get32(info), off = 8;

	while (off + 8 <= total) {
		t->type = mb_get32(info + off);
		t->size = mb_get32(info + off + 4);
		t->data = info + off + 8;
		assert_true(t->size >= 8 && off + t->size <= total);
		if (t->type == 0) {
			assert_int_equal(off + 8, total);
			return false;
		}
		if (t->type == type && nth-- == 0)
			return true;
		off += (t->size + 7) & ~7u;
	}
	fail_msg("no end tag");
	return false;
}

static void test_info_acpi(void **state UNUSED)
{
	struct machine m;
	uint8_t rsdp[36], *info;
	size_t len;
	struct tag t;
	struct mb2_info_input in = { .cmdline = "x", .loader_name = "y", .ram = &m.ram,
				     .rsdp = rsdp, .rsdp_len = 36 };

	machine_pc(&m);
	for (int i = 0; i < 36; i++)
		rsdp[i] = (uint8_t)i;
	assert_int_equal(mb2_info_build(&in, &info, &len), 0);
	assert_int_equal(mb_get32(info), len);
	assert_int_equal(len % 8, 0);
	assert_true(find_tag(info, MB2_TAG_ACPI_OLD, 0, &t));
	assert_int_equal(t.size, 8 + 20);
	assert_memory_equal(t.data, rsdp, 20);
	assert_true(find_tag(info, MB2_TAG_ACPI_NEW, 0, &t));
	assert_int_equal(t.size, 8 + 36);
	assert_memory_equal(t.data, rsdp, 36);
	free(info);
	/* ACPI 1.0: only the old tag. */
	in.rsdp_len = 20;
	assert_int_equal(mb2_info_build(&in, &info, &len), 0);
	assert_true(find_tag(info, MB2_TAG_ACPI_OLD, 0, &t));
	assert_false(find_tag(info, MB2_TAG_ACPI_NEW, 0, &t));
	free(info);
	machine_free(&m);
}

/* ---------------------------------------------------------------- load */

static int load(struct mb_fixture *f)
{
	return file_type_multiboot2.load(&f->o, &f->im.k, &f->p);
}

static const uint8_t *info_of(struct mb_fixture *f, const struct purgatory_params *pp)
{
	const uint8_t *head = mb_bytes_at(&f->p, pp->regs32.ebx, 8);

	assert_int_equal(pp->regs32.ebx % 8, 0);
	return mb_bytes_at(&f->p, pp->regs32.ebx, mb_get32(head));
}

static void check_mmap(struct mb_fixture *f, const uint8_t *info)
{
	struct tag t;

	assert_true(find_tag(info, MB2_TAG_MMAP, 0, &t));
	assert_int_equal(mb_get32(t.data), 24);
	assert_int_equal(mb_get32(t.data + 4), 0);
	assert_int_equal(t.size, 16 + 24 * f->m.ram.n);
	for (size_t i = 0; i < f->m.ram.n; i++) {
		const uint8_t *e = t.data + 8 + 24 * i;

		assert_int_equal(mb_get64(e), f->m.ram.r[i].start);
		assert_int_equal(mb_get64(e + 8), f->m.ram.r[i].end - f->m.ram.r[i].start);
		assert_int_equal(mb_get32(e + 16), f->m.ram.r[i].type);
	}
	assert_true(find_tag(info, MB2_TAG_BASIC_MEMINFO, 0, &t));
	assert_int_equal(mb_get32(t.data), 0x9fc00 / 1024);
	assert_int_equal(mb_get32(t.data + 4), (0x7ff00000 - 0x100000) / 1024);
}

static void check_module(struct mb_fixture *f, const uint8_t *info, int i, const char *content)
{
	struct tag t;
	uint32_t start, end;

	assert_true(find_tag(info, MB2_TAG_MODULE, i, &t));
	start = mb_get32(t.data);
	end = mb_get32(t.data + 4);
	assert_int_equal(start % 4096, 0);
	assert_int_equal(end - start, strlen(content));
	assert_memory_equal(mb_bytes_at(&f->p, start, end - start), content, end - start);
	assert_string_equal((const char *)t.data + 8, f->files.arg[i]);
}

static void test_load_relocatable(void **state)
{
	struct mb_fixture *f = *state;
	const struct purgatory_params *pp;
	const uint8_t *info;
	struct tag t;
	uint64_t base;

	make_basic(&f->im, true);
	mb_files_make(&f->files);
	f->o.command_line = "console=com1 x=y";
	f->o.modules[0] = f->files.arg[0];
	f->o.modules[1] = f->files.arg[1];
	f->o.nmodules = 2;
	assert_int_equal(load(f), 0);
	mb_files_remove(&f->files);
	pp = mb_params(&f->p);
	assert_int_equal(pp->entry_mode, PURGATORY_ENTRY_32);
	assert_int_equal(f->p.arch, 62);
	assert_int_equal(pp->regs32.eax, MB2_BOOT_MAGIC);
	/* Preference "high": the highest 2 MiB boundary below 4 GiB whose
	 * RAM holds the image (RAM ends at 0x7ff00000). */
	base = 0x7fe00000;
	mb_assert_image_at(&f->p, base);
	assert_int_equal(pp->regs32.eip, MB_IMG_ENTRY - MB_IMG_PADDR + base);
	info = info_of(f, pp);
	assert_true(find_tag(info, MB2_TAG_CMDLINE, 0, &t));
	assert_string_equal((const char *)t.data, "mb-test.elf console=com1 x=y");
	assert_true(find_tag(info, MB2_TAG_LOADER_NAME, 0, &t));
	assert_string_equal((const char *)t.data, "kexec-tools-ng");
	assert_true(find_tag(info, MB2_TAG_LOAD_BASE, 0, &t));
	assert_int_equal(mb_get32(t.data), base);
	check_module(f, info, 0, "first module\n");
	check_module(f, info, 1, "second module, a longer one\n");
	assert_false(find_tag(info, MB2_TAG_MODULE, 2, &t));
	check_mmap(f, info);
}

static void test_load_fixed(void **state)
{
	struct mb_fixture *f = *state;
	const struct purgatory_params *pp;
	struct tag t;

	make_basic(&f->im, false);
	assert_int_equal(load(f), 0);
	mb_assert_image_at(&f->p, MB_IMG_PADDR);
	pp = mb_params(&f->p);
	assert_int_equal(pp->regs32.eip, MB_IMG_ENTRY);
	assert_false(find_tag(info_of(f, pp), MB2_TAG_LOAD_BASE, 0, &t));
	assert_false(find_tag(info_of(f, pp), MB2_TAG_MODULE, 0, &t));
	assert_true(find_tag(info_of(f, pp), MB2_TAG_CMDLINE, 0, &t));
	assert_string_equal((const char *)t.data, "mb-test.elf");
}

static void test_load_reuse_cmdline(void **state)
{
	struct mb_fixture *f = *state;
	struct tag t;
	char *want;
	size_t n = strlen("mb-test.elf ");

	make_basic(&f->im, false);
	f->o.reuse_cmdline = true;
	f->o.command_line = "extra=1";
	assert_int_equal(load(f), 0);
	/* The image name, then what the other loaders would pass. */
	want = loader_build_cmdline(&f->o, false);
	assert_non_null(want);
	assert_true(find_tag(info_of(f, mb_params(&f->p)), MB2_TAG_CMDLINE, 0, &t));
	assert_memory_equal(t.data, "mb-test.elf ", n);
	assert_string_equal((const char *)t.data + n, want);
	free(want);
}

static void test_load_empty_module(void **state)
{
	struct mb_fixture *f = *state;
	struct capture c;
	char path[64], arg[96];
	int fd = temp_file(path, 0, false);

	close(fd);
	snprintf(arg, sizeof(arg), "%s empty=1", path);
	make_basic(&f->im, false);
	f->o.modules[0] = arg;
	f->o.nmodules = 1;
	capture_start(&c);
	assert_int_equal(load(f), -1);
	unlink(path);
	assert_one_error(capture_end(&c), path);
}

/* A non-ELF image described by address and entry tags. */
static void test_load_address_tag(void **state)
{
	struct mb_fixture *f = *state;
	/* header_addr, load_addr, load_end_addr, bss_end_addr */
	const uint32_t addr[] = { 0x300000 + MB_HDR_OFF, 0x300000, 0x300000 + 0x3000, 0x308000 };
	const uint32_t entry[] = { 0x300100 };
	const struct segment *s;

	mb_img_raw(&f->im);
	hdr_begin(&f->im);
	hdr_tag(&f->im, 2, 0, addr, 4);
	hdr_tag(&f->im, 3, 0, entry, 1);
	hdr_end(&f->im);
	assert_int_equal(load(f), 0);
	s = mb_seg_at(&f->p, 0x300000);
	assert_int_equal(s->mem, 0x300000);
	assert_int_equal(s->bufsz, 0x3000);
	assert_int_equal(s->memsz, 0x8000);
	assert_memory_equal(s->buf, f->im.buf, 0x3000);
	assert_int_equal(mb_params(&f->p)->regs32.eip, 0x300100);
}

static void test_load_address_tag_needs_entry(void **state)
{
	struct mb_fixture *f = *state;
	const uint32_t addr[] = { 0x300000 + MB_HDR_OFF, 0x300000, 0, 0 };
	struct capture c;

	mb_img_raw(&f->im);
	hdr_begin(&f->im);
	hdr_tag(&f->im, 2, 0, addr, 4);
	hdr_end(&f->im);
	capture_start(&c);
	assert_int_equal(load(f), -1);
	assert_one_error(capture_end(&c), "entry address");
}

static void test_load_crash_refused(void **state)
{
	struct mb_fixture *f = *state;
	struct capture c;

	make_basic(&f->im, true);
	f->p.crash = true;
	capture_start(&c);
	assert_int_equal(load(f), -1);
	assert_one_error(capture_end(&c), "crash");
}

static void test_load_missing_module(void **state)
{
	struct mb_fixture *f = *state;
	struct capture c;

	make_basic(&f->im, true);
	f->o.modules[0] = "/nonexistent/dom0-kernel console=hvc0";
	f->o.nmodules = 1;
	capture_start(&c);
	assert_int_equal(load(f), -1);
	assert_one_error(capture_end(&c), "/nonexistent/dom0-kernel");
}

static void test_load_no_room(void **state)
{
	struct mb_fixture *f = *state;
	const uint32_t reloc[] = { 0x100000, 0x1fffff, 0x200000, MB2_PREF_LOW };
	struct capture c;

	mb_img_elf(&f->im);
	hdr_begin(&f->im);
	hdr_tag(&f->im, 10, 0, reloc, 4);
	hdr_end(&f->im);
	capture_start(&c);
	assert_int_equal(load(f), -1);
	assert_one_error(capture_end(&c), "mb-test.elf");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_basic),
		cmocka_unit_test(test_probe_no_header),
		cmocka_unit_test(test_probe_bad_checksum_ignored),
		cmocka_unit_test(test_probe_header_beyond_32k),
		cmocka_unit_test(test_probe_other_arch),
		cmocka_unit_test(test_probe_required_framebuffer),
		cmocka_unit_test(test_probe_info_request),
		cmocka_unit_test(test_probe_no_end_tag),
		cmocka_unit_test(test_probe_xen),
		cmocka_unit_test(test_info_acpi),
		cmocka_unit_test_setup_teardown(test_load_relocatable, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_fixed, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_reuse_cmdline, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_empty_module, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_address_tag, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_address_tag_needs_entry, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_crash_refused, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_missing_module, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_load_no_room, mb_setup, mb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
