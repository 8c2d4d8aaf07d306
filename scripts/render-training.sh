#!/bin/bash
# render-training.sh SRC_DIR OUT_DIR [--seed N] [--limit K] [--ids a,b,c] [--exclude INDEX_JSON]
#                    [--decode-lossy] [--keep-midi] [--section-cues exact|loose|crossing]
# render-training.sh --self-test [SRC_DIR]
#
# Renders *varied* training audio from a POP909-style corpus folder (midi/NNN.mid, refs/NNN.json,
# beats/NNN.txt): random General MIDI instruments per track, generated drums and bass that follow
# the sections, three soundfonts, random EQ and level, and WAV / MP3 / Ogg Vorbis output
# (OUT_DIR/NNN.wav|mp3|ogg, 22050 Hz mono, plus OUT_DIR/manifest.json with every choice).
# Everything is seeded by (--seed, song id): the same command gives the same files (md5) with the
# same Debian package versions.  Songs already in OUT_DIR are skipped; files are written under a
# temporary name first.  The validation set (../pop909-dev/index.json next to SRC_DIR, or each
# --exclude) is refused.  See scripts/render_training.py for the details and probabilities.
#
# Render into a temporary folder (e.g. /tmp/pop909-train-varied); never commit the audio.
#
# --self-test renders one song (the first of SRC_DIR, default ../shared/corpus/pop909-train)
# twice into two temporary folders and compares the md5 of the audio and the manifest, with each
# --section-cues.
#
# Needs (Debian packages, installed with apt-get if missing, as root or through sudo -n):
#   fluidsynth fluid-soundfont-gm musescore-general-soundfont timgm6mb-soundfont ffmpeg python3-mido
# Runs with /usr/bin/python3 (Debian's Python; no PyPI).
# Exit status: 0 ok; 1 a tool cannot be installed or a song failed; 2 bad usage or refused ids.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
PKGS=(fluidsynth fluid-soundfont-gm musescore-general-soundfont timgm6mb-soundfont ffmpeg python3-mido)

die() { echo "render-training.sh: ERROR: $*" >&2; exit 1; }
usage() { sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 1 ] || usage
case "$1" in -h|--help) usage ;; esac

# ---------------------------------------------------------------- tools
missing() {
  command -v fluidsynth >/dev/null 2>&1 || return 0
  command -v ffmpeg >/dev/null 2>&1 || return 0
  [ -x "$PY" ] || return 0
  "$PY" -c 'import mido' >/dev/null 2>&1 || return 0
  [ -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || return 0
  [ -f /usr/share/sounds/sf3/MuseScore_General.sf3 ] || return 0
  [ -f /usr/share/sounds/sf2/TimGM6mb.sf2 ] || return 0
  return 1
}

if missing; then
  echo "render-training.sh: installing ${PKGS[*]} with apt-get ..." >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "packages missing and not root (no sudo): install ${PKGS[*]}"
    SUDO="sudo -n"
  fi
  command -v apt-get >/dev/null 2>&1 || die "packages missing and no apt-get: install ${PKGS[*]}"
  export DEBIAN_FRONTEND=noninteractive
  LOG=$(mktemp "${TMPDIR:-/tmp}/render-training-apt.XXXXXX.log")
  apt_install() {
    $SUDO apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends "${PKGS[@]}" >> "$LOG" 2>&1
  }
  if ! compgen -G "/var/lib/apt/lists/*_Packages*" >/dev/null; then
    $SUDO apt-get update -q >> "$LOG" 2>&1 || die "apt-get update failed (see $LOG)"
  fi
  if ! apt_install; then
    echo "render-training.sh: install failed, running apt-get update and retrying" >&2
    $SUDO apt-get update -q >> "$LOG" 2>&1 || die "apt-get update failed (see $LOG)"
    apt_install || die "apt-get install ${PKGS[*]} failed (see $LOG)"
  fi
  missing && die "still missing after apt-get (see $LOG)"
fi

# ---------------------------------------------------------------- self-test
if [ "$1" = "--self-test" ]; then
  SRC=${2:-$HERE/../../shared/corpus/pop909-train}
  [ -d "$SRC/midi" ] || die "self-test: no corpus at $SRC (pass SRC_DIR)"
  T=$(mktemp -d "${TMPDIR:-/tmp}/render-selftest.XXXXXX") || die "mktemp failed"
  trap 'rm -rf "$T"' EXIT
  # a song that is not solo piano and has drums with seed 1 exercises the most code: 002
  ID=${SELFTEST_ID:-002}
  for cues in exact loose crossing; do
    for run in a b; do
      "$PY" "$HERE/render_training.py" "$SRC" "$T/$cues-$run" --ids "$ID" --seed 1 --section-cues "$cues" \
        || die "self-test: render $cues-$run failed"
    done
    A=$(cd "$T/$cues-a" && md5sum "$ID".* manifest.json)
    B=$(cd "$T/$cues-b" && md5sum "$ID".* manifest.json)
    echo "$A"
    if [ "$A" != "$B" ]; then
      echo "$B" >&2
      die "self-test FAILED: the two renders of $ID (--section-cues $cues) differ"
    fi
  done
  echo "render-training.sh: self-test OK (two renders of $ID are byte-identical, exact, loose and crossing cues)"
  exit 0
fi

exec nice -n 10 "$PY" "$HERE/render_training.py" "$@"
