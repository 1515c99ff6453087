/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purgatory's C part: runs between the old world (Linux or Xen) and the
 * new image. It checks the image against the digest the loader computed,
 * does the crash-kernel backup copy, and hands over to the entry code. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "console.h"
#include "cpu.h"
#include "entry.h"
#include "layout.h"
#include "purgatory-string.h"
#include "region-digest.h"
#include "vga.h"

/* entry64.S uses layout.h instead of purgatory-abi.h: keep them in step. */
#define PP_AT(field, off) \
	_Static_assert(__builtin_offsetof(struct purgatory_params, field) == (off), #field)
#define R64_AT(field, off) \
	_Static_assert(__builtin_offsetof(struct purgatory_regs64, field) == (off), #field)
#define R32_AT(field, off) \
	_Static_assert(__builtin_offsetof(struct purgatory_regs32, field) == (off), #field)
_Static_assert(sizeof(struct purgatory_params) == PP_SIZE, "params size");
_Static_assert(PURGATORY_PARAMS_OFFSET == PP_BLOB_OFFSET, "params offset");
_Static_assert(PURGATORY_MAGIC == PP_MAGIC, "magic");
_Static_assert(PURGATORY_VERSION == PP_VERSION, "version");
PP_AT(magic, PP_OFF_MAGIC);
PP_AT(version, PP_OFF_VERSION);
PP_AT(size, PP_OFF_SIZE);
PP_AT(blob_memsz, PP_OFF_BLOB_MEMSZ);
PP_AT(preserve_context, PP_OFF_PRESERVE_CONTEXT);
R64_AT(rax, R64_RAX); R64_AT(rbx, R64_RBX); R64_AT(rcx, R64_RCX); R64_AT(rdx, R64_RDX);
R64_AT(rsi, R64_RSI); R64_AT(rdi, R64_RDI); R64_AT(rsp, R64_RSP); R64_AT(rbp, R64_RBP);
R64_AT(r8, R64_R8); R64_AT(r9, R64_R9); R64_AT(r10, R64_R10); R64_AT(r11, R64_R11);
R64_AT(r12, R64_R12); R64_AT(r13, R64_R13); R64_AT(r14, R64_R14); R64_AT(r15, R64_R15);
R64_AT(rip, R64_RIP);
R32_AT(eax, R32_EAX); R32_AT(ebx, R32_EBX); R32_AT(ecx, R32_ECX); R32_AT(edx, R32_EDX);
R32_AT(esi, R32_ESI); R32_AT(edi, R32_EDI); R32_AT(esp, R32_ESP); R32_AT(ebp, R32_EBP);
R32_AT(eip, R32_EIP);

#define FOUR_GIB (1ULL << 32)
#define JUMP_BACK_ARG " kexec_jump_back_entry="

static void say(struct console *c, const char *msg)
{
	console_puts(c, "purgatory: ");
	console_puts(c, msg);
	console_puts(c, "\n");
}

static void say_hex(struct console *c, const char *msg, uint64_t v)
{
	console_puts(c, "purgatory: ");
	console_puts(c, msg);
	console_hex(c, v);
	console_puts(c, "\n");
}

static void __attribute__((noreturn)) give_up(struct console *c, const char *why)
{
	say(c, why);
	say(c, "halting");
	purgatory_halt();
}

/* The loader wrote the block; a wrong header means a wrong blob or a
 * stray write, and nothing else in it can be trusted then. */
static bool params_valid(const struct purgatory_params *pp)
{
	return pp->magic == PURGATORY_MAGIC && pp->version == PURGATORY_VERSION &&
	       pp->size == sizeof(*pp) && pp->nregions <= PURGATORY_MAX_REGIONS;
}

static bool digest_matches(struct console *c, const struct purgatory_params *pp)
{
	struct cpu_sse_saved sse;
	uint8_t got[SHA256_DIGEST_SIZE];
	bool ext = cpu_has_sha_ext();

	say_hex(c, ext ? "verifying SHA-256 (SHA extensions) of regions: " :
			 "verifying SHA-256 (plain) of regions: ", pp->nregions);
	/* SSE stays on only while the digest runs: the next image gets CR0
	 * and CR4 as the old world left them. */
	if (ext)
		cpu_sse_enable(&sse);
	region_digest(pp->regions, pp->nregions, ext, got);
	if (ext)
		cpu_sse_restore(&sse);
	if (memcmp(got, pp->digest, SHA256_DIGEST_SIZE) == 0)
		return true;

	console_puts(c, "purgatory: digest mismatch: expected ");
	console_hex_bytes(c, pp->digest, SHA256_DIGEST_SIZE);
	console_puts(c, "\npurgatory: computed ");
	console_hex_bytes(c, got, SHA256_DIGEST_SIZE);
	console_puts(c, "\n");
	return false;
}

/* The loader left room after the command line's NUL at cmdline_end. */
static void append_jump_back(uint64_t cmdline_end, uint64_t entry)
{
	char *p = (char *)(uintptr_t)cmdline_end;
	char buf[HEX_BUF_SIZE];
	const char *s;

	for (s = JUMP_BACK_ARG; *s; s++)
		*p++ = *s;
	for (s = format_hex(buf, entry); *s; s++)
		*p++ = *s;
	*p = '\0';
}

static void __attribute__((noreturn)) enter_image(struct console *c,
						  const struct purgatory_params *pp)
{
	if (pp->entry_mode == PURGATORY_ENTRY_64) {
		say_hex(c, "entering 64-bit image at ", pp->regs64.rip);
		purgatory_enter64(&pp->regs64);
	}
	if (pp->entry_mode == PURGATORY_ENTRY_32) {
		/* Leaving long mode turns paging off: we must run where
		 * physical equals virtual, below 4 GiB. */
		if ((uintptr_t)purgatory_end > FOUR_GIB)
			give_up(c, "32-bit entry needs purgatory below 4 GiB");
		say_hex(c, "entering 32-bit image at ", pp->regs32.eip);
		purgatory_enter32(&pp->regs32);
	}
	give_up(c, "unknown entry mode");
}

void purgatory_main(uint64_t jump_back)
{
	const struct purgatory_params *pp = &purgatory_params;
	struct console con;

	if (pp->reset_vga)
		vga_reset();
	console_open(&con, pp, true);
	say(&con, "started");
	if (!params_valid(pp))
		give_up(&con, "parameter block is corrupt");

	if (pp->skip_checks)
		say(&con, "digest check skipped");
	else if (digest_matches(&con, pp))
		say(&con, "digest ok");
	else
		give_up(&con, "image is corrupt, not entering it");

	if (pp->panic_kernel && pp->backup_size) {
		say_hex(&con, "backing up low memory, bytes: ", pp->backup_size);
		memcpy((void *)(uintptr_t)pp->backup_dst,
		       (const void *)(uintptr_t)pp->backup_src, (size_t)pp->backup_size);
	}
	/* Only with preserve_context: Xen `call`s us, so a return address is
	 * always on the stack and must not be mistaken for a jump-back entry. */
	if (pp->preserve_context && pp->cmdline_end && jump_back) {
		say_hex(&con, "jump back entry ", jump_back);
		append_jump_back(pp->cmdline_end, jump_back);
	}
	enter_image(&con, pp);
}

void purgatory_fault(uint64_t vector, uint64_t error, uint64_t rip)
{
	struct console con;

	/* Serial only: port I/O cannot fault again, while the fault may have
	 * come from an unmapped VGA buffer. */
	console_open(&con, &purgatory_params, false);
	con.vga = false;
	console_puts(&con, "purgatory: exception ");
	console_hex(&con, vector);
	console_puts(&con, " error ");
	console_hex(&con, error);
	console_puts(&con, " at rip ");
	console_hex(&con, rip);
	console_puts(&con, ", halting\n");
	purgatory_halt();
}
