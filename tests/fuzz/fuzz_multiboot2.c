/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Multiboot2: the header and its tags, the ELF program headers, then a
 * load (relocation, image pieces, boot information). */
#include "file-types.h"
#include "fuzz.h"
#include "multiboot2.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb2_header h;
	struct options o;

	(void)mb2_header_parse(data, size, &h);
	memset(&o, 0, sizeof(o));
	o.command_line = "console=com1";
	fuzz_probe_load(&file_type_multiboot2, data, size, &o);
	return 0;
}
