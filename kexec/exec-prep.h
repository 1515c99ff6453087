/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What happens before control goes to the loaded image. */
#ifndef KEXEC_EXEC_PREP_H
#define KEXEC_EXEC_PREP_H

#include "options.h"

void kx_ifdown(void);
/* sync (unless -y), interfaces down (unless -x). */
void kx_prepare_exec(const struct options *o);

#endif
