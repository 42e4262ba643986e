# SPDX-License-Identifier: GPL-2.0-only
# The one front door. See README.md.
#   make demo        install what is missing, apply, build, boot, show
#   make check       every test; last line "N passed, N failed"
#   make tree        (re)create build/ = base + patches/ (your dev tree)
#   make export      build/'s commits -> patches/
#   make kernel      build the test kernel from build/ (out/check)
#   make initramfs   build out/initramfs.cpio.gz
#   make boot P=noremap [T=tests] [M=check|demo|shell]
.PHONY: demo check check-debug setup fetch tree export kernel initramfs boot clean bench

P ?= default
M ?= check
T ?=

demo:
	sh tools/demo.sh

check:
	sh tools/check.sh

check-debug:
	RVMSI_DEBUG=1 sh tools/check.sh

setup:
	sh tools/setup.sh

fetch:
	sh tools/fetch-base.sh

tree:
	sh tools/mktree.sh

export:
	sh tools/export.sh

kernel:
	sh tools/build-kernel.sh check base kunit

initramfs:
	sh tools/mkinitramfs.sh

bench:
	sh bench/run.sh

boot:
	sh tests/host/boot.sh $(P) -m $(M) $(if $(T),-t $(T)) $(if $(filter shell,$(M)),,&& cat out/logs/$(P).log)

clean:
	rm -rf out
