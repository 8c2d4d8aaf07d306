package com.vibecraft.pipeline.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds WAV files in memory for tests: a 440 Hz sine (amplitude 0.5 unless told) in any layout. */
final class TestWav {

    enum Sample { U8, S16, S24, S32, F32, F64 }

    int rate = 44100;
    int channels = 1;
    Sample sample = Sample.S16;
    double seconds = 1.0;
    double frequency = 440;
    double amplitude = 0.5;
    boolean extensible;
    /** Per-channel gain, e.g. {1, -1} to cancel out when averaged. */
    double[] channelGain;
    /** Chunks inserted between fmt and data (id + raw body; odd bodies get a pad byte). */
    final ByteArrayOutputStream extraChunks = new ByteArrayOutputStream();
    /** Overrides the data chunk size field (e.g. 0xFFFFFFF0L to lie). */
    Long dataSizeField;

    TestWav chunk(String id, byte[] body) {
        extraChunks.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
        extraChunks.writeBytes(le32(body.length));
        extraChunks.writeBytes(body);
        if (body.length % 2 == 1) {
            extraChunks.write(0);
        }
        return this;
    }

    int bytesPerSample() {
        return switch (sample) {
            case U8 -> 1;
            case S16 -> 2;
            case S24 -> 3;
            case S32, F32 -> 4;
            case F64 -> 8;
        };
    }

    byte[] build() {
        int frames = (int) Math.round(seconds * rate);
        int bps = bytesPerSample();
        ByteBuffer data = ByteBuffer.allocate(frames * channels * bps).order(ByteOrder.LITTLE_ENDIAN);
        for (int n = 0; n < frames; n++) {
            double v = amplitude * Math.sin(2 * Math.PI * frequency * n / rate);
            for (int c = 0; c < channels; c++) {
                double s = channelGain == null ? v : v * channelGain[c];
                switch (sample) {
                    case U8 -> data.put((byte) (128 + Math.round(s * 127)));
                    case S16 -> data.putShort((short) Math.round(s * 32767));
                    case S24 -> {
                        int i = (int) Math.round(s * 8388607);
                        data.put((byte) i).put((byte) (i >> 8)).put((byte) (i >> 16));
                    }
                    case S32 -> data.putInt((int) Math.round(s * 2147483647.0));
                    case F32 -> data.putFloat((float) s);
                    case F64 -> data.putDouble(s);
                }
            }
        }
        boolean isFloat = sample == Sample.F32 || sample == Sample.F64;
        ByteBuffer fmt = ByteBuffer.allocate(extensible ? 40 : 16).order(ByteOrder.LITTLE_ENDIAN);
        fmt.putShort((short) (extensible ? 0xFFFE : isFloat ? 3 : 1))
                .putShort((short) channels).putInt(rate).putInt(rate * channels * bps)
                .putShort((short) (channels * bps)).putShort((short) (bps * 8));
        if (extensible) {
            fmt.putShort((short) 22).putShort((short) (bps * 8)).putInt(0)
                    .putShort((short) (isFloat ? 3 : 1))
                    .put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] extra = extraChunks.toByteArray();
        int riffSize = 4 + 8 + fmt.capacity() + extra.length + 8 + data.capacity();
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le32(riffSize));
        out.writeBytes("WAVEfmt ".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le32(fmt.capacity()));
        out.writeBytes(fmt.array());
        out.writeBytes(extra);
        out.writeBytes("data".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(le32(dataSizeField != null ? dataSizeField.intValue() : data.capacity()));
        out.writeBytes(data.array());
        return out.toByteArray();
    }

    static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }
}
