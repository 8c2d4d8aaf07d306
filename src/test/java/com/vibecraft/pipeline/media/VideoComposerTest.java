package com.vibecraft.pipeline.media;

import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Composes real generated clips (solid colours in many sizes, rates, codecs and containers) with a
 * generated song and reads the result back with FFmpeg: streams, codecs, size, rate, length, the
 * colour of the frames on each side of every cut, the black bars, and the soundtrack's loudness.
 */
class VideoComposerTest {

    static final VideoFormat SMALL = new VideoFormat(320, 180, 24, 48000);
    static final int RED = 0xff0000;
    static final int GREEN = 0x00ff00;
    static final int BLUE = 0x0000ff;
    static final int YELLOW = 0xffff00;
    static final int MAGENTA = 0xff00ff;

    @TempDir
    Path tmp;

    /** What was read back from a composed video. */
    record Readback(long frames, double durationSec, List<int[]> centre, List<int[]> leftEdge, List<Float> rmsPer100ms) {
    }

    @Test
    void composesClipsOfEveryShapeOnTheFrameGridUnderTheSong() throws Exception {
        Path song = TestClips.loudQuietSong(tmp.resolve("song.wav"), 6.0);
        List<ClipSlot> clips = List.of(
                // 0.83 s of video in a 1.5 s slot: holds its last frame
                slot(0, TestClips.solid(tmp.resolve("red.mp4"), TestClips.Codec.H264_MP4, 640, 360, 24, 20, RED,
                        false, false), 0.0, 1.5),
                // 4:3 VP8 at 30 fps, 3 s in a 1.5 s slot: pillarboxed and cut
                slot(1, TestClips.solid(tmp.resolve("green.webm"), TestClips.Codec.VP8_WEBM, 320, 240, 30, 90, GREEN,
                        false, false), 1.5, 3.0),
                // vertical 9:16 with its own loud audio, which must not be heard
                slot(2, TestClips.solid(tmp.resolve("blue.mp4"), TestClips.Codec.H264_MP4, 180, 320, 30, 45, BLUE,
                        false, true), 3.0, 4.5),
                // ProRes 4:2:2 10-bit in MOV at 8 fps (the preview clips' rate)
                slot(3, TestClips.solid(tmp.resolve("yellow.mov"), TestClips.Codec.PRORES_MOV, 320, 180, 8, 12, YELLOW,
                        false, false), 4.5, 5.26),
                // variable frame rate; starts at 5.26 s → frame round(126.24) = 126
                slot(4, TestClips.solid(tmp.resolve("magenta.mp4"), TestClips.Codec.H264_MP4, 320, 180, 30, 20, MAGENTA,
                        true, false), 5.26, 6.0));
        Path target = tmp.resolve("out").resolve("video.mp4");
        List<Integer> progress = new CopyOnWriteArrayList<>();
        ComposedVideo video = new VideoComposer(SMALL, ClipLimits.defaults()).compose(clips, song, 6.0, target,
                progress::add);

        assertFalse(video.streamCopied(), "clips of other shapes are re-encoded");
        assertEquals(144, video.frames());
        assertEquals(target.toAbsolutePath(), video.file());
        assertEquals(Files.size(target), video.sizeBytes());
        assertEquals(100, progress.get(progress.size() - 1));
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) > progress.get(i - 1), "progress rises: " + progress);
        }
        assertOnlyTarget(target);

        Readback r = readBack(target, SMALL);
        assertEquals(144, r.frames());
        assertEquals(6.0, r.durationSec(), 1.0 / 24 + 1e-6);
        int[] starts = {0, 36, 72, 108, 126};
        int[] colours = {RED, GREEN, BLUE, YELLOW, MAGENTA};
        for (int i = 0; i < starts.length; i++) {
            assertColour(colours[i], r.centre().get(starts[i]), "first frame of clip " + i);
            int end = i + 1 < starts.length ? starts[i + 1] : 144;
            assertColour(colours[i], r.centre().get((starts[i] + end) / 2), "middle of clip " + i);
            assertColour(colours[i], r.centre().get(end - 1), "last frame of clip " + i);
        }
        // the 4:3 and the 9:16 clips are pillarboxed with black; the 16:9 ones fill the frame
        assertColour(0x000000, r.leftEdge().get(50), "bar beside the 4:3 clip");
        assertColour(0x000000, r.leftEdge().get(90), "bar beside the vertical clip");
        assertColour(RED, r.leftEdge().get(10), "16:9 clip to the edge");
        assertColour(YELLOW, r.leftEdge().get(115), "16:9 clip to the edge");

        // the song's sound from the first 100 ms, loud half then quiet half; the clip's own tone is gone
        // (the mono song is spread over both channels at -3 dB: RMS 0.5/√2/√2 = 0.25, then 0.025)
        List<Float> rms = r.rmsPer100ms();
        assertEquals(60, rms.size(), 1);
        assertTrue(rms.get(0) > 0.2, "sound from 0 s: " + rms);
        for (int i = 0; i < 28; i++) {
            assertEquals(0.25, rms.get(i), 0.02, "loud half at " + i * 0.1 + " s: " + rms);
        }
        for (int i = 32; i < 59; i++) {
            assertEquals(0.025, rms.get(i), 0.005, "quiet half at " + i * 0.1 + " s: " + rms);
        }
    }

    @Test
    void copiesClipsThatAlreadyMatchTheOutput() throws Exception {
        Path song = TestClips.loudQuietSong(tmp.resolve("song.wav"), 4.0);
        // slots of 30, 24 and 42 frames (1.25 s, 1.0 s, to the end at 4.0 s); the middle clip is longer and cut
        List<ClipSlot> clips = List.of(
                slot(0, TestClips.matching(tmp.resolve("a.mp4"), SMALL, 30, RED), 0.0, 1.25),
                slot(1, TestClips.matching(tmp.resolve("b.mp4"), SMALL, 24, GREEN), 1.25, 2.25),
                slot(2, TestClips.matching(tmp.resolve("c.mp4"), SMALL, 42, BLUE), 2.25, 4.0));
        Path target = tmp.resolve("copied.mp4");
        ComposedVideo video = new VideoComposer(SMALL, ClipLimits.defaults()).compose(clips, song, 4.0, target,
                CompositionProgress.NONE);

        assertTrue(video.streamCopied(), "matching clips are copied");
        assertEquals(96, video.frames());
        Readback r = readBack(target, SMALL);
        assertEquals(96, r.frames());
        assertEquals(4.0, r.durationSec(), 1.0 / 24 + 1e-6);
        assertColour(RED, r.centre().get(0), "frame 0");
        assertColour(RED, r.centre().get(29), "frame 29");
        assertColour(GREEN, r.centre().get(30), "frame 30");
        assertColour(GREEN, r.centre().get(53), "frame 53");
        assertColour(BLUE, r.centre().get(54), "frame 54");
        assertColour(BLUE, r.centre().get(95), "frame 95");
        assertTrue(r.rmsPer100ms().get(0) > 0.2, "sound from 0 s");
        assertEquals(0.025, r.rmsPer100ms().get(35), 0.005, "quiet half");
        assertOnlyTarget(target);
    }

    @Test
    void reencodesMatchingClipsThatAreTooShortForTheirSlot() throws Exception {
        Path song = TestClips.loudQuietSong(tmp.resolve("song.wav"), 2.0);
        List<ClipSlot> clips = List.of(
                slot(0, TestClips.matching(tmp.resolve("a.mp4"), SMALL, 10, RED), 0.0, 1.0),
                slot(1, TestClips.matching(tmp.resolve("b.mp4"), SMALL, 24, GREEN), 1.0, 2.0));
        ComposedVideo video = new VideoComposer(SMALL, ClipLimits.defaults()).compose(clips, song, 2.0,
                tmp.resolve("v.mp4"), CompositionProgress.NONE);
        assertFalse(video.streamCopied(), "holding a short clip's last frame needs re-encoding");
        Readback r = readBack(video.file(), SMALL);
        assertEquals(48, r.frames());
        assertColour(RED, r.centre().get(23), "held last frame");
        assertColour(GREEN, r.centre().get(24), "second clip on its frame");
    }

    @Test
    void aLateFirstClipLeavesBlackBeforeIt() throws Exception {
        Path song = TestClips.loudQuietSong(tmp.resolve("song.wav"), 2.0);
        List<ClipSlot> clips = List.of(slot(0, TestClips.matching(tmp.resolve("a.mp4"), SMALL, 48, RED), 0.5, 2.0));
        ComposedVideo video = new VideoComposer(SMALL, ClipLimits.defaults()).compose(clips, song, 2.0,
                tmp.resolve("v.mp4"), CompositionProgress.NONE);
        Readback r = readBack(video.file(), SMALL);
        assertEquals(48, r.frames());
        assertColour(0x000000, r.centre().get(11), "before the first clip");
        assertColour(RED, r.centre().get(12), "the first clip on frame round(0.5 * 24)");
    }

    static ClipSlot slot(int index, Path file, double startSec, double endSec) {
        return new ClipSlot(index, "clip-" + index, file, startSec, endSec);
    }

    /** The target and nothing else: no temporary file is left beside it. */
    static void assertOnlyTarget(Path target) throws Exception {
        try (var files = Files.list(target.toAbsolutePath().getParent())) {
            List<String> left = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".") || n.endsWith(".part")).toList();
            assertEquals(List.of(), left, "temporary files left");
        }
    }

    static void assertColour(int rgb, int[] actual, String where) {
        int[] expected = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
        for (int c = 0; c < 3; c++) {
            assertEquals(expected[c], actual[c], 40, where + ": expected " + java.util.Arrays.toString(expected)
                    + ", got " + java.util.Arrays.toString(actual));
        }
    }

    /** Reads every frame and the whole soundtrack back, checking the container's shape on the way. */
    static Readback readBack(Path file, VideoFormat format) throws Exception {
        byte[] head = new byte[(int) Math.min(Files.size(file), 1 << 16)];
        try (var in = Files.newInputStream(file)) {
            in.readNBytes(head, 0, head.length);
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("moov") && (!text.contains("mdat") || text.indexOf("moov") < text.indexOf("mdat")),
                "+faststart: the index comes before the media data");
        List<int[]> centre = new ArrayList<>();
        List<int[]> edge = new ArrayList<>();
        List<Float> rms = new ArrayList<>();
        double durationSec;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setSampleFormat(AV_SAMPLE_FMT_FLT);
            grabber.start();
            AVFormatContext ctx = grabber.getFormatContext();
            assertEquals(2, ctx.nb_streams(), "one video and one audio stream");
            int videos = 0;
            int audios = 0;
            for (int i = 0; i < ctx.nb_streams(); i++) {
                AVStream st = ctx.streams(i);
                AVCodecParameters par = st.codecpar();
                if (par.codec_type() == AVMEDIA_TYPE_VIDEO) {
                    videos++;
                    assertEquals(AV_PIX_FMT_YUV420P, par.format(), "yuv420p");
                    assertEquals(format.width(), par.width());
                    assertEquals(format.height(), par.height());
                    assertEquals(format.fps(), st.avg_frame_rate().num() / (double) st.avg_frame_rate().den(), 1e-6);
                } else if (par.codec_type() == AVMEDIA_TYPE_AUDIO) {
                    audios++;
                    assertEquals(format.audioSampleRate(), par.sample_rate());
                    assertEquals(2, par.ch_layout().nb_channels());
                }
            }
            assertEquals(1, videos);
            assertEquals(1, audios);
            assertEquals("h264", grabber.getVideoCodecName());
            assertEquals("aac", grabber.getAudioCodecName());
            durationSec = ctx.duration() / 1e6;
            int window = format.audioSampleRate() / 10;
            double sum = 0;
            int n = 0;
            Frame frame;
            while ((frame = grabber.grab()) != null) {
                if (frame.image != null) {
                    centre.add(TestClips.rgbAt(frame, frame.imageWidth / 2, frame.imageHeight / 2));
                    edge.add(TestClips.rgbAt(frame, 4, frame.imageHeight / 2));
                }
                if (frame.samples != null) {
                    FloatBuffer s = (FloatBuffer) frame.samples[0];
                    while (s.remaining() >= 2) {
                        float left = s.get();
                        s.get();
                        sum += left * left;
                        if (++n == window) {
                            rms.add((float) Math.sqrt(sum / n));
                            sum = 0;
                            n = 0;
                        }
                    }
                }
            }
        }
        return new Readback(centre.size(), durationSec, centre, edge, rms);
    }
}
