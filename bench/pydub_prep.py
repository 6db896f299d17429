#!/usr/bin/python3
"""The original design's prep and chunking, done with pydub, for bench/prep-memory.sh.

    /usr/bin/python3 bench/pydub_prep.py <input> <outdir>

Follows the steps of the design in shared/seed/async-voice-transcription-design.md
(compress_audio_if_needed, get_audio_duration, chunk_audio, and the transcription task's test
for chunking). Each step decodes the file whole with AudioSegment.from_file, as the design does,
so pydub holds all of the PCM in memory (about 635 MB an hour at 44.1 kHz stereo), often
several copies of it.

It changes the design in three ways, all to make a fair and repeatable measurement:
  * Errors propagate instead of being logged and swallowed (the design's compression falls
    back to the original file when it fails; here a failure ends the run and is reported).
  * The compressed file goes to <outdir>, not beside the input: the design writes it to
    file_path.with_suffix('.mp3'), which for an MP3 input is the input itself.
  * Chunks and pydub's own temporary files (export writes the PCM to a temporary WAV first) go to
    <outdir> rather than the system temporary directory, so the script can clean them up.

Prints one line of JSON on stdout at the end, like hark.prep.bench.PrepChunkBench:
    {"input": ..., "bytes": ..., "durationSeconds": ..., "chunks": ..., "wallSeconds": ...}
On failure it prints {"input": ..., "error": "..."} and exits 1. A process killed by the kernel
(out of memory) prints nothing: the caller reads that from the exit status.
"""
import json
import pathlib
import resource
import sys
import tempfile
import time

# The design's limits, as in backend/utils/audio_processing.py.
OPENAI_MAX_AUDIO_BYTES = 25 * 1024 * 1024  # 25 MB
OPENAI_MAX_DURATION_SEC = 1500  # 25 minutes
CHUNK_DURATION_SEC = 20 * 60  # 20 minutes per chunk


def compress_audio_if_needed(file_path: pathlib.Path, outdir: pathlib.Path) -> pathlib.Path:
    from pydub import AudioSegment
    needs_compression = (file_path.suffix.lower() in {".wav", ".flac"}
                         or file_path.stat().st_size > OPENAI_MAX_AUDIO_BYTES)
    if not needs_compression:
        return file_path
    audio = AudioSegment.from_file(str(file_path))
    compressed_path = outdir / (file_path.stem + ".mp3")
    # The design passes "-q:a 2" along with the bitrate; ffmpeg's libmp3lame then encodes VBR
    # at quality 2 rather than 128 kbit/s CBR (about 110 kbit/s on the benchmark's speech).
    audio.export(str(compressed_path), format="mp3", bitrate="128k", parameters=["-q:a", "2"])
    return compressed_path


def get_audio_duration(file_path: pathlib.Path) -> float:
    from pydub import AudioSegment
    audio = AudioSegment.from_file(str(file_path))
    return len(audio) / 1000.0


def chunk_audio(file_path: pathlib.Path, outdir: pathlib.Path) -> list:
    from pydub import AudioSegment
    audio = AudioSegment.from_file(str(file_path))
    chunk_duration_ms = CHUNK_DURATION_SEC * 1000
    chunks = []
    for i, start_ms in enumerate(range(0, len(audio), chunk_duration_ms)):
        chunk = audio[start_ms:start_ms + chunk_duration_ms]
        chunk_path = outdir / f"chunk_{i}.mp3"
        chunk.export(str(chunk_path), format="mp3", bitrate="128k")
        chunks.append(chunk_path)
    return chunks


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    started = time.monotonic()
    source = pathlib.Path(sys.argv[1])
    outdir = pathlib.Path(sys.argv[2])
    outdir.mkdir(parents=True, exist_ok=True)
    # pydub's export and from_file_using_temporary_files use tempfile.NamedTemporaryFile.
    tempfile.tempdir = str(outdir)
    result = {"input": source.name, "bytes": source.stat().st_size}
    try:
        processed = compress_audio_if_needed(source, outdir)
        size = processed.stat().st_size
        duration = get_audio_duration(processed)
        result["compressed"] = processed != source
        result["preparedBytes"] = size
        result["durationSeconds"] = round(duration, 3)
        if size > OPENAI_MAX_AUDIO_BYTES or duration > OPENAI_MAX_DURATION_SEC:
            result["chunks"] = len(chunk_audio(processed, outdir))
        else:
            result["chunks"] = 0
    except MemoryError:
        result["error"] = "MemoryError"
    except Exception as e:  # any other failure is a result too, not a crash of the benchmark
        result["error"] = f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"
    result["wallSeconds"] = round(time.monotonic() - started, 2)
    # This process's own peak. No figure for the ffmpeg children: on Linux a child's ru_maxrss
    # starts from its parent's RSS at fork (exec keeps the old high-water mark), so
    # RUSAGE_CHILDREN would only echo Python's own size.
    result["pythonPeakMb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result), flush=True)
    return 1 if "error" in result else 0


if __name__ == "__main__":
    sys.exit(main())
