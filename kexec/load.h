/* The load action: options -> file loader -> segment plan -> backend. */
#ifndef KEXEC_LOAD_H
#define KEXEC_LOAD_H

#include "backend.h"
#include "options.h"

/* Exit statuses, as upstream's. */
#define EXIT_LOAD_FAILED 255
#define EXIT_FALLBACK 253

/* Returns 0 or the exit status. Nothing already loaded is touched unless
 * the new image was accepted. */
int kx_load(const struct options *o, struct backend *b);

#endif
