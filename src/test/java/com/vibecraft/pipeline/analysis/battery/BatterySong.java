package com.vibecraft.pipeline.analysis.battery;

/**
 * One generated song of the {@link GeneralisationBattery}.
 *
 * @param name       short description, e.g. "ABAB 120bpm 7.5 bars harmony-only"
 * @param samples    22.05 kHz mono float PCM ({@link SongSynth#SR})
 * @param truth      inner boundaries in seconds (the exact sample times where a part changes)
 * @param letters    the part letter of each truth segment ({@code truth.length + 1} letters);
 *                   equal letters = the same material, which should get one repetition group.
 *                   A part directly followed by itself (the "AA" of AABA) is one section, as in
 *                   the benchmark references (pop909: "consecutive phrases of the same type are
 *                   merged"): nothing in the sound marks the restart, so the boundary between
 *                   them is dropped here
 * @param tests      what the case tests: space-separated tags (e.g. "form harmony-only off-bar"),
 *                   used to group the report
 */
public record BatterySong(String name, float[] samples, double[] truth, String letters, String tests) {

    public BatterySong {
        if (letters.length() != truth.length + 1) {
            throw new IllegalArgumentException(name + ": " + letters.length() + " letters for " + truth.length
                    + " boundaries");
        }
        StringBuilder merged = new StringBuilder().append(letters.charAt(0));
        double[] kept = new double[truth.length];
        int k = 0;
        for (int i = 0; i < truth.length; i++) {
            if (letters.charAt(i + 1) != letters.charAt(i)) {
                kept[k++] = truth[i];
                merged.append(letters.charAt(i + 1));
            }
        }
        truth = java.util.Arrays.copyOf(kept, k);
        letters = merged.toString();
    }

    public double durationSec() {
        return samples.length / (double) SongSynth.SR;
    }
}
