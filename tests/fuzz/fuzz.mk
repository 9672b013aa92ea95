# tests/fuzz/fuzz.mk - the libFuzzer harnesses, built with clang under
# AddressSanitizer and UndefinedBehaviorSanitizer. Included by the top
# Makefile (it uses STD, WARN and BACT_CORE_SRCS).
#
#   make fuzz            each harness for FUZZ_SECONDS (default 60) over a
#                        copy of its corpus in build/fuzz/corpus/; fails on
#                        any crash, sanitizer report or broken invariant
#   make fuzz-short      a short pass of each (FUZZ_RUNS executions, default
#                        20000, at most FUZZ_SHORT_SECONDS each); one
#                        "ok - fuzz.NAME" / "not ok - fuzz.NAME: why" line
#   make fuzz-http       one harness for FUZZ_SECONDS (also fuzz-json,
#                        fuzz-url, fuzz-args)
#   make fuzz-build      build them only
#
# FUZZ_ARGS passes more libFuzzer flags, e.g. FUZZ_ARGS=-jobs=2. Crash
# inputs land in build/fuzz/artifacts/NAME/; see tests/fuzz/README.md.

FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_RUNS          ?= 20000
FUZZ_SHORT_SECONDS ?= 15
FUZZ_NAMES         := http json url args
FUZZ_DIR           := $(if $(BUILD),$(BUILD),build)/fuzz
FUZZ_SAN           := -fsanitize=fuzzer,address,undefined \
                      -fno-sanitize-recover=all -fno-omit-frame-pointer
# The project's warnings, but not as errors: a warning only clang raises
# must not stop the fuzz build of code someone else is changing.
FUZZ_CFLAGS         = $(STD) $(filter-out -Werror,$(WARN)) -g -O1 $(FUZZ_SAN) \
                      -Iinclude -Isrc -Iport/posix -Iboards/host \
                      -Itests/unit -Itests/fuzz
FUZZ_LIB_OBJS      := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(BACT_CORE_SRCS))
FUZZ_BINS          := $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ_NAMES))

.PHONY: fuzz fuzz-short fuzz-build fuzz-deps $(addprefix fuzz-,$(FUZZ_NAMES))

# what the build needs, clang and its fuzzer runtime included
fuzz-deps:
	@scripts/deps.sh --quiet --fuzz

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@FUZZ_BUILD=$(FUZZ_DIR) tests/fuzz/run.sh --seconds $(FUZZ_SECONDS) $(FUZZ_NAMES)

fuzz-short: $(FUZZ_BINS)
	@FUZZ_BUILD=$(FUZZ_DIR) tests/fuzz/run.sh --runs $(FUZZ_RUNS) \
	    --seconds $(FUZZ_SHORT_SECONDS) $(FUZZ_NAMES)

$(addprefix fuzz-,$(FUZZ_NAMES)): fuzz-%: $(FUZZ_DIR)/fuzz_%
	@FUZZ_BUILD=$(FUZZ_DIR) tests/fuzz/run.sh --seconds $(FUZZ_SECONDS) $*

$(FUZZ_DIR)/obj/%.o: %.c | fuzz-deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_DIR)/fuzz_http: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_http.o $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_SAN) -o $@ $^

$(FUZZ_DIR)/fuzz_json: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_json.o \
                       $(FUZZ_DIR)/obj/tests/unit/harness.o $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_SAN) -o $@ $^

$(FUZZ_DIR)/fuzz_url: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_url.o $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_SAN) -o $@ $^

# fuzz_args.c includes boards/host/bact_cli.c and cli_args.c itself
$(FUZZ_DIR)/fuzz_args: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_args.o $(FUZZ_LIB_OBJS)
	$(FUZZ_CC) $(FUZZ_SAN) -o $@ $^

-include $(shell find $(FUZZ_DIR)/obj -name '*.d' 2>/dev/null)
