# bact - build, test and demo. `make demo` and `make test` install what they
# need (Debian packages via apt-get, npm packages via npm) on first use.

include sources.mk

# gcc unless CC is given (make's built-in default "cc" would win over ?=)
ifeq ($(origin CC),default)
CC      := gcc
endif
BUILD   := build
STD     := -std=c99 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -pedantic -Wall -Wextra -Werror -Wshadow -Wconversion \
           -Wsign-conversion -Wcast-qual -Wvla -Wmissing-prototypes \
           -Wstrict-prototypes -Wpointer-arith -Wformat=2 -Wundef \
           -Wcast-align -Wwrite-strings -Wredundant-decls
CFLAGS  ?= -O2 -g
ALLCFLAGS = $(STD) $(WARN) $(CFLAGS) -Iinclude -Iport/posix
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all \
           -fno-omit-frame-pointer
# The tool's builds (host, host36, host36-13, bytehead, asan) use jsmn with
# parent links: their token array is sized for a 2 MiB answer, and without
# the links jsmn walks back over all earlier tokens at each ',' and closer,
# so a hostile flat answer of that size costs minutes of CPU. The unit
# tests run with them under asan, and with jsmn's default (what devices,
# with few tokens, use) in the unit, small and bytewise builds.
TOOL_JSMN := -DJSMN_PARENT_LINKS

