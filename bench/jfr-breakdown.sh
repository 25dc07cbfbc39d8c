#!/usr/bin/env bash
# Where a benchmark's time goes, from a Java Flight Recorder file (a bench script's --profile writes
# one): execution and native samples by component (PostgreSQL driver, H2, Jackson, Avro, Kafka
# producer, HMAC, Sluice's packages, ...), by thread, garbage-collection pauses and lock waits, as
# Markdown tables. Usage:
#   bench/jfr-breakdown.sh <recording.jfr> [top N, default 15] [thread name regex]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 1 ] || { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
file="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
cd "$root"
mvn -B -q -o -pl sluice-bench compile -Dspotless.check.skip=true >/dev/null
exec java -cp sluice-bench/target/classes io.sluice.bench.JfrBreakdown "$file" "$@"
