# make bench: client-side benchmark of the library against nginx on
# 127.0.0.1 (tests/bench/README.md). Not part of `make test`. Included from
# the top Makefile; also works as `make -f Makefile -f tests/bench/bench.mk
# bench`. Installs what it needs from Debian's packages (tests/bench/deps.sh).
#
# Knobs: BENCH_ARGS is passed to tests/bench/run.py (e.g. BENCH_ARGS=--quick).

ifndef BACT_CORE_SRCS
include sources.mk
endif

BUILD ?= build
BENCH_OUT := $(BUILD)/bench
# the project's flags when the top Makefile set them, else the same ones
BENCH_STD := $(or $(STD),-std=c99 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE)
BENCH_WARN := $(or $(WARN),-pedantic -Wall -Wextra -Werror -Wshadow \
    -Wconversion -Wsign-conversion -Wcast-qual -Wvla -Wmissing-prototypes \
    -Wstrict-prototypes -Wpointer-arith -Wformat=2 -Wundef -Wcast-align \
    -Wwrite-strings -Wredundant-decls)
BENCH_CFLAGS ?= -O2 -g
BENCH_CC ?= $(or $(CC),gcc)
BENCH_SRCS := $(BACT_CORE_SRCS) $(BACT_POSIX_SRCS) $(BACT_MBEDTLS_SRCS) \
              tests/bench/poll_bench.c
BENCH_OBJS := $(patsubst %.c,$(BENCH_OUT)/obj/%.o,$(BENCH_SRCS))
BENCH_HDRS := $(wildcard include/*.h src/*.h port/posix/*.h port/mbedtls/*.h)
# the files that include an mbedTLS header
BENCH_TLS_OBJS := $(patsubst %.c,$(BENCH_OUT)/obj/%.o,$(BACT_MBEDTLS_SRCS) \
                  tests/bench/poll_bench.c)

# mbedTLS 3.6, static, built by scripts/mbedtls36.sh host-bench from Debian
# trixie's source package: the device configuration, the host additions and
# bact_mbedtls_bench.h (AES-NI), with link-time optimisation. arch.cflags
# holds the -m flags it was built with; the files that include its headers
# get them too, so that they see the same configuration. link.flags is what
# the link adds (-flto: mbedTLS's own code is optimised across its files
# there; the other objects carry no intermediate code and are linked as
# they are). The library's own objects (src/) are compiled
# with the project's flags only, as for http.
BENCH_M36 := $(BUILD)/deps/mbedtls-3.6-bench
BENCH_M36_LIBS := $(BENCH_M36)/lib/libmbedtls.a $(BENCH_M36)/lib/libmbedx509.a \
                  $(BENCH_M36)/lib/libmbedcrypto.a
$(BENCH_TLS_OBJS): BENCH_TLS = -isystem $(BENCH_M36)/include \
    -Iport/mbedtls/config -DMBEDTLS_CONFIG_FILE='"bact_mbedtls_config.h"' \
    -DMBEDTLS_USER_CONFIG_FILE='"bact_mbedtls_bench.h"' \
    $$(cat $(BENCH_M36)/arch.cflags)
$(BENCH_TLS_OBJS): $(BENCH_M36)/.stamp

.PHONY: bench bench-deps bench-build

bench-deps:
	@tests/bench/deps.sh

bench-build: $(BENCH_OUT)/poll_bench

$(BENCH_M36)/.stamp: scripts/mbedtls36.sh $(wildcard port/mbedtls/config/*.h) \
                     | bench-deps
	@scripts/mbedtls36.sh host-bench

$(BENCH_OUT)/obj/%.o: %.c $(BENCH_HDRS) | bench-deps
	@mkdir -p $(dir $@)
	$(BENCH_CC) $(BENCH_STD) $(BENCH_WARN) $(BENCH_CFLAGS) -Iinclude \
	    -Iport/posix -Iport/mbedtls -DBACT_HAVE_TLS $(BENCH_TLS) -c $< -o $@

$(BENCH_OUT)/poll_bench: $(BENCH_OBJS) $(BENCH_M36)/.stamp
	$(BENCH_CC) $(BENCH_CFLAGS) $$(cat $(BENCH_M36)/link.flags) -o $@ \
	    $(BENCH_OBJS) $(BENCH_M36_LIBS)

bench: bench-deps $(BENCH_OUT)/poll_bench
	@python3 tests/bench/run.py --bin $(BENCH_OUT)/poll_bench \
	    --out $(BENCH_OUT) --tls-info $(BENCH_M36)/info $(BENCH_ARGS)
