/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ELF64 x86_64 executables (vmlinux and bare payloads): every PT_LOAD goes
 * to its physical address, then the entry is reached through purgatory in
 * one of three styles: Linux boot_params (--args-linux), ELF boot notes
 * (--args-elf) or nothing at all (--args-none). */
#include <gelf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cmdline.h"
#include "file-pieces.h"
#include "file-types.h"
#include "option-table.h"
#include "purgatory.h"
#include "util.h"
#include "x86-linux.h"

/* A vmlinux has four or five; anything far beyond that is not a kernel. */
#define ELF_MAX_LOADS 32

/* ELF boot notes (the Etherboot/LinuxBIOS "ELF boot" convention). */
#define ELF_BOOT_MAGIC 0x0E1FB007u
#define EBN_BOOTLOADER_NAME 2
#define EBN_BOOTLOADER_VERSION 3
#define EBN_COMMAND_LINE 4
#define EBN_LOADED_IMAGE 5

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

struct elf_load {
	uint64_t paddr, vaddr, offset, filesz, memsz;
	uint32_t flags;
};

struct elf_info {
	uint64_t entry; /* physical */
	struct elf_load load[ELF_MAX_LOADS]; /* sorted by paddr */
	unsigned nload;
	bool is_linux;
};

/* ---------------------------------------------------------------- probe */

static const char *arch_reason(unsigned machine)
{
	switch (machine) {
	case EM_386: return "ELF for i386, not x86_64";
	case EM_AARCH64: return "ELF for aarch64, not x86_64";
	case EM_ARM: return "ELF for arm, not x86_64";
	case EM_PPC: return "ELF for ppc, not x86_64";
	case EM_PPC64: return "ELF for ppc64, not x86_64";
	case EM_S390: return "ELF for s390, not x86_64";
	case EM_RISCV: return "ELF for riscv, not x86_64";
	case EM_MIPS: return "ELF for mips, not x86_64";
	case EM_SPARCV9: return "ELF for sparc64, not x86_64";
	case EM_IA_64: return "ELF for ia64, not x86_64";
	case 258: return "ELF for loongarch, not x86_64"; /* EM_LOONGARCH */
	default: return "ELF for another architecture, not x86_64";
	}
}

/* The identification bytes, read by hand so that libelf only ever sees
 * native-endian ELF64 (it then reads the buffer in place, never writes). */
static int check_ident(const uint8_t *b, size_t len, const char **why)
{
	unsigned machine;

	if (len < EI_NIDENT || memcmp(b, ELFMAG, SELFMAG))
		return -1;
	if (len < 20) {
		*why = "truncated ELF header";
		return -1;
	}
	machine = b[EI_DATA] == ELFDATA2MSB ? (unsigned)b[18] << 8 | b[19]
					    : (unsigned)b[19] << 8 | b[18];
	if (machine != EM_X86_64) {
		*why = arch_reason(machine);
		return -1;
	}
	if (b[EI_CLASS] != ELFCLASS64) {
		*why = "not ELFCLASS64 (a 32-bit ELF container)";
		return -1;
	}
	if (b[EI_DATA] != ELFDATA2LSB) {
		*why = "big-endian ELF, x86_64 is little-endian";
		return -1;
	}
	if (len < sizeof(Elf64_Ehdr)) {
		*why = "truncated ELF header";
		return -1;
	}
	return 0;
}

static const char *type_reason(unsigned type)
{
	switch (type) {
	case ET_REL: return "relocatable object (ET_REL), not an executable";
	case ET_DYN: return "shared object or PIE (ET_DYN), not an ET_EXEC executable";
	case ET_CORE: return "core dump (ET_CORE), not an executable";
	default: return "unknown ELF type, not an ET_EXEC executable";
	}
}

static bool note_data_is_linux(Elf_Data *d)
{
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;

	while (d && (next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_namesz == 6 && !memcmp((char *)d->d_buf + name_off, "Linux", 6))
			return true;
		off = next;
	}
	return false;
}

static bool note_range_is_linux(Elf *e, uint64_t off, uint64_t size, uint64_t align)
{
	Elf_Data *d = elf_getdata_rawchunk(e, (int64_t)off, size,
					   align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR);

	return note_data_is_linux(d);
}

/* A Linux vmlinux carries "Linux" ELF notes (build salt, since 4.20) and,
 * with modules, an exported symbol table. Either is enough; neither shows
 * up in other payloads (Xen, boot loaders, test kernels). */
