package com.vibecraft.pipeline.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads RIFF/WAVE (and RF64) files: PCM 8/16/24/32-bit, IEEE float 32/64-bit, plain or
 * WAVE_FORMAT_EXTENSIBLE, any channel count and rate. Sizes in the header are never trusted beyond
 * the real file length, so a lying header cannot make us allocate more than the file holds.
 */
final class WavReader {

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;
    private static final int MAX_CHANNELS = 1024;
    private static final int MAX_RATE = 1_536_000;
    private static final int BLOCK_BYTES = 1 << 18;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private WavReader() {
    }

    private record Format(PcmConverter converter, int channels, int sampleRate) {
        int frameBytes() {
            return converter.bytes * channels;
        }
    }

    static DecodedAudio read(Path file, double maxDurationSec) throws IOException, UndecodableAudioException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer riff = readAt(ch, 0, 12);
            if (riff == null || !(id(riff, 0).equals("RIFF") || id(riff, 0).equals("RF64"))
                    || !id(riff, 8).equals("WAVE")) {
                throw fail("it does not start with a RIFF/WAVE header");
            }
            Format format = null;
            long rf64DataSize = -1;
            long pos = 12;
            while (true) {
                ByteBuffer header = readAt(ch, pos, 8);
                if (header == null) {
                    throw fail(format == null ? "it has no fmt chunk" : "it has no data chunk");
                }
                String id = id(header, 0);
                long size = Integer.toUnsignedLong(header.getInt(4));
                long body = pos + 8;
                switch (id) {
                    case "fmt " -> format = parseFormat(ch, body, size);
                    case "ds64" -> {
                        ByteBuffer ds64 = size >= 16 ? readAt(ch, body, 16) : null;
                        rf64DataSize = ds64 == null ? -1 : ds64.getLong(8);
                    }
                    case "data" -> {
                        if (format == null) {
                            throw fail("its data chunk comes before the fmt chunk");
                        }
                        if (size == 0xFFFFFFFFL && rf64DataSize >= 0) {
                            size = rf64DataSize; // RF64: the real size lives in ds64
                        }
                        // truncated file or lying header: only what is really there counts
                        long bytes = Math.min(size, fileSize - body);
                        return readSamples(ch, body, bytes, format, maxDurationSec);
                    }
                    default -> {
                        // LIST, fact, bext, JUNK, ...: skipped
                    }
                }
                pos = body + size + (size & 1); // chunks are padded to an even length
            }
        }
    }

    private static Format parseFormat(FileChannel ch, long body, long size)
            throws IOException, UndecodableAudioException {
        ByteBuffer b = size >= 16 ? readAt(ch, body, (int) Math.min(size, 40)) : null;
        if (b == null) {
            throw fail("its fmt chunk is too short");
        }
        int tag = b.getShort(0) & 0xFFFF;
        int channels = b.getShort(2) & 0xFFFF;
        long rate = Integer.toUnsignedLong(b.getInt(4));
        int blockAlign = b.getShort(12) & 0xFFFF;
        int bits = b.getShort(14) & 0xFFFF;
        if (tag == FORMAT_EXTENSIBLE) {
            if (b.limit() < 40) {
                throw fail("its WAVE_FORMAT_EXTENSIBLE header is too short");
            }
            tag = b.getShort(24) & 0xFFFF; // first two bytes of the sub-format GUID
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw fail("it declares " + channels + " channels");
        }
        if (rate < 1 || rate > MAX_RATE) {
            throw fail("it declares a sample rate of " + rate + " Hz");
        }
        PcmConverter converter;
        if (tag == FORMAT_PCM && bits >= 1 && bits <= 32) {
            converter = PcmConverter.integer((bits + 7) / 8, true);
        } else if (tag == FORMAT_FLOAT && (bits == 32 || bits == 64)) {
            converter = bits == 32 ? PcmConverter.FLOAT_32 : PcmConverter.FLOAT_64;
        } else {
            throw fail(String.format("its encoding (format tag 0x%04X, %d bits) is not supported; "
                    + "only PCM and IEEE float are", tag, bits));
        }
        Format format = new Format(converter, channels, (int) rate);
        if (blockAlign != format.frameBytes() && blockAlign != 0) { // 0: sloppy writers, layout is still standard
            throw fail("its block alignment (" + blockAlign + ") does not match " + channels + " channels of "
                    + bits + " bits");
        }
        return format;
    }

    private static DecodedAudio readSamples(FileChannel ch, long start, long bytes, Format format,
                                            double maxDurationSec) throws IOException, UndecodableAudioException {
        int frameBytes = format.frameBytes();
        long frames = bytes / frameBytes;
        if (frames <= 0) {
            throw fail("it contains no audio samples");
        }
        double duration = frames / (double) format.sampleRate();
        if (duration > maxDurationSec) {
            throw new AudioTooLongException(duration, maxDurationSec, true);
        }
        if (frames > MAX_ARRAY) {
            throw fail("it is too large to decode");
        }
        float[] samples = new float[(int) frames];
        int blockFrames = Math.max(1, BLOCK_BYTES / frameBytes);
        ByteBuffer block = ByteBuffer.allocate(blockFrames * frameBytes).order(ByteOrder.LITTLE_ENDIAN);
        int done = 0;
        while (done < frames) {
            int n = (int) Math.min(blockFrames, frames - done);
            block.clear().limit(n * frameBytes);
            long at = start + (long) done * frameBytes;
            while (block.hasRemaining()) {
                if (ch.read(block, at + block.position()) < 0) {
                    throw new IOException("the WAV file shrank while it was being read");
                }
            }
            block.flip();
            format.converter().toMono(block, n, format.channels(), samples, done);
            done += n;
        }
        return new DecodedAudio(samples, format.sampleRate(), AudioKind.WAV);
    }

    /** {@code length} bytes at {@code pos}, little-endian, or null when the file ends before. */
    private static ByteBuffer readAt(FileChannel ch, long pos, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                return null;
            }
        }
        return b.flip();
    }

    private static String id(ByteBuffer b, int offset) {
        byte[] four = new byte[4];
        b.get(offset, four);
        return new String(four, StandardCharsets.ISO_8859_1);
    }

    private static UndecodableAudioException fail(String why) {
        return new UndecodableAudioException("The WAV file could not be decoded: " + why + ".");
    }
}
