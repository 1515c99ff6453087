/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Probe order for x86_64 images. */
#include <string.h>

#include "file-types.h"

const struct file_type *const file_types[] = {
	&file_type_multiboot2,
	&file_type_elf_x86_64,
	&file_type_multiboot,
	&file_type_bzimage64,
};
const size_t nr_file_types = sizeof(file_types) / sizeof(file_types[0]);

const struct file_type *file_type_by_name(const char *name)
{
	for (size_t i = 0; i < nr_file_types; i++)
		if (!strcmp(file_types[i]->name, name))
			return file_types[i];
	return NULL;
}

const char NOT_THIS_KIND[] = "not this kind of image";

int probe_answer(const char *verdict, const char **why)
{
	if (!verdict)
		return 0;
	if (verdict != NOT_THIS_KIND)
		*why = verdict;
	return -1;
}
