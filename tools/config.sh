# SPDX-License-Identifier: GPL-2.0-only
# Shared settings of the tools/ scripts (sourced, not run).
# shellcheck shell=sh
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${RVMSI_CACHE:-$HOME/.cache/rv-iommu-msi}
BASE_VERSION=7.3.4-1~bpo13+1
BASE_DEB=linux-source-7.3_7.3.4-1~bpo13+1_all.deb
BASE_SHA256=703e369ddd4cce971452f5a593ee55df3a5c10c83caf0fa0df039633ed181ee3
TREE=${RVMSI_TREE:-$TOP/build}
OUT=${RVMSI_OUT:-$TOP/out}
ARCH=riscv
CROSS_COMPILE=riscv64-linux-gnu-
export ARCH CROSS_COMPILE
# Fixed identity and date for the imported base commit, so its id is stable.
BASE_GIT_ENV="GIT_AUTHOR_NAME=base GIT_AUTHOR_EMAIL=base@localhost
GIT_COMMITTER_NAME=base GIT_COMMITTER_EMAIL=base@localhost
GIT_AUTHOR_DATE=2026-01-01T00:00:00Z GIT_COMMITTER_DATE=2026-01-01T00:00:00Z"
