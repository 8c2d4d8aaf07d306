package com.vibecraft.pipeline.song;

import com.vibecraft.pipeline.analysis.SongAnalysis;
import com.vibecraft.pipeline.support.TestEnvironment;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Analysis claims on the real database (H2, or PostgreSQL in CI): one winner, leases, fencing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalysisClaimTest {

    HikariDataSource ds;
    SongRepository plain;

    @BeforeAll
    void database() {
        ds = TestEnvironment.database(TestEnvironment.prepare("claims", Map.of()), 20);
        plain = new SongRepository(ds);
    }

    @AfterAll
    void close() {
        ds.close();
    }

    private UUID song() {
        UUID id = UUID.randomUUID();
        plain.insert(new NewSong(id, "t", "t.wav", "audio/wav", "wav", 1, id.toString().replace("-", "")
                + "0".repeat(32), "audio/" + id + ".wav", 20.0));
        return id;
    }

    private AnalysisClaims instance(String owner, Duration lease) {
        return new AnalysisClaims(ds, owner, lease);
    }

    /** What the instance of {@code claims} stores, fenced by its claim. */
    private AnalysisStore store(AnalysisClaims claims) {
        return new AnalysisStore(ds, claims.owner());
    }

    @Test
    void ofManyConcurrentClaimersExactlyOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            UUID id = song();
            OffsetDateTime started = OffsetDateTime.now().plusSeconds(1); // the song counts as left over
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> wins = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                AnalysisClaims r = instance("i" + i, Duration.ofMinutes(1));
                boolean resume = i % 2 == 0; // half claim as after ingest, half as the resume sweep
                wins.add(pool.submit(() -> {
                    go.await();
                    return resume ? r.takeOver(id, started) : r.claimForAnalysis(id);
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> f : wins) {
                won += f.get() ? 1 : 0;
            }
            pool.shutdown();
            assertEquals(1, won, "round " + round);
        }
    }

    @Test
    void aLiveLeaseIsRespectedAndAnExpiredOneTakenOver() throws Exception {
        UUID id = song();
        AnalysisClaims a = instance("a", Duration.ofMillis(1500));
        AnalysisClaims b = instance("b", Duration.ofMinutes(1));
        OffsetDateTime bStarted = OffsetDateTime.now();
        assertTrue(a.claimForAnalysis(id));
        assertFalse(b.claimForAnalysis(id), "a live claim");
        assertFalse(b.findUnfinished(bStarted).contains(id));
        assertFalse(b.takeOver(id, bStarted));
        // renewed: still a's after the first lease would have ended
        Thread.sleep(1000);
        assertEquals(1, a.renewLeases());
        Thread.sleep(1000);
        assertFalse(b.takeOver(id, bStarted), "renewed lease");
        // a stops renewing (it died): b takes the song over
        Thread.sleep(1700);
        assertTrue(b.findUnfinished(bStarted).contains(id));
        assertTrue(b.takeOver(id, bStarted));
        assertFalse(a.takeOver(id, bStarted), "now b's");
    }

    @Test
    void aSongWhoseAnalysisEndedHereIsNoLongerRenewed() throws Exception {
        // the analysis died without being able to write its outcome (the database went away mid-way)
        UUID id = song();
        AnalysisClaims a = instance("a", Duration.ofMillis(800));
        assertTrue(a.claimForAnalysis(id));
        assertEquals(1, a.renewLeases(), "held while it is analysed");
        a.release(id);
        assertEquals(0, a.renewLeases(), "released: not renewed");
        Thread.sleep(1000);
        AnalysisClaims b = instance("b", Duration.ofMinutes(1));
        OffsetDateTime bStarted = OffsetDateTime.now();
        assertTrue(b.findUnfinished(bStarted).contains(id), "its lease ran out");
        assertTrue(b.takeOver(id, bStarted));
        assertEquals(0, a.renewLeases(), "a renews nothing of b's");
    }

    @Test
    void anInstanceThatLostItsClaimChangesNothing() throws Exception {
        UUID id = song();
        AnalysisClaims a = instance("a", Duration.ofMillis(1));
        AnalysisClaims b = instance("b", Duration.ofMinutes(1));
        assertTrue(a.claimForAnalysis(id));
        Thread.sleep(20);
        assertTrue(b.claimForAnalysis(id), "a's lease of 1 ms is over");
        b.beginAnalysis(id);
        assertThrows(ClaimLostException.class, () -> a.beginAnalysis(id));
        SongAnalysis analysis = new SongAnalysis(id, 20, 120, List.of(0.5, 1.0), List.of(), "local", null, null, null, null);
        assertThrows(ClaimLostException.class, () -> store(a).saveAnalysis(id, analysis));
        a.markFailed(id, "a gave up");
        a.updateProgress(id, 90);
        Song s = plain.findById(id).orElseThrow();
        assertEquals(SongStatus.ANALYZING, s.status(), "a's failure does not touch b's analysis");
        assertEquals(0, s.progress());
        store(b).saveAnalysis(id, analysis);
        assertEquals(SongStatus.ANALYZED, plain.findById(id).orElseThrow().status());
        assertEquals(1, new AnalysisClaims(ds).analysisRuns(id));
    }

    @Test
    void aRestartedInstanceTakesBackItsOwnSongsAtOnce() {
        UUID id = song();
        assertTrue(instance("stable-id", Duration.ofMinutes(1)).claimForAnalysis(id));
        // the same instance id after a restart: the lease is live, but the claim is from its previous life
        AnalysisClaims restarted = instance("stable-id", Duration.ofMinutes(1));
        OffsetDateTime startedNow = OffsetDateTime.now().plusSeconds(1);
        assertFalse(instance("other", Duration.ofMinutes(1)).takeOver(id, startedNow));
        assertTrue(restarted.takeOver(id, startedNow));
    }
}
