/* SPDX-License-Identifier: GPL-2.0-or-later */
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

/* The verdict of a parser of file headers: NULL when the image is of the
 * parser's kind and usable; NOT_THIS_KIND when it is not of that kind at
 * all (another loader may take it); any other string says why an image of
 * that kind cannot be loaded. Compared by address, never by content. */
extern const char NOT_THIS_KIND[];

/* A verdict as a file_type probe answers: 0 for usable; -1 otherwise,
 * with *why set when the image is of this kind but unusable. */
int probe_answer(const char *verdict, const char **why);

#endif
