#!/usr/bin/env bash
# Time to transcribe one recording cut into 1, 2, 4 and 8 chunks, decoded by N consumers at once.
#   bench/parallel-chunks.sh [consumers] [five-second-slots]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl standalone -am install -DskipTests
mvn -B -q -pl standalone dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
mvn -B -q -pl standalone test-compile
CP="standalone/target/test-classes:standalone/target/classes:$(cat standalone/target/bench.classpath)"
exec java -Xmx1g -cp "$CP" hark.standalone.bench.ParallelChunksBench "${1:-2}" "${2:-24}"
