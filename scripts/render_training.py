#!/usr/bin/python3
"""Seeded, reproducible renderer of *varied* training audio from the POP909 training MIDI.

Run it through scripts/render-training.sh (which installs the Debian packages it needs):

    render_training.py SRC_DIR OUT_DIR [--seed N] [--limit K] [--ids a,b,c] [--exclude INDEX_JSON]...
                       [--decode-lossy] [--keep-midi] [--section-cues exact|loose|crossing]

For every SRC_DIR/midi/NNN.mid (with refs/NNN.json and beats/NNN.txt) it writes one audio file
OUT_DIR/NNN.{wav,mp3,ogg} (22050 Hz, mono) and an entry in OUT_DIR/manifest.json.  Per song, all
random choices come from a generator seeded by (global seed, song id) only, so a song sounds the
same whichever other songs are rendered with it:

- General MIDI programs for the MELODY, BRIDGE (secondary melody) and PIANO (accompaniment)
  tracks, sometimes a different melody instrument in choruses, sometimes a pad/strings layer
  doubling the accompaniment in choruses; 15 % of the songs stay solo piano (no drums, no bass);
- generated drums (channel 10) that follow the sections of refs/NNN.json on the beats of
  beats/NNN.txt (a pattern per section type, a crash on a section's first beat, sometimes a fill
  before a boundary; several styles and kits; 20 % of the other songs have no drums);
  with --section-cues loose the drums follow the sections the way a drummer does, not exactly:
  the crash on a section's first beat only sometimes, crashes and fills on phrase starts inside
  sections too, a third of the songs with one groove and level throughout, and a drum entry that
  may come a bar before or some bars after the first section change (so a learned model cannot
  take "the drums changed" for "a section starts");
  with --section-cues crossing, as loose, and besides: a section's drum and bass part may start a
  bar before or one or two bars after the section (crossStart), and a section of 8+ bars may change
  its groove and, half the time, its accompanying instrument on a 4-bar phrase inside (innerChange),
  so that a change of sound alone is not taken for a section start;
- a bass line on the lowest sounding PIANO note, moved into the bass register;
- the soundfont (FluidR3_GM, MuseScore_General, TimGM6mb), mixer levels, pan, reverb/chorus sends;
- EQ (high-pass, low-pass, 0-3 peaking bands), peak level (-14..-2 dBFS) and the output codec
  (WAV, MP3 64-160 kb/s or Ogg Vorbis q1-q5).

MIDI timing is kept: the original tracks and tempo map are copied unchanged (only program
changes, volume/pan/effect controllers and, for non-keyboard accompaniment, the sustain pedal are
touched) and the generated notes are placed at the beats' seconds converted back to ticks through
the tempo map, so audio time 0 = MIDI time 0 and refs/ still align.

Songs of the validation set (../pop909-dev/index.json next to SRC_DIR, and every --exclude index)
are refused.  Exit status: 0 ok, 1 a song failed, 2 bad usage or a refused id.
"""

import argparse
import bisect
import hashlib
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

import mido

GENERATOR_VERSION = 1
SECTION_CUES = ("exact", "loose", "crossing")
RATE = 22050
FLUID_GAIN = 0.4

SOUNDFONTS = [  # (name, path, Debian package)
    ("FluidR3_GM", "/usr/share/sounds/sf2/FluidR3_GM.sf2", "fluid-soundfont-gm"),
    ("MuseScore_General", "/usr/share/sounds/sf3/MuseScore_General.sf3", "musescore-general-soundfont"),
    ("TimGM6mb", "/usr/share/sounds/sf2/TimGM6mb.sf2", "timgm6mb-soundfont"),
]

# General MIDI programs (0-based) -------------------------------------------------------------
GM_NAMES = {
    0: "Acoustic Grand Piano", 1: "Bright Acoustic Piano", 2: "Electric Grand Piano",
    4: "Electric Piano 1", 5: "Electric Piano 2", 6: "Harpsichord", 8: "Celesta", 11: "Vibraphone",
    16: "Drawbar Organ", 17: "Percussive Organ", 18: "Rock Organ", 19: "Church Organ",
    21: "Accordion", 22: "Harmonica", 24: "Acoustic Guitar (nylon)", 25: "Acoustic Guitar (steel)",
    26: "Electric Guitar (jazz)", 27: "Electric Guitar (clean)", 29: "Overdriven Guitar",
    30: "Distortion Guitar", 32: "Acoustic Bass", 33: "Electric Bass (finger)",
    34: "Electric Bass (pick)", 35: "Fretless Bass", 38: "Synth Bass 1", 39: "Synth Bass 2",
    40: "Violin", 42: "Cello", 46: "Orchestral Harp", 48: "String Ensemble 1",
    49: "String Ensemble 2", 50: "Synth Strings 1", 52: "Choir Aahs", 53: "Voice Oohs",
    54: "Synth Voice", 56: "Trumpet", 57: "Trombone", 60: "French Horn", 61: "Brass Section",
    62: "Synth Brass 1", 64: "Soprano Sax", 65: "Alto Sax", 66: "Tenor Sax", 68: "Oboe",
    71: "Clarinet", 73: "Flute", 75: "Pan Flute", 80: "Lead 1 (square)", 81: "Lead 2 (sawtooth)",
    82: "Lead 3 (calliope)", 85: "Lead 6 (voice)", 87: "Lead 8 (bass + lead)",
    88: "Pad 1 (new age)", 89: "Pad 2 (warm)", 90: "Pad 3 (polysynth)", 91: "Pad 4 (choir)",
    92: "Pad 5 (bowed)", 94: "Pad 7 (halo)", 95: "Pad 8 (sweep)",
}
# melody (the sung line): instruments that carry a lead in the POP909 register (about C4-C6)
LEADS = [0, 1, 4, 5, 11, 16, 18, 22, 24, 25, 26, 27, 29, 40, 48, 52, 53, 54, 56, 61, 64, 65,
         66, 68, 71, 73, 75, 80, 81, 82, 85, 21]
