/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Segment plan: placement against the machine description, validation. */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan.h"
#include "util.h"

/* Buffers the plan owns (boot_params, purgatory copy, ...). */
#define PLAN_MAX_OWNED 32
struct plan_owned {
	void *buf[PLAN_MAX_OWNED];
	unsigned n;
};

void machine_free(struct machine *m)
{
	memmap_free(&m->ram);
	memmap_free(&m->crash);
	memmap_free(&m->crash_all);
	dump_source_free(&m->dump);
	free(m->efi.region);
	m->efi.region = NULL;
	m->efi.nregion = 0;
}

void plan_init(struct plan *p, const struct machine *m, bool crash)
{
	memset(p, 0, sizeof(*p));
	p->machine = m;
	p->crash = crash;
	p->arch = EM_X86_64;
	for (unsigned i = 0; i < PLAN_MAX_SEGMENTS; i++)
		p->seg[i].fd = -1;
}

static struct plan_owned *owned(struct plan *p)
{
	if (!p->owned)
		p->owned = calloc(1, sizeof(struct plan_owned));
	return p->owned;
}

int plan_own(struct plan *p, void *buf)
{
	struct plan_owned *o = owned(p);

	if (!o || o->n == PLAN_MAX_OWNED) {
		kx_error("internal: too many plan buffers");
		return -1;
	}
	o->buf[o->n++] = buf;
	return 0;
}

void plan_release(struct plan *p)
{
	struct plan_owned *o = p->owned;

	if (o) {
		for (unsigned i = 0; i < o->n; i++)
			free(o->buf[i]);
		free(o);
	}
	for (unsigned i = 0; i < p->nseg; i++)
		if (p->seg[i].fd >= 0 && p->seg[i].owns_fd)
			close(p->seg[i].fd);
	p->owned = NULL;
	p->nseg = 0;
}

static bool overlaps_planned(const struct plan *p, uint64_t s, uint64_t e,
			     const struct segment **hit)
{
	for (unsigned i = 0; i < p->nseg; i++) {
		const struct segment *g = &p->seg[i];

		if (s < g->mem + g->memsz && g->mem < e) {
			*hit = g;
			return true;
		}
	}
	return false;
}

/* The lowest aligned start of memsz free bytes in [s0, e0), stepping over
 * planned segments. */
static bool lowest_fit(const struct plan *p, uint64_t s0, uint64_t e0, uint64_t memsz,
		       uint64_t align, uint64_t *at)
{
	const struct segment *g;
	uint64_t s = ALIGN_UP(s0, align);

	while (s >= s0 && s < e0 && e0 - s >= memsz) {
		if (!overlaps_planned(p, s, s + memsz, &g)) {
			*at = s;
			return true;
		}
		s = ALIGN_UP(g->mem + g->memsz, align);
	}
	return false;
}

/* The highest one. */
static bool highest_fit(const struct plan *p, uint64_t s0, uint64_t e0, uint64_t memsz,
			uint64_t align, uint64_t *at)
{
	const struct segment *g;
	uint64_t t;

	if (e0 - s0 < memsz)
		return false;
	t = ALIGN_DOWN(e0 - memsz, align);
	while (t >= s0) {
		if (!overlaps_planned(p, t, t + memsz, &g)) {
			*at = t;
			return true;
		}
		if (g->mem < s0 + memsz)
			return false;
		t = ALIGN_DOWN(g->mem - memsz, align);
	}
	return false;
}

static bool allowed(const struct plan *p, const struct mem_range *r)
{
	return p->crash || r->type == MEM_RAM;
}

/* The allowed span starting at range *i, ranges that touch or overlap it
 * joined; *i moves past them. false when range *i is not allowed. */
static bool span_at(const struct plan *p, const struct mem_map *src, size_t *i,
		    uint64_t *s, uint64_t *e)
{
	const struct mem_range *r = &src->r[(*i)++];

	if (!allowed(p, r))
		return false;
	*s = r->start;
	*e = r->end;
	for (; *i < src->n && allowed(p, &src->r[*i]); (*i)++) {
		r = &src->r[*i];
		if (r->start > *e || r->start < *s)
			break;
		if (r->end > *e)
			*e = r->end;
	}
	return true;
}

