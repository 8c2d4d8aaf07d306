package com.vibecraft.pipeline.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_compare_ts;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * The last step of every composition, copying packets without decoding: H.264 video from one or more
 * segments laid on the output's frame grid, and the AAC soundtrack, interleaved into one MP4 with the
 * index in front ({@code +faststart}) so players start before the whole file has arrived.
 */
final class Mp4Mux {

    /**
     * Video packets to copy from {@code file}: its frame k (counted from its first packet's timestamp)
     * becomes output frame {@code startFrame + k}; frames from {@code maxFrames} on are dropped.
     *
     * @param slot the clip the file is, for errors; null for the composer's own encoded video
     */
    record Segment(Path file, long startFrame, long maxFrames, ClipSlot slot) {
    }

    static {
        Media.load();
    }

    private Mp4Mux() {
    }

    /**
     * Writes {@code out}; all segments must share one codec header (the first one's is used).
     *
     * @param framesDone told the number of video frames written so far
     * @return the number of video frames written
     */
    static long write(List<Segment> segments, Path audio, int fps, Path out, LongConsumer framesDone)
            throws ClipMediaException, CompositionException, InterruptedException {
        AVRational frameTb = av_make_q(1, fps);
        AVFormatContext output = new AVFormatContext(null);
        AVFormatContext audioIn = null;
        AVFormatContext videoIn = null;
        AVPacket packet = av_packet_alloc();
        AVPacket audioPacket = av_packet_alloc();
        boolean opened = false;
        try {
            check(avformat_alloc_output_context2(output, null, "mp4", out.toString()), "opening the output");
            audioIn = open(audio, null);
            int audioIndex = stream(audioIn, AVMEDIA_TYPE_AUDIO, audio, null);
            AVStream audioSrc = audioIn.streams(audioIndex);
            Segment first = segments.get(0);
            videoIn = open(first.file(), first.slot());
            int videoIndex = stream(videoIn, AVMEDIA_TYPE_VIDEO, first.file(), first.slot());

            AVStream video = avformat_new_stream(output, (AVCodec) null);
            check(avcodec_parameters_copy(video.codecpar(), videoIn.streams(videoIndex).codecpar()), "copying");
            video.codecpar().codec_tag(0);
            video.time_base(frameTb);
            AVStream sound = avformat_new_stream(output, (AVCodec) null);
            check(avcodec_parameters_copy(sound.codecpar(), audioSrc.codecpar()), "copying");
            sound.codecpar().codec_tag(0);
            sound.time_base(audioSrc.time_base());

            AVIOContext io = new AVIOContext(null);
            check(avio_open(io, out.toString(), AVIO_FLAG_WRITE), "opening the output");
            output.pb(io);
            opened = true;
            AVDictionary options = new AVDictionary(null);
            av_dict_set(options, "movflags", "+faststart", 0);
            int ret = avformat_write_header(output, options);
            av_dict_free(options);
            check(ret, "writing the header");

            boolean audioLeft = nextPacket(audioIn, audioIndex, audioPacket);
            long written = 0;
            for (int s = 0; s < segments.size(); s++) {
                Segment segment = segments.get(s);
                if (s > 0) {
                    avformat_close_input(videoIn);
                    videoIn = open(segment.file(), segment.slot());
                    videoIndex = stream(videoIn, AVMEDIA_TYPE_VIDEO, segment.file(), segment.slot());
                }
                AVRational tb = videoIn.streams(videoIndex).time_base();
                long firstPts = AV_NOPTS_VALUE;
                int ret2;
                while ((ret2 = av_read_frame(videoIn, packet)) >= 0) {
                    try {
                        if (packet.stream_index() != videoIndex) {
                            continue;
                        }
                        if (firstPts == AV_NOPTS_VALUE) {
                            firstPts = packet.pts();
                        }
                        long frame = av_rescale_q(packet.pts() - firstPts, tb, frameTb);
                        if (frame < 0 || frame >= segment.maxFrames()) {
                            continue;
                        }
                        long pts = segment.startFrame() + frame;
                        long dts = segment.startFrame() + av_rescale_q(packet.dts() - firstPts, tb, frameTb);
                        while (audioLeft && av_compare_ts(audioPacket.dts(), sound.time_base(), dts, frameTb) <= 0) {
                            writeAudio(output, audioPacket, audioSrc.time_base(), sound);
                            audioLeft = nextPacket(audioIn, audioIndex, audioPacket);
                        }
                        packet.stream_index(video.index());
                        packet.pts(av_rescale_q(pts, frameTb, video.time_base()));
                        packet.dts(av_rescale_q(dts, frameTb, video.time_base()));
                        packet.duration(av_rescale_q(1, frameTb, video.time_base()));
                        packet.pos(-1);
                        check(av_interleaved_write_frame(output, packet), "writing the video");
                        framesDone.accept(++written);
                        Media.checkInterrupt();
                    } finally {
                        av_packet_unref(packet);
                    }
                }
                if (ret2 != AVERROR_EOF) {
                    failRead(segment.file(), segment.slot(), ret2);
                }
            }
            while (audioLeft) {
                writeAudio(output, audioPacket, audioSrc.time_base(), sound);
                audioLeft = nextPacket(audioIn, audioIndex, audioPacket);
            }
            check(av_write_trailer(output), "finishing the file");
            return written;
        } finally {
            av_packet_free(packet);
            av_packet_free(audioPacket);
            if (videoIn != null) {
                avformat_close_input(videoIn);
            }
            if (audioIn != null) {
                avformat_close_input(audioIn);
            }
            if (opened) {
                avio_closep(output.pb());
            }
            avformat_free_context(output);
        }
    }

