package com.vibecraft.pipeline.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.App;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        String normal = run(Map.of(), audio);
        assertTrue(normal.contains(" INFO "), normal);
        assertFalse(normal.contains(" DEBUG "), normal);
        String quiet = run(Map.of("VIBECRAFT_LOG_LEVEL", "warn"), audio);
        assertFalse(quiet.contains(" INFO "), quiet);
        String verbose = run(Map.of("VIBECRAFT_LOG_LEVEL", "debug"), audio);
        assertTrue(verbose.contains(" DEBUG "), verbose.length() > 2000 ? verbose.substring(0, 2000) : verbose);
        String bad = run(Map.of("VIBECRAFT_LOG_LEVEL", "loud"), audio);
        assertTrue(bad.contains("vibecraft.log.level (VIBECRAFT_LOG_LEVEL) must be one of"), bad);
    }

    /** {@code analyze <file>} in a separate JVM; its stderr (the log). */
    private String run(Map<String, String> env, Path audio) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), App.class.getName(), "analyze", audio.toString()));
        Path err = tmp.resolve("err-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).directory(tmp.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("VIBECRAFT_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean done = p.waitFor(90, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "analyze did not finish");
        return Files.readString(err);
    }
}
