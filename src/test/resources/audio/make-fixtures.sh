#!/bin/sh
# Regenerates the small encoded fixtures used by the audio decoder tests.
# Needs ffmpeg (with libmp3lame, libvorbis, libopus) — only to regenerate; the tests read the committed files.
# Every file is a 440 Hz sine at amplitude 0.5 (same phase on every channel).
# sine440-mono-22050.mp3 has no ID3 tag on purpose (the sniffer must find it by frame sync).
set -eu
cd "$(dirname "$0")"

tone() { # tone <rate> <channels> <seconds>
  expr="0.5*sin(2*PI*440*t)"
  if [ "$2" = 2 ]; then expr="$expr|$expr"; fi
  echo "aevalsrc=$expr:s=$1:d=$3"
}

ff() { ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$@" -fflags +bitexact; }

ff "$(tone 22050 1 2.5)" -map_metadata -1 -c:a libmp3lame -b:a 32k -id3v2_version 0 sine440-mono-22050.mp3
ff "$(tone 44100 2 2)"   -map_metadata -1 -c:a libmp3lame -b:a 64k       sine440-stereo-44100.mp3
ff "$(tone 44100 1 2)"   -map_metadata -1 -c:a libmp3lame -b:a 48k -id3v2_version 3 -metadata title=Tone sine440-mono-44100-id3.mp3
ff "$(tone 22050 1 2.5)" -map_metadata -1 -c:a flac -sample_fmt s16      sine440-mono-22050.flac
ff "$(tone 44100 2 1)"   -map_metadata -1 -c:a flac -sample_fmt s16      sine440-stereo-44100.flac
ff "$(tone 22050 1 2.5)" -map_metadata -1 -c:a libvorbis -q:a 0          sine440-mono-22050.ogg
ff "$(tone 44100 2 2)"   -map_metadata -1 -c:a libvorbis -q:a 0          sine440-stereo-44100.ogg
# Ogg that we cannot decode (Opus): the sniffer must reject it.
ff "$(tone 48000 1 1)"   -map_metadata -1 -c:a libopus -b:a 16k          sine440-mono.opus.ogg
ls -l
