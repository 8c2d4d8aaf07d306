#!/bin/bash
# train-sequence-model.sh CORPUS_DIR AUDIO_DIR... [--work DIR] [--out MODEL_FILE] [-- TRAINER_ARGS...]
#
# Retrains the detector's sequence network (SequenceModel.java) in three steps:
#   1. java -jar target/vibecraft-pipeline.jar export-boundary-data: the detector's per-beat inputs of
#      every training rendering, the targets, and the boundary trees' out-of-fold probabilities;
#   2. /usr/bin/python3 scripts/train_sequence_model.py: one network per fold (out-of-fold logits),
#      then one on every song, written as text;
#   3. java -jar target/vibecraft-pipeline.jar tune-sequence-model: the blend with the trees and the
#      decoding, chosen on the out-of-fold predictions.
# Default model file: WORK/sequence-model.txt (measure it with bench --sequence-model FILE; the jar ships
# src/main/resources/.../detector/sequence-model.txt, see README "Fourth round" for how it was made).
# Songs of pop909-dev are refused (see train-boundaries). Deterministic: the same audio gives the
# same file with the same Debian python3-torch. Needs python3-torch (apt-get install python3-torch).
#
# As measured in README: scripts/render-training.sh ../shared/corpus/pop909-train /tmp/pop909-train-varied --seed 1
#                       scripts/train-sequence-model.sh ../shared/corpus/pop909-train /tmp/pop909-train-varied -- --epochs 12
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
JAR=$ROOT/target/vibecraft-pipeline.jar
OUT=
WORK=$(mktemp -d /tmp/sequence-model.XXXXXX)
ARGS=()
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --work) WORK=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
OUT=${OUT:-$WORK/sequence-model.txt}
[ ${#ARGS[@]} -ge 2 ] || { sed -n '2,2p' "$0" | sed 's/^# //' >&2; exit 2; }
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -B package -DskipTests)
/usr/bin/python3 -c 'import torch' 2>/dev/null || {
  echo "train-sequence-model.sh: installing python3-torch" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null
}
java -XX:ActiveProcessorCount=1 -jar "$JAR" export-boundary-data "${ARGS[@]}" --out "$WORK" --cv 4
/usr/bin/python3 "$HERE/train_sequence_model.py" "$WORK" --out "$OUT" ${EXTRA[@]+"${EXTRA[@]}"}
java -jar "$JAR" tune-sequence-model "$WORK" --model "$OUT"
echo "sequence model written to $OUT (work files in $WORK)"
