# SPDX-License-Identifier: MIT
# facet - syscall interposition toolkit: the one Makefile
#
#   make            build $(BUILD)/bin/facet
#   make check      install what is missing, build, run every test (prove)
#   make demo       install what is missing, build, show the main job
#   make bench      compare facet with native runs and the peer tools
#   make deps       install the Debian packages facet needs (as root)
#   make install    PREFIX=/usr/local DESTDIR=

BUILD		?= build
PREFIX		?= /usr/local
DESTDIR		?=
CC		?= cc
VERSION		:= 0.1

PKGS		:= libseccomp inih
FLAGS		:= -Wall -Wextra -std=gnu11 -D_GNU_SOURCE -fPIC \
		   -Iinclude -Icore -DFACET_VERSION='"$(VERSION)"' \
		   $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CFLAGS		?= -O2 -g
LIBS		:= -ldl -lpthread

# The soname of library -l$(1), for code that loads it only when its
# feature is used (core/lib.h); empty when the library is not installed
soname		= $(shell objdump -p "$$($(CC) -print-file-name=lib$(1).so)" \
		  2>/dev/null | awk '$$1 == "SONAME" { print $$2 }')
# libseccomp: the ptracer; inih: --profile
FLAGS		+= -DFACET_SONAME_SECCOMP='"$(call soname,seccomp)"' \
		   -DFACET_SONAME_INIH='"$(call soname,inih)"'

CORE_SRCS	:= core/log.c core/call.c core/chain.c core/registry.c \
		   core/env.c core/syscalls.c core/lib.c core/procfs.c
GEN_SRCS	:= $(BUILD)/gen/syscalls.c $(BUILD)/gen/xlat.c
TRACER_SRCS	:= ptracer/tracer_main.c ptracer/tracer_spawn.c \
		   ptracer/tracer_seccomp.c ptracer/tracer_loop.c \
		   ptracer/tracer_notify.c ptracer/tracer_call.c \
		   ptracer/tracer_tracee.c ptracer/tracer_auxv.c \
		   ptracer/tracer_strs.c ptracer/tracer_memory.c \
		   ptracer/tracer_gate.c ptracer/tracer_fence.c \
		   ptracer/tracer_end.c ptracer/tracer_attach.c \
		   ptracer/tracer_status.c ptracer/tracer_job.c
CLI_SRCS	:= cli/main.c cli/cli_run.c cli/cli_modules.c cli/cli_profile.c

