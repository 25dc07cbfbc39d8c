#!/usr/bin/env bash
# Where the CPU of a running stack goes: the process tree of a `sluice up` already running (its pid)
# over a window, per process and, within each process, per thread name (see bench/cpu.sh). For a
# look at a stack started by hand; bench/idle-cpu.sh starts its own and measures it the same way.
# Usage:
#   bench/stack-cpu.sh <pid of sluice up> [window seconds, default 60]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
hz=$(getconf CLK_TCK)
# shellcheck source=bench/stack.sh
. "$root/bench/stack.sh"
# shellcheck source=bench/cpu.sh
. "$root/bench/cpu.sh"
up_pid="${1:?usage: bench/stack-cpu.sh <pid of sluice up> [window seconds]}"
measure_cpu "${2:-60}"
echo "whole stack: $percent % of one core; load $load_before before the window, $load_after after"
