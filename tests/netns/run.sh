#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# Runs every network namespace suite (tests/netns/t_*.sh) against rbictl
# and sums their PASS/FAIL lines into one closing count (tests/suite.sh).
#   sh tests/netns/run.sh RBICTL
here=$(dirname "$0")
exec sh "$here/../suite.sh" netns "$here" bash 300 RBICTL="$1"
