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
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
extra=()
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) jdk="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --threads|--rate|--batch-cost-us|--seconds) extra+=("$1" "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ "$build" = 1 ]; then
  (cd "$root" && ./mvnw -q -B package -DskipTests -Dspotless.check.skip=true -pl agent,it-tests -am)
fi
work="$root/it-tests/target/what-if"
mkdir -p "$work"
"$jdk/bin/java" "$here/WhatIfTable.java" "$jdk" "$root/agent/target/hotpath-agent.jar" \
  "$root/it-tests/target/hotpath-reference-app.jar" "$work" ${extra[@]+"${extra[@]}"}
