/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Relocation code for the pre-4.4 v1 kexec contract (doc/xen-kexec-interface.md
 * §10.3), written from that contract. Not run by this program: the loader
 * copies the bytes between xen_v1_reloc_start and xen_v1_reloc_end to
 * offset 0 of the image's control page, and Xen calls them at exec time.
 *
 * How Xen < 4.4 enters it (x86_64 Xen, 64-bit dom0):
 *   - as a C function at page_list[VA_CONTROL_PAGE], a fixmap VA of Xen's,
 *     on Xen's page tables, 64-bit, CPL0, IF = 0, Xen's boot GDT loaded;
 *   - rdi = indirection page (machine address, low 12 bits ignored),
 *     rsi = Xen VA of Xen's copy of page_list[17],
 *     rdx = start address, rcx = 0 (preserve_context: ignored, never
 *     returns).
 *
 * What the loader prepared (kexec/xen/v1-pre44.c), by machine address:
 *   page_list[0]  control page: this code at offset 0, the stack at its end
 *   page_list[2]  PGD: root of an identity map of all machine RAM with
 *                 2 MiB pages (lower half, L4 slots 0-255 only)
 *   page_list[4], [6], [8]  PUD_0, PMD_0, PTE_0: zeroed, for the mapping of
 *                 this code's own VA, which is known only now
 *   page_list[odd] Xen's VA of the page in the entry before (Xen wrote it)
 *
 * Assumptions (each checked where it can be, else documented):
 *   - Xen's fixmap VA lies in the upper half (Xen owns L4 slots 256-271),
 *     so it cannot collide with the identity map; a collision is detected
 *     and ends in a halt loop rather than in a corrupted mapping.
 *   - Xen's fixmap mappings of the table pages are writable (Xen maps them
 *     with its hypervisor RW attributes).
 *   - No frame the loader gave Xen (control, tables, list, sources) lies in
 *     a destination: the loader allocates around destinations, so copying
 *     never overwrites what is still to be read.
 *   - No exception and no NMI arrives before the next stage loads its own
 *     IDT: Xen's IDT stops being mapped at the CR3 switch (the same
 *     exposure Xen's own relocation code has, §9.1).
 *   - PAT entry 0 is write-back (Xen's PAT), so table entries use no
 *     cache bits; legacy MMIO below 1 MiB is uncached by the MTRRs anyway.
 *
 * State at the jump to the start address: 64-bit, CPL0, IF = 0, CR3 = the
 * identity map (which also keeps this page at Xen's VA), CR4.PGE clear,
 * rsp = 16 bytes below the end of the control page (identity address),
 * CS still Xen's selector, GDT/IDT/TR Xen's and unmapped: our purgatory
 * loads its own before touching any segment register (§9.2).
 */

#define PTE_P_RW	0x3
#define CR4_PGE		0x80
#define PAGE_MASK	0xfffffffffffff000
#define IND_DEST	0x1
#define IND_INDIR	0x2
#define IND_DONE	0x4
#define IND_SOURCE	0x8

/* page_list byte offsets (index * 8) */
#define PL_PA_CONTROL	0
#define PL_PA_PGD	16
#define PL_VA_PGD	24
#define PL_PA_PUD0	32
#define PL_VA_PUD0	40
#define PL_PA_PMD0	48
#define PL_VA_PMD0	56
#define PL_PA_PTE0	64
#define PL_VA_PTE0	72

	.text
	.code64
	.globl	xen_v1_reloc_start
	.type	xen_v1_reloc_start, @function
xen_v1_reloc_start:
.Lself:
	cli
	cld
	/* Keep the arguments: rdi/rsi/rcx are needed by the string ops. */
	mov	%rdi, %r8		/* indirection list */
	mov	%rdx, %r9		/* start address */
	mov	%rsi, %r10		/* Xen's page_list (valid until CR3 moves) */
	/* Our own VA. rip-relative, so it need not match page_list[1]. */
	lea	.Lself(%rip), %r11

	/* PGD[l4(va)] = PUD_0 | P | RW, refusing a slot the identity map uses. */
	mov	PL_VA_PGD(%r10), %rax
	mov	%r11, %rcx
	shr	$39, %rcx
	and	$511, %rcx
	cmpq	$0, (%rax,%rcx,8)
	jne	stuck
	mov	PL_PA_PUD0(%r10), %rbx
	or	$PTE_P_RW, %rbx
	mov	%rbx, (%rax,%rcx,8)
	/* PUD_0[l3(va)] = PMD_0 */
	mov	PL_VA_PUD0(%r10), %rax
	mov	%r11, %rcx
	shr	$30, %rcx
	and	$511, %rcx
	mov	PL_PA_PMD0(%r10), %rbx
	or	$PTE_P_RW, %rbx
	mov	%rbx, (%rax,%rcx,8)
	/* PMD_0[l2(va)] = PTE_0 */
	mov	PL_VA_PMD0(%r10), %rax
	mov	%r11, %rcx
	shr	$21, %rcx
	and	$511, %rcx
	mov	PL_PA_PTE0(%r10), %rbx
	or	$PTE_P_RW, %rbx
	mov	%rbx, (%rax,%rcx,8)
	/* PTE_0[l1(va)] = control page */
	mov	PL_VA_PTE0(%r10), %rax
	mov	%r11, %rcx
	shr	$12, %rcx
	and	$511, %rcx
	mov	PL_PA_CONTROL(%r10), %rbx
	mov	%rbx, %r12		/* control page, identity address */
	or	$PTE_P_RW, %rbx
	mov	%rbx, (%rax,%rcx,8)

	/* Read the root before Xen's VA of page_list goes away. */
	mov	PL_PA_PGD(%r10), %r13
	and	$PAGE_MASK, %r13

	/* Clearing CR4.PGE flushes global TLB entries too: Xen's or dom0's
	 * global lower-half mappings must not shadow the identity map. */
	mov	%cr4, %rax
	and	$~CR4_PGE, %rax
	mov	%rax, %cr4
	mov	%r13, %cr3
	/* Still executing here: the new tables map this VA to this page. */

	lea	4096-16(%r12), %rsp

	/* Walk the indirection list (§10.1) through the identity map. */
	mov	%r8, %rbx
	and	$PAGE_MASK, %rbx	/* rbx: next entry */
	xor	%rdx, %rdx		/* rdx: destination cursor */
next:
	mov	(%rbx), %rax
	add	$8, %rbx
	mov	%rax, %rcx
	and	$PAGE_MASK, %rcx	/* the address part */
	test	$IND_DEST, %al
	jz	1f
	mov	%rcx, %rdx
	jmp	next
1:	test	$IND_INDIR, %al
	jz	2f
	mov	%rcx, %rbx
	jmp	next
2:	test	$IND_DONE, %al
	jnz	done
	test	$IND_SOURCE, %al
	jz	next			/* no flag: skip, as Linux does */
	mov	%rcx, %rsi
	mov	%rdx, %rdi
	mov	$512, %ecx
	rep movsq
	mov	%rdi, %rdx		/* cursor advanced by one page */
	jmp	next

done:
	/* Registers are not part of the entry contract (§9.1): clear the
	 * ones that could mislead, keep rsp. */
	mov	%r9, %rax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%edi, %edi
	xor	%ebp, %ebp
	jmp	*%rax

	/* Nothing can be reported from here; halting beats corrupting. */
stuck:
	cli
	hlt
	jmp	stuck

	.globl	xen_v1_reloc_end
xen_v1_reloc_end:
	.size	xen_v1_reloc_start, xen_v1_reloc_end - xen_v1_reloc_start

	.section .note.GNU-stack, "", @progbits
