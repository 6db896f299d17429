#!/usr/bin/env bash
# Chunks of one recording transcribed in parallel with the OpenAI engine: Hark in-process against a
# local stand-in of the API with a fixed latency L, N chunks, C consumers, against ceil(N/C)·L.
#   bench/engine-parallelism.sh [runs] [L:N:C ...]      (default: 3 runs of 3:10:1 3:10:2 3:10:5 3:10:10 1:10:5 1:20:5)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl standalone -am install -DskipTests
mvn -B -q -pl standalone dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
mvn -B -q -pl standalone test-compile
CP="standalone/target/test-classes:standalone/target/classes:$(cat standalone/target/bench.classpath)"
exec java -Xmx1g -cp "$CP" hark.standalone.bench.EngineParallelismBench "$@"