static bool sections_say_linux(Elf *e)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(e, &shstrndx) != 0)
		return false;
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			return false;
		if (sh.sh_type == SHT_NOTE && sh.sh_size &&
		    note_range_is_linux(e, sh.sh_offset, sh.sh_size, sh.sh_addralign))
			return true;
		name = elf_strptr(e, shstrndx, sh.sh_name);
		if (name && (!strcmp(name, "__ksymtab") || !strcmp(name, "__ksymtab_strings")))
			return true;
	}
	return false;
}

static const char *add_load(struct elf_info *in, const GElf_Phdr *ph, size_t len)
{
	struct elf_load *l;
	unsigned i;

	if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
		return "a PT_LOAD segment extends past the end of the file";
	if (ph->p_filesz > ph->p_memsz)
		return "a PT_LOAD segment has p_filesz larger than p_memsz";
	if (ph->p_memsz == 0)
		return NULL; /* occupies nothing */
	if (ph->p_paddr + ph->p_memsz < ph->p_paddr || ph->p_paddr + ph->p_memsz > UINT64_MAX - 4096)
		return "a PT_LOAD segment wraps around the physical address space";
	if (in->nload == ELF_MAX_LOADS)
		return "too many PT_LOAD segments (more than 32)";
	/* Insertion keeps them sorted by physical address. */
	for (i = in->nload; i > 0 && in->load[i - 1].paddr > ph->p_paddr; i--)
		in->load[i] = in->load[i - 1];
	l = &in->load[i];
	*l = (struct elf_load){ .paddr = ph->p_paddr, .vaddr = ph->p_vaddr,
				.offset = ph->p_offset, .filesz = ph->p_filesz,
				.memsz = ph->p_memsz, .flags = ph->p_flags };
	in->nload++;
	return NULL;
}

static const char *read_phdrs(Elf *e, const GElf_Ehdr *eh, size_t len,
			      struct elf_info *in)
{
	size_t n = eh->e_phnum;

	/* libelf quietly reports 0 headers when they run past the end, so
	 * bound-check the count from the header ourselves. */
	if (n == PN_XNUM && elf_getphdrnum(e, &n) != 0)
		return "unreadable program header count";
	if (n == 0)
		return "no program headers";
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return "bad program header entry size";
	if (eh->e_phoff > len || n > (len - eh->e_phoff) / sizeof(Elf64_Phdr))
		return "truncated program headers";
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		const char *why;

		if (!gelf_getphdr(e, (int)i, &ph))
			return "truncated program headers";
		if (ph.p_type == PT_NOTE && !in->is_linux && ph.p_filesz &&
		    ph.p_offset <= len && ph.p_filesz <= len - ph.p_offset)
			in->is_linux = note_range_is_linux(e, ph.p_offset, ph.p_filesz, ph.p_align);
		if (ph.p_type == PT_LOAD && (why = add_load(in, &ph, len)) != NULL)
			return why;
	}
	if (in->nload == 0)
		return "no PT_LOAD segments";
	for (unsigned i = 1; i < in->nload; i++)
		if (in->load[i].paddr < in->load[i - 1].paddr + in->load[i - 1].memsz)
			return "PT_LOAD segments overlap in physical memory";
	return NULL;
}

/* e_entry is virtual in most images (physical in vmlinux): look for it in
 * an executable segment first, as a virtual then as a physical address. */
static const char *find_entry(struct elf_info *in, uint64_t e_entry)
{
	for (int pass = 0; pass < 4; pass++) {
		bool phys = pass & 1, need_x = pass < 2;

		for (unsigned i = 0; i < in->nload; i++) {
			const struct elf_load *l = &in->load[i];
			uint64_t base = phys ? l->paddr : l->vaddr;

			if (need_x && !(l->flags & PF_X))
				continue;
			if (e_entry >= base && e_entry - base < l->memsz) {
				in->entry = l->paddr + (e_entry - base);
				return NULL;
			}
		}
	}
	return "the entry point is outside every PT_LOAD segment";
}

/* Returns 0 when k is a usable ELF64 x86_64 executable; otherwise -1, with
 * *why set when it is one but broken. */
static int elf_parse(const struct kernel_image *k, struct elf_info *in, const char **why)
{
	Elf *e;
	GElf_Ehdr eh;
	const char *bad = NULL;

	memset(in, 0, sizeof(*in));
	if (check_ident(k->buf, k->len, why) < 0)
		return -1;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		*why = "libelf is unusable";
		return -1;
	}
	e = elf_memory((char *)k->buf, k->len);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh))
		bad = "unreadable ELF header";
	else if (eh.e_type != ET_EXEC)
		bad = type_reason(eh.e_type);
	else if ((bad = read_phdrs(e, &eh, k->len, in)) == NULL)
		bad = find_entry(in, eh.e_entry);
	if (!bad && !in->is_linux)
		in->is_linux = sections_say_linux(e);
	elf_end(e);
	if (bad) {
		*why = bad;
		return -1;
	}
	return 0;
}

