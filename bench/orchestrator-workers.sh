#!/usr/bin/env bash
# Orchestrator benchmark with workers: two-task runs on PostgreSQL (embedded binaries), one scheduler
# that does not execute (scheduler.execute=false) and N workers, each with its own pool and executor
# id. Prints the one-at-a-time trigger-to-done latency, then the runs per minute of a burst and the
# latency within it. Usage:
#   bench/orchestrator-workers.sh [workers] [burst runs] [threads per worker] [triggering clients]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -o -pl sluice-store-jdbc test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="sluice-store-jdbc/target/test-classes:sluice-store-jdbc/target/classes:$(cat sluice-store-jdbc/target/bench.classpath)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
java -Xms512m -cp "$cp" -Dlogback.configurationFile="$root/sluice-store-jdbc/src/test/resources/logback-test.xml" \
  io.sluice.store.bench.WorkersBenchmark "${1:-2}" "${2:-2000}" "${3:-8}" "${4:-1}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
