package com.vibecraft.pipeline.clips.preview;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.jcodec.api.FrameGrab;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.Picture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreviewClipRendererTest {

    private static final float RATE = 44_100f;
    private static final int FPS = 8;

    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** 3 s of a quiet 440 Hz sine, then 3 s of loud white noise. */
    private static float[] quietThenLoud() {
        float[] x = new float[(int) (6 * RATE)];
        Random random = new Random(7);
        int half = x.length / 2;
        for (int i = 0; i < half; i++) {
            x[i] = (float) (0.01 * Math.sin(2 * Math.PI * 440 * i / RATE));
        }
        for (int i = half; i < x.length; i++) {
            x[i] = (float) (0.8 * (2 * random.nextDouble() - 1));
        }
        return x;
    }

    @Test
    void writesAnH264Mp4WithOneSamplePerFrame() throws Exception {
        Path out = dir.resolve("clip.mp4");
        PreviewClipRenderer.Result result = new PreviewClipRenderer()
                .render(quietThenLoud(), RATE, 0, 6, FPS, 48, "Chorus 1", out);

        byte[] bytes = Files.readAllBytes(out);
        assertEquals(out.toAbsolutePath(), result.file());
        assertEquals(bytes.length, result.bytes());
        assertEquals(48, result.frames());
        assertTrue(bytes.length > 5_000, "size " + bytes.length);
        assertEquals("ftyp", new String(bytes, 4, 4, StandardCharsets.US_ASCII));

        Boxes boxes = Boxes.parse(bytes);
        assertEquals(6.0, boxes.movieSeconds(), 0.01);
        assertEquals(6.0, boxes.mediaSeconds(), 0.01);
        assertEquals(48, boxes.sampleCount);
        assertTrue(boxes.hasAvc1, "avc1 sample entry");
        if (out.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        }

        List<Double> frames = decodeAll(out);
        assertEquals(48, frames.size());
        double quiet = frames.get(8);
        double loud = frames.get(40);
        assertTrue(loud > quiet + 20, "loud frame luma " + loud + " vs quiet " + quiet);
        assertNoLeftovers();
    }

    @Test
    void loudAudioDrawsABrighterFrameThanQuietAudio() {
        float[] x = quietThenLoud();
        PreviewClipRenderer renderer = new PreviewClipRenderer();
        BufferedImage quietImage = new BufferedImage(320, 180, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage loudImage = new BufferedImage(320, 180, BufferedImage.TYPE_3BYTE_BGR);
        FrameFeatures quiet = FrameFeatures.measure(x, RATE, 44_100, 44_100 + 5_512, 320);
        FrameFeatures loud = FrameFeatures.measure(x, RATE, 4 * 44_100, 4 * 44_100 + 5_512, 320);
        assertTrue(quiet.level() < 0.2 && loud.level() > 0.8, quiet.level() + " / " + loud.level());

        renderer.drawFrame(quietImage, quiet, "Verse", 1.0, 0.2, true);
        renderer.drawFrame(loudImage, loud, "Verse", 4.0, 0.7, true);
        assertTrue(brightness(loudImage) > brightness(quietImage) + 30,
                brightness(loudImage) + " vs " + brightness(quietImage));
    }

    @Test
    void featuresFindTheToneAndTheLevel() {
        float[] x = new float[44_100];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(2 * Math.PI * 1_000 * i / RATE);
        }
        FrameFeatures f = FrameFeatures.measure(x, RATE, 0, x.length, 100);
        assertEquals(Math.sqrt(0.5), f.rms(), 1e-3);
        assertEquals(1 - 3.01 / 50, f.level(), 0.01);
        int loudest = 0;
        for (int b = 1; b < f.bands().length; b++) {
            if (f.bands()[b] > f.bands()[loudest]) {
                loudest = b;
            }
        }
        // band edges are log-spaced from 60 Hz to 12 kHz: 1 kHz falls in band 10
        assertEquals(10, loudest);
        assertTrue(f.bands()[loudest] > 0.9, "band level " + f.bands()[loudest]);
        assertEquals(1f, f.waveMax()[50], 0.01f);
        assertEquals(-1f, f.waveMin()[50], 0.01f);

        FrameFeatures silent = FrameFeatures.measure(x, RATE, 100_000, 110_000, 100);
        assertEquals(0, silent.level());
        assertArrayEquals(new double[FrameFeatures.BANDS], silent.bands());
    }

    @Test
    void sliceBeyondTheEndIsPaddedWithSilence() throws Exception {
        float[] x = quietThenLoud();
        Path out = dir.resolve("tail.mp4");
        // 4 s..10 s of a 6 s signal: two seconds of noise, then four of silence
        new PreviewClipRenderer().render(x, RATE, 4, 10, FPS, 48, "Outro", out);
        List<Double> frames = decodeAll(out);
        assertEquals(48, frames.size());
        assertTrue(frames.get(4) > frames.get(40) + 20, frames.get(4) + " vs " + frames.get(40));

        Path before = dir.resolve("before.mp4");
        new PreviewClipRenderer().render(x, RATE, -2, 1, FPS, 24, "Intro", before);
        assertEquals(24, decodeAll(before).size());

        Path past = dir.resolve("past.mp4");
        new PreviewClipRenderer().render(x, RATE, 60, 66, FPS, 48, "Nothing", past);
        assertEquals(48, Boxes.parse(Files.readAllBytes(past)).sampleCount);
    }

    @Test
    void oneFrameAndEmptySlicesWork() throws Exception {
        float[] x = quietThenLoud();
        Path one = dir.resolve("one.mp4");
        new PreviewClipRenderer().render(x, RATE, 0, 6, FPS, 1, "Whole", one);
        Boxes boxes = Boxes.parse(Files.readAllBytes(one));
        assertEquals(1, boxes.sampleCount);
        assertEquals(1.0 / FPS, boxes.mediaSeconds(), 0.01);
        assertEquals(1, decodeAll(one).size());

        Path empty = dir.resolve("empty.mp4");
        new PreviewClipRenderer().render(x, RATE, 3, 3, FPS, 8, "", empty);
        assertEquals(8, decodeAll(empty).size());

        Path reversed = dir.resolve("reversed.mp4");
        new PreviewClipRenderer().render(new float[0], RATE, 5, 2, FPS, 3, null, reversed);
        assertEquals(3, decodeAll(reversed).size());
    }

    @Test
    void anUnwritableTargetLeavesNothingBehind() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        Path out = notADir.resolve("clip.mp4");
        assertThrows(IOException.class,
                () -> new PreviewClipRenderer().render(quietThenLoud(), RATE, 0, 6, FPS, 48, "X", out));
        assertFalse(Files.exists(out));
    }

    @Test
    void aFailureMidwayKeepsTheOldFileAndRemovesTheTemporaryOne() throws Exception {
        Path out = Files.writeString(dir.resolve("clip.mp4"), "previous");
        PreviewClipRenderer failing = new PreviewClipRenderer(320, 180, frame -> {
            if (frame == 20) {
                throw new UncheckedIOException(new IOException("disk full"));
            }
        });
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> failing.render(quietThenLoud(), RATE, 0, 6, FPS, 48, "X", out));
        assertEquals("disk full", e.getCause().getMessage());
        assertEquals("previous", Files.readString(out));
        assertNoLeftovers();

        Path fresh = dir.resolve("fresh.mp4");
        assertThrows(UncheckedIOException.class,
                () -> failing.render(quietThenLoud(), RATE, 0, 6, FPS, 48, "X", fresh));
        assertFalse(Files.exists(fresh));
        assertNoLeftovers();
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyFileIsMade() {
        PreviewClipRenderer r = new PreviewClipRenderer();
        Path out = dir.resolve("bad.mp4");
        float[] x = new float[10];
        assertThrows(IllegalArgumentException.class, () -> r.render(x, RATE, 0, 1, FPS, 0, "", out));
        assertThrows(IllegalArgumentException.class, () -> r.render(x, RATE, 0, 1, 0, 8, "", out));
        assertThrows(IllegalArgumentException.class, () -> r.render(x, 0, 0, 1, FPS, 8, "", out));
        assertThrows(IllegalArgumentException.class, () -> r.render(x, RATE, Double.NaN, 1, FPS, 8, "", out));
        assertThrows(IllegalArgumentException.class, () -> new PreviewClipRenderer(321, 180));
        assertFalse(Files.exists(out));
    }

    @Test
    void oneRendererServesSeveralThreads() throws Exception {
        PreviewClipRenderer renderer = new PreviewClipRenderer();
        float[] x = quietThenLoud();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<PreviewClipRenderer.Result>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Path out = dir.resolve("t" + i + ".mp4");
                double start = i;
                results.add(pool.submit(() -> renderer.render(x, RATE, start, start + 2, FPS, 16, "T", out)));
            }
            for (Future<PreviewClipRenderer.Result> f : results) {
                assertEquals(16, decodeAll(f.get().file()).size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertNoLeftovers() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
        }
    }

    /** Decodes every frame with JCodec; returns the mean luma of each (the decoder reuses its pictures). */
    private static List<Double> decodeAll(Path file) throws Exception {
        List<Double> frames = new ArrayList<>();
        try (FileChannelWrapper ch = NIOUtils.readableChannel(file.toFile())) {
            FrameGrab grab = FrameGrab.createFrameGrab(ch);
            for (Picture p = grab.getNativeFrame(); p != null; p = grab.getNativeFrame()) {
                assertEquals(320, p.getCroppedWidth());
                assertEquals(180, p.getCroppedHeight());
                frames.add(meanLuma(p));
            }
        }
        return frames;
    }

    /** Mean of the luma plane in 0..255 (JCodec stores samples minus 128). */
    private static double meanLuma(Picture p) {
        byte[] y = p.getPlaneData(0);
        int stride = p.getPlaneWidth(0);
        long sum = 0;
        int n = 0;
        for (int row = 0; row < p.getCroppedHeight(); row++) {
            for (int col = 0; col < p.getCroppedWidth(); col++) {
                sum += y[row * stride + col] + 128;
                n++;
            }
        }
        return sum / (double) n;
    }

    private static double brightness(BufferedImage image) {
        long sum = 0;
        for (int row = 0; row < image.getHeight(); row++) {
            for (int col = 0; col < image.getWidth(); col++) {
                int rgb = image.getRGB(col, row);
                sum += ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
            }
        }
        return sum / (3.0 * image.getWidth() * image.getHeight());
    }

    /** The few MP4 boxes the tests check, read straight from the bytes. */
    private static final class Boxes {
        long movieTimescale;
        long movieDuration;
        long mediaTimescale;
        long mediaDuration;
        long sampleCount = -1;
        boolean hasAvc1;

        static Boxes parse(byte[] bytes) {
            Boxes boxes = new Boxes();
            boxes.walk(ByteBuffer.wrap(bytes), 0, bytes.length);
            assertNotNull(boxes.movieTimescale > 0 ? boxes : null, "no mvhd");
            return boxes;
        }

        double movieSeconds() {
            return movieDuration / (double) movieTimescale;
        }

        double mediaSeconds() {
            return mediaDuration / (double) mediaTimescale;
        }

        private void walk(ByteBuffer b, int from, int to) {
            int at = from;
            while (at + 8 <= to) {
                long size = Integer.toUnsignedLong(b.getInt(at));
                String type = new String(new byte[] {b.get(at + 4), b.get(at + 5), b.get(at + 6), b.get(at + 7)},
                        StandardCharsets.US_ASCII);
                int header = 8;
                if (size == 1) {
                    size = b.getLong(at + 8);
                    header = 16;
                } else if (size == 0) {
                    size = to - at;
                }
                int end = (int) (at + size);
                int body = at + header;
                switch (type) {
                    case "moov", "trak", "mdia", "minf", "stbl" -> walk(b, body, end);
                    case "mvhd" -> {
                        long[] td = timescaleAndDuration(b, body);
                        movieTimescale = td[0];
                        movieDuration = td[1];
                    }
                    case "mdhd" -> {
                        long[] td = timescaleAndDuration(b, body);
                        mediaTimescale = td[0];
                        mediaDuration = td[1];
                    }
                    case "stsz" -> sampleCount = Integer.toUnsignedLong(b.getInt(body + 8));
                    case "stsd" -> hasAvc1 |= new String(b.array(), body, end - body, StandardCharsets.ISO_8859_1)
                            .contains("avc1");
                    default -> {
                    }
                }
                assertTrue(size >= 8, "box size");
                at = end;
            }
        }

        private static long[] timescaleAndDuration(ByteBuffer b, int body) {
            int version = b.get(body) & 0xff;
            if (version == 1) {
                return new long[] {Integer.toUnsignedLong(b.getInt(body + 20)), b.getLong(body + 24)};
            }
            return new long[] {Integer.toUnsignedLong(b.getInt(body + 12)),
                    Integer.toUnsignedLong(b.getInt(body + 16))};
        }
    }
}
