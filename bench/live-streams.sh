#!/usr/bin/env bash
# What open live streams cost the database, against a running Hark (./hark up in another terminal,
# started with HARK_POSTGRES_PORT set so this script can reach its database):
#   bench/live-streams.sh [base-url] [data-dir] [postgres-port] [streams] [seconds]
# Uploads twenty minutes of speech (its job stays "processing" for minutes), then measures PostgreSQL's
# transactions per second over the window with no stream open, and again with N streams of that
# one node open. The difference is what the streams cost.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:-http://localhost:8080}
DATA=${2:-data}
PGPORT=${3:-55432}
STREAMS=${4:-50}
WINDOW=${5:-20}
WORK=bench/.work
mkdir -p "$WORK"

# The local run's database password (a generated one; older Hark trusted "postgres").
export PGPASSWORD=$( [ -f "$DATA/postgres-password" ] && cat "$DATA/postgres-password" || echo postgres)
tps() { # transactions committed or rolled back so far, all databases
  psql -h localhost -p "$PGPORT" -U postgres -d postgres -Atc \
    "SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database"
}
rate() { # measures transactions per second over the window
  local before after
  before=$(tps); sleep "$WINDOW"; after=$(tps)
  echo "scale=1; ($after - $before) / $WINDOW" | bc
}

# Twenty minutes of real speech (the shipped clip over and over): its job stays "processing" for
# minutes with the offline engine.
TALK=$WORK/talk-20min.wav
[ -f "$TALK" ] || python3 - "$TALK" test-support/src/main/resources/speech/might-even-have-been.wav <<'PY'
import sys, wave
with wave.open(sys.argv[2]) as clip:
    params, frames = clip.getparams(), clip.readframes(clip.getnframes())
with wave.open(sys.argv[1], "wb") as talk:
    talk.setparams(params)
    for _ in range(int(1200 * params.framerate / params.nframes)):
        talk.writeframes(frames)
PY
TOKEN=$(curl -s -H 'Content-Type: application/json' \
  -d "{\"username\":\"streams-$RANDOM$RANDOM\",\"password\":\"benchmark secret\"}" "$BASE/api/auth/register" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
AUTH="Authorization: Bearer $TOKEN"
NODE=$(curl -s -H "$AUTH" -F "audio_file=@$TALK" "$BASE/api/nodes" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
until curl -s -H "$AUTH" "$BASE/api/nodes/$NODE/transcription-status" | grep -q '"status":"processing"'; do sleep 1; done

IDLE=$(rate)
PIDS=()
for _ in $(seq "$STREAMS"); do
  curl -sN -H "$AUTH" "$BASE/api/nodes/$NODE/transcription-events" -o /dev/null & PIDS+=($!)
done
sleep 3
OPEN=$(rate)
ALIVE=0; for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && ALIVE=$((ALIVE + 1)); done
STILL=$(curl -s -H "$AUTH" "$BASE/api/nodes/$NODE/transcription-status" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
kill "${PIDS[@]}" 2>/dev/null || true
curl -s -X DELETE -H "$AUTH" "$BASE/api/nodes/$NODE/transcription" > /dev/null

printf 'window %s s; node %s still %s at the end\n' "$WINDOW" "$NODE" "$STILL"
printf 'database transactions/s, no stream open: %s\n' "$IDLE"
printf 'database transactions/s, %s streams asked, %s open: %s\n' "$STREAMS" "$ALIVE" "$OPEN"
