# SPDX-License-Identifier: MIT
# facet - preload/preload.mk: the LD_PRELOAD backend (libfacet-preload.so)
#
# The shim links the core and every built-in module (MODULE_SRCS) into one
# shared object.  Only the interposed libc functions and the facet_* module
# API are exported (a version script made from the wrappers' symbols), so
# the modules' and the core's own names never clash with the program's;
# -Bsymbolic binds the shim's own calls to its own facet_* functions even
# in a process (facet itself) that exports others.

BACKENDS	:= ptrace preload combined
LIBS		+= -lelf
CLI_SRCS	+= cli/cli_backend.c cli/cli_elf.c preload/shim_config.c preload/shim_shared.c

SHIM_SO		:= $(BUILD)/lib/libfacet-preload.so
SHIM_SRCS	:= preload/shim_main.c preload/shim_call.c preload/shim_gate.c \
		   preload/shim_exec.c preload/shim_spawn.c \
		   preload/shim_sigsys.c preload/shim_signal.c preload/shim_probe.c preload/shim_thread.c preload/shim_clone.c \
		   preload/shim_file.c preload/shim_misc.c preload/shim_clock.c \
		   preload/shim_trap.c preload/shim_nss.c preload/shim_timed.c \
		   preload/shim_sysfiles.c preload/shim_locale.c preload/shim_dlsym.c \
		   preload/shim_spawn_actions.c preload/shim_inner.c \
		   preload/shim_chk.c preload/shim_creds.c preload/shim_held.c \
		   preload/shim_config.c preload/shim_shared.c
SHIM_OBJS	= $(patsubst %.c,$(BUILD)/obj/%.o,$(SHIM_SRCS)) \
		  $(patsubst %.c,$(BUILD)/obj/%.o,$(CORE_SRCS) $(MODULE_SRCS)) \
		  $(patsubst $(BUILD)/gen/%.c,$(BUILD)/obj/gen/%.o,$(GEN_SRCS))
SHIM_MAP	:= $(BUILD)/preload/shim.map
SHIM_LAUNCH	:= $(BUILD)/lib/facet-preload-exec
EXTRA_TARGETS	+= $(SHIM_SO) $(SHIM_LAUNCH)

.DEFAULT_GOAL := all
all: $(SHIM_SO) $(SHIM_LAUNCH)

# The view's first image: started with the shim, execs the command
$(SHIM_LAUNCH): $(BUILD)/obj/preload/shim_launch.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS)

# Exported: facet_* and every global function the shim files define,
# except the shim's internal shim_* ones
$(SHIM_MAP): $(patsubst %.c,$(BUILD)/obj/%.o,$(SHIM_SRCS))
	@mkdir -p $(@D)
	{ echo '{ global: facet_*;'; \
	  nm -g --defined-only $^ | awk '$$2 == "T" || $$2 == "W" { print $$3 }' | \
	  grep -v '^shim_' | sort -u | sed 's/$$/;/'; \
	  echo 'local: *; };'; } > $@.tmp && mv $@.tmp $@

# Libraries of the modules (libslirp, libdw, ...) are not linked into the
# shim: they would be loaded into every process of the view.  What the
# modules call from them becomes a stub that stops with a message (see
# gen-stubs.sh); glibc's own libraries are linked.
SHIM_STUBS	:= $(BUILD)/preload/shim_stubs.c
SHIM_STUB_OBJ	:= $(BUILD)/obj/preload/shim_stubs.o
SHIM_SYSLIBS	:= $(filter -lm -lrt -ldl -lpthread,$(MODULE_LIBS))

$(SHIM_STUBS): $(SHIM_OBJS) preload/gen-stubs.sh
	@mkdir -p $(@D)
	sh preload/gen-stubs.sh "$(CC)" $(SHIM_OBJS) > $@.tmp && mv $@.tmp $@

$(SHIM_STUB_OBJ): $(SHIM_STUBS)
	@mkdir -p $(@D)
	$(CC) $(FLAGS) $(CFLAGS) -c $< -o $@

$(SHIM_SO): $(SHIM_OBJS) $(SHIM_STUB_OBJ) $(SHIM_MAP) preload/shim.ld
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -shared -Wl,--version-script=$(SHIM_MAP) -Wl,-z,now \
		-Wl,-z,noseparate-code -Wl,-z,norelro -Wl,-T,preload/shim.ld -Wl,-Bsymbolic -o $@ $(SHIM_OBJS) $(SHIM_STUB_OBJ) \
		$(SHIM_SYSLIBS) -lm -ldl -lpthread $(LDFLAGS)

install: install-preload
.PHONY: install-preload
install-preload: $(SHIM_SO) $(SHIM_LAUNCH)
	install -D -m 755 $(SHIM_SO) $(DESTDIR)$(PREFIX)/lib/libfacet-preload.so
	install -D -m 755 $(SHIM_LAUNCH) $(DESTDIR)$(PREFIX)/lib/facet-preload-exec
