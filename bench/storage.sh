#!/usr/bin/env bash
# Object storage, the local folder against S3 (S3Proxy), side by side in one run, for one long
# WAV: upload latency, prep+chunk time and peak memory (issue 19's benchmark).
#   bench/storage.sh [ROUNDS] [XMX]      (default: 3 rounds, -Xmx64m)
# Each round runs StorageBench once per store, each in a JVM of its own (local, s3, local, s3, ...),
# so heap peaks do not mix and neither store always goes first. S3Proxy runs in a JVM of its own
# too (S3ProxyServer, started fresh for each s3 run), so the measured JVM is Hark's side only.
# The input (1 h of real speech with pauses, 44.1 kHz stereo 16-bit WAV, ~635 MB: what a recorder
# or an editor exports) is made once with ffmpeg into bench/.work/storage/inputs and kept; the
# stores' folders are removed after each run, so a run needs about 2.5 GB more while it lasts.
# SECONDS_OF_AUDIO=<n> makes a shorter or longer input; HARK_ENGINE=openai measures the MP3 target.
# BENCH_CP=<classpath> skips the Maven build. The table goes to stdout and to
# bench/.work/storage/results.md; Maven's output and progress go to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
XMX=${2:-64m}
SECONDS_OF_AUDIO=${SECONDS_OF_AUDIO:-3600}
ENGINE=${HARK_ENGINE:-sphinx}
S3PROXY_XMX=${S3PROXY_XMX:-256m}
WORK=$PWD/bench/.work/storage
INPUTS=$WORK/inputs
RUNS=$WORK/runs
mkdir -p "$INPUTS" "$RUNS" "$WORK/tmp"

say() { echo "[storage] $*" >&2; }

for tool in ffmpeg ffprobe /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { say "$tool is needed (apt-get install ffmpeg time python3)"; exit 2; }
done

# --- 1. Hark's benchmark classes (built first, so a broken build fails in seconds) ------------------
if [ -n "${BENCH_CP:-}" ]; then
  CP=$BENCH_CP
else
  say "building audio-prep-service in the reactor (nothing is installed)"
  mvn -B -q -o -pl audio-prep-service -am test-compile dependency:build-classpath -Dspotless.check.skip=true \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >&2
  CP="audio-prep-service/target/test-classes:audio-prep-service/target/classes:$(cat audio-prep-service/target/bench.classpath)"
fi

