#!/usr/bin/env bash
# Idle cost of the whole product: `./sluice up` on an empty data directory (free ports), running its own
# DAGs (100 users a minute, hourly weather); once the first row is in spark_streams.created_users and
# the stack has settled, the CPU time (utime + stime, and the children it reaped, from /proc) of every
# process of the stack (the `sluice up` process and its child JVMs: Cassandra, the Spark jobs) over a
# window, as a percentage of one core; then a clean stop. Prints the details and one line for
# bench/run-all.sh:
#   BENCH idle_cpu_percent=... window_s=... load_before=... load_after=...
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

# One line per process of the stack: pid, its own ticks (utime + stime) and the ticks of the
# children it reaped (cutime + cstime). The command name may hold spaces: fields count from its ')'.
ticks() {
  local p stat
  for p in $(stack_pids); do
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    echo "$p ${stat##*) }"
  done | awk '{ print $1, $13 + $14, $15 + $16 }'
}

# why: the weather job JVM starts after the users job's first micro-batch; the window measures the
# running stack, not its start
sleep "$settle_s"
before="$(ticks)"
load_before=$(cut -d' ' -f1 /proc/loadavg)
t0=$(date +%s%N)
sleep "$window_s"
after="$(ticks)"
load_after=$(cut -d' ' -f1 /proc/loadavg)
elapsed_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if ! kill -0 "$up_pid" 2>/dev/null; then
  echo "sluice up ended during the window; last lines of its output:" >&2
  tail -n 40 "$data/up.log" >&2
  exit 1
fi

# Per process: ticks in the window (a process started during it counts from zero). A process that
# ended during the window is in its parent's reaped ticks, whole: its ticks before the window are
# taken off again.
report="$(awk -v hz="$hz" -v ms="$elapsed_ms" '
  NR == FNR { own0[$1] = $2; kids0[$1] = $3; next }
  { seen[$1] = 1; d = ($2 - own0[$1]) + ($3 - kids0[$1]); total += d; printf "%s %d %.2f\n", $1, d, 100 * d / hz / (ms / 1000) }
  END {
    for (p in own0) if (!(p in seen)) total -= own0[p] + kids0[p]
    printf "total %d %.2f\n", total, 100 * total / hz / (ms / 1000) }' \
  <(echo "$before") <(echo "$after"))"
echo "CPU over $((elapsed_ms / 1000)) s, percent of one core, by process:"
echo "$report" | grep -v '^total' | while read -r p d pct; do
  [ "$d" -gt 0 ] || continue
  printf "  pid %-8s %6.2f %%  %s\n" "$p" "$pct" "$(jvm_main "$p")"
done
percent=$(echo "$report" | awk '$1 == "total" { print $3 }')
echo "whole stack: $percent % of one core; load $load_before before the window, $load_after after"
echo "JVMs of the stack at the end of the window, resident memory:"
jvm_table
echo "stack RSS: $(( $(rss_kib) / 1024 )) MiB"
stop_stack
echo "BENCH idle_cpu_percent=$percent window_s=$((elapsed_ms / 1000)) load_before=$load_before load_after=$load_after"
