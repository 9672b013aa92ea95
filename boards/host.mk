# host: Linux, gcc, the POSIX port; the bact tool and the example live in
# boards/host/ and are built by the top Makefile. Here: the library alone,
# warnings as errors, for `make boards`.
BOARDS += host
host_DESC := x86-64 Linux, gcc, POSIX sockets
host_CC := gcc
host_TOOL :=
host_CPU := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
host_PORT := posix
host_INC :=
host_MCU := 0
