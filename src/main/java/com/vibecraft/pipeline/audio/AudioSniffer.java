package com.vibecraft.pipeline.audio;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Recognises the audio formats we can decode from the first bytes of a file (magic bytes only,
 * never the file name). Anything else, including Ogg streams of codecs we cannot decode (Opus,
 * Speex, FLAC-in-Ogg, Theora), is rejected with {@link Optional#empty()}.
 */
public final class AudioSniffer {

    /**
     * How many leading bytes {@link #sniff} should be given (fewer if the file is shorter): enough
     * to see two consecutive MPEG frames of an MP3 without ID3 tag, even behind some leading junk.
     */
    public static final int HEAD_BYTES = 4096;

    private AudioSniffer() {
    }

    public static Optional<AudioKind> sniff(byte[] head) {
        if (head == null || head.length < 4) {
            return Optional.empty();
        }
        if (startsWith(head, 0, "RIFF") || startsWith(head, 0, "RF64")) {
            return startsWith(head, 8, "WAVE") ? Optional.of(AudioKind.WAV) : Optional.empty();
        }
        if (startsWith(head, 0, "fLaC")) {
            return Optional.of(AudioKind.FLAC);
        }
        if (startsWith(head, 0, "OggS")) {
            return isOggVorbis(head) ? Optional.of(AudioKind.OGG) : Optional.empty();
        }
        if (startsWith(head, 0, "ID3")) {
            return sniffAfterId3(head);
        }
        return findMpegFrames(head, 0) ? Optional.of(AudioKind.MP3) : Optional.empty();
    }

    /** The first Ogg page must carry the Vorbis identification packet ("\x01vorbis"). */
    private static boolean isOggVorbis(byte[] h) {
        if (h.length < 27) {
            return true; // too short to tell; the decoder will have the final word
        }
        if (h[4] != 0) {
            return false; // unknown Ogg stream structure version
        }
        int packet = 27 + (h[26] & 0xFF); // page header + segment table
        if (h.length < packet + 7) {
            return true;
        }
        return h[packet] == 1 && startsWith(h, packet + 1, "vorbis");
    }

    private static Optional<AudioKind> sniffAfterId3(byte[] h) {
        if (h.length < 10) {
            return Optional.of(AudioKind.MP3);
        }
        int version = h[3] & 0xFF;
        if (version < 2 || version > 4 || h[4] == (byte) 0xFF) {
            return Optional.empty();
        }
        int size = 0;
        for (int i = 6; i < 10; i++) {
            if ((h[i] & 0x80) != 0) {
                return Optional.empty(); // sizes are "syncsafe": 7 bits per byte
            }
            size = (size << 7) | (h[i] & 0x7F);
        }
        long end = 10L + size + ((h[5] & 0x10) != 0 ? 10 : 0); // flag 0x10: footer present
        if (end + 4 > h.length) {
            return Optional.of(AudioKind.MP3); // tag runs past the head: "ID3" is all we can see
        }
        return findMpegFrames(h, (int) end) ? Optional.of(AudioKind.MP3) : Optional.empty();
    }

    /**
     * Looks for an MPEG audio frame (layer II or III) from {@code from} on, followed by a second
     * consistent frame header exactly one frame length later. A single frame is accepted only when
     * it starts at {@code from} and the head ends before the second header would start.
     */
    private static boolean findMpegFrames(byte[] h, int from) {
        for (int i = from; i + 4 <= h.length; i++) {
            int len = frameLength(h, i);
            if (len <= 0) {
                continue;
            }
            int next = i + len;
            if (next + 4 > h.length) {
                if (i == from) {
                    return true;
                }
                continue;
            }
            if (frameLength(h, next) > 0 && sameStream(h, i, next)) {
                return true;
            }
        }
        return false;
    }

    /** Same MPEG version, layer and sample rate. */
    private static boolean sameStream(byte[] h, int a, int b) {
        return (h[a + 1] & 0xFE) == (h[b + 1] & 0xFE) && (h[a + 2] & 0x0C) == (h[b + 2] & 0x0C);
    }

    // kbit/s by bitrate index 1..14
    private static final int[] MPEG1_L2 = {32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384};
    private static final int[] MPEG1_L3 = {32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    private static final int[] MPEG2_L23 = {8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
    private static final int[] RATES = {44100, 48000, 32000};

    /** Length in bytes of the MPEG layer II/III frame whose header is at {@code i}, or -1. */
    static int frameLength(byte[] h, int i) {
        if (i + 4 > h.length || (h[i] & 0xFF) != 0xFF || (h[i + 1] & 0xE0) != 0xE0) {
            return -1;
        }
        int version = (h[i + 1] >> 3) & 3; // 0: MPEG 2.5, 1: reserved, 2: MPEG 2, 3: MPEG 1
        int layer = (h[i + 1] >> 1) & 3;   // 1: III, 2: II, 3: I, 0: reserved
        int bitrateIndex = (h[i + 2] >> 4) & 0xF;
        int rateIndex = (h[i + 2] >> 2) & 3;
        int padding = (h[i + 2] >> 1) & 1;
        int emphasis = h[i + 3] & 3;
        // bitrate 0 is "free format": legal but too rare to be worth the false positives
        if (version == 1 || (layer != 1 && layer != 2) || bitrateIndex == 0 || bitrateIndex == 15
                || rateIndex == 3 || emphasis == 2) {
            return -1;
        }
        int rate = RATES[rateIndex] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
        int kbps = (version == 3 ? (layer == 2 ? MPEG1_L2 : MPEG1_L3) : MPEG2_L23)[bitrateIndex - 1];
        int coefficient = (layer == 1 && version != 3) ? 72 : 144; // layer III at MPEG 2/2.5: 576 samples
        return coefficient * kbps * 1000 / rate + padding;
    }

    private static boolean startsWith(byte[] h, int offset, String ascii) {
        byte[] magic = ascii.getBytes(StandardCharsets.ISO_8859_1);
        if (offset + magic.length > h.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (h[offset + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
