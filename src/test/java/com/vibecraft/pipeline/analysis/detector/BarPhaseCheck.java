package com.vibecraft.pipeline.analysis.detector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vibecraft.pipeline.audio.AudioDecoder;
import com.vibecraft.pipeline.audio.DecodedAudio;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * How often the detector's bar phase ({@link StructureSegmenter#barPhases}) puts a bar line on a true
 * downbeat, on an annotated POP909-style corpus: the true downbeats are each section's start (sections
 * start on bar lines) and every fourth MIDI beat of {@code beats/NNN.txt} after it, for the section's
 * {@code bars}. A tracked beat counts when it is within 70 ms of a true downbeat; the share of those on
 * which a bar of the estimated phase starts is the song's hit rate. Songs whose tracked tempo is not
 * the corpus's (an octave or a 4:3 off) are listed but left out of the total, since there a bar of four
 * tracked beats is not a bar. Prints one line per song and the total.
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     com.vibecraft.pipeline.analysis.detector.BarPhaseCheck ../shared/corpus/pop909-dev AUDIO_DIR
 * </pre>
 */
public final class BarPhaseCheck {

    static final double MATCH_SEC = 0.07;

    private BarPhaseCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BarPhaseCheck CORPUS_DIR AUDIO_DIR");
            System.exit(2);
        }
        Path corpus = Path.of(args[0]);
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(args[1]))) {
            files = s.filter(p -> p.getFileName().toString().matches("\\d+\\.(wav|mp3|ogg)")).sorted().toList();
        }
        ObjectMapper json = new ObjectMapper();
        AudioDecoder decoder = new AudioDecoder(analysisRate());
        int hits = 0;
        int downbeats = 0;
        int songs = 0;
        int below = 0;
        for (Path file : files) {
            String id = file.getFileName().toString().replaceAll("\\..*", "");
            Path beatsFile = corpus.resolve("beats/" + id + ".txt");
            Path refFile = corpus.resolve("refs/" + id + ".json");
            if (!Files.exists(beatsFile) || !Files.exists(refFile)) {
                continue;
            }
            double[] midiBeats = Files.readAllLines(beatsFile).stream().filter(l -> !l.isBlank())
                    .mapToDouble(Double::parseDouble).toArray();
            TreeSet<Double> trueDownbeats = new TreeSet<>();
            for (JsonNode section : json.readTree(refFile.toFile())) {
                JsonNode bars = section.get("bars");
                if (bars == null || bars.isNull()) {
                    continue;
                }
                int first = nearest(midiBeats, section.get("start").asDouble());
                for (int b = 0; b < bars.asInt() && first + 4 * b < midiBeats.length; b++) {
                    trueDownbeats.add(midiBeats[first + 4 * b]);
                }
            }
            DecodedAudio audio = decoder.decode(file, 3600);
            SpectralFeatures f = SpectralFeatures.compute(audio.samples(), audio.sampleRate(), v -> { });
            BeatTracker.Beats beats = BeatTracker.track(f.onset, f.frameRate);
            StructureSegmenter.Units x = StructureSegmenter.analyse(f, beats.frames(),
                    audio.samples().length / (double) audio.sampleRate());
            if (x == null) {
                continue;
            }
            int songHits = 0;
            int songDownbeats = 0;
            for (int u = 0; u < x.n; u++) {
                double t = x.unitSec[u];
                Double d = trueDownbeats.ceiling(t - MATCH_SEC);
                if (d != null && d - t <= MATCH_SEC) {
                    songDownbeats++;
                    if (Math.floorMod(u - x.phase[u], 4) == 0) {
                        songHits++;
                    }
                }
            }
            double trueBpm = 60.0 / medianInterval(midiBeats);
            boolean sameTempo = Math.abs(Math.log(beats.bpm() / trueBpm) / Math.log(2)) < 0.1;
            double rate = songDownbeats == 0 ? 0 : songHits / (double) songDownbeats;
            System.out.printf(Locale.ROOT, "%s tracked %6.1f BPM, corpus %6.1f%s downbeats %3d hit %.2f%n", id,
                    beats.bpm(), trueBpm, sameTempo ? "        " : " (other)", songDownbeats, rate);
            if (sameTempo) {
                hits += songHits;
                downbeats += songDownbeats;
                songs++;
                below += rate < 0.5 ? 1 : 0;
            }
        }
        System.out.printf(Locale.ROOT, "TOTAL %d songs at the corpus's tempo: %d of %d downbeats on a bar line (%.3f), "
                + "%d songs below .5%n", songs, hits, downbeats, downbeats == 0 ? 0 : hits / (double) downbeats, below);
    }

    /** The service's {@code vibecraft.analysis.max-sample-rate} from the application.properties on the classpath (where {@code bench} reads it), so 44.1 kHz input is analysed at the rate the detector sees. */
    private static float analysisRate() throws IOException {
        Properties settings = new Properties();
        try (InputStream in = BarPhaseCheck.class.getResourceAsStream("/application.properties")) {
            settings.load(in);
        }
        return Float.parseFloat(settings.getProperty("vibecraft.analysis.max-sample-rate", "0").trim());
    }

    private static int nearest(double[] sorted, double t) {
        int i = Arrays.binarySearch(sorted, t);
        if (i >= 0) {
            return i;
        }
        int hi = -i - 1;
        if (hi == 0) {
            return 0;
        }
        if (hi == sorted.length) {
            return sorted.length - 1;
        }
        return t - sorted[hi - 1] <= sorted[hi] - t ? hi - 1 : hi;
    }

    private static double medianInterval(double[] beats) {
        List<Double> d = new ArrayList<>();
        for (int i = 1; i < beats.length; i++) {
            d.add(beats[i] - beats[i - 1]);
        }
        d.sort(null);
        return d.get(d.size() / 2);
    }
}
