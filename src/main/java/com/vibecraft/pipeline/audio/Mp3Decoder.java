package com.vibecraft.pipeline.audio;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.BitstreamException;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.DecoderException;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.Obuffer;

/**
 * MP3 (MPEG-1/2/2.5 layer I–III) through JLayer, the decoder inside mp3spi, called directly: the
 * mp3spi stream adds a circular buffer and byte conversion that cost ~30% speed and hide frame
 * boundaries. Gapless: the Xing/Info frame (decoded as silence by JLayer) is dropped and, when a
 * LAME tag gives them, the encoder delay and padding are trimmed, so durations and beat times are
 * those of the original audio.
 */
final class Mp3Decoder {

    /** Delay of the MP3 synthesis filterbank, in samples, on top of the encoder delay (as mpg123). */
    private static final int DECODER_DELAY = 529;
    /** Tolerated undecodable frames (a glitch) before the whole file counts as corrupt. */
    private static final double MAX_BAD_FRAME_SHARE = 0.1;

    private Mp3Decoder() {
    }

    /** What the first frame says about trimming, in output samples. */
    private record Gapless(int skip, long keep, long totalFrames) {
        static final Gapless NONE = new Gapless(0, -1, -1);
    }

    static DecodedAudio decode(Path file, double maxDurationSec) throws IOException, UndecodableAudioException {
        Gapless gapless = readGapless(file);
        MonoBuffer out = null;
        float rate = 0;
        int frames = 0;
        int badFrames = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Bitstream bitstream = new Bitstream(in); // skips an ID3v2 tag itself
            Decoder decoder = new Decoder();
            FrameSamples frame = new FrameSamples();
            decoder.setOutputBuffer(frame);
            while (true) {
                Header header;
                try {
                    header = bitstream.readFrame();
                } catch (BitstreamException e) {
                    if (frames > 0) {
                        break; // truncated last frame: keep what was decoded
                    }
                    throw new UndecodableAudioException(AudioDecoder.failure(AudioKind.MP3, "no MPEG audio frame found"), e);
                }
                if (header == null) {
                    break;
                }
                frames++;
                try {
                    decoder.decodeFrame(header, bitstream);
                } catch (DecoderException | RuntimeException e) {
                    badFrames++; // a damaged frame: skip it like players do
                    bitstream.closeFrame();
                    continue;
                }
                if (out == null) {
                    rate = header.frequency();
                    out = new MonoBuffer(AudioKind.MP3, rate, maxDurationSec, gapless.skip() + 2304L,
                            expectedFrames(file, header, rate));
                }
                frame.mixInto(out);
                bitstream.closeFrame();
            }
        }
        if (out == null || out.size() == 0) {
            throw new UndecodableAudioException(AudioDecoder.failure(AudioKind.MP3, "it contains no decodable MPEG audio frames"));
        }
        if (badFrames > MAX_BAD_FRAME_SHARE * frames) {
            throw new UndecodableAudioException(AudioDecoder.failure(AudioKind.MP3,
                    badFrames + " of " + frames + " frames are damaged"));
        }
        int end = out.size();
        // trim the padding only if the stream is the one the tag describes (not a concatenation)
        if (gapless.keep() > 0 && Math.abs(frames - 1 - gapless.totalFrames()) <= 1) {
            end = (int) Math.min(end, gapless.skip() + gapless.keep());
        }
        float[] samples = out.toArray(Math.min(gapless.skip(), end), end);
        if (samples.length == 0) {
            throw new UndecodableAudioException(AudioDecoder.failure(AudioKind.MP3, "it contains no audio samples"));
        }
        if (samples.length / (double) rate > maxDurationSec) {
            throw new AudioTooLongException(samples.length / (double) rate, maxDurationSec, true);
        }
        return new DecodedAudio(samples, rate, AudioKind.MP3);
    }

    /**
     * Samples the file will give, from its size and the first frame's bit rate (exact for constant
     * bit rate, an estimate otherwise), so the buffer rarely has to grow and copy itself.
     */
    private static long expectedFrames(Path file, Header header, float rate) {
        try {
            double seconds = Files.size(file) * 8.0 / header.bitrate();
            return (long) (seconds * rate * 1.02) + 4608;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * JLayer's output for one frame, one array per channel. JLayer's own buffer interleaves the
     * channels only for us to take them apart again; the samples are rounded and clipped to 16 bits
     * exactly as there, so the decoded audio is the same to the bit (a tenth less decoding time for a
     * 44.1 kHz stereo file).
     */
    private static final class FrameSamples extends Obuffer {
        private final int[][] channel = new int[MAXCHANNELS][OBUFFERSIZE];
        private final int[] written = new int[MAXCHANNELS];

        @Override
        public void append(int ch, short value) {
            channel[ch][written[ch]++] = value;
        }

        @Override
        public void appendSamples(int ch, float[] f) {
            int[] dst = channel[ch];
            int at = written[ch];
            for (float v : f) {
                // as JLayer's SampleBuffer: clipped to ±32767, then truncated
                dst[at++] = (int) (v > 32767f ? 32767f : (v < -32767f ? -32767f : v));
            }
            written[ch] = at;
        }

        /** Appends the frame's samples, the channels averaged, to {@code out}. */
        void mixInto(MonoBuffer out) throws UndecodableAudioException {
            int n = written[0];
            float[] dst = out.reserve(n);
            int at = out.size();
            int[] left = channel[0];
            if (written[1] > 0) {
                int[] right = channel[1];
                float scale = 1f / (32768f * 2);
                for (int i = 0; i < n; i++) {
                    dst[at + i] = (left[i] + right[i]) * scale;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    dst[at + i] = left[i] * (1f / 32768f);
                }
            }
            out.commit(n);
        }

        @Override
        public void clear_buffer() {
            written[0] = 0;
            written[1] = 0;
        }

        @Override
        public void write_buffer(int val) {
            // the frame is taken by mixInto
        }

        @Override
        public void close() {
        }

        @Override
        public void set_stop_flag() {
        }
    }

    /**
     * Reads the Xing/Info (or VBRI) header in the first frame, and the LAME tag after it. Any
     * oddity means "no gapless info": the result is then the plain decoder output.
     */
    private static Gapless readGapless(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer id3 = ByteBuffer.allocate(10);
            ch.read(id3, 0);
            byte[] h = id3.array();
            long start = 0;
            if (id3.position() == 10 && h[0] == 'I' && h[1] == 'D' && h[2] == '3') {
                start = 10 + ((h[6] & 0x7FL) << 21 | (h[7] & 0x7F) << 14 | (h[8] & 0x7F) << 7 | (h[9] & 0x7F))
                        + ((h[5] & 0x10) != 0 ? 10 : 0);
            }
            ByteBuffer frame = ByteBuffer.allocate(192);
            while (frame.hasRemaining() && ch.read(frame, start + frame.position()) > 0) {
                // read until full or end of file
            }
            return parseGapless(frame.array(), frame.position());
        }
    }

    static Gapless parseGapless(byte[] f, int length) {
        if (length < 4 || AudioSniffer.frameLength(f, 0) <= 0 || ((f[1] >> 1) & 3) != 1) {
            return Gapless.NONE; // not a layer III frame
        }
        boolean mpeg1 = ((f[1] >> 3) & 3) == 3;
        boolean mono = ((f[3] >> 6) & 3) == 3;
        int samplesPerFrame = mpeg1 ? 1152 : 576;
        int sideInfo = mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17);
        int x = 4 + ((f[1] & 1) == 0 ? 2 : 0) + sideInfo; // protected frames carry a 2-byte CRC
        if (is(f, length, 36, "VBRI")) {
            return new Gapless(samplesPerFrame, -1, -1);
        }
        if (!is(f, length, x, "Xing") && !is(f, length, x, "Info")) {
            return Gapless.NONE;
        }
        if (x + 8 > length) {
            return new Gapless(samplesPerFrame, -1, -1);
        }
        int flags = ByteBuffer.wrap(f, x + 4, 4).getInt();
        int p = x + 8;
        long totalFrames = -1;
        if ((flags & 1) != 0 && p + 4 <= length) {
            totalFrames = ByteBuffer.wrap(f, p, 4).getInt() & 0xFFFFFFFFL;
            p += 4;
        }
        p += ((flags & 2) != 0 ? 4 : 0) + ((flags & 4) != 0 ? 100 : 0) + ((flags & 8) != 0 ? 4 : 0);
        // LAME tag: 9-byte encoder version, then at +21 12 bits of delay and 12 bits of padding
        if (totalFrames <= 0 || p + 24 > length || !printable(f, p, 4)) {
            return new Gapless(samplesPerFrame, -1, -1);
        }
        int delay = (f[p + 21] & 0xFF) << 4 | (f[p + 22] & 0xFF) >> 4;
        int padding = (f[p + 22] & 0x0F) << 8 | (f[p + 23] & 0xFF);
        long keep = totalFrames * samplesPerFrame - delay - padding;
        if (keep <= 0) {
            return new Gapless(samplesPerFrame, -1, -1);
        }
        return new Gapless(samplesPerFrame + delay + DECODER_DELAY, keep, totalFrames);
    }

    private static boolean is(byte[] f, int length, int at, String ascii) {
        return at + 4 <= length && new String(f, at, 4, StandardCharsets.ISO_8859_1).equals(ascii);
    }

    private static boolean printable(byte[] f, int at, int n) {
        for (int i = at; i < at + n; i++) {
            if (f[i] < 0x20 || f[i] > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
