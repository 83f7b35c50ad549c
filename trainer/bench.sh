#!/usr/bin/env bash
# Builds the trainer and runs its command line, e.g.
#   trainer/bench.sh bench --data ../shared/data/ml-1m-ncf --out trainer/bench-ml-1m.md
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl trainer -Dmaven.test.skip=true package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java ${TRAINER_JAVA_OPTS:--Xmx6g -XX:+UseParallelGC} \
  -cp "trainer/target/classes:$(cat trainer/target/classpath.txt)" io.streamrec.trainer.cli.TrainerCli "$@"
