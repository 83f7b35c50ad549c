#!/usr/bin/env bash
# Builds the trainer and runs its command line, e.g.
#   trainer/bench.sh bench --data ../shared/data/ml-1m-ncf --out trainer/bench-ml-1m.md
#   trainer/bench.sh --help
# The build takes the modules the trainer depends on along (-am), so a fresh clone needs nothing installed;
# each module writes its own runtime class path to its target/classpath.txt, and the trainer's is used.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl trainer -am -Dmaven.test.skip=true -DincludeScope=runtime \
  package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java ${TRAINER_JAVA_OPTS:--Xmx6g -XX:+UseParallelGC} \
  -cp "trainer/target/classes:$(cat trainer/target/classpath.txt)" io.streamrec.trainer.cli.TrainerCli "$@"
