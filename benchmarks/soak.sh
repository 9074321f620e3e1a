#!/usr/bin/env bash
# The soak (issue #17): the reference status broadcaster under alternating burst and steady load (--scenario soak) with
# the agent's defaults, exporting over OTLP to a receiver in a process of its own that is killed (SIGKILL) and
# restarted every few minutes, one fault (a slow subscriber) injected near the end. At the end it checks and prints:
# every cumulative count exact (agent dump = application ground truth = last point the last receiver got), heap after
# GC and RSS slopes per 10 minutes between warm-up and fault (limit 1 MiB / 10 min), live threads flat, findings only
# from the injected fault, no exception and no unexpected agent warning. The checks are io.hotpath.it.Soak's (the
# it-test SoakIT runs the same code for 3 minutes). Every run also samples Native Memory Tracking (summary), so the
# report gives the committed slope in total and by category, and the RSS that NMT does not account for, and samples the
# code cache (Compiler.codecache) by segment: non-profiled nmethods (C2, and C1 without profiling), profiled nmethods
# (C1 with profiling), non-nmethods (stubs, adapters).
#
# The baseline is the same set-up without the agent (the application's own slopes; its memory is reported, not
# checked): --runs agent,baseline runs one after the other, --runs agent,baseline,agent,baseline alternates twice,
# and the summary at the end sets each agent run's slopes against the baseline runs' mean.
#
# Usage: benchmarks/soak.sh [--jdk JAVA_HOME] [--agent JAR] [--duration 30m] [--out DIR] [--runs agent[,baseline...]] [--trim]
#                           [--compile-log] [--no-build] [-- extra flags of the application's JVM]
#   Builds agent and it-tests first unless --no-build. Runs on private copies of the jars and test classes, so other
#   builds may rewrite target/ meanwhile. --trim returns the C heap's free memory to the OS (jcmd
#   System.trim_native_heap) before each RSS sample: RSS that still grows is then live native memory. --compile-log
#   writes each run's -XX:+LogCompilation to its compile.log and ends with scripts/CompileAttribution.java over them:
#   the compile tasks by package group, tier and start time (buckets 60,300,600 s; to re-read them with others:
#   java benchmarks/scripts/CompileAttribution.java --buckets 150,600 1-agent=DIR/1-agent/compile.log ...).
# Results: DIR/summary.txt (the slopes of every run), and per run DIR/N-agent or DIR/N-baseline with report.txt (the
# figures), samples.tsv (heap after GC, metaspace, RSS, threads, NMT committed by category over time),
# app-std{out,err}.txt, receiver-N.{tsv,log}, dump.json (default DIR benchmarks/target/soak).
# Exit code: 0 when every check of every run passed, 1 on any breach, 2 on a bad argument.
set -euo pipefail

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
# --runs here names the runs (agent, baseline), not a count: one of this script's own options.
value_options="--duration --out --runs"
flag_options="--trim --compile-log"
rest="extra flags of the application's JVM"
. "$root/it-tests/scripts/table-run.sh"
parse_options "$@"
duration=${opt_duration:-30m}
runs=${opt_runs:-agent}
trim=${opt_trim:+--trim}
case "$duration" in
  *[0-9]m|*[0-9]h|*[0-9]s) ;;
  *) usage_error "bad --duration '$duration': a whole number with s, m or h, e.g. 30m" ;;
esac
IFS=, read -r -a kinds <<< "$runs"
for k in "${kinds[@]}"; do
  case "$k" in
    agent|baseline) ;;
    *) usage_error "bad --runs '$runs': a comma-separated list of agent and baseline, e.g. agent,baseline" ;;
  esac
done

cd "$root"
out=${opt_out:-$root/benchmarks/target/soak}

# With the build, the it-tests' test class path (OTLP protobuf for the receiver, Jackson for the dump): resolved in the
# same reactor run, since the agent's modules are not installed and a run of dependency:build-classpath alone cannot
# find them. --no-build reuses the class path the last build wrote.
if [ "$build" = 1 ]; then
  ./mvnw -B -q -pl it-tests -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/soak-classpath.txt
fi
for f in "$agent" "$app" it-tests/target/test-classes \
         it-tests/target/soak-classpath.txt; do
  [ -e "$f" ] || { echo "soak.sh: missing $f; build first (drop --no-build)" >&2; exit 1; }
done

# Private copies: another build may rewrite target/ during a long run.
rm -rf "$out/jars"
mkdir -p "$out/jars/app"
cp "$agent" "$out/jars/hotpath-agent.jar"
cp "$app" "$out/jars/app/"
cp -R it-tests/target/lib "$out/jars/app/lib"
cp -R it-tests/target/test-classes "$out/jars/test-classes"

