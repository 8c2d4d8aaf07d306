package com.vibecraft.pipeline.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Hostile files, generated on the spot: what each is, and what the service must answer when it is
 * uploaded (status and a part of the message). Status 201 marks files that are odd but real audio,
 * which the service must accept and analyse. Dropped into the inbox, every non-201 file must end in
 * {@code .failed/} with its reason.
 */
public final class HostileCorpus {

    /** One file: {@code status} and {@code detail} are the expected upload answer. */
    public record Hostile(String what, String filename, Path file, int status, String detail) {
    }

    private final Path dir;
    private final List<Hostile> files = new ArrayList<>();
    private final Random random = new Random(909);

    private HostileCorpus(Path dir) {
        this.dir = dir;
    }

    /** Writes the corpus to {@code dir}; {@code maxDurationSec} is the service's duration limit. */
    public static List<Hostile> write(Path dir, int maxDurationSec) {
        try {
            Files.createDirectories(dir);
            HostileCorpus c = new HostileCorpus(dir);
            c.build(maxDurationSec);
            return List.copyOf(c.files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void build(int maxDurationSec) throws IOException {
        String notAudio = "not a supported audio format";
        add("zero-length file", "empty.wav", new byte[0], 400, "empty");
        add("random bytes named .wav", "noise.wav", randomBytes(64 * 1024), 415, notAudio);
        add("random bytes named .mp3", "noise.mp3", randomBytes(10_000), 415, notAudio);
        add("PNG named .mp3", "cover.mp3", withMagic(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 4096), 415, notAudio);
        add("JPEG named .wav", "photo.wav", withMagic(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, 4096), 415, notAudio);
        add("ZIP named .mp3", "archive.mp3", zip(1 << 16), 415, notAudio);
        add("ZIP bomb (50 MB of zeros in 50 KB) named .wav", "bomb.wav", zip(50 << 20), 415, notAudio);
        add("gzip named .flac", "data.flac", gzip(1 << 20), 415, notAudio);
        add("ELF executable named .mp3", "tool.mp3", withMagic(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1, 0}, 8192), 415, notAudio);
        add("Windows executable named .ogg", "setup.ogg", withMagic(new byte[] {'M', 'Z', (byte) 0x90, 0}, 8192), 415, notAudio);
        add("PDF named .wav", "paper.wav", withMagic("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 4096), 415, notAudio);
        add("HTML page named .mp3", "index.mp3", "<!doctype html><html><body>hello</body></html>".repeat(50)
                .getBytes(StandardCharsets.UTF_8), 415, notAudio);
        add("a JSON document named .wav", "data.wav", "{\"file\": 1, \"title\": [\"x\"]}".getBytes(StandardCharsets.UTF_8), 415, notAudio);
        add("RIFF but AVI, not WAVE", "movie.wav", riff("AVI ", 4096), 415, notAudio);

        add("WAV header and no samples", "header-only.wav", wavHeader(22050, 1, 16, 0), 422, "no audio samples");
        add("WAV with zero channels", "zero-channels.wav", wav(8000, 1, 1.0, b -> b.putShort(22, (short) 0)), 422, "WAV");
        add("WAV with sample rate 0", "zero-rate.wav", wav(8000, 1, 1.0, b -> b.putInt(24, 0)), 422, "WAV");
        add("WAV with 7-bit samples", "seven-bit.wav", wav(8000, 1, 1.0, b -> b.putShort(34, (short) 7)), 422, "WAV");
        add("WAV cut inside its header", "cut-header.wav", slice(wav(8000, 1, 1.0, b -> { }), 30), 422, "WAV");
        add("WAV with an absurd fmt chunk size", "huge-fmt.wav", wav(8000, 1, 1.0, b -> b.putInt(16, Integer.MAX_VALUE)), 422, "WAV");
        add("WAV longer than the limit", "too-long.wav", wav(8000, 1, maxDurationSec + 5, b -> { }), 422, "longer than the limit");
        twoHourWav();

        add("MP3: an ID3 tag and nothing else", "tag-only.mp3", id3Only(), 422, "MP3");
        add("MP3: one frame header, no data", "one-frame.mp3", withMagic(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64}, 300), 422, "MP3");
        add("MP3: frame headers over random bytes", "truncated.mp3", mp3Garbage(), 422, "MP3");
        add("FLAC: magic and half a STREAMINFO", "truncated.flac", withMagic(new byte[] {'f', 'L', 'a', 'C', 0, 0, 0, 0x22}, 18), 422, "FLAC");
        add("Ogg: capture pattern and a cut page", "truncated.ogg", withMagic(new byte[] {'O', 'g', 'g', 'S', 0, 2}, 26), 422, "Ogg");

        // odd but real audio: accepted and analysed, memory bounded
        add("WAV header claiming 4 GB of data (holds 3 s)", "claims-4gb.wav", wav(22050, 1, 3.0, b -> {
            b.putInt(4, 0xFFFFFFF0);
            b.putInt(40, 0xFFFFFFF0);
        }), 201, null);
        add("192 kHz 8-channel WAV", "192k-8ch.wav", wav(192_000, 8, 3.0, b -> { }), 201, null);
        add("8 kHz 8-bit WAV", "8k-8bit.wav", wav8bit(8000, 4.0), 201, null);
    }

    private void twoHourWav() throws IOException {
        // 2 h of 8 kHz mono silence: 115 MB on disk (sparse), under the default upload size limit
        Path file = dir.resolve("two-hours.wav");
        int rate = 8000;
        long dataBytes = 2L * 3600 * rate * 2;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(wavHeader(rate, 1, 16, dataBytes));
            f.setLength(44 + dataBytes);
        }
        files.add(new Hostile("2-hour WAV (115 MB)", "two-hours.wav", file, 422, "longer than the limit"));
    }

    private void add(String what, String filename, byte[] content, int status, String detail) throws IOException {
        Path file = dir.resolve(filename);
        Files.write(file, content);
        files.add(new Hostile(what, filename, file, status, detail));
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        // no accidental audio magic at the start
        b[0] = 'x';
        return b;
    }

    private byte[] withMagic(byte[] magic, int size) {
        byte[] b = randomBytes(Math.max(size, magic.length));
        System.arraycopy(magic, 0, b, 0, magic.length);
        return b;
    }

    private static byte[] slice(byte[] b, int n) {
        return java.util.Arrays.copyOf(b, n);
    }

    private static byte[] zip(int zeros) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("song.wav"));
            byte[] block = new byte[1 << 16];
            for (int done = 0; done < zeros; done += block.length) {
                z.write(block, 0, Math.min(block.length, zeros - done));
            }
            z.closeEntry();
        }
        return out.toByteArray();
    }

    private static byte[] gzip(int zeros) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(new byte[zeros]);
        }
        return out.toByteArray();
    }

    private byte[] riff(String form, int size) {
        byte[] b = randomBytes(size);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(0, "RIFF".getBytes(StandardCharsets.US_ASCII));
        bb.putInt(4, size - 8);
        bb.put(8, form.getBytes(StandardCharsets.US_ASCII));
        return b;
    }

    private byte[] id3Only() {
        byte[] b = new byte[10 + 64];
        byte[] head = {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 64};
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    private byte[] mp3Garbage() {
        byte[] b = randomBytes(20_000);
        for (int i = 0; i + 4 < b.length; i += 417) {
            b[i] = (byte) 0xFF;
            b[i + 1] = (byte) 0xFB;
            b[i + 2] = (byte) 0x90;
            b[i + 3] = 0x64;
        }
        return b;
    }

    static byte[] wavHeader(int rate, int channels, int bits, long dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) Math.min(0xFFFFFFFFL, 36 + dataBytes));
        b.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) channels);
        b.putInt(rate).putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) Math.min(0xFFFFFFFFL, dataBytes));
        return b.array();
    }

    /** A 16-bit WAV of a sine (a different pitch per channel), then {@code edit} on its header. */
    private static byte[] wav(int rate, int channels, double seconds, java.util.function.Consumer<ByteBuffer> edit) {
        int frames = (int) (rate * seconds);
        ByteBuffer b = ByteBuffer.allocate(44 + frames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put(wavHeader(rate, channels, 16, (long) frames * channels * 2));
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels; c++) {
                b.putShort((short) (8000 * Math.sin(2 * Math.PI * (220 + 55 * c) * i / rate)));
            }
        }
        edit.accept(b);
        return b.array();
    }

    private static byte[] wav8bit(int rate, double seconds) {
        int frames = (int) (rate * seconds);
        ByteBuffer b = ByteBuffer.allocate(44 + frames).order(ByteOrder.LITTLE_ENDIAN);
        b.put(wavHeader(rate, 1, 8, frames));
        for (int i = 0; i < frames; i++) {
            b.put((byte) (128 + 60 * Math.sin(2 * Math.PI * 330 * i / rate)));
        }
        return b.array();
    }
}
