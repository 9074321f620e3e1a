#!/usr/bin/env bash
# Measures what hotpath costs and writes BENCHMARKS.md at the repository root:
#   1. builds the agent, the benchmarks (which also fetch the OpenTelemetry Java agent through Maven) and the
#      reference application when a source is newer than the jars;
#   2. start-up and footprint: a hello-world program run N times with no agent, with hotpath and with the
#      OpenTelemetry Java agent (exporters off), alternating, timed with GNU time (wall, user+sys CPU, peak RSS);
#   3. the MooBench-style whole-program harness (io.hotpath.benchmarks.program.MooBenchRunner): a method recursing
#      10 deep, no agent / hotpath probe / OpenTelemetry method instrumentation, forks alternating;
#   4. the reference status broadcaster's throughput without and with hotpath, runs alternating
#      (io.hotpath.benchmarks.program.ThroughputRunner);
#   5. the JMH suite through io.hotpath.benchmarks.BenchmarkMain: the recording core alone, the queue benchmarks and
#      the end-to-end benchmarks (declared probe on 1 and 2 threads, executor, Netty, Aeron) without and with the
#      agent, every run with -prof gc; it writes the report with every figure above and the targets.
#
# Usage: benchmarks/run.sh [--quick | --full] [--jdk JAVA_HOME] [--runs N] [--suites core,queue,e2e] [--forks N]
#                          [--retries N] [--report FILE] [--no-build] [--no-startup] [--no-moobench]
#                          [--no-throughput]
#   --quick    (default) a few minutes on 2 cores: 1 fork, 3x1 s warm-up, 3x1 s measurement per JMH benchmark;
#              5 start-up runs per setup; MooBench 2 forks per setup, 2 s warm-up, 10x100 ms batches; throughput
#              2 runs per setup of 6 s under stress and 6 s at a fixed 20k msg/s
#   --full     under 20 minutes on 2 cores: JMH 5x1 s measurement, 2 forks per queue (5x2 s warm-up) and
#              end-to-end (5x1 s warm-up) benchmark, 1 fork per core benchmark; 11 start-up runs per setup;
#              MooBench 3 forks, 4 s warm-up, 20x200 ms batches; throughput 5 runs per setup of 10 s under stress and 10 s at a fixed 20k msg/s
#   --jdk      JDK to measure on (default: $JAVA_HOME, else java on PATH); the build always uses Maven's JDK
#   --suites   JMH suites to run (default core,queue,e2e)
#   --retries  run a benchmark again (up to N more times) when other processes took over 10 % of the machine
#              meanwhile, keeping the quietest attempt (default 0: report how busy it was, do not retry)
#   --report   where to write the report (default: BENCHMARKS.md at the repository root)
# Raw results (JMH JSON, console log, start-up, MooBench and throughput samples) and the copies of the jars measured
# go to benchmarks/target/bench/.
set -euo pipefail

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
invocation="benchmarks/run.sh${*:+ $*}"
# 0 stands for "not given" (a given --runs is at least 1): the default depends on --quick or --full.
runs=0
value_options="--suites --forks --retries --report"
flag_options="--quick --full --no-startup --no-moobench --no-throughput"
. "$root/it-tests/scripts/table-run.sh"
parse_options "$@"
mode=quick
[ -z "${opt_full:-}" ] || mode=full
suites=${opt_suites:-core,queue,e2e}
forks=${opt_forks:-}
retries=${opt_retries:-0}
startup=$((1 - ${opt_no_startup:-0}))
moobench=$((1 - ${opt_no_moobench:-0}))
throughput=$((1 - ${opt_no_throughput:-0}))
[ "$runs" != 0 ] || { [ "$mode" = full ] && runs=11 || runs=5; }
if [ "$mode" = full ]; then
  moo_args=(--forks 3 --warmup-ms 4000 --batches 20 --batch-ms 200)
  tp_args=(--runs 5 --duration 10s)
else
  moo_args=(--forks 2 --warmup-ms 2000 --batches 10 --batch-ms 100)
  tp_args=(--runs 2 --duration 6s)
fi

cd "$root"
report=${opt_report:-$root/BENCHMARKS.md}
bench_jar=benchmarks/target/benchmarks.jar
otel_jar=benchmarks/target/agents/opentelemetry-javaagent.jar
app_jar=$app
out=benchmarks/target/bench
say() { echo "run.sh: $*" >&2; }

# ---------------------------------------------------------------- build
if [ "$build" = 1 ]; then
  if [ ! -f "$agent" ] || [ ! -f "$bench_jar" ] || [ ! -f "$otel_jar" ] || [ ! -f "$app_jar" ] \
     || [ -n "$(find bootstrap exporter agent benchmarks -path '*/target' -prune -o \
                  \( -name '*.java' -o -name pom.xml \) -newer "$bench_jar" -print 2>/dev/null | head -n 1)" ] \
     || [ -n "$(find bootstrap exporter agent -path '*/target' -prune -o \
                  \( -name '*.java' -o -name pom.xml \) -newer "$agent" -print 2>/dev/null | head -n 1)" ] \
     || [ -n "$(find it-tests/src/main it-tests/pom.xml -newer "$app_jar" -print 2>/dev/null | head -n 1)" ]; then
    if [ -x ./mvnw ]; then mvn=./mvnw; else mvn=mvn; fi
    say "building the agent, the benchmarks and the reference application with $mvn"
    "$mvn" -q -B install -DskipTests -Dmaven.test.skip=true -Dspotless.check.skip=true \
      -pl bootstrap,exporter,agent,benchmarks
    "$mvn" -q -B package -Dmaven.test.skip=true -Dspotless.check.skip=true -pl it-tests
  else
    say "agent, benchmarks and reference application are up to date"
  fi
