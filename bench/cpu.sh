# Where the CPU of a running stack goes: sourced by bench/idle-cpu.sh and bench/stack-cpu.sh after
# bench/stack.sh (stack_pids, jvm_main). Not run by itself.

# One line per process of the stack: pid, its own ticks (utime + stime) and the ticks of the
# children it reaped (cutime + cstime). The command name may hold spaces: fields count from its ')'.
ticks() {
  local p stat
  for p in $(stack_pids); do
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    echo "$p ${stat##*) }"
  done | awk '{ print $1, $13 + $14, $15 + $16 }'
}

# One line per thread of the stack: pid, tid, its name (spaces as '_', digits as '#': a pool's threads
# sum under one name) and its ticks (utime + stime).
thread_ticks() {
  local p t stat name
  for p in $(stack_pids); do
    for t in /proc/"$p"/task/*; do
      # why: bash's read, not cat: hundreds of threads, and a fork each would stretch the snapshot
      { read -r stat <"$t/stat" && read -r name <"$t/comm"; } 2>/dev/null || continue
      name=${name// /_}
      echo "$p ${t##*/} ${name//[0-9]/#} ${stat##*) }"
    done
  done | awk '{ print $1, $2, $3, $15 + $16 }'
}

# Measures the stack over a window of $1 seconds, then prints its CPU per process and, within each
# process, per thread name. Sets percent (the whole stack, percent of one core), elapsed_ms,
# load_before and load_after.
measure_cpu() {
  local t0 before after threads_before threads_after report
  t0=$(date +%s%N)
  before="$(ticks)"
  threads_before="$(thread_ticks)"
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  sleep "$1"
  after="$(ticks)"
  elapsed_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  threads_after="$(thread_ticks)"
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  # Per process: ticks in the window (a process started during it counts from zero). A process that
  # ended during the window is in its parent's reaped ticks, whole: its ticks before the window are
  # taken off again.
  report="$(awk -v hz="$hz" -v ms="$elapsed_ms" '
    NR == FNR { own0[$1] = $2; kids0[$1] = $3; next }
    { seen[$1] = 1; d = ($2 - own0[$1]) + ($3 - kids0[$1]); total += d; printf "%s %d %.2f\n", $1, d, 100 * d / hz / (ms / 1000) }
    END {
      for (p in own0) if (!(p in seen)) total -= own0[p] + kids0[p]
      printf "total %d %.2f\n", total, 100 * total / hz / (ms / 1000) }' \
    <(echo "$before") <(echo "$after"))"
  echo "CPU over $((elapsed_ms / 1000)) s, percent of one core, by process:"
  echo "$report" | grep -v '^total' | while read -r p d pct; do
    [ "$d" -gt 0 ] || continue
    printf "  pid %-8s %6.2f %%  %s\n" "$p" "$pct" "$(jvm_main "$p")"
  done
  # Per process, its threads' ticks in the window summed by name, largest first: the names that make up
  # at least 90 % of the process, at most 12. A thread that ended during the window is not counted here
  # (its process's total above has it).
  echo "CPU over the window by thread name (percent of one core; pid, name, threads of that name):"
  awk -v hz="$hz" -v ms="$elapsed_ms" '
    NR == FNR { t0[$1 " " $2] = $4; next }
    { k = $1 " " $3; d = $4 - t0[$1 " " $2]; sum[k] += d; n[k]++; proc[$1] += d }
    END { for (k in sum) { split(k, a, " "); printf "%s %d %d %s %d\n", a[1], proc[a[1]], sum[k], a[2], n[k] } }' \
    <(echo "$threads_before") <(echo "$threads_after") |
    sort -k2,2nr -k1,1 -k3,3nr |
    awk -v hz="$hz" -v ms="$elapsed_ms" '
      $1 != pid { pid = $1; cum = 0; shown = 0
        printf "  pid %s  %.2f %%\n", $1, 100 * $2 / hz / (ms / 1000) }
      $3 > 0 && shown < 12 && cum < 0.9 * $2 {
        printf "    %6.2f %%  %-18s x%d\n", 100 * $3 / hz / (ms / 1000), $4, $5; cum += $3; shown++ }' |
    while IFS= read -r line; do
      case "$line" in
        "  pid "*) set -- $line; echo "$line  $(jvm_main "$2")" ;;
        *) echo "$line" ;;
      esac
    done
  percent=$(echo "$report" | awk '$1 == "total" { print $3 }')
}
