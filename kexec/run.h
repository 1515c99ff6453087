/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Carrying out the parsed action with an open backend, and the one place
 * where results become exit statuses. main.c only wires these together. */
#ifndef KEXEC_RUN_H
#define KEXEC_RUN_H

#include "backend.h"
#include "options.h"
#include "result.h"

/* Options whose capability has not arrived yet: KX_OK | KX_REFUSED (error
 * line naming the option). Checked before a backend is opened. */
enum kx_result kx_check_supported(const struct options *o);

/* Run o->action (not help/version) on b. Any result of kexec/result.h;
 * -S answers KX_LOADED/KX_NOT_LOADED/KX_UNKNOWN. */
enum kx_result kx_run(const struct options *o, struct backend *b);

/* Upstream's exit statuses for a failed load and for a kexec_file_load
 * failure that kexec_load could have handled (-s). */
#define EXIT_LOAD_FAILED 255
#define EXIT_FALLBACK 253

/* Upstream's exit status for a result:
 *   KX_OK 0, KX_NOT_LOADED 0, KX_LOADED 1 (-S), KX_REFUSED 1,
 *   KX_ERROR 255 (EXIT_LOAD_FAILED), KX_UNKNOWN 255,
 *   KX_FALLBACK 253 (EXIT_FALLBACK). */
int kx_exit_status(enum kx_result r);

#endif
