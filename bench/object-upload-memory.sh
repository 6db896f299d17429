#!/usr/bin/env bash
# Heap peak of a streamed upload into the object store, on the folder and on S3Proxy (a real S3 API
# server in the same JVM), under a heap far smaller than the body: memory must stay flat, one
# multipart part (8 MB) at a time.
#   bench/object-upload-memory.sh [MB] [XMX]     (default: 300 MB body, -Xmx64m)
# Builds with Maven in the reactor (nothing is installed); the table goes to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-300}
XMX=${2:-64m}
mvn -B -q -o -pl test-support -am test -Dspotless.check.skip=true \
  -Dtest=ObjectUploadMemoryBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dhark.bench.uploadMb="$MB" -Dhark.test.jvmFlags="-Xmx$XMX" >&2
grep -h '^|' test-support/target/surefire-reports/hark.platform.storage.objects.ObjectUploadMemoryBench-output.txt
