# dossier — library, command line, demo, tests, benchmark, installation.
#   make demo    installs what is missing, builds, runs the samples
#   make check   installs what is missing, builds, runs every test
#   make bench   dossiers/s, pages/s and peak RSS on a generated batch
#   make check SANITIZE=1   the same under AddressSanitizer + UBSan
#   make install PREFIX=/usr DESTDIR=/tmp/x   (and make uninstall)

SANITIZE ?= 0
BUILD ?= build
ifeq ($(SANITIZE),1)
BUILD := build/sanitize
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share/dossier
MANDIR ?= $(PREFIX)/share/man

# The library's version, read from dossier.h (its one source); the soname changes
# with the major number.
VERSION := $(shell sed -n 's/^\#define DOSSIER_VERSION_TEXT "\(.*\)"/\1/p' include/dossier.h)
SOMAJOR := $(firstword $(subst ., ,$(VERSION)))

CC ?= cc
PKGS = libxml-2.0 libzip libqrencode libcrypto cairo cairo-ft freetype2 libturbojpeg libpng zlib
# poppler-glib is compiled against but loaded with dlopen when a PDF piece needs it;
# so are zbar and libtiff, by check-scan only.
# Evaluated lazily: pkg-config only runs once `make deps` has installed the .pc files.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) poppler-glib zbar libtiff-4)
PKG_LIBS = $(shell pkg-config --libs $(PKGS))

CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral \
          -Wstrict-prototypes -Wmissing-prototypes -fno-strict-aliasing $(SAN)
# The library exports what dossier.h marks DOSSIER_API, nothing else.
LIB_CFLAGS = -fPIC -fvisibility=hidden
CPPFLAGS += -Iinclude
LDFLAGS += $(SAN)
# libharu ships no .pc file.
LIB_LIBS = -lhpdf $(PKG_LIBS) -ldl -lpthread -lm

