package com.vibecraft.pipeline.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vibecraft.log.level: where it is read from, and its effect on a real process's log. */
class LogLevelTest {

    @TempDir
    Path tmp;

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void systemPropertyThenEnvironmentThenApplicationProperties() {
        Properties file = props(LogLevel.KEY, "warn");
        assertEquals("warn", LogLevel.resolve(props(), Map.of(), file));
        assertEquals("debug", LogLevel.resolve(props(), Map.of("VIBECRAFT_LOG_LEVEL", "DEBUG"), file));
        assertEquals("error", LogLevel.resolve(props(LogLevel.KEY, " error "), Map.of("VIBECRAFT_LOG_LEVEL", "debug"), file));
        assertEquals("info", LogLevel.resolve(props(), Map.of(), props()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogLevel.resolve(props(), Map.of("VIBECRAFT_LOG_LEVEL", "loud"), file));
        assertTrue(e.getMessage().contains("vibecraft.log.level (VIBECRAFT_LOG_LEVEL)") && e.getMessage().contains("'loud'"),
                e.getMessage());
    }

    @Test
    void theLevelReachesTheLogOfARealProcess() throws Exception {
        Path audio = Path.of("src/test/resources/audio/sine440-mono-22050.flac").toAbsolutePath();
        // four separate JVMs, started together: nothing ties one to another
        Analyze normalRun = analyze(Map.of(), audio);
        Analyze quietRun = analyze(Map.of("VIBECRAFT_LOG_LEVEL", "warn"), audio);
        Analyze verboseRun = analyze(Map.of("VIBECRAFT_LOG_LEVEL", "debug"), audio);
        Analyze badRun = analyze(Map.of("VIBECRAFT_LOG_LEVEL", "loud"), audio);
        String normal = normalRun.log();
        assertTrue(normal.contains(" INFO "), normal);
        assertFalse(normal.contains(" DEBUG "), normal);
        String quiet = quietRun.log();
        assertFalse(quiet.contains(" INFO "), quiet);
        String verbose = verboseRun.log();
        assertTrue(verbose.contains(" DEBUG "), verbose.length() > 2000 ? verbose.substring(0, 2000) : verbose);
        String bad = badRun.log();
        assertTrue(bad.contains("vibecraft.log.level (VIBECRAFT_LOG_LEVEL) must be one of"), bad);
    }

    /** {@code analyze <file>} running in a separate JVM. */
    private record Analyze(Process process, Path err) {
        /** Its stderr (the log), once it has ended. */
        String log() throws Exception {
            boolean done = process.waitFor(90, TimeUnit.SECONDS);
            if (!done) {
                process.destroyForcibly();
            }
            assertTrue(done, "analyze did not finish");
            return Files.readString(err);
        }
    }

    private Analyze analyze(Map<String, String> env, Path audio) throws Exception {
        List<String> cmd = ChildJvm.command(App.class, "analyze", audio.toString());
        Path err = tmp.resolve("err-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).directory(tmp.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("VIBECRAFT_"));
        pb.environment().putAll(env);
        return new Analyze(pb.start(), err);
    }
}
