/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ELF vmlinux and bare ELF64 payloads: probe (libelf and our own header
 * checks), then a load in the argument style the second-to-last byte
 * picks (default, --args-linux, --args-elf, --args-none). */
#include "file-types.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct options o;

	memset(&o, 0, sizeof(o));
	if (size >= 2)
		o.elf_args = (enum elf_args)(data[size - 2] & 3);
	/* --args-none takes no command line: the load would stop there. */
	if (o.elf_args != ELF_ARGS_NONE)
		o.command_line = "console=ttyS0";
	fuzz_probe_load(&file_type_elf_x86_64, data, size, &o);
	return 0;
}
