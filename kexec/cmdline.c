/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The next kernel's command line from --reuse-cmdline and --append. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "util.h"

/* Parameters of the running kernel that must not be passed on: the boot
 * loader's BOOT_IMAGE=, and for a capture kernel its own reservation. */
static bool drop_word(const char *w, size_t n, bool crash)
{
	if (n >= 11 && !strncmp(w, "BOOT_IMAGE=", 11))
		return true;
	return crash && n >= 12 && !strncmp(w, "crashkernel=", 12);
}

static char *filter_cmdline(const char *in, bool crash)
{
	char *out = kx_malloc(strlen(in) + 1), *o = out;
	const char *p = in;

	if (!out)
		return NULL;
	while (*p) {
		const char *w;
		bool quoted = false;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		w = p;
		/* A word ends at unquoted white space. */
		while (*p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n'))) {
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		if (p == w || drop_word(w, (size_t)(p - w), crash))
			continue;
		if (o != out)
			*o++ = ' ';
		memcpy(o, w, (size_t)(p - w));
		o += p - w;
	}
	*o = '\0';
	return out;
}

char *loader_build_cmdline(const struct options *o, bool crash)
{
	char current[8192] = "";
	char *reused = NULL, *out;
	const char *append = o->command_line ? o->command_line : "";
	size_t n;

	if (o->reuse_cmdline) {
		if (kx_read_text("/proc/cmdline", current, sizeof(current)) < 0) {
			kx_error("/proc/cmdline: cannot read it for --reuse-cmdline");
			return NULL;
		}
		reused = filter_cmdline(current, crash);
		if (!reused)
			return NULL;
	}
	n = (reused ? strlen(reused) : 0) + strlen(append) + 2;
	out = kx_malloc(n);
	if (out)
		snprintf(out, n, "%s%s%s", reused ? reused : "",
			 reused && *reused && *append ? " " : "", append);
	free(reused);
	return out;
}
