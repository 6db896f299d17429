#!/usr/bin/env bash
# The load test of issue 8 as a benchmark: 50 WAV recordings of 1 to 28 MB uploaded at once to Hark
# in-process (embedded broker and database, all four services, -Xmx1g as in CI), OpenAI engine against
# the local stand-in of the API. Prints upload latency p50/p99, time to drain, peak heap, peak RSS.
# One code path: it runs LoadTest, which checks everything and prints one figures line, and collects
# those lines; with several runs it adds their medians.
#   bench/load.sh [runs]      (default 1; each run is a fresh Hark, about 2 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
output=standalone/target/surefire-reports/hark.standalone.LoadTest-output.txt
lines=()
for i in $(seq "$runs"); do
  echo "== run $i of $runs, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  # The reactor builds the modules it needs without installing them (~/.m2 stays untouched);
  # only LoadTest runs.
  if ! mvn -B -q -pl standalone -am test -Dtest=LoadTest -Dsurefire.failIfNoSpecifiedTests=false >/dev/null; then
    echo "run $i failed; see standalone/target/surefire-reports/hark.standalone.LoadTest.txt and $output" >&2
    exit 1
  fi
  line=$(grep '^LOAD FIGURES' "$output")
  echo "$line"
  lines+=("$line")
done

if [ "$runs" -gt 1 ]; then
  # Median of each numeric field over the runs (the lower middle one for an even count).
  printf '%s\n' "${lines[@]}" | awk '
    { for (i = 3; i <= NF; i++) { split($i, kv, "="); key[i] = kv[1]; v[i, NR] = kv[2] } n = NF }
    END {
      printf "MEDIANS of %d runs:", NR
      for (i = 3; i <= n; i++) {
        for (r = 1; r <= NR; r++) s[r] = v[i, r] + 0
        for (a = 1; a <= NR; a++) for (b = a + 1; b <= NR; b++) if (s[b] < s[a]) { t = s[a]; s[a] = s[b]; s[b] = t }
        printf " %s=%s", key[i], s[int((NR + 1) / 2)]
      }
      print ""
    }'
fi
