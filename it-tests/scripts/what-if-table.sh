#!/usr/bin/env bash
# Predicted (the analyzer's what-if estimate) against measured throughput of the reference broadcaster's dispatcher
# pool for pool-size changes; prints a Markdown table (also written to it-tests/target/what-if/what-if-table.md).
#
#   it-tests/scripts/what-if-table.sh [--jdk JAVA_HOME] [--no-build] [--threads 1,2,3,4] [--rate 1000]
#       [--batch-cost-us 2000] [--seconds 12]
#
# Needs the built agent and reference application (built here unless --no-build).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
value_options="--threads --rate --batch-cost-us --seconds"
. "$here/table-run.sh"
parse_options "$@"
build_jars
work="$root/it-tests/target/what-if"
run_table "$here/WhatIfTable.java" "$jdk" "$agent" "$app" "$work" ${extra[@]+"${extra[@]}"}
