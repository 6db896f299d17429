#!/usr/bin/env bash
# Speed and accuracy of the offline Sphinx engine on the shipped real recordings.
#   bench/sphinx-rtf.sh [warm-runs]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl transcribe-service -am install -DskipTests
mvn -B -q -pl transcribe-service dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CP="transcribe-service/target/test-classes:transcribe-service/target/classes:$(cat transcribe-service/target/bench.classpath)"
mvn -B -q -pl transcribe-service test-compile
exec java -Xmx1g -cp "$CP" hark.transcribe.bench.SphinxRealTimeFactor "${1:-5}"
