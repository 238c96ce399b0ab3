#!/usr/bin/env bash
# Fuzzes axon-buffer's parsers (and the example DICOM plugin's), one Jazzer target after another (coverage-guided, JAZZER_FUZZ=1).
#
#   axon-buffer-reliability/fuzz.sh              every target, its own duration (see TARGETS)
#   axon-buffer-reliability/fuzz.sh 30m          every target for 30 minutes each
#   axon-buffer-reliability/fuzz.sh 10m MediaFuzzTest#inspectJpeg ...   chosen targets
#
# Run from anywhere; the modules under test are built from source first (-am). A finding stops
# its target and is written by
# Jazzer to src/test/resources/io/axon/buffer/reliability/<Class>Inputs/<method>/crash-*, where
# `./mvnw verify` replays it from then on. Each target's log is in
# axon-buffer-reliability/target/fuzz-logs/; the last line of each is summarised at the end.
set -u
cd "$(dirname "$0")/.."

TARGETS=(
  "MultipartFuzzTest#parseInRandomChunks 5m"
  "WebSocketFuzzTest#decodeAndAccumulate 4m"
  "WebSocketFuzzTest#accumulateByteBuffers 3m"
  "MediaFuzzTest#sniffers 4m"
  "MediaFuzzTest#inspectJpeg 4m"
  "MediaFuzzTest#inspectWav 4m"
  "MediaFuzzTest#inspectPng 3m"
  "MediaFuzzTest#inspectWebp 3m"
  "MediaFuzzTest#inspectMp4 3m"
  "MediaFuzzTest#inspectWebm 3m"
  "MediaFuzzTest#inspectMp3 3m"
  "MediaFuzzTest#inspectOpus 3m"
  "MediaFuzzTest#inspectQuicktime 2m"
  "MediaFuzzTest#inspect3gpp 2m"
  "MediaFuzzTest#inspect3gpp2 2m"
  "MediaFuzzTest#inspectHeic 2m"
  "MediaFuzzTest#inspectAvif 2m"
  "MediaFuzzTest#inspectPdf 3m"
  "DicomFuzzTest#sniff 3m"
  "DicomFuzzTest#inspect 3m"
  "TranscoderFuzzTest#wavToPcm16 3m"
  "TranscoderFuzzTest#wavToMulaw8 3m"
  "TranscoderFuzzTest#pcmChains 3m"
  "PooledReaderFuzzTest#read 3m"
)

override=""
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+[smh]$ ]]; then
  override="$1"
  shift
fi
if [ $# -gt 0 ]; then
  TARGETS=()
  for t in "$@"; do TARGETS+=("$t ${override:-5m}"); done
fi

logs=axon-buffer-reliability/target/fuzz-logs
mkdir -p "$logs"
for entry in "${TARGETS[@]}"; do
  target=${entry% *}
  duration=${override:-${entry##* }}
  log="$logs/${target/\#/.}.log"
  echo "fuzzing $target for $duration -> $log"
  JAZZER_FUZZ=1 ./mvnw -pl axon-buffer-reliability -am test -Dtest="$target" \
    -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.max_duration="$duration" >"$log" 2>&1
  echo "  exit $?: $(grep -aE '^#[0-9]+[[:space:]]+DONE|^== Java Exception|FuzzTestFindingException|Done [0-9]+ runs' "$log" | tail -2 | tr '\n' ' ')"
done
