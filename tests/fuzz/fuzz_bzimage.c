/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bzImage64: the setup header (probe), then a load against the fuzz
 * machine (boot_params, command line, purgatory; normal or crash). */
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
	o.command_line = "console=ttyS0 quiet";
	fuzz_probe_load(&file_type_bzimage64, data, size, &o);
	return 0;
}
