#!/usr/bin/python3
"""Trains the detector's sequence network (SequenceModel.java) on what `export-boundary-data` wrote.

train_sequence_model.py EXPORT_DIR --out MODEL_FILE [--epochs N] [--channels C] [--seed S] [--group-dropout P]
                        [--corpus CORPUS_DIR [--downbeat-weight W] [--second-annotator W]]

A temporal convolutional network over the beats of each song: a per-beat projection of the
standardised inputs, residual blocks of dilated convolutions (kernel 3, dilations 1..32: 63
beats of context), and two heads: section start (the one used by the detector) and section function
(intro/verse/chorus/bridge/outro/other, a second task that teaches the network what a part is).
With --downbeat-weight a third training-only head learns which beats are bar lines (truth from the
corpus: each annotated section's start and every fourth beat of beats/NNN.txt for its bars, as
BarPhaseCheck builds it); with --second-annotator the start target mixes in refs_ann2's starts. Neither
changes the model file's format: only the start head is written.
It trains --ensemble networks (different seeds, logits averaged) per fold (the folds of the export:
every rendering of a song in one fold) to write the out-of-fold logits (EXPORT_DIR/net-oof.f32, which `tune-sequence-model` uses to choose the
blend with the boundary trees and the decoding), then as many on every song, written as text.

Deterministic: one CPU thread, fixed seeds, songs in file order; the same export gives the same
file byte for byte with the same torch version. Needs Debian's python3-torch (run with /usr/bin/python3).
"""
import argparse
import json
import os
import re
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DILATIONS = (1, 2, 4, 8, 16, 32)
FUNCTIONS = 6
# input groups that --group-dropout hides together: a network must not lean on one kind of cue
# (in the band renders the drums and level change right at the section starts)
GROUPS = {
    "sound": r"onset|bass|bassPrev|energy.*|rhythm\d+|contrast.*|timbre\d+|quietBefore",
    "harmony": r"chroma.*",
    "repetition": r"stripe.*|rep.*|sim.*|phrase\d+",
    "novelty": r"nov.*|fine.*|classic.*|coarse.*|barNov|barStripe",
}


def groups_of(names):
    """Column indexes of each dropout group."""
    return [np.array([i for i, n in enumerate(names) if re.fullmatch(p, n)], dtype=np.int64)
            for p in GROUPS.values()]


class Net(nn.Module):
    def __init__(self, d, c, downbeat=False):
        super().__init__()
        self.inp = nn.Conv1d(d, c, 1)
        self.blocks = nn.ModuleList([nn.Conv1d(c, c, 3, padding=k, dilation=k) for k in DILATIONS])
        self.head = nn.Conv1d(c, 1, 1)
        self.fn = nn.Conv1d(c, FUNCTIONS, 1)
        # created only when trained, so that a network without it starts from the same random weights
        self.downbeat = nn.Conv1d(c, 1, 1) if downbeat else None
        self.drop = nn.Dropout(0.1)

    def forward(self, x, mask):
        # zero the padding after every layer: the Java side sees zeros past a song's ends
        h = F.relu(self.inp(x)) * mask
        for b in self.blocks:
            h = (h + F.relu(b(self.drop(h)))) * mask
        return self.head(h)[:, 0], self.fn(h), None if self.downbeat is None else self.downbeat(h)[:, 0]


def load(d):
    meta = json.load(open(os.path.join(d, "meta.json")))
    songs = [json.loads(l) for l in open(os.path.join(d, "songs.jsonl"))]
    dim = len(meta["features"])
    x = np.fromfile(os.path.join(d, "features.f32"), dtype="<f4").reshape(-1, dim)
    return meta, songs, x


LABEL_TOL_SEC = 0.5
DOWNBEAT_TOL_SEC = 0.07


def nearest_unit(starts, t, tol, first=0):
    """The unit (from `first` on) whose start is nearest to t, or -1 when it is more than tol away."""
    i = first + int(np.argmin(np.abs(starts[first:] - t)))
    return i if abs(starts[i] - t) <= tol else -1


def corpus_targets(corpus, s):
    """The song's second annotator's starts (per beat, 0/1) and downbeat targets (1 on a true bar line,
    0 on another beat of the score, -1 where unknown: outside sections with a bar count, or no beat near)."""
    sid = re.findall(r"\d+", s["id"])[-1]
    n = s["n"]
    starts = np.array(s["unitSec"][:n])
    y2 = np.zeros(n, np.float32)
    path2 = os.path.join(corpus, "refs_ann2", sid + ".json")
    if os.path.exists(path2):
        for sec in json.load(open(path2)):
            b = float(sec["start"])
            # as BoundaryTraining.prepare maps a reference start: never the first unit, within 0.5 s
            u = nearest_unit(starts, b, LABEL_TOL_SEC, first=1) if 0.5 < b < s["durationSec"] - 0.5 and n > 1 else -1
            if u > 0:
                y2[u] = 1
    db = np.full(n, -1.0, np.float32)
    beats = np.array([float(l) for l in open(os.path.join(corpus, "beats", sid + ".txt")) if l.strip()])
    for sec in json.load(open(os.path.join(corpus, "refs", sid + ".json"))):
        bars = sec.get("bars")
        if not bars:
            continue
        start, end = float(sec["start"]), float(sec["end"])
        first = int(np.argmin(np.abs(beats - start)))
        inside = beats[(beats >= start - DOWNBEAT_TOL_SEC) & (beats < end - DOWNBEAT_TOL_SEC)]
        # every beat of the section first, then its bar lines over them
        for t, label in [(t, 0.0) for t in inside] + [(t, 1.0) for t in beats[first:first + 4 * int(bars):4]]:
            u = nearest_unit(starts, t, DOWNBEAT_TOL_SEC)
            if u >= 0:
                db[u] = max(db[u], label)
    return y2, db