static int elf_x86_64_probe(const struct kernel_image *k, const char **why)
{
	struct elf_info in;

	return elf_parse(k, &in, why);
}

/* ---------------------------------------------------------------- segments */

static uint64_t load_end(const struct elf_load *l)
{
	return l->paddr + l->memsz;
}

/* PT_LOADs [i, j) can be one segment straight out of the file: the same
 * file-to-memory offset, no zero fill except after the last, and the bytes
 * before the first (down to its page start) exist in the file. */
static bool zero_copy_ok(const struct elf_info *in, unsigned i, unsigned j)
{
	const struct elf_load *f = &in->load[i];
	uint64_t lead = f->paddr & (PAGE_SIZE_4K - 1);

	if (f->offset < lead)
		return false;
	for (unsigned m = i + 1; m < j; m++) {
		const struct elf_load *a = &in->load[m - 1], *b = &in->load[m];

		if (a->filesz != a->memsz || b->offset - a->offset != b->paddr - a->paddr ||
		    b->offset < a->offset)
			return false;
	}
	return true;
}

/* End of the group starting at i: PT_LOADs sharing a page must share a
 * segment; ones that merely touch are merged only when that costs no copy. */
static unsigned group_end(const struct elf_info *in, unsigned i)
{
	unsigned j = i + 1;

	for (; j < in->nload; j++) {
		uint64_t prev_end = ALIGN_UP(load_end(&in->load[j - 1]), PAGE_SIZE_4K);
		uint64_t start = ALIGN_DOWN(in->load[j].paddr, PAGE_SIZE_4K);

		if (start > prev_end || (start == prev_end && !zero_copy_ok(in, i, j + 1)))
			break;
	}
	return j;
}

static int check_limits(const struct options *o, const struct kernel_image *k,
			uint64_t start, uint64_t end)
{
	if (start >= o->mem_min && (!o->mem_max || end - 1 <= o->mem_max))
		return 0;
	kx_error("%s: PT_LOAD at 0x%" PRIx64 "-0x%" PRIx64 " is outside --mem-min/--mem-max "
		 "(0x%" PRIx64 "-0x%" PRIx64 "); an ELF image cannot be moved", k->path,
		 start, end - 1, o->mem_min, o->mem_max ? o->mem_max : UINT64_MAX);
	return -1;
}

/* Before any buffer is sized by the header's p_memsz: a bad image must
 * cost an error line, not an allocation of the size it claims. */
static int check_span(const struct kernel_image *k, const struct plan *p,
		      uint64_t start, uint64_t end)
{
	const char *why = plan_span_problem(p, start, end);

	if (!why)
		return 0;
	kx_error("%s: PT_LOAD at 0x%" PRIx64 "-0x%" PRIx64 " %s", k->path, start, end - 1, why);
	return -1;
}

/* PT_LOADs [i, j) copied out of the file: file bytes only, the rest is
 * zero fill (place_file_pieces). */
static int compose_group(const struct kernel_image *k, const struct elf_info *in,
			 unsigned i, unsigned j, uint64_t start, uint64_t end, struct plan *p)
{
	struct file_piece pc[ELF_MAX_LOADS];

	for (unsigned m = i; m < j; m++)
		pc[m - i] = (struct file_piece){ in->load[m].paddr, in->load[m].offset,
						 in->load[m].filesz };
	kx_debug("%s: PT_LOAD %u-%u at 0x%" PRIx64 "-0x%" PRIx64 " (copied)", k->path, i, j - 1,
		 start, end - 1);
	return place_file_pieces(p, k, "kernel", pc, j - i, start, end, 0);
}

