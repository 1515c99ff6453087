/* The x86_64 file types, one per loader file. */
#ifndef X86_64_FILE_TYPES_H
#define X86_64_FILE_TYPES_H

#include "loader.h"

extern const struct file_type file_type_bzimage64;
extern const struct file_type file_type_elf_x86_64;
extern const struct file_type file_type_multiboot;
extern const struct file_type file_type_multiboot2;

/* In probe order (multiboot2 first, as upstream). */
extern const struct file_type *const file_types[];
extern const size_t nr_file_types;

const struct file_type *file_type_by_name(const char *name);

#endif
