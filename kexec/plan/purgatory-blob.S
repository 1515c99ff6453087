/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The purgatory binary, embedded in the kexec executable. */
	.section .rodata.purgatory, "a"
	.balign 4096
	.globl purgatory_blob
purgatory_blob:
	.incbin PURGATORY_BIN
	.globl purgatory_blob_end
purgatory_blob_end:
	.section .note.GNU-stack, "", @progbits
