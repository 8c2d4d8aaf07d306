package com.vibecraft.pipeline.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.StoppableH2;
import com.vibecraft.pipeline.support.StoppableRedis;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;

/**
 * GET /readyz against peers the test owns and can take away: a redis-server process and an H2
 * database behind its own TCP server (so "the database is gone" is real: the port stops answering).
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadinessTest {

    static StoppableRedis redis;
    static JedisPooled jedis;
    static StoppableH2 database;

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void environment() throws Exception {
        redis = StoppableRedis.start();
        jedis = new JedisPooled(URI.create(redis.url()));
        database = StoppableH2.start();
        Map<String, String> props = new HashMap<>();
        props.put("vibecraft.redis.url", redis.url());
        props.put("vibecraft.database.url", database.url());
        props.put("vibecraft.database.user", "");
        props.put("vibecraft.database.password", "");
        // nothing takes jobs off the stream, so the test controls the queue's lag
        props.put("vibecraft.worker.enabled", "false");
        props.put("vibecraft.health.clip-queue.max-lag", "2");
        props.put("vibecraft.health.timeout-ms", "1500");
        TestEnvironment.prepare("ready", props);
    }

    @AfterAll
    static void stop() throws IOException {
        jedis.close();
        redis.close();
        database.close();
    }

    private static Http.Response readyz() {
        return Http.get(TestEnvironment.baseUrl() + "/readyz");
    }

    private static JsonNode check(Http.Response r, String id) {
        return r.json().path("checks").path(id);
    }

    @Test
    @Order(1)
    void readyWhenEverythingAnswers() {
        Http.Response r = readyz();
        assertEquals(200, r.status(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("UP", r.json().path("status").asText(), r.body());
        for (String id : new String[] {"context", "database", "redis", "clip-queue", "audjust-breaker",
                "video-generator-breaker"}) {
            assertEquals("UP", check(r, id).path("status").asText(), id + ": " + r.body());
        }
        assertEquals("CLOSED", check(r, "audjust-breaker").path("state").asText());
        assertTrue(check(r, "database").has("latencyMs"), r.body());
        assertEquals(0, check(r, "clip-queue").path("lag").asInt(), r.body());
        assertEquals(redis.url(), check(r, "redis").path("url").asText());
    }

    @Test
    @Order(2)
    void anOpenBreakerWithItsFallbackIsDegradedButReady() {
        ResilienceProcessor breaker = context.getProcessor("audjust-breaker", ResilienceProcessor.class);
        breaker.transitionToForcedOpenState();
        try {
            Http.Response r = readyz();
            assertEquals(200, r.status(), r.body());
            assertEquals("DEGRADED", r.json().path("status").asText(), r.body());
            JsonNode c = check(r, "audjust-breaker");
            assertEquals("DEGRADED", c.path("status").asText(), r.body());
            assertEquals("FORCED_OPEN", c.path("state").asText());
            assertTrue(c.path("message").asText().contains("local detector"), r.body());
            assertEquals("UP", check(r, "database").path("status").asText());
        } finally {
            breaker.transitionToCloseState();
        }
        assertEquals("UP", readyz().json().path("status").asText());
    }

    @Test
    @Order(3)
    void aClipQueueBehindItsLagThresholdIsDegraded() {
        String key = "vibecraft:clip-jobs";
        for (int i = 0; i < 3; i++) {
            jedis.xadd(key, StreamEntryID.NEW_ENTRY, Map.of("probe", String.valueOf(i)));
        }
        try {
            Http.Response r = readyz();
            assertEquals(200, r.status(), r.body());
            assertEquals("DEGRADED", r.json().path("status").asText(), r.body());
            JsonNode q = check(r, "clip-queue");
            assertEquals(3, q.path("waiting").asInt(), r.body());
            assertEquals(3, q.path("lag").asInt());
            assertEquals(2, q.path("maxLag").asInt());
        } finally {
            jedis.xtrim(key, 0, false);
        }
        assertEquals("UP", readyz().json().path("status").asText());
    }

    @Test
    @Order(4)
    void lostRedisIsNotReadyAndNamesRedis() throws Exception {
        redis.stop();
        try {
            long start = System.nanoTime();
            Http.Response r = readyz();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, r.status(), r.body());
            assertEquals("DOWN", r.json().path("status").asText());
            assertTrue(r.json().path("down").toString().contains("\"redis\""), r.body());
            assertEquals("DOWN", check(r, "redis").path("status").asText());
            assertTrue(check(r, "redis").path("message").asText().startsWith("redis unreachable"), r.body());
            assertEquals("UP", check(r, "database").path("status").asText(), r.body());
            assertTrue(ms < 5_000, "readyz took " + ms + " ms");
            // liveness is not readiness: the process itself is fine
            assertEquals(200, Http.get(TestEnvironment.baseUrl() + "/healthz").status());
        } finally {
            redis.startAgain();
        }
        awaitReady();
    }

    @Test
    @Order(5)
    void lostDatabaseIsNotReadyAndNamesTheDatabase() throws Exception {
        database.stop();
        try {
            long start = System.nanoTime();
            Http.Response r = readyz();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, r.status(), r.body());
            assertEquals("DOWN", r.json().path("status").asText());
            assertTrue(r.json().path("down").toString().contains("\"database\""), r.body());
            assertTrue(check(r, "database").path("message").asText().startsWith("database unreachable"), r.body());
            assertEquals("UP", check(r, "redis").path("status").asText(), r.body());
            // the probe gives up after vibecraft.health.timeout-ms, not after the pool's 5 s
            assertTrue(ms < 4_000, "readyz took " + ms + " ms");
            assertEquals(200, Http.get(TestEnvironment.baseUrl() + "/healthz").status());
        } finally {
            database.startAgain();
        }
        awaitReady();
    }

    private static void awaitReady() {
        Http.Response r = Await.value(Duration.ofSeconds(20), 200, ReadinessTest::readyz, x -> x.status() == 200,
                "ready again after the peer came back");
        assertEquals(200, r.status(), "not ready again after the peer came back: " + r.body());
    }
}
