package com.vibecraft.pipeline.audio;

/**
 * A whole song decoded to mono float PCM in [-1, 1] at its native sample rate.
 *
 * @param samples    mono samples (channels averaged)
 * @param sampleRate samples per second
 * @param format     the container/codec the bytes were sniffed as
 */
public record DecodedAudio(float[] samples, float sampleRate, AudioKind format) {

    public double durationSec() {
        return samples.length / (double) sampleRate;
    }
}