/* The limits on every destination: the request's, the command line's,
 * the machine's. [*lo, *hi], hi inclusive. */
static void dest_limits(const struct plan *p, uint64_t min, uint64_t max,
			uint64_t *lo, uint64_t *hi)
{
	const struct machine *m = p->machine;

	*lo = min > p->mem_min ? min : p->mem_min;
	*hi = max ? max : UINT64_MAX;
	if (p->mem_max && p->mem_max < *hi)
		*hi = p->mem_max;
	if (m->max_addr && m->max_addr - 1 < *hi)
		*hi = m->max_addr - 1;
}

/* Allocates nothing: a failure always means there is no hole (the loaders
 * then try elsewhere or say so, once). */
int plan_find_hole(const struct plan *p, uint64_t memsz, uint64_t align,
		   uint64_t min, uint64_t max, bool top_down, uint64_t *addr,
		   const char *what UNUSED)
{
	const struct mem_map *src = p->crash ? &p->machine->crash : &p->machine->ram;
	bool found = false;
	uint64_t lo, hi, best = 0;

	if (align < PAGE_SIZE_4K)
		align = PAGE_SIZE_4K;
	memsz = ALIGN_UP(memsz, PAGE_SIZE_4K);
	dest_limits(p, min, max, &lo, &hi);
	for (size_t i = 0; i < src->n;) {
		uint64_t s, e, at;

		if (!span_at(p, src, &i, &s, &e))
			continue;
		s = s > lo ? s : lo;
		e = hi < e - 1 ? hi + 1 : e;
		if (s >= e)
			continue;
		if (!(top_down ? highest_fit(p, s, e, memsz, align, &at)
			       : lowest_fit(p, s, e, memsz, align, &at)))
			continue;
		if (!found || (top_down ? at > best : at < best))
			best = at;
		found = true;
	}
	if (!found)
		return -1;
	*addr = best;
	return 0;
}

const char *plan_limit_note(const struct plan *p, char *buf, size_t len)
{
	if (p->mem_min && p->mem_max)
		snprintf(buf, len, " within --mem-min 0x%" PRIx64 " and --mem-max 0x%" PRIx64,
			 p->mem_min, p->mem_max);
	else if (p->mem_max)
		snprintf(buf, len, " below --mem-max 0x%" PRIx64, p->mem_max);
	else if (p->mem_min)
		snprintf(buf, len, " above --mem-min 0x%" PRIx64, p->mem_min);
	else if (len)
		buf[0] = '\0';
	return buf;
}

static void no_room(const struct plan *p, uint64_t memsz, uint64_t min, uint64_t max,
		    const char *what)
{
	uint64_t lo = min > p->mem_min ? min : p->mem_min;
	uint64_t hi = max && (!p->mem_max || max < p->mem_max) ? max : p->mem_max;
	char note[96];

	plan_limit_note(p, note, sizeof(note));
	if (hi)
		kx_error("no room for the %s (%" PRIu64 " KiB) in %s memory between 0x%" PRIx64
			 " and 0x%" PRIx64 "%s", what, (uint64_t)(ALIGN_UP(memsz, PAGE_SIZE_4K) >> 10),
			 p->crash ? "crash kernel" : "free", lo, hi, note);
	else
		kx_error("no room for the %s (%" PRIu64 " KiB) in %s memory above 0x%" PRIx64 "%s",
			 what, (uint64_t)(ALIGN_UP(memsz, PAGE_SIZE_4K) >> 10),
			 p->crash ? "crash kernel" : "free", lo, note);
}

static struct segment *new_segment(struct plan *p, const char *what)
{
	const struct machine *m = p->machine;
	unsigned limit = PLAN_MAX_SEGMENTS;

	if (m && m->max_segments && m->max_segments - m->reserved_segments < limit)
		limit = m->max_segments - m->reserved_segments;
	if (p->nseg >= limit) {
		kx_error("too many segments (the %s would be number %u; at most %u)",
			 what, p->nseg + 1, limit);
		return NULL;
	}
	return &p->seg[p->nseg];
}

