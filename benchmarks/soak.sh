#!/usr/bin/env bash
# The soak (issue #17): the reference status broadcaster under alternating burst and steady load (--scenario soak) with
# the agent's defaults, exporting over OTLP to a receiver in a process of its own that is killed (SIGKILL) and
# restarted every few minutes, one fault (a slow subscriber) injected near the end. At the end it checks and prints:
# every cumulative count exact (agent dump = application ground truth = last point the last receiver got), heap after
# GC and RSS slopes per 10 minutes between warm-up and fault (limit 1 MiB / 10 min), live threads flat, findings only
# from the injected fault, no exception and no unexpected agent warning. The checks are io.hotpath.it.Soak's (the
# it-test SoakIT runs the same code for 3 minutes).
#
# Usage: benchmarks/soak.sh [--java JAVA_HOME] [--duration 30m] [--out DIR] [--no-build]
#   Builds agent and it-tests first unless --no-build. Runs on private copies of the jars and test classes, so other
#   builds may rewrite target/ meanwhile.
# Results: DIR/report.txt (the figures), DIR/samples.tsv (heap after GC, metaspace, RSS, threads over time),
# DIR/app-std{out,err}.txt, DIR/receiver-N.{tsv,log}, DIR/dump.json (default DIR benchmarks/target/soak).
# Exit code: 0 when every check passed, 1 on any breach, 2 on a bad argument.
set -euo pipefail

java_home=${JAVA_HOME:-}
duration=30m
out=
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --java) java_home=$2; shift ;;
    --duration) duration=$2; shift ;;
    --out) out=$2; shift ;;
    --no-build) build=0 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$duration" in
  *[0-9]m|*[0-9]h|*[0-9]s) ;;
  *) echo "soak.sh: --duration '$duration' is not a duration: allowed a whole number with s, m or h, e.g. 30m" >&2
     exit 2 ;;
esac

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"
out=${out:-$root/benchmarks/target/soak}
if [ -n "$java_home" ]; then java="$java_home/bin/java"; else java=$(command -v java); java_home=$(dirname "$(dirname "$(readlink -f "$java")")"); fi
[ -x "$java" ] || { echo "soak.sh: no java at $java" >&2; exit 1; }

if [ "$build" = 1 ]; then
  ./mvnw -B -q -pl it-tests -am package -DskipTests
fi
# The it-tests' test class path (OTLP protobuf for the receiver, Jackson for the dump), from the same reactor.
./mvnw -B -q -pl it-tests -am dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/soak-classpath.txt >/dev/null
for f in agent/target/hotpath-agent.jar it-tests/target/hotpath-reference-app.jar it-tests/target/test-classes \
         it-tests/target/soak-classpath.txt; do
  [ -e "$f" ] || { echo "soak.sh: missing $f; build first (drop --no-build)" >&2; exit 1; }
done

# Private copies: another build may rewrite target/ during a long run.
rm -rf "$out/jars"
mkdir -p "$out/jars/app"
cp agent/target/hotpath-agent.jar "$out/jars/"
cp it-tests/target/hotpath-reference-app.jar "$out/jars/app/"
cp -R it-tests/target/lib "$out/jars/app/lib"
cp -R it-tests/target/test-classes "$out/jars/test-classes"

read -r l1 _ < /proc/loadavg || l1=unknown
echo "soak.sh: $duration on $("$java" -version 2>&1 | head -n 1); $(nproc) cores, 1-minute load average $l1; results in $out"
"$java" -cp "$out/jars/test-classes:$(cat it-tests/target/soak-classpath.txt)" io.hotpath.it.Soak \
  --java "$java_home" --agent "$out/jars/hotpath-agent.jar" --app "$out/jars/app/hotpath-reference-app.jar" \
  --out "$out" --duration "$duration"
