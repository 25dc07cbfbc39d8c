#!/usr/bin/env bash
# Regenerates the screenshots of docs/web.md: starts a local stack (Kafka, schema registry, S3,
# metadata database, API simulator; no Cassandra) and `sluice standalone` on free ports in a
# temporary data directory, gives them a little of everything (runs, a backfill, a connection, a
# variable, a pool, a consumer group, a dead letter, an import error), then photographs every page
# in headless Chromium through chromedriver (capture.mjs) and stops it all.
#
#   mvn -q -B -pl sluice-cli -am -DskipTests package && bash docs/screenshots/capture.sh
#
# Needs java, node (18+), /usr/bin/chromium and /usr/bin/chromedriver (.ci/install).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
jar=$PWD/sluice-cli/target/sluice.jar
out=$PWD/docs/screenshots
[ -f "$jar" ] || { echo "build the CLI first: mvn -q -B -pl sluice-cli -am -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
export SLUICE_DATA_DIR=$work/data SLUICE_DAGS_FOLDER=$work/dags
export SLUICE_KAFKA_PORT=$(free_port) SLUICE_KAFKA_CONTROLLER_PORT=$(free_port) SLUICE_S3_PORT=$(free_port)
export SLUICE_DB_PORT=$(free_port) SLUICE_SIMULATOR_PORT=$(free_port) SLUICE_SCHEMA_REGISTRY_PORT=$(free_port)
export SLUICE_CASSANDRA_CONTACT_POINTS=127.0.0.1:$(free_port)   # why: nothing listens; the pipeline shows the table down
export SLUICE_WEB_PORT=$(free_port) SLUICE_ADMIN_PASSWORD=screenshots-pw
mkdir -p "$SLUICE_DAGS_FOLDER"
cp "$out"/dags/*.yaml "$SLUICE_DAGS_FOLDER"/
printf 'dag_id: broken\ntasks:\n  - id: a\n    type: no_such_type\n' > "$SLUICE_DAGS_FOLDER/broken.yaml"

cleanup() {
  if [ -n "${web_pid:-}" ]; then kill "$web_pid" 2>/dev/null || true; wait "$web_pid" 2>/dev/null || true; fi
  java -jar "$jar" stack down >/dev/null 2>&1 || true
  # why: a stack that did not stop in time is ended by its pid file before its directory goes
  if [ -f "$SLUICE_DATA_DIR/run/stack.pid" ]; then kill "$(cat "$SLUICE_DATA_DIR/run/stack.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
java -jar "$jar" stack up --detach >/dev/null 2>&1
# why: java itself in the background, so that $! is the server's pid and cleanup stops it
java -jar "$jar" standalone >"$work/standalone.log" 2>&1 &
web_pid=$!
base=http://127.0.0.1:$SLUICE_WEB_PORT
for _ in $(seq 120); do curl -sf "$base/health" >/dev/null && break; sleep 1; done
java -cp "$(dirname "$jar")/lib/*" "$out/DeadLetter.java" "127.0.0.1:$SLUICE_KAFKA_PORT" 2>/dev/null
SLUICE_BASE=$base SLUICE_USER=admin SLUICE_PASSWORD=$SLUICE_ADMIN_PASSWORD SLUICE_OUT=$out \
  node "$out/capture.mjs"
