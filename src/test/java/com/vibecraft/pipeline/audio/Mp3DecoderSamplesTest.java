package com.vibecraft.pipeline.audio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.SampleBuffer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our frame buffer in place of JLayer's must not change a sample: the decoded audio is, to the bit,
 * JLayer's own 16-bit output with the channels averaged (what the detector was measured on).
 */
class Mp3DecoderSamplesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sine440-mono-22050.mp3", "sine440-stereo-44100.mp3", "sine440-mono-44100-id3.mp3"})
    void samplesAreJLayersOwnOutputToTheBit(String name) throws Exception {
        byte[] bytes = AudioSnifferTest.fixture(name);
        float[] ours = Mp3Decoder.decode(Files.write(dir.resolve(name), bytes), Double.POSITIVE_INFINITY).samples();
        float[] reference = jlayerMixed(bytes);
        // ours is trimmed of the encoder's delay and padding: it must be one contiguous slice of the reference
        boolean found = false;
        for (int offset = 0; !found && offset + ours.length <= reference.length; offset++) {
            found = slice(reference, offset, ours);
        }
        assertTrue(found, name + ": " + ours.length + " samples are not a slice of JLayer's " + reference.length);
    }

    private static boolean slice(float[] reference, int offset, float[] ours) {
        for (int i = 0; i < ours.length; i++) {
            if (Float.floatToRawIntBits(reference[offset + i]) != Float.floatToRawIntBits(ours[i])) {
                return false;
            }
        }
        return true;
    }

    /** Every frame through JLayer's default SampleBuffer, the interleaved shorts averaged over the channels. */
    private static float[] jlayerMixed(byte[] bytes) throws Exception {
        Bitstream bitstream = new Bitstream(new ByteArrayInputStream(bytes));
        Decoder decoder = new Decoder();
        float[] out = new float[0];
        int size = 0;
        Header header;
        while ((header = bitstream.readFrame()) != null) {
            SampleBuffer pcm = (SampleBuffer) decoder.decodeFrame(header, bitstream);
            short[] interleaved = pcm.getBuffer();
            int channels = pcm.getChannelCount();
            int n = pcm.getBufferLength() / channels;
            if (size + n > out.length) {
                out = java.util.Arrays.copyOf(out, Math.max(2 * out.length, size + n));
            }
            float scale = 1f / (32768f * channels);
            for (int i = 0, k = 0; i < n; i++) {
                int sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += interleaved[k++];
                }
                out[size++] = channels == 1 ? interleaved[i] * (1f / 32768f) : sum * scale;
            }
            bitstream.closeFrame();
        }
        return java.util.Arrays.copyOf(out, size);
    }
}
