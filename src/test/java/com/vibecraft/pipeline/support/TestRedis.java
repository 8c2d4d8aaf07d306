package com.vibecraft.pipeline.support;

import com.vibecraft.pipeline.redis.EmbeddedRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.clients.jedis.JedisPooled;

/** A real Redis for tests of Redis-backed classes: the machine's (CI passes -Dtest.redis.url) or an embedded one. */
public final class TestRedis implements AutoCloseable {

    private final EmbeddedRedis embedded;
    private final JedisPooled jedis;
    private final String url;

    private TestRedis(EmbeddedRedis embedded, JedisPooled jedis, String url) {
        this.embedded = embedded;
        this.jedis = jedis;
        this.url = url;
    }

    /** redis://host:port of this Redis, for services started by a test. */
    public String url() {
        return url;
    }

    public static TestRedis start() throws Exception {
        String url = System.getProperty("test.redis.url", "");
        if (!url.isBlank()) {
            return new TestRedis(null, new JedisPooled(java.net.URI.create(url)), url);
        }
        Path dir = Files.createTempDirectory("vibecraft-test-redis-");
        TestEnvironment.deleteOnExit(dir);
        EmbeddedRedis redis = EmbeddedRedis.start(dir);
        return new TestRedis(redis, new JedisPooled(java.net.URI.create(redis.url())), redis.url());
    }

    public JedisPooled jedis() {
        return jedis;
    }

    @Override
    public void close() {
        jedis.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
