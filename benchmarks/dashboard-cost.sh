#!/usr/bin/env bash
# What the live dashboard costs the agent per refresh, with many probes: a program with --probes measured methods
# (io.hotpath.benchmarks.dashboard.ManyProbes, each method called 10 times a second) runs with the built agent and its
# HTTP endpoint on a free loopback port; the script then refreshes the way the page does (one GET of --route, by
# default api/page?top=16, the document the page reads with its default of 8 charts, with Accept-Encoding: gzip as a browser
# does) every --interval-ms, --refreshes times, after 20 refreshes of warm-up. --route api/dump --identity measures
# what the page cost when it read the whole dump uncompressed.
#
# Usage: benchmarks/dashboard-cost.sh [--jdk JAVA_HOME] [--agent JAR] [--probes 1000] [--refreshes 120]
#                                     [--interval-ms 1000] [--route api/page?top=16] [--identity]
#   Builds nothing but the small program: build the agent first (./mvnw -B -q -pl agent -am package -DskipTests).
# Prints, from the same run: the CPU of the agent's HTTP thread (hotpath-http) and of all the agent's threads
# (hotpath-*) over an idle window with no request (the baseline) and over the refresh window of the same length, read
# from /proc/PID/task/TID/schedstat (ns on CPU, whatever the load on the machine); per refresh: requests, bytes
# received (headers and bodies) and sent, and the median and largest time to the dump's last byte.
set -euo pipefail

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
build=
value_options="--probes --refreshes --interval-ms --route"
flag_options="--identity"
. "$root/it-tests/scripts/table-run.sh"
parse_options "$@"
probes=${opt_probes:-1000}
refreshes=${opt_refreshes:-120}
interval_ms=${opt_interval_ms:-1000}
route=${opt_route:-api/page?top=16}
compressed='Accept-Encoding: gzip'
[ -z "${opt_identity:-}" ] || compressed='Accept-Encoding: identity'
positive --probes "$probes"
positive --refreshes "$refreshes"
positive --interval-ms "$interval_ms"
command -v curl >/dev/null || { echo "dashboard-cost.sh: curl is needed (apt-get install curl)" >&2; exit 1; }

javac=$jdk/bin/javac
[ -f "$agent" ] || { echo "dashboard-cost.sh: no agent jar at '$agent'; build it first (see --help)" >&2; exit 1; }
out=$root/benchmarks/target/dashboard-cost
mkdir -p "$out/classes"
"$javac" -d "$out/classes" "$root"/benchmarks/src/main/java/io/hotpath/benchmarks/dashboard/ManyProbes.java

window_s=$(( (refreshes * interval_ms + 999) / 1000 ))
# The program runs until this script ends (the trap below stops it); the hour is only a bound.
run_s=3600
env -u HOTPATH_HTTP_PORT "$java" -javaagent:"$agent" -Xshare:auto \
  -Dhotpath.http.port=0 -Dhotpath.export.exporter=none -Dhotpath.probes='gen.ManyProbes#m*' \
  -cp "$out/classes" io.hotpath.benchmarks.dashboard.ManyProbes "$probes" 10 "$run_s" \
  > "$out/app.out" 2> "$out/app.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT

url=
for _ in $(seq 1 300); do
  url=$(grep -o 'HTTP endpoint on http://[^ ]*/' "$out/app.err" | head -n 1 | sed 's/HTTP endpoint on //') || true
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "dashboard-cost.sh: the program exited:" >&2; cat "$out/app.err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "dashboard-cost.sh: no 'HTTP endpoint on' line in 30 s" >&2; cat "$out/app.err" >&2; exit 1; }
# Until every generated method is a probe with a count.
registered=0
for _ in $(seq 1 600); do
  registered=$(curl -s "${url}api/dump" | grep -c '"name":"gen.ManyProbes#m' || true)
  [ "$registered" -ge "$probes" ] && break
  sleep 0.2
done
[ "$registered" -ge "$probes" ] || { echo "dashboard-cost.sh: only $registered of $probes probes registered" >&2; exit 1; }

# CPU ns of the threads whose name matches $2 (an ERE on /proc's 15-character comm).
cpu() {
  local total=0 task name ns
  for task in /proc/"$pid"/task/*; do
    name=$(cat "$task/comm" 2>/dev/null) || continue
    [[ $name =~ $1 ]] || continue
    read -r ns _ < "$task/schedstat" 2>/dev/null || continue
    total=$((total + ns))
  done
  echo "$total"
}
refresh() {
  curl -s -H "$compressed" -o /dev/null -w '%{http_code} %{size_download} %{size_header} %{size_request} %{time_total}\n' \
    "${url}${route}" || {
    echo "dashboard-cost.sh: a refresh failed (curl exit $?); the program's log:" >&2; tail -n 20 "$out/app.err" >&2
    exit 1
  }
}
sleep_interval() { sleep "$(awk -v ms="$interval_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"; }

for _ in $(seq 1 20); do refresh > /dev/null; sleep_interval; done

idle_http0=$(cpu '^hotpath-http$'); idle_all0=$(cpu '^hotpath'); sleep "$window_s"
idle_http1=$(cpu '^hotpath-http$'); idle_all1=$(cpu '^hotpath')

: > "$out/refreshes.txt"
http0=$(cpu '^hotpath-http$'); all0=$(cpu '^hotpath'); start=$(date +%s%N)
for _ in $(seq 1 "$refreshes"); do refresh >> "$out/refreshes.txt"; sleep_interval; done
http1=$(cpu '^hotpath-http$'); all1=$(cpu '^hotpath'); took_ms=$(( ($(date +%s%N) - start) / 1000000 ))

echo "dashboard-cost: $probes probes (+ the JVM's own), $refreshes refreshes every $interval_ms ms; java $("$java" -version 2>&1 | head -n 1)"
echo "dashboard-cost: GET /$route with $compressed; the dump is $(curl -s "${url}api/dump" | wc -c) bytes now; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v n="$refreshes" -v ih=$((idle_http1 - idle_http0)) -v ia=$((idle_all1 - idle_all0)) \
    -v rh=$((http1 - http0)) -v ra=$((all1 - all0)) -v w="$window_s" -v took="$took_ms" '
  { req++; status[$1]++; down += $2 + $3; up += $4 }
  END {
    printf "idle window (%d s, no request):   hotpath-http %.2f ms CPU, all agent threads %.1f ms CPU\n", w, ih / 1e6, ia / 1e6
    printf "refresh window (%.1f s, %d refreshes): hotpath-http %.2f ms CPU, all agent threads %.1f ms CPU\n", took / 1000, n, rh / 1e6, ra / 1e6
    printf "per refresh: hotpath-http %.3f ms CPU; all agent threads %+.3f ms over the idle baseline\n", rh / n / 1e6, (ra - ia * took / 1000 / w) / n / 1e6
    printf "per refresh: %.1f requests, %.0f bytes received (headers + bodies), %.0f bytes sent\n", req / n, down / n, up / n
    for (s in status) printf "  HTTP %s: %d responses\n", s, status[s]
  }' "$out/refreshes.txt"
awk '{ print $5 * 1000 }' "$out/refreshes.txt" | sort -n \
  | awk '{ t[NR] = $1 } END { printf "time to last byte: median %.1f ms, max %.1f ms\n", t[int((NR + 1) / 2)], t[NR] }'
