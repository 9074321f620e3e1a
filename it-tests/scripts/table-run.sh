# Sourced by the scripts that run a table program against the built agent and reference application
# (it-tests/scripts/*.sh, benchmarks/incidents.sh, benchmarks/whatif.sh): the options they share, the JDK they run
# on, the build before the runs, and the program itself between two load-average lines (figures from a busy machine
# are not a quiet machine's).
#
# Before sourcing, a script sets root (the repository) and, when it has them: runs (its default run count; without
# it --runs is refused), value_options (its own options taking a value) and flag_options (its own options without
# one), both passed on to its program. parse_options "$@" then sets jdk, runs, build and extra (the script's own
# options, in the order given).

jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
build=1
extra=()
agent="$root/agent/target/hotpath-agent.jar"
app="$root/it-tests/target/hotpath-reference-app.jar"

parse_options() {
  local allowed="--jdk DIR, ${runs:+--runs N, }--no-build"
  local o
  for o in ${value_options:-}; do allowed="$allowed, $o VALUE"; done
  for o in ${flag_options:-}; do allowed="$allowed, $o"; done
  while [ $# -gt 0 ]; do
    case "$1" in
      --jdk) [ $# -ge 2 ] || usage_error "--jdk needs a directory" "$allowed"; jdk="$2"; shift 2 ;;
      --no-build) build=0; shift ;;
      --runs)
        [ -n "${runs:-}" ] && [ $# -ge 2 ] || usage_error "unknown option '$1'" "$allowed"
        runs="$2"; shift 2
        case "$runs" in ''|*[!0-9]*|0) usage_error "bad --runs '$runs': a whole number of runs >= 1" "$allowed" ;; esac ;;
      *)
        if [[ " ${value_options:-} " == *" $1 "* ]] && [ $# -ge 2 ]; then
          extra+=("$1" "$2"); shift 2
        elif [[ " ${flag_options:-} " == *" $1 "* ]]; then
          extra+=("$1"); shift
        else
          usage_error "unknown option '$1' (or no value)" "$allowed"
        fi ;;
    esac
  done
  [ -x "$jdk/bin/java" ] || usage_error "no java at '$jdk/bin/java'" "$allowed"
}

usage_error() {
  echo "$(basename "$0"): $1; allowed: $2" >&2
  exit 2
}

# The agent jar, the reference application and the it-tests' classes the table programs run with; skipped with
# --no-build.
build_jars() {
  if [ "$build" = 1 ]; then
    (cd "$root" && ./mvnw -q -B package -DskipTests -DskipITs -Dspotless.check.skip=true -pl it-tests -am)
  fi
}

# Runs the single-file program $1 with the remaining arguments in the work directory $work, on a class path of the
# it-tests' test classes (its shared code, io.hotpath.it.ScriptRuns) and the reference application jar (whose
# manifest brings its libraries); the jars and work directory reach Launch as the it-tests' own properties.
run_table() {
  mkdir -p "$work"
  echo "machine load at start (1/5/15 min): $(cat /proc/loadavg)"
  "$jdk/bin/java" -cp "$root/it-tests/target/test-classes:$app" \
    -Dhotpath.it.agentJar="$agent" -Dhotpath.it.appJar="$app" \
    -Dhotpath.it.testClasses="$root/it-tests/target/test-classes" -Dhotpath.it.workDir="$work" "$@"
  echo "machine load at end (1/5/15 min): $(cat /proc/loadavg)"
}
