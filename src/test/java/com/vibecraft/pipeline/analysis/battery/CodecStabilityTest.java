package com.vibecraft.pipeline.analysis.battery;

import com.vibecraft.pipeline.analysis.DetectorResult;
import com.vibecraft.pipeline.analysis.LocalStructureDetector;
import com.vibecraft.pipeline.analysis.RawSegment;
import com.vibecraft.pipeline.analysis.detector.BeatTracker;
import com.vibecraft.pipeline.analysis.battery.SongSynth.Arrangement;
import com.vibecraft.pipeline.analysis.battery.SongSynth.Drums;
import com.vibecraft.pipeline.analysis.battery.SongSynth.Timbre;
import com.vibecraft.pipeline.audio.AudioDecoder;
import com.vibecraft.pipeline.audio.AudioKind;
import com.vibecraft.pipeline.audio.DecodedAudio;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Codec stability: the same generated songs (and one without a steady pulse, {@link #withoutPulse}) as 16-bit WAV, MP3 at 64 kb/s (LAME) and Ogg Vorbis,
 * encoded in-process with FFmpeg (org.bytedeco, test scope: no system tool), decoded back through
 * the project's {@link AudioDecoder}, analysed by the shipped detector. Boundary agreement is the
 * F-measure of the MP3 (Ogg) inner boundaries against the WAV ones within ±3 s (HR3F).
 *
 * <p>The goal is HR3F ≥ .90; the thresholds sit a little under today's measurement (see
 * the constants). The Ogg file is made by FFmpeg's own Vorbis encoder (the FFmpeg builds on Maven
 * Central have no libvorbis; the native encoder is marked experimental and takes stereo only, so
 * the mono song goes in as two equal channels; the decoder averages them back).
 */
class CodecStabilityTest {

    /** Mean HR3F WAV vs MP3 64 kb/s over {@link #SONGS}. Measured 1.000 on 2026-12-06. (Goal .90.) */
    static final double MP3_HR3F_MIN = 0.95;
    /**
     * Mean HR3F WAV vs Ogg Vorbis over {@link #SONGS}. Measured 1.000 on 2026-12-06 (0.978 before the
     * clear-change stage: the timbre-only pad/saw song lost its first boundary in Ogg). (Goal .90.)
     */
    static final double OGG_HR3F_MIN = 0.95;

    /** Battery songs used (names), one or two per kind of contrast. */
    static final Set<String> SONGS = Set.of(
            "textbook ABAB 120bpm 20s parts (10 bars)",
            "ABABCB 120bpm 8 bars full",
            "IABABI 110bpm no-beat intro/outro 6+8 bars",
            "ABAB 87.3bpm 8 bars full",
            "ABAB 100bpm 7.5 bars full",
            "ABAB 120bpm 8 bars harmony-only",
            "ABAB 120bpm 8 bars timbre-only pad/saw",
            "ABAB 120bpm 8 bars drums-only hats/rock",
            "ABAB A 100bpm / B 130bpm 8 bars full");

    private final AudioDecoder decoder = new AudioDecoder();

    /**
     * Music without a steady pulse, which the detector leaves to the novelty peaks
     * (LocalStructureDetector.MIN_PULSE_CLARITY): held chords, a soft pad in A minor and a bright saw
     * in C, changing every 2 s, no drums, no bass, no melody; ABAB of 16 s parts. The test checks that
     * it reads below the threshold in every codec and keeps its boundaries. (This clean synthetic song
     * keeps them with the models too; where the rule matters, on real recordings, README's benchmark
     * measures it.)
     */
    static BatterySong withoutPulse() {
        Map<Character, Arrangement> held = Map.of(
                'A', new Arrangement(GeneralisationBattery.MINOR_A, 2, Timbre.PAD, false, 0, Drums.NONE, 0.6),
                'B', new Arrangement(GeneralisationBattery.OTHER_C, 2, Timbre.SAW, false, 0, Drums.NONE, 0.6));
        return GeneralisationBattery.form("ABAB held pad/saw chords, no pulse", "no-pulse", held, "ABAB", 60, 4, 90);
    }

