#!/usr/bin/env bash
# Whisper's speed and accuracy beside the Sphinx engines, in one run: the real-time factor and the
# word error rate of every Whisper model file in a folder, of Sphinx4 and of the pocketsphinx
# command (when installed), on the shipped real recordings and on the held-out LibriVox sentences
# of Debian's pocketsphinx-testdata (apt-get install pocketsphinx-testdata).
#   bench/whisper.sh [models-folder] [warm-runs]
# The folder defaults to ./data/models, where ./hark model fetch puts them. It needs real weights,
# so it runs where a model has been fetched (not on machines that cannot reach Hugging Face).
set -euo pipefail
cd "$(dirname "$0")/.."
HARK_BENCH_MODELS="${1:-data/models}" exec bench/sphinx-rtf.sh "${2:-3}"
