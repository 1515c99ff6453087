/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Minimal VGA text console and mode reset. The reset programs the standard
 * 80x25 colour text register set (mode 3); it does not reload the font. */
#include "vga.h"
#include "port-io.h"

#define VGA_TEXT      ((volatile uint16_t *)0xB8000)
#define VGA_BLANK     0x0720	/* space, light grey on black */
#define VGA_MISC_W    0x3C2
#define VGA_SEQ       0x3C4
#define VGA_GC        0x3CE
#define VGA_AC        0x3C0
#define VGA_CRTC      0x3D4
#define VGA_STATUS    0x3DA	/* reading it resets the AC flip-flop */

static const uint8_t seq_regs[] = { 0x03, 0x00, 0x03, 0x00, 0x02 };
/* CRTC 0x03 bit 7 and 0x11 bit 7 clear: registers 0-7 stay writable. */
static const uint8_t crtc_regs[] = {
	0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F,
	0x00, 0x4F, 0x0D, 0x0E, 0x00, 0x00, 0x00, 0x00,
	0x9C, 0x0E, 0x8F, 0x28, 0x1F, 0x96, 0xB9, 0xA3, 0xFF,
};
static const uint8_t gc_regs[] = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF };
static const uint8_t ac_regs[] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07,
	0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F,
	0x0C, 0x00, 0x0F, 0x08, 0x00,
};

static void write_indexed(uint16_t port, unsigned int first, const uint8_t *v,
			  unsigned int n)
{
	for (unsigned int i = first; i < n; i++) {
		outb(port, (uint8_t)i);
		outb(port + 1, v[i]);
	}
}

void vga_reset(void)
{
	/* Hold the sequencer in synchronous reset while the clock and
	 * memory mode change; writing register 0 last releases it. */
	outb(VGA_SEQ, 0);
	outb(VGA_SEQ + 1, 0x01);
	outb(VGA_MISC_W, 0x67);
	write_indexed(VGA_SEQ, 1, seq_regs, sizeof(seq_regs));
	write_indexed(VGA_SEQ, 0, seq_regs, 1);
	/* Unlock CRTC 0-7 before writing them. */
	outb(VGA_CRTC, 0x11);
	outb(VGA_CRTC + 1, inb(VGA_CRTC + 1) & 0x7F);
	write_indexed(VGA_CRTC, 0, crtc_regs, sizeof(crtc_regs));
	write_indexed(VGA_GC, 0, gc_regs, sizeof(gc_regs));
	for (unsigned int i = 0; i < sizeof(ac_regs); i++) {
		(void)inb(VGA_STATUS);
		outb(VGA_AC, (uint8_t)i);
		outb(VGA_AC, ac_regs[i]);
	}
	(void)inb(VGA_STATUS);
	outb(VGA_AC, 0x20);	/* palette address source: display on */

	for (unsigned int i = 0; i < VGA_COLS * VGA_ROWS; i++)
		VGA_TEXT[i] = VGA_BLANK;
	vga_set_cursor(0);
}

uint16_t vga_get_cursor(void)
{
	uint16_t pos;

	outb(VGA_CRTC, 0x0E);
	pos = (uint16_t)(inb(VGA_CRTC + 1) << 8);
	outb(VGA_CRTC, 0x0F);
	pos |= inb(VGA_CRTC + 1);
	return pos < VGA_COLS * VGA_ROWS ? pos : 0;
}

void vga_set_cursor(uint16_t pos)
{
	outb(VGA_CRTC, 0x0E);
	outb(VGA_CRTC + 1, (uint8_t)(pos >> 8));
	outb(VGA_CRTC, 0x0F);
	outb(VGA_CRTC + 1, (uint8_t)pos);
}

static void scroll(void)
{
	unsigned int i;

	for (i = 0; i < VGA_COLS * (VGA_ROWS - 1); i++)
		VGA_TEXT[i] = VGA_TEXT[i + VGA_COLS];
	for (; i < VGA_COLS * VGA_ROWS; i++)
		VGA_TEXT[i] = VGA_BLANK;
}

void vga_putc(uint16_t *pos, char ch)
{
	if (ch == '\n') {
		*pos = (uint16_t)(*pos - *pos % VGA_COLS + VGA_COLS);
	} else if (ch != '\r') {
		VGA_TEXT[*pos] = (uint16_t)(0x0700 | (uint8_t)ch);
		(*pos)++;
	}
	if (*pos >= VGA_COLS * VGA_ROWS) {
		scroll();
		*pos = VGA_COLS * (VGA_ROWS - 1);
	}
}
