# host-lwip: Linux, gcc, the lwIP port on Debian's liblwip (lwIP 2.1.3,
# unix port: NO_SYS=0, sockets, loopback; its lwipopts.h is Debian's).
# Runs the lwIP host test (tests/lwip/), plain and over TLS.
BOARDS += host-lwip
host-lwip_DESC := x86-64 Linux, gcc, lwIP 2.1.3 (Debian liblwip) sockets
host-lwip_CC := gcc
host-lwip_TOOL :=
host-lwip_CPU := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
host-lwip_PORT := lwip
host-lwip_INC := -isystem /usr/include/lwip
host-lwip_MCU := 0
