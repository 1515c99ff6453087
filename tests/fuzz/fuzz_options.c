/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command line: the input split at NUL bytes into argv[1..]. */
#include "fuzz.h"
#include "options.h"

#define FUZZ_MAX_ARGS 64

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fuzz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_MAX_ARGS + 2];
	char *copy = malloc(size + 1);
	int argc = 1;
	struct options o;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[0] = "kexec";
	for (size_t i = 0; i < size && argc <= FUZZ_MAX_ARGS; i++) {
		argv[argc++] = copy + i;
		i += strlen(copy + i);
	}
	argv[argc] = NULL;
	memset(&o, 0, sizeof(o));
	(void)options_parse(argc, argv, &o);
	free(copy);
	return 0;
}
