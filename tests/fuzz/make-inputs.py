#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus (tests/fuzz/corpus/<harness>/) and the regression
inputs (tests/fuzz/regressions/<harness>/) the libFuzzer harnesses replay.
The files are checked in; this script says how each was made and remakes
them byte for byte (python3 tests/fuzz/make-inputs.py)."""
import gzip
import lzma
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(kind, harness, name, data):
    d = os.path.join(HERE, kind, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def pad(b, n):
    return b + bytes(n - len(b)) if len(b) < n else b


# ------------------------------------------------------------------ ELF

def ehdr64(entry, phoff, phnum, etype=2, machine=62):
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    return ident + struct.pack("<HHIQQQIHHHHHH", etype, machine, 1, entry, phoff, 0,
                               0, 64, 56, phnum, 0, 0, 0)


def ehdr32(entry, phoff, phnum, machine=3):
    ident = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
    return ident + struct.pack("<HHIIIIIHHHHHH", 2, machine, 1, entry, phoff, 0,
                               0, 52, 32, phnum, 0, 0, 0)


def phdr64(ptype, off, paddr, filesz, memsz, vaddr=None, flags=7):
    vaddr = paddr if vaddr is None else vaddr
    return struct.pack("<IIQQQQQQ", ptype, flags, off, vaddr, paddr, filesz, memsz, 0x1000)


def phdr32(ptype, off, paddr, filesz, memsz, flags=7):
    return struct.pack("<IIIIIIII", ptype, off, paddr, paddr, filesz, memsz, flags, 0x1000)


def linux_note():
    return struct.pack("<III", 6, 4, 0x100) + b"Linux\0\0\0" + bytes(4)


def elf64(loads, entry, notes=False, phoff=64, body_at=0x1000, size=0):
    """loads: (paddr, filesz, memsz); data laid out from body_at."""
    n = len(loads) + (1 if notes else 0)
    img = bytearray(max(size, body_at))
    img[0:64] = ehdr64(entry, phoff, n)
    off = body_at
    ph = b""
    for i, (paddr, filesz, memsz) in enumerate(loads):
        off += paddr & 0xfff if i == 0 else 0
        ph += phdr64(1, off, paddr, filesz, memsz)
        img = pad(img, off + filesz)
        img[off:off + filesz] = bytes([(0x11 * (i + 1)) & 0xff]) * filesz
        off += filesz
    if notes:
        note = linux_note()
        ph += phdr64(4, off, 0, len(note), 0, flags=4)
        img = pad(img, off + len(note))
        img[off:off + len(note)] = note
    img[phoff:phoff + len(ph)] = ph
    return bytes(img)


# ------------------------------------------------------------------ multiboot

MB1_MAGIC = 0x1BADB002
MB2_MAGIC = 0xE85250D6


def mb1_header(flags, addr=None):
    h = struct.pack("<III", MB1_MAGIC, flags, (-(MB1_MAGIC + flags)) & 0xffffffff)
    if addr:
        h += struct.pack("<IIIII", *addr)
    return h


def mb2_header(tags):
    body = b""
    for t in tags + [struct.pack("<HHI", 0, 0, 8)]:
        body += t + bytes((-len(t)) & 7)
    hlen = 16 + len(body)
    return struct.pack("<IIII", MB2_MAGIC, 0, hlen, (-(MB2_MAGIC + hlen)) & 0xffffffff) + body


def mb_elf32(header, phoff=52, loads=((0x200000, 0x1000, 0x3000),), entry=0x200040):
    img = bytearray(0x2000)
    img[0:52] = ehdr32(entry, phoff, len(loads))
    ph = b"".join(phdr32(1, 0x1000, p, f, m) for p, f, m in loads)
    img[phoff:phoff + len(ph)] = ph
    img[0x1000:0x1000 + len(header)] = header
    return bytes(img)


def mb_elf64(header, phoff=64, entry=0x200040):
    img = bytearray(0x2000)
    img[0:64] = ehdr64(entry, phoff, 1)
    ph = phdr64(1, 0x1000, 0x200000, 0x1000, 0x3000)
    img[phoff:phoff + len(ph)] = ph
    img[0x1000:0x1000 + len(header)] = header
    return bytes(img)


# ------------------------------------------------------------------ bzImage

def bzimage(version=0x020f, payload=1024, xload=0x3, relocatable=1, setup_sects=4):
    img = bytearray((setup_sects + 1) * 512 + payload)
    img[0x1f1] = setup_sects
    struct.pack_into("<I", img, 0x1f4, (payload + 15) // 16)
    struct.pack_into("<H", img, 0x1fe, 0xAA55)
    img[0x200] = 0xeb
    img[0x201] = 0x26c - 0x202
    struct.pack_into("<IH", img, 0x202, 0x53726448, version)
    img[0x211] = 0x01  # LOADED_HIGH
    struct.pack_into("<I", img, 0x22c, 0x7fffffff)  # initrd_addr_max
    struct.pack_into("<I", img, 0x230, 0x200000)  # kernel_alignment
    img[0x234] = relocatable
    struct.pack_into("<H", img, 0x236, xload)  # xloadflags
    struct.pack_into("<I", img, 0x238, 2047)  # cmdline_size
    struct.pack_into("<Q", img, 0x258, 0x1000000)  # pref_address
    struct.pack_into("<I", img, 0x260, 0x800000)  # init_size
    for i in range(payload):
        img[(setup_sects + 1) * 512 + i] = (i * 7 + 1) & 0xff
    return bytes(img)


def corpus():
    write("corpus", "bzimage", "v2.15", bzimage())
    write("corpus", "bzimage", "v2.12", bzimage(version=0x020c))
    write("corpus", "bzimage", "not-64bit", bzimage(xload=0))
    write("corpus", "bzimage", "old-protocol", bzimage(version=0x0206))

    two = [(0x200000, 0x180, 0x3000), (0x400000, 0x100, 0x1000)]
    write("corpus", "elf", "two-loads", elf64(two, 0x200010) + b"\x03\x00")
    write("corpus", "elf", "linux-note", elf64(two, 0x200010, notes=True) + b"\x00\x00")
    write("corpus", "elf", "shared-page", elf64([(0x200000, 0x800, 0x800), (0x200900, 0x100, 0x200)],
                                               0x200000) + b"\x01\x00")
    write("corpus", "elf", "crash", elf64(two, 0x200010) + b"\x02\x01")

    write("corpus", "multiboot", "elf32", mb_elf32(mb1_header(3)))
    write("corpus", "multiboot", "elf64", mb_elf64(mb1_header(3)))
    aout = bytearray(0x2000)
    hdr = mb1_header(0x10003, (0x400000 + 0x1000, 0x400000, 0, 0x405000, 0x400200))
    aout[0x1000:0x1000 + len(hdr)] = hdr
    write("corpus", "multiboot", "address-fields", bytes(aout))

    entry = struct.pack("<HHII", 3, 0, 12, 0x200040)
    reloc = struct.pack("<HHIIIII", 10, 0, 24, 0x100000, 0x10000000, 0x200000, 1)
    info = struct.pack("<HHIII", 1, 0, 16, 6, 8)
    write("corpus", "multiboot2", "elf32", mb_elf32(mb2_header([info])))
    write("corpus", "multiboot2", "elf64-relocatable", mb_elf64(mb2_header([reloc])))
    addr = struct.pack("<HHIIIII", 2, 0, 24, 0x400000 + 0x1000, 0x400000, 0, 0x405000)
    raw = bytearray(0x2000)
    hdr = mb2_header([addr, entry])
    raw[0x1000:0x1000 + len(hdr)] = hdr
    write("corpus", "multiboot2", "address-tag", bytes(raw))

    text = bytes(range(256)) * 8
    write("corpus", "kernel_file", "plain", b"plain kernel bytes\n" * 16)
    write("corpus", "kernel_file", "gzip", gzip.compress(text, mtime=0))
    write("corpus", "kernel_file", "xz", lzma.compress(text, format=lzma.FORMAT_XZ))
    write("corpus", "kernel_file", "lzma", lzma.compress(text, format=lzma.FORMAT_ALONE))
    write("corpus", "kernel_file", "zstd-magic", b"\x28\xb5\x2f\xfd" + bytes(60))

    for name, argv in {
        "load": ["-l", "/boot/vmlinuz", "--append=root=/dev/sda1 ro", "--initrd=/boot/initrd"],
        "panic": ["-p", "--mem-min=0x1000000", "--mem-max=0x7fffffff", "bzImage", "-d"],
        "status": ["-S", "-p"],
        "exec": ["-e", "-x", "-y"],
        "multiboot": ["-l", "-t", "multiboot2-x86", "xen.gz", "--module=vmlinuz console=hvc0",
                      "--module=initrd", "--command-line=dom0_mem=1G"],
        "elf": ["-l", "--args-none", "--entry=0x200000", "payload.elf", "--xen-ops=v1"],
        "bad": ["-l", "--mem-max=zzz", "-Q", "--", "x", "y"],
    }.items():
        write("corpus", "options", name, "\0".join(argv).encode())

    iomem = (b"00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n"
             b"00100000-7ffdffff : System RAM\n  01000000-01e00fff : Kernel code\n"
             b"  01e01000-0257ffff : Kernel data\n  02a00000-02bfffff : Kernel bss\n"
             b"  20000000-2fffffff : Crash kernel\nfeb00000-febfffff : PCI Bus 0000:00\n"
             b"100000000-17fffffff : System RAM\n")
    memmap = b"0x0 0x9fbff System RAM\n0x100000 0x7ffdffff System RAM\n0x7ffe0000 0x7fffffff Reserved\n"
    rtmap = b"0x5 0x7f9ee000 0xfffffffeff9ee000 0x10 0x800000000000000f\n0x6 0x7f000000 0xfffffffeff000000 0x20 0x800000000000000f\n"
    systab = b"ACPI20=0x7ffe0014\nSMBIOS=0x7f518000\n"
    cpus = b"0x7fe0c0 0x400\n0x7fe4c0 0x400\n"
    kallsyms = b"ffffffff81000000 T _text\nffffffff81000000 T startup_64\n"
    bp = bytearray(4096)
    struct.pack_into("<Q", bp, 0x70, 0x7ffe0014)  # acpi_rsdp_addr
    struct.pack_into("<IIIIII", bp, 0x1c0, 0x34364c45, 0x7f9ee018, 48, 1, 0x1000, 0)
    sections = [iomem, memmap, rtmap, systab, b"0x7f9ee098\n", b"0x7f9ed018\n",
                b"0x7f9eeb98\n", b"0x7fe10000 0x1000\n", cpus, kallsyms]
    write("corpus", "sysfs", "full", b"\0".join(sections) + b"\0" + bytes(bp))
    write("corpus", "sysfs", "iomem-only", iomem)
    write("corpus", "sysfs", "bios", b"\0".join([iomem, memmap]))

    def desc(flags, notes, loads, ex=(0, 0)):
        b = bytes([flags, len(notes)]) + struct.pack("<QQ", *ex)
        b += b"".join(struct.pack("<QI", a, s) for a, s in notes)
        b += b"".join(struct.pack("<QIB", p, n, a) for p, n, a in loads)
        return b
    notes = [(0x7fe0c0, 0x400), (0x7fe10000, 0x1000)]
    ram = [(0x1000, 0x9e, 0), (0x100000, 0x7fee0, 0), (0x100000000, 0x80000, 0)]
    write("corpus", "crash_elf", "pc64", desc(4, notes, ram, (0x20000000, 0x30000000)))
    write("corpus", "crash_elf", "pc32", desc(1 | 2, notes, ram[:2]))
    write("corpus", "crash_elf", "overlap", desc(8, notes, ram + [(0x200000, 0x10, 0)]))
    write("corpus", "crash_elf", "alias", desc(4, notes, ram + [(0x1000000, 0x1000, 1)]))
    core = struct.pack("<III", 5, 336, 1) + b"CORE\0\0\0\0" + bytes(336)
    write("corpus", "crash_elf", "notes", core + struct.pack("<III", 11, 8, 0) + b"VMCOREINFO\0\0" + bytes(8))


def regressions():
    # Issue 12, finding 1: e_phoff 53 (odd) in a multiboot ELF32, and 65
    # in a multiboot2 ELF64; misaligned Elf32/64_Phdr reads before the fix.
    write("regressions", "multiboot", "odd-phoff", mb_elf32(mb1_header(3), phoff=53))
    write("regressions", "multiboot2", "odd-phoff-elf64", mb_elf64(mb2_header([]), phoff=65))
    # Issue 12, finding 2: a 512-byte ELF, bss-only PT_LOAD of p_memsz
    # 0x7fff00000001 (and 0x80000001), 16 data bytes in its last page: the
    # loader allocated what p_memsz claims before checking the machine.
    for name, memsz in (("huge-memsz", 0x7fff00000001), ("memsz-2g", 0x80000001)):
        img = bytearray(512)
        img[0:64] = ehdr64(0x100000, 64, 2)
        img[64:120] = phdr64(1, 0x100, 0x100000, 0, memsz)
        img[120:176] = phdr64(1, 0x100, 0x100000 + memsz + 0xf, 16, 16)
        img[0x100:0x110] = b"\xcc" * 16
        write("regressions", "elf", name, bytes(img) + b"\x03\x00")
    big = mb_elf32(mb1_header(3), loads=((0x200000, 0, 0x80000001), (0x80200010, 16, 16)))
    write("regressions", "multiboot", "huge-bss", big)
    # Issue 12, finding 3: an EFI runtime-map directory with no entry.
    write("regressions", "sysfs", "empty-runtime-map", b"\0\0")


if __name__ == "__main__":
    corpus()
    regressions()
