# SPDX-License-Identifier: GPL-2.0
#
# nicdrv top-level Makefile.
#
#   make          build nicdrv/nicdrv.ko (W=1) against Debian's headers,
#                 and the tools (nicdrv-cap, the tests' pooltest) in build/
#   make deps     install the Debian packages, fetch the guest kernel
#   make demo     boot QEMU and show the driver at work
#   make check    the whole test suite (lint + QEMU tests)
#   make check-debug  the suite on a debug kernel (DMA-API debug, KASAN,
#                 kmemleak, lockdep, UBSAN), built once and cached
#   make check-iommu  the suite on q35 with a strict Intel vIOMMU
#   make check-stress the stress tests on the debug kernel (STRESS=P: P %)
#   make check-strict check-debug and check-iommu in one pass, e1000's
#                 runs included (what CI runs on the newest kernel)
#   make kernel   build (or find in the cache) KERNEL's guest kernel
#   make debug-kernel the same for the debug kernel
#   make install  nicdrv's sources to /usr/src/nicdrv-VERSION, the udev
#                 rule, and 'dkms install' for the running kernel
#                 (docs/install.md); make uninstall undoes it
#   make bench    nicdrv against the in-tree e1000: bench/results.{md,json,png}
#   make plugin   the QEMU TCG plugin that counts guest instructions in
#                 windows the guest marks (bench/plugin/insns.c)
#   make lint     checkpatch --strict, sparse (C=2) and W=1 on the module
#   make clean
#
# KDIR=/path/to/kernel/build overrides the headers; TESTS="name ..." runs
# only some tests with 'make check'.
#
# KERNEL= picks the guest kernel of check, demo, check-debug, check-iommu
# and check-stress: 6.1 is Debian 12's prebuilt kernel; 6.12, 7.2 (any
# series Debian ships), newest (the newest stable series, resolved when it
# runs) and rc (experimental's release candidate) are built from Debian's
# source with Debian 12's gcc and cached (qemu-tests/kernel/build).
# check and demo default to 6.1; the debug and vIOMMU tiers to newest.

BUILD	?= $(CURDIR)/build
# Expanded when a recipe runs, so after 'deps' has written build/kver
KVER	= $(shell cat $(BUILD)/kver 2>/dev/null)
KDIR	?= /usr/src/linux-headers-$(KVER)
KMAKE	= $(MAKE) -C $(KDIR) M=$(CURDIR)/nicdrv CONFIG_NICDRV=m W=1

export BUILD

KERNEL ?= 6.1
TIER_KERNEL = $(if $(filter command line environment,$(origin KERNEL)),$(KERNEL),newest)

.PHONY: all module tools plugin deps demo bench check check-debug check-stress check-iommu check-strict kernel debug-kernel lint install uninstall dkms-source clean

all: module tools

# The tools: nicdrv-cap, nicdrv-xsk, nicdrv-top, and pooltest, a test helper
# that goes into the guest next to them
TOOLS_CFLAGS = -O2 -g -Wall -Wextra -Wshadow -Werror -Inicdrv/uapi -Itools
MAP_SRC = tools/nicdrv-map.c tools/nicdrv-map.h nicdrv/uapi/nicdrv.h
tools: $(BUILD)/tools/nicdrv-cap $(BUILD)/tools/pooltest $(BUILD)/tools/udpseq \
	$(BUILD)/tools/insnmark $(BUILD)/tools/nicdrv_xdp.o \
	$(BUILD)/tools/nicdrv_redirect.o $(BUILD)/tools/nicdrv-xsk \
	$(BUILD)/tools/nicdrv-top $(BUILD)/tools/xdpmap

# The XDP programs of the tests and docs (tools/xdp), for the BPF target
$(BUILD)/tools/%.o: tools/xdp/%.bpf.c
	@mkdir -p $(@D)
	clang -O2 -g -Wall -Werror -target bpf \
		-I/usr/include/$(shell $(CC) -dumpmachine) -c -o $@ $<

$(BUILD)/tools/nicdrv-cap: tools/nicdrv-cap.c $(MAP_SRC)
	@mkdir -p $(@D)
	$(MAKE) -s -C tools O=$(@D)

# nicdrv-xsk: AF_XDP receive and send, zero-copy (needs libxdp-dev)
$(BUILD)/tools/nicdrv-xsk: tools/nicdrv-xsk.c
	@mkdir -p $(@D)
	$(MAKE) -s -C tools O=$(@D) $@

# nicdrv-top: the live ring view (no library beyond libc)
$(BUILD)/tools/nicdrv-top: tools/nicdrv-top.c nicdrv/uapi/nicdrv.h
	@mkdir -p $(@D)
	$(MAKE) -s -C tools O=$(@D) $@

$(BUILD)/tools/pooltest: qemu-tests/pooltest.c $(MAP_SRC)
	@mkdir -p $(@D)
	$(CC) $(TOOLS_CFLAGS) -o $@ $< tools/nicdrv-map.c

# xdpmap: the redirect tests' loader, which fills a device map
$(BUILD)/tools/xdpmap: qemu-tests/xdpmap.c
	@mkdir -p $(@D)
	$(CC) $(TOOLS_CFLAGS) -o $@ $< -lbpf