# --- 2. The input ---------------------------------------------------------------------------------
# A 60 s base of the shipped speech clips with varied pauses, at 44.1 kHz stereo, then repeated.
SPEECH=(test-support/src/main/resources/speech/*.wav)
INPUT=$INPUTS/speech-${SECONDS_OF_AUDIO}s-44k-stereo.wav
if [ ! -f "$INPUT" ]; then
  say "making $(basename "$INPUT")"
  tmp=$(mktemp -d "$WORK/base.XXXX")
  pauses=(0.5 1.2 0.8 1.5 0.6 1.0 1.3 0.7)
  : > "$tmp/list.txt"
  for i in $(seq 0 13); do
    ffmpeg -v error -i "${SPEECH[i % ${#SPEECH[@]}]}" -af "apad=pad_dur=${pauses[i % ${#pauses[@]}]}" \
      -ar 44100 -ac 2 -c:a pcm_s16le "$tmp/part$i.wav"
    echo "file 'part$i.wav'" >> "$tmp/list.txt"
  done
  ffmpeg -v error -f concat -safe 0 -i "$tmp/list.txt" -c copy "$tmp/base.wav"
  ffmpeg -v error -stream_loop -1 -i "$tmp/base.wav" -t "$SECONDS_OF_AUDIO" -c copy "$tmp/long.wav"
  mv "$tmp/long.wav" "$INPUT"
  rm -rf "$tmp"
fi
# Read once, so that every run, the first too, reads the input from the page cache.
cat "$INPUT" > /dev/null

# --- 3. Runs --------------------------------------------------------------------------------------
# An S3Proxy still running when the script stops (an error, ^C) is stopped with it.
PROXY_PID=
trap '[ -z "$PROXY_PID" ] || kill -TERM "$PROXY_PID" 2>/dev/null || true' EXIT

peak_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }

# run <store> <round>: one StorageBench JVM; its JSON line in $RUNS/<store>-<round>.json.
run() {
  local store=$1 round=$2 out=$RUNS/$1-$2 flags=() proxy_pid= proxy_time_pid=
  rm -rf "$out"; mkdir -p "$out"
  if [ "$store" = s3 ]; then
    # S3Proxy in its own JVM, on a fresh folder on the same disk as the local store.
    /usr/bin/time -v -o "$out.proxy.time" java "-Xmx$S3PROXY_XMX" "-Djava.io.tmpdir=$WORK/tmp" -cp "$CP" \
      hark.prep.bench.S3ProxyServer > "$out.proxy.out" 2> "$out.proxy.log" &
    proxy_time_pid=$!
    # S3Proxy logs to stdout too: its address is the line "http://127.0.0.1:<port> <pid>".
    local ready='^http://[^ ]+ [0-9]+$'
    for _ in $(seq 1 300); do grep -Eq "$ready" "$out.proxy.out" && break; sleep 0.1; done
    grep -Eq "$ready" "$out.proxy.out" || { say "S3Proxy did not start: see $out.proxy.out"; exit 1; }
    read -r endpoint proxy_pid < <(grep -E "$ready" "$out.proxy.out")
    PROXY_PID=$proxy_pid
    flags=("-Dhark.bench.s3.endpoint=$endpoint")
  fi
  say "round $round: $store"
  local rc=0
  /usr/bin/time -v -o "$out.time" java "-Xmx$XMX" "-Dhark.engine=$ENGINE" "${flags[@]}" -cp "$CP" \
    hark.prep.bench.StorageBench "$INPUT" "$store" "$out" > "$out.json" 2> "$out.log" || rc=$?
  if [ -n "$proxy_pid" ]; then
    kill -TERM "$proxy_pid"
    wait "$proxy_time_pid" || true
    PROXY_PID=
    echo "{\"proxyRssMb\": $(peak_mb "$out.proxy.time")}" >> "$out.json"
  fi
  echo "{\"jvmRssMb\": $(peak_mb "$out.time")}" >> "$out.json"
  rm -rf "$out"
  [ "$rc" -eq 0 ] || { say "$store run $round failed (exit $rc): see $out.log"; exit 1; }
}

for round in $(seq 1 "$ROUNDS"); do
  run local "$round"
  run s3 "$round"
done

# --- 4. Results -----------------------------------------------------------------------------------
{
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GB RAM," \
    "$(ffmpeg -version | head -n 1 | cut -d' ' -f1-3), $(java -version 2>&1 | head -n 1)."
  echo "StorageBench under -Xmx$XMX, engine $ENGINE; S3Proxy in its own JVM (-Xmx$S3PROXY_XMX);" \
    "$ROUNDS rounds, alternating local and s3; medians, and each run's figures in brackets."
  echo
  python3 - "$RUNS" "$ROUNDS" <<'EOF'
import json, statistics, sys, pathlib
runs, rounds = pathlib.Path(sys.argv[1]), int(sys.argv[2])
def load(store, r):
    d = {}
    for line in (runs / f"{store}-{r}.json").read_text().splitlines():
        if line.startswith("{"):
            d.update(json.loads(line))
    return d
data = {s: [load(s, r) for r in range(1, rounds + 1)] for s in ("local", "s3")}
first = data["local"][0]
print(f"Input: {first['input']}, {first['bytes'] / 1e6:.0f} MB, {first['durationSeconds'] / 60:.0f} min; "
      f"target {first['target']}: prepared {first['preparedBytes'] / 1e6:.0f} MB, {first['chunks']} chunks; "
      f"{first['movedMb'] * 1.048576:.0f} MB through storage per run; ffmpeg {first['ffmpeg']}.")
print()
cols = [("Upload s", "uploadSeconds", 2), ("of which commit s", "commitSeconds", 2), ("Prep s", "prepSeconds", 2), ("Chunk s", "chunkSeconds", 2),
        ("Prep+chunk s", "prepChunkSeconds", 2), ("of which fetch+put s", "storageIoSeconds", 2),
        ("Heap peak, upload MB", "uploadHeapPeakMb", 1), ("Heap peak, prep+chunk MB", "prepChunkHeapPeakMb", 1),
        ("GCs", "gcCount", 0), ("GC s", "gcSeconds", 2),
        ("JVM peak RSS MB", "jvmRssMb", 0), ("ffmpeg peak RSS MB", "ffmpegPeakMb", 1)]
med = {s: {k: statistics.median(r[k] for r in data[s]) for _, k, _ in cols} for s in data}
print("| Store | " + " | ".join(c for c, _, _ in cols) + " |")
print("|---|" + "---:|" * len(cols))
for s, name in (("local", "local folder"), ("s3", "S3 (S3Proxy)")):
    cells = []
    for _, k, d in cols:
        each = ", ".join(f"{r[k]:.{d}f}" for r in data[s])
        cells.append(f"{med[s][k]:.{d}f} [{each}]" if rounds > 1 else f"{med[s][k]:.{d}f}")
    print(f"| {name} | " + " | ".join(cells) + " |")
ratios = [f"{med['s3'][k] / med['local'][k]:.2f}×" if med["local"][k] else "—" for _, k, _ in cols]
print("| **S3 / local** | " + " | ".join(ratios) + " |")
proxy = [r["proxyRssMb"] for r in data["s3"]]
print()
print(f"S3Proxy's own JVM (not in the figures above): peak RSS {statistics.median(proxy):.0f} MB median "
      f"[{', '.join(f'{p:.0f}' for p in proxy)}].")
EOF
} | tee "$WORK/results.md"