def targets(s, second=0.0):
    y = np.array(s["y"], dtype=np.float32)
    if second > 0:
        # a start only one annotator marks is half a start: what both hear is what a listener hears
        y = (1 - second) * y + second * s["y2"]
    t = y.copy()
    # a start one beat off is nearly right: soft targets beside each start
    t[1:] = np.maximum(t[1:], 0.25 * y[:-1])
    t[:-1] = np.maximum(t[:-1], 0.25 * y[1:])
    return t


def batches(idx, songs, xs, rng, bs, groups=(), group_dropout=0.0, second=0.0):
    order = list(idx)
    rng.shuffle(order)
    for k in range(0, len(order), bs):
        part = order[k:k + bs]
        n = max(songs[i]["n"] for i in part)
        d = xs[part[0]].shape[1]
        xb = np.zeros((len(part), d, n), np.float32)
        yb = np.zeros((len(part), n), np.float32)
        fb = np.full((len(part), n), -100, np.int64)
        mb = np.zeros((len(part), 1, n), np.float32)
        db = np.full((len(part), n), -1.0, np.float32)
        for j, i in enumerate(part):
            m = songs[i]["n"]
            xb[j, :, :m] = xs[i].T
            for g in groups:
                if rng.rand() < group_dropout:
                    xb[j, g, :m] = 0.0  # the standardised mean: "no information"
            yb[j, :m] = targets(songs[i], second)
            if "db" in songs[i]:
                db[j, :m] = songs[i]["db"]
            fb[j, :m] = songs[i]["function"]
            mb[j, 0, :m] = 1
        yield torch.from_numpy(xb), torch.from_numpy(yb), torch.from_numpy(fb), torch.from_numpy(mb), torch.from_numpy(db)


