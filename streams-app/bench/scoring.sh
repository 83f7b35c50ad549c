#!/usr/bin/env bash
# Full-catalogue scoring benchmark (JMH, sample time) through the streams app's serving path, every variant
# at MovieLens-1M size; prints a markdown table with p50 / p99, the per-item comparison and the machine load.
#   streams-app/bench/scoring.sh                      # all variants (about 20 minutes)
#   streams-app/bench/scoring.sh neumf,history-aneumf # some
#   streams-app/bench/scoring.sh --quick              # short iterations, a smoke run
# The graphs are exported by the trainer module, so it is installed first. The dependencies are copied into
# streams-app/target/bench-lib, so a concurrent 'mvn install' of another module cannot pull a jar from under
# the benchmark's forked JVMs. Run it when the machine is quiet: the table reports the load average.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q -B -pl trainer install -DskipTests
rm -rf streams-app/target/bench-lib
mvn -q -B -pl streams-app test-compile dependency:copy-dependencies -DincludeScope=test \
  -DoutputDirectory=target/bench-lib
cp="streams-app/target/test-classes:streams-app/target/classes:streams-app/target/bench-lib/*"
exec java -Xmx1g -cp "$cp" io.streamrec.app.bench.ScoringBench "$@"
