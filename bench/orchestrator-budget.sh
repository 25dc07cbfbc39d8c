#!/usr/bin/env bash
# The CPU budget of runs_per_minute_postgres: CPU per task by component, against the 2 ms a task may
# cost for 30,000 two-task runs a minute (1,000 tasks/s) on 2 cores. Usage:
#   bench/orchestrator-budget.sh [--only workers|floor] [--analyze] [repeats=3] [burst runs=2000] [pgbench seconds=20] [pgbench clients=16]
# 1. bench/orchestrator-workers.sh 2 <burst> 8 1, <repeats> times: its "cpu:" lines account the burst's
#    CPU from /proc (utime+stime before and after) per component: the scheduler's loop, the workers'
#    loops and executor threads, the driver (triggering client, the main thread polling for the end),
#    the JVM's GC and JIT, PostgreSQL's backends and background processes, divided by the tasks run.
# 2. The floor of PostgreSQL alone: the same server build (zonky's PostgreSQL 17 binaries, extracted
#    by step 1; Debian's server if absent) with the same settings (synchronous_commit=off), the
#    orchestrator's schema (its Flyway migrations, applied with psql), and pgbench -M prepared
#    replaying bench/pgbench/two-task-run.sql (one two-task run's statements, transaction by
#    transaction) from <clients> clients for <seconds>, <repeats> times, after a 10 s warm-up: the
#    server's CPU (postmaster and children, reaped ones included) and pgbench's own, per task.
# --analyze runs ANALYZE on both sides before the measured part (the workers' burst; the floor's runs
# after its warm-up): the statistics autovacuum gathers on a database with history. Without it both
# plan on tables that grew from empty and were never analyzed (autovacuum's first pass comes later).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
only=""
analyze=""
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only="$2"; shift 2 ;;
    --analyze) analyze="--analyze"; shift ;;
    *) break ;;
  esac
done
repeats="${1:-3}"
burst="${2:-2000}"
seconds="${3:-20}"
clients="${4:-16}"

if [ "$only" != floor ]; then
  echo "== 1. the orchestrator: bench/orchestrator-workers.sh $analyze 2 $burst 8 1, $repeats times"
  for i in $(seq 1 "$repeats"); do
    echo "-- run $i"
    bench/orchestrator-workers.sh $analyze 2 "$burst" 8 1 | grep -E '^(load|cpu:|offered|backlog|burst|BENCH)'
  done
fi
[ "$only" = workers ] && exit 0

echo "== 2. PostgreSQL alone ($([ -n "$analyze" ] && echo analyzed || echo never analyzed)): pgbench -M prepared -c $clients -j 2 -T $seconds bench/pgbench/two-task-run.sql"
bin="$(ls -d /tmp/embedded-pg/PG-*/bin 2>/dev/null | head -1 || true)"
as=(unshare -U)
if [ -z "$bin" ]; then bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"; as=(runuser -u postgres --); fi
dir="$(mktemp -d /tmp/orch-budget-pg.XXXXXX)"
port=$((20000 + RANDOM % 20000))
[ "${as[0]}" = runuser ] && chown postgres "$dir"
"${as[@]}" "$bin/initdb" -A trust -U postgres -D "$dir/data" -E UTF8 >/dev/null
stop() { "${as[@]}" "$bin/pg_ctl" -D "$dir/data" stop -m fast -w >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap stop EXIT
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
  -o "-p $port -k $dir -c listen_addresses= -c synchronous_commit=off -c max_connections=200 -c timezone=UTC" start >/dev/null
echo "server: $("$bin/postgres" --version), port $port"
psql=(psql -q -X -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres)
# Flyway's order: by version number, the PostgreSQL-only folder among them
for f in $(ls sluice-store-jdbc/src/main/resources/db/migration/*.sql sluice-store-jdbc/src/main/resources/db/migration-postgresql/*.sql \
    | awk -F/ '{v=$NF; sub(/^V/,"",v); sub(/__.*/,"",v); print v, $0}' | sort -n | cut -d' ' -f2); do
  "${psql[@]}" -f "$f" >/dev/null
done
"${psql[@]}" -c "INSERT INTO dag (dag_id) VALUES ('two') ON CONFLICT DO NOTHING"
postmaster="$(head -1 "$dir/data/postmaster.pid")"
# utime+stime of the postmaster, of the children it reaped, and of its live children, in ticks
pg_ticks() {
  local sum
  sum=$(awk '{print $14+$15+$16+$17}' "/proc/$postmaster/stat")
  for p in $(pgrep -P "$postmaster"); do
    sum=$((sum + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$sum"
}
pgbench_cmd=(pgbench -n -M prepared -c "$clients" -j 2 -T "$seconds" -f bench/pgbench/two-task-run.sql -h "$dir" -p "$port" -U postgres postgres)
"${pgbench_cmd[@]}" -T 10 >/dev/null 2>&1 # warm-up: caches, some history
if [ -n "$analyze" ]; then "${psql[@]}" -c "ANALYZE"; echo "analyze: ANALYZE after the warm-up"; fi
for i in $(seq 1 "$repeats"); do
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  before=$(pg_ticks)
  out="$(mktemp)"
  # why: `times` in the subshell reports its children's CPU, that is pgbench's
  ( "${pgbench_cmd[@]}" >"$out" 2>&1; times ) >"$out.times"
  sleep 1 # why: the ended backends' CPU reaches the postmaster's cutime once it reaps them
  after=$(pg_ticks)
  runs=$(awk '/number of transactions actually processed/ {split($NF,a,"/"); print a[1]}' "$out")
  tps=$(awk '/^tps = / {print $3}' "$out")
  client_s=$(tail -1 "$out.times" | awk '{u=$1; s=$2; gsub(/[ms]/," ",u); gsub(/[ms]/," ",s); split(u,a," "); split(s,b," "); print a[1]*60+a[2]+b[1]*60+b[2]}')
  awk -v r="$i" -v runs="$runs" -v tps="$tps" -v pg=$((after - before)) -v cl="$client_s" -v s="$seconds" -v load="$load" 'BEGIN {
    tasks = 2 * runs; pgms = pg * 10.0 / tasks; clms = cl * 1000.0 / tasks;
    printf "floor run %d (load %s): %d runs in %d s (%.0f runs/min, %.0f tasks/s); PostgreSQL %.3f ms/task (%.2f cores), pgbench %.3f ms/task (%.2f cores); PostgreSQL alone at 2 cores: %.0f tasks/s, %.0f runs/min\n",
      r, load, runs, s, tps * 60, tps * 2, pgms, pg / 100.0 / s, clms, cl / s, 2000 / pgms, 2000 / pgms / 2 * 60 }'
  grep -E 'failed|aborted' "$out" | grep -v ' 0 ' || true
  rm -f "$out" "$out.times"
done
# why: the replay must have done what the engine does: every run and task ended in success
"${psql[@]}" -At -F ' ' -c "SELECT 'rows: dag_run', state, COUNT(*) FROM dag_run GROUP BY state UNION ALL SELECT 'rows: task_instance', state, COUNT(*) FROM task_instance GROUP BY state UNION ALL SELECT 'rows: task_log', 'lines', COUNT(*) FROM task_log"
