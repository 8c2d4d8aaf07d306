package com.vibecraft.pipeline.analysis.battery;

/**
 * One generated song of the {@link GeneralisationBattery}.
 *
 * @param name       short description, e.g. "ABAB 120bpm 7.5 bars harmony-only"
 * @param samples    22.05 kHz mono float PCM ({@link SongSynth#SR})
 * @param truth      inner boundaries in seconds (the exact sample times where a part changes)
 * @param letters    the part letter of each truth segment ({@code truth.length + 1} letters);
 *                   equal letters = the same material, which should get one repetition group
 * @param tests      what the case tests: space-separated tags (e.g. "form harmony-only off-bar"),
 *                   used to group the report
 */
public record BatterySong(String name, float[] samples, double[] truth, String letters, String tests) {

    public BatterySong {
        if (letters.length() != truth.length + 1) {
            throw new IllegalArgumentException(name + ": " + letters.length() + " letters for " + truth.length
                    + " boundaries");
        }
    }

    public double durationSec() {
        return samples.length / (double) SongSynth.SR;
    }
}
