# boards/boards.mk - the boards: cross builds, sizes and the lwIP host test.
# Included by the top Makefile; on its own: make -f Makefile -f boards/boards.mk T
#
#   make boards      the library (src/ + the board's port, + the TLS port
#                    where mbedTLS is at hand) for every board, warnings as
#                    errors; the lwIP port also with LWIP_COMPAT_SOCKETS 0/1/2,
#                    with select() instead of poll(), without DNS and IPv6
#                    only (with and without DNS)
#   make check-boards   the cross objects reference no heap, printf, assert
#                    handler, soft-float or 64-bit division helper, and have
#                    no .data/.bss (scripts/check_boards.sh)
#   make size        the size table (scripts/size.sh), also written to
#                    build/size.md
#   make firmware    the cortex-m4f example firmware image
#   make lwip-test   builds and runs the lwIP host test (tests/lwip/)
#   make lwip-dns-test   the same on lwIP built from its source, with a
#                    resolver and select()
#   make lwip-v4-test    that build again without IPv6 (LWIP_IPV6 0)
#
# A board is boards/<name>/board.mk (boards/host.mk for the host): its
# compiler, CPU flags, link flags (specs) and port. Toolchains and liblwip
# come from Debian (scripts/deps_boards.sh); lwIP 2.1.3 and mbedTLS 3.6
# sources from Debian's source packages (scripts/lwip_src.sh), unpacked
# under build/deps/src.

# Included before or after the top Makefile's own targets, this file leaves
# the default goal alone.
BOARDS_SAVED_GOAL := $(.DEFAULT_GOAL)
BUILD ?= build
ifndef BACT_CORE_SRCS
include sources.mk
endif