def train(idx, songs, xs, d, args, seed, groups=()):
    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    net = Net(d, args.channels, args.downbeat_weight > 0)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr, weight_decay=1e-4)
    pos = torch.tensor(args.pos_weight)
    for ep in range(args.epochs):
        net.train()
        tot = 0.0
        for xb, yb, fb, mb, db in batches(idx, songs, xs, rng, args.batch, groups, args.group_dropout,
                                          args.second_annotator):
            logit, fn, down = net(xb, mb)
            m = mb[:, 0]
            bl = F.binary_cross_entropy_with_logits(logit, yb, pos_weight=pos, reduction="none")
            loss = (bl * m).sum() / m.sum() + args.function_weight * F.cross_entropy(fn, fb, ignore_index=-100)
            if args.downbeat_weight > 0:
                known = (db >= 0).float()
                dl = F.binary_cross_entropy_with_logits(down, db.clamp(min=0), reduction="none")
                loss = loss + args.downbeat_weight * (dl * known).sum() / known.sum().clamp(min=1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += float(loss)
        if ep == args.epochs - 1 or ep % 5 == 0:
            print(f"  epoch {ep + 1}/{args.epochs} loss {tot:.3f}", file=sys.stderr, flush=True)
    net.eval()
    return net


def predict(nets, x):
    """The networks' mean start logits and, where they have the head, mean downbeat logits (else None) of one song."""
    with torch.no_grad():
        xb = torch.from_numpy(np.ascontiguousarray(x.T[None]))
        mb = torch.ones((1, 1, x.shape[0]))
        out = [net(xb, mb) for net in nets]
    start = np.mean([o[0][0].numpy() for o in out], axis=0)
    down = None if out[0][2] is None else np.mean([o[2][0].numpy() for o in out], axis=0)
    return start, down


def downbeat_hits(logit, db):
    """(true bar lines on the phase, true bar lines) for one song: the phase (beat mod 4) whose beats have the
    highest summed downbeat logit, as one bar phase for the whole song."""
    phase = int(np.argmax([logit[k::4].sum() for k in range(4)]))
    true = np.flatnonzero(db == 1)
    return np.array([int(np.sum(true % 4 == phase)), len(true)])


def fmt(a):
    return " ".join("%.6g" % v for v in np.asarray(a, dtype=np.float64).ravel())


def write(nets, meta, mean, std, args, out, summary):
    c = args.channels
    lines = ["# vibecraft sequence model: a temporal convolutional network over the beats (SequenceModel.java)",
             "# trained by: scripts/train-sequence-model.sh (train_sequence_model.py --epochs %d --channels %d --seed %d"
             " --ensemble %d --group-dropout %g --second-annotator %g --downbeat-weight %g)"
             % (args.epochs, c, args.seed, args.ensemble, args.group_dropout, args.second_annotator,
                args.downbeat_weight),
             "# " + summary,
             meta["data"],
             "features " + " ".join(meta["features"]),
             "mean " + fmt(mean), "std " + fmt(std)]
    for net in nets:
        lines.append("input %d %d %s %s" % (c, len(mean), fmt(net.inp.weight.detach()[:, :, 0]), fmt(net.inp.bias.detach())))
        for k, b in zip(DILATIONS, net.blocks):
            lines.append("block %d %d %s %s" % (k, c, fmt(b.weight.detach()), fmt(b.bias.detach())))
        lines.append("head %d %s %s" % (c, fmt(net.head.weight.detach()[0, :, 0]), fmt(net.head.bias.detach())))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("export")
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=24)
    ap.add_argument("--channels", type=int, default=32)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--pos-weight", type=float, default=4.0)
    ap.add_argument("--function-weight", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ensemble", type=int, default=3, help="networks from different seeds, logits averaged")
    ap.add_argument("--no-cv", action="store_true", help="skip the per-fold networks (no net-oof.f32)")
    ap.add_argument("--corpus", help="the corpus folder of the export's songs (refs_ann2/, beats/): needed by "
                    "--second-annotator and --downbeat-weight")
    ap.add_argument("--second-annotator", type=float, default=0.0,
                    help="start target = (1-W)*annotator 1 + W*annotator 2 (refs_ann2)")
    ap.add_argument("--downbeat-weight", type=float, default=0.0,
                    help="weight of a third, training-only head: is this beat a bar line (refs bars + beats/)")
    ap.add_argument("--group-dropout", type=float, default=0.0,
                    help="in training, hide each input group (sound, harmony, repetition, novelty) of a song "
                         "with this probability")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    meta, songs, x = load(args.export)
    if args.second_annotator > 0 or args.downbeat_weight > 0:
        if not args.corpus:
            ap.error("--second-annotator and --downbeat-weight need --corpus")
        known = labelled = 0
        for s in songs:
            s["y2"], s["db"] = corpus_targets(args.corpus, s)
            known += int((s["db"] >= 0).sum())
            labelled += int((s["db"] == 1).sum())
        print(f"targets: {sum(int(s['y2'].sum()) for s in songs)} second-annotator starts "
              f"({sum(int(np.sum(s['y'])) for s in songs)} first), {known} beats with a bar-line target, "
              f"{labelled} of them bar lines", file=sys.stderr, flush=True)
    mean = x.astype(np.float64).mean(0)
    std = np.maximum(x.astype(np.float64).std(0), 1e-3)
    mean = mean.astype(np.float32)
    std = std.astype(np.float32)
    z = np.clip((x - mean) / std, -10, 10).astype(np.float32)
    xs = [z[s["offset"]:s["offset"] + s["n"]] for s in songs]
    d = x.shape[1]
    everyone = list(range(len(songs)))
    groups = groups_of(meta["features"]) if args.group_dropout > 0 else []
    for name, g in zip(GROUPS, groups):
        print(f"group {name}: {len(g)} inputs", file=sys.stderr, flush=True)
    t0 = time.time()
    if not args.no_cv:
        oof = np.zeros(x.shape[0], np.float32)
        down_hits = np.zeros(2, np.int64)
        for fold in range(meta["folds"]):
            tr = [i for i in everyone if songs[i]["fold"] != fold]
            print(f"fold {fold + 1}/{meta['folds']}: {len(tr)} songs", file=sys.stderr, flush=True)
            nets = [train(tr, songs, xs, d, args, args.seed + 100 * (fold + 1) + e, groups)
                    for e in range(args.ensemble)]
            for i in everyone:
                if songs[i]["fold"] == fold:
                    start, down = predict(nets, xs[i])
                    oof[songs[i]["offset"]:songs[i]["offset"] + songs[i]["n"]] = start
                    if down is not None:
                        down_hits += downbeat_hits(down, songs[i]["db"])
        oof.astype("<f4").tofile(os.path.join(args.export, "net-oof.f32"))
        if args.downbeat_weight > 0:
            print(f"held out: the downbeat head's bar phase (per song) puts a bar line on {down_hits[0]} of "
                  f"{down_hits[1]} true bar lines ({down_hits[0] / max(1, down_hits[1]):.3f})", flush=True)
    print(f"all {len(songs)} songs", file=sys.stderr, flush=True)
    nets = [train(everyone, songs, xs, d, args, args.seed + e, groups) for e in range(args.ensemble)]
    weights = sum(p.numel() for n, p in nets[0].named_parameters() if not n.startswith(("fn.", "downbeat.")))
    summary = "%d songs, %d beats, %d networks of %d weights used at run time" % (
        len(songs), x.shape[0], len(nets), weights)
    write(nets, meta, mean, std, args, args.out, summary)
    print(summary + ", %.0f s of training" % (time.time() - t0))


if __name__ == "__main__":
    main()
