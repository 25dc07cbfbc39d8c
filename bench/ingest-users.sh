#!/usr/bin/env bash
# Ingest benchmark: N users from pre-rendered API simulator pages into an embedded broker with
# `UserIngest`, in Avro and in JSON; the same pages through the bare pipeline (HttpClient, streaming
# parser, Avro encoder or JsonGenerator, plain idempotent producer); and Kafka's own
# ProducerPerformance against the same broker with records of the same size, acks=all and producer
# settings. Sluice and the bare pipeline take turns, `rounds` times each on the same pages, so that
# both meet the same load; the rates are the medians of the rounds and the ratio to the bare
# pipeline the median of the rounds' ratios. Prints the rates and the ratios. Usage:
#   bench/ingest-users.sh [--profile] [users, default 200000] [rounds, default 3]
# --profile records the whole run with JFR into bench/results/raw/ingest/profile-<time>/ingest.jfr and
# prints its breakdown (bench/jfr-breakdown.sh): all threads, then Sluice's page threads alone.
# JAVA_OPTS adds JVM options.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
profile=""
if [ "${1:-}" = "--profile" ]; then profile="$root/bench/results/raw/ingest/profile-$(date -u +%Y%m%dT%H%M%SZ)"; shift; fi
mvn -B -q -o -pl sluice-connectors -am test-compile dependency:build-classpath -Dspotless.check.skip=true \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="sluice-connectors/target/test-classes:sluice-connectors/target/classes:$(cat sluice-connectors/target/bench.classpath)"
jfr=""
if [ -n "$profile" ]; then
  mkdir -p "$profile"
  jfr="-XX:StartFlightRecording=filename=$profile/ingest.jfr,settings=profile"
fi
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
java -Xms1g -Xmx3g ${JAVA_OPTS:-} $jfr -cp "$cp" \
  -Dlogback.configurationFile="$root/sluice-connectors/src/test/resources/bench/logback-bench.xml" \
  io.sluice.ingest.bench.IngestBenchmark "${1:-200000}" "${2:-3}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$profile" ]; then
  bench/jfr-breakdown.sh "$profile/ingest.jfr" 20
  bench/jfr-breakdown.sh "$profile/ingest.jfr" 20 '^users-ingest-fetch'
fi
