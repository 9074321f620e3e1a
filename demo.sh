#!/usr/bin/env bash
# Builds the agent and the reference application, then runs the reference status broadcaster under a load scenario
# with the agent attached and its live summary on stderr. Extra arguments go to the application, e.g.
#   ./demo.sh --scenario stress --duration 30s
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f agent/target/hotpath-agent.jar ] || [ ! -f it-tests/target/hotpath-reference-app.jar ] \
   || [ -n "$(find bootstrap agent exporter it-tests/src/main -newer agent/target/hotpath-agent.jar -name '*.java' 2>/dev/null | head -n 1)" ]; then
  echo "demo: building the agent and the reference application (first run takes a minute)..." >&2
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true install -pl agent,it-tests -am
fi
dump=${HOTPATH_DEMO_DUMP:-target/hotpath-demo-dump.json}
mkdir -p "$(dirname "$dump")"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--scenario burst --duration 20s --rate 20000 --subscribers 4)
set -x
java -javaagent:agent/target/hotpath-agent.jar \
     -Dhotpath.summary.interval=2s \
     -Dhotpath.dump.file="$dump" \
     -jar it-tests/target/hotpath-reference-app.jar --quiet "${args[@]}"
{ set +x; } 2>/dev/null
echo "demo: full JSON dump in $dump" >&2