# secondary melody / counter line
SECONDARY = [0, 4, 5, 8, 11, 24, 25, 27, 40, 42, 46, 48, 49, 50, 52, 60, 61, 62, 68, 71, 73,
             88, 89, 90, 91, 16]
# accompaniment (chords, arpeggios, left hand)
ACCOMP = [0, 0, 1, 2, 4, 5, 6, 16, 17, 18, 19, 24, 25, 26, 27, 46, 48, 49, 50, 88, 89, 90, 91]
CHORUS_LAYER = [48, 49, 50, 52, 88, 89, 91, 92, 94, 95, 61, 62]
BASSES = [32, 33, 34, 35, 38, 39]
KEYBOARDS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 46}  # keep the sustain pedal for these

# Drums (GM percussion keys) ----------------------------------------------------------------
KICK, SIDE, SNARE, CLAP, ESNARE = 36, 37, 38, 39, 40
CHH, PHH, OHH = 42, 44, 46
LTOM, MTOM, HTOM, FTOM = 45, 47, 50, 43
CRASH, RIDE, RIDEBELL, TAMB, SHAKER = 49, 51, 53, 54, 70
DRUM_STYLES = ["rock8", "four_floor", "half_time", "shuffle", "ballad16"]
KITS = {  # GM kit programs on bank 128 (all three soundfonts have them)
    "rock8": [0, 8, 16], "four_floor": [0, 24, 25], "half_time": [0, 8, 25],
    "shuffle": [0, 32, 40], "ballad16": [0, 8, 40],
}
KIT_NAMES = {0: "Standard", 8: "Room", 16: "Power", 24: "Electronic", 25: "TR-808", 32: "Jazz",
             40: "Brush"}

P_SOLO_PIANO = 0.15     # all three tracks piano, no drums, no bass
P_NO_DRUMS = 0.20       # of the other songs
P_NO_BASS = 0.10        # of the other songs
P_CHORUS_LEAD = 0.40    # a different melody instrument in choruses
P_CHORUS_LAYER = 0.30   # strings/pad doubling the accompaniment in choruses
P_FILL = 0.5            # per boundary: a drum fill in the last beat(s) before it
CODECS = [("wav", 0.5), ("mp3", 0.25), ("ogg", 0.25)]
MP3_KBPS = [64, 80, 96, 112, 128, 144, 160]  # MPEG-2 layer III at 22050 Hz tops out at 160 kb/s


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def song_rng(seed, song_id, purpose):
    """A generator that depends only on (global seed, song id, purpose): stable across runs,
    Python versions (the seed is an int from sha256) and the set of songs rendered."""
    h = hashlib.sha256(f"vibecraft-render-training/{seed}/{song_id}/{purpose}".encode()).digest()
    return random.Random(int.from_bytes(h[:8], "big"))


def wchoice(rng, pairs):
    r = rng.random() * sum(w for _, w in pairs)
    for v, w in pairs:
        r -= w
        if r < 0:
            return v
    return pairs[-1][0]


# ---------------------------------------------------------------------------- tempo map
class TempoMap:
    """Ticks <-> seconds for a type-1 file (tempo changes may sit in any track)."""

    def __init__(self, mid):
        self.tpb = mid.ticks_per_beat
        changes = {}
        for tr in mid.tracks:
            t = 0
            for msg in tr:
                t += msg.time
                if msg.type == "set_tempo":
                    changes[t] = msg.tempo  # same tick in two tracks: the later track wins, as mido
        if 0 not in changes:
            changes[0] = 500000
        self.ticks = sorted(changes)
        self.tempos = [changes[t] for t in self.ticks]
        self.secs = [0.0]
        for i in range(1, len(self.ticks)):
            dt = self.ticks[i] - self.ticks[i - 1]
            self.secs.append(self.secs[-1] + dt * self.tempos[i - 1] / 1e6 / self.tpb)

    def to_sec(self, tick):
        i = bisect.bisect_right(self.ticks, tick) - 1
        return self.secs[i] + (tick - self.ticks[i]) * self.tempos[i] / 1e6 / self.tpb

    def to_tick(self, sec):
        i = max(0, bisect.bisect_right(self.secs, sec) - 1)
        return int(round(self.ticks[i] + (sec - self.secs[i]) * 1e6 * self.tpb / self.tempos[i]))


def notes_of(track):
    """(on_tick, off_tick, pitch, velocity) of a track's notes."""
    out, open_ = [], {}
    t = 0
    for msg in track:
        t += msg.time
        if msg.type == "note_on" and msg.velocity > 0:
            open_.setdefault(msg.note, []).append((t, msg.velocity))
        elif msg.type in ("note_off", "note_on"):
            if open_.get(msg.note):
                on, vel = open_[msg.note].pop(0)
                out.append((on, t, msg.note, vel))
    out.sort()
    return out


def to_track(name, events, end_tick=0):
    """events: (abs_tick, order, message) -> a MidiTrack with delta times, ending at end_tick
    (or at its last event) so the file is exactly as long as the original."""
    tr = mido.MidiTrack()
    tr.append(mido.MetaMessage("track_name", name=name, time=0))
    t = 0
    for tick, _, msg in sorted(events, key=lambda e: (e[0], e[1])):
        tr.append(msg.copy(time=tick - t))
        t = tick
    tr.append(mido.MetaMessage("end_of_track", time=max(0, end_tick - t)))
    return tr


