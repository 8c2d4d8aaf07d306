package com.vibecraft.pipeline.media;

import static com.vibecraft.pipeline.media.VideoComposerTest.SMALL;
import static com.vibecraft.pipeline.media.VideoComposerTest.assertOnlyTarget;
import static com.vibecraft.pipeline.media.VideoComposerTest.slot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/**
 * Every bad input fails the composition with a message that names the clip (or says what else went
 * wrong), and loses nothing: an older video at the target stays byte for byte, no temporary file is left.
 */
class BadInputTest {

    @TempDir
    Path tmp;
    Path song;
    Path good;
    Path target;
    byte[] olderVideo;

    @BeforeEach
    void setUp() throws Exception {
        song = TestClips.loudQuietSong(tmp.resolve("song.wav"), 2.0);
        good = TestClips.matching(tmp.resolve("good.mp4"), SMALL, 24, VideoComposerTest.RED);
        target = Files.createDirectories(tmp.resolve("videos")).resolve("song.mp4");
        olderVideo = "an older, good video".getBytes(StandardCharsets.UTF_8);
        Files.write(target, olderVideo);
    }

    /** Composes a good first clip and {@code second} as clip 2 (id "bad"). */
    private Executable composeWith(Path second, ClipLimits limits) {
        return () -> new VideoComposer(SMALL, limits).compose(
                List.of(slot(0, good, 0, 1), new ClipSlot(1, "bad", second, 1, 2)), song, 2.0, target,
                CompositionProgress.NONE);
    }

    private void assertClipFails(Path second, ClipLimits limits, String reason) throws Exception {
        ClipMediaException e = assertThrows(ClipMediaException.class, composeWith(second, limits));
        assertTrue(e.getMessage().startsWith("Clip 2 (bad): "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), "'" + reason + "' in: " + e.getMessage());
        assertEquals(1, e.clipIndex());
        assertEquals("bad", e.clipId());
        assertNothingLost();
    }

    private void assertNothingLost() throws Exception {
        assertArrayEquals(olderVideo, Files.readAllBytes(target), "the older video is untouched");
        assertOnlyTarget(target);
    }

    @Test
    void missingClip() throws Exception {
        assertClipFails(tmp.resolve("nowhere.mp4"), ClipLimits.defaults(), "missing");
    }

    @Test
    void emptyClip() throws Exception {
        assertClipFails(Files.createFile(tmp.resolve("empty.mp4")), ClipLimits.defaults(), "empty");
    }

    @Test
    void corruptClips() throws Exception {
        byte[] noise = new byte[50_000];
        new Random(7).nextBytes(noise);
        assertClipFails(Files.write(tmp.resolve("noise.mp4"), noise), ClipLimits.defaults(), "not a video");
        byte[] real = Files.readAllBytes(TestClips.matching(tmp.resolve("whole.mp4"), SMALL, 24, 0x00ff00));
        Path cut = Files.write(tmp.resolve("truncated.mp4"), java.util.Arrays.copyOf(real, real.length / 2));
        assertClipFails(cut, ClipLimits.defaults(), "not a video");
    }

    @Test
    void clipOfAnUnknownCodec() throws Exception {
        // a Matroska file whose codec id FFmpeg does not know (same length, so the file stays well formed)
        Path mkv = TestClips.solid(tmp.resolve("mpeg4.mkv"), new TestClips.Codec("matroska", "mpeg4",
                org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P), 64, 64, 8, 8, 0xffffff, false, false);
        String bytes = new String(Files.readAllBytes(mkv), StandardCharsets.ISO_8859_1);
        assertTrue(bytes.contains("V_MPEG4/ISO/ASP"));
        Path unknown = Files.write(tmp.resolve("unknown.mkv"),
                bytes.replace("V_MPEG4/ISO/ASP", "V_VIBECRAFT/XYZ").getBytes(StandardCharsets.ISO_8859_1));
        assertClipFails(unknown, ClipLimits.defaults(), "cannot be decoded");
    }