# Each module adds its sources (MODULE_SRCS), libraries (MODULE_LIBS) and
# packages (MODULE_PKGS) in its own fragment: no module is named here.
MODULE_SRCS	:=
MODULE_LIBS	:=
# Likewise preload/preload.mk (the shim) and cli/*.mk (subcommands).
BACKENDS	:= ptrace
EXTRA_TARGETS	:=
-include $(wildcard modules/*/module.mk)
-include $(wildcard preload/*.mk)
-include $(wildcard cli/*.mk)

FACET_SRCS	:= $(CLI_SRCS) $(TRACER_SRCS) $(MODULE_SRCS) $(CORE_SRCS)
FACET_OBJS	:= $(patsubst %.c,$(BUILD)/obj/%.o,$(FACET_SRCS)) \
		   $(patsubst $(BUILD)/gen/%.c,$(BUILD)/obj/gen/%.o,$(GEN_SRCS))
FACET		:= $(BUILD)/bin/facet

UNIT_SRCS	:= $(wildcard tests/unit/*.c)
UNIT_BINS	:= $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))
PROG_SRCS	:= $(wildcard tests/progs/*.c)
PROG_BINS	:= $(patsubst tests/progs/%.c,$(BUILD)/tests/progs/%,$(PROG_SRCS))
TESTMOD_SRCS	:= $(wildcard tests/modules/*.c)
TESTMODS	:= $(patsubst tests/modules/%.c,$(BUILD)/tests/modules/%.so,$(TESTMOD_SRCS))
BATS		:= $(sort $(wildcard tests/shell/*.bats))

DEPS_PKGS	:= gcc make pkg-config libseccomp-dev libelf-dev \
		   libunwind-dev libdw-dev libslirp-dev libinih-dev \
		   libcmocka-dev bats busybox-static perl python3 strace \
		   iproute2 util-linux tzdata fakeroot libjemalloc2 $(MODULE_PKGS)

.PHONY: all check demo bench deps install lint format clean test-bins

all: $(FACET)

$(BUILD)/gen/syscalls.c: core/syscalls.in core/gen-syscalls.sh $(wildcard core/xlat/*.in)
	@mkdir -p $(@D)
	sh core/gen-syscalls.sh core/syscalls.in > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/xlat.c: $(wildcard core/xlat/*.in) core/gen-xlat.sh
	@mkdir -p $(@D)
	sh core/gen-xlat.sh $(sort $(wildcard core/xlat/*.in)) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(@D)
	$(CC) $(FLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(FLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

# -rdynamic: third-party modules resolve the facet_* accessors from facet;
# --as-needed: every library linked is loaded in every run, so only those
# facet calls at once (the others are loaded on demand: core/lib.h);
# -z now: symbols are bound once in facet, not again (page faults on ld.so
# and the symbol tables) in each process it forks (the keeper)
$(FACET): $(FACET_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -rdynamic -Wl,--as-needed -Wl,-z,now -o $@ \
		$(FACET_OBJS) $(MODULE_LIBS) $(LIBS) $(LDFLAGS)

CORE_OBJS	:= $(patsubst %.c,$(BUILD)/obj/%.o,$(CORE_SRCS)) \
		   $(patsubst $(BUILD)/gen/%.c,$(BUILD)/obj/gen/%.o,$(GEN_SRCS))

# -MMD: a unit test #includes the module sources it tests; the .d file makes
# it rebuild when they change (and a test program when its headers do)
$(BUILD)/tests/unit/%: tests/unit/%.c $(CORE_OBJS)
	@mkdir -p $(@D)
	$(CC) $(FLAGS) $(CFLAGS) -MMD -MP -o $@ $< $(CORE_OBJS) -lcmocka -ldl -lpthread

$(BUILD)/tests/progs/%: tests/progs/%.c
	@mkdir -p $(@D)
	$(CC) $(FLAGS) $(CFLAGS) -MMD -MP -o $@ $< -lpthread

$(BUILD)/tests/modules/%.so: tests/modules/%.c include/facet/module.h
	@mkdir -p $(@D)
	$(CC) $(FLAGS) $(CFLAGS) -shared -Wl,-z,noseparate-code -Wl,-z,norelro -o $@ $<

test-bins: $(FACET) $(UNIT_BINS) $(PROG_BINS) $(TESTMODS) $(EXTRA_TARGETS)

deps:
	@sh tests/deps.sh $(DEPS_PKGS)

check: deps
	$(MAKE) test-bins
	CMOCKA_MESSAGE_OUTPUT=TAP prove -e '' $(UNIT_BINS)
	FACET=$(abspath $(FACET)) FACET_BUILD=$(abspath $(BUILD)) \
		BACKENDS='$(BACKENDS)' prove --failures --comments -e 'bats --tap' $(BATS)

demo: deps
	$(MAKE) test-bins
	FACET=$(abspath $(FACET)) FACET_BUILD=$(abspath $(BUILD)) sh tests/demo.sh

# The peers make bench compares facet with
BENCH_PKGS	:= proot fakechroot strace slirp4netns iperf3

bench: deps
	@sh tests/deps.sh $(BENCH_PKGS)
	$(MAKE) test-bins
	FACET=$(abspath $(FACET)) FACET_BUILD=$(abspath $(BUILD)) sh bench/run.sh

install: $(FACET)
	install -D -m 755 $(FACET) $(DESTDIR)$(PREFIX)/bin/facet
	install -D -m 644 include/facet/module.h \
		$(DESTDIR)$(PREFIX)/include/facet/module.h
	install -D -m 644 docs/facet.1 $(DESTDIR)$(PREFIX)/share/man/man1/facet.1
	@mkdir -p $(DESTDIR)$(PREFIX)/lib/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
		docs/facet.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/facet.pc

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr -Iinclude -Icore $(FACET_SRCS) $(CORE_SRCS)

format:
	clang-format -i $(FACET_SRCS) include/facet/*.h

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj $(BUILD)/tests/unit $(BUILD)/tests/progs -name '*.d' 2>/dev/null)
