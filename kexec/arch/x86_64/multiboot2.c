/* SPDX-License-Identifier: GPL-2.0-or-later */
/* multiboot2-x86: images with a Multiboot2 header (Xen among them). The
 * image goes where its ELF headers or address tag say, or anywhere its
 * relocatable tag allows; the boot information lists the command line,
 * the modules, the memory map and the ACPI RSDP; the image is entered in
 * 32-bit protected mode with eax = 0x36d76289 and ebx = the information. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file-types.h"
#include "option-table.h"
#include "multiboot2.h"
#include "util.h"

#define FOUR_GIB (1ULL << 32)

struct mb2_image {
	struct mb2_header h;
	struct mb_layout l;
};

static const char *mb2_parse(const struct kernel_image *k, struct mb2_image *im)
{
	const char *why = mb2_header_parse(k->buf, k->len, &im->h);

	if (why)
		return why;
	if (im->h.has_addr)
		why = mb_addr_layout(k->len, im->h.off, &im->h.addr, &im->l);
	else if ((why = mb_elf_layout(k->buf, k->len, &im->l)) == NOT_THIS_KIND)
		why = "multiboot2 image is not ELF and has no address tag";
	if (why)
		return why;
	if (im->h.has_entry)
		im->l.entry = im->h.entry;
	else if (im->h.has_addr)
		return "multiboot2 address tag without an entry address tag";
	return NULL;
}

static int mb2_probe(const struct kernel_image *k, const char **why)
{
	struct mb2_image im;

	return probe_answer(mb2_parse(k, &im), why);
}

/* Where the relocatable tag lets the image go: returns the shift. */
static int choose_delta(struct plan *p, const struct kernel_image *k,
			const struct mb2_image *im, uint64_t *delta)
{
	const struct mb2_header *h = &im->h;
	uint64_t lo, hi, align, addr;

	*delta = 0;
	if (!h->relocatable)
		return 0;
	mb_layout_span(&im->l, &lo, &hi);
	lo = ALIGN_DOWN(lo, PAGE_SIZE_4K);
	align = h->reloc_align > PAGE_SIZE_4K ? h->reloc_align : PAGE_SIZE_4K;
	if (plan_find_hole(p, hi - lo, align, h->reloc_min, h->reloc_max,
			   h->reloc_pref == MB2_PREF_HIGH, &addr, "kernel") < 0) {
		char note[96];

		kx_error("%s: no room for the image (%" PRIu64 " KiB, %" PRIu64 " KiB aligned) "
			 "between 0x%" PRIx32 " and 0x%" PRIx32 "%s", k->path, (hi - lo) >> 10,
			 align >> 10, h->reloc_min, h->reloc_max,
			 plan_limit_note(p, note, sizeof(note)));
		return -1;
	}
	*delta = addr - lo;
	kx_debug("%s: relocatable image moved from 0x%" PRIx64 " to 0x%" PRIx64, k->path, lo, addr);
	return 0;
}

static int place_info(struct plan *p, const struct options *o, const struct kernel_image *k,
		      const struct mb2_image *im, uint64_t delta, uint64_t *addr)
{
	struct mb_modules mods;
	uint8_t *info = NULL;
	struct mb2_info_input in = { .loader_name = MB_LOADER_NAME, .mods = &mods,
				     .ram = &p->machine->ram, .rsdp = p->machine->acpi_rsdp_copy,
				     .rsdp_len = p->machine->acpi_rsdp_len };
	uint64_t lo, hi;
	size_t len;
	int rc = -1;

	if (mb_load_modules(o, p, &mods) < 0)
		return -1;
	in.cmdline = mb_kernel_cmdline(o, k->path);
	if (!in.cmdline)
		return -1;
	mb_layout_span(&im->l, &lo, &hi);
	in.has_load_base = im->h.relocatable;
	in.load_base = (uint32_t)(lo + delta);
	if (mb2_info_build(&in, &info, &len) == 0 && plan_own(p, info) == 0)
		rc = plan_place(p, &(struct placement){ .what = "multiboot2 information", .buf = info,
							.bufsz = len, .min = MiB, .max = FOUR_GIB - 1 },
				addr);
	else
		free(info);
	free((void *)in.cmdline);
	return rc;
}

static int mb2_load(const struct options *o, const struct kernel_image *k, struct plan *p)
{
	struct mb2_image im;
	const char *why = mb2_parse(k, &im);
	uint64_t delta, info;

	if (why) {
		kx_error("%s: %s", k->path, *why ? why : "no multiboot2 header");
		return -1;
	}
	if (p->crash) {
		kx_error("%s: a multiboot2 image cannot be loaded as a crash kernel (-p)", k->path);
		return -1;
	}
	if (choose_delta(p, k, &im, &delta) < 0 || mb_place_image(p, k, &im.l, delta) < 0 ||
	    place_info(p, o, k, &im, delta, &info) < 0)
		return -1;
	return mb_finish(p, o, MB2_BOOT_MAGIC, info, im.l.entry + delta);
}

/* The help lines come from the option table, like --help. */
static void mb2_usage(void)
{
	options_usage_loader(OA_MB2);
}

const struct file_type file_type_multiboot2 = {
	.name = "multiboot2-x86",
	.probe = mb2_probe,
	.load = mb2_load,
	.usage = mb2_usage,
	.file_load_ok = false,
	.modules = true,
};
