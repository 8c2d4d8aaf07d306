package com.vibecraft.pipeline.audio;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.UnsupportedAudioFileException;

import org.jflac.sound.spi.FlacAudioFileReader;
import org.jflac.sound.spi.FlacFormatConversionProvider;

/**
 * Decodes a whole song to mono float PCM (channels averaged) at its native sample rate.
 * <ul>
 * <li>WAV: parsed here ({@link WavReader}).</li>
 * <li>MP3: JLayer, the decoder behind mp3spi, called directly ({@link Mp3Decoder}): faster, and
 * gapless (encoder delay and padding trimmed).</li>
 * <li>Ogg Vorbis: JOrbis, the decoder behind vorbisspi, called directly ({@link VorbisDecoder}):
 * vorbisspi's stream drops audio.</li>
 * <li>FLAC: the jflac Java Sound SPI. Its classes are used directly, not through
 * {@code AudioSystem}'s provider lookup: the format is already known from sniffing, and in the
 * lookup lenient readers (mp3spi accepts almost anything) can claim files that are not theirs.</li>
 * </ul>
 * Stateless and thread-safe; usable as a shared bean.
 */
public class AudioDecoder {

    private static final int BLOCK_FRAMES = 16384;

    /** 0: keep the native rate; otherwise higher rates are reduced by whole factors to at most this. */
    private final float maxRate;

    /** Decodes at the file's native sample rate. */
    public AudioDecoder() {
        this(0);
    }

    /**
     * @param maxRate for analysis: a 44.1/48 kHz song is low-passed and decimated 2:1 (96 kHz 4:1) to at most this
     *                rate, which halves the memory every later step holds; 0 keeps the native rate
     */
    public AudioDecoder(float maxRate) {
        if (maxRate < 0) {
            throw new IllegalArgumentException("maxRate must not be negative");
        }
        this.maxRate = maxRate;
    }

