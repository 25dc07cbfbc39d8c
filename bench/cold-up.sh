#!/usr/bin/env bash
# Cold start of the whole product: `./sluice up` on an empty data directory (free ports), timed from the
# command to the first row readable in spark_streams.created_users; then the resident memory of every
# JVM of the running stack (the `sluice up` process and its child JVMs: Cassandra, the Spark jobs),
# then a clean stop, and the start-up timeline (when each server, the orchestrator and the users job
# got ready). Prints the details and one line for bench/run-all.sh:
#   BENCH cold_up_seconds=... stack_rss_mib=... jvms=...
# The child JVMs map class-data archives from the user's cache when an earlier start of this build
# wrote them (the first start after a build writes them); the output says which. SLUICE_BENCH_CACHE=empty
# measures the first start ever (an empty cache).
# Usage:
#   bench/cold-up.sh [timeout seconds, default 300] [seconds the RSS is sampled after the first row, default 60]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
timeout_s="${1:-300}"
settle_s="${2:-60}"

# shellcheck source=bench/stack.sh
. "$root/bench/stack.sh"
build_stack_tools
prepare_stack cold
start_stack_until_first_row "$timeout_s"
cold_ms=$first_row_ms
archives=$(class_archives)

# why: the weather job is often still starting at the first row; sample the stack every 5 s
# while it settles and keep the peak
first_kib=$(rss_kib)
kib=$first_kib
settled_kib=$first_kib
settle_end=$(( $(date +%s) + settle_s ))
while [ "$(date +%s)" -lt "$settle_end" ]; do
  sleep 5
  settled_kib=$(rss_kib)
  [ "$settled_kib" -gt "$kib" ] && kib=$settled_kib
done
jvms=$(jvm_table | wc -l)
echo "first row after $(awk -v ms="$cold_ms" 'BEGIN { printf "%.1f", ms / 1000 }') s; JVMs of the stack after ${settle_s} s more:"
jvm_table
echo "stack RSS: $((first_kib / 1024)) MiB at the first row, $((settled_kib / 1024)) MiB ${settle_s} s later, peak $((kib / 1024)) MiB"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "class-data archives at the first row: $archives${XDG_CACHE_HOME:+ (empty cache: SLUICE_BENCH_CACHE=empty)}"
grep -h 'class-data-sharing archive' "$data"/streams/*/job.log 2>/dev/null | sed 's/^/  /' || true
stop_stack
print_timeline
awk -v ms="$cold_ms" -v kib="$kib" -v jvms="$jvms" \
  'BEGIN { printf "BENCH cold_up_seconds=%.1f stack_rss_mib=%.0f jvms=%d\n", ms / 1000, kib / 1024, jvms }'
