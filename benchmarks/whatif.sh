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
runs=3
value_options="--cases --duration"
. "$root/it-tests/scripts/table-run.sh"
parse_options "$@"
build_jars
work="$root/benchmarks/target/whatif"
mkdir -p "$work"
run_table "$here/scripts/WhatIfTable.java" "$jdk" "$work" "$runs" ${extra[@]+"${extra[@]}"} | tee "$work/whatif.md"
