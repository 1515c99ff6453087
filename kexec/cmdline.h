/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command line the next kernel gets. */
#ifndef KEXEC_CMDLINE_H
#define KEXEC_CMDLINE_H

#include <stdbool.h>
#include "options.h"

/* The final command line for the next kernel: --reuse-cmdline's
 * /proc/cmdline (minus BOOT_IMAGE=, and crashkernel= for crash images),
 * then --command-line/--append. Returns malloc'ed string or NULL (error). */
char *loader_build_cmdline(const struct options *o, bool crash);

#endif
