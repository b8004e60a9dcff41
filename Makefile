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

# The kernels the VM targets build for and test on (scripts/kernel.sh list):
# Debian 12's 6.1 and Debian's 6.12 from bookworm-backports.
KERNELS ?= 6.1 6.12
# make bench's kernel (scripts/vm --kernel).
BENCH_KERNEL ?= 6.1

# Not kbuild's own "clean": with M= it deletes every *.o and *.ko below this
# directory, the VM kernel's modules in build/ included.
MODULE_CLEAN = rm -f module/*.o module/*.ko module/*.mod module/*.mod.c \
	module/.*.cmd module/modules.order .*.cmd Module.symvers modules.order \
	module/tests/*.o module/tests/.*.cmd

PROGS_SRC := $(wildcard tests/vm/progs/*.c)
PROGS := $(patsubst tests/vm/progs/%.c,build/progs/%,$(PROGS_SRC))
PROGS_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -static -pthread -Imodule/uapi

# scripts/deps.sh extracts it from Debian's linux-source tarball.
CHECKPATCH ?= build/linux-source/scripts/checkpatch.pl

.PHONY: all module userspace progs vm-build vm-modules deps check vmtest test lint bench \
	demo install dkms-install uninstall clean help kdir-check ensure-deps deb

all: module userspace

help:
	@echo 'procscope targets:'
	@echo '  make              build module/procscope.ko (KDIR=$(KDIR)) and userspace/procscope'
	@echo '  make demo         install deps, build, boot the test VM and show procscope on a sample process'
	@echo '  make test         unit tests (make check), the VM suite on each kernel in KERNELS, make kunit'
	@echo '  make kunit        KUnit tests of the module'"'"'s pure helpers, on a cached debug kernel with KUnit'
	@echo '  make test-all     all of it, as CI: lint, DKMS, make test, test-debug (6.1), systest (Debian 13)'
	@echo '  make vm-build     procscope.ko for each kernel in KERNELS (build/ko/SERIES/), the tool, test programs'
	@echo '  make deps         install the Debian packages; fetch the VM kernels and QEMU 10'
	@echo '  make lint         checkpatch --strict, sparse (C=1) and W=1 on the module, for each kernel'
	@echo '  make bench        benchmarks in the VM on BENCH_KERNEL; results in docs/benchmarks.md'
	@echo '  make test-debug   the suite, stress loops and kmemleak on a KASAN/lockdep debug kernel'
	@echo '  make install      install the module, tool, man page and completion'
	@echo '  make dkms-install the module under DKMS (rebuilt for every kernel), from this tree'
	@echo '  make deb          Debian packages procscope and procscope-dkms in build/deb/'
	@echo '  make systest      the packages in Debian 13 and 12 system VMs (DKMS, nginx + ab checks)'
	@echo 'Variables: KDIR=/path/to/kernel/build (default: running kernel), PREFIX=$(PREFIX),'
	@echo '  KERNELS="$(KERNELS)" (VM kernels), VMTEST_PAGING="5 4", BENCH_KERNEL=$(BENCH_KERNEL), VMTEST_ARGS (run.sh filters)'

kdir-check:
	@if [ ! -e "$(KDIR)/Makefile" ]; then \
		echo "error: no kernel build tree at KDIR=$(KDIR)" >&2; \
		echo "  install your kernel's headers (Debian: apt-get install linux-headers-\$$(uname -r))," >&2; \
		echo "  or point KDIR at installed headers, e.g.: make KDIR=$(VM_KDIR)" >&2; \
		echo "  (the VM targets - make demo / make vmtest - use the VM kernels' own headers: scripts/kernel.sh kdir 6.1|6.12)" >&2; \
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
# project needs; later runs find what it fetched and skip it (make deps redoes it).
ensure-deps:
	@test -e build/kernel/ABI -a -e build/kernel-6.12/ABI -a -e build/qemu/VERSION \
		-a -e build/linux-source/scripts/checkpatch.pl || ./scripts/deps.sh

# Everything the VM needs, with the module built for each kernel in KERNELS,
# out of tree (scripts/kbuild.sh: build/kbuild/ABI/ -> build/ko/SERIES/procscope.ko),
# so the kernels' objects do not overwrite each other.
vm-build: ensure-deps
	$(MAKE) userspace progs
	$(MAKE) vm-modules

vm-modules: ensure-deps
	@set -e; for k in $(KERNELS); do \
		echo "vm-build: procscope.ko for $$k"; ./scripts/kbuild.sh $$k; done

deps:
	./scripts/deps.sh

check: ensure-deps
	$(MAKE) -C userspace check
	./tests/host/docs_check.sh

# The suite and tests/host/vm_meta.sh on each kernel in KERNELS, one closing
# line per kernel; a kernel that fails does not stop the others, but fails make.
vmtest: ensure-deps
	$(MAKE) userspace progs
	./scripts/vmtest.sh -k "$(KERNELS)" $(VMTEST_ARGS)

test: check vmtest kunit

# KUnit (module/tests/) needs CONFIG_KUNIT, which Debian's kernels lack: it
# runs on a cached debug kernel that has it, and says so when there is none.
.PHONY: kunit
kunit: ensure-deps
	./scripts/kunit.sh --series $(DEBUG_SERIES)

# Everything CI runs (scripts/test-all.sh): lint, DKMS, make test, the 6.1
# debug-kernel suite and the Debian 13 system VM, with per-step times.
.PHONY: test-all
test-all:
	./scripts/test-all.sh

# W=1 and sparse against each kernel's headers, each from scratch in its own
# directory (scripts/kbuild.sh --lint); the KUnit module too, forced
# (PROCSCOPE_KUNIT=force: these kernels have no KUnit to link it against).
lint: ensure-deps
	$(CHECKPATCH) --strict --no-tree --quiet --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
		--show-types -f $(filter-out %.mod.c,$(wildcard module/*.c module/tests/*.c)) \
		module/*.h module/uapi/linux/*.h
	@mkdir -p build
	@set -e; for k in $(KERNELS); do \
		echo "lint: W=1 C=1 against $$k"; \
		PROCSCOPE_KUNIT=force KBUILD_MODPOST_WARN=1 ./scripts/kbuild.sh --lint $$k >build/lint-$$k.log 2>&1 || \
			{ cat build/lint-$$k.log; echo "lint: the module does not build for $$k" >&2; exit 1; }; \
		if grep -E 'warning|error' build/lint-$$k.log | grep -v '^make' ; then \
			echo "lint: the module build for $$k has warnings" >&2; exit 1; fi; \
	done
	$(MAKE) -C userspace clean all
	@echo "lint: clean"

bench: ensure-deps
	$(MAKE) vm-build KERNELS=$(BENCH_KERNEL)
	./scripts/bench.sh --kernel $(BENCH_KERNEL)

# The suite, the unload stress loops and kmemleak on a debug kernel (KASAN,
# lockdep, kmemleak, UBSAN, ...) built once from Debian's source and cached
# outside the clone: docs/debug-kernel.md.  DEBUG_SERIES=6.1 or 6.12;
# TEST_DEBUG_ARGS=-- t_3 runs only the suite's t_3* tests.
DEBUG_SERIES ?= 6.1
.PHONY: test-debug debug-kernel
debug-kernel:
	./scripts/debug-kernel.sh --series $(DEBUG_SERIES)

test-debug: ensure-deps
	./scripts/test-debug.sh --series $(DEBUG_SERIES) $(TEST_DEBUG_ARGS)

# Debian packages (procscope, procscope-dkms) into build/deb/, lintian-checked.
deb:
	./scripts/deb.sh

demo: ensure-deps
	$(MAKE) vm-build KERNELS=6.1
	./scripts/vm run --kernel 6.1 --mem 1024 -- sh /tests/demo.sh

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	install -D -m 0644 docs/procscope.8 $(DESTDIR)$(PREFIX)/share/man/man8/procscope.8
	install -D -m 0644 userspace/completion.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/procscope

# The module under DKMS from this tree (what the procscope-dkms package does):
# rebuilt for every installed kernel and on kernel upgrades.
dkms-install:
	ver=$$(./scripts/dkms-src.sh) && dkms add procscope/$$ver && dkms install procscope/$$ver

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/procscope \
	      $(DESTDIR)$(PREFIX)/share/man/man8/procscope.8 \
	      $(DESTDIR)$(PREFIX)/share/bash-completion/completions/procscope

clean:
	$(MODULE_CLEAN)
	$(MAKE) -C userspace clean
	rm -rf build/progs build/vm build/kbuild build/ko build/lint*.log build/vmtest-*.log \
		build/vm_meta-*.log

# Debian system VM (scripts/sysvm): the .debs installed with apt in Debian 13 and
# 12 guests, DKMS building the module there, checked against nginx + ab, nstat,
# ss and the kernel's fault counters (tests/sys/).  SYSTEST_SUITES=trixie for one.
.PHONY: systest
systest: deb
	./scripts/systest
