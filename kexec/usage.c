/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The --help text, generated from the option table (option-table.h):
 * actions and generic options first, then the options of each kernel
 * file type, then the x86 arch options, like upstream. Only the prose
 * between the sections is written here. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "option-table.h"
#include "options.h"
#include "util.h"

#define HELP_WIDTH  79
#define HELP_COLUMN 27 /* where an option's text starts */

static const char intro[] =
"Usage: kexec [OPTION]... [KERNEL]\n"
"Load a kernel to be started directly from the running one, without the\n"
"firmware (kexec), or a crash kernel to be started when this one panics.\n"
"\n"
"With no action option, KERNEL is loaded and the system is shut down with\n"
"'shutdown -r now'; the new kernel starts when the shutdown completes.\n";

static const char generic_notes[] =
"ADDR values are decimal, 0x-hexadecimal or 0-octal.\n"
"In a Xen PV dom0 the hypervisor's kexec hypercalls are used instead of the\n"
"syscalls, so kexec_file_load(2) (-s) is not available there.\n";

static const char outro[] =
"Exit status: 0 on success (for -S: not loaded); 1 on a usage or fatal error\n"
"(for -S: loaded); 255 if a load, unload or exec fails; 253 if -s is given\n"
"and kexec_file_load(2) is unavailable. See kexec(8).\n";

/* The file types' sections; an option shared by several is described in
 * the first and referred to in the others. */
static const struct {
	unsigned applies;
	const char *name;
	const char *title;
} loader_sections[] = {
	{ OA_BZIMAGE64, "bzImage64", "Options for bzImage64 (x86_64 Linux bzImage):" },
	{ OA_ELF, "elf-x86_64", "Options for elf-x86_64 (ELF64 executables and vmlinux):" },
	{ OA_MULTIBOOT | OA_MB2, "multiboot-x86",
	  "Options for multiboot-x86 and multiboot2-x86 (e.g. the Xen hypervisor):" },
};

/* Print text word by word from column col, wrapping to column indent;
 * fresh: nothing printed on this line yet, so no blank before the first
 * word. Returns the column reached. Words are never split. */
static size_t put_wrapped(const char *text, size_t col, size_t indent, bool fresh)
{
	while (*text) {
		size_t len = strcspn(text, " ");

		if (!fresh && col + 1 + len > HELP_WIDTH) {
			printf("\n%*s", (int)indent, "");
			col = indent;
		} else if (!fresh) {
			putchar(' ');
			col++;
		}
		printf("%.*s", (int)len, text);
		col += len;
		fresh = false;
		text += len;
		text += strspn(text, " ");
	}
	return col;
}

/* One row's names: "-h, -?, --help", "--mem-min=ADDR". */
static void row_names(const struct opt_def *d, char *buf, size_t len)
{
	int n = 0;

	if (d->val < 256)
		n = snprintf(buf, len, "-%c, ", d->val);
	if (d->short2)
		n += snprintf(buf + n, len - n, "-%c, ", d->short2);
	snprintf(buf + n, len - n, "--%s%s%s", d->name, d->arg ? "=" : "", d->arg ? d->arg : "");
}

/* Number of rows from i on that form one entry (a row and its aliases). */
static size_t group_len(size_t i)
{
	size_t n = 1;

	while (i + n < opt_table_len && !opt_table[i + n].help)
		n++;
	return n;
}

/* The heading of the entry at row i; returns the column reached. */
static size_t put_heading(size_t i, size_t n)
{
	char names[96];
	size_t col = opt_table[i].val < 256 ? 2 : 6;

	printf("%*s", (int)col, "");
	for (size_t k = 0; k < n; k++) {
		row_names(&opt_table[i + k], names, sizeof(names));
		if (k + 1 < n)
			strcat(names, ",");
		col = put_wrapped(names, col, 6, k == 0);
	}
	return col;
}

/* Status words, the help paragraph and the default, as one paragraph. */
static void put_text(const struct opt_def *d, const char *as_for, size_t col)
{
	char buf[512];

	if (as_for)
		snprintf(buf, sizeof(buf), "As for %s.", as_for);
	else if (!d->deflt)
		snprintf(buf, sizeof(buf), "%s%s", opt_status_words(d->status), d->help);
	else if (!*d->deflt)
		snprintf(buf, sizeof(buf), "%s%s This is the default.",
			 opt_status_words(d->status), d->help);
	else
		snprintf(buf, sizeof(buf), "%s%s Default: %s.",
			 opt_status_words(d->status), d->help, d->deflt);
	/* At least two blanks between the names and the text. */
	if (col + 2 > HELP_COLUMN)
		printf("\n%*s", HELP_COLUMN, "");
	else
		printf("%*s", (int)(HELP_COLUMN - col), "");
	put_wrapped(buf, HELP_COLUMN, HELP_COLUMN, true);
	putchar('\n');
}

static void put_entry(size_t i, size_t n, const char *as_for)
{
	put_text(&opt_table[i], as_for, put_heading(i, n));
}

static void put_section(enum opt_section sec, const char *title)
{
	size_t i, n;

	printf("\n%s\n", title);
	for (i = 0; i < opt_table_len; i += n) {
		n = group_len(i);
		if (opt_table[i].section == sec)
			put_entry(i, n, NULL);
	}
}

/* The name of the first loader section that describes row i. */
static const char *first_loader(size_t i)
{
	for (size_t s = 0; s < ARRAY_SIZE(loader_sections); s++)
		if (opt_table[i].applies & loader_sections[s].applies)
			return loader_sections[s].name;
	return NULL;
}

static void put_loader_section(size_t s)
{
	size_t i, n;

	printf("\n%s\n", loader_sections[s].title);
	for (i = 0; i < opt_table_len; i += n) {
		const char *first;

		n = group_len(i);
		if (opt_table[i].section != SEC_LOADER ||
		    !(opt_table[i].applies & loader_sections[s].applies))
			continue;
		first = first_loader(i);
		put_entry(i, n, first == loader_sections[s].name ? NULL : first);
	}
}

void options_usage(void)
{
	fputs(intro, stdout);
	put_section(SEC_ACTION, "Actions:");
	put_section(SEC_GENERIC, "Generic options:");
	fputs(generic_notes, stdout);
	for (size_t s = 0; s < ARRAY_SIZE(loader_sections); s++)
		put_loader_section(s);
	put_section(SEC_X86, "x86 options (all file types):");
	putchar('\n');
	fputs(outro, stdout);
}

/* For a file type's usage callback: its options, each described in full. */
void options_usage_loader(unsigned applies)
{
	size_t i, n;

	for (i = 0; i < opt_table_len; i += n) {
		n = group_len(i);
		if (opt_table[i].section == SEC_LOADER && (opt_table[i].applies & applies))
			put_entry(i, n, NULL);
	}
}
