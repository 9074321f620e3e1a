#!/usr/bin/env bash
# What hotpath costs the reference status broadcaster, the figures issue #12 sets targets for:
#   - CPU per delivered message at each fixed rate in --rates (scenario sustained), without and with hotpath;
#   - stress throughput without and with hotpath, whole run and warm (second half of the run).
# One io.hotpath.benchmarks.program.ThroughputRunner invocation per rate: every invocation alternates fresh JVMs
# (none, hotpath, none, ...) after one discarded run of each and prints the median, min and max of --runs runs per
# setup; each also repeats the stress runs, so the stress figures come once per rate.
#
# Usage: benchmarks/broadcaster-cost.sh [--jdk JAVA_HOME] [--agent JAR] [--runs N] [--duration 10s]
#                                       [--rates 20000,40000] [--out DIR]
#   Builds nothing: run `./mvnw -B -q -pl benchmarks,agent,it-tests -am package -DskipTests` first.
#   Targets (issue #12): CPU per delivery at most +5 %, stress throughput at most -3 %, whole run and warm.
# Results: DIR/broadcaster-RATE.tsv (setup, run, value) and DIR/broadcaster-RATE.log (default DIR
# benchmarks/target/bench).
set -euo pipefail

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
runs=5
build=
value_options="--duration --rates --out"
. "$root/it-tests/scripts/table-run.sh"
parse_options "$@"
duration=${opt_duration:-10s}
rates=${opt_rates:-20000,40000}
cd "$root"
out=${opt_out:-$root/benchmarks/target/bench}
for f in "$agent" benchmarks/target/benchmarks.jar "$app"; do
  [ -f "$f" ] || { echo "broadcaster-cost.sh: missing $f; build first (see --help)" >&2; exit 1; }
done

# Measure private copies: another build may rewrite target/ while this runs.
snap="$out/broadcaster-jars"
rm -rf "$snap"
mkdir -p "$snap/app"
cp "$agent" "$snap/hotpath-agent.jar"
cp benchmarks/target/benchmarks.jar "$snap/"
cp "$app" "$snap/app/"
cp -R it-tests/target/lib "$snap/app/lib"

IFS=, read -r -a rate_list <<< "$rates"
for rate in "${rate_list[@]}"; do
  case "$rate" in
    ''|*[!0-9]*) usage_error "bad --rates '$rates': positive whole msg/s separated by commas" ;;
  esac
  read -r l1 _ < /proc/loadavg || l1=unknown
  echo "broadcaster-cost.sh: rate $rate msg/s, $runs runs of $duration per setup on $("$java" -version 2>&1 | head -n 1); 1-minute load average $l1"
  "$java" -cp "$snap/benchmarks.jar" io.hotpath.benchmarks.program.ThroughputRunner --java "$java" \
    --app "$snap/app/hotpath-reference-app.jar" --agent "$snap/hotpath-agent.jar" \
    --out "$out/broadcaster-$rate.tsv" --runs "$runs" --duration "$duration" --rate "$rate" 2>&1 \
    | tee "$out/broadcaster-$rate.log"
done