    private static void writeAudio(AVFormatContext output, AVPacket packet, AVRational from, AVStream to)
            throws CompositionException {
        packet.stream_index(to.index());
        packet.pts(av_rescale_q(packet.pts(), from, to.time_base()));
        packet.dts(av_rescale_q(packet.dts(), from, to.time_base()));
        packet.duration(av_rescale_q(packet.duration(), from, to.time_base()));
        packet.pos(-1);
        int ret = av_interleaved_write_frame(output, packet);
        av_packet_unref(packet);
        check(ret, "writing the audio");
    }

    /** Reads the next packet of stream {@code index} into {@code packet}; false at the end. */
    private static boolean nextPacket(AVFormatContext input, int index, AVPacket packet) throws CompositionException {
        int ret;
        while ((ret = av_read_frame(input, packet)) >= 0) {
            if (packet.stream_index() == index) {
                return true;
            }
            av_packet_unref(packet);
        }
        if (ret != AVERROR_EOF) {
            throw new CompositionException("The encoded soundtrack cannot be read back: " + Media.error(ret));
        }
        return false;
    }

    private static AVFormatContext open(Path file, ClipSlot slot) throws ClipMediaException, CompositionException {
        AVFormatContext input = new AVFormatContext(null);
        int ret = avformat_open_input(input, file.toString(), null, (AVDictionary) null);
        if (ret < 0) {
            failRead(file, slot, ret);
        }
        ret = avformat_find_stream_info(input, (AVDictionary) null);
        if (ret < 0) {
            avformat_close_input(input);
            failRead(file, slot, ret);
        }
        return input;
    }

    private static int stream(AVFormatContext input, int type, Path file, ClipSlot slot)
            throws ClipMediaException, CompositionException {
        int index = av_find_best_stream(input, type, -1, -1, (AVCodec) null, 0);
        if (index < 0) {
            failRead(file, slot, index);
        }
        return index;
    }

    /** A clip's own read error names the clip; the composer's own intermediate file failing is ours. Always throws. */
    private static void failRead(Path file, ClipSlot slot, int code) throws ClipMediaException, CompositionException {
        if (slot != null) {
            throw new ClipMediaException(slot.clipIndex(), slot.clipId(), "its video cannot be read: "
                    + Media.error(code), null);
        }
        throw new CompositionException("The intermediate file " + file.getFileName() + " cannot be read: "
                + Media.error(code));
    }

    private static void check(int ret, String what) throws CompositionException {
        if (ret < 0) {
            throw VideoComposer.writeFailure(what + " failed", new java.io.IOException(Media.error(ret)));
        }
    }
}
