#!/usr/bin/env bash
# Where the JIT work of the reference status broadcaster goes, without and with hotpath (issue #12): one run per setup
# at a fixed rate (scenario sustained) with -XX:+LogCompilation, then scripts/CompileAttribution.java splits the
# compile tasks by the package of the method compiled (relocated Byte Buddy, relocated export libraries, the agent and
# its exporter, the tracked JDK classes, the rest of the recording core, the application, the JDK's method handles,
# the rest of the JDK), by the time the task started (--buckets, seconds since JVM start), by tier, and counts the
# recompiles at a tier a method already had and the compiled methods made not entrant. Compile milliseconds are the
# tasks' wall time; on a busy machine read them as relative figures and take the compiler threads' CPU from
# thread-cpu.sh.
#
# Usage: benchmarks/jit-attribution.sh [--jdk JAVA_HOME] [--rate 40000] [--duration 20s] [--buckets 20,60]
#                                      [--setups none,hotpath] [--out DIR] [--agent JAR] [-- extra JVM flags of the
#                                      hotpath setup]
#   Builds nothing: run `./mvnw -B -q -pl agent,it-tests -am package -DskipTests` first.
# Keeps the logs as DIR/none.log and DIR/hotpath.log (default DIR benchmarks/target/jit-attribution); the program
# alone re-reads them: java benchmarks/scripts/CompileAttribution.java none=DIR/none.log hotpath=DIR/hotpath.log
set -euo pipefail

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
build=
value_options="--rate --duration --setups --buckets --out"
rest="extra JVM flags of the hotpath setup"
. "$root/it-tests/scripts/table-run.sh"
parse_options "$@"
fixed_rate_options
buckets=${opt_buckets:-20,60}
out=${opt_out:-$root/benchmarks/target/jit-attribution}
[[ "$buckets" =~ ^[0-9]+(,[0-9]+)*$ ]] || usage_error "bad --buckets '$buckets': rising whole seconds like 20,60"
mkdir -p "$out"

IFS=, read -r -a setup_list <<< "$setups"
echo "jit-attribution.sh: rate $rate msg/s, $duration, $("$java" -version 2>&1 | head -n 1); load $(cut -d' ' -f1-3 /proc/loadavg)"
logs=()
for setup in "${setup_list[@]}"; do
  flags=(-Xms512m -Xmx512m -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation "-XX:LogFile=$out/$setup.log")
  case "$setup" in
    none) ;;
    hotpath) flags+=("-javaagent:$agent" -Dhotpath.export.exporter=none ${rest_args[@]+"${rest_args[@]}"}) ;;
    *) usage_error "bad --setups '$setups': none and hotpath" ;;
  esac
  "$java" "${flags[@]}" -jar "$app" --scenario sustained --rate "$rate" --duration "$duration" \
    > "$out/$setup.out" 2>&1 || { echo "jit-attribution.sh: the $setup run failed:" >&2; tail -n 5 "$out/$setup.out" >&2; exit 1; }
  logs+=("$setup=$out/$setup.log")
done
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
"$java" "$root/benchmarks/scripts/CompileAttribution.java" --buckets "$buckets" "${logs[@]}"