# ---------------------------------------------------------------------------- choices
def choose(seed, song_id, sections, section_cues="exact"):
    rng = song_rng(seed, song_id, "choices")
    c = {"seed": seed, "generatorVersion": GENERATOR_VERSION}
    c["soundfont"] = rng.choice([s[0] for s in SOUNDFONTS])
    solo = rng.random() < P_SOLO_PIANO
    c["soloPiano"] = solo
    if solo:
        c["programs"] = {"melody": 0, "bridge": 0, "piano": 0}
        c["melodyChorusProgram"] = None
        c["chorusLayerProgram"] = None
        c["drums"] = None
        c["bass"] = None
    else:
        mel = rng.choice(LEADS)
        c["programs"] = {"melody": mel, "bridge": rng.choice(SECONDARY), "piano": rng.choice(ACCOMP)}
        has_chorus = any(s["label"] == "chorus" for s in sections)
        c["melodyChorusProgram"] = (rng.choice([p for p in LEADS if p != mel])
                                    if has_chorus and rng.random() < P_CHORUS_LEAD else None)
        c["chorusLayerProgram"] = (rng.choice(CHORUS_LAYER)
                                   if has_chorus and rng.random() < P_CHORUS_LAYER else None)
        if rng.random() < P_NO_DRUMS:
            c["drums"] = None
        else:
            style = rng.choice(DRUM_STYLES)
            kit = rng.choice(KITS[style])
            c["drums"] = {"style": style, "kit": kit, "kitName": KIT_NAMES[kit],
                          "introDrums": rng.choice(["none", "none", "sparse", "groove"]),
                          "verseSnare": rng.choice(["snare", "snare", "sidestick"]),
                          "chorusCymbal": rng.choice(["openhat", "ride", "hat", "crash4"]),
                          "bridgeFeel": rng.choice(["half_time", "ride", "toms", "same"])}
        if rng.random() < P_NO_BASS:
            c["bass"] = None
        else:
            c["bass"] = {"program": rng.choice(BASSES),
                         "pattern": rng.choice(["half_bar", "beat", "beat", "eighths", "push"])}
    c["mix"] = {
        "melodyVolume": rng.randint(95, 120), "bridgeVolume": rng.randint(60, 100),
        "pianoVolume": rng.randint(65, 105), "layerVolume": rng.randint(45, 80),
        "bassVolume": rng.randint(80, 115), "drumVolume": rng.randint(70, 110),
        "pan": {"melody": rng.randint(54, 74), "bridge": rng.randint(30, 98),
                "piano": rng.randint(40, 88), "layer": rng.randint(24, 104)},
        "reverb": rng.randint(10, 90), "chorus": rng.randint(0, 50),
    }
    eq = []
    if rng.random() < 0.5:
        eq.append({"type": "highpass", "f": round(math.exp(rng.uniform(math.log(30), math.log(250))))})
    if rng.random() < 0.5:
        eq.append({"type": "lowpass", "f": round(math.exp(rng.uniform(math.log(3500), math.log(10000))))})
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        eq.append({"type": "equalizer", "f": round(math.exp(rng.uniform(math.log(80), math.log(8000)))),
                   "q": round(rng.uniform(0.5, 2.5), 2), "g": round(rng.uniform(-9.0, 6.0), 1)})
    c["eq"] = eq
    c["peakDb"] = round(rng.uniform(-14.0, -2.0), 1)
    codec = wchoice(rng, CODECS)
    if codec == "mp3":
        c["codec"] = {"format": "mp3", "kbps": rng.choice(MP3_KBPS)}
    elif codec == "ogg":
        c["codec"] = {"format": "ogg", "quality": rng.randint(1, 5)}
    else:
        c["codec"] = {"format": "wav"}
    if section_cues in ("loose", "crossing"):  # (no key otherwise: exact renders stay byte-identical, manifest too)
        c["cues"] = loose_cues(seed, song_id)
        if section_cues == "crossing":
            c["cues"].update(crossing_cues(seed, song_id))
    return c


def loose_cues(seed, song_id):
    """How loosely this song's drums follow its sections (own generator: the other choices stay put)."""
    rng = song_rng(seed, song_id, "cues")
    return {"startCrash": rng.choice([0.3, 0.6, 0.9]),        # P(crash on a section's first beat)
            "phraseEvents": rng.choice([0.0, 0.25, 0.5]),     # P(crash, maybe a fill, on a 4-bar phrase inside)
            "flat": rng.random() < 0.35,                      # one groove and level for the whole song
            "entryShiftBars": rng.choice([0, 0, -1, 2, 4])}   # drums after a silent intro come in early/late


def crossing_cues(seed, song_id):
    """Changes of sound that are not section starts (own generator: the loose choices stay put).

    A band does not change only at the written sections: its drums may switch a bar before or after
    the new part, and a part may change its groove or its accompanying instrument half-way through.
    """
    rng = song_rng(seed, song_id, "crossing")
    return {"crossStart": rng.choice([0.0, 0.3, 0.6]),       # P(a section's drum part starts off its start)
            "innerChange": rng.choice([0.0, 0.3, 0.6])}      # P(a long section changes groove/instrument inside)


