#!/usr/bin/env bash
# Acceptance runs of the adaptive optimizer (issue 7) with the reference application: a sweep of static
# configurations (batch size x flush interval x dispatcher threads) per scenario with the optimizer off, printing
# throughput and p99; then an apply-mode run per scenario from a mis-tuned start (batch size 1, one dispatcher thread,
# flush interval 200 ms) reporting the time to reach 90% of the best static throughput within the latency objective,
# the throughput after, and the direction reversals after convergence; then a run where a change hurts and must be
# rolled back. Prints Markdown (also written to it-tests/target/optimizer-sweep/optimizer-sweep.md).
#
#   it-tests/scripts/optimizer-sweep.sh [--jdk JAVA_HOME] [--no-build] [--apply-duration 5m] [--sweep-duration 8s]
#       [--rate N] [--batches 1,4,16,64,256] [--flushes 5,200] [--threads 1,2] [--scenarios burst,sustained]
#       [--skip-sweep BEST_MSG_PER_S] [--hurt-only]
#
# The issue's reversal count is over a 5-minute run: --apply-duration 5m (default 60s). Needs the built agent and
# reference application (built here unless --no-build).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
extra=()
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) jdk="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --hurt-only) extra+=("$1"); shift ;;
    --apply-duration|--sweep-duration|--rate|--batches|--flushes|--threads|--scenarios|--skip-sweep)
      extra+=("$1" "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ "$build" = 1 ]; then
  (cd "$root" && ./mvnw -q -B package -DskipTests -Dspotless.check.skip=true -pl agent,it-tests -am)
fi
work="$root/it-tests/target/optimizer-sweep"
mkdir -p "$work"
"$jdk/bin/java" "$here/OptimizerSweep.java" "$jdk" "$root/agent/target/hotpath-agent.jar" \
  "$root/it-tests/target/hotpath-reference-app.jar" "$work" ${extra[@]+"${extra[@]}"}
