#!/usr/bin/env bash
# Where the CPU of the reference status broadcaster goes once it is warm, thread by thread, without and with hotpath:
# one run per setup at a fixed rate (scenario sustained), each thread's CPU time read from
# /proc/PID/task/TID/schedstat (nanoseconds on CPU, whatever the load on the machine) a second after the middle of the
# run and a second and a half before its end. Threads are grouped by name with digits replaced by N
# (subscriber-N-consumer, C2 CompilerThreN), so runs compare group by group.
#
# The window of a 20 s run is not yet steady. The application's methods that run once per batch (a pool's execute and
# its before/after hooks, a few hundred calls a second) reach C2 only 12-20 s in, and with the agent they carry the
# recording in C1 code until then (batcher and pool threads); the agent's own start-up compiles queue ahead of them;
# and the compiler threads stay busier than without the agent past 30 s. All of that shows up in the window as the
# agent's cost. For the steady cost of the recording, use --duration 60s (window 31-58.5 s) and read the application's
# groups apart from C1/C2 CompilerThre and hotpath-cold.
#
# Usage: benchmarks/thread-cpu.sh [--jdk JAVA_HOME] [--rate 40000] [--duration 20s] [--runs 1] [--setups none,hotpath]
#                                 [--agent JAR] [-- extra JVM flags of the hotpath setup]
#   Builds nothing: run `./mvnw -B -q -pl benchmarks,agent,it-tests -am package -DskipTests` first.
# Prints, per setup and run, CPU ms per thread group over the warm window, and per second of it (at a fixed rate both
# setups deliver the same messages per second, so ms per second compare directly).
set -euo pipefail

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
runs=1
build=
value_options="--rate --duration --setups"
rest="extra JVM flags of the hotpath setup"
. "$root/it-tests/scripts/table-run.sh"
parse_options "$@"
fixed_rate_options
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One line per live thread: tid, CPU ns so far, group name.
read_threads() {
  local pid=$1 task name ns
  for task in /proc/"$pid"/task/*; do
    name=$(cat "$task/comm" 2>/dev/null) || continue
    read -r ns _ < "$task/schedstat" 2>/dev/null || continue
    echo "${task##*/} $ns $(echo "$name" | sed -E 's/[0-9]+/N/g; s/ /_/g')"
  done
}

one_run() {
  local setup=$1 log=$work/$1.log
  local -a flags=(-Xms512m -Xmx512m)
  if [ "$setup" = hotpath ]; then flags+=("-javaagent:$agent" -Dhotpath.export.exporter=none ${rest_args[@]+"${rest_args[@]}"}); fi
  local launched
  launched=$(date +%s%N)
  "$java" "${flags[@]}" -jar "$app" --scenario sustained --rate "$rate" --duration "$duration" > "$log" 2>&1 &
  local pid=$!
  # The app's progress lines reach a file only when its buffer fills, so the window is timed from the launch: from
  # the middle of the run (plus a second of JVM start) to a second and a half before its end, while every thread of
  # the app still runs (a thread that ends inside the window would take its CPU time with it).
  sleep_until "$launched" $((seconds * 500 + 1000))
  local from=$(date +%s%N)
  read_threads "$pid" > "$work/start"
  sleep_until "$launched" $((seconds * 1000 - 1500))
  local to=$(date +%s%N)
  read_threads "$pid" > "$work/end"
  echo "  threads: $(wc -l < "$work/start") at the start of the window, $(wc -l < "$work/end") at its end"
  wait "$pid" || { echo "thread-cpu.sh: the $setup run failed:" >&2; tail -n 5 "$log" >&2; exit 1; }
  awk -v setup="$setup" -v wall=$(((to - from) / 1000000)) '
    FNR == NR { before[$1] = $2; next }
    { ms = ($2 - ($1 in before ? before[$1] : 0)) / 1e6; group[$3] += ms; total += ms }
    END {
      printf "%s: warm window %d ms, %.1f ms CPU, %.2f ms CPU per second\n", setup, wall, total, total * 1000 / wall
      for (g in group) if (group[g] >= 0.05) printf "  %-24s %9.1f ms %8.2f ms/s\n", g, group[g], group[g] * 1000 / wall | "sort -k2 -rn"
      close("sort -k2 -rn")
    }' "$work/start" "$work/end"
}

# Sleeps until MS milliseconds after the nanosecond time T.
sleep_until() {
  local left=$(( ($1 + $2 * 1000000 - $(date +%s%N)) / 1000000 ))
  if [ "$left" -gt 0 ]; then sleep "$(printf '%d.%03d' $((left / 1000)) $((left % 1000)))"; fi
}

IFS=, read -r -a setup_list <<< "$setups"
echo "thread-cpu.sh: rate $rate msg/s, $duration, $("$java" -version 2>&1 | head -n 1); load $(cut -d' ' -f1-3 /proc/loadavg)"
for ((run = 1; run <= runs; run++)); do
  for setup in "${setup_list[@]}"; do
    case "$setup" in none|hotpath) ;; *) usage_error "bad --setups '$setups': none and hotpath" ;; esac
    echo "run $run/$runs"
    one_run "$setup"
  done
done
