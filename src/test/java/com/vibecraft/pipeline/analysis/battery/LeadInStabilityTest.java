package com.vibecraft.pipeline.analysis.battery;

import com.vibecraft.pipeline.analysis.DetectorResult;
import com.vibecraft.pipeline.analysis.LocalStructureDetector;
import com.vibecraft.pipeline.audio.AudioKind;
import com.vibecraft.pipeline.audio.DecodedAudio;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where a file begins does not move the song's sections: the same generated songs as
 * {@link CodecStabilityTest}, analysed as generated, with their first quarter second cut off, and
 * after 2 s of silence; the boundaries of each copy, moved back by its offset, are compared with
 * the original's within ±0.5 s (HR.5F). Two copies of one recording often differ only in their
 * lead-in (another rip, an encoder's delay, a trimmed silence).
 */
class LeadInStabilityTest {

    /**
     * Mean HR.5F of the trimmed and the delayed copies against the original. Measured 1.000 on
     * 2026-12-07; 0.944 before the silence was left out of the rhythm profile's first unit and of the
     * clustering's similarity statistics (the drums-only ABAB after 2 s of silence grouped every part as
     * one material and merged them into one section).
     */
    static final double HR05F_MIN = 0.97;

    static final double TRIM_SEC = 0.25;
    static final double SILENCE_SEC = 2.0;

    @Test
    void boundariesStayPutWhateverTheLeadIn() {
        List<BatterySong> songs = GeneralisationBattery.songs(CodecStabilityTest.SONGS);
        assertEquals(CodecStabilityTest.SONGS.size(), songs.size(), "songs found in the battery");
        LocalStructureDetector det = new LocalStructureDetector();
        double sum = 0;
        for (BatterySong s : songs) {
            float[] x = s.samples();
            int trim = (int) Math.round(TRIM_SEC * SongSynth.SR);
            float[] trimmed = Arrays.copyOfRange(x, trim, x.length);
            int pad = (int) Math.round(SILENCE_SEC * SongSynth.SR);
            float[] delayed = new float[x.length + pad];
            System.arraycopy(x, 0, delayed, pad, x.length);
            double[] original = CodecStabilityTest.bounds(detect(det, x));
            double[] t = shifted(CodecStabilityTest.bounds(detect(det, trimmed)), TRIM_SEC);
            // the silence before the song may be a section of its own
            double[] d = Arrays.stream(shifted(CodecStabilityTest.bounds(detect(det, delayed)), -SILENCE_SEC))
                    .filter(b -> b > 0.5).toArray();
            double ft = BatteryScore.fMeasure(original, t, BatteryScore.TOL_FINE);
            double fd = BatteryScore.fMeasure(original, d, BatteryScore.TOL_FINE);
            sum += ft + fd;
            System.out.printf(Locale.ROOT, "%-46s HR.5F trimmed %.2f delayed %.2f | %s | %s | %s%n", s.name(), ft, fd,
                    Arrays.toString(original), Arrays.toString(t), Arrays.toString(d));
        }
        double mean = sum / (2 * songs.size());
        System.out.printf(Locale.ROOT, "mean HR.5F trimmed and delayed copies vs the original %.3f%n", mean);
        assertTrue(mean >= HR05F_MIN, "mean HR.5F " + mean);
    }

    private static DetectorResult detect(LocalStructureDetector det, float[] samples) {
        return det.detect(new DecodedAudio(samples, SongSynth.SR, AudioKind.WAV));
    }

    private static double[] shifted(double[] b, double sec) {
        return Arrays.stream(b).map(v -> v + sec).toArray();
    }
}
