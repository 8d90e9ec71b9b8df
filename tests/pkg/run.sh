#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
# The package suite: each t_*.sh against the packages make deb wrote in
# BUILD/deb and the rbictl in BUILD, with one closing count
# (tests/suite.sh).
#   sh tests/pkg/run.sh BUILD RBICTL
here=$(dirname "$0")
exec sh "$here/../suite.sh" pkg "$here" sh 900 BUILD="$1" RBICTL="$2"
