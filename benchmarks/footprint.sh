#!/usr/bin/env bash
# Footprint of the agent with its default settings, whole-process, against a run without the agent in the same loop:
#   programs  sleep5   a JVM that sleeps 5 s
#             sleep30  a JVM that sleeps 30 s; also its idle CPU between 10 s and 29 s (process utime+stime)
#             hello    hello world through one ArrayBlockingQueue
#             short    a 0.5 s program passing messages through an ArrayBlockingQueue; also how long the JVM took
#                      to exit after main returned (exit_ms) and whether the receiver got its final export
#             floor    no agent in any setup (runs only in "none"): the OpenTelemetry SDK's OTLP/HTTP metric exporter
#                      with the JDK sender sends one batch shaped like the agent's final export (--floor-probes
#                      probes) to the local receiver and exits (ExportFloor); compared with hello/none, it is what the
#                      chosen export stack alone costs a cold JVM. Needs the SDK jars (--otel-sdk, filled by
#                      ./mvnw -pl benchmarks -am package -DskipTests)
#             floor-lean  the same with a stand-in TLS context, as the agent builds it for http:// endpoints (the
#                      stock JDK client initialises the JVM's default TLS context even for cleartext)
#   setups    none         no agent
#             export-none  the agent with -Dhotpath.export.exporter=none
#             no-receiver  the agent's defaults, the OTLP endpoint a closed local port
#             receiver     the agent's defaults, a local OTLP/HTTP receiver (OtlpSink) at the endpoint
#             empty-agent  a trivial -javaagent whose premain does nothing (BootAppendAgent)
#             boot-append  the same agent appending an empty jar to the bootstrap class path, as hotpath does: the
#                          JVM then shares (CDS) only boot loader classes; against empty-agent, the cost of that alone
# Runs alternate between setups (one discarded warm-up run each first). GNU time gives wall, user, sys and peak RSS.
#
# Usage: benchmarks/footprint.sh [--agent JAR] [--jdk JAVA_HOME] [--runs N] [--programs sleep5,sleep30,hello,short]
#                                [--setups none,export-none,no-receiver,receiver,empty-agent,boot-append] [--out DIR]
#                                [--otel-sdk DIR] [--floor-probes N]
# Writes DIR/footprint.tsv (every run) and prints the medians and their difference from "none".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=5
build=
value_options="--programs --setups --out --otel-sdk --floor-probes"
. "$root/it-tests/scripts/table-run.sh"
parse_options "$@"
programs=${opt_programs:-sleep5,sleep30,hello,short}
setups=${opt_setups:-none,export-none,no-receiver,receiver}
out=${opt_out:-$here/target/footprint}
otel_sdk=${opt_otel_sdk:-$here/target/otel-sdk}
floor_probes=${opt_floor_probes:-20}
[ -f "$agent" ] || usage_error "no agent jar at '$agent' (build it, or name it with --agent)"
positive --floor-probes "$floor_probes"
javac=$jdk/bin/javac
jar=$jdk/bin/jar
timer=/usr/bin/time
"$timer" -f %e true >/dev/null 2>&1 || { echo "footprint.sh: GNU time is needed at $timer (apt-get install time)" >&2; exit 1; }

