package com.vibecraft.pipeline.audio;

import java.nio.ByteBuffer;

/** Interleaved little-endian PCM frames to mono float in [-1, 1] (channels averaged). */
enum PcmConverter {
    UNSIGNED_8(1), SIGNED_8(1), SIGNED_16(2), SIGNED_24(3), SIGNED_32(4), FLOAT_32(4), FLOAT_64(8);

    final int bytes;

    PcmConverter(int bytes) {
        this.bytes = bytes;
    }

    /** Integer PCM of the given container size in bytes (1 = unsigned for WAV, signed for Java Sound). */
    static PcmConverter integer(int bytes, boolean unsigned8) {
        return switch (bytes) {
            case 1 -> unsigned8 ? UNSIGNED_8 : SIGNED_8;
            case 2 -> SIGNED_16;
            case 3 -> SIGNED_24;
            case 4 -> SIGNED_32;
            default -> throw new IllegalArgumentException("unsupported PCM sample size: " + bytes + " bytes");
        };
    }

    /**
     * Reads {@code frames} frames from {@code in} (little-endian, positioned at the first frame) into
     * {@code out[off ..]}. One loop per encoding so the inner loop stays branch-free.
     */
    void toMono(ByteBuffer in, int frames, int channels, float[] out, int off) {
        switch (this) {
            case UNSIGNED_8 -> {
                float scale = 1f / (128f * channels);
                for (int f = 0; f < frames; f++) {
                    int sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += (in.get() & 0xFF) - 128;
                    }
                    out[off + f] = sum * scale;
                }
            }
            case SIGNED_8 -> {
                float scale = 1f / (128f * channels);
                for (int f = 0; f < frames; f++) {
                    int sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += in.get();
                    }
                    out[off + f] = sum * scale;
                }
            }
            case SIGNED_16 -> {
                // the common case: one bulk (intrinsic) copy, then plain array loops
                short[] s = new short[frames * channels];
                in.asShortBuffer().get(s);
                in.position(in.position() + 2 * s.length);
                if (channels == 1) {
                    for (int f = 0; f < frames; f++) {
                        out[off + f] = s[f] * (1f / 32768f);
                    }
                } else if (channels == 2) {
                    for (int f = 0; f < frames; f++) {
                        out[off + f] = (s[2 * f] + s[2 * f + 1]) * (1f / 65536f);
                    }
                } else {
                    float scale = 1f / (32768f * channels);
                    for (int f = 0, k = 0; f < frames; f++) {
                        int sum = 0;
                        for (int c = 0; c < channels; c++) {
                            sum += s[k++];
                        }
                        out[off + f] = sum * scale;
                    }
                }
            }
            case SIGNED_24 -> {
                double scale = 1.0 / (8388608.0 * channels);
                for (int f = 0; f < frames; f++) {
                    long sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += (in.get() & 0xFF) | (in.get() & 0xFF) << 8 | in.get() << 16;
                    }
                    out[off + f] = (float) (sum * scale);
                }
            }
            case SIGNED_32 -> {
                double scale = 1.0 / (2147483648.0 * channels);
                for (int f = 0; f < frames; f++) {
                    long sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += in.getInt();
                    }
                    out[off + f] = (float) (sum * scale);
                }
            }
            case FLOAT_32 -> {
                for (int f = 0; f < frames; f++) {
                    double sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += clamp(in.getFloat());
                    }
                    out[off + f] = (float) (sum / channels);
                }
            }
            case FLOAT_64 -> {
                for (int f = 0; f < frames; f++) {
                    double sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += clamp(in.getDouble());
                    }
                    out[off + f] = (float) (sum / channels);
                }
            }
        }
    }

    /** Float PCM may exceed full scale or hold NaN; keep the contract of [-1, 1]. */
    private static double clamp(double v) {
        return v > 1 ? 1 : v < -1 ? -1 : v == v ? v : 0;
    }
}
