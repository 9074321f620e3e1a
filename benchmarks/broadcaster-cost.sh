#!/usr/bin/env bash
# What hotpath costs the reference status broadcaster, the figures issue #12 sets targets for:
#   - CPU per delivered message at each fixed rate in --rates (scenario sustained), without and with hotpath;
#   - stress throughput without and with hotpath, whole run and warm (second half of the run).
# One io.hotpath.benchmarks.program.ThroughputRunner invocation per rate: every invocation alternates fresh JVMs
# (none, hotpath, none, ...) after one discarded run of each and prints the median, min and max of --runs runs per
# setup; each also repeats the stress runs, so the stress figures come once per rate.
#
# Usage: benchmarks/broadcaster-cost.sh [--java JAVA_HOME] [--runs N] [--duration 10s] [--rates 20000,40000]
#                                       [--out DIR]
#   Builds nothing: run `./mvnw -B -q -pl benchmarks,agent,it-tests -am package -DskipTests` first.
#   Targets (issue #12): CPU per delivery at most +5 %, stress throughput at most -3 %, whole run and warm.
# Results: DIR/broadcaster-RATE.tsv (setup, run, value) and DIR/broadcaster-RATE.log (default DIR
# benchmarks/target/bench).
set -euo pipefail

java_home=${JAVA_HOME:-}
runs=5
duration=10s
rates=20000,40000
out=
while [ $# -gt 0 ]; do
  case "$1" in
    --java) java_home=$2; shift ;;
    --runs) runs=$2; shift ;;
    --duration) duration=$2; shift ;;
    --rates) rates=$2; shift ;;
    --out) out=$2; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "broadcaster-cost.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"
out=${out:-$root/benchmarks/target/bench}
if [ -n "$java_home" ]; then java="$java_home/bin/java"; else java=$(command -v java); fi
[ -x "$java" ] || { echo "broadcaster-cost.sh: no java at $java" >&2; exit 1; }
for f in agent/target/hotpath-agent.jar benchmarks/target/benchmarks.jar it-tests/target/hotpath-reference-app.jar; do
  [ -f "$f" ] || { echo "broadcaster-cost.sh: missing $f; build first (see --help)" >&2; exit 1; }
done

# Measure private copies: another build may rewrite target/ while this runs.
snap="$out/broadcaster-jars"
rm -rf "$snap"
mkdir -p "$snap/app"
cp agent/target/hotpath-agent.jar benchmarks/target/benchmarks.jar "$snap/"
cp it-tests/target/hotpath-reference-app.jar "$snap/app/"
cp -R it-tests/target/lib "$snap/app/lib"

IFS=, read -r -a rate_list <<< "$rates"
for rate in "${rate_list[@]}"; do
  case "$rate" in
    ''|*[!0-9]*) echo "broadcaster-cost.sh: --rates must be positive whole msg/s separated by commas, not '$rate'" >&2
                 exit 2 ;;
  esac
  read -r l1 _ < /proc/loadavg || l1=unknown
  echo "broadcaster-cost.sh: rate $rate msg/s, $runs runs of $duration per setup on $("$java" -version 2>&1 | head -n 1); 1-minute load average $l1"
  "$java" -cp "$snap/benchmarks.jar" io.hotpath.benchmarks.program.ThroughputRunner --java "$java" \
    --app "$snap/app/hotpath-reference-app.jar" --agent "$snap/hotpath-agent.jar" \
    --out "$out/broadcaster-$rate.tsv" --runs "$runs" --duration "$duration" --rate "$rate" 2>&1 \
    | tee "$out/broadcaster-$rate.log"
done
