package com.vibecraft.pipeline.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.clips.Clip;
import com.vibecraft.pipeline.clips.ClipDraft;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.clips.ClipStatus;
import com.vibecraft.pipeline.clips.PlannedClip;
import com.vibecraft.pipeline.clips.RetryPolicy;
import com.vibecraft.pipeline.song.NewSong;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.support.TestEnvironment;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The video ledger on the real database (H2, or PostgreSQL in CI): requests, one winner per claim,
 * leases and fencing, and the status a song's clips and its last composition give.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VideoClaimTest {

    static final OffsetDateTime LONG_AGO = OffsetDateTime.now().minusDays(1);

    HikariDataSource ds;
    SongRepository songs;
    ClipRepository clips;

    @BeforeAll
    void database() {
        ds = TestEnvironment.database(TestEnvironment.prepare("videos", Map.of()), 20);
        songs = new SongRepository(ds);
        clips = new ClipRepository(ds, new RetryPolicy(3, Duration.ofSeconds(1), 2, Duration.ofSeconds(10), 0));
    }

    @AfterAll
    void close() {
        ds.close();
    }

    private UUID song() {
        UUID id = UUID.randomUUID();
        songs.insert(new NewSong(id, "t", "t.wav", "audio/wav", "wav", 1, id.toString().replace("-", "")
                + "0".repeat(32), "audio/" + id + ".wav", 9.0));
        return id;
    }

    /** Three planned clips of 3 s, all completed. */
    private List<Clip> completedClips(UUID songId) {
        List<ClipDraft> drafts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            drafts.add(new ClipDraft(new PlannedClip("s1", i * 3, i * 3 + 3, null, null, 8, 24), "verse", "Verse 1", "p"));
        }
        for (Clip c : clips.replaceClips(songId, drafts, 7L)) {
            assertTrue(clips.complete(c.id(), c.jobId(), "http://x/" + c.id()));
        }
        return clips.findBySong(songId);
    }

    private VideoRepository instance(String owner, Duration lease) {
        return new VideoRepository(ds, owner, lease);
    }

    private VideoStatus status(UUID songId) {
        return instance("reader", Duration.ofMinutes(1)).find(songId).orElseThrow().status();
    }

    private static VideoRepository.Outcome outcome(UUID songId) {
        return new VideoRepository.Outcome("videos/" + songId + ".mp4", 9.0, 1280, 720, 24, 1000, false);
    }

    @Test
    void aSongWithoutClipsHasNoVideoAndOneWithClipsWaitsForThem() {
        UUID id = song();
        assertEquals(VideoStatus.NONE, status(id));
        List<ClipDraft> drafts = List.of(new ClipDraft(new PlannedClip("s1", 0, 3, null, null, 8, 24), "verse", "V", "p"));
        clips.replaceClips(id, drafts, 1L);
        assertEquals(VideoStatus.WAITING, status(id));
        assertTrue(instance("a", Duration.ofMinutes(1)).find(UUID.randomUUID()).isEmpty(), "no such song");
        assertFalse(instance("a", Duration.ofMinutes(1)).request(UUID.randomUUID()), "no such song");
    }

    @Test
    void ofManyConcurrentClaimersExactlyOneComposes() throws Exception {
        UUID id = song();
        completedClips(id);
        assertTrue(instance("a", Duration.ofMinutes(1)).request(id));
        assertTrue(instance("b", Duration.ofMinutes(1)).request(id), "a second request joins the first");
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Optional<UUID>>> claims = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            VideoRepository r = instance("owner-" + i, Duration.ofMinutes(1));
            claims.add(pool.submit(() -> {
                go.await();
                return r.claimNext(OffsetDateTime.now());
            }));
        }
        go.countDown();
        int winners = 0;
        for (Future<Optional<UUID>> f : claims) {
            // other tests' songs may be claimable too: count this song's claims
            winners += f.get().filter(id::equals).isPresent() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, winners);
        assertEquals(1, instance("x", Duration.ofMinutes(1)).runs(id));
        assertEquals(VideoStatus.COMPOSING, status(id));
    }

    @Test
    void aDeadInstancesCompositionIsTakenOverAndItsLateWritesAreRefused() throws Exception {
        UUID id = song();
        completedClips(id);
        VideoRepository dead = instance("dead", Duration.ofMillis(300));
        VideoRepository live = instance("live", Duration.ofMinutes(1));
        dead.request(id);
        assertEquals(Optional.of(id), claimThis(dead, id));
        assertTrue(dead.progress(id, 40));
        assertTrue(claimThis(live, id).isEmpty(), "a live lease is respected");
        assertEquals(Optional.of(id), claimAfterLease(live, id));
        assertFalse(dead.progress(id, 50), "fenced: the old owner's progress is refused");
        assertFalse(dead.composed(id, outcome(id)), "fenced: the old owner's result is refused");
        assertTrue(live.composed(id, outcome(id)));
        assertEquals(VideoStatus.COMPOSED, status(id));
        assertEquals(2, live.runs(id));
    }

    /** Claims the song for {@code live} as soon as the dead owner's lease has run out. */
    private static Optional<UUID> claimAfterLease(VideoRepository live, UUID id) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Optional<UUID> taken = claimThis(live, id);
        while (taken.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(50);
            taken = claimThis(live, id);
        }
        return taken;
    }

    private static Optional<UUID> claimThis(VideoRepository r, UUID id) {
        // other tests' songs may be claimable too: claim until this one comes or nothing does
        for (int i = 0; i < 50; i++) {
            Optional<UUID> got = r.claimNext(LONG_AGO);
            if (got.isEmpty() || got.get().equals(id)) {
                return got;
            }
        }
        return Optional.empty();
    }

    @Test
    void aChangedClipMakesTheVideoStaleAndAFailureKeepsTheOldVideo() throws Exception {
        UUID id = song();
        List<Clip> done = completedClips(id);
        VideoRepository r = instance("one", Duration.ofMinutes(1));
        r.request(id);
        assertEquals(Optional.of(id), claimThis(r, id));
        assertTrue(r.composed(id, outcome(id)));
        VideoRepository.VideoRecord composed = r.find(id).orElseThrow();
        assertEquals(VideoStatus.COMPOSED, composed.status());
        assertEquals(100, composed.toState().progress());
        assertEquals(1280, composed.toState().width());
        assertTrue(r.songsAwaitingComposition(1000).stream().noneMatch(id::equals), "up to date: nothing to do");

        // a person retries a completed clip: the served video is stale until the plan is complete again
        Clip first = done.get(0);
        Clip again = clips.reissue(first.id(), first.jobId(), List.of(ClipStatus.COMPLETED), true).orElseThrow();
        assertEquals(VideoStatus.STALE, status(id));
        assertTrue(r.songsAwaitingComposition(1000).stream().noneMatch(id::equals), "a clip is queued: not yet");
        assertTrue(clips.complete(again.id(), again.jobId(), "http://x/again"));
        assertEquals(VideoStatus.STALE, status(id));
        assertTrue(r.songsAwaitingComposition(1000).contains(id), "complete again: recomposition due");

        // the recomposition fails: status failed with the reason, the old video still recorded
        r.request(id);
        assertEquals(Optional.of(id), claimThis(r, id));
        assertTrue(r.failed(id, "Clip 1 (" + first.id() + "): the file is corrupt"));
        VideoRepository.VideoRecord failed = r.find(id).orElseThrow();
        assertEquals(VideoStatus.FAILED, failed.status());
        assertTrue(failed.toState().error().contains("corrupt"));
        assertEquals("videos/" + id + ".mp4", failed.filePath(), "the previous video is still the served one");
        assertTrue(r.songsAwaitingComposition(1000).stream().noneMatch(id::equals), "no automatic loop on a failure");

        // retrying the named clip clears the failure: stale again (old video served), then due
        Clip named = clips.find(first.id()).orElseThrow();
        Clip third = clips.reissue(named.id(), named.jobId(), List.of(ClipStatus.COMPLETED), true).orElseThrow();
        assertEquals(VideoStatus.STALE, status(id));
        assertNull(r.find(id).orElseThrow().toState().error());
        assertTrue(clips.complete(third.id(), third.jobId(), "http://x/third"));
        assertTrue(r.songsAwaitingComposition(1000).contains(id));
    }

    @Test
    void aCompositionStoppedByAShutdownIsRequestedAgain() {
        UUID id = song();
        completedClips(id);
        VideoRepository r = instance("stopping", Duration.ofMinutes(1));
        r.request(id);
        assertEquals(Optional.of(id), claimThis(r, id));
        assertTrue(r.release(id, true));
        assertEquals(VideoStatus.WAITING, status(id));
        assertEquals(Optional.of(id), claimThis(instance("next", Duration.ofMinutes(1)), id), "the next start takes it");
    }
}
