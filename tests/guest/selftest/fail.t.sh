#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Harness self-test: always fails. Never part of a normal run.
. /tests/lib.sh
plan 2
ok "a passing case"
not_ok "a deliberately failing case"
done_testing
