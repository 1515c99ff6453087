/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Multiboot test kernel entry: the header (Multiboot2 when built with
 * -DMB2, else Multiboot), a stack, and a call to kmain(magic, info). */
#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x00000003	/* page-aligned modules, memory info */
#define MB2_MAGIC 0xe85250d6

	.section .mbheader, "a"
#ifdef MB2
	.balign	8
mb2_header:
	.long	MB2_MAGIC, 0, mb2_end - mb2_header
	.long	-(MB2_MAGIC + (mb2_end - mb2_header))
	/* Information request (required): cmdline, loader name, modules,
	 * basic meminfo, mmap. */
	.balign	8
	.short	1, 0
	.long	28
	.long	1, 2, 3, 4, 6
	/* Module alignment. */
	.balign	8
	.short	6, 0
	.long	8
	.balign	8
	.short	0, 0
	.long	8
mb2_end:
#else
	.balign	4
	.long	MB1_MAGIC, MB1_FLAGS, -(MB1_MAGIC + MB1_FLAGS)
#endif

	.text
	.code32
	.globl	_start
_start:
	cli
	cld
	movl	$stack_top, %esp
	pushl	%ebx
	pushl	%eax
	call	kmain
	/* kmain returns when done: a triple fault ends QEMU (-no-reboot). */
	.globl	triple_fault
triple_fault:
	lidt	null_idt
	int3
1:	hlt
	jmp	1b

	.data
	.balign	8
null_idt:
	.word	0
	.long	0

	.bss
	.balign	16
	.skip	16384
stack_top:

	.section .note.GNU-stack, "", @progbits
