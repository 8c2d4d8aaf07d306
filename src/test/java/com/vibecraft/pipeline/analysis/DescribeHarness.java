package com.vibecraft.pipeline.analysis;

import com.vibecraft.pipeline.analysis.battery.StyleSongs;
import com.vibecraft.pipeline.analysis.detector.SoundMeasures;
import com.vibecraft.pipeline.audio.AudioDecoder;
import com.vibecraft.pipeline.audio.AudioKind;
import com.vibecraft.pipeline.audio.DecodedAudio;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Calibration driver (not a test): the sound measures, mood and genre of generated style songs and of audio files. */
public final class DescribeHarness {

    public static void main(String[] args) throws Exception {
        LocalStructureDetector det = new LocalStructureDetector();
        SongDescriber describer = SongDescriber.bundled();
        if (args.length == 0) {
            show("electronic", det, describer, of(StyleSongs.electronicTrack()));
            show("slow-piano", det, describer, of(StyleSongs.slowPiano()));
            show("sad-piano", det, describer, of(StyleSongs.sadPiano()));
            show("rock", det, describer, of(StyleSongs.rockBand()));
        }
        AudioDecoder decoder = new AudioDecoder(22050f);
        for (String a : args) {
            show(Path.of(a).getFileName().toString(), det, describer, decoder.decode(Path.of(a), 3600));
        }
    }

    static DecodedAudio of(float[] x) {
        return new DecodedAudio(x, 22050f, AudioKind.WAV);
    }

    static void show(String name, LocalStructureDetector det, SongDescriber d, DecodedAudio audio) {
        DetectorResult r = det.detect(audio);
        double dur = r.features().nFrames / r.features().frameRate;
        SoundMeasures m = SoundMeasures.of(r.features(), r.beatTimes().stream().mapToDouble(Double::doubleValue).toArray(), 0, dur);
        SongDescriber.Description desc = d.describe(r.features(), r.beatTimes(), r.bpm(), List.of());
        System.out.printf(Locale.ROOT, "%-22s bpm %6.1f %s%n    %s key %s%n    %s%n", name, r.bpm(), m, desc.mood(),
                desc.key() == null ? "-" : desc.key().name(), desc.genre());
    }
}
