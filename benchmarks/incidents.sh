#!/usr/bin/env bash
# Incident acceptance runs (issue 15): every case RUNS times (default 20) in real JVMs with the built agent, and a
# Markdown table of right / wrong / missed with the delay from the fault's onset to the incident:
#   - independent: two paths that share nothing (a saturated pool, a handoff queue refusing offers) overloaded by one
#     traffic spike; right = two incidents, each with its own alert;
#   - each fault of the reference broadcaster; right = exactly one incident, rooted at the injected stage (and of the
#     fault's kind for the JVM faults), within 2 s after the onset;
#   - steady: the reference broadcaster on every transport, bursts and steady load in turn, no fault, once for
#     --steady-minutes (default 10); right = no incident.
# The machine's load average is printed before and after: figures from a busy machine are not a quiet machine's.
#
#   benchmarks/incidents.sh [--jdk JAVA_HOME] [--runs N] [--cases independent,slow-subscriber,...,steady]
#                           [--steady-minutes M] [--no-build]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
runs=20
extra=()
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) jdk="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --cases) extra+=(--cases "$2"); shift 2 ;;
    --steady-minutes) extra+=(--steady-minutes "$2"); shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option '$1': use --jdk DIR, --runs N, --cases a,b, --steady-minutes M or --no-build" >&2; exit 2 ;;
  esac
done
if [ "$build" = 1 ]; then
  (cd "$root" && ./mvnw -q -B verify -DskipTests -DskipITs -Dspotless.check.skip=true -pl it-tests -am)
fi
work="$root/benchmarks/target/incidents"
mkdir -p "$work"
"$jdk/bin/java" "$here/scripts/IncidentsTable.java" "$jdk" "$root/agent/target/hotpath-agent.jar" \
  "$root/it-tests/target/hotpath-reference-app.jar" "$root/it-tests/target/test-classes" "$work" "$runs" \
  ${extra[@]+"${extra[@]}"}
