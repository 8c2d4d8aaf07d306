package com.vibecraft.pipeline.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Audio made in the tests: 16-bit PCM WAV files with a known structure. */
public final class TestAudio {

    private TestAudio() {
    }

    /**
     * Four 15-second parts A B A B at 120 BPM: A is a low C-major/A-minor piano-like part,
     * B a high, brighter F#-major/D#-minor part. Boundaries at 15, 30 and 45 s.
     * {@code seed} changes the noise floor so each call gives different bytes (no de-duplication).
     */
    public static float[] abab(int sampleRate, long seed) {
        double part = 15.0;
        float[] out = new float[(int) (sampleRate * part * 4)];
        Random noise = new Random(seed);
        double[][] chordsA = {{48, 52, 55, 60}, {45, 48, 52, 57}};
        double[][] chordsB = {{66, 70, 73, 78}, {63, 66, 70, 75}};
        for (int p = 0; p < 4; p++) {
            boolean a = p % 2 == 0;
            double[][] chords = a ? chordsA : chordsB;
            int start = (int) (p * part * sampleRate);
            int len = (int) (part * sampleRate);
            double beat = 0.5;
            for (int i = 0; i < len; i++) {
                double t = i / (double) sampleRate;
                int bar = (int) (t / (beat * 4));
                double[] chord = chords[bar % 2];
                double tb = t % beat;
                double env = Math.exp(-tb * (a ? 3 : 6));
                double s = 0;
                for (double midi : chord) {
                    double f = 440 * Math.pow(2, (midi - 69) / 12.0);
                    s += Math.sin(2 * Math.PI * f * t) + (a ? 0.2 : 0.6) * Math.sin(4 * Math.PI * f * t)
                            + (a ? 0.0 : 0.3) * Math.sin(6 * Math.PI * f * t);
                }
                double click = tb < 0.01 ? Math.sin(2 * Math.PI * 2000 * tb) * (1 - tb / 0.01) : 0;
                out[start + i] = (float) (0.08 * env * s + 0.3 * click + 0.001 * noise.nextGaussian());
            }
        }
        return out;
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
