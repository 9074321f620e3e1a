# Sourced by the scripts that run the built agent and reference application (it-tests/scripts/*.sh, benchmarks/*.sh):
# the options they share, the JDK they run on, the build before the runs, and a table program between two
# load-average lines (figures from a busy machine are not a quiet machine's).
#
# Before sourcing, a script sets root (the repository) and, when it has them: runs (its default run count; without
# it --runs is refused), build= (empty: it builds nothing, and --no-build is refused), value_options (its own options
# taking a value), flag_options (its own options without one) and rest (what follows "--", e.g. "JVM flags"; without
# it "--" is refused). parse_options "$@" then sets jdk, java, agent, runs and build, each own option as a variable
# opt_NAME (--floor-probes 20 sets opt_floor_probes=20, a flag sets 1), extra (the own options in the order given, to
# pass on to a program) and rest_args. Every script answers --help with its leading comment, and refuses a bad option
# with the list of those it allows.

jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
build=${build-1}
extra=()
rest_args=()
agent="$root/agent/target/hotpath-agent.jar"
app="$root/it-tests/target/hotpath-reference-app.jar"

parse_options() {
  allowed_options="--jdk DIR, --agent JAR, ${runs:+--runs N, }${build:+--no-build, }--help"
  local o var
  for o in ${value_options:-}; do allowed_options="$allowed_options, $o VALUE"; done
  for o in ${flag_options:-}; do allowed_options="$allowed_options, $o"; done
  [ -z "${rest:-}" ] || allowed_options="$allowed_options, -- $rest"
  while [ $# -gt 0 ]; do
    var="opt_${1#--}"
    var="${var//-/_}"
    if [[ " ${value_options:-} " == *" $1 "* ]] && [ $# -ge 2 ]; then
      printf -v "$var" '%s' "$2"
      extra+=("$1" "$2"); shift 2
    elif [[ " ${flag_options:-} " == *" $1 "* ]]; then
      printf -v "$var" '%s' 1
      extra+=("$1"); shift
    else
      case "$1" in
        --jdk) [ $# -ge 2 ] || usage_error "--jdk needs a directory"; jdk="$2"; shift 2 ;;
        --agent) [ $# -ge 2 ] || usage_error "--agent needs a jar"; agent="$2"; shift 2 ;;
        --runs)
          [ -n "${runs:-}" ] && [ $# -ge 2 ] || usage_error "unknown option '$1' (or no value)"
          runs="$2"; shift 2
          positive --runs "$runs" ;;
        --no-build) [ -n "$build" ] || usage_error "unknown option '$1'"; build=0; shift ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        --) [ -n "${rest:-}" ] || usage_error "unknown option '$1'"; shift; rest_args=("$@"); break ;;
        *) usage_error "unknown option '$1' (or no value)" ;;
      esac
    fi
  done
  [ -x "$jdk/bin/java" ] || usage_error "no java at '$jdk/bin/java'"
  java="$jdk/bin/java"
}

# For the scripts that run the reference application at a fixed rate, once per setup (value_options holding --rate,
# --duration and --setups): sets rate, duration, its whole seconds and setups, refusing bad values and missing jars.
fixed_rate_options() {
  rate=${opt_rate:-40000}
  duration=${opt_duration:-20s}
  setups=${opt_setups:-none,hotpath}
  positive --rate "$rate"
  seconds=${duration%s}
  [ "$seconds" != "$duration" ] || usage_error "bad --duration '$duration': whole seconds like 20s"
  positive --duration "$seconds"
  local f
  for f in "$agent" "$app"; do
    [ -f "$f" ] || { echo "$(basename "$0"): missing $f; build first (see --help)" >&2; exit 1; }
  done
}

# Refuses the value $2 of option $1 unless it is a whole number of at least 1.
positive() {
  case "$2" in ''|*[!0-9]*|0) usage_error "bad $1 '$2': a whole number >= 1" ;; esac
}

usage_error() {
  echo "$(basename "$0"): $1; allowed: $allowed_options" >&2
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