fi
for f in "$agent" "$bench_jar" "$otel_jar" "$app_jar"; do
  [ -f "$f" ] || { echo "run.sh: missing $f; build first (or drop --no-build)" >&2; exit 1; }
done
mkdir -p "$out"

# Measure private copies: other builds may rewrite target/ while this runs, and JMH forks open the jar late.
snap="$out/jars"
rm -rf "$snap"
mkdir -p "$snap"
cp "$agent" "$snap/hotpath-agent.jar"
cp "$bench_jar" "$snap/benchmarks.jar"
cp -R benchmarks/target/classes "$snap/classes"
cp "$otel_jar" "$snap/opentelemetry-javaagent.jar"
# The reference application finds Netty and Aeron in lib/ next to it (its manifest class path).
mkdir -p "$snap/app"
cp "$app_jar" "$snap/app/hotpath-reference-app.jar"
cp -R it-tests/target/lib "$snap/app/lib"
agent_built=$(date -u -r "$agent" '+%Y-%m-%d %H:%M UTC')
agent="$snap/hotpath-agent.jar"
bench_jar="$snap/benchmarks.jar"
otel_jar="$snap/opentelemetry-javaagent.jar"
app_jar="$snap/app/hotpath-reference-app.jar"
if command -v unzip >/dev/null 2>&1 && unzip -l "$bench_jar" | grep -q 'io/hotpath/agent/HotpathAgent'; then
  # The class path precedes the -javaagent jar: the agent would start from this copy and fail.
  echo "run.sh: $bench_jar contains io/hotpath/agent/HotpathAgent; the agent cannot start in the forks" >&2
  exit 1
fi

notes=()
if command -v git >/dev/null 2>&1 && git rev-parse --git-dir >/dev/null 2>&1; then
  changed=$(git status --porcelain -- bootstrap exporter agent benchmarks | wc -l)
  notes+=(--note "Measured source: commit $(git rev-parse --short HEAD) plus $changed uncommitted change(s) under bootstrap/, exporter/, agent/ and benchmarks/; agent jar built $agent_built.")
fi
read -r load1 _ < /proc/loadavg || load1=unknown
if awk -v l="$load1" 'BEGIN { exit !(l + 0 > 0.5) }' 2>/dev/null; then
  say "warning: 1-minute load average is $load1 before measuring; other processes may disturb the figures"
  notes+=(--note "The 1-minute load average was $load1 when run.sh started measuring (other processes were busy).")
fi

# ---------------------------------------------------------------- start-up and footprint
# Setups of the start-up runs; a peer agent gets one more case in each function. hotpath-queues-only shows how much
# of hotpath's start-up the queue rewrite alone costs: no exporter, analyzer or Byte Buddy instrumentation. otel is
# the OpenTelemetry Java agent with every exporter off.
setups=(none hotpath hotpath-queues-only otel)
setup_args() {
  case "$1" in
    none) ;;
    hotpath) echo "-javaagent:$agent" ;;
    hotpath-queues-only)
      echo "-javaagent:$agent -Dhotpath.export.exporter=none -Dhotpath.analyzer.enabled=false" \
        "-Dhotpath.alerts.enabled=false -Dhotpath.instrument.executors=false -Dhotpath.instrument.sockets=false" \
        "-Dhotpath.instrument.netty=false -Dhotpath.instrument.aeron=false" ;;
    otel)
      echo "-javaagent:$otel_jar -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none" ;;
  esac
}
expected_queue() {
  case "$1" in
    none|otel) echo "java.util.concurrent.ArrayBlockingQueue" ;;
    *) echo "io.hotpath.bootstrap.jdk.TrackedArrayBlockingQueue" ;;
  esac
}

timer=/usr/bin/time
if [ "$startup" = 1 ] && ! "$timer" -f %e true >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing GNU time"
    apt-get install -y -qq time >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq time >/dev/null; }
  else
    echo "run.sh: GNU time (/usr/bin/time) is needed for the start-up runs: apt-get install time" >&2
    exit 1
  fi
fi

# CPU ticks (1/100 s) all processes used so far, hypervisor steal included.
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