    @Test
    void boundariesAgreeAcrossCodecs(@TempDir Path dir) throws Exception {
        // only the linux-x86_64 natives are on the test class path (pom.xml)
        assumeTrue(Loader.getPlatform().equals("linux-x86_64"), "no FFmpeg natives for " + Loader.getPlatform());
        List<BatterySong> songs = new ArrayList<>(GeneralisationBattery.songs(SONGS));
        assertEquals(SONGS.size(), songs.size(), "songs found in the battery");
        songs.add(withoutPulse());
        LocalStructureDetector det = new LocalStructureDetector();
        double sumMp3 = 0;
        double sumOgg = 0;
        for (int i = 0; i < songs.size(); i++) {
            BatterySong s = songs.get(i);
            Path wav = dir.resolve(i + ".wav");
            Files.write(wav, wav16(s.samples(), SongSynth.SR));
            Path mp3 = encode(s.samples(), SongSynth.SR, dir.resolve(i + ".mp3"), "mp3", avcodec.AV_CODEC_ID_MP3, 1);
            Path ogg = encode(s.samples(), SongSynth.SR, dir.resolve(i + ".ogg"), "ogg", avcodec.AV_CODEC_ID_VORBIS, 2);
            DecodedAudio dw = decoder.decode(wav, Double.POSITIVE_INFINITY);
            DecodedAudio dm = decoder.decode(mp3, Double.POSITIVE_INFINITY);
            DecodedAudio dv = decoder.decode(ogg, Double.POSITIVE_INFINITY);
            assertEquals(AudioKind.MP3, dm.format());
            assertEquals(AudioKind.OGG, dv.format());
            assertTrue(Math.abs(dm.durationSec() - s.durationSec()) < 0.2, "mp3 length " + dm.durationSec());
            assertTrue(Math.abs(dv.durationSec() - s.durationSec()) < 0.2, "ogg length " + dv.durationSec());
            // the files really are lossy copies of the song, in time with it
            double snrMp3 = snrDb(dw.samples(), dm.samples());
            double snrOgg = snrDb(dw.samples(), dv.samples());
            assertTrue(snrMp3 > 3 && snrMp3 < 60, "mp3 SNR " + snrMp3);
            assertTrue(snrOgg > 3 && snrOgg < 60, "ogg SNR " + snrOgg);
            DetectorResult rw = det.detect(dw);
            DetectorResult rm = det.detect(dm);
            DetectorResult rv = det.detect(dv);
            if (s.tests().contains("no-pulse")) {
                for (DetectorResult r : List.of(rw, rm, rv)) {
                    double pulse = BeatTracker.track(r.features().onset, r.features().frameRate).pulseClarity();
                    assertTrue(pulse < LocalStructureDetector.MIN_PULSE_CLARITY, s.name() + ": pulse " + pulse);
                }
            }
            double[] w = bounds(rw);
            double[] m = bounds(rm);
            double[] v = bounds(rv);
            double fm = BatteryScore.fMeasure(w, m, BatteryScore.TOL_COARSE);
            double fv = BatteryScore.fMeasure(w, v, BatteryScore.TOL_COARSE);
            sumMp3 += fm;
            sumOgg += fv;
            System.out.printf(Locale.ROOT,
                    "%-46s HR3F mp3 %.2f ogg %.2f | wav %s | mp3 %s (%d kb/s, SNR %.1f dB) | ogg %s (%d kb/s, SNR %.1f dB)%n",
                    s.name(), fm, fv, str(w), str(m), kbps(mp3, s), snrMp3, str(v), kbps(ogg, s), snrOgg);
        }
        double mp3 = sumMp3 / songs.size();
        double ogg = sumOgg / songs.size();
        System.out.printf(Locale.ROOT, "mean HR3F WAV vs MP3 64 kb/s %.3f, WAV vs Ogg Vorbis %.3f%n", mp3, ogg);
        assertTrue(mp3 >= MP3_HR3F_MIN, "mean HR3F WAV vs MP3 " + mp3);
        assertTrue(ogg >= OGG_HR3F_MIN, "mean HR3F WAV vs Ogg " + ogg);
    }

    /**
     * Signal-to-error ratio (dB) of {@code x} against {@code ref} over 0.5 s from the middle, at the
     * best lag within ±60 ms (a decoder that failed to trim the encoder delay would still score,
     * but one that is out of time or silent would not).
     */
    static double snrDb(float[] ref, float[] x) {
        int n = Math.min(ref.length, x.length);
        int len = SongSynth.SR / 2;
        int maxLag = (int) (0.06 * SongSynth.SR);
        int from = n / 2 - len / 2;
        double best = Double.NEGATIVE_INFINITY;
        // the reference's energy is the same at every lag: summed once
        double sig = 0;
        for (int i = from; i < from + len; i++) {
            double r = ref[i];
            sig += r * r;
        }
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double err = 0;
            for (int i = from; i < from + len; i++) {
                double e = x[i + lag] - (double) ref[i];
                err += e * e;
            }
            best = Math.max(best, 10 * Math.log10(sig / Math.max(err, 1e-20)));
        }
        return best;
    }

    private static long kbps(Path f, BatterySong s) {
        try {
            return Math.round(Files.size(f) * 8 / s.durationSec() / 1000);
        } catch (IOException e) {
            return -1;
        }
    }

    static double[] bounds(DetectorResult r) {
        List<RawSegment> segs = r.segments();
        double[] b = new double[Math.max(0, segs.size() - 1)];
        for (int i = 1; i < segs.size(); i++) {
            b[i - 1] = segs.get(i).startMs() / 1000.0;
        }
        return b;
    }

    private static String str(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? " " : "").append(String.format(Locale.ROOT, "%.1f", v[i]));
        }
        return sb.append(']').toString();
    }

    /** Encodes mono {@code x} with FFmpeg: MP3 at 64 kb/s, or Ogg Vorbis (FFmpeg's encoder, {@code channels} = 2). */
    static Path encode(float[] x, int sr, Path out, String format, int codec, int channels) throws Exception {
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), channels)) {
            rec.setFormat(format);
            rec.setAudioCodec(codec);
            rec.setSampleRate(sr);
            rec.setAudioChannels(channels);
            rec.setAudioBitrate(64_000);
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            rec.start();
            int block = 4096;
            for (int i = 0; i < x.length; i += block) {
                int n = Math.min(block, x.length - i);
                FloatBuffer buf = FloatBuffer.allocate(n * channels);
                for (int j = 0; j < n; j++) {
                    for (int c = 0; c < channels; c++) {
                        buf.put(x[i + j]);
                    }
                }
                buf.flip();
                rec.recordSamples(sr, channels, buf);
            }
            rec.stop();
        }
        return out;
    }

    /** A 16-bit PCM mono WAV file. */
    static byte[] wav16(float[] x, int sr) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * x.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(sr).putInt(2 * sr)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * x.length);
        for (float v : x) {
            b.putShort((short) Math.round(Math.max(-1, Math.min(1, v)) * 32767));
        }
        return b.array();
    }
}
