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
value_options="--apply-duration --sweep-duration --rate --batches --flushes --threads --scenarios --skip-sweep"
flag_options="--hurt-only"
. "$here/table-run.sh"
parse_options "$@"
build_jars
work="$root/it-tests/target/optimizer-sweep"
run_table "$here/OptimizerSweep.java" "$jdk" "$agent" "$app" "$work" ${extra[@]+"${extra[@]}"}
