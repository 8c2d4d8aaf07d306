package com.vibecraft.pipeline.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class AudioDecoderTest {

    private static final double NO_LIMIT = Double.POSITIVE_INFINITY;
    private static final double SINE_RMS = 0.5 / Math.sqrt(2);

    private final AudioDecoder decoder = new AudioDecoder();

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static void assertTone(DecodedAudio audio, double seconds, float rate, double expectedRms) {
        assertEquals(rate, audio.sampleRate());
        assertEquals(seconds, audio.durationSec(), 0.05, "duration");
        assertEquals(440, Signals.frequency(audio.samples(), audio.sampleRate()), 440 * 0.02, "pitch");
        assertEquals(expectedRms, Signals.rms(audio.samples()), expectedRms * 0.10, "rms");
        assertTrue(Signals.peak(audio.samples()) <= 1f, "within [-1, 1]");
    }

    static Stream<Arguments> wavLayouts() {
        return Stream.of(TestWav.Sample.values()).flatMap(sample -> Stream.of(1, 2).flatMap(channels ->
                Stream.of(8000, 22050, 44100, 48000).map(rate -> Arguments.of(sample, channels, rate))));
    }

    @ParameterizedTest(name = "{0} x{1} @ {2} Hz")
    @MethodSource("wavLayouts")
    void decodesWavLayouts(TestWav.Sample sample, int channels, int rate) throws Exception {
        TestWav wav = new TestWav();
        wav.sample = sample;
        wav.channels = channels;
        wav.rate = rate;
        wav.seconds = 1.5;
        DecodedAudio audio = decoder.decode(write("tone.wav", wav.build()), NO_LIMIT);
        assertEquals(AudioKind.WAV, audio.format());
        assertEquals(Math.round(1.5 * rate), audio.samples().length);
        assertTone(audio, 1.5, rate, SINE_RMS);
    }

    @ParameterizedTest
    @EnumSource(TestWav.Sample.class)
    void decodesWaveFormatExtensible(TestWav.Sample sample) throws Exception {
        TestWav wav = new TestWav();
        wav.sample = sample;
        wav.extensible = true;
        wav.channels = 6;
        assertTone(decoder.decode(write("ext.wav", wav.build()), NO_LIMIT), 1.0, 44100, SINE_RMS);
    }

    @Test
    void averagesChannels() throws Exception {
        TestWav cancel = new TestWav();
        cancel.channels = 2;
        cancel.channelGain = new double[] {1, -1};
        assertTrue(Signals.peak(decoder.decode(write("cancel.wav", cancel.build()), NO_LIMIT).samples()) < 1e-4);

        TestWav leftOnly = new TestWav();
        leftOnly.channels = 2;
        leftOnly.channelGain = new double[] {1, 0};
        assertTone(decoder.decode(write("left.wav", leftOnly.build()), NO_LIMIT), 1.0, 44100, SINE_RMS / 2);
    }

    @Test
    void skipsOtherChunksIncludingOddSizedOnes() throws Exception {
        TestWav wav = new TestWav();
        wav.chunk("LIST", "INFOISFT\u0005\0\0\0Lavf\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                .chunk("junk", new byte[] {1, 2, 3}) // odd: followed by a pad byte
                .chunk("fact", new byte[] {0x44, (byte) 0xAC, 0, 0});
        DecodedAudio audio = decoder.decode(write("chunks.wav", wav.build()), NO_LIMIT);
        assertEquals(44100, audio.samples().length);
        assertTone(audio, 1.0, 44100, SINE_RMS);
    }

    @Test
    void clampsOutOfRangeFloatSamples() throws Exception {
        TestWav wav = new TestWav();
        wav.sample = TestWav.Sample.F32;
        wav.amplitude = 3.0;
        DecodedAudio audio = decoder.decode(write("hot.wav", wav.build()), NO_LIMIT);
        assertEquals(1f, Signals.peak(audio.samples()));
    }

    @Test
    void headerClaimingFourGigabytesDecodesWhatIsThere() throws Exception {
        TestWav wav = new TestWav();
        wav.dataSizeField = 0xFFFFFFF0L;
        byte[] bytes = wav.build();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 0xFFFFFFF8); // RIFF size lies too
        DecodedAudio audio = decoder.decode(write("liar.wav", bytes), NO_LIMIT);
        assertEquals(44100, audio.samples().length);
    }

    @Test
    void truncatedWavDecodesTheWholeFramesThatArePresent() throws Exception {
        TestWav wav = new TestWav();
        wav.channels = 2;
        byte[] full = wav.build();
        byte[] cut = Arrays.copyOf(full, 44 + 4 * 1000 + 3); // 1000 frames and a partial one
        assertEquals(1000, decoder.decode(write("cut.wav", cut), NO_LIMIT).samples().length);
    }

    @ParameterizedTest
    @CsvSource({"8", "20", "30", "44"})
    void wavWithoutSamplesIsRejectedCleanly(int length) throws Exception {
        byte[] cut = Arrays.copyOf(new TestWav().build(), length);
        UndecodableAudioException e = assertThrows(UndecodableAudioException.class,
                () -> decoder.decode(write("short.wav", cut), AudioKind.WAV, NO_LIMIT));
        assertTrue(e.getMessage().startsWith("The WAV file could not be decoded: "), e.getMessage());
    }

    @Test
    void unsupportedWavEncodingIsRejectedWithItsTag() throws Exception {
        byte[] bytes = new TestWav().build();
        bytes[20] = 2; // format tag 2: MS ADPCM
        UndecodableAudioException e = assertThrows(UndecodableAudioException.class,
                () -> decoder.decode(write("adpcm.wav", bytes), NO_LIMIT));
        assertTrue(e.getMessage().contains("0x0002"), e.getMessage());
    }

    @Test
    void tooLongWavIsRejectedBeforeDecoding() throws Exception {
        TestWav wav = new TestWav();
        wav.rate = 8000;
        wav.seconds = 10;
        AudioTooLongException e = assertThrows(AudioTooLongException.class,
                () -> decoder.decode(write("long.wav", wav.build()), 5));
        assertEquals(10.0, e.durationSec(), 1e-9);
        assertEquals(5.0, e.limitSec());
        assertTrue(e.isExact());
        assertTrue(e.getMessage().contains("10.0 s") && e.getMessage().contains("5 s"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "sine440-mono-22050.mp3, MP3, 22050, 2.5",
            "sine440-stereo-44100.mp3, MP3, 44100, 2.0",
            "sine440-mono-44100-id3.mp3, MP3, 44100, 2.0",
            "sine440-mono-22050.flac, FLAC, 22050, 2.5",
            "sine440-stereo-44100.flac, FLAC, 44100, 1.0",
            "sine440-mono-22050.ogg, OGG, 22050, 2.5",
            "sine440-stereo-44100.ogg, OGG, 44100, 2.0"})
    void decodesEncodedFixtures(String name, AudioKind kind, float rate, double seconds) throws Exception {
        Path file = write(name, AudioSnifferTest.fixture(name));
        DecodedAudio audio = decoder.decode(file, NO_LIMIT);
        assertEquals(kind, audio.format());
        assertTone(audio, seconds, rate, SINE_RMS);
        assertEquals(audio.samples().length, decoder.decode(file, kind, NO_LIMIT).samples().length);
    }

    @Test
    void mp3IsTrimmedToTheOriginalSamples() throws Exception {
        // gapless: the LAME tag's encoder delay and padding are removed, and the tone starts in phase
        float[] x = decoder.decode(write("a.mp3", AudioSnifferTest.fixture("sine440-mono-22050.mp3")), NO_LIMIT)
                .samples();
        assertEquals(55125, x.length);
        double w = 2 * Math.PI * 440 / 22050;
        double sin = 0;
        double cos = 0;
        for (int n = 5000; n < 50000; n++) {
            sin += x[n] * Math.sin(w * n);
            cos += x[n] * Math.cos(w * n);
        }
        assertEquals(0, Math.atan2(cos, sin) / w, 1.0, "offset in samples against the source tone");
    }

    @ParameterizedTest
    @CsvSource({"sine440-mono-22050.mp3", "sine440-mono-22050.flac", "sine440-mono-22050.ogg"})
    void tooLongEncodedFileIsRejected(String name) throws Exception {
        AudioTooLongException e = assertThrows(AudioTooLongException.class,
                () -> decoder.decode(write(name, AudioSnifferTest.fixture(name)), 1.0));
        assertTrue(e.durationSec() > 1.0);
        assertEquals(1.0, e.limitSec());
    }

    @Test
    void flacLengthComesFromStreamInfoWithoutDecoding() throws Exception {
        AudioTooLongException e = assertThrows(AudioTooLongException.class, () -> decoder.decode(
                write("a.flac", AudioSnifferTest.fixture("sine440-mono-22050.flac")), 1.0));
        assertTrue(e.isExact());
        assertEquals(2.5, e.durationSec(), 1e-9);
    }

    @ParameterizedTest
    @CsvSource({
            "sine440-mono-22050.mp3, 60", "sine440-stereo-44100.mp3, 300",
            "sine440-mono-22050.flac, 60", "sine440-mono-22050.flac, 100",
            "sine440-mono-22050.ogg, 60", "sine440-mono-22050.ogg, 3000"})
    void truncatedEncodedFileIsRejectedCleanly(String name, int length) throws Exception {
        byte[] cut = Arrays.copyOf(AudioSnifferTest.fixture(name), length);
        UndecodableAudioException e = assertThrows(UndecodableAudioException.class,
                () -> decoder.decode(write(name, cut), NO_LIMIT));
        assertFalse(e instanceof UnsupportedAudioFormatException);
        assertTrue(e.getMessage().matches("The (MP3|FLAC|Ogg Vorbis) file could not be decoded: .+"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"sine440-stereo-44100.mp3", "sine440-mono-22050.flac", "sine440-stereo-44100.ogg"})
    void halfAFileDecodesToLessOrFailsCleanly(String name) throws Exception {
        byte[] full = AudioSnifferTest.fixture(name);
        Path half = write(name, Arrays.copyOf(full, full.length / 2));
        try {
            DecodedAudio audio = decoder.decode(half, NO_LIMIT);
            assertTrue(audio.durationSec() > 0.2 && audio.durationSec() < 2.0, "duration " + audio.durationSec());
            assertTrue(Signals.peak(audio.samples()) <= 1f);
        } catch (UndecodableAudioException e) {
            assertTrue(e.getMessage().contains("could not be decoded"), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(AudioKind.class)
    void garbageIsUndecodableWhateverTheClaimedKind(AudioKind kind) throws Exception {
        byte[] noise = new byte[20000];
        new Random(3).nextBytes(noise);
        UndecodableAudioException e = assertThrows(UndecodableAudioException.class,
                () -> decoder.decode(write("noise", noise), kind, NO_LIMIT));
        assertTrue(e.getMessage().startsWith("The "), e.getMessage());
    }

    @Test
    void unsniffableFileIsUnsupported() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};
        UndecodableAudioException e = assertThrows(UndecodableAudioException.class,
                () -> decoder.decode(write("song.mp3", png), NO_LIMIT));
        assertInstanceOf(UnsupportedAudioFormatException.class, e);
        assertThrows(UnsupportedAudioFormatException.class,
                () -> decoder.decode(write("o.ogg", AudioSnifferTest.fixture("sine440-mono.opus.ogg")), NO_LIMIT));
        assertThrows(UnsupportedAudioFormatException.class, () -> decoder.decode(write("empty", new byte[0]), NO_LIMIT));
    }

    @Test
    void missingFileIsAnIoProblemNotTheUsers() {
        assertThrows(IOException.class, () -> decoder.decode(dir.resolve("nope.wav"), AudioKind.WAV, NO_LIMIT));
        assertThrows(IllegalArgumentException.class, () -> decoder.decode(dir.resolve("x"), AudioKind.WAV, 0));
    }

    @Test
    void fourMinuteWavDecodesFast() throws Exception {
        TestWav wav = new TestWav();
        wav.rate = 22050;
        wav.seconds = 240;
        Path file = write("song.wav", wav.build());
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            DecodedAudio audio = decoder.decode(file, 420);
            best = Math.min(best, System.nanoTime() - t0);
            assertEquals(240.0, audio.durationSec(), 1e-9);
        }
        System.out.printf("4-min 22.05 kHz 16-bit mono WAV: %.1f ms (best of 5)%n", best / 1e6);
        assertTrue(best < 250_000_000L, "took " + best / 1e6 + " ms"); // typically ~10 ms; slack for busy CI
    }
}