static bool inside_map(const struct mem_map *map, bool ram_only, uint64_t s, uint64_t e)
{
	/* Ranges are normalized, but adjacent ranges may still split a
	 * segment: walk forward while they touch. */
	uint64_t cur = s;

	for (size_t i = 0; i < map->n && cur < e; i++) {
		const struct mem_range *r = &map->r[i];

		if (ram_only && r->type != MEM_RAM)
			continue;
		if (r->start <= cur && r->end > cur)
			cur = r->end;
	}
	return cur >= e;
}

const char *plan_span_problem(const struct plan *p, uint64_t mem, uint64_t end)
{
	const struct machine *m = p->machine;
	const struct segment *hit;

	if (end <= mem)
		return "is empty or wraps around";
	if (m && m->max_addr && end > m->max_addr)
		return "ends above the highest usable address";
	if (p->mem_min > mem || (p->mem_max && end - 1 > p->mem_max))
		return "is outside --mem-min/--mem-max";
	if (m && !inside_map(p->crash ? &m->crash : &m->ram, !p->crash, mem, end))
		return p->crash ? "is not inside the crash kernel region" : "is not inside usable RAM";
	if (overlaps_planned(p, mem, end, &hit))
		return "overlaps a segment already placed";
	return NULL;
}

static int check_placement(const struct plan *p, uint64_t mem, uint64_t memsz,
			   size_t bufsz, const char *what)
{
	const struct machine *m = p->machine;
	const struct segment *hit;

	if ((mem | memsz) & (PAGE_SIZE_4K - 1)) {
		kx_error("%s at 0x%" PRIx64 "+0x%" PRIx64 " is not page aligned", what, mem, memsz);
		return -1;
	}
	if (memsz == 0 || bufsz > memsz || mem + memsz < mem) {
		kx_error("%s: bad size (%zu bytes of data in 0x%" PRIx64 ")", what, bufsz, memsz);
		return -1;
	}
	if (overlaps_planned(p, mem, mem + memsz, &hit)) {
		kx_error("%s at 0x%" PRIx64 "-0x%" PRIx64 " overlaps the %s at 0x%" PRIx64 "-0x%" PRIx64,
			 what, mem, mem + memsz - 1, hit->what, hit->mem, hit->mem + hit->memsz - 1);
		return -1;
	}
	if (m && m->max_addr && mem + memsz > m->max_addr) {
		kx_error("%s at 0x%" PRIx64 " ends above the highest usable address 0x%" PRIx64,
			 what, mem, m->max_addr - 1);
		return -1;
	}
	if (p->mem_min > mem || (p->mem_max && mem + memsz - 1 > p->mem_max)) {
		kx_error("%s at 0x%" PRIx64 "-0x%" PRIx64 " is outside --mem-min/--mem-max",
			 what, mem, mem + memsz - 1);
		return -1;
	}
	if (m && !inside_map(p->crash ? &m->crash : &m->ram, !p->crash, mem, mem + memsz)) {
		kx_error("%s at 0x%" PRIx64 "-0x%" PRIx64 " is not inside %s", what, mem,
			 mem + memsz - 1, p->crash ? "the crash kernel region" : "usable RAM");
		return -1;
	}
	return 0;
}

static int record(struct plan *p, const struct placement *r, uint64_t mem, uint64_t memsz)
{
	struct segment *s = new_segment(p, r->what);

	memsz = ALIGN_UP(memsz, PAGE_SIZE_4K);
	if (!s || check_placement(p, mem, memsz, r->bufsz, r->what) < 0)
		return -1;
	*s = (struct segment){ .buf = r->from_file ? NULL : r->buf,
			       .fd = r->from_file ? r->fd : -1,
			       .file_off = r->from_file ? r->file_off : 0,
			       .bufsz = r->bufsz, .mem = mem, .memsz = memsz, .what = r->what,
			       .no_digest = r->no_digest, .owns_fd = r->from_file && r->owns_fd };
	p->nseg++;
	return 0;
}

static int find_free(struct plan *p, const struct placement *r, uint64_t memsz, uint64_t *at)
{
	uint64_t align = r->align ? r->align : PAGE_SIZE_4K;

	if (!new_segment(p, r->what))
		return -1;
	if (plan_find_hole(p, memsz, align, r->min, r->max, r->top_down, at, r->what) < 0) {
		no_room(p, memsz, r->min, r->max, r->what);
		return -1;
	}
	return 0;
}

