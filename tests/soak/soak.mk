# Soak benchmarks (not part of `make test`). Included from the top Makefile;
# also works as `make -f Makefile -f tests/soak/soak.mk soak`.
#
#   make soak        tests/soak/poll_soak.py: SOAK_N get-task-status polls
#                    (default 100000) through one client over keep-alive
#                    while the mock drops, resets and closes connections
#                    under it; zero failed polls, RSS and fds flat
#   make dup-check   tests/soak/cut_runs.py build/host/bact 1000: duplicate-
#                    safe runs against the mock's cut_after_run fault
#
# soak_poll is the plain host build of the library (the objects of
# build/host/bact) plus tests/soak/soak_poll.c, compiled by the top
# Makefile's $(BUILD)/host/%.o rule with the project's warnings as errors.

SOAK_N ?= 100000

.PHONY: soak dup-check

$(BUILD)/host/soak_poll: $(patsubst %.c,$(BUILD)/host/%.o,$(LIB_SRCS) tests/soak/soak_poll.c)
	$(CC) $(CFLAGS) -o $@ $^

soak: $(BUILD)/host/soak_poll
	@python3 tests/soak/poll_soak.py $(BUILD)/host/soak_poll $(SOAK_N)

dup-check: $(BUILD)/host/bact
	@python3 tests/soak/cut_runs.py $(BUILD)/host/bact 1000
