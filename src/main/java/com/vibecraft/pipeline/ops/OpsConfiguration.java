package com.vibecraft.pipeline.ops;

import com.vibecraft.pipeline.clips.ClipJobQueue;
import com.vibecraft.pipeline.redis.RedisConnection;
import com.vibecraft.pipeline.song.SongRepository;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * Operations: readiness checks in Camel's health-check registry ({@code vibecraft.health.*}), the
 * Prometheus registry with Camel's route timings and our own meters ({@code vibecraft.metrics.*}).
 */
@Configuration
public class OpsConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext camelContext) {
        long timeoutMs = number(camelContext, "vibecraft.health.timeout-ms", 1);
        long maxLag = number(camelContext, "vibecraft.health.clip-queue.max-lag", 0);
        HealthCheckRegistry health = HealthCheckRegistry.get(camelContext);
        health.register(new DatabaseCheck(lookup(camelContext, "dataSource", HikariDataSource.class), timeoutMs));
        health.register(new RedisCheck(lookup(camelContext, "redisConnection", RedisConnection.class), timeoutMs));
        health.register(new ClipQueueCheck(lookup(camelContext, "clipJobQueue", ClipJobQueue.class), maxLag, timeoutMs));
        health.register(new BreakerCheck("audjust-breaker", "analyses fall back to the local detector"));
        health.register(new BreakerCheck("video-generator-breaker",
                "clip jobs come back failed and are retried with backoff"));

        // every route's exchanges timed (camel_route_policy_seconds{routeId=...}); added before the routes exist
        MicrometerRoutePolicyFactory routeTimings = new MicrometerRoutePolicyFactory();
        routeTimings.setMeterRegistry(lookup(camelContext, MicrometerConstants.METRICS_REGISTRY_NAME,
                PrometheusMeterRegistry.class));
        camelContext.addRoutePolicyFactory(routeTimings);
        lookup(camelContext, "pipelineMetrics", PipelineMetrics.class);
        camelContext.getRegistry().bind("readiness", new Readiness(camelContext));
    }

    private static long number(CamelContext context, String key, long min) {
        String raw = context.resolvePropertyPlaceholders("{{" + key + "}}").trim();
        try {
            long v = Long.parseLong(raw);
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + " must be a whole number of at least " + min + ", got '" + raw + "'");
    }

    private static <T> T lookup(CamelContext context, String name, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("bean " + name + " is missing");
        }
        return bean;
    }

    /** Named as camel-micrometer and camel-resilience4j-micrometer look it up, so all meters land here. */
    @BindToRegistry(value = MicrometerConstants.METRICS_REGISTRY_NAME, lazy = true)
    public PrometheusMeterRegistry metricsRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    @BindToRegistry(lazy = true)
    public PipelineMetrics pipelineMetrics(PrometheusMeterRegistry metricsRegistry, SongRepository songRepository,
                                           ClipJobQueue clipJobQueue,
                                           @PropertyInject("vibecraft.metrics.cache-sec") double cacheSec) {
        if (cacheSec < 0) {
            throw new IllegalArgumentException("vibecraft.metrics.cache-sec must not be negative, got " + cacheSec);
        }
        return new PipelineMetrics(metricsRegistry, songRepository, clipJobQueue,
                Duration.ofMillis(Math.round(cacheSec * 1000)));
    }

}
