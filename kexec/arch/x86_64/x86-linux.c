/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Linux/x86 boot protocol pieces shared by the x86_64 loaders: initrd
 * placement, the zero page with its command line and setup_data, and the
 * jump through purgatory into the 64-bit entry. */
#include <asm/bootparam.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "purgatory.h"
#include "util.h"
#include "x86-efi.h"
#include "x86-linux.h"

/* setup_data type 9 (Linux 6.0+ headers name it; older UAPI headers,
 * e.g. Debian 11's, do not). */
#ifndef SETUP_RNG_SEED
#define SETUP_RNG_SEED 9
#endif

#define LOADER_TYPE_KEXEC 0xD0
#define RNG_SEED_LEN 32

int x86_place_initrd(struct plan *p, const struct options *o,
		     uint64_t limit_inclusive, bool above_4g_ok,
		     uint64_t *addr, uint64_t *size)
{
	struct stat st;
	uint64_t max = above_4g_ok ? 0 : limit_inclusive;
	int fd;

	*addr = *size = 0;
	if (!o->initrd)
		return 0;
	fd = open(o->initrd, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		kx_error("%s: cannot open initrd: %s", o->initrd, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
		kx_error("%s: %s", o->initrd, fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ?
			 "empty initrd" : "initrd is not a regular file");
		close(fd);
		return -1;
	}
	/* Low and just above the kernel: 16 MiB up, bottom-up (below 16 MiB
	 * only if nothing else fits). Xen 4.17 frees images wrongly when
	 * their destinations sit where it allocates its own copies (top of
	 * RAM), so we never default to the top. */
	if (plan_find_hole(p, (uint64_t)st.st_size, PAGE_SIZE_4K, 16 * MiB, max, false,
			   addr, "initrd") < 0 &&
	    plan_find_hole(p, (uint64_t)st.st_size, PAGE_SIZE_4K, MiB, max, false,
			   addr, "initrd") < 0) {
		char note[96];

		kx_error("%s: the initrd (%" PRIu64 " MiB) does not fit in %s memory%s%s",
			 o->initrd, ((uint64_t)st.st_size + MiB - 1) / MiB,
			 p->crash ? "the crash kernel's" : "free",
			 max ? " below the kernel's initrd limit" : "",
			 plan_limit_note(p, note, sizeof(note)));
		close(fd);
		return -1;
	}
	if (plan_place(p, &(struct placement){ .what = "initrd", .from_file = true, .fd = fd,
					       .owns_fd = true, .bufsz = (size_t)st.st_size,
					       .memsz = (uint64_t)st.st_size, .fixed = true,
					       .at = *addr }, NULL) < 0)
		return -1;
	*size = (uint64_t)st.st_size;
	return 0;
}

/* Copy the bzImage's setup header into the zero page. Its length is given
 * by the jump at 0x200: the header ends at 0x202 + that byte. */
static void copy_setup_header(struct boot_params *bp, const struct linux_params *lp)
{
	size_t max = sizeof(bp->hdr), n = lp->setup_hdr_len;

	if (n > max)
		n = max;
	memcpy(&bp->hdr, lp->setup_hdr, n);
}

static void minimal_setup_header(struct boot_params *bp)
{
	bp->hdr.boot_flag = 0xAA55;
	bp->hdr.header = 0x53726448; /* "HdrS" */
	bp->hdr.version = 0x020f;
	bp->hdr.loadflags = LOADED_HIGH;
	bp->hdr.cmdline_size = 2047;
}

/* Video: what the running kernel was given, when it can tell us. */
static void fill_screen_info(struct boot_params *bp)
{
	struct boot_params *cur = malloc(sizeof(*cur));
	int fd = open("/sys/kernel/boot_params/data", O_RDONLY | O_CLOEXEC);

	if (cur && fd >= 0 && read(fd, cur, sizeof(*cur)) == (ssize_t)sizeof(*cur) &&
	    cur->screen_info.orig_video_isVGA) {
		bp->screen_info = cur->screen_info;
	} else {
		/* 80x25 colour text, the PC default. */
		bp->screen_info.orig_video_mode = 3;
		bp->screen_info.orig_video_cols = 80;
		bp->screen_info.orig_video_lines = 25;
		bp->screen_info.orig_video_isVGA = 1;
		bp->screen_info.orig_video_points = 16;
	}
	if (fd >= 0)
		close(fd);
	free(cur);
}

static uint64_t ram_above(const struct mem_map *m, uint64_t base, uint64_t cap)
{
	uint64_t total = 0;

	for (size_t i = 0; i < m->n; i++) {
		uint64_t s = m->r[i].start, e = m->r[i].end;

		if (m->r[i].type != MEM_RAM || e <= base)
			continue;
		if (s < base)
			s = base;
		if (s < cap)
			total += (e < cap ? e : cap) - s;
	}
	return total;
}

struct bp_layout {
	size_t cmdline_off, cmdline_len;
	size_t e820ext_off, e820ext_n;
	size_t efi_off, efi_len;  /* efi_len 0: no EFI handoff */
	size_t rng_off;
	size_t total;
};

static void layout_boot_params(const struct linux_params *lp,
			       const struct mem_map *ram, size_t efi_len,
			       struct bp_layout *l)
{
	size_t off;

	memset(l, 0, sizeof(*l));
	l->cmdline_off = sizeof(struct boot_params);
	l->cmdline_len = strlen(lp->cmdline);
	/* 64 bytes of slack for a jump-back entry appended by purgatory. */
	off = ALIGN_UP(l->cmdline_off + l->cmdline_len + 1 + 64, 16);
	if (ram->n > E820_MAX_ENTRIES_ZEROPAGE) {
		l->e820ext_off = off;
		l->e820ext_n = ram->n - E820_MAX_ENTRIES_ZEROPAGE;
		off = ALIGN_UP(off + sizeof(struct setup_data) +
			       l->e820ext_n * sizeof(struct boot_e820_entry), 16);
	}
	l->efi_off = off;
	l->efi_len = efi_len;
	off += efi_len;
	l->rng_off = off;
	off += sizeof(struct setup_data) + RNG_SEED_LEN;
	l->total = ALIGN_UP(off, 16);
}

static void fill_e820(struct boot_params *bp, const struct mem_map *ram,
		      char *buf, uint64_t base, const struct bp_layout *l,
		      uint64_t *chain)
{
	size_t i, n = ram->n < E820_MAX_ENTRIES_ZEROPAGE ? ram->n : E820_MAX_ENTRIES_ZEROPAGE;

	for (i = 0; i < n; i++) {
		bp->e820_table[i].addr = ram->r[i].start;
		bp->e820_table[i].size = ram->r[i].end - ram->r[i].start;
		bp->e820_table[i].type = ram->r[i].type;
	}
	bp->e820_entries = (uint8_t)n;
	if (l->e820ext_n) {
		struct setup_data *sd = (struct setup_data *)(buf + l->e820ext_off);
		struct boot_e820_entry *e = (struct boot_e820_entry *)sd->data;

		for (i = 0; i < l->e820ext_n; i++) {
			const struct mem_range *r = &ram->r[n + i];

			e[i].addr = r->start;
			e[i].size = r->end - r->start;
			e[i].type = r->type;
		}
		sd->type = SETUP_E820_EXT;
		sd->len = (uint32_t)(l->e820ext_n * sizeof(*e));
		sd->next = *chain;
		*chain = base + l->e820ext_off;
	}
}

static void fill_rng_seed(char *buf, uint64_t base, const struct bp_layout *l,
			  uint64_t *chain)
{
	struct setup_data *sd = (struct setup_data *)(buf + l->rng_off);

	/* A seed the next kernel can credit early; skipped if the pool is
	 * not ready (never block a kdump load on entropy). */
	if (getrandom(sd->data, RNG_SEED_LEN, GRND_NONBLOCK) != RNG_SEED_LEN)
		return;
	sd->type = SETUP_RNG_SEED;
	sd->len = RNG_SEED_LEN;
	sd->next = *chain;
	*chain = base + l->rng_off;
}

/* The header fields: who loaded it, where the command line and initrd
 * are (with their high 32 bits), memory sizes, ACPI. */
static void fill_header(struct boot_params *bp, const struct linux_params *lp,
			const struct mem_map *ram, uint64_t cmdline, uint64_t rsdp)
{
	if (lp->setup_hdr)
		copy_setup_header(bp, lp);
	else
		minimal_setup_header(bp);
	bp->hdr.type_of_loader = LOADER_TYPE_KEXEC;
	bp->hdr.hardware_subarch = X86_SUBARCH_PC; /* native, even from a Xen dom0 */
	bp->hdr.cmd_line_ptr = (uint32_t)cmdline;
	bp->ext_cmd_line_ptr = (uint32_t)(cmdline >> 32);
	bp->hdr.ramdisk_image = (uint32_t)lp->initrd_addr;
	bp->ext_ramdisk_image = (uint32_t)(lp->initrd_addr >> 32);
	bp->hdr.ramdisk_size = (uint32_t)lp->initrd_size;
	bp->ext_ramdisk_size = (uint32_t)(lp->initrd_size >> 32);
	bp->acpi_rsdp_addr = rsdp;
	bp->alt_mem_k = (uint32_t)(ram_above(ram, MiB, UINT64_MAX) >> 10);
	fill_screen_info(bp);
	bp->screen_info.ext_mem_k = (uint16_t)(ram_above(ram, MiB, 64 * MiB) >> 10);
}

int x86_place_boot_params(struct plan *p, const struct options *o,
			  const struct linux_params *lp, uint64_t *bp_addr)
{
	const struct mem_map *ram = lp->e820 ? lp->e820 : &p->machine->ram;
	struct bp_layout l;
	struct boot_params *bp;
	uint64_t base, chain = 0;
	char *buf;

	layout_boot_params(lp, ram, x86_efi_size(&p->machine->efi, o, lp), &l);
	if (l.cmdline_len > lp->cmdline_size) {
		kx_error("command line too long: %zu bytes, the kernel takes at most %u",
			 l.cmdline_len, lp->cmdline_size);
		return -1;
	}
	/* Below 4 GiB: the 32-bit fields of old kernels must reach it. */
	if (plan_find_hole(p, l.total, PAGE_SIZE_4K, MiB, 4 * GiB - 1, false, &base,
			   "boot parameters") < 0 &&
	    plan_find_hole(p, l.total, PAGE_SIZE_4K, MiB, 0, false, &base,
			   "boot parameters") < 0) {
		char note[96];

		kx_error("no room for the boot parameters (%zu bytes)%s", l.total,
			 plan_limit_note(p, note, sizeof(note)));
		return -1;
	}
	buf = kx_calloc(1, l.total);
	if (!buf || plan_own(p, buf) < 0) {
		free(buf);
		return -1;
	}
	bp = (struct boot_params *)buf;
	memcpy(buf + l.cmdline_off, lp->cmdline, l.cmdline_len + 1);
	fill_header(bp, lp, ram, base + l.cmdline_off, p->machine->acpi_rsdp);
	fill_e820(bp, ram, buf, base, &l, &chain);
	if (l.efi_len)
		x86_efi_fill(bp, &p->machine->efi, buf + l.efi_off, base + l.efi_off, &chain);
	fill_rng_seed(buf, base, &l, &chain);
	bp->hdr.setup_data = chain;
	if (plan_place(p, &(struct placement){ .what = "boot parameters", .buf = buf,
					       .bufsz = l.total, .memsz = l.total, .fixed = true,
					       .at = base }, NULL) < 0)
		return -1;
	*bp_addr = base;
	return 0;
}

/* With --load-preserve-context, purgatory appends the jump-back address
 * to the command line, in the slack left after it. */
static uint64_t cmdline_end(const struct plan *p, uint64_t bp_addr)
{
	for (unsigned i = 0; i < p->nseg; i++) {
		const struct segment *s = &p->seg[i];

		if (s->mem == bp_addr && s->buf && s->bufsz > sizeof(struct boot_params))
			return bp_addr + sizeof(struct boot_params) +
			       strlen((const char *)s->buf + sizeof(struct boot_params));
	}
	return 0;
}

int x86_finish_linux64(struct plan *p, const struct options *o,
		       uint64_t entry, uint64_t bp_addr, const struct crash_setup *cs)
{
	struct purgatory_params *pp;
	uint64_t stack;

	/* The kernel must find the low 1 MiB identity mapped, as it does after
	 * every firmware and after Linux's own kexec (which maps all RAM).
	 * Decompressors with 5-level paging support, up to 6.5 (and 5.10.y
	 * still), look for room for their paging trampoline before they build
	 * page tables of their own: they read the BIOS data area words at
	 * 0x40e and 0x413, save, fill and run a trampoline in conventional
	 * memory below the EBDA, all with the page tables they were entered
	 * with and an IDT that has no page-fault handler. Xen identity maps a
	 * default image's segments only (v1 images get 0-1 MiB from Xen, crash
	 * images map their backup source), so without this 5.10 faulted
	 * reading 0x413 and the CPU reset silently. Later decompressors skip
	 * the trampoline when the paging depth does not change. */
	if (plan_touch(p, 0, MiB) < 0)
		return -1;
	/* The 64-bit exit works from anywhere: a crash region may lie above
	 * 4 GiB (crashkernel=...,high). */
	pp = purgatory_place(p, o, MiB, p->crash ? 0 : 4 * GiB - 1, false, &stack);
	if (!pp)
		return -1;
	if (o->load_preserve_context)
		pp->cmdline_end = cmdline_end(p, bp_addr);
	if (cs && cs->backup_size) {
		pp->backup_src = cs->backup_src;
		pp->backup_dst = cs->backup_dst;
		pp->backup_size = cs->backup_size;
	}
	pp->entry_mode = PURGATORY_ENTRY_64;
	memset(&pp->regs64, 0, sizeof(pp->regs64));
	pp->regs64.rsi = bp_addr;
	pp->regs64.rip = entry;
	pp->regs64.rsp = stack;
	return purgatory_seal(p, pp, o->no_checks);
}
