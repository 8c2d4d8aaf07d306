package com.vibecraft.pipeline.audio;

/** Measurements on decoded tones. */
final class Signals {

    private Signals() {
    }

    static double rms(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += v * v;
        }
        return Math.sqrt(sum / x.length);
    }

    /** Frequency from the rising zero crossings of the middle half (edges may hold codec ramps). */
    static double frequency(float[] x, float rate) {
        int from = x.length / 4;
        int to = 3 * x.length / 4;
        int first = -1;
        int last = -1;
        int count = 0;
        for (int i = from + 1; i < to; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                if (first < 0) {
                    first = i;
                } else {
                    count++;
                }
                last = i;
            }
        }
        return count == 0 ? 0 : count * rate / (double) (last - first);
    }

    static float peak(float[] x) {
        float max = 0;
        for (float v : x) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