# udpseq: the ring pressure tests' checked UDP flood (guest and host)
$(BUILD)/tools/udpseq: qemu-tests/udpseq.c
	@mkdir -p $(@D)
	$(CC) $(TOOLS_CFLAGS) -o $@ $<

# insnmark: opens and closes the instruction-count windows of the QEMU
# plugin (bench); static and without libc, so that it adds little to them
$(BUILD)/tools/insnmark: qemu-tests/insnmark.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -static -nostdlib -fno-stack-protector \
		-no-pie -o $@ $<

# The QEMU TCG plugin that counts guest instructions (bench/plugin/insns.c),
# against the plugin API of the host's QEMU (bench/plugin/header)
plugin: $(BUILD)/bench/insns.so
$(BUILD)/bench/insns.so: bench/plugin/insns.c
	@mkdir -p $(@D)
	$(CC) -O2 -g -Wall -Wextra -Wno-unused-parameter -Werror -shared -fPIC \
		-I"$$(bench/plugin/header)" -o $@ $< -lpthread

module:
	@test -d "$(KDIR)" || { echo "no kernel headers at '$(KDIR)': run 'make deps'" >&2; exit 1; }
	$(KMAKE) modules

deps:
	@qemu-tests/deps.sh

demo: deps
	@$(MAKE) --no-print-directory module tools >/dev/null
	@qemu-tests/with-kernel $(KERNEL) qemu-tests/demo

check: deps
	@$(MAKE) --no-print-directory module tools
	@qemu-tests/with-kernel $(KERNEL) qemu-tests/run $(TESTS)

kernel: deps
	@qemu-tests/kernel/build $(KERNEL)

debug-kernel: deps
	@qemu-tests/kernel/build --debug $(TIER_KERNEL)

# Under TCG with KASAN and kmemleak one module load can keep a vCPU busy
# for 20 s: the lockup and stall detectors get 120 s before they speak.
DEBUG_APPEND = watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=120

# Debug-kernel guests spend their time in single-threaded checkers: two
# 1-vCPU guests at a time finish the tier in about half the time
JOBS ?= 2
check-debug: deps
	@$(MAKE) --no-print-directory tools
	@NICDRV_TIER=debug NICDRV_APPEND="$(DEBUG_APPEND)" \
		NICDRV_STRESS=$(NICDRV_STRESS) NICDRV_JOBS=$(JOBS) \
		qemu-tests/with-kernel --debug $(TIER_KERNEL) qemu-tests/run $(TESTS)

# Stress tests on the debug kernel; STRESS=P scales their counts to P %
STRESS ?= 100
check-stress: deps
	@$(MAKE) --no-print-directory check-debug NICDRV_STRESS=$(STRESS)

# The debug and vIOMMU tiers in one pass: the debug kernel on q35 under a
# strict vIOMMU, every test, the in-tree e1000's runs included.  CI runs
# this on the newest kernel: one kernel build and one pass instead of two
# of each (docs/testing.md, "What CI runs")
check-strict: deps
	@$(MAKE) --no-print-directory tools
	@NICDRV_TIER=strict NICDRV_IOMMU=1 NICDRV_PEERS=1 \
		NICDRV_APPEND="$(DEBUG_APPEND)" NICDRV_JOBS=$(JOBS) \
		qemu-tests/with-kernel --debug $(TIER_KERNEL) qemu-tests/run $(TESTS)

# IOMMU_JOBS=2: two 1-vCPU guests at a time, as check-debug does
IOMMU_JOBS ?= 1
check-iommu: deps
	@$(MAKE) --no-print-directory module tools
	@NICDRV_IOMMU=1 NICDRV_TIER=iommu NICDRV_JOBS=$(IOMMU_JOBS) \
		qemu-tests/with-kernel $(TIER_KERNEL) qemu-tests/run $(TESTS)

# INSNS_BOOTS=N instruction-count boots (default 2), ROUNDS=N wall-clock
# boots per topology (2), PAIRS=N throughput pairs per boot (2)
bench: deps
	@$(MAKE) --no-print-directory module tools plugin
	@bench/run

# DKMS: the module's sources with dkms.conf, as /usr/src/nicdrv-VERSION
DKMS_VER = $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' nicdrv/dkms.conf)
DKMS_SRC ?= /usr/src
DKMS_DIR = $(DKMS_SRC)/nicdrv-$(DKMS_VER)
dkms-source:
	qemu-tests/copy-module $(DKMS_DIR)

install: dkms-source
	@command -v dkms >/dev/null || { echo "install: needs dkms (apt-get install dkms)" >&2; exit 1; }
	install -D -m 644 tools/60-nicdrv.rules /etc/udev/rules.d/60-nicdrv.rules
	dkms status -m nicdrv -v $(DKMS_VER) | grep -q . || dkms add -m nicdrv -v $(DKMS_VER)
	dkms install -m nicdrv -v $(DKMS_VER)

uninstall:
	-dkms remove -m nicdrv -v $(DKMS_VER) --all
	rm -rf $(DKMS_DIR) /etc/udev/rules.d/60-nicdrv.rules

lint: deps
	@qemu-tests/run lint

clean:
	@test ! -d "$(KDIR)" || $(KMAKE) clean
	rm -rf $(BUILD)
