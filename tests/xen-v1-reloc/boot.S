/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Multiboot entry of the relocation-code harness: long mode on an
 * identity map of the first GiB (2 MiB pages, global), with Xen-like
 * CR0/CR4 (WP, PGE, OSFXSR), then harness_main(). Also the two pieces the
 * C side cannot write: the call into the relocation code with Xen's
 * registers, and the entry the relocation code jumps to. */
#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x00010003	/* align, meminfo, a.out kludge */
#define PG_LARGE	0x183		/* P, RW, PS, G */
#define CR4_XEN		0x2a0		/* PAE, PGE, OSFXSR */
#define CR0_PG_WP_PE	0x80010001

	.section .multiboot, "ax"
	.code32
	.balign	4
mb_hdr:
	.long	MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
	.long	mb_hdr, image_start, image_end, bss_end, boot32

	.globl	boot32
boot32:
	cli
	movl	$stack_top, %esp
	movl	%ebx, mbi_addr
	movl	$boot_pdpt + 3, boot_pml4
	movl	$boot_pd + 3, boot_pdpt
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$PG_LARGE, %eax
	movl	%eax, boot_pd(, %ecx, 8)
	incl	%ecx
	cmpl	$512, %ecx
	jb	1b
	movl	$CR4_XEN, %eax
	movl	%eax, %cr4
	movl	$boot_pml4, %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx	/* EFER.LME */
	rdmsr
	orl	$0x100, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$CR0_PG_WP_PE, %eax
	movl	%eax, %cr0
	lgdt	gdt_desc
	ljmp	$0x08, $boot64

	.code64
boot64:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movq	$stack_top, %rsp
	movl	mbi_addr, %edi
	call	harness_main
2:	hlt
	jmp	2b

/* call_reloc(ind, page_list VA, start, code VA): Xen < 4.4's call, with
 * rcx = 0 (preserve_context) and interrupts off. Never returns. */
	.globl	call_reloc
call_reloc:
	cli
	movq	%rcx, %rax
	xorl	%ecx, %ecx
	call	*%rax
	ud2

/* The start address: record the state the relocation code left, then
 * check it on our own stack. */
	.globl	target_entry, tgt
target_entry:
	movq	%rsp, tgt + 0
	movq	%cr3, %rax
	movq	%rax, tgt + 8
	movq	%cr4, %rax
	movq	%rax, tgt + 16
	pushfq
	popq	tgt + 24
	movq	$stack_top, %rsp
	call	target_check
3:	hlt
	jmp	3b

	.data
	.balign	16
gdt:
	.quad	0, 0x00af9a000000ffff, 0x00cf92000000ffff
gdt_desc:
	.word	gdt_desc - gdt - 1
	.long	gdt
mbi_addr:
	.long	0
tgt:
	.quad	0, 0, 0, 0

	.bss
	.balign	4096
boot_pml4:	.skip	4096
boot_pdpt:	.skip	4096
boot_pd:	.skip	4096
	.skip	16384
stack_top:
	.section .note.GNU-stack, "", @progbits