LIB_SRCS := $(BACT_CORE_SRCS) $(BACT_POSIX_SRCS)
CLI_SRCS := $(wildcard boards/host/*.c)
TLS_SRCS := $(BACT_MBEDTLS_SRCS)
TLS_HDRS := $(wildcard port/mbedtls/*.h port/mbedtls/config/*.h)
# The tool with https: Debian's mbedTLS 2.28 (shared, system headers) for
# build/host and build/asan; mbedTLS 3.6 built by scripts/mbedtls36.sh
# (static, -isystem) for build/host36 (TLS 1.2, the device config) and
# build/host36-13 (the TLS 1.3 variant).
TLS_CFLAGS := -DBACT_HAVE_TLS -Iport/mbedtls
MBEDTLS_LIBS := -lmbedtls -lmbedx509 -lmbedcrypto
M36 := $(BUILD)/deps/mbedtls-3.6
M36_13 := $(BUILD)/deps/mbedtls-3.6-tls13
M36_CFG := -Iport/mbedtls/config \
           -DMBEDTLS_USER_CONFIG_FILE='"bact_mbedtls_host.h"'
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_NAMES := $(patsubst tests/unit/%.c,%,$(UNIT_SRCS))

.PHONY: all deps deps-light deps-tls36 deps-demo demo test unit jsondiff check-lib check-clang analyze clean tls-builds \
        tls-configs
# objects made by pattern chains are kept (no rebuild on every run)
.SECONDARY:
all: $(BUILD)/host/bact

deps:
	@scripts/deps.sh

# ---- host build ----
$(BUILD)/host/%.o: %.c $(wildcard include/*.h src/*.h port/posix/*.h boards/host/*.h) $(TLS_HDRS) | deps-light
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(TOOL_JSMN) $(TLSOBJ_FLAGS) -c $< -o $@

$(BUILD)/host/run_and_wait: $(patsubst %.c,$(BUILD)/host/%.o,$(LIB_SRCS) boards/host/example/run_and_wait.c)
	$(CC) $(CFLAGS) -o $@ $^

$(BUILD)/host/webhook_run: $(patsubst %.c,$(BUILD)/host/%.o,$(LIB_SRCS) tests/integration/webhook_run.c)
	$(CC) $(CFLAGS) -o $@ $^

$(BUILD)/host/bact: $(patsubst %.c,$(BUILD)/host/%.o,$(LIB_SRCS) $(CLI_SRCS) $(TLS_SRCS))
	$(CC) $(CFLAGS) -o $@ $^ $(MBEDTLS_LIBS)

# the no-RTC check of the TLS port (tests/tls/no_rtc.sh)
$(BUILD)/host/no_rtc: $(patsubst %.c,$(BUILD)/host/%.o,$(LIB_SRCS) $(TLS_SRCS) tests/tls/no_rtc.c)
	$(CC) $(CFLAGS) -o $@ $^ $(MBEDTLS_LIBS)
$(BUILD)/host/tests/tls/%.o: TLSOBJ_FLAGS = $(TLS_CFLAGS)

# the POSIX transport against bact_port.h's contract, over loopback sockets
# (tests/posix/; getaddrinfo wrapped: a name with several addresses, and
# freeaddrinfo with it: every list freed; poll wrapped: a wait that fails;
# connect wrapped: an address with no route; send wrapped: a send that
# would block after its wait found room)
POSIX_WRAP = -Wl,--wrap=getaddrinfo,--wrap=freeaddrinfo,--wrap=poll,--wrap=connect,--wrap=send
$(BUILD)/host/posix_test: $(patsubst %.c,$(BUILD)/host/%.o,$(LIB_SRCS) tests/posix/posix_test.c)
	$(CC) $(CFLAGS) $(POSIX_WRAP) -o $@ $^
# and under ASan+UBSan: a byte read or written outside the port's buffers
$(BUILD)/asan/posix_test: $(patsubst %.c,$(BUILD)/asan/%.o,$(LIB_SRCS) tests/posix/posix_test.c)
	$(CC) $(CFLAGS) $(SAN) $(POSIX_WRAP) -o $@ $^

# only the tool and the TLS port see mbedTLS
$(BUILD)/host/boards/host/bact_cli.o $(BUILD)/asan/boards/host/bact_cli.o: TLSOBJ_FLAGS = $(TLS_CFLAGS)
$(BUILD)/host/port/mbedtls/%.o $(BUILD)/asan/port/mbedtls/%.o: TLSOBJ_FLAGS = $(TLS_CFLAGS)

# ---- the tool against mbedTLS 3.6 (static): host36, host36-13 ----
$(M36)/.stamp: scripts/mbedtls36.sh $(TLS_HDRS) | deps-tls36
	@scripts/mbedtls36.sh host
$(M36_13)/.stamp: scripts/mbedtls36.sh $(TLS_HDRS) | deps-tls36
	@scripts/mbedtls36.sh host-tls13

$(BUILD)/host36/%.o: %.c $(wildcard include/*.h src/*.h port/posix/*.h boards/host/*.h) $(TLS_HDRS) $(M36)/.stamp | deps-light
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(TOOL_JSMN) $(TLS_CFLAGS) -isystem $(M36)/include \
	    $(M36_CFG) -DMBEDTLS_CONFIG_FILE='"bact_mbedtls_config.h"' -c $< -o $@

$(BUILD)/host36/bact: $(patsubst %.c,$(BUILD)/host36/%.o,$(LIB_SRCS) $(CLI_SRCS) $(TLS_SRCS))
	$(CC) $(CFLAGS) -o $@ $^ $(M36)/lib/libmbedtls.a $(M36)/lib/libmbedx509.a \
	    $(M36)/lib/libmbedcrypto.a

$(BUILD)/host36/no_rtc: $(patsubst %.c,$(BUILD)/host36/%.o,$(LIB_SRCS) $(TLS_SRCS) tests/tls/no_rtc.c)
	$(CC) $(CFLAGS) -o $@ $^ $(M36)/lib/libmbedtls.a $(M36)/lib/libmbedx509.a \
	    $(M36)/lib/libmbedcrypto.a

$(BUILD)/host36-13/%.o: %.c $(wildcard include/*.h src/*.h port/posix/*.h boards/host/*.h) $(TLS_HDRS) $(M36_13)/.stamp | deps-light
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(TOOL_JSMN) $(TLS_CFLAGS) -isystem $(M36_13)/include \
	    $(M36_CFG) -DMBEDTLS_CONFIG_FILE='"bact_mbedtls_config_tls13.h"' \
	    -c $< -o $@

$(BUILD)/host36-13/bact: $(patsubst %.c,$(BUILD)/host36-13/%.o,$(LIB_SRCS) $(CLI_SRCS) $(TLS_SRCS))
	$(CC) $(CFLAGS) -o $@ $^ $(M36_13)/lib/libmbedtls.a \
	    $(M36_13)/lib/libmbedx509.a $(M36_13)/lib/libmbedcrypto.a

tls-builds: $(BUILD)/host/bact $(BUILD)/asan/bact $(BUILD)/host36/bact \
            $(BUILD)/host36-13/bact tls-configs

# The device configurations compile with the port, warnings as errors:
# 2.28 (against Debian's headers), 3.6 Tier A and the TLS 1.3 variant.
TLSCFG := $(BUILD)/tlscfg
tls-configs: $(TLSCFG)/mbedtls2.o $(TLSCFG)/mbedtls36.o $(TLSCFG)/mbedtls36-13.o
$(TLSCFG)/mbedtls2.o: $(TLS_SRCS) $(TLS_HDRS) $(wildcard include/*.h) | deps-light
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(TLS_CFLAGS) -Iport/mbedtls/config \
	    -DMBEDTLS_CONFIG_FILE='"bact_mbedtls2_config.h"' -c $< -o $@
$(TLSCFG)/mbedtls36.o: $(TLS_SRCS) $(TLS_HDRS) $(wildcard include/*.h) $(M36)/.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(TLS_CFLAGS) -isystem $(M36)/include -Iport/mbedtls/config \
	    -DMBEDTLS_CONFIG_FILE='"bact_mbedtls_config.h"' -c $< -o $@
$(TLSCFG)/mbedtls36-13.o: $(TLS_SRCS) $(TLS_HDRS) $(wildcard include/*.h) $(M36)/.stamp
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(TLS_CFLAGS) -isystem $(M36)/include -Iport/mbedtls/config \
	    -DMBEDTLS_CONFIG_FILE='"bact_mbedtls_config_tls13.h"' -c $< -o $@

# ---- sanitizer build ----
$(BUILD)/asan/%.o: %.c $(wildcard include/*.h src/*.h port/posix/*.h tests/unit/*.h boards/host/*.h) $(TLS_HDRS) | deps-light
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(TOOL_JSMN) $(TLSOBJ_FLAGS) $(SAN) -Isrc -Itests/unit \
	    -c $< -o $@

$(BUILD)/asan/bact: $(patsubst %.c,$(BUILD)/asan/%.o,$(LIB_SRCS) $(CLI_SRCS) $(TLS_SRCS))
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(MBEDTLS_LIBS)

# ---- the tool with answer heads parsed byte by byte only
# (BACT_CONFIG_FAST_HEAD 0): the hostile suite must decide the same ----
$(BUILD)/bytehead/%.o: %.c $(wildcard include/*.h src/*.h port/posix/*.h boards/host/*.h) $(TLS_HDRS) | deps-light
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(TOOL_JSMN) $(TLSOBJ_FLAGS) -DBACT_CONFIG_FAST_HEAD=0 \
	    -c $< -o $@
$(BUILD)/bytehead/boards/host/bact_cli.o $(BUILD)/bytehead/port/mbedtls/%.o: TLSOBJ_FLAGS = $(TLS_CFLAGS)

$(BUILD)/bytehead/bact: $(patsubst %.c,$(BUILD)/bytehead/%.o,$(LIB_SRCS) $(CLI_SRCS) $(TLS_SRCS))
	$(CC) $(CFLAGS) -o $@ $^ $(MBEDTLS_LIBS)

# ---- the tool with bact_wait()'s poll bound at 3 (BACT_WAIT_MAX_POLLS,
# 10,000,000 by default): e2e reaches the bound in a moment with it ----
$(BUILD)/polls3/%.o: %.c $(wildcard include/*.h src/*.h port/posix/*.h boards/host/*.h) $(TLS_HDRS) | deps-light
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(TOOL_JSMN) $(TLSOBJ_FLAGS) -DBACT_WAIT_MAX_POLLS=3 \
	    -c $< -o $@
$(BUILD)/polls3/boards/host/bact_cli.o $(BUILD)/polls3/port/mbedtls/%.o: TLSOBJ_FLAGS = $(TLS_CFLAGS)

$(BUILD)/polls3/bact: $(patsubst %.c,$(BUILD)/polls3/%.o,$(LIB_SRCS) $(CLI_SRCS) $(TLS_SRCS))
	$(CC) $(CFLAGS) -o $@ $^ $(MBEDTLS_LIBS)

# ---- unit tests: normal and under ASan+UBSan ----
$(BUILD)/unit/%.o: %.c $(wildcard include/*.h src/*.h port/posix/*.h tests/unit/*.h) | deps-light
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -Isrc -Itests/unit -c $< -o $@

$(BUILD)/unit/test_%: $(BUILD)/unit/tests/unit/test_%.o $(BUILD)/unit/tests/unit/harness.o $(patsubst %.c,$(BUILD)/unit/%.o,$(LIB_SRCS))
	$(CC) $(CFLAGS) -o $@ $^

$(BUILD)/asan/test_%: $(BUILD)/asan/tests/unit/test_%.o $(BUILD)/asan/tests/unit/harness.o $(patsubst %.c,$(BUILD)/asan/%.o,$(LIB_SRCS))
	$(CC) $(CFLAGS) $(SAN) -o $@ $^

# the word-at-a-time scans' byte-by-byte path, the one a big-endian machine
# takes, under ASan+UBSan: the tests of the two files that scan
BYTEWISE_NAMES := test_http test_json_read
$(BUILD)/bytewise/%.o: %.c $(wildcard include/*.h src/*.h port/posix/*.h tests/unit/*.h) | deps-light
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(SAN) -DBACT__TEST_BYTEWISE -Isrc -Itests/unit -c $< -o $@

$(BUILD)/bytewise/test_%: $(BUILD)/bytewise/tests/unit/test_%.o $(BUILD)/bytewise/tests/unit/harness.o $(patsubst %.c,$(BUILD)/bytewise/%.o,$(LIB_SRCS))
	$(CC) $(CFLAGS) $(SAN) -o $@ $^

# the smallest configuration (boards/bact_config_small.h), under ASan+UBSan:
# every unit test, the same outcomes
SMALL_CFG := -Iboards -DBACT_CONFIG_FILE='"bact_config_small.h"'
$(BUILD)/small/%.o: %.c $(wildcard include/*.h src/*.h port/posix/*.h tests/unit/*.h boards/*.h) | deps-light
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(SAN) $(SMALL_CFG) -Isrc -Itests/unit -c $< -o $@

$(BUILD)/small/test_%: $(BUILD)/small/tests/unit/test_%.o $(BUILD)/small/tests/unit/harness.o $(patsubst %.c,$(BUILD)/small/%.o,$(LIB_SRCS))
	$(CC) $(CFLAGS) $(SAN) -o $@ $^

unit: $(addprefix $(BUILD)/unit/,$(UNIT_NAMES)) $(addprefix $(BUILD)/asan/,$(UNIT_NAMES)) \
      $(addprefix $(BUILD)/bytewise/,$(BYTEWISE_NAMES)) $(addprefix $(BUILD)/small/,$(UNIT_NAMES))

# the differential check of the JSON reader against Python's json
# (tests/jsondiff/): a fixed seed and count, under ASan+UBSan, one
# "ok - jsondiff..." line
$(BUILD)/asan/json_diff: $(BUILD)/asan/tests/jsondiff/json_diff.o $(patsubst %.c,$(BUILD)/asan/%.o,$(LIB_SRCS))
	$(CC) $(CFLAGS) $(SAN) -o $@ $^

jsondiff: $(BUILD)/asan/json_diff
	@python3 tests/jsondiff/json_diff.py $(BUILD)/asan/json_diff

deps-light:
	@scripts/deps.sh --quiet

deps-tls36:
	@scripts/deps.sh --quiet --mbedtls36

deps-demo:
	@scripts/deps.sh --quiet --demo

# The library may not allocate, print, assert or use floating point, and
# keeps no .data/.bss of its own.
check-lib: $(patsubst %.c,$(BUILD)/host/%.o,$(BACT_CORE_SRCS))
	@scripts/check_lib.sh $^

# clang builds the library (default and smallest configuration), the
# POSIX and mbedTLS ports, the tool and the unit tests with the same
# warnings as errors: a warning only one compiler raises stops no one's
# build. One "ok - clang.FILE" line each (tests/run.sh).
CLANG_SRCS = $(BACT_CORE_SRCS) $(BACT_POSIX_SRCS) $(TLS_SRCS) $(CLI_SRCS) \
             $(wildcard tests/unit/*.c)
CLANG_CC = clang $(STD) $(WARN) -O2 -Iinclude -Iport/posix -Iboards/host \
           -Isrc -Itests/unit $(TLS_CFLAGS)
CLANG_OK = 2>$(BUILD)/clang/err.txt; then echo "ok - clang.$$f"; else \
           echo "not ok - clang.$$f: $$(head -c 400 $(BUILD)/clang/err.txt | tr '\n' ' ')"; fi
check-clang: | deps
	@mkdir -p $(BUILD)/clang; \
	for f in $(CLANG_SRCS); do \
	    if $(CLANG_CC) -c $$f -o /dev/null $(CLANG_OK); done; \
	for f in $(BACT_CORE_SRCS); do \
	    if $(CLANG_CC) $(SMALL_CFG) -c $$f -o /dev/null $(CLANG_OK); done

# gcc's static analyzer (-fanalyzer) over the library, its ports (mbedTLS
# 2.28 and 3.6, lwIP), the core in its smallest configuration too, and
# the tool: each file's findings go to a .txt, and
# scripts/check_analyzer.sh (run by tests/run.sh) fails any that has one.
AN := $(BUILD)/analyze
AN_SRCS := $(LIB_SRCS) $(CLI_SRCS) $(TLS_SRCS) $(BACT_LWIP_SRCS)
AN_TXT := $(patsubst %.c,$(AN)/%.txt,$(AN_SRCS)) $(AN)/m36/port/mbedtls/bact_mbedtls.txt \
          $(AN)/dns/port/lwip/bact_lwip.txt $(AN)/v4/port/lwip/bact_lwip.txt \
          $(patsubst %.c,$(AN)/small/%.txt,$(BACT_CORE_SRCS))
# (a recipe: the compiler, its flags between these two, then the file)
AN_CC = @mkdir -p $(dir $@); $(CC) $(ALLCFLAGS) -Wno-error -fanalyzer
AN_OUT = -c $< -o /dev/null 2>$@.tmp; mv $@.tmp $@
$(AN)/%.txt: %.c $(wildcard include/*.h src/*.h port/*/*.h boards/host/*.h) $(TLS_HDRS) | deps-light
	$(AN_CC) $(TOOL_JSMN) $(AN_EXTRA) $(AN_OUT)
$(AN)/boards/host/%.txt $(AN)/port/mbedtls/%.txt: AN_EXTRA = $(TLS_CFLAGS)
$(AN)/port/lwip/%.txt: AN_EXTRA = -Iport/lwip -isystem /usr/include/lwip
$(AN)/port/lwip/%.txt: | boards-deps-lwip
$(AN)/small/%.txt: %.c $(wildcard include/*.h src/*.h boards/*.h) | deps-light
	$(AN_CC) $(SMALL_CFG) $(AN_OUT)
$(AN)/m36/%.txt: %.c $(wildcard include/*.h) $(TLS_HDRS) $(M36)/.stamp
	$(AN_CC) $(TLS_CFLAGS) -isystem $(M36)/include -Iport/mbedtls/config \
	    -DMBEDTLS_CONFIG_FILE='"bact_mbedtls_config.h"' $(AN_OUT)
# the lwIP port as the lwip-dns test builds it: lwIP's resolver and select
$(AN)/dns/%.txt: %.c $(wildcard include/*.h port/lwip/*.h) tests/lwip/dns/lwipopts.h \
    | $(BUILD)/deps/boards-src.mk
	$(AN_CC) -DBACT_LWIP_USE_SELECT=1 -Iport/lwip $(HD_INC) $(AN_OUT)
# and as the lwip-v4 test builds it: the same without IPv6
$(AN)/v4/%.txt: %.c $(wildcard include/*.h port/lwip/*.h) tests/lwip/dns/lwipopts.h \
    | $(BUILD)/deps/boards-src.mk
	$(AN_CC) -DBACT_LWIP_USE_SELECT=1 -DBACT_TEST_LWIP_IPV4_ONLY -Iport/lwip \
	    $(HD_INC) $(AN_OUT)
analyze: $(AN_TXT)
	@scripts/check_analyzer.sh $(AN) $^

test: deps $(BUILD)/host/bact $(BUILD)/asan/bact $(BUILD)/asan/json_diff $(BUILD)/bytehead/bact $(BUILD)/polls3/bact $(BUILD)/host/run_and_wait $(BUILD)/host/webhook_run $(BUILD)/host/posix_test $(BUILD)/asan/posix_test $(BUILD)/host/no_rtc $(BUILD)/host36/no_rtc unit tls-builds fuzz-build \
      boards-objs $(BUILD)/boards/host-lwip/lwip_test \
      $(BUILD)/boards/host-lwip-dns/lwip_test $(BUILD)/boards/host-lwip-v4/lwip_test \
      $(AN_TXT)
	@tests/run.sh

# what the demo needs (the tool, python3, openssl), not the test suite's
demo: deps-demo $(BUILD)/host/bact
	@scripts/demo.sh

clean:
	rm -rf $(BUILD)

# cross builds, make size, the lwIP port and its host test
include boards/boards.mk

# libFuzzer harnesses: make fuzz; make test runs a short pass
include tests/fuzz/fuzz.mk

# soak and dup-check (benchmarks, not part of make test)
include tests/soak/soak.mk

# benchmarks (not part of make test)
include tests/bench/bench.mk
include tests/bench/tls.mk
