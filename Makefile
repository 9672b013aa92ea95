# bact - build, test and demo. `make demo` and `make test` install what they
# need (Debian packages via apt-get, npm packages via npm) on first use.

include sources.mk

CC      ?= gcc
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

LIB_SRCS := $(BACT_CORE_SRCS) $(BACT_POSIX_SRCS)
CLI_SRCS := $(wildcard boards/host/*.c)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_NAMES := $(patsubst tests/unit/%.c,%,$(UNIT_SRCS))

.PHONY: all deps deps-light demo test unit check-lib clean
# objects made by pattern chains are kept (no rebuild on every run)
.SECONDARY:
all: $(BUILD)/host/bact

deps:
	@scripts/deps.sh

# ---- host build ----
$(BUILD)/host/%.o: %.c $(wildcard include/*.h src/*.h port/posix/*.h) | deps-light
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -c $< -o $@

$(BUILD)/host/run_and_wait: $(patsubst %.c,$(BUILD)/host/%.o,$(LIB_SRCS) boards/host/example/run_and_wait.c)
	$(CC) $(CFLAGS) -o $@ $^

$(BUILD)/host/webhook_run: $(patsubst %.c,$(BUILD)/host/%.o,$(LIB_SRCS) tests/integration/webhook_run.c)
	$(CC) $(CFLAGS) -o $@ $^

$(BUILD)/host/bact: $(patsubst %.c,$(BUILD)/host/%.o,$(LIB_SRCS) $(CLI_SRCS))
	$(CC) $(CFLAGS) -o $@ $^

# ---- sanitizer build ----
$(BUILD)/asan/%.o: %.c $(wildcard include/*.h src/*.h port/posix/*.h tests/unit/*.h) | deps-light
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(SAN) -Isrc -Itests/unit -c $< -o $@

$(BUILD)/asan/bact: $(patsubst %.c,$(BUILD)/asan/%.o,$(LIB_SRCS) $(CLI_SRCS))
	$(CC) $(CFLAGS) $(SAN) -o $@ $^

# ---- unit tests: normal and under ASan+UBSan ----
$(BUILD)/unit/%.o: %.c $(wildcard include/*.h src/*.h tests/unit/*.h) | deps-light
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -Isrc -Itests/unit -c $< -o $@

$(BUILD)/unit/test_%: $(BUILD)/unit/tests/unit/test_%.o $(BUILD)/unit/tests/unit/harness.o $(patsubst %.c,$(BUILD)/unit/%.o,$(LIB_SRCS))
	$(CC) $(CFLAGS) -o $@ $^

$(BUILD)/asan/test_%: $(BUILD)/asan/tests/unit/test_%.o $(BUILD)/asan/tests/unit/harness.o $(patsubst %.c,$(BUILD)/asan/%.o,$(LIB_SRCS))
	$(CC) $(CFLAGS) $(SAN) -o $@ $^

unit: $(addprefix $(BUILD)/unit/,$(UNIT_NAMES)) $(addprefix $(BUILD)/asan/,$(UNIT_NAMES))

deps-light:
	@scripts/deps.sh --quiet

# The library may not allocate, print, assert or use floating point, and
# keeps no .data/.bss of its own.
check-lib: $(patsubst %.c,$(BUILD)/host/%.o,$(BACT_CORE_SRCS))
	@scripts/check_lib.sh $^

test: deps $(BUILD)/host/bact $(BUILD)/asan/bact $(BUILD)/host/run_and_wait $(BUILD)/host/webhook_run unit
	@tests/run.sh

demo: deps $(BUILD)/host/bact
	@scripts/demo.sh

clean:
	rm -rf $(BUILD)
