# xtensa-lx106: ESP8266-class (Xtensa LX106, call0 ABI, no FPU). Debian's
# gcc-xtensa-lx106 with picolibc; the lwIP port. Literal pools (.literal)
# count as text. picolibc's linker script does not order literals before
# their code, so links use a copy with that one change (made in the build
# folder). The integer division helpers are in the chip's ROM (rom.ld).
BOARDS += xtensa-lx106
xtensa-lx106_DESC := ESP8266-class, Xtensa LX106, xtensa-lx106-elf-gcc, picolibc
xtensa-lx106_CC := xtensa-lx106-elf-gcc
xtensa-lx106_TOOL := xtensa-lx106-elf-
xtensa-lx106_CPU := -mlongcalls --specs=/usr/lib/xtensa-lx106-elf/picolibc.specs
xtensa-lx106_LINK = -T $(BUILD)/boards/xtensa-lx106/picolibc-lit.ld \
    -Wl,--defsym=__flash_size=0x100000 -Wl,--defsym=__ram_size=0x14000 \
    -Wl,boards/xtensa-lx106/rom.ld
xtensa-lx106_LDSCRIPT := $(BUILD)/boards/xtensa-lx106/picolibc-lit.ld
xtensa-lx106_PORT := lwip
xtensa-lx106_MCU := 1
