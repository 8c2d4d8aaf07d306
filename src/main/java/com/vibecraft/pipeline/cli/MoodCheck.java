package com.vibecraft.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.analysis.MoodRules;
import com.vibecraft.pipeline.analysis.Section;
import com.vibecraft.pipeline.analysis.SongAnalysis;
import com.vibecraft.pipeline.analysis.detector.SoundMeasures;
import com.vibecraft.pipeline.analysis.DetectorResult;
import com.vibecraft.pipeline.audio.DecodedAudio;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code mood-check <corpus-dir> <audio-dir>}: on a corpus with section references (pop909-dev's
 * {@code refs/NNN.json}), does the per-section energy rank the choruses above the verses? For each
 * song, the mean energy ({@link MoodRules#energy}) of its reference chorus sections against that of its
 * verse sections; plus, from the full analysis, the song's key, mood, genre and how many of its
 * sections got a key of their own.
 */
public final class MoodCheck {

    static final String USAGE = "Usage: mood-check <corpus-dir> <audio-dir>\n";

    private MoodCheck() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length != 2 || !Files.isDirectory(Path.of(args[0]).resolve("refs"))
                || !Files.isDirectory(Path.of(args[1]))) {
            err.print(USAGE);
            return 2;
        }
        Path refs = Path.of(args[0]).resolve("refs");
        Cli.Analysis analysis = Cli.Analysis.fromSettings();
        int songs = 0;
        int ranked = 0;
        int compared = 0;
        int sections = 0;
        int modulating = 0;
        double margin = 0;
        java.util.List<Path> files;
        try (Stream<Path> s = Files.list(refs)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path ref : files) {
            String id = ref.getFileName().toString().replace(".json", "");
            Path audioFile = TrainingCorpus.find(Path.of(args[1]), id);
            if (audioFile == null) {
                continue;
            }
            DecodedAudio audio = analysis.decoder().decode(audioFile, Cli.CLI_MAX_DURATION_SEC);
            DetectorResult r = analysis.detector().detect(audio);
            SongAnalysis a = analysis.assembler().assemble(null, audio, r.segments(), r, "local", null);
            double[] beats = r.beatTimes().stream().mapToDouble(Double::doubleValue).toArray();
            double chorus = 0;
            double verse = 0;
            int nc = 0;
            int nv = 0;
            for (JsonNode s : TrainingCorpus.sections(ref)) {
                String label = s.path("label").asText();
                if (!label.equals("chorus") && !label.equals("verse")) {
                    continue;
                }
                double e = MoodRules.energy(SoundMeasures.of(r.features(), beats, s.path("start").asDouble(),
                        s.path("end").asDouble()));
                if (label.equals("chorus")) {
                    chorus += e;
                    nc++;
                } else {
                    verse += e;
                    nv++;
                }
            }
            songs++;
            String rank = "-";
            if (nc > 0 && nv > 0) {
                compared++;
                double d = chorus / nc - verse / nv;
                margin += d;
                rank = String.format(Locale.ROOT, "chorus %.3f verse %.3f %s", chorus / nc, verse / nv,
                        d > 0 ? "chorus higher" : "VERSE HIGHER");
                if (d > 0) {
                    ranked++;
                }
            }
            int own = 0;
            for (Section s : a.sections()) {
                sections++;
                if (s.key() != null && a.key() != null && !s.key().equals(a.key().name())) {
                    own++;
                    modulating++;
                }
            }
            out.printf(Locale.ROOT, "%s key %-9s energy %.2f valence %.2f dance %.2f tension %.2f %-34s genre %-10s "
                            + "sections with a key of their own %d/%d  %s%n", id,
                    a.key() == null ? "-" : a.key().name(), a.mood().energy(), a.mood().valence(),
                    a.mood().danceability(), a.mood().tension(), String.join(",", a.mood().tags()),
                    a.genre().primary(), own, a.sections().size(), rank);
        }
        if (songs == 0) {
            err.println("No song of " + args[0] + " has audio in " + args[1]);
            return 2;
        }
        out.printf(Locale.ROOT, "chorus energy above verse energy in %d of %d songs with both (mean difference %.3f); "
                + "%d of %d sections have a key of their own%n", ranked, compared,
                compared == 0 ? 0 : margin / compared, modulating, sections);
        return 0;
    }
}
