package com.vibecraft.pipeline.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.core.RedisServerBuilder;

/**
 * A redis-server the test owns, on a fixed port and without persistence, that it can stop and start
 * again (a restart comes back empty): for the tests of a Redis that goes away. The tests of a Redis
 * that only has to be there use {@link TestRedis}.
 */
public final class StoppableRedis implements AutoCloseable {

    private final int port = TestEnvironment.freePort();
    private final Path dir;
    private RedisServer server;

    private StoppableRedis(Path dir) {
        this.dir = dir;
    }

    public static StoppableRedis start() throws IOException {
        Path dir = Files.createTempDirectory("vibecraft-stoppable-redis-");
        TestEnvironment.deleteOnExit(dir);
        StoppableRedis redis = new StoppableRedis(dir);
        redis.startAgain();
        return redis;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it (again) on its port. */
    public void startAgain() throws IOException {
        server = new RedisServerBuilder()
                .executableProvider(ExecutableProvider.newJarResourceProvider(dir.toFile()))
                .bind("127.0.0.1").port(port).setting("save \"\"").setting("appendonly no").build();
        server.start();
    }

    public void stop() throws IOException {
        server.stop();
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
