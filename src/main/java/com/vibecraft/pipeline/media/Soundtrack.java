package com.vibecraft.pipeline.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.function.DoubleConsumer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;

/**
 * The video's sound: the song's own audio file (any format FFmpeg reads), cut or padded with silence
 * to exactly the song's duration, resampled to stereo at the format's rate and encoded as AAC into an
 * audio-only MP4 that the final mux copies.
 */
final class Soundtrack {

    static final int CHANNELS = 2;
    static final int BITRATE = 192_000;

    static {
        Media.load();
    }

    private Soundtrack() {
    }

    /**
     * @param progress told the fraction done, 0–1
     * @throws CompositionException when the song's audio cannot be read or the AAC file cannot be written
     */
    static void encode(Path songAudio, double durationSec, int sampleRate, Path out, DoubleConsumer progress)
            throws CompositionException, InterruptedException {
        long total = Math.round(durationSec * sampleRate);
        try (FFmpegFrameGrabber song = new FFmpegFrameGrabber(songAudio.toFile())) {
            song.setSampleRate(sampleRate);
            song.setAudioChannels(CHANNELS);
            song.setSampleFormat(AV_SAMPLE_FMT_FLT);
            try {
                song.start();
            } catch (FFmpegFrameGrabber.Exception e) {
                throw new CompositionException("The song's audio cannot be read (" + songAudio.getFileName() + "): "
                        + e.getMessage(), e);
            }
            if (song.getAudioChannels() <= 0) {
                throw new CompositionException("The song's audio cannot be read (" + songAudio.getFileName()
                        + "): it has no audio stream");
            }
            try (FFmpegFrameRecorder aac = new FFmpegFrameRecorder(out.toFile(), CHANNELS)) {
                aac.setFormat("mp4");
                aac.setAudioCodec(AV_CODEC_ID_AAC);
                aac.setSampleRate(sampleRate);
                aac.setAudioBitrate(BITRATE);
                aac.start();
                long written = 0;
                Frame frame;
                while (written < total && (frame = grab(song, songAudio)) != null) {
                    if (frame.samples == null) {
                        continue;
                    }
                    FloatBuffer samples = (FloatBuffer) frame.samples[0];
                    int frames = Math.min(samples.remaining() / CHANNELS, (int) (total - written));
                    samples.limit(samples.position() + frames * CHANNELS);
                    aac.recordSamples(sampleRate, CHANNELS, samples);
                    written += frames;
                    progress.accept(written / (double) total);
                    Media.checkInterrupt();
                }
                if (written == 0) {
                    throw new CompositionException("The song's audio cannot be read (" + songAudio.getFileName()
                            + "): no sound could be decoded from it");
                }
                // a song file shorter than its recorded duration ends in silence
                FloatBuffer silence = ByteBuffer.allocateDirect(sampleRate / 10 * CHANNELS * Float.BYTES).asFloatBuffer();
                while (written < total) {
                    int frames = (int) Math.min(sampleRate / 10, total - written);
                    silence.clear().limit(frames * CHANNELS);
                    aac.recordSamples(sampleRate, CHANNELS, silence);
                    written += frames;
                    Media.checkInterrupt();
                }
                aac.stop();
            }
        } catch (FrameRecorder.Exception | FrameGrabber.Exception e) {
            throw VideoComposer.writeFailure("the soundtrack could not be encoded", e);
        }
    }

    private static Frame grab(FFmpegFrameGrabber song, Path songAudio) throws CompositionException {
        try {
            return song.grabSamples();
        } catch (FFmpegFrameGrabber.Exception e) {
            throw new CompositionException("The song's audio cannot be read (" + songAudio.getFileName() + "): "
                    + e.getMessage(), e);
        }
    }
}
