package com.vibecraft.pipeline.support;

import com.vibecraft.pipeline.storage.DataDirectory;
import com.vibecraft.pipeline.storage.Database;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Settings for a service started inside a test: its own data directory and port, H2 unless the
 * build passes {@code -Dtest.database.url=jdbc:postgresql://…} (CI does), embedded Redis unless it
 * passes {@code -Dtest.redis.url=redis://…}. System properties override application.properties.
 */
public final class TestEnvironment {

    private TestEnvironment() {
    }

    public static Path prepare(String name, Map<String, String> overrides) {
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("vibecraft."))
                .forEach(System::clearProperty);
        try {
            Path dir = Files.createTempDirectory("vibecraft-" + name + "-");
            deleteOnExit(dir);
            System.setProperty("vibecraft.data-dir", dir.toString());
            System.setProperty("vibecraft.port", String.valueOf(freePort()));
            System.setProperty("vibecraft.inbox.poll-ms", "200");
            System.setProperty("vibecraft.inbox.settle-ms", "200");
            String db = System.getProperty("test.database.url", "");
            if (!db.isBlank()) {
                resetSchema(db);
            }
            System.setProperty("vibecraft.database.url", db);
            System.setProperty("vibecraft.database.user", db.isBlank() ? "" : System.getProperty("test.database.user", "postgres"));
            System.setProperty("vibecraft.database.password", "");
            System.setProperty("vibecraft.redis.url", System.getProperty("test.redis.url", ""));
            System.setProperty("vibecraft.audjust.base-url", "");
            System.setProperty("vibecraft.audjust.api-key", "");
            // compositions are the video tests' subject: elsewhere they would only load the two cores
            System.setProperty("vibecraft.compose.auto", "false");
            System.setProperty("vibecraft.compose.size", "320x180");
            // the built-in worker's preview clips at a quarter of the pixels: rendering and H.264-encoding
            // them in Java was the largest single use of the test JVMs' CPU (about a sixth of surefire's
            // samples); the default 320x180 is PreviewClipRendererTest's, and the jar tests' (JarSmokeIT,
            // CrashRecoveryIT), which run without these properties
            System.setProperty("vibecraft.preview.size", "160x90");
            // a requested composition is claimed within 0.2 s rather than the service's 1 s poll
            System.setProperty("vibecraft.compose.poll-ms", "200");
            // at the end of a test class, work still in flight (say a write retried against a database the
            // test has closed, or a clip being rendered) is cut off after 1 s rather than the service's
            // 15 s: nothing waits on it
            System.setProperty("camel.main.shutdown-timeout", "1");
            // and then after 0.2 s (support/QuickStop): camel.main's timeout counts in whole seconds
            System.setProperty(QuickStop.PROPERTY, "200");
            // and the SEDA consumers (analysis queue, worker slots) see the stop within 0.1 s instead of
            // finishing a 1 s poll each, one after the other
            System.setProperty("camel.component.seda.default-poll-timeout", "100");
            overrides.forEach(System::setProperty);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The database of a test environment made by {@link #prepare}: H2 in its data directory, or the
     * PostgreSQL the build names, with Flyway's tables.
     */
    public static HikariDataSource database(Path dataDir, int poolSize) {
        return Database.open(System.getProperty("vibecraft.database.url"), System.getProperty("vibecraft.database.user"),
                "", poolSize, new DataDirectory(dataDir).database());
    }

    /** Removes a test's data directory when the test JVM ends (after its services have stopped). */
    public static void deleteOnExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // best effort
            }
        }));
    }

    public static int port() {
        return Integer.parseInt(System.getProperty("vibecraft.port"));
    }

    public static String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public static boolean onPostgres() {
        return !System.getProperty("test.database.url", "").isBlank();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each test class starts from an empty PostgreSQL schema; Flyway recreates the tables. */
    private static void resetSchema(String url) {
        try (Connection c = DriverManager.getConnection(url, System.getProperty("test.database.user", "postgres"), "");
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reset the test PostgreSQL schema at " + url + ": " + e.getMessage(), e);
        }
    }
}
