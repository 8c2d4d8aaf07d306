package com.vibecraft.pipeline.audio;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.jcraft.jogg.Packet;
import com.jcraft.jogg.Page;
import com.jcraft.jogg.StreamState;
import com.jcraft.jogg.SyncState;
import com.jcraft.jorbis.Block;
import com.jcraft.jorbis.Comment;
import com.jcraft.jorbis.DspState;
import com.jcraft.jorbis.Info;

/**
 * Ogg Vorbis through JOrbis (the decoder inside vorbisspi), driven here directly. vorbisspi's
 * DecodedVorbisAudioInputStream loses audio: it takes one Ogg page per 2 KB read and stops at end
 * of input with the remaining buffered pages undecoded, so low-bitrate files (small pages) come
 * out truncated, even empty. JOrbis also hands out float samples, so no 16-bit round trip.
 */
final class VorbisDecoder {

    private static final int READ_BYTES = 1 << 14;

    private VorbisDecoder() {
    }

    static DecodedAudio decode(Path file, double maxDurationSec) throws IOException, UndecodableAudioException {
        SyncState sync = new SyncState();
        StreamState stream = new StreamState();
        Page page = new Page();
        Packet packet = new Packet();
        Info info = new Info();
        Comment comment = new Comment();
        DspState dsp = new DspState();
        Block block = new Block(dsp);
        sync.init();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            readHeaders(in, sync, stream, page, packet, info, comment);
            int channels = info.channels;
            float rate = info.rate;
            if (channels < 1 || rate <= 0) {
                throw fail("it declares no valid sample rate or channel count");
            }
            dsp.synthesis_init(info);
            block.init(dsp);
            MonoBuffer out = new MonoBuffer(AudioKind.OGG, rate, maxDurationSec, 0);
            float[][][] pcmHolder = new float[1][][];
            int[] offsets = new int[channels];
            boolean end = false;
            while (!end) {
                int result = sync.pageout(page);
                if (result == 0) { // need more data
                    end = !feed(in, sync);
                    continue;
                }
                if (result < 0 || stream.pagein(page) < 0) {
                    continue; // a hole in the data or a page of another logical stream
                }
                while ((result = stream.packetout(packet)) != 0) {
                    if (result > 0 && block.synthesis(packet) == 0) {
                        dsp.synthesis_blockin(block);
                        int n;
                        while ((n = dsp.synthesis_pcmout(pcmHolder, offsets)) > 0) {
                            mix(pcmHolder[0], offsets, channels, n, out);
                            dsp.synthesis_read(n);
                        }
                    }
                }
                end = page.eos() != 0;
            }
            if (out.size() == 0) {
                throw fail("it contains no audio samples");
            }
            return new DecodedAudio(out.toArray(0, out.size()), rate, AudioKind.OGG);
        } finally {
            stream.clear();
            block.clear();
            dsp.clear();
            info.clear();
            sync.clear();
        }
    }

    /** The three Vorbis header packets: identification, comment, setup. */
    private static void readHeaders(InputStream in, SyncState sync, StreamState stream, Page page, Packet packet,
                                    Info info, Comment comment) throws IOException, UndecodableAudioException {
        feed(in, sync);
        if (sync.pageout(page) != 1) {
            throw fail("it is not an Ogg stream");
        }
        stream.init(page.serialno());
        info.init();
        comment.init();
        if (stream.pagein(page) < 0 || stream.packetout(packet) != 1
                || info.synthesis_headerin(comment, packet) < 0) {
            throw fail("it does not start with a Vorbis identification header");
        }
        int headers = 1;
        while (headers < 3) {
            int result = sync.pageout(page);
            if (result == 0) {
                if (!feed(in, sync)) {
                    throw fail("it ends before its Vorbis headers are complete");
                }
                continue;
            }
            if (result < 0) {
                continue;
            }
            stream.pagein(page);
            while (headers < 3 && (result = stream.packetout(packet)) != 0) {
                if (result < 0 || info.synthesis_headerin(comment, packet) < 0) {
                    throw fail("its Vorbis headers are corrupt");
                }
                headers++;
            }
        }
    }

    /** Moves the next bytes of the file into the Ogg sync buffer; false at end of file. */
    private static boolean feed(InputStream in, SyncState sync) throws IOException {
        int index = sync.buffer(READ_BYTES);
        int n = in.read(sync.data, index, READ_BYTES);
        if (n <= 0) {
            return false;
        }
        sync.wrote(n);
        return true;
    }

    private static void mix(float[][] pcm, int[] offsets, int channels, int n, MonoBuffer out)
            throws UndecodableAudioException {
        float[] dst = out.reserve(n);
        int at = out.size();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += pcm[c][offsets[c] + i];
            }
            double v = sum / channels;
            dst[at + i] = (float) (v > 1 ? 1 : v < -1 ? -1 : v); // Vorbis may overshoot full scale
        }
        out.commit(n);
    }

    private static UndecodableAudioException fail(String why) {
        return new UndecodableAudioException(AudioDecoder.failure(AudioKind.OGG, why));
    }
}
