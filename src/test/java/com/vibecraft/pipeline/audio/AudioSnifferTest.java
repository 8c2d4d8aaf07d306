package com.vibecraft.pipeline.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AudioSnifferTest {

    static byte[] fixture(String name) {
        try (InputStream in = AudioSnifferTest.class.getResourceAsStream("/audio/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] head(byte[] file, int n) {
        return Arrays.copyOf(file, Math.min(n, file.length));
    }

    @ParameterizedTest
    @CsvSource({
            "sine440-mono-22050.mp3, MP3",          // no ID3: found by two consecutive frame headers
            "sine440-stereo-44100.mp3, MP3",
            "sine440-mono-44100-id3.mp3, MP3",
            "sine440-mono-22050.flac, FLAC",
            "sine440-stereo-44100.flac, FLAC",
            "sine440-mono-22050.ogg, OGG",
            "sine440-stereo-44100.ogg, OGG"})
    void recognisesFixtures(String name, AudioKind kind) {
        byte[] file = fixture(name);
        assertEquals(Optional.of(kind), AudioSniffer.sniff(head(file, AudioSniffer.HEAD_BYTES)));
        assertEquals(Optional.of(kind), AudioSniffer.sniff(head(file, 64)), "from the first 64 bytes");
    }

    @Test
    void recognisesWavAndRf64() {
        byte[] wav = new TestWav().build();
        assertEquals(Optional.of(AudioKind.WAV), AudioSniffer.sniff(head(wav, AudioSniffer.HEAD_BYTES)));
        byte[] rf64 = wav.clone();
        System.arraycopy("RF64".getBytes(StandardCharsets.US_ASCII), 0, rf64, 0, 4);
        assertEquals(Optional.of(AudioKind.WAV), AudioSniffer.sniff(head(rf64, 64)));
    }

    @Test
    void rejectsOggOfOtherCodecs() {
        assertEquals(Optional.empty(), AudioSniffer.sniff(head(fixture("sine440-mono.opus.ogg"), 4096)));
    }

    @Test
    void rejectsOtherRiffFiles() {
        byte[] avi = new TestWav().build();
        System.arraycopy("AVI ".getBytes(StandardCharsets.US_ASCII), 0, avi, 8, 4);
        assertEquals(Optional.empty(), AudioSniffer.sniff(head(avi, 4096)));
    }

    @Test
    void rejectsCommonNonAudioFiles() {
        Random random = new Random(7);
        byte[][] files = {
                bytes(random, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'),
                bytes(random, 'P', 'K', 3, 4, 0x14, 0, 0, 0, 8, 0),
                bytes(random, 0x7F, 'E', 'L', 'F', 2, 1, 1, 0),
                bytes(random, 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0),
                bytes(random, '%', 'P', 'D', 'F', '-', '1', '.', '7'),
                bytes(random, 0x1F, 0x8B, 8, 0),
                "Hello, this is a plain text file, not a song.\n".repeat(100).getBytes(StandardCharsets.UTF_8),
                "ID3 is also how this text starts, but it is no tag.".getBytes(StandardCharsets.UTF_8),
                new byte[4096],
                new byte[0],
                {'O', 'g'}};
        for (byte[] file : files) {
            assertEquals(Optional.empty(), AudioSniffer.sniff(head(file, AudioSniffer.HEAD_BYTES)),
                    () -> "accepted " + new String(file, 0, Math.min(8, file.length), StandardCharsets.ISO_8859_1));
        }
        assertEquals(Optional.empty(), AudioSniffer.sniff(null));
    }

    @Test
    void rejectsRandomBytes() {
        for (int seed = 0; seed < 500; seed++) {
            byte[] noise = new byte[AudioSniffer.HEAD_BYTES];
            new Random(seed).nextBytes(noise);
            assertEquals(Optional.empty(), AudioSniffer.sniff(noise), "seed " + seed);
        }
    }

    @Test
    void aLoneFrameHeaderInNoiseIsNotMp3() {
        byte[] noise = new byte[AudioSniffer.HEAD_BYTES];
        new Random(1).nextBytes(noise);
        // a valid MPEG-1 layer III header (128 kb/s, 44.1 kHz): frame length 417, no second frame follows
        noise[0] = (byte) 0xFF;
        noise[1] = (byte) 0xFB;
        noise[2] = (byte) 0x90;
        noise[3] = 0x44;
        noise[417] = 0x00;
        assertEquals(Optional.empty(), AudioSniffer.sniff(noise));
        noise[417] = (byte) 0xFF; // now a second consistent header follows: accepted
        noise[418] = (byte) 0xFB;
        noise[419] = (byte) 0x90;
        noise[420] = 0x44;
        assertEquals(Optional.of(AudioKind.MP3), AudioSniffer.sniff(noise));
    }

    @Test
    void framesBehindLeadingJunkAreFound() {
        byte[] mp3 = fixture("sine440-mono-22050.mp3");
        byte[] shifted = new byte[AudioSniffer.HEAD_BYTES];
        System.arraycopy(mp3, 0, shifted, 300, shifted.length - 300);
        assertEquals(Optional.of(AudioKind.MP3), AudioSniffer.sniff(shifted));
    }

    @Test
    void id3TagLongerThanTheHeadIsEnough() {
        byte[] head = new byte[AudioSniffer.HEAD_BYTES];
        byte[] tag = {'I', 'D', '3', 4, 0, 0, 0x00, 0x08, 0x00, 0x00}; // 128 KiB tag (album art)
        System.arraycopy(tag, 0, head, 0, tag.length);
        assertEquals(Optional.of(AudioKind.MP3), AudioSniffer.sniff(head));
    }

    @Test
    void id3TagFollowedByNoAudioIsRejected() {
        byte[] file = new byte[AudioSniffer.HEAD_BYTES];
        byte[] tag = {'I', 'D', '3', 3, 0, 0, 0, 0, 0x01, 0x00}; // 128-byte tag, then zeros
        System.arraycopy(tag, 0, file, 0, tag.length);
        assertEquals(Optional.empty(), AudioSniffer.sniff(file));
    }

    private static byte[] bytes(Random random, int... prefix) {
        byte[] b = new byte[AudioSniffer.HEAD_BYTES];
        random.nextBytes(b);
        for (int i = 0; i < prefix.length; i++) {
            b[i] = (byte) prefix[i];
        }
        return b;
    }

    @Test
    void headBytesCoversTwoOfTheLongestFrames() {
        // MPEG-1 layer II at 384 kb/s and 32 kHz: 1728 bytes, the longest frame we accept
        assertTrue(AudioSniffer.HEAD_BYTES >= 2 * 1729 + 4);
    }
}
