#!/usr/bin/env bash
# Orchestrator benchmark: a chain of no-op tasks, trigger to last success, and hand-off latency,
# on the embedded H2 database and on PostgreSQL (embedded binaries). Usage:
#   bench/orchestrator-chain.sh [h2|postgres|both] [measured runs] [tasks in the chain]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -o -pl sluice-store-jdbc test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="sluice-store-jdbc/target/test-classes:sluice-store-jdbc/target/classes:$(cat sluice-store-jdbc/target/bench.classpath)"
exec java -Xms512m -cp "$cp" -Dlogback.configurationFile="$root/sluice-store-jdbc/src/test/resources/logback-test.xml" \
  io.sluice.store.bench.ChainBenchmark "${1:-both}" "${2:-30}" "${3:-40}"
