package com.vibecraft.pipeline.analysis;

import com.vibecraft.pipeline.audio.AudioKind;
import com.vibecraft.pipeline.audio.DecodedAudio;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throwaway benchmark driver (not a test): runs the detector over a folder of 16-bit PCM WAVs and
 * writes {@code <id>.json} as {@code [{"start","end","label"}]} for shared/corpus/score.py, plus a
 * BPM comparison against {@code index.json} and the CPU time.
 *
 * <pre>java -cp target/classes:target/test-classes:TarsosDSP.jar
 *   com.vibecraft.pipeline.analysis.DetectorCorpusHarness WAV_DIR OUT_DIR [index.json] [minSec]</pre>
 */
public final class DetectorCorpusHarness {

    public static void main(String[] args) throws Exception {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String index = args.length > 2 ? Files.readString(Path.of(args[2])) : "";
        double minSec = args.length > 3 ? Double.parseDouble(args[3]) : LocalStructureDetector.DEFAULT_MIN_SECTION_SEC;
        Files.createDirectories(out);
        Path beatsOut = Path.of(out + "-beats"); // beat times, one per line, beside the segment JSONs
        Files.createDirectories(beatsOut);
        LocalStructureDetector det = new LocalStructureDetector(minSec);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        File[] wavs = in.toFile().listFiles((d, n) -> n.endsWith(".wav"));
        Arrays.sort(wavs);
        // warm up the JIT on the first song
        det.detect(read(wavs[0]));
        double totalAudio = 0;
        double totalCpu = 0;
        int strict = 0;
        int octave = 0;
        int withRef = 0;
        for (File w : wavs) {
            String id = w.getName().replace(".wav", "");
            DecodedAudio a = read(w);
            long c0 = mx.getCurrentThreadCpuTime();
            DetectorResult r = det.detect(a);
            double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
            totalAudio += a.durationSec();
            totalCpu += cpu;
            StringBuilder sb = new StringBuilder("[");
            for (RawSegment s : r.segments()) {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append(String.format(Locale.ROOT, "{\"start\":%.3f,\"end\":%.3f,\"label\":\"%d\"}",
                        s.startMs() / 1000.0, s.endMs() / 1000.0, s.label()));
            }
            sb.append(']');
            Files.writeString(out.resolve(id + ".json"), sb, StandardCharsets.UTF_8);
            StringBuilder bt = new StringBuilder();
            for (double b : r.beatTimes()) {
                bt.append(String.format(Locale.ROOT, "%.3f%n", b));
            }
            Files.writeString(beatsOut.resolve(id + ".txt"), bt, StandardCharsets.UTF_8);
            double ref = refBpm(index, id);
            String bpmNote = "";
            if (ref > 0) {
                withRef++;
                boolean st = Math.abs(r.bpm() - ref) / ref <= 0.02;
                boolean oc = st || Math.abs(r.bpm() - 2 * ref) / (2 * ref) <= 0.02
                        || Math.abs(r.bpm() - ref / 2) / (ref / 2) <= 0.02;
                strict += st ? 1 : 0;
                octave += oc ? 1 : 0;
                bpmNote = String.format(Locale.ROOT, " ref %.1f %s", ref, st ? "OK" : oc ? "octave" : "WRONG");
            }
            System.out.printf(Locale.ROOT, "%s %.0fs cpu %.3fs bpm %.1f%s segs %d%n", id, a.durationSec(), cpu,
                    r.bpm(), bpmNote, r.segments().size());
        }
        System.out.printf(Locale.ROOT, "total audio %.0fs cpu %.2fs -> %.0fx real time (one thread)%n",
                totalAudio, totalCpu, totalAudio / totalCpu);
        if (withRef > 0) {
            System.out.printf(Locale.ROOT, "BPM strict %d/%d, octave-tolerant %d/%d%n", strict, withRef, octave, withRef);
        }
    }

    static double refBpm(String index, String id) {
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"" + id + "\"[^}]*?\"bpm\"\\s*:\\s*([0-9.]+)").matcher(index);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    static DecodedAudio read(File f) throws Exception {
        try (AudioInputStream ais = AudioSystem.getAudioInputStream(f)) {
            AudioFormat fmt = ais.getFormat();
            if (fmt.getSampleSizeInBits() != 16 || fmt.getEncoding() != AudioFormat.Encoding.PCM_SIGNED) {
                throw new IOException("expects 16-bit signed PCM: " + fmt);
            }
            byte[] b = ais.readAllBytes();
            int ch = fmt.getChannels();
            int frames = b.length / (2 * ch);
            float[] x = new float[frames];
            boolean be = fmt.isBigEndian();
            for (int i = 0; i < frames; i++) {
                double acc = 0;
                for (int c = 0; c < ch; c++) {
                    int o = 2 * (i * ch + c);
                    int v = be ? (b[o] << 8) | (b[o + 1] & 0xff) : (b[o + 1] << 8) | (b[o] & 0xff);
                    acc += (short) v;
                }
                x[i] = (float) (acc / ch / 32768.0);
            }
            return new DecodedAudio(x, fmt.getSampleRate(), AudioKind.WAV);
        }
    }
}
