/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Multiboot (0.6.96): the header search and its address fields, the ELF32
 * or ELF64 program headers, then a load (image pieces, boot information). */
#include "file-types.h"
#include "fuzz.h"
#include "multiboot.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb1_header h;
	struct mb_layout l;
	struct options o;

	(void)mb1_header_parse(data, size, &h);
	(void)mb_elf_layout(data, size, &l);
	memset(&o, 0, sizeof(o));
	o.command_line = "console=com1";
	fuzz_probe_load(&file_type_multiboot, data, size, &o);
	return 0;
}
