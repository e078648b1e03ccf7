# dossier — build, demo, tests, benchmark.
#   make demo    installs what is missing, builds, runs the samples
#   make check   installs what is missing, builds, runs every test
#   make bench   dossiers/s, pages/s and peak RSS on a generated batch
#   make check SANITIZE=1   the same under AddressSanitizer + UBSan

SANITIZE ?= 0
BUILD ?= build
ifeq ($(SANITIZE),1)
BUILD := build/sanitize
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif

CC ?= cc
PKGS = libxml-2.0 libzip libqrencode libcrypto cairo cairo-ft freetype2 libturbojpeg libpng zlib
# poppler-glib is compiled against but loaded with dlopen when a PDF piece needs it.
# Evaluated lazily: pkg-config only runs once `make deps` has installed the .pc files.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) poppler-glib)
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
DATADIR ?= $(CURDIR)
DEMODIR ?= $(CURDIR)/build/demo-seal

CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral \
          -Wstrict-prototypes -Wmissing-prototypes -fno-strict-aliasing $(SAN)
CPPFLAGS += $(PKG_CFLAGS) -DDOSSIER_DATADIR='"$(DATADIR)"' -DDOSSIER_DEMODIR='"$(DEMODIR)"'
LDFLAGS += $(SAN)
# libharu ships no .pc file.
LIBS = -lhpdf $(PKG_LIBS) -ldl -lpthread -lm

SRC = $(filter-out src/main.c,$(wildcard src/*/*.c))
OBJ = $(SRC:%.c=$(BUILD)/%.o)
DEP = $(OBJ:.o=.d) $(BUILD)/src/main.d
BIN = $(BUILD)/dossier
LIB = $(BUILD)/libdossier.a

UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps demo check test unit e2e bench clean man

all: $(BIN)

deps:
	@bash tools/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/src/main.o $(LIB)
	@echo "  LD  $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -Isrc -o $@ $< $(LIB) $(LDFLAGS) $(LIBS) -lcmocka

# The two commands of the README: each installs what it needs first.
demo: deps
	@$(MAKE) --no-print-directory run-demo

check: deps
	@$(MAKE) --no-print-directory test

bench: deps
	@$(MAKE) --no-print-directory run-bench

.PHONY: run-demo run-bench
run-demo: $(BIN)
	rm -rf demo-out
	$(BIN) validate samples/demandes.xml
	$(BIN) validate samples/demandes.csv -o demo-out/validation
	$(BIN) build --date 2026-11-24 -o demo-out samples/demandes.csv
	$(BIN) verify --ca build/demo-seal/demo-ca.pem demo-out/600101.zip demo-out/600102.zip
	@echo "Dossiers écrits dans demo-out/ (rapport : demo-out/report.json)"

run-bench: $(BIN)
	bash tests/bench.sh $(BIN)

test: unit e2e

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

e2e: $(BIN)
	DOSSIER=$(CURDIR)/$(BIN) bash tests/e2e/run.sh

man:
	man -l doc/dossier.1

clean:
	rm -rf build demo-out

-include $(DEP)