status=0
n=0
for k in "${kinds[@]}"; do
  n=$((n + 1))
  read -r l1 _ < /proc/loadavg || l1=unknown
  echo "soak.sh: run $n ($k) $duration on $("$java" -version 2>&1 | head -n 1); $(nproc) cores, 1-minute load average $l1; results in $out/$n-$k"
  flags=()
  [ "$k" = baseline ] && flags+=(--no-agent)
  [ -n "$trim" ] && flags+=(--trim)
  if [ -n "${opt_compile_log:-}" ]; then
    mkdir -p "$out/$n-$k"
    for f in -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation "-XX:LogFile=$out/$n-$k/compile.log"; do
      flags+=(--jvm-flag "$f")
    done
  fi
  for f in ${rest_args[@]+"${rest_args[@]}"}; do flags+=(--jvm-flag "$f"); done
  "$java" -cp "$out/jars/test-classes:$(cat it-tests/target/soak-classpath.txt)" io.hotpath.it.Soak \
    --java "$jdk" --agent "$out/jars/hotpath-agent.jar" --app "$out/jars/app/hotpath-reference-app.jar" \
    --out "$out/$n-$k" --duration "$duration" ${flags[@]+"${flags[@]}"} || status=1
done

# One line per run with its slopes (MiB per 10 minutes), then each agent run against the baselines' mean.
awk -v out="$out" '
  function num(s) { sub(/^[^-+0-9]*/, "", s); return s + 0 }
  FNR == 1 { run = FILENAME; sub(/\/report\.txt$/, "", run); sub(/.*\//, "", run); order[++runs] = run }
  /^memory over/ {
    match($0, /heap after GC [^;]*slope [-+0-9.]+/); h = substr($0, RSTART, RLENGTH); sub(/.*slope /, "", h)
    match($0, /RSS [0-9]+ -> [0-9]+ KiB, slope [-+0-9.]+/); r = substr($0, RSTART, RLENGTH); sub(/.*slope /, "", r)
    heap[run] = h + 0; rss[run] = r + 0
  }
  /^native memory tracking, committed/ {
    match($0, /total [^;]*slope [-+0-9.]+/); t = substr($0, RSTART, RLENGTH); sub(/.*slope /, "", t)
    match($0, /outside it [^;]*slope [-+0-9.]+/); o = substr($0, RSTART, RLENGTH); sub(/.*slope /, "", o)
    nmt[run] = t + 0; outside[run] = o + 0
    c = $0; sub(/.*by category \(MiB\/10 min\) /, "", c); cats[run] = c
  }
  /^threads:/ { split($0, f, /[ ,]+/); threads[run] = f[2] " -> " f[9] }
  /^SOAK (PASSED|FAILED)/ { verdict[run] = $0 }
  END {
    printf "%-12s %10s %10s %10s %12s %10s  %s\n", "run", "RSS", "heap/GC", "NMT", "outside NMT", "threads", "(MiB/10 min)"
    for (i = 1; i <= runs; i++) {
      r = order[i]
      printf "%-12s %+10.3f %+10.3f %+10.3f %+12.3f %10s  %s\n", r, rss[r], heap[r], nmt[r], outside[r], threads[r], verdict[r]
      if (r ~ /baseline/) { nb++; brss += rss[r]; bheap += heap[r]; bnmt += nmt[r]; bout += outside[r] }
    }
    for (i = 1; i <= runs; i++) { r = order[i]; print r " NMT by category: " cats[r] }
    if (nb > 0) {
      for (i = 1; i <= runs; i++) {
        r = order[i]
        if (r ~ /agent/) {
          printf "%s minus the baselines'"'"' mean: RSS %+.3f, heap after GC %+.3f, NMT %+.3f, outside NMT %+.3f MiB/10 min\n", \
            r, rss[r] - brss / nb, heap[r] - bheap / nb, nmt[r] - bnmt / nb, outside[r] - bout / nb
        }
      }
    }
  }' $(for i in $(seq 1 "$n"); do ls "$out/$i-"*/report.txt 2>/dev/null; done) | tee "$out/summary.txt"
for i in $(seq 1 "$n"); do
  r="$out/$i-${kinds[$((i - 1))]}"
  grep -h '^code heap' "$r/report.txt" 2>/dev/null | sed "s|^|$(basename "$r") |"
done | tee -a "$out/summary.txt"
if [ -n "${opt_compile_log:-}" ]; then
  logs=()
  for i in $(seq 1 "$n"); do
    r="$out/$i-${kinds[$((i - 1))]}"
    [ -s "$r/compile.log" ] && logs+=("$(basename "$r")=$r/compile.log")
  done
  [ ${#logs[@]} -eq 0 ] || "$java" "$root/benchmarks/scripts/CompileAttribution.java" --buckets 60,300,600 "${logs[@]}" \
    | tee -a "$out/summary.txt"
fi
exit "$status"