BOARDS :=
include boards/host.mk
include $(sort $(wildcard boards/*/board.mk))
MCU_BOARDS := $(foreach b,$(BOARDS),$(if $(filter 1,$($(b)_MCU)),$(b)))

# The project's warnings (the top Makefile's WARN), errors included.
BOARDS_WARN_DEFAULT := -pedantic -Wall -Wextra -Werror -Wshadow -Wconversion \
    -Wsign-conversion -Wcast-qual -Wvla -Wmissing-prototypes \
    -Wstrict-prototypes -Wpointer-arith -Wformat=2 -Wundef -Wcast-align \
    -Wwrite-strings -Wredundant-decls
BOARDS_WARN = $(if $(WARN),$(WARN),$(BOARDS_WARN_DEFAULT))
# -Os with one section per function and object, as the size table wants;
# the stack figures come from the compiler: -fstack-usage (.su) and the
# call graph with frame sizes, -fcallgraph-info=su (.ci).
BOARDS_CFLAGS = -std=c99 $(BOARDS_WARN) -Os -ffunction-sections \
    -fdata-sections -fstack-usage -fcallgraph-info=su
BOARDS_HDRS := $(wildcard include/*.h src/*.h port/*/*.h port/*/config/*.h \
    port/lwip/config/arch/*.h)
BRD := $(BUILD)/boards

.PHONY: boards boards-deps boards-objs check-boards size firmware lwip-test lwip-dns-test \
        lwip-v4-test \
        $(addprefix board-,$(BOARDS))

boards-deps:
	@scripts/deps_boards.sh

# ---- the source packages (only for the goals that need them) ----
# The fetch runs once; build/deps/boards-src.mk then names the folders.
BOARDS_SRCMK := $(BUILD)/deps/boards-src.mk
# (`test` too, for when the top Makefile's test depends on check-boards)
ifneq ($(filter boards board-% boards-objs check-boards size firmware test \
    lwip-dns-test lwip-v4-test analyze,$(MAKECMDGOALS)),)
-include $(BOARDS_SRCMK)
endif
$(BOARDS_SRCMK): scripts/lwip_src.sh | boards-deps
	@scripts/lwip_src.sh all
	@mkdir -p $(dir $@)
	@{ echo "LWIP_SRC := $$(scripts/lwip_src.sh --print-lwip)"; \
	   echo "MBEDTLS_SRC := $$(scripts/lwip_src.sh --print-mbedtls)"; } > $@

LWIP_SRC_INC = -Iport/lwip/config -isystem $(LWIP_SRC)/src/include
MBEDTLS_36 = -Iport/mbedtls/config -isystem $(MBEDTLS_SRC)/include \
    -DMBEDTLS_CONFIG_FILE='"bact_mbedtls_config.h"'

# ---- one board: the library, the lwIP port's variants, size programs ----
# $(1) board name
define BOARD_rules
$(1)_BD := $(BRD)/$(1)
$(1)_TLS := $$(if $$(filter 1,$$($(1)_MCU)),1,$$(if $$(filter lwip,$$($(1)_PORT)),1,))
$(1)_LIB := $$(patsubst %.c,$(BRD)/$(1)/obj/%.o,$(BACT_CORE_SRCS) \
    port/$$($(1)_PORT)/bact_$$($(1)_PORT).c \
    $$(if $$($(1)_TLS),port/mbedtls/bact_mbedtls.c))
$(1)_CORE := $$(patsubst %.c,$(BRD)/$(1)/obj/%.o,$(BACT_CORE_SRCS))
ifeq ($$($(1)_MCU),1)
# cross: lwIP's headers from the source package with port/lwip/config;
# jsmn.h through a symlink to the host's copy (never copied, never committed)
$(1)_INC := -isystem $(BRD)/$(1)/include $$(LWIP_SRC_INC)
$(1)_VARIANTS := $$(addprefix $(BRD)/$(1)/variants/bact_lwip-,\
    compat0.o compat1.o compat2.o select.o nodns.o ipv6only-dns0.o ipv6only-dns1.o)
$(BRD)/$(1)/obj/port/mbedtls/%.o: BOARD_EXTRA = -Iport/mbedtls $$(MBEDTLS_36)
else ifeq ($$($(1)_PORT),lwip)
$(BRD)/$(1)/obj/port/mbedtls/%.o: BOARD_EXTRA = -Iport/mbedtls
endif

$(BRD)/$(1)/obj/%.o: %.c $(BOARDS_HDRS) | $(BRD)/$(1)/include/jsmn.h
	@mkdir -p $$(dir $$@)
	$$($(1)_CC) $$(BOARDS_CFLAGS) $$($(1)_CPU) -Iinclude -Iport/$$($(1)_PORT) \
	    $$($(1)_INC) $$(BOARD_EXTRA) -c $$< -o $$@

$(BRD)/$(1)/include/jsmn.h:
	@mkdir -p $$(dir $$@)
	@ln -sf /usr/include/jsmn.h $$@

$(BRD)/$(1)/variants/bact_lwip-compat%.o: port/lwip/bact_lwip.c $(BOARDS_HDRS) | $(BRD)/$(1)/include/jsmn.h
	@mkdir -p $$(dir $$@)
	$$($(1)_CC) $$(BOARDS_CFLAGS) $$($(1)_CPU) -Iinclude -Iport/lwip $$($(1)_INC) \
	    -DLWIP_COMPAT_SOCKETS=$$* -c $$< -o $$@
$(BRD)/$(1)/variants/bact_lwip-select.o: port/lwip/bact_lwip.c $(BOARDS_HDRS) | $(BRD)/$(1)/include/jsmn.h
	@mkdir -p $$(dir $$@)
	$$($(1)_CC) $$(BOARDS_CFLAGS) $$($(1)_CPU) -Iinclude -Iport/lwip $$($(1)_INC) \
	    -DBACT_LWIP_USE_SELECT=1 -c $$< -o $$@
$(BRD)/$(1)/variants/bact_lwip-nodns.o: port/lwip/bact_lwip.c $(BOARDS_HDRS) | $(BRD)/$(1)/include/jsmn.h
	@mkdir -p $$(dir $$@)
	$$($(1)_CC) $$(BOARDS_CFLAGS) $$($(1)_CPU) -Iinclude -Iport/lwip $$($(1)_INC) \
	    -DLWIP_DNS=0 -c $$< -o $$@
$(BRD)/$(1)/variants/bact_lwip-ipv6only-dns%.o: port/lwip/bact_lwip.c $(BOARDS_HDRS) | $(BRD)/$(1)/include/jsmn.h
	@mkdir -p $$(dir $$@)
	$$($(1)_CC) $$(BOARDS_CFLAGS) $$($(1)_CPU) -Iinclude -Iport/lwip $$($(1)_INC) \
	    -DLWIP_IPV4=0 -DLWIP_IPV6=1 -DLWIP_DNS=$$* -c $$< -o $$@

# size programs (MCU boards): the whole client, an empty program, sizeof
$(BRD)/$(1)/size/%.o: scripts/size/%.c scripts/size/null_port.h $(BOARDS_HDRS) | $(BRD)/$(1)/include/jsmn.h
	@mkdir -p $$(dir $$@)
	$$($(1)_CC) $$(BOARDS_CFLAGS) $$($(1)_CPU) -Iinclude -Iport/lwip $$($(1)_INC) \
	    -DSIZEOF_LWIP -c $$< -o $$@
# (client: every public function; app: the README's run-and-wait)
$(BRD)/$(1)/client.elf $(BRD)/$(1)/app.elf: $(BRD)/$(1)/%.elf: $(BRD)/$(1)/size/%.o \
    $$($(1)_CORE) $$($(1)_LDSCRIPT)
	$$($(1)_CC) $$($(1)_CPU) -Os $$($(1)_LINK) -Wl,--gc-sections \
	    -Wl,-Map=$(BRD)/$(1)/$$*.map -o $$@ $(BRD)/$(1)/size/$$*.o $$($(1)_CORE)
# the same program on the library in its smallest configuration
$(BRD)/$(1)/small/%.o: %.c $(BOARDS_HDRS) boards/bact_config_small.h | $(BRD)/$(1)/include/jsmn.h
	@mkdir -p $$(dir $$@)
	$$($(1)_CC) $$(BOARDS_CFLAGS) $$($(1)_CPU) $$(SMALL_CFG) -Iinclude \
	    -Iport/$$($(1)_PORT) $$($(1)_INC) -c $$< -o $$@
$(BRD)/$(1)/client-small.elf $(BRD)/$(1)/app-small.elf: $(BRD)/$(1)/%-small.elf: \
    $(BRD)/$(1)/size/%.o $$(patsubst %.c,$(BRD)/$(1)/small/%.o,$(BACT_CORE_SRCS)) \
    $$($(1)_LDSCRIPT)
	$$($(1)_CC) $$($(1)_CPU) -Os $$($(1)_LINK) -Wl,--gc-sections \
	    -Wl,-Map=$(BRD)/$(1)/$$*-small.map -o $$@ $(BRD)/$(1)/size/$$*.o \
	    $$(patsubst %.c,$(BRD)/$(1)/small/%.o,$(BACT_CORE_SRCS))
$(BRD)/$(1)/empty.elf: $(BRD)/$(1)/size/empty.o $$($(1)_LDSCRIPT)
	$$($(1)_CC) $$($(1)_CPU) -Os $$($(1)_LINK) -Wl,--gc-sections \
	    -Wl,-Map=$(BRD)/$(1)/empty.map -o $$@ $(BRD)/$(1)/size/empty.o
$(BRD)/$(1)/board.env: $(wildcard boards/$(1)/board.mk boards/$(1).mk)
	@mkdir -p $$(dir $$@)
	@{ echo "DESC='$$($(1)_DESC)'"; echo "TOOL='$$($(1)_TOOL)'"; \
	   echo "PORT='$$($(1)_PORT)'"; echo "CPU='$$($(1)_CPU)'"; \
	   echo "FIRMWARE='$$($(1)_FIRMWARE)'"; } > $$@

board-$(1): $$($(1)_LIB) $$($(1)_VARIANTS)
endef
$(foreach b,$(BOARDS),$(eval $(call BOARD_rules,$(b))))

boards: $(addprefix board-,$(BOARDS))
	@echo "boards: the library builds with warnings as errors for: $(BOARDS)"

# xtensa: picolibc's linker script with literal pools placed before code
$(BRD)/xtensa-lx106/picolibc-lit.ld: /usr/lib/xtensa-lx106-elf/lib/picolibc.ld
	@mkdir -p $(dir $@)
	@sed -e 's|/\* code \*/|/* code; literal pools first: l32r only reaches back */\n\t\t*(.literal .literal.*)|' \
	     -e 's|KEEP (\*(\.text\.init\.enter))|KEEP (*(.literal.init.enter .text.init.enter))|' $< > $@

# cortex-m4f: the whole client with one configuration option off at a
# time, for what each costs (make size prints the differences)
SIZE_OPTIONS := ERROR_STRINGS TRACE FAST_HEAD
BRD_OPT := $(BRD)/cortex-m4f/option
$(BRD_OPT)/%/stamp: $(BACT_CORE_SRCS) $(BOARDS_HDRS) | $(BRD)/cortex-m4f/include/jsmn.h
	@mkdir -p $(dir $@)
	@for f in $(BACT_CORE_SRCS); do \
	    $(cortex-m4f_CC) $(BOARDS_CFLAGS) $(cortex-m4f_CPU) -DBACT_CONFIG_$*=0 \
	        -Iinclude -Iport/lwip $(cortex-m4f_INC) -c $$f \
	        -o $(dir $@)$$(basename $$f .c).o || exit 1; \
	done
	@touch $@
$(BRD_OPT)/%/client.elf: $(BRD_OPT)/%/stamp $(BRD)/cortex-m4f/size/client.o
	$(cortex-m4f_CC) $(cortex-m4f_CPU) -Os $(cortex-m4f_LINK) -Wl,--gc-sections \
	    -Wl,-Map=$(BRD_OPT)/$*/client.map -o $@ $(BRD)/cortex-m4f/size/client.o \
	    $(addprefix $(BRD_OPT)/$*/,$(notdir $(BACT_CORE_SRCS:.c=.o)))

# cortex-m4f: the whole-client program once more with link-time
# optimisation (library and program compiled into one link)
$(BRD)/cortex-m4f/lto/client.elf: $(BACT_CORE_SRCS) scripts/size/client.c \
    scripts/size/null_port.h $(BOARDS_HDRS) | $(BRD)/cortex-m4f/include/jsmn.h
	@mkdir -p $(dir $@)
	$(cortex-m4f_CC) -std=c99 $(BOARDS_WARN) -Os -ffunction-sections \
	    -fdata-sections -flto $(cortex-m4f_CPU) -Iinclude -Iport/lwip \
	    $(cortex-m4f_INC) -DSIZEOF_LWIP $(cortex-m4f_LINK) -Wl,--gc-sections \
	    -Wl,-Map=$(dir $@)client.map -o $@ scripts/size/client.c $(BACT_CORE_SRCS)

# the cross objects check-boards reads (make test builds them; tests/run.sh
# runs the check, on every board of MCU_BOARDS)
boards-objs: boards $(foreach b,$(MCU_BOARDS),$(patsubst %.c,$(BRD)/$(b)/small/%.o,$(BACT_CORE_SRCS)))

check-boards: boards-objs
	@scripts/check_boards.sh $(foreach b,$(MCU_BOARDS),$(b):$($(b)_TOOL))

# ---- the cortex-m4f example firmware image ----
BRD_FW := $(BRD)/cortex-m4f/fw
FW_CC = $(cortex-m4f_CC)
FW_CPU = $(cortex-m4f_CPU)
FW_3P_CFLAGS = -std=c99 -Os -ffunction-sections -fdata-sections $(FW_CPU) -w
# the board's addition to the device mbedTLS config (bare metal clock)
FW_MBEDTLS = $(MBEDTLS_36) -Iboards/cortex-m4f/firmware \
    -DMBEDTLS_USER_CONFIG_FILE='"mbedtls_board.h"'
LWIP_FW_SRCS = $(wildcard $(LWIP_SRC)/src/core/*.c $(LWIP_SRC)/src/core/ipv4/*.c \
    $(LWIP_SRC)/src/api/*.c) $(LWIP_SRC)/src/netif/ethernet.c
LWIP_FW_OBJS = $(patsubst $(LWIP_SRC)/src/%.c,$(BRD_FW)/lwip/%.o,$(LWIP_FW_SRCS))
MBEDTLS_FW_OBJS = $(patsubst $(MBEDTLS_SRC)/library/%.c,$(BRD_FW)/mbedtls/%.o,\
    $(wildcard $(MBEDTLS_SRC)/library/*.c))
FW_BOARD_OBJS = $(addprefix $(BRD_FW)/board/,main.o netif_stub.o sys_arch.o ca_der.o)
# bact: the board's library objects, the TLS port again with the board's
# mbedTLS addition (same struct layouts; built for exactness)
FW_BACT_OBJS = $(cortex-m4f_CORE) $(BRD)/cortex-m4f/obj/port/lwip/bact_lwip.o \
    $(BRD_FW)/bact/bact_mbedtls.o

$(BRD_FW)/lwip/%.o: $(LWIP_SRC)/src/%.c port/lwip/config/lwipopts.h \
    $(wildcard port/lwip/config/arch/*.h)
	@mkdir -p $(dir $@)
	@$(FW_CC) $(FW_3P_CFLAGS) $(LWIP_SRC_INC) -c $< -o $@
$(BRD_FW)/mbedtls/%.o: $(MBEDTLS_SRC)/library/%.c port/mbedtls/config/bact_mbedtls_config.h \
    boards/cortex-m4f/firmware/mbedtls_board.h
	@mkdir -p $(dir $@)
	@$(FW_CC) $(FW_3P_CFLAGS) -I$(MBEDTLS_SRC)/library $(FW_MBEDTLS) -c $< -o $@
$(BRD_FW)/liblwip.a: $(LWIP_FW_OBJS)
	@rm -f $@
	@$(cortex-m4f_TOOL)ar rcs $@ $^
$(BRD_FW)/libmbedtls.a: $(MBEDTLS_FW_OBJS)
	@rm -f $@
	@$(cortex-m4f_TOOL)ar rcs $@ $^
$(BRD_FW)/board/%.o: boards/cortex-m4f/firmware/%.c $(BOARDS_HDRS) \
    boards/cortex-m4f/firmware/mbedtls_board.h | $(BRD)/cortex-m4f/include/jsmn.h
	@mkdir -p $(dir $@)
	$(FW_CC) -std=c99 -Wall -Wextra -Werror -Os -ffunction-sections -fdata-sections \
	    $(FW_CPU) -Iinclude -Iport/lwip -Iport/mbedtls $(cortex-m4f_INC) \
	    $(FW_MBEDTLS) -c $< -o $@
$(BRD_FW)/bact/bact_mbedtls.o: port/mbedtls/bact_mbedtls.c $(BOARDS_HDRS) \
    boards/cortex-m4f/firmware/mbedtls_board.h | $(BRD)/cortex-m4f/include/jsmn.h
	@mkdir -p $(dir $@)
	$(FW_CC) $(BOARDS_CFLAGS) $(FW_CPU) -Iinclude -Iport/mbedtls \
	    $(cortex-m4f_INC) $(FW_MBEDTLS) -c $< -o $@
# one trust anchor as DER in flash (ISRG Root X1, from ca-certificates)
FW_CA_PEM := /etc/ssl/certs/ISRG_Root_X1.pem
$(BRD_FW)/board/ca_der.c: $(FW_CA_PEM)
	@mkdir -p $(dir $@)
	@python3 -c 'import base64,sys; \
	    p=open(sys.argv[1]).read().split("-----")[2]; d=base64.b64decode(p); \
	    print("/* generated from %s */" % sys.argv[1]); \
	    print("const unsigned char board_ca_der[] = {%s};" % ",".join(str(b) for b in d)); \
	    print("const unsigned int board_ca_der_len = %d;" % len(d))' $< > $@
$(BRD_FW)/board/ca_der.o: $(BRD_FW)/board/ca_der.c
	$(FW_CC) -std=c99 -Os -fdata-sections $(FW_CPU) -c $< -o $@
$(BRD_FW)/firmware.elf: $(FW_BOARD_OBJS) $(FW_BACT_OBJS) $(BRD_FW)/liblwip.a $(BRD_FW)/libmbedtls.a
	$(FW_CC) $(FW_CPU) -Os $(cortex-m4f_LINK) -Wl,--gc-sections \
	    -Wl,-Map=$(BRD_FW)/firmware.map -o $@ $(FW_BOARD_OBJS) $(FW_BACT_OBJS) \
	    -Wl,--start-group $(BRD_FW)/liblwip.a $(BRD_FW)/libmbedtls.a -Wl,--end-group
$(BRD_FW)/sizeof_tls.o: scripts/size/sizeof.c $(BOARDS_HDRS) \
    boards/cortex-m4f/firmware/mbedtls_board.h | $(BRD)/cortex-m4f/include/jsmn.h
	$(FW_CC) -std=c99 -Os $(FW_CPU) -Iinclude -Iport/lwip -Iport/mbedtls \
	    $(cortex-m4f_INC) $(FW_MBEDTLS) -DSIZEOF_LWIP -DSIZEOF_TLS -c $< -o $@

firmware: $(BRD_FW)/firmware.elf $(BRD_FW)/sizeof_tls.o

# ---- the size table ----
size: boards $(foreach b,$(MCU_BOARDS),$(BRD)/$(b)/client.elf $(BRD)/$(b)/client-small.elf \
          $(BRD)/$(b)/app.elf $(BRD)/$(b)/app-small.elf $(BRD)/$(b)/empty.elf \
          $(BRD)/$(b)/size/sizeof.o $(BRD)/$(b)/board.env) firmware \
      $(foreach o,$(SIZE_OPTIONS),$(BRD_OPT)/$(o)/client.elf) \
      $(BRD)/cortex-m4f/lto/client.elf
	@scripts/size.sh $(MCU_BOARDS)

# ---- the lwIP host test ----
BRD_HL := $(BRD)/host-lwip
$(BRD_HL)/obj/tests/lwip/lwip_test.o: tests/lwip/lwip_test.c $(BOARDS_HDRS) | boards-deps-lwip
	@mkdir -p $(dir $@)
	gcc -std=c99 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra \
	    -Werror -O2 -g -DBACT_LWIP_TEST_TLS -Iinclude -Iport/lwip -Iport/mbedtls \
	    -isystem /usr/include/lwip -c $< -o $@
$(BRD_HL)/lwip_test: $(host-lwip_LIB) $(BRD_HL)/obj/tests/lwip/lwip_test.o
	gcc -Wl,--wrap=lwip_poll,--wrap=lwip_socket,--wrap=lwip_connect,--wrap=lwip_send -o $@ $^ -llwip -lmbedtls -lmbedx509 -lmbedcrypto -lpthread
$(host-lwip_LIB): | boards-deps-lwip
.PHONY: boards-deps-lwip
boards-deps-lwip:
	@scripts/deps_boards.sh --lwip

lwip-test: $(BRD_HL)/lwip_test
	@tests/lwip/run.sh $<

# ---- the same test on lwIP built from its source: the resolver, select ----
# Debian's liblwip has neither LWIP_DNS nor LWIP_SOCKET_SELECT, so the port's
# lwip_getaddrinfo() and lwip_select() paths would run nowhere. Here lwIP is
# built from the source package (src/ and the unix port's sys_arch.c) with
# the unix port's options plus those two (tests/lwip/dns/lwipopts.h); the
# port waits with select, and the test resolves names with a DNS server of
# its own on an lwIP UDP socket. lwip-v4-test builds the same without IPv6
# (LWIP_IPV6 0, as many devices have it): the port's IPv4-only paths; and
# with lwIP's own socket numbers, from 0 (LWIP_SOCKET_OFFSET 0).
HD_INC = -Itests/lwip/dns -I$(LWIP_SRC)/port/include -isystem $(LWIP_SRC)/src/include
HD_CFLAGS = -std=c99 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -g
HD_LWIP_SRCS = $(wildcard $(LWIP_SRC)/src/core/*.c $(LWIP_SRC)/src/core/ipv4/*.c \
    $(LWIP_SRC)/src/core/ipv6/*.c $(LWIP_SRC)/src/api/*.c) \
    $(LWIP_SRC)/src/netif/ethernet.c $(LWIP_SRC)/port/sys_arch.c

# $(call lwip_src_test,FOLDER,TEST NAME,EXTRA CFLAGS)
define lwip_src_test
$(1)/lwip/%.o: $$(LWIP_SRC)/%.c tests/lwip/dns/lwipopts.h
	@mkdir -p $$(dir $$@)
	@gcc $$(HD_CFLAGS) $(3) -w -Werror=implicit-function-declaration $$(HD_INC) -c $$< -o $$@
$(1)/liblwip.a: $$(patsubst $$(LWIP_SRC)/%.c,$(1)/lwip/%.o,$$(HD_LWIP_SRCS))
	@rm -f $$@
	@ar rcs $$@ $$^
$(1)/obj/%.o: %.c $$(BOARDS_HDRS) tests/lwip/dns/lwipopts.h | boards-deps-lwip
	@mkdir -p $$(dir $$@)
	gcc $$(HD_CFLAGS) $(3) $$(BOARDS_WARN) -DBACT_LWIP_USE_SELECT=1 \
	    -DBACT_LWIP_TEST_TLS -DLWIP_TEST_NAME='"$(2)"' -Iinclude \
	    -Iport/lwip -Iport/mbedtls $$(HD_INC) -c $$< -o $$@
$(1)/lwip_test: $$(host-lwip_CORE) $(1)/obj/port/lwip/bact_lwip.o \
    $$(BRD_HL)/obj/port/mbedtls/bact_mbedtls.o $(1)/obj/tests/lwip/lwip_test.o \
    $(1)/liblwip.a
	gcc -Wl,--wrap=lwip_select,--wrap=lwip_socket,--wrap=lwip_connect \
	    -Wl,--wrap=lwip_send,--wrap=lwip_getaddrinfo,--wrap=lwip_freeaddrinfo -o $$@ $$^ \
	    -lmbedtls -lmbedx509 -lmbedcrypto -lpthread
endef
BRD_HD := $(BRD)/host-lwip-dns
BRD_H4 := $(BRD)/host-lwip-v4
$(eval $(call lwip_src_test,$(BRD_HD),lwip-dns,))
$(eval $(call lwip_src_test,$(BRD_H4),lwip-v4,-DBACT_TEST_LWIP_IPV4_ONLY))

lwip-dns-test: $(BRD_HD)/lwip_test
	@tests/lwip/run.sh $<
lwip-v4-test: $(BRD_H4)/lwip_test
	@tests/lwip/run.sh $<

.DEFAULT_GOAL := $(BOARDS_SAVED_GOAL)
