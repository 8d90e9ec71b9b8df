# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# rbiblock: one Makefile for rbictl, rbiblock.ko and every test suite.
#
#   make                 rbictl and rbiblock.ko
#   sudo make check      install missing Debian packages, then run every suite
#   sudo make demo       the camera network demo in network namespaces
#   make bench           benchmarks, printed as side-by-side ratios
#   make deb             the Debian packages rbiblock and rbiblock-dkms
#   sudo make install    rbictl, the unit, manual pages (make uninstall)
#
# BUILD=dir puts every object, the module's too, in dir (default: build), so
# that two builds of one tree never share objects. KDIR selects the kernel
# headers.

VERSION := 0.1.0
BUILD ?= build
WERROR ?=
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
# NODEPS=1: install no Debian package (a package build lists its own).
NODEPS ?=

# The build machine's own kernel may not support modules at all: always build
# against the newest installed Debian headers, never against `uname -r`.
KDIR ?= $(shell ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)
KVER = $(notdir $(patsubst %/,%,$(dir $(KDIR))))

CC ?= cc
PKGS := yaml-0.1 libnftnl libmnl libcrypto libpcap
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wundef -Wvla -Wpointer-arith -Wcast-qual -Wwrite-strings \
	-Wimplicit-fallthrough -Wno-unused-parameter -Wno-missing-field-initializers $(if $(WERROR),-Werror)
INCS := -Imodule/core -Imodule/core/vectors -Imodule/uapi -Iuserspace -I$(BUILD)/gen
BASE_CFLAGS := -std=gnu11 -g -D_GNU_SOURCE -DRBI_VERSION='"$(VERSION)"' $(WARN) $(INCS) -MMD -MP
REL_CFLAGS := $(BASE_CFLAGS) -O2 -fstack-protector-strong -D_FORTIFY_SOURCE=2 $(CFLAGS)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_CFLAGS := $(BASE_CFLAGS) -O1 $(SAN_FLAGS) -DRBI_UNIT_TEST $(CFLAGS)
LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lyaml -lnftnl -lmnl -lcrypto -lpcap)

