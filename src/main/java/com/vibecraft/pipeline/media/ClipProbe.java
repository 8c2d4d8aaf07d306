package com.vibecraft.pipeline.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avcodec.AVCodec;

/**
 * What one clip file is, read before anything is composed, so a bad clip fails the composition at
 * once with its name, and so the composer knows whether the clip's packets can be copied as they are.
 *
 * @param copyable     H.264 yuv420p in exactly the output's size at the output's constant frame rate,
 *                     starting on a key frame: its packets can be copied without re-encoding
 * @param frames       the number of video frames (counted from the packets when {@code copyable}, else 0)
 * @param reorderDelay frames between decode and display order (B-frames), when {@code copyable}
 * @param extradata    the codec's global header (SPS/PPS), when {@code copyable}: one MP4 track holds one
 */
record ClipProbe(double durationSec, boolean copyable, long frames, int reorderDelay,
                 byte[] extradata) {

    static {
        Media.load();
    }

    /** Checks the file against the limits and reads its video stream's shape. */
    static ClipProbe probe(ClipSlot slot, ClipLimits limits, VideoFormat format) throws ClipMediaException {
        long bytes;
        try {
            bytes = Files.size(slot.file());
        } catch (NoSuchFileException e) {
            throw new ClipMediaException(slot, "its video file is missing (" + slot.file() + ")");
        } catch (IOException e) {
            throw new ClipMediaException(slot.clipIndex(), slot.clipId(), "its video file cannot be read: " + e, e);
        }
        if (bytes == 0) {
            throw new ClipMediaException(slot, "its video file is empty");
        }
        if (bytes > limits.maxBytes()) {
            throw new ClipMediaException(slot, "its video file is " + bytes + " bytes, more than the limit of "
                    + limits.maxBytes());
        }
        AVFormatContext input = new AVFormatContext(null);
        int ret = avformat_open_input(input, slot.file().toString(), null, (AVDictionary) null);
        if (ret < 0) {
            throw new ClipMediaException(slot, "its file is not a video FFmpeg can read (" + Media.error(ret) + ")");
        }
        try {
            ret = avformat_find_stream_info(input, (AVDictionary) null);
            if (ret < 0) {
                throw new ClipMediaException(slot, "its video is corrupt (" + Media.error(ret) + ")");
            }
            int index = av_find_best_stream(input, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            if (index < 0) {
                throw new ClipMediaException(slot, "its file has no video stream");
            }
            AVStream stream = input.streams(index);
            AVCodecParameters par = stream.codecpar();
            if (avcodec_find_decoder(par.codec_id()) == null) {
                throw new ClipMediaException(slot, "its video codec (" + avcodec_get_name(par.codec_id()).getString()
                        + ") cannot be decoded");
            }
            if (par.width() <= 0 || par.height() <= 0) {
                throw new ClipMediaException(slot, "its video is corrupt (no frame size)");
            }
            double durationSec = durationSec(input, stream);
            if (durationSec > limits.maxDurationSec()) {
                throw new ClipMediaException(slot, String.format(java.util.Locale.ROOT,
                        "its video is %.1f s long, more than the limit of %.1f s", durationSec, limits.maxDurationSec()));
            }
            boolean sameShape = par.codec_id() == AV_CODEC_ID_H264 && par.format() == AV_PIX_FMT_YUV420P
                    && par.width() == format.width() && par.height() == format.height()
                    && isRate(stream.avg_frame_rate(), format.fps()) && isRate(stream.r_frame_rate(), format.fps());
            if (!sameShape) {
                return new ClipProbe(durationSec, false, 0, 0, null);
            }
            return scanPackets(slot, input, index, format.fps(), durationSec);
        } finally {
            avformat_close_input(input);
        }
    }

    /**
     * Reads (without decoding) every packet of the video stream: a copyable clip's timestamps must lie
     * exactly on its frame grid with none missing, and it must start with a key frame.
     */
    private static ClipProbe scanPackets(ClipSlot slot, AVFormatContext input, int index, int fps, double durationSec)
            throws ClipMediaException {
        AVStream stream = input.streams(index);
        AVRational tb = stream.time_base();
        // one frame in the stream's time base; a grid that is not a whole number of ticks is not copied
        long ticks = (long) tb.den() / ((long) tb.num() * fps);
        boolean onGrid = ticks > 0 && ticks * tb.num() * fps == tb.den();
        long[] pts = new long[64];
        long firstDts = Long.MAX_VALUE;
        int count = 0;
        boolean keyFirst = false;
        AVPacket packet = av_packet_alloc();
        try {
            int ret;
            while ((ret = av_read_frame(input, packet)) >= 0) {
                try {
                    if (packet.stream_index() != index) {
                        continue;
                    }
                    if (packet.pts() == AV_NOPTS_VALUE || packet.dts() == AV_NOPTS_VALUE) {
                        onGrid = false;
                    }
                    if (count == 0) {
                        keyFirst = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
                    }
                    if (count == pts.length) {
                        pts = Arrays.copyOf(pts, count * 2);
                    }
                    pts[count++] = packet.pts();
                    firstDts = Math.min(firstDts, packet.dts());
                } finally {
                    av_packet_unref(packet);
                }
            }
            if (ret != org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF) {
                throw new ClipMediaException(slot, "its video is corrupt (" + Media.error(ret) + ")");
            }
        } finally {
            av_packet_free(packet);
        }
        if (count == 0) {
            throw new ClipMediaException(slot, "its video has no frames");
        }
        long[] sorted = Arrays.copyOf(pts, count);
        Arrays.sort(sorted);
        for (int i = 1; i < count && onGrid; i++) {
            onGrid = sorted[i] - sorted[i - 1] == ticks;
        }
        if (!onGrid || !keyFirst || (sorted[0] - firstDts) % ticks != 0) {
            return new ClipProbe(durationSec, false, 0, 0, null);
        }
        AVCodecParameters par = stream.codecpar();
        byte[] extradata = new byte[par.extradata_size()];
        if (extradata.length > 0) {
            par.extradata().get(extradata);
        }
        return new ClipProbe(durationSec, true, count, (int) ((sorted[0] - firstDts) / ticks), extradata);
    }

    private static boolean isRate(AVRational rate, int fps) {
        return rate.den() > 0 && (long) rate.num() == (long) rate.den() * fps;
    }

    private static double durationSec(AVFormatContext input, AVStream stream) {
        if (stream.duration() != AV_NOPTS_VALUE && stream.duration() > 0) {
            return stream.duration() * (double) stream.time_base().num() / stream.time_base().den();
        }
        return input.duration() != AV_NOPTS_VALUE && input.duration() > 0 ? input.duration() / (double) AV_TIME_BASE : 0;
    }
}
