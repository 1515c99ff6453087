/* SPDX-License-Identifier: GPL-2.0-or-later */
/* VGA text mode (80x25 at 0xB8000, colour CRTC at 0x3D4). */
#ifndef PURGATORY_VGA_H
#define PURGATORY_VGA_H

#include <stdint.h>

#define VGA_COLS 80
#define VGA_ROWS 25

/* Program the registers for 80x25 colour text and clear the screen. */
void vga_reset(void);
uint16_t vga_get_cursor(void);
void vga_set_cursor(uint16_t pos);
/* Write one character at *pos and advance, scrolling at the bottom. */
void vga_putc(uint16_t *pos, char ch);

#endif
