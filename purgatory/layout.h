/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Numbers the entry assembly needs, in a form both the assembler and C can
 * read. purgatory-abi.h is C only; purgatory.c asserts these match it. */
#ifndef PURGATORY_LAYOUT_H
#define PURGATORY_LAYOUT_H

/* struct purgatory_params: size and the offsets the assembly touches. */
#define PP_BLOB_OFFSET          16	/* PURGATORY_PARAMS_OFFSET */
#define PP_SIZE                 544
#define PP_MAGIC                0x5947524f47525550	/* PURGATORY_MAGIC */
#define PP_VERSION              2			/* PURGATORY_VERSION */
#define PP_OFF_MAGIC            0
#define PP_OFF_VERSION          8
#define PP_OFF_SIZE             12
#define PP_OFF_BLOB_MEMSZ       16
#define PP_OFF_PRESERVE_CONTEXT 319

/* struct purgatory_regs64 */
#define R64_RAX 0
#define R64_RBX 8
#define R64_RCX 16
#define R64_RDX 24
#define R64_RSI 32
#define R64_RDI 40
#define R64_RSP 48
#define R64_RBP 56
#define R64_R8  64
#define R64_R9  72
#define R64_R10 80
#define R64_R11 88
#define R64_R12 96
#define R64_R13 104
#define R64_R14 112
#define R64_R15 120
#define R64_RIP 128

/* struct purgatory_regs32 */
#define R32_EAX 0
#define R32_EBX 4
#define R32_ECX 8
#define R32_EDX 12
#define R32_ESI 16
#define R32_EDI 20
#define R32_ESP 24
#define R32_EBP 28
#define R32_EIP 32

/* Our GDT. 0x10/0x18 are what the Linux 64-bit boot protocol expects. */
#define SEL_CODE64 0x10
#define SEL_DATA   0x18
#define SEL_CODE32 0x20
#define SEL_DATA32 0x28

/* Only exceptions can arrive (IF stays 0), so the IDTs cover vectors 0-31;
 * anything above the limit becomes #GP, which is handled. */
#define IDT_VECTORS 32
#define EXC_NMI     2

#define STACK_SIZE 16384

#endif
