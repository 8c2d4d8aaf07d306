package com.vibecraft.pipeline.analysis;

import java.util.List;
import java.util.Objects;

/**
 * Mean energy of each raw segment (SPEC §4, input): the mean RMS of 2048-sample frames with hop
 * 512, frames centred like librosa {@code rms(center=True)} with zero padding.
 *
 * <p>Frame {@code i} is centred at sample {@code i·512} and covers samples
 * {@code [i·512 − 1024, i·512 + 1024)}; samples outside the signal count as zeros, and the RMS
 * always divides by 2048. There are {@code 1 + n/512} frames for {@code n} samples (as librosa).
 * A frame belongs to a segment when its centre time {@code i·512/sampleRate} lies in
 * {@code [startMs/1000, endMs/1000)}. A segment without any frame gets the song's mean (the mean
 * RMS over all frames).
 *
 * <p>Cost: one pass over the samples. Because 2048 = 4·512, every frame is exactly four aligned
 * 512-sample blocks, so the samples are squared and summed once per block and each frame's sum
 * of squares is the sum of four block sums (no running add/subtract, hence no drift). Segment
 * means then come from a prefix sum over the frame RMS values, O(1) per segment.
 */
public final class SegmentEnergy {

    /** Frame length in samples. */
    public static final int FRAME_LENGTH = 2048;
    /** Hop between frame centres in samples. */
    public static final int HOP_LENGTH = 512;

    private static final int BLOCKS_PER_FRAME = FRAME_LENGTH / HOP_LENGTH; // 4
    private static final int HALF_BLOCKS = BLOCKS_PER_FRAME / 2; // 2 blocks before the centre

    private SegmentEnergy() {
    }

    /**
     * Mean RMS per segment, in the order of {@code segments}.
     *
     * @param monoSamples mono PCM samples (any scale; typically −1..1)
     * @param sampleRate  samples per second, &gt; 0
     * @param segments    raw segments; need not be sorted, may overlap
     * @return one value per segment
     */
    public static double[] meanRms(float[] monoSamples, float sampleRate, List<RawSegment> segments) {
        Objects.requireNonNull(monoSamples, "monoSamples");
        Objects.requireNonNull(segments, "segments");
        if (!(sampleRate > 0) || Float.isInfinite(sampleRate)) {
            throw new IllegalArgumentException("sampleRate must be positive and finite: " + sampleRate);
        }
        double[] rms = frameRms(monoSamples);
        int nFrames = rms.length;

        // prefix[k] = sum of rms[0..k-1]
        double[] prefix = new double[nFrames + 1];
        for (int i = 0; i < nFrames; i++) {
            prefix[i + 1] = prefix[i] + rms[i];
        }
        double songMean = prefix[nFrames] / nFrames; // nFrames >= 1 always

        double[] out = new double[segments.size()];
        for (int s = 0; s < out.length; s++) {
            RawSegment seg = Objects.requireNonNull(segments.get(s), "segment " + s);
            double start = seg.startMs() / 1000.0;
            double end = seg.endMs() / 1000.0;
            int lo = firstFrameAtOrAfter(start, sampleRate, nFrames);
            int hi = firstFrameAtOrAfter(end, sampleRate, nFrames);
            out[s] = hi > lo ? (prefix[hi] - prefix[lo]) / (hi - lo) : songMean;
        }
        return out;
    }

    /** Centre time of frame {@code i} in seconds. */
    static double frameTime(int i, float sampleRate) {
        return (double) i * HOP_LENGTH / sampleRate;
    }

    /** RMS of every centred frame: {@code 1 + n/512} values. */
    static double[] frameRms(float[] y) {
        int n = y.length;
        int nFrames = 1 + n / HOP_LENGTH;
        int nBlocks = (n + HOP_LENGTH - 1) / HOP_LENGTH;
        double[] block = new double[nBlocks];
        for (int b = 0; b < nBlocks; b++) {
            int from = b * HOP_LENGTH;
            int to = Math.min(n, from + HOP_LENGTH);
            double sum = 0;
            for (int k = from; k < to; k++) {
                double v = y[k];
                sum += v * v;
            }
            block[b] = sum;
        }
        double[] rms = new double[nFrames];
        for (int i = 0; i < nFrames; i++) {
            double sum = 0;
            int firstBlock = i - HALF_BLOCKS;
            for (int b = Math.max(0, firstBlock); b < Math.min(nBlocks, firstBlock + BLOCKS_PER_FRAME); b++) {
                sum += block[b];
            }
            rms[i] = Math.sqrt(sum / FRAME_LENGTH);
        }
        return rms;
    }

    /** Smallest frame index whose centre time is {@code >= t}, or {@code nFrames} if none. */
    private static int firstFrameAtOrAfter(double t, float sampleRate, int nFrames) {
        if (Double.isNaN(t) || t <= 0) {
            return 0;
        }
        double guess = Math.ceil(t * sampleRate / HOP_LENGTH);
        int i = guess >= nFrames ? nFrames : (int) guess;
        // correct floating-point rounding so the exact predicate frameTime(i) >= t decides
        while (i > 0 && frameTime(i - 1, sampleRate) >= t) {
            i--;
        }
        while (i < nFrames && frameTime(i, sampleRate) < t) {
            i++;
        }
        return i;
    }
}