mkdir -p "$out/classes"
src=$here/src/main/java/io/hotpath/benchmarks/footprint
"$javac" -d "$out/classes" "$src/Sleeper.java" "$src/ShortRun.java" "$src/OtlpSink.java" "$src/BootAppendAgent.java"
sdk_cp=
case ",$programs," in
  *,floor,*|*,floor-lean,*)
    ls "$otel_sdk"/opentelemetry-exporter-sender-jdk-*.jar >/dev/null 2>&1 || {
      echo "footprint.sh: --otel-sdk must name a directory with the OpenTelemetry SDK jars, got '$otel_sdk'" \
        "(fill it with ./mvnw -pl benchmarks -am package -DskipTests)" >&2; exit 2; }
    sdk_cp=$(printf '%s:' "$otel_sdk"/*.jar)
    "$javac" -d "$out/classes" -cp "$sdk_cp" "$src/ExportFloor.java" ;;
esac
# The trivial agent and the empty jar it appends (a jar needs one entry: its manifest).
mkdir -p "$out/trivial"
printf 'Premain-Class: io.hotpath.benchmarks.footprint.BootAppendAgent\n' > "$out/trivial/agent.mf"
(cd "$out/classes" && "$jar" --create --file "$out/trivial/agent.jar" --manifest "$out/trivial/agent.mf" \
  io/hotpath/benchmarks/footprint/BootAppendAgent.class)
printf 'Created-By: footprint.sh\n' > "$out/trivial/empty.mf"
"$jar" --create --file "$out/trivial/empty.jar" --manifest "$out/trivial/empty.mf"

port_of() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
sink_port=$(port_of)
closed_port=$(port_of)
counts=$out/sink-counts.txt
rm -f "$counts"
"$java" -cp "$out/classes" io.hotpath.benchmarks.footprint.OtlpSink "$sink_port" "$counts" > "$out/sink.out" 2>&1 &
sink_pid=$!
trap 'kill "$sink_pid" 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q listening "$out/sink.out" 2>/dev/null && break; sleep 0.1; done

tsv=$out/footprint.tsv
printf '# program\tsetup\trun\twall_s\tuser_s\tsys_s\tmax_rss_kb\tidle_cpu_pct\texit_ms\tfinal_export\n' > "$tsv"

run_one() {
  local program=$1 setup=$2 n=$3 args=() env=() main_args wait_idle=0
  case "$setup" in
    none) ;;
    export-none) args=(-javaagent:"$agent" -Dhotpath.export.exporter=none) ;;
    no-receiver) args=(-javaagent:"$agent"); env=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$closed_port") ;;
    receiver) args=(-javaagent:"$agent"); env=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink_port") ;;
    empty-agent) args=(-javaagent:"$out/trivial/agent.jar") ;;
    boot-append) args=(-javaagent:"$out/trivial/agent.jar=$out/trivial/empty.jar") ;;
    *) echo "footprint.sh: unknown setup '$setup' (allowed: none, export-none, no-receiver, receiver, empty-agent," \
         "boot-append)" >&2; exit 2 ;;
  esac
  local cp=$out/classes
  case "$program" in floor*) [ "$setup" != none ] && return 0 ;; esac
  case "$program" in
    sleep5) main_args=(io.hotpath.benchmarks.footprint.Sleeper 5000) ;;
    sleep30) main_args=(io.hotpath.benchmarks.footprint.Sleeper 30000); wait_idle=1 ;;
    hello) main_args=(io.hotpath.benchmarks.footprint.ShortRun 0) ;;
    short) main_args=(io.hotpath.benchmarks.footprint.ShortRun 500) ;;
    floor) main_args=(io.hotpath.benchmarks.footprint.ExportFloor "http://127.0.0.1:$sink_port" "$floor_probes" stock)
           cp=$cp:$sdk_cp ;;
    floor-lean) main_args=(io.hotpath.benchmarks.footprint.ExportFloor "http://127.0.0.1:$sink_port" "$floor_probes" lean)
           cp=$cp:$sdk_cp ;;
    *) echo "footprint.sh: unknown program '$program' (allowed: sleep5, sleep30, hello, short, floor, floor-lean)" >&2
       exit 2 ;;
  esac
  rm -f "$counts"
  env ${env[@]+"${env[@]}"} "$timer" -f "%e %U %S %M" -o "$out/time.txt" \
    "$java" ${args[@]+"${args[@]}"} -cp "$cp" "${main_args[@]}" > "$out/run.out" 2> "$out/run-$setup.err" &
  local timer_pid=$! idle=-
  if [ "$wait_idle" = 1 ]; then
    local pid="" t10 t29
    for _ in $(seq 100); do pid=$(pgrep -P "$timer_pid" java || true); [ -n "$pid" ] && break; sleep 0.05; done
    sleep 10; t10=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    sleep 19; t29=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    idle=$(awk -v a="$t10" -v b="$t29" 'BEGIN { printf "%.3f", (b - a) / 100 / 19 * 100 }')
  fi
  wait "$timer_pid" || { echo "footprint.sh: $program/$setup exited non-zero; see $out/run-$setup.err" >&2; exit 1; }
  local end_ms exit_ms=- final=-
  end_ms=$(date +%s%3N)
  if grep -q '^main returns' "$out/run.out"; then
    exit_ms=$(( end_ms - $(awk '/^main returns/ { print $3 }' "$out/run.out") ))
  fi
  if [ "$setup" = receiver ] || [ "${program#floor}" != "$program" ]; then
    final=$([ -f "$counts" ] && grep -q /v1/metrics "$counts" && echo yes || echo no)
  fi
  read -r wall user sys rss < "$out/time.txt"
  [ "$n" = discard ] && return 0
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$program" "$setup" "$n" "$wall" "$user" "$sys" "$rss" "$idle" \
    "$exit_ms" "$final" >> "$tsv"
}

IFS=, read -r -a program_list <<< "$programs"
IFS=, read -r -a setup_list <<< "$setups"
read -r load _ < /proc/loadavg
echo "footprint: $("$java" -version 2>&1 | head -1); load average $load at start; $runs runs per setup" >&2
for p in "${program_list[@]}"; do
  for s in "${setup_list[@]}"; do run_one "$p" "$s" discard; done
  for ((i = 1; i <= runs; i++)); do
    for s in "${setup_list[@]}"; do run_one "$p" "$s" "$i"; done
  done
done
read -r load _ < /proc/loadavg
echo "footprint: load average $load at the end" >&2

# Medians per program and setup, and their difference from the run without the agent (floor: from hello without it).
awk -F'\t' '
  /^#/ { next }
  { k = $1 SUBSEP $2; n[k]++; w[k, n[k]] = $4; c[k, n[k]] = $5 + $6; r[k, n[k]] = $7 / 1024;
    i[k, n[k]] = $8; e[k, n[k]] = $9; f[k] = f[k] $10; if (!(k in seen)) { seen[k] = 1; order[++m] = k } }
  function med(a, k, cnt,   j, v, t, x, y) {
    cnt = 0; for (j = 1; j <= n[k]; j++) if (a[k, j] != "-") v[++cnt] = a[k, j] + 0
    if (cnt == 0) return "-"
    for (x = 1; x <= cnt; x++) for (y = x + 1; y <= cnt; y++) if (v[y] < v[x]) { t = v[x]; v[x] = v[y]; v[y] = t }
    return cnt % 2 ? v[(cnt + 1) / 2] : (v[cnt / 2] + v[cnt / 2 + 1]) / 2
  }
  END {
    printf "%-8s %-12s %8s %8s %9s %9s %8s %9s %8s %8s\n", "program", "setup", "wall s", "+wall", "cpu s", "+cpu",
      "rss MiB", "+rss", "idle %", "exit ms"
    for (o = 1; o <= m; o++) {
      k = order[o]; split(k, pk, SUBSEP); base = (pk[1] ~ /^floor/ ? "hello" : pk[1]) SUBSEP "none"
      mw = med(w, k); mc = med(c, k); mr = med(r, k)
      bw = (base in n) ? med(w, base) : mw; bc = (base in n) ? med(c, base) : mc; br = (base in n) ? med(r, base) : mr
      printf "%-8s %-12s %8.2f %+8.2f %9.2f %+9.2f %8.1f %+9.1f %8s %8s%s\n", pk[1], pk[2], mw, mw - bw, mc, mc - bc,
        mr, mr - br, med(i, k), med(e, k), (pk[2] == "receiver" || pk[1] ~ /^floor/ ? "  final export: " f[k] : "")
    }
  }' "$tsv"
