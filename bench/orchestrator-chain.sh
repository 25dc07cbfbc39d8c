#!/usr/bin/env bash
# Orchestrator benchmark: a chain of no-op tasks, trigger to last success, and hand-off latency,
# on the embedded H2 database and on PostgreSQL (embedded binaries). Usage:
#   bench/orchestrator-chain.sh [--profile] [h2|postgres|both] [measured runs] [tasks in the chain]
# --profile records the measured runs of each database with JFR into
# bench/results/raw/chain/profile-<time>/chain-<db>.jfr, prints PostgreSQL's side (pg_stat_statements:
# statements and DB time per task, CPU of the PostgreSQL processes against the JVM's) and the JVM's
# breakdown of each recording (bench/jfr-breakdown.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
profile=""
if [ "${1:-}" = "--profile" ]; then profile="$root/bench/results/raw/chain/profile-$(date -u +%Y%m%dT%H%M%SZ)"; shift; fi
# why: -am puts the reactor's own sluice-core (target/classes) on the class path, not a SNAPSHOT from ~/.m2
mvn -B -q -o -pl sluice-store-jdbc -am test-compile dependency:build-classpath -Dspotless.check.skip=true \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="sluice-store-jdbc/target/test-classes:sluice-store-jdbc/target/classes:$(cat sluice-store-jdbc/target/bench.classpath)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
java -Xms512m ${profile:+-Dsluice.bench.profile=$profile} -cp "$cp" \
  -Dlogback.configurationFile="$root/sluice-store-jdbc/src/test/resources/logback-test.xml" \
  io.sluice.store.bench.ChainBenchmark "${1:-both}" "${2:-30}" "${3:-40}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$profile" ]; then
  for f in "$profile"/*.jfr; do bench/jfr-breakdown.sh "$f" 15; done
fi
