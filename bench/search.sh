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
python3 - "$NOTES" "$USER" > "$WORK/notes.tsv" <<'PY'
import random, sys
notes, user = int(sys.argv[1]), sys.argv[2]
random.seed(21)
vocabulary = ["w%d" % i for i in range(1, 5001)]
for n in range(1, notes + 10001):
    words = [vocabulary[int(random.random() ** 3 * 5000)] for _ in range(1500)]
    if n == notes // 2:
        words.append("zanzibar")
    if n % 10 == 0:
        words += ["the", "quarterly", "budget"]
    owner = user if n <= notes else "other%d" % (n % 200)
    print("%d\t%s\t%s" % (1000000 + n, owner, " ".join(words)))
PY
sql <<SQL
CREATE TEMP TABLE notes (node_id bigint, user_id text, content text);
\\copy notes FROM '$WORK/notes.tsv'
INSERT INTO status.transcriptions (job_id, node_id, user_id, status, progress, content, uploaded_at,
                                   completed_at, duration_seconds, chunks_total, chunks_done)
SELECT gen_random_uuid(), node_id, user_id, 'completed', 100, content, now() - (node_id - 1000000) * interval '1 minute',
       now() - (node_id - 1000000) * interval '1 minute', 600, 1, 1 FROM notes;
INSERT INTO status.titles (node_id, user_id, title, titled_at)
SELECT node_id, user_id, 'Meeting ' || node_id, now() FROM notes;
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

# The same search inside PostgreSQL, words read from the stored column against parsed from the text
# on every query (what a search without the stored tsvector would do); no index in either.
dbtime() { # SQL -> median execution time in ms over 7 runs
  for _ in $(seq 7); do
    sql -Atc "EXPLAIN (ANALYZE, FORMAT JSON) $1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Execution Time"])'
  done | python3 -c 'import statistics,sys; print("%.1f" % statistics.median(float(x) for x in sys.stdin))'
}
echo
printf '%-12s %14s %16s %7s\n' words "stored, ms" "parsed, ms" ratio
for words in zanzibar w1; do
  where="user_id = '$USER' AND %s @@ websearch_to_tsquery('simple', '$words')"
  stored=$(dbtime "SELECT count(*) FROM status.transcriptions WHERE $(printf "$where" search)")
  parsed=$(dbtime "SELECT count(*) FROM status.transcriptions WHERE $(printf "$where" "to_tsvector('simple', left(content, 250000))")")
  printf '%-12s %14s %16s %7s\n' "$words" "$stored" "$parsed" "$(echo "scale=1; $parsed / $stored" | bc)"
done
