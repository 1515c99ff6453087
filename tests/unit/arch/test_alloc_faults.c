/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Allocation failure injection (issue 12): for each loader, fail the k-th
 * allocation of a load, for every k until a load needs no more; each
 * failed load must print exactly one "kexec: ..." line and leave nothing
 * behind once the plan is released (LeakSanitizer checks that in the
 * sanitizer build). The Makefile links this test with --wrap for malloc,
 * calloc, realloc and strdup, so libkexec's calls come here. */
#include <errno.h>

#include "mb-fixtures.h"

#include "file-types.h"
#include "multiboot.h"
#include "multiboot2.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static unsigned long calls, fail_at; /* fail_at 0: never fail */

static bool fail_now(void)
{
	if (!fail_at || ++calls != fail_at)
		return false;
	errno = ENOMEM;
	return true;
}

void *__wrap_malloc(size_t n)
{
	return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
	return fail_now() ? NULL : __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return fail_now() ? NULL : __real_strdup(s);
}

typedef int (*load_fn)(struct mb_fixture *f);

/* Fail allocation k = 1, 2, ... of a load until one succeeds. */
static void every_allocation(struct mb_fixture *f, load_fn load, bool crash)
{
	unsigned long k, absorbed = 0;

	for (k = 1; k < 10000; k++) {
		struct capture c;
		int rc;

		plan_release(&f->p);
		plan_init(&f->p, &f->m, crash);
		capture_start(&c);
		calls = 0;
		fail_at = k;
		rc = load(f);
		fail_at = 0;
		capture_end(&c);
		if (rc == 0 && calls < k)
			break; /* every allocation of the load has failed once */
		/* Some allocations are for optional details (the running
		 * kernel's boot_params): doing without them must be silent. */
		if (rc == 0 && c.text[0])
			fail_msg("allocation %lu failed, the load succeeded and said \"%s\"", k, c.text);
		if (rc == 0) {
			absorbed++;
			continue;
		}
		if (strncmp(c.text, "kexec: ", 7) || strchr(c.text, '\n') != c.text + strlen(c.text) - 1)
			fail_msg("allocation %lu failed: want one error line, got \"%s\"", k, c.text);
	}
	print_message("%lu allocations failed one by one (%lu of them optional)\n", k - 1, absorbed);
	assert_true(k > 1);
	plan_release(&f->p);
	plan_init(&f->p, &f->m, false);
}

/* ---------------------------------------------------------------- loads */

static struct bzimage bz;

static int load_bzimage(struct mb_fixture *f)
{
	return file_type_bzimage64.load(&f->o, &bz.k, &f->p);
}

static int load_multiboot(struct mb_fixture *f)
{
	return file_type_multiboot.load(&f->o, &f->im.k, &f->p);
}

static int load_multiboot2(struct mb_fixture *f)
{
	return file_type_multiboot2.load(&f->o, &f->im.k, &f->p);
}

static void test_bzimage(void **state)
{
	struct mb_fixture *f = *state;

	bz_make(&bz, 0x12340);
	f->o.command_line = "console=ttyS0 root=/dev/vda";
	every_allocation(f, load_bzimage, false);
	machine_crash(&f->m, 0x20000000, 0x28000000);
	every_allocation(f, load_bzimage, true);
	bz_free(&bz);
}

/* An ELF64 payload whose two PT_LOADs share a page (so it is copied), as
 * a Linux image (boot_params, command line) and with ELF boot notes. */
static uint8_t elf_buf[0x3000];
static struct kernel_image elf_k;

static void make_elf(void)
{
	Elf64_Ehdr eh = { .e_ident = { 0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
			  .e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
			  .e_entry = 0x200000, .e_phoff = sizeof(Elf64_Ehdr),
			  .e_ehsize = sizeof(Elf64_Ehdr), .e_phentsize = sizeof(Elf64_Phdr),
			  .e_phnum = 2 };
	Elf64_Phdr ph[2] = {
		{ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0x1000, .p_vaddr = 0x200000,
		  .p_paddr = 0x200000, .p_filesz = 0x800, .p_memsz = 0x900 },
		{ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x2000, .p_vaddr = 0x200a00,
		  .p_paddr = 0x200a00, .p_filesz = 0x100, .p_memsz = 0x3000 },
	};

	memset(elf_buf, 0x5a, sizeof(elf_buf));
	memcpy(elf_buf, &eh, sizeof(eh));
	memcpy(elf_buf + sizeof(eh), ph, sizeof(ph));
	elf_k = (struct kernel_image){ .path = "elf-test", .buf = elf_buf, .len = sizeof(elf_buf) };
}

static int load_elf(struct mb_fixture *f)
{
	return file_type_elf_x86_64.load(&f->o, &elf_k, &f->p);
}

static void test_elf(void **state)
{
	struct mb_fixture *f = *state;

	make_elf();
	f->o.command_line = "console=ttyS0";
	f->o.elf_args = ELF_ARGS_LINUX;
	every_allocation(f, load_elf, false);
	f->o.elf_args = ELF_ARGS_ELF;
	every_allocation(f, load_elf, false);
}

static void mb1_header(struct mb_img *im)
{
	uint8_t *h = im->buf + MB_HDR_OFF;

	mb_put32(h, MB1_HEADER_MAGIC);
	mb_put32(h + 4, 3);
	mb_put32(h + 8, -(MB1_HEADER_MAGIC + 3));
}

static void mb2_header(struct mb_img *im)
{
	uint8_t *h = im->buf + MB_HDR_OFF;

	mb_put32(h, MB2_HEADER_MAGIC);
	mb_put32(h + 4, 0);
	mb_put32(h + 8, 24);
	mb_put32(h + 12, -(MB2_HEADER_MAGIC + 24));
	mb_put32(h + 16, 0); /* end tag */
	mb_put32(h + 20, 8);
}

static void with_modules(struct mb_fixture *f)
{
	mb_files_make(&f->files);
	f->o.command_line = "hello world";
	f->o.modules[0] = f->files.arg[0];
	f->o.modules[1] = f->files.arg[1];
	f->o.nmodules = 2;
}

static void test_multiboot(void **state)
{
	struct mb_fixture *f = *state;

	mb_img_elf(&f->im);
	mb1_header(&f->im);
	with_modules(f);
	every_allocation(f, load_multiboot, false);
	mb_files_remove(&f->files);
}

static void test_multiboot2(void **state)
{
	struct mb_fixture *f = *state;

	mb_img_elf(&f->im);
	mb2_header(&f->im);
	with_modules(f);
	every_allocation(f, load_multiboot2, false);
	mb_files_remove(&f->files);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bzimage, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_elf, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_multiboot, mb_setup, mb_teardown),
		cmocka_unit_test_setup_teardown(test_multiboot2, mb_setup, mb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
