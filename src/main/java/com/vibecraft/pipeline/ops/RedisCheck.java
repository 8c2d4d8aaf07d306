package com.vibecraft.pipeline.ops;

import com.vibecraft.pipeline.redis.RedisConnection;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: Redis (the clip queue) answers PING within the health timeout. */
public class RedisCheck extends AbstractHealthCheck {

    private final RedisConnection redis;
    private final long timeoutMs;

    public RedisCheck(RedisConnection redis, long timeoutMs) {
        super("vibecraft", "redis");
        this.redis = redis;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long start = System.nanoTime();
        try {
            String pong = TimeLimit.call(() -> redis.jedis().ping(), timeoutMs);
            if (!"PONG".equals(pong)) {
                builder.down().message("redis answered PING with " + pong);
                return;
            }
            builder.up().detail("latencyMs", (System.nanoTime() - start) / 1_000_000)
                    .detail("url", redis.displayUrl());
        } catch (Exception e) {
            builder.down().message("redis unreachable: " + TimeLimit.reason(e)).detail("url", redis.displayUrl());
        }
    }
}
