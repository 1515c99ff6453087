/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --help and doc/kexec.8 must name the same options and agree on their
 * defaults and on which are ignored or refused. --help is generated from
 * the option table; the man page is written by hand, so this test is what
 * keeps the two in step. The man page is read at test time from the source
 * tree (TOP_SRCDIR, set by the Makefile; KEXEC_SRCDIR overrides it). */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "options.h"

#define UNUSED __attribute__((unused))
#define MAX_OPTS 160
#define NAME_LEN 40
#define TEXT_LEN 4096

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

enum status { ST_USED, ST_IGNORED, ST_REFUSED };

/* What one document says about one option. */
struct opt_doc {
	char name[NAME_LEN];  /* "--load", "-l" */
	bool has_default;
	char deflt[80];       /* "" for "This is the default." */
	enum status status;
};

/* What one document says: the options it describes (in .TP tags or
 * --help headings), and every long option it mentions anywhere. */
struct doc {
	const char *what;
	struct opt_doc opts[MAX_OPTS];
	size_t nopts;
	char mentioned[MAX_OPTS][NAME_LEN];
	size_t nmentioned;
};

/* ---------------------------------------------------------------- tokens */

static bool opt_char(char c)
{
	return isalnum((unsigned char)c) || c == '-';
}

/* Option names in text: "--long" and "-x" (x a letter, digit or '?')
 * where a dash does not continue a word. fn gets each name. */
static void for_each_option(const char *text, void (*fn)(const char *, void *), void *arg)
{
	char name[NAME_LEN];

	for (const char *p = text; *p; p++) {
		size_t n = 0;

		if (*p != '-' || (p > text && opt_char(p[-1])))
			continue;
		if (p[1] == '-' && isalnum((unsigned char)p[2])) {
			while (opt_char(p[n]) && n < NAME_LEN - 1)
				n++;
		} else if ((isalnum((unsigned char)p[1]) || p[1] == '?') && !opt_char(p[2])) {
			n = 2;
		}
		if (n == 0)
			continue;
		memcpy(name, p, n);
		name[n] = '\0';
		fn(name, arg);
		p += n - 1;
	}
}

static bool in_list(char (*list)[NAME_LEN], size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

static void add_mentioned(const char *name, void *arg)
{
	struct doc *d = arg;

	if (strncmp(name, "--", 2) != 0 || in_list(d->mentioned, d->nmentioned, name))
		return;
	assert_true(d->nmentioned < MAX_OPTS);
	strcpy(d->mentioned[d->nmentioned++], name);
}

static struct opt_doc *find_opt(struct doc *d, const char *name)
{
	for (size_t i = 0; i < d->nopts; i++)
		if (strcmp(d->opts[i].name, name) == 0)
			return &d->opts[i];
	return NULL;
}

/* ---------------------------------------------------------------- entries */

/* The default an entry's text states: "This is the default." or
 * "Default: X." (X up to the full stop that ends the sentence). */
static bool text_default(const char *text, char *out, size_t len)
{
	const char *p = strstr(text, "Default: ");
	size_t n;

	if (strstr(text, "This is the default.")) {
		out[0] = '\0';
		return true;
	}
	if (!p)
		return false;
	p += strlen("Default: ");
	for (n = 0; p[n] && !(p[n] == '.' && (p[n + 1] == ' ' || !p[n + 1])); n++)
		;
	snprintf(out, len, "%.*s", (int)n, p);
	return true;
}

static enum status text_status(const char *text)
{
	if (strstr(text, "Refused:"))
		return ST_REFUSED;
	if (strstr(text, "Accepted and ignored:"))
		return ST_IGNORED;
	return ST_USED;
}

struct entry_ctx {
	struct doc *d;
	const char *text;
};

/* An option described again (a file type's "As for bzImage64.") keeps
 * what its first description said, unless only the later one says it. */
static void add_described(const char *name, void *arg)
{
	struct entry_ctx *c = arg;
	struct opt_doc *o = find_opt(c->d, name);
	char deflt[80];

	if (!o) {
		assert_true(c->d->nopts < MAX_OPTS);
		o = &c->d->opts[c->d->nopts++];
		memset(o, 0, sizeof(*o));
		snprintf(o->name, sizeof(o->name), "%s", name);
	}
	if (!o->has_default && text_default(c->text, deflt, sizeof(deflt))) {
		o->has_default = true;
		strcpy(o->deflt, deflt);
	}
	if (o->status == ST_USED)
		o->status = text_status(c->text);
}

/* One description: the option names in its heading, and its text. */
static void add_entry(struct doc *d, const char *heading, const char *text)
{
	struct entry_ctx c = { d, text };

	for_each_option(heading, add_described, &c);
}

/* Cut text into its lines (empty ones dropped); returns their number. */
static size_t split_lines(char *text, char **lines, size_t max)
{
	size_t n = 0;
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		assert_true(n < max);
		lines[n++] = l;
	}
	return n;
}

