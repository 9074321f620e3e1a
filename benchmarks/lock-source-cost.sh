#!/usr/bin/env bash
# What the analyzer's lock-contention source costs the application: LockSourceWorkload (idle, park-heavy hand-offs,
# a contended monitor) run without the agent, with the agent's default source (thread states sampled every
# hotpath.analyzer.jvm.interval), with JVM-wide thread contention monitoring (hotpath.analyzer.locks.monitoring=true)
# and, for comparison, with the default plus a JFR recording of jdk.JavaMonitorEnter and jdk.ThreadPark above 10 ms.
# Setups alternate within each round; prints one line per run and the medians.
#
# Usage: benchmarks/lock-source-cost.sh [--jdk JAVA_HOME] [--agent JAR] [--runs N] [--seconds S]
# Needs agent/target/hotpath-agent.jar and benchmarks/target/benchmarks.jar (./mvnw -pl benchmarks -am package).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=3
build=
value_options="--seconds"
. "$root/it-tests/scripts/table-run.sh"
parse_options "$@"
seconds=${opt_seconds:-10}
positive --seconds "$seconds"
bench=$root/benchmarks/target/benchmarks.jar
work=$root/benchmarks/target/lock-source
mkdir -p "$work"
cat > "$work/locks.jfc" <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0" label="locks">
  <event name="jdk.JavaMonitorEnter"><setting name="enabled">true</setting><setting name="stackTrace">false</setting><setting name="threshold">10 ms</setting></event>
  <event name="jdk.ThreadPark"><setting name="enabled">true</setting><setting name="stackTrace">false</setting><setting name="threshold">10 ms</setting></event>
</configuration>
JFC
declare -A flags=(
  [none]=""
  [sampled]="-javaagent:$agent -Dhotpath.export.exporter=none"
  [monitoring]="-javaagent:$agent -Dhotpath.export.exporter=none -Dhotpath.analyzer.locks.monitoring=true"
  [jfr]="-javaagent:$agent -Dhotpath.export.exporter=none -XX:StartFlightRecording:settings=$work/locks.jfc,maxsize=1m,filename=$work/locks.jfr"
)
samples=$work/samples.tsv
: > "$samples"
for mode in idle handoff monitor; do
  for ((r = 1; r <= runs; r++)); do
    for setup in none sampled monitoring jfr; do
      # shellcheck disable=SC2086
      line=$("$java" -Xshare:auto ${flags[$setup]} -cp "$bench" io.hotpath.benchmarks.program.LockSourceWorkload \
        "$mode" "$seconds" 2>/dev/null | grep '^RESULT ' || true)
      if [[ -z $line ]]; then
        echo "$mode $setup run $r: no RESULT line, skipped" >&2
        continue
      fi
      ops=${line#*ops=}; ops=${ops%% *}; cpu=${line##*cpu_ms=}
      printf '%s\t%s\t%s\t%s\t%s\n' "$mode" "$setup" "$r" "$ops" "$cpu" | tee -a "$samples"
    done
  done
done
echo "median per mode and setup: ops, cpu_ms"
python3 - "$samples" <<'PY'
import statistics, sys, collections
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    mode, setup, _, ops, cpu = line.split("\t")
    d[(mode, setup)].append((int(ops), int(cpu)))
for (mode, setup), v in d.items():
    print(f"{mode}\t{setup}\tops={statistics.median(o for o, _ in v):.0f}\tcpu_ms={statistics.median(c for _, c in v):.0f}\truns={len(v)}")
PY