def crossed_grid(c, grid, song_id):
    """The beat grid as the drums and bass play it: each section's start moved by -4..+8 beats
    with probability crossStart (never leaving a part shorter than 8 beats)."""
    cues = c.get("cues") or {}
    if not cues.get("crossStart"):
        return grid
    starts = [g for g, row in enumerate(grid) if row[3] == 0]
    moved = [0]
    for i, g in enumerate(starts[1:], 1):
        r = random.Random(hash_int(c["seed"], song_id, i, "cross"))
        shift = r.choice([-4, 4, 8]) if r.random() < cues["crossStart"] else 0
        lo = moved[-1] + 8
        hi = (starts[i + 1] if i + 1 < len(starts) else len(grid)) - 8
        moved.append(g + shift if lo <= g + shift <= hi else g)
    out = []
    for i, a in enumerate(moved):
        b = moved[i + 1] if i + 1 < len(moved) else len(grid)
        si = grid[starts[i]][2]
        out += [(grid[g][0], grid[g][1], si, g - a, b - a) for g in range(a, b)]
    return out


def inner_changes(c, grid, song_id):
    """{section index: beat in section} where a section of 8+ bars changes its arrangement on a
    4-bar phrase, at least 4 bars from either end, with probability innerChange."""
    cues = c.get("cues") or {}
    out = {}
    if not cues.get("innerChange"):
        return out
    for t, dur, si, k, n in grid:
        if k != 0 or n < 32:
            continue
        r = random.Random(hash_int(c["seed"], song_id, si, "inner"))
        if r.random() < cues["innerChange"]:
            out[si] = r.choice(list(range(16, n - 15, 16)))
    return out


# ---------------------------------------------------------------------------- arrangement
def section_at(sections, t):
    for s in sections:
        if s["start"] <= t < s["end"]:
            return s
    return None


def beat_grid(beats, sections):
    """Per beat: (time, duration, section index, beat index in section, beats in section)."""
    out = []
    for si, s in enumerate(sections):
        idx = [i for i, b in enumerate(beats) if s["start"] - 0.08 <= b < s["end"] - 0.08]
        for k, i in enumerate(idx):
            dur = beats[i + 1] - beats[i] if i + 1 < len(beats) else (beats[i] - beats[i - 1] if i else 0.5)
            out.append((beats[i], dur, si, k, len(idx)))
    return out


