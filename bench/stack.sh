# Shared by the benchmarks that run the whole product (bench/cold-up.sh, bench/idle-cpu.sh): builds
# the poller and the CLI jar, starts `./sluice up` on an empty temporary data directory with a free
# port for every server, waits for the first row in spark_streams.created_users, lists the stack's
# processes and stops it cleanly. Sourced, not run; the caller sets `root` and `cd`s there first.

# Build what polls and what is timed before any clock starts: the poller of sluice-bench, then the
# CLI jar (./sluice builds it when stale; last, so that `sluice up` finds it fresh).
build_stack_tools() {
  mvn -B -q -o -Dstyle.color=never -pl sluice-bench package dependency:build-classpath -DskipTests -Dspotless.check.skip=true \
    -Dmdep.outputFile=target/bench.classpath >/dev/null
  poll_cp="sluice-bench/target/classes:$(cat sluice-bench/target/bench.classpath)"
  ./sluice --version >/dev/null
}

# A port nobody listens on (bash's /dev/tcp: no extra tools) and that this script has not handed out.
used=" "
free_port() {
  local p
  while true; do
    p=$((20000 + RANDOM % 40000))
    case "$used" in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      used="$used$p "
      echo "$p"
      return
    fi
  done
}

# A temporary data directory and free ports for every server, exported for `sluice up`. With
# SLUICE_BENCH_CACHE=empty the stack also gets an empty user cache (XDG_CACHE_HOME): no class-data
# archive for Cassandra or the job JVM, as on a machine where Sluice never ran.
prepare_stack() {
  data="$(mktemp -d -t "sluice-$1.XXXXXX")"
  if [ "${SLUICE_BENCH_CACHE:-}" = empty ]; then
    mkdir -p "$data/cache"
    export XDG_CACHE_HOME="$data/cache"
  fi
  # Assign first, then export: a command substitution inside `export` would run in a subshell and
  # lose the ports it marked as used.
  kafka_port=$(free_port); used="$used$kafka_port "
  controller_port=$(free_port); used="$used$controller_port "
  cql_port=$(free_port); used="$used$cql_port "
  storage_port=$(free_port); used="$used$storage_port "
  s3_port=$(free_port); used="$used$s3_port "
  db_port=$(free_port); used="$used$db_port "
  simulator_port=$(free_port); used="$used$simulator_port "
  web_port=$(free_port); used="$used$web_port "
  registry_port=$(free_port); used="$used$registry_port "
  export SLUICE_DATA_DIR="$data" SLUICE_KAFKA_PORT=$kafka_port SLUICE_KAFKA_CONTROLLER_PORT=$controller_port \
    SLUICE_CASSANDRA_PORT=$cql_port SLUICE_CASSANDRA_STORAGE_PORT=$storage_port SLUICE_S3_PORT=$s3_port \
    SLUICE_DB_PORT=$db_port SLUICE_SIMULATOR_PORT=$simulator_port SLUICE_WEB_PORT=$web_port \
    SLUICE_SCHEMA_REGISTRY_PORT=$registry_port \
    SLUICE_ADMIN_PASSWORD=bench-stack
  trap cleanup_stack EXIT
  trap 'exit 130' INT TERM
}

# All processes below a pid (not the pid itself), from one `ps` snapshot.
descendants() {
  ps -eo pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2; pids[NR] = $1 }
    END {
      for (i = 1; i <= NR; i++) {
        p = pids[i]; q = parent[p]
        while (q != "" && q != 0 && q != 1) { if (q == root) { print p; break } q = parent[q] }
      }
    }'
}

# The `sluice up` process and everything below it.
stack_pids() {
  echo "$up_pid"
  descendants "$up_pid"
}

