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
runs=20
value_options="--cases --steady-minutes"
. "$root/it-tests/scripts/table-run.sh"
parse_options "$@"
build_jars
work="$root/benchmarks/target/incidents"
run_table "$here/scripts/IncidentsTable.java" "$jdk" "$work" "$runs" ${extra[@]+"${extra[@]}"}
