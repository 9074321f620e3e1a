#!/usr/bin/env bash
# Acceptance runs of the background analyzer (issue 5): every fault the reference application can inject, RUNS times
# each (default 5), with the delay from onset to detection (median, max); with --long D also a steady and a bursty run
# of length D (the issue asks for 10m) without a fault, counting findings above info. Prints a Markdown table.
#
#   it-tests/scripts/analyzer-acceptance.sh [--jdk JAVA_HOME] [--runs N] [--long 10m] [--faults a,b] [--no-build]
#
# Needs the built agent and reference application (built here unless --no-build).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
runs=5
extra=()
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) jdk="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --long) extra+=(--long "$2"); shift 2 ;;
    --faults) extra+=(--faults "$2"); shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ "$build" = 1 ]; then
  (cd "$root" && ./mvnw -q -B install -DskipTests -Dspotless.check.skip=true -pl bootstrap,exporter,agent,it-tests -am)
fi
work="$root/it-tests/target/analyzer-acceptance"
mkdir -p "$work"
"$jdk/bin/java" "$here/AnalyzerAcceptance.java" "$jdk" "$root/agent/target/hotpath-agent.jar" \
  "$root/it-tests/target/hotpath-reference-app.jar" "$work" "$runs" ${extra[@]+"${extra[@]}"}
