package com.vibecraft.pipeline.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.ChildJvm;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The service as a JMX client sees it: each route and both breakers as MBeans under
 * org.apache.camel, read and operated through the platform MBeanServer by ObjectName, exactly as
 * jconsole or the {@code jmx} command does over a connector.
 */
@CamelMainTest(mainClass = App.class, useJmx = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JmxMonitoringTest {

    static final int RATE = 8000;
    final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void environment() {
        // Audjust "configured" at a port nobody listens on: only the forced-open breaker is exercised
        TestEnvironment.prepare("jmx", Map.of(
                "vibecraft.audjust.base-url", "http://127.0.0.1:" + TestEnvironment.freePort(),
                "vibecraft.audjust.api-key", "jmx-test-key",
                // not the defaults: the breakers must show these (config/BreakerConfiguration)
                "vibecraft.audjust.breaker.window-size", "12",
                "vibecraft.audjust.breaker.minimum-calls", "5",
                "vibecraft.audjust.breaker.open-wait-sec", "45",
                "vibecraft.audjust.breaker.timeout-sec", "95",
                "vibecraft.video.breaker.window-size", "13",
                "vibecraft.video.breaker.failure-rate-percent", "40"));
    }

    @Test
    void theBreakersRunOnTheirVibecraftSettings() throws Exception {
        ObjectName audjust = processor("audjust-breaker");
        assertEquals(12, jmx.getAttribute(audjust, "CircuitBreakerSlidingWindowSize"));
        assertEquals(5, jmx.getAttribute(audjust, "CircuitBreakerMinimumNumberOfCalls"));
        assertEquals(50.0f, jmx.getAttribute(audjust, "CircuitBreakerFailureRateThreshold"));
        assertEquals(45L, jmx.getAttribute(audjust, "CircuitBreakerWaitDurationInOpenState"));
        assertEquals(1, jmx.getAttribute(audjust, "CircuitBreakerPermittedNumberOfCallsInHalfOpenState"));
        assertEquals(95_000L, jmx.getAttribute(audjust, "TimeoutDuration"));
        ObjectName video = processor("video-generator-breaker");
        assertEquals(13, jmx.getAttribute(video, "CircuitBreakerSlidingWindowSize"));
        assertEquals(4, jmx.getAttribute(video, "CircuitBreakerMinimumNumberOfCalls"));
        assertEquals(40.0f, jmx.getAttribute(video, "CircuitBreakerFailureRateThreshold"));
        assertEquals(60L, jmx.getAttribute(video, "CircuitBreakerWaitDurationInOpenState"));
    }

    private ObjectName route(String id) throws Exception {
        Set<ObjectName> found = jmx.queryNames(new ObjectName("org.apache.camel:type=routes,name=\"" + id + "\",*"), null);
        assertEquals(1, found.size(), "route MBean " + id + ": " + found);
        return found.iterator().next();
    }

    private ObjectName processor(String id) throws Exception {
        Set<ObjectName> found = jmx.queryNames(new ObjectName("org.apache.camel:type=processors,name=\"" + id + "\",*"), null);
        assertEquals(1, found.size(), "processor MBean " + id + ": " + found);
        return found.iterator().next();
    }

    @Test
    void everyRouteIsAnMBeanUnderItsFlowFileId() throws Exception {
        Set<String> mbeanRoutes = new TreeSet<>();
        for (ObjectName n : jmx.queryNames(new ObjectName("org.apache.camel:context=vibecraft-pipeline,type=routes,*"), null)) {
            mbeanRoutes.add((String) jmx.getAttribute(n, "RouteId"));
        }
        Set<String> routes = new TreeSet<>();
        for (Route r : context.getRoutes()) {
            routes.add(r.getRouteId());
            // a stable id is one written in the flow files, not Camel's generated route1, route2 …
            assertTrue(!r.getRouteId().matches("route\\d+"), "generated route id " + r.getRouteId());
        }
        assertEquals(routes, mbeanRoutes);
        assertTrue(mbeanRoutes.containsAll(Set.of("analyze-song", "analysis-queue", "clip-worker", "generate-clip",
                "healthz", "readyz", "metrics")), mbeanRoutes.toString());
        ObjectName analyze = route("analyze-song");
        assertEquals("Started", jmx.getAttribute(analyze, "State"));
        for (String counter : new String[] {"ExchangesTotal", "ExchangesFailed", "ExchangesInflight", "MeanProcessingTime"}) {
            assertTrue(jmx.getAttribute(analyze, counter) instanceof Number, counter);
        }
    }

    @Test
    void routeCountersMoveAndARouteCanBeSuspendedAndResumed() throws Exception {
        ObjectName healthz = route("healthz");
        long before = (Long) jmx.getAttribute(healthz, "ExchangesTotal");
        assertEquals(200, Http.get(TestEnvironment.baseUrl() + "/healthz").status());
        assertEquals(200, Http.get(TestEnvironment.baseUrl() + "/healthz").status());
        assertEquals(before + 2, (Long) jmx.getAttribute(healthz, "ExchangesTotal"));
        assertEquals(0, ((Number) jmx.getAttribute(healthz, "ExchangesInflight")).intValue());
        assertTrue(((Number) jmx.getAttribute(healthz, "MeanProcessingTime")).longValue() >= 0);

        jmx.invoke(healthz, "suspend", null, null);
        try {
            assertEquals("Suspended", jmx.getAttribute(healthz, "State"));
            Http.Response whileSuspended = Http.get(TestEnvironment.baseUrl() + "/healthz");
            // the HTTP consumer of a suspended route turns requests away
            assertEquals(503, whileSuspended.status(), whileSuspended.body());
        } finally {
            jmx.invoke(healthz, "resume", null, null);
        }
        assertEquals("Started", jmx.getAttribute(healthz, "State"));
        assertEquals(200, Http.get(TestEnvironment.baseUrl() + "/healthz").status());
    }

    @Test
    void theAudjustBreakerCanBeForcedOpenAndClosedOverJmx() throws Exception {
        ObjectName breaker = processor("audjust-breaker");
        ObjectName video = processor("video-generator-breaker");
        assertEquals("CLOSED", jmx.getAttribute(video, "CircuitBreakerState"));
        assertEquals("CLOSED", jmx.getAttribute(breaker, "CircuitBreakerState"));
        assertTrue(jmx.getAttribute(breaker, "FailureRate") instanceof Number);
        long notPermitted = (Long) jmx.getAttribute(breaker, "NumberOfNotPermittedCalls");

        jmx.invoke(breaker, "transitionToForcedOpenState", null, null);
        try {
            assertEquals("FORCED_OPEN", jmx.getAttribute(breaker, "CircuitBreakerState"));
            // the breaker refuses the call: the song is analysed by the local detector, and no
            // request reaches the (absent) Audjust
            float[] song = Arrays.copyOf(TestAudio.abab(RATE, 7), RATE * 20);
            String id = Http.upload(TestEnvironment.baseUrl(), "forced.wav", TestAudio.wav(song, RATE))
                    .json().path("id").asText();
            JsonNode done = Http.awaitSong(TestEnvironment.baseUrl(), id, Duration.ofSeconds(60), "analyzed", "failed");
            assertEquals("analyzed", done.path("status").asText(), done.toString());
            assertEquals("local", done.path("analysisSource").asText());
            assertEquals(notPermitted + 1, (Long) jmx.getAttribute(breaker, "NumberOfNotPermittedCalls"));
        } finally {
            jmx.invoke(breaker, "transitionToCloseState", null, null);
        }
        assertEquals("CLOSED", jmx.getAttribute(breaker, "CircuitBreakerState"));
    }

    @Test
    void theJmxCommandAttachesToTheRunningServiceByItsPid() throws Exception {
        // a second JVM, as an operator runs it: java -jar vibecraft-pipeline.jar jmx <pid>
        List<String> cmd = ChildJvm.command(App.class, "jmx", String.valueOf(ProcessHandle.current().pid()));
        Path out = Files.createTempFile("vibecraft-jmx-", ".txt");
        TestEnvironment.deleteOnExit(out);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jmx command hung");
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.matches("(?s).*\\nanalyze-song +Started +\\d+ +\\d+ +\\d+ +(\\d+|-)\\n.*"), text);
        assertTrue(text.matches("(?s).*\\naudjust-breaker +CLOSED .*"), text);
        assertTrue(text.matches("(?s).*\\nvideo-generator-breaker +CLOSED .*"), text);
    }

    @Test
    void theJmxCommandOperatesRoutesAndBreakersOverARemoteConnector() throws Exception {
        int port = TestEnvironment.freePort();
        Registry rmi = LocateRegistry.createRegistry(port);
        JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"), null, jmx);
        server.start();
        try {
            String where = "127.0.0.1:" + port;
            assertEquals("healthz: Suspended", command(where, "suspend", "healthz"));
            assertEquals(503, Http.get(TestEnvironment.baseUrl() + "/healthz").status());
            assertEquals("healthz: Started", command(where, "resume", "healthz"));
            assertEquals(200, Http.get(TestEnvironment.baseUrl() + "/healthz").status());
            assertEquals("video-generator-breaker: FORCED_OPEN", command(where, "breaker-open", "video-generator-breaker"));
            assertEquals("FORCED_OPEN", jmx.getAttribute(processor("video-generator-breaker"), "CircuitBreakerState"));
            assertEquals("video-generator-breaker: CLOSED", command(where, "breaker-close", "video-generator-breaker"));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThrows(IllegalArgumentException.class, () -> JmxCommand.run(new String[] {where, "suspend", "no-such-route"},
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        } finally {
            server.stop();
            UnicastRemoteObject.unexportObject(rmi, true);
        }
    }

    private static String command(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = JmxCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err));
        assertEquals(0, code, err.toString());
        return out.toString(StandardCharsets.UTF_8).trim();
    }
}
