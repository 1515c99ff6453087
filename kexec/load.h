/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The load action: options -> file loader -> segment plan -> backend. */
#ifndef KEXEC_LOAD_H
#define KEXEC_LOAD_H

#include "backend.h"
#include "options.h"
#include "result.h"

/* KX_OK | KX_ERROR | KX_FALLBACK (-s asked for kexec_file_load and it
 * cannot take the image; error line printed). Nothing already loaded is
 * touched unless the new image was accepted. */
enum kx_result kx_load(const struct options *o, struct backend *b);

#endif
