#!/usr/bin/env bash
# Peak memory and wall time of Hark's prep and chunking against the original design's pydub code,
# on the same inputs, side by side in one run.
#   bench/prep-memory.sh [a] [b] [c] [d]      (default: all four inputs)
#     a  30 min MP3, 128 kbit/s (~28 MB)         c  3 h MP3, 128 kbit/s (~172 MB)
#     b  1 h WAV, 44.1 kHz stereo (~630 MB)      d  2 h WAV, 44.1 kHz stereo (~1.26 GB)
# Inputs are made once from the shipped speech clips into bench/.work/prep/inputs and kept for the
# next run (about 2.1 GB with d); chunks and other outputs are deleted after each measurement.
# The table goes to stdout and to bench/.work/prep/results.md.
# BENCH_CP=<classpath> skips the Maven build and runs PrepChunkBench from that classpath instead.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=bench/.work/prep
INPUTS=$WORK/inputs
RUNS=$WORK/runs           # one work dir per measured run, plus its logs
# Debian's python3-pydub installs for the system Python; a python3 earlier on PATH (pyenv) lacks it.
PY=/usr/bin/python3
PYDUB_TIMEOUT=${PYDUB_TIMEOUT:-1800}   # seconds; a pydub run still going then counts as failed
[ $# -gt 0 ] || set -- a b c d
SELECTED=("$@")
mkdir -p "$INPUTS" "$RUNS"

say() { echo "[prep-memory] $*" >&2; }

# --- 1. Tools ------------------------------------------------------------------------------------
# sox makes the inputs (libsox-fmt-mp3 lets it write MP3), pydub shells out to ffmpeg, and GNU time
# reports the peak resident set size of a process and the children it waited for.
missing=()
for pkg in sox libsox-fmt-mp3 python3-pydub ffmpeg time; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- 2. Hark's benchmark class -------------------------------------------------------------------
# Built before the inputs so that a broken build fails in seconds, not after minutes of encoding.
if [ -n "${BENCH_CP:-}" ]; then
  CP=$BENCH_CP
else
  say "building audio-prep-service"
  # Maven's output goes to stderr, so that stdout carries the table only.
  mvn -B -q -pl audio-prep-service -am install -DskipTests >&2
  mvn -B -q -pl audio-prep-service dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
  mvn -B -q -pl audio-prep-service test-compile >&2
  CP="audio-prep-service/target/test-classes:audio-prep-service/target/classes:$(cat audio-prep-service/target/bench.classpath)"
fi

# --- 3. Inputs -----------------------------------------------------------------------------------
# Real speech with pauses, so both encoders see what they will see in production (MP3 of digital
# silence or of noise would compress unlike speech). sox streams everything from disk to disk.
SPEECH=(test-support/src/main/resources/speech/*.wav)   # 16 kHz mono, ~3.5 s each
BASE=$INPUTS/base-44k-stereo.wav
if [ ! -f "$BASE" ]; then
  say "making the 60 s speech-with-pauses base"
  tmp=$(mktemp -d "$WORK/base.XXXX")
  parts=()
  pauses=(0.5 1.2 0.8 1.5 0.6 1.0 1.3 0.7)              # varied, so the pattern isn't periodic
  for i in $(seq 0 13); do                              # 14 x (clip + pause) ~ 60 s
    sox -n -r 16000 -c 1 -b 16 "$tmp/pause$i.wav" trim 0 "${pauses[i % ${#pauses[@]}]}"
    parts+=("${SPEECH[i % ${#SPEECH[@]}]}" "$tmp/pause$i.wav")
  done
  # Up to 44.1 kHz stereo once here, so that making the long inputs is only repeating it.
  # -G lowers the gain just enough to keep the resampler from clipping.
  sox -G "${parts[@]}" -r 44100 -c 2 -b 16 "$tmp/base.wav"
  mv "$tmp/base.wav" "$BASE"
  rm -rf "$tmp"
fi
BASE_SECONDS=$(soxi -D "$BASE")

# make_input <file> <seconds> [sox output options]: the base repeated to <seconds>.
# Written under a temporary name first, so an interrupted run never leaves half a file to reuse.
make_input() {
  local out=$1 seconds=$2; shift 2
  [ -f "$out" ] && return 0
  say "making $(basename "$out") ($seconds s)"
  local repeats
  repeats=$(awk -v t="$seconds" -v b="$BASE_SECONDS" 'BEGIN { n = int(t / b); print (n * b < t) ? n : n - 1 }')
  local tmp="${out%.*}.part.${out##*.}"
  sox "$BASE" "$@" "$tmp" repeat "$repeats" trim 0 "$seconds"
  mv "$tmp" "$out"
}

# The MP3s are 44.1 kHz stereo, as a 128 kbit/s MP3 from a phone or recorder usually is; pydub
# decodes to PCM at the file's own rate, so this is what decides its memory.
declare -A FILE=(
  [a]=$INPUTS/a-30min-128k.mp3 [b]=$INPUTS/b-1h-44k-stereo.wav
  [c]=$INPUTS/c-3h-128k.mp3    [d]=$INPUTS/d-2h-44k-stereo.wav)
# The hours are 30 s short: at exactly 3 x 20 min, an encoder's few ms of padding would decide
# whether pydub's 20-minute slicing makes a last chunk of almost nothing.
declare -A SECONDS_OF=([a]=1800 [b]=3570 [c]=10770 [d]=7170)
declare -A SOX_OPTS=([a]="-C 128" [b]="" [c]="-C 128" [d]="")

# d needs 1.27 GB itself, and as much again for pydub's temporary copy of its PCM, plus outputs.
free_kb=$(df -Pk "$INPUTS" | awk 'NR == 2 { print $4 }')
existing_d_kb=$( [ -f "${FILE[d]}" ] && du -k "${FILE[d]}" | cut -f1 || echo 0)
if [ $((free_kb + existing_d_kb)) -lt $((6 * 1024 * 1024)) ]; then
  say "skipping d: under 6 GB free on $(df -P "$INPUTS" | awk 'NR == 2 { print $6 }')"
  SELECTED=($(printf '%s\n' "${SELECTED[@]}" | grep -vx d || true))
fi

for k in "${SELECTED[@]}"; do
  [ -n "${FILE[$k]:-}" ] || { say "unknown input '$k' (a, b, c or d)"; exit 2; }
  # shellcheck disable=SC2086  # the options are words
  make_input "${FILE[$k]}" "${SECONDS_OF[$k]}" ${SOX_OPTS[$k]}
done

# --- 4. Measurements -----------------------------------------------------------------------------
# /usr/bin/time -v: "Maximum resident set size" is the largest RSS of the command or of any
# descendant it waited for (one process, not a sum), and "Elapsed (wall clock) time" is h:mm:ss.ss
# or m:ss.ss.
peak_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1" 2>/dev/null || true; }
wall_s() {
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0
    for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s }' "$1"
}
# json_field <file> <key>: the key from the last JSON line of the file, or nothing.
json_field() {
  $PY - "$1" "$2" <<'EOF'
import json, sys
lines = [l for l in open(sys.argv[1], errors="replace") if l.startswith("{")]
try:
    value = json.loads(lines[-1]).get(sys.argv[2], "") if lines else ""
except ValueError:
    value = ""
print(round(value, 1) if isinstance(value, float) else value)
EOF
}
# why_failed <exit status> <json> <stderr log>: one short reason.
why_failed() {
  local error
  error=$(json_field "$2" error)
  case "$1" in
    124) echo "timed out after ${PYDUB_TIMEOUT} s" ;;
    137) echo "killed (SIGKILL: out of memory?)" ;;
    *) if [ -n "$error" ]; then echo "$error"
       else echo "exit $1: $(grep -v '^\s*$' "$3" | tail -n 1 | cut -c1-120)"; fi ;;
  esac
}

hms() { awk -v s="$1" 'BEGIN { printf "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60 }'; }

ROWS=()
for k in "${SELECTED[@]}"; do
  input=${FILE[$k]}
  name=$(basename "$input")
  size_mb=$(awk -v b="$(stat -c %s "$input")" 'BEGIN { printf "%.1f", b / 1e6 }')
  duration=$(hms "$(soxi -D "$input")")

  say "$name: Hark"
  out=$RUNS/hark-$k
  rm -rf "$out"; mkdir -p "$out"
  rc=0
  /usr/bin/time -v -o "$out.time" java -Xmx256m -cp "$CP" hark.prep.bench.PrepChunkBench "$input" "$out" \
    > "$out.json" 2> "$out.log" || rc=$?
  if [ "$rc" -eq 0 ]; then
    hark_wall=$(wall_s "$out.time"); hark_rss=$(peak_mb "$out.time")
    hark_heap=$(json_field "$out.json" heapPeakMb); hark_chunks=$(json_field "$out.json" chunks)
  else
    hark_wall="failed: $(why_failed "$rc" "$out.json" "$out.log")"; hark_rss=—; hark_heap=—; hark_chunks=—
  fi
  rm -rf "$out"

  say "$name: pydub"
  out=$RUNS/pydub-$k
  rm -rf "$out"; mkdir -p "$out"
  # timeout runs under time, so that time still reports when pydub is stopped; the exit status
  # is then timeout's: 124 when it stopped pydub, 128+N when pydub died of signal N.
  rc=0
  /usr/bin/time -v -o "$out.time" timeout --kill-after=30 "$PYDUB_TIMEOUT" \
    "$PY" bench/pydub_prep.py "$input" "$out" > "$out.json" 2> "$out.log" || rc=$?
  if [ "$rc" -eq 0 ]; then
    py_wall=$(wall_s "$out.time"); py_chunks=$(json_field "$out.json" chunks)
  else
    py_wall="failed: $(why_failed "$rc" "$out.json" "$out.log")"; py_chunks=—
  fi
  # The peak is worth reporting even for a failed run: it is what the run reached before failing.
  py_rss=$(peak_mb "$out.time")
  rm -rf "$out"

  ratio=—
  if [[ $hark_rss =~ ^[0-9.]+$ && $py_rss =~ ^[0-9.]+$ ]]; then
    ratio=$(awk -v p="$py_rss" -v h="$hark_rss" 'BEGIN { printf "%.1f×", p / h }')
  fi
  ROWS+=("| $name | $size_mb | $duration | $hark_wall | $hark_rss | $hark_heap | $py_wall | $py_rss | $ratio | $hark_chunks / $py_chunks |")
done

# --- 5. Results ----------------------------------------------------------------------------------
{
  echo "Prep + chunking, Hark (java -Xmx256m, PrepChunkBench) vs the original design (pydub $($PY -c 'import importlib.metadata as m; print(m.version("pydub"))')),"
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GB RAM, $(ffmpeg -version | head -n 1 | cut -d' ' -f1-3)."
  echo "Peak RSS: the largest single process (the JVM or an ffmpeg; Python or an ffmpeg), from GNU time."
  echo
  echo "| Input | Size MB | Duration | Hark wall s | Hark peak RSS MB | Hark heap peak MB | pydub wall s | pydub peak RSS MB | pydub/Hark peak RSS | Chunks Hark / pydub |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${ROWS[@]}"
} | tee "$WORK/results.md"
