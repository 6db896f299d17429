#!/usr/bin/env bash
# Fair scheduling of the transcribe consumers, the old scheduler (FIFO per partition) against the
# new (the dispatcher), in one run. Each Hark is the all-in-one jar with the OpenAI engine pointed
# at a local stand-in that answers every chunk after L seconds, 2 transcribe consumers, 60 s chunks.
#   bench/fairness.sh <old hark.jar> [new hark.jar] [L]
# Scenario 1: A uploads 30 minutes (30 chunks); once A is transcribing, B uploads a 3 s note.
#   B's time to completed, against B alone; A's time to completed.
# Scenario 2: three users upload 20 minutes each at once (60 chunks in all).
#   Each one's time to completed, and the throughput (chunks a minute) over the whole.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?give the old hark.jar (built from the commit before the dispatcher)}
NEW=${2:-standalone/target/hark.jar}
LATENCY=${3:-5}
WORK=bench/.work
mkdir -p "$WORK"

[ -n "${2:-}" ] || mvn -B -q -pl standalone -am install -DskipTests
mvn -B -q -pl standalone dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
mvn -B -q -pl standalone test-compile
CP="standalone/target/test-classes:standalone/target/classes:$(cat standalone/target/bench.classpath)"

tone() { # seconds file: a 16 kHz mono WAV (the stand-in hears no words; only lengths matter)
  [ -f "$2" ] || python3 - "$1" "$2" <<'PY'
import math, struct, sys, wave
with wave.open(sys.argv[2], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)
    second = b"".join(struct.pack("<h", int(6000 * math.sin(2 * math.pi * 220 * i / 16000))) for i in range(16000))
    for _ in range(int(sys.argv[1])):
        w.writeframes(second)
PY
}
tone 1800 "$WORK/thirty-minutes.wav"; tone 1200 "$WORK/twenty-minutes.wav"; tone 3 "$WORK/note.wav"

rm -f "$WORK/standin.url" # else the wait below may see the last run's address before the shell truncates it
java -cp "$CP" hark.standalone.bench.StandInApi sk-bench-fairness "$LATENCY" > "$WORK/standin.url" &
STANDIN=$!
HARK=
trap 'kill $STANDIN $HARK 2>/dev/null || true' EXIT
until grep -q '^http' "$WORK/standin.url" 2>/dev/null; do sleep 0.2; done

now() { date +%s.%N; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
signup() { curl -s -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"bench secret\"}" \
  "$BASE/api/auth/register" | json '["token"]'; }
upload() { curl -s -H "Authorization: Bearer $1" -F "audio_file=@$2" "$BASE/api/nodes" | json '["id"]'; }
status() { curl -s -H "Authorization: Bearer $1" "$BASE/api/nodes/$2/transcription-status"; }
await_done() { # token node -> prints the time it completed
  while :; do
    s=$(status "$1" "$2" | json '.get("status")')  # None until the status view has the node
    case "$s" in completed) now; return ;; failed|cancelled) echo "node $2 $s" >&2; exit 1 ;; esac
    sleep 0.2
  done
}
await_stage() { until status "$1" "$2" | grep -q "\"stage\":\"$3\""; do sleep 0.2; done; }

run() { # label jar port
  local label=$1 jar=$2 port=$3 data=/tmp/bench-fair-$1
  rm -rf "$data"
  HARK_DATA=$data HARK_PORT=$port HARK_ENGINE=openai OPENAI_API_KEY=sk-bench-fairness \
    OPENAI_BASE_URL=$(cat "$WORK/standin.url") HARK_OPENAI_MODEL=whisper-1 HARK_OPENAI_REQUESTS_PER_MINUTE=0 \
    HARK_CHUNK_SECONDS=60 HARK_MIN_CHUNK_SECONDS=60 HARK_TRANSCRIBE_CONCURRENCY=2 HARK_TRANSCRIBE_PARALLELISM=2 \
    HARK_UPLOADS_PER_MINUTE=0 HARK_STREAMS_PER_USER=100 java -Xmx2g -jar "$jar" > "$WORK/hark-$label.log" 2>&1 &
  local pid=$!; HARK=$pid
  BASE=http://localhost:$port
  until curl -s "$BASE/actuator/health" | grep -q UP; do sleep 1; done

  # B alone.
  local b; b=$(signup "b-alone-$label")
  local t0; t0=$(now); local n; n=$(upload "$b" "$WORK/note.wav")
  local alone; alone=$(echo "$(await_done "$b" "$n") - $t0" | bc)

  # Scenario 1.
  local a; a=$(signup "a-$label"); b=$(signup "b-$label")
  local ta; ta=$(now); local na; na=$(upload "$a" "$WORK/thirty-minutes.wav")
  await_stage "$a" "$na" transcribe
  local tb; tb=$(now); local nb; nb=$(upload "$b" "$WORK/note.wav")
  local note; note=$(echo "$(await_done "$b" "$nb") - $tb" | bc)
  local long; long=$(echo "$(await_done "$a" "$na") - $ta" | bc)

  # Scenario 2.
  local tokens=() nodes=() t2; t2=$(now)
  for u in c d e; do tokens+=("$(signup "$u-$label")"); done
  for i in 0 1 2; do nodes+=("$(upload "${tokens[$i]}" "$WORK/twenty-minutes.wav")"); done
  local ends=() last=0
  for i in 0 1 2; do
    local e; e=$(echo "$(await_done "${tokens[$i]}" "${nodes[$i]}") - $t2" | bc); ends+=("$e")
  done
  last=$(printf '%s\n' "${ends[@]}" | sort -n | tail -1)
  local chunks=0 # the chunker cuts at pauses: count what it made, not what 60 s chunks would be
  for i in 0 1 2; do
    chunks=$((chunks + $(status "${tokens[$i]}" "${nodes[$i]}" | json '["chunks_total"]')))
  done
  kill $pid; wait $pid 2>/dev/null || true

  printf '%s: note alone %.1f s; scenario 1: note %.1f s, 30-minute job %.1f s; ' "$label" "$alone" "$note" "$long"
  printf 'scenario 2: %.1f / %.1f / %.1f s, %d chunks, throughput %.1f chunks/min\n' "${ends[0]}" "${ends[1]}" \
    "${ends[2]}" "$chunks" "$(echo "$chunks * 60 / $last" | bc -l)"
}

run old "$OLD" 8095
run new "$NEW" 8096