/* PT_LOADs [i, j) as one segment ending at end (page aligned). */
static int add_group(const struct options *o, const struct kernel_image *k,
		     const struct elf_info *in, unsigned i, unsigned j,
		     uint64_t end, struct plan *p)
{
	uint64_t start = ALIGN_DOWN(in->load[i].paddr, PAGE_SIZE_4K);
	uint64_t data_end = start;
	const void *buf = NULL;

	for (unsigned m = i; m < j; m++)
		if (in->load[m].paddr + in->load[m].filesz > data_end)
			data_end = in->load[m].paddr + in->load[m].filesz;
	if (check_limits(o, k, start, end) < 0 || check_span(k, p, start, end) < 0)
		return -1;
	if (data_end > start && !zero_copy_ok(in, i, j))
		return compose_group(k, in, i, j, start, end, p);
	if (data_end > start)
		buf = (const uint8_t *)k->buf + in->load[i].offset - (in->load[i].paddr - start);
	kx_debug("%s: PT_LOAD %u-%u at 0x%" PRIx64 "-0x%" PRIx64, k->path, i, j - 1, start, end - 1);
	return plan_place(p, &(struct placement){ .what = "kernel", .buf = buf,
						  .bufsz = (size_t)(data_end - start),
						  .memsz = end - start, .fixed = true, .at = start }, NULL);
}

/* Linux treats everything from its first to its last PT_LOAD as its image
 * (it reserves [_text, _end) and later frees the gaps between sections
 * itself), so nothing else may be placed in those gaps: for a Linux image
 * each segment's zero fill runs up to the next one. No extra segments, no
 * copies. Other payloads keep their gaps free. */
