#!/usr/bin/env bash
# Idle cost of the whole product: `./sluice up` on an empty data directory (free ports), running its own
# DAGs (100 users a minute, hourly weather); once the first row is in spark_streams.created_users and
# the stack has settled, the CPU time (utime + stime, and the children it reaped, from /proc) of every
# process of the stack (the `sluice up` process and its child JVMs: Cassandra, the Spark jobs) over a
# window, as a percentage of one core; then a clean stop. Prints the details and one line for
# bench/run-all.sh:
#   BENCH idle_cpu_percent=... window_s=... load_before=... load_after=...
# and, for each process, where its time went by thread (from /proc/<pid>/task/*/stat, named by
# /proc/<pid>/task/*/comm, a pool's numbered threads summed under one name with '#' for the digits).
# Usage:
#   bench/idle-cpu.sh [window seconds, default 300] [settle seconds after the first row, default 60]
#                     [timeout seconds for the first row, default 300]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
window_s="${1:-300}"
settle_s="${2:-60}"
timeout_s="${3:-300}"
hz=$(getconf CLK_TCK)

# shellcheck source=bench/stack.sh
. "$root/bench/stack.sh"
build_stack_tools
prepare_stack idle
start_stack_until_first_row "$timeout_s"
echo "first row after $(awk -v ms="$first_row_ms" 'BEGIN { printf "%.1f", ms / 1000 }') s; settling for ${settle_s} s"

# shellcheck source=bench/cpu.sh
. "$root/bench/cpu.sh"

# why: the weather job JVM starts after the users job's first micro-batch; the window measures the
# running stack, not its start
sleep "$settle_s"
measure_cpu "$window_s"
if ! kill -0 "$up_pid" 2>/dev/null; then
  echo "sluice up ended during the window; last lines of its output:" >&2
  tail -n 40 "$data/up.log" >&2
  exit 1
fi

echo "whole stack: $percent % of one core; load $load_before before the window, $load_after after"
echo "JVMs of the stack at the end of the window, resident memory:"
jvm_table
echo "stack RSS: $(( $(rss_kib) / 1024 )) MiB"
stop_stack
echo "BENCH idle_cpu_percent=$percent window_s=$((elapsed_ms / 1000)) load_before=$load_before load_after=$load_after"
