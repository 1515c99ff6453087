/* Is this Linux a Xen PV control domain (dom0)? Decided from sysfs and
 * /proc/xen, never by issuing kexec ops. */
#ifndef KEXEC_XEN_DETECT_H
#define KEXEC_XEN_DETECT_H

enum xen_domain_kind {
	XEN_NONE = 0,     /* bare metal, or an HVM/PVH guest: native kexec */
	XEN_PV_DOM0,      /* PV control domain: the hypervisor does kexec */
	XEN_PV_DOMU,      /* PV guest without control: kexec not possible */
};

/* root: "" for the running system, or a test tree. */
enum xen_domain_kind xen_detect(const char *root);

#endif