up_pid=""
stop_stack() {
  [ -n "$up_pid" ] || return 0
  local pids
  pids="$(descendants "$up_pid")"
  kill -TERM "$up_pid" 2>/dev/null || true
  for _ in $(seq 1 90); do kill -0 "$up_pid" 2>/dev/null || break; sleep 1; done
  kill -KILL "$up_pid" 2>/dev/null || true
  # why: children re-parented to init when `sluice up` ended are no longer in its tree: use the list
  # taken before the signal
  for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 20); do
    local alive=""
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
    [ -z "$alive" ] && break
    sleep 1
  done
  for p in $pids; do
    if kill -0 "$p" 2>/dev/null; then
      echo "child $p survived SIGTERM; killing it" >&2
      kill -KILL "$p" 2>/dev/null || true
    fi
  done
  up_pid=""
}
# why: SLUICE_BENCH_LOGS=<dir> keeps the run's logs (sluice up's, each job JVM's) for a closer look
cleanup_stack() {
  stop_stack
  [ -z "${data:-}" ] || keep_logs
  [ -z "${data:-}" ] || rm -rf "$data"
}
keep_logs() {
  [ -n "${SLUICE_BENCH_LOGS:-}" ] || return 0
  local out="$SLUICE_BENCH_LOGS/$(basename "$data")" f
  mkdir -p "$out"
  cp "$data/up.log" "$out/" 2>/dev/null || true
  for f in "$data"/streams/*/job.log; do [ -f "$f" ] && cp "$f" "$out/$(basename "$(dirname "$f")").job.log"; done
  echo "logs kept in $out"
}

# Starts `sluice up` and waits for the first row; sets up_pid, start (ns) and first_row_ms.
start_stack_until_first_row() {
  local timeout_s="$1"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, data dir $data, CQL port $cql_port"
  start=$(date +%s%N)
  ./sluice up >"$data/up.log" 2>&1 &
  up_pid=$!

  java -cp "$poll_cp" io.sluice.bench.FirstRow "$cql_port" "$timeout_s" \
    "SELECT count(*) FROM spark_streams.created_users" >"$data/poll.out" 2>"$data/poll.err" &
  local poll_pid=$!
  # why: fail at once, not at the timeout, when `sluice up` ends (a failed start, or a signal from outside)
  while kill -0 "$poll_pid" 2>/dev/null && kill -0 "$up_pid" 2>/dev/null; do sleep 0.2; done
  if ! kill -0 "$up_pid" 2>/dev/null; then
    kill "$poll_pid" 2>/dev/null || true
    echo "sluice up ended before the first row; last lines of its output:" >&2
    tail -n 40 "$data/up.log" >&2
    exit 1
  fi
  if ! wait "$poll_pid"; then
    echo "no row in spark_streams.created_users after ${timeout_s} s; last lines of sluice up:" >&2
    tail -n 40 "$data/up.log" >&2
    exit 1
  fi
  # why: the poller prints when it read the row; its exit after that is not the stack's time
  local read_ms exit_ms
  exit_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  read_ms=$(head -n1 "$data/poll.out")
  first_row_ms=$(( read_ms - start / 1000000 ))
  poller_exit_ms=$(( exit_ms - first_row_ms ))
  if grep -q '^sluice: building' "$data/up.log"; then
    echo "sources changed between the build and the start: the build was timed; not a measurement, run again" >&2
    exit 1
  fi
}

# Whether the stack's JVMs (`sluice up`'s own and its children) map a class-data archive ("mapped")
# or start without one and are to write it ("writes"): what a start measured with the user's cache
# as it is depends on it.
class_archives() {
  local p args name state out=""
  for p in $(stack_pids); do
    args=$(ps -o args= -p "$p" 2>/dev/null) || continue
    case "$args" in
      *sluice.jar*) name="stack JVM" ;;
      *JobMain*) name="job JVM" ;;
      *cassandra*|*Cassandra*) name="Cassandra" ;;
      *) continue ;;
    esac
    case "$args" in
      *SharedArchiveFile=*) state=mapped ;;
      *ArchiveClassesAtExit=*|*RecordDynamicDumpInfo*) state="none (writes it)" ;;
      *) state=none ;;
    esac
    out="$out${out:+, }$name $state"
  done
  echo "${out:-no child JVM}"
}

# What a JVM of the stack runs: its main class, or the jar of `-jar`.
jvm_main() {
  ps -o args= -p "$1" 2>/dev/null | awk '{
    main = "?"; for (i = 2; i <= NF; i++) if ($i == "-jar" || $i ~ /^(io|org)\./) { main = ($i == "-jar") ? $(i+1) : $i; break }
    if ($0 ~ /-Dsluice.job=/) { match($0, /-Dsluice.job=[a-z,]+/); main = main " " substr($0, RSTART + 13, RLENGTH - 13) }
    print main }'
}

# Resident memory of the JVMs of the stack.
rss_kib() {
  local total=0 line
  for p in $(stack_pids); do
    line=$(ps -o rss=,comm= -p "$p" 2>/dev/null) || continue
    case "$line" in *java*) total=$((total + ${line%% *})) ;; esac
  done
  echo "$total"
}
jvm_table() {
  local p line
  for p in $(stack_pids); do
    line=$(ps -o rss=,comm= -p "$p" 2>/dev/null) || continue
    case "$line" in
      *java*) awk -v p="$p" -v kib="${line%% *}" -v main="$(jvm_main "$p")" \
        'BEGIN { printf "  pid %s  %6.0f MiB  %s\n", p, kib / 1024, main }' ;;
    esac
  done
}

# Seconds from the command's start (`start`, ns) to a wall-clock time `date` can read.
since_start() {
  local ns
  ns=$(date -d "$1" +%s%N 2>/dev/null) || return 1
  awk -v ns="$ns" -v s="$start" 'BEGIN { printf "%6.1fs", (ns - s) / 1e9 }'
}

# The start-up timeline of the stack in $data, in order: the phases `sluice up` prints (seconds since
# its own start), the first ingest run, and the users job's phases from its log (seconds since the
# command).
print_timeline() {
  echo "start-up timeline (s since the command):"
  timeline_lines | sort -n | sed 's/^ */  /'
}
timeline_lines() {
  local log="$data/up.log" home="$data/streams/users" line t
  # why: the jobs' shared JVM (spark.shared-jvm) keeps its log and argument file apart from both jobs'
  [ -f "$data/streams/shared/job.log" ] && home="$data/streams/shared"
  local job="$home/job.log"
  grep -E '^ *[0-9]+\.[0-9]s  ' "$log" | grep -E 'ready|shipped DAGs|starting \(pid|class-data-sharing archive' | cut -c1-100 || true
  line=$(grep -m1 'Users ingest done' "$log" || true)
  if [ -n "$line" ] && t=$(since_start "$(date -u +%F) ${line%% *}"); then echo "$t  first ingest run done"; fi
  if [ -f "$home/java.args" ]; then
    echo "$(since_start "@$(stat -c %.3Y "$home/java.args")")  users job JVM launched"
  fi
  if [ -f "$job" ]; then
    grep -E 'Spark session started|query users-cassandra (started|ran|processed)' "$job" |
      while read -r line; do
        # why: log4j's ISO8601 is 2026-12-06T14:43:55,123
        t=$(echo "$line" | grep -oE '^[0-9-]+[T ][0-9:]+,[0-9]+' | tr 'T,' ' .')
        echo "$(since_start "$t")  ${line#*: }"
      done || true
  fi
  awk -v ms="$first_row_ms" -v exit_ms="${poller_exit_ms:-0}" \
    'BEGIN { printf "%6.1fs  first row read from Cassandra (the poller ended %.1f s later)\n", ms / 1000, exit_ms / 1000 }'
}
