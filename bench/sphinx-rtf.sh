#!/usr/bin/env bash
# Speed and accuracy of the offline engines side by side: in-JVM Sphinx4 and the pocketsphinx
# command (when installed), on the shipped real recordings and, when Debian's
# pocketsphinx-testdata is installed, five LibriVox sentences joined.
#   bench/sphinx-rtf.sh [warm-runs]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl transcribe-service -am install -DskipTests
mvn -B -q -pl transcribe-service dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CP="transcribe-service/target/test-classes:transcribe-service/target/classes:$(cat transcribe-service/target/bench.classpath)"
mvn -B -q -pl transcribe-service test-compile
exec java -Xmx1g -cp "$CP" hark.transcribe.bench.OfflineEngines "${1:-5}"