# One run: appends "setup run wall_ms user_s sys_s max_rss_kb others_cpu_s" to $2 unless $3 is "discard";
# others_cpu_s is what the rest of the machine used meanwhile (all CPU time minus the run's own). A run that exits
# non-zero or prints nothing is kept aside ($out/hello-failed-*) and returns 1; one that prints the wrong queue
# class stops the script, because its figures would belong to another setup.
failed_runs=0
run_hello() {
  local setup=$1 file=$2 n=$3 args t0 t1 b0 b1 line rc=0
  read -r -a args <<< "$(setup_args "$setup")"
  b0=$(busy_ticks)
  t0=$(date +%s%N)
  "$timer" -f "%e %U %S %M" -o "$out/time.txt" \
    "$java" ${args[@]+"${args[@]}"} -cp "$snap/classes" io.hotpath.benchmarks.startup.HelloWorld \
    > "$out/hello.out" 2> "$out/hello-$setup.err" || rc=$?
  t1=$(date +%s%N)
  b1=$(busy_ticks)
  line=$(cat "$out/hello.out")
  if [ "$rc" != 0 ] || [ -z "$line" ]; then
    failed_runs=$((failed_runs + 1))
    cp "$out/hello-$setup.err" "$out/hello-failed-$failed_runs-$setup.err"
    cp "$out/time.txt" "$out/hello-failed-$failed_runs-$setup.time"
    say "warning: start-up run '$setup' exited with status $rc and printed '$line';" \
        "kept as $out/hello-failed-$failed_runs-$setup.*"
    return 1
  fi
  if [[ "$line" != *"queue: $(expected_queue "$setup"))"* ]]; then
    echo "run.sh: start-up run '$setup' printed '$line', expected queue $(expected_queue "$setup"); see $out/hello-$setup.err" >&2
    exit 1
  fi
  [ "$n" = discard ] && return 0
  read -r _ user sys rss < "$out/time.txt"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$setup" "$n" \
    "$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f", ns / 1e6 }')" "$user" "$sys" "$rss" \
    "$(awk -v b=$((b1 - b0)) -v u="$user" -v s="$sys" 'BEGIN { o = b / 100 - u - s; printf "%.2f", o < 0 ? 0 : o }')" \
    >> "$file"
}

# A failed run is repeated, at most twice; its figures are not recorded.
hello() {
  local attempt
  for attempt in 1 2 3; do
    run_hello "$@" && return 0
  done
  echo "run.sh: start-up run '$1' failed 3 times in a row; see $out/hello-failed-*" >&2
  exit 1
}

startup_args=()
if [ "$startup" = 1 ]; then
  tsv="$out/startup.tsv"
  rm -f "$out"/hello-failed-*
  printf '# setup\trun\twall_ms\tuser_s\tsys_s\tmax_rss_kb\tothers_cpu_s\n' > "$tsv"
  say "start-up: hello world, $runs runs per setup (${setups[*]}), alternating, after one discarded run each"
  for s in "${setups[@]}"; do hello "$s" "$tsv" discard; done
  for ((i = 1; i <= runs; i++)); do
    for s in "${setups[@]}"; do hello "$s" "$tsv" "$i"; done
  done
  startup_args=(--startup "$tsv")
  if [ "$failed_runs" -gt 0 ]; then
    notes+=(--note "$failed_runs start-up run(s) exited non-zero or printed nothing and were repeated (not counted); their stderr is in benchmarks/target/bench/hello-failed-*.")
  fi
fi

# ---------------------------------------------------------------- whole programs
program_args=()
if [ "$moobench" = 1 ]; then
  say "MooBench-style harness: none, hotpath, otel; ${moo_args[*]}"
  read -r l1 _ < /proc/loadavg || l1=unknown
  notes+=(--note "The 1-minute load average was $l1 when the MooBench-style harness started.")
  "$java" -cp "$bench_jar" io.hotpath.benchmarks.program.MooBenchRunner --java "$java" --cp "$bench_jar" \
    --agent "$agent" --otel "$otel_jar" --out "$out/moobench.tsv" "${moo_args[@]}" 2>&1 | tee "$out/moobench.log"
  program_args+=(--moobench "$out/moobench.tsv")
fi
if [ "$throughput" = 1 ]; then
  say "reference application throughput: none, hotpath; ${tp_args[*]}"
  read -r l1 _ < /proc/loadavg || l1=unknown
  notes+=(--note "The 1-minute load average was $l1 when the throughput harness started.")
  "$java" -cp "$bench_jar" io.hotpath.benchmarks.program.ThroughputRunner --java "$java" --app "$app_jar" \
    --agent "$agent" --out "$out/throughput.tsv" "${tp_args[@]}" 2>&1 | tee "$out/throughput.log"
  program_args+=(--throughput "$out/throughput.tsv")
fi

# ---------------------------------------------------------------- JMH
jmh_args=(--mode "$mode" --agent "$agent" --suites "$suites" --retries "$retries" --results "$out"
          --report "$report" --command "$invocation")
[ -n "$forks" ] && jmh_args+=(--forks "$forks")
say "JMH ($mode) on $("$java" -version 2>&1 | head -n 1); console log in $out/jmh-console.log"
"$java" -cp "$bench_jar" io.hotpath.benchmarks.BenchmarkMain "${jmh_args[@]}" \
  ${startup_args[@]+"${startup_args[@]}"} ${program_args[@]+"${program_args[@]}"} ${notes[@]+"${notes[@]}"} 2>&1 \
  | tee "$out/jmh-console.log"
say "report written to $report"