/* ---------------------------------------------------------------- roff */

/* Append the roff escapes of in, resolved to plain text, to out. */
static void deroff_text(const char *in, char *out, size_t len)
{
	size_t n = strlen(out);

	for (; *in && n + 1 < len; in++) {
		if (*in != '\\') {
			out[n++] = *in;
			continue;
		}
		in++;
		if (*in == '-' || *in == 'e' || *in == ' ')
			out[n++] = *in == 'e' ? '\\' : *in == ' ' ? ' ' : '-';
		else if (*in == 'f')
			in += in[1] == '(' ? 3 : 1;     /* font change */
		else if (*in == '(')
			in += 2;                        /* special character */
		else if (!*in)
			break;
		/* \& \% \: and the rest print nothing */
	}
	out[n] = '\0';
}

/* The font macros; the two-letter ones alternate fonts between their
 * arguments. */
static bool font_macro(const char *name, size_t len)
{
	static const char *const fonts[] = { "B", "I", "BR", "RB", "BI", "IB", "IR", "RI" };

	for (size_t i = 0; i < sizeof(fonts) / sizeof(fonts[0]); i++)
		if (strlen(fonts[i]) == len && strncmp(fonts[i], name, len) == 0)
			return true;
	return false;
}

/* A man macro line's text: .B and .I join their arguments with blanks,
 * .BR, .IR and the other alternating macros without. Other macros give
 * nothing. */
static void deroff_macro(const char *line, char *out, size_t len)
{
	const char *p = line + 1;
	size_t n = strcspn(p, " \t");
	bool alternate = n == 2;

	out[0] = '\0';
	if (!font_macro(p, n))
		return;
	p += n;
	while (*p) {
		char arg[256];
		size_t k = 0;

		p += strspn(p, " \t");
		if (!*p)
			break;
		if (*p == '"') {
			for (p++; *p && *p != '"' && k < sizeof(arg) - 1; p++)
				arg[k++] = *p;
			p += *p == '"';
		} else {
			for (; *p && *p != ' ' && *p != '\t' && k < sizeof(arg) - 1; p++)
				arg[k++] = *p;
		}
		arg[k] = '\0';
		if (!alternate && out[0])
			strncat(out, " ", len - strlen(out) - 1);
		deroff_text(arg, out, len);
	}
}

/* Macros that end a .TP paragraph. */
static bool ends_paragraph(const char *line)
{
	static const char *const enders[] = { ".TP", ".PP", ".P", ".LP", ".SH", ".SS", ".IP" };

	for (size_t i = 0; i < sizeof(enders) / sizeof(enders[0]); i++) {
		size_t n = strlen(enders[i]);

		if (strncmp(line, enders[i], n) == 0 && (!line[n] || line[n] == ' '))
			return true;
	}
	return false;
}

/* One source line as plain text (empty for comments and other macros). */
static void deroff_line(const char *line, char *out, size_t len)
{
	out[0] = '\0';
	if (strncmp(line, ".\\\"", 3) == 0)
		return;
	if (line[0] == '.' || line[0] == '\'')
		deroff_macro(line, out, len);
	else
		deroff_text(line, out, len);
}

static void append_words(char *text, const char *more)
{
	if (!*more)
		return;
	if (*text)
		strncat(text, " ", TEXT_LEN - strlen(text) - 1);
	strncat(text, more, TEXT_LEN - strlen(text) - 1);
}

/* Every .TP tag that names options is one entry, its paragraph the text.
 * Returns the number of lines used from lines[i] on. */
