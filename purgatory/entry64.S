/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Purgatory entry and exit.
 *
 * Entered in 64-bit mode at byte 0 of the blob, from Linux's
 * relocate_kernel or Xen's kexec_reloc, at whatever address the blob was
 * placed (identity mapped). Under Xen the GDT, IDT, TSS and FS/GS bases
 * are still Xen's and not mapped, NMIs are unmasked and CR4 has only PAE,
 * so: touch no segment register before our lgdt, take no fault before our
 * lidt, use no SSE. All addresses are computed RIP-relatively at run time.
 */
#include "layout.h"

#define CR0_PG     0x80000000
#define MSR_EFER   0xc0000080
#define EFER_LME   0x00000100
#define GATE_INTR  0x8e00	/* present, DPL 0, interrupt gate; IST 0 */
#define STUB_SIZE  16		/* bytes per exception stub */

	.code64
	.section .entry, "ax", @progbits

	.globl	purgatory_start
	.type	purgatory_start, @function
purgatory_start:
	jmp	startup

	/* The parameter block, filled by the loader. */
	.org	PP_BLOB_OFFSET, 0xcc
	.globl	purgatory_params
	.type	purgatory_params, @object
purgatory_params:
	.quad	PP_MAGIC
	.long	PP_VERSION
	.long	PP_SIZE
	/* blob_memsz: the linker script puts the blob at 0, so the end's
	 * address is the size; a PC-relative form needs no run-time reloc. */
	.quad	purgatory_end - . + PP_BLOB_OFFSET + PP_OFF_BLOB_MEMSZ
	.fill	PP_SIZE - PP_OFF_BLOB_MEMSZ - 8, 1, 0
	.org	PP_BLOB_OFFSET + PP_SIZE	/* errors if the block overran */
	.size	purgatory_params, PP_SIZE

startup:
	cli
	cld
	/* The word on the incoming stack is a return address only when the
	 * caller preserves context; Xen always `call`s, and since 4.22 jumps,
	 * so the stack is read only when asked. */
	xorl	%r12d, %r12d
	cmpb	$0, purgatory_params + PP_OFF_PRESERVE_CONTEXT(%rip)
	je	1f
	movq	(%rsp), %r12
1:
	leaq	stack_top(%rip), %rsp
	pushq	$0
	popfq				/* IF, DF, AC, NT all clear */

	/* IDT gates: exception stubs, NMI returns at once. */
	leaq	idt64(%rip), %rdi
	leaq	exc_stubs(%rip), %rsi
	leaq	nmi_handler(%rip), %rdx
	xorl	%ecx, %ecx
2:
	movq	%rsi, %rax
	cmpl	$EXC_NMI, %ecx
	cmoveq	%rdx, %rax
	movw	%ax, (%rdi)		/* offset 15:0 */
	movw	$SEL_CODE64, 2(%rdi)
	movw	$GATE_INTR, 4(%rdi)
	shrq	$16, %rax
	movw	%ax, 6(%rdi)		/* offset 31:16 */
	shrq	$16, %rax
	movl	%eax, 8(%rdi)		/* offset 63:32 */
	movl	$0, 12(%rdi)
	addq	$16, %rdi
	addq	$STUB_SIZE, %rsi
	incl	%ecx
	cmpl	$IDT_VECTORS, %ecx
	jb	2b

	/* Table pointers are built on the stack: bases are known only now.
	 * lgdt and lidt back to back, then CS and SS at once, so the window
	 * in which an NMI would meet Xen's tables or stale selectors is a few
	 * instructions. */
	subq	$16, %rsp
	leaq	gdt(%rip), %rax
	movw	$(gdt_end - gdt - 1), 6(%rsp)
	movq	%rax, 8(%rsp)
	lgdt	6(%rsp)
	leaq	idt64(%rip), %rax
	movw	$(IDT_VECTORS * 16 - 1), 6(%rsp)
	movq	%rax, 8(%rsp)
	lidt	6(%rsp)
	addq	$16, %rsp
	/* Far return: works at any address (ljmp m16:64 is Intel-only). */
	leaq	3f(%rip), %rax
	pushq	$SEL_CODE64
	pushq	%rax
	lretq
3:
	movl	$SEL_DATA, %eax
	movl	%eax, %ss
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs		/* also resets the FS/GS bases to 0 */
	movl	%eax, %gs

	movq	%r12, %rdi
	call	purgatory_main
	jmp	purgatory_halt
	.size	purgatory_start, . - purgatory_start

	.text

	.globl	purgatory_halt
	.type	purgatory_halt, @function
purgatory_halt:
	cli
1:	hlt				/* NMIs wake us; they return here */
	jmp	1b
	.size	purgatory_halt, . - purgatory_halt

/* NMIs cannot be masked, and their sources may not all be off. */
nmi_handler:
	iretq

