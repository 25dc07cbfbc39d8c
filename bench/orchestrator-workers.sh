#!/usr/bin/env bash
# Orchestrator benchmark with workers: two-task runs on PostgreSQL (embedded binaries), one scheduler
# that does not execute (scheduler.execute=false) and N workers, each with its own pool and executor
# id. Prints the one-at-a-time trigger-to-done latency, then the runs per minute of a burst and the
# latency within it. Usage:
#   bench/orchestrator-workers.sh [--profile] [workers] [burst runs] [threads per worker] [triggering clients]
# --profile records the burst with JFR into bench/results/raw/workers/profile-<time>/workers-burst.jfr,
# prints PostgreSQL's side of it (pg_stat_statements: statements and DB time per task, CPU of the
# PostgreSQL processes against the JVM's) and the JVM's breakdown (bench/jfr-breakdown.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
profile=""
if [ "${1:-}" = "--profile" ]; then profile="$root/bench/results/raw/workers/profile-$(date -u +%Y%m%dT%H%M%SZ)"; shift; fi
# why: -am puts the reactor's own sluice-core (target/classes) on the class path, not a SNAPSHOT from ~/.m2
mvn -B -q -o -pl sluice-store-jdbc -am test-compile dependency:build-classpath -Dspotless.check.skip=true \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="sluice-store-jdbc/target/test-classes:sluice-store-jdbc/target/classes:$(cat sluice-store-jdbc/target/bench.classpath)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
java -Xms512m ${profile:+-Dsluice.bench.profile=$profile} -cp "$cp" \
  -Dlogback.configurationFile="$root/sluice-store-jdbc/src/test/resources/logback-test.xml" \
  io.sluice.store.bench.WorkersBenchmark "${1:-2}" "${2:-2000}" "${3:-8}" "${4:-1}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$profile" ]; then bench/jfr-breakdown.sh "$profile/workers-burst.jfr" 15; fi