int plan_place(struct plan *p, const struct placement *r, uint64_t *addr)
{
	uint64_t memsz = r->memsz, at = r->at;

	if (!r->fixed && memsz < r->bufsz)
		memsz = r->bufsz;
	if ((!r->fixed && find_free(p, r, memsz, &at) < 0) || record(p, r, at, memsz) < 0) {
		/* The plan was to own the file: it is closed either way. */
		if (r->from_file && r->owns_fd && r->fd >= 0)
			close(r->fd);
		return -1;
	}
	if (addr)
		*addr = at;
	return 0;
}

/* Merge the new last range with every range it overlaps or abuts. The
 * others are disjoint and apart, so one pass finds them all. */
static void touch_absorb(struct plan *p)
{
	struct mem_range t = p->touch[--p->ntouch];
	unsigned j = 0;

	while (j < p->ntouch) {
		const struct mem_range *o = &p->touch[j];

		if (o->start > t.end || t.start > o->end) {
			j++;
			continue;
		}
		t.start = o->start < t.start ? o->start : t.start;
		t.end = o->end > t.end ? o->end : t.end;
		p->touch[j] = p->touch[--p->ntouch];
	}
	p->touch[p->ntouch++] = t;
}

/* Ranges are kept as a union: each map-only range may cost a Xen
 * segment, so overlapping needs (the low 1 MiB, the VGA window inside it,
 * a crash backup source) must not each take one. */
int plan_touch(struct plan *p, uint64_t start, uint64_t end)
{
	if (p->ntouch == ARRAY_SIZE(p->touch)) {
		kx_error("internal: too many extra mappings");
		return -1;
	}
	p->touch[p->ntouch] = (struct mem_range){ ALIGN_DOWN(start, PAGE_SIZE_4K),
						 ALIGN_UP(end, PAGE_SIZE_4K), MEM_RAM };
	if (p->touch[p->ntouch].start == p->touch[p->ntouch].end)
		return 0; /* nothing to map */
	p->ntouch++;
	touch_absorb(p);
	return 0;
}

int segment_read(const struct segment *s, uint64_t off, void *dst, size_t len)
{
	if (off > s->bufsz || len > s->bufsz - off) {
		kx_error("internal: read past the %s data", s->what);
		return -1;
	}
	if (s->buf) {
		memcpy(dst, (const char *)s->buf + off, len);
		return 0;
	}
	while (len) {
		ssize_t r = pread(s->fd, dst, len, (off_t)(s->file_off + off));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			kx_error("%s: read failed: %s", s->what,
				 r < 0 ? strerror(errno) : "file shrank");
			return -1;
		}
		dst = (char *)dst + r;
		off += (uint64_t)r;
		len -= (size_t)r;
	}
	return 0;
}

int plan_validate(const struct plan *p)
{
	struct plan check = *p;

	/* Re-add every segment to a fresh copy: the same rules as placement. */
	check.nseg = 0;
	for (unsigned i = 0; i < p->nseg; i++) {
		const struct segment *s = &p->seg[i];

		if (!s->buf && s->fd < 0 && s->bufsz) {
			kx_error("internal: %s has no data source", s->what);
			return -1;
		}
		if (check_placement(&check, s->mem, s->memsz, s->bufsz, s->what) < 0)
			return -1;
		check.seg[check.nseg++] = *s;
	}
	if (p->nseg == 0) {
		kx_error("nothing to load");
		return -1;
	}
	for (unsigned i = 0; i < p->nseg; i++)
		if (p->entry >= p->seg[i].mem && p->entry < p->seg[i].mem + p->seg[i].memsz)
			return 0;
	kx_error("entry point 0x%" PRIx64 " is outside every segment", p->entry);
	return -1;
}

void plan_dump(const struct plan *p)
{
	kx_debug("plan: %u segments, entry 0x%" PRIx64 "%s", p->nseg, p->entry,
		 p->crash ? " (crash image)" : "");
	for (unsigned i = 0; i < p->nseg; i++) {
		const struct segment *s = &p->seg[i];

		kx_debug("  %-12s buf %-10s bufsz 0x%08zx mem 0x%016" PRIx64 " memsz 0x%08" PRIx64,
			 s->what, s->buf ? "memory" : "file", s->bufsz, s->mem, s->memsz);
	}
}
