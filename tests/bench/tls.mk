# make tls-bench: the TLS memory benchmark (tests/bench/TLS.md). Not a
# timed test and not part of `make test`. Meant to be included from the top
# Makefile; also works as
#     make -f Makefile -f tests/bench/tls.mk tls-bench
#
# Builds tests/bench/tls_heap.c with the library twice:
#   $(BUILD)/tls-bench/m36/tls_heap   mbedTLS 3.6 static, built by
#       scripts/mbedtls36.sh with the device config (Tier A) + the host
#       additions, the same library and flags as $(BUILD)/host36/bact
#   $(BUILD)/tls-bench/deb/tls_heap   Debian 12's mbedTLS 2.28 (shared,
#       default config), like $(BUILD)/host/bact, for contrast
# then runs tests/bench/tls_bench.sh, which writes $(BUILD)/tls-bench.md.
#
# Knobs: TLS_BENCH_ARGS is passed to tls_bench.sh (e.g. --polls 200).

# included once, even when both the top Makefile and -f name it
ifndef TLSB_INCLUDED
TLSB_INCLUDED := 1

ifndef BACT_CORE_SRCS
include sources.mk
endif

BUILD ?= build
TLSB_OUT := $(BUILD)/tls-bench
# the project's flags when the top Makefile set them, else the same ones
TLSB_STD := $(or $(STD),-std=c99 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE)
TLSB_WARN := $(or $(WARN),-pedantic -Wall -Wextra -Werror -Wshadow \
    -Wconversion -Wsign-conversion -Wcast-qual -Wvla -Wmissing-prototypes \
    -Wstrict-prototypes -Wpointer-arith -Wformat=2 -Wundef -Wcast-align \
    -Wwrite-strings -Wredundant-decls)
TLSB_CFLAGS ?= -O2 -g
TLSB_CC := $(or $(CC),gcc)

# mbedTLS 3.6 as built for build/host36 (the top Makefile's M36, M36_CFG and
# stamp rule; defined here too when this file is used on its own)
ifndef M36
M36 := $(BUILD)/deps/mbedtls-3.6
M36_CFG := -Iport/mbedtls/config \
           -DMBEDTLS_USER_CONFIG_FILE='"bact_mbedtls_host.h"'
$(M36)/.stamp: scripts/mbedtls36.sh $(wildcard port/mbedtls/config/*.h)
	@scripts/deps.sh --quiet --mbedtls36
	@scripts/mbedtls36.sh host
endif

TLSB_SRCS := $(BACT_CORE_SRCS) $(BACT_POSIX_SRCS) $(BACT_MBEDTLS_SRCS) \
             tests/bench/tls_heap.c
TLSB_HDRS := $(wildcard include/*.h src/*.h port/posix/*.h port/mbedtls/*.h \
                        port/mbedtls/config/*.h)
TLSB_INC := -Iinclude -Iport/posix -Iport/mbedtls -DBACT_HAVE_TLS
TLSB_M36_FLAGS := -isystem $(M36)/include $(M36_CFG) \
                  -DMBEDTLS_CONFIG_FILE='"bact_mbedtls_config.h"'
TLSB_M36_LIBS := $(M36)/lib/libmbedtls.a $(M36)/lib/libmbedx509.a \
                 $(M36)/lib/libmbedcrypto.a

.PHONY: tls-bench tls-bench-build tls-bench-deps

tls-bench-deps:
	@scripts/deps.sh --quiet

tls-bench-build: $(TLSB_OUT)/m36/tls_heap $(TLSB_OUT)/deb/tls_heap

# tls_heap.c needs dladdr1() for naming call sites (--log-big)
$(TLSB_OUT)/m36/obj/tests/bench/tls_heap.o $(TLSB_OUT)/deb/obj/tests/bench/tls_heap.o: \
    TLSB_EXTRA = -D_GNU_SOURCE

$(TLSB_OUT)/m36/obj/%.o: %.c $(TLSB_HDRS) $(M36)/.stamp | tls-bench-deps
	@mkdir -p $(dir $@)
	$(TLSB_CC) $(TLSB_STD) $(TLSB_WARN) $(TLSB_CFLAGS) $(TLSB_EXTRA) \
	    $(TLSB_INC) $(TLSB_M36_FLAGS) -c $< -o $@

$(TLSB_OUT)/deb/obj/%.o: %.c $(TLSB_HDRS) | tls-bench-deps
	@mkdir -p $(dir $@)
	$(TLSB_CC) $(TLSB_STD) $(TLSB_WARN) $(TLSB_CFLAGS) $(TLSB_EXTRA) \
	    $(TLSB_INC) -c $< -o $@

# -rdynamic: the executable's functions get names for dladdr (call sites)
$(TLSB_OUT)/m36/tls_heap: $(patsubst %.c,$(TLSB_OUT)/m36/obj/%.o,$(TLSB_SRCS)) $(TLSB_M36_LIBS)
	$(TLSB_CC) $(TLSB_CFLAGS) -rdynamic -o $@ $^

$(TLSB_OUT)/deb/tls_heap: $(patsubst %.c,$(TLSB_OUT)/deb/obj/%.o,$(TLSB_SRCS))
	$(TLSB_CC) $(TLSB_CFLAGS) -rdynamic -o $@ $^ -lmbedtls -lmbedx509 -lmbedcrypto

$(TLSB_M36_LIBS): $(M36)/.stamp

tls-bench: tls-bench-build
	@tests/bench/tls_bench.sh --m36 $(TLSB_OUT)/m36/tls_heap \
	    --deb $(TLSB_OUT)/deb/tls_heap --out $(BUILD) $(TLS_BENCH_ARGS)

endif # TLSB_INCLUDED
