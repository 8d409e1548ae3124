# SPDX-License-Identifier: GPL-2.0
#
# nicdrv top-level Makefile.
#
#   make          build nicdrv/nicdrv.ko (W=1) against Debian's headers
#   make deps     install the Debian packages, fetch the guest kernel
#   make demo     boot QEMU and show the driver at work
#   make check    the whole test suite (lint + QEMU tests)
#   make lint     checkpatch --strict, sparse (C=1) and W=1 on the module
#   make clean
#
# KDIR=/path/to/kernel/build overrides the headers; TESTS="name ..." runs
# only some tests with 'make check'.

BUILD	?= $(CURDIR)/build
# Expanded when a recipe runs, so after 'deps' has written build/kver
KVER	= $(shell cat $(BUILD)/kver 2>/dev/null)
KDIR	?= /usr/src/linux-headers-$(KVER)
KMAKE	= $(MAKE) -C $(KDIR) M=$(CURDIR)/nicdrv CONFIG_NICDRV=m W=1

export BUILD

.PHONY: all module deps demo check lint clean

all: module

module:
	@test -d "$(KDIR)" || { echo "no kernel headers at '$(KDIR)': run 'make deps'" >&2; exit 1; }
	$(KMAKE) modules

deps:
	@qemu-tests/deps.sh

demo: deps
	@$(MAKE) --no-print-directory module >/dev/null
	@qemu-tests/demo

check: deps
	@$(MAKE) --no-print-directory module
	@qemu-tests/run $(TESTS)

lint: deps
	@qemu-tests/run lint

clean:
	@test ! -d "$(KDIR)" || $(KMAKE) clean
	rm -rf $(BUILD)
