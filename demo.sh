#!/usr/bin/env bash
# Builds the agent and the reference application, then runs the reference status broadcaster under a load scenario
# with the agent attached and its live summary on stderr. By default the broadcaster starts mis-tuned (batch size 1,
# one dispatcher thread, 200 ms flush interval, and a fixed 100 us flush per batch that caps one thread at 10k
# batches/s on any machine) with the optimizer in apply mode on its declared tunables, so the
# summary shows the findings and the optimizer's changes. OTLP export is on only when OTEL_EXPORTER_OTLP_ENDPOINT
# names a receiver. Extra arguments go to the application, e.g.
#   ./demo.sh --scenario stress --duration 30s
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f agent/target/hotpath-agent.jar ] || [ ! -f it-tests/target/hotpath-reference-app.jar ] \
   || [ -n "$(find bootstrap agent exporter it-tests/src/main -newer agent/target/hotpath-agent.jar -name '*.java' 2>/dev/null | head -n 1)" ]; then
  echo "demo: building the agent and the reference application (first run takes a minute)..." >&2
  ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package -pl agent,it-tests -am
fi
dump=${HOTPATH_DEMO_DUMP:-target/hotpath-demo-dump.json}
truth=${HOTPATH_DEMO_TRUTH:-target/hotpath-demo-truth.json}
mkdir -p "$(dirname "$dump")" "$(dirname "$truth")"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--scenario sustained --duration 20s --rate 50000 --subscribers 4 \
  --batch-size 1 --flush-interval-ms 200 --dispatcher-threads 1 --batch-cost-us 100)
# OTLP export only when a receiver is named: without one, a 20 s demo would only say that none answers.
export_flag=-Dhotpath.export.exporter=none
[ -n "${OTEL_EXPORTER_OTLP_ENDPOINT:-}${OTEL_EXPORTER_OTLP_METRICS_ENDPOINT:-}" ] && export_flag=-Dhotpath.export.exporter=otlp
set -x
java -javaagent:agent/target/hotpath-agent.jar \
     -Dhotpath.summary.interval=2s \
     "$export_flag" \
     -Dhotpath.dump.file="$dump" \
     -Dhotpath.optimizer.mode=apply \
     -Dhotpath.tunables='batch=io.hotpath.reference.Batcher#batchSize:batch-size[1..1024];flush=io.hotpath.reference.Batcher#flushIntervalMs:flush-interval[0..500]' \
     -jar it-tests/target/hotpath-reference-app.jar --quiet --truth-file "$truth" "${args[@]}"
{ set +x; } 2>/dev/null
echo "demo: full JSON dump in $dump; the application's own exact counts in $truth" >&2
