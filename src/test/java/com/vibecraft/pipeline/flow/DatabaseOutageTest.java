package com.vibecraft.pipeline.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.StoppableH2;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.BeanInject;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 6, database faults: with every pooled connection taken, and with the database server gone
 * mid-run, requests get a JSON 503 within the pool's wait (2 s here) instead of hanging, a refused upload
 * leaves no file, and once the database is back the pipeline carries on: every song analysed (none
 * left in 'analyzing'), every clip completed. The database is H2 behind a TCP server the test owns,
 * so "gone" is real: its port stops answering.
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseOutageTest {

    static final int POOL = 3;
    static StoppableH2 database;
    static Path dataDir;

    @BeanInject
    HikariDataSource dataSource;

    @BeforeAll
    static void environment() throws Exception {
        database = StoppableH2.start();
        Map<String, String> props = new HashMap<>();
        props.put("vibecraft.database.url", database.url());
        props.put("vibecraft.database.user", "");
        props.put("vibecraft.database.pool-size", String.valueOf(POOL));
        // a request waits 2 s for a connection (the service's default is 5 s): long enough to tell a
        // bounded wait from a hang, short enough that four refused requests do not take 20 s
        props.put("vibecraft.database.connection-timeout-ms", "2000");
        // a song whose analysis the outage interrupted is taken up again within seconds
        props.put("vibecraft.analysis.lease-sec", "4");
        props.put("vibecraft.analysis.heartbeat-sec", "1");
        props.put("vibecraft.clips.relay-poll-ms", "500");
        // a job a worker took while the database was away stays unacknowledged and is reclaimed after
        // the visibility timeout: short here, so the test need not wait 5 minutes
        props.put("vibecraft.clips.visibility-timeout-sec", "5");
        props.put("vibecraft.clips.reclaim-poll-ms", "500");
        dataDir = TestEnvironment.prepare("db-outage", props);
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    private static String api(String path) {
        return TestEnvironment.baseUrl() + "/api/v1" + path;
    }

    /** A request that must be answered 503 with a JSON message, and soon: the pool waits 2 s at most. */
    private static void assertUnavailableQuickly(java.util.function.Supplier<Http.Response> request) {
        long t0 = System.nanoTime();
        Http.Response r = request.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(503, r.status(), r.body());
        assertTrue(r.json().path("detail").asText().contains("database"), r.body());
        assertTrue(seconds < 8, "answered after " + seconds + " s");
    }

    @Test
    @Order(1)
    void exhaustedPoolAnswers503AndRecovers() throws Exception {
        assertEquals(200, Http.get(api("/songs")).status());
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < POOL; i++) {
                held.add(dataSource.getConnection());
            }
            assertUnavailableQuickly(() -> Http.get(api("/songs")));
            assertUnavailableQuickly(() -> Http.upload(TestEnvironment.baseUrl(), "while-busy.wav",
                    TestAudio.wav(TestAudio.sine(8000, 3, 440, 0.5), 8000)));
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        assertEquals(200, Http.get(api("/songs")).status());
        assertEquals(0, Http.get(api("/songs")).json().size(), "the refused upload left no song");
        assertEquals(0, countFiles(dataDir.resolve("audio")), "and no file");
    }

    @Test
    @Order(2)
    void databaseGoneMidRunThenBack() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // 20 s (A, then B): still several clips each; the outage begins while they are analysed
            Http.Response r = Http.upload(TestEnvironment.baseUrl(), "song-" + i + ".wav",
                    TestAudio.wav(java.util.Arrays.copyOf(TestAudio.abab(22050, 77 + i), 22050 * 20), 22050));
            assertEquals(201, r.status(), r.body());
            ids.add(r.json().path("id").asText());
        }
        // gone while the analyses, the planning and the clips are under way
        database.stop();
        assertUnavailableQuickly(() -> Http.get(api("/songs/" + ids.get(0))));
        assertUnavailableQuickly(() -> Http.upload(TestEnvironment.baseUrl(), "during-outage.wav",
                TestAudio.wav(TestAudio.sine(8000, 3, 550, 0.5), 8000)));
        assertEquals(503, Http.get(TestEnvironment.baseUrl() + "/readyz").status());
        assertEquals(200, Http.get(TestEnvironment.baseUrl() + "/healthz").status(), "alive all along");
        Thread.sleep(3000); // the outage lasts a while: work in flight meets it
        database.startAgain();

        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<String> states = List.of();
        while (System.nanoTime() < deadline) {
            states = new ArrayList<>();
            boolean done = true;
            for (String id : ids) {
                Http.Response r = Http.get(api("/songs/" + id));
                if (r.status() != 200) {
                    done = false;
                    states.add(id + " " + r.status());
                    continue;
                }
                JsonNode song = r.json();
                JsonNode clips = song.path("clips");
                states.add(song.path("status").asText() + " " + clips);
                done &= song.path("status").asText().equals("analyzed") && clips.path("total").asInt() > 0
                        && clips.path("completed").asInt() == clips.path("total").asInt();
            }
            if (done) {
                break;
            }
            Thread.sleep(250);
        }
        for (String s : states) {
            assertTrue(s.startsWith("analyzed") && s.contains("\"phase\":\"completed\""), "after the outage: " + states);
        }
        // exactly the three songs: the upload refused during the outage left no row and no file
        assertEquals(3, Http.get(api("/songs")).json().size());
        assertEquals(3, countFiles(dataDir.resolve("audio")));
        assertEquals(200, Http.get(TestEnvironment.baseUrl() + "/readyz").status());
    }

    private static long countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
