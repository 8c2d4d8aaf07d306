package com.vibecraft.pipeline.redis;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/** The Redis the clip queue uses: the configured one, or an embedded server when none is. */
public final class RedisConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);

    private final JedisPooled jedis;
    private final EmbeddedRedis embedded;
    private final String displayUrl;

    private RedisConnection(JedisPooled jedis, EmbeddedRedis embedded, String displayUrl) {
        this.jedis = jedis;
        this.embedded = embedded;
        this.displayUrl = displayUrl;
    }

    /**
     * @param url      {@code redis://[user:password@]host:port[/db]}, or blank for the embedded server
     * @param embedDir where the embedded server keeps its binary and data
     */
    public static RedisConnection open(String url, java.nio.file.Path embedDir) {
        if (url == null || url.isBlank()) {
            EmbeddedRedis embedded = EmbeddedRedis.start(embedDir);
            try {
                return new RedisConnection(new JedisPooled(URI.create(embedded.url())), embedded, embedded.url());
            } catch (RuntimeException e) {
                embedded.close();
                throw e;
            }
        }
        URI uri = parse(url);
        LOG.info("Using Redis at {}", redact(uri));
        return new RedisConnection(new JedisPooled(uri), null, redact(uri));
    }

    static URI parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("REDIS_URL is not a valid URL: " + e.getMessage());
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("REDIS_URL must look like redis://host:6379 (got scheme '"
                    + uri.getScheme() + "')");
        }
        return uri;
    }

    static String redact(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + (uri.getPath() == null ? "" : uri.getPath());
    }

    public JedisPooled jedis() {
        return jedis;
    }

    public boolean embedded() {
        return embedded != null;
    }

    /** Where Redis is, without credentials. */
    public String displayUrl() {
        return displayUrl;
    }

    public boolean ping() {
        try {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        jedis.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
