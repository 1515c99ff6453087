/* SPDX-License-Identifier: GPL-2.0-or-later */
/* multiboot-x86: images with a Multiboot (0.6.96) header. The image goes
 * where its ELF headers or the header's address fields say; the boot
 * information lists the command line, the modules and the memory map; the
 * image is entered in 32-bit protected mode with eax = 0x2badb002 and
 * ebx = the information. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file-types.h"
#include "option-table.h"
#include "multiboot.h"
#include "util.h"

#define FOUR_GIB (1ULL << 32)

struct mb1_image {
	struct mb1_header h;
	struct mb_layout l;
};

static const char *mb1_parse(const struct kernel_image *k, struct mb1_image *im)
{
	const char *why = mb1_header_parse(k->buf, k->len, &im->h);

	if (why)
		return why;
	if (im->h.flags & MB1_HF_ADDRESS) {
		why = mb_addr_layout(k->len, im->h.off, &im->h.addr, &im->l);
		im->l.entry = im->h.entry;
		return why;
	}
	why = mb_elf_layout(k->buf, k->len, &im->l);
	if (why == NOT_THIS_KIND)
		return "multiboot image is not ELF and has no address fields (flag 16)";
	return why;
}

static int mb1_probe(const struct kernel_image *k, const char **why)
{
	struct mb1_image im;

	return probe_answer(mb1_parse(k, &im), why);
}

static int place_info(struct plan *p, const struct mb1_info_input *in, uint64_t *addr)
{
	size_t len = mb1_info_size(in);
	uint8_t *buf;

	if (plan_find_hole(p, len, PAGE_SIZE_4K, MiB, FOUR_GIB - 1, false, addr,
			   "multiboot information") < 0) {
		char note[96];

		kx_error("no room below 4 GiB for the multiboot information (%zu bytes)%s", len,
			 plan_limit_note(p, note, sizeof(note)));
		return -1;
	}
	buf = kx_calloc(1, len);
	if (!buf || plan_own(p, buf) < 0) {
		free(buf);
		return -1;
	}
	/* Its pointers are absolute: fill it once the address is known. */
	mb1_info_fill(in, *addr, buf);
	return plan_place(p, &(struct placement){ .what = "multiboot information", .buf = buf,
						  .bufsz = len, .memsz = len, .fixed = true, .at = *addr },
			  NULL);
}

static int mb1_load(const struct options *o, const struct kernel_image *k, struct plan *p)
{
	struct mb1_image im;
	struct mb_modules mods;
	struct mb1_info_input in = { .loader_name = MB_LOADER_NAME, .mods = &mods,
				     .ram = &p->machine->ram };
	const char *why = mb1_parse(k, &im);
	uint64_t info;
	int rc;

	if (why) {
		kx_error("%s: %s", k->path, *why ? why : "no multiboot header");
		return -1;
	}
	if (p->crash) {
		kx_error("%s: a multiboot image cannot be loaded as a crash kernel (-p)", k->path);
		return -1;
	}
	if (mb_place_image(p, k, &im.l, 0) < 0 || mb_load_modules(o, p, &mods) < 0)
		return -1;
	in.cmdline = mb_kernel_cmdline(o, k->path);
	if (!in.cmdline)
		return -1;
	rc = place_info(p, &in, &info);
	free((void *)in.cmdline);
	if (rc < 0)
		return -1;
	return mb_finish(p, o, MB1_BOOT_MAGIC, info, im.l.entry);
}

/* The help lines come from the option table, like --help. */
static void mb1_usage(void)
{
	options_usage_loader(OA_MULTIBOOT);
}

const struct file_type file_type_multiboot = {
	.name = "multiboot-x86",
	.probe = mb1_probe,
	.load = mb1_load,
	.usage = mb1_usage,
	.file_load_ok = false,
	.modules = true,
};
