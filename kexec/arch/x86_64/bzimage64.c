/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bzImage64: a Linux/x86 bzImage entered through its 64-bit entry point
 * (boot protocol >= 2.12 with XLF_KERNEL_64). */
#include <asm/bootparam.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "file-types.h"
#include "option-table.h"
#include "util.h"
#include "x86-linux.h"

#define HDR_OFF 0x1f1
#define STARTUP_64_OFFSET 0x200

struct bz_info {
	const struct setup_header *hdr;
	size_t hdr_len;     /* bytes of header present in the file */
	size_t payload_off; /* where the protected-mode kernel starts */
	size_t payload_len;
};

/* A reason with numbers when the image has room for one, else a fixed one. */
static const char *reason(const struct kernel_image *k, const char *fixed, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static const char *reason(const struct kernel_image *k, const char *fixed, const char *fmt, ...)
{
	va_list ap;

	if (!k->reason)
		return fixed;
	va_start(ap, fmt);
	vsnprintf(k->reason, PROBE_REASON_LEN, fmt, ap);
	va_end(ap);
	return k->reason;
}

/* Read the setup header without trusting any field. Returns NULL when the
 * file is not a bzImage at all; *why explains a recognisable but unusable
 * one. */
static const char *bz_parse(const struct kernel_image *k, struct bz_info *bi)
{
	const uint8_t *b = k->buf;
	const struct setup_header *h;
	size_t setup_sects, need;

	if (k->len < 1024)
		return NOT_THIS_KIND;
	h = (const struct setup_header *)(b + HDR_OFF);
	if (h->header != 0x53726448 || h->boot_flag != 0xAA55)
		return NOT_THIS_KIND;
	if (h->version < 0x020c) {
		return reason(k, "bzImage boot protocol is too old (64-bit entry needs 2.12)",
			      "bzImage boot protocol %u.%02u is too old (64-bit entry needs 2.12)",
			      h->version >> 8, h->version & 0xff);
	}
	if (!(h->loadflags & LOADED_HIGH))
		return "not a bzImage (zImage loaded low)";
	if (!(h->xloadflags & XLF_KERNEL_64))
		return "32-bit kernel (no 64-bit entry point)";
	if (!h->relocatable_kernel)
		return "kernel is not relocatable";
	setup_sects = h->setup_sects ? h->setup_sects : 4;
	bi->payload_off = (setup_sects + 1) * 512;
	need = bi->payload_off + (size_t)h->syssize * 16;
	if (k->len < need || k->len <= bi->payload_off) {
		return reason(k, "truncated bzImage", "truncated bzImage: %zu bytes, the header says %zu",
			      k->len, need);
	}
	if (h->kernel_alignment & (h->kernel_alignment - 1) ||
	    h->kernel_alignment < 0x1000) {
		return reason(k, "bad kernel_alignment in the setup header",
			      "bad kernel_alignment 0x%x in the setup header", h->kernel_alignment);
	}
	bi->hdr = h;
	bi->hdr_len = 0x202 + b[0x201] - HDR_OFF;
	bi->payload_len = k->len - bi->payload_off;
	return NULL;
}

static int bz_probe(const struct kernel_image *k, const char **why)
{
	struct bz_info bi;

	return probe_answer(bz_parse(k, &bi), why);
}

static int place_kernel(struct plan *p, const struct kernel_image *k,
			const struct bz_info *bi, uint64_t *addr)
{
	const struct setup_header *h = bi->hdr;
	uint64_t memsz = h->init_size > bi->payload_len ? h->init_size : bi->payload_len;
	uint64_t min = h->pref_address > MiB ? h->pref_address : MiB;

	/* Bottom-up from pref_address: the kernel lands where it was linked
	 * to run when that memory is free (no relocation work for it); it is
	 * relocatable, so lower memory will do too. */
	if (plan_find_hole(p, memsz, h->kernel_alignment, min, 0, false, addr, "kernel") < 0 &&
	    plan_find_hole(p, memsz, h->kernel_alignment, MiB, 0, false, addr, "kernel") < 0) {
		char note[96];

		kx_error("%s: no room for the kernel (%" PRIu64 " MiB, %u KiB aligned) in %s memory%s",
			 k->path, (memsz + MiB - 1) / MiB, h->kernel_alignment >> 10,
			 p->crash ? "the crash kernel's" : "free",
			 plan_limit_note(p, note, sizeof(note)));
		return -1;
	}
	return plan_place(p, &(struct placement){ .what = "kernel",
						  .buf = (const uint8_t *)k->buf + bi->payload_off,
						  .bufsz = bi->payload_len, .memsz = memsz, .fixed = true,
						  .at = *addr }, NULL);
}

/* What the zero page needs from the setup header. */
static void bz_linux_params(const struct bz_info *bi, const char *cmdline,
			    struct linux_params *lp)
{
	const struct setup_header *h = bi->hdr;

	memset(lp, 0, sizeof(*lp));
	lp->setup_hdr = (const uint8_t *)h;
	lp->setup_hdr_len = bi->hdr_len;
	lp->cmdline_size = h->cmdline_size ? h->cmdline_size : 255;
	lp->initrd_addr_max = h->initrd_addr_max;
	lp->initrd_above_4g_ok = h->xloadflags & XLF_CAN_BE_LOADED_ABOVE_4G;
	lp->efi_handover_ok = h->xloadflags & XLF_EFI_KEXEC;
	lp->cmdline = cmdline;
}

static int bz_check(const struct options *o, const struct kernel_image *k, struct bz_info *bi)
{
	const char *err = bz_parse(k, bi);

	if (err) {
		kx_error("%s: %s", k->path, err == NOT_THIS_KIND ? "not a bzImage" : err);
		return -1;
	}
	if (o->real_mode || o->entry_32bit) {
		kx_error("%s: --real-mode/--entry-32bit are not supported: this loader enters the 64-bit kernel",
			 k->path);
		return -1;
	}
	return 0;
}

static int bz_load(const struct options *o, const struct kernel_image *k, struct plan *p)
{
	struct bz_info bi;
	struct linux_params lp;
	struct crash_setup cs = { 0 };
	uint64_t kaddr, bp_addr;
	char *cmdline;
	int rc = -1;

	if (bz_check(o, k, &bi) < 0)
		return -1;
	cmdline = loader_build_cmdline(o, p->crash);
	if (!cmdline)
		return -1;
	bz_linux_params(&bi, cmdline, &lp);
	if (p->crash &&
	    x86_crash_check_room(p, k->path, bi.hdr->init_size > bi.payload_len ? bi.hdr->init_size : bi.payload_len,
				 o->initrd) < 0)
		goto out;
	if (place_kernel(p, k, &bi, &kaddr) < 0 ||
	    x86_place_initrd(p, o, lp.initrd_addr_max, lp.initrd_above_4g_ok,
			     &lp.initrd_addr, &lp.initrd_size) < 0)
		goto out;
	if (p->crash) {
		if (x86_crash_prepare(p, o, cmdline, &cs) < 0)
			goto out;
		lp.cmdline = cs.cmdline;
		lp.e820 = &cs.e820;
	}
	if (x86_place_boot_params(p, o, &lp, &bp_addr) < 0 ||
	    x86_finish_linux64(p, o, kaddr + STARTUP_64_OFFSET, bp_addr, p->crash ? &cs : NULL) < 0)
		goto out;
	rc = 0;
out:
	x86_crash_free(&cs);
	free(cmdline);
	return rc;
}

/* The help lines come from the option table, like --help. */
static void bz_usage(void)
{
	options_usage_loader(OA_BZIMAGE64);
}

const struct file_type file_type_bzimage64 = {
	.name = "bzImage64",
	.probe = bz_probe,
	.load = bz_load,
	.usage = bz_usage,
	.file_load_ok = true,
};