LIB_SRC = $(wildcard src/api/*.c src/batch/*.c src/input/*.c src/model/*.c src/package/*.c \
                     src/render/*.c src/rules/*.c src/scan/*.c src/util/*.c)
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_SRC = $(wildcard src/cli/*.c)
CLI_OBJ = $(CLI_SRC:%.c=$(BUILD)/%.o)
DEP = $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
BIN = $(BUILD)/dossier
LIB = $(BUILD)/libdossier.a
SONAME = libdossier.so.$(SOMAJOR)
SHLIB = $(BUILD)/libdossier.so.$(VERSION)
PCFILE = $(BUILD)/dossier.pc
EXAMPLE = $(BUILD)/examples/portal

UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps demo check test unit e2e bench clean man install uninstall examples

all: $(BIN) $(SHLIB) $(PCFILE) $(EXAMPLE)

deps:
	@bash tools/deps.sh

# The installed data folder is compiled into the library: rebuild what uses it
# when PREFIX or DATADIR change.
$(BUILD)/datadir.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
.PHONY: FORCE
$(BUILD)/src/api/context.o: $(BUILD)/datadir.stamp
$(BUILD)/src/api/context.o: CPPFLAGS += -DDOSSIER_DATADIR='"$(DATADIR)"'

$(BUILD)/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(LIB_CFLAGS) -MMD -MP -c $< -o $@

# The command line sees the public header and nothing else.
$(BUILD)/src/cli/%.o: src/cli/%.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) -Iinclude $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	@echo "  AR  $@"
	@ar rcs $@ $^

$(SHLIB): $(LIB_OBJ)
	@echo "  LD  $@"
	@$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined $(LDFLAGS) -o $@ $^ $(LIB_LIBS)
	@ln -sf libdossier.so.$(VERSION) $(BUILD)/$(SONAME)
	@ln -sf $(SONAME) $(BUILD)/libdossier.so

# Static: one process start-up without a library search (the one-dossier case).
$(BIN): $(CLI_OBJ) $(LIB)
	@echo "  LD  $@"
	@$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LIB_LIBS)

$(PCFILE): dossier.pc.in Makefile
	@mkdir -p $(dir $@)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	     -e 's|@VERSION@|$(VERSION)|' -e 's|@PKGS@|$(PKGS)|' $< > $@

# The example portal backend, built against the shared library as a user would.
$(EXAMPLE): examples/portal.c include/dossier.h $(SHLIB)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) -Iinclude $(CFLAGS) -o $@ $< $(LDFLAGS) -L$(BUILD) -ldossier -Wl,-rpath,'$$ORIGIN/..'

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -DSOURCE_DIR='"$(CURDIR)"' -o $@ $< $(LIB) $(LDFLAGS) $(LIB_LIBS) -lcmocka

# The scan simulator of check-scan's tests and benchmark (links the library's
# internals, like the unit tests; libtiff for its TIFF output).
SCANSIM = $(BUILD)/tools/scan-sim
$(SCANSIM): tools/scan-sim.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LIB_LIBS) -ltiff

# Fuzzing. `make fuzz` builds the library with clang, ASan, UBSan and libFuzzer's
# coverage into build/fuzz and runs each target for FUZZ_SECONDS (fuzz/run.sh).
# `make check` replays every target, built without libFuzzer (fuzz/main.c), over its
# seed corpus and fuzz/regressions/.
FUZZ_TARGETS ?= csv xml image verify track text pagemap scan
FUZZ_SECONDS ?= 60
FUZZ_SAN = -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer
fuzz: deps
	@bash tools/deps.sh fuzz
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang SAN='$(FUZZ_SAN)' fuzz-targets
	bash fuzz/run.sh build/fuzz '$(FUZZ_SECONDS)' $(FUZZ_TARGETS)

fuzz-targets: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

$(BUILD)/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(LIB)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -DSOURCE_DIR='"$(CURDIR)"' -fsanitize=fuzzer -o $@ $< $(LIB) \
	    $(LDFLAGS) $(LIB_LIBS)

REPLAY_BIN = $(FUZZ_TARGETS:%=$(BUILD)/fuzz-replay/fuzz_%)
$(BUILD)/fuzz-replay/fuzz_%: fuzz/fuzz_%.c fuzz/main.c fuzz/fuzz.h $(LIB)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -DSOURCE_DIR='"$(CURDIR)"' -o $@ $< fuzz/main.c $(LIB) $(LDFLAGS) \
	    $(LIB_LIBS)

fuzz-replay: $(REPLAY_BIN) $(BIN)
	bash fuzz/replay.sh $(BUILD)/fuzz-replay $(FUZZ_TARGETS)

.PHONY: fuzz fuzz-targets fuzz-replay hostile

# The two commands of the README: each installs what it needs first.
demo: deps
	@$(MAKE) --no-print-directory run-demo

check: deps
	@$(MAKE) --no-print-directory test

bench: deps
	@bash tools/deps.sh bench
	@$(MAKE) --no-print-directory run-bench

# check-scan on simulated returned dossiers: pages identified, boxes called right,
# time per page (SCAN_DOSSIERS, default 32: over 500 boxes).
SCAN_DOSSIERS ?= 32
scan-bench: deps
	@$(MAKE) --no-print-directory run-scan-bench

run-scan-bench: $(BIN) $(SCANSIM)
	bash tests/scan/run.sh $(BIN) $(SCANSIM) $(SCAN_DOSSIERS)

.PHONY: run-demo run-bench scan-bench run-scan-bench
run-demo: $(BIN)
	rm -rf demo-out
	$(BIN) validate samples/demandes.xml
	$(BIN) validate samples/demandes.csv -o demo-out/validation
	$(BIN) build --date 2026-11-24 -o demo-out samples/demandes.csv
	$(BIN) verify --ca build/demo-seal/demo-ca.pem demo-out/600101.zip demo-out/600102.zip
	@echo "Dossiers écrits dans demo-out/ (rapport : demo-out/report.json)"

run-bench: $(BIN) $(EXAMPLE)
	bash tests/bench.sh $(BIN) $(EXAMPLE)

test: unit e2e fuzz-replay hostile

# Hostile inputs (tests/hostile/run.py): message, code, exit status, time and memory
# bounds, and the good records of the same batch intact.
hostile: $(BIN)
	SAN_FLAGS='$(SAN)' python3 tests/hostile/run.py $(BIN)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

e2e: $(BIN) $(SHLIB) $(PCFILE) $(EXAMPLE) $(SCANSIM)
	DOSSIER=$(CURDIR)/$(BIN) BUILD_DIR=$(CURDIR)/$(BUILD) SCAN_SIM=$(CURDIR)/$(SCANSIM) SAN_FLAGS='$(SAN)' bash tests/e2e/run.sh

man:
	man -l doc/dossier.1

install: $(BIN) $(SHLIB) $(LIB) $(PCFILE)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) \
	           $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(DATADIR)/fonts
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/dossier
	install -m 0755 $(SHLIB) $(DESTDIR)$(LIBDIR)/
	ln -sf libdossier.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libdossier.so
	install -m 0644 $(LIB) $(DESTDIR)$(LIBDIR)/
	install -m 0644 $(PCFILE) $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 0644 include/dossier.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 0644 doc/dossier.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 templates/* $(DESTDIR)$(DATADIR)/templates/
	install -m 0644 fonts/DossierSans-*.ttf fonts/FONTLOG.txt fonts/LICENSE-Liberation.txt $(DESTDIR)$(DATADIR)/fonts/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dossier $(DESTDIR)$(LIBDIR)/libdossier.so.$(VERSION) \
	      $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libdossier.so $(DESTDIR)$(LIBDIR)/libdossier.a \
	      $(DESTDIR)$(LIBDIR)/pkgconfig/dossier.pc $(DESTDIR)$(INCLUDEDIR)/dossier.h \
	      $(DESTDIR)$(MANDIR)/man1/dossier.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build demo-out

-include $(DEP)
