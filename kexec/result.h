/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one result every layer contract returns: backend ops, the load
 * action, the run of an action. main turns it into upstream's exit status
 * in one place (kx_exit_status, kexec/run.c). Helpers inside a layer
 * (loaders, the plan) keep 0/-1. */
#ifndef KEXEC_RESULT_H
#define KEXEC_RESULT_H

enum kx_result {
	KX_OK = 0,     /* done */
	KX_ERROR,      /* the operation failed; its one error line is printed */
	KX_REFUSED,    /* not attempted: the request cannot be carried out as
			* asked or here (bad arguments, nothing loaded to
			* execute, no usable backend); error line printed */
	KX_FALLBACK,   /* this path cannot take it, another one may: nothing
			* printed (errno says why where a syscall refused).
			* Reaching main it means the other path was not
			* allowed (-s) and an error line was printed. */
	KX_UNKNOWN,    /* this system cannot tell (status before Xen 4.9) */
	KX_LOADED,     /* status: an image is loaded */
	KX_NOT_LOADED, /* status: no image is loaded */
};

#endif