    /**
     * Sniffs the format from the file's first bytes ({@link AudioSniffer}), then decodes.
     *
     * @throws UnsupportedAudioFormatException the bytes are not WAV, MP3, FLAC or Ogg Vorbis (HTTP 415)
     * @throws AudioTooLongException           longer than {@code maxDurationSec} (HTTP 422)
     * @throws UndecodableAudioException       corrupt, truncated, empty or unsupported variant (HTTP 422)
     * @throws IOException                     the file itself cannot be read (missing, no permission)
     */
    public DecodedAudio decode(Path file, double maxDurationSec) throws IOException, UndecodableAudioException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(AudioSniffer.HEAD_BYTES);
        }
        AudioKind kind = AudioSniffer.sniff(head).orElseThrow(() -> new UnsupportedAudioFormatException(
                "The file is not in a supported audio format (WAV, MP3, FLAC or Ogg Vorbis)."));
        return decode(file, kind, maxDurationSec);
    }

    /**
     * Decodes {@code file} as {@code kind}. Decoding stops as soon as {@code maxDurationSec} is
     * passed ({@code Double.POSITIVE_INFINITY}: no limit).
     *
     * @throws AudioTooLongException     longer than {@code maxDurationSec}
     * @throws UndecodableAudioException corrupt, truncated, empty or unsupported variant
     * @throws IOException               the file itself cannot be read (missing, no permission)
     */
    public DecodedAudio decode(Path file, AudioKind kind, double maxDurationSec)
            throws IOException, UndecodableAudioException {
        if (!(maxDurationSec > 0)) {
            throw new IllegalArgumentException("maxDurationSec must be positive: " + maxDurationSec);
        }
        Files.size(file); // a missing or unreadable file is our problem, not the user's: plain IOException
        try {
            return reduce(switch (kind) {
                case WAV -> WavReader.read(file, maxDurationSec);
                case MP3 -> Mp3Decoder.decode(file, maxDurationSec);
                case OGG -> VorbisDecoder.decode(file, maxDurationSec);
                case FLAC -> decodeFlac(file, maxDurationSec);
            });
        } catch (UndecodableAudioException e) {
            throw e;
        } catch (UnsupportedAudioFileException | IOException | RuntimeException e) {
            // decoders report corrupt data as IOException or as any runtime exception
            throw new UndecodableAudioException(failure(kind, describe(e)), e);
        }
    }

    /**
     * Reduces to at most {@link #maxRate} by a whole factor k, through a windowed-sinc low-pass
     * (Blackman, {@value #TAPS_PER_FACTOR}·k + 1 taps, cut-off at {@value #CUTOFF} of the new
     * Nyquist frequency). Block averaging let cymbals and hi-hats above the new Nyquist frequency
     * fold back into the analysed bands (a 14 kHz hat lost only 5 dB), so a 44.1 kHz Ogg and a
     * properly resampled 22.05 kHz WAV of the same song gave different features.
     */
    DecodedAudio reduce(DecodedAudio audio) {
        if (maxRate <= 0 || audio.sampleRate() <= maxRate) {
            return audio;
        }
        int k = (int) Math.ceil(audio.sampleRate() / maxRate);
        float[] h = lowPass(k);
        int half = h.length / 2;
        float[] in = audio.samples();
        float[] out = new float[in.length / k];
        int i = 0;
        while (i < out.length) {
            int c = i * k;
            if (c >= half && i + 3 < out.length && (i + 3) * k + half < in.length) {
                // four outputs at once, each summed in the same order as alone (the same result to
                // the bit): four independent chains of additions instead of one
                double a0 = 0;
                double a1 = 0;
                double a2 = 0;
                double a3 = 0;
                int base = c - half;
                for (int m = 0; m < h.length; m++) {
                    float w = h[m];
                    int j = base + m;
                    a0 += w * in[j];
                    a1 += w * in[j + k];
                    a2 += w * in[j + 2 * k];
                    a3 += w * in[j + 3 * k];
                }
                out[i] = (float) a0;
                out[i + 1] = (float) a1;
                out[i + 2] = (float) a2;
                out[i + 3] = (float) a3;
                i += 4;
                continue;
            }
            double acc = 0;
            int m0 = Math.max(0, half - c);
            int m1 = Math.min(h.length, in.length - c + half);
            for (int m = m0; m < m1; m++) {
                acc += h[m] * in[c + m - half];
            }
            out[i] = (float) acc;
            i++;
        }
        return new DecodedAudio(out, audio.sampleRate() / k, audio.format());
    }

    static final int TAPS_PER_FACTOR = 16;
    static final double CUTOFF = 0.9;

    /** Windowed-sinc low-pass for decimation by k, unit gain at 0 Hz. */
    static float[] lowPass(int k) {
        int n = TAPS_PER_FACTOR * k + 1;
        double fc = CUTOFF * 0.5 / k; // cycles per input sample
        double[] h = new double[n];
        double sum = 0;
        int mid = n / 2;
        for (int i = 0; i < n; i++) {
            int d = i - mid;
            double sinc = d == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * d) / (Math.PI * d);
            double w = 0.42 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1)) + 0.08 * Math.cos(4 * Math.PI * i / (n - 1));
            h[i] = sinc * w;
            sum += h[i];
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (h[i] / sum);
        }
        return out;
    }

    private static DecodedAudio decodeFlac(Path file, double maxDurationSec)
            throws IOException, UnsupportedAudioFileException, UndecodableAudioException {
        FlacAudioFileReader reader = new FlacAudioFileReader();
        // STREAMINFO's sample count (0: unknown). Only the file format has it: jflac's stream
        // reports the file's byte length as its frame length.
        long declaredFrames = reader.getAudioFileFormat(file.toFile()).getFrameLength();
        try (AudioInputStream encoded = reader.getAudioInputStream(file.toFile())) {
            AudioFormat source = encoded.getFormat();
            float rate = source.getSampleRate();
            int channels = source.getChannels();
            int bits = source.getSampleSizeInBits();
            if (!(rate > 0) || channels < 1 || bits < 4 || bits > 32) {
                throw new UndecodableAudioException(failure(AudioKind.FLAC, "its stream header is invalid"));
            }
            if (declaredFrames > 0 && declaredFrames / (double) rate > maxDurationSec) {
                throw new AudioTooLongException(declaredFrames / (double) rate, maxDurationSec, true); // no decoding
            }
            // jflac decodes to the stream's own bit depth only; it does not convert
            int sampleBytes = (bits + 7) / 8;
            AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, rate, sampleBytes * 8, channels,
                    channels * sampleBytes, rate, false);
            FlacFormatConversionProvider converter = new FlacFormatConversionProvider();
            if (!converter.isConversionSupported(pcm, source)) {
                throw new UndecodableAudioException(failure(AudioKind.FLAC, "the decoder cannot convert " + source));
            }
            try (AudioInputStream decoded = converter.getAudioInputStream(pcm, encoded)) {
                MonoBuffer out = new MonoBuffer(AudioKind.FLAC, rate, maxDurationSec, 0);
                readPcm(decoded, PcmConverter.integer(sampleBytes, false), channels, out);
                if (out.size() == 0) {
                    throw new UndecodableAudioException(failure(AudioKind.FLAC, "it contains no audio samples"));
                }
                return new DecodedAudio(out.toArray(0, out.size()), rate, AudioKind.FLAC);
            }
        }
    }

    /** Little-endian interleaved PCM from a Java Sound stream, block by block. */
    private static void readPcm(InputStream in, PcmConverter pcm, int channels, MonoBuffer out)
            throws IOException, UndecodableAudioException {
        int frameBytes = pcm.bytes * channels;
        byte[] block = new byte[BLOCK_FRAMES * frameBytes];
        ByteBuffer view = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        int filled = 0;
        int n;
        while ((n = in.read(block, filled, block.length - filled)) >= 0) {
            filled += n;
            int frames = filled / frameBytes;
            if (frames == 0) {
                continue;
            }
            float[] dst = out.reserve(frames);
            pcm.toMono(view.clear(), frames, channels, dst, out.size());
            out.commit(frames);
            int rest = filled - frames * frameBytes; // a partial frame waits for the next read
            System.arraycopy(block, frames * frameBytes, block, 0, rest);
            filled = rest;
        }
    }

    static String failure(AudioKind kind, String why) {
        String name = kind == AudioKind.OGG ? "Ogg Vorbis" : kind.name();
        return "The " + name + " file could not be decoded: " + why + ".";
    }

    private static String describe(Exception e) {
        if (e instanceof EOFException) {
            return "it ends unexpectedly";
        }
        if (e instanceof UnsupportedAudioFileException) {
            return "the decoder does not recognise it";
        }
        String message = e.getMessage() == null ? "" : e.getMessage().strip().replaceAll("[.\\s]+$", "");
        if (e instanceof IOException && !message.isEmpty()) {
            return message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
        }
        return "the decoder failed (" + e.getClass().getSimpleName() + ")";
    }
}
