package com.vibecraft.pipeline.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.song.NewSong;
import com.vibecraft.pipeline.song.AnalysisClaims;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.DataDirectory;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Songs a crash left 'analyzing' (or never started) are analysed when the service starts again, once
 * the dead instance's lease has run out; a song another live instance is analysing is left to it.
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumeAfterCrashTest {

    static final UUID MID_ANALYSIS = UUID.randomUUID();
    static final UUID NEVER_STARTED = UUID.randomUUID();
    static final UUID LIVE_ELSEWHERE = UUID.randomUUID();
    static final Duration LEASE = Duration.ofSeconds(2);

    static HikariDataSource ds;
    static AnalysisClaims crashed;
    static AnalysisClaims live;
    static OffsetDateTime crashedLeaseEnds;
    static ScheduledExecutorService heartbeat;

    @BeforeAll
    static void leftOverByACrash() throws Exception {
        // the service sweeps for expired leases every second
        Path dir = TestEnvironment.prepare("resume", Map.of("vibecraft.analysis.heartbeat-sec", "1",
                "vibecraft.instance-id", "resumer"));
        DataDirectory data = new DataDirectory(dir);
        ds = TestEnvironment.database(dir, 2);
        SongRepository songs = new SongRepository(ds);
        for (UUID id : new UUID[] {MID_ANALYSIS, NEVER_STARTED, LIVE_ELSEWHERE}) {
            // the live instance's song is only checked for being analysed once: 20 s of it do
            int seconds = id == LIVE_ELSEWHERE ? 20 : 60;
            byte[] wav = TestAudio.wav(java.util.Arrays.copyOf(TestAudio.abab(22050, id.getLeastSignificantBits()),
                    22050 * seconds), 22050);
            Path file = data.audio().resolve(id + ".wav");
            Files.write(file, wav);
            songs.insert(new NewSong(id, "left " + id, "left.wav", "audio/wav", "wav", wav.length,
                    id.toString().replace("-", "") + "0".repeat(32), data.relativize(file), seconds));
        }
        // an instance that died mid-analysis: its lease runs out 2 s from now and nobody renews it
        crashed = new AnalysisClaims(ds, "crashed-instance", LEASE);
        assertTrue(crashed.claimForAnalysis(MID_ANALYSIS));
        crashed.updateProgress(MID_ANALYSIS, 40);
        crashedLeaseEnds = OffsetDateTime.now().plus(LEASE);
        // an instance that is alive and keeps renewing its lease (see the test)
        live = new AnalysisClaims(ds, "live-instance", LEASE);
        assertTrue(live.claimForAnalysis(LIVE_ELSEWHERE));
        heartbeat = Executors.newSingleThreadScheduledExecutor();
        heartbeat.scheduleAtFixedRate(live::renewLeases, 500, 500, TimeUnit.MILLISECONDS);
    }

    @AfterAll
    static void closeDatabase() throws InterruptedException {
        stopHeartbeat();
        ds.close();
    }

    /**
     * The live instance stops renewing. Not by interrupting the renewal (shutdownNow): an interrupt in
     * the middle of H2's file write closes the whole embedded database, the service's too.
     */
    private static void stopHeartbeat() throws InterruptedException {
        heartbeat.shutdown();
        assertTrue(heartbeat.awaitTermination(30, TimeUnit.SECONDS), "the heartbeat's last renewal ended");
    }

    @Test
    void unfinishedSongsAreAnalysedAfterRestartButNotWhileAnotherInstanceHoldsThem() throws Exception {
        String base = TestEnvironment.baseUrl();
        try {
            for (UUID id : new UUID[] {MID_ANALYSIS, NEVER_STARTED}) {
                JsonNode song = Http.awaitSong(base, id.toString(), Duration.ofSeconds(60), "analyzed", "failed");
                assertEquals("analyzed", song.path("status").asText(), song.toString());
                assertEquals(100, song.path("progress").asInt());
                SongFlowTest.assertAbab(Http.get(base + "/api/v1/songs/" + id + "/analysis").json());
            }
            // the dead instance's claim was respected until its lease ran out
            JsonNode mid = Http.get(base + "/api/v1/songs/" + MID_ANALYSIS).json();
            assertTrue(OffsetDateTime.parse(mid.path("analyzedAt").asText()).isAfter(crashedLeaseEnds),
                    "taken over before the lease ended: " + mid);
            // well past its lease length, the live instance's song is still its own
            Thread.sleep(Math.max(0, Duration.between(OffsetDateTime.now(), crashedLeaseEnds).toMillis()) + 2 * LEASE.toMillis());
            JsonNode held = Http.get(base + "/api/v1/songs/" + LIVE_ELSEWHERE).json();
            assertEquals("analyzing", held.path("status").asText(), held.toString());
            assertEquals(0, live.analysisRuns(LIVE_ELSEWHERE));
        } finally {
            stopHeartbeat();
        }
        // that instance dies too: its song is taken over once the lease runs out
        JsonNode song = Http.awaitSong(base, LIVE_ELSEWHERE.toString(), Duration.ofSeconds(60), "analyzed", "failed");
        assertEquals("analyzed", song.path("status").asText(), song.toString());
        for (UUID id : new UUID[] {MID_ANALYSIS, NEVER_STARTED, LIVE_ELSEWHERE}) {
            assertEquals(1, live.analysisRuns(id), "analyses of " + id);
        }
    }
}