/* One stub per exception vector, STUB_SIZE bytes apart; a dummy error
 * code makes every frame alike. */
	.macro	exc_stub vec
	.org	exc_stubs + \vec * STUB_SIZE, 0xcc	/* errors on overrun */
	.if	(\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exc_common
	.endm

	.balign	STUB_SIZE
exc_stubs:
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	exc_stub \v
	.endr
	.org	exc_stubs + IDT_VECTORS * STUB_SIZE, 0xcc

exc_common:
	popq	%rdi			/* vector */
	popq	%rsi			/* error code */
	movq	(%rsp), %rdx		/* faulting rip */
	andq	$-16, %rsp
	call	purgatory_fault
	jmp	purgatory_halt

/* void purgatory_enter64(const struct purgatory_regs64 *r)
 * Our GDT stays loaded: CS 0x10 and DS 0x18, as the Linux 64-bit boot
 * protocol expects. rsp and rdi are loaded last, so an NMI meets a bad
 * stack for two instructions at most. */
	.globl	purgatory_enter64
	.type	purgatory_enter64, @function
purgatory_enter64:
	cli
	cld
	movq	R64_RIP(%rdi), %rax
	movq	%rax, enter64_target(%rip)
	movq	R64_RAX(%rdi), %rax
	movq	R64_RBX(%rdi), %rbx
	movq	R64_RCX(%rdi), %rcx
	movq	R64_RDX(%rdi), %rdx
	movq	R64_RSI(%rdi), %rsi
	movq	R64_RBP(%rdi), %rbp
	movq	R64_R8(%rdi), %r8
	movq	R64_R9(%rdi), %r9
	movq	R64_R10(%rdi), %r10
	movq	R64_R11(%rdi), %r11
	movq	R64_R12(%rdi), %r12
	movq	R64_R13(%rdi), %r13
	movq	R64_R14(%rdi), %r14
	movq	R64_R15(%rdi), %r15
	movq	R64_RSP(%rdi), %rsp
	movq	R64_RDI(%rdi), %rdi
	jmp	*enter64_target(%rip)
	.size	purgatory_enter64, . - purgatory_enter64

/* void purgatory_enter32(const struct purgatory_regs32 *r)
 * Leaves long mode for 32-bit protected mode with paging off, flat
 * segments (CS 0x20, data 0x28), CR4 0, and a 32-bit IDT. The caller made
 * sure the blob (code, stack, *r) lies below 4 GiB; it is identity
 * mapped, so turning paging off does not move us. */
	.globl	purgatory_enter32
	.type	purgatory_enter32, @function
purgatory_enter32:
	cli
	cld
	/* 32-bit interrupt gates for the same vectors. */
	leaq	idt32(%rip), %rbx
	leaq	halt32(%rip), %rax
	leaq	nmi32_handler(%rip), %rdx
	xorl	%ecx, %ecx
1:
	movl	%eax, %esi
	cmpl	$EXC_NMI, %ecx
	cmovel	%edx, %esi
	movw	%si, (%rbx,%rcx,8)
	movw	$SEL_CODE32, 2(%rbx,%rcx,8)
	movw	$GATE_INTR, 4(%rbx,%rcx,8)
	shrl	$16, %esi
	movw	%si, 6(%rbx,%rcx,8)
	incl	%ecx
	cmpl	$IDT_VECTORS, %ecx
	jb	1b
	leaq	idt32_ptr(%rip), %rbp
	movw	$(IDT_VECTORS * 8 - 1), (%rbp)
	movl	%ebx, 2(%rbp)

	/* The last instruction is a direct far jump; with every register
	 * spoken for, its operand is the only place left for eip. */
	movl	R32_EIP(%rdi), %eax
	movl	%eax, enter32_target(%rip)

	leaq	2f(%rip), %rax
	pushq	$SEL_CODE32
	pushq	%rax
	lretq

	.code32
2:	/* Compatibility mode. */
	movl	$SEL_DATA32, %eax
	movl	%eax, %ss
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%cr0, %eax
	andl	$~CR0_PG, %eax
	movl	%eax, %cr0		/* paging off: long mode inactive */
	lidt	(%ebp)			/* the 64-bit gates mean nothing now */
	movl	$MSR_EFER, %ecx
	rdmsr
	andl	$~EFER_LME, %eax
	wrmsr
	xorl	%eax, %eax
	movl	%eax, %cr4

	movl	R32_EAX(%edi), %eax
	movl	R32_EBX(%edi), %ebx
	movl	R32_ECX(%edi), %ecx
	movl	R32_EDX(%edi), %edx
	movl	R32_ESI(%edi), %esi
	movl	R32_EBP(%edi), %ebp
	movl	R32_ESP(%edi), %esp
	movl	R32_EDI(%edi), %edi
	.byte	0xea			/* ljmp $SEL_CODE32, $target */
enter32_target:
	.long	0
	.word	SEL_CODE32

halt32:
	cli
1:	hlt
	jmp	1b

nmi32_handler:
	iretl
	.code64
	.size	purgatory_enter32, . - purgatory_enter32

	.data
	.balign	16
/* Flat descriptors with the accessed bit preset, so the CPU never needs
 * to write to this table. */
gdt:
	.quad	0
	.quad	0
	.quad	0x00af9b000000ffff	/* 0x10: 64-bit code */
	.quad	0x00cf93000000ffff	/* 0x18: data, 4 GiB */
	.quad	0x00cf9b000000ffff	/* 0x20: 32-bit code, 4 GiB */
	.quad	0x00cf93000000ffff	/* 0x28: 32-bit data, 4 GiB */
gdt_end:
	.if	(SEL_CODE64 != 0x10) || (SEL_DATA != 0x18) || (SEL_CODE32 != 0x20) || (SEL_DATA32 != 0x28)
	.error	"GDT layout does not match layout.h"
	.endif

	.balign	8
enter64_target:
	.quad	0
	.balign	8
idt32_ptr:
	.word	0
	.long	0

	.bss
	.balign	16
idt64:
	.skip	IDT_VECTORS * 16
idt32:
	.skip	IDT_VECTORS * 8

	/* Placed last by the linker script: the blob's end is its top. */
	.section .stack, "aw", @nobits
	.balign	16
	.skip	STACK_SIZE
stack_top:

	.section .note.GNU-stack, "", @progbits
