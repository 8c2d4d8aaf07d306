package com.vibecraft.pipeline.analysis;

import com.vibecraft.pipeline.analysis.detector.BeatTracker;
import com.vibecraft.pipeline.analysis.detector.SpectralFeatures;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Beat/tempo benchmark driver (not a test): runs {@link BeatTracker} over a folder of 16-bit PCM
 * WAVs and compares with a corpus folder ({@code index.json} bpm, {@code beats/NNN.txt}). Prints per
 * song the detected vs reference BPM, then strict (±2 %) and octave-tolerant (×2, ×½) hit rates,
 * the mean beat F-measure at ±70 ms (beats before 5 s ignored, as mir_eval does) and the tracker's
 * CPU time. Onset envelopes are cached in {@code CACHE_DIR} (optional) so that tracker changes can
 * be evaluated in seconds.
 *
 * <pre>java -cp target/classes:target/test-classes:TarsosDSP.jar
 *   com.vibecraft.pipeline.analysis.BeatTrackerHarness WAV_DIR CORPUS_DIR [CACHE_DIR] [-q]</pre>
 */
public final class BeatTrackerHarness {

    /** Songs with a larger id are skipped (-Dbeats.maxid=NNN, for a fixed subset while rendering). */
    static final String MAX_ID = System.getProperty("beats.maxid", "999");

    public static void main(String[] args) throws Exception {
        Path in = Path.of(args[0]);
        Path corpus = Path.of(args[1]);
        Path cache = args.length > 2 && !args[2].equals("-q") ? Path.of(args[2]) : null;
        boolean quiet = Arrays.asList(args).contains("-q");
        String index = Files.readString(corpus.resolve("index.json"));
        if (cache != null) {
            Files.createDirectories(cache);
        }
        File[] wavs = in.toFile().listFiles((d, n) -> n.endsWith(".wav"));
        Arrays.sort(wavs);
        List<String> ids = new ArrayList<>();
        List<float[]> envs = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (File w : wavs) {
            String id = w.getName().replace(".wav", "");
            if (!Files.exists(corpus.resolve("beats/" + id + ".txt")) || id.compareTo(MAX_ID) > 0) {
                continue;
            }
            Path c = cache == null ? null : cache.resolve(id + ".onset");
            float[] env;
            double fr;
            if (c != null && Files.exists(c)) {
                try (DataInputStream d = new DataInputStream(new BufferedInputStream(Files.newInputStream(c)))) {
                    fr = d.readDouble();
                    env = new float[d.readInt()];
                    for (int i = 0; i < env.length; i++) {
                        env[i] = d.readFloat();
                    }
                }
            } else {
                var a = DetectorCorpusHarness.read(w);
                SpectralFeatures f = SpectralFeatures.compute(a.samples(), a.sampleRate(), null);
                env = f.onset;
                fr = f.frameRate;
                if (c != null) {
                    try (DataOutputStream d = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(c)))) {
                        d.writeDouble(fr);
                        d.writeInt(env.length);
                        for (float v : env) {
                            d.writeFloat(v);
                        }
                    }
                }
            }
            ids.add(id);
            envs.add(env);
            rates.add(fr);
        }
        // warm-up
        for (int i = 0; i < Math.min(5, envs.size()); i++) {
            BeatTracker.track(envs.get(i), rates.get(i));
        }
        int strict = 0;
        int octave = 0;
        double fSum = 0;
        double cpu = 0;
        double audio = 0;
        for (int s = 0; s < ids.size(); s++) {
            String id = ids.get(s);
            float[] env = envs.get(s);
            double fr = rates.get(s);
            long t0 = System.nanoTime();
            BeatTracker.Beats b = BeatTracker.track(env, fr);
            cpu += (System.nanoTime() - t0) / 1e9;
            audio += env.length / fr;
            double ref = DetectorCorpusHarness.refBpm(index, id);
            double[] refBeats = Files.readAllLines(corpus.resolve("beats/" + id + ".txt")).stream()
                    .filter(l -> !l.isBlank()).mapToDouble(Double::parseDouble).toArray();
            double[] est = new double[b.frames().length];
            for (int i = 0; i < est.length; i++) {
                est[i] = b.frames()[i] / fr;
            }
            double fm = fMeasure(refBeats, est, 0.07);
            fSum += fm;
            boolean st = Math.abs(b.bpm() - ref) / ref <= 0.02;
            boolean oc = st || Math.abs(b.bpm() - 2 * ref) / (2 * ref) <= 0.02
                    || Math.abs(b.bpm() - ref / 2) / (ref / 2) <= 0.02;
            strict += st ? 1 : 0;
            octave += oc ? 1 : 0;
            if (!quiet || !oc) {
                System.out.printf(Locale.ROOT, "%s bpm %6.2f ref %6.2f ratio %.3f %-6s F %.3f%n", id, b.bpm(), ref,
                        b.bpm() / ref, st ? "OK" : oc ? "octave" : "WRONG", fm);
            }
        }
        int n = ids.size();
        System.out.printf(Locale.ROOT, "n=%d strict %d (%.1f%%) octave %d (%.1f%%) beatF %.3f  tracker %.1f ms/song, %.0fx rt%n",
                n, strict, 100.0 * strict / n, octave, 100.0 * octave / n, fSum / n, 1000 * cpu / n, audio / cpu);
    }

    /** Beat F-measure with one-to-one greedy matching inside ±win; beats before 5 s are ignored. */
    static double fMeasure(double[] ref, double[] est, double win) {
        ref = Arrays.stream(ref).filter(x -> x >= 5.0).toArray();
        est = Arrays.stream(est).filter(x -> x >= 5.0).toArray();
        if (ref.length == 0 || est.length == 0) {
            return 0;
        }
        int i = 0;
        int j = 0;
        int hits = 0;
        while (i < ref.length && j < est.length) {
            double d = est[j] - ref[i];
            if (Math.abs(d) <= win) {
                hits++;
                i++;
                j++;
            } else if (d < 0) {
                j++;
            } else {
                i++;
            }
        }
        double p = (double) hits / est.length;
        double r = (double) hits / ref.length;
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