    @Test
    void clipsOverTheLimits() throws Exception {
        Path long3s = TestClips.matching(tmp.resolve("long.mp4"), SMALL, 72, 0x00ff00);
        long size = Files.size(long3s);
        assertTrue(size > Files.size(good));
        assertClipFails(long3s, new ClipLimits(size - 1, 120, Duration.ofSeconds(5)), "bytes, more than the limit");
        assertClipFails(long3s, new ClipLimits(1 << 30, 2.5, Duration.ofSeconds(5)), "3.0 s long, more than the limit");
    }

    @Test
    void unreadableSongAudio() throws Exception {
        byte[] noise = new byte[20_000];
        new Random(3).nextBytes(noise);
        Path notAudio = Files.write(tmp.resolve("song.flac"), noise);
        for (Path audio : new Path[] {notAudio, tmp.resolve("no-such-song.wav")}) {
            CompositionException e = assertThrows(CompositionException.class, () -> new VideoComposer(SMALL,
                    ClipLimits.defaults()).compose(List.of(slot(0, good, 0, 2)), audio, 2.0, target,
                    CompositionProgress.NONE));
            assertTrue(e.getMessage().startsWith("The song's audio cannot be read"), e.getMessage());
            assertNothingLost();
        }
    }

    @Test
    void anInterruptedCompositionLeavesNothing() throws Exception {
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> new VideoComposer(SMALL, ClipLimits.defaults()).compose(
                    List.of(slot(0, good, 0, 2)), song, 2.0, target, CompositionProgress.NONE));
        } finally {
            Thread.interrupted();
        }
        assertNothingLost();
    }

    @Test
    void leftoversOfAKilledCompositionAreRemoved() throws Exception {
        Path dir = target.getParent();
        Files.write(dir.resolve(".song.mp4.123.part"), new byte[10]);
        Files.write(dir.resolve(".song.mp4.456.aac.part"), new byte[10]);
        Files.write(dir.resolve(".other.mp4.789.part"), new byte[10]);
        assertEquals(2, VideoComposer.removeLeftovers(target));
        assertArrayEquals(olderVideo, Files.readAllBytes(target));
        assertTrue(Files.exists(dir.resolve(".other.mp4.789.part")), "another video's files are not touched");
    }

    /** FFmpeg's own write failing on a full device (/dev/full answers every write with ENOSPC). */
    @Test
    void aFullDiskIsReportedAsSuch() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "no /dev/full here");
        Path audio = tmp.resolve("sound.m4a");
        Soundtrack.encode(song, 2.0, 48000, audio, f -> { });
        CompositionException e = assertThrows(CompositionException.class, () -> Mp4Mux.write(
                List.of(new Mp4Mux.Segment(good, 0, 48, null)), audio, 24, full, n -> { }));
        assertTrue(e.getMessage().startsWith("The disk is full"), e.getMessage());
    }

    /** The whole composition on a file system that fills up: a small tmpfs (needs root to mount; skipped otherwise). */
    @Test
    void aDiskThatFillsUpFailsTheCompositionAndCleansUp() throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("small-disk"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        assumeTrue(p.waitFor() == 0, "cannot mount a tmpfs here (not root)");
        try {
            Path small = mount.resolve("song.mp4");
            Files.write(small, olderVideo);
            Path big = TestClips.matching(tmp.resolve("big.mp4"), SMALL, 48, 0x00ff00);
            CompositionException e = assertThrows(CompositionException.class, () -> new VideoComposer(SMALL,
                    ClipLimits.defaults()).compose(List.of(slot(0, big, 0, 2)), song, 2.0, small,
                    CompositionProgress.NONE));
            assertTrue(e.getMessage().startsWith("The disk is full"), e.getMessage());
            assertArrayEquals(olderVideo, Files.readAllBytes(small));
            assertOnlyTarget(small);
        } finally {
            new ProcessBuilder("umount", mount.toString()).start().waitFor();
        }
    }
}
