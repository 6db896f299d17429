#!/usr/bin/env bash
# What searching a large account costs (issue 21): GET /api/nodes?q=… for a user with N long
# transcripts, among other users' notes, with the full-text indexes and, in the same run, without them.
#   bench/search.sh [notes] [rounds] [hark.jar]
# The all-in-one jar is started on a fresh data folder; the notes are written straight into the status
# view (a thousand recordings would take hours to transcribe): each transcript has 1,500 words drawn
# from 5,000 (a few common, most rare, as in speech); one note has the word "zanzibar", every tenth
# the phrase "quarterly budget". Each query is timed with curl, medians of the rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
NOTES=${1:-5000}
ROUNDS=${2:-21}
JAR=${3:-standalone/target/hark.jar}
WORK=bench/.work
DATA=$WORK/search-data
PORT=8095
PGPORT=55495
mkdir -p "$WORK"
[ -f "$JAR" ] || mvn -B -q -pl standalone -am install -DskipTests

rm -rf "$DATA"
HARK_DATA=$DATA HARK_PORT=$PORT HARK_POSTGRES_PORT=$PGPORT HARK_UPLOADS_PER_MINUTE=0 \
  java -Xmx1g -jar "$JAR" > "$WORK/hark-search.log" 2>&1 &
HARK=$!
trap 'kill $HARK 2>/dev/null || true' EXIT
BASE=http://localhost:$PORT
until curl -s "$BASE/actuator/health" | grep -q UP; do sleep 1; done
export PGPASSWORD=$(cat "$DATA/postgres-password")
sql() { psql -q -h localhost -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

USER=searcher
TOKEN=$(curl -s -H 'Content-Type: application/json' -d "{\"username\":\"$USER\",\"password\":\"bench secret\"}" \
  "$BASE/api/auth/register" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

echo "Writing $NOTES notes for $USER and 10000 for 200 other users..."
SECONDS=0
sql -v user="$USER" -v notes="$NOTES" <<'SQL'
CREATE TEMP TABLE vocabulary AS SELECT array_agg('w' || i) AS w FROM generate_series(1, 5000) i;
INSERT INTO status.transcriptions (job_id, node_id, user_id, status, progress, content, uploaded_at,
                                   completed_at, duration_seconds, chunks_total, chunks_done)
SELECT gen_random_uuid(), 1000000 + n,
       CASE WHEN n <= :notes THEN :'user' ELSE 'other' || (n % 200) END,
       'completed', 100,
       (SELECT string_agg(v.w[1 + floor(power(random(), 3) * 5000)::int], ' ')
          FROM generate_series(1, 1500) g, vocabulary v WHERE n > 0)
         || CASE WHEN n = :notes / 2 THEN ' zanzibar' ELSE '' END
         || CASE WHEN n % 10 = 0 THEN ' the quarterly budget' ELSE '' END,
       now() - n * interval '1 minute', now() - n * interval '1 minute', 600, 1, 1
  FROM generate_series(1, :notes + 10000) n;
INSERT INTO status.titles (node_id, user_id, title, titled_at)
SELECT node_id, user_id, 'Meeting ' || node_id, now() FROM status.transcriptions WHERE node_id >= 1000000;
ANALYZE status.transcriptions;
ANALYZE status.titles;
SQL
echo "  written in ${SECONDS}s"

median() { python3 -c 'import statistics,sys; print("%.1f" % (1000 * statistics.median(float(x) for x in sys.stdin)))'; }
timed() { # path -> median milliseconds over the rounds
  for _ in $(seq "$ROUNDS"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$BASE$1"
  done | median
}
total() { curl -s -H "Authorization: Bearer $TOKEN" "$BASE$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }

QUERIES=("/api/nodes?size=20" "/api/nodes?size=20&q=zanzibar" "/api/nodes?size=20&q=%22quarterly%20budget%22"
  "/api/nodes?size=20&q=w1" "/api/nodes?size=20&q=meeting%201002500")
declare -A WITH WITHOUT MATCHES
for q in "${QUERIES[@]}"; do MATCHES[$q]=$(total "$q"); WITH[$q]=$(timed "$q"); done
sql -c "DROP INDEX status.transcriptions_search; DROP INDEX status.titles_search;"
for q in "${QUERIES[@]}"; do WITHOUT[$q]=$(timed "$q"); done

echo
echo "notes of $USER: $NOTES (+10000 of others), 1,500 words each; medians of $ROUNDS, ms"
printf '%-45s %8s %12s %14s %7s\n' query matches "GIN index" "no index" ratio
for q in "${QUERIES[@]}"; do
  printf '%-45s %8s %12s %14s %7s\n' "$q" "${MATCHES[$q]}" "${WITH[$q]}" "${WITHOUT[$q]}" \
    "$(echo "scale=1; ${WITHOUT[$q]} / ${WITH[$q]}" | bc)"
done
