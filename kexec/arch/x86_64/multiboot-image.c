/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Multiboot images: where their bytes go (ELF program headers or the
 * header's address fields), and placing them, possibly moved. */
#include <elf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "file-pieces.h"
#include "file-types.h"
#include "multiboot-common.h"
#include "util.h"

/* The ELF header fields we need, whatever the class. */
struct elf_hdr {
	bool is64;
	uint64_t entry, phoff;
	unsigned phentsize, phnum;
};

static const char *read_ehdr(const uint8_t *b, size_t len, struct elf_hdr *h)
{
	if (len < EI_NIDENT || memcmp(b, ELFMAG, SELFMAG))
		return NOT_THIS_KIND;
	if (b[EI_DATA] != ELFDATA2LSB)
		return "big-endian ELF";
	/* Headers are copied out: the file's bytes carry no alignment. */
	if (b[EI_CLASS] == ELFCLASS32 && len >= sizeof(Elf32_Ehdr)) {
		Elf32_Ehdr e;

		memcpy(&e, b, sizeof(e));
		if (e.e_machine != EM_386)
			return "ELF32 file not for i386";
		*h = (struct elf_hdr){ false, e.e_entry, e.e_phoff, e.e_phentsize, e.e_phnum };
		return e.e_type == ET_EXEC ? NULL : "ELF file is not an executable (ET_EXEC)";
	}
	if (b[EI_CLASS] == ELFCLASS64 && len >= sizeof(Elf64_Ehdr)) {
		Elf64_Ehdr e;

		memcpy(&e, b, sizeof(e));
		if (e.e_machine != EM_X86_64)
			return "ELF64 file not for x86_64";
		*h = (struct elf_hdr){ true, e.e_entry, e.e_phoff, e.e_phentsize, e.e_phnum };
		return e.e_type == ET_EXEC ? NULL : "ELF file is not an executable (ET_EXEC)";
	}
	return "truncated or unknown-class ELF header";
}

static void read_phdr(const uint8_t *b, const struct elf_hdr *h, unsigned i,
		      uint32_t *type, struct mb_load *ld)
{
	/* e_phoff is any offset the file chose (odd ones too): copy, never cast. */
	const uint8_t *at = b + h->phoff + (uint64_t)i * h->phentsize;

	if (h->is64) {
		Elf64_Phdr p;

		memcpy(&p, at, sizeof(p));
		*type = p.p_type;
		*ld = (struct mb_load){ p.p_paddr, p.p_vaddr, p.p_offset, p.p_filesz, p.p_memsz };
	} else {
		Elf32_Phdr p;

		memcpy(&p, at, sizeof(p));
		*type = p.p_type;
		*ld = (struct mb_load){ p.p_paddr, p.p_vaddr, p.p_offset, p.p_filesz, p.p_memsz };
	}
}

static const char *add_load(struct mb_layout *l, const struct mb_load *ld, size_t len)
{
	unsigned i;

	if (ld->offset > len || ld->filesz > len - ld->offset)
		return "a PT_LOAD segment extends past the end of the file";
	if (ld->filesz > ld->memsz)
		return "a PT_LOAD segment has p_filesz larger than p_memsz";
	if (ld->memsz == 0)
		return NULL;
	if (ld->paddr + ld->memsz < ld->paddr || ld->paddr + ld->memsz > (1ULL << 52))
		return "a PT_LOAD segment lies beyond physical memory";
	if (l->nload == MB_MAX_LOADS)
		return "too many PT_LOAD segments";
	for (i = l->nload; i > 0 && l->load[i - 1].paddr > ld->paddr; i--)
		l->load[i] = l->load[i - 1];
	l->load[i] = *ld;
	l->nload++;
	return NULL;
}

/* e_entry may be virtual or physical: look it up both ways. */
static const char *find_entry(struct mb_layout *l, uint64_t e_entry)
{
	for (int phys = 0; phys < 2; phys++)
		for (unsigned i = 0; i < l->nload; i++) {
			const struct mb_load *ld = &l->load[i];
			uint64_t base = phys ? ld->paddr : ld->vaddr;

			if (e_entry >= base && e_entry - base < ld->memsz) {
				l->entry = ld->paddr + (e_entry - base);
				return NULL;
			}
		}
	return "the ELF entry point is outside every PT_LOAD segment";
}

const char *mb_elf_layout(const void *buf, size_t len, struct mb_layout *l)
{
	const uint8_t *b = buf;
	struct elf_hdr h;
	const char *why = read_ehdr(b, len, &h);
	size_t entsz;

	memset(l, 0, sizeof(*l));
	if (why)
		return why;
	entsz = h.is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	if (h.phnum == 0 || h.phentsize != entsz)
		return "bad ELF program header table";
	if (h.phoff > len || h.phnum > (len - h.phoff) / entsz)
		return "truncated ELF program headers";
	for (unsigned i = 0; i < h.phnum; i++) {
		struct mb_load ld;
		uint32_t type;

		read_phdr(b, &h, i, &type, &ld);
		if (type == PT_LOAD && (why = add_load(l, &ld, len)) != NULL)
			return why;
	}
	if (l->nload == 0)
		return "no PT_LOAD segments";
	for (unsigned i = 1; i < l->nload; i++)
		if (l->load[i].paddr < l->load[i - 1].paddr + l->load[i - 1].memsz)
			return "PT_LOAD segments overlap in physical memory";
	return find_entry(l, h.entry);
}

const char *mb_addr_layout(size_t len, size_t hdr_off, const struct mb_addr_fields *a,
			   struct mb_layout *l)
{
	uint64_t offset, end;

	memset(l, 0, sizeof(*l));
	/* load_addr maps to the file offset hdr_off - (header_addr - load_addr). */
	if (a->load_addr > a->header_addr || a->header_addr - a->load_addr > hdr_off)
		return "header address fields put the load address after the header";
	offset = hdr_off - (a->header_addr - a->load_addr);
	end = a->load_end_addr ? a->load_end_addr : a->load_addr + (len - offset);
	if (end < a->load_addr || end - a->load_addr > len - offset)
		return "load_end_addr lies beyond the end of the file";
	if (a->bss_end_addr && a->bss_end_addr < end)
		return "bss_end_addr lies before load_end_addr";
	l->load[0] = (struct mb_load){ a->load_addr, a->load_addr, offset, end - a->load_addr,
				       (a->bss_end_addr ? a->bss_end_addr : end) - a->load_addr };
	l->nload = 1;
	return NULL;
}

void mb_layout_span(const struct mb_layout *l, uint64_t *lo, uint64_t *hi)
{
	const struct mb_load *last = &l->load[l->nload - 1];

	*lo = l->load[0].paddr;
	*hi = last->paddr + last->memsz;
}

/* End of the group of loads from i that share pages (one segment each). */
static unsigned group_end(const struct mb_layout *l, unsigned i)
{
	unsigned j = i + 1;

	while (j < l->nload &&
	       ALIGN_DOWN(l->load[j].paddr, PAGE_SIZE_4K) <
		       ALIGN_UP(l->load[j - 1].paddr + l->load[j - 1].memsz, PAGE_SIZE_4K))
		j++;
	return j;
}

/* Loads [i, j) moved by delta: straight from the file when one load
 * starts the span, else copied (file bytes only, the rest zero fill). */
static int place_group(struct plan *p, const struct kernel_image *k, const struct mb_layout *l,
		       unsigned i, unsigned j, uint64_t start, uint64_t end, uint64_t delta)
{
	const struct mb_load *f = &l->load[i];
	struct file_piece pc[MB_MAX_LOADS];

	if (j == i + 1 && f->paddr == start) {
		const uint8_t *data = f->filesz ? (const uint8_t *)k->buf + f->offset : NULL;

		kx_debug("%s: image piece 0x%" PRIx64 "-0x%" PRIx64 " at 0x%" PRIx64, k->path,
			 start, end - 1, start + delta);
		return plan_place(p, &(struct placement){ .what = "kernel", .buf = data,
							  .bufsz = f->filesz, .memsz = end - start,
							  .fixed = true, .at = start + delta }, NULL);
	}
	for (unsigned m = i; m < j; m++)
		pc[m - i] = (struct file_piece){ l->load[m].paddr, l->load[m].offset, l->load[m].filesz };
	return place_file_pieces(p, k, "kernel", pc, j - i, start, end, delta);
}

static int check_span(const struct plan *p, const struct kernel_image *k,
		      uint64_t start, uint64_t end)
{
	const char *why = plan_span_problem(p, start, end);

	if (!why)
		return 0;
	kx_error("%s: image piece at 0x%" PRIx64 "-0x%" PRIx64 " %s", k->path, start, end - 1, why);
	return -1;
}

int mb_place_image(struct plan *p, const struct kernel_image *k,
		   const struct mb_layout *l, uint64_t delta)
{
	for (unsigned i = 0, j; i < l->nload; i = j) {
		uint64_t start, end;

		j = group_end(l, i);
		start = ALIGN_DOWN(l->load[i].paddr, PAGE_SIZE_4K);
		end = ALIGN_UP(l->load[j - 1].paddr + l->load[j - 1].memsz, PAGE_SIZE_4K);
		/* The machine first: nothing is copied for a span it cannot hold. */
		if (check_span(p, k, start + delta, end + delta) < 0 ||
		    place_group(p, k, l, i, j, start, end, delta) < 0)
			return -1;
	}
	return 0;
}