static size_t parse_tp(struct doc *d, char **lines, size_t i, size_t n)
{
	static char tag[TEXT_LEN], text[TEXT_LEN];
	char plain[TEXT_LEN];
	size_t k = i + 1;

	tag[0] = text[0] = '\0';
	while (k < n && strncmp(lines[k], ".\\\"", 3) == 0)
		k++;
	if (k < n)
		deroff_line(lines[k++], tag, sizeof(tag));
	for (; k < n && !ends_paragraph(lines[k]); k++) {
		deroff_line(lines[k], plain, sizeof(plain));
		append_words(text, plain);
	}
	add_entry(d, tag, text);
	return k - i;
}

static void parse_man(struct doc *d, char *src)
{
	char *lines[4096];
	char plain[TEXT_LEN];
	size_t n, i;

	n = split_lines(src, lines, sizeof(lines) / sizeof(lines[0]));
	for (i = 0; i < n; i++) {
		deroff_line(lines[i], plain, sizeof(plain));
		for_each_option(plain, add_mentioned, d);
	}
	for (i = 0; i < n;)
		i += strncmp(lines[i], ".TP", 3) == 0 ? parse_tp(d, lines, i, n) : 1;
}

/* ---------------------------------------------------------------- --help */

#define HELP_TEXT_COLUMN 27

static size_t indent_of(const char *line)
{
	return strspn(line, " ");
}

/* A heading starts with an option name indented less than the text. */
static bool is_heading(const char *line)
{
	size_t in = indent_of(line);

	return in > 0 && in < HELP_TEXT_COLUMN && line[in] == '-';
}

/* Split a heading line into its names and the text after two blanks. */
static void split_heading(const char *line, char *heading, const char **rest)
{
	const char *gap = strstr(line + indent_of(line), "  ");
	size_t n = gap ? (size_t)(gap - line) : strlen(line);
	size_t have = strlen(heading);

	assert_true(have + n + 1 < TEXT_LEN);
	memcpy(heading + have, line, n);
	heading[have + n] = '\0';
	*rest = gap ? gap + strspn(gap, " ") : "";
}

static size_t parse_help_entry(struct doc *d, char **lines, size_t i, size_t n)
{
	static char heading[TEXT_LEN], text[TEXT_LEN];
	const char *rest = "";
	size_t k = i;

	heading[0] = text[0] = '\0';
	/* A heading ending in ',' goes on on the next line. */
	do {
		split_heading(lines[k], heading, &rest);
		strncat(heading, " ", sizeof(heading) - strlen(heading) - 1);
	} while (*rest == '\0' && heading[strlen(heading) - 2] == ',' && ++k < n);
	append_words(text, rest);
	for (k++; k < n && indent_of(lines[k]) >= HELP_TEXT_COLUMN; k++)
		append_words(text, lines[k] + indent_of(lines[k]));
	add_entry(d, heading, text);
	return k - i;
}

static void parse_help(struct doc *d, char *help)
{
	char *lines[1024];
	size_t n, i;

	n = split_lines(help, lines, sizeof(lines) / sizeof(lines[0]));
	for (i = 0; i < n; i++)
		for_each_option(lines[i], add_mentioned, d);
	for (i = 0; i < n;)
		i += is_heading(lines[i]) ? parse_help_entry(d, lines, i, n) : 1;
}

/* ---------------------------------------------------------------- input */

static char *read_all(FILE *f)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap);

	assert_non_null(buf);
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	buf[n] = '\0';
	return buf;
}

static char *help_output(void)
{
	FILE *tmp = tmpfile();
	int saved;
	char *text;

	assert_non_null(tmp);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDOUT_FILENO) >= 0);
	options_usage();
	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	text = read_all(tmp);
	fclose(tmp);
	return text;
}

static char *man_source(void)
{
	const char *dir = getenv("KEXEC_SRCDIR");
	char path[4096];
	FILE *f;
	char *text;

	snprintf(path, sizeof(path), "%s/doc/kexec.8", dir ? dir : TOP_SRCDIR);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (set KEXEC_SRCDIR to the source tree)", path);
	text = read_all(f);
	fclose(f);
	return text;
}

/* ---------------------------------------------------------------- compare */

static const char *const status_names[] = { "used", "ignored", "refused" };

/* Options a describes that b does not; with details, also what they
 * disagree on (asked in one direction only, to report it once). */
