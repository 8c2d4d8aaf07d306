package com.vibecraft.pipeline.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real redis-server (shipped by embedded-redis) run as a child process for the embedded default.
 * The binary and its AOF live under the data directory; a server left over by a killed run is
 * stopped first, and a free port is chosen so a system Redis on 6379 is never disturbed.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);

    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedRedis start(Path dir) {
        try {
            Files.createDirectories(dir);
            Path pidFile = dir.resolve("redis.pid");
            stopLeftover(pidFile);
            int port = freePort();
            RedisServer server = new RedisServerBuilder()
                    .executableProvider(ExecutableProvider.newJarResourceProvider(dir.toFile()))
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("dir " + dir.toAbsolutePath())
                    .setting("pidfile " + pidFile.toAbsolutePath())
                    .setting("appendonly yes")
                    .setting("appendfsync everysec")
                    .setting("maxmemory-policy noeviction")
                    .setting("save \"\"")
                    .onShutdownForceStop(true)
                    .build();
            server.start();
            LOG.info("Embedded Redis started on 127.0.0.1:{} (data in {})", port, dir);
            return new EmbeddedRedis(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded Redis server in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            server.stop();
            LOG.info("Embedded Redis on port {} stopped", port);
        } catch (IOException e) {
            LOG.warn("Embedded Redis on port {} did not stop cleanly: {}", port, e.getMessage());
        }
    }

    private static void stopLeftover(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile).trim();
        Files.deleteIfExists(pidFile);
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> leftover = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("redis-server")).orElse(false));
        if (leftover.isPresent()) {
            LOG.warn("Stopping embedded Redis (pid {}) left over by an earlier run", pid);
            ProcessHandle p = leftover.get();
            p.destroy();
            try {
                p.onExit().get(Duration.ofSeconds(5).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
