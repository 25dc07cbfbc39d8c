#!/usr/bin/env bash
# Weather decode benchmark: the CPU time per row of decoding Open-Meteo answers (50 locations, 92
# days of the default hourly and daily variables, rendered once by the API simulator) and encoding
# their records as Avro, on one thread, `rounds` times. Prints each round and one BENCH line with
# the median. Usage:
#   bench/weather-decode.sh [rounds, default 7] [decodes per round, default 10]
# JAVA_OPTS adds JVM options.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -o -pl sluice-connectors -am test-compile dependency:build-classpath -Dspotless.check.skip=true \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
cp="sluice-connectors/target/test-classes:sluice-connectors/target/classes:$(cat sluice-connectors/target/bench.classpath)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
java -Xms512m -Xmx2g ${JAVA_OPTS:-} -cp "$cp" \
  -Dlogback.configurationFile="$root/sluice-connectors/src/test/resources/bench/logback-bench.xml" \
  io.sluice.ingest.bench.WeatherParseBenchmark "${1:-7}" "${2:-10}"
