#!/usr/bin/env bash
# Runs every benchmark several times and writes bench/results/latest.json (median, min, max and every
# run of each named metric, its target and whether the median meets it, the machine and the date) and
# one PNG plot per metric into bench/results/. See docs/benchmarks.md, "How to reproduce all numbers".
#
# Usage:
#   bench/run-all.sh [--runs 5] [--only metric-or-benchmark,...] [--quick]
#
#   --runs N   runs of each benchmark (default 5; the median of at least 5 is what docs/benchmarks.md quotes)
#   --only L   only the benchmarks that measure these metrics (chain40_seconds_embedded, ...) or these
#              benchmarks (chain, workers, ingest, stream, cold-up, idle); the raw runs of the others are kept
#              from earlier invocations and aggregated again, and a benchmark that never ran in this
#              checkout keeps its metrics from the committed latest.json ("carried_over")
#   --quick    small sizes and 1 run (unless --runs is given): checks the harness end to end in minutes;
#              its numbers are marked "quick" and are not measurements
#
# Raw output of each run: bench/results/raw/<benchmark>/run-<n>.log (the BENCH lines are what counts).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

all="chain workers ingest stream cold-up idle"
runs=""
only=""
quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --runs=*) runs="${1#*=}"; shift ;;
    --only) only="$2"; shift 2 ;;
    --only=*) only="${1#*=}"; shift ;;
    --quick) quick=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$runs" ] || { [ "$quick" = 1 ] && runs=1 || runs=5; }
case "$runs" in ''|*[!0-9]*|0) echo "--runs needs a positive number" >&2; exit 2 ;; esac

benchmark_of() {
  case "$1" in
    chain|workers|ingest|stream|cold-up|idle) echo "$1" ;;
    chain40_seconds_embedded|chain40_seconds_postgres|handoff_ms_p50|handoff_ms_p99) echo chain ;;
    runs_per_minute_postgres|run_latency_ms_p50|run_latency_ms_p99) echo workers ;;
    ingest_vs_producer_perf_ratio|ingest_vs_producer_perf_ratio_json|ingest_vs_bare_pipeline_ratio|ingest_vs_bare_pipeline_ratio_json) echo ingest ;;
    sink_vs_raw_driver_ratio|sink_vs_raw_driver_ratio_json|e2e_latency_ms_p50|e2e_latency_ms_p99|e2e_latency_ms_p50_realtime|e2e_latency_ms_p99_realtime) echo stream ;;
    cold_up_seconds|stack_rss_mib) echo cold-up ;;
    idle_cpu_percent) echo idle ;;
    *) echo "unknown metric or benchmark: $1 (one of: $all, or a metric of docs/benchmarks.md)" >&2; return 1 ;;
  esac
}

selected="$all"
if [ -n "$only" ]; then
  wanted=" "
  for item in ${only//,/ }; do wanted="$wanted$(benchmark_of "$item") "; done
  selected=""
  for b in $all; do case "$wanted" in *" $b "*) selected="$selected $b" ;; esac; done
fi

# The command of one run of a benchmark; --quick shrinks the sizes, not what is measured.
command_of() {
  case "$1" in
    chain)
      if [ "$quick" = 1 ]; then echo "bench/orchestrator-chain.sh both 5 40"; else echo "bench/orchestrator-chain.sh both 30 40"; fi ;;
    workers)
      if [ "$quick" = 1 ]; then echo "bench/orchestrator-workers.sh 2 200 8 1"; else echo "bench/orchestrator-workers.sh 2 2000 8 1"; fi ;;
    ingest)
      if [ "$quick" = 1 ]; then echo "bench/ingest-users.sh 20000"; else echo "bench/ingest-users.sh 200000"; fi ;;
    stream)
      local rows=20000
      [ "$quick" = 1 ] && rows=2000
      echo "mvn -B -o -pl sluice-spark -am verify -Dit.test=StreamBenchmarkIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false -Dspotless.check.skip=true -Dsluice.bench=true -Dsluice.bench.rows=$rows" ;;
    cold-up)
      if [ "$quick" = 1 ]; then echo "bench/cold-up.sh 300 15"; else echo "bench/cold-up.sh 300 60"; fi ;;
    idle)
      if [ "$quick" = 1 ]; then echo "bench/idle-cpu.sh 60 30"; else echo "bench/idle-cpu.sh 300 60"; fi ;;
  esac
}

results="$root/bench/results"
raw="$results/raw"
mkdir -p "$raw"

echo "building the report ..."
mvn -B -q -o -Dstyle.color=never -pl sluice-bench package dependency:build-classpath -DskipTests -Dspotless.check.skip=true \
  -Dmdep.outputFile=target/bench.classpath >/dev/null
report_cp="sluice-bench/target/classes:$(cat sluice-bench/target/bench.classpath)"

echo "benchmarks:$selected; $runs run(s) each$([ "$quick" = 1 ] && echo ", quick sizes"); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
failures=0
for b in $selected; do
  rm -rf "${raw:?}/$b"
  mkdir -p "$raw/$b"
  cmd="$(command_of "$b")"
  for i in $(seq 1 "$runs"); do
    log="$raw/$b/run-$i.log"
    echo "# command: $cmd" >"$log"
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    t0=$(date +%s)
    printf '%s run %d/%d: %s ... ' "$b" "$i" "$runs" "$cmd"
    set +e
    bash -c "$cmd" >>"$log" 2>&1
    rc=$?
    set -e
    seconds=$(( $(date +%s) - t0 ))
    echo "BENCH harness quick=$quick run=$i exit=$rc seconds=$seconds load_before=$load_before load_after=$(cut -d' ' -f1 /proc/loadavg)" >>"$log"
    # why: one awk, not grep -v | grep -q, whose early exit fails the pipe under pipefail on a long log
    if [ "$rc" -ne 0 ] || ! awk '/^[[:space:]]*BENCH / && !/^BENCH harness/ { found = 1 } END { exit !found }' "$log"; then
      failures=$((failures + 1))
      echo "FAILED (exit $rc, ${seconds} s; see $log)"
    else
      echo "${seconds} s"
      grep -v '^BENCH harness' "$log" | grep '^[[:space:]]*BENCH ' | sed 's/^[[:space:]]*/    /' | cut -c1-200
    fi
  done
done

java -Djava.awt.headless=true -cp "$report_cp" io.sluice.bench.Report --raw "$raw" --out "$results" --runs "$runs"
if [ "$failures" -gt 0 ]; then
  echo "$failures run(s) failed; their metrics count only the runs that produced a number (runs_failed in latest.json)" >&2
  exit 1
fi