def drum_events(c, sections, grid, rng, song_id, inner=None):
    """(seconds, key, velocity) hits; inner: {section index: beat} where the groove changes inside."""
    inner = inner or {}
    d = c["drums"]
    hits = []
    style = d["style"]

    def hit(t, key, vel):
        vel = max(1, min(127, int(vel + rng.randint(-6, 6))))
        hits.append((max(0.0, t + rng.uniform(-0.004, 0.004)), key, vel))

    cues = c.get("cues")
    flat = cues is not None and cues["flat"]
    entry = None  # loose cues: the global beat where drums after a silent intro come in
    if cues is not None and d["introDrums"] == "none" and not flat:
        first_change = next((g for g, (_, _, si, _, _) in enumerate(grid) if sections[si]["label"] != "intro"), None)
        if first_change is not None and first_change > 0:
            entry = max(0, first_change + 4 * cues["entryShiftBars"])

    for g, (t, dur, si, k, n) in enumerate(grid):
        s = sections[si]
        label = "verse" if flat else s["label"]
        pos = k % 4          # sections start on a bar line (4/4)
        bar = k // 4
        sub = [t + dur * f for f in (0.0, 0.25, 0.5, 0.75)]
        swing8 = t + dur * 2.0 / 3.0
        first, last_beats = k == 0, n - k  # last_beats: 1 = the section's last beat
        # level per section type (outro fades out over its length)
        lvl = {"intro": 0.7, "verse": 0.85, "chorus": 1.0, "bridge": 0.9, "outro": 0.8}[label]
        if label == "outro":
            lvl *= max(0.25, 1.0 - k / max(1, n))
        mode = "groove"
        if label == "intro":
            mode = {"none": None, "sparse": "sparse", "groove": "groove"}[d["introDrums"]]
        elif label == "outro":
            mode = "sparse" if k >= n / 2 else "groove"
        elif label == "bridge" and d["bridgeFeel"] != "same":
            mode = d["bridgeFeel"]
        if entry is not None:
            mode = None if g < entry else (mode or "groove")
        if si in inner and k >= inner[si] and mode is not None:
            ri = random.Random(hash_int(c["seed"], song_id, si, "inner-mode"))
            mode = ri.choice([m for m in ("groove", "ride", "half_time", "toms", "sparse") if m != mode])
            if k == inner[si] and ri.random() < 0.5:
                hit(t, CRASH, 100 * lvl)
        if mode is None:
            continue
        v = lambda base: base * lvl
        crash = first and s["label"] != "intro"
        if cues is not None:
            rc = random.Random(hash_int(c["seed"], song_id, g, "crash"))
            if first:
                crash = crash and rc.random() < cues["startCrash"]
            elif k % 16 == 0 and last_beats > 8:
                crash = rc.random() < cues["phraseEvents"]  # a phrase inside the section
            crash = crash or (g == entry and rc.random() < 0.5)
        if crash:
            hit(t, CRASH, v(110))
        # fill: the last 1 or 2 beats before a boundary (decided per section, reproducibly)
        fill_beats, beats_left = 0, last_beats
        if si + 1 < len(sections):
            rs = random.Random(hash_int(c["seed"], song_id, si, "fill"))
            if rs.random() < P_FILL:
                fill_beats = rs.choice([1, 1, 2])
        if cues is not None and k % 16 >= 14 and last_beats > 8:
            # loose cues: a drummer's fill before a phrase inside the section too
            rf = random.Random(hash_int(c["seed"], song_id, si, k // 16, "phrase-fill"))
            if rf.random() < cues["phraseEvents"] * 0.6:
                fill_beats, beats_left = rf.choice([1, 2]), 16 - k % 16
        if beats_left <= fill_beats and mode != "sparse":
            toms = [SNARE, SNARE, HTOM, HTOM, MTOM, MTOM, LTOM, FTOM]
            j = (fill_beats - beats_left) * 4
            for q in range(4):
                hit(sub[q], toms[min(7, j + q)] if rng.random() < 0.7 else SNARE, v(85 + 6 * q))
            if pos in (0, 2):
                hit(t, KICK, v(95))
            continue
        if mode == "sparse":
            if pos == 0:
                hit(t, KICK, v(80))
            hit(t, CHH if style != "shuffle" else RIDE, v(55))
            if pos == 2 and label == "intro":
                hit(t, SIDE, v(60))
            continue
        # the main groove ------------------------------------------------------------
        sty = "half_time" if mode == "half_time" else style
        snare = SIDE if (label in ("verse", "intro") and d["verseSnare"] == "sidestick") else SNARE
        if label == "chorus":
            cym = {"openhat": OHH, "ride": RIDE, "hat": CHH, "crash4": CHH}[d["chorusCymbal"]]
            if d["chorusCymbal"] == "crash4" and pos == 0 and bar % 4 == 0 and not first:
                hit(t, CRASH, v(95))
        elif mode == "ride":
            cym = RIDE
        else:
            cym = CHH
        if mode == "toms":
            hit(t, FTOM if pos % 2 == 0 else LTOM, v(90))
            hit(sub[2], MTOM, v(70))
            if pos == 0:
                hit(t, KICK, v(100))
            continue
        if sty == "rock8":
            hit(sub[0], cym, v(80)); hit(sub[2], cym, v(62))
            if pos in (0, 2):
                hit(t, KICK, v(105))
            if pos == 1 and label == "chorus":
                hit(sub[2], KICK, v(85))
            if pos in (1, 3):
                hit(t, snare, v(100))
        elif sty == "four_floor":
            hit(t, KICK, v(110))
            hit(sub[2], OHH if cym == CHH else cym, v(75))
            if label == "chorus":
                hit(sub[1], CHH, v(45)); hit(sub[3], CHH, v(45))
            if pos in (1, 3):
                hit(t, CLAP if snare == SNARE and c["drums"]["kit"] in (24, 25) else snare, v(100))
        elif sty == "half_time":
            hit(sub[0], cym, v(75)); hit(sub[2], cym, v(58))
            if pos == 0:
                hit(t, KICK, v(105))
            if pos == 1:
                hit(sub[3], KICK, v(75))
            if pos == 2:
                hit(t, snare, v(105))
        elif sty == "shuffle":
            hit(t, RIDE if cym == CHH and label == "chorus" else cym, v(78))
            hit(swing8, CHH if cym == CHH else cym, v(55))
            if pos in (0, 2):
                hit(t, KICK, v(100))
            if pos == 2:
                hit(swing8, KICK, v(70))
            if pos in (1, 3):
                hit(t, snare, v(95))
        else:  # ballad16
            for q in range(4):
                hit(sub[q], cym if cym != CHH else (CHH if q % 2 == 0 else PHH), v(62 if q == 0 else 42))
            if pos == 0:
                hit(t, KICK, v(100))
            if pos == 2:
                hit(sub[2], KICK, v(80))
            if pos in (1, 3):
                hit(t, snare, v(95))
            if label == "chorus" and pos == 3:
                hit(sub[2], TAMB, v(60))
    return hits


def hash_int(*parts):
    h = hashlib.sha256("/".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(h[:8], "big")


def bass_events(c, sections, grid, piano, tmap, rng):
    """(start_sec, end_sec, pitch, velocity) from the lowest sounding PIANO note."""
    pat = c["bass"]["pattern"]
    spans = [(tmap.to_sec(on), tmap.to_sec(off), p) for on, off, p, _ in piano]
    starts = [s[0] for s in spans]
    out = []

    def lowest(t):
        # notes sounding at t, or starting just after it (arpeggios played a bit late)
        j = bisect.bisect_right(starts, t + 0.06)
        cand = [p for (a, b, p) in spans[max(0, j - 60):j] if b > t + 0.02]
        return min(cand) if cand else None

    for (t, dur, si, k, n) in grid:
        label = sections[si]["label"]
        pos = k % 4
        if pat == "half_bar":
            times = [(t, 2 * dur)] if pos in (0, 2) else []
        elif pat == "beat":
            times = [(t, dur)]
        elif pat == "eighths":
            times = [(t, dur / 2), (t + dur / 2, dur / 2)]
        else:  # push: 1, 2-and (tied), 3, 4
            times = {0: [(t, dur)], 1: [(t + dur / 2, dur * 1.5)], 2: [], 3: [(t, dur)]}[pos]
        if label == "intro" and c["drums"] is None and pat != "half_bar":
            times = [(a, b) for a, b in times if pos in (0, 2) and a == t]
        for a, length in times:
            p = lowest(a)
            if p is None:
                continue
            while p > 45:
                p -= 12
            while p < 28:
                p += 12
            lvl = 0.9 if c.get("cues") and c["cues"]["flat"] else \
                {"intro": 0.8, "verse": 0.9, "chorus": 1.0, "bridge": 0.9, "outro": 0.8}[label]
            vel = int(max(30, min(127, (92 if a == t and pos == 0 else 80) * lvl + rng.randint(-5, 5))))
            out.append((a, a + max(0.08, length * 0.92), p, vel))
    return out


def build_midi(mid, sections, beats, c, seed, song_id):
    tmap = TempoMap(mid)
    names = [tr.name for tr in mid.tracks]
    rng = song_rng(seed, song_id, "arrangement")
    mix = c["mix"]
    prog = c["programs"]
    out = mido.MidiFile(type=1, ticks_per_beat=mid.ticks_per_beat)
    last_tick = max(sum(m.time for m in tr) for tr in mid.tracks)
    role_of = {"MELODY": "melody", "BRIDGE": "bridge", "PIANO": "piano"}
    grid = beat_grid(beats, sections)
    dgrid = crossed_grid(c, grid, song_id)      # the grid as drums and bass play it
    inner = inner_changes(c, dgrid, song_id)
    piano_notes = []
    used = set()
    for tr in mid.tracks:
        role = role_of.get(tr.name)
        if role is None:  # the tempo / meta track: copied as is
            out.tracks.append(tr.copy())
            continue
        if role == "piano":
            piano_notes = notes_of(tr)
        keep_pedal = prog[role] in KEYBOARDS
        events, t, ch = [], 0, None
        for msg in tr:
            t += msg.time
            if msg.type == "program_change" or msg.type == "track_name" or msg.type == "end_of_track":
                ch = msg.channel if hasattr(msg, "channel") else ch
                continue
            if msg.type == "control_change" and (msg.control == 7 or (msg.control == 64 and not keep_pedal)):
                continue  # volume comes from the mix below; no pedal on guitars, strings, pads...
            if hasattr(msg, "channel"):
                ch = msg.channel if ch is None else ch
            events.append((t, 2, msg.copy(time=0)))
        chans = [m.channel for _, _, m in events if hasattr(m, "channel")]
        ch = chans[0] if chans else len(used)
        used.add(ch)
        vol = mix[role + "Volume"]
        head = [mido.Message("program_change", channel=ch, program=prog[role]),
                mido.Message("control_change", channel=ch, control=7, value=vol),
                mido.Message("control_change", channel=ch, control=10, value=mix["pan"][role]),
                mido.Message("control_change", channel=ch, control=91, value=mix["reverb"]),
                mido.Message("control_change", channel=ch, control=93, value=mix["chorus"])]
        events += [(0, i - 10, m) for i, m in enumerate(head)]
        if role == "piano" and inner and not c["soloPiano"]:
            # an inner change: half the time the accompaniment changes instrument until the section ends
            for t, dur, si, k, n in dgrid:
                if inner.get(si) != k:
                    continue
                r = random.Random(hash_int(seed, song_id, si, "inner-program"))
                if r.random() < 0.5:
                    other = r.choice([q for q in ACCOMP if q != prog[role]])
                    end = t + dur * (n - k)
                    events.append((tmap.to_tick(t - 0.03), 1, mido.Message("program_change", channel=ch, program=other)))
                    events.append((tmap.to_tick(end - 0.03), 1,
                                   mido.Message("program_change", channel=ch, program=prog[role])))
        if role == "melody" and c["melodyChorusProgram"] is not None:
            for s in sections:
                p = c["melodyChorusProgram"] if s["label"] == "chorus" else prog["melody"]
                if s["start"] > 0:
                    events.append((tmap.to_tick(s["start"] - 0.03), 1,
                                   mido.Message("program_change", channel=ch, program=p)))
        out.tracks.append(to_track(tr.name, events, sum(m.time for m in tr)))
    free = [ch for ch in range(16) if ch not in used and ch != 9]

    if c["chorusLayerProgram"] is not None:
        ch = free.pop(0)
        ev = [(0, -5, mido.Message("program_change", channel=ch, program=c["chorusLayerProgram"])),
              (0, -4, mido.Message("control_change", channel=ch, control=7, value=mix["layerVolume"])),
              (0, -3, mido.Message("control_change", channel=ch, control=10, value=mix["pan"]["layer"])),
              (0, -2, mido.Message("control_change", channel=ch, control=91, value=mix["reverb"]))]
        for on, off, p, vel in piano_notes:
            s = section_at(sections, tmap.to_sec(on))
            if s is None or s["label"] != "chorus":
                continue
            end = min(off, tmap.to_tick(s["end"]))
            ev.append((on, 2, mido.Message("note_on", channel=ch, note=p, velocity=max(1, int(vel * 0.8)))))
            ev.append((max(end, on + 1), 1, mido.Message("note_off", channel=ch, note=p, velocity=0)))
        out.tracks.append(to_track("LAYER", ev))

    if c["bass"] is not None:
        ch = free.pop(0)
        ev = [(0, -5, mido.Message("program_change", channel=ch, program=c["bass"]["program"])),
              (0, -4, mido.Message("control_change", channel=ch, control=7, value=mix["bassVolume"])),
              (0, -3, mido.Message("control_change", channel=ch, control=10, value=64)),
              (0, -2, mido.Message("control_change", channel=ch, control=91, value=mix["reverb"] // 3))]
        for a, b, p, vel in bass_events(c, sections, dgrid, piano_notes, tmap, rng):
            on, off = tmap.to_tick(a), min(last_tick, tmap.to_tick(b))
            if off <= on:
                continue
            ev.append((on, 2, mido.Message("note_on", channel=ch, note=p, velocity=vel)))
            ev.append((off, 1, mido.Message("note_off", channel=ch, note=p, velocity=0)))
        out.tracks.append(to_track("BASS", ev))

    if c["drums"] is not None:
        ev = [(0, -5, mido.Message("program_change", channel=9, program=c["drums"]["kit"])),
              (0, -4, mido.Message("control_change", channel=9, control=7, value=mix["drumVolume"])),
              (0, -3, mido.Message("control_change", channel=9, control=91, value=mix["reverb"] // 2))]
        for t, key, vel in drum_events(c, sections, dgrid, rng, song_id, inner):
            on = tmap.to_tick(t)
            off = min(last_tick, on + max(1, mid.ticks_per_beat // 8))
            if on >= last_tick:
                continue
            ev.append((on, 2, mido.Message("note_on", channel=9, note=key, velocity=vel)))
            ev.append((off, 1, mido.Message("note_off", channel=9, note=key, velocity=0)))
        out.tracks.append(to_track("DRUMS", ev))
    return out


# ---------------------------------------------------------------------------- audio
def run(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({p.returncode}): {p.stderr.strip()[-2000:]}")
    return p


def eq_filter(eq):
    parts = []
    for e in eq:
        if e["type"] in ("highpass", "lowpass"):
            parts.append(f"{e['type']}=f={e['f']}")
        else:
            parts.append(f"equalizer=f={e['f']}:t=q:w={e['q']}:g={e['g']}")
    return parts


def render_song(song_id, src, out_dir, tmp, seed, sf_paths, decode_lossy, keep_midi, section_cues):
    sections = load_sections(src, song_id)
    beats = [float(x) for x in open(os.path.join(src, "beats", song_id + ".txt")).read().split()]
    mid = mido.MidiFile(os.path.join(src, "midi", song_id + ".mid"))
    c = choose(seed, song_id, sections, section_cues)
    new = build_midi(mid, sections, beats, c, seed, song_id)
    mpath = os.path.join(tmp, song_id + ".mid")
    new.save(mpath)
    stereo = os.path.join(tmp, song_id + ".stereo.wav")
    sf = sf_paths[c["soundfont"]]
    run(["fluidsynth", "-ni", "-q", "-g", str(FLUID_GAIN), "-r", str(RATE),
         "-o", "audio.file.format=float", "-o", "synth.cpu-cores=1",
         "-o", "synth.dynamic-sample-loading=1",
         "-F", stereo, sf, mpath], stdin=subprocess.DEVNULL)
    filters = eq_filter(c["eq"])
    base = ["ffmpeg", "-nostdin", "-hide_banner", "-y", "-i", stereo, "-ac", "1"]
    # measure the peak after EQ, then set the chosen peak level
    af = ",".join(filters + ["volumedetect"])
    p = run(base + ["-af", af, "-f", "null", "-"])
    m = re.findall(r"max_volume:\s*(-?[\d.]+|-inf) dB", p.stderr)
    if not m or m[-1] == "-inf":
        raise RuntimeError("silent render")
    peak = float(m[-1])
    gain = round(c["peakDb"] - peak, 2)
    c["measuredPeakDb"] = peak
    c["gainDb"] = gain
    af = ",".join(filters + [f"volume={gain}dB"])
    codec = c["codec"]
    fmt = codec["format"]
    common = ["-af", af, "-ar", str(RATE), "-map_metadata", "-1", "-fflags", "+bitexact",
              "-flags:a", "+bitexact"]
    if fmt == "wav":
        enc = ["-c:a", "pcm_s16le"]
    elif fmt == "mp3":
        enc = ["-c:a", "libmp3lame", "-b:a", f"{codec['kbps']}k"]
    else:
        enc = ["-c:a", "libvorbis", "-q:a", str(codec["quality"])]
    coded = os.path.join(tmp, f"{song_id}.coded.{fmt}")
    run(base + common + enc + [coded])
    if decode_lossy and fmt != "wav":
        final_ext = "wav"
        dec = os.path.join(tmp, f"{song_id}.decoded.wav")
        run(["ffmpeg", "-nostdin", "-hide_banner", "-y", "-i", coded, "-ac", "1", "-ar", str(RATE),
             "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
             "-c:a", "pcm_s16le", dec])
        coded = dec
    else:
        final_ext = fmt
    c["file"] = f"{song_id}.{final_ext}"
    if keep_midi:
        os.makedirs(os.path.join(out_dir, "midi"), exist_ok=True)
        shutil.move(mpath, os.path.join(out_dir, "midi", song_id + ".mid.part"))
        os.replace(os.path.join(out_dir, "midi", song_id + ".mid.part"),
                   os.path.join(out_dir, "midi", song_id + ".mid"))
    part = os.path.join(out_dir, c["file"] + ".part")
    shutil.move(coded, part)
    os.replace(part, os.path.join(out_dir, c["file"]))
    for f in os.listdir(tmp):
        if f.startswith(song_id + "."):
            os.remove(os.path.join(tmp, f))
    return c


def load_sections(src, song_id):
    with open(os.path.join(src, "refs", song_id + ".json")) as f:
        data = json.load(f)
    return data if isinstance(data, list) else data["sections"]


def describe(c):
    """Readable program names next to the numbers."""
    names = {k: GM_NAMES.get(v, str(v)) for k, v in c["programs"].items()}
    c["programNames"] = names
    if c["melodyChorusProgram"] is not None:
        c["melodyChorusProgramName"] = GM_NAMES.get(c["melodyChorusProgram"])
    if c["chorusLayerProgram"] is not None:
        c["chorusLayerProgramName"] = GM_NAMES.get(c["chorusLayerProgram"])
    if c["bass"] is not None:
        c["bass"]["programName"] = GM_NAMES.get(c["bass"]["program"])
    return c


# ---------------------------------------------------------------------------- main
def read_ids(index):
    with open(index) as f:
        return [s["id"] for s in json.load(f).get("songs", []) if s.get("id")]


def existing_output(out_dir, song_id):
    for ext in ("wav", "mp3", "ogg"):
        p = os.path.join(out_dir, f"{song_id}.{ext}")
        if os.path.isfile(p) and os.path.getsize(p) > 0:
            return p
    return None


def write_json_atomic(path, obj):
    tmp = path + ".part"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, path)


def tool_versions():
    v = {}
    for name, cmd in (("fluidsynth", ["fluidsynth", "--version"]), ("ffmpeg", ["ffmpeg", "-version"])):
        try:
            v[name] = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True).stdout.splitlines()[0].strip()
        except (OSError, IndexError):
            v[name] = None
    v["mido"] = mido.__version__
    return v


def main(argv):
    ap = argparse.ArgumentParser(description="Render varied training audio from POP909 MIDI.")
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="render at most K songs (0: all)")
    ap.add_argument("--ids", default="", help="comma-separated song ids (default: index.json order)")
    ap.add_argument("--exclude", action="append", default=[],
                    help="index.json whose ids are refused (default: ../pop909-dev/index.json)")
    ap.add_argument("--decode-lossy", action="store_true",
                    help="decode MP3/Ogg back to NNN.wav (codec artefacts kept, one format out)")
    ap.add_argument("--keep-midi", action="store_true", help="also keep OUT/midi/NNN.mid (the arrangement)")
    ap.add_argument("--section-cues", choices=SECTION_CUES, default="exact",
                    help="exact: the drums change exactly at section starts (the data of the shipped "
                         "boundary model); loose: as a drummer would, sometimes not; crossing: loose, and "
                         "the drums/bass may switch a bar off the section start and long sections may change "
                         "groove or accompanying instrument half-way (see the module text)")
    a = ap.parse_args(argv)

    src = a.src.rstrip("/")
    if not os.path.isdir(os.path.join(src, "midi")):
        log(f"render_training: no midi/ folder in {src}")
        return 2
    excludes = list(a.exclude)
    if not excludes:
        dev = os.path.join(os.path.dirname(os.path.abspath(src)), "pop909-dev", "index.json")
        if os.path.isfile(dev):
            excludes.append(dev)
        else:
            # the project's own corpus: ../shared next to the checkout
            here = os.path.dirname(os.path.abspath(__file__))
            shared = os.path.join(here, "..", "..", "shared", "corpus", "pop909-dev", "index.json")
            if os.path.isfile(shared):
                excludes.append(os.path.normpath(shared))
    forbidden = set()
    for ex in excludes:
        forbidden |= set(read_ids(ex))
    if not forbidden:
        log("render_training: WARNING: no validation index found to exclude (pass --exclude)")

    if a.ids:
        ids = [x.strip() for x in a.ids.split(",") if x.strip()]
    elif os.path.isfile(os.path.join(src, "index.json")):
        ids = read_ids(os.path.join(src, "index.json"))
    else:
        ids = sorted(f[:-4] for f in os.listdir(os.path.join(src, "midi")) if f.endswith(".mid"))
    bad = sorted(set(ids) & forbidden)
    if bad:
        log(f"render_training: refusing: {len(bad)} id(s) belong to the validation set: {' '.join(bad)}")
        return 2
    if a.limit > 0:
        ids = ids[:a.limit]
    missing = [i for i in ids if not all(os.path.isfile(os.path.join(src, d, i + e)) for d, e in
                                         (("midi", ".mid"), ("refs", ".json"), ("beats", ".txt")))]
    if missing:
        log(f"render_training: no midi/refs/beats for: {' '.join(missing)}")
        return 2

    sf_paths = {}
    for name, path, pkg in SOUNDFONTS:
        if not os.path.isfile(path):
            log(f"render_training: soundfont {path} missing (Debian package {pkg})")
            return 1
        sf_paths[name] = path

    os.makedirs(a.out, exist_ok=True)
    man_path = os.path.join(a.out, "manifest.json")
    manifest = {"songs": {}}
    if os.path.isfile(man_path):
        with open(man_path) as f:
            manifest = json.load(f)
    if manifest.get("seed", a.seed) != a.seed:
        log(f"render_training: {a.out} was rendered with --seed {manifest['seed']}, not {a.seed}: use another folder")
        return 2
    if manifest.get("sectionCues", a.section_cues) != a.section_cues:
        log(f"render_training: {a.out} was rendered with --section-cues {manifest['sectionCues']}: use another folder")
        return 2
    manifest["seed"] = a.seed
    manifest["sectionCues"] = a.section_cues
    manifest["generator"] = f"scripts/render_training.py v{GENERATOR_VERSION}"
    manifest["tools"] = tool_versions()
    manifest["soundfonts"] = {n: os.path.realpath(p) for n, p in sf_paths.items()}
    manifest.setdefault("songs", {})

    tmp = tempfile.mkdtemp(prefix="render-training.")
    done = skipped = failed = 0
    t_all = time.time()
    try:
        for i, sid in enumerate(ids, 1):
            if existing_output(a.out, sid) and sid in manifest["songs"]:
                skipped += 1
                log(f"[{i}/{len(ids)}] {sid}: already rendered, skipped")
                continue
            t0 = time.time()
            try:
                c = describe(render_song(sid, src, a.out, tmp, a.seed, sf_paths, a.decode_lossy, a.keep_midi,
                                             a.section_cues))
            except Exception as e:  # noqa: BLE001 - report and go on with the next song
                failed += 1
                log(f"[{i}/{len(ids)}] {sid}: FAILED: {e}")
                continue
            manifest["songs"][sid] = c
            write_json_atomic(man_path, manifest)
            done += 1
            dr = c["drums"]["style"] if c["drums"] else "no drums"
            log(f"[{i}/{len(ids)}] {sid}: {c['soundfont']}, {c['programNames']['melody']}"
                f"{' / ' + c['melodyChorusProgramName'] if c['melodyChorusProgram'] is not None else ''}, "
                f"{dr}, {c['codec']['format']} -> {c['file']} in {time.time() - t0:.1f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    el = time.time() - t_all
    log(f"render_training: {done} rendered, {skipped} skipped, {failed} failed in {el:.0f} s"
        f"{f' ({el / done:.1f} s per song)' if done else ''} -> {a.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