static int place_loads(const struct options *o, const struct kernel_image *k,
		       const struct elf_info *in, bool fill_gaps, struct plan *p)
{
	for (unsigned i = 0, j; i < in->nload; i = j) {
		uint64_t end;

		j = group_end(in, i);
		end = ALIGN_UP(load_end(&in->load[j - 1]), PAGE_SIZE_4K);
		if (fill_gaps && j < in->nload)
			end = ALIGN_DOWN(in->load[j].paddr, PAGE_SIZE_4K);
		if (add_group(o, k, in, i, j, end, p) < 0)
			return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- entry */

/* Purgatory jumps to entry in 64-bit mode with these registers. */
static int finish_plain(struct plan *p, const struct options *o, uint64_t entry,
			uint64_t rax, uint64_t arg)
{
	struct purgatory_params *pp;
	uint64_t stack;

	pp = purgatory_place(p, o, MiB, 4 * GiB - 1, false, &stack);
	if (!pp)
		return -1;
	pp->entry_mode = PURGATORY_ENTRY_64;
	memset(&pp->regs64, 0, sizeof(pp->regs64));
	pp->regs64.rax = rax;
	pp->regs64.rbx = arg;
	pp->regs64.rdi = arg;
	pp->regs64.rip = entry;
	pp->regs64.rsp = stack; /* a valid stack costs nothing */
	return purgatory_seal(p, pp, o->no_checks);
}

static int boot_linux(struct plan *p, const struct options *o, uint64_t entry)
{
	struct linux_params lp = {
		.setup_hdr = NULL,
		.cmdline_size = 2048 - 1,
		.initrd_addr_max = 0xffffffff,
		.initrd_above_4g_ok = false, /* no xloadflags to tell us */
	};
	char *cmdline;
	uint64_t bp_addr;
	int rc;

	/* A vmlinux runs at its link address, which is not in the crash
	 * region; the bzImage is relocatable and is what -p needs. */
	if (p->crash) {
		kx_error("-p: load the bzImage as the capture kernel; an ELF vmlinux cannot be placed in the crash region");
		return -1;
	}
	cmdline = loader_build_cmdline(o, p->crash);
	if (!cmdline)
		return -1;
	lp.cmdline = cmdline;
	rc = x86_place_initrd(p, o, lp.initrd_addr_max, lp.initrd_above_4g_ok,
			      &lp.initrd_addr, &lp.initrd_size);
	if (rc == 0)
		rc = x86_place_boot_params(p, o, &lp, &bp_addr);
	free(cmdline);
	if (rc < 0)
		return -1;
	return x86_finish_linux64(p, o, entry, bp_addr, NULL);
}

static size_t note_size(size_t desc_len)
{
	return 3 * sizeof(uint32_t) + ALIGN_UP(desc_len, 4);
}

static uint8_t *put_note(uint8_t *at, uint32_t type, const char *desc)
{
	uint32_t hdr[3] = { 0, (uint32_t)strlen(desc) + 1, type };

	memcpy(at, hdr, sizeof(hdr));
	memcpy(at + sizeof(hdr), desc, hdr[1]);
	return at + note_size(hdr[1]);
}

/* Internet checksum (RFC 1071) over the notes, as the convention wants. */
static uint16_t ip_checksum(const uint8_t *b, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] | (uint32_t)b[i + 1] << 8;
	if (len & 1)
		sum += b[len - 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Header (signature, size, checksum, record count), then one note per
 * record with an empty name: the "standard" EBN_* notes. */
static uint8_t *build_boot_notes(const char *cmdline, const char *image, size_t *len)
{
	const char *loader = "kexec-tools-ng", *version = PACKAGE_VERSION;
	size_t n = 12 + note_size(strlen(loader) + 1) + note_size(strlen(version) + 1) +
		   note_size(strlen(cmdline) + 1) + note_size(strlen(image) + 1);
	uint8_t *buf = kx_calloc(1, n), *at;
	uint32_t sig = ELF_BOOT_MAGIC, size = (uint32_t)n;
	uint16_t records = 4, sum;

	if (!buf)
		return NULL;
	memcpy(buf, &sig, 4);
	memcpy(buf + 4, &size, 4);
	memcpy(buf + 10, &records, 2);
	at = put_note(buf + 12, EBN_BOOTLOADER_NAME, loader);
	at = put_note(at, EBN_BOOTLOADER_VERSION, version);
	at = put_note(at, EBN_COMMAND_LINE, cmdline);
	put_note(at, EBN_LOADED_IMAGE, image);
	sum = ip_checksum(buf, n);
	memcpy(buf + 8, &sum, 2);
	*len = n;
	return buf;
}

static int boot_elf_notes(struct plan *p, const struct options *o,
			  const struct kernel_image *k, uint64_t entry)
{
	char *cmdline = loader_build_cmdline(o, p->crash);
	uint8_t *notes;
	size_t len;
	uint64_t addr;

	if (!cmdline)
		return -1;
	notes = build_boot_notes(cmdline, k->path, &len);
	free(cmdline);
	if (!notes)
		return -1;
	if (plan_own(p, notes) < 0) {
		free(notes);
		return -1;
	}
	/* Below 4 GiB: 32-bit payloads read the pointer from ebx. */
	if (plan_place(p, &(struct placement){ .what = "ELF boot notes", .buf = notes, .bufsz = len,
					       .min = MiB, .max = 4 * GiB - 1 }, &addr) < 0)
		return -1;
	return finish_plain(p, o, entry, ELF_BOOT_MAGIC, addr);
}

/* ---------------------------------------------------------------- load */

static enum elf_args arg_style(const struct options *o, const struct elf_info *in)
{
	if (o->elf_args != ELF_ARGS_DEFAULT)
		return o->elf_args;
	return in->is_linux ? ELF_ARGS_LINUX : ELF_ARGS_ELF;
}

static int check_style_options(const struct options *o, const struct kernel_image *k,
			       enum elf_args style)
{
	const char *name = style == ELF_ARGS_NONE ? "--args-none" : "--args-elf";

	if (style == ELF_ARGS_LINUX)
		return 0;
	if (o->initrd) {
		kx_error("%s: a ramdisk cannot be passed with %s (only with --args-linux)",
			 k->path, name);
		return -1;
	}
	if (style == ELF_ARGS_NONE && (o->command_line || o->reuse_cmdline)) {
		kx_error("%s: a command line cannot be passed with --args-none", k->path);
		return -1;
	}
	return 0;
}

static int elf_x86_64_load(const struct options *o, const struct kernel_image *k,
			   struct plan *p)
{
	struct elf_info in;
	const char *why = NULL;
	enum elf_args style;
	uint64_t entry;

	if (elf_parse(k, &in, &why) < 0) {
		kx_error("%s: %s", k->path, why ? why : "not an ELF64 x86_64 executable");
		return -1;
	}
	style = arg_style(o, &in);
	entry = o->entry_given ? o->entry : in.entry;
	kx_debug("%s: ELF %s, entry 0x%" PRIx64 ", %u PT_LOADs", k->path,
		 in.is_linux ? "Linux kernel" : "payload", entry, in.nload);
	if (check_style_options(o, k, style) < 0 ||
	    place_loads(o, k, &in, in.is_linux || style == ELF_ARGS_LINUX, p) < 0)
		return -1;
	p->arch = EM_X86_64;
	if (style == ELF_ARGS_LINUX)
		return boot_linux(p, o, entry);
	if (style == ELF_ARGS_ELF)
		return boot_elf_notes(p, o, k, entry);
	return finish_plain(p, o, entry, 0, 0);
}

/* The help lines come from the option table, like --help. */
static void elf_x86_64_usage(void)
{
	options_usage_loader(OA_ELF);
}

const struct file_type file_type_elf_x86_64 = {
	.name = "elf-x86_64",
	.probe = elf_x86_64_probe,
	.load = elf_x86_64_load,
	.usage = elf_x86_64_usage,
	.file_load_ok = false,
};
