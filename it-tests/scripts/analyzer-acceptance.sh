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
runs=5
value_options="--long --faults"
. "$here/table-run.sh"
parse_options "$@"
build_jars
work="$root/it-tests/target/analyzer-acceptance"
run_table "$here/AnalyzerAcceptance.java" "$jdk" "$work" "$runs" ${extra[@]+"${extra[@]}"}