static int compare_described(const struct doc *a, struct doc *b, bool details)
{
	int bad = 0;

	for (size_t i = 0; i < a->nopts; i++) {
		const struct opt_doc *x = &a->opts[i];
		const struct opt_doc *y = find_opt(b, x->name);

		if (!y) {
			print_error("%s describes %s, %s does not\n", a->what, x->name, b->what);
			bad++;
			continue;
		}
		if (!details)
			continue;
		if (x->has_default != y->has_default ||
		    (x->has_default && strcmp(x->deflt, y->deflt) != 0)) {
			print_error("%s: default '%s' in %s, '%s' in %s\n", x->name,
				    x->has_default ? x->deflt : "(none)", a->what,
				    y->has_default ? y->deflt : "(none)", b->what);
			bad++;
		}
		if (x->status != y->status) {
			print_error("%s: %s in %s, %s in %s\n", x->name, status_names[x->status],
				    a->what, status_names[y->status], b->what);
			bad++;
		}
	}
	return bad;
}

/* Long options a mentions anywhere that b does not describe. */
static int compare_mentioned(const struct doc *a, struct doc *b)
{
	int bad = 0;

	for (size_t i = 0; i < a->nmentioned; i++) {
		if (find_opt(b, a->mentioned[i]))
			continue;
		print_error("%s mentions %s, which %s does not describe\n", a->what,
			    a->mentioned[i], b->what);
		bad++;
	}
	return bad;
}

static struct doc help_doc = { .what = "--help" };
static struct doc man_doc = { .what = "doc/kexec.8" };

static int setup(void **state UNUSED)
{
	char *help = help_output();
	char *man = man_source();

	parse_help(&help_doc, help);
	parse_man(&man_doc, man);
	free(help);
	free(man);
	return 0;
}

/* ---------------------------------------------------------------- tests */

/* The parsers find what is there (a broken parser would make the
 * comparisons below pass vacuously). */
static void test_parsers_find_options(void **state UNUSED)
{
	static const char *const names[] = { "-l", "--load", "-?", "--help", "--xen-ops",
					      "--module", "--elf64-core-headers", "--vga" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!find_opt(&help_doc, names[i]))
			fail_msg("--help: %s not found by the test's parser", names[i]);
		if (!find_opt(&man_doc, names[i]))
			fail_msg("doc/kexec.8: %s not found by the test's parser", names[i]);
	}
	assert_true(help_doc.nopts > 60 && man_doc.nopts > 60);
	assert_string_equal(find_opt(&help_doc, "--xen-ops")->deflt, "auto");
	assert_int_equal(find_opt(&help_doc, "--hotplug")->status, ST_REFUSED);
}

static void test_same_options_described(void **state UNUSED)
{
	int bad = compare_described(&help_doc, &man_doc, true) +
		  compare_described(&man_doc, &help_doc, false);

	if (bad)
		fail_msg("--help and doc/kexec.8 disagree in %d place(s), listed above", bad);
}

static void test_only_real_options_mentioned(void **state UNUSED)
{
	int bad = compare_mentioned(&man_doc, &help_doc) + compare_mentioned(&help_doc, &help_doc);

	if (bad)
		fail_msg("%d option name(s) mentioned but described nowhere, listed above", bad);
}

/* The roff reader on the forms doc/kexec.8 uses. */
static void test_deroff(void **state UNUSED)
{
	char out[256];

	deroff_line(".BR \\-h \", \" \\-? \", \" \\-\\-help", out, sizeof(out));
	assert_string_equal(out, "-h, -?, --help");
	deroff_line(".BI \\-\\-mem\\-min= addr", out, sizeof(out));
	assert_string_equal(out, "--mem-min=addr");
	deroff_line(".B \"shutdown \\-r now\"", out, sizeof(out));
	assert_string_equal(out, "shutdown -r now");
	deroff_line("\\fB\\%\\-\\-vga\\fR, \\fB\\-\\-atags\\fP", out, sizeof(out));
	assert_string_equal(out, "--vga, --atags");
	deroff_line(".TP", out, sizeof(out));
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deroff),
		cmocka_unit_test(test_parsers_find_options),
		cmocka_unit_test(test_same_options_described),
		cmocka_unit_test(test_only_real_options_mentioned),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
