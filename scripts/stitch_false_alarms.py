#!/usr/bin/python3
"""Where the detector's false alarms on real-dev's stitched songs lie, and how much the sound changes there.

    stitch_false_alarms.py EST_DIR STITCH_DIR [--refs REFS_DIR]

EST_DIR holds `bench --out` results of STITCH_DIR (OUT_DIR/stitch of ../shared/corpus/real-dev/build.sh);
REFS_DIR defaults to ../shared/corpus/real-dev/refs next to this project.

The truth of a stitched song marks only its joins: an excerpt can contain a real change of its source track,
which the truth does not mark (real-dev's README, "Known limits of the truth"). This script asks whether the
estimated boundaries more than 3 s from every join (score_real.py's false alarms) are such changes:

- *recurring*: a repeated letter reuses exactly the same samples, so a false alarm at offset d inside one
  occurrence that has another estimated boundary within 1 s of offset d inside another occurrence of the
  same letter was heard in the music both times, not made up by the detector's state;
- the change of sound at each moment: the RMS over 8 octave bands (0-100 Hz ... 6.4-11 kHz) of the
  difference, in dB, between the mean band levels of the 3 s before and the 3 s after, for the true joins,
  the false alarms (recurring or not) and two random moments inside every excerpt longer than 10 s
  (at least 4 s from its ends; seeded).

It prints each song's false alarms, the totals, the pooled precision / recall / F at +-3 s with the
recurring false alarms counted as wrong (as score_real.py) and as right, and the change of sound per group.
Needs Debian's python3-numpy and python3-soundfile (real-dev's build.sh installs them).
"""
import argparse
import glob
import json
import os
import random
import sys

import numpy as np
import soundfile as sf

WINDOW = 3.0          # +-s: a hit, as HR3Ft
SAME_OFFSET = 1.0     # s: a false alarm recurs when the repeat has a boundary this close to the same offset
SIDE_SEC = 3.0        # s of sound compared on either side of a moment
BAND_EDGES = [0, 100, 200, 400, 800, 1600, 3200, 6400, 11025]


def band_levels(x, sr):
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    freq = np.fft.rfftfreq(len(x), 1.0 / sr)
    return np.array([10 * np.log10(spec[(freq >= a) & (freq < b)].sum() + 1e-9)
                     for a, b in zip(BAND_EDGES[:-1], BAND_EDGES[1:])])


def mean_band_levels(x, sr, a, b):
    """Mean band levels of the 1-s windows (half-second hop) of x[a:b]."""
    return np.mean([band_levels(x[i:i + sr], sr) for i in range(a, b - sr + 1, sr // 2)], axis=0)


def sound_change(x, sr, t):
    """dB RMS over the bands between the mean 1-s band levels before and after t; None near the ends."""
    a, b, c = int((t - SIDE_SEC) * sr), int(t * sr), int((t + SIDE_SEC) * sr)
    if a < 0 or c > len(x):
        return None
    before, after = mean_band_levels(x, sr, a, b), mean_band_levels(x, sr, b, c)
    return float(np.sqrt(np.mean((before - after) ** 2)))


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('est')
    ap.add_argument('stitch')
    ap.add_argument('--refs', default=os.path.join(here, '..', '..', 'shared', 'corpus', 'real-dev', 'refs'))
    args = ap.parse_args(argv)

    rnd = random.Random(1)
    groups = {'true joins': [], 'false alarms, recurring': [], 'false alarms, others': [],
              'random moments inside excerpts': []}
    n_est = n_fa = n_recurring = n_hit = n_ref = 0
    for ref_path in sorted(glob.glob(os.path.join(args.refs, '*.json'))):
        song = os.path.basename(ref_path)[:-5]
        est_path = os.path.join(args.est, song + '.json')
        if not os.path.exists(est_path):
            print('%s: no estimate in %s' % (song, args.est), file=sys.stderr)
            return 1
        with open(ref_path) as fh:
            ref = json.load(fh)
        with open(est_path) as fh:
            est = json.load(fh)['sections']
        joins = [r['start'] for r in ref][1:]
        starts = [e['startSec'] for e in est][1:]
        parts = [(r['start'], r['end'], r['letters']) for r in ref]
        false_alarms = [b for b in starts if min(abs(b - j) for j in joins) > WINDOW]
        recurring = []
        for b in false_alarms:
            part = next(p for p in parts if p[0] <= b < p[1])
            offset = b - part[0]
            for other in parts:
                if other is part or other[2] != part[2]:
                    continue
                if any(other[0] <= b2 < other[1] and abs((b2 - other[0]) - offset) <= SAME_OFFSET for b2 in starts):
                    recurring.append(b)
                    break
        n_est += len(starts)
        n_fa += len(false_alarms)
        n_recurring += len(recurring)
        n_hit += sum(1 for j in joins if any(abs(b - j) <= WINDOW for b in starts))
        n_ref += len(joins)
        if false_alarms:
            print('%s false alarms %s, recurring %s' % (song, [round(b, 1) for b in false_alarms],
                                                        [round(b, 1) for b in recurring]))

        x, sr = sf.read(os.path.join(args.stitch, song + '.wav'))
        if x.ndim > 1:
            x = x.mean(axis=1)
        for j in joins:
            groups['true joins'].append(sound_change(x, sr, j))
        for b in false_alarms:
            groups['false alarms, recurring' if b in recurring else 'false alarms, others'].append(sound_change(x, sr, b))
        for start, end, _ in parts:
            if end - start > 10:
                for _ in range(2):
                    groups['random moments inside excerpts'].append(sound_change(x, sr, rnd.uniform(start + 4, end - 4)))

    precision = (n_est - n_fa) / n_est
    recall = n_hit / n_ref
    lenient = (n_est - n_fa + n_recurring) / n_est
    print('false alarms %d of %d estimated boundaries; %d recur at the same offset (+-%.0f s) in a repeat of the '
          'same excerpt' % (n_fa, n_est, n_recurring, SAME_OFFSET))
    print('pooled +-3 s: P %.3f R %.3f F %.3f; recurring false alarms counted as right: P %.3f F %.3f'
          % (precision, recall, 2 * precision * recall / (precision + recall), lenient,
             2 * lenient * recall / (lenient + recall)))
    print('change of sound (dB RMS over %d bands, %.0f s each side):' % (len(BAND_EDGES) - 1, SIDE_SEC))
    for name, values in groups.items():
        v = [a for a in values if a is not None]
        if v:
            print('  %-32s n=%3d median %4.1f  quartiles %4.1f / %4.1f'
                  % (name, len(v), np.median(v), np.percentile(v, 25), np.percentile(v, 75)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
