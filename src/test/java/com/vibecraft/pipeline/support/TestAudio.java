package com.vibecraft.pipeline.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/** Audio made in the tests: 16-bit PCM WAV files with a known structure. */
public final class TestAudio {

    private TestAudio() {
    }

    /**
     * Four 15-second parts A B A B at 120 BPM: A is a mellow C–G–Am–F progression in the middle
     * register, B a different, brighter progression higher up; clicks on every beat. Boundaries at
     * 15, 30 and 45 s. {@code seed} changes the noise floor so each call gives different bytes.
     */
    public static float[] abab(int sampleRate, long seed) {
        float[] out = ABAB_CHORDS.computeIfAbsent(sampleRate, TestAudio::ababChords).clone();
        Noise noise = new Noise(seed);
        int click = (int) (0.03 * sampleRate);
        for (double t = 0; t < 60; t += 0.5) {
            int s0 = (int) Math.round(t * sampleRate);
            for (int i = 0; i < click && s0 + i < out.length; i++) {
                out[s0 + i] += (float) (0.3 * Math.exp(-i / (0.005 * sampleRate)) * (2 * noise.nextDouble() - 1));
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] += (float) (0.0005 * noise.nextGaussian());
        }
        return out;
    }

    /** The frequency of a MIDI note (69 = A4 = 440 Hz), equal temperament. */
    public static double midiHz(double note) {
        return 440.0 * Math.pow(2, (note - 69) / 12.0);
    }

    /**
     * {@link Random}'s numbers for a seed — its {@code nextDouble} and {@code nextGaussian}, the same
     * values in the same order — without its thread safety: a song's 1.3 million draws made a lock and
     * a compare-and-set each, most of the time {@link #abab} took.
     */
    static final class Noise {
        private static final long MULTIPLIER = 0x5DEECE66DL;
        private static final long ADDEND = 0xBL;
        private static final long MASK = (1L << 48) - 1;
        private long seed;
        private double nextNextGaussian;
        private boolean haveNextNextGaussian;

        Noise(long seed) {
            this.seed = (seed ^ MULTIPLIER) & MASK;
        }

        private int next(int bits) {
            seed = (seed * MULTIPLIER + ADDEND) & MASK;
            return (int) (seed >>> (48 - bits));
        }

        double nextDouble() {
            return (((long) (next(26)) << 27) + next(27)) * 0x1.0p-53;
        }

        double nextGaussian() {
            if (haveNextNextGaussian) {
                haveNextNextGaussian = false;
                return nextNextGaussian;
            }
            double v1;
            double v2;
            double s;
            do {
                v1 = 2 * nextDouble() - 1;
                v2 = 2 * nextDouble() - 1;
                s = v1 * v1 + v2 * v2;
            } while (s >= 1 || s == 0);
            double multiplier = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
            nextNextGaussian = v2 * multiplier;
            haveNextNextGaussian = true;
            return v1 * multiplier;
        }
    }

    /**
     * The chords of {@link #abab}, which depend on the sample rate only: made once per rate (about a
     * second of sines each time), so that many songs cost only their seed's clicks and noise.
     */
    private static final Map<Integer, float[]> ABAB_CHORDS = new ConcurrentHashMap<>();

    private static float[] ababChords(int sampleRate) {
        float[] out = new float[sampleRate * 60];
        int[][] a = {{48, 60, 64, 67}, {43, 59, 62, 67}, {45, 57, 60, 64}, {41, 57, 60, 65}};
        int[][] b = {{52, 71, 75, 78}, {54, 73, 78, 81}, {49, 73, 76, 80}, {56, 75, 80, 83}};
        for (int part = 0; part < 4; part++) {
            boolean isA = part % 2 == 0;
            addChords(out, sampleRate, isA ? a : b, 15 * part, 15 * (part + 1), isA ? 2 : 8);
        }
        return out;
    }

    /** Chords of 2 s struck on every beat (0.5 s) with a decaying envelope; more harmonics sound brighter. */
    private static void addChords(float[] x, int sampleRate, int[][] chords, double fromSec, double toSec, int harmonics) {
        int s0 = (int) (fromSec * sampleRate);
        int s1 = Math.min(x.length, (int) (toSec * sampleRate));
        for (int s = s0; s < s1; s++) {
            double t = (s - s0) / (double) sampleRate;
            int[] chord = chords[(int) (t / 2.0) % chords.length];
            double env = Math.exp(-(t % 0.5) * 3.0);
            double v = 0;
            for (int note : chord) {
                double f = midiHz(note);
                for (int h = 1; h <= harmonics && f * h < sampleRate / 2.0; h++) {
                    v += Math.sin(2 * Math.PI * f * h * t) / h;
                }
            }
            x[s] += (float) (0.3 * env * v / chord.length);
        }
    }

    public static float[] sine(int sampleRate, double seconds, double freq, double amp) {
        float[] out = new float[(int) (sampleRate * seconds)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (amp * Math.sin(2 * Math.PI * freq * i / sampleRate));
        }
        return out;
    }

    public static byte[] wav(float[] samples, int sampleRate) {
        ByteBuffer data = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : samples) {
            data.putShort((short) Math.round(Math.max(-1, Math.min(1, f)) * 32767));
        }
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes()).putInt(36 + data.capacity()).put("WAVE".getBytes());
        h.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(sampleRate)
                .putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        h.put("data".getBytes()).putInt(data.capacity());
        ByteArrayOutputStream out = new ByteArrayOutputStream(44 + data.capacity());
        out.writeBytes(h.array());
        out.writeBytes(data.array());
        return out.toByteArray();
    }

    public static Path writeWav(Path file, float[] samples, int sampleRate) {
        try {
            Files.write(file, wav(samples, sampleRate));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
