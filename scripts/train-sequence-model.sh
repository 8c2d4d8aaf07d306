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
# src/main/resources/.../detector/sequence-model.txt, see README "Sixth round" for how it was made).
# With --no-cv (no per-fold networks) step 3 is skipped and the shipped file's decoding lines are kept.
# Songs of pop909-dev are refused (see train-boundaries). Deterministic: the same audio gives the
# same file with the same Debian python3-torch. Needs python3-torch (apt-get install python3-torch).
#
# The shipped file (README "Sixth round"; this reproduces it byte for byte):
#   for s in 1 2; do scripts/render-training.sh ../shared/corpus/pop909-train /tmp/pop909-train-loose-$s --seed $s --section-cues loose; done
#   scripts/train-sequence-model.sh ../shared/corpus/pop909-train /tmp/pop909-train-loose-1 /tmp/pop909-train-loose-2 \
#       --out /tmp/seq.txt -- --epochs 12 --group-dropout 0.4 --no-cv --ensemble 6 \
#       --corpus ../shared/corpus/pop909-train --downbeat-weight 0.3
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
if [ -f "$WORK/net-oof.f32" ]; then
  java -jar "$JAR" tune-sequence-model "$WORK" --model "$OUT"
else
  # --no-cv trains no per-fold networks, so there is nothing to tune on: keep the shipped decoding
  # (chosen on held-out renderings, README "Second round"; its gap prior comes from the same references)
  SHIPPED=$ROOT/src/main/resources/com/vibecraft/pipeline/analysis/detector/sequence-model.txt
  grep -E '^(blend|threshold|gapweight|gaps|count) ' "$SHIPPED" >> "$OUT"
  echo "train-sequence-model.sh: no out-of-fold predictions (--no-cv): decoding lines taken from $SHIPPED" >&2
fi
echo "sequence model written to $OUT (work files in $WORK)"
