#!/usr/bin/env bash
# Upload latency and end-to-end time against a running Hark (./hark up in another terminal).
#   bench/upload-latency.sh [base-url] [runs]
# Uploads, side by side in one run, the shipped speech clip and a 200 MB file. Reports the median
# time to the 201 answer for each, the median time from upload to "completed" for the speech
# clip, and the resident memory of the Hark process before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:-http://localhost:8080}
RUNS=${2:-5}
WORK=bench/.work
mkdir -p "$WORK"

SPEECH=$(ls test-support/src/main/resources/speech/*.wav | head -n 1)
BIG=$WORK/big-200mb.wav
# 200 MB that starts like the speech clip's WAV (uploads are judged by their first bytes) and
# holds only as much audio as the clip's header says, so the benchmark measures the upload path
# without hours of transcription.
[ "$(head -c 4 "$BIG" 2>/dev/null)" = RIFF ] || { head -c 44 "$SPEECH"; head -c 200M /dev/zero; } > "$BIG"
# Accounts are on: a fresh user for this run.
TOKEN=$(curl -s -H 'Content-Type: application/json' \
  -d "{\"username\":\"bench-$RANDOM$RANDOM\",\"password\":\"benchmark secret\"}" "$BASE/api/auth/register" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
AUTH="Authorization: Bearer $TOKEN"
PID=$(pgrep -f 'standalone/target/hark.jar' | head -n 1 || true)
rss() { [ -n "$PID" ] && ps -o rss= -p "$PID" | awk '{printf "%d MB", $1/1024}' || echo "n/a"; }

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

upload() { # file -> prints "seconds node-id"
  curl -s -H "$AUTH" -o "$WORK/resp.json" -w '%{time_total}' -F "audio_file=@$1" "$BASE/api/nodes" > "$WORK/time.txt"
  echo "$(cat "$WORK/time.txt") $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$WORK/resp.json")"
}

RSS_BEFORE=$(rss)
: > "$WORK/speech.txt"; : > "$WORK/big.txt"; : > "$WORK/e2e.txt"
for i in $(seq "$RUNS"); do
  read -r t id < <(upload "$SPEECH"); echo "$t" >> "$WORK/speech.txt"
  start=$(date +%s.%N)
  while :; do
    status=$(curl -s -H "$AUTH" "$BASE/api/nodes/$id/transcription-status" | python3 -c 'import json,sys
try: print(json.load(sys.stdin)["status"])
except Exception: print("unknown")')
    [ "$status" = completed ] || [ "$status" = failed ] && break
    sleep 0.2
  done
  echo "$(echo "$(date +%s.%N) - $start + $t" | bc)" >> "$WORK/e2e.txt"
  read -r t id < <(upload "$BIG"); echo "$t" >> "$WORK/big.txt"
done

printf 'runs: %s\n' "$RUNS"
printf 'upload %s (%s bytes): median %.3f s to 201\n' "$(basename "$SPEECH")" "$(stat -c %s "$SPEECH")" "$(median < "$WORK/speech.txt")"
printf 'upload 200 MB file: median %.3f s to 201\n' "$(median < "$WORK/big.txt")"
printf 'speech clip, upload to completed: median %.1f s\n' "$(median < "$WORK/e2e.txt")"
printf 'Hark process RSS: %s before, %s after\n' "$RSS_BEFORE" "$(rss)"
