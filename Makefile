# SPDX-License-Identifier: GPL-2.0
#
# procscope: kernel module (module/procscope.ko) and inspector
# (userspace/procscope). `make help` lists the targets.

# Kbuild reads ./Kbuild (it takes precedence over this file) for the module.

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc

# The test VM boots Debian's own kernel; build the module against the
# matching linux-headers package, whatever the host kernel is.
VM_ABI := $(shell cat build/kernel/ABI 2>/dev/null || \
	    dpkg-query -W -f='$${Depends}' linux-headers-amd64 2>/dev/null | \
	    sed -n 's/.*linux-headers-\([^ ,]*\).*/\1/p')
VM_KDIR ?= /usr/src/linux-headers-$(VM_ABI)

# Not kbuild's own "clean": with M= it deletes every *.o and *.ko below this
# directory, the VM kernel's modules in build/ included.
MODULE_CLEAN = rm -f module/*.o module/*.ko module/*.mod module/*.mod.c \
	module/.*.cmd module/modules.order .*.cmd Module.symvers modules.order

PROGS_SRC := $(wildcard tests/vm/progs/*.c)
PROGS := $(patsubst tests/vm/progs/%.c,build/progs/%,$(PROGS_SRC))
PROGS_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -static -pthread

# scripts/deps.sh extracts it from Debian's linux-source tarball.
CHECKPATCH ?= build/linux-source/scripts/checkpatch.pl

.PHONY: all module userspace progs vm-build deps check vmtest test lint bench \
	demo install uninstall clean help kdir-check ensure-deps deb

all: module userspace

help:
	@echo 'procscope targets:'
	@echo '  make              build module/procscope.ko (KDIR=$(KDIR)) and userspace/procscope'
	@echo '  make demo         install deps, build, boot the test VM and show procscope on a sample process'
	@echo '  make test         unit tests (make check) and the VM integration suite (make vmtest)'
	@echo '  make deps         install the Debian packages and fetch the VM kernel'
	@echo '  make lint         checkpatch --strict, sparse (C=1) and W=1 on the module'
	@echo '  make bench        benchmarks in the VM; results in docs/benchmarks.md'
	@echo '  make install      install the module, tool, man page and completion'
	@echo '  make deb          Debian packages procscope and procscope-dkms in build/deb/'
	@echo 'Variables: KDIR=/path/to/kernel/build (default: running kernel), PREFIX=$(PREFIX)'

kdir-check:
	@if [ ! -e "$(KDIR)/Makefile" ]; then \
		echo "error: no kernel build tree at KDIR=$(KDIR)" >&2; \
		echo "  install your kernel's headers (Debian: apt-get install linux-headers-\$$(uname -r))," >&2; \
		echo "  or point KDIR at installed headers, e.g.: make KDIR=$(VM_KDIR)" >&2; \
		echo "  (the VM targets - make demo / make vmtest - use Debian's 6.1 headers by themselves)" >&2; \
		exit 1; \
	fi

module: kdir-check
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace:
	$(MAKE) -C userspace

progs: $(PROGS) build/progs/pt_bench

# In-process benchmark helpers link the inspector's library (dynamically,
# like the tool itself, whose libraries the VM carries).
build/progs/pt_bench: tests/bench/pt_bench.c userspace
	@mkdir -p build/progs
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Iuserspace -Imodule/uapi \
		-o $@ $< userspace/libprocscope.a $$(pkg-config --libs libmnl libelf libkmod) -lm

build/progs/%: tests/vm/progs/%.c $(wildcard tests/vm/progs/*.h)
	@mkdir -p build/progs
	$(CC) $(PROGS_CFLAGS) -o $@ $<

# On a fresh machine the first `make demo` / `make test` installs what the
# project needs; later runs find build/kernel/ABI and skip it (make deps redoes it).
ensure-deps:
	@test -e build/kernel/ABI -a -e build/linux-source/scripts/checkpatch.pl || \
		./scripts/deps.sh

# Everything the VM needs, with the module built for the VM's kernel (its
# ABI is read only now: deps.sh may just have installed the headers).
vm-build: ensure-deps
	$(MAKE) module KDIR=/usr/src/linux-headers-$$(cat build/kernel/ABI)
	$(MAKE) userspace progs

deps:
	./scripts/deps.sh

check: ensure-deps
	$(MAKE) -C userspace check
	./tests/host/docs_check.sh

vmtest: vm-build
	./scripts/vm run --timeout 900 -- /tests/vm/run.sh $(VMTEST_ARGS)
	./tests/host/vm_meta.sh
	./tests/host/svg_examples.sh

test: check vmtest

lint: ensure-deps
	$(CHECKPATCH) --strict --no-tree --quiet --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
		--show-types -f $(filter-out %.mod.c,$(wildcard module/*.c)) \
		module/*.h module/uapi/*.h
	$(MODULE_CLEAN)
	@mkdir -p build
	$(MAKE) -C /usr/src/linux-headers-$$(cat build/kernel/ABI) M=$(CURDIR) W=1 C=1 modules \
		2>&1 | tee build/lint.log
	@if grep -E 'warning|error' build/lint.log | grep -v '^make' ; then \
		echo "lint: the module build has warnings" >&2; exit 1; fi
	$(MAKE) -C userspace clean all
	@echo "lint: clean"

bench: vm-build
	./scripts/bench.sh

# Debian packages (procscope, procscope-dkms) into build/deb/, lintian-checked.
deb:
	./scripts/deb.sh

demo: vm-build
	./scripts/vm run --mem 1024 -- sh /tests/demo.sh

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	install -D -m 0644 docs/procscope.8 $(DESTDIR)$(PREFIX)/share/man/man8/procscope.8
	install -D -m 0644 userspace/completion.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/procscope

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/procscope \
	      $(DESTDIR)$(PREFIX)/share/man/man8/procscope.8 \
	      $(DESTDIR)$(PREFIX)/share/bash-completion/completions/procscope

clean:
	$(MODULE_CLEAN)
	$(MAKE) -C userspace clean
	rm -rf build/progs build/vm build/lint.log

# Debian system VM (scripts/sysvm): the .debs installed with apt in Debian 13 and
# 12 guests, DKMS building the module there, checked against nginx + ab, nstat,
# ss and the kernel's fault counters (tests/sys/).  SYSTEST_SUITES=trixie for one.
.PHONY: systest
systest: deb
	./scripts/systest