CORE_SRCS := $(wildcard module/core/*.c)
VEC_SRCS := $(wildcard module/core/vectors/*.c)
LIB_SRCS := $(filter-out userspace/cmd/rbictl.c,$(wildcard userspace/*/*.c))
GEN_SRCS := $(BUILD)/gen/rbi_embedded.c
EMBEDDED := policies/default.yaml $(sort $(wildcard policies/catalog/*.yaml)) \
	$(sort $(wildcard policies/examples/*.yaml))
UNIT_SRCS ?= $(wildcard tests/unit/test_*.c)
UNIT_HELPERS := $(filter-out $(wildcard tests/unit/test_*.c),$(wildcard tests/unit/*.c))

obj = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))
REL_CORE := $(call obj,rel,$(CORE_SRCS))
REL_LIB := $(call obj,rel,$(LIB_SRCS) $(GEN_SRCS))
SAN_CORE := $(call obj,san,$(CORE_SRCS) $(VEC_SRCS))
SAN_LIB := $(call obj,san,$(LIB_SRCS) $(GEN_SRCS) $(UNIT_HELPERS))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/san/unit/%,$(UNIT_SRCS))
RBICTL := $(BUILD)/rbictl

# V=1 shows whole command lines.
Q := $(if $(V),,@)
quiet = $(if $(V),,@printf '  %-7s %s\n' $(1) $(2);)

# Every suite, in the order `make check` runs them, and every benchmark.
CHECKS := check-unit check-golden check-catalog check-scan check-corpus check-audit check-report check-netns check-fuzz check-kernel check-pkg
BENCHES := bench-tables bench-policy bench-scan bench-audit bench-nft bench-queue bench-run bench-kernel

.SECONDARY:
.PHONY: all userspace module check $(CHECKS) bench $(BENCHES) golden-update \
	install install-module install-dkms-src uninstall man deb clean help \
	demo fuzz
.DEFAULT_GOAL := all

all: userspace module
check: $(CHECKS)
bench: $(BENCHES)

help:
	@sed -n '3,15s/^# \{0,1\}//p' Makefile

userspace: deps-build $(RBICTL)

$(BUILD)/rel/librbicore.a: $(REL_CORE)
$(BUILD)/rel/librbi.a: $(REL_LIB)
$(BUILD)/san/librbicore.a: $(SAN_CORE)
$(BUILD)/san/librbi.a: $(SAN_LIB)
%.a:
	@mkdir -p $(@D)
	$(call quiet,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(RBICTL): $(call obj,rel,userspace/cmd/rbictl.c) $(BUILD)/rel/librbi.a $(BUILD)/rel/librbicore.a
	$(call quiet,LD,$@)$(CC) $(REL_CFLAGS) -o $@ $^ $(LIBS) $(LDFLAGS)

$(BUILD)/rel/%.o: %.c
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(REL_CFLAGS) -c -o $@ $<

$(BUILD)/san/%.o: %.c
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(SAN_CFLAGS) -c -o $@ $<

# The default policy and the catalogue are compiled in, so that rbictl works
# with no files installed.
$(BUILD)/gen/rbi_embedded.c: userspace/policy/embed.sh $(EMBEDDED) Makefile
	@mkdir -p $(@D)
	$(call quiet,GEN,$@)sh userspace/policy/embed.sh $(EMBEDDED) > $@.tmp && mv $@.tmp $@

$(BUILD)/san/unit/%: $(BUILD)/san/tests/unit/%.o $(BUILD)/san/librbi.a $(BUILD)/san/librbicore.a
	@mkdir -p $(@D)
	$(call quiet,LD,$@)$(CC) $(SAN_CFLAGS) -o $@ $^ -lcmocka $(LIBS)

# Kbuild writes its objects beside the sources it compiles, so it compiles
# a tree of links to module/ in BUILD, refreshed on every build (links to
# files that are gone are dropped).
MODULE_DIR = $(abspath $(BUILD))/module
KBUILD_ARGS = -C $(KDIR) M=$(MODULE_DIR) RBI_VERSION=$(VERSION) \
	RBI_WERROR=$(if $(WERROR),y)

module: deps-module
	@test -d "$(KDIR)" || { echo "error: no kernel headers in '$(KDIR)'; install linux-headers-amd64 (make deps-module) or set KDIR=" >&2; exit 1; }
	@mkdir -p $(MODULE_DIR)
	@cp -asf $(CURDIR)/module/. $(MODULE_DIR)/
	@find $(MODULE_DIR) -xtype l -delete
	$(MAKE) $(KBUILD_ARGS) modules

check-unit: deps-build $(UNIT_BINS)
	@sh tests/unit/run.sh $(UNIT_BINS)

check-golden: deps-golden $(RBICTL)
	@sh tests/golden/run.sh $(RBICTL)

golden-update: $(RBICTL)
	@sh tests/golden/run.sh $(RBICTL) update

# Benchmarks use the release flags (-O2) and the release core library.
bench-tables: $(BUILD)/bench/bench_tables
	$(BUILD)/bench/bench_tables
	@sh tests/bench/instr_tables.sh $(BUILD)/bench/bench_tables

$(BUILD)/bench/bench_tables: tests/bench/bench_tables.c $(BUILD)/rel/librbicore.a
	@mkdir -p $(@D)
	$(call quiet,LD,$@)$(CC) $(REL_CFLAGS) -o $@ $^ $(LDFLAGS)

bench-policy: $(BUILD)/bench/bench_policy
	$(BUILD)/bench/bench_policy

$(BUILD)/bench/bench_policy: $(call obj,rel,tests/bench/bench_policy.c) $(BUILD)/rel/librbi.a $(BUILD)/rel/librbicore.a
	@mkdir -p $(@D)
	$(call quiet,LD,$@)$(CC) $(REL_CFLAGS) -o $@ $^ $(LIBS) $(LDFLAGS)

# rbictl catalog and the catalogue's signatures from the command line.
check-catalog: deps-golden $(RBICTL)
	@sh tests/catalog/run.sh $(RBICTL)

# Capture scanning (rbictl scan, watch): generated captures against their
# expected output (check-scan), agreement with nDPI on ../shared/corpus,
# skipped when it is absent (check-corpus), and the benchmark against a
# bare libpcap loop, ndpiReader and tshark (bench-scan).
SCAN_TOOLS := $(BUILD)/scan/gen_captures $(BUILD)/scan/gen_bench
BENCH_SCAN_TOOLS := $(BUILD)/bench/pcap_loop $(BUILD)/bench/runstat

$(BUILD)/scan/%: $(call obj,rel,tests/scan/%.c tests/scan/capgen.c) $(BUILD)/rel/librbi.a $(BUILD)/rel/librbicore.a
	@mkdir -p $(@D)
	$(call quiet,LD,$@)$(CC) $(REL_CFLAGS) -o $@ $^ $(LIBS) $(LDFLAGS)

$(BENCH_SCAN_TOOLS): $(BUILD)/bench/%: $(call obj,rel,tests/bench/%.c) $(BUILD)/rel/librbi.a
	@mkdir -p $(@D)
	$(call quiet,LD,$@)$(CC) $(REL_CFLAGS) -o $@ $^ $(LIBS) $(LDFLAGS)

check-scan: deps-scan $(RBICTL) $(SCAN_TOOLS)
	@sh tests/scan/run.sh $(RBICTL) $(SCAN_TOOLS)

check-corpus: deps-build $(RBICTL)
	@sh tests/corpus/check.sh $(RBICTL)

bench-scan: $(RBICTL) $(SCAN_TOOLS) $(BENCH_SCAN_TOOLS)
	@sh tests/bench/bench_scan.sh $(RBICTL) $(BUILD)/scan/gen_bench \
		$(BUILD)/bench/pcap_loop $(BUILD)/bench/runstat

# Manual pages: one per command group made from rbictl's own help texts
# (doc/man/gen.sh), so that they can't drift from it; rbictl.8 and the
# section 5 pages (the policy and catalogue formats) are written by hand.
MAN_DIR := $(BUILD)/man
MAN_STAMP := $(MAN_DIR)/.made
man: deps-build $(MAN_STAMP)

$(MAN_STAMP): $(RBICTL) doc/man/gen.sh doc/man/rbictl.8.in $(wildcard doc/man/*.5)
	@rm -rf $(MAN_DIR)
	$(call quiet,GEN,$(MAN_DIR))sh doc/man/gen.sh $(RBICTL) $(VERSION) $(MAN_DIR)
	@touch $@

# rbictl carries the default policy and the catalogue inside itself; the
# files are installed as well, for reading and for `catalog.include`. The
# policy and /etc/default/rbiblock are installed only where there are
# none: an operator's are never replaced.
SHARE := $(DESTDIR)$(PREFIX)/share/rbiblock
LIBEXEC := $(DESTDIR)$(PREFIX)/libexec/rbiblock
MANDIR := $(DESTDIR)$(PREFIX)/share/man
COMPLETION := $(DESTDIR)$(PREFIX)/share/bash-completion/completions/rbictl
ETC := $(DESTDIR)$(SYSCONFDIR)
install: userspace man
	install -D -m 0755 $(RBICTL) $(DESTDIR)$(PREFIX)/sbin/rbictl
	install -d $(SHARE)/catalog $(SHARE)/examples $(SHARE)/optional
	install -m 0644 policies/default.yaml $(SHARE)/
	install -m 0644 policies/catalog/*.yaml $(SHARE)/catalog/
	install -m 0644 policies/examples/*.yaml $(SHARE)/examples/
	install -m 0644 policies/optional/*.yaml $(SHARE)/optional/
	install -D -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/rbiblock/README.md
	install -D -m 0755 dist/rbiblock-module $(LIBEXEC)/rbiblock-module
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|/usr/local|$(PREFIX)|g' userspace/daemon/rbiblock.service > $(DESTDIR)$(UNITDIR)/rbiblock.service
	install -D -m 0644 dist/rbictl.bash $(COMPLETION)
	install -d $(MANDIR)/man5 $(MANDIR)/man8
	install -m 0644 $(MAN_DIR)/*.5 $(MANDIR)/man5/
	install -m 0644 $(MAN_DIR)/*.8 $(MANDIR)/man8/
	install -d $(ETC)/rbiblock $(ETC)/default
	test -e $(ETC)/rbiblock/policy.yaml || install -m 0644 dist/policy.yaml $(ETC)/rbiblock/policy.yaml
	test -e $(ETC)/default/rbiblock || install -m 0644 dist/default $(ETC)/default/rbiblock

# Everything install wrote, but an /etc file the operator changed, the
# audit key and the audit log.
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/rbictl $(DESTDIR)$(UNITDIR)/rbiblock.service $(COMPLETION)
	rm -f $(MANDIR)/man8/rbictl.8 $(MANDIR)/man8/rbictl-*.8 $(MANDIR)/man5/rbiblock-*.5
	rm -rf $(SHARE) $(LIBEXEC) $(DESTDIR)$(PREFIX)/share/doc/rbiblock
	! cmp -s dist/policy.yaml $(ETC)/rbiblock/policy.yaml || rm -f $(ETC)/rbiblock/policy.yaml
	! cmp -s dist/default $(ETC)/default/rbiblock || rm -f $(ETC)/default/rbiblock
	-rmdir $(ETC)/rbiblock 2>/dev/null

# The module's sources where DKMS takes them (dkms.conf: the package's).
install-dkms-src:
	install -d $(DESTDIR)$(PREFIX)/src/rbiblock-$(VERSION)
	cp -R module/. $(DESTDIR)$(PREFIX)/src/rbiblock-$(VERSION)/

# Debian packages (debian/), built from a copy of the tree in BUILD/deb so
# that dpkg-buildpackage writes nothing beside it: BUILD/deb/*.deb.
DEB_DIR := $(BUILD)/deb
DEB_SRC := $(DEB_DIR)/rbiblock-$(VERSION)
deb: deps-deb
	@test "$$(dpkg-parsechangelog -S Version)" = $(VERSION) || { echo "error: debian/changelog is not at version $(VERSION)" >&2; exit 1; }
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	tar -cf - --exclude-vcs --exclude=./$(BUILD) --exclude=./debian/build . | tar -xf - -C $(DEB_SRC)
	cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc -j2 >../build.log 2>&1 || { tail -n 30 ../build.log >&2; exit 1; }
	@ls $(DEB_DIR)/*.deb

# The packages installed in a clean Debian 12 root (debootstrap, kept in
# BUILD/pkg): DKMS builds and signs the module, the unit verifies, the
# manual pages render, completion completes, rbictl init works; then that
# root booted under qemu with systemd as PID 1 runs rbiblock.service.
check-pkg: deps-pkg deb man
	@sh tests/pkg/run.sh $(BUILD) $(RBICTL)

# The module into /lib/modules/<version>/updates, for modprobe.
install-module: module
	$(MAKE) $(KBUILD_ARGS) INSTALL_MOD_DIR=updates modules_install
	depmod $(KVER)

clean:
	rm -rf $(BUILD)

# The audit log: a test-only writer driver (the daemon's API), the shell
# suites in tests/audit (tamper, crash, interop with Go's sumdb packages)
# and the append/verify benchmark.
AUDIT_WRITER := $(BUILD)/audit_writer

$(AUDIT_WRITER): $(call obj,rel,tests/audit/audit_writer.c) $(BUILD)/rel/librbi.a $(BUILD)/rel/librbicore.a
	$(call quiet,LD,$@)$(CC) $(REL_CFLAGS) -o $@ $^ $(LIBS) $(LDFLAGS)

check-audit: deps-audit $(RBICTL) $(AUDIT_WRITER)
	@sh tests/audit/run.sh $(RBICTL) $(AUDIT_WRITER)

bench-audit: $(RBICTL) $(AUDIT_WRITER)
	@sh tests/audit/bench.sh $(RBICTL) $(AUDIT_WRITER)

# The published report in headless Chromium with axe-core (tests/report),
# installed from npm into $(BUILD)/report at a pinned version; screenshots
# are left there.
check-report: deps-report $(RBICTL) $(AUDIT_WRITER)
	@sh tests/report/run.sh $(RBICTL) $(AUDIT_WRITER) $(BUILD)

# nftables enforcement: the network namespace suites (tests/netns, root),
# the camera network demo, and forwarding through the gateway with and
# without the ruleset.
# The crafted DNS server the learning attacks are answered by.
NETNS_TOOLS := $(BUILD)/tools/dnsforge
$(NETNS_TOOLS): $(BUILD)/tools/%: tests/tools/%.c
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(REL_CFLAGS) -o $@ $< $(LDFLAGS)

check-netns: deps-netns $(RBICTL) $(NETNS_TOOLS)
	@sh tests/netns/run.sh $(RBICTL)

demo: deps-demo $(RBICTL)
	@bash tests/demo.sh $(RBICTL)

bench-nft: $(RBICTL)
	@bash tests/bench/bench_nft.sh $(RBICTL)

# The queue backend against nft alone and no ruleset: new connections a
# second, the first payload's delay, bulk TCP.
bench-queue: deps-netns $(RBICTL) $(BUILD)/bench/qbench
	@bash tests/bench/bench_queue.sh $(RBICTL) $(BUILD)/bench/qbench

# rbictl run's heartbeat and rbictl status at 1k, 100k and 1M networks.
bench-run: $(RBICTL)
	@bash tests/bench/bench_run.sh $(RBICTL)

# libFuzzer targets (tests/fuzz), one per parser of untrusted bytes, built
# with clang under ASan and UBSan from their own objects, each starting from
# its seeds in tests/fuzz/corpus. `make fuzz` runs each for FUZZ_SECONDS;
# `make check-fuzz` runs each briefly, enough to catch a regression on the
# way in, and prints the executions per second of each.
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 8
FUZZ_CC ?= clang
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS = $(filter-out -Werror,$(BASE_CFLAGS)) -O1 $(FUZZ_FLAGS) -Wno-cast-qual
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
$(BUILD)/fuzz/librbicore.a: $(call obj,fuzz,$(CORE_SRCS))
$(BUILD)/fuzz/librbi.a: $(call obj,fuzz,$(LIB_SRCS) $(GEN_SRCS))

$(BUILD)/fuzz/%.o: %.c
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/tests/fuzz/fuzz_%.o $(BUILD)/fuzz/librbi.a $(BUILD)/fuzz/librbicore.a
	$(call quiet,LD,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

fuzz: deps-fuzz $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

check-fuzz: deps-fuzz $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(FUZZ_CHECK_SECONDS) $(FUZZ_BINS)

# Debian packages, by what needs them: deps-build for rbictl and
# check-unit, deps-SUITE for each suite that needs more, deps for all of
# them. Quiet when nothing is missing; needs root (sudo) only when something
# is. One install at a time: make -j runs several deps-* at once.
DEPS_build := build-essential pkg-config libcmocka-dev libyaml-dev \
	libnftnl-dev libmnl-dev libssl-dev libpcap-dev
DEPS_module := $(DEPS_build) linux-headers-amd64 kmod
DEPS_golden := $(DEPS_build) python3
DEPS_scan := $(DEPS_build) iproute2
DEPS_audit := $(DEPS_build) golang-go golang-golang-x-mod-dev
# Debian's npm only where no npm is found: Node.js from elsewhere has its own.
DEPS_report := $(DEPS_build) chromium nodejs valgrind \
	$(if $(shell command -v npm),,npm)
DEPS_netns := $(DEPS_build) nftables iproute2 iputils-ping socat \
	dnsmasq-base bind9-dnsutils
DEPS_demo := $(DEPS_netns) openssl curl
DEPS_fuzz := $(DEPS_build) clang libclang-rt-14-dev
DEPS_kernel := $(DEPS_module) qemu-system-x86 busybox-static \
	linux-image-amd64 cpio valgrind iproute2 nftables iperf3
DEPS_deb := $(DEPS_build) dpkg-dev debhelper dh-dkms fakeroot
DEPS_pkg := $(DEPS_deb) lintian debootstrap man-db groff-base socat \
	bash-completion util-linux qemu-system-x86 e2fsprogs
DEPS_SETS := build module golden scan audit report netns demo fuzz kernel deb pkg
DEPS_all := $(sort $(foreach d,$(DEPS_SETS),$(DEPS_$(d))))
DEPS_TARGETS := $(addprefix deps-,$(DEPS_SETS) all)
.PHONY: deps $(DEPS_TARGETS)

deps: deps-all

$(DEPS_TARGETS): deps-%:
	@[ -z "$(NODEPS)" ] || exit 0; missing=; for p in $(DEPS_$*); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q ' installed$$' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then echo "error: missing Debian packages:$$missing; run 'sudo make $@'" >&2; exit 1; fi; \
		echo "$@: installing$$missing"; \
		flock /tmp/rbiblock-deps.lock sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends$$missing >/dev/null"; \
	fi

# rbiblock.ko end to end: a qemu guest (TCG) boots Debian's packaged kernel
# with the module and the test tools of tests/qemu in an initramfs, runs the
# suite in network namespaces (check-kernel) or the forwarding benchmark
# (bench-kernel), and reports through its second serial port.
QEMU_TOOLS := $(patsubst tests/qemu/%.c,$(BUILD)/qemu/tools/%,$(wildcard tests/qemu/*.c))
QEMU_COMMON := $(call obj,rel,$(wildcard tests/qemu/common/*.c) module/core/vectors/rbi_vec_hello.c)
# The queue backend's netns suites drive traffic with three of them, and
# its benchmark with the same payloads.
check-netns: $(addprefix $(BUILD)/qemu/tools/,tcpx udpx dnsx)

$(BUILD)/bench/qbench: $(call obj,rel,tests/bench/qbench.c) $(QEMU_COMMON) $(BUILD)/rel/librbi.a $(BUILD)/rel/librbicore.a
	@mkdir -p $(@D)
	$(call quiet,LD,$@)$(CC) $(REL_CFLAGS) -o $@ $^ $(LIBS) $(LDFLAGS)

$(BUILD)/qemu/tools/%: $(call obj,rel,tests/qemu/%.c) $(QEMU_COMMON) $(BUILD)/rel/librbi.a $(BUILD)/rel/librbicore.a
	@mkdir -p $(@D)
	$(call quiet,LD,$@)$(CC) $(REL_CFLAGS) -o $@ $^ $(LIBS) $(LDFLAGS)

# A make of its own for the module, after deps-kernel installed the headers.
check-kernel bench-kernel: deps-kernel $(RBICTL) $(QEMU_TOOLS)
	@$(MAKE) --no-print-directory module >/dev/null
	@sh tests/qemu/run.sh $(@:%-kernel=%) $(BUILD) $(KVER)

# Kbuild keeps its own dependencies, in the module's .cmd files, and the
# package test's Debian root (BUILD/pkg) has directories named *.d.
-include $(shell find $(BUILD) \( -path $(BUILD)/module -o -path $(BUILD)/pkg \) -prune -o -name '*.d' -type f -print 2>/dev/null)
