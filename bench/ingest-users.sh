#!/usr/bin/env bash
# Ingest benchmark: N users from pre-rendered API simulator pages into an embedded broker with
# `UserIngest`, in Avro and in JSON; the same pages through the bare pipeline (HttpClient, streaming
# parser, Avro encoder or JsonGenerator, plain idempotent producer); and Kafka's own
# ProducerPerformance against the same broker with records of the same size, acks=all and producer
# settings. Prints the rates and the ratios. Usage:
#   bench/ingest-users.sh [users, default 200000]
# JAVA_OPTS adds JVM options (a JFR recording, for example).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -o -pl sluice-connectors -am test-compile dependency:build-classpath -Dspotless.check.skip=true \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="sluice-connectors/target/test-classes:sluice-connectors/target/classes:$(cat sluice-connectors/target/bench.classpath)"
exec java -Xms1g -Xmx3g ${JAVA_OPTS:-} -cp "$cp" \
  -Dlogback.configurationFile="$root/sluice-connectors/src/test/resources/bench/logback-bench.xml" \
  io.sluice.ingest.bench.IngestBenchmark "${1:-200000}"
