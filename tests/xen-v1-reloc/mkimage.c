/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Host side of the relocation-code harness: builds, with the loader's own
 * functions, the indirection list, source pages and control block (our
 * relocation code and identity tables) of a pre-4.4 v1 image whose frames
 * are at RIMG_BASE, and writes header + memory to the file named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "xen/private.h"

#define PG 4096ULL

/* Destinations: 600 pages across a 2 MiB boundary (the list needs two
 * pages), a few pages near the top of a 512 MiB guest, one low page. */
static const struct rimg_seg segs[] = {
	{ 0x3000000, 600 * PG }, { 0x1f000000, 3 * PG }, { 0x9000, PG },
};
#define NSEG (sizeof(segs) / sizeof(segs[0]))
#define GUEST_RAM (512ULL << 20)

static void fill_sources(uint8_t *src)
{
	for (unsigned s = 0; s < NSEG; s++)
		for (uint64_t off = 0; off < segs[s].size; off++)
			*src++ = rimg_pattern(segs[s].dest + off);
}

int main(int argc, char **argv)
{
	struct xen_seg_list v1 = { .n = NSEG, .entry = 0x3000000 };
	struct rimg_hdr hdr = { .magic = RIMG_MAGIC, .base = RIMG_BASE, .nseg = NSEG };
	uint64_t top = xen_v1_pre44_top(GUEST_RAM), first = RIMG_BASE / PG;
	size_t nsrc, nlist, nctl, total;
	uint64_t *mfn;
	uint8_t *img;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: mkimage OUT\n");
		return 2;
	}
	for (unsigned s = 0; s < NSEG; s++) {
		v1.seg[s] = (struct xen_seg){ (int)s, segs[s].size, segs[s].dest, segs[s].size };
		hdr.seg[s] = segs[s];
	}
	nsrc = xen_v1_source_pages(&v1);
	nlist = xen_v1_list_pages(nsrc, v1.n);
	nctl = xen_v1_pre44_pages(top);
	total = nlist + nsrc + nctl;
	mfn = calloc(total, sizeof(*mfn));
	img = calloc(total, PG);
	if (!mfn || !img)
		return 1;
	/* Frames in order: list, sources, control block. */
	for (size_t i = 0; i < total; i++) {
		mfn[i] = first + i;
		if (xen_v1_pre44_in_dest(&v1, mfn[i])) {
			fprintf(stderr, "mkimage: frame 0x%llx in a destination\n",
				(unsigned long long)mfn[i]);
			return 1;
		}
	}
	fill_sources(img + nlist * PG);
	if (xen_v1_list_fill(&v1, mfn + nlist, nsrc, mfn, nlist, (uint64_t *)img) < 0 ||
	    xen_v1_pre44_fill(top, mfn + nlist + nsrc, nctl, img + (nlist + nsrc) * PG,
			    hdr.page_list) < 0)
		return 1;
	hdr.ind = mfn[0] * PG;
	hdr.bytes = total * PG;
	f = fopen(argv[1], "wb");
	if (!f)
		return 1;
	fwrite(&hdr, sizeof(hdr), 1, f);
	fseek(f, RIMG_HDR, SEEK_SET);
	fwrite(img, PG, total, f);
	if (fclose(f) != 0)
		return 1;
	printf("mkimage: %zu list, %zu source, %zu control-block pages at 0x%llx\n", nlist, nsrc,
	       nctl, (unsigned long long)RIMG_BASE);
	return 0;
}
