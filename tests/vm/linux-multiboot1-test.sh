#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# linux-multiboot-test.sh with the Multiboot (version 1) test kernel.
MB_VARIANT=mb1 exec "$(dirname "$0")/linux-multiboot-test.sh"
