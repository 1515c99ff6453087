/* kexec: load a new kernel and boot it without going through firmware. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "exec-prep.h"
#include "load.h"
#include "options.h"
#include "util.h"

/* Options whose capability has not arrived yet: refuse them by name rather
 * than silently doing something else. */
static int reject_unsupported(const struct options *o)
{
	const char *what = NULL;

	if (o->hotplug)
		what = "--hotplug";
	else if (o->load_live_update || o->action == ACT_EXEC_LIVE_UPDATE)
		what = "Xen live update (--load-live-update/--exec-live-update)";
	else if (o->action == ACT_LOAD_JUMP_BACK_HELPER)
		what = "--load-jump-back-helper";
	else if (o->reuseinitrd)
		what = "--reuseinitrd (not possible on x86)";
	else if (o->dtb)
		what = "--dtb";
	if (!what)
		return 0;
	kx_error("%s is not supported by this kexec yet", what);
	return 1;
}

static int do_status(const struct options *o, struct backend *b)
{
	/* -S asks about the crash image unless -l names the normal one; the
	 * parser has settled that in o->panic. */
	int r = b->ops->status(b, o->panic, false);

	if (r < 0)
		return 255;
	return r ? 1 : 0;
}

static int do_exec(const struct options *o, struct backend *b)
{
	int loaded = b->ops->status(b, false, true);

	/* When the backend cannot tell, the exec call itself will say. */
	if (loaded == -1)
		return 255;
	if (loaded == 0) {
		kx_error("nothing has been loaded: use kexec -l first");
		return 1;
	}
	kx_prepare_exec(o);
	b->ops->exec(b);
	return 255;
}

static int do_shutdown(void)
{
	static const char *const paths[] = { "/sbin/shutdown", "/etc/shutdown", "/bin/shutdown" };

	/* The image is loaded; let the init system reboot into it. */
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++)
		execl(paths[i], "shutdown", "-r", "now", (char *)NULL);
	kx_error("cannot run shutdown: %s", strerror(errno));
	return 255;
}

static int do_print_ckr(struct backend *b)
{
	struct machine m;
	uint64_t total = 0;

	if (b->ops->describe(b, &m, false) < 0) {
		machine_free(&m);
		return 1;
	}
	/* The region a capture kernel is loaded into (the highest one). */
	if (m.crash_all.n)
		total = m.crash_all.r[m.crash_all.n - 1].end - m.crash_all.r[m.crash_all.n - 1].start;
	printf("%" PRIu64 "\n", total);
	machine_free(&m);
	return 0;
}

static int need_kernel(const struct options *o)
{
	if (!o->kernel) {
		kx_error("no kernel image given (try kexec --help)");
		return 1;
	}
	if (o->nextra) {
		kx_error("unexpected argument after the kernel image %s", o->kernel);
		return 1;
	}
	return 0;
}

static int run(const struct options *o, struct backend *b)
{
	int rc;

	switch (o->action) {
	case ACT_STATUS:
		return do_status(o, b);
	case ACT_UNLOAD:
		return b->ops->unload(b, o->panic) < 0 ? 255 : 0;
	case ACT_EXEC:
		return do_exec(o, b);
	case ACT_PRINT_CKR:
		return do_print_ckr(b);
	case ACT_LOAD:
	case ACT_FORCE:
	case ACT_DEFAULT:
		rc = need_kernel(o);
		if (!rc)
			rc = kx_load(o, b);
		if (rc || o->action == ACT_LOAD)
			return rc;
		return o->action == ACT_FORCE ? do_exec(o, b) : do_shutdown();
	default:
		kx_error("internal: unhandled action %d", o->action);
		return 1;
	}
}

int main(int argc, char **argv)
{
	struct options o;
	struct backend b;
	int rc = options_parse(argc, argv, &o);

	if (rc)
		return rc;
	if (o.action == ACT_HELP) {
		options_usage();
		return 0;
	}
	if (o.action == ACT_VERSION) {
		printf("kexec-tools-ng %s\n", PACKAGE_VERSION);
		return 0;
	}
	kx_set_debug(o.debug);
	rc = reject_unsupported(&o);
	if (rc)
		return rc;
	if (backend_open(&b, o.debug, o.xen_ops) < 0)
		return 1;
	rc = run(&o, &b);
	b.ops->close(&b);
	return rc;
}
