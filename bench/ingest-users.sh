#!/usr/bin/env bash
# Ingest benchmark: N users from the API simulator into an embedded broker with `UserIngest`, then
# Kafka's own ProducerPerformance against the same broker with the same record values, acks=all and
# producer settings; prints both rates and their ratio. Usage:
#   bench/ingest-users.sh [users, default 1000000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -o -pl sluice-connectors test-compile dependency:build-classpath -Dspotless.check.skip=true \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="sluice-connectors/target/test-classes:sluice-connectors/target/classes:$(cat sluice-connectors/target/bench.classpath)"
exec java -Xms1g -Xmx3g -cp "$cp" \
  -Dlogback.configurationFile="$root/sluice-connectors/src/test/resources/bench/logback-bench.xml" \
  io.sluice.ingest.bench.IngestBenchmark "${1:-1000000}"
