#!/usr/bin/env bash
# Full-catalogue scoring benchmark (JMH, sample time) through the streams app's serving path, every variant
# at MovieLens-1M size; prints a markdown table with p50 / p99, the per-item comparison and the machine load.
#   streams-app/bench/scoring.sh                      # all variants (about 25 minutes)
#   streams-app/bench/scoring.sh neumf,history-aneumf # some
#   streams-app/bench/scoring.sh --quick              # short iterations, a smoke run
#   streams-app/bench/scoring.sh --profile neumf      # ONNX Runtime's per-node profile of one variant
# The graphs are exported by the trainer module, so it is installed first, with the modules it needs (schemas'
# test-jar too, which the app's tests use). Classes and dependencies are
# copied to a private temporary directory, so concurrent builds in the shared tree (a clean, an install of
# another module) cannot pull a class or jar from under the benchmark's forked JVMs. Run it when the
# machine is quiet: the table reports the load average before and after.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -pl trainer -am install -DskipTests
run="$(mktemp -d "${TMPDIR:-/tmp}/streamrec-scoring.XXXXXX")"
trap 'rm -rf "$run"' EXIT
mvn -q -B -pl streams-app test-compile dependency:copy-dependencies -DincludeScope=test \
  -DoutputDirectory="$run/lib"
cp -r streams-app/target/classes "$run/classes"
cp -r streams-app/target/test-classes "$run/test-classes"
main=io.streamrec.app.bench.ScoringBench
if [ "${1:-}" = "--profile" ]; then
  main=io.streamrec.app.bench.ScoringProfile
  shift
fi
java -Xmx1g -cp "$run/test-classes:$run/classes:$run/lib/*" "$main" "$@"
