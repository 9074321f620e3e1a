#!/usr/bin/env bash
# What-if accuracy runs (issue 15): the reference broadcaster with a pool bottleneck (one dispatcher thread, a long
# fixed cost per batch) and with a batch bottleneck (batch size 1, a fixed cost per batch), the optimizer in apply
# mode, RUNS times each (default 3). Every change the optimizer makes carries its estimate and the verdict that ends
# its evaluation what was observed (the dump's optimizer.audit what_if); the table pairs them and counts the
# estimates within 25 % of the observed throughput. The machine's load average is printed before and after: figures
# from a busy machine are not a quiet machine's.
#
#   benchmarks/whatif.sh [--jdk JAVA_HOME] [--runs N] [--cases pool,batch] [--duration 40s] [--no-build]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
runs=3
extra=()
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) jdk="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --cases) extra+=(--cases "$2"); shift 2 ;;
    --duration) extra+=(--duration "$2"); shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option '$1': use --jdk DIR, --runs N, --cases pool,batch, --duration 40s or --no-build" >&2; exit 2 ;;
  esac
done
case "$runs" in
  ''|*[!0-9]*|0) echo "bad --runs '$runs': a whole number of runs >= 1" >&2; exit 2 ;;
esac
if [ "$build" = 1 ]; then
  (cd "$root" && ./mvnw -q -B verify -DskipTests -DskipITs -Dspotless.check.skip=true -pl it-tests -am)
fi
work="$root/benchmarks/target/whatif"
mkdir -p "$work"
"$jdk/bin/java" "$here/scripts/WhatIfTable.java" "$jdk" "$root/agent/target/hotpath-agent.jar" \
  "$root/it-tests/target/hotpath-reference-app.jar" "$work" "$runs" ${extra[@]+"${extra[@]}"} | tee "$work/whatif.md"
